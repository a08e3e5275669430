"""The Two layers tab's view: input space with both hidden lines, hidden space with the output line, the table."""
from __future__ import annotations

import ipywidgets as widgets

from ...core.perceptron import GATE_INPUTS, GATES, gate_targets
from ...render import LayeredFigure, marks, new_figure
from .._controls import INK, bind, float_slider, message_html, number, table_html
from . import text
from .square import caption_axes, line_marks, point_legend, point_marks, square_axes
from .stack import NEURONS, PARTS, STACK_PRESETS, WEIGHTS

LINE_COLORS = {"h1": "#8e44ad", "h2": "#17a589", "y": INK}
CUSTOM = "(your own weights)"  # the preset dropdown's value while the weights are no preset's (its label is translated)


class StackView:
    """Draws ``panel.stack``; the threshold convention is the Neuron tab's."""

    def __init__(self, panel):
        self.state = state = panel.stack
        fig = new_figure(720, 400)
        inputs = square_axes(fig, 50, 48, 280, "x1", "x2")
        hidden = square_axes(fig, 420, 48, 280, "s1", "s2")
        legend_strip = caption_axes(fig, inputs, title=text.INPUT_SPACE)
        point_legend(fig.axes[legend_strip], ncol=3, loc="center left")
        self.caption = caption_axes(fig, hidden, title=text.HIDDEN_SPACE)  # the output line's equation
        self.figure = LayeredFigure(fig)
        self.table, self.status = widgets.HTML(), widgets.HTML()
        self.table.add_class("nnw-stack-table")
        self.controls = {"gate": widgets.Dropdown(options=GATES, value=state.gate, description=text.TARGET)}
        columns = []
        for neuron in NEURONS:
            sliders = []
            for part in PARTS:
                name = f"{neuron}_{part}"
                self.controls[name] = slider = float_slider(part, getattr(state, name), f"nnw-{neuron}-{part}")
                slider.layout.width = "230px"
                sliders.append(slider)
            title = f"<b style='color:{LINE_COLORS[neuron]}'>{text.NEURON_TITLES[neuron]}</b>"
            columns.append(widgets.VBox([widgets.HTML(title), *sliders]))
        for name, control in self.controls.items():
            bind(state, name, control)
        options = [(text.CUSTOM_WEIGHTS, CUSTOM), *((text.STACK_PRESET_TITLES[k], k) for k in STACK_PRESETS)]
        self.preset = widgets.Dropdown(options=options, description=text.PRESET, value=state.preset or CUSTOM,
                                       layout=widgets.Layout(width="auto"))
        self.preset.add_class("nnw-stack-preset")
        self.preset.observe(self._preset_chosen, names="value")
        self.widget = widgets.VBox([self.figure.canvas, widgets.HBox(columns),
                                    widgets.HBox([self.preset, self.controls["gate"]]), self.table, self.status])
        state.observe(self._show_preset, names=list(WEIGHTS))
        state.observe(self.redraw, names=["gate", *WEIGHTS])
        panel.observe(self.redraw, names="threshold")
        state.observe(self.redraw, names="error")
        self.redraw()

    def _preset_chosen(self, change):
        """Choosing a preset loads its weights; "(your own weights)" changes nothing."""
        if change["new"] in STACK_PRESETS:
            self.state.load_preset(change["new"])
        self._show_preset()

    def _show_preset(self, change=None):
        """The dropdown names the preset the weights equal now, so a preset loaded in Python shows, and a
        preset chosen again after moving a slider loads again."""
        self.preset.value = self.state.preset or CUSTOM

    def redraw(self, change=None):
        state = self.state
        z_hidden, s, z_out, _ = state.evaluate()
        rows = state.truth_table()
        correct = [r["correct"] for r in rows]
        targets = gate_targets(state.gate)
        out = []
        for neuron in ("h1", "h2"):
            out += line_marks(*state.weights_of(neuron), shade=False, color=LINE_COLORS[neuron])
        out += point_marks(GATE_INPUTS, targets, correct)
        out += line_marks(*state.weights_of("y"), axes=1, inputs=("s1", "s2"), caption=self.caption,
                          prefix=text.OUTPUT_LINE)
        out += point_marks(s, targets, correct, axes=1)
        for (s1, s2), group in _group_by_hidden(s).items():
            out.append(marks.text(s1 + 0.08, s2 + 0.1, " ".join(group), ha="left", size=11, axes=1))
        self.figure.update(out)
        body = [(r["x1"], r["x2"], number(zh[0]), r["s1"], number(zh[1]), r["s2"], number(zo), r["y"], r["target"],
                 text.OK_MARK if r["correct"] else text.WRONG_MARK)
                for r, zh, zo in zip(rows, z_hidden, z_out, strict=True)]
        wrong_rows = [i for i, ok in enumerate(correct) if not ok]
        self.table.value = table_html(text.STACK_HEADER, body, "nnw-table", wrong_rows)
        computed = state.computes()
        what = (text.COMPUTES.format(gate=computed) if computed
                else text.COMPUTES_NONE.format(column=[r["y"] for r in rows]))
        if state.solved:
            verdict = message_html("ok", text.STACK_SOLVED.format(what=what, gate=state.gate))
        else:
            wrong = ", ".join(f"({r['x1']},{r['x2']})" for r in rows if not r["correct"])
            verdict = message_html("bad", text.STACK_WRONG.format(what=what, gate=state.gate, rows=wrong))
        self.status.value = (message_html("error", state.error) if state.error else "") + verdict


def _group_by_hidden(s) -> dict:
    """Input rows that land on the same hidden point, so their labels can share one place."""
    groups: dict = {}
    for x, si in zip(GATE_INPUTS.astype(int), s, strict=True):
        groups.setdefault((float(si[0]), float(si[1])), []).append(f"({x[0]},{x[1]})")
    return groups
