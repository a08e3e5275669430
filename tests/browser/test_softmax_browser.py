"""The softmax calculator in a real Chromium via Voila: editing a logit changes the table and the picture, the
linear-layer tab opens, and after every action the kernel's saved state (``to_dict``) is what the page shows.
Issue 12: no text of either panel is cut off on either tab, at a wide and at a JupyterLab-like width, and the
overflow example's sliders sit inside their range (1000, 999, 990), with arrow keys stepping from the value."""
import json
from pathlib import Path

import pytest
from harness import chromium_page, kernel_state, open_panel, press_and_time, voila

import nnwidgets as nw

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent
PETS, OVERFLOW = ".nnw-pets", ".nnw-overflow"
TABLE = f"{PETS} .nnw-softmax-table"

# Every element that shows text inside ``root`` and clips what overflows it (ipywidgets' descriptions, button
# labels and menus use overflow: hidden with an ellipsis; inputs clip their value): scrollWidth > clientWidth.
CLIPPED_JS = """
(root) => {
  const cut = [];
  for (const el of document.querySelectorAll(root + ' *')) {
    if (!el.getClientRects().length || el.tagName === 'CANVAS') continue;
    const style = getComputedStyle(el);
    const field = ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName);
    const text = field ? (el.value || el.placeholder || '') : el.innerText;
    const clips = field || style.overflowX !== 'visible' || style.textOverflow === 'ellipsis';
    if (clips && text && text.trim() && el.scrollWidth > el.clientWidth + 0.5)
      cut.push(`${el.tagName}.${String(el.className).split(' ').slice(-1)}: ${JSON.stringify(text.slice(0, 60))}`
               + ` needs ${el.scrollWidth}px, has ${el.clientWidth}px`);
  }
  return cut;
}
"""


def clipped(page, root):
    return page.evaluate(CLIPPED_JS, root)


def handles(page, root):
    """(aria-valuemin, aria-valuenow, aria-valuemax) of each logit slider's handle in ``root``."""
    return page.evaluate("""(root) => [0, 1, 2].map(i => {
        const h = document.querySelector(`${root} .nnw-logit-${i} .noUi-handle`);
        return ['aria-valuemin', 'aria-valuenow', 'aria-valuemax'].map(a => Number(h.getAttribute(a))); })""", root)


def overflow_state(page, condition):
    page.wait_for_function("(c) => { const e = document.querySelector('.nnw-overflow-state');"
                           " return e && e.innerText && new Function('s', 'return ' + c)(JSON.parse(e.innerText)); }",
                           arg=condition, timeout=10_000)
    return json.loads(page.inner_text(".nnw-overflow-state"))


def test_editing_a_logit_and_opening_the_linear_tab(chromium_path):
    headless = nw.SoftmaxCalculator(logits=[1.5, 3.7], target=1, labels=["cat", "dog"]).to_dict()
    with voila(HERE / "softmax_panel.ipynb") as url, chromium_page(chromium_path) as page:
        open_panel(page, url, slider_class="nnw-logit-0")
        assert "0.0997505" in page.inner_text(TABLE)
        assert kernel_state(page, {"tab": "logits"}) == headless  # showing the page changed nothing
        result = press_and_time(page, "nnw-logit-0", "ArrowRight")  # z[0]: 1.5 -> 1.6
        assert result["after"] != result["before"], "the canvas pixels did not change"
        page.wait_for_function(f"() => document.querySelector('{TABLE}').innerText.includes('0.109097')")
        assert kernel_state(page, {"logits_input": [1.6, 3.7]}) == headless | {"logits_input": [1.6, 3.7]}
        # typing into the number box of z[1] works too
        box = page.locator(f"{PETS} .widget-hbox", has=page.locator(".nnw-logit-1")).locator("input[type=number]")
        box.fill("1.6")
        box.press("Enter")
        page.wait_for_function(f"() => document.querySelector('{TABLE}').innerText.includes('\\t0.5\\t')")
        rows = page.inner_text(TABLE).split("\n")
        assert rows[1].split("\t")[3] == "0.5" and rows[2].split("\t")[3] == "0.5"  # equal logits, p = 0.5 each
        kernel_state(page, {"logits_input": [1.6, 1.6]})
        # the linear-layer tab: the seed's Iris layer, 3 classes
        page.locator(f"{PETS} .lm-TabBar-tab", has_text="linear layer").click()
        page.wait_for_function(f"() => document.querySelector('{TABLE}').innerText.includes('0.701838')")
        saved = kernel_state(page, {"tab": "linear layer"})
        assert saved["labels"] == ["cat", "dog", "class 2"] and saved["logits_input"] == [1.6, 1.6]

        # ---- the overflow example: sliders inside their range, arrow keys step from the value -------------------
        page.wait_for_selector(f"{OVERFLOW} .nnw-logit-2 .noUi-handle")
        for (lo, value, hi), logit in zip(handles(page, OVERFLOW), [1000, 999, 990]):
            room = 0.2 * (hi - lo)
            assert value == logit and lo + room <= value <= hi - room, (lo, value, hi)
        page.focus(f"{OVERFLOW} .nnw-logit-0 .noUi-handle")
        page.keyboard.press("ArrowRight")
        state = overflow_state(page, "s.logits_input[0] === 1000.1")
        assert state["logits_input"] == [1000.1, 999.0, 990.0]

        # ---- no text cut off, on both tabs of both panels, wide and at a JupyterLab-like width -----------------
        for width in (1300, 800):
            page.set_viewport_size({"width": width, "height": 1000})
            for tab in ("logits", "linear layer"):
                for root in (PETS, OVERFLOW):
                    page.locator(f"{root} .lm-TabBar-tab", has_text=tab).click()
                    page.locator(f"{root} .lm-TabBar-tab.lm-mod-current", has_text=tab).wait_for()
                    assert not clipped(page, root), (width, tab, root, clipped(page, root))
        ours = [e for e in page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
        assert not ours, ours
