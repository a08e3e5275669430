"""The Train an MLP tab's view: decision heat map, loss curve and hidden layer at the scrubbed snapshot."""
from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from ...core.mlp import MAX_SEED
from ...core.perceptron import GATE_INPUTS, GATES, gate_targets
from ...render import LayeredFigure, marks, new_figure
from ...render.limits import steady
from .._controls import INK, WRONG, bind, float_slider, message_html, number, table_html
from . import text
from .mlp import MAX_EPOCHS, MAX_HIDDEN, TRAINING
from .square import SQUARE, point_legend, point_marks, probability_bar, probability_rgba, px_box, square_axes

GRID = 0.6  # the loss and hidden-layer grids' grey line width


class StaticAxes(NamedTuple):
    """What the static layer was last rendered for (``MLPView._draw_static_axes``)."""

    epochs: int
    loss_ylim: tuple
    hidden_xlim: tuple
    hidden_ylim: tuple
    one_unit: bool


class MLPView:
    """Draws ``panel.mlp``; a change of a training setting trains again and shows the new run from its end."""

    def __init__(self, panel):
        self.state = state = panel.mlp
        fig = new_figure(900, 360)
        square_axes(fig, 45, 50, 230, "x1", "x2", text.OUTPUT_TITLE)
        self.loss_axes = fig.add_axes(px_box(fig, 420, 50, 180, 230))
        self.hidden_axes = fig.add_axes(px_box(fig, 690, 50, 180, 230))
        probability_bar(fig, 287, 50, 12, 150, text.OUTPUT_BAR)
        point_legend(fig, ncol=3, loc="upper right", bbox_to_anchor=px_box(fig, 885, 352, 0, 0)[:2])
        self.figure = LayeredFigure(fig, draw=False, patches=True)  # drawn once its axes have the first run's limits
        self._static_key = None  # what the static layer was last rendered for (see _draw_static_axes)
        self._set_up_axes()
        self.snapshot = widgets.IntSlider(value=state.snapshot, min=0, max=self._last(), description=text.SNAPSHOT,
                                          readout=False)
        self.snapshot.add_class("nnw-mlp-epoch")
        self.play = widgets.Play(value=state.snapshot, min=0, max=self._last(), interval=60)
        widgets.jslink((self.play, "value"), (self.snapshot, "value"))
        self.controls = {
            "gate": widgets.Dropdown(options=GATES, value=state.gate, description=text.GATE,
                                     layout=widgets.Layout(width="200px")),
            "hidden_size": widgets.IntSlider(value=state.hidden_size, min=1, max=MAX_HIDDEN,
                                             description=text.HIDDEN_SIZE, continuous_update=False,
                                             style={"description_width": "initial"}),
            "lr": float_slider("lr", state.lr, "nnw-mlp-lr", lo=0.01, hi=2.0, step=0.01),
            "epochs": widgets.BoundedIntText(value=state.epochs, min=1, max=MAX_EPOCHS, step=1000,
                                             description=text.EPOCHS, layout=widgets.Layout(width="200px")),
            "seed": widgets.BoundedIntText(value=state.seed, min=0, max=MAX_SEED, description=text.SEED,
                                           layout=widgets.Layout(width="200px")),
            "snapshot": self.snapshot,
        }
        self.controls["lr"].continuous_update = False  # each new value trains again
        self.controls["hidden_size"].add_class("nnw-mlp-hidden")
        state.observe(self._follow_snapshots, names=["epochs", "snapshot"])  # before bind: the range, then the value
        for name, control in self.controls.items():
            bind(state, name, control)
        self.table, self.status = widgets.HTML(), widgets.HTML()
        c = self.controls
        self.widget = widgets.VBox([self.figure.canvas, widgets.HBox([c["gate"], c["hidden_size"], c["lr"]]),
                                    widgets.HBox([c["epochs"], c["seed"]]), widgets.HBox([self.play, self.snapshot]),
                                    self.table, self.status])
        state.observe(self._retrained, names=list(TRAINING))
        state.observe(self.redraw, names=["snapshot", "error"])
        self._retrained()

    def _last(self) -> int:
        return len(self.state.result.snapshot_epochs) - 1

    def _follow_snapshots(self, change):
        """Keep the scrub slider and Play on the run's snapshots at the state's one (the page never moves them)."""
        for control in (self.snapshot, self.play):
            with control.hold_trait_notifications():
                control.max = self._last()
                control.value = self.state.snapshot

    def _retrained(self, change=None):
        with self.figure.canvas.hold_sync():  # the new picture part, its axes and the marks in one message
            self._draw_static_axes()
            self.redraw()

    def _draw_static_axes(self):
        """The loss and hidden-layer axes for the current run; their picture (a PNG) is rendered again only when
        a limit changes. A limit is kept while the new run's data still fits it and fills a good part of it, and is
        otherwise snapped outwards (whole decades for the loss, a round step for the hidden layer), so a retrain
        with a nearby learning rate usually keeps the picture and shows at once."""
        result, hidden = self.state.result, self.state.hidden
        before = self._static_key or StaticAxes(0, None, None, None, False)
        losses = result.losses[np.isfinite(result.losses) & (result.losses > 0)]
        loss_ylim = steady(before.loss_ylim, float(losses.min()) / 1.5, float(losses.max()) * 1.5, log=True) \
            if losses.size else (1e-8, 1.0)
        lo, hi = hidden.coords.min(axis=(0, 1)), hidden.coords.max(axis=(0, 1))
        pad = 0.15 * np.maximum(hi - lo, 1e-3)  # room for the markers
        hidden_xlim = steady(before.hidden_xlim, float(min(lo[0], hidden.boundary.min()) - pad[0]),
                             float(max(hi[0], hidden.boundary.max()) + pad[0]))
        one_unit = self.state.hidden_size == 1  # every point lies on the W2 axis, nothing spreads across it
        hidden_ylim = (-1.0, 1.0) if one_unit else steady(before.hidden_ylim, float(lo[1] - pad[1]),
                                                                  float(hi[1] + pad[1]))
        key = StaticAxes(len(result.losses), loss_ylim, hidden_xlim, hidden_ylim, one_unit)
        if key == self._static_key:
            return
        first, self._static_key = self._static_key is None, key
        changed = [ax for ax, fields in ((self.loss_axes, ("epochs", "loss_ylim")),
                                         (self.hidden_axes, ("hidden_xlim", "hidden_ylim", "one_unit")))
                   if any(getattr(key, f) != getattr(before, f) for f in fields)]
        self.loss_axes.set_xlim(0, len(result.losses))
        self.loss_axes.set_ylim(*loss_ylim)
        ax = self.hidden_axes
        ax.set_xlim(*hidden_xlim)
        ax.set_ylim(*hidden_ylim)
        if one_unit:
            ax.set_yticks([])
            ax.set_ylabel(text.HIDDEN_ACROSS_NONE, fontsize=9)
        else:
            ax.yaxis.set_major_locator(MaxNLocator(5))
            ax.set_ylabel(text.HIDDEN_ACROSS, fontsize=9)
        self.figure.refresh_static(axes=None if first else changed)  # a retrain sends the changed axes only

    def _set_up_axes(self):
        """Scales, labels, titles and grids of the loss and hidden-layer axes (once: a retrain changes limits)."""
        ax = self.loss_axes
        ax.set_yscale("log")
        ax.set_xlabel(text.EPOCH)
        ax.xaxis.set_major_locator(MaxNLocator(2))  # 0, 10000, 20000: five-digit labels need the room
        ax.set_title(text.LOSS_TITLE, fontsize=10)
        ax.grid(True, color="#dddddd", lw=GRID)
        ax = self.hidden_axes
        ax.set_xlabel(text.HIDDEN_AXIS)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.set_title(text.HIDDEN_TITLE, fontsize=10)
        ax.grid(True, color="#dddddd", lw=GRID)

    def redraw(self, change=None):
        state = self.state
        result, now = state.result, state.at_snapshot()
        targets = gate_targets(state.gate)
        every = max(1, len(result.losses) // 400)
        xs = np.r_[np.arange(0, len(result.losses), every), len(result.losses) - 1]
        out = [marks.raster(probability_rgba(state.predict(SQUARE.grid)), SQUARE.box)]
        out += point_marks(GATE_INPUTS, targets, now.correct)
        out.append(marks.line(xs + 1, result.losses[xs], color=INK, width=1.5, axes=1))
        if now.epoch:
            out.append(marks.points([now.epoch], [now.loss], fill=WRONG, size=10, axes=1))
        out.append(marks.line([now.hidden.boundary] * 2, self.hidden_axes.get_ylim(), color=INK, width=2,
                              dash=[5, 4], axes=2))
        out += point_marks(now.hidden.coords, targets, now.correct, axes=2)
        self.figure.update(out)
        body = [(int(x[0]), int(x[1]), number(y), int(t), text.OK_MARK if ok else text.WRONG_MARK)
                for x, y, t, ok in zip(GATE_INPUTS, now.y, targets, now.correct, strict=True)]
        self.table.value = table_html(text.MLP_HEADER, body, "nnw-table",
                                      [i for i, ok in enumerate(now.correct) if not ok])
        loss = number(now.loss) if now.epoch else text.INITIAL_WEIGHTS
        status = message_html("ok" if now.correct.all() else "info",
                              text.MLP_STATUS.format(epoch=now.epoch, epochs=len(result.losses), loss=loss))
        self.status.value = (message_html("error", state.error) if state.error else "") + status
