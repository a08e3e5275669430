"""Optimizers racing on a 2-D surface: every racer in one jitted ``lax.scan`` over the steps.

Only the surface function, the optimizers' kinds and ``steps`` are static; learning rates and the other
hyperparameters, and the start point, are traced, so moving a slider never recompiles.
"""
from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from .optim import optimizer


def dlfs(x, y):
    """"Deep Learning from Scratch" ch. 6: x²/20 + y²."""
    return x ** 2 / 20 + y ** 2


def quadratic(x, y):
    """d2l's ill-conditioned bowl: 0.1·x² + 2·y²."""
    return 0.1 * x ** 2 + 2 * y ** 2


def rosenbrock(x, y):
    """(1 − x)² + 100·(y − x²)², minimum 0 at (1, 1) at the end of a long curved valley."""
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def beale(x, y):
    """(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², minimum 0 at (3, 0.5)."""
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2


def himmelblau(x, y):
    """(x² + y − 11)² + (x + y² − 7)², four minima of 0 (one at (3, 2))."""
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


def saddle(x, y):
    """x² − y²: a saddle at the origin, unbounded below."""
    return x ** 2 - y ** 2


#: name -> (function, view (xmin, xmax, ymin, ymax), default start, known minimum value or None)
SURFACES = {
    "dlfs": (dlfs, (-10.0, 10.0, -5.0, 5.0), (-7.0, 2.0), 0.0),
    "quadratic": (quadratic, (-6.0, 6.0, -3.0, 3.0), (-5.0, -2.0), 0.0),
    "rosenbrock": (rosenbrock, (-2.0, 2.0, -1.0, 3.0), (-1.5, 2.0), 0.0),
    "beale": (beale, (-4.5, 4.5, -4.5, 4.5), (1.0, 1.5), 0.0),
    "himmelblau": (himmelblau, (-5.0, 5.0, -5.0, 5.0), (0.0, 0.0), 0.0),
    "saddle": (saddle, (-2.0, 2.0, -2.0, 2.0), (-1.5, 0.01), None),
}

#: A racer diverged at the first step whose loss is non-finite or above this many times the start loss.
BLOWUP = 1e3


def _step_fn(f, kind):
    """One update of one racer; a step that would leave finite numbers is not taken (the racer stops)."""
    if isinstance(kind, str):
        opt = optimizer(kind)
        update = opt.update
    else:  # an optax GradientTransformation, raced as it is
        opt = kind
        update = lambda g, s, hp, p: opt.update(g, s, p)  # noqa: E731
    loss = lambda p: f(p[0], p[1])  # noqa: E731
    grad = jax.grad(loss)

    def step(carry, _):
        p, state, hp = carry
        updates, new_state = update(grad(p), state, hp) if isinstance(kind, str) else update(grad(p), state, hp, p)
        new_p = p + updates
        raw = loss(new_p)
        bad = ~(jnp.isfinite(raw) & jnp.all(jnp.isfinite(new_p)))
        new_p = jnp.where(bad, p, new_p)
        new_state = jax.tree.map(lambda old, new: jnp.where(bad, old, new), state, new_state)
        return (new_p, new_state, hp), (new_p, loss(new_p), raw, new_state)

    return opt.init, step


@partial(jax.jit, static_argnames=("f", "kinds", "steps"))
def _race(f, kinds, steps, start, hps):
    out = []
    for kind, hp in zip(kinds, hps):
        init, step = _step_fn(f, kind)
        state = init(start)
        _, (path, losses, raw, states) = jax.lax.scan(step, (start, state, hp), None, length=steps)
        first = jax.tree.map(lambda a: a[None], state)
        start_loss = f(start[0], start[1])
        out.append((jnp.concatenate([start[None], path]), jnp.concatenate([start_loss[None], losses]),
                    jnp.concatenate([start_loss[None], raw]),
                    jax.tree.map(lambda a, b: jnp.concatenate([a, b]), first, states)))
    return out


def race(f, start, kinds: tuple, hps: tuple, steps: int) -> list[dict]:
    """Race ``kinds`` (names from ``optim.KINDS`` or optax transformations) on ``f(x, y)`` from ``start``.

    Returns one dict per racer: ``path`` (steps + 1, 2) with row 0 the start, ``losses`` (steps + 1,) at
    those points (always finite: a racer whose next step would overflow stays where it is), ``raw`` (the
    loss each step produced, possibly inf/nan), ``diverged`` (first step whose raw loss is non-finite or
    above ``BLOWUP`` x the start loss, or None) and ``states`` (the optimizer state after every step).
    """
    start = np.asarray(start, np.float32)
    hps = tuple({k: np.float32(v) for k, v in hp.items()} for hp in hps)
    results = jax.device_get(_race(f, tuple(kinds), int(steps), start, hps))
    out = []
    for path, losses, raw, states in results:
        raw = np.asarray(raw, float)
        limit = BLOWUP * abs(raw[0]) if raw[0] > 0 else BLOWUP * max(abs(raw[0]), 1.0)
        bad = np.flatnonzero(~np.isfinite(raw) | (np.abs(raw) > limit))
        out.append({"path": np.asarray(path), "losses": np.asarray(losses), "raw": raw, "states": states,
                    "diverged": int(bad[0]) if bad.size else None})
    return out


def gradient_descent_1d(f, x0: float, lr: float, steps: int) -> np.ndarray:
    """Plain gradient descent x ← x − lr·f'(x) on a 1-D function: the iterates (steps + 1,)."""
    return np.asarray(_gd_1d(f, np.float32(x0), np.float32(lr), int(steps)))


@partial(jax.jit, static_argnames=("f", "steps"))
def _gd_1d(f, x0, lr, steps):
    grad = jax.grad(f)

    def step(x, _):
        new = x - lr * grad(x)
        new = jnp.where(jnp.isfinite(new), new, x)
        return new, new

    _, xs = jax.lax.scan(step, x0, None, length=steps)
    return jnp.concatenate([x0[None], xs])
