"""What each setting of the backprop stepper may be: one check per setting, each message naming it."""
from __future__ import annotations

import numbers

import numpy as np

from ..._validate import LIMIT, finite_array, shown
from ...core.graph import MAX_INPUT_ENTRIES, check_input_sizes
from . import text
from .presets import PRESETS


def check_inputs(names: list[str], values: dict) -> dict:
    """``values`` as floats (scalars) or float32 arrays, with every name of ``fn`` and no other."""
    missing = [n for n in names if n not in values]
    extra = [n for n in values if n not in names]
    signature = f"fn({', '.join(names)})"
    for found, one, many in ((missing, text.MISSING_INPUT, text.MISSING_INPUTS),
                             (extra, text.UNKNOWN_INPUT, text.UNKNOWN_INPUTS)):
        if found:
            raise ValueError((many if len(found) > 1 else one).format(
                names=", ".join(map(repr, found)), signature=signature, all=", ".join(names)))
    out = {}
    for name in names:
        value = values[name]
        if isinstance(value, (bool, np.bool_, str)) or value is None:
            raise ValueError(text.NOT_A_NUMBER.format(name=name, value=shown(value)))
        array = finite_array(name, value, dtype="float64", max_entries=MAX_INPUT_ENTRIES)
        if array.size == 0:
            raise ValueError(text.EMPTY.format(name=name, value=shown(value)))
        if np.abs(array).max() > LIMIT:
            raise ValueError(text.OUT_OF_RANGE.format(name=name, low=-LIMIT, high=LIMIT, value=shown(value)))
        out[name] = float(array) if array.ndim == 0 else array.astype(np.float32)
    check_input_sizes({n: np.shape(v) for n, v in out.items()})
    return out


def preset_name(name, value):
    if value == "":
        return ""
    if not isinstance(value, str) or value not in PRESETS:
        raise ValueError(text.PRESET_NAME.format(names=", ".join(PRESETS), value=shown(value)))
    return value


def short_text(limit):
    def check(name, value):
        if not isinstance(value, str) or len(value) > limit:
            raise ValueError(text.TEXT_SETTING.format(name=name, limit=limit, value=shown(value)))
        return value
    return check


def inputs_dict(name, value):
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ValueError(text.INPUTS_NOT_DICT.format(value=shown(value)))
    return dict(value)


def names_dict(name, value):
    """A dict of node name -> display name (checked against the graph in ``check_together``)."""
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValueError(text.NAMES_NOT_DICT.format(value=shown(value)))
    return dict(value)


def position(name, value):
    """A whole number of steps from 0 (the upper end depends on the graph: ``check_together``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(text.POSITION_TYPE.format(value=shown(value)))
    return int(value)
