"""The softmax calculator in a real Chromium via Voila: editing a logit changes the table and the picture."""
from pathlib import Path

import pytest
from harness import chromium_page, open_panel, press_and_time, voila

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent
TABLE = ".nnw-softmax-table"


def test_editing_a_logit_changes_the_table_and_the_picture(chromium_path):
    with voila(HERE / "softmax_panel.ipynb") as url, chromium_page(chromium_path) as page:
        open_panel(page, url, slider_class="nnw-logit-0")
        assert "0.0997505" in page.inner_text(TABLE)
        result = press_and_time(page, "nnw-logit-0", "ArrowRight")  # z1: 1.5 -> 1.6
        assert result["after"] != result["before"], "the canvas pixels did not change"
        page.wait_for_function(f"() => document.querySelector('{TABLE}').innerText.includes('0.109097')")
        # typing into the number box of z2 works too
        box = page.locator(".widget-hbox", has=page.locator(".nnw-logit-1")).locator("input[type=number]")
        box.fill("1.6")
        box.press("Enter")
        page.wait_for_function(f"() => document.querySelector('{TABLE}').innerText.includes('\\t0.5\\t')")
        rows = page.inner_text(TABLE).split("\n")
        assert rows[1].split("\t")[3] == "0.5" and rows[2].split("\t")[3] == "0.5"  # equal logits, p = 0.5 each
        ours = [e for e in page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
        assert not ours, ours
