"""The optimizer race in a real Chromium via Voila, at a 1000-pixel-wide window: moving SGD's lr slider moves its
path and its leaderboard row; the leaderboard keeps every row on one line and fits its box; the real-model tab's
buttons show their whole names and its table has accuracies; the momentum-theory tab answers its sliders; after
every action the kernel's saved state (``to_dict``) is what the page shows."""
from pathlib import Path

import pytest
from harness import chromium_page, kernel_state_when, open_panel, press_and_time, voila

import nnwidgets as nw

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent
BOARD = ".nnw-leaderboard"
SGD_ROW = f"() => [...document.querySelectorAll('{BOARD} tr')].find(r => r.innerText.includes('SGD')).innerText"

# For every cell of the tables under ``root``: whether its text takes more than one line (two pieces of its text
# that do not overlap vertically) and whether its content is wider than its box; and whether the box scrolls.
TABLE_FIT_JS = """
(root) => {
  const box = document.querySelector(root);
  const cells = [...box.querySelectorAll('td, th')].map((cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    const wrapped = rects.some((a) => rects.some((b) => b.top >= a.bottom - 1));
    return {text: cell.innerText, wrapped, clipped: cell.scrollWidth > cell.clientWidth};
  });
  return {cells, scroll: box.scrollWidth, client: box.clientWidth};
}
"""
# Every element with text inside ``root`` whose content is wider than its box (ellipsis-cut labels and buttons).
CLIPPED_JS = """
(root) => [...document.querySelector(root).querySelectorAll('button, label, .widget-label, .widget-readout')]
  .filter((e) => e.offsetParent !== null && e.innerText.trim() && e.scrollWidth > e.clientWidth + 1)
  .map((e) => e.innerText)
"""


def fits(page, root):
    fit = page.evaluate(TABLE_FIT_JS, root)
    wrapped = [c["text"] for c in fit["cells"] if c["wrapped"] or c["clipped"]]
    assert fit["cells"] and not wrapped, wrapped
    assert fit["scroll"] <= fit["client"], fit


def test_the_race_its_leaderboard_and_every_tab_in_chromium(chromium_path):
    headless = nw.OptimizerRace(surface="dlfs", start=(-7.0, 2.0), steps=30).to_dict()
    with voila(HERE / "optimizer_panel.ipynb") as url, chromium_page(chromium_path, width=1000) as page:
        open_panel(page, url, slider_class="nnw-lr-sgd")
        row = page.evaluate(SGD_ROW)
        assert "−0.3504\t0.08478" in row  # the book's final point for SGD, lr 0.95, in the x and y columns
        assert kernel_state_when(page, "s.tab === 'race'") == headless  # showing the page changed nothing
        fits(page, BOARD)
        result = press_and_time(page, "nnw-lr-sgd", "ArrowLeft")  # lr 0.95 -> 0.95 / 10^0.05
        assert result["after"] != result["before"], "the canvas pixels did not change"
        page.wait_for_function(f"() => !({SGD_ROW})().includes('−0.3504')")
        assert "0.847" in page.inner_text(".nnw-lr-sgd")  # the slider's readout: 0.95 / 10^0.05
        saved = kernel_state_when(page, "s.optimizers.SGD.lr < 0.9")
        assert saved["optimizers"]["SGD"]["lr"] == pytest.approx(0.95 / 10 ** 0.05, rel=1e-9)
        assert {k: v for k, v in saved.items() if k != "optimizers"} == {
            k: v for k, v in headless.items() if k != "optimizers"}
        fits(page, BOARD)
        assert not page.evaluate(CLIPPED_JS, ".jp-OutputArea-output")

        page.locator(".lm-TabBar-tab", has_text="learning rate").click()
        page.wait_for_selector(".nnw-lr-verdict")
        saved = kernel_state_when(page, "s.tab === 'learning rate'")
        assert saved["learning_rate"] == headless["learning_rate"]
        assert "converges smoothly" in page.inner_text(".nnw-lr-verdict")

        page.locator(".lm-TabBar-tab", has_text="real model").click()
        page.wait_for_selector(".nnw-model-table td", timeout=60_000)
        assert "Iris (softmax regression)" in page.inner_text(".jp-OutputArea-output")
        assert not page.evaluate(CLIPPED_JS, ".jp-OutputArea-output")  # "Iris (softmax regression)" fits
        table = page.inner_text(".nnw-model-table")
        assert "train accuracy" in table and "test accuracy" in table and "%" in table
        fits(page, ".nnw-model-table")

        page.locator(".lm-TabBar-tab", has_text="momentum theory").click()
        page.wait_for_selector(".nnw-theory-momentum .noUi-handle", timeout=60_000)
        saved = kernel_state_when(page, "s.tab === 'momentum theory'")
        assert saved["momentum_theory"] == headless["momentum_theory"]
        assert "124 steps" in page.inner_text(".nnw-momentum-explain")
        page.focus(".nnw-theory-momentum .noUi-handle")
        page.keyboard.press("ArrowLeft")  # momentum 0.9 -> 0.89
        saved = kernel_state_when(page, "s.momentum_theory.momentum < 0.9")
        assert saved["momentum_theory"]["momentum"] == pytest.approx(0.89, abs=1e-9)
        page.wait_for_function("() => !document.querySelector('.nnw-momentum-explain').innerText"
                               ".includes('124 steps')")
        page.locator(".nnw-theory-best").click()
        saved = kernel_state_when(page, "s.momentum_theory.momentum < 0.5")
        assert saved["momentum_theory"]["lr"] == pytest.approx(1.33581, rel=1e-4)
        assert not page.evaluate(CLIPPED_JS, ".jp-OutputArea-output")
        ours = [e for e in page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
        assert not ours, ours
