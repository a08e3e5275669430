"""The optimizer race in a real Chromium via Voila: moving SGD's lr slider moves its path and its leaderboard row,
the learning-rate tab opens, and after every action the kernel's saved state (``to_dict``) is what the page shows."""
from pathlib import Path

import pytest
from harness import chromium_page, kernel_state_when, open_panel, press_and_time, voila

import nnwidgets as nw

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent
BOARD = ".nnw-leaderboard"
SGD_ROW = f"() => [...document.querySelectorAll('{BOARD} tr')].find(r => r.innerText.includes('SGD')).innerText"




def test_moving_an_lr_slider_moves_the_path(chromium_path):
    headless = nw.OptimizerRace(surface="dlfs", start=(-7.0, 2.0), steps=30).to_dict()
    with voila(HERE / "optimizer_panel.ipynb") as url, chromium_page(chromium_path) as page:
        open_panel(page, url, slider_class="nnw-lr-sgd")
        row = page.evaluate(SGD_ROW)
        assert "(−0.350393, 0.0847822)" in row  # the book's final point for SGD, lr 0.95
        assert kernel_state_when(page, "s.tab === 'race'") == headless  # showing the page changed nothing
        result = press_and_time(page, "nnw-lr-sgd", "ArrowLeft")  # lr 0.95 -> 0.95 / 10^0.05
        assert result["after"] != result["before"], "the canvas pixels did not change"
        page.wait_for_function(f"() => !({SGD_ROW})().includes('(−0.350393, 0.0847822)')")
        assert "0.847" in page.inner_text(".nnw-lr-sgd")  # the slider's readout: 0.95 / 10^0.05
        saved = kernel_state_when(page, "s.optimizers.SGD.lr < 0.9")
        assert saved["optimizers"]["SGD"]["lr"] == pytest.approx(0.95 / 10 ** 0.05, rel=1e-9)
        assert {k: v for k, v in saved.items() if k != "optimizers"} == {
            k: v for k, v in headless.items() if k != "optimizers"}
        page.locator(".lm-TabBar-tab", has_text="learning rate").click()
        page.wait_for_selector(".nnw-lr-verdict")
        saved = kernel_state_when(page, "s.tab === 'learning rate'")
        assert saved["learning_rate"] == headless["learning_rate"]
        assert "converges smoothly" in page.inner_text(".nnw-lr-verdict")
        ours = [e for e in page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
        assert not ours, ours
