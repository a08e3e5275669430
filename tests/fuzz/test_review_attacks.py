"""A reviewer's attacks on the panel contract (issue 11): text boxes, refused values, saved dicts, browser input.

Attacks that are stopped are plain tests; attacks that still work are ``xfail(strict=True)`` reproductions, so
the fix flips them. Controls are driven with ``set_state``, the way the browser's messages reach the kernel.
"""
import json

import numpy as np
import pytest

import nnwidgets as nw
from nnwidgets.core.formula import parse_formula
from nnwidgets.panels.playground import Playground

HOSTILE_TEXT = ["jnp.__builtins__['__import__']('os').system('id')", "__import__('os')", "().__class__",
                "x.__class__.__mro__", "[x for x in y]", "lambda: x", "x if y else x", "f'{x}'", "x[0]",
                "exp(x=1)", "exp(*x)", "(" * 150 + "x" + ")" * 150, "x" + "+x" * 400]


def saved(panel) -> str:
    return json.dumps(panel.to_dict(), sort_keys=True)


@pytest.fixture(scope="module")
def stepper():
    return nw.BackpropStepper("x*y", x=1.0, y=2.0)


@pytest.fixture(scope="module")
def race():
    return nw.OptimizerRace()


@pytest.fixture(scope="module")
def playground():
    return Playground()


# --- NOT stopped: the lead's fixes flip these -------------------------------------------------------------------

@pytest.mark.parametrize("text", ["exp + x", "x * cos"])
def test_a_bare_function_name_is_refused_when_parsed(text):
    with pytest.raises(ValueError, match="exp|cos"):
        parse_formula(text)


@pytest.mark.parametrize("make, changes", [
    (lambda: nw.BackpropStepper("x*y", x=1.0, y=2.0), {"formula": "__import__('os')"}),
    (nw.ConvShapeVisualizer, {"input_shape": [3, 3, 1], "kernel_size": 5, "padding": 0}),
])
def test_from_dict_refusals_name_the_parameter(make, changes):
    panel = make()
    with pytest.raises(ValueError) as refused:
        type(panel).from_dict({**panel.to_dict(), **changes})
    assert not str(refused.value).startswith("tab"), str(refused.value)


@pytest.mark.parametrize("panel, data", [
    (nw.OptimizerRace, {"steps": 7, "learning_rate": {"lr": -1}}),
    (nw.PerceptronExplorer, {"w1": 0.25, "mlp": {"epochs": 0}}),
])
def test_a_refused_load_dict_leaves_the_panel_as_it_was(panel, data):
    p = panel()
    before = saved(p)
    with pytest.raises(ValueError):
        p.load_dict(data)
    assert saved(p) == before


@pytest.mark.parametrize("name, typed", [("early_stopping", -5), ("hidden", "abc"), ("hidden", "70, 70")])
def test_playground_text_controls_snap_back_after_a_refusal(name, typed):
    p = Playground()
    control, before = p.control(name), saved(p)
    shown = control.value
    control.set_state({"value": typed})
    assert saved(p) == before and p.error
    assert control.value == shown


def test_playground_error_names_the_field_just_refused():
    p = Playground()
    p.control("early_stopping").set_state({"value": -5})
    assert "early_stopping" in p.error
    p.control("hidden").set_state({"value": "abc"})
    assert "hidden" in p.error and "early_stopping" not in p.error, p.error


# --- stopped --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_formula_text_never_runs_and_leaves_the_stepper_as_it_was(stepper, text):
    before = saved(stepper)
    with pytest.raises(ValueError, match="formula"):
        stepper.formula = text
    assert saved(stepper) == before and "formula" in stepper.error


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_surface_text_never_runs_and_leaves_the_race_as_it_was(race, text):
    before = saved(race)
    with pytest.raises(ValueError, match="surface"):
        race.surface = text
    assert saved(race) == before


@pytest.mark.parametrize("text", ["9**9**9", "x**9**9**9", "e**e**e**e**e", "0**-1", "x**1e300", "x/0",
                                  "log(x - 1)", "exp(exp(exp(exp(exp(x)))))"])
def test_overflowing_formulas_are_refused_by_name(stepper, text):
    before = saved(stepper)
    with pytest.raises(ValueError, match="formula"):
        stepper.formula = text
    assert saved(stepper) == before


@pytest.mark.parametrize("text", ["{[1]: 2}", "[" * 3000 + "]" * 3000, "9" * 4400, "('conv', 3)\n" * 1500,
                                  "__import__('os')", "[c for c in 'ab']", "1], [2"])
def test_hostile_layer_text_is_refused_and_leaves_the_visualizer_as_it_was(text):
    c = nw.ConvShapeVisualizer()
    before = saved(c)
    with pytest.raises(ValueError, match="layers"):
        c.network.layers = text
    assert saved(c) == before


@pytest.mark.parametrize("name, value", [("padding", 10**20), ("input_shape", (10**6, 10**6, 3)),
                                         ("filters", 10**9), ("kernel_size", (1, 10**9)), ("dilation", 10**9),
                                         ("input_values", np.ones((2000, 2000))), ("ceil_mode", "no"),
                                         ("flip", np.array([True, False]))])
def test_conv_refusals_roll_back(name, value):
    c = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3, stride=2)
    before = saved(c)
    with pytest.raises(ValueError, match=name):
        setattr(c, name, value)
    assert saved(c) == before and name in c.error


def test_stepper_methods_refuse_bombs(stepper):
    before = saved(stepper)
    for call in (lambda: stepper.set_input("x", np.ones(10**6)), lambda: stepper.set_input("x", 10**400),
                 lambda: stepper.set_input("x", float("nan")), lambda: stepper.set_input(["x"], 1.0),
                 lambda: setattr(stepper, "position", 10**30)):
        with pytest.raises(ValueError):
            call()
        assert saved(stepper) == before
    with pytest.raises(ValueError, match="60 operations"):
        nw.BackpropStepper(lambda x: sum(x for _ in range(10**6)), x=1.0)


def test_softmax_text_and_nudges_refuse_bombs():
    s = nw.SoftmaxCalculator()
    before = saved(s)
    for call in (lambda: s.nudge(np.array([0, 1]), 1), lambda: s.nudge(0, float("nan")),
                 lambda: s.nudge(0, 10**400), lambda: setattr(s, "logits_input", "1," * 10**6),
                 lambda: setattr(s, "logits_input", "9**9**9, 1"), lambda: setattr(s, "logits_input", "[" * 5000),
                 lambda: setattr(s, "W", np.ones((2000, 2000))), lambda: setattr(s, "temperature", 1e-320)):
        with pytest.raises(ValueError):
            call()
        assert saved(s) == before


def test_race_methods_refuse_bombs(race):
    before = saved(race)
    for call in (lambda: race.set_hyperparameter("SGD", "lr", 1e308), lambda: race.set_hyperparameter("SGD", "lr",
                                                                                                   np.ones(2)),
                 lambda: race.set_hyperparameter("SGD", "__class__", 1.0), lambda: setattr(race, "steps", 10**9),
                 lambda: setattr(race, "optimizers", ["SGD"] * 10**5),
                 lambda: setattr(race, "view_box", (float("nan"), 1, 0, 1))):
        with pytest.raises(ValueError):
            call()
        assert saved(race) == before


def test_playground_methods_refuse_bombs(playground):
    p = playground
    before = saved(p)
    for call in (lambda: p.train(epochs=10**9), lambda: p.train(epochs=float("nan")), lambda: p.cross_validate(10**6),
                 lambda: p.cross_validate(5, epochs=10**9), lambda: p.add_point(float("nan"), 0.0, 1),
                 lambda: p.add_point(1e308, 0.0, 1), lambda: setattr(p, "points", [[0.0, 0.0, 1]] * 10**6),
                 lambda: setattr(p, "hidden", (10**6,)), lambda: setattr(p, "samples", 10**9),
                 lambda: setattr(p, "optimizer_options", {"beta1": {"a": 1}}), lambda: p.predict(np.ones((10**6, 2)))):
        with pytest.raises(ValueError):
            call()
        assert saved(p) == before


@pytest.mark.parametrize("data", [{"evil": 1}, {"formula": "__import__('os').system('id')"},
                                  {"inputs": {"x": [0.0] * 10**6, "y": 2.0}}, {"inputs": {"x": {"a": 1}, "y": 2.0}}])
def test_hostile_saved_dicts_are_refused(stepper, data):
    with pytest.raises(ValueError):
        nw.BackpropStepper.from_dict({**stepper.to_dict(), **data})


@pytest.mark.parametrize("data", [[1, 2], "abc", None])
def test_a_saved_panel_must_be_a_dict(data):
    with pytest.raises(ValueError, match="dict"):
        nw.SoftmaxCalculator.from_dict(data)


@pytest.mark.parametrize("typed", HOSTILE_TEXT[:4] + ["9**9**9", "log(x)"])
def test_surface_text_from_the_browser_snaps_back(race, typed):
    control, before = race.control("surface"), saved(race)
    shown = control.value
    control.set_state({"value": typed})
    assert saved(race) == before and control.value == shown and race.error
