"""The perceptron panel in a real Chromium, served by Voila: a key press on w1 changes the table and the pixels.

After every action the kernel's ``to_dict()`` (shown by the fixture in ``.nnw-saved``) must equal what the same
actions give headless: displaying the panel, or opening a tab, never changes its state.
"""
import json
from pathlib import Path

import pytest
from harness import chromium_page, open_panel, press_and_time, voila

import nnwidgets as nw

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def panel_page(chromium_path):
    with voila(HERE / "perceptron_panel.ipynb") as url, chromium_page(chromium_path) as page:
        open_panel(page, url)
        yield page


@pytest.fixture(scope="module")
def headless():
    """The same panel driven from Python: each test applies the browser's actions to it as well."""
    return nw.PerceptronExplorer(gate="AND")


def assert_kernel_state(page, panel, timeout_ms=20_000):
    """Wait until the kernel's saved state equals ``panel.to_dict()``; on a timeout show both."""
    expected = json.dumps(panel.to_dict(), sort_keys=True)
    try:
        page.wait_for_function("(s) => { const e = document.querySelector('.nnw-saved');"
                               " return e && e.textContent === s; }", arg=expected, timeout=timeout_ms)
    except Exception:  # noqa: BLE001 - report the difference instead of a bare timeout
        got = page.text_content(".nnw-saved")
        raise AssertionError(f"kernel state differs from headless:\n{got}\n{expected}") from None


def test_displaying_the_panel_leaves_its_state_as_headless(panel_page, headless):
    assert_kernel_state(panel_page, headless)


def test_key_press_on_w1_changes_table_and_pixels(panel_page, headless):
    page = panel_page
    table = page.inner_text(".nnw-truth-table")
    assert "0.5·1 + 0.5·1 − 0.7 = 0.3" in table
    result = press_and_time(page, "nnw-w1", "ArrowRight")
    assert result["after"] != result["before"], "the canvas pixels did not change"
    page.wait_for_function("() => document.querySelector('.nnw-truth-table').innerText.includes('0.55·1')")
    assert "0.55·1 + 0.5·1 − 0.7 = 0.35" in page.inner_text(".nnw-truth-table")
    headless.w1 = 0.55
    assert_kernel_state(page, headless)
    result = press_and_time(page, "nnw-w1", "ArrowLeft")
    assert result["after"] != result["before"]
    page.wait_for_function("() => document.querySelector('.nnw-truth-table').innerText.includes('0.5·1 + 0.5·1')")
    headless.w1 = 0.5
    assert_kernel_state(page, headless)


def test_a_wrong_row_is_marked_after_moving_the_bias(panel_page, headless):
    page = panel_page
    for _ in range(11):  # b from -0.7 to -0.15: OR-like, so (1,0) and (0,1) become wrong for AND
        press_and_time(page, "nnw-b", "ArrowRight")
    page.wait_for_function("() => document.querySelector('.nnw-status').innerText.includes('2 of 4 rows wrong')")
    headless.b = -0.15
    assert_kernel_state(page, headless)


@pytest.mark.parametrize("tab, title, slider", [("learn", "Learn", "nnw-epoch"),
                                                ("stack", "Two layers", "nnw-y-b"),
                                                ("mlp", "Train an MLP", "nnw-mlp-epoch")])
def test_opening_a_tab_shows_it_and_changes_nothing_else(panel_page, headless, tab, title, slider):
    page = panel_page
    page.click(f".lm-TabBar-tabLabel:text-is('{title}')")
    page.wait_for_selector(f".{slider} .noUi-handle", timeout=60_000)
    headless.open_tab(tab)
    assert_kernel_state(page, headless, timeout_ms=60_000)


def test_no_console_errors_from_our_code(panel_page):
    ours = [e for e in panel_page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
    assert not ours, ours


# Text that needs more room than its box (ipywidgets cut descriptions and buttons with an ellipsis): for one-line
# text the width of the text itself against the box's content width; for wrapping text scrollWidth.
CLIPPED_JS = """
(root) => {
  const out = [];
  for (const el of root.querySelectorAll('*')) {
    if (el.closest('select')) continue;
    const own = [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim());
    if (!own.length || el.clientWidth === 0) continue;
    const style = getComputedStyle(el);
    let need = el.scrollWidth, room = el.clientWidth;
    if (style.whiteSpace.startsWith('nowrap') || style.textOverflow === 'ellipsis' || el.tagName === 'BUTTON') {
      const range = document.createRange();
      range.setStartBefore(own[0]); range.setEndAfter(own[own.length - 1]);
      need = range.getBoundingClientRect().width;
      room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    }
    if (need > room + 0.5) out.push(`${el.textContent.trim().slice(0, 40)}: ${Math.round(need)} > ${Math.round(room)}`);
  }
  return out;
}
"""
TABS = {"neuron": ("Neuron", "nnw-w1"), "learn": ("Learn", "nnw-epoch"), "stack": ("Two layers", "nnw-y-b"),
        "mlp": ("Train an MLP", "nnw-mlp-epoch")}


def open_tab(page, headless, tab):
    title, slider = TABS[tab]
    page.click(f".lm-TabBar-tabLabel:text-is('{title}')")
    page.wait_for_selector(f".{slider} .noUi-handle", state="visible", timeout=60_000)
    headless.open_tab(tab)


def test_no_text_is_cut_in_any_tab_even_with_a_larger_font(panel_page, headless):
    """Every button, description and label fits its box at the default width, and still at 16 px text (fonts
    differ between systems: the threshold buttons' ">= (z ≥ 0)" was cut where the font is wider)."""
    page = panel_page
    for tab in TABS:
        open_tab(page, headless, tab)
        page.wait_for_timeout(300)
        assert page.locator(".widget-tab").first.evaluate(CLIPPED_JS) == [], tab
        larger = page.add_style_tag(content=".widget-tab * { font-size: 16px !important; }")
        page.wait_for_timeout(300)
        cut = page.locator(".widget-tab").first.evaluate(CLIPPED_JS)
        larger.evaluate("e => e.remove()")
        assert cut == [], f"{tab} at 16 px: {cut}"
    assert_kernel_state(page, headless)


def dark_pixels(page, points) -> list[bool]:
    """Whether the Learn canvas is drawn (not background) at each (x, y) CSS pixel."""
    return page.evaluate("""(points) => {
        const c = [...document.querySelectorAll('canvas.nnwidgets-canvas')].find(c => c.offsetParent && c.width > 0
                   && c.style.width === '720px' && Math.abs(c.height / c.width - 400 / 720) < 1e-3);
        const ratio = c.width / 720, ctx = c.getContext('2d');
        return points.map(([x, y]) => { const d = ctx.getImageData(Math.round(x * ratio) - 1,
            Math.round(y * ratio) - 1, 3, 3).data; let best = 765;
            for (let i = 0; i < d.length; i += 4) best = Math.min(best, d[i] + d[i + 1] + d[i + 2]);
            return best < 400; });
    }""", points)


def rows_wrong_pixels(headless) -> list:
    from nnwidgets.panels.perceptron.learn_view import MISTAKES

    box = headless.tab_view("learn").figure.canvas.axes[MISTAKES]
    (x0, x1), (y0, y1) = box["xlim"], box["ylim"]
    mistakes = headless.learn.history.mistakes
    return [[(box["x0"] + (e - x0) / (x1 - x0) * (box["x1"] - box["x0"])) * 720,
             (1 - (box["y0"] + (m - y0) / (y1 - y0) * (box["y1"] - box["y0"]))) * 400] for e, m in enumerate(mistakes)]


def test_the_rows_wrong_chart_shows_its_data_at_once_and_after_play(panel_page, headless):
    page = panel_page
    open_tab(page, headless, "learn")
    page.wait_for_timeout(500)
    assert all(dark_pixels(page, rows_wrong_pixels(headless))), "the rows-wrong chart is empty"
    page.click(".widget-play button >> nth=0")
    headless.learn.epoch = headless.learn.epochs
    assert_kernel_state(page, headless, timeout_ms=60_000)
    page.wait_for_timeout(500)
    assert all(dark_pixels(page, rows_wrong_pixels(headless))), "the rows-wrong chart is empty after Play"


def test_the_preset_dropdown_loads_names_and_reloads(panel_page, headless):
    page = panel_page
    open_tab(page, headless, "stack")
    seed_002 = "h1 − h2 network (seed 002)"
    page.select_option(".nnw-stack-preset select", label=seed_002.replace(" ", "\xa0"))
    headless.stack.load_preset(seed_002)
    assert_kernel_state(page, headless)
    assert shown_preset(page) == seed_002
    page.focus(".nnw-h1-b .noUi-handle")
    page.keyboard.press("ArrowRight")
    headless.stack.h1_b = 0.55
    assert_kernel_state(page, headless)
    page.wait_for_function(f"() => ({SHOWN_PRESET_JS})() === '(your own weights)'")
    page.select_option(".nnw-stack-preset select", label=seed_002.replace(" ", "\xa0"))
    headless.stack.load_preset(seed_002)
    assert_kernel_state(page, headless)
    assert shown_preset(page) == seed_002


SHOWN_PRESET_JS = ("() => document.querySelector('.nnw-stack-preset select').selectedOptions[0].text"
                   ".replace(/\\u00a0/g, ' ')")  # ipywidgets shows spaces as no-break spaces


def shown_preset(page) -> str:
    return page.evaluate(SHOWN_PRESET_JS)


STATIC_STRIPS_JS = """([strips]) => {
  const c = [...document.querySelectorAll('canvas.nnwidgets-canvas')].find(c => c.offsetParent && c.width > 0
             && c.style.width === '900px');
  const ctx = c.getContext('2d');
  return strips.map(([x, y, w, h]) => Array.from(ctx.getImageData(x, y, w, h).data));
}"""


def static_strips(headless) -> list:
    """Device-pixel boxes of the MLP canvas where only the static layer draws: the tick labels left of and below
    the loss and hidden-layer axes (the marks are clipped to the axes' boxes)."""
    view = headless.tab_view("mlp")
    out = []
    for ax in (view.loss_axes, view.hidden_axes):
        box = ax.get_position()
        x0, x1, y0, y1 = (round(v * 2) for v in (box.x0 * 900, box.x1 * 900, (1 - box.y1) * 360, (1 - box.y0) * 360))
        out += [[x0 - 70, y0, 66, y1 - y0], [x0, y1 + 4, x1 - x0, 40]]
    return out


def test_the_mlp_static_layer_on_the_page_is_the_kernels_after_retraining(panel_page, headless):
    """Each hidden-size move retrains and moves the hidden-layer (and loss) axes: the kernel sends only the changed
    part of the picture (a patch over the PNG). The page's tick-label pixels must equal the kernel's picture."""
    import io

    import numpy as np
    from PIL import Image

    page = panel_page
    open_tab(page, headless, "mlp")
    figure = headless.tab_view("mlp").figure
    patched = 0
    for key in ("ArrowRight",) * 4 + ("ArrowLeft",) * 2:
        page.focus(".nnw-mlp-hidden .noUi-handle")
        page.keyboard.press(key)
        headless.mlp.hidden_size += 1 if key == "ArrowRight" else -1
        assert_kernel_state(page, headless)
        patched += bool(figure.canvas.patches)
        expected = np.array(Image.open(io.BytesIO(figure.canvas.background)))
        for patch in figure.canvas.patches:
            piece = np.array(Image.open(io.BytesIO(patch["png"])))
            x, y = round(patch["x"] * 2), round(patch["y"] * 2)
            expected[y:y + piece.shape[0], x:x + piece.shape[1]] = piece
        strips = static_strips(headless)
        page.wait_for_timeout(300)  # the PNGs are decoded asynchronously
        shown = page.evaluate(STATIC_STRIPS_JS, [strips])
        for (x, y, w, h), pixels in zip(strips, shown, strict=True):
            got = np.array(pixels, dtype=int).reshape(h, w, 4)
            assert np.abs(got - expected[y:y + h, x:x + w]).max() <= 2, (key, headless.mlp.hidden_size, x, y)
    assert patched >= 3
