"""core.momentum_theory against independent references: numpy.linalg.eigvals of the 2 x 2 iteration matrices,
the measured contraction of float64 NumPy iterates, the race's own Momentum optimizer, and Distill's optimum."""
import numpy as np
import pytest

from nnwidgets.core.momentum_theory import (
    bowl_curvatures,
    condition_paths,
    convergence_rate,
    heavy_ball,
    iteration_matrix,
    optimal_gd,
    optimal_momentum,
    rate_map,
    spectral_radius,
    steps_to,
)
from nnwidgets.core.optim import momentum as momentum_optimizer
from nnwidgets.core.optim import sgd
from nnwidgets.core.race import race

RNG = np.random.default_rng(12)
CASES = np.column_stack([10 ** RNG.uniform(-3, 0.3, 400), RNG.uniform(0, 0.999, 400), 10 ** RNG.uniform(-2, 1, 400)])


def numpy_matrix(lr, beta, lam):
    return np.array([[beta, lam], [-lr * beta, 1 - lr * lam]], float)


def test_the_iteration_matrix_is_the_momentum_update():
    lr, beta, lam = 0.3, 0.8, 1.7
    np.testing.assert_allclose(iteration_matrix(lr, beta, lam), numpy_matrix(lr, beta, lam), rtol=1e-6)
    z, w = 0.4, -1.2
    z_new = beta * z + lam * w  # z ← β·z + ∇f(w), w ← w − α·z
    np.testing.assert_allclose(numpy_matrix(lr, beta, lam) @ [z, w], [z_new, w - lr * z_new], rtol=1e-12)


def test_spectral_radius_matches_numpy_eigvals():
    lr, beta, lam = CASES.T
    ours = np.asarray(spectral_radius(lr.astype(np.float32), beta.astype(np.float32), lam.astype(np.float32)))
    reference = np.array([np.abs(np.linalg.eigvals(numpy_matrix(*c))).max() for c in CASES])
    # float32 against float64; near a double root (disc ≈ 0) a rounding of 1e-7 moves the roots by ~3e-4
    np.testing.assert_allclose(ours, reference, rtol=1e-3, atol=1e-3)
    far = np.abs((1 + beta - lr * lam) ** 2 - 4 * beta) > 1e-2
    np.testing.assert_allclose(ours[far], reference[far], rtol=2e-5, atol=1e-6)


def test_the_rate_over_extreme_eigenvalues_and_the_map():
    curvatures = bowl_curvatures(20.0)
    np.testing.assert_allclose(curvatures, [0.1, 2.0])
    lrs, momenta = np.geomspace(1e-3, 2, 7), np.linspace(0, 0.99, 5)
    m = rate_map(curvatures, lrs, momenta)
    assert m.rate.shape == (5, 7)
    for i, beta in enumerate(momenta):
        for j, lr in enumerate(lrs):
            expected = max(np.abs(np.linalg.eigvals(numpy_matrix(lr, beta, lam))).max() for lam in curvatures)
            assert m.rate[i, j] == pytest.approx(expected, rel=1e-3, abs=1e-3)
    # plain gradient descent: |1 − α·λ|
    np.testing.assert_allclose(convergence_rate(0.3, 0.0, curvatures), max(abs(1 - 0.3 * 0.1), abs(1 - 0.3 * 2)),
                               rtol=1e-6)


@pytest.mark.parametrize("lr, beta, condition", [(0.5, 0.0, 20), (0.1, 0.9, 20), (0.9, 0.3, 50), (0.05, 0.6, 5)])
def test_the_rate_is_the_measured_contraction_of_actual_iterates(lr, beta, condition):
    lams = bowl_curvatures(condition).astype(float)
    w, z, norms = np.array([-7.0, 2.0]), np.zeros(2), []
    for _ in range(3000):  # float64 iterates, written out independently of core
        z = beta * z + lams * w
        w = w - lr * z
        norms.append(np.linalg.norm(np.concatenate([w, z])))
    norms = np.array(norms)
    measured = (norms[2999] / norms[1999]) ** (1 / 1000)
    assert float(convergence_rate(lr, beta, lams)) == pytest.approx(measured, rel=2e-3)


def test_heavy_ball_is_the_race_momentum_optimizer_and_sgd():
    lams, start = bowl_curvatures(20.0), (-7.0, 2.0)

    def f(x, y):
        return x ** 2 / 20 + y ** 2

    ours_m, ours_gd = heavy_ball(lams, start, 0.1, 0.9, 30), heavy_ball(lams, start, 0.1, 0.0, 30)
    momentum, gd = race(f, start, (momentum_optimizer(0.1, 0.9), sgd(0.1)), 30)
    np.testing.assert_allclose(ours_m, momentum.path, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ours_gd, gd.path, rtol=1e-5, atol=1e-5)


def test_steps_to_tolerance_and_the_condition_story():
    lams = bowl_curvatures(100.0)
    gd_best, heavy_best = optimal_gd(lams), optimal_momentum(lams)
    assert gd_best.rate == pytest.approx(99 / 101) and heavy_best.rate == pytest.approx(9 / 11)
    assert heavy_best.momentum == pytest.approx((9 / 11) ** 2)
    assert float(convergence_rate(heavy_best.lr, heavy_best.momentum, lams)) == pytest.approx(9 / 11, rel=1e-3)
    assert float(convergence_rate(gd_best.lr, 0.0, lams)) == pytest.approx(99 / 101, rel=1e-5)
    paths = condition_paths(lams, (-7.0, 2.0), heavy_best.lr, heavy_best.momentum)
    distance = np.linalg.norm(paths.momentum, axis=1)
    k = paths.momentum_steps
    assert distance[k] <= 1e-3 * distance[0] < distance[k - 1]
    assert steps_to(paths.gd, 1e-3) == paths.gd_steps is None  # momentum's lr 1.65 > 2/λmax: plain GD diverges
    gd = condition_paths(lams, (-7.0, 2.0), gd_best.lr, 0.0)
    assert gd.gd_steps == steps_to(gd.gd, 1e-3) and np.array_equal(gd.gd, gd.momentum)
    assert paths.momentum_steps < gd.gd_steps / 5  # momentum at its best: ~√κ times fewer steps than GD at its best
    # at GD's optimum both axes shrink by |1 − α·λ| = (κ − 1)/(κ + 1) per step (y flips sign: the zig-zag),
    # so ‖w_k‖ = ‖w_0‖·rate^k and the first k with rate^k ≤ 1e-3 is ⌈log 1e-3 / log rate⌉ = 346
    assert np.all(np.sign(gd.gd[1:6, 1]) == [-1, 1, -1, 1, -1])
    assert gd.gd_steps == pytest.approx(np.ceil(np.log(1e-3) / np.log(gd_best.rate)), abs=1)


def test_no_recompile_when_the_sliders_move(count_compiles):
    condition_paths(bowl_curvatures(20), (-7.0, 2.0), 0.1, 0.9)
    rate_map(bowl_curvatures(20), np.geomspace(1e-3, 2, 50), np.linspace(0, 0.99, 40))
    before = count_compiles.count
    for condition, lr, beta in [(5, 0.3, 0.5), (200, 0.01, 0.95), (1, 1.0, 0.0)]:
        condition_paths(bowl_curvatures(condition), (-7.0, 2.0), lr, beta)
        rate_map(bowl_curvatures(condition), np.geomspace(1e-3, 2, 50), np.linspace(0, 0.99, 40))
    assert count_compiles.count == before, count_compiles.programs[before:]
