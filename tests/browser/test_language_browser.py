"""Issue 14 in a real Chromium via Voila: each panel's "한국어 / English" toggle switches the page to Korean and
back. After each switch, every label the kernel's widgets carry (descriptions, buttons, tab titles) is on the page,
the English labels that have a Korean translation are gone from it, and no panel's state (``to_dict``) changed."""
import json
from pathlib import Path

import pytest
from harness import CLIPPED_TEXT_JS, chromium_page, kernel_run, panel_states, voila

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent
PANELS = 6

#: kernel code: the labels of panel ``i``'s view (what its widgets carry), one JSON list
LABELS_CODE = """
import json as _j
from nnwidgets.panels._state import live_panels as _lp
def _walk(w, out):
    for name in ("description",):
        v = getattr(w, name, None)
        if isinstance(v, str) and v.strip(): out.append(v.strip())
    out += [t for t in (getattr(w, "titles", None) or ()) if t]
    out += [str(o) for o in (getattr(w, "_options_labels", None) or ()) if type(w).__name__ == "ToggleButtons"]
    for c in getattr(w, "children", ()) or ():
        _walk(c, out)
    return out
_p = _lp()[%d]
for _t in _p.tabs:  # tabs are built when first opened: build every one (the open tab does not change)
    if hasattr(_p, "tab_view"):
        _p.tab_view(_t)
print(_j.dumps(sorted(set(_walk(_p.view, [])))))
"""

#: the text of panel i's view on the page (hidden tabs included: textContent), without the language toggle
VIEW_TEXT_JS = "(i) => document.querySelectorAll('.nnw-panel')[i].children[1].textContent"


def labels(url, index):
    return json.loads(kernel_run(url, LABELS_CODE % index).strip().splitlines()[-1])


def has_hangul(text):
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def switch(page, index, name):
    page.locator(".nnw-panel").nth(index).locator(".nnw-language button", has_text=name).click()


def clipped_korean(page, index):
    """Korean text cut by its box, on every tab of panel ``index`` (the first tab is opened again after; every
    tab's widgets are then built, as tabs are built when first opened)."""
    cut = []
    tabs = page.locator(".nnw-panel").nth(index).locator(".lm-TabBar-tab")
    for tab in range(tabs.count()) or [None]:
        if tab is not None:
            tabs.nth(tab).click()
            page.wait_for_timeout(800)
        cut += [item for item in page.evaluate(CLIPPED_TEXT_JS) if has_hangul(item["text"])]
    if tabs.count():
        tabs.nth(0).click()
        page.wait_for_timeout(500)
    return cut


def test_each_panel_switches_to_korean_and_back_without_changing_state(chromium_path):
    with voila(HERE / "language_panels.ipynb") as url, chromium_page(chromium_path, width=1400) as page:
        page.goto(url, timeout=180_000)
        page.wait_for_function(f"() => document.querySelectorAll('.nnw-panel').length === {PANELS}", timeout=180_000)
        for index in range(PANELS):  # every tab built once, so opening one later changes no setting
            clipped_korean(page, index)
        before = panel_states(url)
        for index in range(PANELS):
            english = labels(url, index)
            text = page.evaluate(VIEW_TEXT_JS, index)
            assert not has_hangul(text), f"panel {index} starts in English: {text[:200]!r}"
            switch(page, index, "한국어")
            page.wait_for_function(f"() => /[가-힣]/.test(({VIEW_TEXT_JS})({index}))", timeout=30_000)
            korean = labels(url, index)
            assert korean != english, f"panel {index}: the kernel's labels did not change"
            page.wait_for_timeout(300)
            text = page.evaluate(VIEW_TEXT_JS, index)
            missing = [label for label in korean if label not in text]
            assert not missing, f"panel {index}: labels the kernel holds but the page does not show: {missing}"
            # phrases only: a single word such as "stride" is also an API name the page shows in code and tables
            translated = [e for e in set(english) - set(korean)
                          if " " in e.strip() and not any(e in k for k in korean) and e in text]
            assert not translated, f"panel {index}: English labels still on the Korean page: {translated}"
            assert panel_states(url) == before, f"panel {index}: switching to Korean changed a panel's state"
            assert not clipped_korean(page, index), f"panel {index}: Korean text cut off: {clipped_korean(page, index)}"
            switch(page, index, "English")
            page.wait_for_function(f"() => !/[가-힣]/.test(({VIEW_TEXT_JS})({index}))", timeout=30_000)
            assert not clipped_korean(page, index)  # opens every tab again
            assert labels(url, index) == english
            assert panel_states(url) == before, f"panel {index}: switching back to English changed a state"
        assert not [e for e in page.nnw_console if "nnwidgets" in e.lower()], page.nnw_console
