"""core.conv against PyTorch's size formulas, scipy.signal, NumPy loops, torch (where installed) and the seeds."""
import math

import numpy as np
import pytest
from scipy import signal

from nnwidgets.core.conv import (
    conv1d,
    conv2d,
    conv_output_size,
    correlate1d,
    feeds,
    pool1d,
    pool2d,
    receptive_field,
    resolve_padding,
    trace_shapes,
)
from nnwidgets.core.conv_shapes import axis_size, size_conventions, window

rng = np.random.default_rng(0)


def torch_pooling_output_shape(n, k, pad_l, pad_r, s, d, ceil_mode):
    """PyTorch's pooling_output_shape (aten/src/ATen/native/Pool.h), transcribed; ceil_mode=False is Conv's rule."""
    numerator = n + pad_l + pad_r - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)
    out = numerator // s + 1
    if ceil_mode and (out - 1) * s >= n + pad_l:
        out -= 1
    return out


def test_output_size_matches_pytorch_formulas_on_thousands_of_configurations():
    checked = 0
    for _ in range(5000):
        n, k, s, d = int(rng.integers(1, 40)), int(rng.integers(1, 8)), int(rng.integers(1, 6)), int(rng.integers(1, 4))
        p = (int(rng.integers(0, 4)), int(rng.integers(0, 4)))
        ceil_mode = bool(rng.integers(0, 2))
        expected = torch_pooling_output_shape(n, k, *p, s, d, ceil_mode)
        if ceil_mode and 2 * max(p) > d * (k - 1) + 1:  # PyTorch's pooling: padding at most half the window
            with pytest.raises(ValueError, match="padding must be at most half"):
                conv_output_size(n, k, s, p, d, ceil_mode)
            continue
        if expected < 1:
            with pytest.raises(ValueError, match="kernel_size must fit the padded input"):
                conv_output_size(n, k, s, p, d, ceil_mode)
            continue
        assert conv_output_size(n, k, s, p, d, ceil_mode) == expected
        checked += 1
    assert checked > 2500


@pytest.mark.parametrize("n, s", [(n, s) for n in range(1, 30) for s in range(1, 5)])
def test_same_padding_gives_ceil_n_over_stride_with_the_extra_cell_at_the_end(n, s):
    for k in (1, 2, 3, 4, 5):
        assert conv_output_size(n, k, s, "same") == math.ceil(n / s)
        before, after = resolve_padding(n, k, s, "same")
        assert after - before in (0, 1)


def numpy_correlate2d(x, w, stride, pads, dilation):
    """out[i, j, o] = sum_{a,b,c} xp[i s + a d, j s + b d, c] w[a, b, c, o], loops only."""
    xp = np.pad(x, (pads[0], pads[1], (0, 0)))
    k = w.shape[0]
    oh = (xp.shape[0] - dilation * (k - 1) - 1) // stride + 1
    ow = (xp.shape[1] - dilation * (k - 1) - 1) // stride + 1
    out = np.zeros((oh, ow, w.shape[3]))
    for i in range(oh):
        for j in range(ow):
            patch = xp[i * stride:i * stride + dilation * (k - 1) + 1:dilation,
                       j * stride:j * stride + dilation * (k - 1) + 1:dilation]
            out[i, j] = np.einsum("abc,abco->o", patch, w)
    return out


@pytest.mark.parametrize("trial", range(25))
def test_conv2d_matches_a_numpy_loop(trial):
    h, w_ = (int(v) for v in rng.integers(3, 10, 2))
    c, o = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    k, s, d = int(rng.integers(1, 4)), int(rng.integers(1, 3)), int(rng.integers(1, 3))
    padding = [0, 1, 2, "valid", "same", "full"][trial % 6]
    if min(h, w_) + 2 * 2 < d * (k - 1) + 1:
        return
    x = rng.normal(size=(1, h, w_, c)).astype(np.float32)
    w = rng.normal(size=(k, k, c, o)).astype(np.float32)
    try:
        got = conv2d(x, w, s, padding, d)[0]
    except ValueError:
        return
    pads = [resolve_padding(n, k, s, padding, d) for n in (h, w_)]
    np.testing.assert_allclose(got, numpy_correlate2d(x[0], w, s, pads, d), rtol=1e-4, atol=1e-4)


def test_conv2d_matches_scipy_correlate2d():
    x = rng.normal(size=(8, 9)).astype(np.float32)
    w = rng.normal(size=(3, 3)).astype(np.float32)
    for padding, mode in (("valid", "valid"), ("full", "full"), ("same", "same")):
        got = conv2d(x[None, :, :, None], w[:, :, None, None], padding=padding)[0, :, :, 0]
        np.testing.assert_allclose(got, signal.correlate2d(x, w, mode=mode), rtol=1e-5, atol=1e-5)


def test_conv2d_and_pool2d_match_torch_where_installed():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    for _ in range(20):
        h, c, o, k = int(rng.integers(5, 12)), int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
        s, d, p = int(rng.integers(1, 3)), int(rng.integers(1, 3)), int(rng.integers(0, 2))
        x = rng.normal(size=(2, h, h, c)).astype(np.float32)
        w = rng.normal(size=(k, k, c, o)).astype(np.float32)
        expected = F.conv2d(torch.from_numpy(x).permute(0, 3, 1, 2), torch.from_numpy(w).permute(3, 2, 0, 1),
                            stride=s, padding=p, dilation=d).permute(0, 2, 3, 1).numpy()
        np.testing.assert_allclose(conv2d(x, w, s, p, d), expected, rtol=1e-4, atol=1e-4)
        pk = int(rng.integers(2, 4))
        pp, ceil_mode = int(rng.integers(0, pk // 2 + 1)), bool(rng.integers(0, 2))
        t = torch.from_numpy(x).permute(0, 3, 1, 2)
        expected = F.max_pool2d(t, pk, s, pp, ceil_mode=ceil_mode).permute(0, 2, 3, 1).numpy()
        np.testing.assert_allclose(pool2d(x, pk, s, pp, "max", ceil_mode), expected, rtol=1e-6)
        expected = F.avg_pool2d(t, pk, s, pp, ceil_mode=ceil_mode, count_include_pad=False).permute(0, 2, 3, 1).numpy()
        np.testing.assert_allclose(pool2d(x, pk, s, pp, "avg", ceil_mode), expected, rtol=1e-5, atol=1e-6)


def test_conv1d_matches_numpy_correlate_and_torch_where_installed():
    for _ in range(20):
        n, c, o, k = int(rng.integers(5, 12)), int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
        s, d, p = int(rng.integers(1, 3)), int(rng.integers(1, 3)), int(rng.integers(0, 3))
        x = rng.normal(size=(2, n, c)).astype(np.float32)
        w = rng.normal(size=(k, c, o)).astype(np.float32)
        padded = np.pad(x.astype(np.float64), ((0, 0), (p, p), (0, 0)))
        dilated = np.zeros((d * (k - 1) + 1, c, o))
        dilated[::d] = w
        full = np.stack([np.stack([sum(np.correlate(padded[b, :, ci], dilated[:, ci, oi], mode="valid")
                                       for ci in range(c)) for oi in range(o)], axis=-1) for b in range(2)])
        np.testing.assert_allclose(conv1d(x, w, s, p, d), full[:, ::s], rtol=1e-4, atol=1e-4)
    torch = pytest.importorskip("torch")
    x = rng.normal(size=(1, 9, 3)).astype(np.float32)
    w = rng.normal(size=(4, 3, 2)).astype(np.float32)
    expected = torch.nn.functional.conv1d(torch.from_numpy(x).permute(0, 2, 1), torch.from_numpy(w).permute(2, 1, 0),
                                          stride=2, padding=1).permute(0, 2, 1).numpy()
    np.testing.assert_allclose(conv1d(x, w, 2, 1), expected, rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="w has 2 input channels but x has 3"):
        conv1d(x, np.ones((2, 2, 1)))


@pytest.mark.parametrize("trial", range(20))
def test_pool2d_matches_a_numpy_loop(trial):
    h = int(rng.integers(2, 10))
    k = int(rng.integers(1, min(h, 4) + 1))
    s, padding, mode = int(rng.integers(1, 4)), ["valid", "same", 1][trial % 3], ["max", "avg"][trial % 2]
    ceil_mode = trial % 4 == 0
    x = rng.normal(size=(1, h, h, 1)).astype(np.float32)
    try:
        got = pool2d(x, k, s, padding, mode, ceil_mode)[0, :, :, 0]
    except ValueError:
        return
    before, _ = resolve_padding(h, k, s, padding)
    size = conv_output_size(h, k, s, padding, ceil_mode=ceil_mode)
    reduce = np.max if mode == "max" else np.mean
    expected = np.array([[reduce(x[0, max(i * s - before, 0):min(i * s - before + k, h),
                                     max(j * s - before, 0):min(j * s - before + k, h), 0])
                          for j in range(size)] for i in range(size)])
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


# ---- WORKED_EXAMPLES.md, convolution and pooling ---------------------------------------------------
X1, W1 = [2, 8, 3, 7, 1, 2, 0, 4, 5], [2, 1, 5, 3]


def test_seed_1d_examples():
    assert correlate1d(X1, W1, flip=True).tolist() == [63, 48, 49, 28, 21, 20]
    assert correlate1d(X1, W1).tolist() == [48, 57, 24, 25, 16, 39]
    assert correlate1d(X1, W1, padding="full").tolist() == [6, 34, 51, 48, 57, 24, 25, 16, 39, 29, 13, 10]
    # the seed's 'same' is NumPy's (extra padding first); TF/Keras 'same' puts it last
    assert correlate1d(X1, W1, padding=(2, 1)).tolist() == [34, 51, 48, 57, 24, 25, 16, 39, 29]
    assert correlate1d(X1, W1, padding=(2, 1)).tolist() == np.correlate(X1, W1, "same").tolist()
    assert correlate1d(X1, W1, padding="same").tolist() == [51, 48, 57, 24, 25, 16, 39, 29, 13]
    assert conv_output_size(9, 4, 1) == 6 and conv_output_size(9, 4, 2) == 3
    assert np.convolve(X1, W1, "valid").tolist() == [63, 48, 49, 28, 21, 20]


def test_seed_2d_examples():
    image = np.arange(1, 10, dtype=np.float32).reshape(1, 3, 3, 1)
    ones = np.ones((2, 2, 1, 1), np.float32)
    assert conv2d(image, ones)[0, :, :, 0].tolist() == [[12, 16], [24, 28]]
    same = conv2d(image, ones, padding="same")[0, :, :, 0]
    assert same.tolist() == [[12, 16, 9], [24, 28, 15], [15, 17, 9]]
    filters = np.concatenate([ones, 10 * ones, -ones], axis=3)
    out = conv2d(image, filters, padding="same")[0]
    for k, factor in enumerate((1, 10, -1)):
        assert out[:, :, k].tolist() == (factor * same).tolist()
    assert conv_output_size(7, 3, 1) == 5 and conv_output_size(7, 3, 2) == 3


def test_seed_5x5x3_multichannel_example():
    # the shape part: a 3x3x3 filter over 5x5x3 gives 3x3x1; values are checked against a NumPy loop
    x = rng.integers(-2, 3, size=(1, 5, 5, 3)).astype(np.float32)
    w = rng.integers(-1, 2, size=(3, 3, 3, 1)).astype(np.float32)
    out = conv2d(x, w)
    assert out.shape == (1, 3, 3, 1)
    np.testing.assert_array_equal(out[0], numpy_correlate2d(x[0], w, 1, [(0, 0), (0, 0)], 1))


def test_seed_pooling_examples():
    grid = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    assert pool2d(grid, 2)[0, :, :, 0].tolist() == [[5, 7], [13, 15]]
    small = np.float32([[4, 3], [2, 1]]).reshape(1, 2, 2, 1)
    assert pool2d(small, 2, stride=1)[0, :, :, 0].tolist() == [[4]]
    assert pool2d(small, 2, stride=1, padding="same")[0, :, :, 0].tolist() == [[4, 3], [2, 1]]
    assert pool1d([1, 5, 2, 8, 3], 2, ceil_mode=True).tolist() == [5, 8, 3]


def test_seed_cnn_shape_chain():
    rows = trace_shapes([("input", (28, 28, 1)), ("conv", {"filters": 10, "kernel_size": 3, "padding": "same"}),
                         ("relu",), ("maxpool", {"pool_size": 2, "stride": 2}), ("flatten",),
                         ("dense", {"units": 100}), ("relu",), ("dense", {"units": 10}), ("softmax",)])
    assert [r.shape for r in rows] == [(28, 28, 1), (28, 28, 10), (28, 28, 10), (14, 14, 10), (1960,), (100,),
                                          (100,), (10,), (10,)]
    assert [r.params for r in rows] == [0, 100, 0, 0, 0, 196100, 0, 1010, 0]
    assert "3·3·1·10 + 10 = 100" in rows[1].formula and all(r.error is None for r in rows)


def test_trace_marks_the_first_layer_that_cannot_apply():
    rows = trace_shapes([("input", (5, 5, 1)), ("conv", {"filters": 4, "kernel_size": 3}), ("dense", {"units": 3}),
                         ("flatten",)])
    assert rows[1].shape == (3, 3, 4) and rows[2].shape is None
    assert "dense needs a flat input, got shape (3, 3, 4)" in rows[2].error and len(rows) == 3


def test_receptive_field_and_feeds_are_inverse():
    shape, k, s, p, d = (7, 7), 3, 2, 1, 1
    out = [conv_output_size(n, k, s, p, d) for n in shape]
    for i in range(out[0]):
        for j in range(out[1]):
            for rc in receptive_field((i, j), shape, k, s, p, d):
                assert (i, j) in feeds(rc, shape, k, s, p, d)
    assert receptive_field((0, 0), (7, 7), 3, 2, 1) == [(0, 0), (0, 1), (1, 0), (1, 1)]  # the rest is padding
    assert receptive_field((1, 1), (7, 7), 3, 1, 0, 2) == [(1, 1), (1, 3), (1, 5), (3, 1), (3, 3), (3, 5),
                                                           (5, 1), (5, 3), (5, 5)]  # dilation 2: gaps


@pytest.mark.parametrize("call, message", [
    (lambda: conv_output_size(5, 7), "kernel_size must fit the padded input"),
    (lambda: conv_output_size(5, 3, stride=0), "stride must be a positive integer, got 0"),
    (lambda: conv_output_size(5, 3, stride=1.5), "stride must be a positive integer, got 1.5"),
    (lambda: conv_output_size(5, 3, dilation=0), "dilation must be a positive integer, got 0"),
    (lambda: conv_output_size(5, 3, padding="middle"), "padding must be one of 'valid', 'same', 'full', got 'middle'"),
    (lambda: conv_output_size(5, 3, padding=-1), "padding must be a non-negative integer"),
    (lambda: conv2d(np.ones((1, 4, 4, 2)), np.ones((3, 3, 3, 1))), "w has 3 input channels but x has 2"),
    (lambda: pool2d(np.ones((1, 4, 4, 1)), 2, mode="median"), "mode must be one of 'max', 'avg', got 'median'"),
    (lambda: pool2d(np.ones((1, 4, 4, 1)), 1, padding=1),
     "padding must be at most half of the pooling window (0 for pool_size 1)"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError) as err:
        call()
    assert message in str(err.value)


# ---- rectangular kernels and PyTorch's ceil_mode edge (issue 11), against torch itself ----------------------------
def _nchw(x):
    import torch

    return torch.from_numpy(np.ascontiguousarray(x)).permute(0, 3, 1, 2)


@pytest.mark.parametrize("kernel", [(1, 3), (3, 1), (2, 3), (3, 2)])
def test_rectangular_kernels_match_torch_conv2d_and_pooling(kernel):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    for stride, padding, dilation in ((1, 0, 1), (2, 1, 1), (1, 1, 2), (2, 0, 1)):
        x = rng.normal(size=(2, 7, 8, 3)).astype(np.float32)
        w = rng.normal(size=kernel + (3, 4)).astype(np.float32)
        expected = F.conv2d(_nchw(x), torch.from_numpy(w).permute(3, 2, 0, 1), stride=stride, padding=padding,
                            dilation=dilation).permute(0, 2, 3, 1).numpy()
        got = conv2d(x, w, stride, padding, dilation)
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)  # float32 sums of 18 products
        assert conv_output_size((7, 8), kernel, stride, padding, dilation) == expected.shape[1:3]
        pad = min(padding, min(kernel) // 2)
        for ceil_mode in (False, True):
            want = F.max_pool2d(_nchw(x), kernel, stride, pad, ceil_mode=ceil_mode).permute(0, 2, 3, 1).numpy()
            np.testing.assert_array_equal(pool2d(x, kernel, stride, pad, "max", ceil_mode), want)
            want = F.avg_pool2d(_nchw(x), kernel, stride, pad, ceil_mode=ceil_mode,
                                count_include_pad=False).permute(0, 2, 3, 1).numpy()
            np.testing.assert_allclose(pool2d(x, kernel, stride, pad, "avg", ceil_mode), want, rtol=1e-6, atol=1e-6)
        want = F.max_pool2d(_nchw(x), kernel).permute(0, 2, 3, 1).numpy()  # stride defaults to the window
        np.testing.assert_array_equal(pool2d(x, kernel), want)


def test_rectangular_kernels_in_the_tracer():
    rows = trace_shapes([("input", (7, 8, 3)), ("conv", {"filters": 4, "kernel_size": (1, 3)}),
                         ("maxpool", {"pool_size": (3, 1)})])
    assert [r.shape for r in rows] == [(7, 8, 3), (7, 6, 4), (2, 6, 4)]
    assert rows[1].params == 1 * 3 * 3 * 4 + 4 and "1·3·3·4 + 4 = 40" in rows[1].formula


def test_ceil_mode_grid_matches_torch_max_pool2d_exactly():
    """(n, k, s, p, ceil_mode) over a grid: the same output size as torch, or an error where torch raises."""
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    compared = refused = 0
    for n in range(1, 8):
        x = rng.normal(size=(1, n, n, 1)).astype(np.float32)
        for k in range(1, 6):
            for s in range(1, 4):
                for p in range(0, 3):
                    for ceil_mode in (False, True):
                        try:
                            want = F.max_pool2d(_nchw(x), k, s, p, ceil_mode=ceil_mode).permute(0, 2, 3, 1).numpy()
                        except RuntimeError:
                            with pytest.raises(ValueError):
                                pool2d(x, k, s, p, "max", ceil_mode)
                            if not 2 * p > k:  # conv_output_size only knows pooling's padding rule in ceil_mode
                                with pytest.raises(ValueError):
                                    conv_output_size(n, k, s, p, ceil_mode=ceil_mode)
                            refused += 1
                            continue
                        assert conv_output_size(n, k, s, p, ceil_mode=ceil_mode) == want.shape[1]
                        np.testing.assert_array_equal(pool2d(x, k, s, p, "max", ceil_mode), want)
                        compared += 1
    assert compared > 300 and refused > 100


def test_the_pytorch_ceil_mode_edge_of_the_issue():
    torch = pytest.importorskip("torch")
    want = torch.nn.functional.max_pool2d(torch.zeros(1, 1, 2, 2), 3, stride=2, ceil_mode=True)
    assert tuple(want.shape) == (1, 1, 1, 1)
    assert conv_output_size(2, 3, stride=2, ceil_mode=True) == 1
    x = np.float32([[1, 5], [7, 2]]).reshape(1, 2, 2, 1)
    assert pool2d(x, 3, stride=2, ceil_mode=True).tolist() == [[[[7.0]]]]
    assert pool2d(x, 3, stride=2, mode="avg", ceil_mode=True).tolist() == [[[[3.75]]]]
    with pytest.raises(ValueError, match="kernel_size must fit the padded input"):
        conv_output_size(2, 3, stride=2)  # floor mode: PyTorch refuses too


# ---- the geometry the panel shows (moved from the panel's state into core.conv_shapes) --------------------------
@pytest.mark.parametrize("trial", range(30))
def test_receptive_fields_and_feeds_match_torch_autograd(trial):
    """The cells output (i, j) reads are exactly those with a nonzero gradient through torch's conv2d."""
    torch = pytest.importorskip("torch")
    h, w_ = int(rng.integers(3, 9)), int(rng.integers(3, 9))
    kernel = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    s, p, d = int(rng.integers(1, 3)), int(rng.integers(0, 3)), int(rng.integers(1, 3))
    try:
        out = conv_output_size((h, w_), kernel, s, p, d)
    except ValueError:
        return
    x = torch.zeros(1, 1, h, w_, requires_grad=True)
    y = torch.nn.functional.conv2d(x, torch.ones((1, 1) + kernel), stride=s, padding=p, dilation=d)
    assert tuple(y.shape[2:]) == out
    i, j = int(rng.integers(0, out[0])), int(rng.integers(0, out[1]))
    y[0, 0, i, j].backward()
    read = [tuple(map(int, c)) for c in np.argwhere(x.grad[0, 0].numpy() != 0)]
    assert receptive_field((i, j), (h, w_), kernel, s, p, d) == read
    for rc in read:
        assert (i, j) in feeds(rc, (h, w_), kernel, s, p, d)
    assert len(window((i, j), (h, w_), kernel, s, p, d)) == kernel[0] * kernel[1]


def test_axis_size_formula_evenness_and_the_room_ceil_mode_needs():
    a = axis_size(7, 3, stride=2)
    assert a.formula == "floor((7 + 0 + 0 − 1·(3 − 1) − 1) / 2) + 1 = 3" and a.divides_evenly and a.reach_after == 0
    b = axis_size(8, 3, stride=2)
    assert b.size == 3 and not b.divides_evenly and b.span == 5
    c = axis_size(5, 2, stride=2, ceil_mode=True)
    assert c.formula.startswith("ceil(") and c.size == 3 and (c.before, c.reach_after) == (0, 1)


@pytest.mark.parametrize("n, k, s, padding, d", [(7, 3, 2, 0, 1), (8, 3, 2, 0, 1), (5, 2, 2, (0, 1), 1),
                                                 (9, 4, 1, "same", 1), (6, 3, 3, 1, 2), (3, 5, 1, 0, 1)])
def test_size_conventions_side_by_side(n, k, s, padding, d):
    before, after = resolve_padding(n, k, s, padding, d)
    conventions = size_conventions(n, k, s, padding, d)
    expected_floor = torch_pooling_output_shape(n, k, before, after, s, d, False)
    assert conventions.pytorch == (expected_floor if expected_floor >= 1 else None)
    assert conventions.same == math.ceil(n / s)  # TF/Keras 'same'
    assert conventions.valid == (torch_pooling_output_shape(n, k, 0, 0, s, d, False)
                                 if n >= d * (k - 1) + 1 else None)
    assert conventions.exact == (n + before + after - d * (k - 1) - 1) / s + 1
