"""Marks sent to the browser keep small values: a loss of 3e-9 on a log axis must not arrive as 0."""
import math

from nnwidgets.render import marks


def test_small_values_keep_six_significant_digits_and_large_ones_five_decimals():
    sent = marks.line([1e-9, 3.14159265e-7, 0.123456789, 12345.678912, -2.5e-12, 0.0], [0] * 6, color="#000")["xs"]
    assert sent == [1e-9, 3.14159e-7, 0.123457, 12345.67891, -2.5e-12, 0.0]


def test_values_that_are_not_finite_become_gaps():
    sent = marks.points([math.nan, math.inf, -math.inf, 1.5], [0, 0, 0, 0], fill="#000")["xs"]
    assert sent == [None, None, None, 1.5]
