"""The race's "momentum theory" tab (Distill's "Why Momentum Really Works"): the panel contract and what it draws."""
import json

import numpy as np
import pytest

import nnwidgets as nw
from nnwidgets.core.momentum_theory import bowl_curvatures, convergence_rate, optimal_momentum


@pytest.fixture(scope="module")
def race():
    r = nw.OptimizerRace(steps=20)
    r.open_tab("momentum theory")
    return r


def test_the_tab_is_a_sub_state_named_after_it_and_round_trips(race):
    theory = race.momentum_theory
    assert "momentum theory" in race.tabs and race.to_dict()["momentum_theory"] == {
        "condition": 20.0, "lr": 0.1, "momentum": 0.9, "steps": 60}
    theory.set(condition=50.0, lr=0.3, momentum=0.7, steps=40)
    saved = race.to_dict()
    assert json.loads(json.dumps(saved)) == saved
    again = nw.OptimizerRace.from_dict(saved)
    assert again.to_dict() == saved and again.tab == "momentum theory"
    np.testing.assert_array_equal(again.momentum_theory.paths.momentum, theory.paths.momentum)
    theory.set(condition=20.0, lr=0.1, momentum=0.9, steps=60)


@pytest.mark.parametrize("name, value, needle", [("condition", 0.5, "condition"), ("condition", 5000, "condition"),
                                                 ("lr", 0.0, "lr"), ("lr", 3.0, "lr"), ("momentum", 1.0, "momentum"),
                                                 ("momentum", -0.1, "momentum"), ("steps", 0, "steps"),
                                                 ("lr", "fast", "lr"), ("condition", float("nan"), "condition")])
def test_bad_values_are_refused_naming_the_parameter(race, name, value, needle):
    theory = race.momentum_theory
    before, paths, png = theory.to_dict(), theory.paths, race.to_png()
    with pytest.raises(ValueError) as info:
        setattr(theory, name, value)
    assert needle in str(info.value) and theory.error == str(info.value)
    assert theory.to_dict() == before and theory.paths is paths and race.to_png() == png
    theory.lr = 0.1  # the next valid change clears the error
    assert theory.error == ""


def test_sliders_drive_the_state_and_the_drawing(race):
    theory, view = race.momentum_theory, race.tab_view("momentum theory")
    marks = view.figure.canvas.marks
    race.control("momentum_theory.momentum").value = 0.5
    assert theory.momentum == 0.5 and view.figure.canvas.marks != marks
    current = [m for m in view.figure.canvas.marks if m["type"] == "points" and m["axes"] == 0][-1]
    assert (current["xs"], current["ys"]) == ([0.1], [0.5])
    rate = float(convergence_rate(0.1, 0.5, bowl_curvatures(20)))
    assert f"rate {rate:.6g}" in view.explanation.value
    race.control("momentum_theory.condition").value = 100.0
    assert theory.condition == 100.0 and theory.rates.rate.shape == (120, 140)
    view.controls["best"].click()
    best = optimal_momentum(bowl_curvatures(100))
    assert theory.lr == pytest.approx(best.lr, rel=1e-6) and theory.momentum == pytest.approx(best.momentum, rel=1e-6)
    assert theory.momentum_rate == pytest.approx(best.rate, rel=1e-3)
    theory.set(condition=20.0, lr=0.1, momentum=0.9)


def test_the_race_optimizers_are_marked_on_the_rate_map(race):
    view = race.tab_view("momentum theory")
    dots = {(m["xs"][0], m["ys"][0], m["fill"]) for m in view.figure.canvas.marks if m["type"] == "points"}
    assert (0.95, 0.0, "#4e79a7") in dots and (0.1, 0.9, "#f28e2b") in dots  # the race's SGD and Momentum
    race.set_hyperparameter("Momentum", "momentum", 0.8)
    dots = {(m["xs"][0], m["ys"][0], m["fill"]) for m in view.figure.canvas.marks if m["type"] == "points"}
    assert (0.1, 0.8, "#f28e2b") in dots
    race.set_hyperparameter("Momentum", "momentum", 0.9)


def test_the_story_is_told_in_numbers(race):
    theory = race.momentum_theory
    lines = theory.explain()
    assert "0.1 along x and 2 along y" in lines[0]
    assert "684 steps" in lines[1] and "124 steps" in lines[2]  # GD crawls along x; momentum is ~5x faster
    assert "above lr = 1/λmax = 0.5 y flips sign" in lines[1]
    theory.lr = 0.9
    assert "zig-zag" in theory.explain()[1]  # 1 − 0.9·2 = −0.8: y flips sign every step
    assert np.all(np.sign(theory.paths.gd[1:5, 1]) == [-1, 1, -1, 1])
    theory.lr = 0.1


def test_no_recompiles_when_the_theory_sliders_move(race, count_compiles):
    theory = race.momentum_theory
    theory.set(condition=30.0, lr=0.2, momentum=0.5)
    before = count_compiles.count
    for condition, lr, beta in [(5.0, 0.5, 0.3), (300.0, 0.01, 0.95), (1.0, 1.0, 0.0), (20.0, 0.1, 0.9)]:
        theory.set(condition=condition, lr=lr, momentum=beta)
        theory.steps = 30
    assert count_compiles.count == before, count_compiles.programs[before:]
    theory.steps = 60
