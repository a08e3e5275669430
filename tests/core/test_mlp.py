"""train_mlp against a NumPy transcription of the seed's TwoLayerNet loop (seed 001)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nnwidgets.core.mlp import HiddenPlane, MLPResult, hidden_plane, mlp_loss, snapshot_epochs, train_mlp

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)  # the seed's XOR data and order
T = np.array([[0], [1], [1], [0]], dtype=np.float32)


def seed_numpy_loop(params, x, t, lr, epochs):
    """The seed's Affine / Sigmoid / MSE layers and update loop, in float64."""
    W1, b1, W2, b2 = (np.array(params[k], dtype=np.float64) for k in ("W1", "b1", "W2", "b2"))
    x, t = x.astype(np.float64), t.astype(np.float64)
    sigmoid = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    losses = []
    for _ in range(epochs):
        h = sigmoid(x @ W1 + b1)
        y = sigmoid(h @ W2 + b2)
        dy = (y - t) / x.shape[0]  # MSE.backward
        da2 = dy * (1 - y) * y  # Sigmoid.backward
        dW2, db2, dh = h.T @ da2, da2.sum(axis=0), da2 @ W2.T  # Affine.backward
        da1 = dh * (1 - h) * h
        dW1, db1 = x.T @ da1, da1.sum(axis=0)
        W1, b1, W2, b2 = W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
        y = sigmoid(sigmoid(x @ W1 + b1) @ W2 + b2)
        losses.append(0.5 * np.square(t - y).sum())  # the seed's MSE.forward (no 1/N)
    predict = lambda x: sigmoid(sigmoid(x @ W1 + b1) @ W2 + b2)  # noqa: E731
    return np.array(losses), {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, predict


@pytest.fixture(scope="module")
def seed_run():
    result = train_mlp(X, T, hidden_size=3, lr=0.1, epochs=20000, seed=0)
    losses, params, predict = seed_numpy_loop(result.init_params, X, T, 0.1, 20000)
    return result, losses, params, predict


def test_init_is_the_seeds_uniform_and_zeros(seed_run):
    result = seed_run[0]
    for name in ("W1", "W2"):
        assert result.init_params[name].min() >= 0 and result.init_params[name].max() < 1
    assert not np.any(result.init_params["b1"]) and not np.any(result.init_params["b2"])
    assert result.init_params["W1"].shape == (2, 3) and result.init_params["W2"].shape == (3, 1)


def test_predictions_match_numpy_seed_loop(seed_run):
    result, _, _, predict = seed_run
    # float32 (JAX) against float64 (NumPy) after 20000 steps; measured max difference ~1e-6
    np.testing.assert_allclose(result.predict(X), predict(X.astype(np.float64)), atol=2e-5)
    assert (result.predict(X) > 0.5).astype(int).ravel().tolist() == [0, 1, 1, 0]


def test_params_and_losses_match_numpy_seed_loop(seed_run):
    result, losses, params, _ = seed_run
    # float32 vs float64 after 20000 steps: measured max |difference| 1.5e-5 (params), 2.7e-6 relative (losses)
    for name in params:
        np.testing.assert_allclose(result.params[name], params[name], atol=1e-4, rtol=1e-4)
    # our loss is the seed's printed loss divided by N = 4 (mean over samples, matching its gradient)
    np.testing.assert_allclose(result.losses, losses / 4, rtol=2e-5)
    assert result.losses.shape == (20000,)


def test_loss_is_half_mean_squared_error_and_its_gradient_is_the_seeds():
    params = {"W1": np.float32([[0.2, 0.4, 0.6], [0.1, 0.3, 0.5]]), "b1": np.zeros(3, np.float32),
              "W2": np.float32([[0.3], [0.2], [0.9]]), "b2": np.zeros(1, np.float32)}
    losses, _, _ = seed_numpy_loop(params, X, T, lr=0.0, epochs=1)
    np.testing.assert_allclose(float(mlp_loss(params, X, T)), losses[0] / 4, rtol=1e-6)
    grads = jax.grad(mlp_loss)(params, X, T)
    _, stepped, _ = seed_numpy_loop(params, X, T, lr=1.0, epochs=1)  # one step with lr 1 = minus the gradient
    for name in params:
        np.testing.assert_allclose(np.asarray(grads[name]), params[name] - stepped[name], atol=1e-7)


def test_snapshots_cover_training(seed_run):
    result = seed_run[0]
    assert result.snapshot_epochs[0] == 0 and result.snapshot_epochs[-1] == 20000
    assert len(result.snapshot_epochs) == 201
    np.testing.assert_array_equal(result.snapshots["W1"][-1], result.params["W1"])
    np.testing.assert_array_equal(result.snapshots["W1"][0], result.init_params["W1"])


def test_results_are_named_tuples(seed_run):
    result = seed_run[0]
    assert isinstance(result, MLPResult) and isinstance(result, tuple)
    assert result._fields == ("losses", "init_params", "params", "snapshot_epochs", "snapshots", "lr")
    plane = hidden_plane(result.params, X)
    assert isinstance(plane, HiddenPlane) and plane.coords.shape == (4, 2) and plane.boundary.shape == ()


@pytest.mark.parametrize("epochs", [1, 7, 199, 200, 201, 399, 20000, 20001])
def test_snapshot_epochs_are_the_ones_training_keeps(epochs):
    kept = snapshot_epochs(epochs)
    assert kept[0] == 0 and kept[-1] == epochs and len(kept) <= 201
    assert np.all(np.diff(kept) > 0)
    if epochs <= 399:
        np.testing.assert_array_equal(train_mlp(X, T, epochs=epochs, progress=False).snapshot_epochs, kept)


def test_hidden_layer_of_trained_xor_net_is_linearly_separable(seed_run):
    result = seed_run[0]
    coords, boundary = hidden_plane(result.params, X)
    along = np.asarray(coords)[:, 0]
    assert np.all((along > float(boundary)) == (T[:, 0] == 1)) or np.all((along < float(boundary)) == (T[:, 0] == 1))


def test_retraining_from_the_same_init_params_is_reproducible(seed_run):
    result = seed_run[0]
    again = train_mlp(X, T, epochs=20000, init_params=result.init_params)
    np.testing.assert_array_equal(again.losses, result.losses)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr": 0.0}, "lr must be a positive number, got 0.0"),
        ({"lr": float("nan")}, "lr must be a finite number, got nan"),
        ({"hidden_size": 0}, "hidden_size must be 1..1024, got 0"),
        ({"epochs": 2.5}, "epochs must be a positive integer, got 2.5"),
        ({"x": [[0, 0], [1, 1]]}, "x must have shape (n, d) and t shape (n,) or (n, k) with the same n"),
        ({"lr": 1e308}, "lr must be a positive number up to 1e+06, got 1e+308"),
        ({"seed": 10**20}, "seed must be an integer from 0 to 4294967295, got 100000000000000000000"),
        ({"seed": -1}, "seed must be an integer from 0 to 4294967295, got -1"),
        ({"t": [[0], [1], [float("inf")], [0]]}, "t must contain only finite numbers"),
        ({"seed": "zero"}, "seed must be an integer, got 'zero'"),
        ({"init_params": {"W1": np.zeros((2, 3))}}, "init_params must be a dict with keys"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, message):
    args = {"x": X, "t": T, "epochs": 10, **kwargs}
    with pytest.raises(ValueError) as err:
        train_mlp(**args)
    assert message in str(err.value)


def test_no_progress_bar_for_the_seeds_short_run(capfd):
    train_mlp(X, T, epochs=20000, seed=0)
    assert "training" not in capfd.readouterr().err


@pytest.mark.slow
def test_progress_bar_for_a_run_over_a_second(capfd):
    # ~5 s on the 2-core dev machine; the bar appears once the projected time passes one second
    result = train_mlp(X, T, hidden_size=256, epochs=1_000_000, seed=0)
    err = capfd.readouterr().err
    assert "training" in err and "epoch" in err
    assert result.losses.shape == (1_000_000,)


@pytest.mark.parametrize("hidden_size", [1, 2, 7, 16, 17])
def test_every_hidden_size_matches_the_numpy_seed_loop(hidden_size):
    """Sizes up to 16 train padded to 16 units (17 to 32): the padding must not change a number beyond float32."""
    result = train_mlp(X, T, hidden_size=hidden_size, lr=0.5, epochs=2000, seed=hidden_size)
    losses, params, predict = seed_numpy_loop(result.init_params, X, T, 0.5, 2000)
    assert result.params["W1"].shape == (2, hidden_size) and result.snapshots["W2"].shape[1:] == (hidden_size, 1)
    for name in params:
        np.testing.assert_allclose(result.params[name], params[name], atol=1e-4, rtol=1e-4)
    np.testing.assert_allclose(result.losses, losses / 4, rtol=2e-5, atol=1e-9)
    np.testing.assert_allclose(result.predict(X), predict(X.astype(np.float64)), atol=2e-5)


def test_hidden_planes_of_padded_layers_match_the_unpadded_picture():
    from nnwidgets.core.mlp import hidden_planes
    result = train_mlp(X, T, hidden_size=3, lr=0.5, epochs=600, seed=1)
    planes = hidden_planes(result.snapshots, X)
    for k in (0, 50, len(result.snapshot_epochs) - 1):
        one = hidden_plane({name: result.snapshots[name][k] for name in result.snapshots}, X)  # 3 units, unpadded
        np.testing.assert_allclose(planes.coords[k], one.coords, atol=2e-6)
        np.testing.assert_allclose(planes.boundary[k], one.boundary, rtol=1e-6)


def test_a_new_hidden_size_compiles_nothing(count_compiles):
    """The MLP tab's hidden-size slider (1-16): padded training, one program for every size's initial weights."""
    from nnwidgets.core.mlp import hidden_planes
    warm = train_mlp(X, T, hidden_size=3, lr=0.1, epochs=400, seed=0)
    warm.predict(X, 200)
    hidden_planes(warm.snapshots, X)
    before = count_compiles.count
    for size in (1, 5, 9, 16):
        result = train_mlp(X, T, hidden_size=size, lr=0.1, epochs=400, seed=0)
        result.predict(X, 200)
        hidden_planes(result.snapshots, X)
    assert count_compiles.programs[before:] == []


@pytest.mark.parametrize("partitionable", [True, False])
def test_initial_weights_of_every_size_are_the_per_shape_draws(partitionable):
    """Sizes 1-16 share one program (the widest layer's weights, cut) only where JAX's random bits allow it:
    every size must give exactly the numbers of drawing its own shapes."""
    from nnwidgets.core.mlp import init_mlp_params
    before = jax.config.jax_threefry_partitionable
    jax.config.update("jax_threefry_partitionable", partitionable)
    try:
        for seed in (0, 7, 2**32 - 1):
            k1, k2 = jax.random.split(jax.random.key(seed))
            for size in (1, 3, 9, 16, 17):
                params = init_mlp_params(seed, 2, size, 1)
                np.testing.assert_array_equal(params["W1"], jax.random.uniform(k1, (2, size), jnp.float32))
                np.testing.assert_array_equal(params["W2"], jax.random.uniform(k2, (size, 1), jnp.float32))
                assert not params["b1"].any() and params["b1"].shape == (size,) and params["b2"].shape == (1,)
    finally:
        jax.config.update("jax_threefry_partitionable", before)
