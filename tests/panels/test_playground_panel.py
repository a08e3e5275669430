"""The playground panel and its state, headless: settings, training, bad input, saving, the drawn image."""
from __future__ import annotations

import asyncio
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnwidgets.core.playground.training import CHUNK
from nnwidgets.panels.playground import Playground, PlaygroundState


@pytest.fixture(scope="module")
def pg():
    return Playground(dataset="xor", hidden=(4,), samples=100)


def test_issue_api_and_training(pg):
    pg.reset()
    assert pg.epoch == 0 and all(len(v) == 0 for v in pg.history.values())
    pg.train(epochs=3)
    assert pg.epoch == 3
    assert set(pg.history) >= {"train_loss", "test_loss", "train_accuracy", "test_accuracy"}
    assert pg.history["gradient_size"].shape == (3, 2)
    assert [W.shape for W, _ in pg.params] == [(2, 4), (4, 1)]
    assert not np.allclose(pg.params[0][0], pg.init_params[0][0])
    X_train, y_train, X_test, y_test = pg.data
    assert len(X_train) == 50 and len(X_test) == 50
    p = pg.predict(X_test)
    assert p.shape == (50, 2) and np.allclose(p.sum(axis=1), 1)
    layers = pg.activations(X_test[:5])
    assert [h.shape for h in layers] == [(5, 4), (5, 1)]
    pg.reset()
    assert pg.epoch == 0
    np.testing.assert_array_equal(pg.params[0][0], pg.init_params[0][0])


def test_same_seed_same_numbers():
    a, b = PlaygroundState(dataset="circle", samples=60), PlaygroundState(dataset="circle", samples=60)
    a.train(4)
    b.train(2)
    b.train(2)
    np.testing.assert_array_equal(a.history["test_loss"], b.history["test_loss"])
    np.testing.assert_array_equal(a.params[0][0], b.params[0][0])


def test_training_k_epochs_at_once_is_k_single_epochs():
    """Play trains one epoch per call, ``train(k)`` runs compiled chunks of epochs: the same numbers."""
    settings = dict(dataset="spiral", samples=80, hidden=(5, 4), batch_norm=True, dropout=0.2, optimizer="adam",
                    regularization="l2", reg_rate=0.01, batch_size=7, seed=3)
    whole, single = PlaygroundState(**settings), PlaygroundState(**settings)
    whole.train(CHUNK + 3)
    for _ in range(CHUNK + 3):
        single.train(1)
    assert whole.epoch == single.epoch == CHUNK + 3
    for name in whole.history:
        np.testing.assert_array_equal(whole.history[name], single.history[name])
    for (W, b), (V, c) in zip(whole.params, single.params):
        np.testing.assert_array_equal(W, V)
        np.testing.assert_array_equal(b, c)


def test_lr_keeps_training_but_architecture_resets(pg):
    pg.reset()
    pg.train(2)
    pg.lr = 0.1
    assert pg.epoch == 2 and pg.control("lr").value == pytest.approx(0.1)
    pg.control("hidden").value = "3, 3"
    assert pg.hidden == (3, 3) and pg.epoch == 0
    pg.hidden = (4,)


def test_bad_values_are_refused_and_change_nothing(pg):
    before = pg.to_dict()
    cases = {"hidden": [(0,), (-2,), (65,), (2,) * 7, "4,2", (2.5,)], "lr": [0, -1, float("nan"), "0.1"],
             "batch_size": [0, -5, 2.5], "samples": [0, -1], "dropout": [1.0, -0.1], "activation": ["softmax"],
             "dataset": ["nope", ([[0.0, float("nan")]], [1]), (np.zeros((0, 2)), []), ([[0, 1]], [1, 0])],
             "features": [(), ("x3",), ("x1", "x1")], "regularization": ["l3"], "batch_norm": ["no", 1],
             "early_stopping": [0, -3], "train_fraction": [0, 1.5], "optimizer_options": [{"beta1": 0.5}]}
    for name, values in cases.items():
        for value in values:
            with pytest.raises(ValueError) as err:
                setattr(pg, name, value)
            assert name.split("_")[0] in str(err.value) or "dataset" in str(err.value), (name, value, err.value)
            assert pg.to_dict() == before and pg.error
    pg.lr = pg.lr  # a valid change clears the error
    assert pg.error == ""


def test_labels_that_are_not_classes_and_csv_files(tmp_path):
    state = PlaygroundState(dataset="circle", samples=40)
    before = state.to_dict()
    with pytest.raises(ValueError, match="not a class"):
        state.add_point(0.0, 0.0, 5)
    with pytest.raises(ValueError, match="not a class"):
        state.dataset = (np.zeros((3, 2)), [0, 1, 0.5])
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("0,1,0\n1,0\n")
    with pytest.raises(ValueError, match="row 2 has 2 values"):
        state.dataset = str(ragged)
    assert state.to_dict() == before
    good = tmp_path / "good.csv"
    good.write_text("x1,x2,label\n" + "\n".join(f"{i % 7 - 3},{i % 5 - 2},{i % 2}" for i in range(30)))
    state.dataset = str(good)
    state.train(2)
    assert state.epoch == 2 and len(state.data[0]) + len(state.data[2]) == 30


def test_user_points_and_the_empty_data_set():
    state = PlaygroundState(dataset="points")
    with pytest.raises(ValueError, match="empty"):
        state.train()
    state.add_point(1, 1, 1)
    state.add_point(-1, -1, 0)
    state.add_point(2, -2, 2)
    assert state.classes == 3 and len(state.data[0]) == 3
    state.train(5)
    assert state.predict([[0, 0]]).shape == (1, 3)
    saved = state.to_dict()
    assert PlaygroundState.from_dict(json.loads(json.dumps(saved))).to_dict() == saved
    state.clear_points()
    assert state.points == () and len(state.data[0]) == 0


def test_problem_follows_the_data_set():
    state = PlaygroundState(dataset="plane", samples=50)
    assert state.problem == "regression"
    state.train(2)
    assert state.predict(state.data[2][:4]).shape == (4,)
    assert np.isnan(state.history["test_accuracy"]).all()
    with pytest.raises(ValueError, match="does not fit"):
        state.set(dataset="circle", problem="regression")


def test_pairs_are_saved_when_small_and_refused_when_big():
    X = np.random.default_rng(0).normal(size=(20, 3))
    state = PlaygroundState(dataset=(X, np.arange(20) % 3), hidden=(5,))
    d = state.to_dict()
    assert PlaygroundState.from_dict(json.loads(json.dumps(d))).to_dict() == d
    assert state.classes == 3 and state.confusion().sum() == 10
    state.dataset = (np.zeros((4000, 6)), np.arange(4000) % 2)
    with pytest.raises(ValueError, match="CSV file"):
        state.to_dict()


def test_early_stopping_marks_the_best_epoch():
    state = PlaygroundState(dataset="spiral", samples=80, noise=0.5, hidden=(32, 32), activation="relu",
                            optimizer="adam", lr=0.05, batch_size=40, early_stopping=5)
    state.train(300)
    assert state.stopped_early and state.epoch == state.best_epoch + 5
    losses = state.history["test_loss"]
    assert losses[state.best_epoch - 1] == losses.min()
    epoch = state.epoch
    state.train(5)
    assert state.epoch == epoch  # stays stopped until reset


def test_digits_network_and_cross_validation():
    state = PlaygroundState(dataset="digits", hidden=(16,), activation="relu", init="he", optimizer="adam",
                            lr=0.01, batch_size=64)
    state.train(5)
    assert state.history["test_accuracy"][-1] > 0.8
    matrix = state.confusion()
    assert matrix.shape == (10, 10) and matrix.sum() == len(state.data[2])
    cv = PlaygroundState(dataset="xor", samples=60, hidden=(4,), lr=0.1).cross_validate(k=3, epochs=5)
    assert cv.test_loss.shape == (3,)


def test_sliders_do_not_recompile(count_compiles):
    state = PlaygroundState(dataset="circle", samples=40, optimizer="momentum", regularization="l2")
    state.train(1)
    compiled = count_compiles.count
    for lr, rate, drop in [(0.3, 0.01, 0.0), (0.01, 0.2, 0.5), (1.0, 0.0, 0.1)]:
        state.set(lr=lr, reg_rate=rate, dropout=drop)
        state.train(1)
    state.regularization = "l1"
    state.train(1)
    assert count_compiles.count == compiled


def test_panel_surface_and_the_image_changes(pg):
    pg.reset()
    assert pg.tabs == ("playground",) and pg.open_tab("playground") is pg
    assert pg.view.children and pg.control("tab") is pg.view
    with pytest.raises(ValueError, match="no control"):
        pg.control("nope")
    first = pg.to_png()
    pg.control("step").click()
    assert pg.epoch == 1
    assert pg.to_png() != first
    before = len(pg.data[0])
    pg._clicked(0, 1.0, -2.0)  # what a click on the data plot calls
    assert len(pg.data[0]) == before + 1 and pg.points[-1][:2] == (1.0, -2.0)
    pg.control("dataset").value = "gauss"
    assert pg.dataset == "gauss" and pg.points == ()
    assert "epoch 0" in pg.status.value and "h1 = tanh" in pg.formula_box.value
    pg.control("hidden").value = "__import__('os')"
    assert pg.hidden == (4,) and "hidden" in pg.error
    d = pg.to_dict()
    assert Playground.from_dict(d).to_dict() == d


def test_misclassified_examples_and_optimizer_controls():
    state = PlaygroundState(dataset="iris", hidden=(4,), lr=0.01)
    state.train(2)
    wrong = state.misclassified()
    guesses = state.predict(state.data[2]).argmax(axis=1)
    np.testing.assert_array_equal(wrong.index, np.flatnonzero(guesses != state.data[3]))
    assert len(wrong.index) == state.confusion().sum() - np.trace(state.confusion())
    pg = Playground(optimizer="adam", samples=40)
    assert pg.control("momentum").layout.display == "none" and pg.control("beta1").value == 0.9
    pg.control("beta1").value = 0.5
    assert pg.optimizer_options == {"beta1": 0.5}
    pg.control("beta1").value = 1.5  # refused: the control goes back
    assert pg.optimizer_options == {"beta1": 0.5} and pg.control("beta1").value == 0.5 and "beta1" in pg.error
    pg.optimizer = "momentum"  # options that do not apply are dropped
    assert pg.optimizer_options == {} and pg.control("momentum").layout.display is None
    with pytest.raises(ValueError, match="do not apply"):
        pg.optimizer_options = {"beta1": 0.5}


def test_play_trains_in_the_event_loop_until_paused():
    pg = Playground(dataset="gauss", samples=40)

    async def press_play():
        pg.control("play").value = True
        for _ in range(400):
            await asyncio.sleep(0.01)
            if pg.epoch >= 3:
                break
        pg.control("play").value = False
        await asyncio.sleep(0.05)

    asyncio.run(press_play())
    assert pg.epoch >= 3 and pg._playing_task is None
    assert pg.control("play").description == "Play"
    epoch = pg.epoch
    pg.control("play").value = True  # no event loop here: nothing runs in the background
    pg.control("play").value = False
    assert pg.epoch == epoch


def test_moving_the_panel_sliders_compiles_nothing(count_compiles):
    pg = Playground(dataset="circle", samples=60, regularization="l2")
    pg.control("step").click()
    compiled = count_compiles.count
    for name, value in (("lr", 0.3), ("dropout", 0.5), ("reg_rate", 0.01), ("dropout", 0.0), ("lr", 0.001)):
        pg.control(name).value = value
        assert getattr(pg, name) == pytest.approx(value)
        pg.control("step").click()
    assert pg.epoch == 6 and count_compiles.count == compiled


@settings(max_examples=25, deadline=None)
@given(dataset=st.sampled_from(["circle", "xor", "gauss", "spiral", "moons", "plane", "wave", "iris", "points"]),
       hidden=st.lists(st.integers(1, 8), max_size=3).map(tuple),
       activation=st.sampled_from(["linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu"]),
       optimizer=st.sampled_from(["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]),
       lr=st.floats(1e-4, 10.0), dropout=st.floats(0.0, 0.9), regularization=st.sampled_from([None, "l1", "l2"]),
       features=st.lists(st.sampled_from(["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]),
                         min_size=1, max_size=4, unique=True).map(tuple),
       noise=st.floats(0.0, 0.5), early_stopping=st.one_of(st.none(), st.integers(1, 50)),
       points=st.lists(st.tuples(st.floats(-6, 6), st.floats(-6, 6), st.integers(0, 1)), max_size=3))
def test_saved_states_round_trip(dataset, hidden, activation, optimizer, lr, dropout, regularization, features,
                                 noise, early_stopping, points):
    if dataset == "iris":
        points = []
    state = PlaygroundState(dataset=dataset, hidden=hidden, activation=activation, optimizer=optimizer, lr=lr,
                            dropout=dropout, regularization=regularization, features=features, noise=noise,
                            early_stopping=early_stopping, points=points, samples=40)
    saved = state.to_dict()
    again = PlaygroundState.from_dict(json.loads(json.dumps(saved)))
    assert again.to_dict() == saved
    np.testing.assert_array_equal(again.init_params[0][0], state.init_params[0][0])


def test_only_the_data_controls_that_act_on_the_data_are_shown():
    shown = lambda p: {n: p.control(n).layout.display != "none" for n in ("noise", "samples", "features")}
    p = Playground(dataset="digits", hidden=(8,))
    assert shown(p) == {"noise": False, "samples": False, "features": False}  # 1797 fixed 64-pixel images
    p.dataset = "circle"
    assert shown(p) == {"noise": True, "samples": True, "features": True}
    p.dataset = "points"
    assert shown(p) == {"noise": False, "samples": False, "features": True}   # drawn points are 2-D, not generated


def test_the_gradient_axis_ends_on_a_decade_tick_exactly():
    """Limits from float32 sizes were 10^-3 computed in float32 (0.0010000000475), just above the 10^-3 tick,
    which then fell outside the axis and the plot's bottom had no label."""
    from nnwidgets.panels.playground import drawing

    history = {"train_loss": np.array([0.5, 0.4], np.float32), "test_loss": np.array([0.6, 0.5], np.float32),
               "gradient_size": np.array([[0.0013, 0.02], [0.0021, 0.05]], np.float32)}
    _, _, (low, high) = drawing.curve_limits(history)
    assert (low, high) == (1e-3, 0.1)
