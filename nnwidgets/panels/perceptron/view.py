"""The perceptron panel: its state plus the widgets (a Tab with Neuron, Learn, Two layers, Train an MLP).

``p.w1 = 0.3`` moves the slider; moving the slider sets ``p.w1``. Tabs other than the open one are built
when first opened, so showing the panel stays fast.
"""
from __future__ import annotations

import ipywidgets as widgets

from ..._validate import choice
from ...core.perceptron import ACTIVATIONS, GATE_PRESETS, GATES, gate_targets
from ...i18n import speaking
from ...render import LayeredFigure, new_figure
from .._controls import bind, equation, float_slider, message_html, number, table_html
from .._state import Panel
from . import text
from .learn_view import LearnView
from .mlp_view import MLPView
from .square import SQUARE, caption_axes, gate_marks, point_legend, probability_bar, px_box, square_axes
from .stack_view import StackView
from .state import TABS, PerceptronState


class PerceptronExplorer(PerceptronState, Panel):
    """The perceptron logic-gate explorer.

    >>> p = PerceptronExplorer(gate="AND")
    >>> p.solved
    True
    """

    def __init__(self, gate="AND", w1=None, w2=None, b=None, activation="step", threshold=">", tab="neuron"):
        super().__init__(gate=gate, w1=w1, w2=w2, b=b, activation=activation, threshold=threshold, tab=tab)
        self._show_view()

    def _build_view(self) -> None:
        self._views = {}
        self.view = widgets.Tab(children=[widgets.VBox() for _ in TABS], titles=[text.TAB_TITLES[t] for t in TABS])
        self.view.observe(self._tab_clicked, names="selected_index")
        self.observe(self._show_tab, names="tab")
        self._show_tab()

    def _show_tab(self, change=None):
        self.tab_view(self.tab)
        self.view.selected_index = TABS.index(self.tab)

    def _tab_clicked(self, change):
        if change["new"] is not None and TABS[change["new"]] != self.tab:
            self.tab = TABS[change["new"]]

    def tab_view(self, name: str):
        """The view object of tab ``name`` (one of ``.tabs``), built on first use."""
        with speaking(self.language):  # a refusal speaks the panel's language
            name = choice("tab", name, TABS)
        if name not in self._views:
            build = {"neuron": NeuronView, "learn": LearnView, "stack": StackView, "mlp": MLPView}[name]
            with self._building_view():
                self._views[name] = build(self)
            children = list(self.view.children)
            children[TABS.index(name)] = self._views[name].widget
            self.view.children = children
        return self._views[name]

    def control(self, name: str):
        """The widget for a setting: "w1" (the Neuron tab's), "learn.lr", "stack.h1_w1", "mlp.epochs", "tab"."""
        if name == "tab":
            return self.view
        tab, _, setting = str(name).rpartition(".")
        controls = self.tab_view(tab or "neuron").controls
        if setting not in controls:
            known = ["tab", *(f"{t}.{c}" if t != "neuron" else c for t in TABS for c in self.tab_view(t).controls)]
            with speaking(self.language):
                raise ValueError(text.NO_CONTROL.format(name=name, known=", ".join(known)))
        return controls[setting]

    def to_png(self) -> bytes:
        """The open tab as matplotlib draws it (what static front ends show)."""
        return self.tab_view(self.tab).figure.to_png()


class NeuronView:
    """Sliders, the unit square with the decision line, and the live truth table."""

    def __init__(self, state: PerceptronState):
        self.state = state
        self.figure = LayeredFigure(neuron_figure())
        self.caption = 1  # the strip above the square (see neuron_figure)
        self.colour_bar = self.figure.fig.axes[2]
        self.status = widgets.HTML()
        self.table = widgets.HTML()
        self.table.add_class("nnw-truth-table")
        self.status.add_class("nnw-status")
        self.controls = {
            "gate": widgets.Dropdown(options=GATES, value=state.gate, description=text.GATE),
            "activation": widgets.ToggleButtons(options=[(text.ACTIVATION_LABELS[a], a) for a in ACTIVATIONS],
                                                value=state.activation, description=text.ACTIVATION),
            "threshold": widgets.ToggleButtons(options=text.THRESHOLD_OPTIONS, value=state.threshold,
                                               description=text.FIRES_IF, style={"button_width": "auto"}),
            "w1": float_slider("w1", state.w1, "nnw-w1"),
            "w2": float_slider("w2", state.w2, "nnw-w2"),
            "b": float_slider("b", state.b, "nnw-b"),
        }
        for name, control in self.controls.items():
            bind(state, name, control)
        self.controls["activation"].style.button_width = "90px"
        column = [*self.controls.values(), self._preset_buttons(), self.table, self.status]
        self.widget = widgets.HBox([self.figure.canvas, widgets.VBox(column)])
        state.observe(self.redraw, names=["gate", "w1", "w2", "b", "activation", "threshold"])
        state.observe(self._show_error, names="error")
        self.redraw()

    def _preset_buttons(self):
        buttons = []
        for gate in GATE_PRESETS:
            button = widgets.Button(description=text.PRESET_BUTTON.format(gate=gate),
                                    layout=widgets.Layout(width="auto"))
            button.on_click(lambda _, g=gate: self.state.load_preset(g))
            buttons.append(button)
        return widgets.HBox(buttons)

    def _show_error(self, change):
        error = message_html("error", change["new"]) if change["new"] else ""
        self.status.value = error + self._verdict(self.state.truth_table())

    def redraw(self, change=None):
        state = self.state
        rows = state.truth_table()
        sigmoid = state.activation == "sigmoid"
        heat = state.evaluate(SQUARE.grid, "sigmoid").y if sigmoid else None
        if self.colour_bar.get_visible() != sigmoid:
            self.colour_bar.set_visible(sigmoid)
            self.figure.refresh_static()
        self.figure.update(gate_marks(state.w1, state.w2, state.b, gate_targets(state.gate),
                                      [r["correct"] for r in rows], heat, caption=self.caption,
                                      prefix=text.LINE_CAPTION))
        body = [
            (r["x1"], r["x2"], f"{equation(state.w1, state.w2, state.b, (r['x1'], r['x2']))} = {number(r['z'])}",
             number(r["y"]) if sigmoid else r["y"], r["target"], text.OK_MARK if r["correct"] else text.WRONG_MARK)
            for r in rows
        ]
        header = list(text.NEURON_HEADER)
        header[3] = text.SIGMOID_Y if sigmoid else header[3]
        self.table.value = table_html(header, body, "nnw-table", [i for i, r in enumerate(rows) if not r["correct"]])
        self.status.value = self._verdict(rows)

    def _verdict(self, rows) -> str:
        state = self.state
        wrong = [f"({r['x1']},{r['x2']})" for r in rows if not r["correct"]]
        rule = text.RULE[state.threshold]
        if not wrong:
            return message_html("ok", text.SOLVED.format(gate=state.gate, rule=rule))
        message = text.ROWS_WRONG.format(count=len(wrong), rows=", ".join(wrong), rule=rule)
        if state.gate in ("XOR", "XNOR"):
            message += text.NO_SINGLE_LINE.format(learn=text.TAB_TITLES["learn"], stack=text.TAB_TITLES["stack"])
        return message_html("bad", message)


def neuron_figure():
    """The Neuron tab's static layer: the square (axes 0), the equation strip above it (1), the colour bar of
    the sigmoid's heat map (2, hidden while the activation is step) and the legend of the point colours."""
    fig = new_figure(480, 380)
    square = square_axes(fig, 50, 48, 290, "x1", "x2")
    caption_axes(fig, square, width=420)
    probability_bar(fig, 362, 48, 14, 170, text.SIGMOID_BAR).set_visible(False)
    point_legend(fig, loc="upper left", bbox_to_anchor=px_box(fig, 352, 340, 0, 0)[:2])
    return fig
