"""Checks for conv output sizes and perceptron weights (softmax and cross-entropy: ``_probability``)."""
from __future__ import annotations

import inspect
import math
import numbers

import numpy as np

from nnwidgets.i18n import _

from ._harness import DEFAULT_TIMEOUT, Failure, call, fixed_rng, scalar, seeded_rng

GATES = {"AND": (0, 0, 0, 1), "OR": (0, 1, 1, 1), "NAND": (1, 1, 1, 0), "NOR": (1, 0, 0, 0), "XOR": (0, 1, 1, 0)}
INPUTS = ((0, 0), (0, 1), (1, 0), (1, 1))


def conv_size_ref(n, k, s, p, d=1):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def _random_conv_case(rng, dilation):
    k = int(rng.integers(1, 8))
    p = int(rng.integers(0, 4))
    d = int(rng.integers(1, 4)) if dilation else 1
    n = int(rng.integers(max(1, d * (k - 1) + 1 - 2 * p), 64))
    return n, k, int(rng.integers(1, 5)), p, d


def conv_cases(dilation: bool = False, seed: int | None = None):
    cases = [(7, 3, 1, 0), (7, 3, 2, 0), (5, 3, 1, 1), (28, 3, 1, 1), (32, 5, 1, 0), (4, 2, 2, 0), (5, 2, 2, 0),
             (8, 3, 2, 0), (8, 3, 2, 1), (1, 1, 1, 0)]
    cases = [(*c, 1) for c in cases]
    if dilation:
        cases += [(7, 3, 1, 0, 2), (10, 3, 1, 2, 2), (9, 3, 2, 0, 3), (28, 3, 1, 2, 2), (6, 2, 1, 0, 5)]
    rng = fixed_rng("conv")
    while len(cases) < (25 if dilation else 20):
        cases.append(_random_conv_case(rng, dilation))
    extra = seeded_rng(seed)
    cases += [_random_conv_case(extra, dilation) for _ in range(10 if extra else 0)]
    return cases


def _takes_dilation(fn) -> bool:
    try:
        return len(inspect.signature(fn).parameters) >= 5
    except (TypeError, ValueError):
        return False


def check_conv_output_size(fn, *, dilation: bool | None = None, seed: int | None = None,
                           timeout: float = DEFAULT_TIMEOUT) -> None:
    """``fn(n, kernel_size, stride, padding)`` must return floor((n + 2·padding − kernel_size) / stride) + 1.

    With dilation (``fn(n, kernel_size, stride, padding, dilation)``, tried when ``fn`` takes five arguments
    or ``dilation=True``): floor((n + 2·padding − dilation·(kernel_size − 1) − 1) / stride) + 1.
    """
    dilated = _takes_dilation(fn) if dilation is None else bool(dilation)
    cases = conv_cases(dilated, seed)
    fail = Failure("check_conv_output_size", len(cases))
    signature = "fn(n, kernel_size, stride, padding" + (", dilation)" if dilated else ")")
    for k, (n, kernel, stride, pad, dil) in enumerate(cases, start=1):
        inputs = f"n = {n}, kernel_size = {kernel}, stride = {stride}, padding = {pad}" + \
            (f", dilation = {dil}" if dilated else "")
        args = (n, kernel, stride, pad, dil) if dilated else (n, kernel, stride, pad)
        result = call(fail, k, inputs, fn, *args, timeout=timeout, signature=signature)
        expected = conv_size_ref(n, kernel, stride, pad, dil)
        if isinstance(result, (bool, np.bool_)):
            fail(k, inputs, expected, repr(result), _("return the size as a whole number, not True/False"))
        got = scalar(fail, k, inputs, result, what=_("the output size"))
        if got != expected:
            fail(k, inputs, expected, got, _conv_hint(n, kernel, stride, pad, dil, got))
        if not isinstance(result, numbers.Integral) and not float(got).is_integer():
            fail(k, inputs, expected, got, _("the output size must be a whole number"))
    fail.done()


def _conv_hint(n, k, s, p, d, got):
    span = d * (k - 1) + 1
    if not float(got).is_integer():
        return _("sizes are whole numbers: floor((n + 2p − k) / s) + 1 (use // for the division)")
    if d > 1 and got == (n + 2 * p - k) // s + 1:
        return _("a dilated kernel spans dilation·(kernel_size − 1) + 1 = {span} inputs, not {k}").format(span=span,
                                                                                                         k=k)
    if got == (n + p - span) // s + 1:
        return _("padding is added on both sides: n + 2·padding")
    if got == (n + 2 * p - span) // s:
        return _("you forgot the + 1 (the window's first position)")
    if got == -((n + 2 * p - span) // -s) + 1:
        return _("round down (floor), not up: a window that does not fit is not used")
    if got == (n - span) // s + 1:
        return _("include the padding: n + 2·padding")
    if d > 1:
        return _("output size = floor((n + 2·padding − kernel_size) / stride) + 1, with kernel_size replaced by "
                 "dilation·(kernel_size − 1) + 1")
    return _("output size = floor((n + 2·padding − kernel_size) / stride) + 1")


def check_perceptron(gate: str, w1, w2, b, *, seed: int | None = None) -> None:
    """The perceptron y = 1 if w1·x1 + w2·x2 + b > 0 else 0 must compute ``gate`` ("AND", "OR", "NAND", "NOR").

    The four inputs are the whole truth table, so ``seed`` adds no cases (it is accepted like every check's).
    """
    key = str(gate).upper()
    if key not in GATES:
        raise AssertionError(_("{check}: gate must be one of {allowed}, got {value!r}").format(
            check="check_perceptron", allowed=", ".join(GATES), value=gate))
    fail = Failure("check_perceptron", 4)
    weights = f"w1 = {w1!r}, w2 = {w2!r}, b = {b!r}"
    values = [scalar(fail, 1, weights, v, what=name) for v, name in ((w1, "w1"), (w2, "w2"), (b, "b"))]
    if not all(map(math.isfinite, values)):
        fail(1, weights, hint=_("weights must be finite numbers"))
    if key == "XOR":
        raise AssertionError(_("check_perceptron: no single perceptron computes XOR, whatever its weights: no "
                               "straight line separates (0, 1) and (1, 0) from (0, 0) and (1, 1). Build XOR from "
                               "NAND, OR and AND"))
    a, c, bias = values
    for k, ((x1, x2), target) in enumerate(zip(INPUTS, GATES[key]), start=1):
        z = a * x1 + c * x2 + bias
        y = 1 if z > 0 else 0
        if y != target:
            hint = _("z = 0 gives y = 0: y = 1 only when z > 0") if z == 0 else \
                _("{gate} of ({x1}, {x2}) is {target}, so z must be {sign}").format(
                    gate=key, x1=x1, x2=x2, target=target, sign="> 0" if target else "≤ 0")
            fail(k, f"{weights}; x = ({x1}, {x2}): z = {a:g}·{x1} + {c:g}·{x2} + {bias:g} = {z:g}", target, y, hint)


def check_logic_function(gate: str, fn, *, seed: int | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
    """``fn(x1, x2)`` must return ``gate``'s truth table (0 or 1) on all four inputs, e.g. XOR built from gates.

    The book's ch02 gates (``AND(x1, x2)`` with NumPy weights) are this form. ``seed`` adds no cases: the four
    inputs are the whole truth table.
    """
    key = str(gate).upper()
    if key not in GATES:
        raise AssertionError(_("{check}: gate must be one of {allowed}, got {value!r}").format(
            check="check_logic_function", allowed=", ".join(GATES), value=gate))
    fail = Failure(f"check_logic_function({key})", 4)
    for k, ((x1, x2), target) in enumerate(zip(INPUTS, GATES[key]), start=1):
        inputs = f"x1 = {x1}, x2 = {x2}"
        got = scalar(fail, k, inputs, call(fail, k, inputs, fn, x1, x2, timeout=timeout, signature="fn(x1, x2)"),
                     what=_("the output"))
        if got != target:
            fail(k, inputs, target, got, f"{key}({x1}, {x2}) = {target}")
    fail.done()
