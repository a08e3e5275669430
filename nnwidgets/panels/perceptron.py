"""Perceptron logic-gate explorer: one neuron, the learning rule, stacking layers, training an MLP.

``PerceptronState`` holds what the learner controls and derives the truth
table from ``core``; ``PerceptronExplorer`` adds the view (sliders, the unit
square, the live table) and the other tabs, built when first opened.
"""
from __future__ import annotations

from functools import partial

import ipywidgets as widgets
import numpy as np
import traitlets
from traitlets import HasTraits, Unicode, observe, validate

from .._validate import bounded_float, choice, positive_float, positive_int
from ..core.perceptron import (
    ACTIVATIONS,
    GATE_INPUTS,
    GATE_PRESETS,
    GATES,
    THRESHOLDS,
    LearningHistory,
    gate_targets,
    learn_perceptron,
    perceptron_forward,
)
from ..render import LayeredFigure
from ._controls import DisplaysAsWidget, bind, equation, float_slider, message_html, number, table_html
from ._square import SQUARE, gate_marks, square_figure
from ._traits import Checked, one_of

TABS = {"neuron": "Neuron", "learn": "Learn", "stack": "Two layers (XOR)", "mlp": "Train an MLP"}


def row_inequalities(gate: str, threshold: str) -> list[str]:
    """The condition each truth-table row puts on (w1, w2, b)."""
    fire, rest = (">", "≤") if threshold == ">" else ("≥", "<")
    terms = {(0, 0): "b", (1, 0): "w1 + b", (0, 1): "w2 + b", (1, 1): "w1 + w2 + b"}
    return [
        f"({x1},{x2}) → {t}:  {terms[(x1, x2)]} {fire if t else rest} 0"
        for (x1, x2), t in zip(GATE_INPUTS.astype(int).tolist(), gate_targets(gate).astype(int))
    ]


def why_no_line(gate: str, threshold: str = ">") -> str:
    """For XOR and XNOR, why no (w1, w2, b) can work; '' for the four separable gates."""
    gate = choice("gate", gate, GATES, casefold=True)
    threshold = choice("threshold", threshold, THRESHOLDS)
    if gate not in ("XOR", "XNOR"):
        return ""
    fire, rest = (">", "≤") if threshold == ">" else ("≥", "<")
    flipped = {">": "<", "≥": "≤", "≤": "≥", "<": ">"}
    middle, first, last, chained = (fire, rest, rest, ">") if gate == "XOR" else (rest, fire, fire, "<")
    return (
        f"No line can compute {gate}. Its four rows ask: " + "; ".join(row_inequalities(gate, threshold)) + ". "
        f"Adding the two middle rows gives w1 + w2 + 2b {middle} 0, so w1 + w2 + b {middle} −b, and −b "
        f"{flipped[first]} 0 by the first row: w1 + w2 + b {chained} 0. The last row needs w1 + w2 + b {last} 0. "
        "The rows contradict each other, so no weights exist: (1,0) and (0,1) must fall on one side of the line "
        "and (0,0) and (1,1) on the other, which no straight line can do. Stack two layers instead."
    )


class PerceptronState(HasTraits):
    """One perceptron y = f(w1 x1 + w2 x2 + b) and the gate it should compute."""

    gate = Checked("AND", one_of(GATES, casefold=True))
    w1 = Checked(0.5, bounded_float)
    w2 = Checked(0.5, bounded_float)
    b = Checked(-0.7, bounded_float)
    activation = Checked("step", one_of(ACTIVATIONS))
    threshold = Checked(">", one_of(THRESHOLDS))
    lr = Checked(0.1, positive_float)  # for the perceptron learning rule (Learn tab)
    epochs = Checked(20, partial(positive_int, maximum=200))
    error = Unicode("")  # the message of the last rejected input, '' when the last input was fine

    def __init__(self, gate="AND", w1=None, w2=None, b=None, activation="step", threshold=">", **kwargs):
        super().__init__(**kwargs)
        self.gate = gate
        preset = GATE_PRESETS.get(self.gate, GATE_PRESETS["OR"])
        self.w1, self.w2, self.b = (preset[i] if v is None else v for i, v in enumerate((w1, w2, b)))
        self.activation, self.threshold = activation, threshold

    @observe("gate", "w1", "w2", "b", "activation", "threshold", "lr", "epochs")
    def _accepted(self, change):
        self.error = ""

    @property
    def weights(self) -> np.ndarray:
        return np.array([self.w1, self.w2], dtype=np.float32)

    def evaluate(self, x=GATE_INPUTS, activation=None):
        """(z, y, label) for inputs ``x`` under the current weights (label = the 0/1 class)."""
        z, y, label = perceptron_forward(x, self.weights, np.float32(self.b),
                                         activation=activation or self.activation, threshold=self.threshold)
        return np.asarray(z), np.asarray(y), np.asarray(label)

    def truth_table(self) -> list[dict]:
        """One dict per input row: x1, x2, z, y, target, correct (z and a sigmoid y to 6 significant digits)."""
        z, y, label = self.evaluate()
        targets = gate_targets(self.gate)
        return [
            {"x1": int(x[0]), "x2": int(x[1]), "z": _shortest(zi), "y": _shortest(yi) if self.activation == "sigmoid" else int(yi),
             "target": int(t), "correct": bool(li == t)}
            for x, zi, yi, li, t in zip(GATE_INPUTS, z, y, label, targets)
        ]

    @property
    def solved(self) -> bool:
        """True when every row of the truth table is classified correctly."""
        return all(row["correct"] for row in self.truth_table())

    def learn(self) -> LearningHistory:
        """Run the perceptron learning rule from the current weights for ``epochs`` epochs at ``lr``."""
        return learn_perceptron(GATE_INPUTS, gate_targets(self.gate), self.weights, np.float32(self.b),
                                lr=self.lr, epochs=self.epochs, threshold=self.threshold)

    def load_preset(self, gate: str) -> None:
        """Set the gate and the seeds' weights for it (AND, NAND, OR; NOR = OR with signs flipped)."""
        gate = choice("gate", gate, GATES, casefold=True)
        if gate not in GATE_PRESETS:
            raise ValueError(f"gate {gate!r} has no single-perceptron preset: no line computes it "
                             f"(presets exist for {', '.join(GATE_PRESETS)}); use the two-layer tab")
        with self.hold_trait_notifications():
            self.gate = gate
            self.w1, self.w2, self.b = GATE_PRESETS[gate]

    def __repr__(self):
        return (f"{type(self).__name__}(gate={self.gate!r}, w1={self.w1:g}, w2={self.w2:g}, b={self.b:g}, "
                f"activation={self.activation!r}, threshold={self.threshold!r})")


class PerceptronExplorer(PerceptronState, DisplaysAsWidget):
    """The perceptron panel. ``p.w1 = 0.3`` moves the slider; moving the slider sets ``p.w1``.

    >>> p = PerceptronExplorer(gate="AND")
    >>> p.solved
    True
    """

    tab = Unicode("neuron")

    def __init__(self, gate="AND", w1=None, w2=None, b=None, activation="step", threshold=">", tab="neuron"):
        super().__init__(gate=gate, w1=w1, w2=w2, b=b, activation=activation, threshold=threshold)
        from .mlp_trainer import MLPTrainer
        from .xor_stack import TwoLayerState

        self.stack = TwoLayerState(threshold=self.threshold)
        self.mlp = MLPTrainer()
        traitlets.link((self, "threshold"), (self.stack, "threshold"))
        self._views = {"neuron": NeuronView(self)}
        self._tabs = widgets.Tab(children=[self._views["neuron"].widget] + [widgets.VBox() for _ in TABS][1:],
                                 titles=list(TABS.values()))
        self._tabs.observe(self._tab_clicked, names="selected_index")
        self._root = self._tabs
        self.tab = tab

    @validate("tab")
    def _valid_tab(self, proposal):
        return choice("tab", proposal["value"], TABS)

    @observe("tab")
    def _show_tab(self, change):
        self.view(change["new"])
        self._tabs.selected_index = list(TABS).index(change["new"])

    def _tab_clicked(self, change):
        if change["new"] is not None:
            self.tab = list(TABS)[change["new"]]

    def view(self, name: str):
        """The view object of a tab, built on first use (so opening the panel stays fast)."""
        name = choice("tab", name, TABS)
        if name not in self._views:
            from .mlp_trainer import MLPView
            from .perceptron_learn import LearnView
            from .xor_stack import StackView

            self._views[name] = {"learn": LearnView, "stack": StackView, "mlp": MLPView}[name](self)
            children = list(self._tabs.children)
            children[list(TABS).index(name)] = self._views[name].widget
            self._tabs.children = children
        return self._views[name]

    def control(self, name: str):
        """The Neuron tab's widget for a trait ("gate", "activation", "threshold", "w1", "w2", "b")."""
        return self._views["neuron"].controls[choice("name", name, self._views["neuron"].controls)]

    def to_png(self) -> bytes:
        """The current tab as matplotlib draws it (what static front ends show)."""
        return self._views[self.tab].figure.to_png()


class NeuronView:
    """Sliders, the unit square with the decision line, and the live truth table."""

    def __init__(self, state: PerceptronState):
        self.state = state
        self.figure = LayeredFigure(square_figure("x1", "x2"))
        self.status = widgets.HTML()
        self.table = widgets.HTML()
        self.table.add_class("nnw-truth-table")
        self.status.add_class("nnw-status")
        self.controls = {
            "gate": widgets.Dropdown(options=GATES, value=state.gate, description="gate"),
            "activation": widgets.ToggleButtons(options=ACTIVATIONS, value=state.activation, description="activation"),
            "threshold": widgets.ToggleButtons(options=[(">  (z > 0)", ">"), (">= (z ≥ 0)", ">=")],
                                               value=state.threshold, description="y = 1 if"),
            "w1": float_slider("w1", state.w1, "nnw-w1"),
            "w2": float_slider("w2", state.w2, "nnw-w2"),
            "b": float_slider("b", state.b, "nnw-b"),
        }
        for name, control in self.controls.items():
            bind(state, name, control)
        self.controls["activation"].style.button_width = self.controls["threshold"].style.button_width = "90px"
        column = list(self.controls.values()) + [self._preset_buttons(), self.table, self.status]
        self.widget = widgets.HBox([self.figure.canvas, widgets.VBox(column)])
        state.observe(self.redraw, names=["gate", "w1", "w2", "b", "activation", "threshold"])
        state.observe(self._show_error, names="error")
        self.redraw()

    def _preset_buttons(self):
        buttons = []
        for gate in GATE_PRESETS:
            button = widgets.Button(description=f"{gate} preset", layout=widgets.Layout(width="auto"))
            button.on_click(lambda _, g=gate: self.state.load_preset(g))
            buttons.append(button)
        return widgets.HBox(buttons)

    def _show_error(self, change):
        if change["new"]:
            self.status.value = message_html("error", change["new"]) + self._verdict()

    def redraw(self, change=None):
        state = self.state
        rows = state.truth_table()
        z = [r["z"] for r in rows]
        heat = state.evaluate(SQUARE.grid, "sigmoid")[1] if state.activation == "sigmoid" else None
        self.figure.update(gate_marks(state.w1, state.w2, state.b, gate_targets(state.gate),
                                      [r["correct"] for r in rows], heat))
        body = [
            (r["x1"], r["x2"], f"{equation(state.w1, state.w2, state.b, (r['x1'], r['x2']))} = {number(zi)}",
             number(r["y"]) if state.activation == "sigmoid" else r["y"], r["target"], "✓" if r["correct"] else "✗")
            for r, zi in zip(rows, z)
        ]
        header = ["x1", "x2", "z = w1·x1 + w2·x2 + b", "y" if state.activation == "step" else "y = σ(z)", "target", ""]
        self.table.value = table_html(header, body, "nnw-table", [i for i, r in enumerate(rows) if not r["correct"]])
        self.status.value = self._verdict(rows)

    def _verdict(self, rows=None) -> str:
        state = self.state
        wrong = [f"({r['x1']},{r['x2']})" for r in rows or state.truth_table() if not r["correct"]]
        rule = "y = 1 if z > 0" if state.threshold == ">" else "y = 1 if z ≥ 0"
        if not wrong:
            return message_html("ok", f"{state.gate} solved: all four rows correct ({rule}).")
        text = f"{len(wrong)} of 4 rows wrong: {', '.join(wrong)} ({rule})."
        if state.gate in ("XOR", "XNOR"):
            text += " No single line can do this: see the Learn and Two layers tabs."
        return message_html("bad", text)


def _shortest(value) -> float:
    """A float32 result to 6 significant digits, as shown in the table (float32 carries about 7).

    0.5 - 0.7 is -0.19999999 in float32; the learner's -0.2 is the honest answer.
    """
    return float(f"{float(value):.6g}")
