"""Round axis limits. A view that snaps its limits outwards keeps the same static picture (a rendered PNG) for
nearby results, so a setting that moves the data a little does not render the picture again."""
from __future__ import annotations

import math

ROUND = (1, 2, 5, 10)
#: Limits are kept while the data fills at least this part of them (``steady``, ``steady_up``)
FILL = 0.4


def round_up(value: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten at or above ``value`` (> 0): 13 -> 20, 200 -> 200."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in ROUND if m * power >= value * (1 - 1e-12))


def decades(lo: float, hi: float) -> tuple[float, float]:
    """(lo, hi), both > 0, widened to whole powers of ten (a log axis's limits)."""
    return 10.0 ** math.floor(math.log10(lo)), 10.0 ** math.ceil(math.log10(hi))


def round_out(lo: float, hi: float) -> tuple[float, float]:
    """(lo, hi) widened to multiples of a round step (1, 2 or 5 times a power of ten) of about a tenth of the span."""
    step = round_up(max(hi - lo, 1e-6) / 10)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


def steady(previous, lo: float, hi: float, *, log: bool = False, fill: float = FILL) -> tuple[float, float]:
    """Limits for data spanning (lo, hi): the ``previous`` limits while they still hold the data and the data
    fills at least ``fill`` of them (in log space for a log axis), else new round ones: ``decades`` on a log
    axis; on a linear one ``round_out`` with a fifth of the span added on each side, so the data can grow a
    little before the limits must change. A view that uses this keeps its picture through small changes."""
    if previous is not None:
        a, b = previous
        inside = a <= lo and hi <= b
        if log:
            filled = math.log10(hi / lo) >= fill * math.log10(b / a)
        else:
            filled = hi - lo >= fill * (b - a)
        if inside and filled:
            return previous
    if log:
        return decades(lo, hi)
    room = (hi - lo) / 5
    return round_out(lo - room, hi + room)


def steady_up(previous, value: float, *, fill: float = FILL) -> float:
    """An axis from 0 to a round number (``round_up``) for data up to ``value``: the ``previous`` one while it
    still holds ``value`` and ``value`` fills at least ``fill`` of it (so 20 -> 21 -> 20 changes it once)."""
    if previous is not None and fill * previous <= value <= previous:
        return previous
    return round_up(value)
