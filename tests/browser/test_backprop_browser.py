"""The backprop stepper in a real Chromium via Voila: clicking "step" highlights a node and changes the picture,
after every action the kernel's saved state (``to_dict``) is what the page shows, the sigmoid toggle shows only
on a graph with a sigmoid, and no text is clipped by its widget."""
import json
from pathlib import Path

import pytest
from harness import PROBE_JS, chromium_page, kernel_state, open_panel, press_and_time, voila

import nnwidgets as nw

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent
EXPLAIN = ".nnw-bp-explain"

# Pixels of the highlight colours: orange (#f28e2b) rings the node a forward step computes, red (#c0392b)
# rings a node the backward pass reaches (gradient text is red too, so only orange is unique).
COUNT_ORANGE = """
() => {
  const c = document.querySelector('canvas.nnwidgets-canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4)
    if (Math.abs(d[i] - 242) < 12 && Math.abs(d[i + 1] - 142) < 12 && Math.abs(d[i + 2] - 43) < 12) n++;
  return n;
}
"""




# Text clipped by its own box (ipywidgets labels and buttons end in an ellipsis instead of wrapping).
CLIPPED = """
() => {
  const texts = [...document.querySelectorAll('.nnw-bp-panel *')]
    .filter(e => e.offsetParent !== null && e.childElementCount === 0 && e.innerText && e.innerText.trim());
  return {checked: texts.length,
          clipped: texts.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText.trim())};
}
"""
VISIBLE_TOGGLES = """
() => [...document.querySelectorAll('.nnw-bp-sigmoid')].map(e => e.offsetParent !== null)
"""


def click_and_wait(page, css):
    page.evaluate(PROBE_JS, "canvas.nnwidgets-canvas")
    before = page.evaluate("() => window.__nnw.checksum()")
    page.evaluate("() => { window.__nnw.t0 = performance.now(); }")
    page.click(css)
    page.wait_for_function("() => window.__nnw.t1 > 0", timeout=10_000)
    return before, page.evaluate("() => window.__nnw.sum")


def test_step_highlights_the_node_and_changes_the_picture(chromium_path):
    headless = json.loads(json.dumps(nw.BackpropStepper.preset("sigmoid_neuron").to_dict()))
    with voila(HERE / "backprop_panel.ipynb") as url, chromium_page(chromium_path) as page:
        open_panel(page, url, slider_class="nnw-bp-position")
        assert "step 0 of 16" in page.inner_text(EXPLAIN)
        assert page.evaluate(VISIBLE_TOGGLES) == [True, False]  # sigmoid neuron: shown; (x + y)·z: hidden
        fit = page.evaluate(CLIPPED)
        assert fit["checked"] > 30 and fit["clipped"] == [], fit
        assert kernel_state(page, {"position": 0}) == headless  # showing the page changed nothing
        assert page.evaluate(COUNT_ORANGE) == 0  # nothing highlighted before the first step
        before, after = click_and_wait(page, ".nnw-bp-step")
        assert after != before, "the canvas pixels did not change"
        page.wait_for_function(f"() => document.querySelector('{EXPLAIN}').innerText.includes('step 1 of 16')")
        assert "w0x0 = w0 × x0 = 2 × −1 = −2" in page.inner_text(EXPLAIN)  # the node has the variable's name
        assert kernel_state(page, {"position": 1}) == headless | {"position": 1}
        assert page.evaluate(COUNT_ORANGE) > 200, "no highlighted node on the canvas"
        result = press_and_time(page, "nnw-bp-position", "End")  # scrub to the end of the backward pass
        assert result["after"] != result["before"]
        page.wait_for_function(f"() => document.querySelector('{EXPLAIN}').innerText.includes('step 16 of 16')")
        assert "∂f/∂w0 ← upstream × local = 0.196612 × −1 = −0.196612" in page.inner_text(EXPLAIN)
        assert "done" in page.inner_text(EXPLAIN) and page.evaluate(COUNT_ORANGE) == 0
        assert kernel_state(page, {"position": 16}) == headless | {"position": 16}
        # collapsed: 3 nodes fewer, the position is clamped
        page.locator(".nnw-bp-sigmoid").first.locator("button", has_text="collapsed").click()
        page.wait_for_function(f"() => document.querySelector('{EXPLAIN}').innerText.includes('step 10 of 10')")
        assert kernel_state(page, {"sigmoid": "collapsed"}) == headless | {"sigmoid": "collapsed", "position": 10}
        page.locator(".nnw-bp-input-w0 input").fill("1.5")
        page.locator(".nnw-bp-input-w0 input").press("Enter")
        page.wait_for_function("() => JSON.parse(document.querySelector('.nnw-kernel-state').innerText)"
                               ".inputs.w0 === 1.5", timeout=10_000)
        saved = kernel_state(page, {"sigmoid": "collapsed"})
        assert saved == headless | {"sigmoid": "collapsed", "position": 10,
                                    "inputs": headless["inputs"] | {"w0": 1.5}}
        ours = [e for e in page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
        assert not ours, ours
