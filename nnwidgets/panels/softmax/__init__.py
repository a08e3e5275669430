"""Softmax / cross-entropy calculator: the seeds' tables, live, with a check of the learner's own numbers.

``state`` holds what the learner controls (``SoftmaxState``), ``view`` the widgets, ``tables`` the HTML table and
summary, ``text`` every sentence shown; ``panel`` puts them together as ``SoftmaxCalculator``.
"""
from .panel import SoftmaxCalculator
from .state import IRIS, MAX_CLASSES, MAX_FEATURES, TABS, Baseline, SoftmaxState

__all__ = ["IRIS", "MAX_CLASSES", "MAX_FEATURES", "TABS", "Baseline", "SoftmaxCalculator", "SoftmaxState"]
