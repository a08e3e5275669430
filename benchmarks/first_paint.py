"""First paint: from running a panel's cell in JupyterLab to the first painted frame of its canvas (issue 16).

For every panel, headless Chromium opens a notebook in JupyterLab and runs the panel's cell with Shift+Enter.
The in-page probe stamps ``performance.now()`` at that keydown and ends at the first ``requestAnimationFrame``
in which the cell's ``canvas.nnwidgets-canvas`` has ``data-frame >= 1`` and pixels that are not blank.

- ``warm``: a previous cell ran ``import nnwidgets as nw`` (the kernel is idle when the panel's cell runs);
- ``cold``: a fresh kernel, one cell with the import and the panel (kernel start not included: the probe
  waits until the new kernel is idle before pressing).

Where the time goes (median over the runs): the page's kernel websocket is wrapped to stamp the arrival of the
first ``comm_open``, the ``display_data``/``execute_result`` and the ``execute_reply``, and to count comm_open
messages and the bytes received until the paint. ``reply`` ~ kernel time (building the panel and sending its
widgets); ``paint - reply`` ~ the page (creating the widget views, loading the canvas module, decoding PNGs,
laying out).

    .venv/bin/python benchmarks/first_paint.py --runs 3 [--panels perceptron,softmax] [--modes warm,imported,cold]
        [--compare-cache] [--out /tmp/fp.json]
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import urllib.request
from datetime import datetime
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
from harness import chromium_page, jupyterlab  # noqa: E402

CHROMIUM = os.environ.get("NNW_CHROMIUM", "/usr/bin/chromium")
PANELS = {
    "perceptron": "nw.PerceptronExplorer(gate='AND')",
    "softmax": "nw.SoftmaxCalculator(logits=[1.5, 3.7], target=1, labels=['cat', 'dog'])",
    "backprop": "nw.BackpropStepper.preset('sigmoid_neuron')",
    "optimizer": "nw.OptimizerRace(surface='dlfs', start=(-7.0, 2.0), steps=30)",
    "conv": "nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3, stride=1)",
    "playground": "nw.Playground(dataset='circle', hidden=(4, 2), samples=200, seed=3)",
}

# Installed before JupyterLab's code runs: counts and stamps the kernel messages the page receives.
SOCKET_JS = """
(() => {
  const log = window.__nnwSocket = {events: [], bytes: 0};
  const types = /"msg_type":\\s*"(execute_input|comm_open|comm_msg|display_data|execute_result|execute_reply|error)"/;
  const dates = /"date":\\s*"([^"]+)"/;
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', (event) => {
      const t = performance.now();
      let size = 0, head = '';
      if (typeof event.data === 'string') { size = event.data.length; head = event.data.slice(0, 4000); }
      else { size = event.data.byteLength;
             head = new TextDecoder().decode(new Uint8Array(event.data, 0, Math.min(size, 4000))); }
      log.bytes += size;
      const m = types.exec(head);
      const d = dates.exec(head);
      if (m) log.events.push([m[1], t, size, d ? d[1] : null]);
    });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();
"""

# Arm the probe on the panel's cell (index ``cell``): keydown stamp, then a rAF loop until a painted canvas.
PROBE_JS = """
(cell) => {
  const probe = window.__nnwPaint = {t0: 0, t1: 0, widgets: 0};
  const log = window.__nnwSocket;
  const blank = (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4 * 97) if (d[i] !== 0) return false;
    return true;
  };
  const tick = () => {
    const cells = document.querySelectorAll('.jp-Notebook .jp-Cell');
    const c = cells[cell] && cells[cell].querySelector('canvas.nnwidgets-canvas');
    if (c && Number(c.dataset.frame) >= 1 && c.width > 0 && !blank(c)) {
      probe.t1 = performance.now();
      probe.widgets = cells[cell].querySelectorAll('.jupyter-widgets').length;
      probe.bytes = log.bytes - probe.bytes0;
      return;
    }
    requestAnimationFrame(tick);
  };
  document.addEventListener('keydown', (e) => {
    if (!probe.t0 && e.key === 'Enter') {
      probe.t0 = performance.now(); probe.bytes0 = log.bytes; log.events.length = 0; requestAnimationFrame(tick);
    }
  }, {capture: true});
}
"""


def write_notebooks(folder: Path, panel: str) -> None:
    """``warm``: import cell, panel cell; ``imported``: the import cell also imports the panel's module (what a
    background import at ``import nnwidgets`` could give); ``cold``: one cell with both."""
    code = PANELS[panel]
    first = {"warm": "import nnwidgets as nw", "imported": f"import nnwidgets as nw\nnw.{code[3:].split('(')[0]}"}
    notebooks = {mode: [cell, code] for mode, cell in first.items()}
    notebooks["cold"] = [f"import nnwidgets as nw\n{code}"]
    for mode, cells in notebooks.items():
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / f"{panel}_{mode}.ipynb")


def shut_down_kernels(url: str) -> None:
    """Stop every kernel of the server (each measurement starts a fresh one)."""
    for kernel in json.loads(urllib.request.urlopen(f"{url}api/kernels", timeout=30).read()):
        urllib.request.urlopen(urllib.request.Request(f"{url}api/kernels/{kernel['id']}", method="DELETE"),
                               timeout=30).read()


def wait_idle(page) -> None:
    page.wait_for_function("() => { const s = document.querySelector('.jp-Notebook-ExecutionIndicator');"
                           " return /Idle/.test(document.body.innerText) && (!s || !s.dataset.status"
                           " || s.dataset.status === 'idle'); }", timeout=180_000)
    page.wait_for_timeout(500)


def run_cell(page, index: int) -> None:
    page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-InputArea-editor").click()
    page.keyboard.press("Escape")  # command mode: Shift+Enter runs the cell, types nothing
    page.keyboard.press("Shift+Enter")


def measure(page, url: str, panel: str, mode: str) -> dict:
    """One first paint: fresh kernel, (warm, imported: run the import cell first), then the panel's cell."""
    shut_down_kernels(url)
    page.goto(f"{url}lab/tree/{panel}_{mode}.ipynb?reset", timeout=180_000)
    page.wait_for_selector(".jp-Notebook .jp-Cell .jp-InputPrompt", timeout=180_000)
    wait_idle(page)
    cell = 0
    if mode != "cold":
        run_cell(page, 0)
        page.wait_for_function("() => document.querySelectorAll('.jp-InputPrompt')[0].innerText.includes('[1]')",
                               timeout=180_000)
        wait_idle(page)
        cell = 1
    page.evaluate(PROBE_JS, cell)
    run_cell(page, cell)
    page.wait_for_function("() => window.__nnwPaint.t1 > 0", timeout=180_000)
    page.wait_for_function("() => window.__nnwSocket.events.some(e => e[0] === 'execute_reply')", timeout=180_000)
    probe = page.evaluate("() => ({...window.__nnwPaint, origin: performance.timeOrigin,"
                          " events: window.__nnwSocket.events})")
    return timings(probe)


def timings(probe: dict) -> dict:
    """Seconds from the keydown: when the page got each kind of message first (``*_s``), when the kernel sent
    it (``kernel_*_s``, from the message header's date; same machine, same clock), counts and sizes."""
    t0, events = probe["t0"], probe["events"]
    epoch0 = (probe["origin"] + t0) / 1000

    def first(kind, kernel=False):
        for k, t, _, date in events:
            if k in kind:
                if kernel:
                    return round(datetime.fromisoformat(date.replace("Z", "+00:00")).timestamp() - epoch0, 3)
                return round((t - t0) / 1000, 3)
        return None

    shown = ("display_data", "execute_result")
    return {"paint_s": round((probe["t1"] - t0) / 1000, 3),
            "kernel_start_s": first(("execute_input",), kernel=True),
            "kernel_first_comm_s": first(("comm_open",), kernel=True),
            "kernel_display_s": first(shown, kernel=True), "kernel_reply_s": first(("execute_reply",), kernel=True),
            "first_comm_open_s": first(("comm_open",)), "display_s": first(shown), "reply_s": first(("execute_reply",)),
            "comm_opens": sum(1 for k, *_ in events if k == "comm_open"),
            "comm_msgs": sum(1 for k, *_ in events if k == "comm_msg"),
            "bytes": probe["bytes"], "widget_views": probe["widgets"]}


def median_of(runs: list[dict]) -> dict:
    out = {}
    for key in runs[0]:
        values = [r[key] for r in runs if r[key] is not None]
        out[key] = statistics.median(values) if values else None
    out["paint_all_s"] = [r["paint_s"] for r in runs]
    return out


@contextlib.contextmanager
def servers(folder: Path, compare_cache: bool):
    """``{"": url}``; with ``compare_cache`` also ``{"nocache": url}``, a JupyterLab whose kernels run with
    ``NNWIDGETS_COMPILE_CACHE=off`` (no JAX compilation cache)."""
    with contextlib.ExitStack() as stack:
        found = {"": stack.enter_context(jupyterlab(folder))}
        if compare_cache:
            os.environ["NNWIDGETS_COMPILE_CACHE"] = "off"
            try:
                found["nocache"] = stack.enter_context(jupyterlab(folder))
            finally:
                del os.environ["NNWIDGETS_COMPILE_CACHE"]
        yield found


def print_table(results: dict, runs: int) -> None:
    print(f"\nfirst paint in JupyterLab, median of {runs}, seconds from Shift+Enter; k.* = sent by the kernel,"
          " p.* = arrived in the page")
    print(f"{'panel':<11} {'mode':<16} {'paint':>6} {'k.start':>7} {'k.comm1':>7} {'k.disp':>6} {'p.disp':>6}"
          f" {'p.reply':>7} {'opens':>5} {'msgs':>5} {'KB':>5} {'views':>5}  runs")
    for panel, by_mode in results.items():
        for mode, r in by_mode.items():
            cells = [r[k] if r[k] is not None else float("nan") for k in
                     ("paint_s", "kernel_start_s", "kernel_first_comm_s", "kernel_display_s", "display_s", "reply_s")]
            print(f"{panel:<11} {mode:<16} {cells[0]:>6.2f} {cells[1]:>7.2f} {cells[2]:>7.2f} {cells[3]:>6.2f}"
                  f" {cells[4]:>6.2f} {cells[5]:>7.2f} {r['comm_opens']:>5.0f} {r['comm_msgs']:>5.0f}"
                  f" {r['bytes'] / 1024:>5.0f} {r['widget_views']:>5.0f}  {r['paint_all_s']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--panels", default=",".join(PANELS))
    parser.add_argument("--modes", default="warm,cold", help="any of warm, imported, cold")
    parser.add_argument("--compare-cache", action="store_true",
                        help="also measure with NNWIDGETS_COMPILE_CACHE=off, interleaved (mode suffix -nocache)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    panels, modes = args.panels.split(","), args.modes.split(",")
    with tempfile.TemporaryDirectory(prefix="nnw-first-paint-") as tmp:
        folder = Path(tmp)
        for panel in panels:
            write_notebooks(folder, panel)
        with chromium_page(CHROMIUM, width=1400, height=1100) as page, servers(folder, args.compare_cache) as urls:
            page.add_init_script(SOCKET_JS)
            runs: dict = {}
            for _ in range(args.runs):  # interleaved, so a load change on a shared machine hits every case
                for panel in panels:
                    for mode in modes:
                        for variant, url in urls.items():
                            key = f"{mode}-{variant}" if variant else mode
                            runs.setdefault((panel, key), []).append(measure(page, url, panel, mode))
                            print(panel, key, runs[panel, key][-1], flush=True)
            for url in urls.values():
                shut_down_kernels(url)
    results: dict = {}
    for (panel, key), values in runs.items():
        results.setdefault(panel, {})[key] = median_of(values)
    print_table(results, args.runs)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
