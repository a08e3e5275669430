"""The seed-style table and the summary lines of the softmax calculator, as HTML built from ``text``."""
from __future__ import annotations

import html

import numpy as np

from .._controls import WRONG, number, table_html
from . import text
from .state import LINEAR_TAB, SoftmaxState


def cell(value) -> str:
    """A table cell; overflow (inf) and nan are marked in red."""
    if np.isfinite(value):
        return number(float(value))
    return f"<span style='color:{WRONG};font-weight:700'>{'nan' if np.isnan(value) else 'inf'} ⚠</span>"


def table(state: SoftmaxState) -> str:
    r, t, log = state.report(), state.temperature, text.LOG_BUTTONS[state.log_base]
    header = [text.COL_CLASS, text.COL_Z_LINEAR if state.tab == LINEAR_TAB else text.COL_Z]
    header += ([text.COL_Z_OVER_T] if t != 1 else []) + [text.COL_EXP if t == 1 else text.COL_EXP_T, text.COL_P,
                                                          text.COL_Y, text.COL_SURPRISAL.format(log=log), text.COL_GRAD]
    if state.show_naive:
        header += [text.COL_SHIFTED, text.COL_NAIVE]
    before = state.baseline
    if before is not None:
        header += [text.COL_BEFORE]
    rows = []
    for i, name in enumerate(state.class_names):
        row = [html.escape(name), number(r.logits[i])] + ([number(r.logits[i] / t)] if t != 1 else [])
        row += [cell(r.exp[i]), number(r.probabilities[i]), int(r.y[i]), cell(r.minus_log_p[i]),
                number(r.grad_logits[i])]
        if state.show_naive:
            row += [number(r.shifted_exp[i]), cell(r.naive_p[i])]
        if before is not None:
            row += [number(before.probabilities[i]) if i < len(before.probabilities) else ""]
        rows.append(row)
    return table_html(header, rows, "nnw-table", bad_rows=[state.target], highlight="#e3edf7")  # the target row


def summary(state: SoftmaxState) -> str:
    r, log, base = state.report(), text.LOG_BUTTONS[state.log_base], state.log_base
    target = html.escape(state.class_names[state.target])
    lines = [text.SUM.format(sum=cell(r.sum)), text.LOSS.format(log=log, target=target, loss=number(r.loss))]
    if base != "e":
        lines[-1] += text.LOSS_LN.format(loss_ln=number(r.loss_ln), log=log, base=base)
    lines.append(text.MSE.format(mse=number(r.mse)))
    scaled = base != "e" or state.temperature != 1
    lines.append(text.GRAD.format(scale=text.GRAD_SCALE.format(base=base) if scaled else ""))
    binary = state.binary_view()
    if binary is not None:
        lines.append(text.BINARY.format(p=number(binary.p), name=html.escape(state.class_names[1]),
                                        bce=number(binary.bce)))
    if state.classes == 1:
        lines.append(text.ONE_CLASS)
    if not np.all(np.isfinite(r.exp)):
        lines.append(text.OVERFLOW.format(color=WRONG))
    b = state.baseline
    if b is not None:
        lines.append(text.AFTER_NUDGE.format(parameter=b.parameter, sign="+" if b.delta >= 0 else "−",
                                             delta=number(abs(b.delta)), before=number(b.loss), after=number(r.loss)))
    return "<br>".join(lines)
