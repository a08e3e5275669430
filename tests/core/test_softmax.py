"""core.softmax against scipy.special, jax.grad and every softmax number in WORKED_EXAMPLES.md."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from nnwidgets.core.softmax import cross_entropy, log_softmax, mse, naive_softmax, softmax
from nnwidgets.core.softmax_table import sigmoid_bce, softmax_report, softmax_table
from nnwidgets.panels.softmax import IRIS, SoftmaxState

logit_lists = st.lists(st.floats(-30, 30), min_size=1, max_size=10)


@settings(max_examples=200, deadline=None)
@given(z=logit_lists, temperature=st.floats(0.2, 5))
def test_softmax_and_log_softmax_match_scipy(z, temperature):
    z32 = np.float32(z)
    expected = special.softmax(z32.astype(np.float64) / np.float32(temperature))
    np.testing.assert_allclose(softmax(z32, temperature), expected, rtol=1e-5, atol=1e-30)
    expected_log = special.log_softmax(z32.astype(np.float64) / np.float32(temperature))
    np.testing.assert_allclose(log_softmax(z32, temperature), expected_log, rtol=1e-5, atol=1e-5)


def test_batches_on_axis_0():
    z = np.float32([[1, 2, 3], [0.0, -1.39, -2.2]])
    np.testing.assert_allclose(softmax(z), special.softmax(z, axis=1), rtol=1e-6)
    np.testing.assert_allclose(cross_entropy(softmax(z), [2, 0], reduction="none"),
                               -special.log_softmax(z, axis=1)[[0, 1], [2, 0]], rtol=1e-5)
    assert cross_entropy(softmax(z), [[0, 0, 1], [1, 0, 0]]).shape == ()


@pytest.mark.parametrize("base, log", [("e", np.log), ("2", np.log2), ("10", np.log10)])
def test_cross_entropy_in_every_base(base, log):
    p = np.float32([0.035734, 0.262428, 0.701838])
    assert cross_entropy(p, 2, base=base) == pytest.approx(-log(0.701838), rel=1e-6)
    assert cross_entropy(p, [0, 0, 1], base=base) == pytest.approx(-log(0.701838), rel=1e-6)


@pytest.mark.parametrize("base", ["e", "2", "10"])
@pytest.mark.parametrize("temperature", [0.5, 1.0, 3.0])
def test_grad_logits_is_the_gradient_of_the_loss(base, temperature):
    z, target = np.float32([0.3, -1.2, 2.0, 0.7]), 1
    state = SoftmaxState(logits=z, target=target, log_base=base, temperature=temperature)
    scale = {"e": 1.0, "2": math.log(2), "10": math.log(10)}[base]
    reference = jax.grad(lambda z: -jax.nn.log_softmax(z / temperature)[target] / scale)(jnp.asarray(z))
    np.testing.assert_allclose(state.grad_logits, reference, rtol=1e-5, atol=1e-7)
    if base == "e" and temperature == 1.0:
        np.testing.assert_allclose(state.grad_logits, state.probabilities - np.eye(4)[target], atol=1e-7)


# ---- WORKED_EXAMPLES.md, softmax and cross-entropy --------------------------------------------------
# Published values have 6 decimals (rounding error up to 5e-7); float32 adds ~1e-7. So vectors are
# compared with atol 1e-6 and losses with rel 1e-5 (they have 6 significant digits).
SIX_DECIMALS = {"atol": 1e-6, "rtol": 0}

def test_iris_table_seed_000():
    s = SoftmaxState(x=IRIS["x"], W=IRIS["W"], b=IRIS["b"], target=2)
    np.testing.assert_allclose(s.logits, [-0.894283, 1.099602, 2.083328], **SIX_DECIMALS)
    # e^H amplifies float32 rounding of H (~5e-7 absolute): relative 1e-6 (measured 3.8e-7)
    np.testing.assert_allclose(s.report().exp, [0.408901, 3.002971, 8.031151], rtol=1e-6)
    np.testing.assert_allclose(s.probabilities, [0.035734, 0.262428, 0.701838], **SIX_DECIMALS)
    assert s.loss == pytest.approx(0.354052, rel=1e-5)
    s.log_base = "10"
    assert s.loss == pytest.approx(0.15376, rel=1e-4)  # the slide's L
    s.log_base = "e"
    np.testing.assert_allclose(s.grad_logits, [0.035734, 0.262428, -0.298162], **SIX_DECIMALS)


def test_iris_what_if_b2_plus_1():
    s = SoftmaxState(x=IRIS["x"], W=IRIS["W"], b=IRIS["b"], target=2)
    s.nudge("b2", 1.0)
    np.testing.assert_allclose(s.probabilities, [0.024628, 0.491654, 0.483718], **SIX_DECIMALS)
    assert s.loss == pytest.approx(0.726254, rel=1e-5)
    s.log_base = "10"
    assert s.loss == pytest.approx(0.31541, rel=1e-4)
    np.testing.assert_allclose(s.baseline.probabilities, [0.035734, 0.262428, 0.701838], **SIX_DECIMALS)


def test_cat_dog():
    np.testing.assert_allclose(softmax([1.5, 3.7]), [0.0998, 0.9002], atol=5e-5)


def test_seed_002_loss_exercise_and_its_slip():
    s = SoftmaxState(x=[0.5, 0.1], W=[[0.2, 0.1], [0.3, 0.4]], b=[0.7, 0.2], target=0)
    np.testing.assert_allclose(s.logits, [0.81, 0.39], **SIX_DECIMALS)
    np.testing.assert_allclose(s.probabilities, [0.603483, 0.396517], **SIX_DECIMALS)
    assert s.mse == pytest.approx(0.157226, rel=1e-5)
    assert s.loss == pytest.approx(0.505037, rel=1e-5)
    assert math.exp(0.39) == pytest.approx(1.477, rel=1e-3)  # the slide wrote 0.48
    assert mse([0.8, 0.2], 0) == pytest.approx(0.04, rel=1e-6)  # the slide's MSE from its wrong softmax
    assert cross_entropy([0.8, 0.2], 0, base="10") == pytest.approx(0.096, abs=1e-3)  # the slide's CE
    result = s.check(exp=[2.25, 0.48], sum=2.73, probabilities=[0.8, 0.2], loss=0.096, mse=0.04)
    assert not result.ok and result.first_wrong.step == "exp" and result.first_wrong.index == 1
    assert "1.47698" in result.message and "0.48" in result.message
    assert "log10(0.8)" in result.message and "0.505037" in result.message
    assert [st.status for st in result.steps] == ["wrong", "follows", "follows", "wrong", "follows"]


def test_seed_002_exercise_1():
    s = SoftmaxState(x=[0.2, 0.4], W=[[0.1, 0.9], [0.2, 0.2]], b=[0.1, 0.9], target=0)
    np.testing.assert_allclose(s.logits, [0.48, 1.02], **SIX_DECIMALS)
    np.testing.assert_allclose(s.probabilities, [0.368188, 0.631812], **SIX_DECIMALS)
    assert s.mse == pytest.approx(0.399187, rel=1e-5)
    assert s.loss == pytest.approx(0.999163, rel=1e-5)
    assert cross_entropy([0.37, 0.63], 0, base="10") == pytest.approx(0.4318, abs=1e-4)  # the slide's CE
    assert mse([0.37, 0.63], 0) == pytest.approx(0.396, abs=1e-3)  # the slide's MSE, from p rounded to 0.37
    assert s.check(probabilities="0.37, 0.63", loss=0.4318).first_wrong.step == "loss"


@pytest.mark.parametrize("z, expected", [
    ([2.20, 1.39, 0.85], [0.59, 0.26, 0.15]),
    ([0.00, -1.39, -2.20], [0.74, 0.18, 0.08]),
    ([1, 2, 3], [0.090, 0.245, 0.665]),
])
def test_seed_003_tables(z, expected):
    np.testing.assert_allclose(softmax(z), expected, atol=5e-3)


def test_sigmoid_bce_equals_two_class_softmax():
    for z, y in (([1.5, 3.7], 1), ([0.2, -0.4], 0), ([30.0, -30.0], 1)):
        p1, bce = sigmoid_bce(z, y)
        assert p1 == pytest.approx(softmax(z)[1], rel=1e-5)
        assert bce == pytest.approx(-log_softmax(z)[y], rel=1e-5)


# ---- stability -----------------------------------------------------------------------------------

@pytest.mark.parametrize("scale", [1e2, 1e3, 1e4])
def test_finite_and_exact_for_huge_logits(scale):
    z = np.float32([scale, 0.0, -scale])
    p, log_p, loss, _, grad = softmax_report(z, np.float32([0, 1, 0]), np.float32(1), np.float32(1))
    np.testing.assert_allclose(log_p, [0.0, -scale, -2 * scale], rtol=1e-6)
    assert float(loss) == pytest.approx(scale, rel=1e-6)
    assert np.all(np.isfinite(p)) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, [1, -1, 0], atol=1e-6)
    _, _, naive = naive_softmax(z)
    assert not np.all(np.isfinite(naive))  # the naive formula really does overflow


@pytest.mark.parametrize("call, message", [
    (lambda: softmax([]), "z must have shape (classes,) or (batch, classes) with at least one entry"),
    (lambda: softmax([1.0, float("nan")]), "z must contain only finite numbers"),
    (lambda: softmax([1.0, 2.0], temperature=0), "temperature must be a positive number, got 0.0"),
    (lambda: cross_entropy([0.5, 0.5], 2),
     "y must be a class index in 0..1 or a one-hot vector of length 2 (to match p of shape (2,)), got 2"),
    (lambda: cross_entropy([0.5, 0.5], 0, base="pi"), "base must be one of 'e', '2', '10', got 'pi'"),
    (lambda: mse([0.5, 0.5], [0.5, 0.6]), "y must be a class index in 0..1 or a one-hot vector of length 2"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError) as err:
        call()
    assert message in str(err.value)


# ---- the calculator's table and batches, against independent references ---------------------------

@settings(max_examples=50, deadline=None)
@given(z=logit_lists, data=st.data(), temperature=st.floats(0.2, 5), base=st.sampled_from(["e", "2", "10"]))
def test_softmax_table_matches_scipy_and_jax_grad(z, data, temperature, base):
    z32 = np.float32(z)
    target = data.draw(st.integers(0, len(z) - 1))
    t = softmax_table(z32, target, temperature, base)
    scale = {"e": 1.0, "2": math.log(2), "10": math.log(10)}[base]
    log_p = special.log_softmax(z32.astype(np.float64) / np.float32(temperature))
    np.testing.assert_allclose(t.probabilities, np.exp(log_p), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(t.minus_log_p, -log_p / scale, rtol=1e-5, atol=1e-5)
    assert t.loss == pytest.approx(-log_p[target] / scale, rel=1e-5, abs=1e-5)
    assert t.loss_ln == pytest.approx(-log_p[target], rel=1e-5, abs=1e-5)
    y = (np.arange(len(z)) == target).astype(float)
    assert t.mse == pytest.approx(np.mean((np.exp(log_p) - y) ** 2), rel=1e-5, abs=1e-7)
    reference = jax.grad(lambda v: -jax.nn.log_softmax(v / temperature)[target] / scale)(jnp.asarray(z32))
    np.testing.assert_allclose(t.grad_logits, reference, rtol=1e-4, atol=1e-6)


def test_batch_losses_match_a_numpy_reference_without_one_hot_matrices():
    rng = np.random.default_rng(0)
    p = special.softmax(rng.normal(size=(50, 7)), axis=1).astype(np.float32)
    y = rng.integers(0, 7, size=50)
    picked = p[np.arange(50), y].astype(np.float64)
    np.testing.assert_allclose(cross_entropy(p, y, reduction="none"), -np.log(picked), rtol=1e-6)
    np.testing.assert_allclose(cross_entropy(p, y, base="2"), np.mean(-np.log2(picked)), rtol=1e-6)
    one_hot = (np.arange(7) == y[:, None]).astype(np.float32)
    expected = ((p.astype(np.float64) - one_hot) ** 2).mean(axis=1)
    np.testing.assert_allclose(mse(p, y, reduction="none"), expected, rtol=1e-5)
    np.testing.assert_allclose(mse(p, one_hot), expected.mean(), rtol=1e-5)
    np.testing.assert_allclose(cross_entropy(p, one_hot), np.mean(-np.log(picked)), rtol=1e-6)
