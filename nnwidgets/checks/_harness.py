"""How a check calls student code: a time limit, exceptions and in-place changes reported, answers turned
into plain float64 arrays (so no object can fool a comparison), and one message format for every failure."""
from __future__ import annotations

import contextlib
import copy
import inspect
import signal
import threading
import warnings

import numpy as np

from nnwidgets.i18n import N_, _, translated

#: Seconds each call into student code may take before the check fails it (override with ``timeout=``).
DEFAULT_TIMEOUT = 10.0

#: The labels of a failure's lines that show the case (the grader leaves these lines out of a student's feedback).
CASE_LABELS = (N_("input:"), N_("expected:"), N_("got:"))


class CheckNote(UserWarning):
    """A passed check's remark (a changed input, a recognised variant): shown as a warning, never a failure."""


class _TimeUp(BaseException):
    """Raised inside student code when its time is up (BaseException: a bare ``except Exception`` cannot swallow it)."""


def fixed_rng(name: str):
    """The fixed cases' generator per check: the same for every student."""
    return np.random.default_rng(sum(map(ord, name)) * 7919)


def seeded_rng(seed: int | None):
    """Extra random cases on top of the fixed ones when ``seed`` is given (the grader passes a secret one)."""
    return None if seed is None else np.random.default_rng(seed)


def show(value) -> str:
    """A value as a student would write it: numbers with 6 significant digits."""
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        return repr(value)
    if array.ndim == 0:
        return f"{float(array) + 0.0:.6g}"  # + 0.0 turns −0 into 0
    return np.array2string(array, separator=", ", max_line_width=100,
                           formatter={"float_kind": lambda v: f"{v + 0.0:.6g}"})


class Failure:
    """One check's report: builds the AssertionError a student sees (check name, failing case, expected, got,
    hint) and collects notes that a passing check shows as one ``CheckNote`` warning (``done()``)."""

    def __init__(self, check: str, total: int):
        self.check, self.total, self.notes = check, total, []

    def __call__(self, case: int, inputs: str, expected=None, got=None, hint: str | None = None, what: str = ""):
        head = _("{check}: case {case} of {total} failed").format(check=self.check, case=case, total=self.total)
        labels = [str(label) for label in translated(CASE_LABELS)]
        lines = [head + (f" ({what})" if what else ""), f"  {labels[0]:<10}{inputs}"]
        if expected is not None:
            lines.append(f"  {labels[1]:<10}{expected if isinstance(expected, str) else show(expected)}")
        if got is not None:
            lines.append(f"  {labels[2]:<10}{got if isinstance(got, str) else show(got)}")
        if hint:
            lines.append("  " + _("hint: {hint}").format(hint=hint))
        raise AssertionError("\n".join(lines))

    def timed_out(self, case: int, inputs: str, timeout: float):
        self(case, inputs, hint=_("your code ran for more than {timeout:g} s (an endless loop?); the time limit is "
                                  "the check's timeout argument").format(timeout=timeout))

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def done(self) -> None:
        if self.notes:
            warnings.warn(CheckNote(_("{check} passed; note: {notes}").format(check=self.check,
                                                                               notes="; ".join(self.notes))),
                          stacklevel=3)


class ProbeTimeout(AssertionError):
    """A probe's timeout: the check's verdict, not a reason to try the next form."""


class Probe(Failure):
    """A trial call that finds which input form the student's code takes: its failures are quiet (the caller
    tries the next form), except a timeout, which fails the check at once instead of once per form tried."""

    def timed_out(self, case: int, inputs: str, timeout: float):
        raise ProbeTimeout(_("{check}: your code ran for more than {timeout:g} s (an endless loop?) on its first "
                             "case; the time limit is the check's timeout argument").format(check=self.check,
                                                                                             timeout=timeout))


def probe(check: str, fn, *args, timeout: float):
    """``fn(*args)`` as a float64 array, or None when it raises or answers something that is not numbers."""
    trial = Probe(check, 1)
    try:
        return as_floats(trial, 1, "", call(trial, 1, "", fn, *args, timeout=timeout))
    except ProbeTimeout:
        raise
    except AssertionError:
        return None


@contextlib.contextmanager
def _alarm(seconds: float):
    """SIGALRM-based limit (main thread on Unix): interrupts even a pure-Python endless loop."""
    def handler(signum, frame):
        raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _in_thread(fn, args, seconds):
    """Elsewhere: run in a daemon thread and stop waiting after ``seconds`` (the thread cannot be killed)."""
    box = {}

    def target():
        try:
            box["value"] = fn(*args)
        except BaseException as err:  # noqa: BLE001 - reported to the student below
            box["error"] = err

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise _TimeUp()
    if "error" in box:
        raise box["error"]
    return box["value"]


def _binding_error(fn, args) -> TypeError | None:
    """The TypeError ``fn(*args)`` would raise for its arguments alone (None when they fit or it cannot be told)."""
    try:
        parameters = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    try:
        parameters.bind(*args)
    except TypeError as err:
        return err
    return None


def _wrong_signature() -> str:
    return _("the check calls your code as {call}, and it does not accept that ({error}); change your def line to "
             "take exactly these arguments")


def call(fail: Failure, case: int, inputs: str, fn, *args, timeout: float = DEFAULT_TIMEOUT, names=None,
         allow_inplace: bool = True, signature: str | None = None):
    """``fn(*copies of args)``: the result, or a failure naming a timeout, an exception, a wrong signature or
    (with ``allow_inplace=False``) a changed input; with ``allow_inplace=True`` a changed input becomes a note."""
    expected_call = signature or _("a function of {count} argument(s)").format(count=len(args))
    mismatch = _binding_error(fn, args)
    if mismatch is not None:
        fail(case, inputs, hint=_wrong_signature().format(call=expected_call, error=mismatch))
    copies = copy.deepcopy(args)
    try:  # warnings (overflow in exp ...) are not the verdict: wrong numbers are caught by the comparison
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
                with _alarm(timeout):
                    result = fn(*copies)
            else:
                result = _in_thread(fn, copies, timeout)
    except _TimeUp:
        fail.timed_out(case, inputs, timeout)
    except (KeyboardInterrupt, SystemExit):
        raise
    except TypeError as err:
        if err.__traceback__ is not None and err.__traceback__.tb_next is None and "argument" in str(err):
            fail(case, inputs, hint=_wrong_signature().format(call=expected_call, error=err))
        fail(case, inputs, hint=_("your code raised {error}").format(error=f"TypeError: {err}"))
    except BaseException as err:  # noqa: BLE001 - anything the student's code raises is reported, not re-raised
        fail(case, inputs, hint=_("your code raised {error}").format(error=f"{type(err).__name__}: {err}"))
    for i, (before, after) in enumerate(zip(args, copies)):
        if isinstance(before, np.ndarray) and not (before.shape == np.shape(after)
                                                   and np.array_equal(before, after, equal_nan=True)):
            name = names[i] if names else _("argument {number}").format(number=i + 1)
            if allow_inplace:
                fail.note(_("your code changes its input {name} in place (allowed here: the check passes copies; "
                            "a caller that reuses {name} would see the change)").format(name=name))
            else:
                fail(case, inputs, hint=_("your code changed its input {name} in place: work on a copy "
                                          "(e.g. {name} = {name}.copy()) or build a new array").format(name=name))
    return result


def as_floats(fail: Failure, case: int, inputs: str, value, shape=None, what=None):
    """``value`` as a plain float64 ndarray (never a subclass, never trusted to compare itself)."""
    what = what or _("your result")
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        fail(case, inputs, got=repr(value), hint=_("{what} must be numbers, got {type}").format(
            what=what, type=type(value).__name__))
    try:
        array = np.array(value, dtype=np.float64)
    except Exception as err:  # noqa: BLE001 - any object that does not convert is not an answer
        fail(case, inputs, got=repr(value)[:200], hint=_(
            "{what} must be numbers (a float or an array of floats); it could not be converted: {error}").format(
            what=what, error=f"{type(err).__name__}: {err}"))
    if shape is not None and array.shape != tuple(shape):
        fail(case, inputs, expected=_("shape {shape}").format(shape=tuple(shape)),
             got=_("shape {shape}").format(shape=array.shape), hint=_("{what} has the wrong shape").format(what=what))
    return array


def scalar(fail: Failure, case: int, inputs: str, value, what=None) -> float:
    what = what or _("your result")
    array = as_floats(fail, case, inputs, value, what=what)
    if array.size != 1:
        fail(case, inputs, got=show(array), hint=_("{what} must be one number, got shape {shape}").format(
            what=what, shape=array.shape))
    return float(array.reshape(()))


def close(got: np.ndarray, expected, rtol: float, atol: float) -> bool:
    """Every entry finite and within atol + rtol·|expected| of a finite expected value (an infinite reference
    would let any finite answer through, so it never counts as close)."""
    expected = np.asarray(expected, dtype=np.float64)
    return got.shape == expected.shape and bool(np.all(np.isfinite(got))) and bool(np.all(np.isfinite(expected))) \
        and bool(np.all(np.abs(got - expected) <= atol + rtol * np.abs(expected)))
