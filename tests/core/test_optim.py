"""core.optim / core.race / core.train: the update rules against the book, torch.optim and optax."""
import importlib.util

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nnwidgets.core.optim import (
    DEFAULTS,
    KINDS,
    adagrad,
    adam,
    book_velocity,
    check_hyperparameters,
    effective_lr,
    momentum,
    nesterov,
    optimizer,
    rmsprop,
    sgd,
    with_hyperparameters,
)
from nnwidgets.core.race import (
    BLOWUP,
    SURFACES,
    contour_levels,
    dlfs,
    first_below,
    gd_contraction,
    gradient_descent_1d,
    quadratic,
    race,
    regime,
    surface_grid,
)
from nnwidgets.core.train import iris_problem, iterations_per_epoch, train_race, xor_problem

# WORKED_EXAMPLES, "Optimizers": the book's rules (eps 1e-7), 30 updates from (-7, 2) on x²/20 + y².
BOOK_FINAL = {"sgd": (-0.350393, 0.084782), "momentum": (0.896414, 0.088086), "adagrad": (-0.120162, 0.0),
              "adam": (0.136007, 0.318245)}
BOOK_HP = {"sgd": {"lr": 0.95}, "momentum": {"lr": 0.1, "momentum": 0.9}, "adagrad": {"lr": 1.5},
           "adam": {"lr": 0.3, "beta1": 0.9, "beta2": 0.999}}
# Stated tolerance for rule-against-rule comparisons in float32 over >= 100 steps: 1e-4 x (1 + |p|).
PATH_RTOL = 1e-4


def book_race(kind, steps=30):
    """"Deep Learning from Scratch" ch. 6 classes, transcribed in NumPy float64 (the independent reference)."""
    p = np.array([-7.0, 2.0])
    grad = lambda p: np.array([p[0] / 10, 2 * p[1]])  # noqa: E731
    v, h, m, t = np.zeros(2), np.zeros(2), np.zeros(2), 0
    hp = BOOK_HP[kind]
    for _ in range(steps):
        g = grad(p)
        if kind == "sgd":
            p = p - hp["lr"] * g
        elif kind == "momentum":
            v = hp["momentum"] * v - hp["lr"] * g
            p = p + v
        elif kind == "adagrad":
            h = h + g * g
            p = p - hp["lr"] * g / (np.sqrt(h) + 1e-7)
        else:
            t += 1
            lr_t = hp["lr"] * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
            m += (1 - 0.9) * (g - m)
            h += (1 - 0.999) * (g ** 2 - h)
            p = p - lr_t * m / (np.sqrt(h) + 1e-7)
    return p


@pytest.mark.parametrize("kind", list(BOOK_FINAL))
def test_the_dlfs_race_reproduces_the_book(kind):
    ours = race(dlfs, (-7.0, 2.0), (optimizer(kind, **BOOK_HP[kind]),), 30)[0].path[-1]
    np.testing.assert_allclose(ours, BOOK_FINAL[kind], atol=1e-3)
    np.testing.assert_allclose(book_race(kind), BOOK_FINAL[kind], atol=2e-6)  # the worked example itself
    np.testing.assert_allclose(ours, book_race(kind), atol=1e-3)


def torch_path(kind, hp, start, f_torch, steps):
    import torch

    p = torch.tensor(start, dtype=torch.float32, requires_grad=True)
    opt = {"sgd": lambda: torch.optim.SGD([p], lr=hp["lr"]),
           "momentum": lambda: torch.optim.SGD([p], lr=hp["lr"], momentum=hp["momentum"]),
           "nesterov": lambda: torch.optim.SGD([p], lr=hp["lr"], momentum=hp["momentum"], nesterov=True),
           "adagrad": lambda: torch.optim.Adagrad([p], lr=hp["lr"], eps=hp["eps"]),
           "rmsprop": lambda: torch.optim.RMSprop([p], lr=hp["lr"], alpha=hp["rho"], eps=hp["eps"]),
           "adam": lambda: torch.optim.Adam([p], lr=hp["lr"], betas=(hp["beta1"], hp["beta2"]), eps=hp["eps"])}[kind]()
    path = [p.detach().numpy().copy()]
    for _ in range(steps):
        opt.zero_grad()
        f_torch(p[0], p[1]).backward()
        opt.step()
        path.append(p.detach().numpy().copy())
    return np.array(path)


RACE_HP = {"sgd": {"lr": 0.01}, "momentum": {"lr": 0.005, "momentum": 0.9}, "nesterov": {"lr": 0.005, "momentum": 0.8},
           "adagrad": {"lr": 0.5}, "rmsprop": {"lr": 0.02, "rho": 0.9}, "adam": {"lr": 0.05, "beta2": 0.99}}
TWO_SURFACES = [("dlfs", (-7.0, 2.0), lambda x, y: x ** 2 / 20 + y ** 2),
                ("himmelblau", (0.5, -1.0), lambda x, y: (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2)]


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch not installed (CI installs torch==2.13.0)")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("surface, start, f_torch", TWO_SURFACES, ids=["dlfs", "himmelblau"])
def test_each_rule_against_torch_optim(kind, surface, start, f_torch):
    hp = check_hyperparameters(kind, RACE_HP[kind])
    ours = race(SURFACES[surface][0], start, (optimizer(kind, **hp),), 150)[0]
    assert ours.diverged is None
    reference = torch_path(kind, hp, start, f_torch, 150)
    np.testing.assert_allclose(ours.path, reference, rtol=PATH_RTOL, atol=PATH_RTOL)


def optax_for(kind, hp):
    import optax

    return {"sgd": lambda: optax.sgd(hp["lr"]),
            "momentum": lambda: optax.sgd(hp["lr"], momentum=hp["momentum"]),
            "nesterov": lambda: optax.sgd(hp["lr"], momentum=hp["momentum"], nesterov=True),
            "adagrad": lambda: optax.adagrad(hp["lr"], initial_accumulator_value=0.0, eps=hp["eps"] ** 2),
            "rmsprop": lambda: optax.rmsprop(hp["lr"], decay=hp["rho"], eps=hp["eps"], eps_in_sqrt=False),
            "adam": lambda: optax.adam(hp["lr"], b1=hp["beta1"], b2=hp["beta2"], eps=hp["eps"])}[kind]()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("surface, start, f_torch", TWO_SURFACES, ids=["dlfs", "himmelblau"])
def test_each_rule_against_optax(kind, surface, start, f_torch):
    pytest.importorskip("optax")
    hp = check_hyperparameters(kind, RACE_HP[kind])
    f = SURFACES[surface][0]
    ours, theirs = race(f, start, (optimizer(kind, **hp), optax_for(kind, hp)), 150)
    np.testing.assert_allclose(ours.path, theirs.path, rtol=PATH_RTOL, atol=PATH_RTOL)


def test_rules_work_on_pytrees_and_start_from_zero():
    params = {"W": jnp.ones((2, 3)), "b": jnp.zeros(3)}
    grads = {"W": jnp.full((2, 3), 0.5), "b": jnp.full(3, -2.0)}
    opt = adam()
    state = opt.init(params)
    assert float(jnp.sum(state.m["W"])) == 0.0 and int(state.count) == 0
    assert {k: float(v) for k, v in state.hyperparams.items()} == {k: float(np.float32(v))
                                                                   for k, v in DEFAULTS["adam"].items()}
    assert all(isinstance(v, np.ndarray) and v.dtype == np.float32 for v in state.hyperparams.values())
    updates, state = opt.update(grads, state)
    np.testing.assert_allclose(state.m["b"], (1 - 0.9) * -2.0, rtol=1e-6)
    # β2 is carried as float32 (0.99900001): 1 − β2 is 1.3e-5 relative off 0.001, so compare in float32
    np.testing.assert_allclose(state.v["W"], (1 - np.float32(0.999)) * np.float32(0.25), rtol=1e-6)
    np.testing.assert_allclose(updates["b"], 0.001, rtol=1e-4)  # the first Adam step is lr·sign(g)


def test_divergence_is_detected_and_paths_stay_finite():
    start = (-7.0, 2.0)
    result = race(dlfs, start, (sgd(1.1),), 40)[0]
    k = np.arange(41)
    loss = (-7 * 0.89 ** k) ** 2 / 20 + (2 * (-1.2) ** k) ** 2  # y is multiplied by 1 − 2·1.1 = −1.2 every step
    expected = int(np.flatnonzero(loss > BLOWUP * loss[0])[0])
    assert result.diverged == expected
    wild = race(dlfs, start, (sgd(1e5), adam(0.3)), 60)
    assert wild[0].diverged is not None and wild[1].diverged is None
    assert np.all(np.isfinite(wild[0].path)) and np.all(np.isfinite(wild[0].losses))


def test_no_compiles_across_30_lr_changes(count_compiles):
    race(dlfs, (-7.0, 2.0), tuple(optimizer(k) for k in KINDS), 200)
    before = count_compiles.count
    for lr in np.geomspace(1e-3, 1.0, 30):
        race(dlfs, (-7.0 + lr, 2.0), tuple(optimizer(k, lr=lr) for k in KINDS), 200)
    assert count_compiles.count == before, count_compiles.programs[before:]


@pytest.mark.parametrize("kind, hp, pattern", [
    ("sgd", {"lr": 0.0}, r"SGD lr must be in \(0, 1e\+06\], got 0"),
    ("sgd", {"lr": 1e308}, r"SGD lr must be in \(0, 1e\+06\], got 1e\+308"),
    ("sgd", {"lr": -0.1}, "SGD lr must be in"),
    ("momentum", {"momentum": 1.0}, r"Momentum momentum must be in \[0, 1\), got 1"),
    ("rmsprop", {"rho": -0.1}, "RMSProp rho must be in"),
    ("adam", {"beta2": 1.0}, "Adam beta2 must be in"),
    ("adam", {"eps": 0.0}, "Adam eps must be in"),
    ("adam", {"momentum": 0.9}, "Adam has no hyperparameter 'momentum': it takes lr, beta1, beta2, eps"),
    ("sgd", {"lr": float("nan")}, "SGD lr must be a finite number"),
])
def test_bad_hyperparameters(kind, hp, pattern):
    with pytest.raises(ValueError, match=pattern):
        check_hyperparameters(kind, hp)


def test_gradient_descent_on_the_1d_bowl():
    for lr in (0.1, 0.5, 0.8):
        xs = gradient_descent_1d(lambda x: x * x, 4.0, lr, 10)
        np.testing.assert_allclose(xs, 4.0 * (1 - 2 * lr) ** np.arange(11), rtol=1e-5, atol=1e-6)


def test_model_race_learns_and_counts_iterations():
    assert iterations_per_epoch(500, 10) == 50 and iterations_per_epoch(150, 10) == 15
    assert iterations_per_epoch(150, 1) == 150 and iterations_per_epoch(4, 3) == 2
    losses = train_race(iris_problem(), (sgd(0.5), adam(0.05)), epochs=20, batch_size=10, progress=False)
    assert losses.shape == (2, 21)
    assert losses[0, 0] == pytest.approx(np.log(3), rel=1e-5)  # zero weights: uniform softmax
    assert np.all(losses[:, -1] < 0.2)


def test_one_full_batch_epoch_is_one_gradient_step():
    loss, params, x, t = iris_problem()
    losses = train_race((loss, params, x, t), (sgd(0.5),), epochs=1, batch_size=150, progress=False)
    g = jax.grad(lambda p: jnp.mean(loss(p, x, t)))(params)
    stepped = jax.tree.map(lambda p, g: p - 0.5 * g, params, g)
    assert losses[0, 1] == pytest.approx(float(jnp.mean(loss(stepped, x, t))), rel=1e-5)


def test_a_smaller_last_batch_is_averaged_over_its_own_samples():
    loss, params, x, t = xor_problem()
    out = train_race((loss, params, x, t), (sgd(1.0),), epochs=1, batch_size=3, progress=False)
    # reproduce: the same permutation, batches of 3 and 1
    key = jax.random.split(jax.random.PRNGKey(0))[1]
    order = np.asarray(jax.random.permutation(key, 4))
    p = params
    for idx in (order[:3], order[3:]):
        g = jax.grad(lambda p, idx=idx: jnp.mean(loss(p, x[idx], t[idx])))(p)
        p = jax.tree.map(lambda a, b: a - 1.0 * b, p, g)
    assert out[0, 1] == pytest.approx(float(jnp.mean(loss(p, x, t))), rel=1e-5)


# ---- one optax-like shape -------------------------------------------------------------------------------
BUILDERS = {"sgd": sgd, "momentum": momentum, "nesterov": nesterov, "adagrad": adagrad, "rmsprop": rmsprop,
            "adam": adam}


@pytest.mark.parametrize("kind", KINDS)
def test_every_builder_documents_its_rule_and_matches_optimizer(kind):
    build = BUILDERS[kind]
    assert "←" in build.__doc__ and "torch.optim" in build.__doc__
    hp = RACE_HP[kind]
    a, b = race(dlfs, (-7.0, 2.0), (build(**hp), optimizer(kind, **hp)), 50)
    np.testing.assert_array_equal(a.path, b.path)
    assert build(**hp).update is optimizer(kind).update  # one update function per kind: jit keys on it


def test_hyperparameters_travel_in_the_state_and_change_without_recompiling(count_compiles):
    opt = adam(0.3)
    params = jnp.asarray([-7.0, 2.0])
    grad = jax.jit(jax.grad(lambda p: dlfs(p[0], p[1])))
    step = jax.jit(lambda p, s: opt.update(grad(p), s, p))
    state = opt.init(params)
    step(params, state)
    before = count_compiles.count
    for lr in (0.01, 0.1, 0.5):
        updates, _ = step(params, with_hyperparameters(state, lr=lr))
        # Adam's first step is lr·sign(g) (up to ε): the value in the state is the one used
        np.testing.assert_allclose(updates, -lr * np.sign([-0.7, 4.0]), rtol=1e-5)
    assert count_compiles.count == before, count_compiles.programs[before:]
    with pytest.raises(ValueError, match="no hyperparameter momentum"):
        with_hyperparameters(state, momentum=0.9)


def test_an_optax_inject_hyperparams_state_is_raced_and_edited_the_same_way():
    optax = pytest.importorskip("optax")
    theirs = optax.inject_hyperparams(optax.adam)(learning_rate=0.3)
    ours_path, their_path = race(dlfs, (-7.0, 2.0), (adam(0.3), theirs), 100)
    np.testing.assert_allclose(ours_path.path, their_path.path, rtol=PATH_RTOL, atol=PATH_RTOL)
    state = with_hyperparameters(theirs.init(jnp.zeros(2)), learning_rate=0.05)
    assert float(state.hyperparams["learning_rate"]) == pytest.approx(0.05)


def test_what_the_state_says_against_numpy():
    g = np.array([-0.7, 4.0])
    for opt, h in ((adagrad(1.5), g * g), (rmsprop(0.02, rho=0.9), 0.1 * g * g)):
        _, state = opt.update(jnp.asarray(g, jnp.float32), opt.init(jnp.zeros(2)))
        np.testing.assert_allclose(effective_lr(state), opt.init(0).hyperparams["lr"] / (np.sqrt(h) +
                                   opt.init(0).hyperparams["eps"]), rtol=1e-5)
    opt = momentum(0.1, 0.9)
    _, state = opt.update(jnp.asarray(g, jnp.float32), opt.init(jnp.zeros(2)))
    _, state = opt.update(jnp.asarray(g, jnp.float32), state)
    np.testing.assert_allclose(book_velocity(state), -0.1 * (0.9 * g + g), rtol=1e-6)  # the book's v = −lr·b


# ---- surfaces on a grid, GD on a bowl -------------------------------------------------------------------
def test_surface_grid_against_numpy_and_non_finite_parts_masked():
    grid = surface_grid(dlfs, (-10.0, 10.0, -5.0, 5.0), n=31)
    X, Y = np.meshgrid(np.linspace(-10, 10, 31), np.linspace(-5, 5, 31))
    np.testing.assert_allclose(grid.z, X ** 2 / 20 + Y ** 2, rtol=1e-6)
    assert grid.finite == 1.0
    log_x = surface_grid(lambda x, y: jnp.log(x) + y, (-1.0, 1.0, -1.0, 1.0), n=20)
    assert log_x.finite == 0.5 and np.isnan(log_x.z[:, :10]).all() and np.isfinite(log_x.z[:, 10:]).all()
    levels = contour_levels(grid.z, minimum=0.0, n=5)
    np.testing.assert_allclose(levels, np.geomspace(1e-3, 30 + 1e-9, 5), rtol=1e-6)
    np.testing.assert_allclose(contour_levels(np.array([0.0, np.nan, 4.0]), n=3), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="no finite value"):
        contour_levels(np.full(4, np.nan))


def numpy_hessian(f, point, h=1e-4):
    """Central second differences in float64 (the independent reference for the curvatures)."""
    point = np.asarray(point, float)
    d = point.size
    H = np.empty((d, d))
    for i in range(d):
        for j in range(d):
            ei, ej = np.eye(d)[i] * h, np.eye(d)[j] * h
            H[i, j] = (f(*(point + ei + ej)) - f(*(point + ei - ej)) - f(*(point - ei + ej))
                       + f(*(point - ei - ej))) / (4 * h * h)
    return H


@pytest.mark.parametrize("f, point", [(lambda x: x * x, (4.0,)), (quadratic, (4.0, 2.0)),
                                      (lambda x, y: x * x + x * y + 3 * y * y, (1.0, -1.0))])
@pytest.mark.parametrize("lr", [0.01, 0.3, 0.8, 1.1])
def test_gd_contraction_against_numpy(f, point, lr):
    c = gd_contraction(f, point, lr)
    curvatures = np.linalg.eigvalsh(numpy_hessian(f, point))
    np.testing.assert_allclose(c.curvatures, curvatures, rtol=1e-5)
    np.testing.assert_allclose(c.factors, 1 - lr * curvatures, rtol=1e-5, atol=1e-6)
    assert c.stable_below == pytest.approx(2 / curvatures.max(), rel=1e-5)


def test_gd_contraction_is_what_gradient_descent_does():
    xs = gradient_descent_1d(lambda x: x * x, 4.0, 0.3, 5)
    np.testing.assert_allclose(xs[1:] / xs[:-1], gd_contraction(lambda x: x * x, (4.0,), 0.3).factors[0], rtol=1e-5)
    path = race(quadratic, (4.0, 2.0), (sgd(0.3),), 5)[0].path
    np.testing.assert_allclose(path[1:] / path[:-1], np.broadcast_to(gd_contraction(quadratic, (4.0, 2.0), 0.3).factors,
                                                                     (5, 2)), rtol=1e-5)


def test_regimes_and_finishing_steps():
    assert [regime(1 - 2 * lr) for lr in (0.01, 0.3, 0.5, 0.8, 1.0, 1.1)] == [
        "crawls", "smooth", "one step", "oscillates", "bounces", "diverges"]
    assert first_below([5.0, 1.0, 1e-4, 1e-5], 1e-3) == 2 and first_below([5.0, 1.0, 1e-4], 1e-3, end=2) is None
