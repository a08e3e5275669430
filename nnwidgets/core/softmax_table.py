"""Every number the softmax calculator shows for one sample, from one jitted call.

p = softmax(z / T),  log p by log-sum-exp,  L = -log_base p_target = -ln p_target / ln(base),
MSE = mean_i (p_i - y_i)^2,  dL/dz = (p - y) / (T ln base),  and for 2 classes p_2 = sigmoid(z_2 - z_1).
"""
from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ..i18n import _
from .softmax import log_scale, logits_and_temperature, naive_softmax, real_array, target_indices


class SoftmaxReport(NamedTuple):
    """The jitted part: p, log p, the loss in the chosen base, the MSE and d loss / d z."""

    probabilities: jax.Array
    log_p: jax.Array
    loss: jax.Array
    mse: jax.Array
    grad_logits: jax.Array


class SoftmaxTable(NamedTuple):
    """The calculator's table for logits ``logits`` and target class ``target`` (float32 arrays, Python floats)."""

    logits: np.ndarray
    y: np.ndarray  # one-hot target
    probabilities: np.ndarray
    log_p: np.ndarray  # ln p, by log-sum-exp
    minus_log_p: np.ndarray  # -log_base p_i for every class
    loss: float  # -log_base p_target
    loss_ln: float  # -ln p_target, what every framework reports
    mse: float
    grad_logits: np.ndarray
    exp: np.ndarray  # e^(z / T) as written: inf above ~88.7
    sum: float
    naive_p: np.ndarray  # e^(z / T) / sum: nan once e^z overflows
    shifted_exp: np.ndarray  # e^(z / T - max): never above 1


class BinaryView(NamedTuple):
    """The 2-class case as a sigmoid: p_2 = sigmoid(z_2 - z_1) and its binary cross-entropy (natural log)."""

    p: np.float32
    bce: np.float32


@jax.jit
def softmax_report(z, y, temperature, log_scale) -> SoftmaxReport:
    """Everything the calculator shows for logits ``z`` (classes,) and one-hot ``y``, in one jitted call.

    Returns p, log p (log-sum-exp), the cross-entropy in the chosen base (``log_scale`` = ln(base)),
    the MSE, and d loss / d z = (p - y) / (T ln base).
    """
    log_p = jax.nn.log_softmax(z / temperature)
    p = jnp.exp(log_p)
    loss = -jnp.sum(y * log_p) / log_scale
    return SoftmaxReport(p, log_p, loss, jnp.mean((p - y) ** 2), (p - y) / (temperature * log_scale))


def one_hot_row(target: int, classes: int) -> np.ndarray:
    """y with a 1 at ``target`` and 0 elsewhere (float32, length ``classes``)."""
    y = np.zeros(classes, np.float32)
    y[target] = 1.0
    return y


def softmax_table(z, target: int, temperature: float = 1.0, base: str = "e") -> SoftmaxTable:
    """The calculator's numbers for one sample: z (classes,), a target class index, T and a log base."""
    z, t = logits_and_temperature(real_array("z", z, ndim=(1,)), temperature)
    index = target_indices(target, z.shape, name="target", against="z")
    if index is None:
        raise ValueError(_("target must be one class index in 0..{last}, got {value!r}").format(
            last=z.size - 1, value=target))
    index = int(index)
    scale = np.float32(log_scale(base))
    y = one_hot_row(index, z.size)
    report = SoftmaxReport(*(np.asarray(v) for v in softmax_report(z, y, t, scale)))
    naive = naive_softmax(z / t)
    return SoftmaxTable(
        logits=z, y=y, probabilities=report.probabilities, log_p=report.log_p, minus_log_p=-report.log_p / scale,
        loss=float(report.loss), loss_ln=float(-report.log_p[index]), mse=float(report.mse),
        grad_logits=report.grad_logits, exp=naive.exp, sum=float(naive.sum[0]), naive_p=naive.probabilities,
        shifted_exp=np.exp(report.log_p - report.log_p.max()))


def sigmoid_bce(z, y) -> BinaryView:
    """p = sigmoid(z_2 - z_1) and its binary cross-entropy (natural log), for 2 logits and target ``y`` (0 or 1).

    Equal to the 2-class softmax's p_2 and its cross-entropy: a sigmoid is a 2-class softmax.
    """
    z = real_array("z", z, ndim=(1,))
    if z.size != 2:
        raise ValueError(_("z must have exactly 2 logits for the binary view, got {count}").format(count=z.size))
    index = target_indices(y, z.shape, against="z")
    target = int(index) if index is not None else int(np.argmax(y))
    d = np.float64(z[1]) - np.float64(z[0])
    p1 = 0.5 * (1 + np.tanh(d / 2))  # sigmoid without overflow for any finite d
    bce = np.logaddexp(0, -d) if target == 1 else np.logaddexp(0, d)  # -log sigmoid(d), -log(1 - sigmoid(d))
    return BinaryView(np.float32(p1), np.float32(bce))


@jax.jit
def linear_logits(x, W, b):
    """H = W x + b for one sample, W of shape (classes, features) as in the seed's Iris table."""
    return W @ x + b
