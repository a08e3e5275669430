"""What the softmax calculator's learner controls, checked as a whole, and the numbers core derives from it.

Two tabs: "logits" (z typed or slid) and "linear layer" (z = H = W x + b). Both keep their inputs, so
switching tabs loses nothing; the target, labels, log base and temperature apply to the open tab.
"""
from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np
from traitlets import Instance

from ..._validate import bounded_array, finite_float, positive_float, shown
from ...core.softmax import LOG_BASES
from ...core.softmax_table import BinaryView, SoftmaxTable, linear_logits, sigmoid_bce, softmax_table
from ...i18n import SOURCE_LANGUAGE, speaking
from .._state import PanelState, flag
from .._traits import Checked, one_of
from . import text
from .hand_check import HandCheck, check_steps

TABS = ("logits", "linear layer")
LOGITS_TAB, LINEAR_TAB = TABS
MAX_CLASSES = 10
MAX_FEATURES = 10
MAX_LABEL = 40
TEMPERATURES = (1e-3, 1e3)
DEFAULT_LOGITS = [1.5, 3.7]

# Seed 000's Iris example: x = (6.3, 2.7, 4.9, 1.8), label 2
IRIS = {
    "x": [6.3, 2.7, 4.9, 1.8],
    "W": [[0.231595, 0.613372, -0.89624, -0.41208],
          [0.076107, -0.22382, 0.20313, -0.05043],
          [-0.30772, -0.38941, 0.693168, 0.462622]],
    "b": [1.123884, 0.319879, 0.844128],
    "target": 2,
}


def _vector(name, value, most):
    array = bounded_array(name, value)  # refuses complex, booleans, text, ragged nesting, NaN, |v| > 1e6
    if array.ndim != 1 or not 1 <= array.size <= most:
        raise ValueError(text.VECTOR.format(name=name, most=most, value=shown(value)))
    return [float(v) for v in array]


def _logits(_, value):
    return _vector("logits", value, MAX_CLASSES)  # the user knows the trait logits_input as `logits`


def _features(name, value):
    return _vector(name, value, MAX_FEATURES)


def _classes(name, value):
    return _vector(name, value, MAX_CLASSES)


def _matrix(name, value):
    array = bounded_array(name, value)
    if array.ndim != 2 or not 1 <= array.shape[0] <= MAX_CLASSES or not 1 <= array.shape[1] <= MAX_FEATURES:
        raise ValueError(text.GRID.format(name=name, classes=MAX_CLASSES, features=MAX_FEATURES, shape=array.shape))
    return array.tolist()


def _labels(name, value):
    if not isinstance(value, (list, tuple)) or len(value) > MAX_CLASSES \
            or not all(isinstance(s, str) for s in value):
        raise ValueError(text.LABELS_TYPE.format(classes=MAX_CLASSES, value=shown(value)))
    if any(len(s) > MAX_LABEL for s in value):
        raise ValueError(text.LABEL_TOO_LONG.format(length=MAX_LABEL, value=shown(value)))
    return list(value)


def _target(name, value):
    """A class index or a label; checked against the classes in ``check_together``."""
    if isinstance(value, str) and len(value) <= MAX_LABEL:
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(text.TARGET_TYPE.format(value=shown(value)))
    return int(value)


def _other_tab(name, value):
    """The other tab's labels and target, kept while it is closed: {"labels": [...], "target": index} or {}."""
    if value in (None, {}):
        return {}
    if not isinstance(value, dict) or set(value) != {"labels", "target"}:
        raise ValueError(text.OTHER_TAB_TYPE.format(value=shown(value)))
    target = _target("target", value["target"])
    if not isinstance(target, int) or target < 0:
        raise ValueError(text.OTHER_TAB_TYPE.format(value=shown(value)))
    return {"labels": _labels("labels", value["labels"]), "target": target}


def _temperature(name, value):
    value = positive_float(name, value)
    lo, hi = TEMPERATURES
    if not lo <= value <= hi:
        raise ValueError(text.TEMPERATURE_RANGE.format(lo=lo, hi=hi, value=value))
    return value


def _log_base(name, value):
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        value = str(value)  # log_base = 10 means "10"
    return one_of(LOG_BASES)(name, value)


def default_names(classes: int, start: int = 0) -> list[str]:
    """"class 0", "class 1", ...: classes are numbered from 0, as the code indexes them."""
    return [text.DEFAULT_CLASS_NAME.format(number=i) for i in range(start, classes)]


class Baseline(NamedTuple):
    """The numbers before the last ``nudge``, for the before/after comparison."""

    parameter: str
    delta: float
    probabilities: np.ndarray
    loss: float


class SoftmaxState(PanelState):
    """Logits (or x, W, b), a target class, and everything softmax and cross-entropy make of them.

    ``s.set(x=..., W=...)`` changes several inputs as one (a new number of features needs x and W together).
    """

    SETTINGS = ("tab", "logits_input", "x", "W", "b", "labels", "target", "log_base", "temperature", "show_naive",
                "other_tab")
    LABELS = {"logits_input": "logits"}

    tab = Checked(LOGITS_TAB, one_of(TABS))
    logits_input = Checked(DEFAULT_LOGITS, _logits)  # the logits of the "logits" tab; `logits` to the user
    x = Checked(IRIS["x"], _features)
    W = Checked(IRIS["W"], _matrix)
    b = Checked(IRIS["b"], _classes)
    labels = Checked([], _labels)  # [] = "class 0", "class 1", ...
    target = Checked(0, _target)  # stored as an index; a label is accepted and turned into its index
    log_base = Checked("e", _log_base)
    temperature = Checked(1.0, _temperature)
    show_naive = Checked(False, flag)
    # the two tabs are two problems with their own classes: the closed tab's labels and target wait here, so
    # opening the other tab and coming back finds them as they were (saved by to_dict like every setting)
    other_tab = Checked({}, _other_tab)
    baseline = Instance(Baseline, allow_none=True, help="the numbers before the last nudge (not a setting)")
    _table_key = None  # the inputs ``report()`` last computed its table for

    def __init__(self, logits=None, target=0, labels=None, x=None, W=None, b=None, log_base="e", temperature=1.0,
                 show_naive=False, tab=None):
        super().__init__()
        linear = x is not None or W is not None or b is not None
        if linear and logits is not None:
            raise ValueError(text.LOGITS_OR_LAYER)
        changes = {"labels": [] if labels is None else labels, "target": target, "log_base": log_base,
                   "temperature": temperature, "show_naive": show_naive}
        if linear:
            changes |= {"tab": LINEAR_TAB, "x": IRIS["x"] if x is None else x, "W": IRIS["W"] if W is None else W,
                        "b": IRIS["b"] if b is None else b}
        elif logits is not None:
            changes["logits_input"] = logits
        if tab is not None:
            changes["tab"] = tab
        self.set(**changes)

    # ---- the contract ---------------------------------------------------------------------------
    def check_together(self, values: dict, changed: set) -> dict:
        x, W, b = values["x"], values["W"], values["b"]
        if len(W[0]) != len(x) or len(b) != len(W):
            name = next((n for n in ("x", "W", "b") if n in changed), "W")
            raise ValueError(text.LAYER_MISFIT.format(name=name, classes=len(b), features=len(x),
                                                      shape=(len(W), len(W[0]))))
        linear = values["tab"] == LINEAR_TAB
        if linear and "logits_input" in changed and "tab" not in changed:
            raise ValueError(text.LOGITS_IN_LINEAR)
        classes = len(W) if linear else len(values["logits_input"])
        adjusted = {}
        if "tab" in changed and values["tab"] != self.tab:  # the open tab's labels and target wait for its return
            waiting = values["other_tab"] if "other_tab" not in changed else {}
            adjusted["other_tab"] = {"labels": list(self.labels), "target": int(self.target)}
            if waiting:
                for name in ("labels", "target"):
                    if name not in changed:
                        values[name] = adjusted[name] = waiting[name]
        labels = values["labels"]
        if labels and len(labels) != classes:
            if "labels" in changed:
                raise ValueError(text.LABELS_COUNT.format(classes=classes, count=len(labels), value=shown(labels)))
            labels = adjusted["labels"] = (list(labels) + default_names(classes, len(labels)))[:classes]
        names = labels or default_names(classes)
        target = values["target"]
        refused = ValueError(text.TARGET_NOT_FOUND.format(last=classes - 1, value=shown(target)))
        if isinstance(target, str):
            if target not in names and not labels:
                with speaking(SOURCE_LANGUAGE):  # code written in English ("class 1") works in every language
                    names = default_names(classes)
            if target not in names:
                raise refused
            target = names.index(target)
        if not 0 <= target < classes:
            if "target" in changed:
                raise refused
            target = min(max(target, 0), classes - 1)  # fewer classes now: the last one
        if target != values["target"]:
            adjusted["target"] = target
        return adjusted

    def after_change(self, changed: set) -> None:
        self.report()  # computing the numbers is part of the change: if it fails, the change is rolled back

    # ---- derived numbers ------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        """"logits" or "linear" (the open tab's inputs)."""
        return "linear" if self.tab == LINEAR_TAB else "logits"

    @property
    def classes(self) -> int:
        return len(self.W) if self.tab == LINEAR_TAB else len(self.logits_input)

    @property
    def class_names(self) -> list[str]:
        return list(self.labels) or default_names(self.classes)

    @property
    def logits(self) -> np.ndarray:
        """z: the typed logits, or H = W x + b in the linear-layer tab."""
        return self.report().logits

    @logits.setter
    def logits(self, value):
        self.set(logits_input=value)

    def report(self) -> SoftmaxTable:
        """Every number the panel shows (float32), computed once per change of the inputs.

        Computed on demand, so that observers told of a change (inside the transaction) see the new numbers.
        """
        linear = self.tab == LINEAR_TAB
        key = (repr((self.x, self.W, self.b)) if linear else repr(self.logits_input), self.target, self.temperature,
               self.log_base)
        if key != self._table_key:
            if linear:
                z = np.asarray(linear_logits(np.float32(self.x), np.float32(self.W), np.float32(self.b)))
            else:
                z = np.float32(self.logits_input)
            self._table, self._table_key = softmax_table(z, self.target, self.temperature, self.log_base), key
        return self._table

    @property
    def probabilities(self) -> np.ndarray:
        return self.report().probabilities

    @property
    def loss(self) -> float:
        """Cross-entropy −log_base p_target of softmax(z / T)."""
        return self.report().loss

    @property
    def mse(self) -> float:
        """Mean over classes of (p_i − y_i)²."""
        return self.report().mse

    @property
    def grad_logits(self) -> np.ndarray:
        """d loss / d z = (p − y) / (T ln base): exactly p − y for the natural log at T = 1."""
        return self.report().grad_logits

    def binary_view(self) -> BinaryView | None:
        """For 2 classes: (sigmoid(z2 − z1), its binary cross-entropy), equal to p_2 and the ln loss."""
        if self.classes != 2:
            return None
        return sigmoid_bce(self.logits / np.float32(self.temperature), self.target)

    # ---- nudging ("what if b2 += 1") --------------------------------------------------------------
    def _parameter_places(self, tab: str | None = None) -> dict:
        """Each nudgeable parameter's name -> (setting, row, column), named as the code indexes it: z[0].. (logits
        tab) or x[0].., b[0].., W[0,0].. (linear-layer tab)."""
        if (tab or self.tab) == LOGITS_TAB:
            return {f"z[{i}]": ("logits_input", i, None) for i in range(len(self.logits_input))}
        classes, features = len(self.b), len(self.x)
        places = {f"x[{j}]": ("x", j, None) for j in range(features)}
        places |= {f"b[{i}]": ("b", i, None) for i in range(classes)}
        return places | {f"W[{i},{j}]": ("W", i, j) for i in range(classes) for j in range(features)}

    def _seed_names(self, tab: str | None = None) -> dict:
        """The lecture's 1-based names (z1, x1, b2, w13; w1_10 from 10 classes or features on) -> our names.

        The seed writes b2 for the second row, which is b[1] here: "what if b2 += 1" is ``nudge("b2", 1)``.
        """
        places = self._parameter_places(tab)
        if (tab or self.tab) == LOGITS_TAB:
            return {f"z{i + 1}": f"z[{i}]" for i in range(len(places))}
        classes, features = len(self.b), len(self.x)
        joint = "" if classes < 10 and features < 10 else "_"
        names = {f"x{j + 1}": f"x[{j}]" for j in range(features)}
        names |= {f"b{i + 1}": f"b[{i}]" for i in range(classes)}
        return names | {f"w{i + 1}{joint}{j + 1}": f"W[{i},{j}]" for i in range(classes) for j in range(features)}

    def parameters(self, tab: str | None = None) -> list[str]:
        """Names of the single parameters ``nudge`` accepts in ``tab`` (default: the open one), as the code indexes
        them: z[0].. in the logits tab, x[0].., b[0].., W[0,0].. in the linear-layer tab. The lecture's 1-based
        names (z1, x1, b2 = b[1], w13 = W[0,2]) are accepted too."""
        return list(self._parameter_places(tab))

    def parameter_name(self, name, tab: str | None = None) -> str | None:
        """Our name for ``name`` (ours or the lecture's 1-based one), or None when the open tab has no such entry."""
        if not isinstance(name, str):
            return None
        name = name.replace(" ", "")
        if name in self._parameter_places(tab):
            return name
        return self._seed_names(tab).get(name)

    def nudge(self, parameter: str, delta: float) -> None:
        """Add ``delta`` to one parameter ("b[1]", "W[0,2]", "x[0]", "z[1]", or the lecture's "b2", "w13"...),
        keeping the current numbers as the baseline."""
        with speaking(self._language_in_force()):
            self._nudge(parameter, delta)

    def _nudge(self, parameter, delta) -> None:
        places = self._parameter_places()
        name = self.parameter_name(parameter)
        try:
            if name is None:
                raise ValueError(text.PARAMETER.format(names=", ".join(places), value=shown(parameter)))
            delta = float(np.float32(finite_float("delta", delta)))
        except ValueError as err:
            self.error = str(err)
            raise
        setting, row, column = places[name]
        values = [list(r) for r in self.W] if setting == "W" else list(getattr(self, setting))
        if column is None:
            values[row] += delta
        else:
            values[row][column] += delta
        before = self.report()
        self.set(**{setting: values, "baseline": Baseline(name, delta, before.probabilities, before.loss)})

    def clear_baseline(self) -> None:
        self.baseline = None

    # ---- the learner's own numbers ---------------------------------------------------------------
    def check(self, logits=None, exp=None, sum=None, probabilities=None, loss=None, mse=None) -> HandCheck:  # noqa: A002
        """Compare a learner's hand-calculated numbers with the right ones; see ``HandCheck.message``.

        Each argument is a number, a list, or a string such as "2.25, 0.48"; leave out what you did not compute.
        """
        t = self.report()
        truth = {"logits": t.logits, "exp": t.exp, "sum": t.sum, "probabilities": t.probabilities, "loss": t.loss,
                 "mse": t.mse}
        given = {"logits": logits, "exp": exp, "sum": sum, "probabilities": probabilities, "loss": loss, "mse": mse}
        return check_steps(truth, given, self.target, self.log_base, self._language_in_force())

    def __repr__(self):
        inputs = f"x={self.x}, b={self.b}" if self.tab == LINEAR_TAB else f"logits={self.logits_input}"
        return (f"{type(self).__name__}({inputs}, target={self.target}, log_base={self.log_base!r}, "
                f"temperature={self.temperature:g})")
