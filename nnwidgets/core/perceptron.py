"""A single perceptron: z = w1 x1 + w2 x2 + b, then a step or a sigmoid.

Pure JAX functions of arrays. Weights and learning rates are traced arguments,
so new values never trigger a recompilation; only the activation, the
threshold convention and the number of epochs are static.
"""
from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .._validate import LIMIT, choice, finite_array, finite_float, positive_int
from ..i18n import _
from .programs import jit

#: The four inputs in the seeds' table order: (0,0), (1,0), (0,1), (1,1).
GATE_INPUTS = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float32)

#: Target column of each gate's truth table, rows in ``GATE_INPUTS`` order.
GATE_TARGETS = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "NOR": (1, 0, 0, 0),
    "XOR": (0, 1, 1, 0),
    "XNOR": (1, 0, 0, 1),
}
GATES = tuple(GATE_TARGETS)

#: The seeds' weights (w1, w2, b) for the step perceptron (seed 000; DLFS ch.2).
#: NOR is OR with every sign flipped, the same construction the seeds use for NAND.
GATE_PRESETS = {
    "AND": (0.5, 0.5, -0.7),
    "NAND": (-0.5, -0.5, 0.7),
    "OR": (0.5, 0.5, -0.2),
    "NOR": (-0.5, -0.5, 0.2),
}

ACTIVATIONS = ("step", "sigmoid")
THRESHOLDS = (">", ">=")

# A weighted sum whose size is below this many float32 rounding units of its
# terms is indistinguishable from 0 and is treated as exactly on the line.
_BOUNDARY_ULPS = 8.0


def gate_targets(gate: str) -> np.ndarray:
    """The 0/1 target column of ``gate``'s truth table, in ``GATE_INPUTS`` row order."""
    gate = choice("gate", gate, GATES, casefold=True)
    return np.array(GATE_TARGETS[gate], dtype=np.float32)


def _weighted_sum(x, w, b):
    """z = x . w + b, with float32 round-off around 0 snapped to exactly 0.

    Slider values such as 0.3 and 0.4 are not exact in binary, so
    0.3 + 0.4 - 0.7 would come out as +-6e-8 and flip the step on the
    boundary at random; the threshold toggle (> versus >=) needs z == 0 there.
    """
    z = x @ w + b
    scale = jnp.abs(x) @ jnp.abs(w) + jnp.abs(b)
    tolerance = _BOUNDARY_ULPS * jnp.finfo(z.dtype).eps * scale
    return jnp.where(jnp.abs(z) <= tolerance, jnp.zeros_like(z), z)


def _step(z, threshold):
    fired = z > 0 if threshold == ">" else z >= 0
    return fired.astype(z.dtype)


class NeuronOutput(NamedTuple):
    """What one perceptron computes for each input row."""

    z: jax.Array  # the weighted sum x . w + b
    y: jax.Array  # the output: step(z), or sigmoid(z) for the sigmoid activation
    label: jax.Array  # the 0/1 class (for a sigmoid, 1 exactly when y > 0.5, i.e. z > 0)


@partial(jit, static_argnames=("activation", "threshold"))
def perceptron_forward(x, w, b, activation="step", threshold=">") -> NeuronOutput:
    """Jitted core for inputs ``x`` of shape (n, d): z = x . w + b, y = step(z) or sigmoid(z), label = step(z).

    step(z) = 1 if z > 0 else 0 (``threshold=">"``) or 1 if z >= 0 else 0 (``threshold=">="``).
    """
    z = _weighted_sum(x, w, b)
    label = _step(z, threshold)
    y = label if activation == "step" else jax.nn.sigmoid(z)
    return NeuronOutput(z, y, label)


def perceptron(x, w, b, activation: str = "step", threshold: str = ">"):
    """Output of one perceptron for a batch of inputs.

    z = x @ w + b;  step: y = 1 if z > 0 else 0  (or z >= 0 with ``threshold=">="``);
    sigmoid: y = 1 / (1 + exp(-z)).

    >>> perceptron([[0, 0], [1, 1]], w=[0.5, 0.5], b=-0.7).tolist()
    [0.0, 1.0]
    """
    activation = choice("activation", activation, ACTIVATIONS)
    threshold = choice("threshold", threshold, THRESHOLDS)
    x = finite_array("x", x)
    w = finite_array("w", w)
    b = finite_array("b", b)
    if x.ndim not in (1, 2) or w.ndim != 1 or x.shape[-1] != w.shape[0]:
        raise ValueError(_("x must have shape (n, {d}) matching w of shape (d,), got x {x_shape} and w {w_shape}"
                           ).format(d=w.shape[0] if w.ndim == 1 else "d", x_shape=x.shape, w_shape=w.shape))
    if b.ndim != 0:
        raise ValueError(_("b must be a single number, got shape {shape}").format(shape=b.shape))
    _z, y, _a = perceptron_forward(np.atleast_2d(x), w, b, activation=activation, threshold=threshold)
    return y if x.ndim == 2 else y[0]


class LearningHistory(NamedTuple):
    """Weights after each epoch of the perceptron learning rule (row 0 = start)."""

    weights: np.ndarray  # (epochs + 1, d)
    biases: np.ndarray  # (epochs + 1,)
    mistakes: np.ndarray  # (epochs + 1,) rows the weights of that row still get wrong

    def first_solved_epoch(self) -> int | None:
        solved = np.flatnonzero(self.mistakes == 0)
        return int(solved[0]) if solved.size else None


@partial(jit, static_argnames=("epochs", "threshold"))
def _learn(x, t, w, b, lr, epochs, threshold):
    def mistakes(w, b):
        return jnp.sum(_step(_weighted_sum(x, w, b), threshold) != t)

    def sample(carry, sample_xt):
        w, b = carry
        xi, ti = sample_xt
        error = ti - _step(_weighted_sum(xi, w, b), threshold)
        return (w + lr * error * xi, b + lr * error), None

    def epoch(carry, _):
        carry, _ = jax.lax.scan(sample, carry, (x, t))
        return carry, (carry[0], carry[1], mistakes(*carry))

    _, (ws, bs, ms) = jax.lax.scan(epoch, (w, b), None, length=epochs)
    return (
        jnp.concatenate([w[None], ws]),
        jnp.concatenate([b[None], bs]),
        jnp.concatenate([mistakes(w, b)[None], ms]),
    )


def learn_perceptron(x, t, w, b, lr=0.1, epochs=20, threshold=">") -> LearningHistory:
    """Rosenblatt's perceptron learning rule, one sample at a time, in table order.

    For each sample: y = step(w . x + b);  w <- w + lr (t - y) x;  b <- b + lr (t - y).
    Returns the weights after every epoch; ``mistakes[k]`` counts the rows that
    the weights after epoch k still classify wrongly.
    """
    x = finite_array("x", x)
    t = finite_array("t", t)
    w = finite_array("w", w)
    b = finite_array("b", b)
    if x.ndim != 2 or t.shape != (x.shape[0],) or w.shape != (x.shape[1],) or b.ndim != 0:
        raise ValueError(_("expected x (n, d), t (n,), w (d,) and a scalar b, got {x_shape}, {t_shape}, {w_shape}, "
                           "{b_shape}").format(x_shape=x.shape, t_shape=t.shape, w_shape=w.shape, b_shape=b.shape))
    lr = finite_float("lr", lr)
    if not 0 < lr <= LIMIT:
        raise ValueError(_("{name} must be a positive number up to {maximum:g}, got {value:g}").format(
            name="lr", maximum=LIMIT, value=lr))
    epochs = positive_int("epochs", epochs, maximum=10_000)
    threshold = choice("threshold", threshold, THRESHOLDS)
    # compiled for a power-of-two number of epochs (at least 256) and cut: epoch k never depends on how many follow,
    # so a new epochs value recompiles only when it passes a power of two above 256; the Learn tab's slider (1-200)
    # uses one program. 256 epochs of 4 samples take well under a millisecond.
    length = max(256, 1 << (epochs - 1).bit_length())
    ws, bs, ms = _learn(x, t, w, b, np.float32(lr), epochs=length, threshold=threshold)
    keep = epochs + 1
    return LearningHistory(np.asarray(ws)[:keep], np.asarray(bs)[:keep], np.asarray(ms)[:keep].astype(int))


class StackOutput(NamedTuple):
    """What a two-layer step network computes for each input row."""

    z_hidden: jax.Array  # (n, k) weighted sums of the hidden neurons
    s: jax.Array  # (n, k) hidden outputs, 0 or 1
    z_out: jax.Array  # (n,) weighted sum of the output neuron
    y: jax.Array  # (n,) the network's output, 0 or 1


@partial(jit, static_argnames=("threshold",))
def stacked_forward(x, hidden_w, hidden_b, out_w, out_b, threshold=">") -> StackOutput:
    """Two layers of step perceptrons (seed 000: XOR = AND(NAND, OR)).

    s = step(x @ hidden_w + hidden_b)   hidden_w (d, k): column j is hidden neuron j
    y = step(s @ out_w + out_b)
    """
    z_hidden = _weighted_sum(x, hidden_w, hidden_b)
    s = _step(z_hidden, threshold)
    z_out = _weighted_sum(s, out_w, out_b)
    return StackOutput(z_hidden, s, z_out, _step(z_out, threshold))


def gate_name(column) -> str | None:
    """The gate whose truth table (``GATE_INPUTS`` order) is ``column``, or None."""
    column = tuple(int(v) for v in np.asarray(column).ravel())
    return next((gate for gate, targets in GATE_TARGETS.items() if targets == column), None)
