"""Optimizer race: SGD, Momentum, Nesterov, AdaGrad, RMSProp and Adam on a 2-D surface, every knob live.

``RaceState`` holds the surface, start, steps and each racer's hyperparameters, and derives paths, losses,
divergence and finishing steps from ``core.race``; ``OptimizerRace`` adds the view, a learning-rate
explorer and the race on a real model (``optimizer_extras``).
"""
from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
from traitlets import Any, Dict, HasTraits, Int, Unicode, observe, validate

from .._validate import bounded_float, positive_float, positive_int
from ..core.optim import DISPLAY, KINDS, check_hyperparameters, kind_of
from ..core.race import SURFACES, race
from ._controls import DisplaysAsWidget
from ._traits import Checked, one_of

MAX_STEPS = 5000
DLFS_RACE = {"SGD": {"lr": 0.95}, "Momentum": {"lr": 0.1, "momentum": 0.9}, "AdaGrad": {"lr": 1.5},
             "Adam": {"lr": 0.3}}
SAFE_NAMES = {name: getattr(jnp, name) for name in ("exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "abs", "pi",
                                                     "maximum", "minimum", "log1p", "arctan", "sinh", "cosh")}


def is_transformation(value) -> bool:
    """An optax ``GradientTransformation`` (anything with ``init`` and ``update``), raced as it is."""
    return callable(getattr(value, "init", None)) and callable(getattr(value, "update", None))


def check_racers(name, value) -> dict:
    """{display name: hyperparameters or optax transformation}, keys naming a known optimizer."""
    if not isinstance(value, dict) or not value:
        raise ValueError(f"{name} must be a non-empty dict such as {{'SGD': {{'lr': 0.1}}}}, got {value!r}")
    out, kinds = {}, set()
    for key, hp in value.items():
        if not isinstance(key, str):
            raise ValueError(f"{name} keys must be optimizer names, got {key!r}")
        if is_transformation(hp):
            out[key] = hp
            continue
        kind = kind_of(key)
        if kind is None:
            raise ValueError(f"optimizer {key!r} is not one of {', '.join(DISPLAY[k] for k in KINDS)} "
                             "(or pass an optax GradientTransformation as its value)")
        if kind in kinds:
            raise ValueError(f"optimizer {key!r} appears twice in {name}")
        kinds.add(kind)
        out[key] = check_hyperparameters(kind, hp or {}, label=key)
    return out


def check_start(name, value):
    if not isinstance(value, (tuple, list, np.ndarray)) or len(value) != 2:
        raise ValueError(f"{name} must be a point (x, y), got {value!r}")
    return tuple(bounded_float(f"{name} {axis}", v, limit=1e4) for axis, v in zip("xy", value))


def surface_from_text(text: str):
    """``f(x, y)`` from an expression such as "x**2 + 3*y**2" (jnp functions by name: exp, sin, tanh ...)."""
    try:
        fn = eval(compile(f"lambda x, y: {text}", "<surface>", "eval"), {"__builtins__": {}, "jnp": jnp, **SAFE_NAMES})
    except SyntaxError as err:
        raise ValueError(f"surface {text!r} is not a Python expression in x and y: {err.msg}") from None
    fn.__name__ = text
    return fn


def check_surface(name, value):
    if isinstance(value, str) and value in SURFACES:
        return value
    if isinstance(value, str):
        raise ValueError(f"{name} must be one of {', '.join(map(repr, SURFACES))} or a function f(x, y), "
                         f"got {value!r}")
    if not callable(value):
        raise ValueError(f"{name} must be a surface name or a function f(x, y), got {value!r}")
    try:
        out = jax.eval_shape(value, jax.ShapeDtypeStruct((), jnp.float32), jax.ShapeDtypeStruct((), jnp.float32))
    except Exception as err:  # noqa: BLE001 - any failure to trace is reported with its cause
        first = (str(err).strip().splitlines() or [""])[0]
        raise ValueError(f"{name} f(x, y) could not be traced with jax.numpy ({type(err).__name__}: {first})") from None
    if getattr(out, "shape", None) != ():
        raise ValueError(f"{name} f(x, y) must return one number for scalar x, y, got shape "
                         f"{getattr(out, 'shape', type(out).__name__)}")
    return value


class RaceState(HasTraits):
    """The race: traits for what the learner controls, results recomputed whenever one changes."""

    surface = Checked("dlfs", check_surface)
    start = Checked((-7.0, 2.0), check_start)
    steps = Checked(30, lambda name, v: positive_int(name, v, maximum=MAX_STEPS))
    optimizers = Checked(DLFS_RACE, check_racers)
    enabled = Dict()
    view_box = Any(None)  # (xmin, xmax, ymin, ymax); None: the surface's own
    step = Int(0)  # the step drawn (scrub / Play)
    tol = Checked(1e-3, positive_float)
    error = Unicode("")

    def __init__(self, surface="dlfs", start=None, steps=30, optimizers=None, tol=1e-3, **kwargs):
        super().__init__(**kwargs)
        self._results, self._ready = None, False
        with self.hold_trait_notifications():
            self.surface = surface
            self.start = start if start is not None else (SURFACES[surface][2] if isinstance(surface, str)
                                                         and surface in SURFACES else (-1.0, 1.0))
            self.steps, self.tol = steps, tol
            self.optimizers = optimizers if optimizers is not None else DLFS_RACE
        self._ready = True
        self._recompute()
        self.step = self.steps

    @validate("optimizers")
    def _remember_enabled(self, proposal):
        value = proposal["value"]
        self.enabled = {k: self.enabled.get(k, True) for k in value}
        return value

    @observe("surface", "start", "steps", "optimizers", "tol")
    def _changed(self, change):
        if not self._ready:
            return
        try:
            self._recompute()
            if change["name"] == "steps" and self.step == change["old"]:
                self.step = self.steps  # a race watched to the end stays at the end
        except ValueError:
            self._ready = False  # put the old value back without racing twice
            setattr(self, change["name"], change["old"])
            self._ready = True
            raise

    def _recompute(self):
        kinds = tuple(kind_of(k) or v for k, v in self.optimizers.items())
        hps = tuple({} if is_transformation(v) else v for v in self.optimizers.values())
        try:
            results = race(self.function, self.start, kinds, hps, self.steps)
        except Exception as err:  # noqa: BLE001 - e.g. a custom f that fails on these numbers
            self.error = f"the race failed: {type(err).__name__}: {err}"
            raise ValueError(self.error) from None
        self._results = dict(zip(self.optimizers, results))
        self.error = ""
        self.step = min(self.step, self.steps)

    # ---- the surface -------------------------------------------------------------------------------
    @property
    def function(self):
        return SURFACES[self.surface][0] if isinstance(self.surface, str) else self.surface

    @property
    def surface_name(self) -> str:
        return self.surface if isinstance(self.surface, str) else getattr(self.surface, "__name__", "f(x, y)")

    @property
    def box(self) -> tuple:
        if self.view_box is not None:
            return tuple(self.view_box)
        if isinstance(self.surface, str):
            return SURFACES[self.surface][1]
        x, y = self.start
        half = max(2.0, abs(x), abs(y)) * 1.5
        return (-half, half, -half, half)

    @property
    def minimum(self):
        """The surface's known minimum value (0 for the built-in bowls and valleys), or None."""
        return SURFACES[self.surface][3] if isinstance(self.surface, str) else None

    # ---- results ---------------------------------------------------------------------------------
    @property
    def trajectories(self) -> dict:
        """{name: (steps + 1, 2)}: row 0 the start, row k the point after k updates."""
        return {k: r["path"] for k, r in self._results.items()}

    @property
    def losses(self) -> dict:
        return {k: r["losses"] for k, r in self._results.items()}

    @property
    def diverged(self) -> dict:
        """{name: None, or the first step whose loss is non-finite or above 1e3 x the start loss}."""
        return {k: r["diverged"] for k, r in self._results.items()}

    @property
    def finish_steps(self) -> dict:
        """{name: first step with loss < tol (before any divergence), or None}."""
        out = {}
        for k, r in self._results.items():
            end = r["diverged"] if r["diverged"] is not None else len(r["losses"])
            below = np.flatnonzero(r["losses"][:end] < self.tol)
            out[k] = int(below[0]) if below.size else None
        return out

    @property
    def states(self) -> dict:
        """{name: the optimizer state after every step (NamedTuple of arrays with a leading steps + 1 axis)}."""
        return {k: r["states"] for k, r in self._results.items()}

    def set_hyperparameter(self, name: str, hyperparameter: str, value) -> None:
        """``race.set_hyperparameter("Adam", "lr", 0.2)``: the race re-runs (no recompiling)."""
        key = self.racer_key(name)
        if is_transformation(self.optimizers[key]):
            raise ValueError(f"{key} is an optax transformation: its hyperparameters are fixed inside it")
        self.optimizers = {**self.optimizers, key: {**self.optimizers[key], hyperparameter: value}}

    def racer_key(self, name: str) -> str:
        for key in self.optimizers:
            if key == name or key.lower() == str(name).lower():
                return key
        raise ValueError(f"no optimizer {name!r} in this race: it has {', '.join(self.optimizers)}")

    def leaderboard(self) -> list[dict]:
        """One row per racer, best first: loss now, steps to finish, diverged."""
        rows = []
        finish, diverged = self.finish_steps, self.diverged
        for key, r in self._results.items():
            if not self.enabled.get(key, True):
                continue
            k = min(self.step, diverged[key] - 1) if diverged[key] is not None else self.step
            rows.append({"name": key, "loss": float(r["losses"][k]), "point": tuple(map(float, r["path"][k])),
                         "finished": finish[key], "diverged": diverged[key]})
        rows.sort(key=lambda row: (row["diverged"] is not None, row["loss"] if math.isfinite(row["loss"]) else math.inf))
        return rows

    def __repr__(self):
        return (f"{type(self).__name__}(surface={self.surface_name!r}, start={self.start}, steps={self.steps}, "
                f"optimizers={list(self.optimizers)})")


class OptimizerRace(RaceState, DisplaysAsWidget):
    """The race panel: contour plot with paths, leaderboard, loss curves, per-optimizer sliders.

    >>> r = OptimizerRace(surface="dlfs", start=(-7.0, 2.0), steps=30)
    >>> r.trajectories["SGD"][-1].round(4)
    array([-0.3504,  0.0848], dtype=float32)
    """

    TABS = ("race", "learning rate", "real model")

    def __init__(self, surface="dlfs", start=None, steps=30, optimizers=None, tol=1e-3):
        super().__init__(surface=surface, start=start, steps=steps, optimizers=optimizers, tol=tol)
        import ipywidgets as widgets

        from .optimizer_extras import LearningRateState, ModelRaceState
        from .optimizer_race_view import RaceView

        self.lr_explorer, self.model_race = LearningRateState(), ModelRaceState()
        self.view = RaceView(self)
        self.tab_views = {}
        self.tabs = widgets.Tab(children=[self.view.widget, widgets.VBox(), widgets.VBox()], titles=self.TABS)
        self.tabs.observe(lambda ch: self.open_tab(self.TABS[ch["new"]]), names="selected_index")
        self._root = self.tabs

    def open_tab(self, name: str):
        """Show a tab ("race", "learning rate", "real model"); the other two are built when first opened
        (the real-model tab trains, about a second). Returns that tab's view."""
        from .optimizer_extras import LearningRateView, ModelRaceView

        index = self.TABS.index(one_of(self.TABS)("tab", name))
        if index and name not in self.tab_views:
            view = LearningRateView(self.lr_explorer) if index == 1 else ModelRaceView(self.model_race)
            self.tab_views[name] = view
            self.tabs.children = tuple(view.widget if i == index else child
                                       for i, child in enumerate(self.tabs.children))
        self.tabs.selected_index = index
        return self.tab_views.get(name, self.view)

    def control(self, name: str, hyperparameter: str | None = None):
        """A widget: ``control("Adam", "lr")`` for a racer's slider; "step", "play", "steps", "surface", "x0" ..."""
        if hyperparameter is not None:
            return self.view.racer_controls[self.racer_key(name)][hyperparameter]
        return self.view.controls[name]

    def to_png(self) -> bytes:
        """The picture of the tab on show (static exports show what the learner was looking at)."""
        view = self.tab_views.get(self.TABS[self.tabs.selected_index or 0], self.view)
        return view.figure.to_png()
