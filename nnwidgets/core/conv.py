"""Convolution and pooling: output sizes under every convention, and the operations themselves (jax.lax).

Output size along one axis, with effective kernel k' = dilation (k - 1) + 1 and padding (before, after):
    floor((n + before + after - k') / stride) + 1                   (PyTorch, TF "VALID", Keras)
    ceil(...) + 1, minus 1 if the last window would start past the input and the left padding  (ceil_mode)
Padding names: "valid" = (0, 0); "same" = TF/Keras, output ceil(n / stride), the odd extra cell at the
end (bottom/right); "full" = (k' - 1, k' - 1); an int p = (p, p); a pair = (before, after).
conv2d is cross-correlation (what every framework calls convolution): x NHWC, w HWIO (Keras layout).
"""
from __future__ import annotations

import math
import numbers
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from .._validate import choice, finite_array

PADDING_NAMES = ("valid", "same", "full")
POOL_MODES = ("max", "avg")


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def resolve_padding(n: int, kernel_size: int, stride: int = 1, padding=0, dilation: int = 1) -> tuple[int, int]:
    """(before, after) padding along one axis of size ``n`` for any accepted ``padding`` value."""
    effective = dilation * (kernel_size - 1) + 1
    if isinstance(padding, str):
        name = choice("padding", padding.lower(), PADDING_NAMES)
        if name == "valid":
            return 0, 0
        if name == "full":
            return effective - 1, effective - 1
        total = max((math.ceil(n / stride) - 1) * stride + effective - n, 0)
        return total // 2, total - total // 2
    pair = (padding, padding) if isinstance(padding, numbers.Integral) and not isinstance(padding, bool) else padding
    if (not isinstance(pair, (tuple, list)) or len(pair) != 2
            or not all(isinstance(p, numbers.Integral) and not isinstance(p, bool) and p >= 0 for p in pair)):
        raise ValueError(f"padding must be a non-negative integer, a (before, after) pair of them, or one of "
                         f"'valid', 'same', 'full', got {padding!r}")
    return int(pair[0]), int(pair[1])


def conv_output_size(n, kernel_size, stride=1, padding=0, dilation=1, ceil_mode=False) -> int:
    """Output length along one axis (see the module docstring); PyTorch's rules exactly, ceil_mode included.

    >>> conv_output_size(7, 3, stride=2)
    3
    >>> conv_output_size(28, 3, padding="same")
    28
    """
    n = _positive_int("n", n)
    kernel_size, stride, dilation = (_positive_int(k, v) for k, v in
                                     (("kernel_size", kernel_size), ("stride", stride), ("dilation", dilation)))
    before, after = resolve_padding(n, kernel_size, stride, padding, dilation)
    effective = dilation * (kernel_size - 1) + 1
    span = n + before + after - effective
    if span < 0:
        raise ValueError(f"kernel_size must fit the padded input: an effective kernel of {effective} "
                         f"(kernel_size {kernel_size}, dilation {dilation}) is larger than {n} + {before} + {after} "
                         f"= {n + before + after}")
    if not ceil_mode:
        return span // stride + 1
    out = -(-span // stride) + 1
    if (out - 1) * stride >= n + before:  # PyTorch: the last window must start inside the input or left padding
        out -= 1
    return out


def _pads(shape_hw, kernel_size, stride, padding, dilation, ceil_mode=False):
    pads = []
    for n in shape_hw:
        before, after = resolve_padding(n, kernel_size, stride, padding, dilation)
        out = conv_output_size(n, kernel_size, stride, (before, after), dilation, ceil_mode)
        effective = dilation * (kernel_size - 1) + 1
        after = max(after, (out - 1) * stride + effective - n - before)  # room for ceil_mode's extra window
        pads.append((before, after))
    return tuple(pads)


@partial(jax.jit, static_argnames=("stride", "pads", "dilation"))
def _conv(x, w, stride, pads, dilation):
    return jax.lax.conv_general_dilated(x, w, (stride, stride), pads, rhs_dilation=(dilation, dilation),
                                        dimension_numbers=("NHWC", "HWIO", "NHWC"))


def conv2d(x, w, stride=1, padding="valid", dilation=1):
    """Cross-correlation of x (N, H, W, C_in) with w (kH, kW, C_in, C_out): out[n, i, j, o] =
    sum over a, b, c of x_padded[n, i s + a d, j s + b d, c] * w[a, b, c, o]."""
    x, w = finite_array("x", x), finite_array("w", w)
    if x.ndim != 4 or w.ndim != 4:
        raise ValueError(f"x must be (N, H, W, C) and w (kH, kW, C_in, C_out), got shapes {x.shape} and {w.shape}")
    if w.shape[0] != w.shape[1]:
        raise ValueError(f"w must have a square kernel (kH == kW), got {w.shape[:2]}")
    if w.shape[2] != x.shape[3]:
        raise ValueError(f"w has {w.shape[2]} input channels but x has {x.shape[3]}: they must match")
    stride, dilation = _positive_int("stride", stride), _positive_int("dilation", dilation)
    pads = _pads(x.shape[1:3], w.shape[0], stride, padding, dilation)
    return np.asarray(_conv(x, w, stride, pads, dilation))


@partial(jax.jit, static_argnames=("window", "strides", "pads", "mode"))
def _pool(x, window, strides, pads, mode):
    window, strides = (1,) + window + (1,), (1,) + strides + (1,)
    padding = ((0, 0),) + pads + ((0, 0),)
    if mode == "max":
        return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, window, strides, padding)
    total = jax.lax.reduce_window(x, 0.0, jax.lax.add, window, strides, padding)
    count = jax.lax.reduce_window(jnp.ones_like(x), 0.0, jax.lax.add, window, strides, padding)
    return total / count


def check_pool_padding(padding, size):
    """PyTorch's rule: explicit padding at most half the window, so no window lies wholly in padding."""
    if not isinstance(padding, str) and max(resolve_padding(1, 1, 1, padding)) > size // 2:
        raise ValueError(f"padding must be at most half of pool_size ({size // 2} for pool_size {size}), "
                         f"got {padding!r}: a window would see only padding")


def _pool_args(pool_size, stride, padding, mode):
    size = _positive_int("pool_size", pool_size)
    stride = size if stride is None else _positive_int("stride", stride)
    mode = choice("mode", mode, POOL_MODES)
    check_pool_padding(padding, size)
    return size, stride, mode


def pool2d(x, pool_size, stride=None, padding="valid", mode="max", ceil_mode=False):
    """Max or average pooling of x (N, H, W, C); stride defaults to pool_size.

    Padding cells never win a max and are not counted in an average (TF's SAME pooling; PyTorch with
    count_include_pad=False).
    """
    x = finite_array("x", x)
    if x.ndim != 4:
        raise ValueError(f"x must be (N, H, W, C), got shape {x.shape}")
    size, stride, mode = _pool_args(pool_size, stride, padding, mode)
    pads = _pads(x.shape[1:3], size, stride, padding, 1, ceil_mode)
    return np.asarray(_pool(x, (size, size), (stride, stride), pads, mode))


def pool1d(x, pool_size, stride=None, padding="valid", mode="max", ceil_mode=False):
    """Max or average pooling of a 1-D sequence x (N,), with the same rules as ``pool2d``."""
    x = finite_array("x", x)
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {x.shape}")
    size, stride, mode = _pool_args(pool_size, stride, padding, mode)
    pads = ((0, 0),) + _pads((x.size,), size, stride, padding, 1, ceil_mode)
    return np.asarray(_pool(x.reshape(1, 1, -1, 1), (1, size), (1, stride), pads, mode)).reshape(-1)


@partial(jax.jit, static_argnames=("stride", "pads", "dilation"))
def _conv1d(x, w, stride, pads, dilation):
    return jax.lax.conv_general_dilated(x, w, (stride,), pads, rhs_dilation=(dilation,),
                                        dimension_numbers=("NWC", "WIO", "NWC"))


def correlate1d(x, w, stride=1, padding="valid", flip=False, dilation=1):
    """The seeds' 1-D examples: cross-correlation out[i] = sum_a x_padded[i s + a] w[a],
    or true convolution (the kernel flipped first) with ``flip=True``.

    >>> correlate1d([2, 8, 3, 7, 1, 2, 0, 4, 5], [2, 1, 5, 3]).tolist()
    [48.0, 57.0, 24.0, 25.0, 16.0, 39.0]
    """
    x, w = finite_array("x", x), finite_array("w", w)
    if x.ndim != 1 or w.ndim != 1:
        raise ValueError(f"x and w must be 1-D, got shapes {x.shape} and {w.shape}")
    stride, dilation = _positive_int("stride", stride), _positive_int("dilation", dilation)
    conv_output_size(x.size, w.size, stride, padding, dilation)  # validates the combination
    pads = (resolve_padding(x.size, w.size, stride, padding, dilation),)
    kernel = w[::-1] if flip else w
    return np.asarray(_conv1d(x.reshape(1, -1, 1), kernel.reshape(-1, 1, 1).copy(), stride, pads, dilation)).reshape(-1)


def window_start(i: int, stride: int, before: int) -> int:
    """Input index (may be negative: padding) where output i's window starts along one axis."""
    return i * stride - before


def receptive_field(ij, shape_hw, kernel_size, stride=1, padding=0, dilation=1):
    """The input cells (row, col) that output cell ``ij`` reads; cells in the padding are left out."""
    pads = [resolve_padding(n, kernel_size, stride, padding, dilation) for n in shape_hw]
    axes = []
    for index, n, (before, _) in zip(ij, shape_hw, pads):
        start = window_start(index, stride, before)
        axes.append([start + a * dilation for a in range(kernel_size) if 0 <= start + a * dilation < n])
    return [(r, c) for r in axes[0] for c in axes[1]]


def feeds(rc, shape_hw, kernel_size, stride=1, padding=0, dilation=1, ceil_mode=False):
    """The output cells (i, j) whose window reads input cell ``rc``."""
    outs = [conv_output_size(n, kernel_size, stride, padding, dilation, ceil_mode) for n in shape_hw]
    pads = [resolve_padding(n, kernel_size, stride, padding, dilation) for n in shape_hw]
    axes = []
    for r, out, (before, _) in zip(rc, outs, pads):
        axes.append([i for i in range(out) if (r - window_start(i, stride, before)) % dilation == 0
                     and 0 <= (r - window_start(i, stride, before)) // dilation < kernel_size])
    return [(i, j) for i in axes[0] for j in axes[1]]


def _size_formula(n, k, s, padding, d, ceil_mode):
    before, after = resolve_padding(n, k, s, padding, d)
    out = conv_output_size(n, k, s, padding, d, ceil_mode)
    rounding = "ceil" if ceil_mode else "floor"
    return f"{rounding}(({n} + {before} + {after} − {d}·({k} − 1) − 1) / {s}) + 1 = {out}", out


def trace_shapes(layers) -> list[dict]:
    """Follow a layer list through a CNN: each entry gets name, shape, params, formula (and error).

    Layers: ("input", (H, W, C)), ("conv", {"filters", "kernel_size", "stride", "padding", "dilation"}),
    ("maxpool" | "avgpool", {"pool_size", "stride", "padding", "ceil_mode"}), ("relu",), ("flatten",),
    ("dense", {"units"}), ("softmax",). The first layer that cannot apply gets ``error`` (why) and
    ``shape`` None, and tracing stops there.
    """
    rows, shape = [], None
    for position, layer in enumerate(layers):
        name, options = (layer[0], layer[1] if len(layer) > 1 else {}) if isinstance(layer, (tuple, list)) \
            else (layer, {})
        if name == "input":
            options = {"shape": options}
        row = {"name": name, "shape": None, "params": 0, "formula": "", "error": None}
        rows.append(row)
        try:
            shape, row["params"], row["formula"] = _apply(name, options, shape, position)
            row["shape"] = shape
        except ValueError as err:
            row["error"] = str(err)
            break
    return rows


def _apply(name, options, shape, position):
    if name == "input":
        if position != 0:
            raise ValueError("input must be the first layer")
        shape = tuple(_positive_int("input shape", v) for v in options["shape"])
        return shape, 0, "×".join(map(str, shape))
    if shape is None:
        raise ValueError(f"{name} needs an input shape: start with ('input', (H, W, C))")
    if name in ("relu", "softmax", "sigmoid", "tanh"):
        return shape, 0, f"{name} keeps the shape"
    if name == "flatten":
        size = int(np.prod(shape))
        return (size,), 0, " × ".join(map(str, shape)) + f" = {size}"
    if name == "dense":
        units = _positive_int("units", options.get("units"))
        if len(shape) != 1:
            raise ValueError(f"dense needs a flat input, got shape {shape}: add ('flatten',) first")
        return (units,), shape[0] * units + units, f"{shape[0]}·{units} + {units} = {shape[0] * units + units}"
    if len(shape) != 3:
        raise ValueError(f"{name} needs an (H, W, C) input, got shape {shape}")
    h, w, c = shape
    if name == "conv":
        k = _positive_int("kernel_size", options.get("kernel_size"))
        filters = _positive_int("filters", options.get("filters"))
        s, d = _positive_int("stride", options.get("stride", 1)), _positive_int("dilation", options.get("dilation", 1))
        padding = options.get("padding", "valid")
        fh, oh = _size_formula(h, k, s, padding, d, False)
        _, ow = _size_formula(w, k, s, padding, d, False)
        params = k * k * c * filters + filters
        return (oh, ow, filters), params, f"{fh}; params {k}·{k}·{c}·{filters} + {filters} = {params}"
    if name in ("maxpool", "avgpool"):
        k = _positive_int("pool_size", options.get("pool_size"))
        s = _positive_int("stride", options.get("stride", k))
        padding, ceil_mode = options.get("padding", "valid"), bool(options.get("ceil_mode", False))
        fh, oh = _size_formula(h, k, s, padding, 1, ceil_mode)
        _, ow = _size_formula(w, k, s, padding, 1, ceil_mode)
        return (oh, ow, c), 0, fh
    raise ValueError(f"layer must be one of input, conv, maxpool, avgpool, relu, flatten, dense, softmax, got {name!r}")


def window_cells(index: int, n: int, kernel_size: int, stride=1, padding=0, dilation=1) -> list[int]:
    """Input positions along one axis read by output ``index``, padding included (negative or >= n)."""
    before, _ = resolve_padding(n, kernel_size, stride, padding, dilation)
    start = window_start(index, stride, before)
    return [start + a * dilation for a in range(kernel_size)]
