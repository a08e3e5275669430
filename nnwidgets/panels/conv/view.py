"""The conv/pool visualizer's widgets: padded input and output grids, formulas, conventions; the tracer tab.

The view only links controls to ``ConvState`` and draws what the state (and core) computed.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from ...render import LayeredFigure
from .._controls import WRONG, bind, message_html, number, table_html
from . import drawing, text
from .network_view import NetworkView
from .state import GEOMETRY, MAX_CHANNELS, MAX_SIDE, MODES, TABS, ConvState

PADDING_OPTIONS = ("valid", "same", "full", *range(9))
BOUND = ("mode", "stride", "dilation", "filters", "ceil_mode", "numbers", "flip", "position")


class ReportingSlider(widgets.IntSlider):
    """An IntSlider that also reports a value the page sends when the kernel already holds it.

    After a refusal the kernel puts the slider back, but a page still busy with its own messages may keep showing
    the refused value; when the learner then moves it to the value the kernel holds, no change fires, so nothing
    would clear the warning. ``on_same_value`` hears of exactly that message.
    """

    on_same_value = None

    def set_state(self, sync_data):
        same = "value" in sync_data and sync_data["value"] == self.value
        super().set_state(sync_data)
        if same and self.on_same_value:
            self.on_same_value()


def _slider(description, value, lo, hi, css):
    slider = ReportingSlider(value=value, min=lo, max=hi, description=description, continuous_update=True,
                             layout=widgets.Layout(width="300px"))
    slider.add_class(css)
    return slider


class ConvView(widgets.VBox):
    """The root widget: a tab for one layer (grids, controls, formulas) and a tab for the network tracer."""

    def __init__(self, state: ConvState):
        super().__init__()
        self.state = state
        self.figure = LayeredFigure(drawing.figure())
        self.figure.canvas.on_click(self._clicked)
        self.summary, self.conventions, self.status = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.summary.add_class("nnw-conv-summary")
        self.network = NetworkView(state.network)
        self.controls = self._build_controls()
        c = self.controls
        # Play is bound in the kernel, not with jslink: a front-end link copied the Play's 0 into the
        # output-cell slider when the page was drawn, undoing a position set in Python (lesson 05)
        bind(state, "position", self.play)
        step = widgets.Button(description=text.STEP, layout=widgets.Layout(width="80px"))
        step.on_click(lambda _: self._try("position", (state.position + 1) % state.output_cells))
        left = widgets.VBox([c[n] for n in ("mode", "H", "W", "C", "kH", "kW")])
        right = widgets.VBox([c[n] for n in ("stride", "padding", "dilation", "filters", "ceil_mode", "numbers",
                                             "flip")])
        layer = widgets.VBox([self.figure.canvas, widgets.HBox([self.play, c["position"], step]),
                              widgets.HBox([left, right]), self.summary, self.conventions])
        c["tab"] = widgets.Tab(children=[layer, self.network], titles=[text.TAB_TITLES[t] for t in TABS],
                               selected_index=TABS.index(state.tab))
        self.children = [c["tab"], self.status]
        state.observe(self.redraw, names=[n for n in state.SETTINGS if n != "tab"])
        state.observe(lambda ch: setattr(c["tab"], "selected_index", TABS.index(ch["new"])), names="tab")
        c["tab"].observe(lambda ch: self._try("tab", TABS[ch["new"]]), names="selected_index")
        state.observe(lambda ch: setattr(self.status, "value", message_html("error", ch["new"]) if ch["new"] else ""),
                      names="error")
        self.redraw()

    # ---- controls -------------------------------------------------------------------------------------
    def _build_controls(self):
        state = self.state
        c = {
            "mode": widgets.ToggleButtons(options=[(text.MODE_LABELS[m], m) for m in MODES], value=state.mode),
            "H": _slider(text.HEIGHT, 1, 1, MAX_SIDE, "nnw-H"), "W": _slider(text.WIDTH, 1, 1, MAX_SIDE, "nnw-W"),
            "C": _slider(text.CHANNELS, 1, 1, 16, "nnw-C"),
            "kH": _slider(text.KERNEL_H, 1, 1, 9, "nnw-kernel-h"),
            "kW": _slider(text.KERNEL_W, 1, 1, 9, "nnw-kernel-w"),
            "stride": _slider(text.STRIDE, state.stride, 1, 6, "nnw-stride"),
            "dilation": _slider(text.DILATION, state.dilation, 1, 4, "nnw-dilation"),
            "filters": _slider(text.FILTERS, state.filters, 1, 64, "nnw-filters"),
            "padding": widgets.Dropdown(options=[(str(v), v) for v in PADDING_OPTIONS], description=text.PADDING),
            "ceil_mode": widgets.Checkbox(value=state.ceil_mode, description=text.CEIL_MODE),
            "numbers": widgets.Checkbox(value=state.numbers, description=text.NUMBERS),
            "flip": widgets.Checkbox(value=state.flip, description=text.FLIP),
            "position": _slider(text.POSITION, 0, 0, max(state.output_cells - 1, 0), "nnw-position"),
            "layers": self.network.text,
        }
        self.play = widgets.Play(value=state.position, min=0, max=c["position"].max, interval=500)
        c["mode"].style.button_width = "80px"
        for name in ("mode", "padding", "ceil_mode", "numbers", "flip"):
            c[name].add_class(f"nnw-{name.replace('_', '-')}")
        self.controls = c
        # before the bindings: a new geometry first widens the controls' ranges, then the values follow
        state.observe(self._ranges, names=list(GEOMETRY))
        self._ranges()
        for name in BOUND:
            bind(state, name, c[name])
        for control in c.values():
            if isinstance(control, ReportingSlider):
                control.on_same_value = self._confirmed
        c["padding"].observe(lambda ch: ch["new"] is not None and self._try("padding", ch["new"]), names="value")
        for name in ("H", "W", "C"):
            c[name].observe(lambda _: self._try("input_shape", self._shape_from_controls()), names="value")
        for name in ("kH", "kW"):
            c[name].observe(lambda _: self._try("kernel_size", self._kernel_from_controls()), names="value")
        return c

    def _confirmed(self):
        """The page shows values the state holds (all valid): a warning about a refused value no longer applies."""
        if self.state.error:
            self.state.set()  # an empty change: valid, so it clears ``error``

    def _try(self, name, value):
        """Set ``name`` unless it already has ``value``; a refusal (shown in the error line) puts the controls back."""
        if getattr(self.state, name) == value:
            return
        try:
            setattr(self.state, name, value)
        except ValueError:
            self._ranges()

    def _shape_from_controls(self):
        c = self.controls
        return (c["W"].value, c["C"].value) if len(self.state.spatial) == 1 else (c["H"].value, c["W"].value,
                                                                                c["C"].value)

    def _kernel_from_controls(self):
        kh, kw = self.controls["kH"].value, self.controls["kW"].value
        return kw if len(self.state.spatial) == 1 or kh == kw else (kh, kw)

    def _ranges(self, change=None):
        """Controls that show a composite or ranged setting follow the state (several moved at once)."""
        state, c = self.state, self.controls
        spatial = state.spatial if len(state.spatial) == 2 else (1,) + state.spatial
        kernel = state.kernel if len(state.kernel) == 2 else (1,) + state.kernel
        shown = {"H": spatial[0], "W": spatial[1], "C": state.channels, "kH": kernel[0], "kW": kernel[1]}
        with c["H"].hold_trait_notifications(), c["W"].hold_trait_notifications(), \
                c["C"].hold_trait_notifications(), c["kH"].hold_trait_notifications(), \
                c["kW"].hold_trait_notifications():
            for name, value in shown.items():
                c[name].max = max(c[name].max, value)
                c[name].value = value
        c["H"].disabled = c["kH"].disabled = len(state.spatial) == 1
        c["filters"].disabled = c["flip"].disabled = state.mode != "conv"  # pooling has no filters to count or flip
        c["ceil_mode"].disabled = state.mode == "conv"
        c["C"].max = max(16, min(state.channels, MAX_CHANNELS))
        c["padding"].value = state.padding if state.padding in PADDING_OPTIONS else None  # a pair: no option
        last = max(state.output_cells - 1, 0)
        for control in (c["position"], self.play):  # widen, move, then narrow: the slider never clamps the value
            control.max = max(control.max, last)
            control.value = state.position
            control.max = last

    def _clicked(self, axes, x, y):
        """A click on the output picks that output cell; on the input, that input cell."""
        state = self.state
        if axes not in (0, 1):
            return
        rows, cols, size, (top, left) = drawing.layout(state, axes)
        r, col = int((1 - y - top) // size), int((x - left) // size)
        if not (0 <= r < rows and 0 <= col < cols):
            return
        if axes == 1:
            cell = (r, col) if len(state.spatial) == 2 else (col,)
            self._try("position", int(np.ravel_multi_index(cell, state.output_spatial)))
            return
        pads = state.pads()
        cell = (r - pads[0][0], col - pads[1][0]) if len(state.spatial) == 2 else (col - pads[0][0],)
        inside = all(0 <= v < n for v, n in zip(cell, state.spatial))
        self._try("selected_input", cell if inside and cell != state.selected_input else None)

    # ---- drawing --------------------------------------------------------------------------------------
    def redraw(self, change=None):
        state = self.state
        self.figure.update(drawing.all_marks(state))
        self.summary.value = self._summary(state.cell(state.position), state.values()[1])
        self.conventions.value = self._conventions()

    def _summary(self, ij, w) -> str:
        state = self.state
        kernel = "·".join(map(str, state.kernel))
        lines = [text.SHAPES.format(input=state.input_shape, output=state.output_shape)
                 + (text.PARAMETERS.format(kernel=kernel, channels=state.channels, filters=state.filters,
                                           params=state.params) if state.mode == "conv" else "")]
        names = text.AXIS_NAMES_2D if len(state.spatial) == 2 else text.AXIS_NAMES_1D
        for axis, name in enumerate(names):
            uneven = "" if state.divides_evenly(axis) else text.UNEVEN.format(color=WRONG)
            lines.append(text.AXIS_FORMULA.format(axis=name, formula=state.formula(axis)) + uneven)
        lines.append(text.READS.format(cell=ij, cells=state.receptive_field(ij)))
        if state.selected_input:
            lines.append(text.FEEDS.format(cell=state.selected_input, cells=state.feeds(state.selected_input)))
        if state.numbers:
            lines.append(self._numbers_line(ij))
        return "<br>".join(lines)

    def _numbers_line(self, ij) -> str:
        """How the front output cell's value comes about, with the products written out for one small channel."""
        state = self.state
        value = number(state.output_values()[ij])
        if state.mode != "conv":
            return text.NUMBERS_POOL.format(what=text.POOLING[state.mode], cell=ij, value=value)
        what = text.TRUE_CONVOLUTION if state.flip else text.CROSS_CORRELATION
        x, w = state.values()
        w = np.flip(w) if state.flip else w
        window = state.window(ij)
        if state.channels > 1 or len(window) > 9:
            return text.NUMBERS_CONV.format(what=what, cell=ij, channels=state.channels, value=value)
        inside = [all(0 <= v < n for v, n in zip(p, state.spatial)) for p in window]
        terms = " + ".join(f"{_factor(x[p] if ok else 0.0)}·{_factor(k)}"
                           for p, ok, k in zip(window, inside, w.ravel()))
        return text.NUMBERS_TERMS.format(what=what, cell=ij, terms=terms, value=value)

    def _conventions(self) -> str:
        state = self.state
        per_axis = [state.conventions(a) for a in range(len(state.spatial))]
        rows = [[html.escape(label)] + [conv[k][1] for conv in per_axis] for k, (label, _) in enumerate(per_axis[0])]
        names = text.AXIS_NAMES_2D if len(state.spatial) == 2 else text.AXIS_NAMES_1D
        return table_html([text.CONVENTION, *names], rows, "nnw-conv-conventions")

    def to_png(self) -> bytes:
        """The open tab as matplotlib draws it."""
        return self.figure.to_png() if self.state.tab == "layer" else self.network.to_png()


def _factor(value) -> str:
    """A number inside a product: negative ones in parentheses, 5·(−1)."""
    shown = number(value)
    return f"({shown})" if shown.startswith("−") else shown
