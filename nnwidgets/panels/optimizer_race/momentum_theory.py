"""The "momentum theory" tab's state: Distill's "Why Momentum Really Works" on the bowl f(x, y) = x²/κ + y².

The learner sets the condition number κ, a learning rate and a momentum; the state keeps, from
``core.momentum_theory``, the convergence rate over the (lr, momentum) plane and the paths of plain gradient
descent and of momentum with that lr, with their steps to reach the tolerance. κ = 20 is the race's "dlfs".
"""
from __future__ import annotations

import numpy as np
from traitlets import Any

from ..._validate import bounded_float, positive_float, positive_int
from ...core.momentum_theory import (
    bowl_curvatures,
    condition_paths,
    convergence_rate,
    optimal_gd,
    optimal_momentum,
    rate_map,
)
from .._controls import number
from .._state import PanelState
from .._traits import Checked
from . import text

MAX_CONDITION = 1000.0
MAX_LR = 2.5
TOL = 1e-3
HORIZON = 3000
START = (-7.0, 2.0)
LR_GRID = np.geomspace(1e-3, MAX_LR, 140)
MOMENTUM_GRID = np.linspace(0.0, 0.995, 120)


def check_condition(name, value) -> float:
    value = bounded_float(name, value, limit=1e6)
    if not 1 <= value <= MAX_CONDITION:
        raise ValueError(text.CONDITION_RANGE.format(name=name, high=MAX_CONDITION, value=value))
    return value


def check_lr(name, value) -> float:
    value = positive_float(name, value)
    if value > MAX_LR:
        raise ValueError(text.THEORY_LR_RANGE.format(name=name, high=MAX_LR, value=value))
    return value


def check_momentum(name, value) -> float:
    value = bounded_float(name, value, limit=10)
    if not 0 <= value < 1:
        raise ValueError(text.MOMENTUM_RANGE.format(name=name, value=value))
    return value


class MomentumTheoryState(PanelState):
    """Gradient descent with and without momentum on x²/κ + y²: rates from the iteration matrix, actual paths."""

    SETTINGS = ("condition", "lr", "momentum", "steps")

    condition = Checked(20.0, check_condition)
    lr = Checked(0.1, check_lr)
    momentum = Checked(0.9, check_momentum)
    steps = Checked(60, lambda name, v: positive_int(name, v, maximum=500))  # the steps of the paths drawn
    rates = Any(None, help="core.momentum_theory.RateMap over (lr, momentum) for the current condition number")
    paths = Any(None, help="core.momentum_theory.Paths: plain GD and momentum with the current lr")

    def __init__(self, **kwargs):
        super().__init__()
        self.set(**{"condition": 20.0, **kwargs})

    def after_change(self, changed):
        if changed & {"condition", "lr", "momentum"} or self.paths is None:
            self.paths = condition_paths(self.curvatures, START, self.lr, self.momentum, HORIZON, TOL)
        if "condition" in changed or self.rates is None:
            self.rates = rate_map(self.curvatures, LR_GRID, MOMENTUM_GRID)

    @property
    def curvatures(self) -> np.ndarray:
        """(λmin, λmax) = (2/κ, 2)."""
        return bowl_curvatures(self.condition)

    @property
    def gd_rate(self) -> float:
        return float(convergence_rate(self.lr, 0.0, self.curvatures))

    @property
    def momentum_rate(self) -> float:
        return float(convergence_rate(self.lr, self.momentum, self.curvatures))

    @property
    def best_gd(self):
        return optimal_gd(self.curvatures)

    @property
    def best_momentum(self):
        return optimal_momentum(self.curvatures)

    def use_best(self) -> None:
        """Set lr and momentum to Distill's optimum for this κ (rate (√κ − 1)/(√κ + 1))."""
        best = self.best_momentum
        self.set(lr=float(np.float32(best.lr)), momentum=float(np.float32(best.momentum)))

    def explain(self) -> list[str]:
        """The sentences under the plots: the curvatures, the zig-zag factor, rates and steps, the optima."""
        lo, hi = (float(v) for v in self.curvatures)
        y_factor = 1 - self.lr * hi
        zig = text.ZIGZAG if y_factor < 0 else text.NO_ZIGZAG.format(half=number(1 / hi))

        def steps(k):
            return text.STEPS_NEVER.format(horizon=HORIZON) if k is None else text.STEPS_TAKEN.format(k=k)

        gd_best, heavy_best = self.best_gd, self.best_momentum
        return [text.CURVATURES.format(kappa=number(self.condition), lo=number(lo), hi=number(hi)),
                text.GD_LINE.format(lr=number(self.lr), fy=number(y_factor), fx=number(1 - self.lr * lo), zig=zig,
                                    rate=number(self.gd_rate), steps=steps(self.paths.gd_steps), tol=f"{TOL:g}"),
                text.MOMENTUM_LINE.format(lr=number(self.lr), beta=number(self.momentum),
                                          rate=number(self.momentum_rate), steps=steps(self.paths.momentum_steps)),
                text.BEST_LINE.format(gd_lr=number(gd_best.lr), gd_rate=number(gd_best.rate),
                                      lr=number(heavy_best.lr), beta=number(heavy_best.momentum),
                                      rate=number(heavy_best.rate))]
