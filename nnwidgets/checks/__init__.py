"""Autograding checks for exercises: pure Python/NumPy/JAX, no widgets, no display.

Each check returns quietly on a correct answer and raises ``AssertionError`` with the first failing case
(input, expected, got) and a hint a student can act on. They run unchanged as nbgrader test cells and in
otter test files. Every check

- converts answers to plain float64 arrays before comparing (no object can make itself "equal"),
- runs hidden cases drawn inside the package, plus edge cases (large logits, ties, a batch of one),
- reports exceptions raised by the student's code, NaN/inf, wrong shapes and types,
- fails code that changes its inputs in place,
- stops code that runs longer than ``timeout`` seconds per call (default ``DEFAULT_TIMEOUT`` = 10 s).

>>> from nnwidgets import checks
>>> checks.check_perceptron("AND", 0.5, 0.5, -0.7)
"""
from ._basic import check_conv_output_size, check_cross_entropy, check_logic_function, check_perceptron, check_softmax
from ._gradient import ANSWERS, check_answer, check_gradient
from ._harness import DEFAULT_TIMEOUT
from ._layers import LAYERS, check_layer
from ._optimizers import check_optimizer

__all__ = ["ANSWERS", "DEFAULT_TIMEOUT", "LAYERS", "check_answer", "check_conv_output_size", "check_cross_entropy",
           "check_gradient", "check_layer", "check_logic_function", "check_optimizer", "check_perceptron",
           "check_softmax"]
