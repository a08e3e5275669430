"""The view of the conv/pool visualizer: padded input and output grids, formulas, conventions, the CNN tracer."""
from __future__ import annotations

import ast
import html

import ipywidgets as widgets
import numpy as np

from ..render import LayeredFigure, marks, new_figure
from ._controls import INK, WRONG, message_html, number, table_html
from .conv import MAX_SIDE, MODES, ConvState

PAD, CELL, WINDOW, DONE, CURRENT, PICKED = "#e6e6e6", "#ffffff", "#9dbbe0", "#dce8f5", "#9dbbe0", "#f5b26b"


class ConvView:
    def __init__(self, state: ConvState):
        self.state = state
        fig = new_figure(760, 380)
        for box, title in (((0.02, 0.04, 0.46, 0.86), "input (grey: padding)"),
                           ((0.52, 0.04, 0.46, 0.86), "output")):
            ax = fig.add_axes(box)
            ax.set_xlim(0, 1)
            ax.set_ylim(0, 1)
            ax.set_aspect("equal")
            ax.axis("off")
            ax.set_title(title, fontsize=10)
        self.figure = LayeredFigure(fig)
        self.figure.canvas.on_click(self._clicked)
        self.controls = self._build_controls()
        self.summary, self.conventions, self.status, self.tracer_table = (widgets.HTML() for _ in range(4))
        self.summary.add_class("nnw-conv-summary")
        self.play = widgets.Play(min=0, max=max(state.output_cells - 1, 0), interval=500)
        widgets.jslink((self.play, "value"), (self.controls["position"], "value"))
        step = widgets.Button(description="step →", layout=widgets.Layout(width="80px"))
        step.on_click(lambda _: setattr(state, "position", (state.position + 1) % state.output_cells))
        tracer = self._build_tracer()
        c = self.controls
        left = widgets.VBox([c["mode"], c["H"], c["W"], c["C"], c["kernel_size"], c["stride"]])
        right = widgets.VBox([c["padding"], c["dilation"], c["filters"], c["ceil_mode"], c["numbers"], c["flip"]])
        self.widget = widgets.VBox([
            self.figure.canvas, widgets.HBox([self.play, c["position"], step]), widgets.HBox([left, right]),
            self.summary, self.conventions, self.status, tracer])
        state.observe(self.redraw, names=["input_shape", "kernel_size", "stride", "padding", "dilation", "filters",
                                          "mode", "ceil_mode", "position", "selected_input", "numbers", "flip",
                                          "input_values", "kernel_values"])
        state.observe(lambda ch: ch["new"] and setattr(self.status, "value", message_html("error", ch["new"])),
                      names="error")
        self.redraw()

    # ---- controls -------------------------------------------------------------------------------
    def _build_controls(self):
        state = self.state
        spatial = state.spatial if len(state.spatial) == 2 else (1,) + state.spatial
        slider = lambda name, value, lo, hi: widgets.IntSlider(value=value, min=lo, max=hi, description=name,  # noqa: E731
                                                               continuous_update=True, layout=widgets.Layout(width="300px"))
        c = {
            "mode": widgets.ToggleButtons(options=MODES, value=state.mode),
            "H": slider("H", spatial[0], 1, MAX_SIDE), "W": slider("W", spatial[1], 1, MAX_SIDE),
            "C": slider("channels", state.channels, 1, 16),
            "kernel_size": slider("kernel", state.kernel_size, 1, 9), "stride": slider("stride", state.stride, 1, 6),
            "dilation": slider("dilation", state.dilation, 1, 4), "filters": slider("filters", state.filters, 1, 64),
            "padding": widgets.Dropdown(options=["valid", "same", "full", 0, 1, 2, 3], value=state.padding
                                        if state.padding in ("valid", "same", "full", 0, 1, 2, 3) else "valid",
                                        description="padding"),
            "ceil_mode": widgets.Checkbox(value=state.ceil_mode, description="ceil_mode (pooling)"),
            "numbers": widgets.Checkbox(value=state.numbers, description="numbers"),
            "flip": widgets.Checkbox(value=state.flip, description="true convolution (flip kernel)"),
            "position": widgets.IntSlider(value=state.position, min=0, max=max(state.output_cells - 1, 0),
                                          description="output cell", continuous_update=True),
        }
        c["mode"].style.button_width = "80px"
        if len(state.spatial) == 1:
            c["H"].disabled = True
        for name, control in c.items():
            control.add_class(f"nnw-{name.replace('_', '-')}")
            control.observe(lambda change, name=name: self._edited(name, change["new"]), names="value")
        return c

    def _edited(self, name, value):
        state = self.state
        try:
            if name in ("H", "W", "C"):
                shape = dict(zip(("H", "W", "C"), (self.controls[k].value for k in ("H", "W", "C"))))
                new = (shape["W"], shape["C"]) if len(state.spatial) == 1 else (shape["H"], shape["W"], shape["C"])
                if new != state.input_shape:
                    state.input_shape = new
            elif getattr(state, name) != value:
                setattr(state, name, value)
        except ValueError as err:
            self.status.value = message_html("error", str(err))
            self._sync_controls()

    def _sync_controls(self):
        state, c = self.state, self.controls
        spatial = state.spatial if len(state.spatial) == 2 else (1,) + state.spatial
        values = {"H": spatial[0], "W": spatial[1], "C": state.channels, "kernel_size": state.kernel_size,
                  "stride": state.stride, "dilation": state.dilation, "filters": state.filters, "mode": state.mode,
                  "ceil_mode": state.ceil_mode, "numbers": state.numbers, "flip": state.flip}
        if state.padding in c["padding"].options:
            values["padding"] = state.padding
        for name, value in values.items():
            if c[name].value != value:
                c[name].value = value
        last = max(state.output_cells - 1, 0)
        c["position"].max = self.play.max = last
        if c["position"].value != state.position:
            # jslink makes the browser copy Play's value into the slider, so both must move
            self.play.value = c["position"].value = state.position

    def _clicked(self, axes, x, y):
        """A click on the output picks that output cell; on the input, that input cell."""
        state = self.state
        rows, cols, size, (top, left) = self._layout(axes)
        r, c = int((1 - y - top) // size), int((x - left) // size)
        if not (0 <= r < rows and 0 <= c < cols):
            return
        if axes == 1:
            state.position = int(np.ravel_multi_index((r, c)[-len(state.output_spatial):], state.output_spatial)) \
                if len(state.spatial) == 2 else c
        else:
            pads = state.pads()
            cell = (r - pads[0][0], c - pads[1][0]) if len(state.spatial) == 2 else (c - pads[0][0],)
            inside = all(0 <= v < n for v, n in zip(cell, state.spatial))
            state.selected_input = cell if inside and cell != state.selected_input else None

    # ---- drawing --------------------------------------------------------------------------------
    def _layout(self, axes):
        """(rows, cols, cell size, (top, left) offsets) of the grid drawn in ``axes`` (0 input, 1 output)."""
        state = self.state
        if axes == 0:
            shape = [n + b + a for n, (b, a) in zip(state.spatial, state.pads())]
        else:
            shape = list(state.output_spatial)
        rows, cols = (shape if len(shape) == 2 else [1] + shape)
        size = 1 / max(rows, cols, 4)
        return rows, cols, size, ((1 - rows * size) / 2, (1 - cols * size) / 2)

    def _cells(self, axes, cells, fill, edge=INK, numbers=None):
        rows, cols, size, (top, left) = self._layout(axes)
        out = []
        if cells:
            rc = np.array([(0,) + tuple(c) if len(c) == 1 else tuple(c) for c in cells], dtype=float)
            xs, ys = left + rc[:, 1] * size, 1 - top - (rc[:, 0] + 1) * size
            out.append(marks.rects(xs, ys, size, size, fill=fill, edge=edge, edge_width=0.8, axes=axes))
            if numbers is not None and size > 0.045:
                for x, y, value in zip(xs, ys, numbers):
                    out.append(marks.text(x + size / 2, y + size / 2, number(value), size=max(8, min(13, 300 * size)),
                                          axes=axes))
        return out

    def redraw(self, change=None):
        state = self.state
        self._sync_controls()
        pads = state.pads()
        spatial = state.spatial
        offset = tuple(b for b, _ in pads)
        padded_shape = [n + b + a for n, (b, a) in zip(spatial, pads)]
        all_cells = [tuple(int(v) for v in p) for p in np.ndindex(*padded_shape)]
        is_pad = [any(not 0 <= v - o < n for v, o, n in zip(p, offset, spatial)) for p in all_cells]
        ij = state.cell(state.position)
        window = {tuple(v + o for v, o in zip(p, offset)) for p in state.window(ij)}
        picked = {tuple(v + o for v, o in zip(p, offset)) for p in ([state.selected_input] if state.selected_input else [])}
        fills = [WINDOW if p in window else (PAD if pad else CELL) for p, pad in zip(all_cells, is_pad)]
        x, w = state.values()
        numbers = [0.0 if pad else x[tuple(v - o for v, o in zip(p, offset))] for p, pad in zip(all_cells, is_pad)] \
            if state.numbers else None
        out = self._cells(0, all_cells, fills, numbers=numbers)
        out += self._cells(0, sorted(picked), PICKED, edge=WRONG)
        out_cells = [state.cell(k) for k in range(state.output_cells)]
        fed = set(state.feeds(state.selected_input)) if state.selected_input else set()
        out_fills = [PICKED if c in fed else (CURRENT if k == state.position else (DONE if k < state.position else CELL))
                     for k, c in enumerate(out_cells)]
        values = state.output_values().ravel() if state.numbers else None
        shown = [v if k <= state.position else np.nan for k, v in enumerate(values)] if values is not None else None
        out += self._cells(1, out_cells, out_fills, numbers=None)
        if shown is not None:
            out += [m for m in self._cells(1, [c for c, v in zip(out_cells, shown) if np.isfinite(v)], None,
                                           edge=None, numbers=[v for v in shown if np.isfinite(v)]) if m["type"] == "text"]
        self.figure.update(out)
        self.summary.value = self._summary(ij, w)
        self.conventions.value = self._conventions()
        if not state.error:
            self.status.value = ""

    def _summary(self, ij, w) -> str:
        state = self.state
        axes = ["rows", "columns"] if len(state.spatial) == 2 else ["length"]
        lines = [f"<b>{state.input_shape} → {state.output_shape}</b>"
                 + (f" · parameters {state.kernel_size}{'·' + str(state.kernel_size) if len(state.spatial) == 2 else ''}"
                    f"·{state.channels}·{state.filters} + {state.filters} = {state.params}" if state.mode == "conv" else "")]
        for axis, name in enumerate(axes):
            flag = "" if state.divides_evenly(axis) else \
                f" <span style='color:{WRONG}'>⚠ does not divide evenly: the last input cells are never read</span>"
            lines.append(f"{name}: {state.formula(axis)}{flag}")
        lines.append(f"output cell {ij} reads input cells {state.receptive_field(ij)}")
        if state.selected_input:
            lines.append(f"input cell {state.selected_input} feeds output cells {state.feeds(state.selected_input)}")
        if state.numbers:
            what = "true convolution (kernel flipped)" if state.flip else "cross-correlation (what frameworks call convolution)"
            lines.append(f"numbers: {what if state.mode == 'conv' else state.mode} of one channel, kernel "
                         f"{html.escape(np.array2string(np.flip(w) if state.flip else w, separator=', '))}")
        return "<br>".join(lines)

    def _conventions(self) -> str:
        state = self.state
        rows = []
        per_axis = [state.conventions(a) for a in range(len(state.spatial))]
        for k, (label, _) in enumerate(per_axis[0]):
            rows.append([html.escape(label)] + [conv[k][1] for conv in per_axis])
        header = ["convention"] + (["rows", "columns"] if len(state.spatial) == 2 else ["length"])
        return table_html(header, rows, "nnw-conv-conventions")

    # ---- the network tracer -----------------------------------------------------------------------
    def _build_tracer(self):
        text = widgets.Textarea(value=",\n".join(repr(layer) for layer in self.state.layers),
                                layout=widgets.Layout(width="640px", height="180px"))
        button = widgets.Button(description="trace shapes")
        button.on_click(lambda _: self._trace(text.value))
        self._trace(text.value)
        return widgets.VBox([widgets.HTML("<b>Network tracer</b>: one layer per line (the seed's CNN)"), text, button,
                             self.tracer_table])

    def _trace(self, source):
        try:
            layers = ast.literal_eval("[" + source + "]")
            self.state.layers = [tuple(layer) if isinstance(layer, (tuple, list)) else (layer,) for layer in layers]
        except (ValueError, SyntaxError) as err:
            self.tracer_table.value = message_html("error", f"layers must be Python tuples such as ('relu',): {err}")
            return
        rows, bad = [], []
        for k, row in enumerate(self.state.trace()):
            shape = "×".join(map(str, row["shape"])) if row["shape"] else "—"
            rows.append([row["name"], shape, f"{row['params']:,}", html.escape(row["error"] or row["formula"])])
            if row["error"]:
                bad.append(k)
        total = sum(r["params"] for r in self.state.trace())
        self.tracer_table.value = table_html(["layer", "output shape", "parameters", "formula"], rows,
                                             "nnw-conv-tracer", bad_rows=bad) + f"<div>total parameters: {total:,}</div>"
