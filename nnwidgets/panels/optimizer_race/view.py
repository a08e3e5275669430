"""The race tab: contour plot with paths, loss curves, leaderboard, per-optimizer sliders."""
from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np
from matplotlib import ticker

from ...core.optim import book_velocity, kind_of
from ...core.race import SURFACES, contour_levels
from ...render import LayeredFigure, marks, new_figure
from .._controls import (
    INK,
    WRONG,
    anchor,
    bind,
    float_slider,
    from_control,
    log_slider,
    message_html,
    shows_setting,
)
from . import text
from .board import color, leaderboard_html
from .state import is_transformation

SLIDERS = {"momentum": (0.0, 0.99, 0.01), "rho": (0.0, 0.999, 0.001), "beta1": (0.0, 0.99, 0.01),
           "beta2": (0.9, 0.9999, 0.0001)}
CUSTOM = "custom"  # the surface dropdown's value while a typed formula races


class RaceView:
    def __init__(self, state):
        self.state = state
        fig = new_figure(900, 420)
        self.contour = fig.add_axes((0.06, 0.11, 0.56, 0.8))
        self.loss_axes = fig.add_axes((0.71, 0.11, 0.27, 0.8))
        self.figure = LayeredFigure(fig, draw=False, patches=True)  # drawn by _static_changed below
        self.figure.canvas.on_click(self._clicked)
        self.leaderboard, self.status = widgets.HTML(), widgets.HTML()
        self.leaderboard.add_class("nnw-leaderboard")
        self.controls = self._build_controls()
        self.racers = widgets.VBox()
        self.racer_controls, self.racer_toggles = {}, {}
        self._build_racers()
        c = self.controls
        self.widget = widgets.VBox([
            self.figure.canvas, widgets.HBox([c["play"], c["step"]]),
            widgets.HBox([widgets.VBox([c["surface"], c["custom"], c["steps"]]), widgets.VBox([c["x0"], c["y0"]])]),
            self.racers, self.leaderboard, self.status])
        state.observe(self._static_changed, names=["grid"])
        state.observe(self._surface_changed, names=["surface"])
        state.observe(self._results_changed, names=["results"])
        state.observe(self._moved, names=["step", "enabled", "tol"])
        state.observe(self._show_error, names="error")
        self._loss_limits, self._log_scale = None, False
        self._surface_changed()
        self._static_changed()

    # ---- controls ---------------------------------------------------------------------------------
    def _build_controls(self):
        state = self.state
        x0, x1, y0, y1 = state.box
        labels = text.SURFACE_LABELS
        options = [(labels.get(name, name), name) for name in [*SURFACES, CUSTOM]]
        c = {"surface": widgets.Dropdown(options=options, description=text.SURFACE),
             "custom": widgets.Text(placeholder=text.CUSTOM_PLACEHOLDER, description=text.CUSTOM_DESCRIPTION,
                                    continuous_update=False, layout=widgets.Layout(width="340px")),
             "steps": widgets.IntSlider(value=state.steps, min=1, max=1000, description=text.STEPS,
                                        continuous_update=False),
             "step": widgets.IntSlider(value=state.step, min=0, max=state.steps, description=text.STEP,
                                       continuous_update=True, layout=widgets.Layout(width="420px")),
             "play": widgets.Play(min=0, max=state.steps, interval=80),
             "x0": float_slider(text.START_X, state.start[0], "nnw-start-x", lo=x0, hi=x1, step=0.1),
             "y0": float_slider(text.START_Y, state.start[1], "nnw-start-y", lo=y0, hi=y1, step=0.1)}
        for name, control in c.items():
            control.add_class(f"nnw-{name}")
        c["surface"].observe(lambda ch: ch["new"] != CUSTOM and self._edit("surface", ch["new"]), names="value")
        c["custom"].observe(lambda ch: ch["new"].strip() and self._edit("surface", ch["new"]), names="value")
        for name in ("steps", "step", "play"):  # Play is linked in the kernel, so a slider press sends one message
            bind(state, "step" if name == "play" else name, c[name])
        for axis, name in enumerate(("x0", "y0")):
            c[name].observe(lambda ch, axis=axis: self._move_start(axis, ch["new"]), names="value")
            shows_setting(c[name], state, "start", lambda start, axis=axis: start[axis])
        return c

    def _build_racers(self):
        rows = []
        self._racers = [(k, is_transformation(v)) for k, v in self.state.optimizers.items()]
        self.racer_controls, self.racer_toggles = {}, {}
        for key, value in self.state.optimizers.items():
            on = widgets.Checkbox(value=self.state.enabled.get(key, True), description=key, indent=False,
                                  layout=widgets.Layout(width="110px"))
            on.add_class(f"nnw-on-{key.lower()}")
            on.observe(lambda ch, key=key: self._edit("enabled", {**self.state.enabled, key: ch["new"]}), names="value")
            shows_setting(on, self.state, "enabled", lambda enabled, key=key: enabled.get(key, True))
            self.racer_toggles[key] = on
            swatch = widgets.HTML(f"<span style='color:{color(key)};font-size:20px'>●</span>")
            if is_transformation(value):
                rows.append(widgets.HBox([swatch, on, widgets.HTML(text.OPTAX_ROW)]))
                continue
            kind = kind_of(key)
            sliders = {"lr": log_slider("lr", value["lr"], f"nnw-lr-{kind}")}
            for name in value:
                if name in SLIDERS:
                    lo, hi, step = SLIDERS[name]
                    sliders[name] = float_slider(name, value[name], f"nnw-{name}-{kind}", lo=lo, hi=hi, step=step)
                    sliders[name].readout_format = ".4g"
            for name, slider in sliders.items():
                slider.observe(lambda ch, key=key, name=name: self._hyper(key, name, ch["new"]), names="value")
                shows_setting(slider, self.state, "optimizers", lambda o, key=key, name=name: o[key][name])
            self.racer_controls[key] = sliders
            rows.append(widgets.HBox([swatch, on, *sliders.values()]))
        self.racers.children = rows

    def _edit(self, name, value):
        if name == "surface" and isinstance(value, str) and value.strip() == self.state.surface:
            return  # the controls showing the state's own surface
        try:
            setattr(self.state, name, value)
        except ValueError:  # the state keeps its value and says why in ``error``; the controls follow it
            self._sync_controls()

    def _hyper(self, key, name, value):
        value = from_control(value, self.state.optimizers[key][name])
        if value is not None:
            try:
                self.state.set_hyperparameter(key, name, value)
            except ValueError:
                self._sync_controls()

    def _move_start(self, axis, value):
        start = list(self.state.start)
        value = from_control(value, start[axis])
        if value is not None:
            start[axis] = value
            self._edit("start", tuple(start))

    def _clicked(self, axes, x, y):
        if axes == 0:  # a click on the contour plot starts the race there
            self._edit("start", (round(x, 3), round(y, 3)))

    def _sync_controls(self):
        """Every control shows the state (each only moved when it differs, so no change echoes back)."""
        state, c = self.state, self.controls
        for axis, name in enumerate(("x0", "y0")):
            if c[name].value != state.start[axis]:
                anchor(c[name], state.start[axis])
        for control in (c["step"], c["play"]):
            if control.max > state.steps:  # show the state's step first: a smaller max would clamp the old value
                control.value = state.step
            control.max = state.steps
        for key, sliders in self.racer_controls.items():
            for name, slider in sliders.items():
                value = state.optimizers.get(key, {}).get(name)
                if value is not None and slider.value != value:
                    anchor(slider, value)
        for key, toggle in self.racer_toggles.items():
            toggle.value = state.enabled.get(key, True)
        self._surface_changed()

    def _surface_changed(self, change=None):
        state, c = self.state, self.controls
        c["surface"].value = state.surface if state._is_preset else CUSTOM
        if not state._is_preset:
            c["custom"].value = state.surface_name

    def _results_changed(self, change):
        """A new race: new racers get their rows; the loss plot's range is redrawn only when the start's loss
        leaves it (moving the start then costs a few ms, not a full redraw)."""
        racers = [(k, is_transformation(v)) for k, v in self.state.optimizers.items()]
        if racers != self._racers:
            self._build_racers()
        with self.figure.canvas.hold_sync():  # a new loss range and the marks in one message
            if self._set_loss_limits(only_if_needed=True):
                self.figure.refresh_static(axes=[self.loss_axes])
            self._moved()

    def _show_error(self, change):
        self.status.value = message_html("error", change["new"]) if change["new"] else ""

    # ---- drawing ----------------------------------------------------------------------------------
    def _static_changed(self, change=None):
        """The contour plot and the loss axes: drawn again only when the surface (or its view box) changes."""
        state, ax, grid = self.state, self.contour, self.state.grid
        x0, x1, y0, y1 = state.box
        ax.clear()
        z = np.ma.masked_invalid(grid.z)  # where the surface is not finite (log(x) for x <= 0) stays blank
        offset = state.minimum or 0.0
        levels = contour_levels(grid.z, state.minimum)
        if len(levels) > 1:
            ax.contour(grid.x, grid.y, z - offset, levels=levels, cmap="Greys_r", linewidths=0.7, alpha=0.8)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        name = state.surface_name
        ax.set_title(text.CONTOUR_TITLE.format(surface=text.SURFACE_TITLES.get(name, name)), fontsize=10)
        ax.tick_params(labelsize=8)
        self._set_loss_limits()
        self.figure.refresh_static()
        self._moved()

    def _set_loss_limits(self, only_if_needed=False) -> bool:
        """The loss axes. With a known minimum they show log10(loss − minimum) on a linear scale (ticks read
        10^k), from ``top`` = 30 x the start's loss down to a floor 9 decades below: smaller losses (and exact
        zeros, marked "reached 0") are drawn on the floor instead of plunging off the axis."""
        state, lx = self.state, self.loss_axes
        start_loss = state.start_loss
        if only_if_needed and self._loss_limits is not None and self._log_scale == (state.minimum is not None):
            lo, hi = self._loss_limits
            shifted = start_loss - (state.minimum or 0.0)
            if state.minimum is not None and hi / 300 <= shifted <= hi / 3:
                return False
            if state.minimum is None and lo + (hi - lo) / 4 <= start_loss <= hi - (hi - lo) / 4:
                return False
        lx.clear()
        lx.set_title(text.LOSS_TITLE, fontsize=10)
        lx.tick_params(labelsize=8)
        lx.set_xlim(0, state.steps)
        if state.minimum is not None:
            top = max(start_loss - state.minimum, 1e-6) * 30
            floor = 10.0 ** math.floor(math.log10(top) - 9)
            self._loss_limits = (floor, top)
            low = math.log10(floor)
            lx.set_ylim(low - 0.6, math.log10(top))
            lx.yaxis.set_major_locator(ticker.MultipleLocator(2, offset=low % 2))
            lx.yaxis.set_major_formatter(ticker.FuncFormatter(
                lambda v, _: f"≤$10^{{{v:.0f}}}$" if abs(v - low) < 1e-6 else f"$10^{{{v:.0f}}}$"))
            lx.axhline(low, color="#bbbbbb", lw=0.8, ls=":")
        else:
            span = max(abs(start_loss), 1.0) * 1e3
            lx.set_ylim(start_loss - span, start_loss + span)
            self._loss_limits = lx.get_ylim()
        lx.set_xlabel(text.STEP_AXIS, fontsize=8)
        self._log_scale = state.minimum is not None
        return True

    def loss_y(self, losses) -> np.ndarray:
        """Where ``losses`` are drawn on the loss axes: log10(loss − minimum) clipped to [floor, top], or the loss
        clipped to the axis (no known minimum)."""
        lo, hi = self._loss_limits
        if not self._log_scale:
            return np.clip(losses, lo, hi)
        return np.log10(np.clip(np.asarray(losses, float) - self.state.minimum, lo, hi))

    def _reached_zero(self) -> list:
        """A dot on the floor and "reached 0" where a shown racer's loss first equals the known minimum."""
        if not self._log_scale or self.state.minimum is None:
            return []
        out, y = [], math.log10(self._loss_limits[0])
        for key, r in self.state.results.items():
            end = r.diverged if r.diverged is not None else self.state.steps + 1
            zero = np.flatnonzero(r.losses[:end] - self.state.minimum <= 0)
            if self.state.enabled.get(key, True) and zero.size:
                out += [marks.points([zero[0]], [y], fill=color(key), edge="white", size=9, axes=1),
                        marks.text(zero[0], y + 0.6 + 0.8 * (len(out) // 2), text.REACHED_ZERO, color=color(key),
                                   size=10, ha="right" if zero[0] > 0.6 * self.state.steps else "left", axes=1)]
        return out

    def _moved(self, change=None):
        state = self.state
        self._sync_controls()
        if not state.results_current():
            return  # a change of settings and race at once: the new results are drawn when they arrive
        if self._log_scale != (state.minimum is not None):  # the surface changed before its grid was drawn
            self._set_loss_limits()
            self.figure.refresh_static(axes=[self.loss_axes])
        elif self.loss_axes.get_xlim()[1] != state.steps:
            self.loss_axes.set_xlim(0, state.steps)
            self.figure.refresh_static(axes=[self.loss_axes])
        self.figure.update(self._marks())
        self.leaderboard.value = leaderboard_html(state)

    def _marks(self) -> list:
        state, out = self.state, []
        k = state.step
        out.append(marks.points([state.start[0]], [state.start[1]], fill=INK, size=9, marker="s"))
        steps = np.arange(state.steps + 1)
        for key, r in state.results.items():
            if not state.enabled.get(key, True):
                continue
            col, end = color(key), r.diverged if r.diverged is not None else state.steps + 1
            path = r.path[:end]
            now = min(k, end - 1)
            if now < len(path) - 1:  # the rest of the path, faded
                out.append(marks.line(path[now:, 0], path[now:, 1], color=col, width=1.5, alpha=0.35))
            out.append(marks.line(path[:now + 1, 0], path[:now + 1, 1], color=col, width=2.5))
            out.append(marks.points([path[now, 0]], [path[now, 1]], fill=col, edge="white", size=11))
            if r.diverged is not None and k >= r.diverged - 1:
                out.append(marks.points([path[-1, 0]], [path[-1, 1]], fill=WRONG, size=16, marker="x"))
            out += self._state_arrows(key, r, now, col)
            out.append(marks.line(steps[:end], self.loss_y(r.losses[:end]), color=col, width=2, axes=1))
        out.append(marks.line([k, k], self.loss_axes.get_ylim(), color="#999999", width=1, dash=[4, 3], axes=1))
        return out + self._reached_zero()

    def _state_arrows(self, key, r, k, col) -> list:
        """Inside the optimizer, at the marker: momentum's velocity v = −lr·b (the book's v) and, for the
        adaptive methods, the next step with its per-axis scaling."""
        kind = kind_of(key)
        if kind is None or kind == "sgd" or is_transformation(self.state.optimizers[key]):
            return []
        p = r.path[k]
        if kind in ("momentum", "nesterov"):
            move = np.asarray(book_velocity(self.state.state_at(key, k)), float)
        elif k < self.state.steps:
            move = np.asarray(r.path[k + 1], float) - p
        else:
            return []
        return self._arrow(p, move, col) if np.all(np.isfinite(move)) and np.any(move) else []

    def _arrow(self, p, d, col) -> list:
        x0, x1, y0, y1 = self.state.box
        scale = np.array([x1 - x0, y1 - y0])
        unit = d / scale  # in axes fractions, so the head looks the same on any surface
        length = np.hypot(*unit)
        if length < 1e-4:
            return []
        head = min(0.025, length * 0.5) * unit / length
        left = np.array([-head[0] - 0.5 * head[1], -head[1] + 0.5 * head[0]]) * scale
        right = np.array([-head[0] + 0.5 * head[1], -head[1] - 0.5 * head[0]]) * scale
        tip = p + d
        return [marks.line([p[0], tip[0]], [p[1], tip[1]], color=col, width=2),
                marks.line([tip[0] + left[0], tip[0], tip[0] + right[0]], [tip[1] + left[1], tip[1], tip[1] + right[1]],
                           color=col, width=2)]
