"""Teaching optimizers in optax's shape: ``Optimizer(init, update)``, hyperparameters carried in the state.

Every rule follows PyTorch's ``torch.optim`` definitions (``g`` the gradient, accumulators start at 0,
``t`` the step count from 1)::

    SGD       p ← p − lr·g
    Momentum  b ← μ·b + g;                    p ← p − lr·b              (torch SGD, momentum=μ, dampening=0)
    Nesterov  b ← μ·b + g;                    p ← p − lr·(g + μ·b)      (torch SGD, nesterov=True)
    AdaGrad   h ← h + g²;                     p ← p − lr·g / (√h + ε)   (ε = 1e-10)
    RMSProp   v ← ρ·v + (1 − ρ)·g²;           p ← p − lr·g / (√v + ε)   (ρ = 0.99, torch's "alpha")
    Adam      m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
              p ← p − lr·m̂ / (√v̂ + ε),  m̂ = m / (1 − β1ᵗ),  v̂ = v / (1 − β2ᵗ)     (Kingma & Ba)

"Deep Learning from Scratch" (ch. 6) writes momentum as v ← α·v − lr·g, p ← p + v: the same path for a
constant lr (its v is −lr·b). Its AdaGrad and Adam put ε = 1e-7 on the uncorrected √v, and its Adam folds
the bias correction into lr; on the book's 30-step race the paths agree to about 1e-5 (tested).

The shape is optax's ``GradientTransformation``: ``init(params) -> state`` and
``update(grads, state, params=None) -> (updates, state)`` with ``new params = params + updates``, so our
optimizers and any optax transformation are driven by the same code. As with ``optax.inject_hyperparams``,
the hyperparameters live in the state (``state.hyperparams``, float32 arrays): ``with_hyperparameters``
changes them without building a new optimizer, and a jitted loop over ``update`` never recompiles for them.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .._validate import finite_float
from ..i18n import _

KINDS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
DISPLAY = {"sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad", "rmsprop": "RMSProp",
           "adam": "Adam"}
DEFAULTS = {
    "sgd": {"lr": 0.01},
    "momentum": {"lr": 0.01, "momentum": 0.9},
    "nesterov": {"lr": 0.01, "momentum": 0.9},
    "adagrad": {"lr": 0.01, "eps": 1e-10},
    "rmsprop": {"lr": 0.01, "rho": 0.99, "eps": 1e-8},
    "adam": {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}
#: What each hyperparameter may be: (low, high, low included, high included)
RANGES = {"lr": (0.0, 1e6, False, True), "momentum": (0.0, 1.0, True, False), "rho": (0.0, 1.0, True, False),
          "beta1": (0.0, 1.0, True, False), "beta2": (0.0, 1.0, True, False), "eps": (0.0, 1.0, False, True)}


class Optimizer(NamedTuple):
    """The shape of ``optax.GradientTransformation``: ``init(params)``, ``update(grads, state, params=None)``."""

    init: Callable[[Any], Any]
    update: Callable[..., tuple]


class StepState(NamedTuple):
    count: jax.Array
    hyperparams: dict


class MomentumState(NamedTuple):
    count: jax.Array
    velocity: Any  # b
    hyperparams: dict


class AccumulatorState(NamedTuple):
    count: jax.Array
    accumulator: Any  # AdaGrad's h (sum of g²) or RMSProp's v (moving average of g²)
    hyperparams: dict


class AdamState(NamedTuple):
    count: jax.Array
    m: Any
    v: Any
    hyperparams: dict


def _map(fn, *trees):
    return jax.tree.map(fn, *trees)


def _zeros(params):
    return _map(jnp.zeros_like, params)


def _count():
    return jnp.zeros((), jnp.int32)


# ---- the update rules (one function per kind, shared by every optimizer of that kind) ----------------------
def _sgd_init(params, hyperparams):
    return StepState(_count(), hyperparams)


def _sgd_update(grads, state, params=None):
    lr = state.hyperparams["lr"]
    return _map(lambda g: -lr * g, grads), state._replace(count=state.count + 1)


def _momentum_init(params, hyperparams):
    return MomentumState(_count(), _zeros(params), hyperparams)


def _momentum_update(grads, state, params=None, nesterov=False):
    hp = state.hyperparams
    mu = hp["momentum"]
    velocity = _map(lambda b, g: mu * b + g, state.velocity, grads)
    step = _map(lambda b, g: g + mu * b, velocity, grads) if nesterov else velocity
    return _map(lambda s: -hp["lr"] * s, step), state._replace(count=state.count + 1, velocity=velocity)


_nesterov_update = partial(_momentum_update, nesterov=True)


def _accumulator_init(params, hyperparams):
    return AccumulatorState(_count(), _zeros(params), hyperparams)


def _adagrad_update(grads, state, params=None):
    hp = state.hyperparams
    h = _map(lambda h, g: h + g * g, state.accumulator, grads)
    updates = _map(lambda h, g: -hp["lr"] * g / (jnp.sqrt(h) + hp["eps"]), h, grads)
    return updates, state._replace(count=state.count + 1, accumulator=h)


def _rmsprop_update(grads, state, params=None):
    hp = state.hyperparams
    rho = hp["rho"]
    v = _map(lambda v, g: rho * v + (1 - rho) * g * g, state.accumulator, grads)
    updates = _map(lambda v, g: -hp["lr"] * g / (jnp.sqrt(v) + hp["eps"]), v, grads)
    return updates, state._replace(count=state.count + 1, accumulator=v)


def _adam_init(params, hyperparams):
    return AdamState(_count(), _zeros(params), _zeros(params), hyperparams)


def _adam_update(grads, state, params=None):
    hp = state.hyperparams
    b1, b2 = hp["beta1"], hp["beta2"]
    t = state.count + 1
    m = _map(lambda m, g: b1 * m + (1 - b1) * g, state.m, grads)
    v = _map(lambda v, g: b2 * v + (1 - b2) * g * g, state.v, grads)
    c1, c2 = 1 - b1 ** t, 1 - b2 ** t
    updates = _map(lambda m, v: -hp["lr"] * (m / c1) / (jnp.sqrt(v / c2) + hp["eps"]), m, v)
    return updates, AdamState(t, m, v, hp)


RULES = {"sgd": (_sgd_init, _sgd_update), "momentum": (_momentum_init, _momentum_update),
         "nesterov": (_momentum_init, _nesterov_update), "adagrad": (_accumulator_init, _adagrad_update),
         "rmsprop": (_accumulator_init, _rmsprop_update), "adam": (_adam_init, _adam_update)}


# ---- builders -----------------------------------------------------------------------------------------
def optimizer(kind: str, **hyperparameters) -> Optimizer:
    """The optimizer ``kind`` (one of ``KINDS``) with ``hyperparameters`` (the rest from ``DEFAULTS``).

    ``update`` is the same function for every optimizer of a kind, so jitted code keyed on it compiles once;
    the values travel in ``state.hyperparams``.

    >>> opt = optimizer("sgd", lr=0.1)
    >>> updates, state = opt.update(jnp.array([1.0, -2.0]), opt.init(jnp.zeros(2)))
    >>> updates
    Array([-0.1,  0.2], dtype=float32)
    """
    if kind not in RULES:
        raise ValueError(_("optimizer kind must be one of {allowed}, got {value!r}").format(
            allowed=", ".join(KINDS), value=kind))
    init, update = RULES[kind]
    hp = {name: np.asarray(value, np.float32) for name, value in check_hyperparameters(kind, hyperparameters).items()}
    return Optimizer(partial(init, hyperparams=hp), update)


def sgd(lr: float = 0.01) -> Optimizer:
    """Plain SGD (``torch.optim.SGD``): p ← p − lr·g."""
    return optimizer("sgd", lr=lr)


def momentum(lr: float = 0.01, momentum: float = 0.9, nesterov: bool = False) -> Optimizer:
    """SGD with momentum μ (``torch.optim.SGD(momentum=μ, nesterov=...)``): b ← μ·b + g, then
    p ← p − lr·b, or with ``nesterov`` p ← p − lr·(g + μ·b)."""
    return optimizer("nesterov" if nesterov else "momentum", lr=lr, momentum=momentum)


def nesterov(lr: float = 0.01, momentum: float = 0.9) -> Optimizer:
    """Nesterov momentum (``torch.optim.SGD(nesterov=True)``): b ← μ·b + g; p ← p − lr·(g + μ·b)."""
    return optimizer("nesterov", lr=lr, momentum=momentum)


def adagrad(lr: float = 0.01, eps: float = 1e-10) -> Optimizer:
    """AdaGrad (``torch.optim.Adagrad``): h ← h + g²; p ← p − lr·g / (√h + ε)."""
    return optimizer("adagrad", lr=lr, eps=eps)


def rmsprop(lr: float = 0.01, rho: float = 0.99, eps: float = 1e-8) -> Optimizer:
    """RMSProp (``torch.optim.RMSprop``, ρ is its ``alpha``): v ← ρ·v + (1 − ρ)·g²; p ← p − lr·g / (√v + ε)."""
    return optimizer("rmsprop", lr=lr, rho=rho, eps=eps)


def adam(lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> Optimizer:
    """Adam (``torch.optim.Adam``): m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
    p ← p − lr·m̂ / (√v̂ + ε) with m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ)."""
    return optimizer("adam", lr=lr, beta1=beta1, beta2=beta2, eps=eps)


def with_hyperparameters(state, **values):
    """``state`` with some hyperparameters changed (ours, or an ``optax.inject_hyperparams`` state).

    Only the values change, never the structure, so jitted code taking the state does not recompile.
    """
    hyperparams = getattr(state, "hyperparams", None)
    if not isinstance(hyperparams, dict):
        raise ValueError(_("this optimizer state carries no hyperparameters (build it with optimizer(...) "
                           "or optax.inject_hyperparams)"))
    unknown = set(values) - set(hyperparams)
    if unknown:
        raise ValueError(_("no hyperparameter {unknown} in this state: it has {known}").format(
            unknown=", ".join(sorted(unknown)), known=", ".join(hyperparams)))
    new = {k: np.asarray(values[k], np.asarray(v).dtype) if k in values else v for k, v in hyperparams.items()}
    return state._replace(hyperparams=new)


def apply_updates(params, updates):
    """params + updates, leaf by leaf (``optax.apply_updates``)."""
    return jax.tree.map(lambda p, u: p + u, params, updates)


# ---- what the state says ------------------------------------------------------------------------------
def effective_lr(state):
    """AdaGrad's and RMSProp's step size per coordinate, lr / (√h + ε) (h = Σg² or the average of g²)."""
    hp = state.hyperparams
    return _map(lambda h: hp["lr"] / (jnp.sqrt(h) + hp["eps"]), state.accumulator)


def book_velocity(state):
    """Momentum's velocity as "Deep Learning from Scratch" writes it: v = −lr·b."""
    return _map(lambda b: -state.hyperparams["lr"] * b, state.velocity)


# ---- checks -------------------------------------------------------------------------------------------
def kind_of(name: str) -> str | None:
    """"SGD", "AdaGrad", "adam" ... -> the kind ("sgd", "adagrad", "adam"), or None."""
    key = str(name).strip().lower()
    return key if key in KINDS else None


def check_hyperparameters(kind: str, hp: dict, label: str | None = None) -> dict:
    """``DEFAULTS[kind]`` updated with ``hp``: every name known for this optimizer, every value in range."""
    label = label or DISPLAY[kind]
    if not isinstance(hp, dict):
        raise ValueError(_("{label} hyperparameters must be a dict such as {{'lr': 0.1}}, got {value!r}").format(
            label=label, value=hp))
    allowed = DEFAULTS[kind]
    out = dict(allowed)
    for name, value in hp.items():
        if name not in allowed:
            raise ValueError(_("{label} has no hyperparameter {name!r}: it takes {allowed}").format(
                label=label, name=name, allowed=", ".join(allowed)))
        value = finite_float(f"{label} {name}", value)
        low, high, low_in, high_in = RANGES[name]
        if not ((value >= low if low_in else value > low) and (value <= high if high_in else value < high)):
            interval = f"{'[' if low_in else '('}{low:g}, {'∞' if math.isinf(high) else f'{high:g}'}" \
                       f"{']' if high_in else ')'}"
            raise ValueError(_("{label} {name} must be in {interval}, got {value:g}").format(
                label=label, name=name, interval=interval, value=value))
        out[name] = value
    return out
