"""The optimizer race in a real Chromium via Voila: moving SGD's lr slider moves its path and its leaderboard row."""
from pathlib import Path

import pytest
from harness import chromium_page, open_panel, press_and_time, voila

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent
BOARD = ".nnw-leaderboard"
SGD_ROW = f"() => [...document.querySelectorAll('{BOARD} tr')].find(r => r.innerText.includes('SGD')).innerText"


def test_moving_an_lr_slider_moves_the_path(chromium_path):
    with voila(HERE / "optimizer_panel.ipynb") as url, chromium_page(chromium_path) as page:
        open_panel(page, url, slider_class="nnw-lr-sgd")
        row = page.evaluate(SGD_ROW)
        assert "(−0.350393, 0.0847822)" in row  # the book's final point for SGD, lr 0.95
        result = press_and_time(page, "nnw-lr-sgd", "ArrowLeft")  # lr 0.95 -> 0.95 / 10^0.05
        assert result["after"] != result["before"], "the canvas pixels did not change"
        page.wait_for_function(f"() => !({SGD_ROW})().includes('(−0.350393, 0.0847822)')")
        assert "0.847" in page.inner_text(".nnw-lr-sgd")  # the slider's readout: 0.95 / 10^0.05
        ours = [e for e in page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
        assert not ours, ours
