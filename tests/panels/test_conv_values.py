"""The conv visualizer shows real values by default (a handwritten digit, edge kernels, the output they give) and a
depth view of channels, filters and maps; every number drawn is checked against scipy/NumPy."""
import io

import numpy as np
import pytest
from PIL import Image
from scipy.signal import correlate2d

import nnwidgets as nw

MINUS = "\N{MINUS SIGN}"


def shown(panel, axes):
    """The numbers drawn in ``axes`` (0 input, 1 output, 2 kernels), in drawing order."""
    out = []
    for m in panel.view.figure.marks:
        if m["type"] == "text" and m["axes"] == axes:
            try:
                out.append(float(m["text"].replace(MINUS, "-")))
            except ValueError:
                pass
    return np.array(out)


def slice_outlines(panel, axes):
    """How many slices are drawn behind the front one in ``axes`` (single-rectangle marks)."""
    return sum(1 for m in panel.view.figure.marks if m["type"] == "rects" and m["axes"] == axes and len(m["xs"]) == 1
               and m["fill"] == "#f2f2f2")


def first_image_of(digit):
    images, labels = nw.load_digits()
    return images[int(np.argmax(labels == digit))].reshape(8, 8).astype(np.float64)


def test_the_default_panel_shows_a_digit_its_kernel_and_the_output_they_give():
    c = nw.ConvShapeVisualizer()  # (7, 7, 1), kernel 3, stride 1
    assert c.numbers is True
    x = shown(c, 0).reshape(7, 7)
    np.testing.assert_array_equal(x, first_image_of(0)[:7, :7])  # the centre 7x7 of the first "0"
    assert 0 <= x.min() and x.max() <= 16 and x.max() >= 15
    w = shown(c, 2).reshape(3, 3)
    np.testing.assert_array_equal(w, [[1, 0, -1]] * 3)  # a vertical edge detector
    out = shown(c, 1).reshape(5, 5)
    np.testing.assert_allclose(out, correlate2d(x, w, mode="valid"), rtol=0, atol=1e-4)
    assert np.abs(out).max() > 20  # real edges, not a blank grid


def test_the_input_is_drawn_in_grey_levels_darker_where_the_ink_is():
    c = nw.ConvShapeVisualizer()
    grid = next(m for m in c.view.figure.marks if m["type"] == "rects" and m["axes"] == 0 and len(m["xs"]) == 49)
    x = first_image_of(0)[:7, :7].ravel()
    levels = np.array([int(f[1:3], 16) for f in grid["fill"]])
    assert levels[np.argmax(x)] < 90 and levels[np.argmin(x)] == 255
    assert np.all(np.diff(levels[np.argsort(x)]) <= 0)  # more ink, darker


@pytest.mark.parametrize("padding, stride", [(0, 1), (1, 2), ("same", 1)])
def test_numbers_with_padding_and_stride_match_scipy(padding, stride):
    c = nw.ConvShapeVisualizer(input_shape=(10, 9, 1), kernel_size=(3, 2), stride=stride, padding=padding)
    image = np.zeros((10, 9))
    image[1:9, 0:8] = first_image_of(0)  # centred: one blank row above, the digit's last column cut
    p = c.axes[0].before, c.axes[0].reach_after, c.axes[1].before, c.axes[1].reach_after
    padded = np.pad(image, ((p[0], p[1]), (p[2], p[3])))
    np.testing.assert_array_equal(shown(c, 0).reshape(padded.shape), padded)
    w = shown(c, 2).reshape(3, 2)
    want = correlate2d(padded, w, mode="valid")[::stride, ::stride][:c.output_spatial[0], :c.output_spatial[1]]
    np.testing.assert_allclose(shown(c, 1).reshape(c.output_spatial), want, atol=1e-4)


def test_depth_view_of_channels_filters_and_maps():
    c = nw.ConvShapeVisualizer(input_shape=(8, 8, 3), kernel_size=3, filters=5)
    assert slice_outlines(c, 0) == 2  # 3 input channels: the front one and two behind
    assert slice_outlines(c, 1) == 3  # 4 of the 5 maps drawn
    assert slice_outlines(c, 2) == 4 * 2  # 4 filters drawn, each with 3 slices
    texts = [m["text"] for m in c.view.figure.marks if m["type"] == "text"]
    assert "+1 more filters" in texts and "filter 4" in texts and "filter 5" not in texts
    assert any("C = 3" in t for t in texts) and any("F = 5" in t for t in texts)
    x = c.input_tensor()
    for channel in range(3):
        np.testing.assert_array_equal(x[..., channel], first_image_of(channel))
    w = c.kernel_tensor()
    assert w.shape == (3, 3, 3, 4) and len({w[..., k, f].tobytes() for k in range(3) for f in range(4)}) == 3
    out = c.output_tensor()
    for f in range(4):  # map f = sum over channels of (channel k correlated with slice k of filter f)
        want = sum(correlate2d(x[..., k], w[..., k, f], mode="valid") for k in range(3))
        np.testing.assert_allclose(out[..., f], want, atol=1e-3)
    np.testing.assert_allclose(shown(c, 1), out[..., 0].ravel(), atol=1e-3)  # map 1 in front, with its numbers


def test_depth_view_in_the_png():
    def behind_the_input(panel):
        image = np.asarray(Image.open(io.BytesIO(panel.to_png())).convert("RGB")).astype(int)
        strip = image[80:110, 230:320]  # above and right of the input grid's top-right corner
        return int(np.sum(np.all(np.abs(strip - 0xF2) <= 2, axis=-1)))
    assert behind_the_input(nw.ConvShapeVisualizer(input_shape=(8, 8, 1))) < 20  # a few anti-aliased pixels
    assert behind_the_input(nw.ConvShapeVisualizer(input_shape=(8, 8, 3))) > 200


def test_one_dimensional_channels_add_up_and_pooling_keeps_them_apart():
    c = nw.ConvShapeVisualizer(input_shape=(9, 2), kernel_size=4, filters=2)
    x, w = c.input_tensor(), c.kernel_tensor()
    np.testing.assert_array_equal(x[:, 0], [2, 8, 3, 7, 1, 2, 0, 4, 5])  # the seed's sequence in channel 1
    for f in range(2):
        want = sum(np.correlate(x[:, k], w[:, k, f], mode="valid") for k in range(2))
        np.testing.assert_allclose(c.output_tensor()[:, f], want, atol=1e-4)
    pool = nw.ConvShapeVisualizer(input_shape=(8, 8, 2), kernel_size=2, stride=2, mode="maxpool")
    x = pool.input_tensor()
    want = x.reshape(4, 2, 4, 2, 2).max(axis=(1, 3))
    np.testing.assert_array_equal(pool.output_tensor(), want)


def test_the_summary_writes_out_the_products_of_the_current_cell():
    c = nw.ConvShapeVisualizer(position=7)  # output cell (1, 2)
    line = c.view.summary.value.split("<br>")[-1]
    terms, value = line.split(" = ")[1], line.split("<b>")[1].split("<")[0]
    pairs = [t.split("·") for t in terms.split(" + ")]
    products = [float(a.strip("()").replace(MINUS, "-")) * float(b.strip("()").replace(MINUS, "-")) for a, b in pairs]
    x = first_image_of(0)[:7, :7]
    want = correlate2d(x, np.array([[1, 0, -1]] * 3), mode="valid")[1, 2]
    assert [float(a.strip("()")) for a, _ in pairs] == x[1:4, 2:5].ravel().tolist()
    assert sum(products) == want == float(value.replace(MINUS, "-"))


def test_clicks_on_the_front_slices_pick_the_cell_under_the_pointer():
    c = nw.ConvShapeVisualizer(input_shape=(8, 8, 3), kernel_size=3, padding=1, filters=5)
    front = [m for m in c.view.figure.marks if m["type"] == "rects" and len(m["xs"]) > 1]
    grid_in = next(m for m in front if m["axes"] == 0)  # 10x10 padded cells, reading order
    k = 3 * 10 + 5  # padded cell (3, 5) = input cell (2, 4)
    c.view._clicked(0, grid_in["xs"][k] + grid_in["w"] / 2, grid_in["ys"][k] + grid_in["h"] / 2)
    assert c.selected_input == (2, 4)
    grid_out = next(m for m in front if m["axes"] == 1)
    c.view._clicked(1, grid_out["xs"][13] + grid_out["w"] / 2, grid_out["ys"][13] + grid_out["h"] / 2)
    assert c.position == 13
    c.view._clicked(2, 0.5, 0.5)  # the kernels: nothing to pick
    assert c.position == 13 and c.selected_input == (2, 4)


def test_controls_that_do_nothing_in_a_mode_are_disabled():
    c = nw.ConvShapeVisualizer()
    assert not c.control("filters").disabled and not c.control("flip").disabled and c.control("ceil_mode").disabled
    c.control("mode").value = "maxpool"
    assert c.control("filters").disabled and c.control("flip").disabled and not c.control("ceil_mode").disabled


def test_uneven_padding_is_not_written_as_a_pytorch_padding_pair():
    """Conv2d's padding=(0, 1) means 0 rows and 1 column on both sides, not 0 before and 1 after."""
    import nnwidgets as nw

    c = nw.ConvShapeVisualizer(input_shape=(3, 3, 1), kernel_size=2, padding="same")
    label = c.conventions(0)[0][0]
    assert "padding=(" not in label and "F.pad 0 before and 1 after" in label, label
