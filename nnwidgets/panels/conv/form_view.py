"""The network tracer's form: one row of fields per layer, with buttons to insert and remove layers.

The rows only show ``NetworkState.layers`` and send edits to ``NetworkState.set_row`` / ``insert_row`` /
``remove_row``; a refused field is put back (the state says why in its error line).
"""
from __future__ import annotations

import ipywidgets as widgets

from ...core.conv_trace import KINDS
from . import text
from .form import FIELDS, USES
from .state import NetworkState

WIDTHS = {"kind": "110px", "size": "100px", "stride": "70px", "padding": "90px", "filters": "110px"}


class LayerForm(widgets.VBox):
    """One ``HBox`` per layer: kind, size, stride, padding, filters, then insert (+) and remove (−)."""

    def __init__(self, state: NetworkState):
        super().__init__()
        self.state = state
        self.rows: list[dict] = []
        self._filling = False
        header = widgets.HBox([widgets.HTML(f"<b>{label}</b>", layout=widgets.Layout(width=WIDTHS[name]))
                               for name, label in zip(FIELDS, text.FORM_HEADER)])
        self.header = header
        self.add_class("nnw-conv-form")
        state.observe(lambda _: self.show(), names="layers")
        self.show()

    def _row(self, index: int) -> dict:
        row = {"kind": widgets.Dropdown(options=KINDS, layout=widgets.Layout(width=WIDTHS["kind"]))}
        for name in FIELDS[1:]:
            row[name] = widgets.Text(continuous_update=False, layout=widgets.Layout(width=WIDTHS[name]))
        for name, control in row.items():
            control.add_class(f"nnw-conv-field-{name}")
            control.observe(lambda change, n=name: self._edit(index, n, change["new"]), names="value")
        insert = widgets.Button(description=text.INSERT_ROW, tooltip=text.INSERT_TIP,
                                layout=widgets.Layout(width="34px"))
        remove = widgets.Button(description=text.REMOVE_ROW, tooltip=text.REMOVE_TIP,
                                layout=widgets.Layout(width="34px"))
        insert.add_class("nnw-conv-insert")
        remove.add_class("nnw-conv-remove")
        insert.on_click(lambda _: self._act(self.state.insert_row, index))
        remove.on_click(lambda _: self._act(self.state.remove_row, index))
        row["box"] = widgets.HBox([row[name] for name in FIELDS] + [insert, remove])
        row["box"].add_class("nnw-conv-row")
        return row

    def show(self) -> None:
        """Fill the rows from the state (adding or dropping rows when the number of layers changed)."""
        fields = self.state.fields()
        while len(self.rows) < len(fields):
            self.rows.append(self._row(len(self.rows)))
        del self.rows[len(fields):]
        self._filling = True
        try:
            for row, values in zip(self.rows, fields):
                for name in FIELDS:
                    row[name].value = values[name]
                    if name != "kind":
                        row[name].disabled = name not in USES.get(values["kind"], ())
        finally:
            self._filling = False
        boxes = [self.header] + [row["box"] for row in self.rows]
        if list(self.children) != boxes:
            self.children = boxes

    def _edit(self, index: int, name: str, value) -> None:
        if self._filling:
            return
        self._act(lambda i: self.state.set_row(i, **{name: value}), index)

    def _act(self, action, index: int) -> None:
        try:
            action(index)
        except ValueError:
            self.show()  # put the refused field back; the error line says why
