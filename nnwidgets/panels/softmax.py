"""Softmax / cross-entropy calculator: the seeds' tables, live, with a check of the learner's own numbers.

``SoftmaxState`` holds the inputs (logits, or x, W and b of a linear layer), the target, the log base
and the temperature, and derives every number from ``core.softmax``; ``SoftmaxCalculator`` adds the view.
"""
from __future__ import annotations

import re

import numpy as np
from traitlets import Bool, HasTraits, Unicode, observe, validate

from .._validate import bounded_array, positive_float
from ..core.hand_check import HandCheck, check_steps
from ..core.softmax import LOG_BASES, linear_logits, naive_softmax, sigmoid_bce, softmax_report
from ._controls import DisplaysAsWidget
from ._traits import Checked, one_of

MAX_CLASSES = 10

# Seed 000's Iris example: x = (6.3, 2.7, 4.9, 1.8), label 2
IRIS = {
    "x": [6.3, 2.7, 4.9, 1.8],
    "W": [[0.231595, 0.613372, -0.89624, -0.41208],
          [0.076107, -0.22382, 0.20313, -0.05043],
          [-0.30772, -0.38941, 0.693168, 0.462622]],
    "b": [1.123884, 0.319879, 0.844128],
    "target": 2,
}


def _vector(name, value, lo=1, hi=None):
    array = bounded_array(name, value)
    if array.ndim != 1 or array.size < lo or (hi is not None and array.size > hi):
        allowed = f"{lo} to {hi}" if hi else f"at least {lo}"
        raise ValueError(f"{name} must be a list of {allowed} numbers, got {np.asarray(value).tolist()!r}")
    return [float(v) for v in array]


def _logit_list(name, value):
    return _vector(name, value, 2, MAX_CLASSES)


def _matrix(name, value):
    array = bounded_array(name, value)
    if array.ndim != 2 or not 2 <= array.shape[0] <= MAX_CLASSES or array.shape[1] < 1:
        raise ValueError(f"{name} must be a (classes, features) grid with 2 to {MAX_CLASSES} classes, "
                         f"got shape {array.shape}")
    return array.tolist()


def _temperature(name, value):
    value = positive_float(name, value)
    if not 1e-3 <= value <= 1e3:
        raise ValueError(f"{name} must be between 0.001 and 1000, got {value:g}")
    return value


def _base(name, value):
    return one_of(LOG_BASES)(name, str(value))


class SoftmaxState(HasTraits):
    """Logits (or x, W, b), a target class, and everything softmax and cross-entropy make of them.

    Several inputs that must change together (a new number of classes, a new layer shape) are set
    inside ``with state.hold_trait_notifications():``, which checks them together at the end.
    """

    mode = Unicode("logits", read_only=True)
    logits_input = Checked([1.5, 3.7], _logit_list)  # the logits typed in logits mode
    x = Checked(IRIS["x"], _vector)
    W = Checked(IRIS["W"], _matrix)
    b = Checked(IRIS["b"], _vector)
    target = Checked(0, lambda name, v: v)  # an index or a label; range-checked below
    labels = Checked([], lambda name, v: [str(s) for s in v])  # [] = "class 1", "class 2", ...
    log_base = Checked("e", _base)
    temperature = Checked(1.0, _temperature)
    show_naive = Bool(False)
    error = Unicode("")

    def __init__(self, logits=None, target=0, labels=None, x=None, W=None, b=None, log_base="e", temperature=1.0):
        super().__init__()
        linear = x is not None or W is not None or b is not None
        if linear and logits is not None:
            raise ValueError("give either logits, or x, W and b of a linear layer, not both")
        self.set_trait("mode", "linear" if linear else "logits")
        with self.hold_trait_notifications():
            if linear:
                self.x = IRIS["x"] if x is None else x
                self.W = IRIS["W"] if W is None else W
                self.b = IRIS["b"] if b is None else b
            elif logits is not None:
                self.logits_input = logits
            self.labels = labels or []
            self.target = target
        self.log_base, self.temperature = log_base, temperature
        self.baseline = None

    @property
    def classes(self) -> int:
        return len(self.W) if self.mode == "linear" else len(self.logits_input)

    @property
    def class_names(self) -> list[str]:
        return self.labels or [f"class {i + 1}" for i in range(self.classes)]

    def _fail(self, message):
        self.error = message
        raise ValueError(message)

    @validate("logits_input", "x", "W", "b", "target", "labels")
    def _valid_together(self, proposal):
        """Check the proposed value against the others: shapes fit, the target exists, labels name every class."""
        name, value = proposal["trait"].name, proposal["value"]
        if name == "logits_input" and self.mode == "linear":
            self._fail("logits are W x + b in linear-layer mode: set x, W or b instead")
        v = {k: getattr(self, k) for k in ("logits_input", "x", "W", "b", "target", "labels")} | {name: value}
        classes = len(v["W"]) if self.mode == "linear" else len(v["logits_input"])
        if self.mode == "linear" and (len(v["W"][0]) != len(v["x"]) or len(v["b"]) != len(v["W"])):
            self._fail(f"{name} does not fit: W must have shape (classes, features) = (len(b), len(x)) = "
                       f"({len(v['b'])}, {len(v['x'])}), got ({len(v['W'])}, {len(v['W'][0])})")
        if v["labels"] and len(v["labels"]) != classes:
            self._fail(f"labels must name all {classes} classes, got {len(v['labels'])}: {v['labels']!r}"
                       + ("" if name == "labels" else f" (change {name} and labels together)"))
        target = v["target"]
        names = v["labels"] or [f"class {i + 1}" for i in range(classes)]
        if isinstance(target, str) and target in names:
            target = names.index(target)
        if isinstance(target, bool) or not isinstance(target, (int, np.integer)) or not 0 <= target < classes:
            self._fail(f"target must be a class index in 0..{classes - 1} or one of the labels, got {target!r}"
                       + (f" (with {classes} classes)" if name != "target" else ""))
        if name == "target":
            return int(target)
        return value

    @observe("logits_input", "x", "W", "b", "target", "labels", "log_base", "temperature")
    def _accepted(self, change):
        self.error = ""

    # ---- derived numbers ------------------------------------------------------------------------
    @property
    def logits(self) -> np.ndarray:
        """z: the typed logits, or H = W x + b in linear-layer mode."""
        if self.mode == "linear":
            return np.asarray(linear_logits(np.float32(self.x), np.float32(self.W), np.float32(self.b)))
        return np.float32(self.logits_input)

    @logits.setter
    def logits(self, value):
        self.logits_input = value

    def report(self) -> dict:
        """Every number the panel shows, from one jitted call (float32)."""
        z = self.logits
        y = np.eye(self.classes, dtype=np.float32)[self.target]
        p, log_p, loss, mse, grad = softmax_report(z, y, np.float32(self.temperature),
                                                    np.float32(LOG_BASES[self.log_base]))
        exp, total, naive_p = naive_softmax(z / np.float32(self.temperature))
        return {"logits": z, "y": y, "probabilities": np.asarray(p), "log_p": np.asarray(log_p),
                "loss": float(loss), "loss_ln": float(-np.asarray(log_p)[self.target]), "mse": float(mse),
                "grad_logits": np.asarray(grad), "exp": exp, "sum": float(total[0]), "naive_p": naive_p,
                "shifted_exp": np.exp(np.asarray(log_p) - np.asarray(log_p).max())}

    @property
    def probabilities(self) -> np.ndarray:
        return self.report()["probabilities"]

    @property
    def loss(self) -> float:
        """Cross-entropy −log_base p_target of softmax(z / T)."""
        return self.report()["loss"]

    @property
    def mse(self) -> float:
        """Mean over classes of (p_i − y_i)²."""
        return self.report()["mse"]

    @property
    def grad_logits(self) -> np.ndarray:
        """d loss / d z = (p − y) / (T ln base): exactly p − y for the natural log at T = 1."""
        return self.report()["grad_logits"]

    def binary_view(self):
        """For 2 classes: (sigmoid(z2 − z1), its binary cross-entropy), equal to p_2 and the ln loss."""
        if self.classes != 2:
            return None
        return sigmoid_bce(self.logits / np.float32(self.temperature), self.target)

    # ---- nudging (linear-layer "what if b2 += 1") ------------------------------------------------
    def parameters(self) -> list[str]:
        """Names of the single parameters ``nudge`` accepts: z1.. (logits mode) or x1.., w11.., b1.."""
        if self.mode == "logits":
            return [f"z{i + 1}" for i in range(self.classes)]
        features = len(self.x)
        return ([f"x{j + 1}" for j in range(features)] + [f"b{i + 1}" for i in range(self.classes)]
                + [f"w{i + 1}{j + 1}" for i in range(self.classes) for j in range(features)])

    def nudge(self, parameter: str, delta: float) -> None:
        """Add ``delta`` to one parameter ("b2", "w13", "x1", "z2"), keeping the current numbers as the baseline."""
        delta = float(np.float32(positive_or_negative(delta)))
        if parameter not in self.parameters():
            self._fail(f"parameter must be one of {', '.join(self.parameters())}, got {parameter!r}")
        kind, index = parameter[0], [int(c) - 1 for c in re.findall(r"\d", parameter)]
        self.baseline = {"parameter": parameter, "delta": delta, **self.report()}  # before the change redraws
        if kind == "z":
            values = list(self.logits_input)
            values[index[0]] += delta
            self.logits_input = values
        elif kind in "xb":
            values = list(getattr(self, kind))
            values[index[0]] += delta
            setattr(self, kind, values)
        else:
            W = [list(row) for row in self.W]
            W[index[0]][index[1]] += delta
            self.W = W

    def clear_baseline(self) -> None:
        self.baseline = None

    # ---- the learner's own numbers ---------------------------------------------------------------
    def check(self, logits=None, exp=None, sum=None, probabilities=None, loss=None, mse=None) -> HandCheck:  # noqa: A002
        """Compare a learner's hand-calculated numbers with the right ones; see ``HandCheck.message``.

        Each argument is a number, a list, or a string such as "2.25, 0.48"; leave out what you did not compute.
        """
        r = self.report()
        truth = {k: np.asarray(r[k], dtype=float) for k in ("logits", "exp", "sum", "probabilities", "loss", "mse")}
        given = {"logits": logits, "exp": exp, "sum": sum, "probabilities": probabilities, "loss": loss, "mse": mse}
        return check_steps(truth, given, self.target, self.log_base)

    def __repr__(self):
        inputs = (f"x={self.x}, b={self.b}" if self.mode == "linear" else f"logits={self.logits_input}")
        return (f"{type(self).__name__}({inputs}, target={self.target}, log_base={self.log_base!r}, "
                f"temperature={self.temperature:g})")


def positive_or_negative(value) -> float:
    """A finite number (nudges may go either way)."""
    from .._validate import finite_float

    return finite_float("delta", value)




class SoftmaxCalculator(SoftmaxState, DisplaysAsWidget):
    """The softmax / cross-entropy panel. Every attribute of ``SoftmaxState`` is live in the view.

    >>> s = SoftmaxCalculator(logits=[1.5, 3.7], target=1, labels=["cat", "dog"])
    >>> s.probabilities.round(4).tolist()
    [0.0998, 0.9002]
    """

    def __init__(self, logits=None, target=0, labels=None, x=None, W=None, b=None, log_base="e", temperature=1.0):
        super().__init__(logits=logits, target=target, labels=labels, x=x, W=W, b=b, log_base=log_base,
                         temperature=temperature)
        from .softmax_view import SoftmaxView

        self.view = SoftmaxView(self)
        self._root = self.view.widget

    def control(self, name: str):
        """The widget for "target", "log_base", "temperature", "show_naive", or "z1".."z10" (logits mode)."""
        if name.startswith("z") and self.mode == "logits":
            return self.view.logit_sliders[int(name[1:]) - 1]
        return self.view.controls[name]

    def to_png(self) -> bytes:
        return self.view.figure.to_png()
