"""Check a learner's own softmax / cross-entropy numbers step by step, and list every slip in order.

Steps, in order: logits (z = W x + b) -> exp -> sum -> probabilities -> loss (cross-entropy) -> mse.
A typed number is right when it equals the true value rounded to the decimals the learner typed
(or is within 0.2 % of it, for numbers carried through from earlier rounding). A wrong number that
follows correctly from the learner's own earlier numbers is marked as a follow-on, not a new mistake.
Classes are numbered from 0, as the code indexes them. Every sentence comes from ``text``.
"""
from __future__ import annotations

import html
import math
import re
from typing import NamedTuple

import numpy as np

from ..._validate import shown
from ...core.softmax import LOG_BASES
from ...i18n import get_language, speaking
from . import text

STEPS = ("logits", "exp", "sum", "probabilities", "loss", "mse")
LOG_NAMES = {"e": "ln", "2": "log2", "10": "log10"}
MAX_TEXT = 2000  # characters a typed answer may have


class StepCheck(NamedTuple):
    """One checked step: "right", "wrong" or "follows" (wrong, but follows from the learner's earlier numbers)."""

    step: str
    status: str
    expected: np.ndarray
    got: np.ndarray
    index: int | None = None  # the first wrong entry (a class index), for vector steps
    hint: str = ""
    wrong: tuple[int, ...] = ()  # every wrong entry (class indices), for vector steps


class HandCheck(NamedTuple):
    """Result of ``SoftmaxCalculator.check``: ``ok``, ``problems`` (every slip, in order) and a readable ``message``."""

    steps: tuple[StepCheck, ...] = ()
    language: str | None = None  # the language the check was made in (its hints are): the message speaks it too

    @property
    def ok(self) -> bool:
        return all(s.status == "right" for s in self.steps)

    @property
    def problems(self) -> tuple[StepCheck, ...]:
        """Every step that is not right, in the order of the calculation."""
        return tuple(s for s in self.steps if s.status != "right")

    @property
    def first_wrong(self) -> StepCheck | None:
        return next(iter(self.problems), None)

    def lines(self) -> list[str]:
        """The message as lines: a head line, then one numbered line per problem, then the steps that are right."""
        with speaking(self.language):
            return self._lines()

    def _lines(self) -> list[str]:
        if not self.steps:
            return [text.CHECK_NOTHING]
        right = [text.STEP_NAMES[s.step] for s in self.steps if s.status == "right"]
        if not self.problems:
            return [text.CHECK_ALL_RIGHT.format(steps=", ".join(right))]
        count = len(self.problems)
        lines = [text.CHECK_ONE_PROBLEM if count == 1 else text.CHECK_PROBLEMS.format(count=count)]
        lines += [_problem_line(number, s) for number, s in enumerate(self.problems, 1)]
        if right:
            lines.append(text.CHECK_RIGHT_TOO.format(steps=", ".join(right)))
        return lines

    @property
    def message(self) -> str:
        return "\n".join(self.lines())

    def _repr_html_(self):
        color = "#1b7f3b" if self.ok else "#d62728"
        head, *rest = [html.escape(line) for line in self.lines()]
        problems = [line.split(". ", 1)[1] for line in rest[:len(self.problems)]]
        items = "".join(f"<li>{line}</li>" for line in problems)
        body = f"<ol style='margin:4px 0'>{items}</ol>" if items else ""  # plain weight: a list, not a wall of bold
        tail = "".join(f"<div style='color:#1b7f3b'>{line}</div>" for line in rest[len(self.problems):])
        return f'<div><div style="color:{color};font-weight:600">{head}</div>{body}{tail}</div>'

    def __repr__(self):
        return f"HandCheck(ok={self.ok}, message={self.message!r})"


def _problem_line(number: int, s: StepCheck) -> str:
    name = text.STEP_NAMES[s.step]
    if s.wrong:
        entries = "; ".join(text.CHECK_ENTRY.format(k=k, got=_fmt(s.got[k]), expected=_fmt(s.expected[k]))
                            for k in s.wrong)
        line = text.CHECK_VECTOR_PROBLEM.format(number=number, step=name, entries=entries)
    else:
        line = text.CHECK_PROBLEM.format(number=number, step=name, got=_fmt(s.got[0]), expected=_fmt(s.expected[0]))
    return f"{line} {s.hint}".strip()


def parse_numbers(name: str, value) -> tuple[np.ndarray, list[int]]:
    """Numbers as typed: a number, a list, or a string like "2.25, 0.48"; also how many decimals each had."""
    refused = ValueError(text.CHECK_NOT_NUMBERS.format(name=name, value=shown(value)))
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ValueError(text.CHECK_TOO_LONG.format(name=name, most=MAX_TEXT, length=len(value)))
        tokens = [t for t in re.split(r"[,\s;]+", value.strip().strip("[]()")) if t]
    else:
        try:
            array = np.asarray(value)
        except (TypeError, ValueError):
            raise refused from None
        if array.dtype.kind not in "iuf" or array.size > MAX_TEXT:
            raise refused
        tokens = [repr(float(v)) for v in np.ravel(array)]
    try:
        numbers = np.array([float(t.replace("−", "-")) for t in tokens], dtype=float)
    except ValueError:
        raise refused from None
    if numbers.size == 0 or not np.all(np.isfinite(numbers)):
        raise ValueError(text.CHECK_NOT_FINITE.format(name=name, value=shown(value)))
    return numbers, [_decimals(t) for t in tokens]


def _decimals(token: str) -> int:
    token = token.lower().replace("−", "-")
    if "e" in token:
        return 12
    return len(token.split(".")[1]) if "." in token else 0


def _close(got, expected, decimals) -> np.ndarray:
    tolerance = np.maximum(0.5 * 10.0 ** -np.asarray(decimals, float) + 1e-12, 2e-3 * np.abs(expected))
    return np.abs(got - expected) <= tolerance


def check_steps(truth: dict, given: dict, target: int, base: str, language: str | None = None) -> HandCheck:
    """Compare the learner's ``given`` numbers with ``truth`` (float64 values of every step), in ``language``
    (default: the language in force)."""
    with speaking(language):
        return _check_steps(truth, given, target, base, get_language())


def _check_steps(truth: dict, given: dict, target: int, base: str, language: str) -> HandCheck:
    steps: list[StepCheck] = []
    mine = {}  # what the learner's own earlier numbers imply for each later step
    scale = LOG_BASES[base]
    for step in STEPS:
        if given.get(step) is None:
            continue
        got, decimals = parse_numbers(step, given[step])
        expected = np.atleast_1d(np.asarray(truth[step], dtype=float))
        if got.shape != expected.shape:
            raise ValueError(text.CHECK_COUNT.format(name=step, count=expected.size, got=got.size,
                                                     value=shown(given[step])))
        ok = _close(got, expected, decimals)
        implied = mine.get(step)
        if ok.all():
            status = "right"
        elif implied is not None and np.all(np.abs(got - implied) <= np.maximum(
                0.5 * 10.0 ** -np.asarray(decimals, float), 1e-2 * np.abs(implied))):
            status = "follows"  # carried-through rounding compounds, hence 1 % here
        else:
            status = "wrong"
        wrong = () if expected.size == 1 or ok.all() else tuple(int(k) for k in np.flatnonzero(~ok))
        index = wrong[0] if wrong else None
        earlier_slip = any(c.status != "right" for c in steps)
        hint = "" if status == "right" else _hint(step, got, truth, target, scale, index, status, mine, earlier_slip)
        steps.append(StepCheck(step, status, expected, got, index, hint, wrong))
        with np.errstate(all="ignore"):  # a learner's overflowing or zero-sum numbers imply inf / nan, not an error
            _carry_forward(step, got, mine, target, scale)
    return HandCheck(tuple(steps), language)


def _carry_forward(step, got, mine, target, scale):
    """Record what the learner's own numbers imply for the later steps."""
    p = None
    if step == "logits":
        mine["exp"] = np.exp(got)
        mine["sum"] = mine["exp"].sum()
        p = mine["exp"] / mine["sum"]
    elif step == "exp":
        mine["typed_exp"], mine["sum"] = got, got.sum()
        p = got / got.sum()
    elif step == "sum" and "typed_exp" in mine:
        p = mine["typed_exp"] / got[0]
    elif step == "probabilities":
        p = got
    if p is not None:
        mine["probabilities"] = p
        mine["loss"] = -math.log(p[target]) / scale if p[target] > 0 else math.inf
        error = p.astype(float)
        error[target] -= 1.0
        mine["mse"] = float(np.mean(error ** 2))


def _hint(step, got, truth, target, scale, index, status, mine, earlier_slip) -> str:
    if status == "follows":
        return text.HINT_FOLLOWS_SLIP if earlier_slip else text.HINT_FOLLOWS_ROUNDING
    z, p = np.asarray(truth["logits"], float), np.asarray(truth["probabilities"], float)
    if step == "logits":
        return text.HINT_LOGITS.format(k=index)
    if step == "exp":
        with np.errstate(over="ignore"):
            power = float(np.exp(np.float64(z[index])))
        return text.HINT_EXP.format(z=f"{z[index]:.6g}", power=f"{power:.6g}")
    if step == "sum":
        if abs(got[0] - z.sum()) < 1e-3 * max(1, abs(z.sum())):
            return text.HINT_SUM_OF_LOGITS
        return text.HINT_SUM
    if step == "probabilities":
        if z.sum() != 0 and np.allclose(got, z / z.sum(), atol=5e-3):
            return text.HINT_Z_OVER_SUM
        if abs(got.sum() - 1) > 0.02:
            return text.HINT_P_TOTAL.format(total=f"{got.sum():.4g}")
        return text.HINT_P
    if step == "loss":
        return _loss_hint(got[0], truth, p, target, scale, mine)
    if step == "mse":
        return _mse_hint(got[0], truth["mse"], p.size)
    return ""


def _loss_hint(got, truth, p, target, scale, mine) -> str:
    used = next(LOG_NAMES[b] for b, s in LOG_BASES.items() if s == scale)
    candidates = [("", p)] + ([(text.HINT_OF_YOUR_P, mine["probabilities"])] if "probabilities" in mine else [])
    for whose, probs in candidates:
        for name, s in ((LOG_NAMES[b], s) for b, s in LOG_BASES.items()):
            value = -math.log(probs[target]) / s if probs[target] > 0 else math.inf
            if s != scale and abs(got - value) < 2e-3 * max(1, got):
                return text.HINT_LOG_BASE.format(name=name, p=f"{probs[target]:.6g}", whose=whose, used=used,
                                                 p_true=f"{p[target]:.6g}", loss=f"{truth['loss']:.6g}")
    if p[target] > 0 and abs(got - math.log(p[target]) / scale) < 1e-3 * max(1, abs(got)):
        return text.HINT_SIGN
    for k in range(p.size):
        if k != target and p[k] > 0 and abs(got - (-math.log(p[k]) / scale)) < 1e-3 * max(1, got):
            return text.HINT_OTHER_CLASS.format(used=k, target=target)
    return text.HINT_LOSS.format(target=target)


def _mse_hint(got, mse, classes) -> str:
    """Name the other MSE definitions the course uses when the learner's number is one of them."""
    others = ((text.HINT_MSE_SUM, mse * classes), (text.HINT_MSE_HALF_SUM, 0.5 * mse * classes),
              (text.HINT_MSE_HALF_MEAN, 0.5 * mse))
    for hint, value in others:
        if classes == 2 and hint == text.HINT_MSE_HALF_SUM:
            continue  # ½·sum over 2 classes is the mean itself
        if abs(got - value) < 2e-3 * max(abs(value), 1e-9) + 5e-7:
            return hint
    return text.HINT_MSE


def _fmt(value) -> str:
    return f"{float(value):.6g}"
