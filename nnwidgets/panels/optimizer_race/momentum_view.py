"""The view of the "momentum theory" tab: the convergence rate over (lr, momentum) with the current settings and
the race's racers marked, and the paths of plain GD and momentum on the bowl x²/κ + y²."""
from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import FuncNorm
from matplotlib.lines import Line2D

from ...core.optim import kind_of
from ...core.race import contour_levels, surface_grid
from ...render import LayeredFigure, marks, new_figure
from .._controls import INK, bind, float_slider, log_slider, message_html
from . import text
from .board import COLORS, color
from .momentum_theory import LR_GRID, MAX_CONDITION, MAX_LR, START, MomentumTheoryState
from .state import is_transformation

BOX = (-10.0, 10.0, -5.0, 5.0)
GD_COLOR, MOMENTUM_COLOR = COLORS["sgd"], COLORS["momentum"]
RATE_LEVELS = (0.5, 0.9, 0.99)
DIVERGES = "#e4e4e4"
#: colours spread by −log10(1 − rate): 0.9, 0.99 and 0.999 (10, 100, 1000 steps per decade) equally apart
RATE_NORM = FuncNorm((lambda r: -np.log10(1 - np.clip(r, 0, 0.9999)), lambda v: 1 - 10.0 ** -v), vmin=0, vmax=0.9999)


class MomentumTheoryView:
    def __init__(self, state: MomentumTheoryState, race=None):
        self.state, self.race = state, race
        fig = new_figure(900, 410)
        self.rate_axes = fig.add_axes((0.07, 0.25, 0.36, 0.68))
        self.path_axes = fig.add_axes((0.56, 0.25, 0.42, 0.68))
        self.bar_axes = fig.add_axes((0.445, 0.25, 0.012, 0.68))
        self.figure = LayeredFigure(fig, draw=False, patches=True)  # drawn by _static below
        self.explanation, self.status = widgets.HTML(), widgets.HTML()
        self.explanation.add_class("nnw-momentum-explain")
        self.controls = {
            "condition": log_slider(text.CONDITION, state.condition, "nnw-theory-condition", lo=0,
                                    hi=float(np.log10(MAX_CONDITION))),
            "lr": log_slider(text.THEORY_LR, state.lr, "nnw-theory-lr", lo=-3, hi=float(np.log10(MAX_LR))),
            "momentum": float_slider(text.THEORY_MOMENTUM, state.momentum, "nnw-theory-momentum", lo=0.0, hi=0.99,
                                     step=0.01),
            "steps": widgets.IntSlider(value=state.steps, min=1, max=500, description=text.PATH_STEPS)}
        self.controls["condition"].continuous_update = False  # each κ redraws the rate map
        self.controls["condition"].tooltip = text.CONDITION_TOOLTIP
        self.controls["momentum"].readout_format = ".4g"
        for name, control in self.controls.items():
            bind(state, name, control)
        best = widgets.Button(description=text.USE_BEST, layout=widgets.Layout(width="220px"))
        best.add_class("nnw-theory-best")
        best.on_click(lambda _: state.use_best())
        self.controls["best"] = best
        c = self.controls
        self.widget = widgets.VBox([self.figure.canvas, widgets.HBox([c["condition"], c["lr"], c["momentum"]]),
                                    widgets.HBox([c["steps"], best]), self.explanation, self.status])
        state.observe(self._static, names=["rates"])
        state.observe(self.redraw, names=["paths", "steps"])
        state.observe(lambda ch: setattr(self.status, "value", message_html("error", ch["new"]) if ch["new"] else ""),
                      names="error")
        if race is not None:
            race.observe(self.redraw, names=["optimizers"])
        self._static()

    def _static(self, change=None):
        """The rate map with its colour bar and legend, and the bowl's contours: drawn again when κ changes."""
        state, ax, px = self.state, self.rate_axes, self.path_axes
        rates = state.rates
        for axes in (ax, px, self.bar_axes):
            axes.clear()
        converging = np.ma.masked_where(rates.rate >= 1, rates.rate)  # rate ≥ 1 stays blank: the grey background
        mesh = ax.pcolormesh(rates.lrs, rates.momenta, converging, cmap="viridis_r", norm=RATE_NORM, shading="auto")
        ax.set_facecolor(DIVERGES)
        ax.text(2.15, 0.08, text.DIVERGES, rotation=90, fontsize=7, color=INK, ha="center", va="bottom")
        lines = ax.contour(rates.lrs, rates.momenta, rates.rate, levels=RATE_LEVELS, colors="white", linewidths=0.8)
        ax.clabel(lines, fmt="%g", fontsize=7)
        ax.contour(rates.lrs, rates.momenta, rates.rate, levels=[1.0], colors=INK, linewidths=1.2)
        ax.set_xscale("log")
        ax.set_xlim(LR_GRID[0], LR_GRID[-1])
        ax.set_ylim(0, 1)
        ax.set_xlabel(text.RATE_AXIS_LR, fontsize=8)
        ax.set_ylabel(text.RATE_AXIS_MOMENTUM, fontsize=8)
        ax.set_title(text.RATE_TITLE, fontsize=10)
        ax.tick_params(labelsize=8)
        bar = self.figure.fig.colorbar(mesh, cax=self.bar_axes, ticks=(0, 0.5, 0.9, 0.99, 0.999))
        bar.ax.set_yticklabels(["0", "0.5", "0.9", "0.99", "0.999"])
        bar.set_label(text.RATE_BAR, fontsize=8)
        bar.ax.tick_params(labelsize=7)
        grid = surface_grid(lambda x, y: x ** 2 / np.float32(state.condition) + y ** 2, BOX, n=100)
        px.contour(grid.x, grid.y, grid.z, levels=contour_levels(grid.z, 0.0, 14), cmap="Greys_r", linewidths=0.7)
        px.set_xlim(BOX[0], BOX[1])
        px.set_ylim(BOX[2], BOX[3])
        px.tick_params(labelsize=8)
        px.set_title(text.PATHS_TITLE.format(kappa=f"{state.condition:.4g}", steps=state.steps), fontsize=10)
        for legend in list(self.figure.fig.legends):
            legend.remove()
        handles = [Line2D([], [], color=MOMENTUM_COLOR, marker="o", mec="white", label=text.LEGEND_YOU),
                   Line2D([], [], color=GD_COLOR, marker="o", mec="white", label=text.LEGEND_GD),
                   Line2D([], [], color=MOMENTUM_COLOR, marker="s", ls="", label=text.LEGEND_BEST),
                   Line2D([], [], color=GD_COLOR, marker="s", ls="", label=text.LEGEND_BEST_GD),
                   Line2D([], [], color="#999999", marker="o", ls="", mec=INK, label=text.LEGEND_RACERS)]
        self.figure.fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False,
                               bbox_to_anchor=(0.5, -0.01))
        self.figure.refresh_static()
        self.redraw()

    def _title_steps(self):
        title = text.PATHS_TITLE.format(kappa=f"{self.state.condition:.4g}", steps=self.state.steps)
        if self.path_axes.get_title() != title:
            self.path_axes.set_title(title, fontsize=10)
            self.figure.refresh_static(axes=[self.path_axes])

    def redraw(self, change=None):
        state = self.state
        if state.paths is None or state.rates is None:
            return
        self._title_steps()
        gd_best, best = state.best_gd, state.best_momentum
        out = [marks.points([best.lr], [best.momentum], fill=MOMENTUM_COLOR, edge=INK, size=11, marker="s"),
               marks.points([gd_best.lr], [0.0], fill=GD_COLOR, edge=INK, size=11, marker="s")]
        out += self._racers()
        out += [marks.points([state.lr], [0.0], fill=GD_COLOR, edge="white", size=13),
                marks.points([state.lr], [state.momentum], fill=MOMENTUM_COLOR, edge="white", size=15)]
        n = state.steps + 1
        for path, col, rate in ((state.paths.gd[:n], GD_COLOR, state.gd_rate),
                                (state.paths.momentum[:n], MOMENTUM_COLOR, state.momentum_rate)):
            path = np.clip(path, -1e4, 1e4)
            outside = np.flatnonzero((np.abs(path[:, 0]) > 2 * BOX[1]) | (np.abs(path[:, 1]) > 2 * BOX[3]))
            outside = outside if rate >= 1 else outside[:0]
            if outside.size:  # diverging: drawn until it leaves the view, then a cross
                path = path[:max(int(outside[0]), 1)]
            out.append(marks.line(path[:, 0], path[:, 1], color=col, width=2, axes=1))
            out.append(marks.points(path[-1:, 0], path[-1:, 1], fill=col, edge="white", size=10, axes=1)
                       if not outside.size else marks.points(path[-1:, 0], path[-1:, 1], fill=col, size=14,
                                                             marker="x", axes=1))
        out.append(marks.points([START[0]], [START[1]], fill=INK, size=9, marker="s", axes=1))
        self.figure.update(out)
        self.explanation.value = "".join(f"<div>{html.escape(line)}</div>" for line in state.explain())

    def _racers(self) -> list:
        """The race tab's SGD, Momentum and Nesterov at their (lr, momentum)."""
        out = []
        for key, hp in (self.race.optimizers.items() if self.race is not None else ()):
            kind = kind_of(key)
            if is_transformation(hp) or kind not in ("sgd", "momentum", "nesterov"):
                continue
            lr, beta = float(hp["lr"]), float(hp.get("momentum", 0.0))
            if LR_GRID[0] <= lr <= LR_GRID[-1]:
                out.append(marks.points([lr], [beta], fill=color(key), edge=INK, size=9, edge_width=1.0))
        return out

