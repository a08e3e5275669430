"""The seed's two-layer sigmoid network (seed 001, "TwoLayerNet"), trained with jitted grad + lax.scan.

Forward:  h = sigmoid(X W1 + b1),  y = sigmoid(h W2 + b2)
Loss:     L = 1/2 * mean over samples of sum over outputs (y - t)^2
          whose gradient dL/dy = (y - t) / N is exactly the seed's MSE.backward.
          (The seed's MSE.forward prints 1/2 * sum without the 1/N, so its
          printed losses are N times ours; the updates are identical.)
Update:   plain gradient descent, every parameter p <- p - lr * dL/dp, full batch.
"""
from __future__ import annotations

import math
import time
from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .._validate import LIMIT, finite_array, integer, positive_float, positive_int
from ..i18n import _
from ._progress import LateProgress
from .programs import jit
from .small_matmul import matmul

PARAM_NAMES = ("W1", "b1", "W2", "b2")
#: Parameter snapshots kept for scrubbing through training (plus the initial params).
SNAPSHOTS = 200
#: Snapshots trained per jitted call, so a progress bar can advance between calls.
SNAPSHOTS_PER_CALL = 20
#: Largest number of epochs ``train_mlp`` runs (the seed's XOR net does 10 million in about 5 s here).
MAX_EPOCHS = 10_000_000
#: Largest random seed (``jax.random.key`` takes 32-bit seeds).
MAX_SEED = 2**32 - 1
#: Hidden layers of up to this many units train in one compiled program: the layer is padded with units
#: whose weights are 0 and stay 0, so moving the panel's hidden-size slider (1-16) never compiles training again
PADDED_WIDTH = 16


def padded_width(hidden_size: int) -> int:
    """The padded layer width ``hidden_size`` units train in: 16, or the next power of two above it."""
    return max(PADDED_WIDTH, 1 << (int(hidden_size) - 1).bit_length())


def pad_params(params: dict, width: int) -> dict:
    """``params`` (or a stack of snapshots, leading axes) with the hidden layer widened to ``width`` units.

    The added units have W1 columns, b1 entries and W2 rows of 0: each outputs sigmoid(0) = 0.5 times a 0
    weight, so the network computes exactly what it did. ``training_mask`` keeps their W2 rows at 0.
    """
    params = {name: np.asarray(value, np.float32) for name, value in params.items()}
    extra = width - params["b1"].shape[-1]

    def widen(value, axis):
        pads = [(0, 0)] * value.ndim
        pads[axis] = (0, extra)
        return np.pad(value, pads)

    return {"W1": widen(params["W1"], -1), "b1": widen(params["b1"], -1), "W2": widen(params["W2"], -2),
            "b2": params["b2"]}


def cut_params(params: dict, hidden_size: int) -> dict:
    """The first ``hidden_size`` hidden units of padded ``params`` (or of a stack of snapshots)."""
    return {"W1": params["W1"][..., :hidden_size], "b1": params["b1"][..., :hidden_size],
            "W2": params["W2"][..., :hidden_size, :], "b2": params["b2"]}


def training_mask(hidden_size: int, width: int) -> dict:
    """True where a parameter belongs to one of the ``hidden_size`` real units (padded ones never move)."""
    real = np.arange(width) < hidden_size
    return {"W1": real[None, :], "b1": real, "W2": real[:, None], "b2": np.ones((1,), bool)}


def init_mlp_params(seed: int, input_size: int, hidden_size: int, output_size: int) -> dict:
    """The seed's initialisation: W ~ U(0, 1), b = 0 (jax.random, so it is reproducible by seed)."""
    zeros = {"b1": np.zeros((hidden_size,), np.float32), "b2": np.zeros((output_size,), np.float32)}
    if hidden_size <= PADDED_WIDTH and jax.config.jax_threefry_partitionable:
        # JAX's (default) partitionable random bits depend only on an entry's position in row-major order, so
        # every size's weights are the start of the widest layer's: one small program serves every size
        w1, w2 = (np.asarray(w) for w in _widest_weights(jax.random.key(seed), input_size, output_size))
        return {"W1": w1.reshape(-1)[:input_size * hidden_size].reshape(input_size, hidden_size),
                "W2": w2.reshape(-1)[:hidden_size * output_size].reshape(hidden_size, output_size), **zeros}
    k1, k2 = jax.random.split(jax.random.key(seed))
    return {"W1": jax.random.uniform(k1, (input_size, hidden_size), jnp.float32),
            "W2": jax.random.uniform(k2, (hidden_size, output_size), jnp.float32), **zeros}


@partial(jit, static_argnames=("input_size", "output_size"))
def _widest_weights(key, input_size, output_size):
    """W1 (input_size, PADDED_WIDTH) and W2 (PADDED_WIDTH, output_size) ~ U(0, 1), as ``init_mlp_params`` draws."""
    k1, k2 = jax.random.split(key)
    return (jax.random.uniform(k1, (input_size, PADDED_WIDTH), jnp.float32),
            jax.random.uniform(k2, (PADDED_WIDTH, output_size), jnp.float32))


def mlp_hidden(params, x):
    """Hidden-layer activations h = sigmoid(x W1 + b1)."""
    return jax.nn.sigmoid(matmul(x, params["W1"]) + params["b1"])


def mlp_forward(params, x):
    """Network output y = sigmoid(sigmoid(x W1 + b1) W2 + b2)."""
    return jax.nn.sigmoid(matmul(mlp_hidden(params, x), params["W2"]) + params["b2"])


def mlp_loss(params, x, t):
    """L = 1/2 * mean over samples of sum over outputs (y - t)^2."""
    y = mlp_forward(params, x)
    return 0.5 * jnp.sum((y - t) ** 2) / x.shape[0]


@partial(jit, static_argnames=("snapshots", "every"))
def _train_snapshots(params, mask, x, t, lr, snapshots, every):
    """``snapshots`` x ``every`` full-batch gradient steps (parameters where ``mask`` is False stay put).

    Returns the new params, the loss before each step (snapshots, every) and the
    params after every ``every`` steps. Keeping only snapshots, not every step's
    params, makes this 3x faster than a flat scan on the XOR net.
    """

    def step(params, _):
        loss, grads = jax.value_and_grad(mlp_loss)(params, x, t)
        return jax.tree.map(lambda p, g, m: jnp.where(m, p - lr * g, p), params, grads, mask), loss

    def snapshot(params, _):
        params, losses = jax.lax.scan(step, params, None, length=every)
        return params, (losses, params)

    return jax.lax.scan(snapshot, params, None, length=snapshots)


_jit_forward = jax.jit(mlp_forward)
_jit_loss = jax.jit(mlp_loss)


class MLPResult(NamedTuple):
    """What ``train_mlp`` returns.

    ``losses[i]`` is the loss after update i (as the seed appends it), so
    ``losses[-1]`` is the loss of ``params``. ``snapshot_epochs[k]`` says how many
    updates ``snapshots[k]`` had seen (0 = ``init_params``).
    """

    losses: np.ndarray
    init_params: dict
    params: dict
    snapshot_epochs: np.ndarray
    snapshots: dict  # name -> array (len(snapshot_epochs), *shape)
    lr: float

    def predict(self, x, epoch: int | None = None) -> np.ndarray:
        """Network output y = sigmoid(sigmoid(x W1 + b1) W2 + b2) for inputs ``x`` (n, d).

        With the final params, or those of the snapshot closest to ``epoch`` updates.
        """
        params = self.params if epoch is None else self.params_at(epoch)
        padded = pad_params(params, padded_width(params["b1"].shape[-1]))
        return np.asarray(_jit_forward(padded, np.asarray(x, np.float32)))

    def params_at(self, epoch: int) -> dict:
        """Parameters of the snapshot closest to ``epoch`` updates."""
        k = int(np.argmin(np.abs(self.snapshot_epochs - epoch)))
        return {name: self.snapshots[name][k] for name in PARAM_NAMES}


def snapshot_epochs(epochs: int) -> np.ndarray:
    """The update counts ``train_mlp`` keeps parameters at: 0, every, 2 every, ..., epochs.

    every = ceil(epochs / SNAPSHOTS), so at most SNAPSHOTS + 1 snapshots (the first is the initial params).
    """
    epochs = positive_int("epochs", epochs, maximum=MAX_EPOCHS)
    every = math.ceil(epochs / SNAPSHOTS)
    return np.r_[0, np.minimum(np.arange(1, math.ceil(epochs / every) + 1) * every, epochs)]


def train_mlp(x, t, hidden_size=3, lr=0.1, epochs=20000, seed=0, init_params=None, progress=True) -> MLPResult:
    """Train the seed's 2-layer sigmoid network by full-batch gradient descent.

    h = sigmoid(x W1 + b1), y = sigmoid(h W2 + b2), L = 1/2 mean_n sum_k (y - t)^2, p <- p - lr dL/dp.
    ``init_params`` (dict W1, b1, W2, b2) overrides the seeded initialisation.
    ``progress`` shows a tqdm.auto bar, but only for runs that will last over a second.

    >>> import numpy as np
    >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]]); t = np.array([[0], [1], [1], [0]])
    >>> r = train_mlp(X, t, hidden_size=3, lr=0.1, epochs=20000, seed=0)
    >>> (r.predict(X) > 0.5).astype(int).ravel().tolist()
    [0, 1, 1, 0]
    """
    x = finite_array("x", x)
    t = finite_array("t", t)
    if t.ndim == 1:
        t = t[:, None]
    if x.ndim != 2 or t.ndim != 2 or t.shape[0] != x.shape[0] or x.shape[0] == 0:
        raise ValueError(_("x must have shape (n, d) and t shape (n,) or (n, k) with the same n, got {x_shape} "
                           "and {t_shape}").format(x_shape=x.shape, t_shape=t.shape))
    hidden_size = positive_int("hidden_size", hidden_size, maximum=1024)
    lr = positive_float("lr", lr)
    if lr > LIMIT:
        raise ValueError(_("{name} must be a positive number up to {maximum:g}, got {value:g}").format(
            name="lr", maximum=LIMIT, value=lr))
    epochs = positive_int("epochs", epochs, maximum=MAX_EPOCHS)
    if init_params is None:
        init_params = init_mlp_params(checked_seed(seed), x.shape[1], hidden_size, t.shape[1])
    init_params = _checked_params(init_params, x.shape[1], hidden_size, t.shape[1])

    every = max(1, math.ceil(epochs / SNAPSHOTS))
    width = padded_width(hidden_size)
    losses, snapshots = _run(pad_params(init_params, width), training_mask(hidden_size, width), x, t, np.float32(lr),
                             epochs, every, progress)
    snapshots = cut_params(snapshots, hidden_size)
    snapshots = {name: np.concatenate([init_params[name][None], snapshots[name]]) for name in PARAM_NAMES}
    params = {name: snapshots[name][-1] for name in PARAM_NAMES}
    return MLPResult(losses, init_params, params, snapshot_epochs(epochs), snapshots, lr)


def checked_seed(seed) -> int:
    """A random seed: an integer from 0 to MAX_SEED (what ``jax.random.key`` takes without overflowing)."""
    seed = integer("seed", seed)
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(_("{name} must be an integer from 0 to {maximum}, got {value}").format(
            name="seed", maximum=MAX_SEED, value=seed))
    return seed


def _run(params, mask, x, t, lr, epochs, every, progress):
    """Train in jitted groups of snapshots; a tqdm.auto bar appears only for runs that will last over a second."""
    plan = [every] * (epochs // every) + ([epochs % every] if epochs % every else [])
    losses, history = [], []
    with LateProgress(epochs, enabled=progress) as bar:
        while plan:
            size = plan[0]
            count = min(SNAPSHOTS_PER_CALL, next((i for i, s in enumerate(plan) if s != size), len(plan)))
            started = time.perf_counter()
            params, (chunk_losses, chunk_params) = _train_snapshots(params, mask, x, t, lr, snapshots=count, every=size)
            jax.block_until_ready(params)
            bar.advance(count * size, time.perf_counter() - started)
            plan = plan[count:]
            losses.append(np.asarray(chunk_losses).ravel())
            history.append(chunk_params)
    before = np.concatenate(losses)
    last = np.float32(_jit_loss(params, x, t))
    snapshots = {name: np.concatenate([np.asarray(h[name]) for h in history]) for name in PARAM_NAMES}
    return np.r_[before[1:], last], snapshots


def _checked_params(params, input_size, hidden_size, output_size):
    shapes = {"W1": (input_size, hidden_size), "b1": (hidden_size,), "W2": (hidden_size, output_size),
              "b2": (output_size,)}
    if not isinstance(params, dict) or set(params) != set(shapes):
        raise ValueError(_("init_params must be a dict with keys {keys}, got {value}").format(
            keys=sorted(shapes), value=repr(params)[:80]))
    checked = {}
    for name, shape in shapes.items():
        value = finite_array(f"init_params[{name!r}]", params[name])
        if value.shape != shape:
            raise ValueError(_("init_params[{key!r}] must have shape {shape}, got {value}").format(
                key=name, shape=shape, value=value.shape))
        checked[name] = value
    return checked


class HiddenPlane(NamedTuple):
    """The hidden layer as the output neuron sees it (see ``hidden_plane``)."""

    coords: jax.Array  # (n, 2): distance along W2, then the largest spread across it
    boundary: jax.Array  # position of the output's decision line on axis 0: -b2 / |W2|


@jax.jit
def hidden_plane(params, x) -> HiddenPlane:
    """A 2-D picture of the hidden layer that keeps what the output neuron sees.

    The output neuron (one output) only looks at u = W2 . h; its decision
    boundary is the line u = -b2. Axis 0 is u / |W2| (distance along W2),
    axis 1 is the largest spread of the points orthogonal to W2.
    """
    h = mlp_hidden(params, x)
    w2 = params["W2"][:, 0]
    norm = jnp.linalg.norm(w2)
    direction = w2 / norm
    along = h @ direction
    rest = h - along[:, None] * direction
    rest = rest - rest.mean(axis=0)
    _, _, vt = jnp.linalg.svd(rest, full_matrices=False)
    across = rest @ vt[0]
    across = across * jnp.sign(jnp.sum(vt[0]) + 1e-12)  # a fixed orientation between snapshots
    return HiddenPlane(jnp.stack([along, across], axis=1), -params["b2"][0] / norm)


_hidden_planes = jax.jit(jax.vmap(hidden_plane, in_axes=(0, None)))


def hidden_planes(snapshots: dict, x) -> HiddenPlane:
    """``hidden_plane`` for a stack of parameter snapshots (leading axis) at once.

    Computed on the padded layer (``pad_params``: its added units sit at 0.5 with no spread and a 0 weight),
    so a new hidden size does not compile it again.
    """
    width = padded_width(np.shape(snapshots["b1"])[-1])
    return _hidden_planes(pad_params(snapshots, width), np.asarray(x, np.float32))
