"""A value coming back from the browser must never undo a value set in Python (issue 12's page/kernel bugs).

ipywidgets applies browser values through ``Widget.set_state``; these tests call it as the comm does.
"""
import nnwidgets as nw
from nnwidgets.panels._controls import float_slider, log_slider


def browser_sends(widget, value):
    widget.set_state({"value": value})


def test_an_old_value_drawn_by_the_browser_does_not_undo_a_preset():
    p = nw.PerceptronExplorer(gate="XOR", tab="stack")
    old = p.stack.h1_b
    p.stack.load_preset("h1 − h2 network (seed 002)")
    new = p.stack.h1_b
    assert new != old
    browser_sends(p.control("stack.h1_b"), old + 2e-16)
    assert p.stack.h1_b == new


def test_a_real_move_is_taken_and_a_move_back_after_it_too():
    slider = float_slider("w", 0.5, "nnw-test")
    slider.value = 0.7                    # Python
    browser_sends(slider, 0.7500000000000001)  # the user presses → (not an old value)
    assert abs(slider.value - 0.75) < 1e-12
    browser_sends(slider, 0.5)            # and later back to a value Python once set: a move, taken
    assert slider.value == 0.5


def test_the_browser_is_sent_the_kernel_value_again(monkeypatch):
    slider = log_slider("lr", 0.95, "nnw-test")
    slider.value = 0.5
    sent = []
    monkeypatch.setattr(slider, "send_state", lambda key=None: sent.append(key))
    browser_sends(slider, 0.9500000000000001)  # a log slider re-drawn from its old value
    assert slider.value == 0.5 and sent == ["value"]


def test_noise_around_the_current_value_changes_nothing():
    slider = float_slider("w", 0.7, "nnw-test")
    slider.value = 0.3
    browser_sends(slider, 0.30000000000000004)
    assert slider.value in (0.3, 0.30000000000000004)


def test_a_re_anchored_slider_sends_its_range_before_its_value(monkeypatch):
    """The browser applies keys in the order they come: a value before its new range is snapped to the old
    step grid and sent back as a move (the race's start drifted from a clicked -1.429 to -1.4)."""
    import ipywidgets as widgets

    from nnwidgets.panels._controls import anchor

    slider = float_slider("x", -7.0, "nnw-test", lo=-10, hi=10, step=0.1)
    sent = []
    monkeypatch.setattr(widgets.FloatSlider, "send_state", lambda self, key=None: sent.append(list(key)))
    for _ in range(20):  # a set's order differs between runs: try several new values
        anchor(slider, round(slider.value + 0.537, 3))
    assert sent and all(keys[-1] == "value" and {"min", "max"} <= set(keys) for keys in sent), sent
