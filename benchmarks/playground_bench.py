"""The playground's benchmarks: the browser frame rate while playing, and training speed against NumPy.

(a) Frame rate: Voila + Debian Chromium, ``Playground(dataset="circle", hidden=(8, 8), samples=500)``; Play runs
for ``SECONDS`` s per run. In the page, every requestAnimationFrame tick checks whether the panel canvas drew a
new picture since the last tick and whether the pixels of the loss-curve axes changed: redrawn frames per second
(goal: at least 20). The kernel's epochs per second while playing are read from the epoch counter.

(b) Training speed: the same network (same initial weights, same shuffled mini-batches, same per-epoch evaluation
of train and test loss and accuracy, same per-layer mean |∂L/∂W|) trained by the playground's compiled code and by
a NumPy loop written out here (float32, tanh hidden layers, sigmoid output with binary cross-entropy, plain SGD).
The batch orders are the playground's (``shuffle`` with ``epoch_key``'s keys), drawn before the NumPy clock
starts; the compiled code draws its own inside the timed call. For scale, a bare jitted loop of the same SGD steps
alone (no shuffling, no evaluation, no gradient sizes, no early-stopping record: less work than the NumPy loop, so
an upper bound on what XLA on this CPU gives for these steps; it uses the playground's ``matmul``).
Epochs per second both ways, medians of ``RUNS`` runs with their spread (min..max; the ratio is paired, run by
run), and the largest difference between the two results (a check that the work is the same).

Why the goal's 30x is not reached on a CPU: the layers are tiny (10 x 2 @ 2 x 8 ...), so XLA's fixed cost per
fused operation (tens of ns), not the arithmetic, sets the time. The bare SGD steps run about 30x faster than the NumPy
loop; each epoch's fixed work besides them (the shuffle: a random-bits hash that XLA runs on a CPU as a 5-round
loop, and a sort; the evaluation on the train and test sets; the history and early-stopping record) costs about
as much again, while NumPy spends most of its time in the steps' ~40 small array operations.

Nothing is asserted. Usage: python benchmarks/playground_bench.py [--no-browser]
(``--screenshots`` instead writes the README's two screenshots to docs/img/.)
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import jax
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from harness import chromium_page, voila  # noqa: E402

import nnwidgets as nw  # noqa: E402
from nnwidgets.core.playground import epoch_key, fit, matmul, shuffle  # noqa: E402
from nnwidgets.panels.playground import PlaygroundState, drawing  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
RUNS = 5
SECONDS = 5.0
FRAME_SETTINGS = {"dataset": "circle", "hidden": (8, 8), "samples": 500}
# (hidden, batch size, epochs per run): the goal's network first, then what changes the ratio
TRAINING = [((8, 8), 10, 400), ((8, 8), 50, 1000), ((8, 8), 250, 2000), ((2,), 10, 400), ((32, 32), 10, 200),
            ((64, 64), 250, 500)]

COUNTER_JS = """
([x0, y0, x1, y1]) => {
  const c = document.querySelector('canvas.nnwidgets-canvas'), ctx = c.getContext('2d');
  const r = c.width / c.getBoundingClientRect().width;
  const region = () => {
    const d = ctx.getImageData(x0 * r, y0 * r, (x1 - x0) * r, (y1 - y0) * r).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 12) sum = (sum * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) % 1000000007;
    return sum;
  };
  const n = window.__nnwFps = {ticks: 0, redrawn: 0, changed: 0, running: true, t0: performance.now(), t1: 0};
  let frame = c.dataset.frame, sum = region();
  const tick = () => {
    if (!n.running) return;
    n.ticks++;
    if (c.dataset.frame !== frame) {
      frame = c.dataset.frame; n.redrawn++;
      const s = region();
      if (s !== sum) { sum = s; n.changed++; }
    }
    n.t1 = performance.now();
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""
STATUS = ".nnw-playground-status"
TOGGLE = "button.widget-toggle-button"


def spread(values) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": list(values)}


# ---- (a) the browser frame rate ---------------------------------------------------------------------------
def frame_rate(runs: int = RUNS, seconds: float = SECONDS) -> dict:
    position = drawing.make_figure().axes[drawing.LOSS].get_position()
    width, height = 980, 400
    loss_box = [position.x0 * width, (1 - position.y1) * height, position.x1 * width, (1 - position.y0) * height]
    code = ("import nnwidgets as nw\n"
            f"pg = nw.Playground(**{FRAME_SETTINGS!r})\npg.train(1).reset()  # compiled before the page opens\npg.view")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "playground_fps.ipynb"
        path.write_text(_notebook(code))
        with voila(path) as url, chromium_page(CHROMIUM) as page:
            page.goto(url, timeout=120_000)
            page.wait_for_function("() => { const c = document.querySelector('canvas.nnwidgets-canvas');"
                                   " return c && Number(c.dataset.frame) >= 1; }", timeout=120_000)
            rows = [_play_once(page, loss_box, seconds) for _ in range(runs + 1)][1:]  # the first run warms up
    return {"settings": {**FRAME_SETTINGS, "hidden": list(FRAME_SETTINGS["hidden"])}, "seconds_per_run": seconds,
            "redrawn_fps": spread([r["redrawn_fps"] for r in rows]),
            "loss_pixels_changed_fps": spread([r["changed_fps"] for r in rows]),
            "animation_ticks_per_s": spread([r["ticks_per_s"] for r in rows]),
            "epochs_per_s": spread([r["epochs_per_s"] for r in rows])}


def _play_once(page, loss_box, seconds) -> dict:
    page.locator(TOGGLE).click()
    page.wait_for_function(f"() => document.querySelector('{TOGGLE}').innerText.trim() === 'Pause'")
    page.wait_for_function(f"() => /^epoch [1-9]/.test(document.querySelector('{STATUS}').innerText)")
    first = _epoch(page)
    page.evaluate(COUNTER_JS, loss_box)
    page.wait_for_timeout(seconds * 1000)  # the measuring window (the page counts frames meanwhile)
    n = page.evaluate("() => { const n = window.__nnwFps; n.running = false; return n; }")
    last = _epoch(page)
    page.locator(TOGGLE).click()
    page.wait_for_function(f"() => document.querySelector('{TOGGLE}').innerText.trim() === 'Play'")
    page.locator("button", has_text="Reset").click()
    page.wait_for_function(f"() => document.querySelector('{STATUS}').innerText === 'epoch 0'")
    elapsed = (n["t1"] - n["t0"]) / 1000
    return {"redrawn_fps": n["redrawn"] / elapsed, "changed_fps": n["changed"] / elapsed,
            "ticks_per_s": n["ticks"] / elapsed, "epochs_per_s": (last - first) / elapsed}


def _epoch(page) -> int:
    return int(page.inner_text(STATUS).split()[1])


def _notebook(code: str) -> str:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


# ---- (b) training speed against a NumPy loop -------------------------------------------------------------
def numpy_training(layers, X, y, X_test, y_test, orders, lr, batch_size):
    """The playground's epochs by hand: SGD on each mini-batch of ``orders[e]``, then the evaluation.

    Hidden layers tanh, output sigmoid with binary cross-entropy averaged over the batch; after each epoch the
    train and test loss and accuracy, and each layer's mean |∂L/∂W| averaged over the epoch's steps."""
    Ws, bs = [W.copy() for W, _ in layers], [b.copy() for _, b in layers]
    lr = np.float32(lr)
    history = np.empty((len(orders), 4 + len(Ws)), np.float32)
    for e, order in enumerate(orders):
        sizes, steps = np.zeros(len(Ws), np.float32), 0
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            hs = [X[idx]]
            for W, b in zip(Ws[:-1], bs[:-1]):
                hs.append(np.tanh(hs[-1] @ W + b))
            z = hs[-1] @ Ws[-1] + bs[-1]
            delta = (1 / (1 + np.exp(-z)) - y[idx, None]) / np.float32(len(idx))
            for i in range(len(Ws) - 1, -1, -1):
                gW, gb = hs[i].T @ delta, delta.sum(axis=0)
                if i:
                    delta = (delta @ Ws[i].T) * (1 - hs[i] * hs[i])
                sizes[i] += np.abs(gW).mean()
                Ws[i] -= lr * gW
                bs[i] -= lr * gb
            steps += 1
        row = []
        for A, t in ((X, y), (X_test, y_test)):
            h = A
            for W, b in zip(Ws[:-1], bs[:-1]):
                h = np.tanh(h @ W + b)
            z = (h @ Ws[-1] + bs[-1])[:, 0]
            row += [np.mean(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)), np.mean((z > 0) == t)]
        history[e] = [row[0], row[2], row[1], row[3], *(sizes / steps)]
    return Ws, bs, history


def bare_jax(layers, X, y, orders, lr, batch_size):
    """The ceiling: only the SGD steps (no evaluation, no gradient sizes, no shuffling, no bookkeeping), one jitted
    scan over the epochs of a scan over the batches, with the same batches and the playground's ``matmul``.
    A compiled function of (params, orders)."""
    import jax.numpy as jnp

    X, y = jnp.asarray(X), jnp.asarray(y)

    def loss(params, idx):
        h = X[idx]
        for W, b in params[:-1]:
            h = jnp.tanh(matmul(h, W) + b)
        z = (matmul(h, params[-1][0]) + params[-1][1])[:, 0]
        return jnp.mean(y[idx] * jax.nn.softplus(-z) + (1 - y[idx]) * jax.nn.softplus(z))

    def epoch(params, order):
        step = lambda p, idx: (jax.tree.map(lambda v, g: v - lr * g, p, jax.grad(loss)(p, idx)), None)  # noqa: E731
        return jax.lax.scan(step, params, order)[0], None

    run = jax.jit(lambda params, batches: jax.lax.scan(epoch, params, batches)[0])
    return run, np.stack(orders).reshape(len(orders), -1, batch_size)


def training_speed(hidden, batch_size, epochs, runs: int = RUNS) -> dict:
    pg = PlaygroundState(dataset="circle", hidden=hidden, samples=500, batch_size=batch_size, lr=0.03)
    X, y, X_test, y_test = (np.asarray(a, np.float32) for a in pg._network_data())
    layers = [(np.asarray(W, np.float32), np.asarray(b, np.float32)) for W, b in pg.init_params]
    orders = [np.asarray(shuffle(jax.random.split(epoch_key(pg.seed, e))[0], len(X)))
              if -(-len(X) // batch_size) > 1 else np.arange(len(X)) for e in range(epochs)]
    setup, state, knobs, data = pg._setup, pg._state, pg._knobs(), pg._network_data()
    ours = fit(setup, state, knobs, data, epochs, pg.seed)  # compiles
    numpy_result = numpy_training(layers, X, y, X_test, y_test, orders, pg.lr, batch_size)
    bare, batches = bare_jax(layers, X, y, orders, np.float32(pg.lr), batch_size) if len(X) % batch_size == 0 \
        else (None, None)
    if bare is not None:
        jax.block_until_ready(bare(layers, batches))
    jax_times, numpy_times, play_times, bare_times = [], [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fit(setup, state, knobs, data, epochs, pg.seed)
        jax.block_until_ready(result.state.params)
        jax_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        numpy_training(layers, X, y, X_test, y_test, orders, pg.lr, batch_size)
        numpy_times.append(time.perf_counter() - t0)
        pg.reset()
        t0 = time.perf_counter()
        for _ in range(50):  # Play's pattern: one epoch per call (the public train(1))
            pg.train(1)
        play_times.append(time.perf_counter() - t0)
        if bare is not None:
            t0 = time.perf_counter()
            jax.block_until_ready(bare(layers, batches))
            bare_times.append(time.perf_counter() - t0)
    Ws, bs, history = numpy_result
    mine = np.stack([ours.history[k] for k in ("train_loss", "test_loss", "train_accuracy", "test_accuracy")], 1)
    param_gap = max(float(np.max(np.abs(np.asarray(W) - Wn))) for (W, _), Wn in zip(ours.state.params.layers, Ws))
    jax_eps = [epochs / t for t in jax_times]
    numpy_eps = [epochs / t for t in numpy_times]
    ratios = [j / n for j, n in zip(jax_eps, numpy_eps)]  # paired: the same moment's load on both
    return {"hidden": list(hidden), "batch_size": batch_size, "train_samples": len(X),
            "steps_per_epoch": -(-len(X) // batch_size), "epochs_per_run": epochs,
            "jax_epochs_per_s": spread(jax_eps), "numpy_epochs_per_s": spread(numpy_eps),
            "ratio_jax_over_numpy": spread(ratios),
            "train_1_epoch_per_call_epochs_per_s": spread([50 / t for t in play_times]),
            "bare_jax_sgd_only_epochs_per_s": spread([epochs / t for t in bare_times]) if bare_times else None,
            "ratio_numpy_with_evaluation_over_bare_sgd": spread([epochs / b / n for b, n in
                                                                 zip(bare_times, numpy_eps)]) if bare_times else None,
            "max_param_difference": param_gap,
            "max_loss_difference": float(np.max(np.abs(mine[:, :2] - history[:, :2]))),
            "max_gradient_size_relative_difference": float(np.max(np.abs(ours.history["gradient_size"] - history[:, 4:])
                                                                  / np.abs(history[:, 4:])))}


def report(results) -> str:
    lines = []
    f = results.get("frame_rate")
    if f:
        s = f["settings"]
        lines += [f"Playground frame rate while playing ({s['dataset']}, hidden {tuple(s['hidden'])}, "
                  f"{s['samples']} points), {len(f['redrawn_fps']['runs'])} runs of {f['seconds_per_run']:.0f} s:",
                  "", "| per second | median | min..max |", "|---|---|---|"]
        for key, name in (("redrawn_fps", "redrawn canvas frames"), ("loss_pixels_changed_fps", "frames with new "
                          "loss-curve pixels"), ("animation_ticks_per_s", "animation frames"),
                          ("epochs_per_s", "epochs trained")):
            v = f[key]
            lines.append(f"| {name} | {v['median']:.1f} | {v['min']:.1f}..{v['max']:.1f} |")
        lines.append("")
    lines += ["Training speed, same network, same batches, same evaluation (epochs/s, medians of "
              f"{RUNS}, min..max):", "",
              "| hidden | batch | steps/epoch | playground (compiled) | NumPy loop | ratio | train(1) per call "
              "| bare jitted SGD, no evaluation (ratio) | max param diff |", "|---|---|---|---|---|---|---|---|---|"]
    for r in results["training"]:
        j, n, q, p = (r[k] for k in ("jax_epochs_per_s", "numpy_epochs_per_s", "ratio_jax_over_numpy",
                                     "train_1_epoch_per_call_epochs_per_s"))
        lines.append(f"| {tuple(r['hidden'])} | {r['batch_size']} | {r['steps_per_epoch']} | {j['median']:.0f} "
                     f"({j['min']:.0f}..{j['max']:.0f}) | {n['median']:.0f} ({n['min']:.0f}..{n['max']:.0f}) | "
                     f"{q['median']:.1f}x ({q['min']:.1f}..{q['max']:.1f}) | {p['median']:.0f} | "
                     + (f"{r['bare_jax_sgd_only_epochs_per_s']['median']:.0f} "
                        f"({r['ratio_numpy_with_evaluation_over_bare_sgd']['median']:.1f}x) | "
                        if r["bare_jax_sgd_only_epochs_per_s"] else "- | ") + f"{r['max_param_difference']:.1e} |")
    return "\n".join(lines)


def main(browser: bool = True) -> dict:
    results = {"device": str(jax.devices()[0]), "nnwidgets": nw.__version__ if hasattr(nw, "__version__") else None}
    if browser and Path(CHROMIUM).exists():
        results["frame_rate"] = frame_rate()
    results["training"] = [training_speed(*row) for row in TRAINING]
    (ROOT / "benchmarks" / "playground_results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(report(results))
    return results




# ---- screenshots for the README -----------------------------------------------------------------------------
SCREENSHOTS = {
    "playground_circle.png": 'pg = nw.Playground(dataset="circle", hidden=(4, 2), noise=0.1, seed=1)\npg.train(100)',
    "playground_digits.png": 'pg = nw.Playground(dataset="digits", hidden=(32,), optimizer="adam", lr=0.003, '
                             'batch_size=32)\npg.train(20)',
}


def screenshots(folder: Path = ROOT / "docs" / "img") -> list:
    """The playground in Voila + Chromium, trained: one PNG of the whole panel per entry of SCREENSHOTS."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, code in SCREENSHOTS.items():
            path = Path(tmp) / name.replace(".png", ".ipynb")
            path.write_text(_notebook(f"import nnwidgets as nw\n{code}\npg.view"))
            with voila(path) as url, chromium_page(CHROMIUM, width=1060, height=900) as page:
                page.goto(url, timeout=120_000)
                page.wait_for_function("() => { const c = document.querySelector('canvas.nnwidgets-canvas');"
                                       " return c && Number(c.dataset.frame) >= 1; }", timeout=120_000)
                page.wait_for_function(f"() => !/^epoch 0/.test(document.querySelector('{STATUS}').innerText)")
                panel = page.locator("canvas.nnwidgets-canvas").locator("xpath=ancestor::div[contains(@class, "
                                                                          "'widget-vbox')][1]")
                panel.screenshot(path=str(folder / name))
                written.append(folder / name)
    return written


if __name__ == "__main__":
    if "--screenshots" in sys.argv:
        print(*screenshots(), sep="\n")
    else:
        main(browser="--no-browser" not in sys.argv)
