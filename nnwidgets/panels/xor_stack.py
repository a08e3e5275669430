"""Two layers of perceptrons: XOR by stacking (seed 000), and checking a hand-built network (seed 002)."""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from traitlets import HasTraits, Unicode, observe

from .._validate import bounded_float, choice
from ..core.perceptron import GATE_INPUTS, GATES, THRESHOLDS, gate_name, gate_targets, stacked_forward
from ..render import LayeredFigure, marks, new_figure
from ._controls import INK, bind, float_slider, message_html, number, table_html
from ._square import line_marks, point_marks, square_figure
from ._traits import Checked, one_of

NEURONS = ("h1", "h2", "y")
WEIGHTS = tuple(f"{n}_{p}" for n in NEURONS for p in ("w1", "w2", "b"))
LINE_COLORS = {"h1": "#8e44ad", "h2": "#17a589", "y": INK}
STACK_PRESETS = {
    # seed 000: s1 = NAND, s2 = OR, y = AND(s1, s2)
    "NAND + OR → AND (seed 000)": ((-0.5, -0.5, 0.7), (0.5, 0.5, -0.2), (0.5, 0.5, -0.7)),
    # seed 002: h1 = f(x1 - x2 + 0.5), h2 = f(x1 - x2 - 0.5), y = f(h1 - h2 - 0.5); it computes XNOR
    "h1 − h2 network (seed 002)": ((1.0, -1.0, 0.5), (1.0, -1.0, -0.5), (1.0, -1.0, -0.5)),
}


class TwoLayerState(HasTraits):
    """Hidden neurons h1, h2 and output neuron y, each y = step(w1 a + w2 b + bias)."""

    gate = Checked("XOR", one_of(GATES, casefold=True))
    threshold = Checked(">", one_of(THRESHOLDS))
    error = Unicode("")
    locals().update({name: Checked(0.0, bounded_float) for name in WEIGHTS})

    def __init__(self, preset="NAND + OR → AND (seed 000)", **kwargs):
        super().__init__(**kwargs)
        self.load_preset(preset)

    @observe(*WEIGHTS, "gate", "threshold")
    def _accepted(self, change):
        self.error = ""

    def neuron(self, name: str) -> tuple[float, float, float]:
        return tuple(getattr(self, f"{name}_{p}") for p in ("w1", "w2", "b"))

    def load_preset(self, preset: str) -> None:
        preset = choice("preset", preset, STACK_PRESETS)
        with self.hold_trait_notifications():
            for name, weights in zip(NEURONS, STACK_PRESETS[preset]):
                for part, value in zip(("w1", "w2", "b"), weights):
                    setattr(self, f"{name}_{part}", value)

    def evaluate(self):
        """(z_hidden (4, 2), s (4, 2), z_out (4,), y (4,)) on the four gate inputs."""
        (a1, a2, ab), (b1, b2, bb), (c1, c2, cb) = (self.neuron(n) for n in NEURONS)
        out = stacked_forward(GATE_INPUTS, np.array([[a1, b1], [a2, b2]], np.float32), np.array([ab, bb], np.float32),
                              np.array([c1, c2], np.float32), np.float32(cb), threshold=self.threshold)
        return tuple(np.asarray(o) for o in out)

    def truth_table(self) -> list[dict]:
        """One dict per row: x1, x2, s1, s2, y, target, correct."""
        _, s, _, y = self.evaluate()
        return [
            {"x1": int(x[0]), "x2": int(x[1]), "s1": int(si[0]), "s2": int(si[1]), "y": int(yi), "target": int(t),
             "correct": bool(yi == t)}
            for x, si, yi, t in zip(GATE_INPUTS, s, y, gate_targets(self.gate))
        ]

    def computes(self) -> str | None:
        """The name of the gate this network really computes, or None if it is none of the six."""
        return gate_name(self.evaluate()[3])

    @property
    def solved(self) -> bool:
        return all(row["correct"] for row in self.truth_table())


class StackView:
    """Input space with both hidden lines, hidden space with the output line, and the hidden table."""

    def __init__(self, explorer):
        self.state = state = explorer.stack
        fig = new_figure(720, 360)
        square_figure("x1", "x2", "input space: hidden lines h1, h2", ax=fig.add_axes((0.07, 0.12, 0.41, 0.8)))
        square_figure("s1", "s2", "hidden space: output line y", ax=fig.add_axes((0.565, 0.12, 0.41, 0.8)))
        self.figure = LayeredFigure(fig)
        self.table, self.status = widgets.HTML(), widgets.HTML()
        self.table.add_class("nnw-stack-table")
        columns = []
        for name in NEURONS:
            sliders = []
            for part in ("w1", "w2", "b"):
                slider = float_slider(part, getattr(state, f"{name}_{part}"), f"nnw-{name}-{part}")
                slider.layout.width = "230px"
                bind(state, f"{name}_{part}", slider)
                sliders.append(slider)
            title = {"h1": "hidden h1 = s1", "h2": "hidden h2 = s2", "y": "output y"}[name]
            columns.append(widgets.VBox([widgets.HTML(f"<b style='color:{LINE_COLORS[name]}'>{title}</b>")] + sliders))
        presets = widgets.Dropdown(options=list(STACK_PRESETS), description="preset",
                                   layout=widgets.Layout(width="330px"))
        presets.observe(lambda change: state.load_preset(change["new"]), names="value")
        target = widgets.Dropdown(options=GATES, description="target")
        bind(state, "gate", target)
        self.widget = widgets.VBox([self.figure.canvas, widgets.HBox(columns), widgets.HBox([presets, target]),
                                    self.table, self.status])
        state.observe(self.redraw, names=list(WEIGHTS) + ["gate", "threshold"])
        state.observe(lambda c: c["new"] and setattr(self.status, "value", message_html("error", c["new"])),
                      names="error")
        self.redraw()

    def redraw(self, change=None):
        state = self.state
        z_hidden, s, z_out, y = state.evaluate()
        rows = state.truth_table()
        correct = [r["correct"] for r in rows]
        targets = gate_targets(state.gate)
        out = []
        for name in ("h1", "h2"):
            out += line_marks(*state.neuron(name), shade=False, color=LINE_COLORS[name], label=False)
        out += point_marks(GATE_INPUTS, targets, correct)
        out += line_marks(*state.neuron("y"), axes=1, inputs=("s1", "s2"))
        out += point_marks(s, targets, correct, axes=1)
        for (si1, si2), group in _group_by_hidden(s).items():
            out.append(marks.text(si1 + 0.08, si2 + 0.1, " ".join(group), ha="left", size=11, axes=1))
        self.figure.update(out)
        body = [(r["x1"], r["x2"], number(zh[0]), r["s1"], number(zh[1]), r["s2"], number(zo), r["y"], r["target"],
                 "✓" if r["correct"] else "✗") for r, zh, zo in zip(rows, z_hidden, z_out)]
        header = ["x1", "x2", "z_h1", "s1", "z_h2", "s2", "z_y", "y", "target", ""]
        self.table.value = table_html(header, body, "nnw-table", [i for i, ok in enumerate(correct) if not ok])
        computed = state.computes()
        what = f"This network computes {computed}" if computed else \
            f"This network computes none of the six gates (y column {[r['y'] for r in rows]})"
        if state.solved:
            self.status.value = message_html("ok", f"{what}: every row matches the target {state.gate}.")
        else:
            wrong = ", ".join(f"({r['x1']},{r['x2']})" for r in rows if not r["correct"])
            self.status.value = message_html("bad", f"{what}, not {state.gate}: rows {wrong} differ.")


def _group_by_hidden(s) -> dict:
    groups: dict = {}
    for x, si in zip(GATE_INPUTS.astype(int), s):
        groups.setdefault((float(si[0]), float(si[1])), []).append(f"({x[0]},{x[1]})")
    return groups
