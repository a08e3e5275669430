"""Issue 12, softmax calculator: every problem of a hand check in order, the MSE labelled with its definition,
classes numbered from 0 in every text, and logit sliders whose range follows the logits."""
import re

import ipywidgets as widgets
import numpy as np
import pytest

import nnwidgets as nw

# ---- "Check my numbers" reports every problem, in order ------------------------------------------------------

def test_the_check_reports_every_problem_in_the_order_of_the_steps():
    s = nw.SoftmaxCalculator(logits=[1.0, 2.0, 3.0], target=2)
    p = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()  # 0.0900306, 0.244728, 0.665241
    # two independent slips: e^z of classes 1 and 2 (10^z would be 100, 1000), and the loss of the wrong class
    result = s.check(exp="2.718, 100, 1000", sum="30.19", probabilities="0.090, 0.245, 0.665",
                     loss=f"{-np.log(p[0]):.4f}")
    assert [step.step for step in result.problems] == ["exp", "loss"]
    assert result.problems[0].wrong == (1, 2) and result.first_wrong is result.problems[0]
    lines = result.message.split("\n")
    assert lines[0] == "2 problems, in the order of the steps:"
    assert lines[1].startswith("1. e^z, class 1: you have 100, the right value is 7.38906; "
                               "class 2: you have 1000, the right value is 20.0855.")
    assert lines[2].startswith("2. cross-entropy −log p(target): you have 2.4076, the right value is 0.407606.")
    assert "You used p of class 0" in lines[2] and "(class 2)" in lines[2]
    assert lines[3] == "Right: Σ e^z, p = e^z / Σ e^z."
    page = result._repr_html_()
    assert page.count("<li>") == 2 and page.index("e^z, class 1") < page.index("cross-entropy")


def test_the_check_box_in_the_panel_lists_the_seed_002_slide_slip_and_every_later_problem():
    s = nw.SoftmaxCalculator(x=[0.5, 0.1], W=[[0.2, 0.1], [0.3, 0.4]], b=[0.7, 0.2], target=0)
    for name, typed in (("exp", "2.25, 0.48"), ("sum", "2.73"), ("probabilities", "0.8, 0.2"), ("loss", "0.096")):
        s.view.check_inputs[name].value = typed
    s.view.run_check()
    shown = s.view.check_result.value
    items = re.findall(r"<li>(.*?)</li>", shown)
    assert len(items) == 4, shown  # e^z wrong; Σ and p follow from it; the loss also uses log10
    assert items[0].startswith("e^z, class 1: you have 0.48, the right value is 1.47698.")
    assert items[1].startswith("Σ e^z: you have 2.73") and "follows from your earlier numbers" in items[1]
    assert items[2].startswith("p = e^z / Σ e^z, class 0: you have 0.8, the right value is 0.603483; class 1:")
    assert items[3].startswith("cross-entropy −log p(target): you have 0.096") and "log10" in items[3]


# ---- the MSE: one definition, labelled where it is shown --------------------------------------------------------

def test_the_mse_is_labelled_with_its_definition_and_the_other_definitions_are_named():
    s = nw.SoftmaxCalculator(logits=[1.0, 2.0, 3.0], target=2)
    p, y = nw.softmax([1.0, 2.0, 3.0]), np.array([0.0, 0.0, 1.0])
    mean = float(np.mean((np.asarray(p, float) - y) ** 2))  # 0.0600204, numpy reference
    assert s.mse == pytest.approx(mean, rel=1e-5)
    assert "MSE = mean over classes of (p − y)² = 0.0600204" in s.view.summary.value
    assert s.check(mse=f"{mean:.6f}").message == "All your numbers are right: MSE = mean over classes of (p − y)²."
    for typed, names in ((0.5 * 3 * mean, "½·sum over classes of (p − y)² (homework 2's definition)"),
                         (0.5 * mean, "½·mean over classes of (p − y)² (lesson 01's definition)"),
                         (3 * mean, "That is the sum over classes of (p − y)²")):
        message = s.check(mse=f"{typed:.6f}").message
        assert message.startswith("1 problem:\n1. MSE = mean over classes of (p − y)²: you have"), message
        assert names in message and "this panel's MSE is the mean over classes" in message


# ---- classes are numbered from 0, as the code indexes them ----------------------------------------------------

def shown_texts(widget) -> list[str]:
    """Every text a widget tree shows: descriptions, HTML, button labels, menu options, text-box values."""
    texts = []
    for name in ("description", "value", "placeholder", "tooltip"):
        value = getattr(widget, name, None)
        if isinstance(value, str) and not isinstance(widget, widgets.Image):
            texts.append(value)
    texts += [str(label) for label in getattr(widget, "_options_labels", ())]
    texts += list(getattr(widget, "titles", ()) or ())
    for child in getattr(widget, "children", ()):
        texts += shown_texts(child)
    return texts


@pytest.mark.parametrize("tab", ["logits", "linear layer"])
def test_every_text_numbers_classes_from_0(tab):
    if tab == "logits":
        s = nw.SoftmaxCalculator(logits=[1.0, 2.0, 3.0], target=2)
    else:
        s = nw.SoftmaxCalculator(x=[6.3, 2.7, 4.9, 1.8], target=2)  # the seed's Iris row, label 2
    s.nudge(s.parameters()[-1], 0.5)
    s.show_naive = True
    s.view.check_inputs["loss"].value = f"{-np.log(s.probabilities[0]):.4f}"  # the loss of the wrong class
    s.view.run_check()
    texts = "\n".join(shown_texts(s.view))
    assert s.class_names == ["class 0", "class 1", "class 2"] and s.target == 2
    assert "p(class 2)" in texts and "class 3" not in texts and "index" not in texts.lower()
    assert "You used p of class 0; the loss takes the target class&#x27;s probability (class 2)" in texts
    assert s.control("target").label == "class 2"
    if tab == "logits":
        assert [w.description for w in s.view.logit_sliders] == ["z[0]", "z[1]", "z[2]"]
        assert s.parameters() == ["z[0]", "z[1]", "z[2]"]
    else:
        assert "W[0]·" in texts and "W[2]·" in texts and "b[2]" in texts and "W3" not in texts
        assert s.view.nudge_parameter.value == "b[1]" and "After W[2,3] += 0.5" in texts
        assert s.baseline.probabilities[2] == pytest.approx(0.701841, abs=5e-6)  # the seed's P3 (label 2) is class 2


def test_labels_show_their_class_number_and_the_lecture_names_still_work():
    s = nw.SoftmaxCalculator(logits=[1.5, 3.7], target=1, labels=["cat", "dog"])
    assert s.control("target").options == (("cat (class 0)", 0), ("dog (class 1)", 1))
    assert "σ(z[1] − z[0]) = 0.90025 = p(dog)" in s.view.summary.value
    assert s.control("z1") is s.control("z[0]") is s.view.logit_sliders[0]
    iris = nw.SoftmaxCalculator(x=[6.3, 2.7, 4.9, 1.8], target=2)
    iris.nudge("b2", 1.0)  # the seed's "what if b2 += 1": its second row, b[1] here
    assert iris.b[1] == pytest.approx(1.319879) and iris.baseline.parameter == "b[1]"
    # the seed's table after b2 += 1 (its 6-decimal rounded inputs move the 6th decimal: 5e-6)
    np.testing.assert_allclose(iris.probabilities, [0.024628, 0.49165, 0.483721], atol=5e-6)
    assert iris.control("w13") is iris.control("W[0,2]") is iris.view.W_boxes[0][2]
    with pytest.raises(ValueError, match=r"parameter must be one of x\[0\], .*, got 'b9'"):
        iris.nudge("b9", 1.0)


# ---- logit sliders: a range around the logits --------------------------------------------------------------

def assert_one_range(sliders):
    """The logit sliders share one range (up to the step grid ``anchor`` puts through each value)."""
    step = sliders[0].step
    assert max(w.min for w in sliders) - min(w.min for w in sliders) < step + 1e-9
    assert max(w.max for w in sliders) - min(w.max for w in sliders) < step + 1e-9


def assert_room(slider, value):
    room = 0.2 * (slider.max - slider.min)
    assert slider.min + room <= value <= slider.max - room, (slider.min, value, slider.max)
    assert slider.value == value
    steps = (value - slider.min) / slider.step
    assert abs(steps - round(steps)) < 1e-6  # arrow keys step from the value, not from a snapped one


def test_logit_sliders_have_room_on_both_sides_in_the_overflow_example():
    s = nw.SoftmaxCalculator(logits=[1000, 999, 990])
    sliders = s.view.logit_sliders
    assert_one_range(sliders)  # one range: the handles show how the logits differ
    for slider, value in zip(sliders, [1000, 999, 990]):
        assert_room(slider, value)
    sliders[0].value = 1000.1  # one arrow-key step from the browser: no re-centring under the pointer
    assert s.logits_input == [1000.1, 999.0, 990.0] and sliders[0].min == sliders[1].min


@pytest.mark.parametrize("logits", [[-500.0, -501.0, -510.0], [1.5, 300.0], [1e6, -1e6], [0.25, -3.0]])
def test_logit_sliders_recentre_on_values_set_from_python(logits):
    s = nw.SoftmaxCalculator(logits=[1.5, 3.7, 0.0] if len(logits) == 3 else [1.5, 3.7])
    s.logits = logits
    sliders = s.view.logit_sliders
    assert_one_range(sliders)
    if max(logits) - min(logits) < 20:
        for slider, value in zip(sliders, logits):
            assert_room(slider, value)
    else:  # a wide spread: every logit inside, with room beyond the extremes
        for slider, value in zip(sliders, logits):
            assert slider.min < value < slider.max and slider.value == value
        assert sliders[0].max - max(logits) >= 5 and min(logits) - sliders[0].min >= 5
    assert s.logits_input == logits


@pytest.mark.parametrize("target", [0, 2])
def test_bar_labels_stay_inside_the_charts(target):
    s = nw.SoftmaxCalculator(x=[6.3, 2.7, 4.9, 1.8], target=target)  # p − y = −0.964 for target 0
    for mark in (m for m in s.view.figure.canvas.marks if m["type"] == "text"):
        lo, hi = (0.0, 1.0) if mark["axes"] == 0 else (-1.0, 1.0)
        assert lo + 0.03 < mark["y"] < hi, mark  # clear of the frame (the p−y axes run from −1.08 to 1.08)
        assert "-" not in mark["text"], mark  # a real minus sign, as in the table
