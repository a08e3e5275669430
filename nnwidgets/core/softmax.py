"""Softmax, cross-entropy and friends, stable for logits up to |z| = 1e4 and beyond.

softmax(z / T)_i = exp(z_i / T - m) / sum_j exp(z_j / T - m),   m = max_j z_j / T
log_softmax(z)   = z / T - m - log sum_j exp(z_j / T - m)        (log-sum-exp)
cross_entropy    = -sum_i y_i log_base(p_i)
d loss / d z     = (p - y) / (T ln(base))            = p - y for ln and T = 1

All functions work on the last axis and accept a batch on axis 0.
"""
from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from .._validate import choice, finite_array, positive_float

LOG_BASES = {"e": 1.0, "2": math.log(2.0), "10": math.log(10.0)}
REDUCTIONS = ("mean", "none")


def _logits(z):
    z = finite_array("z", z)
    if z.ndim not in (1, 2) or z.shape[-1] < 2:
        raise ValueError(f"z must have shape (classes,) or (batch, classes) with at least 2 classes, got {z.shape}")
    return z


@jax.jit
def _softmax(z, temperature):
    return jax.nn.softmax(z / temperature, axis=-1)


@jax.jit
def _log_softmax(z, temperature):
    return jax.nn.log_softmax(z / temperature, axis=-1)


def softmax(z, temperature=1.0):
    """Probabilities exp(z_i / T) / sum_j exp(z_j / T), computed with the max subtracted first.

    >>> softmax([1.5, 3.7]).round(4).tolist()
    [0.0998, 0.9002]
    """
    return np.asarray(_softmax(_logits(z), np.float32(positive_float("temperature", temperature))))


def log_softmax(z, temperature=1.0):
    """log softmax(z / T) by log-sum-exp: exact where softmax itself would round to 0."""
    return np.asarray(_log_softmax(_logits(z), np.float32(positive_float("temperature", temperature))))


def naive_softmax(z):
    """exp(z) / sum exp(z) exactly as written, in float32: overflows to inf / nan for z above ~88.7.

    Only for showing why the max trick exists; nothing else uses it.
    """
    z = _logits(z)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z.astype(np.float32))
        return e, e.sum(axis=-1, keepdims=True), e / e.sum(axis=-1, keepdims=True)


def one_hot(y, shape) -> np.ndarray:
    """Targets as one-hot rows matching probabilities of ``shape`` ((classes,) or (batch, classes)).

    ``y`` is a class index (a vector of them for a batch) or already one-hot (then checked).
    """
    classes = shape[-1]
    array = np.asarray(y)
    allowed = (f"a class index in 0..{classes - 1} or a one-hot vector of length {classes}" if len(shape) == 1 else
               f"{shape[0]} class indices in 0..{classes - 1} or one-hot rows of shape {tuple(shape)}")
    if array.shape == tuple(shape[:-1]):  # indices
        if array.dtype.kind not in "iuf" or not np.all(np.isfinite(array)) or np.any(np.mod(array, 1) != 0) \
                or np.any(array < 0) or np.any(array >= classes):
            raise ValueError(f"y must be {allowed}, got {y!r}")
        return np.eye(classes, dtype=np.float32)[array.astype(int)]
    if array.shape != tuple(shape) or array.dtype.kind not in "iuf" or not np.all(np.isfinite(array)) \
            or np.any(array < 0) or not np.allclose(array.sum(axis=-1), 1, atol=1e-6):
        raise ValueError(f"y must be {allowed}, got {array.tolist()!r}")
    return array.astype(np.float32)


def _reduce(values, reduction):
    reduction = choice("reduction", reduction, REDUCTIONS)
    return values.mean() if reduction == "mean" and values.ndim else values


def cross_entropy(p, y, base="e", reduction="mean"):
    """-sum_i y_i log_base(p_i): the loss of probabilities ``p`` for target ``y`` (index or one-hot).

    A batch (n, classes) gives the mean over samples, or per-sample values with ``reduction="none"``.
    p_i = 0 for the target gives inf, as the maths says.

    >>> round(float(cross_entropy([0.035734, 0.262428, 0.701838], 2)), 5)
    0.35405
    >>> round(float(cross_entropy([0.035734, 0.262428, 0.701838], 2, base="10")), 5)
    0.15376
    """
    p = finite_array("p", p)
    if p.ndim not in (1, 2) or p.shape[-1] < 2 or np.any(p < 0):
        raise ValueError(f"p must be probabilities of shape (classes,) or (batch, classes), got {p.tolist()!r}")
    scale = LOG_BASES[choice("base", str(base), LOG_BASES)]
    y = one_hot(y, p.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(y > 0, -y * np.log(p.astype(np.float64)), 0.0)
    return _reduce(np.float32(terms.sum(axis=-1) / scale), reduction)


def mse(p, y, reduction="mean"):
    """Mean over classes of (p_i - y_i)^2, as the seeds compute it next to cross-entropy.

    >>> round(float(mse([0.603483, 0.396517], 0)), 6)
    0.157226
    """
    p = finite_array("p", p)
    y = one_hot(y, p.shape)
    return _reduce(np.float32(((p - y) ** 2).mean(axis=-1)), reduction)


@jax.jit
def softmax_report(z, y, temperature, log_scale):
    """Everything the calculator shows for logits ``z`` (classes,) and one-hot ``y``, in one jitted call.

    Returns p, log p (log-sum-exp), the cross-entropy in the chosen base (``log_scale`` = ln(base)),
    the MSE, and d loss / d z = (p - y) / (T ln base).
    """
    log_p = jax.nn.log_softmax(z / temperature)
    p = jnp.exp(log_p)
    loss = -jnp.sum(y * log_p) / log_scale
    return p, log_p, loss, jnp.mean((p - y) ** 2), (p - y) / (temperature * log_scale)


def sigmoid_bce(z, y):
    """The binary case: p = sigmoid(z1 - z0) and its binary cross-entropy (natural log), for 2 logits."""
    z = _logits(z)
    d = float(z[..., 1] - z[..., 0]) if z.ndim == 1 else z[..., 1] - z[..., 0]
    p1 = 0.5 * (1 + np.tanh(np.float64(d) / 2))  # sigmoid without overflow for any finite d
    t = one_hot(y, z.shape)[..., 1]
    bce = np.logaddexp(0, -d) if t == 1 else np.logaddexp(0, d)  # -log sigmoid(d), -log(1 - sigmoid(d))
    return np.float32(p1), np.float32(bce)


@jax.jit
def linear_logits(x, W, b):
    """H = W x + b for one sample, W of shape (classes, features) as in the seed's Iris table."""
    return W @ x + b
