"""Follow a layer list through a CNN: each layer's output shape, parameter count and the formula behind them.

Layers: ("input", (H, W, C)), ("conv", {"filters", "kernel_size", "stride", "padding", "dilation"}),
("maxpool" | "avgpool", {"pool_size", "stride", "padding", "ceil_mode"}), ("relu",), ("flatten",),
("dense", {"units"}), ("softmax",) (a bare name such as "relu" works too). ``kernel_size`` and ``pool_size`` are
an int or a pair (kH, kW). Per axis: out = floor((n + before + after - d (k - 1) - 1) / s) + 1 (``conv_shapes``);
a conv has kH·kW·C_in·C_out + C_out parameters, a dense layer n_in·units + units.
"""
from __future__ import annotations

import math
from typing import NamedTuple

from .._validate import shown
from ..i18n import _
from .conv_shapes import axis_size, check_pool_padding, kernel_sizes, size_arg

MAX_LAYERS = 100
KINDS = ("input", "conv", "maxpool", "avgpool", "relu", "sigmoid", "tanh", "softmax", "flatten", "dense")
OPTIONS = {  # layer -> (required options, optional options with their defaults)
    "conv": (("filters", "kernel_size"), {"stride": 1, "padding": "valid", "dilation": 1}),
    "maxpool": (("pool_size",), {"stride": None, "padding": "valid", "ceil_mode": False}),
    "avgpool": (("pool_size",), {"stride": None, "padding": "valid", "ceil_mode": False}),
    "dense": (("units",), {}),
}


class LayerShape(NamedTuple):
    """One traced layer: its output ``shape`` (None where it cannot apply, ``error`` says why)."""

    name: str
    shape: tuple[int, ...] | None
    params: int
    formula: str
    error: str | None


def trace_shapes(layers) -> list[LayerShape]:
    """Each layer's output shape, parameters and formula, in order (see the module docstring).

    A list that is not made of layers (an unknown name, a missing or unknown option) raises ``ValueError``; the first
    layer that cannot apply to its input (a kernel that does not fit, dense before flatten) gets ``error`` (why)
    and ``shape`` None, and tracing stops there.

    >>> [row.shape for row in trace_shapes([("input", (28, 28, 1)), ("conv", {"filters": 4, "kernel_size": 3})])]
    [(28, 28, 1), (26, 26, 4)]
    """
    if isinstance(layers, (str, bytes)) or not isinstance(layers, (list, tuple)) or not 1 <= len(layers) <= MAX_LAYERS:
        raise ValueError(_("layers must be a list of 1 to {maximum} layers such as [('input', (28, 28, 1)), "
                           "('relu',)], got {value}").format(maximum=MAX_LAYERS, value=shown(layers)))
    try:
        split = [_split(position, layer) for position, layer in enumerate(layers)]
    except ValueError as err:
        raise ValueError(f"layers: {err}") from None
    rows, shape = [], None
    for position, (name, options) in enumerate(split):
        try:
            shape, params, formula = _apply(position, name, options, shape)
        except ValueError as err:
            rows.append(LayerShape(name, None, 0, "", str(err)))
            break
        rows.append(LayerShape(name, shape, params, formula, None))
    return rows



def _split(position, layer):
    """(name, options) of a layer written as "relu", ("relu",), ("conv", {...}) or ("input", (H, W, C))."""
    if isinstance(layer, str):
        layer = (layer,)
    if not isinstance(layer, (tuple, list)) or not 1 <= len(layer) <= 2 or not isinstance(layer[0], str) \
            or layer[0] not in KINDS:
        raise ValueError(_("layer {number} must be a name or a tuple starting with one of {kinds}, such as "
                           "('relu',) or ('conv', {{'filters': 8, 'kernel_size': 3}}), got {value}").format(
                               number=position + 1, kinds=", ".join(KINDS), value=shown(layer)))
    name, options = layer[0], (layer[1] if len(layer) == 2 else None)
    if name == "input":
        return name, options
    required, optional = OPTIONS.get(name, ((), {}))
    if options is None and not required:
        return name, {}
    if not isinstance(options, dict):
        example = "{" + ", ".join(repr(r) + ": 3" for r in required) + "}"
        raise ValueError(_("{name} needs its options as a dict such as {example}, got {value}").format(
            name=name, example=example, value=shown(options)))
    unknown = [k for k in options if k not in required and k not in optional]
    missing = [k for k in required if k not in options]
    if unknown or missing:
        takes = ", ".join(required + tuple(optional))
        message = (_("{name} takes {takes}; unknown {unknown}") if unknown else
                   _("{name} takes {takes}; missing {missing}"))
        raise ValueError(message.format(name=name, takes=takes, unknown=", ".join(map(shown, unknown)),
                                        missing=", ".join(missing)))
    return name, optional | options


def _apply(position, name, options, shape):
    if name == "input":
        if position != 0:
            raise ValueError(_("input must be the first layer"))
        if not isinstance(options, (tuple, list)) or not 1 <= len(options) <= 3:
            raise ValueError(_("input needs a shape such as (28, 28, 1), got {value}").format(value=shown(options)))
        shape = tuple(size_arg("input shape", v) for v in options)
        return shape, 0, "×".join(map(str, shape))
    if shape is None:
        raise ValueError(_("{name} needs an input shape: start with ('input', (H, W, C))").format(name=name))
    if name in ("relu", "softmax", "sigmoid", "tanh"):
        return shape, 0, _("{name} keeps the shape").format(name=name)
    if name == "flatten":
        size = math.prod(shape)
        return (size,), 0, " × ".join(map(str, shape)) + f" = {size}"
    if name == "dense":
        units = size_arg("units", options["units"])
        if len(shape) != 1:
            raise ValueError(_("dense needs a flat input, got shape {shape}: add ('flatten',) first").format(
                shape=shape))
        return (units,), shape[0] * units + units, f"{shape[0]}·{units} + {units} = {shape[0] * units + units}"
    if len(shape) != 3:
        raise ValueError(_("{name} needs an (H, W, C) input, got shape {shape}").format(name=name, shape=shape))
    (h, w, c), padding = shape, options["padding"]
    if name == "conv":
        kh, kw = kernel_sizes(options["kernel_size"], 2)
        filters, stride = size_arg("filters", options["filters"]), options["stride"]
        axes = [axis_size(n, k, stride, padding, options["dilation"]) for n, k in ((h, kh), (w, kw))]
        params = kh * kw * c * filters + filters
        return ((axes[0].size, axes[1].size, filters), params,
                _("{formulas}; params {kh}·{kw}·{c}·{filters} + {filters} = {params}").format(
                    formulas=_formulas(axes), kh=kh, kw=kw, c=c, filters=filters, params=params))
    kh, kw = kernel_sizes(options["pool_size"], 2, "pool_size")
    for k in (kh, kw):
        check_pool_padding(padding, k)
    strides = (kh, kw) if options["stride"] is None else (options["stride"],) * 2
    axes = [axis_size(n, k, s, padding, 1, options["ceil_mode"]) for n, k, s in zip((h, w), (kh, kw), strides)]
    return (axes[0].size, axes[1].size, c), 0, _formulas(axes)


def _formulas(axes) -> str:
    """The height's formula, and the width's too where it differs."""
    first, second = axes[0].formula, axes[1].formula
    return first if first == second else f"{first} | {second}"
