"""The "network" tab: the layers as form rows and as text (both show ``NetworkState.layers``), a button to trace
the text, and the table of shapes and parameters."""
from __future__ import annotations

import html
import io

import ipywidgets as widgets

from ...render import layer, new_figure
from .._controls import message_html, table_html
from . import text
from .form_view import LayerForm
from .state import NetworkState
from .tracer import format_layers


class NetworkView(widgets.VBox):
    """The tracer's widgets; ``state.layers`` changes only through the state (the text is parsed there)."""

    def __init__(self, state: NetworkState):
        super().__init__()
        self.state = state
        self.text = widgets.Textarea(value=format_layers(state.layers), layout=widgets.Layout(width="640px",
                                                                                               height="180px"))
        self.text.add_class("nnw-conv-layers")
        button = widgets.Button(description=text.TRACE_BUTTON)
        button.on_click(lambda _: self.trace(self.text.value))
        self.table, self.status = widgets.HTML(), widgets.HTML()
        self.table.add_class("nnw-conv-tracer")
        self.form = LayerForm(state)
        self.children = [widgets.HTML(text.TRACER_INTRO), widgets.HTML(text.FORM_INTRO), self.form, self.status,
                         self.table, widgets.HTML(text.TEXT_INTRO), self.text, button]
        state.observe(self._changed, names="layers")
        state.observe(lambda c: setattr(self.status, "value", message_html("error", c["new"]) if c["new"] else ""),
                      names="error")
        self._changed()

    def trace(self, source: str) -> None:
        """Trace the layers typed in ``source``; a refusal is shown under the text and changes nothing."""
        try:
            self.state.layers = source
        except ValueError:
            pass

    def _changed(self, change=None):
        if self.text.value != format_layers(self.state.layers):
            self.text.value = format_layers(self.state.layers)
        rows, bad = [], []
        for k, row in enumerate(self.state.rows):
            shape = "×".join(map(str, row.shape)) if row.shape else text.NO_SHAPE
            rows.append([html.escape(row.name), shape, f"{row.params:,}", html.escape(row.error or row.formula)])
            if row.error:
                bad.append(k)
        total = text.TOTAL_PARAMETERS.format(total=self.state.total_params)
        self.table.value = (table_html(list(text.TRACER_HEADER), rows, "nnw-conv-tracer-table", bad_rows=bad)
                            + f"<div>{total}</div>")

    def to_png(self) -> bytes:
        """The table as matplotlib draws it (for static front ends)."""
        rows = self.state.rows
        fig = new_figure(760, 60 + 22 * (len(rows) + 2))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.axis("off")
        lines = [text.TRACER_HEADER] + [(r.name, "×".join(map(str, r.shape)) if r.shape else text.NO_SHAPE,
                                         f"{r.params:,}", (r.error or r.formula)[:70]) for r in rows]
        step = 1 / (len(lines) + 2)
        for k, line in enumerate(lines + [("", "", text.TOTAL_PARAMETERS.format(total=self.state.total_params), "")]):
            for x, cell in zip((0.01, 0.13, 0.27, 0.40), line):
                ax.text(x, 1 - (k + 1) * step, cell, fontsize=9, va="center",
                        color="#d62728" if 0 < k <= len(rows) and rows[k - 1].error else "#222222",
                        weight="bold" if k == 0 else "normal")
        return _png(fig)


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    layer.use_our_fonts(fig)  # Hangul from the shipped font (looked up here, so a test can watch the texts)
    fig.savefig(buffer, format="png", dpi=100, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()
