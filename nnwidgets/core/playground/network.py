"""The playground's network: a multilayer perceptron with batch norm and dropout, and its losses.

A hidden layer l computes, from the previous layer's output h (the inputs for l = 1)::

    z = h W + b;   z ← γ (z − μ) / √(σ² + ε) + β   (batch norm, optional);   h = f(z);   h ← h · m / (1 − p)

with f the activation and m ~ Bernoulli(1 − p) the dropout mask (training only: inverted dropout, so nothing
changes at evaluation). μ, σ² are the batch's mean and (biased) variance in training, and running averages
(PyTorch's rule, momentum 0.1, unbiased batch variance) in evaluation; ε = 1e-5. The output layer is
z = h W + b with no batch norm and no dropout, read as:

- 2 classes: one output, p(class 1) = sigmoid(z), binary cross-entropy −[y log p + (1 − y) log(1 − p)]
  (logistic regression when ``hidden=()``);
- k ≥ 3 classes: k outputs, p = softmax(z), cross-entropy −log p_y;
- regression: one linear output ŷ = z, loss ½ (ŷ − y)² (TensorFlow Playground's and seed 001's square error).

Losses are averaged over the samples (a weighted mean when a batch is padded). ``hidden=()`` is linear
(regression) or logistic (classification) regression.
"""
from __future__ import annotations

import math
from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ..._validate import shown
from ...i18n import _
from ..programs import jit
from ..small_matmul import matmul

ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu")
INITS = ("xavier", "he", "normal", "zeros")
#: The seeds' leaky ReLU is max(0.1 x, x); their ELU has α = 1
LEAKY_SLOPE = 0.1
ELU_ALPHA = 1.0
NORM_EPS = 1e-5
NORM_MOMENTUM = 0.1
MAX_LAYERS = 6
MAX_NEURONS = 64


class Architecture(NamedTuple):
    """What fixes the network's shape and code (static for ``jax.jit``)."""

    sizes: tuple  # (inputs, hidden..., outputs)
    activation: str
    output: str  # "sigmoid", "softmax" or "linear"
    batch_norm: bool


class Params(NamedTuple):
    """``layers``: ((W, b), ...) for every layer; ``norm``: ((γ, β), ...) for every hidden layer with batch norm."""

    layers: tuple
    norm: tuple


class NormStats(NamedTuple):
    """Batch norm's running mean and variance for every hidden layer (empty without batch norm)."""

    mean: tuple
    var: tuple


class Forward(NamedTuple):
    """``logits``: the output layer's z; ``layers``: every hidden layer's h, then the output (p or ŷ)."""

    logits: jax.Array
    layers: tuple
    stats: NormStats


def activate(name: str, z):
    """linear z; sigmoid 1/(1 + e^−z); tanh; ReLU max(0, z); leaky ReLU max(0.1 z, z); ELU z or e^z − 1 (z < 0)."""
    if name == "linear":
        return z
    if name == "sigmoid":
        return jax.nn.sigmoid(z)
    if name == "tanh":
        return jnp.tanh(z)
    if name == "relu":
        return jnp.maximum(z, 0.0)
    if name == "leaky_relu":
        return jnp.where(z > 0, z, LEAKY_SLOPE * z)
    if name == "elu":
        return jnp.where(z > 0, z, ELU_ALPHA * jnp.expm1(jnp.minimum(z, 0.0)))
    raise ValueError(_("{name} must be one of {allowed}, got {value!r}").format(
        name="activation", allowed=", ".join(ACTIVATIONS), value=name))


def output_kind(problem: str, classes: int) -> str:
    """"linear" for regression, "sigmoid" (one output) for 2 classes, "softmax" for more."""
    return "linear" if problem == "regression" else ("sigmoid" if classes <= 2 else "softmax")


def check_hidden(name: str, value) -> tuple:
    """Hidden layer sizes: a tuple of at most MAX_LAYERS integers in 1..MAX_NEURONS (``()``: no hidden layer)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = (value,)
    if not isinstance(value, (tuple, list)):
        raise ValueError(_("{name} must be a tuple of at most {layers} layer sizes, each 1..{neurons} such as (4, 2), "
                           "got {value}").format(name=name, layers=MAX_LAYERS, neurons=MAX_NEURONS,
                                                 value=shown(value)))
    if len(value) > MAX_LAYERS:
        raise ValueError(_("{name} may have at most {layers} hidden layers, got {count}").format(
            name=name, layers=MAX_LAYERS, count=len(value)))
    for size in value:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not 1 <= size <= MAX_NEURONS:
            raise ValueError(_("{name} must be a tuple of at most {layers} layer sizes, each 1..{neurons}: each "
                               "layer has 1..{neurons} neurons, got {size} in {value}").format(
                                   name=name, layers=MAX_LAYERS, neurons=MAX_NEURONS, size=shown(size),
                                   value=shown(value)))
    return tuple(int(size) for size in value)


def architecture(inputs: int, hidden, outputs_for: str, classes: int, activation: str, batch_norm: bool):
    """The ``Architecture`` for ``inputs`` inputs, ``hidden`` sizes and the problem ``outputs_for``."""
    hidden = check_hidden("hidden", hidden)
    if activation not in ACTIVATIONS:
        raise ValueError(_("{name} must be one of {allowed}, got {value}").format(
            name="activation", allowed=", ".join(ACTIVATIONS), value=shown(activation)))
    output = output_kind(outputs_for, classes)
    outputs = classes if output == "softmax" else 1
    return Architecture((int(inputs), *map(int, hidden), outputs), activation, output, bool(batch_norm))


def init_params(arch: Architecture, init: str, key, init_scale: float = 1.0) -> tuple[Params, NormStats]:
    """Weights W (n_in, n_out) ~ N(0, s²), biases 0, γ = 1, β = 0.

    s = √(2 / (n_in + n_out)) for "xavier" (Glorot, as the seeds write it), √(2 / n_in) for "he",
    ``init_scale`` for "normal", and every weight 0 for "zeros" (so every neuron of a layer stays the same).
    """
    shapes = tuple(zip(arch.sizes[:-1], arch.sizes[1:]))
    layers = []
    for z, (n_in, n_out) in zip(jax.device_get(_normals(shapes, key)), shapes, strict=True):
        std = {"xavier": math.sqrt(2.0 / (n_in + n_out)), "he": math.sqrt(2.0 / n_in), "normal": float(init_scale),
               "zeros": 0.0}[init]
        layers.append((jax.device_put(np.float32(std) * z), _filled(n_out, 0.0)))
    hidden = arch.sizes[1:-1] if arch.batch_norm else ()
    norm = tuple((_filled(n, 1.0), _filled(n, 0.0)) for n in hidden)
    stats = NormStats(tuple(_filled(n, 0.0) for n in hidden), tuple(_filled(n, 1.0) for n in hidden))
    return Params(tuple(layers), norm), stats


@partial(jit, static_argnums=0, keep=4)
def _normals(shapes: tuple, key) -> tuple:
    """N(0, 1) draws of every layer's weights in one program. Drawn op by op, each new layer shape compiled
    (or loaded) its own programs: a quarter of a second for a new network. The scaling stays outside (NumPy's
    float32 product is JAX's): inside, XLA would fold it into the draw's own constant and change the last bit."""
    keys = jax.random.split(key, len(shapes))
    return tuple(jax.random.normal(k, shape, jnp.float32) for k, shape in zip(keys, shapes, strict=True))


def _filled(n: int, value: float):
    return jax.device_put(np.full((n,), value, np.float32))  # a transfer (jnp.asarray compiles a conversion)


def forward(arch: Architecture, params: Params, stats: NormStats, X, *, train: bool = False, dropout=0.0,
            key=None, weights=None) -> Forward:
    """The network on inputs ``X`` (n, sizes[0]) in training (batch statistics, dropout) or evaluation mode.

    ``weights`` (n,) marks the real samples of a padded batch (1) and the padding (0) for batch statistics.
    Dropout masks (rate ``dropout``) are drawn from ``key`` in training; without a key there is no dropout.
    """
    h, outputs = X, []
    means, variances = list(stats.mean), list(stats.var)
    for i, (W, b) in enumerate(params.layers[:-1]):
        z = matmul(h, W) + b
        if arch.batch_norm:
            if train:
                w = jnp.ones(z.shape[0]) if weights is None else weights
                count = jnp.maximum(jnp.sum(w), 1.0)
                mean = jnp.sum(w[:, None] * z, axis=0) / count
                var = jnp.sum(w[:, None] * (z - mean) ** 2, axis=0) / count
                unbiased = var * count / jnp.maximum(count - 1.0, 1.0)
                means[i] = (1 - NORM_MOMENTUM) * means[i] + NORM_MOMENTUM * mean
                variances[i] = (1 - NORM_MOMENTUM) * variances[i] + NORM_MOMENTUM * unbiased
            else:
                mean, var = stats.mean[i], stats.var[i]
            gamma, beta = params.norm[i]
            z = gamma * (z - mean) / jnp.sqrt(var + NORM_EPS) + beta
        h = activate(arch.activation, z)
        if train and key is not None:  # no key: no masks (training skips drawing them when dropout is 0)
            h = _drop(h, key, i, dropout)
        outputs.append(h)
    W, b = params.layers[-1]
    logits = matmul(h, W) + b
    outputs.append(output_values(arch.output, logits))
    return Forward(logits, tuple(outputs), NormStats(tuple(means), tuple(variances)))


def _drop(h, key, layer, rate):
    """Inverted dropout: each value kept with probability 1 − rate and then divided by 1 − rate."""
    keep = jax.random.uniform(jax.random.fold_in(key, layer), h.shape) >= rate
    return jnp.where(keep, h / (1.0 - rate), 0.0)


def output_values(output: str, logits):
    """What the output layer shows: sigmoid(z) (one column), softmax(z), or z itself (regression)."""
    if output == "sigmoid":
        return jax.nn.sigmoid(logits)
    if output == "softmax":
        return jax.nn.softmax(logits, axis=-1)
    return logits


def probabilities(output: str, logits):
    """Class probabilities (n, classes): [1 − p, p] for a sigmoid output, softmax(z) otherwise."""
    if output == "sigmoid":
        p = jax.nn.sigmoid(logits[:, 0])
        return jnp.stack([1 - p, p], axis=1)
    return jax.nn.softmax(logits, axis=-1)


def sample_losses(output: str, logits, y):
    """Each sample's loss: binary cross-entropy, cross-entropy, or ½ (ŷ − y)² (computed from the logits)."""
    if output == "sigmoid":
        z, t = logits[:, 0], y.astype(logits.dtype)
        return -(t * jax.nn.log_sigmoid(z) + (1 - t) * jax.nn.log_sigmoid(-z))
    if output == "softmax":
        return -jnp.take_along_axis(jax.nn.log_softmax(logits, axis=-1), y[:, None].astype(jnp.int32), axis=1)[:, 0]
    return 0.5 * (logits[:, 0] - y) ** 2


def data_loss(output: str, logits, y, weights=None):
    """The mean loss over the samples (weighted by ``weights`` when given): L = Σ w_i ℓ_i / Σ w_i."""
    losses = sample_losses(output, logits, y)
    if weights is None:
        return jnp.mean(losses)
    return jnp.sum(weights * losses) / jnp.maximum(jnp.sum(weights), 1.0)


def penalty(params: Params, l1, l2):
    """Regularisation of the weights W (never biases, γ or β): l1 · Σ|w| + l2 · ½ Σ w²."""
    weights = [W for W, _ in params.layers]
    return l1 * sum(jnp.sum(jnp.abs(W)) for W in weights) + 0.5 * l2 * sum(jnp.sum(W * W) for W in weights)


def accuracy(output: str, logits, y):
    """The fraction of samples whose most probable class is ``y`` (NaN for regression or no samples)."""
    if output == "linear" or logits.shape[0] == 0:
        return jnp.float32(jnp.nan)
    guess = (logits[:, 0] > 0).astype(jnp.int32) if output == "sigmoid" else jnp.argmax(logits, axis=-1)
    return jnp.mean((guess == y).astype(jnp.float32))


def confusion_matrix(y_true, y_pred, classes: int) -> np.ndarray:
    """C[i, j] = how many samples of class i the network called class j (rows: truth, columns: guess)."""
    matrix = np.zeros((classes, classes), np.int64)
    np.add.at(matrix, (np.asarray(y_true, np.int64), np.asarray(y_pred, np.int64)), 1)
    return matrix


@partial(jit, static_argnums=0, keep=3)
def evaluate(arch: Architecture, params: Params, stats: NormStats, X) -> Forward:
    """``forward`` in evaluation mode, compiled (once per architecture and input shape)."""
    return forward(arch, params, stats, X)


class Misclassified(NamedTuple):
    """The samples whose predicted class is wrong: their row numbers, true classes and predicted classes."""

    index: np.ndarray
    true: np.ndarray
    predicted: np.ndarray


def misclassified(y_true, y_pred) -> Misclassified:
    """Rows i with predicted[i] ≠ true[i], in order."""
    y_true, y_pred = np.asarray(y_true, np.int64), np.asarray(y_pred, np.int64)
    rows = np.flatnonzero(y_true != y_pred)
    return Misclassified(rows, y_true[rows], y_pred[rows])
