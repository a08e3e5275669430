"""The playground's data: TensorFlow Playground's generators, shipped sets, a user's (X, y) pair or CSV file.

The 2-D generators follow TensorFlow Playground's ``dataset.ts`` (labels ±1 there, classes 1/0 here). ``noise``
is its slider divided by 100 (0 to 0.5) and means what it meant there: for "circle", "xor", "plane" and "wave"
a point keeps its position but takes the label of a point moved by ``noise · U(-r, r)`` in each coordinate
(r = 5 for circle and xor, 6 for the regression sets); "gauss" spreads its two clusters with variance
``0.5 + 7·noise``; "spiral" moves points by ``noise · U(-1, 1)``; "moons" (scikit-learn's shape, scaled by 3
into the same box) moves them by Gaussian noise of standard deviation ``3·noise``. "iris", "digits" and
data given by the user ignore ``noise``.
"""
from __future__ import annotations

import csv
import math
import os
from typing import NamedTuple

import numpy as np

from ..._validate import finite_array
from ...data import load_iris
from ...data.digits import DIGITS_MAX, load_digits
from ...i18n import _

CLASSIFICATION_SETS = ("circle", "xor", "gauss", "spiral", "moons", "iris", "digits")
REGRESSION_SETS = ("plane", "wave")
#: "points": only the points the user drew (``add_point``)
DATASETS = CLASSIFICATION_SETS + REGRESSION_SETS + ("points",)
GENERATED = ("circle", "xor", "gauss", "spiral", "moons", "plane", "wave")
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
#: Generated 2-D sets lie in about [-BOX, BOX]²
BOX = 6.0
MAX_SAMPLES = 5000
MAX_INPUTS = 64
MAX_CLASSES = 10


class Samples(NamedTuple):
    """Inputs ``X`` (n, d) float32 and targets ``y`` (n,): int32 classes, or float32 values for regression."""

    X: np.ndarray
    y: np.ndarray


class Split(NamedTuple):
    """A data set split into a training and a test part (inputs as given, before ``feature_map``)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def _uniform(rng, lo, hi, n):
    return rng.uniform(lo, hi, n)


def _label_moved(rng, x, y, noise, radius, label):
    """TensorFlow Playground's label noise: the label of the point moved by noise·U(-radius, radius)."""
    n = len(x)
    return label(x + _uniform(rng, -radius, radius, n) * noise, y + _uniform(rng, -radius, radius, n) * noise)


def circle(n: int, noise: float, rng) -> Samples:
    """Class 1 inside r < 2.5 (radius drawn from U(0, 2.5)), class 0 in the ring U(3.5, 5); noisy labels."""
    def half(lo, hi, count):
        r, angle = _uniform(rng, lo, hi, count), _uniform(rng, 0, 2 * math.pi, count)
        x, y = r * np.sin(angle), r * np.cos(angle)
        return x, y, _label_moved(rng, x, y, noise, 5.0, lambda a, b: np.hypot(a, b) < 2.5)
    inner, outer = half(0.0, 2.5, n // 2), half(3.5, 5.0, n - n // 2)
    return _samples(*(np.concatenate(parts) for parts in zip(inner, outer)))


def xor(n: int, noise: float, rng) -> Samples:
    """x, y ~ U(-5, 5) pushed 0.3 away from the axes; class 1 where x·y >= 0 (of the moved point)."""
    x, y = _uniform(rng, -5, 5, n), _uniform(rng, -5, 5, n)
    x, y = x + np.where(x > 0, 0.3, -0.3), y + np.where(y > 0, 0.3, -0.3)
    return _samples(x, y, _label_moved(rng, x, y, noise, 5.0, lambda a, b: a * b >= 0))


def gauss(n: int, noise: float, rng) -> Samples:
    """Two Gaussian clusters, class 1 around (2, 2), class 0 around (-2, -2), variance 0.5 + 7·noise."""
    std = math.sqrt(0.5 + 7.0 * noise)
    k = n // 2
    x = np.concatenate([rng.normal(2, std, k), rng.normal(-2, std, n - k)])
    y = np.concatenate([rng.normal(2, std, k), rng.normal(-2, std, n - k)])
    return _samples(x, y, np.arange(n) < k)


def spiral(n: int, noise: float, rng) -> Samples:
    """Two spirals r = 5i/m, t = 1.75·2π·i/m + δ (δ = 0 for class 1, π for class 0), moved by noise·U(-1, 1)."""
    parts = []
    for delta, label, m in ((0.0, 1, n // 2), (math.pi, 0, n - n // 2)):
        i = np.arange(m)
        r, t = i / max(m, 1) * 5, 1.75 * i / max(m, 1) * 2 * math.pi + delta
        parts.append((r * np.sin(t) + _uniform(rng, -1, 1, m) * noise, r * np.cos(t) + _uniform(rng, -1, 1, m) * noise,
                      np.full(m, label)))
    return _samples(*(np.concatenate(p) for p in zip(*parts)))


def moons(n: int, noise: float, rng) -> Samples:
    """Two half circles (scikit-learn's make_moons) scaled by 3 and centred; Gaussian noise of std 3·noise."""
    k = n // 2
    t_out, t_in = np.linspace(0, math.pi, k), np.linspace(0, math.pi, n - k)
    x = np.concatenate([np.cos(t_out), 1 - np.cos(t_in)]) - 0.5
    y = np.concatenate([np.sin(t_out), 1 - np.sin(t_in) - 0.5]) - 0.25
    x, y = 3 * x + rng.normal(0, 3 * noise, n), 3 * y + rng.normal(0, 3 * noise, n)
    return _samples(x, y, np.arange(n) >= k)


def plane(n: int, noise: float, rng) -> Samples:
    """Regression: x, y ~ U(-6, 6), target (x + y) / 10 of the point moved by noise·U(-6, 6)."""
    x, y = _uniform(rng, -6, 6, n), _uniform(rng, -6, 6, n)
    return _samples(x, y, _label_moved(rng, x, y, noise, 6.0, lambda a, b: (a + b) / 10), regression=True)


def wave(n: int, noise: float, rng) -> Samples:
    """Regression: x, y ~ U(-6, 6), target (sin x + sin y) / 2 of the point moved by noise·U(-6, 6)."""
    x, y = _uniform(rng, -6, 6, n), _uniform(rng, -6, 6, n)
    return _samples(x, y, _label_moved(rng, x, y, noise, 6.0, lambda a, b: (np.sin(a) + np.sin(b)) / 2),
                    regression=True)


GENERATORS = {"circle": circle, "xor": xor, "gauss": gauss, "spiral": spiral, "moons": moons, "plane": plane,
              "wave": wave}


def _samples(x, y, target, regression=False) -> Samples:
    X = np.stack([x, y], axis=1).astype(np.float32)
    return Samples(X, np.asarray(target, np.float32 if regression else np.int32))


def shipped(name: str) -> Samples:
    """"iris" (4 measurements in cm, 3 species) or "digits" (64 pixels scaled to 0..1, 10 digits)."""
    if name == "iris":
        return Samples(*load_iris())
    X, y = load_digits()
    return Samples(X / DIGITS_MAX, y)


def check_pair(X, y, problem: str, name: str = "dataset") -> Samples:
    """A user's ``(X, y)``: X (n, d) finite numbers, y (n,) classes 0..k-1 (classification) or finite values."""
    X = finite_array(f"{name} X", X, shape_hint=_(" (rows of inputs)"), max_entries=MAX_SAMPLES * MAX_INPUTS)
    y = finite_array(f"{name} y", y, shape_hint=_(" (one target per row)"), max_entries=MAX_SAMPLES)
    if X.ndim == 1 and X.size:
        X = X[:, None]
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(_("{name} X must be a non-empty table of shape (samples, inputs), got shape {shape}").format(
            name=name, shape=X.shape))
    if X.shape[0] > MAX_SAMPLES or X.shape[1] > MAX_INPUTS:
        raise ValueError(_("{name} may have at most {max_samples} samples of at most {max_inputs} inputs, "
                           "got {samples} x {inputs}").format(name=name, max_samples=MAX_SAMPLES,
                                                               max_inputs=MAX_INPUTS, samples=X.shape[0],
                                                               inputs=X.shape[1]))
    if y.ndim != 1 or len(y) != len(X):
        raise ValueError(_("{name} y must hold one target per row of X ({rows}), got shape {shape}").format(
            name=name, rows=len(X), shape=y.shape))
    return Samples(X, check_targets(y, problem, name))


def check_targets(y: np.ndarray, problem: str, name: str = "dataset") -> np.ndarray:
    """Regression targets as float32; class labels as int32 in 0..MAX_CLASSES-1 (naming the first bad row)."""
    if problem == "regression":
        return y.astype(np.float32)
    bad = np.flatnonzero((y != np.round(y)) | (y < 0) | (y >= MAX_CLASSES))
    if bad.size:
        raise ValueError(_("{name} label {label:g} in row {row} is not a class: classes are the integers "
                           "0..{last} (use problem='regression' for real-valued targets)").format(
                               name=name, label=y[bad[0]], row=bad[0] + 1, last=MAX_CLASSES - 1))
    return y.astype(np.int32)


def read_csv(path, problem: str) -> Samples:
    """A CSV file of numbers, one sample a row, the target in the last column; an optional header row.

    Refused with the row number: a row of a different length, a cell that is not a number, NaN or infinity.
    """
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = [(i, row) for i, row in enumerate(csv.reader(handle), start=1) if any(c.strip() for c in row)]
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise ValueError(_("dataset file {path!r} cannot be read: {reason}").format(
            path=os.fspath(path), reason=err)) from None
    if rows and not any(_number(c) is not None for c in rows[0][1]):
        rows = rows[1:]  # a header such as x1,x2,label
    if not rows:
        raise ValueError(_("dataset file {path!r} has no data rows").format(path=os.fspath(path)))
    if len(rows) > MAX_SAMPLES:
        raise ValueError(_("dataset file {path!r} has {rows} rows; at most {maximum} are allowed").format(
            path=os.fspath(path), rows=len(rows), maximum=MAX_SAMPLES))
    width = len(rows[0][1])
    values = []
    for line, row in rows:
        if len(row) != width:
            raise ValueError(_("dataset file row {row} has {count} values, the first row has {width}").format(
                row=line, count=len(row), width=width))
        numbers = [_number(c) for c in row]
        for cell, value in zip(row, numbers):
            if value is None or not math.isfinite(value):
                raise ValueError(_("dataset file row {row} holds {cell!r}, not a finite number").format(
                    row=line, cell=cell.strip()))
        values.append(numbers)
    if width < 2:
        raise ValueError(_("dataset file rows need at least one input and a target, got {width} column").format(
            width=width))
    table = np.array(values, dtype=np.float64)
    return check_pair(table[:, :-1], table[:, -1], problem, name=_("dataset file"))


def _number(text: str):
    try:
        return float(text)
    except ValueError:
        return None


def generate(name: str, samples: int, noise: float, seed: int) -> Samples:
    """The named set: a generated 2-D one with ``samples`` points, or a shipped one (then ``samples`` is ignored)."""
    if name in GENERATORS:
        return GENERATORS[name](samples, noise, np.random.default_rng(seed))
    return shipped(name)


def split(data: Samples, train_fraction: float, seed: int) -> Split:
    """Shuffle (by ``seed``) and put round(train_fraction · n) samples, at least one, in the training part."""
    n = len(data.X)
    order = np.random.default_rng([seed, 1]).permutation(n)
    cut = max(1, round(train_fraction * n)) if n else 0
    train, test = order[:cut], order[cut:]
    return Split(data.X[train], data.y[train], data.X[test], data.y[test])


def feature_map(X, names) -> np.ndarray:
    """The network's inputs for 2-D points: the columns ``names`` of x1, x2, x1², x2², x1·x2, sin x1, sin x2."""
    X = np.asarray(X, np.float32)
    x1, x2 = X[:, 0], X[:, 1]
    columns = {"x1": x1, "x2": x2, "x1^2": x1 * x1, "x2^2": x2 * x2, "x1*x2": x1 * x2, "sin(x1)": np.sin(x1),
               "sin(x2)": np.sin(x2)}
    return np.stack([columns[f] for f in names], axis=1).astype(np.float32)
