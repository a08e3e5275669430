"""The conv/pool visualizer in a real Chromium via Voila: the stride and the window move the grids, the tracer tab
traces typed layers (and refuses what is not a layer list), and after every action the kernel's saved state
(``to_dict``) is what the page shows."""
import json
from pathlib import Path

import pytest
from harness import chromium_page, kernel_state, open_panel, press_and_time, voila

import nnwidgets as nw

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent
SUMMARY = ".nnw-conv-summary"
TRACER = ".nnw-conv-tracer"




def test_stride_window_and_the_tracer_tab(chromium_path):
    headless = json.loads(json.dumps(nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3, stride=1).to_dict()))
    with voila(HERE / "conv_panel.ipynb") as url, chromium_page(chromium_path) as page:
        open_panel(page, url, slider_class="nnw-stride")
        assert "(7, 7, 1) → (5, 5, 1)" in page.inner_text(SUMMARY)
        assert kernel_state(page, {"tab": "layer"}) == headless  # showing the page changed nothing
        result = press_and_time(page, "nnw-stride", "ArrowRight")  # stride 1 -> 2
        assert result["after"] != result["before"], "the canvas pixels did not change"
        page.wait_for_function(f"() => document.querySelector('{SUMMARY}').innerText.includes('→ (3, 3, 1)')")
        assert kernel_state(page, {"stride": 2}) == headless | {"stride": 2}
        result = press_and_time(page, "nnw-position", "ArrowRight")  # the window moves to output cell 1
        assert result["after"] != result["before"]
        page.wait_for_function(f"() => document.querySelector('{SUMMARY}').innerText.includes('output cell (0, 1)')")
        kernel_state(page, {"position": 1})
        # the tracer tab: type a network, trace it; then text that is not a layer list is refused
        page.locator(".lm-TabBar-tab", has_text="network tracer").click()
        kernel_state(page, {"tab": "network"})
        page.locator(".nnw-conv-layers textarea").fill("('input', (8, 8, 3)),\n('conv', {'filters': 4, "
                                                       "'kernel_size': (1, 3)}),\n('flatten',)")
        page.get_by_role("button", name="trace shapes").click()
        page.wait_for_function(f"() => document.querySelector('{TRACER}').innerText.includes('8×6×4')")
        saved = kernel_state(page, {"network": {"layers": [["input", [8, 8, 3]],
                                                           ["conv", {"filters": 4, "kernel_size": [1, 3]}],
                                                           ["flatten"]]}})
        assert saved["stride"] == 2 and saved["position"] == 1
        page.locator(".nnw-conv-layers textarea").fill("__import__('os').system('id')")
        page.get_by_role("button", name="trace shapes").click()
        page.wait_for_selector("text=may only contain text in quotes")
        assert kernel_state(page, {"tab": "network"})["network"] == saved["network"]
        ours = [e for e in page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
        assert not ours, ours
