"""The perceptron panel in a real Chromium, served by Voila: a key press on w1 changes the table and the pixels.

After every action the kernel's ``to_dict()`` (shown by the fixture in ``.nnw-saved``) must equal what the same
actions give headless: displaying the panel, or opening a tab, never changes its state.
"""
import json
from pathlib import Path

import pytest
from harness import chromium_page, open_panel, press_and_time, voila

import nnwidgets as nw

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def panel_page(chromium_path):
    with voila(HERE / "perceptron_panel.ipynb") as url, chromium_page(chromium_path) as page:
        open_panel(page, url)
        yield page


@pytest.fixture(scope="module")
def headless():
    """The same panel driven from Python: each test applies the browser's actions to it as well."""
    return nw.PerceptronExplorer(gate="AND")


def assert_kernel_state(page, panel, timeout_ms=20_000):
    """Wait until the kernel's saved state equals ``panel.to_dict()``; on a timeout show both."""
    expected = json.dumps(panel.to_dict(), sort_keys=True)
    try:
        page.wait_for_function("(s) => { const e = document.querySelector('.nnw-saved');"
                               " return e && e.textContent === s; }", arg=expected, timeout=timeout_ms)
    except Exception:  # noqa: BLE001 - report the difference instead of a bare timeout
        got = page.text_content(".nnw-saved")
        raise AssertionError(f"kernel state differs from headless:\n{got}\n{expected}") from None


def test_displaying_the_panel_leaves_its_state_as_headless(panel_page, headless):
    assert_kernel_state(panel_page, headless)


def test_key_press_on_w1_changes_table_and_pixels(panel_page, headless):
    page = panel_page
    table = page.inner_text(".nnw-truth-table")
    assert "0.5·1 + 0.5·1 − 0.7 = 0.3" in table
    result = press_and_time(page, "nnw-w1", "ArrowRight")
    assert result["after"] != result["before"], "the canvas pixels did not change"
    page.wait_for_function("() => document.querySelector('.nnw-truth-table').innerText.includes('0.55·1')")
    assert "0.55·1 + 0.5·1 − 0.7 = 0.35" in page.inner_text(".nnw-truth-table")
    headless.w1 = 0.55
    assert_kernel_state(page, headless)
    result = press_and_time(page, "nnw-w1", "ArrowLeft")
    assert result["after"] != result["before"]
    page.wait_for_function("() => document.querySelector('.nnw-truth-table').innerText.includes('0.5·1 + 0.5·1')")
    headless.w1 = 0.5
    assert_kernel_state(page, headless)


def test_a_wrong_row_is_marked_after_moving_the_bias(panel_page, headless):
    page = panel_page
    for _ in range(11):  # b from -0.7 to -0.15: OR-like, so (1,0) and (0,1) become wrong for AND
        press_and_time(page, "nnw-b", "ArrowRight")
    page.wait_for_function("() => document.querySelector('.nnw-status').innerText.includes('2 of 4 rows wrong')")
    headless.b = -0.15
    assert_kernel_state(page, headless)


@pytest.mark.parametrize("tab, title, slider", [("learn", "Learn", "nnw-epoch"),
                                                ("stack", "Two layers (XOR)", "nnw-y-b"),
                                                ("mlp", "Train an MLP", "nnw-mlp-epoch")])
def test_opening_a_tab_shows_it_and_changes_nothing_else(panel_page, headless, tab, title, slider):
    page = panel_page
    page.click(f".lm-TabBar-tabLabel:text-is('{title}')")
    page.wait_for_selector(f".{slider} .noUi-handle", timeout=60_000)
    headless.open_tab(tab)
    assert_kernel_state(page, headless, timeout_ms=60_000)


def test_no_console_errors_from_our_code(panel_page):
    ours = [e for e in panel_page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
    assert not ours, ours
