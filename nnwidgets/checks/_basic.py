"""Checks for softmax, cross-entropy, conv output sizes and perceptron weights."""
from __future__ import annotations

import math
import numbers

import numpy as np

from ._harness import DEFAULT_TIMEOUT, Failure, as_floats, call, close, scalar, show

GATES = {"AND": (0, 0, 0, 1), "OR": (0, 1, 1, 1), "NAND": (1, 1, 1, 0), "NOR": (1, 0, 0, 0), "XOR": (0, 1, 1, 0)}
INPUTS = ((0, 0), (0, 1), (1, 0), (1, 1))


def softmax_ref(z):
    z = np.asarray(z, np.float64)
    e = np.exp(z - z.max())
    return e / e.sum()


def _rng(name: str):
    """Hidden cases are drawn from a fixed generator per check: the same for every student, never in a notebook."""
    return np.random.default_rng(sum(map(ord, name)) * 7919)


def softmax_cases():
    cases = [[2.0, 1.0, 0.1], [1.5, 3.7], [-0.894283, 1.099602, 2.083328], [3.0, 3.0, 3.0], [5.0],
             [1000.0, 999.0], [-1000.0, -1001.0], [1000.0, -1000.0, 0.0]]
    rng = _rng("softmax")
    cases += [list(rng.normal(0, 1 + 4 * i, size=2 + i)) for i in range(8)]
    return [np.array(c, np.float64) for c in cases]


def check_softmax(fn, *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """``fn(z)`` for a 1-D array of logits must return softmax(z): e^z / Σ e^z, one probability per logit.

    Tested on hidden cases, including large logits ([1000, 999]), ties and a batch of one. Tolerance:
    |got − expected| ≤ 1e-7 + 1e-5·|expected| for every entry.
    """
    cases = softmax_cases()
    fail = Failure("check_softmax", len(cases))
    for k, z in enumerate(cases, start=1):
        inputs = f"z = {show(z)}"
        got = as_floats(fail, k, inputs, call(fail, k, inputs, fn, z, timeout=timeout, names=["z"]),
                        shape=z.shape, what="softmax(z)")
        expected = softmax_ref(z)
        if not close(got, expected, rtol=1e-5, atol=1e-7):
            fail(k, inputs, expected, got, _softmax_hint(z, got))


def _softmax_hint(z, got):
    if not np.all(np.isfinite(got)):
        return (f"your softmax overflows for logits like {show(z)}: e^{z.max():g} is too big for a float. "
                "Subtract the max first: e^(z − max z) / Σ e^(z − max z) gives the same probabilities")
    total = got.sum()
    if np.allclose(got, np.exp(z), rtol=1e-5) or np.allclose(got, np.exp(z - z.max()), rtol=1e-5):
        return "these are the exponentials: divide them by their sum so the probabilities add up to 1"
    if np.allclose(got, softmax_ref(-z), rtol=1e-5, atol=1e-7):
        return "you exponentiated −z: softmax uses e^z, so the largest logit gets the largest probability"
    if abs(total - 1) > 1e-5:
        return f"probabilities must add up to 1, yours add up to {total:.6g}"
    return "compare your steps with e^z / Σ e^z on this input"


def cross_entropy_cases():
    cases = [([0.035734, 0.262428, 0.701838], 2), ([0.0998, 0.9002], 1), ([0.368188, 0.631812], 0),
             ([0.0, 1.0, 0.0], 1), ([0.25, 0.25, 0.25, 0.25], 3), ([1.0], 0)]
    rng = _rng("cross_entropy")
    for i in range(8):
        p = softmax_ref(rng.normal(0, 2, size=2 + i))
        target = int(np.argmax(p)) if i % 3 == 0 else int(rng.integers(p.size))
        p = np.clip(p, 0.02, None)
        cases.append((list(p / p.sum()), target))
    return [(np.array(p, np.float64), np.eye(len(p))[t]) for p, t in cases]


def check_cross_entropy(fn, *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """``fn(p, y_onehot)`` must return the cross-entropy −Σ y·ln p (natural log) as one number.

    Tolerance: 1e-4 + 1e-4·|expected| (so the textbook's ln(p + 1e-7) guard passes).
    """
    cases = cross_entropy_cases()
    fail = Failure("check_cross_entropy", len(cases))
    for k, (p, y) in enumerate(cases, start=1):
        inputs = f"p = {show(p)}, y = {show(y)}"
        result = call(fail, k, inputs, fn, p, y, timeout=timeout, names=["p", "y"])
        got = scalar(fail, k, inputs, result, what="the cross-entropy")
        expected = -math.log(p[int(np.argmax(y))])
        if not (math.isfinite(got) and abs(got - expected) <= 1e-4 + 1e-4 * abs(expected)):
            fail(k, inputs, expected, got, _cross_entropy_hint(p, y, got, expected))


def _cross_entropy_hint(p, y, got, expected):
    def near(value):
        return math.isfinite(value) and abs(got - value) <= 1e-4 + 1e-4 * abs(value)

    if math.isnan(got) and np.any(p == 0):
        return ("0·log 0 gave nan: only the target class's −log p counts; pick it out with the label, or add a "
                "tiny 1e-7 inside the log")
    if near(expected / math.log(10)):
        return "this looks like log base 10: cross-entropy uses the natural log (np.log, not np.log10)"
    if near(expected / math.log(2)):
        return "this looks like log base 2: cross-entropy uses the natural log (np.log)"
    if near(-expected):
        return "the sign is flipped: cross-entropy is −Σ y·log p, a positive number"
    if near(expected / p.size):
        return "you averaged over the classes: cross-entropy sums −y·log p over the classes"
    with np.errstate(divide="ignore", invalid="ignore"):
        binary = -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
    if near(float(binary)):
        return "that is the binary cross-entropy summed over classes; with one-hot y only −log p of the target counts"
    if near(-math.log(p.max())):
        return "you used the largest probability: use the probability of the target class (where y is 1)"
    return "cross-entropy is −Σ y·ln p: with a one-hot y that is −ln of the target class's probability"


def conv_size_ref(n, k, s, p):
    return (n + 2 * p - k) // s + 1


def conv_cases():
    cases = [(7, 3, 1, 0), (7, 3, 2, 0), (5, 3, 1, 1), (28, 3, 1, 1), (32, 5, 1, 0), (4, 2, 2, 0), (5, 2, 2, 0),
             (8, 3, 2, 0), (8, 3, 2, 1), (1, 1, 1, 0)]
    rng = _rng("conv")
    while len(cases) < 20:
        k = int(rng.integers(1, 8))
        p = int(rng.integers(0, 4))
        n = int(rng.integers(max(1, k - 2 * p), 64))
        cases.append((n, k, int(rng.integers(1, 5)), p))
    return cases


def check_conv_output_size(fn, *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """``fn(n, kernel_size, stride, padding)`` must return floor((n + 2·padding − kernel_size) / stride) + 1."""
    cases = conv_cases()
    fail = Failure("check_conv_output_size", len(cases))
    for k, (n, kernel, stride, pad) in enumerate(cases, start=1):
        inputs = f"n = {n}, kernel_size = {kernel}, stride = {stride}, padding = {pad}"
        result = call(fail, k, inputs, fn, n, kernel, stride, pad, timeout=timeout)
        expected = conv_size_ref(n, kernel, stride, pad)
        if isinstance(result, (bool, np.bool_)):
            fail(k, inputs, expected, repr(result), "return the size as a whole number, not True/False")
        got = scalar(fail, k, inputs, result, what="the output size")
        if got != expected:
            fail(k, inputs, expected, got, _conv_hint(n, kernel, stride, pad, got))
        if not isinstance(result, numbers.Integral) and not float(got).is_integer():
            fail(k, inputs, expected, got, "the output size must be a whole number")


def _conv_hint(n, k, s, p, got):
    if not float(got).is_integer():
        return "sizes are whole numbers: floor((n + 2p − k) / s) + 1 (use // for the division)"
    if got == (n + p - k) // s + 1:
        return "padding is added on both sides: n + 2·padding"
    if got == (n + 2 * p - k) // s:
        return "you forgot the + 1 (the window's first position)"
    if got == -((n + 2 * p - k) // -s) + 1:
        return "round down (floor), not up: a window that does not fit is not used"
    if got == (n - k) // s + 1:
        return "include the padding: n + 2·padding"
    return "output size = floor((n + 2·padding − kernel_size) / stride) + 1"


def check_perceptron(gate: str, w1, w2, b) -> None:
    """The perceptron y = 1 if w1·x1 + w2·x2 + b > 0 else 0 must compute ``gate`` ("AND", "OR", "NAND", "NOR")."""
    key = str(gate).upper()
    if key not in GATES:
        raise AssertionError(f"check_perceptron: gate must be one of {', '.join(GATES)}, got {gate!r}")
    fail = Failure("check_perceptron", 4)
    weights = f"w1 = {w1!r}, w2 = {w2!r}, b = {b!r}"
    values = [scalar(fail, 1, weights, v, what=name) for v, name in ((w1, "w1"), (w2, "w2"), (b, "b"))]
    if not all(map(math.isfinite, values)):
        fail(1, weights, hint="weights must be finite numbers")
    if key == "XOR":
        raise AssertionError("check_perceptron: no single perceptron computes XOR, whatever its weights: no straight "
                             "line separates (0, 1) and (1, 0) from (0, 0) and (1, 1). Build XOR from NAND, OR and AND")
    a, c, bias = values
    for k, ((x1, x2), target) in enumerate(zip(INPUTS, GATES[key]), start=1):
        z = a * x1 + c * x2 + bias
        y = 1 if z > 0 else 0
        if y != target:
            hint = "z = 0 gives y = 0: y = 1 only when z > 0" if z == 0 else \
                f"{key} of ({x1}, {x2}) is {target}, so z must be {'> 0' if target else '≤ 0'}"
            fail(k, f"{weights}; x = ({x1}, {x2}): z = {a:g}·{x1} + {c:g}·{x2} + {bias:g} = {z:g}", target, y, hint)


def check_logic_function(gate: str, fn, *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """``fn(x1, x2)`` must return ``gate``'s truth table (0 or 1) on all four inputs, e.g. XOR built from gates."""
    key = str(gate).upper()
    if key not in GATES:
        raise AssertionError(f"check_logic_function: gate must be one of {', '.join(GATES)}, got {gate!r}")
    fail = Failure(f"check_logic_function({key})", 4)
    for k, ((x1, x2), target) in enumerate(zip(INPUTS, GATES[key]), start=1):
        inputs = f"x1 = {x1}, x2 = {x2}"
        got = scalar(fail, k, inputs, call(fail, k, inputs, fn, x1, x2, timeout=timeout), what="the output")
        if got != target:
            fail(k, inputs, target, got, f"{key}({x1}, {x2}) = {target}")
