"""Optimizer race: SGD, Momentum, Nesterov, AdaGrad, RMSProp and Adam on a 2-D surface, every knob live.

``state`` (the race), ``learning_rate`` and ``real_model`` (the other two tabs' states) call only ``core``;
``view`` and ``tab_views`` draw them; ``text`` holds every sentence shown; ``panel`` puts them together.
"""
from .learning_rate import LearningRateState
from .momentum_theory import MomentumTheoryState
from .panel import OptimizerRace
from .real_model import ModelRaceState
from .state import DLFS_RACE, RaceState, is_transformation

__all__ = ["DLFS_RACE", "LearningRateState", "ModelRaceState", "MomentumTheoryState",
           "OptimizerRace", "RaceState", "is_transformation"]
