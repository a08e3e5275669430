"""Check a learner's own softmax / cross-entropy numbers step by step, and say where a slip happened.

Steps, in order: logits (H = W x + b) -> exp -> sum -> probabilities -> loss (cross-entropy) -> mse.
A typed number is right when it equals the true value rounded to the decimals the learner typed
(or is within 0.2 % of it, for numbers carried through from earlier rounding). A wrong number that
follows correctly from the learner's own earlier numbers is marked as a follow-on, not a new mistake.
"""
from __future__ import annotations

import html
import math
import re
from typing import NamedTuple

import numpy as np

from .._validate import shown
from .softmax import LOG_BASES

STEPS = ("logits", "exp", "sum", "probabilities", "loss", "mse")
LOG_NAMES = {"e": "ln", "2": "log2", "10": "log10"}
STEP_NAMES = {"logits": "z = W x + b", "exp": "e^z", "sum": "Σ e^z", "probabilities": "p = e^z / Σ e^z",
              "loss": "cross-entropy −log p_target", "mse": "MSE (mean over classes)"}


MAX_TEXT = 2000  # characters a typed answer may have


class StepCheck(NamedTuple):
    """One checked step: "right", "wrong" or "follows" (wrong, but follows from the learner's earlier numbers)."""

    step: str
    status: str
    expected: np.ndarray
    got: np.ndarray
    index: int | None = None  # the first wrong entry, for vector steps
    hint: str = ""


class HandCheck(NamedTuple):
    """Result of ``SoftmaxCalculator.check``: ``ok``, ``first_wrong`` and a readable ``message``."""

    steps: tuple[StepCheck, ...] = ()

    @property
    def ok(self) -> bool:
        return all(s.status == "right" for s in self.steps)

    @property
    def first_wrong(self) -> StepCheck | None:
        return next((s for s in self.steps if s.status != "right"), None)

    @property
    def message(self) -> str:
        if not self.steps:
            return "Nothing to check: type some of your numbers (exp, sum, probabilities, loss)."
        first = self.first_wrong
        if first is None:
            return "All your numbers are right: " + ", ".join(STEP_NAMES[s.step] for s in self.steps) + "."
        where = f" (entry {first.index + 1})" if first.index is not None else ""
        text = (f"First slip at step '{STEP_NAMES[first.step]}'{where}: you have {_fmt(first.got, first.index)}, "
                f"the right value is {_fmt(first.expected, first.index)}. {first.hint}").strip()
        later = [s for s in self.steps if s is not first and s.status != "right"]
        follows = [STEP_NAMES[s.step] for s in later if s.status == "follows"]
        if follows:
            text += f" Your {', '.join(follows)} follow correctly from your own earlier (rounded) numbers."
        for s in later:
            if s.status == "wrong":
                text += f" Also '{STEP_NAMES[s.step]}': {s.hint or 'recompute it from the right values.'}"
        return text

    def _repr_html_(self):
        color = "#1b7f3b" if self.ok else "#d62728"
        return f'<div style="color:{color};font-weight:600">{html.escape(self.message)}</div>'

    def __repr__(self):
        return f"HandCheck(ok={self.ok}, message={self.message!r})"


def parse_numbers(name: str, value) -> tuple[np.ndarray, list[int]]:
    """Numbers as typed: a number, a list, or a string like "2.25, 0.48"; also how many decimals each had."""
    refused = ValueError(f"{name} must be numbers (e.g. '2.25, 0.48'), got {shown(value)}")
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ValueError(f"{name} must be at most {MAX_TEXT} characters, got {len(value)}")
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
        raise ValueError(f"{name} must be finite numbers, got {shown(value)}")
    return numbers, [_decimals(t) for t in tokens]


def _decimals(token: str) -> int:
    token = token.lower().replace("−", "-")
    if "e" in token:
        return 12
    return len(token.split(".")[1]) if "." in token else 0


def _close(got, expected, decimals) -> np.ndarray:
    tolerance = np.maximum(0.5 * 10.0 ** -np.asarray(decimals, float) + 1e-12, 2e-3 * np.abs(expected))
    return np.abs(got - expected) <= tolerance


def check_steps(truth: dict, given: dict, target: int, base: str) -> HandCheck:
    """Compare the learner's ``given`` numbers with ``truth`` (float64 values of every step)."""
    steps: list[StepCheck] = []
    mine = {}  # what the learner's own earlier numbers imply for each later step
    scale = LOG_BASES[base]
    for step in STEPS:
        if given.get(step) is None:
            continue
        got, decimals = parse_numbers(step, given[step])
        expected = np.atleast_1d(np.asarray(truth[step], dtype=float))
        if got.shape != expected.shape:
            raise ValueError(f"{step} must have {expected.size} number(s), got {got.size}: {shown(given[step])}")
        ok = _close(got, expected, decimals)
        implied = mine.get(step)
        if ok.all():
            status = "right"
        elif implied is not None and np.all(np.abs(got - implied) <= np.maximum(
                0.5 * 10.0 ** -np.asarray(decimals, float), 1e-2 * np.abs(implied))):
            status = "follows"  # carried-through rounding compounds, hence 1 % here
        else:
            status = "wrong"
        index = None if expected.size == 1 or ok.all() else int(np.flatnonzero(~ok)[0])
        earlier_slip = any(c.status != "right" for c in steps)
        hint = "" if status == "right" else _hint(step, got, truth, target, scale, index, status, mine, earlier_slip)
        steps.append(StepCheck(step, status, expected, got, index, hint))
        with np.errstate(all="ignore"):  # a learner's overflowing or zero-sum numbers imply inf / nan, not an error
            _carry_forward(step, got, mine, target, scale)
    return HandCheck(tuple(steps))


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
    if status == "follows" and earlier_slip:
        return "It follows from your earlier numbers, so fix the first slip and this one fixes itself."
    if status == "follows":
        return ("It follows from your rounded earlier numbers: carry more decimals through the steps "
                "and it comes out right.")
    z, p = np.asarray(truth["logits"], float), np.asarray(truth["probabilities"], float)
    if step == "logits":
        return f"Recompute row {index + 1}: w_{index + 1}·x + b_{index + 1}."
    if step == "exp":
        with np.errstate(over="ignore"):
            power = float(np.exp(np.float64(z[index])))
        return (f"e^{z[index]:.6g} = {power:.6g}: use the exponential (e^z, not 10^z or z²); "
                "every later step builds on it.")
    if step == "sum":
        if abs(got[0] - z.sum()) < 1e-3 * max(1, abs(z.sum())):
            return "That is the sum of the logits; softmax adds their exponentials e^z."
        return "Add the exponentials e^z of all classes."
    if step == "probabilities":
        if z.sum() != 0 and np.allclose(got, z / z.sum(), atol=5e-3):
            return ("You divided z by its sum. Softmax exponentiates first: z / Σz breaks for negative or "
                    "zero-sum logits, while e^z is always positive.")
        if abs(got.sum() - 1) > 0.02:
            return f"Your probabilities add up to {got.sum():.4g}; softmax outputs always add up to 1."
        return "Divide each e^z by the sum of all of them."
    if step == "loss":
        used = next(LOG_NAMES[b] for b, s in LOG_BASES.items() if s == scale)
        candidates = [("", p)] + ([(" of your p", mine["probabilities"])] if "probabilities" in mine else [])
        for whose, probs in candidates:
            for name, s in ((LOG_NAMES[b], s) for b, s in LOG_BASES.items()):
                value = -math.log(probs[target]) / s if probs[target] > 0 else math.inf
                if s != scale and abs(got[0] - value) < 2e-3 * max(1, got[0]):
                    return (f"That is −{name}({probs[target]:.6g}){whose}; this loss uses {used} (every framework "
                            f"uses the natural log): −{used}({p[target]:.6g}) = {truth['loss']:.6g}.")
        if p[target] > 0 and abs(got[0] - math.log(p[target]) / scale) < 1e-3 * max(1, abs(got[0])):
            return "The sign: the loss is −log p, a positive number."
        for k in range(p.size):
            if k != target and p[k] > 0 and abs(got[0] - (-math.log(p[k]) / scale)) < 1e-3 * max(1, got[0]):
                return (f"You used p of class {k + 1}; the loss takes the target class's probability "
                        f"(class {target + 1}).")
        return f"The loss is −log p of the target class (class {target + 1})."
    if step == "mse":
        if abs(got[0] - truth["mse"] * p.size) < 1e-3 * max(1, got[0]):
            return "That is the sum of squared errors; the seeds' MSE is the mean over classes."
        return "Average (p_i − y_i)² over the classes."
    return ""


def _fmt(values, index) -> str:
    values = np.atleast_1d(values)
    if index is not None:
        return f"{values[index]:.6g}"
    return f"{values[0]:.6g}" if values.size == 1 else "(" + ", ".join(f"{v:.6g}" for v in values) + ")"
