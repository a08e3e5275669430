"""Convolution and pooling geometry: output sizes under every convention, padding, windows and receptive fields.

Along one axis of size n, with kernel k, stride s, dilation d, effective kernel k' = d (k - 1) + 1 and padding
(before, after):
    out = floor((n + before + after - k') / s) + 1                   (PyTorch, TF "VALID", Keras)
    out = ceil((n + before + after - k') / s) + 1, minus 1 if (out - 1) s >= n + before   (PyTorch ceil_mode)
ceil_mode follows PyTorch's pooling exactly: a window only has to start inside the input or the left padding,
so it may hang over the end (max_pool2d of a 2x2 input with a 3x3 window, stride 2, ceil_mode=True gives 1x1),
and explicit padding may be at most half the effective kernel.
Padding names: "valid" = (0, 0); "same" = TF/Keras, output ceil(n / s), the odd extra cell at the end
(bottom/right); "full" = (k' - 1, k' - 1); an int p = (p, p); a pair = (before, after).
Several axes (an input (H, W)): ``kernel_size`` is an int or a pair (kH, kW); the padding applies to each axis.
"""
from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np

from .._validate import choice, shown
from ..i18n import _

PADDING_NAMES = ("valid", "same", "full")
#: the largest size, stride, dilation or padding accepted anywhere (keeps every index inside int32)
MAX_SIZE = 1_000_000


def size_arg(name: str, value, minimum: int = 1) -> int:
    """A whole number from ``minimum`` (1 unless said) to ``MAX_SIZE``; the message names ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        message = (_("{name} must be a positive integer, got {value}") if minimum == 1
                   else _("{name} must be an integer from {minimum}, got {value}"))
        raise ValueError(message.format(name=name, minimum=minimum, value=shown(value)))
    if value > MAX_SIZE:
        message = (_("{name} must be a positive integer of at most {maximum:,}, got {value}") if minimum == 1
                   else _("{name} must be an integer from {minimum} of at most {maximum:,}, got {value}"))
        raise ValueError(message.format(name=name, minimum=minimum, maximum=MAX_SIZE, value=shown(value)))
    return int(value)



def kernel_sizes(kernel_size, axes: int, name: str = "kernel_size") -> tuple[int, ...]:
    """``kernel_size`` per axis: an int for every axis, or one int per axis ((kH, kW) for two axes)."""
    if isinstance(kernel_size, (tuple, list)):
        if len(kernel_size) != axes:
            message = (_("{name} must be a positive integer for 1 axis, got {value}") if axes == 1 else
                       _("{name} must be a positive integer or a pair (kH, kW) for 2 axes, got {value}") if axes == 2
                       else _("{name} must be a positive integer or {axes} integers for {axes} axes, got {value}"))
            raise ValueError(message.format(name=name, axes=axes, value=shown(kernel_size)))
        return tuple(size_arg(name, k) for k in kernel_size)
    return (size_arg(name, kernel_size),) * axes


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
            or not all(isinstance(p, numbers.Integral) and not isinstance(p, bool) and 0 <= p <= MAX_SIZE
                       for p in pair)):
        raise ValueError(_("padding must be a non-negative integer (at most {maximum:,}), a (before, after) pair of "
                           "them, or one of 'valid', 'same', 'full', got {value}").format(
                               maximum=MAX_SIZE, value=shown(padding)))
    return int(pair[0]), int(pair[1])


class AxisSize(NamedTuple):
    """The output size along one axis and every number that went into it."""

    n: int
    kernel_size: int
    stride: int
    dilation: int
    before: int
    after: int
    ceil_mode: bool
    size: int

    @property
    def span(self) -> int:
        """n + before + after - k': how far the window's start can move."""
        return self.n + self.before + self.after - self.dilation * (self.kernel_size - 1) - 1

    @property
    def divides_evenly(self) -> bool:
        """Whether (n + before + after - k') / s is whole: otherwise the last input cells are never read."""
        return self.span % self.stride == 0

    @property
    def reach_after(self) -> int:
        """Padding needed after the input so that every window lies inside it (ceil_mode's window may hang over)."""
        end = (self.size - 1) * self.stride + self.dilation * (self.kernel_size - 1) + 1
        return max(self.after, end - self.n - self.before)

    @property
    def formula(self) -> str:
        """The size formula with the numbers plugged in: floor((7 + 0 + 0 − 1·(3 − 1) − 1) / 2) + 1 = 3."""
        rounding = "ceil" if self.ceil_mode else "floor"
        return (f"{rounding}(({self.n} + {self.before} + {self.after} − {self.dilation}·({self.kernel_size} − 1) "
                f"− 1) / {self.stride}) + 1 = {self.size}")


def check_pool_padding(padding, kernel_size, dilation: int = 1) -> None:
    """PyTorch's pooling rule: explicit padding at most half the effective kernel, so no window sees only padding."""
    if isinstance(padding, str):
        return
    effective = dilation * (kernel_size - 1) + 1
    if 2 * max(resolve_padding(1, 1, 1, padding)) > effective:
        raise ValueError(_("padding must be at most half of the pooling window ({half} for pool_size "
                           "{pool_size}), got {value}: a window would see only padding").format(
                               half=effective // 2, pool_size=kernel_size, value=shown(padding)))


def axis_size(n, kernel_size, stride=1, padding=0, dilation=1, ceil_mode=False) -> AxisSize:
    """Output size along one axis (see the module docstring), with its inputs: PyTorch's rules exactly."""
    n = size_arg("n", n)
    kernel_size, stride, dilation = (size_arg(k, v) for k, v in
                                     (("kernel_size", kernel_size), ("stride", stride), ("dilation", dilation)))
    if not isinstance(ceil_mode, (bool, np.bool_)):
        raise ValueError(_("{name} must be True or False, got {value}").format(
            name="ceil_mode", value=shown(ceil_mode)))
    ceil_mode = bool(ceil_mode)
    before, after = resolve_padding(n, kernel_size, stride, padding, dilation)
    effective = dilation * (kernel_size - 1) + 1
    span = n + before + after - effective
    if ceil_mode:
        check_pool_padding(padding, kernel_size, dilation)
        size = -(-span // stride) + 1
        if (size - 1) * stride >= n + before:  # PyTorch: the last window must start inside the input or left padding
            size -= 1
    else:
        size = span // stride + 1
    if size < 1:
        message = (_("kernel_size must fit the padded input: an effective kernel of {effective} (kernel_size "
                     "{kernel_size}, dilation {dilation}) is larger than {n} + {before} + {after} = {total} and no "
                     "window starts inside it") if ceil_mode else
                   _("kernel_size must fit the padded input: an effective kernel of {effective} (kernel_size "
                     "{kernel_size}, dilation {dilation}) is larger than {n} + {before} + {after} = {total}"))
        raise ValueError(message.format(effective=effective, kernel_size=kernel_size, dilation=dilation, n=n,
                                        before=before, after=after, total=n + before + after))
    return AxisSize(n, kernel_size, stride, dilation, before, after, ceil_mode, size)


def conv_output_size(n, kernel_size, stride=1, padding=0, dilation=1, ceil_mode=False):
    """Output length along one axis: PyTorch's rules exactly, ceil_mode included (see the module docstring).

    ``n`` an int: one axis, ``kernel_size`` an int. ``n`` a pair (H, W): ``kernel_size`` an int or a pair (kH, kW),
    the padding applies to each axis as ``conv2d`` applies it, and the result is the pair (out_H, out_W).

    >>> conv_output_size(7, 3, stride=2)
    3
    >>> conv_output_size(28, 3, padding="same")
    28
    >>> conv_output_size((5, 5), (1, 3))
    (5, 3)
    """
    if isinstance(n, (tuple, list)):
        return tuple(a.size for a in axis_sizes(n, kernel_size, stride, padding, dilation, ceil_mode))
    if isinstance(kernel_size, (tuple, list)):
        raise ValueError(_("kernel_size must be one integer for one axis n = {n}, got {value}: "
                           "pass n as (H, W) for a (kH, kW) kernel").format(n=shown(n), value=shown(kernel_size)))
    return axis_size(n, kernel_size, stride, padding, dilation, ceil_mode).size


def axis_sizes(shape, kernel_size, stride=1, padding=0, dilation=1, ceil_mode=False) -> tuple[AxisSize, ...]:
    """``axis_size`` for every axis of ``shape`` ((H, W) or (N,)), ``kernel_size`` an int or one per axis."""
    if not isinstance(shape, (tuple, list)) or not 1 <= len(shape) <= 3:
        raise ValueError(_("n must be a size or a tuple of 1 to 3 sizes such as (H, W), got {value}").format(
            value=shown(shape)))
    kernels = kernel_sizes(kernel_size, len(shape))
    return tuple(axis_size(n, k, stride, padding, dilation, ceil_mode) for n, k in zip(shape, kernels))


class Conventions(NamedTuple):
    """The output size along one axis under each framework's rule (None: the kernel does not fit)."""

    pytorch: int | None  # padding as given, floor
    pytorch_ceil: int | None  # the same with ceil_mode=True (pooling)
    valid: int | None  # TF / Keras "valid"
    same: int  # TF / Keras "same" = ceil(n / stride)
    exact: float  # (n + before + after - k') / s + 1, whole only when the stride divides evenly


def size_conventions(n, kernel_size, stride=1, padding=0, dilation=1) -> Conventions:
    """Side by side: PyTorch floor and ceil_mode, TF/Keras 'valid' and 'same' (ceil(n / s)), the exact quotient."""
    before, after = resolve_padding(n, kernel_size, stride, padding, dilation)

    def size(**kw):
        try:
            return axis_size(n, kernel_size, stride, dilation=dilation, **kw).size
        except ValueError:
            return None
    span = n + before + after - dilation * (kernel_size - 1) - 1
    return Conventions(size(padding=(before, after)), size(padding=(before, after), ceil_mode=True),
                       size(padding="valid"), math.ceil(n / stride), span / stride + 1)


def window_start(i: int, stride: int, before: int) -> int:
    """Input index (may be negative: padding) where output i's window starts along one axis."""
    return i * stride - before


def window_cells(index: int, n: int, kernel_size: int, stride=1, padding=0, dilation=1) -> list[int]:
    """Input positions along one axis read by output ``index``, padding included (negative or >= n)."""
    before, _ = resolve_padding(n, kernel_size, stride, padding, dilation)
    start = window_start(index, stride, before)
    return [start + a * dilation for a in range(kernel_size)]


def window(ij, shape, kernel_size, stride=1, padding=0, dilation=1) -> list[tuple[int, ...]]:
    """Every input cell (padding included) that output cell ``ij`` reads, in reading order."""
    kernels = kernel_sizes(kernel_size, len(shape))
    axes = [window_cells(i, n, k, stride, padding, dilation) for i, n, k in zip(ij, shape, kernels)]
    cells = [()]
    for axis in axes:
        cells = [c + (v,) for c in cells for v in axis]
    return cells


def receptive_field(ij, shape, kernel_size, stride=1, padding=0, dilation=1) -> list[tuple[int, ...]]:
    """The input cells that output cell ``ij`` reads; cells in the padding are left out."""
    return [c for c in window(ij, shape, kernel_size, stride, padding, dilation)
            if all(0 <= v < n for v, n in zip(c, shape))]


def feeds(rc, shape, kernel_size, stride=1, padding=0, dilation=1, ceil_mode=False) -> list[tuple[int, ...]]:
    """The output cells whose window reads input cell ``rc`` (the inverse of ``receptive_field``)."""
    sizes = axis_sizes(shape, kernel_size, stride, padding, dilation, ceil_mode)
    axes = []
    for r, a in zip(rc, sizes):
        offsets = [(i, r - window_start(i, stride, a.before)) for i in range(a.size)]
        axes.append([i for i, off in offsets if off % dilation == 0 and 0 <= off // dilation < a.kernel_size])
    cells = [()]
    for axis in axes:
        cells = [c + (v,) for c in cells for v in axis]
    return cells
