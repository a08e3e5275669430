"""Teaching optimizers as optax-style pure ``(init, update)`` pairs with explicit state.

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

``update(grads, state, hp)`` takes the hyperparameters ``hp`` (a dict of scalars) as traced arguments, so a
new learning rate never recompiles; it returns ``(updates, new_state)`` with ``new params = params + updates``.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

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
RANGES = {"lr": (0.0, math.inf, False, False), "momentum": (0.0, 1.0, True, False), "rho": (0.0, 1.0, True, False),
          "beta1": (0.0, 1.0, True, False), "beta2": (0.0, 1.0, True, False), "eps": (0.0, 1.0, False, True)}


class Optimizer(NamedTuple):
    init: Callable[[Any], Any]
    update: Callable[[Any, Any, dict], tuple]


class StepState(NamedTuple):
    count: jax.Array


class MomentumState(NamedTuple):
    count: jax.Array
    velocity: Any  # b


class AccumulatorState(NamedTuple):
    count: jax.Array
    accumulator: Any  # AdaGrad's h (sum of g²) or RMSProp's v (moving average of g²)


class AdamState(NamedTuple):
    count: jax.Array
    m: Any
    v: Any


def _zeros(params):
    return jax.tree.map(jnp.zeros_like, params)


def _map(fn, *trees):
    return jax.tree.map(fn, *trees)


def sgd() -> Optimizer:
    def update(grads, state, hp):
        return _map(lambda g: -hp["lr"] * g, grads), StepState(state.count + 1)

    return Optimizer(lambda params: StepState(jnp.zeros((), jnp.int32)), update)


def momentum(nesterov: bool = False) -> Optimizer:
    def init(params):
        return MomentumState(jnp.zeros((), jnp.int32), _zeros(params))

    def update(grads, state, hp):
        mu = hp["momentum"]
        velocity = _map(lambda b, g: mu * b + g, state.velocity, grads)
        step = _map(lambda b, g: g + mu * b, velocity, grads) if nesterov else velocity
        return _map(lambda s: -hp["lr"] * s, step), MomentumState(state.count + 1, velocity)

    return Optimizer(init, update)


def adagrad() -> Optimizer:
    def init(params):
        return AccumulatorState(jnp.zeros((), jnp.int32), _zeros(params))

    def update(grads, state, hp):
        h = _map(lambda h, g: h + g * g, state.accumulator, grads)
        updates = _map(lambda h, g: -hp["lr"] * g / (jnp.sqrt(h) + hp["eps"]), h, grads)
        return updates, AccumulatorState(state.count + 1, h)

    return Optimizer(init, update)


def rmsprop() -> Optimizer:
    def init(params):
        return AccumulatorState(jnp.zeros((), jnp.int32), _zeros(params))

    def update(grads, state, hp):
        rho = hp["rho"]
        v = _map(lambda v, g: rho * v + (1 - rho) * g * g, state.accumulator, grads)
        updates = _map(lambda v, g: -hp["lr"] * g / (jnp.sqrt(v) + hp["eps"]), v, grads)
        return updates, AccumulatorState(state.count + 1, v)

    return Optimizer(init, update)


def adam() -> Optimizer:
    def init(params):
        return AdamState(jnp.zeros((), jnp.int32), _zeros(params), _zeros(params))

    def update(grads, state, hp):
        b1, b2 = hp["beta1"], hp["beta2"]
        t = state.count + 1
        m = _map(lambda m, g: b1 * m + (1 - b1) * g, state.m, grads)
        v = _map(lambda v, g: b2 * v + (1 - b2) * g * g, state.v, grads)
        c1, c2 = 1 - b1 ** t, 1 - b2 ** t
        updates = _map(lambda m, v: -hp["lr"] * (m / c1) / (jnp.sqrt(v / c2) + hp["eps"]), m, v)
        return updates, AdamState(t, m, v)

    return Optimizer(init, update)


BUILDERS = {"sgd": sgd, "momentum": momentum, "nesterov": lambda: momentum(nesterov=True), "adagrad": adagrad,
            "rmsprop": rmsprop, "adam": adam}


def optimizer(kind: str) -> Optimizer:
    """The ``(init, update)`` pair for ``kind`` (one of ``KINDS``)."""
    return BUILDERS[kind]()


def apply_updates(params, updates):
    return jax.tree.map(lambda p, u: p + u, params, updates)


def kind_of(name: str) -> str | None:
    """"SGD", "AdaGrad", "adam" ... -> the kind ("sgd", "adagrad", "adam"), or None."""
    key = str(name).strip().lower()
    return key if key in KINDS else None


def check_hyperparameters(kind: str, hp: dict, label: str | None = None) -> dict:
    """``DEFAULTS[kind]`` updated with ``hp``: every name known for this optimizer, every value in range."""
    from .._validate import finite_float

    label = label or DISPLAY[kind]
    if not isinstance(hp, dict):
        raise ValueError(f"{label} hyperparameters must be a dict such as {{'lr': 0.1}}, got {hp!r}")
    allowed = DEFAULTS[kind]
    out = dict(allowed)
    for name, value in hp.items():
        if name not in allowed:
            raise ValueError(f"{label} has no hyperparameter {name!r}: it takes {', '.join(allowed)}")
        value = finite_float(f"{label} {name}", value)
        low, high, low_in, high_in = RANGES[name]
        if not ((value >= low if low_in else value > low) and (value <= high if high_in else value < high)):
            interval = f"{'[' if low_in else '('}{low:g}, {'∞' if math.isinf(high) else f'{high:g}'}" \
                       f"{']' if high_in else ')'}"
            raise ValueError(f"{label} {name} must be in {interval}, got {value:g}")
        out[name] = value
    return out
