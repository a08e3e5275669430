"""Every control of every panel, moved in the browser, leaves the page showing what the kernel holds (issue 12, test 2).

For each panel, on each tab: every slider gets a key press, every box a click, every dropdown another option,
every toggle another button, every plain button a click, and the plot a click. Each tab is also checked for
text cut by its box (a label, readout, button or table cell) at the default width. After each action the kernel
is asked (as a second client, not through the page) for every bound control's setting, and each control on the
page must show it: a slider's readout to its last shown digit, a box ticked or not, the option chosen, the
button down, the text.
"""
import json
from decimal import Decimal

import nbformat
import pytest
from harness import CLIPPED_TEXT_JS, PAGE_CONTROLS_JS, chromium_page, kernel_controls, kernel_run, voila

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PANELS = {  # test id -> the one cell of the page
    "perceptron": 'nw.PerceptronExplorer(gate="AND")',
    "softmax": "nw.SoftmaxCalculator(logits=[1.5, 3.7, 0.2])",
    "backprop": 'nw.BackpropStepper.preset("sigmoid_neuron")',
    "race": 'nw.OptimizerRace(surface="dlfs", start=(-7.0, 2.0), steps=30)',
    "conv": "nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3, stride=2)",
    "playground": 'nw.Playground(dataset="xor", hidden=(4,), seed=0)',
}
#: buttons that start something that keeps running (Play); stepping and resetting are clicked
SKIP_BUTTONS = ("▶", "⏸", "Play", "Pause", "play", "pause")


@pytest.fixture(scope="module")
def page(chromium_path):
    with chromium_page(chromium_path, width=1400, height=1100) as page:
        yield page


@pytest.mark.parametrize("panel", PANELS)
def test_every_control_shows_what_the_kernel_holds(page, tmp_path, panel):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"import nnwidgets as nw\n{PANELS[panel]}")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (tmp_path / "panel.ipynb").write_text(nbformat.writes(nb))
    with voila(tmp_path / "panel.ipynb") as url:
        page.goto(url, timeout=300_000)
        page.wait_for_function("() => { const c = document.querySelector('canvas.nnwidgets-canvas');"
                               " return c && Number(c.dataset.frame) >= 1; }", timeout=300_000)
        settle(page, url)
        checked = agree(page, url, "after drawing")
        actions, moved_start = 0, False
        tabs = page.query_selector_all(".lm-TabBar-tab") or [None]
        for t in range(len(tabs)):
            if tabs[0] is not None:
                page.query_selector_all(".lm-TabBar-tab")[t].click()
                settle(page, url)
                checked |= agree(page, url, f"after opening tab {t}")
            page.wait_for_timeout(500)
            clipped = page.evaluate(CLIPPED_TEXT_JS)
            assert not clipped, f"{panel}, tab {t}: text cut by its box at the default width: {clipped}"
            last_start = start_of_race(url) if panel == "race" else None
            for what in act_on_every_control(page):
                settle(page, url)
                checked |= agree(page, url, what)
                actions += 1
                if panel == "race":
                    if what == "click on the plot":
                        moved_start |= clicked_point_holds(page, url, last_start)
                    last_start = start_of_race(url)
    print(f"{panel}: {actions} actions, {len(checked)} controls compared after each")
    assert actions >= 5, f"only {actions} controls were found to act on"
    if panel == "race":
        assert moved_start, "a click on the contour plot must move the race's start to the clicked point"
    assert len(checked) >= 3, checked


def start_of_race(url):
    return json.loads(kernel_run(url, START_CODE).strip().splitlines()[-1])


START_CODE = ("from nnwidgets.panels._state import live_panels\nimport json\n"
              "print(json.dumps(live_panels()[-1].start))")


def clicked_point_holds(page, url, before) -> bool:
    """After a plot click the start is the clicked point, both coordinates, and stays there (no slider drift)."""
    after = start_of_race(url)
    page.wait_for_timeout(1500)
    settle(page, url)
    later = start_of_race(url)
    assert later == after, f"the start drifted after the click: {before} -> {after} -> {later}"
    # the click is a point on the plot rounded to 3 decimals; an old slider value re-snapped is not
    return after != before and all(abs(v * 1000 - round(v * 1000)) < 1e-6 for v in after) and \
        abs(after[0] - before[0]) > 0.5 and abs(after[1] - before[1]) > 0.5


def settle(page, url):
    kernel_run(url, "pass")       # the kernel has handled every message the page sent
    page.wait_for_timeout(250)    # and the page has applied the kernel's replies


def act_on_every_control(page):
    """Act on each visible, enabled control of the open tab once; yields what was done."""
    for key in page.evaluate(PAGE_CONTROLS_JS):
        c = page.evaluate(PAGE_CONTROLS_JS)[key]  # as it is now: an earlier action may have disabled it
        if not c["visible"] or c["disabled"] or "widget-play" in c["classes"]:
            continue
        el = f".{key}"
        if "widget-slider" in c["classes"] or "widget-hslider" in c["classes"]:
            page.focus(f"{el} .noUi-handle")
            page.keyboard.press("ArrowRight")
            yield f"ArrowRight on {key}"
            page.focus(f"{el} .noUi-handle")
            page.keyboard.press("ArrowLeft")
            yield f"ArrowLeft on {key}"
        elif c["checked"] is not None:
            page.click(f"{el} input[type=checkbox]")
            yield f"click on box {key}"
        elif c["selected"] is not None:
            options = page.eval_on_selector(f"{el} select", "s => [...s.options].map(o => o.value)")
            current = page.eval_on_selector(f"{el} select", "s => s.value")
            other = next((o for o in options if o != current), None)
            if other is not None:
                page.select_option(f"{el} select", other)
                yield f"option {other!r} of {key}"
        elif "widget-toggle-buttons" in c["classes"]:
            buttons = page.query_selector_all(f"{el} button:not(.mod-active)")
            if buttons:
                buttons[0].click()
                yield f"toggle {key}"
        elif c["tag"] == "BUTTON":
            page.click(el)
            yield f"toggle button {key}"
    for button in page.query_selector_all("button.jupyter-button:not([class*='nnw-bind-'])"):
        label = button.inner_text().strip()
        inside_toggle = button.evaluate("b => !!b.closest('.widget-toggle-buttons, .lm-TabBar')")
        if not button.is_visible() or not button.is_enabled() or inside_toggle or not label or \
                any(s in label for s in SKIP_BUTTONS):
            continue
        button.click()
        yield f"button {label!r}"
    canvas = page.query_selector("canvas.nnwidgets-canvas")
    if canvas and canvas.is_visible():
        box = canvas.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
        yield "click on the plot"


def agree(page, url, after: str) -> set:
    """Every bound control on the page shows the kernel's setting; returns the keys compared."""
    kernel, shown = kernel_controls(url), page.evaluate(PAGE_CONTROLS_JS)
    wrong = []
    for key, k in kernel.items():
        if k["kind"] in ("Play",) or key not in shown:
            continue
        if not same(k["value"], k["expected"]):
            wrong.append(f"{key} {k['setting']}: the kernel's widget holds {k['value']!r}, its state {k['state']!r}")
        problem = page_differs(shown[key], k)
        if problem:
            wrong.append(f"{key} {k['setting']}: {problem}")
    assert not wrong, f"{after}, page and kernel disagree:\n" + "\n".join(wrong) + "\n" + json.dumps(kernel)[:2000]
    return {key for key in kernel if key in shown}


def page_differs(c: dict, k: dict) -> str | None:
    value = k["value"]
    if c["readout"] is not None:
        text = c["readout"].replace("−", "-").strip()
        if not text:
            return "the readout is empty"
        if abs(float(text) - float(value)) > readout_tolerance(text):
            return f"the page shows {text}, the kernel holds {value!r}"
    elif c["checked"] is not None:
        if c["checked"] != bool(value):
            return f"the box is {'ticked' if c['checked'] else 'clear'}, the kernel holds {value!r}"
    elif isinstance(c["selected"], list):
        if [plain(t) for t in c["selected"]] != [plain(t) for t in k["label"]]:
            return f"the page shows options {c['selected']!r}, the kernel {k['label']!r}"
    elif c["selected"] is not None:
        if plain(c["selected"]) != plain(k["label"]):
            return f"the page shows option {c['selected']!r}, the kernel {k['label']!r}"
    elif isinstance(c["active"], bool):
        if c["active"] != bool(value):
            return f"the button is {'down' if c['active'] else 'up'}, the kernel holds {value!r}"
    elif c["active"] is not None:
        if plain(c["active"]) != plain(k["label"]):
            return f"the page has {c['active']!r} down, the kernel {k['label']!r}"
    elif c["text"] is not None:
        if c["text"] != value:
            return f"the box reads {c['text']!r}, the kernel holds {value!r}"
    return None


def readout_tolerance(text: str) -> float:
    """Half a unit of the last digit a readout shows (0.50 -> 0.005, 1.00e-3 -> 5e-6), plus float slack."""
    return 0.5 * 10.0 ** Decimal(text).as_tuple().exponent * (1 + 1e-9) + 1e-12


def plain(text) -> str:
    return " ".join(str(text).replace("\xa0", " ").split())


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, (int, float)) and not isinstance(b, bool):
        return abs(a - b) <= 1e-9 * max(1.0, abs(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b
