"""Key press to painted frame, with and without TCP_NODELAY on the kernel websocket (nnwidgets.server).

For each server (Voila, JupyterLab) and each mode (``on``: nnwidgets installed as shipped; ``off``: the server
extension disabled through a user config dir and Voila's connection class put back by a voila.json beside the
notebook), a headless Chromium presses arrow keys on two widgets that go through the kernel:
``bare``: an ipywidgets IntSlider whose observer sets a Label (no nnwidgets code at all), and ``panel``:
nnwidgets' PerceptronExplorer (slider w1 -> canvas). The in-page probe stamps the keydown, then checks at every
``requestAnimationFrame`` whether the Label's text / the canvas pixels changed and stamps that frame. ``paced``
waits a jittered 150-350 ms between presses (so it does not lock onto the 16.7 ms frame clock); ``back_to_back``
presses again as soon as the previous change was painted. ``--rounds`` repeats off/on interleaved, so a load
change on a shared machine does not land on one mode only. Prints a table and writes JSON (``--out``).

    .venv/bin/python benchmarks/nodelay_probe.py --presses 30 --rounds 3 --out /tmp/nodelay.json
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
from harness import chromium_page, jupyterlab, voila  # noqa: E402

CHROMIUM = os.environ.get("NNW_CHROMIUM", "/usr/bin/chromium")
DEFAULT_CONNECTION = "jupyter_server.services.kernels.connection.channels.ZMQChannelsWebsocketConnection"
WIDGETS = {
    "bare": {
        "code": "import ipywidgets as w\n"
                "slider = w.IntSlider(value=50, min=0, max=100)\nslider.add_class('nnw-probe-slider')\n"
                "label = w.Label('50')\nlabel.add_class('nnw-probe-label')\n"
                "slider.observe(lambda change: setattr(label, 'value', str(change['new'])), 'value')\n"
                "w.VBox([slider, label])",
        "handle": ".nnw-probe-slider .noUi-handle", "target": ".nnw-probe-label", "kind": "text"},
    "panel": {
        "code": "import nnwidgets as nw\nnw.PerceptronExplorer(gate='AND')",
        "handle": ".nnw-w1 .noUi-handle", "target": "canvas.nnwidgets-canvas", "kind": "canvas"},
}

# keydown -> first animation frame in which the target's text or pixels differ from what they were at keydown
PROBE_JS = """
({target, kind}) => {
  const el = document.querySelector(target);
  const read = kind === 'text' ? () => el.innerText : () => {
    const d = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
    let s = 0;
    for (let i = 0; i < d.length; i += 61) s = (s * 31 + d[i]) % 1000000007;
    return s;
  };
  const probe = window.__nodelay = {t0: 0, t1: 0};
  document.addEventListener('keydown', () => {
    probe.t0 = performance.now();
    const before = read();
    const frame = () => {
      const now = performance.now();
      if (read() !== before) probe.t1 = now; else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }, {capture: true, once: true});
}
"""


def press(page, widget: dict, key: str) -> float | None:
    """Latency in ms from keydown to the first changed frame; None if nothing changed within 5 s."""
    page.evaluate(PROBE_JS, {"target": widget["target"], "kind": widget["kind"]})
    page.focus(widget["handle"])
    page.keyboard.press(key)
    try:
        page.wait_for_function("() => window.__nodelay.t1 > 0", timeout=5_000)
    except Exception:  # noqa: BLE001 - counted as a missed press, reported
        return None
    return page.evaluate("() => window.__nodelay.t1 - window.__nodelay.t0")


def series(page, widget: dict, presses: int, paced: bool, rng: random.Random) -> dict:
    latencies, missed = [], 0
    for i in range(presses):
        if paced:
            page.wait_for_timeout(rng.uniform(150, 350))
        latency = press(page, widget, "ArrowRight" if i % 2 == 0 else "ArrowLeft")
        if latency is None:
            missed += 1
        else:
            latencies.append(round(latency, 2))
    return {"latencies_ms": latencies, "missed": missed}


def summary(runs: list[dict]) -> dict:
    """p50/p95 over the presses of every round of one case, and each round's p50 (the spread under load)."""
    pooled = [x for run in runs for x in run["latencies_ms"]]
    return {"p50_ms": round(statistics.median(pooled), 1), "p95_ms": round(float(np.percentile(pooled, 95)), 1),
            "round_p50s_ms": [round(statistics.median(run["latencies_ms"]), 1) for run in runs],
            "presses": len(pooled), "missed": sum(run["missed"] for run in runs)}


def measure(page, widget: dict, presses: int, rng: random.Random) -> dict:
    for key in ("ArrowRight", "ArrowLeft", "ArrowRight", "ArrowLeft"):  # warm-up, not counted
        press(page, widget, key)
    return {"paced": series(page, widget, presses, True, rng),
            "back_to_back": series(page, widget, presses, False, rng)}


@contextlib.contextmanager
def mode(name: str, folder: Path):
    """``off``: a user config dir disabling nnwidgets.server, and voila.json beside the notebooks."""
    saved = os.environ.get("JUPYTER_CONFIG_DIR")
    config_dir = folder / "jupyter-config"
    config_dir.mkdir()
    if name == "off":
        (config_dir / "jupyter_server_config.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": {"nnwidgets.server": False}}}))
        (folder / "voila.json").write_text(json.dumps({"Voila": {"kernel_websocket_connection_class":
                                                                 DEFAULT_CONNECTION}}))
    os.environ["JUPYTER_CONFIG_DIR"] = str(config_dir)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("JUPYTER_CONFIG_DIR", None)
        else:
            os.environ["JUPYTER_CONFIG_DIR"] = saved


def write_notebook(path: Path, code: str) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def run_voila(folder: Path, name: str, widget: dict, presses: int, rng: random.Random) -> dict:
    with voila(folder / f"{name}.ipynb") as url, chromium_page(CHROMIUM) as page:
        page.goto(url, timeout=120_000)
        page.wait_for_selector(widget["handle"], timeout=120_000)
        page.wait_for_selector(widget["target"], timeout=120_000)
        page.wait_for_timeout(1000)
        return measure(page, widget, presses, rng)


def run_lab(url: str, name: str, widget: dict, presses: int, rng: random.Random) -> dict:
    with chromium_page(CHROMIUM) as page:  # a fresh page per notebook: no "leave the page?" dialog
        return lab_notebook(url, page, name, widget, presses, rng)


def lab_notebook(url: str, page, name: str, widget: dict, presses: int, rng: random.Random) -> dict:
    page.goto(url + f"lab/tree/{name}.ipynb?reset", timeout=120_000)  # ?reset: not the last notebook's tabs
    page.wait_for_selector(".jp-Notebook .jp-Cell .cm-content", timeout=120_000)
    for _ in range(30):  # JupyterLab drops a run sent before its kernel connection is ready
        page.click(".jp-Notebook .jp-Cell:first-child .cm-content")
        page.keyboard.press("Shift+Enter")
        with contextlib.suppress(Exception):
            page.wait_for_selector(widget["handle"], timeout=4_000)
            break
    page.wait_for_selector(widget["target"], timeout=120_000)
    page.wait_for_timeout(1000)
    return measure(page, widget, presses, rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=40, help="counted presses per series (default 40)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat off/on this many times, interleaved")
    parser.add_argument("--servers", nargs="+", default=["voila", "lab"], choices=["voila", "lab"])
    parser.add_argument("--widgets", nargs="+", default=list(WIDGETS), choices=list(WIDGETS))
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    rng = random.Random(0)
    runs: dict[tuple, list] = {}
    for _ in range(args.rounds):
        for server in args.servers:
            for nodelay in ("off", "on"):
                for name, result in run_server(server, nodelay, args.widgets, args.presses, rng):
                    for pacing in ("paced", "back_to_back"):
                        runs.setdefault((server, name, nodelay, pacing), []).append(result[pacing])
                    print(server, name, nodelay, {k: round(statistics.median(v["latencies_ms"]), 1)
                                                  for k, v in result.items()}, flush=True)
    results = {"/".join(key): summary(value) for key, value in runs.items()}
    print(f"\n{'case':40} {'p50 ms':>7} {'p95 ms':>7}  round p50s")
    for case, r in results.items():
        print(f"{case:40} {r['p50_ms']:>7} {r['p95_ms']:>7}  {r['round_p50s_ms']}")
    if args.out:
        args.out.write_text(json.dumps({"presses": args.presses, "rounds": args.rounds, "cpu_count": os.cpu_count(),
                                        "results": results, "raw": {"/".join(k): v for k, v in runs.items()}},
                                       indent=1))


def run_server(server: str, nodelay: str, names: list[str], presses: int, rng: random.Random):
    """Yields (widget name, {"paced": ..., "back_to_back": ...}) for each widget, on one server mode."""
    with tempfile.TemporaryDirectory() as tmp, mode(nodelay, Path(tmp)):
        folder = Path(tmp)
        for name in names:
            write_notebook(folder / f"{name}.ipynb", WIDGETS[name]["code"])
        if server == "voila":
            for name in names:
                yield name, run_voila(folder, name, WIDGETS[name], presses, rng)
        else:
            with jupyterlab(folder) as url:
                for name in names:
                    yield name, run_lab(url, name, WIDGETS[name], presses, rng)


if __name__ == "__main__":
    main()
