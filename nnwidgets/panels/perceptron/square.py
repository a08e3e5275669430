"""The unit-square plot shared by the perceptron views: points, a decision line, shaded half-planes."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.perceptron import GATE_INPUTS
from ...render import marks, new_figure
from ...render.geometry import split_box
from .._controls import CLASS_COLORS, INK, WRONG, equation


@dataclass(frozen=True)
class _Square:
    box: tuple = (-0.5, 1.5, -0.5, 1.5)
    resolution: int = 32

    @property
    def grid(self) -> np.ndarray:
        """Cell centres of a raster over the box, row 0 at the top, as (resolution**2, 2) float32."""
        x0, x1, y0, y1 = self.box
        step = (x1 - x0) / self.resolution
        xs = x0 + step * (np.arange(self.resolution) + 0.5)
        ys = y1 - step * (np.arange(self.resolution) + 0.5)
        gx, gy = np.meshgrid(xs, ys)
        return np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)


SQUARE = _Square()
_LOW, _HIGH = np.array([242, 142, 43]), np.array([78, 121, 167])


def square_figure(xlabel: str, ylabel: str, title: str = "", size: int = 360, box=SQUARE.box, ax=None):
    """The static layer: axes over the view box with ticks at 0 and 1 (a new figure unless ``ax`` is given)."""
    fig = None
    if ax is None:
        fig = new_figure(size, size)
        ax = fig.add_axes((0.13, 0.12, 0.82, 0.8))
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel, labelpad=-2)
    ax.grid(True, color="#dddddd", lw=0.6)
    ax.set_aspect("equal", adjustable="box")
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def probability_rgba(p: np.ndarray, resolution: int = SQUARE.resolution, alpha: float = 0.55) -> np.ndarray:
    """Probabilities (row-major, top row first) as an orange (0) -> white (0.5) -> blue (1) RGBA image."""
    p = np.clip(np.asarray(p, dtype=float).reshape(resolution, resolution), 0, 1)[..., None]
    white = np.array([255, 255, 255])
    rgb = np.where(p < 0.5, _LOW + (white - _LOW) * (p / 0.5), white + (_HIGH - white) * ((p - 0.5) / 0.5))
    out = np.empty((resolution, resolution, 4), dtype=np.uint8)
    out[..., :3] = np.round(rgb)
    out[..., 3] = round(255 * alpha)
    return out


def line_marks(w1, w2, b, *, shade=True, color=INK, axes=0, label=True, dash=None, inputs=("x1", "x2"),
               box=SQUARE.box) -> list:
    """Half-planes (class 1 blue, class 0 orange) and the line w1 x + w2 y + b = 0."""
    positive, negative, segment = split_box(w1, w2, b, box)
    out = []
    if shade:
        for polygon, cls in ((positive, 1), (negative, 0)):
            if len(polygon) >= 3:
                out.append(marks.polygon(polygon[:, 0], polygon[:, 1], fill=CLASS_COLORS[cls], alpha=0.16, axes=axes))
    if segment is not None:
        out.append(marks.line(segment[:, 0], segment[:, 1], color=color, width=2.5, dash=dash, axes=axes))
    if label:
        out.append(marks.text(box[0] + 0.05, box[3] - 0.08,
                              f"{equation(w1, w2, b, inputs)} = 0",
                              ha="left", size=12, color=color, axes=axes))
    return out


def point_marks(xy, targets, correct, *, axes=0) -> list:
    """Input points coloured by target; a red cross on each point the network gets wrong."""
    xy = np.asarray(xy, dtype=float)
    out = [marks.points(xy[:, 0], xy[:, 1], fill=[CLASS_COLORS[int(t)] for t in targets], edge=INK, size=16, axes=axes)]
    wrong = [i for i, ok in enumerate(correct) if not ok]
    if wrong:
        out.append(marks.points(xy[wrong, 0], xy[wrong, 1], fill=WRONG, marker="x", size=22, edge_width=3, axes=axes))
    return out


def gate_marks(w1, w2, b, targets, correct, heat=None, axes=0) -> list:
    """Everything dynamic on the neuron's square: heat map (sigmoid), half-planes, line, points."""
    out = []
    if heat is not None:
        out.append(marks.raster(probability_rgba(heat), SQUARE.box, axes=axes))
    out += line_marks(w1, w2, b, shade=heat is None, axes=axes)
    return out + point_marks(GATE_INPUTS, targets, correct, axes=axes)
