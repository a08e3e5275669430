"""Softmax, cross-entropy and friends, stable for logits up to |z| = 1e4 and beyond.

softmax(z / T)_i = exp(z_i / T - m) / sum_j exp(z_j / T - m),   m = max_j z_j / T
log_softmax(z)   = z / T - m - log sum_j exp(z_j / T - m)        (log-sum-exp)
cross_entropy    = -sum_i y_i log_base(p_i)
d loss / d z     = (p - y) / (T ln(base))            = p - y for ln and T = 1

All functions work on the last axis and accept a batch on axis 0. One class is allowed (its softmax is 1).
Sizes are capped before anything is allocated (``_validate.MAX_ENTRIES``, 1e6 entries); targets are never
expanded with ``np.eye``.
"""
from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import jax
import numpy as np

from .._validate import choice, finite_array, positive_float, shown
from ..i18n import _

#: ln(base) for each log base the calculator offers: log_base(p) = ln(p) / LOG_BASES[base]
LOG_BASES = {"e": 1.0, "2": math.log(2.0), "10": math.log(10.0)}
REDUCTIONS = ("mean", "none")
FLOAT32_MAX = float(np.finfo(np.float32).max)


class NaiveSoftmax(NamedTuple):
    """exp(z), its sum over classes and their ratio, exactly as written (overflowing in float32)."""

    exp: np.ndarray
    sum: np.ndarray
    probabilities: np.ndarray


def real_array(name: str, value, *, ndim=(1, 2), dtype=np.float32, expected: str = "") -> np.ndarray:
    """``value`` as a finite real array of ``dtype`` with ``ndim`` axes and at least one entry.

    ``finite_array`` refuses complex (never silently truncated), booleans, text, ragged nesting and more than
    ``MAX_ENTRIES`` entries before anything is allocated; ``expected`` words the allowed shape for messages.
    """
    array = finite_array(name, value, dtype=dtype)
    if array.ndim not in ndim or array.size == 0:
        expected = expected or _("shape {shapes}").format(
            shapes=_(" or ").join({1: "(classes,)", 2: "(batch, classes)"}[n] for n in ndim))
        raise ValueError(_("{name} must have {expected} with at least one entry, got shape {shape}").format(
            name=name, expected=expected, shape=array.shape))
    return array


def logits_and_temperature(z, temperature):
    """The checked logits z and T, refusing a T so small that z / T leaves float32."""
    z = real_array("z", z)
    t = positive_float("temperature", temperature)
    if t > FLOAT32_MAX:
        raise ValueError(_("temperature must be at most {maximum:.3g} (float32), got {value:g}").format(
            maximum=FLOAT32_MAX, value=t))
    if np.float32(t) == 0 or float(np.abs(z).max()) / t > FLOAT32_MAX:
        raise ValueError(_("temperature = {value:g} makes z / temperature overflow float32 "
                           "(largest |z| is {largest:g}); use a larger temperature").format(
                               value=t, largest=float(np.abs(z).max())))
    return z, np.float32(t)


@jax.jit
def _softmax(z, temperature):
    return jax.nn.softmax(z / temperature, axis=-1)


@jax.jit
def _log_softmax(z, temperature):
    return jax.nn.log_softmax(z / temperature, axis=-1)


def softmax(z, temperature=1.0):
    """Probabilities exp(z_i / T) / sum_j exp(z_j / T), computed with the max subtracted first.

    >>> [round(float(p), 4) for p in softmax([1.5, 3.7])]
    [0.0998, 0.9002]
    >>> softmax([5.0]).tolist()
    [1.0]
    """
    return np.asarray(_softmax(*logits_and_temperature(z, temperature)))


def log_softmax(z, temperature=1.0):
    """log softmax(z / T) = z / T - logsumexp(z / T): exact where softmax itself would round to 0."""
    return np.asarray(_log_softmax(*logits_and_temperature(z, temperature)))


def naive_softmax(z) -> NaiveSoftmax:
    """exp(z) / sum exp(z) exactly as written, in float32: overflows to inf / nan for z above ~88.7.

    Only for showing why the max trick exists; nothing else uses it.
    """
    z = real_array("z", z)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        total = e.sum(axis=-1, keepdims=True)
        return NaiveSoftmax(e, total, e / total)


def log_scale(base) -> float:
    """ln(base) for a log base "e", "2" or "10" (2 and 10 may be given as integers)."""
    if isinstance(base, numbers.Integral) and not isinstance(base, bool):
        base = str(base)
    return LOG_BASES[choice("base", base, LOG_BASES)]


def _probabilities(p) -> np.ndarray:
    p = real_array("p", p)
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError(_("p must be probabilities between 0 and 1, got {value}").format(value=shown(p.tolist())))
    return p


def target_indices(y, shape, name: str = "y", against: str = "p") -> np.ndarray | None:
    """Class indices for targets ``y`` given as indices (shape ``shape[:-1]``), or None when ``y`` is one-hot.

    Raises a ValueError naming ``y`` (as ``name``) for anything else: a wrong index, a fraction, a shape that does
    not match ``against`` (of ``shape``), bool, text.
    """
    classes = shape[-1]
    message = (_("{name} must be a class index in 0..{last} or a one-hot vector of length {classes} (to match "
                 "{against} of shape {shape}), got {value}") if len(shape) == 1 else
               _("{name} must be {rows} class indices in 0..{last} or one-hot rows of shape {shape} (to match "
                 "{against} of shape {shape}), got {value}"))

    def refused(value):
        return ValueError(message.format(name=name, last=classes - 1, classes=classes, rows=shape[0],
                                         against=against, shape=tuple(shape), value=shown(value)))

    try:
        array = np.asarray(y)
    except (TypeError, ValueError):
        raise refused(y) from None
    if array.dtype.kind not in "iuf" or array.shape not in (tuple(shape[:-1]), tuple(shape)):
        raise refused(y)
    if array.shape == tuple(shape[:-1]):
        if not np.all(np.isfinite(array)) or np.any(np.mod(array, 1) != 0) or np.any(array < 0) \
                or np.any(array >= classes):
            raise refused(y)
        return array.astype(np.int64)
    if not np.all(np.isfinite(array)) or np.any(array < 0) or not np.allclose(array.sum(axis=-1), 1, atol=1e-6):
        raise refused(array.tolist())
    return None


def _at_target(values: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """values[..., indices] per row: the entry of each sample's target class."""
    return np.take_along_axis(values, indices[..., None], axis=-1)[..., 0]


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
    p = _probabilities(p)
    scale = log_scale(base)
    choice("reduction", reduction, REDUCTIONS)
    indices = target_indices(y, p.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        if indices is not None:
            loss = 0.0 - np.log(_at_target(p, indices).astype(np.float64))  # 0.0 - : no -0.0 for p = 1
        else:
            weights = np.asarray(y, dtype=np.float64)
            loss = np.where(weights > 0, -weights * np.log(p.astype(np.float64)), 0.0).sum(axis=-1)
    return _reduce(np.float32(loss / scale), reduction)


def mse(p, y, reduction="mean"):
    """Mean over classes of (p_i - y_i)^2, as the seeds compute it next to cross-entropy.

    >>> round(float(mse([0.603483, 0.396517], 0)), 6)
    0.157226
    """
    p = _probabilities(p)
    choice("reduction", reduction, REDUCTIONS)
    indices = target_indices(y, p.shape)
    if indices is None:
        error = p - np.asarray(y, dtype=np.float32)
    else:
        error = p.copy()
        np.put_along_axis(error, indices[..., None], _at_target(p, indices)[..., None] - 1, axis=-1)
    return _reduce(np.float32((error.astype(np.float64) ** 2).mean(axis=-1)), reduction)
