"""Key press to painted frame, with and without TCP_NODELAY on the kernel websocket (nnwidgets.server).

For each server (Voila, JupyterLab) and each mode (``on``: nnwidgets installed as shipped; ``off``: the server
extension disabled through a user config dir and Voila's connection class put back by a voila.json beside the
notebook), a headless Chromium presses arrow keys on two widgets that go through the kernel:
``bare``: an ipywidgets IntSlider whose observer sets a Label (no nnwidgets code at all), and ``panel``:
nnwidgets' PerceptronExplorer (slider w1 -> canvas). The in-page probe stamps the keydown, then checks at every
``requestAnimationFrame`` whether the Label's text / the canvas pixels changed and stamps that frame. ``paced``
waits a jittered 150-350 ms between presses (so it does not lock onto the 16.7 ms frame clock); ``back_to_back``
presses again as soon as the previous change was painted. Prints a table and writes JSON (``--out``).

    .venv/bin/python benchmarks/nodelay_probe.py --presses 40 --out /tmp/nodelay.json
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
            latencies.append(latency)
    return {"p50_ms": round(statistics.median(latencies), 1), "p95_ms": round(float(np.percentile(latencies, 95)), 1),
            "presses": len(latencies), "missed": missed}


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
    parser.add_argument("--servers", nargs="+", default=["voila", "lab"], choices=["voila", "lab"])
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    rng = random.Random(0)
    results: dict = {}
    for server in args.servers:
        for nodelay in ("off", "on"):
            with tempfile.TemporaryDirectory() as tmp, mode(nodelay, Path(tmp)):
                folder = Path(tmp)
                for name, widget in WIDGETS.items():
                    write_notebook(folder / f"{name}.ipynb", widget["code"])
                if server == "voila":
                    for name, widget in WIDGETS.items():
                        results[f"{server}/{name}/nodelay_{nodelay}"] = run_voila(folder, name, widget,
                                                                                   args.presses, rng)
                        print(server, name, nodelay, results[f"{server}/{name}/nodelay_{nodelay}"], flush=True)
                else:
                    with jupyterlab(folder) as url:
                        for name, widget in WIDGETS.items():
                            results[f"{server}/{name}/nodelay_{nodelay}"] = run_lab(url, name, widget,
                                                                                     args.presses, rng)
                            print(server, name, nodelay, results[f"{server}/{name}/nodelay_{nodelay}"], flush=True)
    print(f"\n{'case':34} {'paced p50/p95 ms':>18} {'back-to-back p50/p95 ms':>24}")
    for case, r in results.items():
        print(f"{case:34} {r['paced']['p50_ms']:>8}/{r['paced']['p95_ms']:<9} "
              f"{r['back_to_back']['p50_ms']:>11}/{r['back_to_back']['p95_ms']:<12}")
    if args.out:
        args.out.write_text(json.dumps({"presses": args.presses, "cpu_count": os.cpu_count(), "results": results},
                                       indent=2))


if __name__ == "__main__":
    main()
