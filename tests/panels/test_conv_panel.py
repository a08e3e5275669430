"""The conv/pool visualizer driven headlessly: traits and controls, grids, formulas, numbers, tracer, errors."""
import html

import numpy as np
import pytest

import nnwidgets as nw


def test_api_of_the_issue():
    c = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3, stride=2, padding="valid", dilation=1,
                               filters=1, mode="conv")
    assert c.output_shape == (3, 3, 1)
    assert c.receptive_field(1, 1) == [(r, q) for r in (2, 3, 4) for q in (2, 3, 4)]
    c.stride = 1
    assert c.output_shape == (5, 5, 1) and c.control("stride").value == 1
    c.control("stride").value = 2
    assert c.stride == 2 and c.output_shape == (3, 3, 1)


def test_the_picture_and_formula_change_with_the_stride():
    c = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3, stride=1)
    png, marks, summary = c.to_png(), c.view.figure.canvas.marks, c.view.summary.value
    c.control("stride").value = 2
    assert c.to_png() != png and c.view.figure.canvas.marks != marks
    assert "floor((7 + 0 + 0 − 1·(3 − 1) − 1) / 2) + 1 = 3" in c.view.summary.value != summary


def test_not_dividing_evenly_is_flagged():
    c = nw.ConvShapeVisualizer(input_shape=(8, 8, 1), kernel_size=3, stride=2)
    assert not c.divides_evenly() and "does not divide evenly" in c.view.summary.value
    assert "3.5 ✗" in c.view.conventions.value


def test_conventions_side_by_side_for_pooling():
    c = nw.ConvShapeVisualizer(input_shape=(5, 5, 1), kernel_size=2, stride=2, mode="maxpool")
    rows = dict(c.conventions())
    assert rows["PyTorch, padding=0 (floor)"] == "2" and rows["PyTorch pooling, ceil_mode=True"] == "3"
    assert rows["TF / Keras 'same' = ceil(n / stride)"] == "3"
    c.ceil_mode = True
    assert c.output_shape == (3, 3, 1)


def test_numbers_mode_with_the_seed_examples_and_the_flip_toggle():
    c = nw.ConvShapeVisualizer(input_shape=(9, 1), kernel_size=4)
    c.numbers = True
    assert c.output_values().tolist() == [48, 57, 24, 25, 16, 39]
    c.control("flip").value = True
    assert c.output_values().tolist() == [63, 48, 49, 28, 21, 20]
    assert "true convolution" in c.view.summary.value
    keras = nw.ConvShapeVisualizer(input_shape=(3, 3, 1), kernel_size=2, padding="same")
    assert keras.output_values().tolist() == [[12, 16, 9], [24, 28, 15], [15, 17, 9]]
    pool = nw.ConvShapeVisualizer(input_shape=(4, 4, 1), kernel_size=2, stride=2, mode="maxpool")
    assert pool.output_values().tolist() == [[5, 7], [13, 15]]


def test_channels_filters_and_parameter_count():
    c = nw.ConvShapeVisualizer(input_shape=(5, 5, 3), kernel_size=3, filters=2)
    assert c.output_shape == (3, 3, 2) and c.params == 3 * 3 * 3 * 2 + 2
    assert "3·3·3·2 + 2 = 56" in c.view.summary.value
    c.mode = "avgpool"
    assert c.output_shape == (3, 3, 3) and c.params == 0


def test_picking_cells_highlights_windows_and_fed_outputs():
    c = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3, stride=2)
    c.position = 4
    assert c.cell(4) == (1, 1) and "output cell (1, 1) reads input cells" in c.view.summary.value
    c.selected_input = (2, 2)
    assert c.feeds(2, 2) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert "input cell (2, 2) feeds output cells [(0, 0), (0, 1), (1, 0), (1, 1)]" in c.view.summary.value
    c.view._clicked(1, 0.8, 0.8)  # a click inside the output grid's top-right cell
    assert c.cell(c.position) == (0, 2)


def test_tracer_shows_the_seed_cnn_and_marks_the_failing_layer():
    c = nw.ConvShapeVisualizer()
    tracer = c.view.network
    assert "196,100" in tracer.table.value and "1960" in tracer.table.value
    tracer.trace("('input', (8, 8, 1)), ('dense', {'units': 3})")
    assert "dense needs a flat input" in tracer.table.value and "#fde2e2" in tracer.table.value
    assert c.network.layers == [("input", (8, 8, 1)), ("dense", {"units": 3})] and c.network.error == ""
    tracer.trace("('input', (8, 8, 1)), ('oops'")
    assert "layers must be Python tuples" in tracer.status.value and "layers must be Python tuples" in c.network.error
    assert c.network.layers == [("input", (8, 8, 1)), ("dense", {"units": 3})]  # the refused text changed nothing
    c.control("layers").value = "('input', (4, 4, 2)),\n('flatten',)"
    tracer.trace(c.control("layers").value)
    assert [row.shape for row in c.trace()] == [(4, 4, 2), (32,)] and c.network.error == ""


@pytest.mark.parametrize("name, value, message", [
    ("kernel_size", 9, "kernel_size = 9 does not fit: kernel_size must fit the padded input"),
    ("stride", 0, "stride must be a whole number from 1 to 32, got 0"),
    ("dilation", 1.5, "dilation must be a whole number from 1 to 32, got 1.5"),
    ("padding", "middle", "padding must be one of 'valid', 'same', 'full', a whole number from 0 to 32"),
    ("padding", -1, "or a (before, after) pair of them, got -1"),
    ("mode", "minpool", "mode must be one of 'conv', 'maxpool', 'avgpool', got 'minpool'"),
    ("input_shape", (7, 7), None),  # a valid 1-D shape: (N, C)
    ("input_shape", (0, 7, 1), "input_shape must be (H, W, C) or (N, C)"),
])
def test_bad_input_is_rejected_shown_and_the_panel_keeps_working(name, value, message):
    c = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3)
    if message is None:
        setattr(c, name, value)
        assert c.output_shape == (5, 1)
        return
    before = c.output_shape
    with pytest.raises(ValueError) as err:
        setattr(c, name, value)
    assert message in str(err.value) and html.escape(message) in c.view.status.value
    assert c.output_shape == before
    c.stride = 2
    assert c.output_shape == (3, 3, 1) and c.error == ""


def test_a_slider_that_would_break_the_layer_is_put_back():
    c = nw.ConvShapeVisualizer(input_shape=(5, 5, 1), kernel_size=3)
    c.control("kW").value = 7
    assert c.kernel_size == 3 and c.control("kW").value == 3 and c.control("kH").value == 3
    assert "does not fit" in c.view.status.value


def test_kernel_sliders_make_a_rectangular_kernel():
    c = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3)
    c.control("kH").value = 1
    assert c.kernel_size == (1, 3) and c.output_shape == (7, 5, 1)
    c.kernel_size = 2
    assert (c.control("kH").value, c.control("kW").value) == (2, 2)


def test_static_bundle():
    bundle = nw.ConvShapeVisualizer()._repr_mimebundle_()
    assert "image/png" in bundle and bundle["text/plain"].endswith("-> (5, 5, 1)")
    assert np.asarray(nw.ConvShapeVisualizer().output_values()).shape == (5, 5)
