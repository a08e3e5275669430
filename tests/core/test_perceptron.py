"""core.perceptron against NumPy, exact fractions and the seeds' worked examples."""
from fractions import Fraction

import jax
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnwidgets.core.perceptron import (
    GATE_INPUTS,
    GATE_PRESETS,
    GATE_TARGETS,
    LearningHistory,
    NeuronOutput,
    StackOutput,
    gate_name,
    gate_targets,
    learn_perceptron,
    perceptron,
    perceptron_forward,
    stacked_forward,
)

SEED_TABLES = {  # seed 000 tables, rows (0,0), (1,0), (0,1), (1,1)
    "AND": [0, 0, 0, 1],
    "NAND": [1, 1, 1, 0],
    "OR": [0, 1, 1, 1],
}


@pytest.mark.parametrize("gate", ["AND", "NAND", "OR", "NOR"])
def test_seed_presets_compute_their_gate(gate):
    w1, w2, b = GATE_PRESETS[gate]
    y = perceptron(GATE_INPUTS, [w1, w2], b)
    assert y.tolist() == list(GATE_TARGETS[gate])
    if gate in SEED_TABLES:
        assert y.tolist() == SEED_TABLES[gate]


def test_seed_preset_values():
    assert GATE_PRESETS["AND"] == (0.5, 0.5, -0.7)
    assert GATE_PRESETS["NAND"] == (-0.5, -0.5, 0.7)
    assert GATE_PRESETS["OR"] == (0.5, 0.5, -0.2)


@pytest.mark.parametrize("gate", ["XOR", "XNOR"])
@pytest.mark.parametrize("threshold", [">", ">="])
def test_no_weights_on_a_dense_grid_solve_xor(gate, threshold):
    values = np.linspace(-2, 2, 81, dtype=np.float32)  # step 0.05, the sliders' step
    w1, w2, b = (a.ravel() for a in np.meshgrid(values, values, values, indexing="ij"))
    w = np.stack([w1, w2], axis=1)
    forward = jax.vmap(lambda w, b: perceptron_forward(GATE_INPUTS, w, b, threshold=threshold)[2])
    labels = np.asarray(forward(w, b))
    solved = np.all(labels == gate_targets(gate), axis=1)
    assert labels.shape == (81**3, 4)
    assert not solved.any()
    # the same grid does contain solutions of the separable gates, so the search itself works
    assert np.all(labels == gate_targets("AND"), axis=1).any()


@settings(max_examples=200, deadline=None)
@given(
    x=st.lists(st.tuples(st.floats(-10, 10), st.floats(-10, 10)), min_size=1, max_size=8),
    w=st.tuples(st.floats(-5, 5), st.floats(-5, 5)),
    b=st.floats(-5, 5),
)
def test_sigmoid_matches_numpy(x, w, b):
    x32, w32, b32 = np.float32(x), np.float32(w), np.float32(b)
    z = x32.astype(np.float64) @ w32.astype(np.float64) + float(b32)
    expected = 1 / (1 + np.exp(-z))
    got = perceptron(x32, w32, b32, activation="sigmoid")
    # float32 arithmetic: |z| <= 105 here, so 1e-5 relative plus 1e-6 absolute covers the rounding
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@settings(max_examples=200, deadline=None)
@given(
    x=st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=1, max_size=8),
    w=st.tuples(st.integers(-40, 40), st.integers(-40, 40)),
    b=st.integers(-40, 40),
    threshold=st.sampled_from([">", ">="]),
)
def test_step_matches_exact_arithmetic(x, w, b, threshold):
    """Weights on the sliders' 0.05 grid: the step must agree with exact rational arithmetic, boundary included."""
    weights = [Fraction(v, 20) for v in w]
    bias = Fraction(b, 20)
    exact = [xi[0] * weights[0] + xi[1] * weights[1] + bias for xi in x]
    expected = [int(z > 0 if threshold == ">" else z >= 0) for z in exact]
    got = perceptron(np.array(x), [float(v) for v in weights], float(bias), threshold=threshold)
    assert got.astype(int).tolist() == expected


def test_threshold_convention_differs_only_on_the_boundary():
    # (1,0) and (0,1) with w = (0.5, 0.5), b = -0.5 lie exactly on the line; so does (1,1) for 0.3 + 0.4 - 0.7
    for (w, b), on_line in ((([0.5, 0.5], -0.5), [1, 2]), (([0.3, 0.4], -0.7), [3])):
        z, _, _ = perceptron_forward(GATE_INPUTS, np.float32(w), np.float32(b))
        assert np.flatnonzero(np.asarray(z) == 0).tolist() == on_line
        strict = perceptron(GATE_INPUTS, w, b, threshold=">")
        loose = perceptron(GATE_INPUTS, w, b, threshold=">=")
        assert np.flatnonzero(strict != loose).tolist() == on_line


def test_seed_sigmoid_neuron():
    # seed 000: x = (1, 2); w = (2, 3) -> h = 8, p = 0.99966; w = (-4, -3) -> h = -10, p = 0.0000454
    z, p, _ = perceptron_forward(np.float32([[1, 2]]), np.float32([2, 3]), np.float32(0), activation="sigmoid")
    assert float(z[0]) == 8.0
    np.testing.assert_allclose(float(p[0]), 0.999665, rtol=1e-6)
    z, p, _ = perceptron_forward(np.float32([[1, 2]]), np.float32([-4, -3]), np.float32(0), activation="sigmoid")
    assert float(z[0]) == -10.0
    np.testing.assert_allclose(float(p[0]), 4.5398e-5, rtol=1e-4)


def numpy_learning_rule(x, t, w, b, lr, epochs):
    w, b = np.array(w, float), float(b)
    history = [(w.copy(), b)]
    for _ in range(epochs):
        for xi, ti in zip(x, t):
            error = ti - float(xi @ w + b > 0)
            w, b = w + lr * error * xi, b + lr * error
        history.append((w.copy(), b))
    return history


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND", "NOR"])
def test_learning_rule_matches_numpy_and_converges(gate):
    t = gate_targets(gate)
    history = learn_perceptron(GATE_INPUTS, t, [0.0, 0.0], 0.0, lr=0.25, epochs=15)
    reference = numpy_learning_rule(GATE_INPUTS, t, [0, 0], 0, 0.25, 15)
    # lr = 0.25 keeps every weight a multiple of 1/4: float32 and float64 agree exactly
    np.testing.assert_array_equal(history.weights, [w for w, _ in reference])
    np.testing.assert_array_equal(history.biases, [b for _, b in reference])
    solved = history.first_solved_epoch()
    assert solved is not None and history.mistakes[solved:].max() == 0


def test_learning_rule_never_solves_xor():
    history = learn_perceptron(GATE_INPUTS, gate_targets("XOR"), [0.3, -0.2], 0.1, lr=0.1, epochs=200)
    assert history.first_solved_epoch() is None
    assert history.mistakes.min() >= 1


def test_results_are_named_tuples():
    out = perceptron_forward(GATE_INPUTS, np.float32([0.5, 0.5]), np.float32(-0.7))
    assert isinstance(out, NeuronOutput) and np.asarray(out.label).tolist() == [0, 0, 0, 1]
    stack = stacked_forward(GATE_INPUTS, np.float32([[-0.5, 0.5], [-0.5, 0.5]]), np.float32([0.7, -0.2]),
                            np.float32([0.5, 0.5]), np.float32(-0.7))
    assert isinstance(stack, StackOutput) and stack._fields == ("z_hidden", "s", "z_out", "y")
    history = learn_perceptron(GATE_INPUTS, gate_targets("OR"), [0.0, 0.0], 0.0)
    assert isinstance(history, LearningHistory) and history._fields == ("weights", "biases", "mistakes")


def test_stacked_network_seed_000_is_xor():
    hidden_w = np.float32([[-0.5, 0.5], [-0.5, 0.5]])  # columns: NAND, OR
    _, s, _, y = stacked_forward(GATE_INPUTS, hidden_w, np.float32([0.7, -0.2]), np.float32([0.5, 0.5]),
                                 np.float32(-0.7))
    assert np.asarray(s).tolist() == [[1, 0], [1, 1], [1, 1], [0, 1]]
    assert gate_name(y) == "XOR"


def test_stacked_network_seed_002_computes_xnor():
    # h1 = f(x1 - x2 + 0.5), h2 = f(x1 - x2 - 0.5), y = f(h1 - h2 - 0.5) with the standard step
    hidden_w = np.float32([[1, 1], [-1, -1]])
    _, s, _, y = stacked_forward(GATE_INPUTS, hidden_w, np.float32([0.5, -0.5]), np.float32([1, -1]), np.float32(-0.5))
    assert np.asarray(s).tolist() == [[1, 0], [1, 1], [0, 0], [1, 0]]  # seed 002's h column
    assert np.asarray(y).tolist() == [1, 0, 0, 1]
    assert gate_name(y) == "XNOR"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"activation": "relu"}, "activation must be one of 'step', 'sigmoid', got 'relu'"),
        ({"threshold": "=>"}, "threshold must be one of '>', '>=', got '=>'"),
        ({"b": float("nan")}, "b must contain only finite numbers"),
        ({"w": [1.0, float("inf")]}, "w must contain only finite numbers"),
        ({"w": ["a", "b"]}, "w must be an array of numbers"),
        ({"w": [1.0, 2.0, 3.0]}, "x must have shape (n, 3) matching w"),
        ({"w": np.array([True, False])}, "w must hold numbers, got booleans"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, message):
    args = {"x": GATE_INPUTS, "w": [0.5, 0.5], "b": -0.7, **kwargs}
    with pytest.raises(ValueError) as err:
        perceptron(**args)
    assert message in str(err.value)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr": 0.0}, "lr must be a positive number up to 1e+06, got 0"),
        ({"lr": 1e300}, "lr must be a positive number up to 1e+06, got 1e+300"),
        ({"lr": "0.5"}, "lr must be a finite number, got '0.5' (str)"),
        ({"epochs": 10_001}, "epochs must be 1..10000, got 10001"),
    ],
)
def test_learning_rule_refuses_bad_settings(kwargs, message):
    args = {"x": GATE_INPUTS, "t": gate_targets("AND"), "w": [0.0, 0.0], "b": 0.0, **kwargs}
    with pytest.raises(ValueError) as err:
        learn_perceptron(**args)
    assert message in str(err.value)


def test_unknown_gate():
    with pytest.raises(ValueError, match="gate must be one of 'AND', 'OR', 'NAND', 'NOR', 'XOR', 'XNOR', got 'XAND'"):
        gate_targets("XAND")
