"""The conv/pool visualizer in a real Chromium via Voila: values are shown from the start, the stride and the window
move the grids, a refusal's warning leaves once the values are valid again, the tracer tab traces typed layers (and
refuses what is not a layer list) and is edited in its form rows; after every action the kernel's saved state
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
WARNING = "[...document.querySelectorAll('.widget-html-content')].some(e => e.innerText.includes('does not fit'))"
FORM_TEXTS = ".nnw-conv-form input, .nnw-conv-form select, .nnw-conv-form .widget-html-content, .nnw-conv-form button"
LAYER_TEXTS = ".widget-label, .widget-readout, .widget-label-basic, button, .widget-html-content"
CLIPPED_LAYER = (f"() => [...document.querySelectorAll('{LAYER_TEXTS}')]"
                 ".filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)")
CLIPPED_FIELDS = (f"() => [...document.querySelectorAll('{FORM_TEXTS}')]"
                  ".filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1).map(e => e.value || e.innerText)")


def warning_shown(page) -> bool:
    return page.evaluate(f"() => {WARNING}")


def test_stride_window_and_the_tracer_tab(chromium_path):
    headless = json.loads(json.dumps(nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3, stride=1).to_dict()))
    with voila(HERE / "conv_panel.ipynb") as url, chromium_page(chromium_path) as page:
        open_panel(page, url, slider_class="nnw-stride")
        assert "(7, 7, 1) → (5, 5, 1)" in page.inner_text(SUMMARY)
        assert "= −33" in page.inner_text(SUMMARY)  # values from the start: the digit, the edge kernel, the output
        assert not page.evaluate(CLIPPED_LAYER)  # no label, readout or button cut off...
        assert page.evaluate(f"() => [...document.querySelectorAll('{LAYER_TEXTS}')].filter(e => e.offsetParent)"
                             ".length") > 20  # ...of the many checked
        assert kernel_state(page, {"tab": "layer"}) == headless  # showing the page changed nothing
        result = press_and_time(page, "nnw-stride", "ArrowRight")  # stride 1 -> 2
        assert result["after"] != result["before"], "the canvas pixels did not change"
        page.wait_for_function(f"() => document.querySelector('{SUMMARY}').innerText.includes('→ (3, 3, 1)')")
        assert kernel_state(page, {"stride": 2}) == headless | {"stride": 2}
        result = press_and_time(page, "nnw-position", "ArrowRight")  # the window moves to output cell 1
        assert result["after"] != result["before"]
        page.wait_for_function(f"() => document.querySelector('{SUMMARY}').innerText.includes('output cell (0, 1)')")
        kernel_state(page, {"position": 1})
        # a refused height shows a warning; once the height is valid again it leaves the screen
        page.focus(".nnw-H .noUi-handle")
        page.keyboard.press("Home")  # H = 1: the 3x3 kernel does not fit
        page.wait_for_function(f"() => {WARNING}")
        assert kernel_state(page, {"stride": 2})["input_shape"] == [7, 7, 1]
        page.wait_for_function("() => document.querySelector('.nnw-H .widget-readout').innerText.trim() === '7'")
        page.keyboard.press("ArrowRight")  # H = 8: valid
        kernel_state(page, {"input_shape": [8, 7, 1]})
        page.wait_for_function(f"() => !({WARNING})")
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
        # the form rows show the same layers; an edit there changes the text and the table
        rows = page.locator(".nnw-conv-row")
        assert rows.count() == 3
        stride = rows.nth(1).locator(".nnw-conv-field-stride input")
        stride.fill("2")
        stride.press("Enter")
        page.wait_for_function(f"() => document.querySelector('{TRACER}').innerText.includes('4×3×4')")
        assert "'stride': 2" in page.locator(".nnw-conv-layers textarea").input_value()
        assert kernel_state(page, {"tab": "network"})["network"]["layers"][1][1]["stride"] == 2
        stride.fill("two")
        stride.press("Enter")
        page.wait_for_selector("text=layer 2 (conv): stride must be a whole number")
        page.wait_for_function("() => document.querySelectorAll('.nnw-conv-row')[1]"
                               ".querySelector('.nnw-conv-field-stride input').value === '2'")
        rows.nth(2).locator(".nnw-conv-insert").click()  # a second flatten
        page.wait_for_function("() => document.querySelectorAll('.nnw-conv-row').length === 4")
        assert len(kernel_state(page, {"tab": "network"})["network"]["layers"]) == 4
        assert not page.evaluate(CLIPPED_FIELDS)
        rows.nth(3).locator(".nnw-conv-remove").click()
        page.wait_for_function("() => document.querySelectorAll('.nnw-conv-row').length === 3")
        assert len(kernel_state(page, {"tab": "network"})["network"]["layers"]) == 3
        ours = [e for e in page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
        assert not ours, ours
