"""Optimizers racing on a 2-D surface: every racer in one jitted ``lax.scan`` over the steps.

Only the surface function, the optimizers' ``update`` functions and ``steps`` are static; the optimizer states
(which carry the learning rates and other hyperparameters) and the start point are traced, so moving a slider
never recompiles. Also here: the surface on a grid for contour plots, and gradient descent on a quadratic bowl
(the factor each step multiplies the distance by).
"""
from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ..i18n import _
from .programs import jit


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


class RaceResult(NamedTuple):
    """One racer: ``path`` (steps + 1, 2) with row 0 the start; ``losses`` there (always finite: a step that
    would leave finite numbers is not taken); ``raw`` the loss each step produced (possibly inf/nan);
    ``diverged`` the first step whose raw loss is non-finite or above ``BLOWUP`` x the start loss, or None;
    ``states`` the optimizer state after every step (leaves with a leading steps + 1 axis)."""

    path: np.ndarray
    losses: np.ndarray
    raw: np.ndarray
    diverged: int | None
    states: Any


def _scan_step(f, update):
    """One update of one racer: ``update(grads, state, params)``, the same call for ours and optax's."""
    loss = lambda p: f(p[0], p[1])  # noqa: E731
    grad = jax.grad(loss)

    def step(carry, _):
        p, state = carry
        updates, new_state = update(grad(p), state, p)
        new_p = p + updates
        raw = loss(new_p)
        bad = ~(jnp.isfinite(raw) & jnp.all(jnp.isfinite(new_p)))
        new_p = jnp.where(bad, p, new_p)
        new_state = jax.tree.map(lambda old, new: jnp.where(bad, old, new), state, new_state)
        return (new_p, new_state), (new_p, loss(new_p), raw, new_state)

    return step


@partial(jit, static_argnames=("f", "updates", "steps"))
def _race(f, updates, steps, start, states):
    out = []
    start_loss = f(start[0], start[1])
    for update, state in zip(updates, states):
        _, (path, losses, raw, after) = jax.lax.scan(_scan_step(f, update), (start, state), None, length=steps)
        out.append((jnp.concatenate([start[None], path]), jnp.concatenate([start_loss[None], losses]),
                    jnp.concatenate([start_loss[None], raw]),
                    jax.tree.map(lambda a, b: jnp.concatenate([jnp.asarray(a)[None], b]), state, after)))
    return out


def race(f, start, optimizers: tuple, steps: int) -> list[RaceResult]:
    """Race ``optimizers`` (``core.optim`` optimizers or optax transformations, each ``(init, update)``) on
    ``f(x, y)`` from ``start`` for ``steps`` updates: p ← p + update(∇f(p), state, p). One ``RaceResult`` each.

    Each racer starts from ``opt.init(start)`` (outside the jitted loop), so hyperparameters carried in the
    state (``core.optim``, ``optax.inject_hyperparams``) change without recompiling.
    """
    start = np.asarray(start, np.float32)
    states = tuple(opt.init(start) for opt in optimizers)
    results = jax.device_get(_race(f, tuple(opt.update for opt in optimizers), int(steps), start, states))
    out = []
    for path, losses, raw, states in results:
        raw = np.asarray(raw, float)
        limit = BLOWUP * max(abs(raw[0]), 1.0) if raw[0] <= 0 else BLOWUP * raw[0]
        bad = np.flatnonzero(~np.isfinite(raw) | (np.abs(raw) > limit))
        out.append(RaceResult(np.asarray(path), np.asarray(losses), raw, int(bad[0]) if bad.size else None, states))
    return out


def first_below(losses, tol: float, end: int | None = None) -> int | None:
    """The first step k < ``end`` with losses[k] < ``tol`` (a racer's finishing step), or None."""
    below = np.flatnonzero(np.asarray(losses)[:end] < tol)
    return int(below[0]) if below.size else None


# ---- the surface on a grid ------------------------------------------------------------------------------
class SurfaceGrid(NamedTuple):
    """f on an n x n grid over ``box``: ``z[i, j] = f(x[j], y[i])`` (float64, NaN where f is not finite)."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    finite: float  # the fraction of grid points where f is finite


def surface_grid(f, box, n: int = 120) -> SurfaceGrid:
    """Evaluate ``f(x, y)`` on ``n`` x ``n`` points spanning ``box = (xmin, xmax, ymin, ymax)``."""
    x0, x1, y0, y1 = box
    x, y = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    X, Y = np.meshgrid(x.astype(np.float32), y.astype(np.float32))
    z = np.asarray(jnp.broadcast_to(f(jnp.asarray(X), jnp.asarray(Y)), X.shape), float)
    finite = np.isfinite(z)
    return SurfaceGrid(x, y, np.where(finite, z, np.nan), float(finite.mean()))


def contour_levels(z, minimum=None, n: int = 18) -> np.ndarray:
    """Contour levels over the finite values of ``z``: geometric above a known ``minimum`` (then for
    ``z - minimum``), else ``n`` evenly spaced levels."""
    finite = np.asarray(z)[np.isfinite(z)]
    if not finite.size:
        raise ValueError(_("the surface has no finite value to draw"))
    if minimum is None:
        lo, hi = finite.min(), finite.max()
        return np.linspace(lo, hi, n + 2)[1:-1] if hi > lo else np.array([lo])
    return np.geomspace(max(finite.min() - minimum, 1e-3), finite.max() - minimum + 1e-9, n)


# ---- gradient descent on a quadratic bowl ---------------------------------------------------------------
class Contraction(NamedTuple):
    """Gradient descent p ← p − lr·∇f(p) on a quadratic: along each eigenvector of the Hessian (ascending
    curvature λ) the distance to the minimum is multiplied by 1 − lr·λ every step; stable for lr < 2 / λmax."""

    curvatures: np.ndarray
    factors: np.ndarray
    stable_below: float


@partial(jit, static_argnames="f")
def _curvatures(f, point):
    return jnp.linalg.eigvalsh(jax.hessian(lambda p: f(*p))(point))


def gd_contraction(f, point, lr: float) -> Contraction:
    """The per-step factors 1 − lr·λ of gradient descent on the quadratic ``f`` (λ: the Hessian's
    eigenvalues at ``point``; for f = x² the one factor is 1 − 2·lr)."""
    curvatures = np.asarray(_curvatures(f, np.asarray(point, np.float32)), float)
    return Contraction(curvatures, 1 - float(lr) * curvatures, float(2 / curvatures.max()))


def regime(factor: float, crawl: float = 0.9) -> str:
    """What a distance multiplied by ``factor`` each step does: "crawls" (factor > ``crawl``), "smooth",
    "one step" (0), "oscillates" (−1 < factor < 0), "bounces" (−1) or "diverges"."""
    if factor > crawl:
        return "crawls"
    if factor > 0:
        return "smooth"
    if factor == 0:
        return "one step"
    if factor > -1:
        return "oscillates"
    return "bounces" if factor == -1 else "diverges"


def gradient_descent_1d(f, x0: float, lr: float, steps: int) -> np.ndarray:
    """Plain gradient descent x ← x − lr·f'(x) on a 1-D function: the iterates (steps + 1,)."""
    return np.asarray(_gd_1d(f, np.float32(x0), np.float32(lr), int(steps)))


@partial(jit, static_argnames=("f", "steps"))
def _gd_1d(f, x0, lr, steps):
    grad = jax.grad(f)

    def step(x, _):
        new = x - lr * grad(x)
        new = jnp.where(jnp.isfinite(new), new, x)
        return new, new

    _, xs = jax.lax.scan(step, x0, None, length=steps)
    return jnp.concatenate([x0[None], xs])
