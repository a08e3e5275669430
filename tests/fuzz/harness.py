"""Bad values and the bookkeeping of the fuzz suite: every refusal must be clear, cheap and leave no trace."""
from __future__ import annotations

import json
import math
import resource
import time
from collections import Counter

import numpy as np

MAX_SECONDS = 2.0
MAX_GROWTH_MB = 1024
COUNTS: Counter = Counter()
UNCLEAR: list[str] = []


def hostile_callable(*args, **kwargs):
    """A callable that is not what anyone asked for: it raises, as hostile code would when probed."""
    raise RuntimeError("hostile callable was called")


BAD_VALUES = {
    "nan": math.nan, "inf": math.inf, "-inf": -math.inf, "1e308": 1e308, "-1e308": -1e308,
    "huge int": 10**20, "-huge int": -(10**20), "2**64": 2**64, "-0.0": -0.0, "zero": 0, "-1": -1, "0.5": 0.5,
    "empty str": "", "str": "no", "None": None, "True": True, "False": False, "complex": 1 + 5j,
    "empty list": [], "empty tuple": (), "ragged": [[1.0, 2.0], [3.0]], "list with nan": [math.nan, 1.0],
    "list of str": ["a", "b"], "nested": [[[1.0]]], "long list": [0.25] * 100_000, "dict": {"a": 1},
    "bool array": np.array([True, False]), "complex array": np.array([1 + 2j, 3]), "nan array": np.array([np.nan]),
    "3-d array": np.ones((2, 2, 2)), "empty array": np.zeros((0,)), "bytes": b"\x00", "set": {1, 2},
    "object": object(), "hostile callable": hostile_callable,
    "lambda": lambda *a, **k: 1.0,
}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def attempt(label: str, names: tuple[str, ...], action, snapshot=None) -> str:
    """Run ``action``; return "refused", "accepted" or raise AssertionError with what went wrong.

    A refusal must be a ValueError or TypeError whose message names one of ``names``; ``snapshot()`` (the
    observable state) must be the same after a refusal; nothing may take more than ``MAX_SECONDS`` or grow the
    process by more than ``MAX_GROWTH_MB``.
    """
    before = snapshot() if snapshot else None
    peak, start = rss_mb(), time.perf_counter()
    outcome = "accepted"
    try:
        action()
    except (ValueError, TypeError) as err:
        outcome = "refused"
        message = str(err)
        COUNTS["refused"] += 1
        if not any(name in message for name in names):
            UNCLEAR.append(f"{label}: {type(err).__name__}: {message[:200]}")
            raise AssertionError(f"{label}: the message does not name {' or '.join(names)}: "
                                 f"{type(err).__name__}: {message[:300]}") from None
        COUNTS["clear"] += 1
    except Exception as err:  # noqa: BLE001 - any other exception type is a finding
        COUNTS["raw"] += 1
        UNCLEAR.append(f"{label}: {type(err).__name__}: {str(err)[:200]}")
        raise AssertionError(f"{label}: raw {type(err).__name__} instead of a clear ValueError: {err}") from None
    finally:
        COUNTS["cases"] += 1
        seconds = time.perf_counter() - start
        assert seconds <= MAX_SECONDS, f"{label}: took {seconds:.2f} s (limit {MAX_SECONDS} s)"
        grown = rss_mb() - peak
        assert grown <= MAX_GROWTH_MB, f"{label}: the process grew by {grown:.0f} MB (limit {MAX_GROWTH_MB} MB)"
    if outcome == "accepted":
        COUNTS["accepted"] += 1
    elif snapshot is not None:
        after = snapshot()
        assert after == before, f"{label}: the state changed although the value was refused:\n{before}\n{after}"
    return outcome


def saved(panel) -> str:
    """``to_dict()`` as JSON text: proves it is serialisable and compares exactly (NaN-safe)."""
    return json.dumps(panel.to_dict(), sort_keys=True)
