"""Voila on 127.0.0.1 + Debian Chromium driven by Python Playwright (used by tests and benchmarks)."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

# In-page probe: time from a key press to the next redraw of a panel canvas, and a checksum of its pixels
# (taken after the time stamp: summing a large canvas takes several ms that are not the panel's).
PROBE_JS = """
(selector) => {
  const canvas = document.querySelector(selector);
  const probe = window.__nnw = {t0: 0, t1: 0, frame: canvas.dataset.frame};
  probe.checksum = () => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 7) sum = (sum * 31 + data[i]) % 1000000007;
    return sum;
  };
  document.addEventListener('keydown', () => { if (!probe.t0) probe.t0 = performance.now(); }, true);
  new MutationObserver(() => {
    if (probe.t0 && !probe.t1) { probe.t1 = performance.now(); probe.sum = probe.checksum(); }
  }).observe(canvas, {attributes: true, attributeFilter: ['data-frame']});
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def voila(notebook: Path, timeout: float = 90):
    """Serve ``notebook`` with Voila on 127.0.0.1; yields the page URL."""
    with _server(["voila", notebook.name, "--no-browser", "--Voila.ip=127.0.0.1", "--show_tracebacks=True",
                  "--Voila.connection_dir_root={runtime}"],
                 notebook.parent, timeout) as url:
        yield url


@contextlib.contextmanager
def jupyterlab(root: Path, timeout: float = 90):
    """Run JupyterLab on 127.0.0.1 without a token, rooted at ``root``; yields the server URL."""
    args = ["jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", "--ServerApp.token=", "--ServerApp.password=",
            f"--ServerApp.root_dir={root}", "--ServerApp.disable_check_xsrf=True",
            "--LabApp.news_url=", "--LabApp.check_for_updates_class="
            "jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    with _server(args, root, timeout) as url:
        yield url


#: server URL -> its Jupyter runtime folder (the kernels' connection files), for ``kernel_run``
RUNTIME_DIRS: dict[str, Path] = {}


@contextlib.contextmanager
def _server(args: list[str], cwd: Path, timeout: float):
    port = free_port()
    tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    log = open(tmp / f"nnw-server-{port}.log", "w+")
    runtime = Path(tempfile.mkdtemp(prefix=f"nnw-runtime-{port}-", dir=tmp))
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)}
    args = [arg.replace("{runtime}", str(runtime)) for arg in args]
    process = subprocess.Popen([sys.executable, "-m", *args, f"--port={port}"], cwd=cwd, stdout=log,
                               stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    RUNTIME_DIRS[url] = runtime
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:  # a TCP connection is enough: a GET of a Voila page would start a kernel
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                break
            except OSError as err:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"{args[0]} did not start on {url}:\n{log.read()[-3000:]}") from err
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        RUNTIME_DIRS.pop(url, None)
        shutil.rmtree(runtime, ignore_errors=True)


@contextlib.contextmanager
def chromium_page(executable: str, width: int = 1300, height: int = 1000):
    """A headless Chromium page; ``page.nnw_console`` collects console errors and page errors."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        page.nnw_console = errors
        try:
            yield page
        finally:
            browser.close()


def open_panel(page, url: str, slider_class: str = "nnw-w1", timeout_ms: int = 120_000):
    """Load the Voila page and wait until the panel's canvas has drawn its background and marks."""
    page.goto(url, timeout=timeout_ms)
    page.wait_for_selector(f".{slider_class} .noUi-handle", timeout=timeout_ms)
    page.wait_for_function("() => { const c = document.querySelector('canvas.nnwidgets-canvas');"
                           " return c && Number(c.dataset.frame) >= 1; }", timeout=timeout_ms)


def press_and_time(page, slider_class: str, key: str, timeout_ms: int = 10_000) -> dict:
    """Press ``key`` on a focused slider handle; returns latency (ms) to the canvas redraw and checksums."""
    page.evaluate(PROBE_JS, "canvas.nnwidgets-canvas")
    before = page.evaluate("() => window.__nnw.checksum()")
    page.focus(f".{slider_class} .noUi-handle")
    page.keyboard.press(key)
    page.wait_for_function("() => window.__nnw.t1 > 0", timeout=timeout_ms)
    probe = page.evaluate("() => ({t0: window.__nnw.t0, t1: window.__nnw.t1, sum: window.__nnw.sum})")
    return {"latency_ms": probe["t1"] - probe["t0"], "before": before, "after": probe["sum"]}


def kernel_state_when(page, condition: str) -> dict:
    """The panel's ``to_dict()`` as the kernel last sent it (the fixture notebooks print it into
    ``.nnw-kernel-state``), once the JavaScript ``condition`` on it (``s``) holds."""
    page.wait_for_function("() => { const e = document.querySelector('.nnw-kernel-state');"
                           " if (!e || !e.innerText) return false; const s = JSON.parse(e.innerText);"
                           f" return {condition}; }}", timeout=10_000)
    return json.loads(page.inner_text(".nnw-kernel-state"))


def kernel_state(page, expected_part: dict) -> dict:
    """``kernel_state_when`` the kernel's state holds every key of ``expected_part`` with that value."""
    check = " && ".join(f"s[{json.dumps(k)}] !== undefined && JSON.stringify(s[{json.dumps(k)}]) === "
                        f"{json.dumps(json.dumps(v, separators=(',', ':')))}" for k, v in expected_part.items())
    return kernel_state_when(page, check)


def kernel_run(url: str, code: str, timeout: float = 120) -> str:
    """Run ``code`` in the one kernel the server at ``url`` runs (as a second client, beside the page);
    returns what it printed. Reading the kernel this way needs nothing from the page under test."""
    from jupyter_client import BlockingKernelClient

    files = sorted(RUNTIME_DIRS[url].rglob("kernel-*.json"))
    if len(files) != 1:
        raise AssertionError(f"expected one kernel behind {url}, found {[f.name for f in files]}")
    client = BlockingKernelClient()
    client.load_connection_file(str(files[0]))
    client.start_channels()
    try:
        printed: list[str] = []
        reply = client.execute_interactive(code, timeout=timeout, allow_stdin=False,
                                           output_hook=lambda msg: _collect(msg, printed))
        if reply["content"]["status"] != "ok":
            raise AssertionError(f"kernel code failed: {reply['content'].get('evalue')}\n{''.join(printed)}")
        return "".join(printed)
    finally:
        client.stop_channels()


def _collect(msg: dict, printed: list[str]) -> None:
    if msg["msg_type"] == "stream":
        printed.append(msg["content"]["text"])
    elif msg["msg_type"] == "error":
        printed.append("\n".join(msg["content"]["traceback"]))


#: kernel code printing ``to_dict()`` of every live panel, oldest first, as one JSON line
#: (a panel built from a Python function cannot be saved by ``to_dict``: its settings are read all the same)
PANEL_STATES_CODE = ("import json as _j; from nnwidgets.panels._state import PanelState as _PS, live_panels as _lp\n"
                     "print(_j.dumps([[type(_p).__name__, _PS.to_dict(_p)] for _p in _lp()]))")


def panel_states(url: str) -> list:
    """``[[class name, to_dict()], ...]`` for every panel alive in the kernel behind ``url``."""
    return json.loads(kernel_run(url, PANEL_STATES_CODE).strip().splitlines()[-1])


#: kernel code printing, for every control wired with ``bind`` in a live panel (key: its ``nnw-bind-N`` class),
#: the setting, the state's value as the control should show it, and what the kernel's widget holds
CONTROLS_CODE = """
import json as _j
from nnwidgets.panels._controls import bound_controls as _bc
from nnwidgets.panels._state import jsonable as _js, live_panels as _lp
_out = {}
for _p in _lp():
    for _w, _s, _n, _shown, _k in _bc(_p.view):
        _v = getattr(_s, _n)
        _out[f"nnw-bind-{_k}"] = {"setting": _n, "state": _js(_v), "expected": _js(_shown(_v)),
                                  "value": _js(_w.value), "label": getattr(_w, "label", None),
                                  "kind": type(_w).__name__}
print(_j.dumps(_out))
"""


def kernel_controls(url: str) -> dict:
    """``{"nnw-bind-N": {setting, state, expected, value, label, kind}}`` for every bound control in the kernel."""
    return json.loads(kernel_run(url, CONTROLS_CODE).strip().splitlines()[-1])


#: page code: what every bound control shows (slider readout, box ticked, option chosen, button down, text)
PAGE_CONTROLS_JS = """
() => Object.fromEntries([...document.querySelectorAll('[class*="nnw-bind-"]')].map(el => {
  const key = [...el.classList].find(c => c.startsWith('nnw-bind-'));
  const q = s => el.querySelector(s);
  const select = q('select');
  return [key, {
    tag: el.tagName, classes: el.className,
    readout: q('.widget-readout') ? q('.widget-readout').textContent : null,
    checked: q('input[type=checkbox]') ? q('input[type=checkbox]').checked : null,
    selected: select ? (select.multiple ? [...select.selectedOptions].map(o => o.text)
                        : (select.selectedIndex >= 0 ? select.options[select.selectedIndex].text : '')) : null,
    active: el.tagName === 'BUTTON' ? el.classList.contains('mod-active')
            : (q('button.mod-active') ? q('button.mod-active').textContent : null),
    text: q('input[type=text], textarea') ? q('input[type=text], textarea').value : null,
    visible: el.offsetParent !== null && el.getBoundingClientRect().width > 0,
    disabled: el.classList.contains('mod-disabled') || !!q('[disabled]') || el.hasAttribute('disabled'),
  }];
}))
"""


#: page code: visible texts cut by their box (a label or readout that scrolls, a button whose text is wider
#: than its inside: Chromium reports a button's scrollWidth as its clientWidth, so its text is measured)
CLIPPED_TEXT_JS = """
() => [...document.querySelectorAll('label, .widget-label, .widget-readout, button, .lm-TabBar-tabLabel,'
                                    + ' .widget-html-content, td, th')]
  .filter(el => el.offsetParent !== null && el.innerText && el.innerText.trim())
  .map(el => { const r = document.createRange(); r.selectNodeContents(el);
               const cs = getComputedStyle(el);
               const inside = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
               return {text: el.innerText.trim().slice(0, 60), width: r.getBoundingClientRect().width, inside,
                       scroll: el.scrollWidth, client: el.clientWidth, button: el.tagName === 'BUTTON'}; })
  .filter(e => e.scroll > e.client + 1 || (e.button && e.width > e.inside + 1))
"""


# In-page probe for the painted frame: at the key press (t0) it starts a requestAnimationFrame loop; the first
# callback whose canvas pixels differ from the checksum taken before the press stamps t2 (at the callback's start:
# the checksum's own cost is not counted). A frame drawn before that callback is shown in that frame. The draw-call
# stamp (t1: ``data-frame`` changed) is kept as well. Installed once per page; ``arm()`` readies it for one press.
PAINT_PROBE_JS = """
(selector) => {
  if (!window.__nnwPaint) {
    const canvas = document.querySelector(selector);
    const p = window.__nnwPaint = {};
    p.checksum = () => {
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0;
      for (let i = 0; i < data.length; i += 7) sum = (sum * 31 + data[i]) % 1000000007;
      return sum;
    };
    p.arm = () => { p.t0 = 0; p.t1 = 0; p.t2 = 0; p.after = null; p.before = p.checksum(); p.armed = true; };
    // Pixels change only in a draw call, which bumps data-frame: the frames are checked from that moment on, one
    // checksum per frame (a checksum reads the whole canvas back: doing it on every frame from the key press
    // kept the page's main thread busy and slowed the very update being timed, by up to 100 ms on a big canvas).
    const tick = (now) => {
      const sum = p.checksum();
      if (sum !== p.before) { p.t2 = now; p.after = sum; p.armed = false; return; }
      if (performance.now() - p.t0 < 30000) requestAnimationFrame(tick);
    };
    document.addEventListener('keydown', () => { if (p.armed && !p.t0) p.t0 = performance.now(); }, true);
    new MutationObserver(() => {
      if (p.t0 && !p.t1) { p.t1 = performance.now(); requestAnimationFrame(tick); }
    }).observe(canvas, {attributes: true, attributeFilter: ['data-frame']});
  }
  window.__nnwPaint.arm();
}
"""


def press_and_time_paint(page, slider_class: str, key: str, timeout_ms: int = 10_000) -> dict:
    """Press ``key`` on a slider handle; returns ``draw_ms`` (key down to the canvas draw call returning) and
    ``paint_ms`` (key down to the first animation frame whose canvas pixels differ from before the press)."""
    page.focus(f".{slider_class} .noUi-handle")
    page.evaluate(PAINT_PROBE_JS, "canvas.nnwidgets-canvas")
    page.keyboard.press(key)
    page.wait_for_function("() => window.__nnwPaint.t2 > 0 && window.__nnwPaint.t1 > 0", timeout=timeout_ms)
    p = page.evaluate("() => ({t0: window.__nnwPaint.t0, t1: window.__nnwPaint.t1, t2: window.__nnwPaint.t2,"
                      " before: window.__nnwPaint.before, after: window.__nnwPaint.after})")
    return {"draw_ms": p["t1"] - p["t0"], "paint_ms": p["t2"] - p["t0"], "before": p["before"], "after": p["after"]}


# In-page probe for the first paint of a panel in JupyterLab: ``arm(cell)`` waits for the next key down (the
# Shift+Enter that runs the cell: t0), then checks every animation frame for the first canvas.nnwidgets-canvas in
# that cell's output with data-frame >= 1 and any non-transparent pixel (t2, stamped at the callback's start).
FIRST_PAINT_PROBE_JS = """
(cellIndex) => {
  const p = window.__nnwFirst = {t0: 0, t2: 0};
  const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[cellIndex];
  const painted = () => {
    const canvas = cell.querySelector('canvas.nnwidgets-canvas');
    if (!canvas || !(Number(canvas.dataset.frame) >= 1) || !canvas.width || !canvas.height) return false;
    const pixels = new Uint32Array(canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data.buffer);
    for (let i = 0; i < pixels.length; i++) if (pixels[i] !== 0) return true;
    return false;
  };
  const tick = () => {
    const now = performance.now();
    if (painted()) { p.t2 = now; return; }
    if (now - p.t0 < 300000) requestAnimationFrame(tick);
  };
  const onKey = (event) => {
    if (event.key !== 'Enter') return;
    document.removeEventListener('keydown', onKey, true);
    p.t0 = performance.now();
    requestAnimationFrame(tick);
  };
  document.addEventListener('keydown', onKey, true);
}
"""


def open_lab_notebook(page, url: str, name: str, timeout_ms: int = 120_000) -> None:
    """Open notebook ``name`` alone in JupyterLab (``?reset``: a fresh workspace) and wait for its kernel to be idle."""
    page.goto(f"{url}lab/tree/{name}?reset", timeout=timeout_ms)
    page.wait_for_selector(".jp-Notebook .jp-Cell .jp-InputPrompt", timeout=timeout_ms)
    page.wait_for_function("() => /Idle/.test(document.body.innerText)", timeout=timeout_ms)


def run_lab_cell(page, index: int, timeout_ms: int = 300_000) -> None:
    """Run cell ``index`` with Shift+Enter and wait until it has finished (its prompt shows a number, kernel idle)."""
    page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("(i) => { const c = document.querySelectorAll('.jp-Notebook .jp-Cell')[i];"
                           " return /\\[\\d+\\]/.test(c.querySelector('.jp-InputPrompt').innerText)"
                           " && /Idle/.test(document.body.innerText); }", arg=index, timeout=timeout_ms)


def first_paint_s(page, index: int, timeout_ms: int = 300_000) -> float:
    """Seconds from Shift+Enter on cell ``index`` to the first animation frame with its panel's canvas painted."""
    page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-InputArea-editor").click()
    page.evaluate(FIRST_PAINT_PROBE_JS, index)
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("() => window.__nnwFirst.t2 > 0", timeout=timeout_ms)
    return page.evaluate("() => (window.__nnwFirst.t2 - window.__nnwFirst.t0) / 1000")


def shut_down_lab_kernels(page, url: str) -> None:
    """Delete every kernel of the server (the next notebook opened starts a fresh one)."""
    page.evaluate("async (url) => { const ks = await (await fetch(url + 'api/kernels')).json();"
                  " for (const k of ks) await fetch(url + 'api/kernels/' + k.id, {method: 'DELETE'}); }", url)
