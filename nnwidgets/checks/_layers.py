"""check_layer: the seeds' layer classes (forward and backward), as in "Deep Learning from Scratch" ch. 5.

Interfaces (N is the batch size):
    Add, Mul          forward(x, y) -> out;       backward(dout) -> (dx, dy)
    Sigmoid, ReLU     forward(x) -> out;          backward(dout) -> dx
    Affine(W, b)      forward(x) -> x·W + b;      backward(dout) -> dx, and sets self.dW, self.db
    MSE               forward(y, t) -> ½·Σ(y − t)² / N;              backward(dout=1) -> dout·(y − t) / N
    SoftmaxWithLoss   forward(x, t) -> mean cross-entropy of softmax(x) against one-hot t;
                      backward(dout=1) -> dout·(softmax(x) − t) / N
"""
from __future__ import annotations

import numpy as np

from ._basic import _rng
from ._harness import DEFAULT_TIMEOUT, Failure, as_floats, call, close, scalar, show

RTOL, ATOL = 1e-5, 1e-8
LAYERS = ("Add", "Mul", "Sigmoid", "ReLU", "Affine", "MSE", "SoftmaxWithLoss")


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _cases(name):
    rng = _rng(name)
    if name in ("Add", "Mul"):
        return [(3.0, -4.0, 1.0), (100.0, 2.0, 1.1), (rng.normal(size=(2, 3)), rng.normal(size=(2, 3)),
                                                      rng.normal(size=(2, 3)))]
    if name in ("Sigmoid", "ReLU"):
        x = np.array([[-2.0, 0.0, 0.5], [3.0, -0.1, 1e-3]])
        return [(x, rng.normal(size=x.shape)), (rng.normal(size=(4,)) * 3, rng.normal(size=(4,))),
                (np.array([[-1000.0, 1000.0]]), np.ones((1, 2)))]
    if name == "Affine":
        return [(rng.normal(size=(n, 2)), rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(n, 3)))
                for n in (4, 1)]
    if name == "MSE":
        return [(np.array([[0.37, 0.63]]), np.array([[1.0, 0.0]]), 1.0),
                (rng.uniform(size=(4, 1)), np.array([[0.0], [1.0], [1.0], [0.0]]), 1.0),
                (rng.uniform(size=(3, 2)), rng.uniform(size=(3, 2)), 2.0)]
    return [(np.array([[0.48, 1.02]]), np.array([[1.0, 0.0]]), 1.0),
            (rng.normal(size=(4, 3)) * 3, np.eye(3)[[0, 2, 1, 2]], 1.0),
            (np.array([[1000.0, 0.0, -1000.0]]), np.array([[0.0, 1.0, 0.0]]), 1.0)]


def _expected(name, case):
    """(forward output, backward outputs as a tuple, {attribute: value}) for one case."""
    if name == "Add":
        x, y, d = case
        return x + y, (d * np.ones_like(x), d * np.ones_like(y)), {}
    if name == "Mul":
        x, y, d = case
        return x * y, (d * y, d * x), {}
    if name == "Sigmoid":
        x, d = case
        out = 0.5 * (1 + np.tanh(0.5 * np.asarray(x)))  # σ without overflow
        return out, (d * out * (1 - out),), {}
    if name == "ReLU":
        x, d = case
        return np.maximum(x, 0), (np.where(np.asarray(x) > 0, d, 0.0),), {}
    if name == "Affine":
        x, W, b, d = case
        return x @ W + b, (d @ W.T,), {"dW": x.T @ d, "db": d.sum(axis=0)}
    n = case[0].shape[0]
    if name == "MSE":
        y, t, d = case
        return 0.5 * np.sum((y - t) ** 2) / n, (d * (y - t) / n,), {}
    x, t, d = case
    p = _softmax(x)
    with np.errstate(divide="ignore"):
        loss = -np.sum(t * np.log(np.where(t > 0, p, 1.0))) / n
    return loss, (d * (p - t) / n,), {}


def check_layer(name: str, cls, *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """The layer class ``cls`` must do ``name``'s forward and backward pass (interfaces in this module's doc).

    Each case builds a fresh layer, runs forward then backward, and compares every output and, for Affine,
    ``dW`` and ``db``. Tolerance: 1e-8 + 1e-5·|expected|. Forward must not change x; backward must not
    change dout.
    """
    if name not in LAYERS:
        raise AssertionError(f"check_layer: name must be one of {', '.join(LAYERS)}, got {name!r}")
    cases = _cases(name)
    fail = Failure(f"check_layer({name!r})", len(cases))
    for k, case in enumerate(cases, start=1):
        forward_args, dout = _split(name, case)
        inputs = ", ".join(f"{n} = {show(v)}" for n, v in zip(_arg_names(name), forward_args))
        out, grads, attributes = _expected(name, case)
        layer = call(fail, k, f"creating {name}" + ("(W, b)" if name == "Affine" else "()"),
                     lambda: cls(case[1].copy(), case[2].copy()) if name == "Affine" else cls(), timeout=timeout)
        got = call(fail, k, f"forward({inputs})", layer.forward, *forward_args, timeout=timeout,
                   names=_arg_names(name))
        got = scalar(fail, k, inputs, got, "forward's loss") if np.ndim(out) == 0 else \
            as_floats(fail, k, inputs, got, np.shape(out), "forward's output")
        if not close(np.asarray(got), out, RTOL, ATOL):
            fail(k, f"forward({inputs})", out, got, _forward_hint(name, case, got), what="forward")
        backward_inputs = f"backward(dout = {show(dout)}) after forward({inputs})"
        back = call(fail, k, backward_inputs, layer.backward, dout, timeout=timeout, names=["dout"])
        back = back if isinstance(back, tuple) else (back,)
        if len(back) != len(grads):
            fail(k, backward_inputs, f"{len(grads)} gradient(s)", f"{len(back)}",
                 "Add and Mul return (dx, dy); the other layers return dx", what="backward")
        for i, (g, expected) in enumerate(zip(back, grads)):
            g = as_floats(fail, k, backward_inputs, g, np.shape(expected), f"backward's {('dx', 'dy')[i]}")
            if not close(g, expected, RTOL, ATOL):
                fail(k, backward_inputs, expected, g, _backward_hint(name, i), what="backward")
        for attribute, expected in attributes.items():
            value = getattr(layer, attribute, None)
            g = as_floats(fail, k, backward_inputs, value, expected.shape, f"self.{attribute}")
            if not close(g, expected, RTOL, ATOL):
                fail(k, backward_inputs, expected, g, {"dW": "dW = xᵀ · dout", "db": "db = Σ dout over axis 0"}
                     [attribute], what=f"self.{attribute}")


def _split(name, case):
    if name in ("Add", "Mul", "MSE", "SoftmaxWithLoss"):
        return case[:2], np.asarray(case[2]) if np.ndim(case[2]) else case[2]
    if name == "Affine":
        return (case[0],), case[3]
    return (case[0],), case[1]


def _arg_names(name):
    return {"Add": ["x", "y"], "Mul": ["x", "y"], "MSE": ["y", "t"], "SoftmaxWithLoss": ["x", "t"]}.get(name, ["x"])


def _forward_hint(name, case, got):
    if name == "MSE":
        y, t, _ = case
        if np.isclose(got, 0.5 * np.sum((y - t) ** 2)):
            return ("that is ½·Σ(y − t)² without dividing by the batch size N: the seed's slide forgets the N, but "
                    "its backward divides by N; make them agree: ½·Σ(y − t)² / N")
        return "loss = ½·Σ(y − t)² / N with N = y.shape[0]"
    if name == "SoftmaxWithLoss":
        return "softmax each row (subtract the row's max first), then the mean over the batch of −Σ t·ln p"
    if name == "Sigmoid":
        return "σ(x) = 1 / (1 + e^(−x))"
    return None


def _backward_hint(name, i):
    return {"Add": "an add gate passes dout through unchanged to both inputs",
            "Mul": "a multiply gate swaps the inputs: dx = dout·y, dy = dout·x",
            "Sigmoid": "dx = dout·y·(1 − y) with y the forward output (keep it in self.out)",
            "ReLU": "dx = dout where x > 0 and 0 where x ≤ 0 (keep a mask from forward)",
            "Affine": "dx = dout · Wᵀ",
            "MSE": "dx = dout·(y − t) / N",
            "SoftmaxWithLoss": "dx = dout·(softmax(x) − t) / N"}[name]
