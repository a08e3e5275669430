"""Training the playground's network: jitted epochs of mini-batch steps, early stopping, k-fold splits.

Every step on a mini-batch B minimises  L = (1/|B|) Σ_{i∈B} ℓ_i + l1 · Σ|w| + l2 · ½ Σ w²  (see ``network``)
and moves the parameters by the optimizer's rule. The optimizers are the optimizer race's, with PyTorch's
rules (``nnwidgets.core.optim``), built from optax with ``inject_hyperparams`` so that the learning rate and
every other hyperparameter are traced values::

    sgd       p ← p − lr·g
    momentum  b ← μ·b + g;  p ← p − lr·b          nesterov  b ← μ·b + g;  p ← p − lr·(g + μ·b)
    adagrad   h ← h + g²;   p ← p − lr·g / √(h + ε)          rmsprop  v ← ρ·v + (1 − ρ)·g²;  p ← p − lr·g / (√v + ε)
    adam      m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  p ← p − lr·m̂ / (√v̂ + ε)

(AdaGrad puts ε inside the root, as optax does; with ε = 1e-10 the difference from PyTorch's √h + ε is far
below float32 precision.) ``lr``, the regularisation rates, the dropout rate and the optimizer's
hyperparameters are arguments of the compiled code, never constants: moving their sliders does not recompile.
``fit`` runs up to ``CHUNK`` epochs per compiled call (a while loop whose epoch count is traced too); only a
new architecture, optimizer kind, batch size or data size compiles (once). ``train_epoch`` is the same epoch
as a single call.

On a CPU the playground's layers are so small that XLA's cost per operation, not the arithmetic, sets the
speed, so a step is written to run few operations: small layer products as fused sums (``small_matmul.matmul``),
one branch per step for dropout (no masks drawn at rate 0), the mini-batches gathered once per epoch, every
epoch's keys of a chunk hashed at once, and a shuffle that is one plain sort (``shuffle``).
"""
from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax

from ...i18n import _
from ..programs import jit
from .network import Architecture, NormStats, Params, accuracy, data_loss, forward, init_params, penalty

OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
#: Each optimizer's hyperparameters besides lr, with the optimizer race's defaults (PyTorch's)
OPTIMIZER_DEFAULTS = {"sgd": {}, "momentum": {"momentum": 0.9}, "nesterov": {"momentum": 0.9},
                      "adagrad": {"eps": 1e-10}, "rmsprop": {"rho": 0.99, "eps": 1e-8},
                      "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}}


class Setup(NamedTuple):
    """What fixes the compiled code: the network, the optimizer kind and the mini-batch size."""

    arch: Architecture
    optimizer: str
    batch_size: int


class Knobs(NamedTuple):
    """Traced hyperparameters: learning rate, L1 and L2 rates, dropout rate, the optimizer's other values."""

    lr: float
    l1: float = 0.0
    l2: float = 0.0
    dropout: float = 0.0
    options: dict = {}


class TrainState(NamedTuple):
    params: Params
    stats: NormStats
    opt_state: object


class EpochResult(NamedTuple):
    """After one epoch: losses (data loss, no penalty) and accuracies in evaluation mode, and the mean
    |∂L/∂W| of every layer over the epoch's steps (the gradient-size plot)."""

    train_loss: jax.Array
    test_loss: jax.Array
    train_accuracy: jax.Array
    test_accuracy: jax.Array
    gradient_size: jax.Array


def _optax(kind: str, lr, options: dict):
    """The optax transformation (hyperparameters injected, so traced) for the race's optimizer ``kind``."""
    o = {**OPTIMIZER_DEFAULTS[kind], **options}
    if kind == "sgd":
        return optax.inject_hyperparams(optax.sgd)(learning_rate=lr)
    if kind in ("momentum", "nesterov"):
        return optax.inject_hyperparams(optax.sgd, static_args=("nesterov",))(
            learning_rate=lr, momentum=o["momentum"], nesterov=kind == "nesterov")
    if kind == "adagrad":
        return optax.inject_hyperparams(optax.adagrad)(learning_rate=lr, initial_accumulator_value=0.0, eps=o["eps"])
    if kind == "rmsprop":
        return optax.inject_hyperparams(optax.rmsprop, static_args=("eps_in_sqrt",))(
            learning_rate=lr, decay=o["rho"], eps=o["eps"], eps_in_sqrt=False)
    return optax.inject_hyperparams(optax.adam)(learning_rate=lr, b1=o["beta1"], b2=o["beta2"], eps=o["eps"])


def _as_traced(knobs: Knobs) -> Knobs:
    f32 = partial(np.asarray, dtype=np.float32)
    return Knobs(f32(knobs.lr), f32(knobs.l1), f32(knobs.l2), f32(knobs.dropout),
                 {k: f32(v) for k, v in knobs.options.items()})


def start(setup: Setup, params: Params, stats: NormStats, knobs: Knobs) -> TrainState:
    """The training state at epoch 0: the parameters and a fresh optimizer state."""
    full = {**OPTIMIZER_DEFAULTS[setup.optimizer], **knobs.options}
    knobs = _as_traced(knobs._replace(options=full))
    return TrainState(params, stats, _optax(setup.optimizer, knobs.lr, knobs.options).init(params))


def shuffle(key, n: int):
    """A random order of 0..n-1: the indices sorted by random keys. Each key is 32 random bits whose lowest
    ⌈log2 n⌉ are replaced by the index, so one plain sort of n numbers does it (a sort that carries the indices
    along is several times slower on a CPU) and the index is read back from those bits. Two samples whose
    remaining random bits are equal keep their index order (for 250 samples about one pair in 500 shuffles)."""
    if n > 1 << 16:  # too few random bits would be left
        return jax.random.permutation(key, n)
    low = max(1, (n - 1).bit_length())
    index = jnp.arange(n, dtype=jnp.uint32)
    keys = jax.random.bits(key, (n,), jnp.uint32) >> low << low | index
    return (jnp.sort(keys) & np.uint32((1 << low) - 1)).astype(jnp.int32)


def _one_epoch(setup: Setup, state: TrainState, knobs: Knobs, X, y, X_test, y_test, keys):
    """One epoch from its two keys (``keys[0]`` orders the samples, ``keys[1]`` draws the dropout masks)."""
    n = X.shape[0]
    size = min(setup.batch_size, n)
    batches = -(-n // size)
    shuffled = shuffle(keys[0], n) if batches > 1 else jnp.arange(n)  # one batch: order is moot
    order = jnp.concatenate([shuffled, jnp.zeros(batches * size - n, jnp.int32)]).reshape(batches, size)
    real = (np.arange(batches * size) < n).astype(np.float32).reshape(batches, size)
    # masks only when dropout > 0 (drawing them costs more than the step itself)
    step_keys = jax.lax.cond(knobs.dropout > 0, lambda k: jax.random.split(k, batches),
                             lambda k: jnp.broadcast_to(k, (batches,)), keys[1])
    arch = setup.arch
    opt = _optax(setup.optimizer, knobs.lr, knobs.options)
    hyper = {"learning_rate": knobs.lr, **_optax_names(setup.optimizer, knobs.options)}
    opt_state = state.opt_state._replace(hyperparams={**state.opt_state.hyperparams, **hyper})

    def gradients(params, stats, xb, yb, wb, key):
        def loss(params):
            out = forward(arch, params, stats, xb, train=True, dropout=knobs.dropout, key=key, weights=wb)
            return data_loss(arch.output, out.logits, yb, wb) + penalty(params, knobs.l1, knobs.l2), out.stats
        return jax.grad(loss, has_aux=True)(params)

    def step(carry, batch):
        params, stats, opt_state = carry
        xb, yb, wb, key = batch
        grads, stats = jax.lax.cond(knobs.dropout > 0, partial(gradients, key=key), partial(gradients, key=None),
                                    params, stats, xb, yb, wb)
        updates, opt_state = opt.update(grads, opt_state, params)
        sizes = jnp.stack([jnp.mean(jnp.abs(gW)) for gW, _ in grads.layers])
        return (optax.apply_updates(params, updates), stats, opt_state), sizes

    carry = (state.params, state.stats, opt_state)
    (params, stats, opt_state), sizes = jax.lax.scan(step, carry, (X[order], y[order], real, step_keys))
    new = TrainState(params, stats, opt_state)
    return new, _evaluate(arch, params, stats, X, y, X_test, y_test, jnp.mean(sizes, axis=0))


def _optax_names(kind: str, options: dict) -> dict:
    names = {"momentum": "momentum", "rho": "decay", "beta1": "b1", "beta2": "b2", "eps": "eps"}
    return {names[k]: v for k, v in options.items() if k in OPTIMIZER_DEFAULTS[kind]}


def _evaluate(arch, params, stats, X, y, X_test, y_test, sizes) -> EpochResult:
    train = forward(arch, params, stats, X).logits
    test = forward(arch, params, stats, X_test).logits
    test_loss = data_loss(arch.output, test, y_test) if X_test.shape[0] else jnp.float32(jnp.nan)
    return EpochResult(data_loss(arch.output, train, y), test_loss, accuracy(arch.output, train, y),
                       accuracy(arch.output, test, y_test), sizes)


def epoch_key(seed: int, epoch: int):
    """The random key of epoch ``epoch`` (shuffling, dropout): training in pieces gives the same numbers."""
    return jax.random.fold_in(jax.random.key(seed), epoch)


def train_epoch(setup: Setup, state: TrainState, knobs: Knobs, X, y, X_test, y_test, key):
    """One epoch: shuffle, split into mini-batches of ``setup.batch_size`` (the last one padded and masked),
    one optimizer step per batch. Returns the new ``TrainState`` and an ``EpochResult``."""
    full = {**OPTIMIZER_DEFAULTS[setup.optimizer], **knobs.options}
    return _epoch(setup, state, _as_traced(knobs._replace(options=full)), X, y, X_test, y_test, key)


@partial(jit, static_argnums=0, keep=3)
def _epoch(setup, state, knobs, X, y, X_test, y_test, key):
    return _one_epoch(setup, state, knobs, X, y, X_test, y_test, jax.random.split(key))


#: Most epochs one compiled call runs (``fit`` calls it as often as needed)
CHUNK = 64
NO_PATIENCE = 2**30


class _Best(NamedTuple):
    epoch: jax.Array  # 1-based, 0 = none yet
    loss: jax.Array
    state: TrainState


@partial(jit, static_argnums=0, keep=3)
def _epochs(setup, state, best, knobs, X, y, X_test, y_test, seed_key, first_epoch, count, patience):
    """Up to ``count`` (≤ CHUNK) epochs in one compiled loop (a traced count: no recompiling), tracking the
    best test loss and stopping once it is ``patience`` epochs old. The epochs use ``epoch_key``'s keys."""
    layers = len(setup.arch.sizes) - 1
    # every epoch's two keys at once: one vectorised hash instead of two per epoch (the same keys)
    keys = jax.vmap(lambda e: jax.random.split(jax.random.fold_in(seed_key, e)))(first_epoch + jnp.arange(CHUNK))
    nan = jnp.full((CHUNK,), jnp.nan, jnp.float32)
    rows = EpochResult(nan, nan, nan, nan, jnp.full((CHUNK, layers), jnp.nan, jnp.float32))

    def go_on(carry):
        i, _, best, _, stopped = carry
        return (i < count) & ~stopped

    def one(carry):
        i, state, best, rows, _ = carry
        epoch = first_epoch + i
        state, result = _one_epoch(setup, state, knobs, X, y, X_test, y_test, keys[i])
        better = jnp.isfinite(result.test_loss) & (result.test_loss < best.loss)
        best = jax.tree.map(lambda new, old: jnp.where(better, new, old),
                            _Best(epoch + 1, result.test_loss, state), best)
        rows = jax.tree.map(lambda column, value: column.at[i].set(value), rows, result)
        stopped = (best.epoch > 0) & (epoch + 1 - best.epoch >= patience)
        return i + 1, state, best, rows, stopped

    start_carry = (jnp.int32(0), state, best, rows, jnp.bool_(False))
    done, state, best, rows, stopped = jax.lax.while_loop(go_on, one, start_carry)
    return done, state, best, rows, stopped


class Fit(NamedTuple):
    """``fit``'s result: the final state, the history (one row per epoch), the best epoch (1-based, by test
    loss; 0 if no epoch had a finite test loss) with its state and loss, and whether early stopping ended
    the run."""

    state: TrainState
    history: dict
    best_epoch: int
    best_state: TrainState
    stopped: bool
    best_loss: float = np.inf


def fit(setup, state, knobs, data, epochs: int, seed: int, first_epoch: int = 0, patience=None, best=None) -> Fit:
    """Train ``epochs`` epochs from epoch ``first_epoch`` on ``data`` = (X, y, X_test, y_test) (arrays ready
    for the network), ``CHUNK`` epochs per compiled call. With ``patience``, stop once the test loss has not
    improved for ``patience`` epochs. ``best`` = (epoch, loss, state) continues an earlier run's record.
    Epoch e uses ``epoch_key(seed, e)``, so training in pieces gives the same numbers as in one go."""
    full = {**OPTIMIZER_DEFAULTS[setup.optimizer], **knobs.options}
    knobs = _as_traced(knobs._replace(options=full))
    record = _Best(jnp.int32(0), jnp.float32(jnp.inf), state) if best is None else \
        _Best(jnp.int32(best[0]), jnp.float32(best[1]), best[2])
    X, y, X_test, y_test = data
    key, patience = jax.random.key(seed), np.int32(NO_PATIENCE if patience is None else patience)
    chunks, stopped, epoch = [], False, first_epoch
    while epoch < first_epoch + epochs and not stopped:
        count = min(CHUNK, first_epoch + epochs - epoch)
        done, state, record, rows, halt = _epochs(setup, state, record, knobs, X, y, X_test, y_test, key,
                                                  np.int32(epoch), np.int32(count), patience)
        done = int(done)
        chunks.append(EpochResult(*(np.asarray(column)[:done] for column in rows)))
        epoch, stopped = epoch + done, bool(halt)
    layers = len(setup.arch.sizes) - 1
    history = {name: np.concatenate([getattr(c, name) for c in chunks]) if chunks else
               np.zeros((0, layers) if name == "gradient_size" else (0,), np.float32) for name in EpochResult._fields}
    return Fit(state, history, int(record.epoch), record.state, stopped, float(record.loss))


class Fold(NamedTuple):
    train: np.ndarray
    test: np.ndarray


def kfold(n: int, k: int, seed: int = 0) -> tuple[Fold, ...]:
    """k-fold cross-validation: shuffle 0..n-1 (by ``seed``), cut into k nearly equal folds; fold i tests
    on part i and trains on the rest, so every sample is tested exactly once."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(_("kfold needs at least 2 samples, got n = {value!r}").format(value=n))
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 2 <= k <= n:
        raise ValueError(_("k (the number of folds) must be an integer in 2..{n}, got {value!r}").format(
            n=n, value=k))
    parts = np.array_split(np.random.default_rng([seed, 2]).permutation(n), int(k))
    return tuple(Fold(np.sort(np.concatenate(parts[:i] + parts[i + 1:])), np.sort(p)) for i, p in enumerate(parts))


class CrossValidation(NamedTuple):
    """Per fold: the final training loss, the held-out fold's loss and accuracy (NaN for regression)."""

    train_loss: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray


def cross_validate(setup: Setup, knobs: Knobs, X, y, k: int, epochs: int, seed: int = 0, init: str = "xavier",
                   init_scale: float = 1.0) -> CrossValidation:
    """k-fold cross-validation: for each ``kfold`` split, train the same initial network ``epochs`` epochs on
    the other folds and score it on the held-out one. The mean of ``test_loss`` estimates the test loss."""
    X, y = np.asarray(X, np.float32), np.asarray(y)
    params, stats = init_params(setup.arch, init, jax.random.key(seed), init_scale)
    rows = []
    for fold in kfold(len(X), k, seed):
        state = start(setup, params, stats, knobs)
        result = fit(setup, state, knobs, (X[fold.train], y[fold.train], X[fold.test], y[fold.test]), epochs, seed)
        rows.append((result.history["train_loss"][-1], result.history["test_loss"][-1],
                     result.history["test_accuracy"][-1]))
    return CrossValidation(*(np.array(column, np.float32) for column in zip(*rows)))
