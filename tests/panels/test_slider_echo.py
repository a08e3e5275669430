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
