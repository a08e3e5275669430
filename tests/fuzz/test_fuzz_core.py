"""Every public core function, each argument replaced by bad values: a clear error naming the argument, fast."""
from __future__ import annotations

import inspect
from functools import partial

import numpy as np
import pytest

import nnwidgets as nw
from nnwidgets.core.formula import parse_formula

from .harness import BAD_VALUES, attempt

ARRAY = set(BAD_VALUES) - {"-0.0", "zero", "-1", "0.5", "empty list", "empty tuple", "nested", "long list",
                           "3-d array", "empty array", "huge int", "-huge int", "2**64", "1e308", "-1e308",
                           "True", "False", "lambda"}
NUMBER = {"nan", "inf", "-inf", "complex", "empty str", "str", "dict", "object", "hostile callable",
          "bytes", "set", "list of str", "ragged"}
INTEGER = NUMBER | {"0.5", "1e308", "huge int", "2**64", "True", "False", "-1", "zero", "None"}
FLAG = set(BAD_VALUES) - {"True", "False"}
CHOICE = set(BAD_VALUES)
GATE_X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], np.float32)

# (function, valid keyword arguments, {argument: the bad values it must refuse})
CASES = {
    "softmax": (nw.softmax, {"z": [1.0, 2.0, 0.5], "temperature": 1.0}, {"z": ARRAY, "temperature": NUMBER | {"zero"}}),
    "log_softmax": (nw.log_softmax, {"z": [1.0, 2.0], "temperature": 1.0}, {"z": ARRAY, "temperature": NUMBER}),
    "naive_softmax": (nw.naive_softmax, {"z": [1.0, 2.0]}, {"z": ARRAY}),
    "cross_entropy": (nw.cross_entropy, {"p": [0.7, 0.3], "y": 0, "base": "e"},
                      {"p": ARRAY | {"-1", "0.5"}, "y": NUMBER | {"0.5", "huge int", "None"}, "base": CHOICE - {"2"}}),
    "mse": (nw.mse, {"p": [0.7, 0.3], "y": [1.0, 0.0]}, {"p": ARRAY, "y": ARRAY}),
    "conv_output_size": (nw.conv_output_size, {"n": 7, "kernel_size": 3, "stride": 1, "padding": 0, "dilation": 1,
                                               "ceil_mode": False},
                         {"n": INTEGER, "kernel_size": INTEGER, "stride": INTEGER, "dilation": INTEGER,
                          "padding": NUMBER | {"0.5", "huge int", "-1"}, "ceil_mode": FLAG}),
    "conv2d": (nw.conv2d, {"x": np.ones((1, 5, 5, 1)), "w": np.ones((3, 3, 1, 1)), "stride": 1, "padding": "valid",
                           "dilation": 1},
               {"x": ARRAY, "w": ARRAY, "stride": INTEGER, "dilation": INTEGER, "padding": NUMBER | {"huge int"}}),
    "pool2d": (nw.pool2d, {"x": np.ones((1, 4, 4, 1)), "pool_size": 2, "stride": 2, "padding": "valid", "mode": "max",
                           "ceil_mode": False},
               {"x": ARRAY, "pool_size": INTEGER, "stride": INTEGER - {"None"}, "mode": CHOICE, "ceil_mode": FLAG}),
    "pool1d": (nw.pool1d, {"x": np.arange(6.0), "pool_size": 2, "stride": 2, "padding": "valid", "mode": "max",
                           "ceil_mode": False},
               {"x": ARRAY, "pool_size": INTEGER, "mode": CHOICE, "ceil_mode": FLAG}),
    "correlate1d": (nw.correlate1d, {"x": np.arange(6.0), "w": np.ones(2), "stride": 1, "padding": "valid",
                                     "flip": False, "dilation": 1},
                    {"x": ARRAY, "w": ARRAY, "stride": INTEGER, "flip": FLAG, "dilation": INTEGER}),
    "trace_shapes": (nw.trace_shapes, {"layers": [("input", (8, 8, 1)), ("conv", {"filters": 2, "kernel_size": 3}),
                                                  ("flatten",), ("dense", {"units": 3})]},
                     {"layers": CHOICE - {"empty list", "empty tuple"}}),
    "perceptron": (nw.perceptron, {"x": GATE_X, "w": [0.5, 0.5], "b": -0.7, "activation": "step", "threshold": ">"},
                   {"x": ARRAY, "w": ARRAY, "b": NUMBER, "activation": CHOICE, "threshold": CHOICE}),
    "learn_perceptron": (nw.learn_perceptron, {"x": GATE_X, "t": [0, 0, 0, 1], "w": [0.0, 0.0], "b": 0.0, "lr": 0.1,
                                               "epochs": 5, "threshold": ">"},
                         {"x": ARRAY, "t": ARRAY, "w": ARRAY, "b": NUMBER, "lr": NUMBER | {"zero", "-1"},
                          "epochs": INTEGER, "threshold": CHOICE}),
    "train_mlp": (partial(nw.train_mlp, progress=False),
                  {"x": GATE_X, "t": [0.0, 1.0, 1.0, 0.0], "hidden_size": 3, "lr": 0.1, "epochs": 10, "seed": 0},
                  {"x": ARRAY, "t": ARRAY, "hidden_size": INTEGER, "lr": NUMBER | {"zero", "-1"},
                   "epochs": INTEGER, "seed": NUMBER | {"0.5"}}),
    "parse_formula": (parse_formula, {"text": "x**2 + y", "variables": ("x", "y")}, {"text": CHOICE - {"str"}}),
}

#: names a message may use instead of the argument's own (the parser says "formula" or what its caller names it)
ALIASES = {("parse_formula", "text"): ("formula",)}


@pytest.mark.parametrize("name", CASES)
def test_core_functions_refuse_bad_arguments_cleanly(name):
    fn, valid, must_refuse = CASES[name]
    signature = inspect.signature(fn.func if isinstance(fn, partial) else fn)
    missing = set(valid) - set(signature.parameters)
    assert not missing, f"{name} has no parameter {missing}: the fuzz cases need updating"
    fn(**valid)  # the valid call works
    problems = []
    for argument, refuse in must_refuse.items():
        for label, bad in BAD_VALUES.items():
            case = f"{name}({argument}={label})"
            try:
                names = (argument, *ALIASES.get((name, argument), ()))
                outcome = attempt(case, names, partial(fn, **{**valid, argument: bad}))
            except AssertionError as err:
                problems.append(str(err))
                continue
            if outcome == "accepted" and label in refuse:
                problems.append(f"{case}: accepted, but {argument} must refuse it")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])
