"""The optimizers racing on a real model: the XOR net and softmax regression on Iris.

Iris is split once, the same way every time: every fifth flower of each species (30 of 150) is held out as a
test set, the other 120 are trained on; features are standardised with the training set's mean and std.
XOR has only its four points: they are both the training and the test set.

Each epoch shuffles the data and takes ceil(n / batch_size) updates (the last batch may be smaller, as in
PyTorch's DataLoader); full batch, mini-batch and stochastic (batch 1) are the same code with another
``batch_size``. Losses are on the whole training set, once before training and after every epoch.
"""
from __future__ import annotations

import math
import time
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ..data import load_iris
from ._progress import LateProgress
from .mlp import init_mlp_params, mlp_forward
from .optim import apply_updates
from .programs import jit

EPOCHS_PER_CALL = 10


def xor_loss(params, x, t):
    """Per-sample ½·Σ(y − t)² of the seed's 2-3-1 sigmoid net (its mean is the MLP panel's loss)."""
    return 0.5 * jnp.sum((mlp_forward(params, x) - t) ** 2, axis=-1)


def softmax_regression_loss(params, x, t):
    """Per-sample natural-log cross-entropy of softmax(x W + b) against one-hot ``t``."""
    logits = x @ params["W"] + params["b"]
    return -jnp.sum(t * jax.nn.log_softmax(logits), axis=-1)


def xor_problem(seed: int = 0):
    """(loss, initial params, x, t): the seed's XOR net with its uniform(0, 1) weights."""
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    t = np.array([[0], [1], [1], [0]], np.float32)
    return xor_loss, init_mlp_params(seed, 2, 3, 1), x, t


def iris_split():
    """(train problem, test x, test labels): softmax regression on 120 flowers, tested on the other 30.

    The problem is (loss, zero params, standardised x, one-hot t); test x is standardised with the training
    set's mean and std (nothing about the test set leaks into training)."""
    X, y = load_iris()
    test = np.arange(len(y)) % 5 == 4
    mean, std = X[~test].mean(axis=0), X[~test].std(axis=0)
    x_train, x_test = (X[~test] - mean) / std, (X[test] - mean) / std
    t = np.eye(3, dtype=np.float32)[y[~test]]
    params = {"W": np.zeros((4, 3), np.float32), "b": np.zeros(3, np.float32)}
    return (softmax_regression_loss, params, x_train, t), x_test, y[test]


def iris_problem():
    """(loss, zero params, standardised x, one-hot t): softmax regression on the 120 training flowers."""
    return iris_split()[0]


def predict_iris(params, x):
    """Class indices argmax(x W + b) of softmax regression."""
    return jnp.argmax(x @ params["W"] + params["b"], axis=-1)


def predict_xor(params, x):
    """1 where the XOR net's output is above 0.5, else 0."""
    return (mlp_forward(params, x)[:, 0] > 0.5).astype(jnp.int32)


def accuracy(predict, params, x, labels) -> float:
    """The fraction of rows of ``x`` whose ``predict(params, x)`` equals ``labels``."""
    right = predict(params, jnp.asarray(x)) == jnp.asarray(labels)
    return int(jnp.sum(right)) / right.shape[0]


def iterations_per_epoch(n: int, batch_size: int) -> int:
    """Updates per epoch: ceil(n / batch_size) (500 samples, batch 10 -> 50)."""
    return math.ceil(n / batch_size)


@partial(jit, static_argnames=("loss", "updates", "epochs", "batch_size"))
def _train(loss, updates, epochs, batch_size, carry, x, t):
    n = x.shape[0]
    iters = -(-n // batch_size)
    padded = iters * batch_size

    def full_loss(params):
        return jnp.mean(loss(params, x, t))

    def batch_loss(params, idx, mask):
        return jnp.sum(loss(params, x[idx], t[idx]) * mask) / jnp.sum(mask)

    results = []
    for update, (params, state, key) in zip(updates, carry):

        def iteration(c, batch, update=update):
            params, state = c
            idx, mask = batch
            step, state = update(jax.grad(batch_loss)(params, idx, mask), state, params)
            return (apply_updates(params, step), state), None

        def epoch(c, _):
            params, state, key = c
            key, sub = jax.random.split(key)
            order = jnp.concatenate([jax.random.permutation(sub, n), jnp.zeros(padded - n, jnp.int32)])
            mask = (jnp.arange(padded) < n).astype(x.dtype)
            batches = (order.reshape(iters, batch_size), mask.reshape(iters, batch_size))
            (params, state), _ = jax.lax.scan(iteration, (params, state), batches)
            return (params, state, key), full_loss(params)

        (params, state, key), losses = jax.lax.scan(epoch, (params, state, key), None, length=epochs)
        results.append(((params, state, key), losses))
    return results


class RaceTraining(NamedTuple):
    """``losses`` (len(optimizers), epochs + 1), row 0 at the start; ``params``: each racer's trained params."""

    losses: np.ndarray
    params: tuple[Any, ...]


def train_race(problem, optimizers: tuple, epochs: int, batch_size: int, seed: int = 0,
               progress: bool = True) -> np.ndarray:
    """The training loss curves of ``train_race_models`` (len(optimizers), epochs + 1)."""
    return train_race_models(problem, optimizers, epochs, batch_size, seed, progress).losses


def train_race_models(problem, optimizers: tuple, epochs: int, batch_size: int, seed: int = 0,
                      progress: bool = True) -> RaceTraining:
    """Train one copy of ``problem``'s model per optimizer (``core.optim`` or optax, each ``(init, update)``);
    losses (len(optimizers), epochs + 1), row 0 at the start. Every epoch: ⌈n / batch_size⌉ updates
    p ← p + update(∇ mean batch loss, state, p).

    Runs in about 20 jitted groups of epochs (at least ``EPOCHS_PER_CALL``); a tqdm.auto bar appears only when
    the run will take more than a second (estimated from the second group, the first includes compiling).
    """
    loss, params0, x, t = problem
    n = x.shape[0]
    batch_size = min(int(batch_size), n)
    params0 = jax.tree.map(jnp.asarray, params0)
    updates = tuple(opt.update for opt in optimizers)
    carry = tuple((params0, opt.init(params0), jax.random.PRNGKey(seed)) for opt in optimizers)
    start = float(jnp.mean(loss(params0, x, t)))
    curves, done = [], 0
    chunk = max(EPOCHS_PER_CALL, math.ceil(epochs / 20))  # few calls, at most two compiled lengths
    with LateProgress(epochs, enabled=progress) as bar:
        while done < epochs:
            size = min(chunk, epochs - done)
            began = time.perf_counter()
            out = _train(loss, updates, size, batch_size, carry, x, t)
            carry = tuple(c for c, _ in out)
            curves.append(np.stack([np.asarray(losses) for _, losses in out]))
            done += size
            bar.advance(size, time.perf_counter() - began)
    losses = np.concatenate([np.full((len(optimizers), 1), start, np.float32)] + curves, axis=1)
    return RaceTraining(losses, tuple(jax.device_get(params) for params, _, _ in carry))
