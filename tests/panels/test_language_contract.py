"""Issue 14's contract for every panel: ``language`` follows ``set_language`` at creation, refuses what it does not
know (state untouched), and a switch rebuilds the widgets in place without changing ``to_dict()``, without
leaving the old view's observers behind, and with the toggle showing the language."""
from __future__ import annotations

import pytest

import nnwidgets as nw
from nnwidgets import i18n

PANELS = {
    "perceptron": lambda: nw.PerceptronExplorer(gate="XOR"),
    "softmax": lambda: nw.SoftmaxCalculator(logits=[1.5, 3.7], target=1),
    "backprop": lambda: nw.BackpropStepper(),
    "race": lambda: nw.OptimizerRace(steps=10),
    "conv": lambda: nw.ConvShapeVisualizer(),
    "playground": lambda: nw.Playground(dataset="xor", hidden=(3,), samples=60),
}


@pytest.fixture
def english(monkeypatch):
    monkeypatch.setattr(i18n, "_chosen", "en")


def observers(panel) -> int:
    return sum(len(handlers) for state in panel._states() for by_type in state._trait_notifiers.values()
               for handlers in by_type.values())


def open_every_tab(panel) -> None:
    last = panel.tabs[-1]
    for tab in panel.tabs:
        panel.open_tab(tab)
    assert panel.tab == last


@pytest.mark.parametrize("name", PANELS)
def test_a_switch_keeps_the_state_and_replaces_the_view(name, english):
    panel = PANELS[name]()
    assert panel.language == "en" and panel.language_toggle.value == "en"
    open_every_tab(panel)  # tabs are built when first opened
    saved, count, old_view = panel.to_dict(), observers(panel), panel.view
    panel.language = "ko"
    assert panel.to_dict() == saved
    assert panel.view is not old_view and panel.frame.children[1] is panel.view
    assert old_view.comm is None, "the old view's widgets are closed"
    assert panel.language_toggle.value == "ko"
    panel.language_toggle.value = "en"  # what a click on "English" does
    assert panel.language == "en" and panel.to_dict() == saved
    open_every_tab(panel)
    assert observers(panel) == count, "switching twice left observers behind"
    assert panel.to_dict() == saved


@pytest.mark.parametrize("name", PANELS)
def test_an_unknown_language_is_refused_and_changes_nothing(name, english):
    panel = PANELS[name]()
    saved, view = panel.to_dict(), panel.view
    with pytest.raises(ValueError, match=r"language must be one of \"ko\", \"en\", got 'fr'"):
        panel.language = "fr"
    assert panel.language == "en" and panel.view is view and panel.to_dict() == saved


def test_panels_take_the_language_in_force_when_made(english):
    i18n.set_language("ko")
    assert nw.SoftmaxCalculator().language == "ko"
    with i18n.speaking("en"):
        assert nw.SoftmaxCalculator().language == "en"
    i18n.set_language("en")
    assert nw.SoftmaxCalculator().language == "en"


def test_a_korean_panel_raises_korean_errors_while_english_is_in_force(english):
    panel = nw.SoftmaxCalculator(logits=[1.0, 2.0])
    panel.language = "ko"
    with pytest.raises(ValueError) as refused:
        panel.set(nonexistent=1)
    assert any("\uac00" <= ch <= "\ud7a3" for ch in str(refused.value)), str(refused.value)
    assert "nonexistent" in str(refused.value)
    assert i18n.get_language() == "en"
