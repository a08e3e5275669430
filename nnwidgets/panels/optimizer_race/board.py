"""The race's leaderboard as a compact aligned table, and the racers' colours.

Every cell stays on one line (``white-space: nowrap``) and numbers have 4 significant digits, so the table
fits the notebook's default width: names sit next to their colour dots, points never wrap.
"""
from __future__ import annotations

import html

import numpy as np

from ...core.optim import effective_lr, kind_of
from . import text
from .state import is_transformation

COLORS = {"sgd": "#4e79a7", "momentum": "#f28e2b", "nesterov": "#e15759", "adagrad": "#76b7b2",
          "rmsprop": "#59a14f", "adam": "#b07aa1", None: "#9c755f"}
CELL = "padding:2px 10px;white-space:nowrap;"
NUMBER = CELL + "text-align:right;font-family:monospace;font-size:12px"
NAME = CELL + "text-align:left"
BAD_ROW = "#fde2e2"


def color(key: str) -> str:
    return COLORS[kind_of(key)]


def short(value: float) -> str:
    """4 significant digits, a real minus sign, float noise below 5e-7 shown as 0."""
    value = float(value)
    if abs(value) < 5e-7:
        value = 0.0
    return f"{value:.4g}".replace("-", "−")


def short_pair(values) -> str:
    return f"({short(values[0])}, {short(values[1])})"


def swatch(key: str) -> str:
    return f"<span style='color:{color(key)};font-size:15px'>●</span>&nbsp;{html.escape(key)}"


def inner_state(state, key: str) -> str:
    """The optimizer's state after ``state.step`` updates, as the rules name it ("" for SGD and optax)."""
    kind = kind_of(key)
    if is_transformation(state.optimizers[key]) or kind == "sgd":
        return ""
    s = state.state_at(key, state.step)
    if kind in ("momentum", "nesterov"):
        return text.VELOCITY.format(b=short_pair(s.velocity))
    if kind in ("adagrad", "rmsprop"):
        return text.ACCUMULATOR[kind].format(h=short_pair(s.accumulator), lr=short_pair(np.asarray(effective_lr(s))))
    return text.ADAM_MOMENTS.format(m=short_pair(s.m), v=short_pair(s.v))


def leaderboard_html(state) -> str:
    """One row per shown racer, best first: name, loss now, x, y, finishing step (or divergence), inner state."""
    header = [h.format(step=state.step, tol=state.tol) for h in text.BOARD_HEADER]
    head = "".join(f"<th style='{NAME if i in (0, 5) else NUMBER.replace('monospace', 'inherit')}'>{html.escape(h)}"
                   "</th>" for i, h in enumerate(header))
    body = []
    for row in state.leaderboard():
        key = row["name"]
        if row["diverged"] is not None:
            status = text.DIVERGED_AT.format(step=row["diverged"])
        else:
            status = text.NOT_FINISHED if row["finished"] is None else str(row["finished"])
        cells = [f"<td style='{NAME}'>{swatch(key)}</td>"]
        cells += [f"<td style='{NUMBER}'>{value}</td>" for value in (
            short(row["loss"]), short(row["point"][0]), short(row["point"][1]), status)]
        cells.append(f"<td style='{NAME};font-family:monospace;font-size:12px'>"
                     f"{html.escape(inner_state(state, key))}</td>")
        background = BAD_ROW if row["diverged"] is not None else "transparent"
        body.append(f"<tr style='background:{background}'>{''.join(cells)}</tr>")
    return (f"<table class='nnw-race-table' style='border-collapse:collapse'><tr>{head}</tr>{''.join(body)}"
            "</table>")
