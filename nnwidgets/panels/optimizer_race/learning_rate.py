"""The "learning rate" tab's state: plain gradient descent on a bowl, where a too-large learning rate
overshoots and a too-small one crawls. The factor each step multiplies the distance by comes from
``core.race.gd_contraction`` (computed from the bowl's curvature), never written out here."""
from __future__ import annotations

import numpy as np

from ..._validate import bounded_float, positive_float, positive_int
from ...core.optim import sgd
from ...core.race import gd_contraction, gradient_descent_1d, quadratic, race, regime
from .._controls import number
from .._state import PanelState
from .._traits import Checked, one_of
from . import text

BOWLS = ("1-D", "2-D")  # the bowls' names (the API's values and the toggle's labels)


def bowl(x):
    """The 1-D bowl f(x) = x²."""
    return x * x


def check_lr(name, value) -> float:
    return bounded_float(name, positive_float(name, value), limit=10)


class LearningRateState(PanelState):
    """Plain gradient descent x ← x − lr·∇f(x) on the bowl x² (1-D) or 0.1·x² + 2·y² (2-D)."""

    SETTINGS = ("lr", "x0", "steps", "bowl")

    lr = Checked(0.1, check_lr)
    x0 = Checked(4.0, lambda name, v: bounded_float(name, v, limit=10))
    steps = Checked(20, lambda name, v: positive_int(name, v, maximum=500))
    bowl = Checked("1-D", one_of(BOWLS))

    @property
    def start(self) -> tuple:
        """The start: x0 on the 1-D bowl, (x0, x0 / 2) on the 2-D one."""
        return (self.x0,) if self.bowl == "1-D" else (self.x0, self.x0 / 2)

    @property
    def iterates(self) -> np.ndarray:
        """(steps + 1,) x values (1-D) or (steps + 1, 2) points (2-D), row 0 the start."""
        if self.bowl == "1-D":
            return gradient_descent_1d(bowl, self.x0, self.lr, self.steps)
        return race(quadratic, self.start, (sgd(self.lr),), self.steps)[0].path

    @property
    def contraction(self):
        """``core.race.Contraction``: the curvatures, the factors 1 − lr·λ and the stable range lr < 2 / λmax."""
        return gd_contraction(bowl if self.bowl == "1-D" else quadratic, self.start, self.lr)

    def verdict(self) -> str:
        c = self.contraction
        if self.bowl == "1-D":
            factor = float(c.factors[0])
            return text.VERDICT_1D.format(c=number(c.curvatures[0]), lr=f"{self.lr:g}", factor=number(factor),
                                          regime=text.REGIMES[regime(factor)], stable=number(c.stable_below))
        fx, fy = (float(f) for f in c.factors)
        return text.VERDICT_2D.format(cx=number(c.curvatures[0]), cy=number(c.curvatures[1]), fx=number(fx),
                                      fy=number(fy), y_part=text.Y_REGIMES[regime(fy)],
                                      kept=number(abs(fx) ** self.steps), steps=self.steps,
                                      stable=number(c.stable_below))
