"""Issue 12: the warning about a refused value leaves the screen once the values are valid again.

``set_state`` is what a message from the page calls: the page may still show the refused value after the kernel put
the slider back, and then sends the very value the kernel holds (no change fires in the kernel).
"""
import pytest

import nnwidgets as nw


@pytest.mark.parametrize("control, refused, valid", [("H", 1, 7), ("kW", 9, 3), ("dilation", 4, 1)])
def test_the_warning_clears_when_the_page_sends_a_valid_value_the_kernel_holds(control, refused, valid):
    c = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3, stride=1)
    c.control(control).set_state({"value": refused})
    assert "does not fit" in c.error and "does not fit" in c.view.status.value
    assert c.control(control).value == valid  # the kernel put the slider back
    c.control(control).set_state({"value": valid})  # the page sends the value the kernel holds
    assert c.error == "" and c.view.status.value == ""


def test_the_warning_clears_after_any_valid_change_and_stays_after_a_refusal():
    c = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3)
    c.control("H").set_state({"value": 1})
    assert "(1, 7, 1) does not fit" in c.view.status.value
    c.control("W").set_state({"value": 7})  # another slider, sent unchanged: the page shows valid values
    assert c.view.status.value == ""
    c.control("H").set_state({"value": 2})
    assert "(2, 7, 1) does not fit" in c.view.status.value
    c.control("H").set_state({"value": 5})  # a new valid value
    assert c.view.status.value == "" and c.input_shape == (5, 7, 1)
    with pytest.raises(ValueError):
        c.input_shape = (1, 7, 1)
    assert "does not fit" in c.view.status.value
    c.input_shape = (5, 7, 1)  # typed in Python: the same valid value
    assert c.view.status.value == ""
