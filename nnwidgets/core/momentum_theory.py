"""Why momentum works, on a quadratic (G. Goh, "Why Momentum Really Works", Distill 2017).

On f(w) = ½·Σ λᵢ·wᵢ² gradient descent with momentum (PyTorch's form, the race's "Momentum")

    z ← β·z + ∇f(w),    w ← w − α·z

acts on each eigen-direction separately: (z, w) ← R·(z, w) with the 2 x 2 iteration matrix

    R = [[β, λ], [−α·β, 1 − α·λ]].

The distance to the minimum shrinks by the spectral radius ρ(R) per step (in the long run), so the
convergence rate is the largest ρ over the curvatures; for a quadratic in 2-D these are the extreme
eigenvalues λmin and λmax. β = 0 is plain gradient descent: ρ = |1 − α·λ|.

Curvatures, α and β are traced arrays: moving a slider never recompiles; only the horizon is static.
"""
from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .programs import jit

#: The condition-number story's bowl: f(x, y) = x²/κ + y², curvatures (2/κ, 2); κ = 20 is the book's "dlfs".
LAMBDA_MAX = 2.0


def bowl_curvatures(condition: float) -> np.ndarray:
    """The Hessian's eigenvalues (λmin, λmax) = (2/κ, 2) of f(x, y) = x²/κ + y²."""
    return np.array([LAMBDA_MAX / float(condition), LAMBDA_MAX], np.float32)


def iteration_matrix(lr, momentum, curvature):
    """R = [[β, λ], [−α·β, 1 − α·λ]] acting on (z, w) along one eigen-direction (shape (..., 2, 2))."""
    lr, momentum, curvature = jnp.broadcast_arrays(*(jnp.asarray(v, jnp.float32) for v in (lr, momentum, curvature)))
    top = jnp.stack([momentum, curvature], axis=-1)
    bottom = jnp.stack([-lr * momentum, 1 - lr * curvature], axis=-1)
    return jnp.stack([top, bottom], axis=-2)


@jax.jit
def spectral_radius(lr, momentum, curvature):
    """ρ(R): the roots of t² − (1 + β − α·λ)·t + β = 0 (R's characteristic polynomial); when they are complex
    both have modulus √β, else the larger |t|. Broadcasts over its arguments."""
    b = 1 + momentum - lr * curvature
    disc = b * b - 4 * momentum
    root = jnp.sqrt(jnp.maximum(disc, 0.0))
    real = jnp.maximum(jnp.abs(b + root), jnp.abs(b - root)) / 2
    return jnp.where(disc < 0, jnp.sqrt(jnp.maximum(momentum, 0.0)), real)


@jax.jit
def convergence_rate(lr, momentum, curvatures):
    """The rate max over ``curvatures`` (last axis) of ρ(R): distance × rate per step; < 1 converges."""
    lr, momentum = jnp.asarray(lr, jnp.float32)[..., None], jnp.asarray(momentum, jnp.float32)[..., None]
    return jnp.max(spectral_radius(lr, momentum, jnp.asarray(curvatures, jnp.float32)), axis=-1)


class RateMap(NamedTuple):
    """The convergence rate on a grid: ``rate[i, j]`` at (``lrs[j]``, ``momenta[i]``)."""

    lrs: np.ndarray
    momenta: np.ndarray
    rate: np.ndarray


def rate_map(curvatures, lrs, momenta) -> RateMap:
    """The convergence rate over the (learning rate, momentum) plane for a quadratic with these curvatures."""
    lrs, momenta = np.asarray(lrs, np.float32), np.asarray(momenta, np.float32)
    rate = convergence_rate(lrs[None, :], momenta[:, None], np.asarray(curvatures, np.float32))
    return RateMap(lrs, momenta, np.asarray(rate, float))


class Optimum(NamedTuple):
    """The best constant step: ``lr`` and ``momentum`` (0 for plain gradient descent) and the ``rate`` they give."""

    lr: float
    momentum: float
    rate: float


def optimal_gd(curvatures) -> Optimum:
    """α = 2 / (λmin + λmax) gives the rate (κ − 1)/(κ + 1), κ = λmax / λmin."""
    lo, hi = float(np.min(curvatures)), float(np.max(curvatures))
    return Optimum(2 / (lo + hi), 0.0, (hi - lo) / (hi + lo))


def optimal_momentum(curvatures) -> Optimum:
    """α = (2 / (√λmin + √λmax))², β = ((√κ − 1)/(√κ + 1))² give the rate (√κ − 1)/(√κ + 1)."""
    lo, hi = np.sqrt(float(np.min(curvatures))), np.sqrt(float(np.max(curvatures)))
    rate = (hi - lo) / (hi + lo)
    return Optimum((2 / (lo + hi)) ** 2, rate ** 2, rate)


# ---- the 2-D story: actual iterates ---------------------------------------------------------------------
class Paths(NamedTuple):
    """Iterates of gradient descent (``gd``) and of momentum (``momentum``) on the bowl, (horizon + 1, 2) each,
    row 0 the start; ``gd_steps`` / ``momentum_steps``: the first step whose distance to the minimum is at
    most ``tol`` x the start's (None if not within the horizon)."""

    gd: np.ndarray
    momentum: np.ndarray
    gd_steps: int | None
    momentum_steps: int | None


@partial(jit, static_argnames="horizon")
def _heavy_ball(curvatures, start, lr, momentum, horizon):
    def step(carry, _):
        w, z = carry
        z = momentum * z + curvatures * w  # ∇f(w) = λ·w along the axes
        w = w - lr * z
        w = jnp.where(jnp.isfinite(w), w, jnp.sign(w) * 1e30)
        return (w, z), w

    _, path = jax.lax.scan(step, (start, jnp.zeros_like(start)), None, length=horizon)
    return jnp.concatenate([start[None], path])


def heavy_ball(curvatures, start, lr, momentum, horizon: int) -> np.ndarray:
    """Momentum's iterates on f(w) = ½·Σ λᵢ·wᵢ² (axis-aligned): (horizon + 1, len(start)); β = 0 is plain GD."""
    return np.asarray(_heavy_ball(np.asarray(curvatures, np.float32), np.asarray(start, np.float32),
                                  np.float32(lr), np.float32(momentum), int(horizon)))


def steps_to(path, tol: float) -> int | None:
    """The first step k with ‖w_k‖ ≤ tol·‖w_0‖ (the minimum is at 0), or None."""
    distance = np.linalg.norm(np.asarray(path, float), axis=-1)
    hit = np.flatnonzero(distance <= tol * distance[0])
    return int(hit[0]) if hit.size else None


def condition_paths(curvatures, start, lr, momentum, horizon: int = 2000, tol: float = 1e-3) -> Paths:
    """Plain GD (β = 0) and momentum (β) from ``start`` with the same lr, and their steps to ``tol``."""
    gd = heavy_ball(curvatures, start, lr, 0.0, horizon)
    heavy = heavy_ball(curvatures, start, lr, momentum, horizon)
    return Paths(gd, heavy, steps_to(gd, tol), steps_to(heavy, tol))
