"""The race's state: surface, start, steps and each racer's hyperparameters, with the results derived from them.

Every racer is an ``(init, update)`` pair: a dict of hyperparameters under an optimizer's name becomes
``core.optim.optimizer(kind, **hp)``, and an optax ``GradientTransformation`` races as it is. Surfaces are a
preset name, a formula as text (parsed by ``core.formula``; nothing typed reaches ``eval``) or a Python
function ``f(x, y)`` (usable, but it cannot be saved by ``to_dict``).
"""
from __future__ import annotations

import math
from functools import lru_cache

import jax
import numpy as np
from traitlets import Any

from ..._validate import bounded_float, choice, integer, positive_int, shown
from ...core.formula import parse_formula
from ...core.optim import DISPLAY, KINDS, check_hyperparameters, kind_of, optimizer
from ...core.race import SURFACES, first_below, race, surface_grid
from ...i18n import speaking
from .._state import PanelState, flag
from .._traits import Checked
from . import text

MAX_STEPS = 5000
MAX_COORDINATE = 1e4
DLFS_RACE = {"SGD": {"lr": 0.95}, "Momentum": {"lr": 0.1, "momentum": 0.9}, "AdaGrad": {"lr": 1.5},
             "Adam": {"lr": 0.3}}
#: the tab names the API takes (``race.tab``, ``open_tab``); their titles shown are ``text.TAB_TITLES``
TABS = ("race", "learning rate", "real model", "momentum theory")
KIND_NAMES = ", ".join(DISPLAY[k] for k in KINDS)
PRESETS = ", ".join(map(repr, SURFACES))


def is_transformation(value) -> bool:
    """An optax ``GradientTransformation`` (anything with callable ``init`` and ``update``)."""
    return callable(getattr(value, "init", None)) and callable(getattr(value, "update", None))


def check_racers(name, value, *, allow_optax=True) -> dict:
    """{name: hyperparameters (defaults filled in) or an optax transformation}; keys name a known optimizer."""
    if not isinstance(value, dict) or not value:
        raise ValueError(text.RACERS.format(name=name, value=shown(value)))
    out, kinds = {}, set()
    for key, hp in value.items():
        if not isinstance(key, str):
            raise ValueError(text.RACER_KEY.format(name=name, key=key))
        if allow_optax and is_transformation(hp):
            out[key] = hp
            continue
        kind = kind_of(key)
        if kind is None:
            message = text.RACER_UNKNOWN if allow_optax else text.RACER_UNKNOWN_NO_OPTAX
            raise ValueError(message.format(name=name, key=key, kinds=KIND_NAMES))
        if kind in kinds:
            raise ValueError(text.RACER_TWICE.format(name=name, key=key))
        kinds.add(kind)
        out[key] = check_hyperparameters(kind, {} if hp is None else hp, label=key)
    return out


def check_start(name, value) -> tuple:
    if not isinstance(value, (tuple, list, np.ndarray)) or np.ndim(value) != 1 or len(value) != 2:
        raise ValueError(text.START_POINT.format(name=name, value=shown(value)))
    return tuple(bounded_float(f"{name} {axis}", v, limit=MAX_COORDINATE) for axis, v in zip("xy", value))


def check_view_box(name, value):
    if value is None:
        return None
    message = text.VIEW_BOX.format(low=-MAX_COORDINATE, high=MAX_COORDINATE, value=shown(value))
    if not isinstance(value, (tuple, list, np.ndarray)) or np.ndim(value) != 1 or len(value) != 4:
        raise ValueError(message)
    try:
        box = tuple(bounded_float(name, v, limit=MAX_COORDINATE) for v in value)
    except ValueError:
        raise ValueError(message) from None
    if not (box[0] < box[1] and box[2] < box[3]):
        raise ValueError(message)
    return box


def check_tol(name, value) -> float:
    value = bounded_float(name, value, limit=1e6)
    if value <= 0:
        raise ValueError(text.TOL_RANGE.format(name=name, value=value))
    return value


def check_enabled(name, value) -> dict:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ValueError(text.ENABLED.format(value=shown(value)))
    return {key: flag(f"{name} {key}", on) for key, on in value.items()}


@lru_cache(maxsize=64)
def _formula(surface_text: str):
    """The parsed formula, once per text: the jitted race is keyed on the function, so it compiles once."""
    return parse_formula(surface_text, ("x", "y"), name="surface").fn


def check_surface(name, value):
    """A preset name, a formula as text, or a traceable function of two scalars returning one number."""
    if isinstance(value, str):
        if value in SURFACES:
            return value
        if value.strip().isidentifier() and value.strip() not in ("x", "y"):
            raise ValueError(text.SURFACE_NAME.format(presets=PRESETS, value=value))
        _formula(value.strip())
        return value.strip()
    if not callable(value) or isinstance(value, type):
        raise ValueError(text.SURFACE_TYPE.format(value=shown(value)))
    scalar = jax.ShapeDtypeStruct((), np.float32)
    try:
        traced = jax.make_jaxpr(value, return_shape=True)(scalar, scalar)
    except Exception as err:  # noqa: BLE001 - any failure to trace is reported with its cause
        first = (str(err).strip().splitlines() or [""])[0][:200]
        raise ValueError(text.SURFACE_TRACE.format(kind=type(err).__name__, first=first)) from None
    jaxpr, out = traced
    if getattr(out, "shape", None) != ():
        raise ValueError(text.SURFACE_SHAPE.format(shape=getattr(out, "shape", type(out).__name__)))
    if not jaxpr.jaxpr.eqns:
        raise ValueError(text.SURFACE_CONSTANT)
    return value


def surface_function(surface):
    """``f(x, y)`` for a preset name, a formula text or a function."""
    if isinstance(surface, str):
        return SURFACES[surface][0] if surface in SURFACES else _formula(surface)
    return surface


def racer(key: str, value):
    """The ``(init, update)`` pair racing under ``key``."""
    return value if is_transformation(value) else optimizer(kind_of(key), **value)


class RaceState(PanelState):
    """The race: what the learner controls, and paths, losses, divergence and finishing steps derived from it."""

    SETTINGS = ("surface", "start", "steps", "optimizers", "tol", "view_box", "step", "enabled")

    surface = Checked("dlfs", check_surface)
    start = Checked((-7.0, 2.0), check_start)
    steps = Checked(30, lambda name, v: positive_int(name, v, maximum=MAX_STEPS))
    optimizers = Checked(DLFS_RACE, check_racers)
    tol = Checked(1e-3, check_tol)
    view_box = Checked(None, check_view_box, allow_none=True)  # (xmin, xmax, ymin, ymax); None: the surface's own
    step = Checked(30, lambda name, v: integer(name, v))  # the step drawn (scrub / Play); 0..steps
    enabled = Checked({}, check_enabled)
    results = Any({}, help="{name: core.race.RaceResult}, recomputed after every change of the race")
    grid = Any(None, help="the surface on the view box (core.race.SurfaceGrid), for the contour plot")

    def __init__(self, surface="dlfs", start=None, steps=30, optimizers=None, tol=1e-3, **kwargs):
        super().__init__()
        if start is None:
            start = SURFACES[surface][2] if isinstance(surface, str) and surface in SURFACES else (-1.0, 1.0)
        self.set(surface=surface, start=start, steps=steps, optimizers=DLFS_RACE if optimizers is None else optimizers,
                 tol=tol, **{"step": steps, **kwargs})

    # ---- checks and derived results ---------------------------------------------------------------------
    def check_together(self, values, changed):
        adjusted = {}
        keys = list(values["optimizers"])
        enabled = values["enabled"]
        unknown = [k for k in enabled if k not in keys]
        if unknown and "enabled" in changed:
            raise ValueError(text.ENABLED_UNKNOWN.format(key=unknown[0], keys=", ".join(keys)))
        adjusted["enabled"] = {k: enabled.get(k, True) for k in keys}
        step, steps = values["step"], values["steps"]
        if "step" in changed and not 0 <= step <= steps:
            raise ValueError(text.STEP_RANGE.format(steps=steps, value=step))
        if "step" not in changed and (step > steps or ("steps" in changed and self.step == self.steps)):
            adjusted["step"] = steps  # a race watched to the end stays at the end
        if changed & {"surface", "start"}:
            f, (x, y) = surface_function(values["surface"]), values["start"]
            try:
                value = float(f(np.float32(x), np.float32(y)))
            except Exception as err:  # noqa: BLE001 - a function that fails on these numbers
                raise ValueError(text.RACE_FAILED.format(surface=self._name(values["surface"]),
                                                         kind=type(err).__name__, first=str(err)[:200])) from None
            if not math.isfinite(value):
                raise ValueError(text.SURFACE_NOT_FINITE.format(surface=self._name(values["surface"]), value=value,
                                                                start=(x, y)))
        return adjusted

    def after_change(self, changed):
        """Race again and evaluate the surface's grid when they depend on what changed (views observe
        ``results`` and ``grid``, so they always draw derived values that match the settings). After a refused
        change (``changed`` empty) both were put back with the settings: nothing to do."""
        grid = None
        if changed & {"surface", "view_box"} or ("start" in changed and self.view_box is None
                                                 and not self._is_preset):
            grid = surface_grid(self.function, self.box)
            if grid.finite == 0:
                raise ValueError(text.SURFACE_EMPTY_BOX.format(surface=self.surface_name, box=self.box))
        if changed & {"surface", "start", "steps", "optimizers"}:
            self.results = self._race()
        if grid is not None:
            self.grid = grid

    def _race(self) -> dict:
        keys = list(self.optimizers)
        try:
            results = race(self.function, self.start, tuple(racer(k, v) for k, v in self.optimizers.items()),
                           self.steps)
        except Exception as err:  # noqa: BLE001 - e.g. a function that fails on traced numbers
            first = (str(err).strip().splitlines() or [""])[0][:200]
            raise ValueError(text.RACE_FAILED.format(surface=self.surface_name, kind=type(err).__name__,
                                                     first=first)) from None
        return dict(zip(keys, results))

    # ---- saving -------------------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """Every setting as JSON; a Python function surface or an optax racer cannot be saved (ValueError)."""
        with speaking(self._language_in_force()):
            self._check_savable()
        return super().to_dict()

    def _check_savable(self) -> None:
        if not isinstance(self.surface, str):
            raise ValueError(text.SAVE_FUNCTION.format(presets=PRESETS))
        optax_keys = [k for k, v in self.optimizers.items() if is_transformation(v)]
        if optax_keys:
            raise ValueError(text.SAVE_OPTAX.format(keys=", ".join(map(repr, optax_keys)), kind_names=KIND_NAMES))

    # ---- the surface -------------------------------------------------------------------------------------
    @property
    def _is_preset(self) -> bool:
        return isinstance(self.surface, str) and self.surface in SURFACES

    @staticmethod
    def _name(surface) -> str:
        return repr(surface) if isinstance(surface, str) else getattr(surface, "__name__", "f(x, y)")

    @property
    def function(self):
        return surface_function(self.surface)

    @property
    def surface_name(self) -> str:
        return self.surface if isinstance(self.surface, str) else getattr(self.surface, "__name__", "f(x, y)")

    @property
    def box(self) -> tuple:
        """The view (xmin, xmax, ymin, ymax): ``view_box``, else the preset's, else a square around the start."""
        if self.view_box is not None:
            return tuple(self.view_box)
        if self._is_preset:
            return SURFACES[self.surface][1]
        half = max(2.0, abs(self.start[0]), abs(self.start[1])) * 1.5
        return (-half, half, -half, half)

    @property
    def minimum(self):
        """The surface's known minimum value (0 for the built-in bowls and valleys), or None."""
        return SURFACES[self.surface][3] if self._is_preset else None

    # ---- results -----------------------------------------------------------------------------------------
    def results_current(self) -> bool:
        """Whether ``results`` belong to the settings (observers of a setting run before the race is re-run)."""
        return list(self.results) == list(self.optimizers) and all(
            len(r.path) == self.steps + 1 for r in self.results.values())

    @property
    def trajectories(self) -> dict:
        """{name: (steps + 1, 2)}: row 0 the start, row k the point after k updates."""
        return {k: r.path for k, r in self.results.items()}

    @property
    def losses(self) -> dict:
        return {k: r.losses for k, r in self.results.items()}

    @property
    def start_loss(self) -> float:
        """f at the start (as the race computed it)."""
        return float(next(iter(self.results.values())).losses[0])

    @property
    def diverged(self) -> dict:
        """{name: None, or the first step whose loss is non-finite or above 1e3 x the start loss}."""
        return {k: r.diverged for k, r in self.results.items()}

    @property
    def finish_steps(self) -> dict:
        """{name: first step with loss < tol (before any divergence), or None}."""
        return {k: first_below(r.losses, self.tol, r.diverged) for k, r in self.results.items()}

    @property
    def states(self) -> dict:
        """{name: the optimizer state after every step (NamedTuple of arrays with a leading steps + 1 axis)}."""
        return {k: r.states for k, r in self.results.items()}

    def state_at(self, name: str, k: int):
        """Racer ``name``'s optimizer state after ``k`` updates."""
        return jax.tree.map(lambda a: np.asarray(a)[k], self.results[name].states)

    def set_hyperparameter(self, name: str, hyperparameter: str, value) -> None:
        """``race.set_hyperparameter("Adam", "lr", 0.2)``: the race re-runs (no recompiling).

        A bad value is refused with a message naming the optimizer and the hyperparameter; nothing changes.
        """
        try:
            with speaking(self._language_in_force()):  # the message in the panel's language
                hp = self._checked_hyperparameter(name, hyperparameter, value)
        except ValueError as err:
            self.error = str(err)
            raise
        self.optimizers = {**self.optimizers, self.racer_key(name): hp}

    def _checked_hyperparameter(self, name, hyperparameter, value) -> dict:
        """Racer ``name``'s hyperparameters with ``hyperparameter`` set to ``value``, checked (or a ValueError)."""
        key = self.racer_key(name)
        current = self.optimizers[key]
        if is_transformation(current):
            raise ValueError(text.OPTAX_FIXED.format(key=key, kind_names=KIND_NAMES))
        if not isinstance(hyperparameter, str):
            raise ValueError(text.HYPERPARAMETER_NAME.format(key=key, value=shown(hyperparameter)))
        return check_hyperparameters(kind_of(key), {**current, hyperparameter: value}, label=key)

    def racer_key(self, name: str) -> str:
        for key in self.optimizers:
            if key == name or (isinstance(name, str) and key.lower() == name.lower()):
                return key
        raise ValueError(text.RACER_NOT_HERE.format(name=name, keys=", ".join(self.optimizers)))

    def leaderboard(self) -> list[dict]:
        """One row per shown racer, best first: loss now, point, steps to finish, diverged."""
        rows = []
        finish, diverged = self.finish_steps, self.diverged
        for key, r in self.results.items():
            if not self.enabled.get(key, True):
                continue
            k = min(self.step, diverged[key] - 1) if diverged[key] is not None else self.step
            rows.append({"name": key, "loss": float(r.losses[k]), "point": tuple(map(float, r.path[k])),
                         "finished": finish[key], "diverged": diverged[key]})
        rows.sort(key=lambda row: (row["diverged"] is not None,
                                   row["loss"] if math.isfinite(row["loss"]) else math.inf))
        return rows

    def __repr__(self):
        return (f"{type(self).__name__}(surface={self.surface_name!r}, start={self.start}, steps={self.steps}, "
                f"optimizers={list(self.optimizers)})")


def check_tab(name, value):
    return choice(name, value, TABS)
