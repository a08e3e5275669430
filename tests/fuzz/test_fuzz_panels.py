"""Every setting of every panel and tab, driven with bad values (issue 11's contract).

For each value: a refusal is a ValueError/TypeError naming the setting, costs under 2 s and 1 GB, and leaves
``to_dict()`` exactly as it was; an accepted value keeps ``to_dict()`` JSON of the same kind as before (a switch
stays True/False, a number a number) and restorable with ``load_dict``.
"""
from __future__ import annotations

import json
import math
from functools import partial

import pytest

import nnwidgets as nw

from .harness import BAD_VALUES, attempt, saved

PANELS = {
    "perceptron": lambda: nw.PerceptronExplorer(),
    "softmax": lambda: nw.SoftmaxCalculator(),
    "backprop": lambda: nw.BackpropStepper.preset("apple_orange"),
    "optimizer": lambda: nw.OptimizerRace(steps=20),
    "conv": lambda: nw.ConvShapeVisualizer(),
    "playground": lambda: nw.Playground(samples=40),
}
NON_FINITE = ("nan", "inf", "-inf", "1e308", "-1e308", "complex", "object", "set", "bytes")
# What a setting of each kind (told by its saved default) must never accept.
MUST_REFUSE = {
    bool: set(BAD_VALUES) - {"True", "False"},
    float: set(NON_FINITE) | {"empty str", "str", "None", "True", "False", "empty list", "ragged", "dict",
                              "list of str", "complex array", "bool array", "lambda", "hostile callable"},
    str: set(NON_FINITE) | {"dict", "complex array", "bool array", "nan array"},
    list: set(NON_FINITE) | {"list with nan", "complex array", "nan array", "lambda", "hostile callable"},
}


def kind(value):
    if isinstance(value, bool):
        return bool
    if isinstance(value, (int, float)):
        return float
    return type(value)


def states_of(panel):
    yield "main", panel
    for name in panel.SUBSTATES:
        yield name, getattr(panel, name)


def user_names(state, name):
    """The setting's name and the name the user knows it by (``LABELS``), any of which a message may use."""
    alias = getattr(state, "LABELS", {}).get(name, ())
    return (name, *((alias,) if isinstance(alias, str) else alias))


@pytest.mark.parametrize("topic", PANELS)
def test_every_setting_refuses_bad_values_cleanly(topic):
    panel = PANELS[topic]()
    assert panel.SETTINGS, f"{type(panel).__name__} declares no SETTINGS"
    problems = []
    for where, state in states_of(panel):
        assert state.SETTINGS, f"{type(state).__name__} ({where}) declares no SETTINGS"
        for name in state.SETTINGS:
            default = json.loads(saved(panel))
            default = default[name] if where == "main" else default[where][name]
            for label, bad in BAD_VALUES.items():
                case = f"{topic}.{where}.{name} = {label}"
                before = saved(panel)
                try:
                    outcome = attempt(case, user_names(state, name), partial(setattr, state, name, bad),
                                      snapshot=partial(saved, panel))
                except AssertionError as err:
                    problems.append(str(err))
                    panel.load_dict(json.loads(before))
                    continue
                if outcome == "refused":
                    if not state.error:
                        problems.append(f"{case}: refused but error is empty")
                    continue
                now = json.loads(saved(panel))
                now = now[name] if where == "main" else now[where][name]
                expected = kind(default)
                if default is not None and label in MUST_REFUSE.get(expected, ()):
                    problems.append(f"{case}: accepted (saved as {now!r}) but a {expected.__name__} setting must "
                                    "refuse it")
                elif default is not None and now is not None and kind(now) is not expected:
                    problems.append(f"{case}: accepted, and the saved value changed kind: {default!r} -> {now!r}")
                panel.load_dict(json.loads(before))
                assert saved(panel) == before, f"{case}: load_dict did not restore the saved state"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("topic", PANELS)
def test_the_public_surface_is_the_same_on_every_panel(topic):
    panel = PANELS[topic]()
    assert panel.tabs and panel.tab in panel.tabs
    for tab in panel.tabs:
        assert panel.open_tab(tab) is panel and panel.tab == tab
        png = panel.to_png()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert hasattr(panel.view, "_repr_mimebundle_")
    with pytest.raises(ValueError, match="tab"):
        panel.open_tab("no such tab")
    data = panel.to_dict()
    json.dumps(data)
    assert type(panel).from_dict(data).to_dict() == data
    with pytest.raises(ValueError, match="no setting"):
        type(panel).from_dict({**data, "no_such_setting": 1})


@pytest.mark.parametrize("topic", PANELS)
def test_a_refused_value_is_reported_and_the_next_valid_change_clears_it(topic):
    panel = PANELS[topic]()
    name = next(n for n in panel.SETTINGS if n != "tab")
    with pytest.raises(ValueError):
        setattr(panel, name, math.nan if not isinstance(getattr(panel, name), str) else object())
    assert panel.error
    panel.open_tab(panel.tabs[-1])
    assert panel.error == ""
