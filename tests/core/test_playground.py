"""The playground's core against hand-written NumPy references, formulas and bad inputs."""
from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nnwidgets.core.playground import (
    ACTIVATIONS,
    MAX_LAYERS,
    MAX_NEURONS,
    Knobs,
    Setup,
    activate,
    architecture,
    check_hidden,
    check_pair,
    cross_validate,
    data_loss,
    epoch_key,
    feature_map,
    fit,
    forward,
    generate,
    init_params,
    kfold,
    matmul,
    penalty,
    read_csv,
    sample_losses,
    shuffle,
    split,
    start,
    train_epoch,
)
from nnwidgets.core.playground.network import NormStats, Params
from nnwidgets.core.playground.training import CHUNK
from nnwidgets.core.small_matmul import SMALL_PRODUCT
from nnwidgets.data.digits import load_digits

# ---- a NumPy reference of the same network, written out by hand (float64) --------------------------------
NP_ACT = {"linear": (lambda z: z, lambda z: np.ones_like(z)),
          "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
          "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
          "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
          "leaky_relu": (lambda z: np.where(z > 0, z, 0.1 * z), lambda z: np.where(z > 0, 1.0, 0.1)),
          "elu": (lambda z: np.where(z > 0, z, np.exp(np.minimum(z, 0)) - 1),
                  lambda z: np.where(z > 0, 1.0, np.exp(z)))}


def np_forward(layers, X, act):
    f, _ = NP_ACT[act]
    hs, zs = [X], []
    for W, b in layers[:-1]:
        zs.append(hs[-1] @ W + b)
        hs.append(f(zs[-1]))
    W, b = layers[-1]
    return hs, zs, hs[-1] @ W + b


def np_loss_and_output_grad(output, z, y):
    n = len(y)
    if output == "sigmoid":
        p = 1 / (1 + np.exp(-z[:, 0]))
        loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        return loss, ((p - y) / n)[:, None]
    if output == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        onehot = np.eye(z.shape[1])[y]
        return -np.mean(np.log(p[np.arange(n), y])), (p - onehot) / n
    return 0.5 * np.mean((z[:, 0] - y) ** 2), ((z[:, 0] - y) / n)[:, None]


def np_sgd(layers, X, y, act, output, lr, steps, l1=0.0, l2=0.0):
    """Full-batch gradient descent by hand: forward, backward layer by layer, p ← p − lr·g."""
    layers = [(W.astype(np.float64), b.astype(np.float64)) for W, b in layers]
    X, losses = X.astype(np.float64), []
    for _ in range(steps):
        hs, zs, z = np_forward(layers, X, act)
        loss, dz = np_loss_and_output_grad(output, z, y)
        losses.append(loss)
        grads = []
        for i in range(len(layers) - 1, -1, -1):
            W, b = layers[i]
            grads.append((hs[i].T @ dz + l1 * np.sign(W) + l2 * W, dz.sum(axis=0)))
            if i:
                dz = (dz @ W.T) * NP_ACT[act][1](zs[i - 1])
        grads.reverse()
        layers = [(W - lr * gW, b - lr * gb) for (W, b), (gW, gb) in zip(layers, grads)]
    return layers, np.array(losses)


def np_params(params):
    return [(np.asarray(W), np.asarray(b)) for W, b in params.layers]


def circle_data(n=40):
    d = split(generate("circle", n, 0.1, 3), 1.0, 0)
    return feature_map(d.X_train, ("x1", "x2")) / 5, d.y_train


CASES = {
    "sigmoid-bce": lambda: (*circle_data(), "classification", 2, "tanh", (3, 2)),
    "softmax-ce": lambda: (*_iris(), "classification", 3, "relu", (5,)),
    "linear-mse": lambda: (*_plane(), "regression", 0, "sigmoid", (4,)),
    "logistic": lambda: (*circle_data(), "classification", 2, "elu", ()),
}


def _iris():
    X, y = generate("iris", 0, 0.0, 0)
    return X[::5] / 5, y[::5]


def _plane():
    d = generate("plane", 30, 0.0, 1)
    return d.X / 6, d.y


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("reg", [(0.0, 0.0), (0.01, 0.0), (0.0, 0.05)])
def test_full_batch_sgd_matches_numpy_reference(case, reg):
    X, y, problem, classes, act, hidden = CASES[case]()
    arch = architecture(X.shape[1], hidden, problem, classes, act, False)
    params, stats = init_params(arch, "xavier", jax.random.key(1))
    setup, knobs = Setup(arch, "sgd", 10_000), Knobs(0.5, l1=reg[0], l2=reg[1])
    state = start(setup, params, stats, knobs)
    empty = (np.zeros((0, X.shape[1]), np.float32), y[:0])
    first = train_epoch(setup, state, knobs, X, y, *empty, jax.random.key(0))[1].train_loss
    result = fit(setup, state, knobs, (X, y, *empty), epochs=25, seed=0)
    ref_layers, _ = np_sgd(np_params(params), X, y, act, arch.output, 0.5, 25, *reg)
    _, ref_losses = np_sgd(np_params(params), X, y, act, arch.output, 0.5, 26, *reg)
    for (W, b), (rW, rb) in zip(np_params(result.state.params), ref_layers):
        np.testing.assert_allclose(W, rW, rtol=2e-5, atol=2e-6)
        np.testing.assert_allclose(b, rb, rtol=2e-5, atol=2e-6)
    # the history holds the loss after each epoch: the reference's loss before step 2, 3, ...
    np.testing.assert_allclose(result.history["train_loss"], ref_losses[1:], rtol=2e-5, atol=1e-6)
    np.testing.assert_allclose(first, ref_losses[1], rtol=2e-5)
    assert np.isnan(result.history["test_loss"]).all()


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activations_and_their_gradients_match_numpy(name):
    z = np.linspace(-4, 4, 81).astype(np.float32)
    f, df = NP_ACT[name]
    np.testing.assert_allclose(activate(name, jnp.asarray(z)), f(z.astype(np.float64)), rtol=1e-6, atol=1e-6)
    grad = jax.vmap(jax.grad(lambda v: activate(name, v)))(jnp.asarray(z[z != 0]))
    np.testing.assert_allclose(grad, df(z[z != 0].astype(np.float64)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
def test_losses_and_their_gradients_match_numpy(output):
    rng = np.random.default_rng(0)
    z = rng.normal(size=(7, 4 if output == "softmax" else 1)).astype(np.float32)
    y = rng.integers(0, 4 if output == "softmax" else 2, 7) if output != "linear" else rng.normal(size=7)
    y = y.astype(np.float32 if output == "linear" else np.int32)
    loss, grad_ref = np_loss_and_output_grad(output, z.astype(np.float64), y)
    np.testing.assert_allclose(data_loss(output, jnp.asarray(z), jnp.asarray(y)), loss, rtol=1e-6)
    grad = jax.grad(lambda v: data_loss(output, v, jnp.asarray(y)))(jnp.asarray(z))
    np.testing.assert_allclose(grad, grad_ref, rtol=1e-5, atol=1e-7)
    assert sample_losses(output, jnp.asarray(z), jnp.asarray(y)).shape == (7,)


def test_regularisation_gradient_is_the_formula():
    arch = architecture(3, (4,), "classification", 2, "tanh", False)
    params, _ = init_params(arch, "normal", jax.random.key(0), init_scale=0.7)
    grads = jax.grad(penalty)(params, 0.3, 0.2)
    for (W, _), (gW, gb) in zip(params.layers, grads.layers):
        np.testing.assert_allclose(gW, 0.3 * np.sign(W) + 0.2 * np.asarray(W), rtol=1e-6)
        np.testing.assert_array_equal(gb, 0.0)
    value = sum(0.3 * np.abs(W).sum() + 0.1 * (np.asarray(W) ** 2).sum() for W, _ in params.layers)
    np.testing.assert_allclose(penalty(params, 0.3, 0.2), value, rtol=1e-6)


@pytest.mark.parametrize("rate", [0.0, 0.2, 0.5, 0.8])
def test_dropout_masks_keep_one_minus_p_and_scale_by_its_inverse(rate):
    arch = architecture(1, (64,), "regression", 0, "linear", False)
    layers = ((jnp.ones((1, 64)), jnp.zeros(64)), (jnp.ones((64, 1)), jnp.zeros(1)))
    params = Params(layers, ())
    X = jnp.ones((500, 1))
    out = forward(arch, params, NormStats((), ()), X, train=True, dropout=rate, key=jax.random.key(7))
    h = np.asarray(out.layers[0])
    kept = h != 0
    n = h.size
    assert abs(kept.mean() - (1 - rate)) <= 4 * np.sqrt(rate * (1 - rate) / n) + 1e-9
    np.testing.assert_allclose(h[kept], 1 / (1 - rate), rtol=1e-6)
    assert abs(h.mean() - 1) < 0.02  # inverted dropout keeps the expected value
    evaluation = forward(arch, params, NormStats((), ()), X)
    np.testing.assert_array_equal(evaluation.layers[0], 1.0)  # no dropout outside training


def test_batch_norm_matches_numpy_in_training_and_evaluation():
    arch = architecture(3, (5, 4), "classification", 3, "relu", True)
    params, stats = init_params(arch, "he", jax.random.key(2))
    norm = tuple((jnp.linspace(0.5, 1.5, n), jnp.linspace(-0.2, 0.3, n)) for n in (5, 4))
    params = params._replace(norm=norm)
    X = np.random.default_rng(1).normal(size=(9, 3)).astype(np.float32)
    out = forward(arch, params, stats, jnp.asarray(X), train=True, key=jax.random.key(0))
    h, running = X.astype(np.float64), []
    for (W, b), (gamma, beta), mean0, var0 in zip(np_params(params)[:-1], norm, stats.mean, stats.var):
        z = h @ W + b
        mu, var = z.mean(axis=0), z.var(axis=0)
        h = np.maximum(np.asarray(gamma) * (z - mu) / np.sqrt(var + 1e-5) + np.asarray(beta), 0)
        running.append((0.9 * np.asarray(mean0) + 0.1 * mu, 0.9 * np.asarray(var0) + 0.1 * z.var(axis=0, ddof=1)))
        np.testing.assert_allclose(out.layers[len(running) - 1], h, rtol=1e-4, atol=1e-5)
    for i, (mu, var) in enumerate(running):
        np.testing.assert_allclose(out.stats.mean[i], mu, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(out.stats.var[i], var, rtol=1e-5, atol=1e-6)
    evaluation = forward(arch, params, out.stats, jnp.asarray(X))
    (W, b), (gamma, beta) = np_params(params)[0], norm[0]
    z = X @ W + b
    expected = np.maximum(np.asarray(gamma) * (z - running[0][0]) / np.sqrt(running[0][1] + 1e-5) + beta, 0)
    np.testing.assert_allclose(evaluation.layers[0], expected, rtol=1e-4, atol=1e-5)


def test_padded_last_batch_counts_only_real_samples_in_batch_norm():
    arch = architecture(2, (3,), "classification", 2, "tanh", True)
    params, stats = init_params(arch, "xavier", jax.random.key(0))
    X = np.random.default_rng(0).normal(size=(5, 2)).astype(np.float32)
    padded = np.concatenate([X, np.zeros((3, 2), np.float32)])
    weights = np.array([1, 1, 1, 1, 1, 0, 0, 0], np.float32)
    a = forward(arch, params, stats, X, train=True, key=jax.random.key(1))
    b = forward(arch, params, stats, padded, train=True, key=jax.random.key(1), weights=weights)
    np.testing.assert_allclose(a.layers[0], b.layers[0][:5], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(a.stats.var[0], b.stats.var[0], rtol=1e-5)


def test_kfold_tests_every_sample_exactly_once():
    for n, k in [(10, 3), (7, 7), (101, 5)]:
        folds = kfold(n, k, seed=4)
        tested = np.concatenate([f.test for f in folds])
        np.testing.assert_array_equal(np.sort(tested), np.arange(n))
        for f in folds:
            assert not set(f.train) & set(f.test)
            assert len(f.train) + len(f.test) == n
            assert abs(len(f.test) - n / k) < 1
    with pytest.raises(ValueError, match="k .*2..10"):
        kfold(10, 11)
    with pytest.raises(ValueError, match="k"):
        kfold(10, 1)


def test_cross_validate_scores_each_fold():
    X, y = circle_data(60)
    arch = architecture(2, (4,), "classification", 2, "tanh", False)
    cv = cross_validate(Setup(arch, "adam", 10), Knobs(0.05), X, y, k=3, epochs=20, seed=0)
    assert cv.test_loss.shape == (3,) and np.isfinite(cv.test_loss).all()
    assert (cv.test_accuracy > 0.5).all()


def test_same_seed_same_numbers_and_training_in_pieces_is_the_same():
    X, y = circle_data(50)
    arch = architecture(2, (4, 3), "classification", 2, "relu", True)
    params, stats = init_params(arch, "he", jax.random.key(5))
    setup, knobs = Setup(arch, "momentum", 8), Knobs(0.05, dropout=0.2, l2=0.01)
    data = (X[:30], y[:30], X[30:], y[30:])
    whole = fit(setup, start(setup, params, stats, knobs), knobs, data, 6, seed=3)
    again = fit(setup, start(setup, params, stats, knobs), knobs, data, 6, seed=3)
    first = fit(setup, start(setup, params, stats, knobs), knobs, data, 2, seed=3)
    rest = fit(setup, first.state, knobs, data, 4, seed=3, first_epoch=2)
    for a, b, c in zip(jax.tree.leaves(whole.state.params), jax.tree.leaves(again.state.params),
                       jax.tree.leaves(rest.state.params)):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)
    np.testing.assert_array_equal(whole.history["test_loss"][2:], rest.history["test_loss"])


def test_changing_lr_reg_and_dropout_never_recompiles(count_compiles):
    X, y = circle_data(40)
    arch = architecture(2, (5, 3), "classification", 2, "tanh", False)
    params, stats = init_params(arch, "xavier", jax.random.key(0))
    setup = Setup(arch, "adam", 10)
    data = (X[:30], y[:30], X[30:], y[30:])
    state = start(setup, params, stats, Knobs(0.01))
    state, _ = train_epoch(setup, state, Knobs(0.01), *data, jax.random.key(0))
    compiled = count_compiles.count
    for knobs in [Knobs(0.3), Knobs(0.3, l1=0.01), Knobs(0.1, l2=0.2, dropout=0.5),
                  Knobs(0.1, options={"beta1": 0.5, "eps": 1e-6})]:
        state, _ = train_epoch(setup, state, knobs, *data, jax.random.key(1))
    assert count_compiles.count == compiled
    bigger = Setup(architecture(2, (6, 3), "classification", 2, "tanh", False), "adam", 10)
    params, stats = init_params(bigger.arch, "xavier", jax.random.key(0))
    state = start(bigger, params, stats, Knobs(0.01))
    before = count_compiles.count
    for lr in (0.01, 0.2):
        state, _ = train_epoch(bigger, state, Knobs(lr), *data, jax.random.key(2))
    epoch_programs = [p for p in count_compiles.programs[before:] if "_epoch" in p]
    assert len(epoch_programs) == 1  # the new architecture's epoch compiles once


def test_early_stopping_marks_the_best_test_epoch():
    d = split(generate("spiral", 80, 0.5, 0), 0.5, 0)
    arch = architecture(2, (32, 32), "classification", 2, "relu", False)
    params, stats = init_params(arch, "he", jax.random.key(0))
    setup, knobs = Setup(arch, "adam", 40), Knobs(0.05)
    result = fit(setup, start(setup, params, stats, knobs), knobs, tuple(d), 400, seed=0, patience=10)
    losses = result.history["test_loss"]
    assert result.stopped and len(losses) == result.best_epoch + 10
    assert losses[result.best_epoch - 1] == losses.min()


# ---- the data sets --------------------------------------------------------------------------------
def test_noise_free_generators_follow_tensorflow_playground_rules():
    X, y = generate("circle", 400, 0.0, 0)
    np.testing.assert_array_equal(y, np.hypot(X[:, 0], X[:, 1]) < 2.5)
    X, y = generate("xor", 400, 0.0, 0)
    np.testing.assert_array_equal(y, X[:, 0] * X[:, 1] >= 0)
    assert (np.abs(X) >= 0.3).all() and (np.abs(X) <= 5.3).all()
    X, y = generate("plane", 100, 0.0, 0)
    np.testing.assert_allclose(y, X.sum(axis=1) / 10, rtol=1e-5, atol=1e-6)
    X, y = generate("wave", 100, 0.0, 0)
    np.testing.assert_allclose(y, (np.sin(X[:, 0]) + np.sin(X[:, 1])) / 2, rtol=1e-5, atol=1e-6)
    X, y = generate("spiral", 100, 0.0, 0)
    np.testing.assert_allclose(np.hypot(X[:50, 0], X[:50, 1]), np.arange(50) / 10, atol=1e-5)
    for name in ("circle", "xor", "gauss", "spiral", "moons"):
        X, y = generate(name, 101, 0.3, 1)
        assert X.shape == (101, 2) and y.dtype == np.int32 and set(np.unique(y)) == {0, 1}
    noisy = generate("circle", 400, 0.5, 0)
    assert (noisy.y != (np.hypot(noisy.X[:, 0], noisy.X[:, 1]) < 2.5)).sum() > 10


def test_shipped_sets():
    X, y = generate("digits", 0, 0.0, 0)
    assert X.shape == (1797, 64) and X.max() == 1.0 and np.bincount(y).tolist()[0] == 178
    raw, labels = load_digits()
    assert raw[0].reshape(8, 8)[0].tolist() == [0, 0, 5, 13, 9, 1, 0, 0] and labels[:3].tolist() == [0, 1, 2]
    X, y = generate("iris", 0, 0.0, 0)
    assert X.shape == (150, 4) and np.bincount(y).tolist() == [50, 50, 50]


def test_features():
    X = np.array([[1.0, 2.0], [-0.5, 3.0]], np.float32)
    out = feature_map(X, ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"))
    expected = [[1, 2, 1, 4, 2, np.sin(1), np.sin(2)], [-0.5, 3, 0.25, 9, -1.5, np.sin(-0.5), np.sin(3)]]
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_split_fraction():
    d = split(generate("gauss", 10, 0.0, 0), 0.3, 0)
    assert len(d.X_train) == 3 and len(d.X_test) == 7
    assert sorted(np.concatenate([d.y_train, d.y_test]).tolist()) == [0] * 5 + [1] * 5


def test_csv_files(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("x1,x2,label\n0.5,1,0\n-1,2,1\n\n3,4,2\n")
    X, y = read_csv(good, "classification")
    assert X.tolist() == [[0.5, 1], [-1, 2], [3, 4]] and y.tolist() == [0, 1, 2]
    cases = {"0,1,0\n1,2\n": "row 2 has 2 values, the first row has 3",
             "0,1,0\n1,two,1\n": "row 2 holds 'two', not a finite number",
             "a,b,c\n0,nan,1\n": "row 2 holds 'nan', not a finite number",
             "0,1,0\n1,1,inf\n": "row 2 holds 'inf'",
             "0,1,0\n1,1,0.5\n": "label 0.5 in row 2 is not a class",
             "0,1,-1\n": "label -1 in row 1 is not a class",
             "x,y\n": "no data rows",
             "": "no data rows"}
    for text, message in cases.items():
        path = tmp_path / "bad.csv"
        path.write_text(text)
        with pytest.raises(ValueError, match=message):
            read_csv(path, "classification")
    with pytest.raises(ValueError, match="cannot be read"):
        read_csv(tmp_path / "missing.csv", "classification")


def test_bad_pairs_and_sizes():
    with pytest.raises(ValueError, match="finite"):
        check_pair([[0.0, np.nan]], [1], "classification")
    with pytest.raises(ValueError, match="non-empty"):
        check_pair(np.zeros((0, 2)), [], "classification")
    with pytest.raises(ValueError, match="one target per row"):
        check_pair([[0, 1], [1, 2]], [1], "classification")
    with pytest.raises(ValueError, match="label 3.5 in row 2 is not a class"):
        check_pair([[0, 1], [1, 2]], [1, 3.5], "classification")
    assert check_pair([[0, 1], [1, 2]], [1, 3.5], "regression").y.dtype == np.float32
    for bad, message in [((0,), "1..64 neurons, got 0"), ((4, -2), "got -2"), ((MAX_NEURONS + 1,), "1..64"),
                         ((2,) * (MAX_LAYERS + 1), "at most 6 hidden layers"), ("4,2", "such as"),
                         ((2.5,), "got 2.5"), ((True,), "got True")]:
        with pytest.raises(ValueError, match=message):
            check_hidden("hidden", bad)
    assert check_hidden("hidden", 3) == (3,) and check_hidden("hidden", []) == ()


def np_rule(kind, lr, steps, grad_of, params):
    """PyTorch's update rules written out (nnwidgets.core.optim's docstring), on a list of arrays."""
    state = [dict(b=np.zeros_like(p), h=np.zeros_like(p), m=np.zeros_like(p), v=np.zeros_like(p)) for p in params]
    for t in range(1, steps + 1):
        grads = grad_of(params)
        new = []
        for p, g, s in zip(params, grads, state):
            if kind == "sgd":
                p = p - lr * g
            elif kind in ("momentum", "nesterov"):
                s["b"] = 0.9 * s["b"] + g
                p = p - lr * (g + 0.9 * s["b"] if kind == "nesterov" else s["b"])
            elif kind == "adagrad":
                s["h"] = s["h"] + g * g
                p = p - lr * g / np.sqrt(s["h"] + 1e-10)
            elif kind == "rmsprop":
                s["v"] = 0.99 * s["v"] + 0.01 * g * g
                p = p - lr * g / (np.sqrt(s["v"]) + 1e-8)
            else:
                s["m"] = 0.9 * s["m"] + 0.1 * g
                s["v"] = 0.999 * s["v"] + 0.001 * g * g
                p = p - lr * (s["m"] / (1 - 0.9 ** t)) / (np.sqrt(s["v"] / (1 - 0.999 ** t)) + 1e-8)
            new.append(p)
        params = new
    return params


@pytest.mark.parametrize("kind", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_every_optimizer_follows_the_race_rules(kind):
    X, y = _plane()
    arch = architecture(2, (), "regression", 0, "linear", False)
    params, stats = init_params(arch, "normal", jax.random.key(3), init_scale=0.5)
    setup, knobs = Setup(arch, kind, 10_000), Knobs(0.05)
    empty = (np.zeros((0, 2), np.float32), y[:0])
    result = fit(setup, start(setup, params, stats, knobs), knobs, (X, y, *empty), epochs=8, seed=0)

    def grad_of(p):
        W, b = p
        _, dz = np_loss_and_output_grad("linear", X.astype(np.float64) @ W + b, y)
        return [X.T.astype(np.float64) @ dz, dz.sum(axis=0)]

    W0, b0 = np_params(params)[0]
    W, b = np_rule(kind, 0.05, 8, grad_of, [W0.astype(np.float64), b0.astype(np.float64)])
    np.testing.assert_allclose(result.state.params.layers[0][0], W, rtol=2e-5, atol=2e-6)
    np.testing.assert_allclose(result.state.params.layers[0][1], b, rtol=2e-5, atol=2e-6)


def test_runs_longer_than_one_compiled_chunk_match_epoch_by_epoch_training():
    X, y = circle_data(30)
    arch = architecture(2, (3,), "classification", 2, "tanh", False)
    params, stats = init_params(arch, "xavier", jax.random.key(0))
    setup, knobs = Setup(arch, "adam", 8), Knobs(0.05, dropout=0.1)
    data = (X[:20], y[:20], X[20:], y[20:])
    epochs = CHUNK + 6
    whole = fit(setup, start(setup, params, stats, knobs), knobs, data, epochs, seed=1)
    state, losses = start(setup, params, stats, knobs), []
    for e in range(epochs):
        state, result = train_epoch(setup, state, knobs, *data, epoch_key(1, e))
        losses.append(float(result.test_loss))
    np.testing.assert_allclose(whole.history["test_loss"], losses, rtol=1e-6)
    for a, b in zip(jax.tree.leaves(whole.state.params), jax.tree.leaves(state.params)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert whole.history["gradient_size"].shape == (epochs, 2)


@pytest.mark.parametrize("rows, inputs, outputs", [(10, 2, 8), (10, 8, 8), (250, 8, 1), (32, 64, 32), (1, 1, 1)])
def test_matmul_and_its_gradient_match_numpy_for_small_and_large_products(rows, inputs, outputs):
    assert SMALL_PRODUCT < 32 * 64 * 32  # the last case takes the dot, the others the elementwise sum
    rng = np.random.default_rng(rows + inputs + outputs)
    a, b = rng.normal(size=(rows, inputs)), rng.normal(size=(inputs, outputs))
    g = rng.normal(size=(rows, outputs))  # the gradient of Σ g ⊙ (a @ b) is (g bᵀ, aᵀ g)
    a32, b32 = a.astype(np.float32), b.astype(np.float32)
    np.testing.assert_allclose(matmul(a32, b32), a32.astype(np.float64) @ b32, rtol=1e-5, atol=1e-5)
    da, db = jax.grad(lambda x, w: jnp.sum(g.astype(np.float32) * matmul(x, w)), argnums=(0, 1))(a32, b32)
    np.testing.assert_allclose(da, g @ b32.T.astype(np.float64), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(db, a32.T.astype(np.float64) @ g, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("n", [1, 2, 7, 250, 1000, (1 << 16) + 3])
def test_shuffle_is_a_permutation(n):
    order = np.asarray(shuffle(jax.random.key(n), n))
    assert order.dtype == np.int32
    np.testing.assert_array_equal(np.sort(order), np.arange(n))
    assert n < 7 or not np.array_equal(order, np.arange(n))


def test_shuffle_puts_every_sample_everywhere_equally_often():
    n, draws = 5, 6000
    orders = np.stack([np.asarray(shuffle(jax.random.key(k), n)) for k in range(draws)])
    counts = np.stack([(orders == i).sum(axis=0) for i in range(n)])  # counts[i, j]: sample i at place j
    expected = draws / n
    chi2 = ((counts - expected) ** 2 / expected).sum()
    assert chi2 < 50  # 16 degrees of freedom: P(χ² > 50) < 1e-4 for a fair shuffle
    pairs = {tuple(o[:2]) for o in orders}
    assert len(pairs) == n * (n - 1)  # every ordered pair of first two samples occurs


def test_fit_compiles_once_for_any_knobs_epochs_and_patience(count_compiles):
    X, y = circle_data(40)
    arch = architecture(2, (5, 3), "classification", 2, "tanh", True)
    params, stats = init_params(arch, "xavier", jax.random.key(0))
    setup, data = Setup(arch, "momentum", 10), (X[:30], y[:30], X[30:], y[30:])
    state = start(setup, params, stats, Knobs(0.01))
    fit(setup, state, Knobs(0.01), data, 3, seed=0)
    compiled = count_compiles.count
    for knobs, epochs, patience in [(Knobs(0.3, dropout=0.5), 1, None), (Knobs(0.1, l1=0.01), CHUNK + 2, 5),
                                    (Knobs(0.2, l2=0.1, options={"momentum": 0.5}), 7, None),
                                    (Knobs(0.05, dropout=0.0), 1, 2)]:
        state = fit(setup, state, knobs, data, epochs, seed=1, first_epoch=4, patience=patience).state
    assert count_compiles.count == compiled, count_compiles.programs[compiled:]


def test_dropout_zero_draws_no_masks_and_positive_dropout_changes_the_steps():
    X, y = circle_data(40)
    arch = architecture(2, (6,), "classification", 2, "relu", False)
    params, stats = init_params(arch, "he", jax.random.key(2))
    setup, data = Setup(arch, "sgd", 8), (X[:30], y[:30], X[30:], y[30:])
    runs = {rate: fit(setup, start(setup, params, stats, Knobs(0.1)), Knobs(0.1, dropout=rate), data, 3, seed=4)
            for rate in (0.0, 1e-9, 0.5)}
    # a tiny rate keeps (almost surely) every unit: the same numbers as no dropout, through the masked path
    np.testing.assert_allclose(runs[1e-9].history["train_loss"], runs[0.0].history["train_loss"], rtol=1e-6)
    assert not np.allclose(runs[0.5].history["train_loss"], runs[0.0].history["train_loss"])


@pytest.mark.parametrize("init", ["xavier", "he", "normal", "zeros"])
def test_initial_weights_are_the_op_by_op_draws_bit_for_bit(init):
    """``init_params`` draws every layer in one program; the weights must be, to the last bit, those the plain
    op-by-op formula gives (s · N(0, 1) per layer from ``jax.random.split``): the lessons' stored numbers
    depend on them."""
    import math

    for hidden, inputs, classes, batch_norm in (((8, 8), 2, 2, False), ((6, 5, 4), 64, 10, True), ((1,), 1, 0, False),
                                               ((3,) * 6, 4, 3, False)):
        arch = architecture(inputs, hidden, "classification" if classes else "regression", classes, "relu", batch_norm)
        for seed in (0, 3, 12345):
            key = jax.random.fold_in(jax.random.key(seed), 10**6)
            params, stats = init_params(arch, init, key, init_scale=0.37)
            keys = jax.random.split(key, len(arch.sizes) - 1)
            for k, n_in, n_out, (W, b) in zip(keys, arch.sizes[:-1], arch.sizes[1:], params.layers, strict=True):
                std = {"xavier": math.sqrt(2.0 / (n_in + n_out)), "he": math.sqrt(2.0 / n_in), "normal": 0.37,
                       "zeros": 0.0}[init]
                expected = std * jax.random.normal(k, (n_in, n_out), jnp.float32)
                assert np.asarray(W).tobytes() == np.asarray(expected).tobytes() and W.dtype == jnp.float32
                np.testing.assert_array_equal(b, np.zeros(n_out, np.float32))
            hidden_sizes = arch.sizes[1:-1] if batch_norm else ()
            assert [np.asarray(g).tolist() for g, _ in params.norm] == [[1.0] * n for n in hidden_sizes]
            assert [np.asarray(v).tolist() for v in stats.var] == [[1.0] * n for n in hidden_sizes]
