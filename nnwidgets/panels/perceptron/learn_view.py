"""The Learn tab's view: the rule's line after the scrubbed epoch, the mistakes per epoch, Play and a scrub slider."""
from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from ...core.perceptron import GATE_INPUTS, gate_targets
from ...render import LayeredFigure, marks, new_figure
from ...render.limits import steady_up
from .._controls import INK, WRONG, bind, float_slider, message_html, number
from . import text
from .learn import MAX_EPOCHS
from .square import START_COLOR, caption_axes, line_marks, point_legend, point_marks, px_box, square_axes

NEURON_INPUTS = ["gate", "w1", "w2", "b", "threshold"]
MISTAKES = 2  # the "rows wrong" axes (0: the square, 1: the equation strip above it)


class LearnView:
    """Draws ``panel.learn``: its history follows the Neuron tab's weights, ``lr`` and ``epochs``."""

    def __init__(self, panel):
        self.neuron, self.state = panel, panel.learn
        state = self.state
        fig = new_figure(720, 400)
        self.caption = caption_axes(fig, square_axes(fig, 50, 48, 290, "x1", "x2"), width=340)
        self.mistakes_axes = fig.add_axes(px_box(fig, 440, 48, 265, 290))
        point_legend(fig, start_line=True, ncol=2, loc="lower left", bbox_to_anchor=px_box(fig, 440, 343, 0, 0)[:2])
        self.figure = LayeredFigure(fig, draw=False, patches=True)  # drawn by _draw_static_axes below
        self.epoch = widgets.IntSlider(value=state.epoch, min=0, max=state.epochs, description=text.EPOCH)
        self.epoch.add_class("nnw-epoch")
        self.play = widgets.Play(value=state.epoch, min=0, max=state.epochs, interval=400)
        widgets.jslink((self.play, "value"), (self.epoch, "value"))
        self.controls = {
            "lr": float_slider("lr", state.lr, "nnw-lr", lo=0.01, hi=1.0, step=0.01),
            "epochs": widgets.IntSlider(value=state.epochs, min=1, max=MAX_EPOCHS, description=text.EPOCHS),
            "epoch": self.epoch,
        }
        state.observe(self._follow_epochs, names=["epochs", "epoch"])  # before bind: the range first, then the value
        for name, control in self.controls.items():
            bind(state, name, control)
        use = widgets.Button(description=text.USE_WEIGHTS, layout=widgets.Layout(width="auto"))
        use.on_click(lambda _: state.use_weights())
        self.status = widgets.HTML()
        self.status.add_class("nnw-learn-status")
        self.why = widgets.HTML()
        self.why.add_class("nnw-learn-why")
        self.widget = widgets.VBox([self.figure.canvas, widgets.HTML(text.LEARN_NOTE),
                                    widgets.HBox([self.controls["lr"], self.controls["epochs"]]),
                                    widgets.HBox([self.play, self.epoch, use]), self.status, self.why])
        panel.observe(self.redraw, names=NEURON_INPUTS)
        state.observe(self.redraw, names=["lr", "epochs", "epoch"])
        state.observe(self._show_error, names="error")
        self._static_span = None
        self._draw_static_axes()
        self.redraw()

    def _follow_epochs(self, change):
        """Keep the scrub slider and Play on 0..epochs at the state's epoch (so the page never moves it)."""
        for control in (self.epoch, self.play):
            with control.hold_trait_notifications():
                control.max = self.state.epochs
                control.value = self.state.epoch
        if change["name"] == "epochs":
            self._draw_static_axes()

    def _draw_static_axes(self):
        """The mistakes chart's axes, to a round number of epochs (``steady_up``): its picture is rendered again
        only when that number changes, not on every epochs step."""
        span = steady_up(self._static_span, self.state.epochs)
        if span == self._static_span:
            return
        first, self._static_span = self._static_span is None, span
        ax = self.mistakes_axes
        ax.clear()
        ax.set_xlim(-0.5, span + 0.5)
        ax.set_ylim(-0.3, 4.3)
        ax.set_yticks(range(5))
        ax.set_xlabel(text.EPOCH)
        ax.set_ylabel(text.ROWS_WRONG_AXIS)
        ax.grid(True, color="#dddddd", lw=0.6)
        self.figure.refresh_static(axes=None if first else [ax])

    def redraw(self, change=None):
        history, step = self.state.history, self.state.step()
        targets = gate_targets(self.neuron.gate)
        w0 = history.weights[0]
        epochs = np.arange(len(history.mistakes))
        out = line_marks(w0[0], w0[1], history.biases[0], shade=False, color=START_COLOR, dash=[5, 4], width=2)
        out += line_marks(step.w1, step.w2, step.b, caption=self.caption,
                          prefix=text.LEARN_CAPTION.format(epoch=step.epoch))
        out += point_marks(GATE_INPUTS, targets, step.labels == targets)
        out += [marks.line(epochs, history.mistakes, color=INK, width=2, axes=MISTAKES),
                marks.points(epochs, history.mistakes, fill=INK, size=5, axes=MISTAKES),
                marks.points([step.epoch], [step.mistakes], fill=WRONG, size=12, axes=MISTAKES)]
        self.figure.update(out)
        self.status.value = self._describe(step)
        self.why.value = self._proof()  # set only when it changes, so an opened proof stays open during Play

    def _show_error(self, change):
        error = message_html("error", change["new"]) if change["new"] else ""
        self.status.value = error + self._describe(self.state.step())

    def _describe(self, step) -> str:
        neuron, epochs = self.neuron, self.state.epochs
        now = text.LEARN_NOW.format(epoch=step.epoch, w1=number(step.w1), w2=number(step.w2), b=number(step.b),
                                    mistakes=step.mistakes)
        solved = self.state.history.first_solved_epoch()
        if solved is not None:
            return message_html("ok", text.LEARN_SOLVED.format(now=now, gate=neuron.gate, solved=solved))
        if text.why_no_line(neuron.gate, neuron.threshold):
            return message_html("bad", text.LEARN_CYCLING.format(now=now, epochs=epochs, gate=neuron.gate))
        return message_html("info", text.LEARN_NOT_YET.format(now=now, epochs=epochs))

    def _proof(self) -> str:
        """For XOR and XNOR, the proof that no line exists, folded under a one-line summary ('' otherwise)."""
        rows, argument = text.why_no_line_steps(self.neuron.gate, self.neuron.threshold)
        if not rows:
            return ""
        items = "".join(f"<li>{html.escape(row)}</li>" for row in rows)
        return (f"<details style='color:{INK}'><summary style='cursor:pointer'>"
                f"{html.escape(text.WHY_SUMMARY.format(gate=self.neuron.gate))}</summary>"
                f"<p style='margin:4px 0'>{html.escape(text.WHY_ROWS)}</p><ul style='margin:4px 0'>{items}</ul>"
                f"<p style='margin:4px 0'>{html.escape(argument)}</p></details>")
