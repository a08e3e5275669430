"""check_layer's cases and float64 references: (forward inputs..., dout) per case, and the expected values."""
from __future__ import annotations

import numpy as np

from ._harness import fixed_rng, seeded_rng

ARG_NAMES = {"Add": ["x", "y"], "Mul": ["x", "y"], "MSE": ["y", "t"], "SoftmaxWithLoss": ["x", "t"]}


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _loss_batch(rng, n, k, scale):
    """Logits and integer targets whose probability is at least 0.01 (so the book's ln(p + 1e-7) is exact enough)."""
    x = rng.normal(size=(n, k)) * scale
    p = _softmax(x)
    targets = [int(rng.choice(np.flatnonzero(row >= 0.01))) for row in p]
    return x, np.array(targets)


def _random_cases(name, rng, count):
    if name in ("Add", "Mul"):
        return [tuple(rng.normal(size=(2, 3)) for _ in range(3)) for _ in range(count)]
    if name in ("Sigmoid", "ReLU"):
        return [(rng.normal(size=(3, 4)) * 3, rng.normal(size=(3, 4))) for _ in range(count)]
    if name == "Affine":
        return [(rng.normal(size=(n, 2)), rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(n, 3)))
                for n in (4, 1, 3)[:count]]
    if name == "MSE":
        return [(rng.uniform(size=(3, 2)), rng.uniform(size=(3, 2)), float(rng.uniform(0.5, 2))) for _ in range(count)]
    return [(*_loss_batch(rng, 3 + i, 4, 3.0), 1.0) for i in range(count)]


def layer_cases(name, seed=None):
    """SoftmaxWithLoss targets are integer classes here; the check turns them into one-hot rows when asked."""
    rng = fixed_rng(name)
    if name in ("Add", "Mul"):
        cases = [(3.0, -4.0, 1.0), (100.0, 2.0, 1.1), (rng.normal(size=(2, 3)), rng.normal(size=(2, 3)),
                                                       rng.normal(size=(2, 3)))]
    elif name in ("Sigmoid", "ReLU"):
        x = np.array([[-2.0, 0.0, 0.5], [3.0, -0.1, 1e-3]])
        cases = [(x, rng.normal(size=x.shape)), (rng.normal(size=(4,)) * 3, rng.normal(size=(4,))),
                 (np.array([[-1000.0, 1000.0]]), np.ones((1, 2)))]
    elif name == "Affine":
        cases = [(rng.normal(size=(n, 2)), rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(n, 3)))
                 for n in (4, 1)]
    elif name == "MSE":
        cases = [(np.array([[0.37, 0.63]]), np.array([[1.0, 0.0]]), 1.0),
                 (rng.uniform(size=(4, 1)), np.array([[0.0], [1.0], [1.0], [0.0]]), 1.0),
                 (rng.uniform(size=(3, 2)), rng.uniform(size=(3, 2)), 2.0)]
    else:  # rows of very different scale: one max for the whole batch turns the second row into 0/0
        cases = [(np.array([[0.48, 1.02]]), np.array([0]), 1.0), (*_loss_batch(rng, 4, 3, 3.0), 1.0),
                 (np.array([[1000.0, 999.0, -1000.0], [0.0, 1.0, -1.0]]), np.array([1, 2]), 1.0)]
    extra = seeded_rng(seed)
    return cases + (_random_cases(name, extra, 3) if extra else [])


def layer_expected(name, case):
    """(forward output, backward outputs as a tuple, {attribute: value}) for one case, in float64."""
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
    x, targets, d = case
    shifted = x - x.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # finite for every logit
    onehot = np.eye(x.shape[1])[targets]
    return -np.sum(onehot * log_p) / n, (d * (np.exp(log_p) - onehot) / n,), {}


def split(name, case, labels="onehot"):
    """(forward's arguments, dout)."""
    if name == "SoftmaxWithLoss":
        x, targets, d = case
        return (x, np.eye(x.shape[1])[targets] if labels == "onehot" else np.asarray(targets)), d
    if name in ("Add", "Mul", "MSE"):
        return case[:2], np.asarray(case[2]) if np.ndim(case[2]) else case[2]
    if name == "Affine":
        return (case[0],), case[3]
    return (case[0],), case[1]
