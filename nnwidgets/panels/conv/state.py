"""What the learner controls in the conv/pool visualizer, and what follows from it (computed by ``core``).

``ConvState``: one convolution or pooling layer on a small input, one window position at a time; input shapes are
(H, W, C) for 2-D or (N, C) for 1-D, ``kernel_size`` an int or a pair (kH, kW). ``NetworkState`` (the "network"
tab, ``ConvState.network``): a layer list traced with ``trace_shapes``.
"""
from __future__ import annotations

import math

import numpy as np

from ..._validate import shown
from ...core.conv import conv1d, conv2d, pool1d, pool2d
from ...core.conv_shapes import (
    axis_sizes,
    check_pool_padding,
    feeds,
    kernel_sizes,
    receptive_field,
    size_conventions,
    window,
)
from .._state import PanelState, flag
from .._traits import Checked, one_of
from . import checks, text
from .checks import MAX_CHANNELS, MAX_SIDE
from .network_state import SEED_CNN, NetworkState  # noqa: F401 - SEED_CNN re-exported (it used to live here)
from .samples import input_channels, kernel_bank, seed_input

TABS = ("layer", "network")
MODES = ("conv", "maxpool", "avgpool")
MAX_GRID = 128  # the widest padded input or output the panel draws, cell by cell
#: the most input channels and filters (or pooled maps) drawn as slices; the numbers always use every channel
MAX_SLICES = 4
GEOMETRY = ("input_shape", "kernel_size", "stride", "padding", "dilation", "mode", "ceil_mode")


class ConvState(PanelState):
    """A convolution or pooling layer on a small input, one window position at a time."""

    SETTINGS = ("tab", "input_shape", "kernel_size", "stride", "padding", "dilation", "filters", "mode",
                "ceil_mode", "position", "selected_input", "numbers", "flip", "input_values", "kernel_values")
    SUBSTATES = ("network",)

    tab = Checked("layer", one_of(TABS))
    input_shape = Checked((7, 7, 1), checks.shape)
    kernel_size = Checked(3, checks.kernel)
    stride = Checked(1, checks.whole_in(MAX_SIDE))
    padding = Checked(0, checks.padding)
    dilation = Checked(1, checks.whole_in(MAX_SIDE))
    filters = Checked(1, checks.whole_in(MAX_CHANNELS))
    mode = Checked("conv", one_of(MODES))
    ceil_mode = Checked(False, flag)  # pooling only, as in PyTorch
    position = Checked(0, checks.whole_in(10 ** 6, 0))  # the output cell being computed, in reading order
    selected_input = Checked(None, checks.cell)  # an input cell whose outputs are highlighted
    numbers = Checked(True, flag)  # the values on every grid (off: only the shapes)
    flip = Checked(False, flag)  # true convolution: the kernel flipped (the seeds' 63, 48, ...)
    input_values = Checked(None, checks.values)
    kernel_values = Checked(None, checks.values)

    def __init__(self, input_shape=(7, 7, 1), kernel_size=3, stride=1, padding=0, dilation=1, filters=1,
                 mode="conv", ceil_mode=False, **settings):
        super().__init__()
        self.network = NetworkState()
        self.set(input_shape=input_shape, kernel_size=kernel_size, stride=stride, padding=padding,
                 dilation=dilation, filters=filters, mode=mode, ceil_mode=ceil_mode, **settings)

    # ---- validation of the whole ----------------------------------------------------------------
    def check_together(self, values, changed):
        spatial = values["input_shape"][:-1]
        kernel = values["kernel_size"]
        culprit = next((n for n in GEOMETRY if n in changed), "input_shape")
        if isinstance(kernel, tuple) and len(kernel) != len(spatial):
            raise ValueError(text.KERNEL_1D.format(shape=values["input_shape"], value=kernel)
                             if len(spatial) == 1 else text.BAD_KERNEL.format(limit=MAX_SIDE, value=kernel))
        try:
            sizes = self._sizes_for(values)
        except ValueError as err:
            raise ValueError(text.DOES_NOT_FIT_MESSAGE.format(name=culprit, value=shown(values[culprit]),
                                                              why=err)) from None
        widest = max(max(a.n + a.before + a.reach_after, a.size) for a in sizes)
        if widest > MAX_GRID:
            raise ValueError(text.GRID_TOO_LARGE.format(name=culprit, value=shown(values[culprit]), cells=widest,
                                                        limit=MAX_GRID))
        cells = math.prod(a.size for a in sizes)
        adjusted = {}
        if values["position"] >= cells:
            if "position" in changed:
                raise ValueError(text.BAD_POSITION.format(last=cells - 1, cells=cells, value=values["position"]))
            adjusted["position"] = cells - 1
        picked = values["selected_input"]
        if picked is not None and (len(picked) != len(spatial) or not all(0 <= v < n for v, n in zip(picked, spatial))):
            if "selected_input" in changed:
                form = "(row, column)" if len(spatial) == 2 else "(index,)"
                raise ValueError(text.BAD_CELL.format(form=form, shape=spatial, value=picked))
            adjusted["selected_input"] = None
        for name, shape, what in (("input_values", spatial, text.INPUT_WHAT),
                                  ("kernel_values", tuple(a.kernel_size for a in sizes), text.KERNEL_WHAT)):
            if values[name] is not None and values[name].shape != shape:
                if name in changed:
                    raise ValueError(text.VALUES_SHAPE.format(name=name, shape=shape, what=what,
                                                              got=values[name].shape))
                adjusted[name] = None
        return adjusted

    @staticmethod
    def _sizes_for(values):
        spatial, conv = values["input_shape"][:-1], values["mode"] == "conv"
        kernels = kernel_sizes(values["kernel_size"], len(spatial))
        if not conv:
            for k in kernels:
                check_pool_padding(values["padding"], k)
        return axis_sizes(spatial, kernels, values["stride"], values["padding"], values["dilation"] if conv else 1,
                          values["ceil_mode"] and not conv)

    @property
    def axes(self):
        """The output size along each axis with every number behind it (``core.conv_shapes.AxisSize``).

        Computed on demand (and kept until the geometry changes), so observers told of a change inside the
        transaction already see the new sizes.
        """
        values = {name: getattr(self, name) for name in GEOMETRY}
        key = tuple(values.values())
        if getattr(self, "_axes_key", None) != key:
            self._axes = self._sizes_for(values)
            self._axes_key = key
        return self._axes

    # ---- shapes -----------------------------------------------------------------------------------
    @property
    def spatial(self) -> tuple:
        return self.input_shape[:-1]

    @property
    def channels(self) -> int:
        return self.input_shape[-1]

    @property
    def kernel(self) -> tuple:
        """The kernel's size per axis: (kH, kW) or (k,)."""
        return tuple(a.kernel_size for a in self.axes)

    @property
    def effective_dilation(self) -> int:
        return self.axes[0].dilation

    @property
    def uses_ceil(self) -> bool:
        return self.axes[0].ceil_mode

    @property
    def output_spatial(self) -> tuple:
        return tuple(a.size for a in self.axes)

    @property
    def output_shape(self) -> tuple:
        """Output (H, W, C) or (N, C): C = filters for a convolution, the input channels for pooling."""
        return self.output_spatial + (self.filters if self.mode == "conv" else self.channels,)

    @property
    def output_cells(self) -> int:
        return math.prod(self.output_spatial)

    @property
    def params(self) -> int:
        """kH·kW·C_in·C_out + C_out weights and biases (k·C_in·C_out + C_out for 1-D); 0 for pooling."""
        return math.prod(self.kernel) * self.channels * self.filters + self.filters if self.mode == "conv" else 0

    def pads(self) -> list[tuple[int, int]]:
        """(before, after) per axis, with the extra room a ceil_mode window may need at the end."""
        return [(a.before, a.reach_after) for a in self.axes]

    def cell(self, position: int) -> tuple:
        """The output cell (i, j) / (i,) at a reading-order position."""
        return tuple(int(v) for v in np.unravel_index(position, self.output_spatial))

    def window(self, ij) -> list[tuple]:
        """Input positions (padding included) that output cell ``ij`` reads."""
        return window(ij, self.spatial, self.kernel, self.stride, self.padding, self.effective_dilation)

    def _output_cell(self, ij) -> tuple:
        ij = tuple(ij[0]) if len(ij) == 1 and isinstance(ij[0], (tuple, list)) else tuple(ij)
        if len(ij) != len(self.spatial) or not all(checks.whole(i, 0, n - 1) for i, n in zip(ij, self.output_spatial)):
            raise ValueError(text.BAD_OUTPUT_CELL.format(shape=self.output_spatial, value=shown(ij)))
        return ij

    def receptive_field(self, *ij) -> list[tuple]:
        """The input cells (row, col) that output cell ``ij`` reads (padding left out)."""
        return receptive_field(self._output_cell(ij), self.spatial, self.kernel, self.stride, self.padding,
                               self.effective_dilation)

    def feeds(self, *rc) -> list[tuple]:
        """Every output cell whose window reads input cell ``rc``."""
        rc = tuple(rc[0]) if len(rc) == 1 and isinstance(rc[0], (tuple, list)) else tuple(rc)
        if len(rc) != len(self.spatial) or not all(checks.whole(v, 0, n - 1) for v, n in zip(rc, self.spatial)):
            raise ValueError(text.BAD_INPUT_CELL.format(shape=self.spatial, value=shown(rc)))
        return feeds(rc, self.spatial, self.kernel, self.stride, self.padding, self.effective_dilation, self.uses_ceil)

    # ---- formulas and conventions ------------------------------------------------------------------
    def formula(self, axis: int = 0) -> str:
        return self.axes[axis].formula

    def divides_evenly(self, axis: int = 0) -> bool:
        return self.axes[axis].divides_evenly

    def conventions(self, axis: int = 0) -> list[tuple[str, str]]:
        """The output size along one axis under each framework's rule, for this kernel and stride."""
        a = self.axes[axis]
        sizes = size_conventions(a.n, a.kernel_size, a.stride, (a.before, a.after), a.dilation)
        shown = [text.DOES_NOT_FIT if v is None else str(v) for v in sizes[:3]]
        pytorch = text.PYTORCH_FLOOR.format(padding=a.before) if a.before == a.after else \
            text.PYTORCH_FLOOR_UNEVEN.format(before=a.before, after=a.after)
        rows = [(pytorch, shown[0])]
        if self.mode != "conv":
            rows.append((text.PYTORCH_CEIL, shown[1]))
        rows += [(text.KERAS_VALID, shown[2]), (text.KERAS_SAME, str(sizes.same)),
                 (text.MUST_DIVIDE, f"{sizes.exact:g}" + ("" if a.divides_evenly else text.NOT_WHOLE))]
        return rows

    # ---- numbers ------------------------------------------------------------------------------------
    @property
    def shown_maps(self) -> int:
        """How many output maps are drawn (and computed): at most ``MAX_SLICES`` filters, or pooled channels."""
        return min(self.output_shape[-1], MAX_SLICES)

    def input_tensor(self) -> np.ndarray:
        """The input, spatial + (C,): digits from the shipped data (the seed's example for its shapes); typed
        ``input_values`` replace channel 0. Read-only (kept until the shape or the values change)."""
        return self._kept("input", (self.input_shape, _key(self.input_values)), self._input_for)

    def kernel_tensor(self) -> np.ndarray:
        """The shown filters' kernels, kernel + (C, shown filters) (edge detectors; typed ``kernel_values`` replace
        slice (channel 0, filter 0)), as typed: not flipped. Read-only."""
        key = (self.input_shape, self.kernel, self.shown_maps, _key(self.kernel_values))
        return self._kept("kernel", key, self._kernel_for)

    def _input_for(self) -> np.ndarray:
        x = input_channels(self.spatial, self.channels)
        if self.input_values is not None:
            x[..., 0] = self.input_values
        return x

    def _kernel_for(self) -> np.ndarray:
        w = kernel_bank(self.kernel, self.channels, self.shown_maps, seed_input(self.spatial) is not None)
        if self.kernel_values is not None:
            w[..., 0, 0] = self.kernel_values
        return w

    def _kept(self, name: str, key, compute) -> np.ndarray:
        """``compute()`` for ``key``, computed once while ``key`` stays the same (a redraw per slider move)."""
        kept = self.__dict__.setdefault("_kept_arrays", {})
        if name not in kept or kept[name][0] != key:
            array = compute()
            array.setflags(write=False)
            kept[name] = (key, array)
        return kept[name][1]

    def values(self) -> tuple[np.ndarray, np.ndarray]:
        """The front slices: input channel 0 and the kernel of filter 0 for channel 0."""
        return self.input_tensor()[..., 0], self.kernel_tensor()[..., 0, 0]

    def output_tensor(self) -> np.ndarray:
        """The shown output maps, output spatial + (shown maps,), computed by ``core.conv`` on every input channel:
        map f = sum over channels c of (channel c ⋆ kernel slice c of filter f); pooling works channel by channel."""
        key = tuple(getattr(self, n) for n in GEOMETRY) + (self.filters, self.flip, _key(self.input_values),
                                                             _key(self.kernel_values))
        return self._kept("output", key, self._outputs_for)

    def _outputs_for(self) -> np.ndarray:
        x, n = self.input_tensor(), self.shown_maps
        if self.mode == "conv":
            w = self.kernel_tensor()
            w = np.flip(w, axis=tuple(range(len(self.spatial)))) if self.flip else w  # true convolution
            if len(self.spatial) == 2:
                return conv2d(x[None], w, self.stride, self.padding, self.dilation)[0]
            return conv1d(x[None], w, self.stride, self.padding, self.dilation)[0]
        size = self.kernel if len(self.kernel) == 2 else self.kernel[0]
        if len(self.spatial) == 2:
            return pool2d(x[None, :, :, :n], size, self.stride, self.padding, self.mode[:3], self.uses_ceil)[0]
        return np.stack([pool1d(x[:, c], size, self.stride, self.padding, self.mode[:3], self.uses_ceil)
                         for c in range(n)], axis=-1)

    def output_values(self) -> np.ndarray:
        """The front output map: filter 0 over every input channel (pooling: channel 0)."""
        return self.output_tensor()[..., 0]

    def trace(self):
        """``trace_shapes`` of the network tab's layers (the seed's CNN unless changed)."""
        return self.network.rows

    def __repr__(self):
        return (f"{type(self).__name__}(input_shape={self.input_shape}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding!r}, dilation={self.dilation}, filters={self.filters}, "
                f"mode={self.mode!r}) -> {self.output_shape}")


def _key(values):
    return None if values is None else (values.shape, values.tobytes())
