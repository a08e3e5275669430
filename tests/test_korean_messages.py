"""The core functions' refusals speak the language in force: Korean with ``set_language("ko")``, naming the
parameter as the API spells it and the value given; English (the source text, unchanged) with "en"."""
from __future__ import annotations

import re

import numpy as np
import pytest

import nnwidgets as nw
from nnwidgets.core.graph_rules import rule
from nnwidgets.core.playground import read_csv

HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture
def language():
    """Set the language for one test and put English back afterwards."""
    yield nw.set_language
    nw.set_language("en")


def _csv(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _bad_cell(tmp_path):
    return nw.Playground(dataset=_csv(tmp_path, "cell.csv", "x1,x2,label\n1,2,0\n1,abc,1\n"))


def _ragged(tmp_path):
    return nw.Playground(dataset=_csv(tmp_path, "ragged.csv", "1,2,0\n1,1\n"))


def _not_a_class(tmp_path):
    return read_csv(_csv(tmp_path, "label.csv", "1,2,0\n3,4,0.5\n"), "classification")


def _no_rows(tmp_path):
    return read_csv(_csv(tmp_path, "empty.csv", "x1,x2,label\n"), "classification")


X4, T4 = np.float32([[0, 0], [1, 0], [0, 1], [1, 1]]), np.float32([0, 0, 0, 1])

# (call, words the Korean message must hold: the parameter as the API names it and the value, the English message)
CASES = {
    "softmax temperature": (lambda tmp: nw.softmax([1.0, 2.0], temperature=0), ["temperature", "0.0"],
                            "temperature must be a positive number, got 0.0"),
    "softmax nan": (lambda tmp: nw.softmax([1.0, float("nan")]), ["z", "nan"],
                    "z must contain only finite numbers, got [1.0, nan]"),
    "softmax text": (lambda tmp: nw.softmax("abc"), ["z", "'abc'"], "z must be an array of numbers, got 'abc'"),
    "cross_entropy base": (lambda tmp: nw.cross_entropy([0.5, 0.5], 0, base="pi"), ["base", "'pi'", "'e'"],
                           "base must be one of 'e', '2', '10', got 'pi'"),
    "cross_entropy target": (lambda tmp: nw.cross_entropy([0.5, 0.5], 5), ["y", "5", "0..1"],
                             "y must be a class index in 0..1 or a one-hot vector of length 2 (to match p of shape "
                             "(2,)), got 5"),
    "conv_output_size stride": (lambda tmp: nw.conv_output_size(5, 3, stride=0), ["stride", "0"],
                                "stride must be a positive integer, got 0"),
    "conv_output_size padding": (lambda tmp: nw.conv_output_size(5, 3, padding="middle"), ["padding", "'middle'"],
                                 "padding must be one of 'valid', 'same', 'full', got 'middle'"),
    "conv_output_size too big": (lambda tmp: nw.conv_output_size(5, 7), ["kernel_size", "7", "5 + 0 + 0 = 5"],
                                 "kernel_size must fit the padded input: an effective kernel of 7 (kernel_size 7, "
                                 "dilation 1) is larger than 5 + 0 + 0 = 5"),
    "conv2d channels": (lambda tmp: nw.conv2d(np.ones((1, 4, 4, 2)), np.ones((3, 3, 1, 1))), ["w", "x", "1", "2"],
                        "w has 1 input channels but x has 2: they must match"),
    "conv2d axes": (lambda tmp: nw.conv2d(np.ones((4, 4)), np.ones((3, 3, 1, 1))), ["x", "(N, H, W, C)", "(4, 4)"],
                    "x must have 4 axes (N, H, W, C), got shape (4, 4)"),
    "conv2d kernel": (lambda tmp: nw.conv2d(np.ones((1, 2, 2, 1)), np.ones((3, 3, 1, 1))), ["w", "(3, 3)", "x"],
                      "w's kernel (3, 3) does not fit x: kernel_size must fit the padded input"),
    "pool2d mode": (lambda tmp: nw.pool2d(np.ones((1, 4, 4, 1)), 2, mode="median"), ["mode", "'median'"],
                    "mode must be one of 'max', 'avg', got 'median'"),
    "pool2d padding": (lambda tmp: nw.pool2d(np.ones((1, 4, 4, 1)), 2, padding=2), ["padding", "pool_size", "2"],
                       "padding must be at most half of the pooling window (1 for pool_size 2), got 2"),
    "train_mlp lr": (lambda tmp: nw.train_mlp(X4, T4, lr=0.0), ["lr", "0.0"], "lr must be a positive number, got 0.0"),
    "train_mlp epochs": (lambda tmp: nw.train_mlp(X4, T4, epochs=2.5), ["epochs", "2.5"],
                         "epochs must be a positive integer, got 2.5"),
    "train_mlp seed": (lambda tmp: nw.train_mlp(X4, T4, seed=-1), ["seed", "-1"],
                       "seed must be an integer from 0 to"),
    "learn_perceptron epochs": (lambda tmp: nw.learn_perceptron(X4, T4, [0.0, 0.0], 0.0, epochs=0), ["epochs", "0"],
                                "epochs must be 1..10000, got 0"),
    "learn_perceptron lr": (lambda tmp: nw.learn_perceptron(X4, T4, [0.0, 0.0], 0.0, lr=1e300), ["lr", "1e+300"],
                            "lr must be a positive number up to 1e+06, got 1e+300"),
    "learn_perceptron threshold": (lambda tmp: nw.learn_perceptron(X4, T4, [0.0, 0.0], 0.0, threshold="=>"),
                                   ["threshold", "'=>'"], "threshold must be one of '>', '>=', got '=>'"),
    "Playground csv cell": (_bad_cell, ["dataset", "3", "'abc'"],
                            "dataset file row 3 holds 'abc', not a finite number"),
    "Playground csv ragged": (_ragged, ["dataset", "2", "3"], "dataset file row 2 has 2 values, the first row has 3"),
    "csv label": (_not_a_class, ["dataset", "0.5", "problem='regression'"],
                  "dataset file label 0.5 in row 2 is not a class"),
    "csv no rows": (_no_rows, ["dataset", "empty.csv"], "has no data rows"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_refusals_are_korean_and_name_the_parameter(case, language, tmp_path):
    call, named, _english = CASES[case]
    language("ko")
    with pytest.raises(ValueError) as refused:
        call(tmp_path)
    message = str(refused.value)
    assert HANGUL.search(message), message
    for word in named:
        assert word in message, (word, message)


@pytest.mark.parametrize("case", list(CASES))
def test_refusals_stay_english_in_english(case, language, tmp_path):
    call, named, english = CASES[case]
    language("en")
    with pytest.raises(ValueError, match=re.escape(english)) as refused:
        call(tmp_path)
    assert not HANGUL.search(str(refused.value))


def test_language_switch_changes_only_the_words(language):
    """The same refusal in both languages carries the same parameter and value."""
    messages = {}
    for code in ("ko", "en"):
        language(code)
        with pytest.raises(ValueError) as refused:
            nw.conv_output_size(5, 3, stride=1.5)
        messages[code] = str(refused.value)
    assert messages["en"] == "stride must be a positive integer, got 1.5"
    assert messages["ko"].startswith("stride") and "1.5" in messages["ko"] and HANGUL.search(messages["ko"])


def test_backprop_rules_read_in_the_language_in_force(language):
    """The stepper's gate explanations (core.graph_rules) are translated when read; formulas stay as they are."""
    language("ko")
    glyph, words, symbols = rule("mul")
    assert glyph == "×" and HANGUL.search(words) and symbols == "∂(ab)/∂a = b, ∂(ab)/∂b = a"
    assert HANGUL.search(rule("my_custom_fn")[1]) and "my_custom_fn" in rule("my_custom_fn")[1]
    language("en")
    assert rule("mul")[1] == "multiply gate: swap the inputs (each input gets upstream × the other input)"


def test_conv_trace_formula_and_errors(language):
    """trace_shapes' formulas and per-layer errors follow the language."""
    layers = [("input", (4, 4, 1)), ("relu",), ("conv", {"filters": 2, "kernel_size": 5})]
    language("ko")
    rows = nw.trace_shapes(layers)
    assert HANGUL.search(rows[1].formula) and rows[1].formula.startswith("relu")
    assert rows[2].shape is None and rows[2].error.startswith("kernel_size") and HANGUL.search(rows[2].error)
    with pytest.raises(ValueError, match="layers") as refused:
        nw.trace_shapes([("input", (4, 4, 1)), ("conv", {"filters": 2})])
    assert HANGUL.search(str(refused.value)) and "kernel_size" in str(refused.value)
    language("en")
    assert nw.trace_shapes(layers)[1].formula == "relu keeps the shape"
