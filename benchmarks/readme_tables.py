"""Write the README's benchmark tables from the JSON files `make bench` writes (no number is copied by hand).

    python benchmarks/readme_tables.py           # rewrite README.md between <!-- bench:start --> and <!-- bench:end -->
    python benchmarks/readme_tables.py --check   # exit 1 if the README differs from what the JSON files give
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SLIDERS = {"PerceptronExplorer": "w1", "SoftmaxCalculator": "first logit", "ConvShapeVisualizer": "output cell",
           "BackpropStepper": "step", "OptimizerRace": "SGD's lr", "Playground": "noise"}


#: what `make bench` must leave in results.json (issue 16): at top level, and for every panel
TOP_KEYS = ("date", "machine", "panels", "compute", "cold_start_s", "kernel_rss_mb", "loadtest")
MACHINE_KEYS = ("cores", "cpu", "memory_gb", "jax_backend", "jax_device")
LOADTEST_KEYS = ("students", "cores", "p50_update_ms", "p95_update_ms", "kernel_rss_mb_max", "errors")
PANEL_KEYS = ("kernel_p50_ms", "kernel_p95_ms", "cold_start_s", "browser_p50_ms", "browser_p95_ms",
              "browser_back_to_back_p50_ms", "browser_back_to_back_p95_ms", "browser_first_draw_s",
              "paint_p50_ms", "paint_p95_ms", "paint_back_to_back_p50_ms", "paint_back_to_back_p95_ms",
              "first_paint_warm_s", "first_paint_cold_s")
PANELS = tuple(SLIDERS)


def missing_keys(results: dict) -> list[str]:
    """The keys ``results`` lacks (a panel's key as "panel/key"); a key holding null counts as missing."""
    missing = [key for key in TOP_KEYS if results.get(key) is None]
    missing += [f"machine/{key}" for key in MACHINE_KEYS if (results.get("machine") or {}).get(key) is None]
    missing += [f"loadtest/{key}" for key in LOADTEST_KEYS if (results.get("loadtest") or {}).get(key) is None]
    panels = results.get("panels") or {}
    shown = {name.split(" (")[0] for name in panels}
    missing += [f"panels/{name}" for name in PANELS if name not in shown]
    missing += [f"{name}/{key}" for name, row in panels.items() for key in PANEL_KEYS if row.get(key) is None]
    return missing


def load(name: str) -> dict:
    path = ROOT / "benchmarks" / name
    return json.loads(path.read_text()) if path.exists() else {}


def ms(value, digits=1) -> str:
    return "not measured" if value is None else f"{value:.{digits}f} ms"


def seconds(value) -> str:
    if value is None:
        return "not measured"
    return f"{value * 1e3:.1f} ms" if value < 0.1 else f"{value:.2f} s"


def spread(c: dict, key: str) -> str:
    """' (min..max over n runs)' when the run recorded it."""
    s = c.get(f"{key}_spread")
    return f" ({seconds(s['min'])}..{seconds(s['max'])}, {s['runs']} runs)" if s else ""


def header(results: dict) -> list[str]:
    machine = results["machine"]
    return [f"Measured {results['date']} on {machine.get('cores')} cores "
            f"({machine.get('cpu')}, {machine.get('memory_gb')} GB), JAX {machine.get('jax')} on "
            f"{machine.get('jax_backend')} ({machine.get('jax_device')}), Python {machine.get('python')}"
            + (f"; 1-minute load average {machine['load_average_1min']} when it started (other work on the machine "
               "slows every figure)" if machine.get("load_average_1min") is not None else "") + "."]


def panel_tables(results: dict) -> list[str]:
    """Key press to canvas (draw call and painted frame), kernel update, and first paint of every panel."""
    panels = results.get("panels", {})
    lines = ["| panel (slider pressed) | paint p50 / p95 | paint back-to-back p50 / p95 | draw call p50 / p95 |"
             " draw call back-to-back p50 / p95 | kernel update p50 |", "|---|---|---|---|---|---|"]
    for name, r in panels.items():
        lines.append(f"| {name}: {SLIDERS.get(name.split(' (')[0], 'slider')} | "
                     f"{ms(r.get('paint_p50_ms'))} / {ms(r.get('paint_p95_ms'))} | "
                     f"{ms(r.get('paint_back_to_back_p50_ms'))} / {ms(r.get('paint_back_to_back_p95_ms'))} | "
                     f"{ms(r.get('browser_p50_ms'))} / {ms(r.get('browser_p95_ms'))} | "
                     f"{ms(r.get('browser_back_to_back_p50_ms'))} / {ms(r.get('browser_back_to_back_p95_ms'))} | "
                     f"{ms(r.get('kernel_p50_ms'), 2)} |")
    first = next(iter(panels.values()), {})
    if first.get("browser_presses"):
        lines += ["", f"{first['browser_presses']} presses each, paced ({first['browser_pace_ms']} ms after the "
                  f"painted frame) and back-to-back, each pause plus a random 0-{first.get('browser_jitter_ms', 0)}"
                  " ms."]
    lines += ["", "| panel | first paint, nnwidgets imported | first paint, fresh kernel | display() returns"
              " (kernel) | first draw (Voila page) |", "|---|---|---|---|---|"]
    for name, r in panels.items():
        lines.append(f"| {name} | {seconds(r.get('first_paint_warm_s'))} | {seconds(r.get('first_paint_cold_s'))} | "
                     f"{seconds(r.get('cold_start_s'))} | {seconds(r.get('browser_first_draw_s'))} |")
    return lines


def memory_tables(results: dict) -> list[str]:
    """Kernel memory after each lesson and the classroom load test (merged by kernel_memory.py and loadtest.py)."""
    lines = []
    rss = results.get("kernel_rss_mb")
    if rss:
        lines += ["", "| lesson | kernel memory after running it (VmRSS) |", "|---|---|"]
        lines += [f"| {lesson} | {mb:.0f} MB |" for lesson, mb in rss.items()]
    load = results.get("loadtest")
    if load:
        lines += ["", "| load test | students | cores | update p50 | update p95 | largest kernel | errors |",
                  "|---|---|---|---|---|---|---|",
                  f"| every student a real kernel | {load['students']} | {load['cores']} | "
                  f"{ms(load['p50_update_ms'])} | {ms(load['p95_update_ms'])} | {load['kernel_rss_mb_max']:.0f} MB |"
                  f" {len(load['errors'])} |"]
    return lines


def compute_tables(c: dict) -> list[str]:
    if not c:
        return []
    jax = c["xor_train_jax_s"]
    lines = ["", f"Compute on {c.get('device')} (medians):", "",
             "| XOR 2-3-1 net, 20000 epochs (seed 001) | time | ratio |", "|---|---|---|",
             f"| nnwidgets: jitted `grad` + `lax.scan` | {seconds(jax)}{spread(c, 'xor_train_jax_s')} | 1× |",
             f"| the seed's NumPy loop | {seconds(c['xor_train_numpy_seed_s'])}"
             f"{spread(c, 'xor_train_numpy_seed_s')} | {c['numpy_over_jax']:.0f}× slower |"]
    if c.get("torch_version"):
        lines.append(f"| the seed's PyTorch loop (torch {c['torch_version']}, CPU) | "
                     f"{seconds(c['xor_train_torch_seed_s'])}{spread(c, 'xor_train_torch_seed_s')} | "
                     f"{c['torch_over_jax']:.0f}× slower |")
    else:
        lines.append("| the seed's PyTorch loop | not measured (PyTorch not installed) | |")
    lines += ["", f"| 6 optimizers x {c['race_steps']} steps on x²/20 + y² | time | ratio |", "|---|---|---|",
              f"| nnwidgets: one jitted `lax.scan`, re-run with a new learning rate (no compile) | "
              f"{seconds(c['race_jax_s'])}{spread(c, 'race_jax_s')} | 1× |",
              f"| the same six update rules as a NumPy loop | {seconds(c['race_numpy_s'])}"
              f"{spread(c, 'race_numpy_s')} | {c['race_numpy_over_jax']:.0f}× slower |",
              "", f"The two races agree to {c['race_max_path_difference']:.1e} over the first 300 steps. The first "
              f"JAX call of the XOR net takes {seconds(c['xor_train_jax_first_call_s'])} (compilation included)."]
    return lines


def playground_table(p: dict) -> list[str]:
    if not p:
        return []
    fps = p["frame_rate"]["redrawn_fps"]
    s = p["frame_rate"]["settings"]
    lines = ["", f"Playground ({p.get('device')}): Play redraws {fps['median']:.1f} frames a second "
             f"({fps['min']:.1f}..{fps['max']:.1f}, {len(fps['runs'])} runs) in Chromium for hidden "
             f"{tuple(s['hidden'])} on {s['samples']} points.", "",
             "| hidden, batch | playground epochs/s | NumPy loop epochs/s | ratio (min..max) |", "|---|---|---|---|"]
    for t in p["training"]:
        r = t["ratio_jax_over_numpy"]
        lines.append(f"| {tuple(t['hidden'])}, {t['batch_size']} | {t['jax_epochs_per_s']['median']:.0f} | "
                     f"{t['numpy_epochs_per_s']['median']:.0f} | {r['median']:.1f}× ({r['min']:.1f}..{r['max']:.1f}) |")
    return lines


def grading_table(g: dict) -> list[str]:
    if not g:
        return []
    lines = ["", f"Grading outside the student's process ({g.get('cores')} cores):", "",
             "| assignment | submissions | workers | time | per minute | all full marks |", "|---|---|---|---|---|---|"]
    for r in g["runs"]:
        lines.append(f"| {r['assignment']} | {r['submissions']} | {r['workers']} | {r['seconds']:.1f} s | "
                     f"{r['per_minute']:.0f} | {'yes' if r['all_full_marks'] else 'no'} |")
    return lines


def render() -> str:
    results = load("results.json")
    missing = missing_keys(results)
    if missing:
        raise SystemExit("benchmarks/results.json lacks " + ", ".join(missing) + ": run `make bench`")
    lines = header(results) + [""] + panel_tables(results) + compute_tables(results.get("compute", {}))
    lines += memory_tables(results)
    lines += playground_table(load("playground_results.json")) + grading_table(load("grade_results.json"))
    return "\n".join([START, *lines, END])


def replaced(readme: str) -> str:
    if START not in readme or END not in readme:
        raise SystemExit(f"README.md has no {START} ... {END} section")
    before, rest = readme.split(START, 1)
    return before + render() + rest.split(END, 1)[1]


def main(argv: list[str]) -> int:
    path = ROOT / "README.md"
    readme = path.read_text()
    new = replaced(readme)
    if "--check" in argv:
        return 0 if new == readme else 1
    path.write_text(new)
    print("README.md benchmark tables written from benchmarks/*.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
