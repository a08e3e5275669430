"""The network tracer's form: a layer as five text fields (kind, size, stride, padding, filters) and back.

``fields_of(layer)`` gives what a form row shows; ``layer_from_fields`` turns a row back into a layer tuple, refusing
a field it cannot read with a ValueError that names the layer and the field. Numbers are read with ``int`` on
digits only: nothing typed is evaluated.
"""
from __future__ import annotations

import re

from ...core.conv_shapes import MAX_SIZE, PADDING_NAMES
from ...core.conv_trace import KINDS
from . import text

FIELDS = ("kind", "size", "stride", "padding", "filters")
POOLS = ("maxpool", "avgpool")
#: which fields a layer kind uses (the others are shown empty and disabled)
USES = {"input": ("size",), "conv": ("size", "stride", "padding", "filters"), "maxpool": ("size", "stride", "padding"),
        "avgpool": ("size", "stride", "padding"), "dense": ("filters",)}
#: what a row shows when its kind is changed to this one
DEFAULTS = {"input": {"size": "28, 28, 1"}, "conv": {"size": "3", "stride": "1", "padding": "valid", "filters": "8"},
            "maxpool": {"size": "2", "padding": "valid"}, "avgpool": {"size": "2", "padding": "valid"},
            "dense": {"filters": "10"}}
_WHOLE = re.compile(r"\d{1,7}")


def _split(layer):
    if isinstance(layer, str):
        return layer, None
    return layer[0], (layer[1] if len(layer) > 1 else None)


def _listed(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, (tuple, list)) else str(value)


def fields_of(layer) -> dict[str, str]:
    """The five fields a form row shows for ``layer`` ('' where the kind has no such field)."""
    kind, options = _split(layer)
    fields = dict.fromkeys(FIELDS, "") | {"kind": kind}
    if kind == "input":
        fields["size"] = _listed(options)
    elif kind == "conv":
        fields |= {"size": _listed(options["kernel_size"]), "stride": str(options.get("stride", 1)),
                   "padding": _listed(options.get("padding", "valid")), "filters": str(options["filters"])}
    elif kind in POOLS:
        stride = options.get("stride")
        fields |= {"size": _listed(options["pool_size"]), "stride": "" if stride is None else str(stride),
                   "padding": _listed(options.get("padding", "valid"))}
    elif kind == "dense":
        fields["filters"] = str(options["units"])
    return fields


def _numbers(where: str, field: str, value: str, counts: tuple, low: int, allowed: str):
    parts = [p.strip() for p in value.strip().strip("()").split(",")] if value.strip() else []
    if len(parts) not in counts or not all(_WHOLE.fullmatch(p) and low <= int(p) <= MAX_SIZE for p in parts):
        raise ValueError(text.BAD_FIELD.format(where=where, field=field, allowed=allowed.format(low=low, high=MAX_SIZE),
                                               value=value))
    numbers = tuple(int(p) for p in parts)
    return numbers[0] if len(numbers) == 1 and counts != (1, 2, 3) else numbers


def layer_from_fields(position: int, fields: dict, keep: dict | None = None):
    """The layer a form row describes; options the form has no field for (dilation, ceil_mode) are taken from
    ``keep`` (the layer's options before the edit, when its kind stays the same)."""
    fields = {name: str(fields.get(name, "")) for name in FIELDS}
    kind = fields["kind"].strip()
    where = text.LAYER_AT.format(number=position + 1, kind=kind)
    if kind not in KINDS:
        raise ValueError(text.BAD_FIELD.format(where=text.LAYER_AT.format(number=position + 1, kind="?"),
                                               field="kind", allowed=text.ONE_OF.format(names=", ".join(KINDS)),
                                               value=kind))
    if kind == "input":
        return kind, _numbers(where, "size", fields["size"], (1, 2, 3), 1, text.SHAPE_FIELD)
    if kind not in USES:
        return (kind,)
    if kind == "dense":
        return kind, {"units": _numbers(where, "filters", fields["filters"], (1,), 1, text.WHOLE_FIELD)}
    options = dict(keep or {})
    name = "kernel_size" if kind == "conv" else "pool_size"
    options[name] = _numbers(where, "size", fields["size"], (1, 2), 1, text.SIZE_FIELD)
    if fields["stride"].strip() or kind == "conv":
        options["stride"] = _numbers(where, "stride", fields["stride"] or "1", (1,), 1, text.WHOLE_FIELD)
    else:
        options["stride"] = None  # pooling: the window's size
    padding = fields["padding"].strip().strip("'\"").lower() or "valid"
    options["padding"] = padding if padding in PADDING_NAMES else _numbers(
        where, "padding", fields["padding"], (1, 2), 0, text.PADDING_FIELD)
    if kind == "conv":
        options["filters"] = _numbers(where, "filters", fields["filters"], (1,), 1, text.WHOLE_FIELD)
        options = {k: options[k] for k in ("filters", name, "stride", "padding", "dilation") if k in options}
    else:
        options = {k: options[k] for k in (name, "stride", "padding", "ceil_mode") if k in options}
    return kind, options
