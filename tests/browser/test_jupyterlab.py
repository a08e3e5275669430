"""The panel in real JupyterLab (what `make lab` opens): run the cell, press a key on w1, see it redraw."""
import shutil
from pathlib import Path

import pytest
from harness import chromium_page, jupyterlab, press_and_time

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent


def test_panel_renders_and_responds_in_jupyterlab(chromium_path, tmp_path):
    shutil.copy(HERE / "perceptron_panel.ipynb", tmp_path)  # JupyterLab may save the notebook it runs
    with jupyterlab(tmp_path) as url, chromium_page(chromium_path) as page:
        page.goto(url + "lab/tree/perceptron_panel.ipynb", timeout=120_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell .cm-content", timeout=120_000)
        run_first_cell(page)
        page.wait_for_selector(".nnw-w1 .noUi-handle", timeout=120_000)
        page.wait_for_function("() => { const c = document.querySelector('canvas.nnwidgets-canvas');"
                               " return c && Number(c.dataset.frame) >= 1; }", timeout=60_000)
        assert "0.5·1 + 0.5·1 − 0.7 = 0.3" in page.inner_text(".nnw-truth-table")
        result = press_and_time(page, "nnw-w1", "ArrowLeft")
        assert result["after"] != result["before"]
        page.wait_for_function("() => document.querySelector('.nnw-truth-table').innerText.includes('0.45·1')")
        ours = [e for e in page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
        assert not ours, ours


def run_first_cell(page, attempts=20):
    """Shift+Enter on the first cell until its prompt shows it ran ([*] or [1]).

    JupyterLab drops an execution sent before the kernel connection is ready, so retry.
    """
    prompt = ".jp-Notebook .jp-Cell:first-child .jp-InputPrompt"
    for _ in range(attempts):
        page.click(".jp-Notebook .jp-Cell:first-child .cm-content")
        page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_function(f"() => /\\[(\\*|\\d+)\\]/.test(document.querySelector('{prompt}').innerText)",
                                   timeout=3_000)
            return
        except Exception:  # noqa: BLE001 - not yet connected: try again
            continue
    raise AssertionError("JupyterLab never ran the cell")
