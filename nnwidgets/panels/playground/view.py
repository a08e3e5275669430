"""The playground panel: its state plus the widgets (controls, Play/Step/Reset, the four-part figure).

``pg.lr = 0.1`` moves the slider; moving the slider sets ``pg.lr``. Play trains in the kernel's event loop,
one epoch a frame, so Pause and every other control stay live.
"""
from __future__ import annotations

import asyncio
import html

import ipywidgets as widgets
import numpy as np

from ...core.playground import ACTIVATIONS, DATASETS, FEATURES, INITS, OPTIMIZER_DEFAULTS, OPTIMIZERS
from ...core.playground.datasets import GENERATED
from ...i18n import speaking
from ...render import LayeredFigure
from .._controls import KEEP, bind, float_slider, log_slider, message_html
from .._state import Panel
from .._traits import Checked, one_of
from . import drawing, text
from .state import PlaygroundState

TABS = ("playground",)
OPTION_NAMES = ("momentum", "rho", "beta1", "beta2", "eps")


class Playground(PlaygroundState, Panel):
    """Build, train and break a network, TensorFlow Playground style.

    >>> pg = Playground(dataset="xor", hidden=(4,))
    >>> pg.train(epochs=5).epoch
    5
    """

    TABS = TABS
    SETTINGS = PlaygroundState.SETTINGS + ("tab",)
    tab = Checked("playground", one_of(TABS))

    def __init__(self, **settings):
        super().__init__(**settings)
        self._playing_task = None
        self._show_view()

    def _build_view(self) -> None:
        self.figure = LayeredFigure(drawing.make_figure(), draw=False, patches=True)  # drawn by redraw below
        self._limits = None
        self._layout = None
        self.controls = self._make_controls()
        self._show_options()
        self.status = widgets.HTML()
        self.status.add_class("nnw-playground-status")
        self.formula_box = widgets.HTML()
        self.figure.canvas.on_click(self._clicked)
        buttons = widgets.HBox([self.controls["play"], self.controls["step"], self.controls["reset"]])
        for name in ("play", "step", "reset"):  # narrow, so the status line beside them fits on one line
            self.controls[name].layout.width = "92px"
        settings = [c for n, c in self.controls.items() if n not in ("play", "step", "reset")]
        for control in settings:  # each fits its grid cell: no label or readout runs into the next one
            control.layout.width = "auto"
            control.style.description_width = "92px"
        # four columns where they fit, fewer on a narrower page (never cut off at the right)
        grid = widgets.Layout(grid_template_columns="repeat(auto-fill, 245px)", grid_gap="2px 4px")
        settings_box = widgets.GridBox(settings, layout=grid)
        self.view = widgets.VBox([widgets.HBox([buttons, self.status]), self.figure.canvas, settings_box,
                                  self.formula_box])
        self.observe(self.redraw, names="revision")
        self.observe(self._show_error, names="error")
        self.observe(self._show_data_controls, names="revision")
        self._show_data_controls()
        self.redraw()

    def _show_data_controls(self, change=None) -> None:
        """Show only the data controls that act on the current data: noise and samples for a generated set,
        features and the clicked point's class for 2-D points (iris and digits ignore all four; a panel never
        shows a knob that does nothing)."""
        generated = isinstance(self.dataset, str) and self.dataset in GENERATED
        two_d = self.data[0].shape[1] == 2
        for name, acts in (("noise", generated), ("samples", generated), ("features", two_d), ("add_class", two_d)):
            self.controls[name].layout.display = None if acts else "none"

    # ---- controls ----------------------------------------------------------------------------------------
    def _make_controls(self) -> dict:
        L = text.LABELS
        c = {
            "play": widgets.ToggleButton(value=False, description=text.PLAY, icon="play"),
            "step": widgets.Button(description=text.STEP, icon="step-forward"),
            "reset": widgets.Button(description=text.RESET, icon="undo"),
            "dataset": widgets.Dropdown(options=(*DATASETS, text.CUSTOM_DATA), description=L["dataset"]),
            "problem": widgets.Dropdown(options=[(text.KINDS[k], k) for k in ("classification", "regression")],
                                    description=L["problem"]),
            "hidden": widgets.Text(description=L["hidden"], placeholder=text.HIDDEN_HINT),
            "activation": widgets.Dropdown(options=ACTIVATIONS, description=L["activation"]),
            "lr": log_slider(L["lr"], self.lr, "nnw-playground-lr", lo=-4, hi=1, step=0.1),
            "batch_size": widgets.IntText(description=L["batch_size"]),
            "optimizer": widgets.Dropdown(options=OPTIMIZERS, description=L["optimizer"]),
            "regularization": widgets.Dropdown(options=((text.NO_REGULARIZATION, "none"), ("L1", "l1"), ("L2", "l2")),
                                               description=L["regularization"]),
            "reg_rate": widgets.FloatText(description=L["reg_rate"], step=0.001),
            "dropout": float_slider(L["dropout"], self.dropout, "nnw-playground-dropout", lo=0, hi=0.9, step=0.05),
            "batch_norm": widgets.Checkbox(description=L["batch_norm"]),
            "init": widgets.Dropdown(options=INITS, description=L["init"]),
            "init_scale": widgets.FloatText(description=L["init_scale"], step=0.1),
            "features": widgets.SelectMultiple(options=FEATURES, description=L["features"], rows=len(FEATURES)),
            "noise": float_slider(L["noise"], self.noise, "nnw-playground-noise", lo=0, hi=0.5, step=0.05),
            "samples": widgets.IntText(description=L["samples"]),
            "train_fraction": float_slider(L["train_fraction"], self.train_fraction, "nnw-playground-train",
                                           lo=0.1, hi=1.0, step=0.05),
            "early_stopping": widgets.IntText(description=L["early_stopping"], tooltip=text.EARLY_HINT),
            "seed": widgets.IntText(description=L["seed"]),
            "add_class": widgets.FloatText(value=1, description=text.ADD_CLASS, tooltip=text.ADD_CLASS_HINT),
        }
        for name in ("problem", "activation", "lr", "batch_size", "optimizer", "reg_rate",
                     "dropout", "batch_norm", "init", "init_scale", "features", "noise", "samples",
                     "train_fraction", "seed"):
            c[name].value = getattr(self, name)
            bind(self, name, c[name])
        self._link(c["dataset"], "dataset", lambda v: v if isinstance(v, str) and v in DATASETS else text.CUSTOM_DATA,
                   lambda v: KEEP if v == text.CUSTOM_DATA else v)
        # a Dropdown shows a value of None as no selection at all, so "no regularisation" is the option "none"
        self._link(c["regularization"], "regularization", lambda v: v or "none", lambda v: None if v == "none" else v)
        self._link(c["hidden"], "hidden", lambda v: ", ".join(map(str, v)), _parse_hidden)
        self._link(c["early_stopping"], "early_stopping", lambda v: v or 0, lambda v: v or None)
        for key in OPTION_NAMES:
            c[key] = widgets.FloatText(description=key, step=0.01 if key != "eps" else 1e-8)
            c[key].observe(lambda change, key=key: self._option_set(key, change["new"]), names="value")
        self.observe(self._show_options, names=["optimizer", "optimizer_options"])
        c["play"].observe(self._play_toggled, names="value")
        c["step"].on_click(lambda _: self._step())
        c["reset"].on_click(lambda _: self.reset())
        return c

    def _show_options(self, change=None) -> None:
        """Show the current optimizer's hyperparameters (its saved value, else the race's default)."""
        taken = OPTIMIZER_DEFAULTS[self.optimizer]
        for key in OPTION_NAMES:
            control = self.controls[key]
            control.layout.display = None if key in taken else "none"
            if key in taken:  # _option_set sees the value it already has and changes nothing
                control.value = self.optimizer_options.get(key, taken[key])

    def _option_set(self, key: str, value) -> None:
        if key not in OPTIMIZER_DEFAULTS[self.optimizer]:
            return
        if value == self.optimizer_options.get(key, OPTIMIZER_DEFAULTS[self.optimizer][key]):
            return
        try:
            self.optimizer_options = {**self.optimizer_options, key: value}
        except ValueError:
            self._show_options()

    def _link(self, control, name, shown, parsed) -> None:
        """``bind`` for a setting whose control shows it differently (text, "none" for None, 0 for None)."""
        control.value = shown(getattr(self, name))
        bind(self, name, control, shown=shown, parsed=parsed)

    def control(self, name: str):
        """The widget for a setting ("lr", "hidden", ...), a button ("play", "step", "reset") or "tab"."""
        if name == "tab":
            return self.view
        if name not in self.controls:
            raise ValueError(text.NO_CONTROL.format(name=name, known=", ".join(["tab", *self.controls])))
        return self.controls[name]

    # ---- training from the buttons ----------------------------------------------------------------------
    def _step(self):
        try:
            self.train(1)
        except ValueError as err:
            self.set_trait("error", str(err))
            self.controls["play"].value = False

    def _play_toggled(self, change):
        self.controls["play"].description = text.PAUSE if change["new"] else text.PLAY
        if change["new"] and self._playing_task is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no event loop (a script): Play needs a kernel; Step works anywhere
                loop = None
            if loop is not None:
                self._playing_task = loop.create_task(self._play())

    async def _play(self):
        try:
            while self.controls["play"].value and not self.stopped_early:
                self._step()
                await asyncio.sleep(0.001)
        finally:
            self._playing_task = None
            self.controls["play"].value = False

    def _clicked(self, axes: int, x: float, y: float) -> None:
        if axes != drawing.DATA or self._data.X_train.shape[1] != 2:
            return
        try:
            self.add_point(x, y, self.controls["add_class"].value)
        except ValueError:
            pass  # the state shows why in its error line

    # ---- drawing -----------------------------------------------------------------------------------------
    def _show_error(self, change=None):
        self.status.value = (message_html("error", self.error) if self.error else "") + self._summary()

    def _summary(self) -> str:
        h = self.history
        if not self.epoch:
            return f"<b>{text.EPOCH.format(epoch=0)}</b>"
        line = text.STATUS.format(epoch=self.epoch, train=f"{h['train_loss'][-1]:.4f}",
                                  test=f"{h['test_loss'][-1]:.4f}")
        if self.problem == "classification" and np.isfinite(h["test_accuracy"][-1]):
            line += text.ACCURACY.format(accuracy=f"{h['test_accuracy'][-1]:.3f}")
        if self.best_epoch:
            line += text.BEST.format(best=self.best_epoch)
        if self.stopped_early:
            line += text.STOPPED
        return f"<b>{html.escape(line)}</b>"

    def redraw(self, change=None):
        """Redraw what changed: the static layer only when the axes must change, the marks always."""
        two_d = self._data.X_train.shape[1] == 2
        layout = (two_d, self.classes, self.architecture.sizes)
        limits = drawing.curve_limits(self.history)
        with self.figure.canvas.hold_sync():  # a new picture (part), its axes and the marks in one message
            if layout != self._layout or limits != self._limits:
                axes, new_layout = self.figure.fig.axes, layout != self._layout
                if new_layout:
                    drawing.style_data_axes(axes[drawing.DATA], two_d, self.classes)
                    drawing.style_examples_axes(axes[drawing.EXAMPLES], two_d)
                drawing.style_curve_axes(self.figure.fig, limits)
                self._layout, self._limits = layout, limits
                # training moved the curves' limits: only those axes are drawn again and sent
                self.figure.refresh_static(axes=None if new_layout else [axes[drawing.LOSS], axes[drawing.GRADIENT]])
            self.figure.update(self._data_marks(two_d) + self._network_marks(two_d)
                               + drawing.curve_marks(self.history, self.best_epoch))
        self.formula_box.value = (f"<div>{html.escape(text.FORMULA_HEADING)}</div>"
                                  f"<pre style='margin:0'>{html.escape(self.formula)}</pre>")
        self._show_error()

    def _data_marks(self, two_d: bool) -> list:
        X_train, y_train, X_test, y_test = self.data
        if not two_d:
            part, X = ("test", X_test) if len(X_test) else ("train", X_train)
            shape = (8, 8) if X.shape[1] == 64 else None
            return drawing.confusion_marks(self.confusion(part)) + \
                drawing.example_marks(X, self.misclassified(part), shape)
        out = []
        if len(X_train):
            cells = drawing.grid(drawing.GRID)
            values = self.predict(cells)
            rgba = drawing.diverging_rgba(values, drawing.GRID) if self.problem == "regression" else \
                drawing.diverging_rgba(2 * values[:, 1] - 1, drawing.GRID) if self.classes == 2 else \
                drawing.class_rgba(values, drawing.GRID)
            out.append(drawing.marks.raster(rgba, (-drawing.BOX, drawing.BOX, -drawing.BOX, drawing.BOX),
                                            axes=drawing.DATA))
        return out + drawing.data_marks(X_train, y_train, self.problem) + \
            drawing.data_marks(X_test, y_test, self.problem, test=True)

    def _network_marks(self, two_d: bool) -> list:
        sizes = self.architecture.sizes
        heat = None
        if two_d and sum(sizes[1:]) <= drawing.MAX_HEAT_MAPS:
            layers = self.activations(drawing.grid(drawing.NEURON_GRID))
            heat = []
            for i, h in enumerate(layers):
                h = h if i < len(layers) - 1 or self.problem == "regression" else 2 * h - 1
                scale = np.maximum(np.abs(h).max(axis=0), 1e-6) if self.activation != "tanh" else 1.0
                heat += list((h / scale).T)
        inputs = self.features if two_d else [f"x{i + 1}" for i in range(sizes[0])]
        outputs = {"sigmoid": ["p"], "linear": ["ŷ"]}.get(self.architecture.output, list(map(str, range(sizes[-1]))))
        return drawing.network_marks(sizes, self.params, heat, names=(inputs, outputs))

    def to_png(self) -> bytes:
        """The panel's figure as matplotlib draws it (what static front ends show), in the panel's language."""
        with speaking(self.language):
            return self.figure.to_png()


def _parse_hidden(value: str):
    """"4, 2" -> (4, 2); "" -> () (no hidden layer). Only digits, commas and spaces: nothing is evaluated."""
    parts = [p.strip() for p in str(value).replace("(", "").replace(")", "").split(",")]
    parts = [p for p in parts if p]
    if not all(p.isdigit() and len(p) <= 4 for p in parts):
        raise ValueError(text.NOT_LAYERS.format(text=value))
    return tuple(int(p) for p in parts)
