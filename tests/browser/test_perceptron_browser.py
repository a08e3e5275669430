"""The perceptron panel in a real Chromium, served by Voila: a key press on w1 changes the table and the pixels."""
from pathlib import Path

import pytest
from harness import chromium_page, open_panel, press_and_time, voila

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def panel_page(chromium_path):
    with voila(HERE / "perceptron_panel.ipynb") as url, chromium_page(chromium_path) as page:
        open_panel(page, url)
        yield page


def test_key_press_on_w1_changes_table_and_pixels(panel_page):
    page = panel_page
    table = page.inner_text(".nnw-truth-table")
    assert "0.5·1 + 0.5·1 − 0.7 = 0.3" in table
    result = press_and_time(page, "nnw-w1", "ArrowRight")
    assert result["after"] != result["before"], "the canvas pixels did not change"
    page.wait_for_function("() => document.querySelector('.nnw-truth-table').innerText.includes('0.55·1')")
    assert "0.55·1 + 0.5·1 − 0.7 = 0.35" in page.inner_text(".nnw-truth-table")
    result = press_and_time(page, "nnw-w1", "ArrowLeft")
    assert result["after"] != result["before"]
    page.wait_for_function("() => document.querySelector('.nnw-truth-table').innerText.includes('0.5·1 + 0.5·1')")


def test_a_wrong_row_is_marked_after_moving_the_bias(panel_page):
    page = panel_page
    for _ in range(11):  # b from -0.7 to -0.15: OR-like, so (1,0) and (0,1) become wrong for AND
        press_and_time(page, "nnw-b", "ArrowRight")
    page.wait_for_function("() => document.querySelector('.nnw-status').innerText.includes('2 of 4 rows wrong')")


def test_no_console_errors_from_our_code(panel_page):
    ours = [e for e in panel_page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
    assert not ours, ours
