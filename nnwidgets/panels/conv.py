"""Conv/pool shape visualizer: where the kernel reads, what comes out, and every convention's formula.

``ConvState`` holds the layer settings (every constructor argument is a settable trait) and derives
shapes, windows, receptive fields and values from ``core.conv``; ``ConvShapeVisualizer`` adds the view.
Input shapes are (H, W, C) for 2-D or (N, C) for 1-D.
"""
from __future__ import annotations

import math
import numbers

import numpy as np
from traitlets import Any, Bool, HasTraits, Int, List, Unicode, observe, validate

from .._validate import bounded_array, positive_int
from ..core.conv import (
    PADDING_NAMES,
    check_pool_padding,
    conv2d,
    conv_output_size,
    correlate1d,
    pool1d,
    pool2d,
    resolve_padding,
    trace_shapes,
    window_cells,
)
from ._controls import DisplaysAsWidget
from ._traits import Checked, one_of

MODES = ("conv", "maxpool", "avgpool")
MAX_SIDE = 32
SEED_CNN = [("input", (28, 28, 1)), ("conv", {"filters": 10, "kernel_size": 3, "padding": "same"}), ("relu",),
            ("maxpool", {"pool_size": 2, "stride": 2}), ("flatten",), ("dense", {"units": 100}), ("relu",),
            ("dense", {"units": 10}), ("softmax",)]
SEED_1D = ([2, 8, 3, 7, 1, 2, 0, 4, 5], [2, 1, 5, 3])
SEED_2D = ([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 1], [1, 1]])


def _shape(name, value):
    ok = isinstance(value, (tuple, list)) and len(value) in (2, 3) and all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) and 1 <= v <= MAX_SIDE for v in value)
    if not ok:
        raise ValueError(f"{name} must be (H, W, C) or (N, C) with whole numbers from 1 to {MAX_SIDE}, got {value!r}")
    return tuple(int(v) for v in value)


def _padding(name, value):
    if isinstance(value, str):
        return one_of(PADDING_NAMES)(name, value.lower())
    resolve_padding(1, 1, 1, value)  # raises for negative or malformed padding
    return tuple(int(v) for v in value) if isinstance(value, (tuple, list)) else int(value)


def _values(name, value):
    return None if value is None else bounded_array(name, value)


class ConvState(HasTraits):
    """A convolution or pooling layer on a small input, one window position at a time."""

    input_shape = Checked((7, 7, 1), _shape)
    kernel_size = Checked(3, positive_int)
    stride = Checked(1, positive_int)
    padding = Checked("valid", _padding)
    dilation = Checked(1, positive_int)
    filters = Checked(1, positive_int)
    mode = Checked("conv", one_of(MODES))
    ceil_mode = Bool(False)  # pooling only, as in PyTorch
    position = Int(0)  # the output cell being computed, in reading order
    selected_input = Any(None)  # an input cell (r, c) / (n,) whose outputs are highlighted
    numbers = Bool(False)
    flip = Bool(False)  # true convolution: the kernel flipped (the seeds' 63, 48, ...)
    input_values = Checked(None, _values)
    kernel_values = Checked(None, _values)
    layers = List(SEED_CNN)
    error = Unicode("")

    def __init__(self, input_shape=(7, 7, 1), kernel_size=3, stride=1, padding="valid", dilation=1, filters=1,
                 mode="conv", ceil_mode=False, **kwargs):
        super().__init__(**kwargs)
        with self.hold_trait_notifications():
            self.input_shape, self.kernel_size, self.stride = input_shape, kernel_size, stride
            self.padding, self.dilation, self.filters = padding, dilation, filters
            self.mode, self.ceil_mode = mode, ceil_mode

    def _fail(self, message):
        self.error = message
        raise ValueError(message)

    @validate("input_shape", "kernel_size", "stride", "padding", "dilation", "mode", "ceil_mode")
    def _valid_together(self, proposal):
        settings = {k: getattr(self, k) for k in ("input_shape", "kernel_size", "stride", "padding", "dilation",
                                                   "mode", "ceil_mode")} | {proposal["trait"].name: proposal["value"]}
        spatial = settings["input_shape"][:-1]
        dilation = settings["dilation"] if settings["mode"] == "conv" else 1
        try:
            if settings["mode"] != "conv":
                check_pool_padding(settings["padding"], settings["kernel_size"])
            for n in spatial:
                conv_output_size(n, settings["kernel_size"], settings["stride"], settings["padding"], dilation,
                                 settings["ceil_mode"] and settings["mode"] != "conv")
        except ValueError as err:
            self._fail(f"{proposal['trait'].name} = {proposal['value']!r} does not fit: {err}")
        return proposal["value"]

    @observe("input_shape", "kernel_size", "stride", "padding", "dilation", "mode", "ceil_mode", "filters")
    def _accepted(self, change):
        self.error = ""
        self.position = min(self.position, self.output_cells - 1)
        self.selected_input = None

    # ---- shapes -------------------------------------------------------------------------------
    @property
    def spatial(self) -> tuple:
        return self.input_shape[:-1]

    @property
    def channels(self) -> int:
        return self.input_shape[-1]

    @property
    def effective_dilation(self) -> int:
        return self.dilation if self.mode == "conv" else 1

    @property
    def uses_ceil(self) -> bool:
        return self.ceil_mode and self.mode != "conv"

    def axis_size(self, n: int) -> int:
        return conv_output_size(n, self.kernel_size, self.stride, self.padding, self.effective_dilation, self.uses_ceil)

    @property
    def output_spatial(self) -> tuple:
        return tuple(self.axis_size(n) for n in self.spatial)

    @property
    def output_shape(self) -> tuple:
        """Output (H, W, C) or (N, C): C = filters for a convolution, the input channels for pooling."""
        return self.output_spatial + (self.filters if self.mode == "conv" else self.channels,)

    @property
    def output_cells(self) -> int:
        return int(np.prod(self.output_spatial))

    @property
    def params(self) -> int:
        """k·k·C_in·C_out + C_out weights and biases (k for 1-D); 0 for pooling."""
        if self.mode != "conv":
            return 0
        k = self.kernel_size ** len(self.spatial)
        return k * self.channels * self.filters + self.filters

    def pads(self) -> list[tuple[int, int]]:
        """(before, after) per axis, with the extra room a ceil_mode window may need at the end."""
        out = []
        for n, size in zip(self.spatial, self.output_spatial):
            before, after = resolve_padding(n, self.kernel_size, self.stride, self.padding, self.effective_dilation)
            reach = (size - 1) * self.stride + self.effective_dilation * (self.kernel_size - 1) + 1
            out.append((before, max(after, reach - n - before)))
        return out

    def cell(self, position: int) -> tuple:
        """The output cell (i, j) / (i,) at a reading-order position."""
        return tuple(int(v) for v in np.unravel_index(position, self.output_spatial))

    def window(self, ij) -> list[tuple]:
        """Input positions (padding included) that output cell ``ij`` reads."""
        axes = [window_cells(i, n, self.kernel_size, self.stride, self.padding, self.effective_dilation)
                for i, n in zip(ij, self.spatial)]
        return [tuple(int(v) for v in p) for p in np.array(np.meshgrid(*axes, indexing="ij")).reshape(len(axes), -1).T]

    def receptive_field(self, *ij) -> list[tuple]:
        """The input cells (row, col) that output cell ``ij`` reads (padding left out)."""
        ij = tuple(ij[0]) if len(ij) == 1 and isinstance(ij[0], (tuple, list)) else ij
        if len(ij) != len(self.spatial) or any(not 0 <= i < n for i, n in zip(ij, self.output_spatial)):
            raise ValueError(f"output cell must be an index into {self.output_spatial}, got {ij!r}")
        return [p for p in self.window(ij) if all(0 <= v < n for v, n in zip(p, self.spatial))]

    def feeds(self, *rc) -> list[tuple]:
        """Every output cell whose window reads input cell ``rc``."""
        rc = tuple(rc[0]) if len(rc) == 1 and isinstance(rc[0], (tuple, list)) else rc
        return [self.cell(k) for k in range(self.output_cells) if rc in self.window(self.cell(k))]

    # ---- formulas and conventions ---------------------------------------------------------------
    def formula(self, axis: int = 0) -> str:
        n, k, s, d = self.spatial[axis], self.kernel_size, self.stride, self.effective_dilation
        before, after = resolve_padding(n, k, s, self.padding, d)
        rounding = "ceil" if self.uses_ceil else "floor"
        return (f"{rounding}(({n} + {before} + {after} − {d}·({k} − 1) − 1) / {s}) + 1 = {self.output_spatial[axis]}")

    def divides_evenly(self, axis: int = 0) -> bool:
        n, k, s, d = self.spatial[axis], self.kernel_size, self.stride, self.effective_dilation
        before, after = resolve_padding(n, k, s, self.padding, d)
        return (n + before + after - d * (k - 1) - 1) % s == 0

    def conventions(self, axis: int = 0) -> list[tuple[str, str]]:
        """The output size along one axis under each framework's rule, for this kernel and stride."""
        n, k, s, d = self.spatial[axis], self.kernel_size, self.stride, self.effective_dilation
        rows = []

        def size(**kw):
            try:
                return str(conv_output_size(n, k, s, dilation=d, **kw))
            except ValueError:
                return "does not fit"
        p = resolve_padding(n, k, s, self.padding, d)
        label = p[0] if p[0] == p[1] else p
        rows.append((f"PyTorch, padding={label} (floor)", size(padding=p)))
        if self.mode != "conv":
            rows.append(("PyTorch pooling, ceil_mode=True", size(padding=p, ceil_mode=True)))
        rows.append(("TF / Keras 'valid'", size(padding="valid")))
        rows.append(("TF / Keras 'same' = ceil(n / stride)", str(math.ceil(n / s))))
        span = n + sum(resolve_padding(n, k, s, self.padding, d)) - d * (k - 1) - 1
        rows.append(("(n + 2p − k) / s + 1 must be whole", f"{span / s + 1:g}" + ("" if span % s == 0 else " ✗")))
        return rows

    # ---- numbers ------------------------------------------------------------------------------
    def values(self) -> tuple[np.ndarray, np.ndarray]:
        """Input values (one channel) and kernel values: typed ones, the seed's examples, or small integers."""
        k = self.kernel_size
        if self.input_values is not None and self.input_values.shape == self.spatial:
            x = self.input_values
        elif self.spatial == (9,):
            x = np.array(SEED_1D[0], float)
        elif self.spatial == (3, 3):
            x = np.array(SEED_2D[0], float)
        elif self.spatial == (4, 4):
            x = np.arange(16.0).reshape(4, 4)  # the seed's max-pooling example
        else:
            grid = np.indices(self.spatial).sum(axis=0) if len(self.spatial) == 2 else np.arange(self.spatial[0])
            x = ((3 * grid + 1) % 10).astype(float)
        kernel_shape = (k,) * len(self.spatial)
        if self.kernel_values is not None and self.kernel_values.shape == kernel_shape:
            w = self.kernel_values
        elif kernel_shape == (4,):
            w = np.array(SEED_1D[1], float)
        else:
            w = np.ones(kernel_shape)
        return x, w

    def output_values(self) -> np.ndarray:
        """The layer's output on ``values()``: one channel and one filter, stride/padding/dilation as set."""
        x, w = self.values()
        kernel = np.flip(w) if self.flip else w  # true convolution flips the kernel on every axis
        if self.mode == "conv" and len(self.spatial) == 1:
            return correlate1d(x, kernel, self.stride, self.padding, dilation=self.dilation)
        if self.mode == "conv":
            return conv2d(x[None, :, :, None], kernel[:, :, None, None], self.stride, self.padding,
                          self.dilation)[0, :, :, 0]
        if len(self.spatial) == 1:
            return pool1d(x, self.kernel_size, self.stride, self.padding, self.mode[:3], self.uses_ceil)
        return pool2d(x[None, :, :, None], self.kernel_size, self.stride, self.padding, self.mode[:3],
                      self.uses_ceil)[0, :, :, 0]

    def trace(self) -> list[dict]:
        """``trace_shapes`` of ``layers`` (the seed's CNN unless changed)."""
        return trace_shapes(self.layers)

    def __repr__(self):
        return (f"{type(self).__name__}(input_shape={self.input_shape}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding!r}, dilation={self.dilation}, filters={self.filters}, "
                f"mode={self.mode!r}) -> {self.output_shape}")


class ConvShapeVisualizer(ConvState, DisplaysAsWidget):
    """The conv/pool panel: every constructor argument is a trait (``c.stride = 1`` moves the slider).

    >>> c = ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3, stride=2)
    >>> c.output_shape
    (3, 3, 1)
    """

    def __init__(self, input_shape=(7, 7, 1), kernel_size=3, stride=1, padding="valid", dilation=1, filters=1,
                 mode="conv", ceil_mode=False):
        super().__init__(input_shape=input_shape, kernel_size=kernel_size, stride=stride, padding=padding,
                         dilation=dilation, filters=filters, mode=mode, ceil_mode=ceil_mode)
        from .conv_view import ConvView

        self.view = ConvView(self)
        self._root = self.view.widget

    def control(self, name: str):
        """The widget for a setting: "stride", "kernel_size", "padding", "position", "H", "W", "C", ..."""
        return self.view.controls[name]

    def to_png(self) -> bytes:
        return self.view.figure.to_png()
