"""The conv/pool visualizer in a real Chromium via Voila: changing the stride changes the output grid."""
from pathlib import Path

import pytest
from harness import chromium_page, open_panel, press_and_time, voila

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent
SUMMARY = ".nnw-conv-summary"


def test_changing_the_stride_changes_the_output_grid(chromium_path):
    with voila(HERE / "conv_panel.ipynb") as url, chromium_page(chromium_path) as page:
        open_panel(page, url, slider_class="nnw-stride")
        assert "(7, 7, 1) → (5, 5, 1)" in page.inner_text(SUMMARY)
        result = press_and_time(page, "nnw-stride", "ArrowRight")  # stride 1 -> 2
        assert result["after"] != result["before"], "the canvas pixels did not change"
        page.wait_for_function(f"() => document.querySelector('{SUMMARY}').innerText.includes('→ (3, 3, 1)')")
        result = press_and_time(page, "nnw-position", "ArrowRight")  # the window moves to output cell 1
        assert result["after"] != result["before"]
        page.wait_for_function(f"() => document.querySelector('{SUMMARY}').innerText.includes('output cell (0, 1)')")
        ours = [e for e in page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
        assert not ours, ours
