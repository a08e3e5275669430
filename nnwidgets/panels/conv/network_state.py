"""The network tracer's state: a layer list (the one representation), edited as text or one form row at a time."""
from __future__ import annotations

from ..._validate import shown
from ...core.conv_trace import trace_shapes
from ...i18n import get_language
from .._state import PanelState
from .._traits import Checked
from . import checks, text
from .form import DEFAULTS, FIELDS, fields_of, layer_from_fields
from .tracer import normalize_layers

SEED_CNN = [("input", (28, 28, 1)), ("conv", {"filters": 10, "kernel_size": 3, "padding": "same"}), ("relu",),
            ("maxpool", {"pool_size": 2, "stride": 2}), ("flatten",), ("dense", {"units": 100}), ("relu",),
            ("dense", {"units": 10}), ("softmax",)]


def _layers(value) -> list:
    """A layer list (or its text) that ``trace_shapes`` can follow; shape problems are shown, not refused."""
    layers = normalize_layers(value)
    trace_shapes(layers)
    return layers


class NetworkState(PanelState):
    """The network tracer: a layer list (or its text) and each layer's shape, parameters and formula."""

    SETTINGS = ("layers",)
    layers = Checked(normalize_layers(SEED_CNN), lambda name, value: _layers(value))

    def __init__(self, layers=None):
        super().__init__()
        self.set(layers=SEED_CNN if layers is None else layers)

    @property
    def rows(self):
        """``trace_shapes`` of ``layers``: one ``LayerShape`` per layer (computed once per layer list and language:
        the formulas and errors are text)."""
        traced = getattr(self, "_traced", (None, None))
        if traced[0] is not self.layers or traced[1] != get_language():
            self._rows = trace_shapes(self.layers)
            self._traced = (self.layers, get_language())
        return self._rows

    @property
    def total_params(self) -> int:
        return sum(row.params for row in self.rows)

    # ---- the form: one row of fields per layer (``layers`` stays the one representation) ------------------
    def fields(self) -> list[dict[str, str]]:
        """What each form row shows: kind, size, stride, padding, filters (as text)."""
        return [fields_of(layer) for layer in self.layers]

    def set_row(self, index: int, **fields) -> None:
        """Change layer ``index`` (0-based) from form fields; a field that cannot be read is refused (ValueError
        naming the layer and the field) and changes nothing."""
        self._row(index, len(self.layers))
        unknown = set(fields) - set(FIELDS)
        if unknown:
            self._refused(ValueError(text.BAD_FIELD.format(where=text.LAYER_AT.format(
                number=index + 1, kind=fields_of(self.layers[index])["kind"]), field=", ".join(sorted(unknown)),
                allowed=text.ONE_OF.format(names=", ".join(FIELDS)), value=", ".join(sorted(unknown)))))
        old = self.layers[index]
        old_kind, old_options = (old, None) if isinstance(old, str) else (old[0], old[1] if len(old) > 1 else None)
        merged = fields_of(old) | fields
        if merged["kind"] != old_kind:  # a new kind starts from its usual values
            merged = dict.fromkeys(FIELDS, "") | DEFAULTS.get(merged["kind"], {}) | fields
        keep = old_options if merged["kind"] == old_kind and isinstance(old_options, dict) else None
        try:
            layer = layer_from_fields(index, merged, keep)
        except ValueError as err:
            self._refused(err)
        self.layers = self.layers[:index] + [layer] + self.layers[index + 1:]

    def insert_row(self, index: int) -> None:
        """Insert a copy of layer ``index`` right after it."""
        self._row(index, len(self.layers))
        self.layers = self.layers[:index + 1] + self.layers[index:]

    def remove_row(self, index: int) -> None:
        """Remove layer ``index`` (the last remaining layer stays)."""
        self._row(index, len(self.layers))
        if len(self.layers) == 1:
            self._refused(ValueError(text.LAST_LAYER))
        self.layers = self.layers[:index] + self.layers[index + 1:]

    def _row(self, index, count) -> None:
        if not checks.whole(index, 0, count - 1):
            self._refused(ValueError(text.BAD_ROW.format(count=count, value=shown(index))))

    def _refused(self, err: ValueError):
        self.set_trait("error", str(err))
        raise err
