"""Argument checks shared by core functions and panels.

Every error names the parameter, the value it got and what is allowed:
``ValueError: w1 must be a finite number, got nan``.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Iterable


def finite_float(name: str, value) -> float:
    """Return ``value`` as a Python float, or raise if it is not a finite real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        try:  # numpy / jax scalars and 0-d arrays
            if getattr(value, "shape", None) == ():
                value = value.item()
        except Exception:  # noqa: BLE001 - fall through to the message below
            pass
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a finite number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return value


#: Largest magnitude accepted for weights, logits and inputs: keeps every float32 sum and product finite.
LIMIT = 1e6


def bounded_float(name: str, value, limit: float = LIMIT) -> float:
    """A finite number within +-``limit`` (float32 overflows near 3.4e38, long before float64 does)."""
    value = finite_float(name, value)
    if abs(value) > limit:
        raise ValueError(f"{name} must be a number between {-limit:g} and {limit:g}, got {value:g}")
    return value


def bounded_array(name: str, value, *, limit: float = LIMIT, dtype="float64"):
    """``finite_array`` whose entries are within +-``limit``."""
    import numpy as np

    array = finite_array(name, value, dtype=dtype)
    if array.size and np.abs(array).max() > limit:
        raise ValueError(f"{name} entries must be between {-limit:g} and {limit:g}, got {np.asarray(value).tolist()!r}")
    return array


def positive_float(name: str, value) -> float:
    value = finite_float(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be a positive number, got {value}")
    return value


def positive_int(name: str, value, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    value = int(value)
    if value <= 0 or (maximum is not None and value > maximum):
        allowed = f"1..{maximum}" if maximum is not None else "a positive integer"
        raise ValueError(f"{name} must be {allowed}, got {value}")
    return value


def integer(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
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
    raise ValueError(f"{name} must be one of {listed}, got {value!r}")


def finite_array(name: str, value, *, shape_hint: str = "", dtype="float32"):
    """Return ``value`` as a NumPy array (float32 unless ``dtype`` says otherwise) with only finite entries."""
    import numpy as np

    try:
        array = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers{shape_hint}, got {value!r}") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers, got {np.asarray(value).tolist()!r}")
    return array
