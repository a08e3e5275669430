"""Checks of single settings of the conv/pool visualizer: each returns the cleaned value or refuses it (ValueError).

Whether settings fit together (a kernel inside the padded input, a position inside the output) is checked by
``ConvState.check_together``.
"""
from __future__ import annotations

import numbers

import numpy as np

from ..._validate import shown
from ...core.conv_shapes import PADDING_NAMES
from . import text

MAX_SIDE = 32
MAX_CHANNELS = 1024
VALUE_LIMIT = 1e6


def whole(value, low: int, high: int) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(value, numbers.Integral) and low <= value <= high


def shape(name, value):
    if not isinstance(value, (tuple, list)) or len(value) not in (2, 3) or not all(
            whole(v, 1, MAX_SIDE if k < len(value) - 1 else MAX_CHANNELS) for k, v in enumerate(value)):
        raise ValueError(text.BAD_SHAPE.format(limit=MAX_SIDE, value=shown(value)))
    return tuple(int(v) for v in value)


def kernel(name, value):
    if whole(value, 1, MAX_SIDE):
        return int(value)
    if isinstance(value, (tuple, list)) and len(value) in (1, 2) and all(whole(v, 1, MAX_SIDE) for v in value):
        return tuple(int(v) for v in value)
    raise ValueError(text.BAD_KERNEL.format(limit=MAX_SIDE, value=shown(value)))


def whole_in(high: int, low: int = 1):
    def check(name, value):
        if not whole(value, low, high):
            raise ValueError(text.BAD_WHOLE.format(name=name, low=low, high=high, value=shown(value)))
        return int(value)
    return check


def padding(name, value):
    if isinstance(value, str) and value.lower() in PADDING_NAMES:
        return value.lower()
    if whole(value, 0, MAX_SIDE):
        return int(value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(whole(v, 0, MAX_SIDE) for v in value):
        return tuple(int(v) for v in value)
    raise ValueError(text.BAD_PADDING.format(limit=MAX_SIDE, value=shown(value)))


def cell(name, value):
    if value is None:
        return None
    if isinstance(value, (tuple, list)) and len(value) in (1, 2) and all(whole(v, 0, MAX_SIDE) for v in value):
        return tuple(int(v) for v in value)
    raise ValueError(text.BAD_CELL_FORM.format(value=shown(value)))


def values(name, value):
    if value is None:
        return None
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        array = None
    if (array is None or array.dtype.kind not in "iuf" or array.ndim not in (1, 2) or array.size == 0
            or max(array.shape) > MAX_SIDE or not np.all(np.isfinite(array))
            or np.abs(array).max() > VALUE_LIMIT):
        raise ValueError(text.BAD_VALUES.format(name=name, limit=VALUE_LIMIT, value=shown(value)))
    return array.astype(np.float64)
