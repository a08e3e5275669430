"""Numbers the stepper writes: no negative zero (a product with a 0 target entry showed as −0)."""
import numpy as np

from nnwidgets.panels.backprop.text import show


def test_negative_zero_is_written_as_zero():
    assert show(np.array([-0.9992, -0.0])) == "[−0.9992, 0]"
    assert show(np.float32(-0.0)) == "0"
    assert show(np.array([-1.0, 2.5])) == "[−1, 2.5]"
