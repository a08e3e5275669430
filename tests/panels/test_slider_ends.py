"""Home and End on any slider give a value the panel accepts: a slider's ends are inside the setting's range.

A slider's grid is shifted to pass through the value set from Python (``_controls.anchor``); its ends used to be
rounded outwards, so End on the momentum-theory tab's κ gave 1002.37 and the setting refused it ("from 1 to 1000").
(The conv panel is left out: its sizes limit each other, so an input of height 1 under a 3x3 kernel is refused
with its reason, as it should be.)
"""
import ipywidgets as widgets
import pytest

import nnwidgets as nw

PANELS = {
    "race": lambda: nw.OptimizerRace(),
    "momentum theory": lambda: nw.OptimizerRace(tab="momentum theory"),
    "learning rate": lambda: nw.OptimizerRace(tab="learning rate"),
    "playground": lambda: nw.Playground(dataset="circle", hidden=(4,), samples=60, seed=3, lr=0.037),
    "perceptron": lambda: nw.PerceptronExplorer(w1=0.333, w2=-0.27, b=0.61),
    "perceptron: learn": lambda: nw.PerceptronExplorer(tab="learn"),
    "perceptron: mlp": lambda: nw.PerceptronExplorer(tab="mlp"),
    "perceptron: stack": lambda: nw.PerceptronExplorer(tab="stack"),
    "softmax": lambda: nw.SoftmaxCalculator(logits=[1.23, -0.7, 2.9], target=0),
}
SLIDERS = (widgets.FloatLogSlider, widgets.FloatSlider, widgets.IntSlider)


def sliders(root) -> list:
    found = [root] if isinstance(root, SLIDERS) else []
    return found + [s for child in getattr(root, "children", ()) for s in sliders(child)]


@pytest.mark.parametrize("name", PANELS)
def test_home_and_end_on_every_slider_are_accepted(name):
    panel = PANELS[name]()
    shown = [s for s in sliders(panel.frame) if not s.disabled and s.layout.display != "none"]
    assert shown
    for slider in shown:
        for end in (slider.max, slider.min):  # what the browser sends for End and Home
            value = slider.base ** end if isinstance(slider, widgets.FloatLogSlider) else end
            slider.value = value
            errors = [panel.error] + [getattr(panel, sub).error for sub in getattr(panel, "SUBSTATES", ())]
            assert not any(errors), f"{slider.description}: {value} -> {errors}"
