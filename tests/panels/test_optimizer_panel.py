"""The optimizer race driven headlessly: API, sliders, divergence, surfaces, tabs, errors, compile counts."""
import jax.numpy as jnp
import numpy as np
import pytest

import nnwidgets as nw

ISSUE_RACE = {"SGD": {"lr": 0.95}, "Momentum": {"lr": 0.1, "momentum": 0.9}, "AdaGrad": {"lr": 1.5},
              "Adam": {"lr": 0.3}}
ALL_SIX = {"SGD": {"lr": 0.1}, "Momentum": {"lr": 0.05}, "Nesterov": {"lr": 0.05}, "AdaGrad": {"lr": 0.5},
           "RMSProp": {"lr": 0.05}, "Adam": {"lr": 0.1}}


def test_api_of_the_issue():
    r = nw.OptimizerRace(surface="dlfs", start=(-7.0, 2.0), steps=30, optimizers=ISSUE_RACE)
    assert set(r.trajectories) == set(ISSUE_RACE)
    assert r.trajectories["SGD"].shape == (31, 2) and r.losses["Adam"].shape == (31,)
    np.testing.assert_allclose(r.trajectories["Momentum"][0], (-7.0, 2.0))
    np.testing.assert_allclose(r.trajectories["SGD"][-1], (-0.350393, 0.084782), atol=1e-3)
    assert r.diverged == {"SGD": None, "Momentum": None, "AdaGrad": None, "Adam": None}
    assert r.finish_steps["AdaGrad"] == int(np.flatnonzero(r.losses["AdaGrad"] < 1e-3)[0])
    assert r.finish_steps["SGD"] is None
    before = r.trajectories["Adam"].copy()
    r.set_hyperparameter("Adam", "lr", 0.2)
    assert r.optimizers["Adam"]["lr"] == 0.2 and r.control("Adam", "lr").value == pytest.approx(0.2)
    assert not np.allclose(before, r.trajectories["Adam"])


def test_keys_are_case_insensitive_and_default_hyperparameters_fill_in():
    r = nw.OptimizerRace(optimizers={"sgd": {"lr": 0.1}, "ADAM": {"lr": 0.1}, "rmsprop": {}})
    assert r.optimizers["ADAM"] == {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    assert r.optimizers["rmsprop"]["rho"] == 0.99
    r.set_hyperparameter("adam", "beta1", 0.8)
    assert r.optimizers["ADAM"]["beta1"] == 0.8


def test_moving_an_lr_slider_moves_the_path_and_the_picture():
    r = nw.OptimizerRace(optimizers=ISSUE_RACE)
    view = r.tab_view("race")
    marks, png, board = view.figure.canvas.marks, r.to_png(), view.leaderboard.value
    r.control("SGD", "lr").value = 0.5
    assert r.optimizers["SGD"]["lr"] == 0.5
    np.testing.assert_allclose(r.trajectories["SGD"][1], (-7 + 0.5 * 0.7, 2 - 0.5 * 4), rtol=1e-6)
    assert view.figure.canvas.marks != marks and r.to_png() != png and view.leaderboard.value != board


def test_an_optax_transformation_races_as_it_is():
    optax = pytest.importorskip("optax")
    r = nw.OptimizerRace(optimizers={"Adam": {"lr": 0.3}, "optax adam": optax.adam(0.3)})
    np.testing.assert_allclose(r.trajectories["optax adam"], r.trajectories["Adam"], rtol=1e-4, atol=1e-4)
    assert "optax transformation" in r.tab_view("race").racers.children[-1].children[-1].value
    with pytest.raises(ValueError, match="optax transformation"):
        r.set_hyperparameter("optax adam", "lr", 0.1)


def test_divergence_is_shown_not_plotted_as_nan():
    r = nw.OptimizerRace(optimizers={"SGD": {"lr": 1.1}, "Adam": {"lr": 0.3}}, steps=40)
    assert r.diverged["SGD"] == 21 and r.diverged["Adam"] is None
    assert "diverged at step 21" in r.tab_view("race").leaderboard.value
    for mark in r.tab_view("race").figure.canvas.marks:
        for key in ("xs", "ys"):
            assert None not in mark.get(key, [])  # every plotted number finite
    assert r.leaderboard()[-1]["name"] == "SGD"  # diverged racers go to the bottom
    r.set_hyperparameter("SGD", "lr", 1e5)
    assert r.diverged["SGD"] is not None and np.all(np.isfinite(r.trajectories["SGD"]))


def test_surfaces_custom_functions_and_the_start_point():
    r = nw.OptimizerRace(optimizers=ALL_SIX, steps=200)
    r.surface = "rosenbrock"
    assert r.trajectories["Adam"].shape == (201, 2) and r.box == (-2.0, 2.0, -1.0, 3.0)
    r.control("surface").value = "himmelblau"
    assert r.surface == "himmelblau"
    r.control("custom").value = "x**2 + 3*y**2 + sin(x)"
    assert r.surface_name == "x**2 + 3*y**2 + sin(x)" and r.minimum is None
    r.surface = lambda x, y: (x - 1) ** 2 + (y + 2) ** 2
    np.testing.assert_allclose(r.trajectories["Adam"][-1], (1, -2), atol=0.05)
    r.tab_view("race")._clicked(0, 1.5, -0.5)  # a click on the contour plot moves the start
    assert r.start == (1.5, -0.5) and r.control("x0").value == 1.5
    np.testing.assert_allclose(r.trajectories["SGD"][0], (1.5, -0.5))
    r.control("y0").value = 0.25
    assert r.start == (1.5, 0.25)


def test_moving_the_start_keeps_the_static_layer_unless_the_loss_range_must_change():
    r = nw.OptimizerRace(optimizers=ISSUE_RACE)
    canvas = r.tab_view("race").figure.canvas
    background = canvas.background
    r.control("x0").value = -6.5
    assert r.start == (-6.5, 2.0) and canvas.background == background and canvas.patches == []
    r.start = (0.05, 0.05)  # the start loss falls by 1e4: the loss plot's range is redrawn (sent as a patch)
    assert canvas.background == background and len(canvas.patches) == 1
    assert canvas.patches[0]["x"] >= 0.6 * canvas.width  # the loss plot's part, not the contour plot


def test_the_static_image_shows_the_open_tab():
    r = nw.OptimizerRace()
    race_png = r.to_png()
    r.open_tab("learning rate")
    assert r.to_png() != race_png and r.to_png() == r.tab_view("learning rate").figure.to_png()
    r.open_tab("race")
    assert r.to_png() == race_png


def test_scrubbing_and_toggles_only_redraw():
    r = nw.OptimizerRace(optimizers=ISSUE_RACE)
    assert r.step == 30
    r.control("step").value = 5
    view = r.tab_view("race")
    assert r.step == 5 and r.control("play").value == 5 and "loss at step 5" in view.leaderboard.value
    point = r.leaderboard()
    assert {row["name"]: row["point"] for row in point}["SGD"] == tuple(map(float, r.trajectories["SGD"][5]))
    n_marks = len(view.figure.canvas.marks)
    r.enabled = {**r.enabled, "SGD": False}
    assert not view.racer_toggles["SGD"].value
    assert len(view.figure.canvas.marks) < n_marks and "SGD" not in [row["name"] for row in r.leaderboard()]
    r.steps = 100
    assert r.trajectories["SGD"].shape == (101, 2) and r.control("step").max == 100


def test_inside_the_optimizer_is_shown():
    r = nw.OptimizerRace(optimizers=ALL_SIX)
    r.step = 1
    board = r.tab_view("race").leaderboard.value
    g = np.array([-7 / 10, 2 * 2.0])
    assert "velocity b = (−0.7, 4)" in board  # b after one step is the first gradient
    assert "h = Σg² = (0.49, 16)" in board
    assert "m = (−0.07, 0.4)" in board  # (1 − β1)·g
    adagrad = r.states["AdaGrad"]
    np.testing.assert_allclose(np.asarray(adagrad.accumulator)[1], g ** 2, rtol=1e-6)


@pytest.mark.parametrize("make, pattern", [
    (lambda: nw.OptimizerRace(optimizers={"AdamW": {"lr": 0.1}}),
     "optimizers: optimizer 'AdamW' is not one of SGD, Momentum"),
    (lambda: nw.OptimizerRace(surface="bowl"), "surface must be one of 'dlfs'"),
    (lambda: nw.OptimizerRace(optimizers={"SGD": {"lr": 0}}), r"SGD lr must be in \(0, 1e\+06\]"),
    (lambda: nw.OptimizerRace(optimizers={"SGD": {"lr": -1}}), "SGD lr must be in"),
    (lambda: nw.OptimizerRace(optimizers={"Momentum": {"momentum": 1.2}}), r"momentum must be in \[0, 1\)"),
    (lambda: nw.OptimizerRace(optimizers={"Adam": {"beta1": 1.0}}), "Adam beta1 must be in"),
    (lambda: nw.OptimizerRace(optimizers={"SGD": {"lr": 0.1, "momentum": 0.9}}), "SGD has no hyperparameter"),
    (lambda: nw.OptimizerRace(optimizers={"SGD": {}, "sgd": {}}), "appears twice"),
    (lambda: nw.OptimizerRace(optimizers={}), "optimizers must be a non-empty dict"),
    (lambda: nw.OptimizerRace(start=(float("nan"), 1.0)), "start x must be a finite number"),
    (lambda: nw.OptimizerRace(start=(1.0,)), "start must be a point"),
    (lambda: nw.OptimizerRace(steps=0), "steps must be 1..5000, got 0"),
    (lambda: nw.OptimizerRace(steps=2.5), "steps must be a positive integer"),
    (lambda: nw.OptimizerRace(surface=lambda x, y: x if x > 0 else y), "could not be traced"),
    (lambda: nw.OptimizerRace(surface=lambda x, y: jnp.array([x, y])), "must return one number"),
    (lambda: nw.OptimizerRace(surface=lambda x: x), "could not be traced"),
    (lambda: nw.OptimizerRace(surface=lambda x, y: 2.0), "must depend on x and y"),
])
def test_bad_input_is_a_clear_error(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()


def test_the_panel_shows_errors_and_keeps_working():
    r = nw.OptimizerRace(optimizers=ISSUE_RACE)
    before = r.trajectories["SGD"].copy()
    status = r.tab_view("race").status
    r.control("custom").value = "x**2 +"
    assert "is not a formula in x, y" in status.value and r.surface == "dlfs"
    r.control("custom").value = "x if x > 0 else y"
    assert "if/else is not allowed" in status.value and r.surface == "dlfs"
    r.control("Momentum", "momentum").value = 0.99
    assert r.optimizers["Momentum"]["momentum"] == 0.99
    with pytest.raises(ValueError, match="no optimizer 'Nadam'"):
        r.set_hyperparameter("Nadam", "lr", 0.1)
    with pytest.raises(ValueError, match="SGD lr must be in"):
        r.set_hyperparameter("SGD", "lr", -1.0)
    np.testing.assert_allclose(r.trajectories["SGD"], before)
    r.control("SGD", "lr").value = 0.5
    assert r.optimizers["SGD"]["lr"] == 0.5 and status.value == "" and r.error == ""


def test_zero_compiles_across_30_lr_changes(count_compiles):
    r = nw.OptimizerRace(optimizers=ALL_SIX, steps=200)
    r.set_hyperparameter("SGD", "lr", 0.2)
    before = count_compiles.count
    for i, lr in enumerate(np.geomspace(0.001, 0.5, 30)):
        name = list(ALL_SIX)[i % 6]
        r.control(name, "lr").value = float(lr)
    r.step = 17
    r.enabled = {**r.enabled, "Adam": False}
    assert count_compiles.count == before, count_compiles.programs[before:]


def test_learning_rate_explorer_tab():
    r = nw.OptimizerRace()
    view = r.open_tab("learning rate").tab_view("learning rate")
    lr = r.learning_rate
    np.testing.assert_allclose(lr.iterates, 4.0 * 0.8 ** np.arange(21), rtol=1e-5)
    assert "converges smoothly" in view.verdict.value
    view.controls["lr"].value = 0.8
    assert lr.lr == 0.8 and "overshoots and oscillates, but converges" in view.verdict.value
    lr.lr = 1.2
    assert "diverges" in lr.verdict() and np.all(np.isfinite(lr.iterates))
    lr.lr, lr.bowl = 0.01, "2-D"
    assert "y converges smoothly" in lr.verdict() and lr.iterates.shape == (21, 2)
    assert r.view.selected_index == 1 and r.tab == "learning rate"


def test_real_model_tab():
    r = nw.OptimizerRace()
    view = r.open_tab("real model").tab_view("real model")
    m = r.real_model
    assert set(m.losses) == {"SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam"}
    assert all(curve.shape == (51,) and curve[-1] < curve[0] for curve in m.losses.values())
    assert "120 training samples, batch 10 → ⌈120/10⌉ = 12 iterations" in view.info.value
    assert "500 samples, batch 10 → 50 iterations per epoch" in view.info.value
    view.controls["batch"].value = "full"
    assert "batch 120 → ⌈120/120⌉ = 1 iterations" in view.info.value
    adam = m.losses["Adam"].copy()
    view.lr_sliders["Adam"].value = 0.01
    assert m.optimizers["Adam"]["lr"] == 0.01 and not np.allclose(m.losses["Adam"], adam)
    m.model = "xor"
    assert m.epochs == 2000 and "4 training samples" in view.info.value and m.losses["Adam"].shape == (2001,)
    assert view.lr_sliders["SGD"].value == pytest.approx(2.0)
    assert r.view.selected_index == 2 and r.tab == "real model"
    with pytest.raises(ValueError, match="tab must be one of"):
        r.open_tab("speed")
