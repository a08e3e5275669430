"""The "Train an MLP" tab: the seed's 2-3-1 sigmoid network learning a gate, scrubbable over training."""
from __future__ import annotations

from functools import partial

import ipywidgets as widgets
import numpy as np
from traitlets import HasTraits, Instance, Unicode, observe

from .._validate import integer, positive_float, positive_int
from ..core.mlp import MLPResult, hidden_planes, train_mlp
from ..core.perceptron import GATE_INPUTS, GATES, gate_targets
from ..render import LayeredFigure, marks, new_figure
from ._controls import INK, WRONG, bind, float_slider, message_html, number, table_html
from ._square import SQUARE, point_marks, probability_rgba, square_figure
from ._traits import Checked, one_of


class MLPTrainer(HasTraits):
    """Settings of one training run and its result (``train()`` fills ``result``)."""

    gate = Checked("XOR", one_of(GATES, casefold=True))
    hidden_size = Checked(3, partial(positive_int, maximum=64))
    lr = Checked(0.1, positive_float)
    epochs = Checked(20000, partial(positive_int, maximum=1_000_000))
    seed = Checked(0, integer)
    result = Instance(MLPResult, allow_none=True)
    error = Unicode("")

    @observe("gate", "hidden_size", "lr", "epochs", "seed")
    def _accepted(self, change):
        self.error = ""

    def train(self) -> MLPResult:
        self.result = train_mlp(GATE_INPUTS, gate_targets(self.gate)[:, None], hidden_size=self.hidden_size,
                                lr=self.lr, epochs=self.epochs, seed=self.seed)
        return self.result


class MLPView:
    """Decision heat map, loss curve and hidden-layer picture at the scrubbed epoch."""

    def __init__(self, explorer):
        self.state = state = explorer.mlp
        fig = new_figure(900, 320)
        square_figure("x1", "x2", "network output y", ax=fig.add_axes((0.05, 0.14, 0.27, 0.76)))
        self.loss_axes = fig.add_axes((0.4, 0.14, 0.25, 0.76))
        self.hidden_axes = fig.add_axes((0.72, 0.14, 0.26, 0.76))
        self.figure = LayeredFigure(fig)
        gate = widgets.Dropdown(options=GATES, description="gate", layout=widgets.Layout(width="200px"))
        hidden = widgets.IntSlider(min=1, max=8, description="hidden size")
        lr = float_slider("lr", state.lr, "nnw-mlp-lr", lo=0.01, hi=2.0, step=0.01)
        epochs = widgets.BoundedIntText(min=1, max=1_000_000, step=1000, description="epochs",
                                        layout=widgets.Layout(width="200px"))
        seed = widgets.IntText(description="seed", layout=widgets.Layout(width="160px"))
        for name, control in (("gate", gate), ("hidden_size", hidden), ("lr", lr), ("epochs", epochs), ("seed", seed)):
            control.value = getattr(state, name)
            bind(state, name, control)
        train = widgets.Button(description="Train", button_style="primary")
        train.on_click(lambda _: self.train())
        self.step = widgets.IntSlider(min=0, max=1, description="snapshot", readout=False)
        self.step.add_class("nnw-mlp-epoch")
        self.play = widgets.Play(min=0, max=1, interval=60)
        widgets.jslink((self.play, "value"), (self.step, "value"))
        self.table, self.status = widgets.HTML(), widgets.HTML()
        self.widget = widgets.VBox([self.figure.canvas, widgets.HBox([gate, hidden, lr]),
                                    widgets.HBox([epochs, seed, train]), widgets.HBox([self.play, self.step]),
                                    self.table, self.status])
        self.step.observe(self.redraw, names="value")
        state.observe(lambda c: c["new"] and setattr(self.status, "value", message_html("error", c["new"])),
                      names="error")
        self.train()

    def train(self):
        result = self.state.train()
        self.planes, self.boundaries = (np.asarray(a) for a in hidden_planes(result.snapshots, GATE_INPUTS))
        self._draw_static_axes(result)
        self.step.max = self.play.max = len(result.snapshot_epochs) - 1
        # jslink makes the browser copy Play's value into the slider, so both must move
        self.play.value = self.step.value = self.step.max
        self.redraw()

    def _draw_static_axes(self, result: MLPResult):
        ax = self.loss_axes
        ax.clear()
        ax.set_yscale("log")
        finite = result.losses[np.isfinite(result.losses)]
        ax.set_xlim(0, len(result.losses))
        ax.set_ylim(finite.min() / 1.5, finite.max() * 1.5)
        ax.set_xlabel("epoch")
        ax.set_title("loss  ½·mean Σ(y − t)²", fontsize=10)
        ax.grid(True, color="#dddddd", lw=0.6)
        ax = self.hidden_axes
        ax.clear()
        lo, hi = self.planes.min(axis=(0, 1)), self.planes.max(axis=(0, 1))
        pad = 0.1 * np.maximum(hi - lo, 1e-3)
        ax.set_xlim(min(lo[0], self.boundaries.min()) - pad[0], max(hi[0], self.boundaries.max()) + pad[0])
        ax.set_ylim(lo[1] - pad[1], hi[1] + pad[1])
        ax.set_xlabel("h along W2 (the output's view)")
        ax.set_title("hidden layer", fontsize=10)
        ax.grid(True, color="#dddddd", lw=0.6)
        self.figure.refresh_static()

    def redraw(self, change=None):
        result, k = self.state.result, self.step.value
        epoch = int(result.snapshot_epochs[k])
        targets = gate_targets(self.state.gate)
        y = result.predict(GATE_INPUTS, epoch)[:, 0]
        heat = result.predict(SQUARE.grid, epoch)[:, 0]
        correct = (y > 0.5) == (targets > 0.5)
        every = max(1, len(result.losses) // 400)
        xs = np.r_[np.arange(0, len(result.losses), every), len(result.losses) - 1]
        loss_now = result.losses[epoch - 1] if epoch else float("nan")
        ax2 = self.hidden_axes.get_ylim()
        out = [marks.raster(probability_rgba(heat), SQUARE.box)] + point_marks(GATE_INPUTS, targets, correct)
        out += [marks.line(xs + 1, result.losses[xs], color=INK, width=1.5, axes=1)]
        if epoch:
            out.append(marks.points([epoch], [loss_now], fill=WRONG, size=10, axes=1))
        out.append(marks.line([self.boundaries[k]] * 2, ax2, color=INK, width=2, dash=[5, 4], axes=2))
        out += point_marks(self.planes[k], targets, correct, axes=2)
        self.figure.update(out)
        body = [(int(x[0]), int(x[1]), number(yi), int(t), "✓" if ok else "✗")
                for x, yi, t, ok in zip(GATE_INPUTS, y, targets, correct)]
        self.table.value = table_html(["x1", "x2", "y", "target", ""], body, "nnw-table",
                                      [i for i, ok in enumerate(correct) if not ok])
        text = f"epoch {epoch} of {len(result.losses)}: loss {number(loss_now) if epoch else '(initial weights)'}"
        self.status.value = message_html("ok" if correct.all() else "info", text)
