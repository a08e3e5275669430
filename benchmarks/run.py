"""make bench: latency and compute benchmarks, printed as a markdown table and written to benchmarks/results.json.

For each panel: (a) browser latency from a key press on a slider (Voila + Debian Chromium, 30 presses paced and
30 back-to-back, median and p95) to the canvas draw call returning ("browser") and to the first animation frame
whose canvas pixels changed ("paint"), (b) in-kernel update time (a real kernel, widget messages included),
(c) cold start (fresh kernel to the first panel displayed), (d) first paint in JupyterLab: Shift+Enter on the
panel's cell to the first animation frame with its canvas painted, in a kernel that imported nnwidgets ("warm")
and in a fresh kernel whose first cell imports it ("cold"), median of 3 runs each.
Compute comparisons run in the same process, so their ratios are comparable.
Timings are medians; nothing here is asserted.
"""
from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import readme_tables

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from harness import (  # noqa: E402
    chromium_page,
    first_paint_s,
    jupyterlab,
    open_lab_notebook,
    open_panel,
    press_and_time_paint,
    run_lab_cell,
    shut_down_lab_kernels,
    voila,
)

CHROMIUM = "/usr/bin/chromium"
PRESSES = 30
# A person stepping with the arrow keys: the next press comes 150 ms after the canvas redrew. Presses
# sent the instant the canvas redraws are measured too ("back-to-back"). Those used to take ~40 ms more:
# Nagle's algorithm held the server's websocket frames for the browser's delayed ACK (measured and fixed by
# the nnwidgets.server TCP_NODELAY extension; see docs/upstream_tcp_nodelay.md).
PACE_MS = 150
# A random 0-JITTER_MS ms is added to every pause (seeded), so the presses cannot lock onto the 16.7 ms frame clock.
JITTER_MS = 17
JITTER_SEED = 16
FIRST_PAINT_RUNS = 3

# A 15-node graph for the backprop stepper; the presses step across the forward/backward boundary.
BACKPROP = ("panel = nw.BackpropStepper(lambda a, b, c: jnp.tanh(a * b + c) * jnp.exp(-a) + (a - c) ** 2 / (1 + b * b)"
            " + jnp.sin(a * c), a=0.5, b=-1.0, c=0.25)\npanel.position = 13")

SIX = ('{"SGD": {"lr": 0.1}, "Momentum": {"lr": 0.05}, "Nesterov": {"lr": 0.05}, "AdaGrad": {"lr": 0.5}, '
       '"RMSProp": {"lr": 0.05}, "Adam": {"lr": 0.1}}')

# panel name -> (notebook code setting `panel`, css class of the slider to press, code to change it in the kernel)
PANELS = {
    "PerceptronExplorer": ('panel = nw.PerceptronExplorer(gate="AND")', "nnw-w1", "panel.w1 = float(v)"),
    "SoftmaxCalculator": ('panel = nw.SoftmaxCalculator(logits=[1.5, 3.7, 0.2], target=1)', "nnw-logit-0",
                          "panel.logits = [float(v), 3.7, 0.2]"),
    "ConvShapeVisualizer": ('panel = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3, stride=1)',
                            "nnw-position", "panel.position = (panel.position + 1) % 25"),
    "BackpropStepper (15 nodes)": (BACKPROP, "nnw-bp-position", "panel.position = 10 + (panel.position - 9) % 10"),
    "OptimizerRace (6 x 200 steps)": (f"panel = nw.OptimizerRace(steps=200, optimizers={SIX})", "nnw-lr-sgd",
                                      "panel.set_hyperparameter('SGD', 'lr', float(0.05 + abs(v) / 10))"),
    # noise, not lr: a new learning rate redraws the same picture (nothing is trained), so no pixel would change
    "Playground (hidden (8, 8), 500 points)": ('panel = nw.Playground(dataset="circle", hidden=(8, 8), samples=500)',
                                               "nnw-set-noise", "panel.noise = round(abs(float(v)) / 3, 2)"),
}

KERNEL_TIMING = """
import time, json, statistics
import numpy as np
values = np.round(np.linspace(-1.5, 1.5, 201), 2)
times = []
for v in values:
    t0 = time.perf_counter(); {update}; times.append(time.perf_counter() - t0)
print(json.dumps({{"kernel_p50_ms": 1e3 * statistics.median(times),
                  "kernel_p95_ms": 1e3 * float(np.percentile(times, 95))}}))
"""


def percentile(values, q):
    return float(np.percentile(values, q))


def notebook(*cells) -> str:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


def browser_latency(code, slider):
    """Voila + Chromium: page to first draw, then paced and back-to-back presses on ``slider``, each timed to the
    draw call ("browser_*", the figures of earlier runs) and to the painted frame ("paint_*")."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.ipynb"
        path.write_text(notebook(f"import jax.numpy as jnp\nimport nnwidgets as nw\n{code}\npanel"))
        with voila(path) as url, chromium_page(CHROMIUM) as page:
            started = time.perf_counter()
            open_panel(page, url, slider)
            first_draw = time.perf_counter() - started
            for key in ("ArrowRight", "ArrowLeft"):  # warm-up, not counted
                press_and_time_paint(page, slider, key)
            rng = random.Random(JITTER_SEED)
            paced = presses(page, slider, PACE_MS, rng)
            back_to_back = presses(page, slider, 0, rng)
    return {"browser_p50_ms": statistics.median(paced["draw_ms"]), "browser_p95_ms": percentile(paced["draw_ms"], 95),
            "browser_presses": len(paced["draw_ms"]), "browser_pace_ms": PACE_MS, "browser_jitter_ms": JITTER_MS,
            "browser_back_to_back_p50_ms": statistics.median(back_to_back["draw_ms"]),
            "browser_back_to_back_p95_ms": percentile(back_to_back["draw_ms"], 95),
            "browser_first_draw_s": first_draw,
            "paint_p50_ms": statistics.median(paced["paint_ms"]), "paint_p95_ms": percentile(paced["paint_ms"], 95),
            "paint_back_to_back_p50_ms": statistics.median(back_to_back["paint_ms"]),
            "paint_back_to_back_p95_ms": percentile(back_to_back["paint_ms"], 95)}


def presses(page, slider, pause_ms, rng, count=PRESSES):
    """``count`` presses, each ``pause_ms`` + random 0-JITTER_MS ms after the last painted frame."""
    times = {"draw_ms": [], "paint_ms": []}
    for i in range(count):
        page.wait_for_timeout(pause_ms + rng.uniform(0, JITTER_MS))
        result = press_and_time_paint(page, slider, "ArrowRight" if (i // 5) % 2 == 0 else "ArrowLeft")
        if result["after"] == result["before"]:
            raise RuntimeError("a key press did not change the pixels")
        times["draw_ms"].append(result["draw_ms"])
        times["paint_ms"].append(result["paint_ms"])
    return times


def first_paints(code, runs=FIRST_PAINT_RUNS):
    """JupyterLab + Chromium: median seconds from Shift+Enter on the panel's cell to its first painted frame,
    warm (a previous cell imported nnwidgets) and cold (the fresh kernel's first cell imports it too)."""
    imports = "import jax.numpy as jnp\nimport nnwidgets as nw"
    warm, cold = [], []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for run in range(runs):
            (root / f"warm{run}.ipynb").write_text(notebook(imports, f"{code}\npanel"))
            (root / f"cold{run}.ipynb").write_text(notebook(f"{imports}\n{code}\npanel"))
        with jupyterlab(root) as url, chromium_page(CHROMIUM) as page:
            for run in range(runs):
                open_lab_notebook(page, url, f"warm{run}.ipynb")
                run_lab_cell(page, 0)
                warm.append(first_paint_s(page, 1))
                shut_down_lab_kernels(page, url)
                open_lab_notebook(page, url, f"cold{run}.ipynb")
                cold.append(first_paint_s(page, 0))
                shut_down_lab_kernels(page, url)
    return {"first_paint_warm_s": statistics.median(warm), "first_paint_cold_s": statistics.median(cold),
            "first_paint_runs": runs, "first_paint_warm_runs_s": warm, "first_paint_cold_runs_s": cold}


def kernel_timings(code, update):
    """In a fresh real kernel: cold start (kernel ready -> first panel displayed) and update times."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.reads(notebook(
        "import time\nt0 = time.perf_counter()",
        f"import jax.numpy as jnp\nimport nnwidgets as nw\n{code}\ndisplay(panel)\n"
        "print('cold', time.perf_counter() - t0)",
        KERNEL_TIMING.format(update=update),
    ), as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3").execute()
    cold = next(float(o["text"].split()[-1]) for o in nb.cells[1].outputs if o.get("name") == "stdout")
    timing = json.loads(nb.cells[2].outputs[0]["text"])
    return {**timing, "cold_start_s": cold}


SPREADS: dict = {}  # name -> {"min", "max", "runs"} of the last timed comparisons, saved as "<name>_spread"


def median_time(fn, repeat, name=None):
    """Median wall time of ``repeat`` calls; with ``name``, the spread is kept for the README tables."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    if name:
        SPREADS[name] = {"min": min(times), "max": max(times), "runs": repeat}
    return statistics.median(times)


def machine() -> dict:
    """Cores, CPU model, memory, versions and the JAX device the run used."""
    import platform

    import jax

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() \
        else platform.processor()
    memory = (os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")) / 2**30 if hasattr(os, "sysconf") else None
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gb": round(memory, 1) if memory else None,
            "python": platform.python_version(), "jax": jax.__version__, "numpy": np.__version__,
            "jax_backend": jax.default_backend(), "jax_device": str(jax.devices()[0]),
            # other work on the machine while it ran (1-minute load average at the start): a shared machine's noise
            "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None}


def xor_numpy_seed(params, x, t, lr=0.1, epochs=20000):
    """The seed's NumPy TwoLayerNet loop (Affine/Sigmoid/MSE layers, loss appended every epoch)."""
    W1, b1, W2, b2 = (np.array(params[k], dtype=np.float64) for k in ("W1", "b1", "W2", "b2"))
    sigmoid = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    losses = []
    for _ in range(epochs):
        h = sigmoid(x @ W1 + b1)
        y = sigmoid(h @ W2 + b2)
        da2 = (y - t) / x.shape[0] * (1 - y) * y
        dh = da2 @ W2.T
        da1 = dh * (1 - h) * h
        W2, b2 = W2 - lr * (h.T @ da2), b2 - lr * da2.sum(0)
        W1, b1 = W1 - lr * (x.T @ da1), b1 - lr * da1.sum(0)
        y = sigmoid(sigmoid(x @ W1 + b1) @ W2 + b2)
        losses.append(0.5 * np.square(t - y).sum())
    return losses


def xor_torch_seed(epochs=20000):
    """The seed's PyTorch loop (seed 001, 실습 5), verbatim in structure."""
    import torch
    import torch.nn as nn
    import torch.optim as optim

    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1), nn.Sigmoid())
    for m in net:
        if isinstance(m, nn.Linear):
            m.weight.data.uniform_(0.0, 1.0)
            m.bias.data.fill_(0)
    optimizer = optim.SGD(net.parameters(), lr=0.1)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.Tensor([[0, 0], [0, 1], [1, 0], [1, 1]]),
                                       torch.Tensor([[0], [1], [1], [0]])),
        batch_size=4)
    mse, losses = nn.MSELoss(), []
    for _ in range(epochs):
        for X, t in loader:
            loss = mse(net(X), t)
            losses.append(loss)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return losses


def race_numpy(start, kinds, hps, steps):
    """The same six update rules as nnwidgets.core.optim, as a plain NumPy loop on x²/20 + y²."""
    paths = []
    for kind, hp in zip(kinds, hps):
        p, b, h, m, v = np.array(start, float), np.zeros(2), np.zeros(2), np.zeros(2), np.zeros(2)
        path = [p.copy()]
        for t in range(1, steps + 1):
            g = np.array([p[0] / 10, 2 * p[1]])
            if kind == "sgd":
                p = p - hp["lr"] * g
            elif kind in ("momentum", "nesterov"):
                b = hp["momentum"] * b + g
                p = p - hp["lr"] * (g + hp["momentum"] * b if kind == "nesterov" else b)
            elif kind == "adagrad":
                h = h + g * g
                p = p - hp["lr"] * g / (np.sqrt(h) + hp["eps"])
            elif kind == "rmsprop":
                h = hp["rho"] * h + (1 - hp["rho"]) * g * g
                p = p - hp["lr"] * g / (np.sqrt(h) + hp["eps"])
            else:
                m = hp["beta1"] * m + (1 - hp["beta1"]) * g
                v = hp["beta2"] * v + (1 - hp["beta2"]) * g * g
                mh, vh = m / (1 - hp["beta1"] ** t), v / (1 - hp["beta2"] ** t)
                p = p - hp["lr"] * mh / (np.sqrt(vh) + hp["eps"])
            path.append(p.copy())
        paths.append(np.array(path))
    return paths


def race_comparison(steps=1000):
    """6 optimizers x ``steps`` on the DLFS surface: a jitted re-run with a new lr (no compile) vs NumPy."""
    from nnwidgets.core.optim import KINDS, check_hyperparameters, optimizer
    from nnwidgets.core.race import dlfs, race

    hps = [check_hyperparameters(k, {"lr": 0.05}) for k in KINDS]

    def racers(lr=None):
        return tuple(optimizer(k, **(hp if lr is None else {**hp, "lr": lr})) for k, hp in zip(KINDS, hps))

    race(dlfs, (-7.0, 2.0), racers(), steps)  # compile once
    lrs = iter(np.linspace(0.01, 0.1, 1000))
    jax_s = median_time(lambda: race(dlfs, (-7.0, 2.0), racers(next(lrs)), steps), 21, "race_jax_s")
    numpy_s = median_time(lambda: race_numpy((-7.0, 2.0), KINDS, hps, steps), 5, "race_numpy_s")
    ours = race(dlfs, (-7.0, 2.0), racers(), steps)
    # Agreement over the first 300 steps: later, coordinates reach float32's underflow (~1e-38) and RMSProp's
    # decaying v makes float64 unstable near the minimum (|1 − 2·lr/√v| > 1), so the two legitimately part.
    gap = max(float(np.max(np.abs(o.path[:300] - n[:300])))
              for o, n in zip(ours, race_numpy((-7.0, 2.0), KINDS, hps, steps)))
    return {"race_steps": steps, "race_jax_s": jax_s, "race_numpy_s": numpy_s, "race_numpy_over_jax": numpy_s / jax_s,
            "race_max_path_difference": gap}


def compute_comparisons():
    import jax

    import nnwidgets as nw
    from nnwidgets.core.perceptron import GATE_INPUTS, perceptron_forward

    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    t = np.array([[0], [1], [1], [0]], dtype=np.float32)
    started = time.perf_counter()
    first = nw.train_mlp(x, t, epochs=20000, seed=0, progress=False)
    first_call = time.perf_counter() - started
    jitted = median_time(lambda: nw.train_mlp(x, t, epochs=20000, seed=0, progress=False), 7, "xor_train_jax_s")
    numpy_loop = median_time(lambda: xor_numpy_seed(first.init_params, x.astype(float), t.astype(float)), 5,
                             "xor_train_numpy_seed_s")
    w, b = np.float32([0.5, 0.5]), np.float32(-0.7)
    perceptron_forward(GATE_INPUTS, w, b)
    dispatch = median_time(lambda: jax.block_until_ready(perceptron_forward(GATE_INPUTS, w, b)), 2000)
    out = {"device": str(jax.devices()[0]), "xor_train_jax_first_call_s": first_call,
           "xor_train_jax_s": jitted, "xor_train_numpy_seed_s": numpy_loop,
           "numpy_over_jax": numpy_loop / jitted, "perceptron_forward_us": dispatch * 1e6}
    out.update(race_comparison())
    try:
        import torch

        out["torch_version"] = torch.__version__
        out["xor_train_torch_seed_s"] = median_time(xor_torch_seed, 5, "xor_train_torch_seed_s")
        out["torch_over_jax"] = out["xor_train_torch_seed_s"] / jitted
    except ImportError:
        out["torch_version"] = None
    out.update({f"{name}_spread": spread for name, spread in SPREADS.items()})
    return out


RESULTS = ROOT / "benchmarks" / "results.json"
# top-level keys other scripts of `make bench` merge into results.json (kernel_memory.py, loadtest.py): kept here
MERGED_KEYS = ("kernel_rss_mb", "loadtest")


def main():
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "panels": {}, "compute": {},
               "cold_start_s": None, **{key: previous[key] for key in MERGED_KEYS if key in previous}}
    for name, (code, slider, update) in PANELS.items():
        row = kernel_timings(code, update)
        if Path(CHROMIUM).exists():
            row.update(browser_latency(code, slider))
            row.update(first_paints(code))
        else:
            print(f"no Chromium at {CHROMIUM}: browser latency and first paint not measured")
        results["panels"][name] = row
    results["cold_start_s"] = max(r["cold_start_s"] for r in results["panels"].values())
    results["compute"] = compute_comparisons()
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print("\n".join(readme_tables.header(results) + [""] + readme_tables.panel_tables(results)
                    + readme_tables.compute_tables(results["compute"])))
    print("then: python benchmarks/readme_tables.py (make bench runs it) writes the README's tables")


if __name__ == "__main__":
    main()
