"""The views of the "learning rate" and "real model" tabs (one plot each)."""
from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D

from ...core.race import contour_levels, quadratic, surface_grid
from ...render import LayeredFigure, marks, new_figure
from .._controls import anchor, bind, float_slider, from_control, log_slider, message_html, number, table_html
from . import text
from .board import color, short, swatch
from .learning_rate import BOWLS, LearningRateState, bowl
from .real_model import BATCHES, ModelRaceState

BOX_1D = (-6.0, 6.0, -1.0, 36.0)
BOX_2D = (-6.0, 6.0, -3.0, 3.0)


def one_plot(width=560, box=(0.1, 0.14, 0.86, 0.76)):
    """(axes, LayeredFigure) for the two small tabs: one plot, ``width`` x 300 pixels."""
    fig = new_figure(width, 300)
    return fig.add_axes(box), LayeredFigure(fig, draw=False)  # each view draws it as it is built


class LearningRateView:
    def __init__(self, state: LearningRateState):
        self.state = state
        self.axes, self.figure = one_plot()
        self.verdict = widgets.HTML()
        self.verdict.add_class("nnw-lr-verdict")
        self.controls = {"lr": log_slider(text.LR, state.lr, "nnw-gd-lr", lo=-3, hi=0.5),
                         "x0": float_slider(text.GD_START, state.x0, "nnw-gd-x0", lo=-5, hi=5, step=0.1),
                         "steps": widgets.IntSlider(value=state.steps, min=1, max=100, description=text.STEPS),
                         "bowl": widgets.ToggleButtons(options=[(text.BOWL_LABELS[b], b) for b in BOWLS],
                                                       value=state.bowl)}
        for name, control in self.controls.items():
            bind(state, name, control)
        state.observe(self._static, names=["bowl"])
        state.observe(self.redraw, names=["lr", "x0", "steps"])
        self.widget = widgets.VBox([self.figure.canvas, widgets.HBox([self.controls["bowl"], self.controls["lr"]]),
                                    widgets.HBox([self.controls["x0"], self.controls["steps"]]), self.verdict])
        self._static()

    def _static(self, change=None):
        ax = self.axes
        ax.clear()
        if self.state.bowl == "1-D":
            xs = np.linspace(BOX_1D[0], BOX_1D[1], 200)
            ax.plot(xs, np.asarray(bowl(xs)), color="#888888", lw=1.5)
            box = BOX_1D
        else:
            grid = surface_grid(quadratic, BOX_2D)
            ax.contour(grid.x, grid.y, grid.z, levels=contour_levels(grid.z, 0.0, 14), cmap="Greys_r", linewidths=0.7)
            box = BOX_2D
        ax.set_xlim(box[0], box[1])
        ax.set_ylim(box[2], box[3])
        ax.set_title(text.BOWL_TITLES[self.state.bowl], fontsize=10)
        ax.tick_params(labelsize=8)
        self.figure.refresh_static()
        self.redraw()

    def redraw(self, change=None):
        it = self.state.iterates
        if self.state.bowl == "1-D":
            xs, ys = np.clip(it, -1e3, 1e3), np.clip(np.asarray(bowl(it)), -1e6, 1e6)
        else:
            xs, ys = np.clip(it[:, 0], -1e3, 1e3), np.clip(it[:, 1], -1e3, 1e3)
        self.figure.update([marks.line(xs, ys, color="#4e79a7", width=1.5),
                            marks.points(xs, ys, fill="#4e79a7", edge="white", size=8),
                            marks.points(xs[:1], ys[:1], fill="#222222", size=9, marker="s")])
        self.verdict.value = f"<div>{html.escape(self.state.verdict())}</div>"


class ModelRaceView:
    def __init__(self, state: ModelRaceState):
        self.state = state
        self.axes, self.figure = one_plot(width=760, box=(0.08, 0.14, 0.66, 0.76))
        self.info, self.table, self.status = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.table.add_class("nnw-model-table")
        self.controls = {"model": widgets.ToggleButtons(options=list(text.MODELS), value=state.model),
                         "batch": widgets.ToggleButtons(options=[(text.BATCH_LABELS[b], b) for b in BATCHES],
                                                        value=state.batch),
                         "batch_size": widgets.IntSlider(value=state.batch_size, min=2, max=64, description=text.BATCH,
                                                         continuous_update=False),
                         "epochs": widgets.IntSlider(value=state.epochs, min=1, max=3000, description=text.EPOCHS,
                                                     continuous_update=False)}
        self.controls["model"].style.button_width = "auto"  # each button as wide as its name: nothing cut
        for name, control in self.controls.items():
            bind(state, name, control)
        train = widgets.Button(description=text.TRAIN)
        train.add_class("nnw-train")
        train.on_click(lambda _: self.train())
        self.lr_sliders = {}
        for key, hp in state.optimizers.items():
            slider = log_slider(key, hp["lr"], f"nnw-model-lr-{key.lower()}", lo=-3, hi=1)
            slider.continuous_update = False  # each change trains again
            slider.observe(lambda ch, key=key: self._lr(key, ch["new"]), names="value")
            self.lr_sliders[key] = slider
        state.observe(lambda ch: self.train(), names=["model", "batch", "batch_size", "epochs", "optimizers"])
        state.observe(lambda ch: setattr(self.status, "value", message_html("error", ch["new"]) if ch["new"] else ""),
                      names="error")
        sliders = list(self.lr_sliders.values())
        self.widget = widgets.VBox([self.figure.canvas, self.controls["model"],
                                    widgets.HBox([self.controls["batch"], self.controls["batch_size"]]),
                                    widgets.HBox([self.controls["epochs"], train]),
                                    widgets.HBox([widgets.VBox(sliders[::2]), widgets.VBox(sliders[1::2])]),
                                    self.info, self.table, self.status])
        self.train()

    def _lr(self, key, value):
        if key not in self.state.optimizers:
            return
        value = from_control(value, self.state.optimizers[key]["lr"])
        if value is None:
            return
        try:
            self.state.optimizers = {**self.state.optimizers, key: {**self.state.optimizers[key], "lr": value}}
        except ValueError:  # the state says why in ``error``; the slider goes back
            anchor(self.lr_sliders[key], self.state.optimizers[key]["lr"])

    def train(self):
        """Train for the current settings (once per settings: one change can fire several observers) and draw."""
        state = self.state
        for key, slider in self.lr_sliders.items():
            if key in state.optimizers and slider.value != state.optimizers[key]["lr"]:
                anchor(slider, state.optimizers[key]["lr"])
        settings = (state.model, state.batch, state.effective_batch, state.epochs, repr(state.optimizers))
        if settings == getattr(self, "_trained", None) and state.losses:
            return
        self._trained = settings
        losses = state.run()
        ax = self.axes
        ax.clear()
        ax.set_yscale("log")
        ax.set_xlim(0, state.epochs)
        top = max(float(np.nanmax([c[0] for c in losses.values()])), 1e-6) * 2
        bottom = max(min(float(np.nanmin(c)) for c in losses.values()) / 3, top * 1e-6)  # spread the curves
        ax.set_ylim(bottom, top)
        ax.set_xlabel(text.EPOCH_AXIS, fontsize=8)
        ax.set_title(text.MODEL_TITLES[state.model], fontsize=10)
        ax.tick_params(labelsize=8)
        ranked = sorted(losses, key=lambda k: losses[k][-1])
        handles = [Line2D([], [], color=color(k), lw=2, label=text.MODEL_LEGEND.format(
            name=k, loss=short(losses[k][-1]))) for k in ranked]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False,
                  title=text.MODEL_LEGEND_TITLE.format(epochs=state.epochs), title_fontsize=8, alignment="left")
        self.figure.refresh_static()
        epochs = np.arange(state.epochs + 1)
        self.figure.update([marks.line(epochs, np.clip(c, bottom, top), color=color(k), width=2)
                            for k, c in losses.items()])
        self.info.value = f"<div>{html.escape(state.arithmetic())}</div>"
        rows = [[swatch(k), number(float(state.optimizers[k]["lr"])), number(float(losses[k][-1])),
                 percent(state.accuracies[k][0]), percent(state.accuracies[k][1])] for k in ranked]
        header = [h.format(epochs=state.epochs) for h in text.MODEL_HEADER]
        note = "" if state.test_set is not None else f"<div>{html.escape(text.NO_TEST_SET)}</div>"
        self.table.value = table_html(header, rows, "nnw-model") + note


def percent(value) -> str:
    """An accuracy as a percentage with one decimal ("—" when there is none)."""
    return text.NO_ACCURACY if value is None else f"{100 * value:.1f}%"
