"""The softmax calculator driven headlessly: controls both ways, table and picture, nudges, errors, the hand check."""
import html

import numpy as np
import pytest

import nnwidgets as nw


def test_api_of_the_issue():
    s = nw.SoftmaxCalculator(logits=[1.5, 3.7], target=1, labels=["cat", "dog"])
    np.testing.assert_allclose(s.probabilities, [0.0997505, 0.9002495], rtol=1e-5)
    assert s.loss == pytest.approx(0.105083, rel=1e-5)
    assert s.mse == pytest.approx(np.mean((s.probabilities - [0, 1]) ** 2), rel=1e-6)
    np.testing.assert_allclose(s.grad_logits, s.probabilities - [0, 1], atol=1e-7)
    s.logits = [2.0, 1.0]
    assert s.logits.tolist() == [2.0, 1.0]
    s.temperature = 2.0
    np.testing.assert_allclose(s.probabilities, nw.softmax([2.0, 1.0], temperature=2.0), rtol=1e-6)


def test_a_logit_slider_changes_state_table_and_picture():
    s = nw.SoftmaxCalculator(logits=[1.5, 3.7], target=1, labels=["cat", "dog"])
    table, png, marks = s.view.table.value, s.to_png(), s.view.figure.canvas.marks
    s.control("z1").value = 3.0
    assert s.logits_input == [3.0, 3.7]
    assert s.view.table.value != table and s.to_png() != png and s.view.figure.canvas.marks != marks
    s.logits = [0.25, -1.0]  # Python -> controls, including the number boxes
    assert s.control("z1").value == 0.25 and s.view.logit_boxes[1].value == -1.0


def test_sliders_never_snap_a_value_set_in_python():
    p = nw.PerceptronExplorer(gate="AND", w1=0.333)
    slider = p.control("w1")
    assert slider.value == 0.333
    steps = (slider.value - slider.min) / slider.step
    assert abs(steps - round(steps)) < 1e-9  # the browser's grid passes through the value
    slider.value = 0.333 + 1e-15  # float noise echoed by a browser is ignored
    assert p.w1 == 0.333
    slider.value = 0.38300000000000006  # one arrow-key step, noise removed
    assert p.w1 == 0.383


def test_classes_slider_resizes_and_clamps_the_target():
    s = nw.SoftmaxCalculator(logits=[1.0, 2.0, 3.0], target=2)
    s.view.classes.value = 5
    assert s.classes == 5 and s.logits_input == [1.0, 2.0, 3.0, 0.0, 0.0] and len(s.view.logit_sliders) == 5
    s.view.classes.value = 2
    assert s.classes == 2 and s.target == 1 and len(s.view.logit_sliders) == 2


def test_linear_mode_grid_nudge_and_before_after():
    s = nw.SoftmaxCalculator(x=[6.3, 2.7, 4.9, 1.8], target=2)  # prefilled with the seed's Iris W and b
    assert s.mode == "linear"
    s.view.b_boxes[1].value = 1.319879  # the seed's "what if b2 += 1", typed in the grid
    np.testing.assert_allclose(s.probabilities, [0.024628, 0.491654, 0.483718], atol=1e-6)
    s.view.b_boxes[1].value = 0.319879
    s.nudge("b2", 1.0)
    assert s.view.b_boxes[1].value == pytest.approx(1.319879)
    assert "p before" in s.view.table.value and "0.701838" in s.view.table.value
    assert "After b[1] += 1: loss 0.354052 → 0.726254" in s.view.summary.value
    with pytest.raises(ValueError, match="logits are W x \\+ b in linear-layer mode"):
        s.logits = [1.0, 2.0, 3.0]


def test_log_base_note_shows_both_losses():
    s = nw.SoftmaxCalculator(x=[6.3, 2.7, 4.9, 1.8], target=2)
    s.control("log_base").value = "10"
    assert s.log_base == "10"
    assert "0.153763" in s.view.summary.value and "0.354052" in s.view.summary.value


def test_naive_column_marks_overflow_and_the_stable_one_stays_exact():
    s = nw.SoftmaxCalculator(logits=[1000.0, 999.0])
    s.show_naive = True
    assert "nan ⚠" in s.view.table.value and "inf ⚠" in s.view.table.value
    np.testing.assert_allclose(s.probabilities, [0.7310586, 0.2689414], rtol=1e-6)
    assert "overflows float32" in s.view.summary.value


def test_binary_view_equivalence_is_shown():
    s = nw.SoftmaxCalculator(logits=[1.5, 3.7], target=1, labels=["cat", "dog"])
    assert "σ(z[1] − z[0]) = 0.90025 = p(dog)" in s.view.summary.value
    assert "binary cross-entropy = 0.105083" in s.view.summary.value


@pytest.mark.parametrize("name, value, message", [
    ("target", 5, "target must be a class index in 0..1 or one of the labels, got 5"),
    ("logits", [], "logits must be a list of 1 to 10 numbers, got []"),
    ("logits", [1.0, float("nan")], "logits must contain only finite numbers"),
    ("log_base", "pi", "log_base must be one of 'e', '2', '10', got 'pi'"),
    ("temperature", -1.0, "temperature must be a positive number, got -1.0"),
    ("temperature", 1e-9, "temperature must be between 0.001 and 1000, got 1e-09"),
    ("logits", [1e38, 0.0], "logits entries must be between -1e+06 and 1e+06"),
    ("labels", ["only one"], "labels must name all 2 classes, got 1"),
])
def test_bad_input_is_rejected_shown_and_the_panel_keeps_working(name, value, message):
    s = nw.SoftmaxCalculator(logits=[1.5, 3.7], target=1)
    before = s.report().loss
    with pytest.raises(ValueError) as err:
        setattr(s, name, value)
    assert message in str(err.value)
    assert html.escape(message) in s.view.status.value
    assert s.report().loss == before
    s.control("z1").value = 2.0  # still alive
    assert s.error == "" and s.logits_input == [2.0, 3.7]


def test_linear_layer_shapes_that_do_not_fit():
    with pytest.raises(ValueError, match="W must have shape"):
        nw.SoftmaxCalculator(x=[1.0, 2.0], W=[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], b=[0.0, 0.0])
    s = nw.SoftmaxCalculator(x=[1.0, 2.0], W=[[1.0, 2.0], [3.0, 4.0]], b=[0.0, 0.0])
    with pytest.raises(ValueError, match="x does not fit"):
        s.x = [1.0, 2.0, 3.0]
    assert s.x == [1.0, 2.0]


def test_check_box_in_the_panel_finds_the_seed_002_slip():
    s = nw.SoftmaxCalculator(x=[0.5, 0.1], W=[[0.2, 0.1], [0.3, 0.4]], b=[0.7, 0.2], target=0)
    s.view.check_inputs["exp"].value = "2.25, 0.48"
    s.view.check_inputs["probabilities"].value = "0.8, 0.2"
    s.view.check_inputs["loss"].value = "0.096"
    s.view.run_check()
    text = s.view.check_result.value
    assert "<li>e^z, class 1: you have 0.48, the right value is 1.47698." in text
    s.view.check_inputs["exp"].value = "2.25, abc"
    s.view.run_check()
    assert "exp must be numbers" in s.view.check_result.value


def test_static_image_and_mimebundle():
    bundle = nw.SoftmaxCalculator(logits=[1.0, 2.0, 3.0])._repr_mimebundle_()
    assert {"image/png", "application/vnd.jupyter.widget-view+json", "text/plain"} <= set(bundle)
    assert bundle["text/plain"].startswith("SoftmaxCalculator(logits=[1.0, 2.0, 3.0]")


def test_extremes_within_the_limits_stay_finite():
    s = nw.SoftmaxCalculator(logits=[1e6, -1e6], target=1)
    s.temperature = 0.001  # z / T = 1e9
    r = s.report()
    assert all(np.isfinite(v).all() for v in (r.probabilities, r.log_p, r.grad_logits))
    assert r.loss == pytest.approx(2e9, rel=1e-6)
    p1, bce = s.binary_view()
    assert p1 == 0.0 and bce == pytest.approx(2e9, rel=1e-6)


def test_a_rejected_edit_in_a_number_box_puts_the_box_back():
    s = nw.SoftmaxCalculator(logits=[1.5, 3.7])
    s.view.logit_boxes[0].value = 1e9
    assert s.logits_input == [1.5, 3.7] and s.view.logit_boxes[0].value == 1.5
    assert "between -1e+06 and 1e+06" in s.view.status.value
    linear = nw.SoftmaxCalculator(x=[6.3, 2.7, 4.9, 1.8], target=2)
    linear.view.x_boxes[0].value = 5e7
    assert linear.x[0] == 6.3 and linear.view.x_boxes[0].value == 6.3
