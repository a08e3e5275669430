"""Secret cases the grader adds in the parent, drawn from the run's secret seed, for checks that cannot draw
their own (``nnwidgets.checks`` functions without a ``seed`` keyword): a hard-coded table of the shipped
cases' answers then still fails. References and tolerances are the checks' (softmax: 1e-7 + 1e-5·|expected|
per entry; cross-entropy: 1e-4 + 1e-4·|expected|)."""
from __future__ import annotations

import math

import numpy as np

COUNT = 6


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def _floats(value, shape, what, inputs):
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise AssertionError(f"{what}: the answer for {inputs} is not numbers: {value!r}"[:300]) from None
    if array.shape != shape:
        raise AssertionError(f"{what}: for {inputs} the answer has shape {array.shape}, not {shape}")
    return array


def _fail(what, k, inputs, expected, got):
    raise AssertionError(f"{what}: secret case {k} of {COUNT} failed\n  input:    {inputs}\n"
                         f"  expected: {np.round(expected, 6)}\n  got:      {np.round(got, 6)}")


def secret_softmax(fn, rng: np.random.Generator) -> None:
    what = "check_softmax (the grader's secret cases)"
    for k in range(1, COUNT + 1):
        z = rng.normal(0, float(rng.choice([0.5, 3.0, 30.0])), size=int(rng.integers(2, 9)))
        inputs = f"z = {np.round(z, 6)}"
        got, expected = _floats(fn(z.copy()), z.shape, what, inputs), _softmax(z)
        if not (np.all(np.isfinite(got)) and np.all(np.abs(got - expected) <= 1e-7 + 1e-5 * np.abs(expected))):
            _fail(what, k, inputs, expected, got)


def secret_cross_entropy(fn, rng: np.random.Generator) -> None:
    what = "check_cross_entropy (the grader's secret cases)"
    for k in range(1, COUNT + 1):
        p = np.clip(_softmax(rng.normal(0, 2, size=int(rng.integers(2, 9)))), 0.02, None)
        p = p / p.sum()
        y = np.eye(p.size)[int(rng.integers(p.size))]
        inputs = f"p = {np.round(p, 6)}, y = {y}"
        got = float(_floats(fn(p.copy(), y.copy()), (), what, inputs))
        expected = -math.log(p[int(np.argmax(y))])
        if not (math.isfinite(got) and abs(got - expected) <= 1e-4 + 1e-4 * abs(expected)):
            _fail(what, k, inputs, expected, got)


#: check name -> (secret cases, index of the student's function among the check's arguments)
SECRET = {"check_softmax": (secret_softmax, 0), "check_cross_entropy": (secret_cross_entropy, 0)}
