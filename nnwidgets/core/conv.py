"""Convolution and pooling with jax.lax: conv2d, conv1d, pool2d, pool1d, correlate1d (sizes: ``conv_shapes``).

conv2d is cross-correlation (what every framework calls convolution): x NHWC, w HWIO (Keras layout), the kernel
(kH, kW) square or rectangular. Output sizes follow ``conv_shapes`` (PyTorch's rules). Sizes are checked before
anything is allocated: at most ``MAX_ELEMENTS`` cells in the padded input or the output.
"""
from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from .._validate import choice
from ..i18n import _
from .conv_shapes import (
    MAX_SIZE,
    PADDING_NAMES,
    axis_sizes,
    check_pool_padding,
    conv_output_size,
    feeds,
    kernel_sizes,
    receptive_field,
    resolve_padding,
    size_arg,
)
from .conv_trace import trace_shapes
from .programs import jit

__all__ = ["MAX_ELEMENTS", "MAX_SIZE", "PADDING_NAMES", "POOL_MODES", "conv1d", "conv2d", "conv_output_size",
           "correlate1d", "feeds", "pool1d", "pool2d", "receptive_field", "resolve_padding", "trace_shapes"]

POOL_MODES = ("max", "avg")
#: the most cells a padded input or an output may have (64 MiB of float32)
MAX_ELEMENTS = 2 ** 24


def _array(name: str, value, ndim: int, layout: str) -> np.ndarray:
    """``value`` as a float32 array of ``ndim`` axes with finite real entries (no bool, complex or text)."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        array = None
    if array is None or array.dtype.kind not in "iuf":
        kind = _("not an array") if array is None else f"dtype {array.dtype}"
        raise ValueError(_("{name} must be an array of real numbers {layout}, got {kind}").format(
            name=name, layout=layout, kind=kind))
    if array.ndim != ndim:
        raise ValueError(_("{name} must have {ndim} axes {layout}, got shape {shape}").format(
            name=name, ndim=ndim, layout=layout, shape=array.shape))
    array = array.astype(np.float32)
    if not np.all(np.isfinite(array)):
        raise ValueError(_("{name} must contain only finite numbers (float32), got inf or nan").format(name=name))
    if array.size == 0:
        raise ValueError(_("{name} must not be empty, got shape {shape}").format(name=name, shape=array.shape))
    return array


def _pads(sizes) -> tuple[tuple[int, int], ...]:
    """(before, after) per axis, with the room a ceil_mode window hanging over the end needs."""
    return tuple((a.before, a.reach_after) for a in sizes)


def _check_cells(batch: int, channels: int, sizes, pads) -> None:
    padded = batch * channels * int(np.prod([a.n + b + e for a, (b, e) in zip(sizes, pads)]))
    out = batch * channels * int(np.prod([a.size for a in sizes]))
    if max(padded, out) > MAX_ELEMENTS:
        raise ValueError(_("padding, kernel_size and dilation give {cells:,} cells; at most {maximum:,} are "
                           "allowed (use less padding or a smaller input)").format(
                               cells=max(padded, out), maximum=MAX_ELEMENTS))


def _kernel_fits(spatial, kernel, stride, padding, dilation):
    """``axis_sizes`` for the kernel of w; a kernel too large for x is reported as a problem of w."""
    try:
        return axis_sizes(spatial, kernel, stride, padding, dilation)
    except ValueError as err:
        if str(err).startswith("kernel_size"):
            raise ValueError(_("w's kernel {kernel} does not fit x: {reason}").format(
                kernel=tuple(kernel) if isinstance(kernel, tuple) else (kernel,), reason=err)) from None
        raise


@partial(jit, static_argnames=("strides", "pads", "dilation", "dims"), keep=16)
def _conv(x, w, strides, pads, dilation, dims):
    return jax.lax.conv_general_dilated(x, w, strides, pads, rhs_dilation=(dilation,) * len(strides),
                                        dimension_numbers=dims)


def conv2d(x, w, stride=1, padding="valid", dilation=1):
    """Cross-correlation of x (N, H, W, C_in) with w (kH, kW, C_in, C_out), kH and kW any sizes:

    out[n, i, j, o] = sum over a, b, c of x_padded[n, i s + a d, j s + b d, c] * w[a, b, c, o].
    """
    x = _array("x", x, 4, "(N, H, W, C)")
    w = _array("w", w, 4, "(kH, kW, C_in, C_out)")
    if w.shape[2] != x.shape[3]:
        raise ValueError(_("w has {w_channels} input channels but x has {x_channels}: they must match").format(
            w_channels=w.shape[2], x_channels=x.shape[3]))
    stride, dilation = size_arg("stride", stride), size_arg("dilation", dilation)
    sizes = _kernel_fits(x.shape[1:3], w.shape[:2], stride, padding, dilation)
    pads = _pads(sizes)
    _check_cells(x.shape[0], max(x.shape[3], w.shape[3]), sizes, pads)
    return np.asarray(_conv(x, w, (stride, stride), pads, dilation, ("NHWC", "HWIO", "NHWC")))


def conv1d(x, w, stride=1, padding="valid", dilation=1):
    """Cross-correlation of sequences x (N, L, C_in) with w (k, C_in, C_out):

    out[n, i, o] = sum over a, c of x_padded[n, i s + a d, c] * w[a, c, o].
    """
    x = _array("x", x, 3, "(N, L, C)")
    w = _array("w", w, 3, "(k, C_in, C_out)")
    if w.shape[1] != x.shape[2]:
        raise ValueError(_("w has {w_channels} input channels but x has {x_channels}: they must match").format(
            w_channels=w.shape[1], x_channels=x.shape[2]))
    stride, dilation = size_arg("stride", stride), size_arg("dilation", dilation)
    sizes = _kernel_fits((x.shape[1],), w.shape[0], stride, padding, dilation)
    pads = _pads(sizes)
    _check_cells(x.shape[0], max(x.shape[2], w.shape[2]), sizes, pads)
    return np.asarray(_conv(x, w, (stride,), pads, dilation, ("NWC", "WIO", "NWC")))


@partial(jit, static_argnames=("window", "strides", "pads", "mode"), keep=16)
def _pool(x, window, strides, pads, mode):
    window, strides = (1,) + window + (1,), (1,) + strides + (1,)
    padding = ((0, 0),) + pads + ((0, 0),)
    if mode == "max":
        return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, window, strides, padding)
    total = jax.lax.reduce_window(x, 0.0, jax.lax.add, window, strides, padding)
    count = jax.lax.reduce_window(jnp.ones_like(x), 0.0, jax.lax.add, window, strides, padding)
    return total / count


def _pool_sizes(spatial, pool_size, stride, padding, mode, ceil_mode):
    """Per-axis sizes of a pooling (stride defaults to the window), PyTorch's padding rule checked."""
    windows = kernel_sizes(pool_size, len(spatial), "pool_size")
    strides = windows if stride is None else (size_arg("stride", stride),) * len(spatial)
    choice("mode", mode, POOL_MODES)
    for k in windows:
        check_pool_padding(padding, k)
    sizes = tuple(axis_sizes((n,), k, s, padding, 1, ceil_mode)[0] for n, k, s in zip(spatial, windows, strides))
    return windows, strides, sizes


def pool2d(x, pool_size, stride=None, padding="valid", mode="max", ceil_mode=False):
    """Max or average pooling of x (N, H, W, C) with a (kH, kW) window (an int: square); stride defaults to it.

    out[n, i, j, c] = max (or mean) of x[n, i s + a - before, j s + b - before, c] over the window's cells inside x:
    padding cells never win a max and are not counted in an average (TF's SAME pooling; PyTorch with
    count_include_pad=False). Explicit padding may be at most half the window, as in PyTorch.
    """
    x = _array("x", x, 4, "(N, H, W, C)")
    windows, strides, sizes = _pool_sizes(x.shape[1:3], pool_size, stride, padding, mode, ceil_mode)
    pads = _pads(sizes)
    _check_cells(x.shape[0], x.shape[3], sizes, pads)
    return np.asarray(_pool(x, windows, strides, pads, mode))


def pool1d(x, pool_size, stride=None, padding="valid", mode="max", ceil_mode=False):
    """Max or average pooling of a 1-D sequence x (N,), with the same rules as ``pool2d``."""
    x = _array("x", x, 1, _("(a 1-D sequence)"))
    windows, strides, sizes = _pool_sizes(x.shape, pool_size, stride, padding, mode, ceil_mode)
    pads = ((0, 0),) + _pads(sizes)
    _check_cells(1, 1, sizes, pads[1:])
    return np.asarray(_pool(x.reshape(1, 1, -1, 1), (1,) + windows, (1,) + strides, pads, mode)).reshape(-1)


def correlate1d(x, w, stride=1, padding="valid", flip=False, dilation=1):
    """The seeds' 1-D examples: cross-correlation out[i] = sum_a x_padded[i s + a d] w[a],
    or true convolution (the kernel flipped first) with ``flip=True``.

    >>> correlate1d([2, 8, 3, 7, 1, 2, 0, 4, 5], [2, 1, 5, 3]).tolist()
    [48.0, 57.0, 24.0, 25.0, 16.0, 39.0]
    """
    x, w = _array("x", x, 1, _("(a 1-D sequence)")), _array("w", w, 1, _("(a 1-D kernel)"))
    if not isinstance(flip, (bool, np.bool_)):
        raise ValueError(_("{name} must be True or False, got {value!r}").format(name="flip", value=flip))
    stride, dilation = size_arg("stride", stride), size_arg("dilation", dilation)
    sizes = _kernel_fits((x.size,), w.size, stride, padding, dilation)
    pads = _pads(sizes)
    _check_cells(1, 1, sizes, pads)
    kernel = w[::-1] if flip else w
    return np.asarray(_conv(x.reshape(1, -1, 1), kernel.reshape(-1, 1, 1).copy(), (stride,), pads, dilation,
                            ("NWC", "WIO", "NWC"))).reshape(-1)
