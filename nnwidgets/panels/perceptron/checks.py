"""Checks for the perceptron panel's settings: each returns the clean value or raises a ValueError naming it."""
from __future__ import annotations

from functools import partial

from ..._validate import finite_float, integer, positive_int
from . import text


def learning_rate(name: str, value, limit: float) -> float:
    """A learning rate: a finite number with 0 < lr <= ``limit``."""
    value = finite_float(name, value)
    if not 0 < value <= limit:
        raise ValueError(text.RATE.format(name=name, limit=limit, value=value))
    return value


def not_negative(name: str, value) -> int:
    """A whole number from 0 up (a position on a scrub slider)."""
    value = integer(name, value)
    if value < 0:
        raise ValueError(text.NOT_NEGATIVE.format(name=name, value=value))
    return value


def up_to(maximum: int):
    """A check for an integer from 1 to ``maximum``."""
    return partial(positive_int, maximum=maximum)


def rate_up_to(limit: float):
    """A check for a learning rate in (0, ``limit``]."""
    return partial(learning_rate, limit=limit)
