"""The Learn tab: Rosenblatt's learning rule epoch by epoch, with Play and a scrub slider."""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..core.perceptron import GATE_INPUTS, gate_targets, perceptron_forward
from ..render import LayeredFigure, marks, new_figure
from ._controls import INK, WRONG, bind, float_slider, message_html, number
from ._square import line_marks, point_marks, square_figure
from .perceptron import why_no_line


class LearnView:
    """Runs ``state.learn()`` whenever its inputs change; the slider picks the epoch shown."""

    def __init__(self, state):
        self.state = state
        fig = new_figure(720, 360)
        square_figure("x1", "x2", "weights after the chosen epoch", ax=fig.add_axes((0.07, 0.12, 0.41, 0.8)))
        self.mistakes_axes = fig.add_axes((0.6, 0.12, 0.37, 0.8))
        self.figure = LayeredFigure(fig)
        lr = float_slider("lr", state.lr, "nnw-lr", lo=0.01, hi=1.0, step=0.01)
        epochs = widgets.IntSlider(value=state.epochs, min=1, max=100, description="epochs")
        bind(state, "lr", lr)
        bind(state, "epochs", epochs)
        self.epoch = widgets.IntSlider(value=0, min=0, max=state.epochs, description="epoch")
        self.epoch.add_class("nnw-epoch")
        self.play = widgets.Play(min=0, max=state.epochs, interval=400)
        widgets.jslink((self.play, "value"), (self.epoch, "value"))
        use = widgets.Button(description="use these weights", layout=widgets.Layout(width="auto"))
        use.on_click(self._use_weights)
        self.status = widgets.HTML()
        self.status.add_class("nnw-learn-status")
        note = widgets.HTML("<i>Starts from the Neuron tab's weights. For each row in turn: "
                            "w ← w + lr·(t − y)·x, b ← b + lr·(t − y).</i>")
        self.widget = widgets.VBox([self.figure.canvas, note, widgets.HBox([lr, epochs]),
                                    widgets.HBox([self.play, self.epoch, use]), self.status])
        state.observe(self.relearn, names=["gate", "w1", "w2", "b", "lr", "epochs", "threshold"])
        self.epoch.observe(self.redraw, names="value")
        self.relearn()

    def relearn(self, change=None):
        state = self.state
        self.history = state.learn()
        if self.epoch.max != state.epochs:
            self._draw_static_axes()
        self.epoch.max = self.play.max = state.epochs
        self.redraw()

    def _draw_static_axes(self):
        ax = self.mistakes_axes
        ax.clear()
        ax.set_xlim(-0.5, self.state.epochs + 0.5)
        ax.set_ylim(-0.2, 4.3)
        ax.set_yticks(range(5))
        ax.set_xlabel("epoch")
        ax.set_ylabel("rows wrong")
        ax.grid(True, color="#dddddd", lw=0.6)
        self.figure.refresh_static()

    def redraw(self, change=None):
        k = min(self.epoch.value, len(self.history.biases) - 1)
        w1, w2 = (float(v) for v in self.history.weights[k])
        b = float(self.history.biases[k])
        targets = gate_targets(self.state.gate)
        _, _, labels = perceptron_forward(GATE_INPUTS, self.history.weights[k], self.history.biases[k],
                                          threshold=self.state.threshold)
        w0 = self.history.weights[0]
        epochs = np.arange(len(self.history.mistakes))
        out = line_marks(w0[0], w0[1], self.history.biases[0], shade=False, color="#999999", label=False, dash=[5, 4])
        out += line_marks(w1, w2, b) + point_marks(GATE_INPUTS, targets, np.asarray(labels) == targets)
        out += [marks.line(epochs, self.history.mistakes, color=INK, width=2, axes=1),
                marks.points([k], [self.history.mistakes[k]], fill=WRONG, size=12, axes=1)]
        self.figure.update(out)
        self.status.value = self._describe(k, w1, w2, b)

    def _describe(self, k, w1, w2, b) -> str:
        history, state = self.history, self.state
        now = f"epoch {k}: w1 = {number(w1)}, w2 = {number(w2)}, b = {number(b)}, {history.mistakes[k]} of 4 rows wrong."
        solved = history.first_solved_epoch()
        if solved is not None:
            return message_html("ok", f"{now} The rule finds a line for {state.gate} after {solved} epoch(s).")
        reason = why_no_line(state.gate, state.threshold)
        if reason:
            return message_html("bad", f"{now} After {state.epochs} epochs the rule is still cycling. {reason}")
        return message_html("info", f"{now} Not solved within {state.epochs} epochs: try more epochs or another lr.")

    def _use_weights(self, _):
        k = self.epoch.value
        with self.state.hold_trait_notifications():
            self.state.w1, self.state.w2 = (float(v) for v in self.history.weights[k])
            self.state.b = float(self.history.biases[k])
