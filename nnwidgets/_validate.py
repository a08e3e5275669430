"""Argument checks shared by core functions and panels.

Every error names the parameter, the value it got and what is allowed:
``ValueError: w1 must be a finite number, got nan``.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

from .i18n import _


def finite_float(name: str, value) -> float:
    """Return ``value`` as a Python float, or raise if it is not a finite real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        try:  # numpy / jax scalars and 0-d arrays
            if getattr(value, "shape", None) == ():
                value = value.item()
        except Exception:  # noqa: BLE001 - fall through to the message below
            pass
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(_("{name} must be a finite number, got {value} ({type})").format(
            name=name, value=shown(value), type=type(value).__name__))
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(_("{name} must be a finite number, got {value}").format(name=name, value=value))
    return value


#: Largest magnitude accepted for weights, logits and inputs: keeps every float32 sum and product finite.
LIMIT = 1e6


def bounded_float(name: str, value, limit: float = LIMIT) -> float:
    """A finite number within +-``limit`` (float32 overflows near 3.4e38, long before float64 does)."""
    value = finite_float(name, value)
    if abs(value) > limit:
        raise ValueError(_("{name} must be a number between {low:g} and {high:g}, got {value:g}").format(
            name=name, low=-limit, high=limit, value=value))
    return value


def bounded_array(name: str, value, *, limit: float = LIMIT, dtype="float64"):
    """``finite_array`` whose entries are within +-``limit``."""
    import numpy as np

    array = finite_array(name, value, dtype=dtype)
    if array.size and np.abs(array).max() > limit:
        raise ValueError(_("{name} entries must be between {low:g} and {high:g}, got {value}").format(
            name=name, low=-limit, high=limit, value=shown(value)))
    return array


def positive_float(name: str, value) -> float:
    value = finite_float(name, value)
    if value <= 0:
        raise ValueError(_("{name} must be a positive number, got {value}").format(name=name, value=value))
    return value


def positive_int(name: str, value, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(_("{name} must be a positive integer, got {value}").format(name=name, value=shown(value)))
    value = int(value)
    if maximum is None and value <= 0:
        raise ValueError(_("{name} must be a positive integer, got {value}").format(name=name, value=value))
    if maximum is not None and not 1 <= value <= maximum:
        raise ValueError(_("{name} must be 1..{maximum}, got {value}").format(name=name, maximum=maximum, value=value))
    return value


def integer(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(_("{name} must be an integer, got {value}").format(name=name, value=shown(value)))
    return int(value)


def choice(name: str, value, allowed: Iterable[str], *, casefold: bool = False) -> str:
    """Return ``value`` if it is one of ``allowed`` (optionally case-insensitively)."""
    allowed = tuple(allowed)
    if isinstance(value, str):
        key = value.upper() if casefold else value
        for option in allowed:
            if key == (option.upper() if casefold else option):
                return option
    listed = ", ".join(repr(a) for a in allowed)
    raise ValueError(_("{name} must be one of {allowed}, got {value}").format(
        name=name, allowed=listed, value=shown(value)))


#: Most entries accepted in one array argument: far beyond any teaching example, far below a memory problem.
MAX_ENTRIES = 1_000_000


def shown(value, limit: int = 80) -> str:
    """``repr(value)`` for a message: cut to ``limit`` characters, arrays as lists, never raising."""
    try:
        import numpy as np

        text = repr(np.asarray(value).tolist()) if hasattr(value, "shape") else repr(value)
    except Exception:  # noqa: BLE001 - a hostile or huge value must not hide the real message
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def finite_array(name: str, value, *, shape_hint: str = "", dtype="float32", max_entries: int = MAX_ENTRIES):
    """Return ``value`` as a NumPy array (float32 unless ``dtype`` says otherwise) with only finite entries.

    Refused: text, None, objects, ragged nesting, complex numbers (never silently truncated), booleans (True is
    not a number here), NaN and infinities, and more than ``max_entries`` entries.
    """
    import numpy as np

    if value is None or isinstance(value, (str, bytes, dict, set)) or callable(value):
        raise ValueError(_("{name} must be an array of numbers{hint}, got {value}").format(
            name=name, hint=shape_hint, value=shown(value)))
    size = getattr(value, "size", None)
    if size is None and isinstance(value, (list, tuple)) and len(value) > max_entries:
        size = len(value)
    if isinstance(size, int) and size > max_entries:
        raise ValueError(_("{name} may have at most {maximum:,} entries, got {size:,}").format(
            name=name, maximum=max_entries, size=size))
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(_("{name} must be an array of numbers{hint}, got {value}").format(
            name=name, hint=shape_hint, value=shown(value))) from None
    if raw.dtype == object:
        raise ValueError(_("{name} must be an array of numbers{hint} (equal-length rows, no text or None), "
                           "got {value}").format(name=name, hint=shape_hint, value=shown(value)))
    if raw.dtype.kind == "c":
        raise ValueError(_("{name} must hold real numbers, got complex values {value}").format(
            name=name, value=shown(value)))
    if raw.dtype.kind == "b":
        raise ValueError(_("{name} must hold numbers, got booleans {value}").format(name=name, value=shown(value)))
    if raw.dtype.kind not in "iuf":
        raise ValueError(_("{name} must be an array of numbers{hint}, got {value}").format(
            name=name, hint=shape_hint, value=shown(value)))
    if raw.size > max_entries:
        raise ValueError(_("{name} may have at most {maximum:,} entries, got {size:,}").format(
            name=name, maximum=max_entries, size=raw.size))
    with np.errstate(over="ignore"):
        array = raw.astype(dtype)
    if not np.all(np.isfinite(array)):
        raise ValueError(_("{name} must contain only finite numbers, got {value}").format(
            name=name, value=shown(value)))
    return array
