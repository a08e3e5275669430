"""The softmax calculator in a real Chromium via Voila: editing a logit changes the table and the picture, the
linear-layer tab opens, and after every action the kernel's saved state (``to_dict``) is what the page shows."""
from pathlib import Path

import pytest
from harness import chromium_page, kernel_state, open_panel, press_and_time, voila

import nnwidgets as nw

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent
TABLE = ".nnw-softmax-table"




def test_editing_a_logit_and_opening_the_linear_tab(chromium_path):
    headless = nw.SoftmaxCalculator(logits=[1.5, 3.7], target=1, labels=["cat", "dog"]).to_dict()
    with voila(HERE / "softmax_panel.ipynb") as url, chromium_page(chromium_path) as page:
        open_panel(page, url, slider_class="nnw-logit-0")
        assert "0.0997505" in page.inner_text(TABLE)
        assert kernel_state(page, {"tab": "logits"}) == headless  # showing the page changed nothing
        result = press_and_time(page, "nnw-logit-0", "ArrowRight")  # z1: 1.5 -> 1.6
        assert result["after"] != result["before"], "the canvas pixels did not change"
        page.wait_for_function(f"() => document.querySelector('{TABLE}').innerText.includes('0.109097')")
        assert kernel_state(page, {"logits_input": [1.6, 3.7]}) == headless | {"logits_input": [1.6, 3.7]}
        # typing into the number box of z2 works too
        box = page.locator(".widget-hbox", has=page.locator(".nnw-logit-1")).locator("input[type=number]")
        box.fill("1.6")
        box.press("Enter")
        page.wait_for_function(f"() => document.querySelector('{TABLE}').innerText.includes('\\t0.5\\t')")
        rows = page.inner_text(TABLE).split("\n")
        assert rows[1].split("\t")[3] == "0.5" and rows[2].split("\t")[3] == "0.5"  # equal logits, p = 0.5 each
        kernel_state(page, {"logits_input": [1.6, 1.6]})
        # the linear-layer tab: the seed's Iris layer, 3 classes
        page.locator(".lm-TabBar-tab", has_text="linear layer").click()
        page.wait_for_function(f"() => document.querySelector('{TABLE}').innerText.includes('0.701838')")
        saved = kernel_state(page, {"tab": "linear layer"})
        assert saved["labels"] == ["cat", "dog", "class 2"] and saved["logits_input"] == [1.6, 1.6]
        ours = [e for e in page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
        assert not ours, ours
