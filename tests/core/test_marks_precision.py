"""Marks sent to the browser keep small values: a loss of 3e-9 on a log axis must not arrive as 0."""
import math

from nnwidgets.render import marks


def test_small_values_keep_six_significant_digits_and_large_ones_five_decimals():
    sent = marks.line([1e-9, 3.14159265e-7, 0.123456789, 12345.678912, -2.5e-12, 0.0], [0] * 6, color="#000")["xs"]
    assert sent == [1e-9, 3.14159e-7, 0.123457, 12345.67891, -2.5e-12, 0.0]


def test_values_that_are_not_finite_become_gaps():
    sent = marks.points([math.nan, math.inf, -math.inf, 1.5], [0, 0, 0, 0], fill="#000")["xs"]
    assert sent == [None, None, None, 1.5]


def test_short_lists_rounded_in_python_equal_numpys_rounding_exactly():
    """A segment or a few points take the Python path (``SHORT``); every number must come out as the NumPy
    path gives it, to the last bit, over 40 000 values across the whole float range and the edge cases."""
    import numpy as np

    rng = np.random.default_rng(0)
    spread = 10.0 ** rng.uniform(-300, 300, 20_000) * rng.choice([-1, 1], 20_000)
    values = np.concatenate([rng.normal(0, 1, 20_000), spread,
                             [0.0, -0.0, 1e-320, 5e-324, 1.7e308, -1.7e308, math.inf, -math.inf, math.nan, 0.5, 2.5,
                              1e-5, 1e5, 100000.5, 123456.5, 1e300, 1e-300]])
    long = marks._floats(values)  # one array: NumPy
    short = [v for chunk in range(0, len(values), marks.SHORT)
             for v in marks._floats(values[chunk:chunk + marks.SHORT].tolist())]
    assert len(long) == len(short) == len(values)
    assert all(a == b or (a is None and b is None) for a, b in zip(long, short, strict=True))
    assert all(math.copysign(1, a) == math.copysign(1, b) for a, b in zip(long, short, strict=True) if a is not None)


def test_marks_are_plain_json():
    """NumPy scalars in a mark (a line width computed with NumPy) would leave the kernel's encoder a slow path."""
    import json

    import numpy as np

    mark = marks.line([0, 1], [0, 1], color="#000", width=np.float32(1.5), alpha=np.float64(0.5), dash=(np.int64(4), 3))
    point = marks.points([0], [0], fill="#000", size=np.array([3.0]), edge_width=np.float32(1))
    assert json.loads(json.dumps([mark, point])) == [mark, point]
