"""The optimizer race's other two tabs: a learning-rate explorer and the race on a real model.

``LearningRateState``: plain gradient descent on a bowl, where a too-large learning rate overshoots and a
too-small one crawls. ``ModelRaceState``: the same optimizers training the XOR net or softmax regression on
Iris, full batch, mini-batch or stochastic, with the epoch/iteration arithmetic written out.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from traitlets import Dict, HasTraits, Unicode, observe

from .._validate import bounded_float, positive_float, positive_int
from ..core.optim import kind_of
from ..core.race import gradient_descent_1d, quadratic, race
from ..core.train import iris_problem, iterations_per_epoch, train_race, xor_problem
from ..render import LayeredFigure, marks, new_figure
from ._controls import anchor, bind, float_slider, from_control, log_slider, message_html, number, table_html
from ._traits import Checked, one_of
from .optimizer_race import check_racers
from .optimizer_race_view import color


def bowl(x):
    """The 1-D bowl f(x) = x²: gradient descent multiplies x by (1 − 2·lr) every step."""
    return x * x


class LearningRateState(HasTraits):
    """Plain gradient descent x ← x − lr·∇f(x) on the bowl x² (1-D) or 0.1·x² + 2·y² (2-D)."""

    lr = Checked(0.1, lambda name, v: bounded_float(name, positive_float(name, v), limit=10))
    x0 = Checked(4.0, lambda name, v: bounded_float(name, v, limit=10))
    steps = Checked(20, lambda name, v: positive_int(name, v, maximum=500))
    bowl = Checked("1-D", one_of(("1-D", "2-D")))
    error = Unicode("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    @property
    def iterates(self) -> np.ndarray:
        """(steps + 1,) x values (1-D) or (steps + 1, 2) points (2-D), row 0 the start."""
        if self.bowl == "1-D":
            return gradient_descent_1d(bowl, self.x0, self.lr, self.steps)
        return race(quadratic, (self.x0, self.x0 / 2), ("sgd",), ({"lr": self.lr},), self.steps)[0]["path"]

    def verdict(self) -> str:
        lr = self.lr
        if self.bowl == "1-D":
            factor = 1 - 2 * lr
            kind = ("crawls: each step keeps most of the distance" if 0 < factor and lr < 0.05 else
                    "converges smoothly" if 0 < factor else "lands on the minimum in one step" if factor == 0 else
                    "overshoots and oscillates, but converges" if factor > -1 else
                    "bounces between ±x forever" if factor == -1 else "overshoots further every step: diverges")
            return f"x ← x − lr·2x = (1 − 2·{lr:g})·x = {number(factor)}·x: {kind} (stable for 0 < lr < 1)."
        fx, fy = 1 - 0.2 * lr, 1 - 4 * lr
        y_part = ("y overshoots and diverges" if abs(fy) > 1 else "y overshoots and oscillates" if fy < 0 else
                  "y converges smoothly")
        return (f"per step x is multiplied by 1 − 0.2·lr = {number(fx)} and y by 1 − 4·lr = {number(fy)}: {y_part}, "
                f"and x keeps {number(abs(fx) ** self.steps)} of its distance after {self.steps} steps. One lr for "
                "both axes: small enough for the steep y (lr < 0.5) is far too small for the flat x.")


class ModelRaceState(HasTraits):
    """The optimizers training a real model; ``run()`` trains (about a second) and fills ``losses``."""

    model = Checked("iris", one_of(("iris", "xor")))
    batch = Checked("mini", one_of(("full", "mini", "stochastic")))
    batch_size = Checked(10, positive_int)
    epochs = Checked(50, lambda name, v: positive_int(name, v, maximum=5000))
    optimizers = Checked({}, check_racers)
    losses = Dict()
    error = Unicode("")

    DEFAULTS = {"iris": {"SGD": {"lr": 0.5}, "Momentum": {"lr": 0.05}, "Nesterov": {"lr": 0.05},
                         "AdaGrad": {"lr": 0.5}, "RMSProp": {"lr": 0.01}, "Adam": {"lr": 0.05}},
                "xor": {"SGD": {"lr": 2.0}, "Momentum": {"lr": 0.5}, "Nesterov": {"lr": 0.5},
                        "AdaGrad": {"lr": 0.5}, "RMSProp": {"lr": 0.05}, "Adam": {"lr": 0.05}}}

    def __init__(self, model="iris", **kwargs):
        super().__init__(model=model, **kwargs)
        if not self.optimizers:
            self.optimizers = self.DEFAULTS[self.model]

    EPOCHS = {"iris": 50, "xor": 2000}

    @observe("model")
    def _defaults(self, change):
        self.losses = {}
        with self.hold_trait_notifications():
            self.optimizers = self.DEFAULTS[change["new"]]
            self.epochs = self.EPOCHS[change["new"]]

    @property
    def problem(self):
        return iris_problem() if self.model == "iris" else xor_problem()

    @property
    def samples(self) -> int:
        return 150 if self.model == "iris" else 4

    @property
    def effective_batch(self) -> int:
        return {"full": self.samples, "mini": min(self.batch_size, self.samples), "stochastic": 1}[self.batch]

    def arithmetic(self) -> str:
        n, b = self.samples, self.effective_batch
        iters = iterations_per_epoch(n, b)
        return (f"{n} samples, batch {b} → ⌈{n}/{b}⌉ = {iters} iterations (updates) per epoch; {self.epochs} epochs"
                f" → {iters * self.epochs:,} updates. (The seeds' example: 500 samples, batch 10 → "
                f"{iterations_per_epoch(500, 10)} iterations per epoch.)")

    def run(self, progress: bool = True) -> dict:
        """Train every racer from the same start; returns and stores {name: loss per epoch (epochs + 1,)}."""
        kinds = tuple(kind_of(k) for k in self.optimizers)
        curves = train_race(self.problem, kinds, tuple(self.optimizers.values()), self.epochs, self.effective_batch,
                            progress=progress)
        self.losses = dict(zip(self.optimizers, curves))
        return self.losses


def one_plot():
    """(axes, LayeredFigure) for the two small tabs: one plot, 560 x 300 pixels."""
    fig = new_figure(560, 300)
    return fig.add_axes((0.1, 0.14, 0.86, 0.76)), LayeredFigure(fig)


class LearningRateView:
    def __init__(self, state: LearningRateState):
        self.state = state
        self.axes, self.figure = one_plot()
        self.verdict = widgets.HTML()
        self.verdict.add_class("nnw-lr-verdict")
        self.controls = {"lr": log_slider("lr", state.lr, "nnw-gd-lr", lo=-3, hi=0.5),
                         "x0": float_slider("start", state.x0, "nnw-gd-x0", lo=-5, hi=5, step=0.1),
                         "steps": widgets.IntSlider(value=state.steps, min=1, max=100, description="steps"),
                         "bowl": widgets.ToggleButtons(options=["1-D", "2-D"], value=state.bowl)}
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
            xs = np.linspace(-6, 6, 200)
            ax.plot(xs, xs ** 2, color="#888888", lw=1.5)
            ax.set_xlim(-6, 6)
            ax.set_ylim(-1, 36)
            ax.set_title("f(x) = x²", fontsize=10)
        else:
            X, Y = np.meshgrid(np.linspace(-6, 6, 120), np.linspace(-3, 3, 120))
            ax.contour(X, Y, quadratic(X, Y), levels=np.geomspace(0.01, 20, 14), cmap="Greys_r", linewidths=0.7)
            ax.set_xlim(-6, 6)
            ax.set_ylim(-3, 3)
            ax.set_title("f(x, y) = 0.1·x² + 2·y²", fontsize=10)
        ax.tick_params(labelsize=8)
        self.figure.refresh_static()
        self.redraw()

    def redraw(self, change=None):
        it = self.state.iterates
        if self.state.bowl == "1-D":
            xs, ys = np.clip(it, -1e3, 1e3), np.clip(it ** 2, -1e6, 1e6)
        else:
            xs, ys = np.clip(it[:, 0], -1e3, 1e3), np.clip(it[:, 1], -1e3, 1e3)
        self.figure.update([marks.line(xs, ys, color="#4e79a7", width=1.5),
                            marks.points(xs, ys, fill="#4e79a7", edge="white", size=8),
                            marks.points(xs[:1], ys[:1], fill="#222222", size=9, marker="s")])
        self.verdict.value = f"<div>{html.escape(self.state.verdict())}</div>"


class ModelRaceView:
    def __init__(self, state: ModelRaceState):
        self.state = state
        self.axes, self.figure = one_plot()
        self.info, self.table, self.status = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.table.add_class("nnw-model-table")
        self.controls = {"model": widgets.ToggleButtons(options=[("Iris (softmax regression)", "iris"),
                                                                 ("XOR net", "xor")], value=state.model),
                         "batch": widgets.ToggleButtons(options=["full", "mini", "stochastic"], value=state.batch),
                         "batch_size": widgets.IntSlider(value=state.batch_size, min=2, max=64, description="batch",
                                                         continuous_update=False),
                         "epochs": widgets.IntSlider(value=state.epochs, min=1, max=3000, description="epochs",
                                                     continuous_update=False)}
        self.controls["model"].style.button_width = "170px"
        for name, control in self.controls.items():
            bind(state, name, control)
        train = widgets.Button(description="train")
        train.add_class("nnw-train")
        train.on_click(lambda _: self.train())
        self.lr_sliders = {}
        for key, hp in state.optimizers.items():
            slider = log_slider(key, hp["lr"], f"nnw-model-lr-{kind_of(key)}", lo=-3, hi=1)
            slider.continuous_update = False  # each change trains again
            slider.observe(lambda ch, key=key: self._lr(key, ch["new"]), names="value")
            self.lr_sliders[key] = slider
        state.observe(lambda ch: self.train(), names=["model", "batch", "batch_size", "epochs", "optimizers"])
        sliders = list(self.lr_sliders.values())
        self.widget = widgets.VBox([self.figure.canvas, self.controls["model"],
                                    widgets.HBox([self.controls["batch"], self.controls["batch_size"]]),
                                    widgets.HBox([self.controls["epochs"], train]),
                                    widgets.HBox([widgets.VBox(sliders[::2]), widgets.VBox(sliders[1::2])]),
                                    self.info, self.table, self.status])
        self.train()

    def _lr(self, key, value):
        value = from_control(value, self.state.optimizers[key]["lr"])
        if value is None or getattr(self, "_syncing", False):
            return
        try:
            self.state.optimizers = {**self.state.optimizers, key: {**self.state.optimizers[key], "lr": value}}
        except ValueError as err:
            self.status.value = message_html("error", str(err))

    def train(self):
        state = self.state
        self._syncing = True
        try:
            for key, slider in self.lr_sliders.items():
                if key in state.optimizers and slider.value != state.optimizers[key]["lr"]:
                    anchor(slider, state.optimizers[key]["lr"])
        finally:
            self._syncing = False
        settings = (state.model, state.batch, state.effective_batch, state.epochs, repr(state.optimizers))
        if settings == getattr(self, "_trained", None):  # one change can fire several observers
            return
        self._trained = settings
        try:
            losses = state.run()
        except ValueError as err:
            self.status.value = message_html("error", str(err))
            return
        self.status.value = ""
        ax = self.axes
        ax.clear()
        ax.set_yscale("log")
        ax.set_xlim(0, state.epochs)
        top = max(float(np.nanmax([c[0] for c in losses.values()])), 1e-6) * 2
        ax.set_ylim(top * 1e-4, top)
        ax.set_xlabel("epoch", fontsize=8)
        ax.set_title(f"{'Iris, softmax regression' if state.model == 'iris' else 'XOR, 2-3-1 sigmoid net'}: "
                     "training loss per epoch", fontsize=10)
        ax.tick_params(labelsize=8)
        self.figure.refresh_static()
        epochs = np.arange(state.epochs + 1)
        self.figure.update([marks.line(epochs, np.clip(c, top * 1e-4, top), color=color(k), width=2)
                            for k, c in losses.items()])
        self.info.value = f"<div>{html.escape(state.arithmetic())}</div>"
        rows = [[f"<span style='color:{color(k)}'>●</span> {html.escape(k)}", number(float(state.optimizers[k]['lr'])),
                 number(float(c[-1]))] for k, c in sorted(losses.items(), key=lambda kv: kv[1][-1])]
        self.table.value = table_html(["optimizer", "lr", f"loss after {state.epochs} epochs"], rows, "nnw-model")
