"""The checks of the playground's settings: each returns the cleaned value or raises a ValueError naming it."""
from __future__ import annotations

import os

import numpy as np

from ..._validate import finite_float, integer, positive_int, shown
from ...core.playground import DATASETS, FEATURES, OPTIMIZER_DEFAULTS, check_pair
from ...core.playground.datasets import MAX_SAMPLES
from . import text

#: Most numbers an (X, y) pair may hold and still be saved by ``to_dict`` (larger: save it as a CSV file)
SAVE_LIMIT = 20_000
MAX_EPOCHS = 10_000
#: Allowed range of each optimizer hyperparameter: (low, high, low included, high included)
OPTION_RANGES = {"momentum": (0.0, 1.0, True, False), "rho": (0.0, 1.0, True, False),
                 "beta1": (0.0, 1.0, True, False), "beta2": (0.0, 1.0, True, False), "eps": (0.0, 1.0, False, True)}


def in_range(low, high, *, low_in=True, high_in=True):
    """A check: a finite number in the interval low..high (ends included or not)."""
    def check(name, value):
        value = finite_float(name, value)
        if not ((value >= low if low_in else value > low) and (value <= high if high_in else value < high)):
            interval = f"{'[' if low_in else '('}{low:g}, {high:g}{']' if high_in else ')'}"
            raise ValueError(text.NOT_IN_INTERVAL.format(name=name, interval=interval, value=value))
        return value
    return check


def int_range(low, high):
    """A check: an integer in low..high."""
    def check(name, value):
        value = integer(name, value)
        if not low <= value <= high:
            raise ValueError(text.NOT_IN_RANGE.format(name=name, low=low, high=high, value=value))
        return value
    return check


def dataset(name, value):
    """A data set name, the path of a CSV file, or an ``(X, y)`` pair (kept as two float arrays)."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, str):
        if value in DATASETS:
            return value
        if os.path.isfile(value):
            return value
        raise ValueError(text.NO_SUCH_FILE.format(name=name, names=", ".join(map(repr, DATASETS)),
                                                  value=shown(value)))
    if isinstance(value, (tuple, list)) and len(value) == 2:
        X, y = check_pair(value[0], value[1], "regression", name)
        return (X, y)
    raise ValueError(text.NOT_A_DATASET.format(name=name, value=shown(value)))


def features(name, value):
    """A non-empty tuple of distinct names from ``FEATURES``."""
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, (tuple, list)) or not value or not all(isinstance(f, str) for f in value):
        raise ValueError(text.NOT_FEATURES.format(name=name, names=", ".join(FEATURES), value=shown(value)))
    unknown = [f for f in value if f not in FEATURES]
    if unknown or len(set(value)) != len(value):
        raise ValueError(text.NOT_DISTINCT.format(name=name, names=", ".join(FEATURES), value=shown(value)))
    return tuple(value)


def optional(check, what):
    """None (switched off) or a value passing ``check``; ``what`` names what None means (``text.NONE_MEANS``)."""
    def inner(name, value):
        if value is None:
            return None
        try:
            return check(name, value)
        except ValueError as err:
            raise ValueError(text.OR_NONE.format(error=err, what=text.NONE_MEANS[what])) from None
    return inner


def optimizer_options(name, value):
    """A dict of optimizer hyperparameters (names from the optimizer race: momentum, rho, beta1, beta2, eps)."""
    if not isinstance(value, dict):
        raise ValueError(text.NOT_OPTIONS.format(name=name, value=shown(value)))
    out = {}
    for key, number in value.items():
        key_name = f"{name} {key}"
        if key not in OPTION_RANGES:
            raise ValueError(text.NO_OPTION.format(name=name, key=shown(key), allowed=", ".join(OPTION_RANGES)))
        low, high, low_in, high_in = OPTION_RANGES[key]
        out[key] = in_range(low, high, low_in=low_in, high_in=high_in)(key_name, number)
    return out


def options_for(kind: str, options: dict, explicit: bool) -> dict:
    """``options`` kept to what optimizer ``kind`` takes; unknown ones refused when set by the user."""
    extra = sorted(set(options) - set(OPTIMIZER_DEFAULTS[kind]))
    if extra and explicit:
        takes = ", ".join(OPTIMIZER_DEFAULTS[kind]) or text.NOTHING_BESIDES_LR
        raise ValueError(text.OPTIONS_DO_NOT_APPLY.format(extra=", ".join(extra), kind=kind, takes=takes))
    return {k: v for k, v in options.items() if k not in extra}


def points(name, value):
    """User points: a sequence of (x1, x2, label) triples of finite numbers, kept as a tuple of tuples."""
    if not isinstance(value, (tuple, list, np.ndarray)):
        raise ValueError(text.NOT_POINTS.format(name=name, value=shown(value)))
    if len(value) > MAX_SAMPLES:
        raise ValueError(text.TOO_MANY_POINTS.format(name=name, limit=MAX_SAMPLES, count=len(value)))
    out = []
    for i, point in enumerate(value):
        if not isinstance(point, (tuple, list, np.ndarray)) or len(point) != 3:
            raise ValueError(text.NOT_A_POINT.format(where=text.POINT_ENTRY.format(name=name, number=i + 1),
                                                     value=shown(point)))
        where = text.POINT_ENTRY.format(name=name, number=i + 1)
        x1, x2, label = (in_range(-1e6, 1e6)(where, v) for v in point)
        out.append((x1, x2, label))
    return tuple(out)


def epochs(name, value):
    return positive_int(name, value, MAX_EPOCHS)
