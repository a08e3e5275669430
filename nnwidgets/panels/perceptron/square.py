"""The unit-square plot shared by the perceptron views: points, a decision line, shaded half-planes."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.lines import Line2D

from ...core.perceptron import GATE_INPUTS
from ...render import marks, new_figure
from ...render.geometry import split_box
from .._controls import CLASS_COLORS, INK, WRONG, equation
from . import text

START_COLOR = "#999999"  # the Learn tab's line at epoch 0


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
_LOW, _HIGH = np.array([230, 115, 20]), np.array([40, 95, 165])  # sigma = 0 (orange) and 1 (blue)
HEAT_ALPHA = 0.85
#: sigma(z) levels drawn as thin iso-lines on the heat map (0.5 is the decision line itself)
SIGMOID_LEVELS = (0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9)
CAPTION_HEIGHT = 24  # px: the strip above a square that holds its line's equation


def px_box(fig, left, bottom, width, height) -> tuple:
    """A rectangle given in CSS pixels as figure fractions (figures are 100 dpi: 1 px = 1/100 inch)."""
    fw, fh = fig.get_size_inches() * 100
    return (left / fw, bottom / fh, width / fw, height / fh)


def square_axes(fig, left, bottom, size, xlabel, ylabel, title="", box=SQUARE.box):
    """A square axes of ``size`` px at (left, bottom) px, set up by ``square_figure``."""
    ax = fig.add_axes(px_box(fig, left, bottom, size, size))
    square_figure(xlabel, ylabel, title, box=box, ax=ax)
    return ax


def caption_axes(fig, over, width=None, title=""):
    """A text strip just above axes ``over`` (same left edge): the line's equation goes there, never on the line.

    Returns its index in ``fig.axes`` (the ``axes`` of a mark).
    """
    fw, fh = fig.get_size_inches() * 100
    pos = over.get_position()
    width = pos.width * fw if width is None else width
    strip = fig.add_axes(px_box(fig, pos.x0 * fw, pos.y1 * fh + 2, width, CAPTION_HEIGHT))
    strip.set_xlim(0, 1)
    strip.set_ylim(0, 1)
    strip.axis("off")
    if title:
        strip.set_title(title, fontsize=10, pad=2)
    return len(fig.axes) - 1


def point_legend(where, *, start_line=False, ncol=1, **kwargs):
    """A legend of the point colours (target 0 orange, target 1 blue) and the red cross (wrong), on ``where``
    (a figure or an axes); ``start_line`` adds the Learn tab's dashed starting line."""
    handles = [Line2D([], [], ls="none", marker="o", ms=8, mfc=CLASS_COLORS[t], mec=INK) for t in (0, 1)]
    handles.append(Line2D([], [], ls="none", marker="x", ms=8, mew=2, color=WRONG))
    labels = [text.TARGET_0, text.TARGET_1, text.WRONG_POINT]
    if start_line:
        handles.append(Line2D([], [], color=START_COLOR, lw=1.5, ls=(0, (4, 3))))
        labels.append(text.START_LINE)
    return where.legend(handles, labels, ncol=ncol, frameon=False, fontsize=9, handletextpad=0.3,
                        columnspacing=1.0, borderaxespad=0, **kwargs)


def probability_bar(fig, left, bottom, width, height, label):
    """A vertical colour bar of ``probability_rgba`` (over white, as the map shows it) with ticks 0, 0.5, 1."""
    ax = fig.add_axes(px_box(fig, left, bottom, width, height))
    levels = np.linspace(1, 0, 101)  # top row first
    rgba = probability_rgba(np.repeat(levels, 2), resolution=(101, 2))
    ax.imshow(_over_white(rgba), extent=(0, 1, 0, 1), aspect="auto", origin="upper")
    ax.set_xticks([])
    ax.set_ylim(0, 1)
    ax.set_yticks([0, 0.5, 1], ["0", "0.5", "1"])
    ax.yaxis.tick_right()
    ax.yaxis.set_label_position("right")
    ax.set_ylabel(label, fontsize=10)
    ax.tick_params(labelsize=9)
    return ax


def _over_white(rgba: np.ndarray) -> np.ndarray:
    alpha = rgba[..., 3:] / 255
    return np.round(rgba[..., :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)


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


def probability_rgba(p: np.ndarray, resolution=SQUARE.resolution, alpha: float = HEAT_ALPHA) -> np.ndarray:
    """Probabilities (row-major, top row first) as an orange (0) -> white (0.5) -> blue (1) RGBA image.

    ``resolution`` is the side of a square image or a (rows, columns) pair.
    """
    shape = (resolution, resolution) if np.ndim(resolution) == 0 else tuple(resolution)
    p = np.clip(np.asarray(p, dtype=float).reshape(shape), 0, 1)[..., None]
    white = np.array([255, 255, 255])
    rgb = np.where(p < 0.5, _LOW + (white - _LOW) * (p / 0.5), white + (_HIGH - white) * ((p - 0.5) / 0.5))
    out = np.empty((*shape, 4), dtype=np.uint8)
    out[..., :3] = np.round(rgb)
    out[..., 3] = round(255 * alpha)
    return out


def line_marks(w1, w2, b, *, shade=True, color=INK, axes=0, caption=None, prefix="", dash=None, width=2.5,
               inputs=("x1", "x2"), box=SQUARE.box) -> list:
    """Half-planes (class 1 blue, class 0 orange) and the line w1 x + w2 y + b = 0.

    The equation is written in the strip ``caption`` (an axes index from ``caption_axes``) after ``prefix``,
    outside the square, so it never covers the line or the points; ``caption=None`` writes none.
    """
    positive, negative, segment = split_box(w1, w2, b, box)
    out = []
    if shade:
        for polygon, cls in ((positive, 1), (negative, 0)):
            if len(polygon) >= 3:
                out.append(marks.polygon(polygon[:, 0], polygon[:, 1], fill=CLASS_COLORS[cls], alpha=0.16, axes=axes))
    if segment is not None:
        out.append(marks.line(segment[:, 0], segment[:, 1], color=color, width=width, dash=dash, axes=axes))
    if caption is not None:
        out.append(marks.text(0, 0.5, f"{prefix}{equation(w1, w2, b, inputs)} = 0", ha="left", size=12, color=color,
                              axes=caption))
    return out


def sigmoid_level_marks(w1, w2, b, *, axes=0, box=SQUARE.box) -> list:
    """Thin dotted lines where sigma(w1 x + w2 y + b) equals each of ``SIGMOID_LEVELS``: their spacing shows
    how steep the sigmoid is (sigma(z) = p where z = ln(p / (1 - p)))."""
    out = []
    for level in SIGMOID_LEVELS:
        _, _, segment = split_box(w1, w2, b - np.log(level / (1 - level)), box)
        if segment is not None:
            out.append(marks.line(segment[:, 0], segment[:, 1], color="#555555", width=1, dash=[2, 3], axes=axes))
    return out


def point_marks(xy, targets, correct, *, axes=0) -> list:
    """Input points coloured by target; a red cross on each point the network gets wrong."""
    xy = np.asarray(xy, dtype=float)
    out = [marks.points(xy[:, 0], xy[:, 1], fill=[CLASS_COLORS[int(t)] for t in targets], edge=INK, size=16, axes=axes)]
    wrong = [i for i, ok in enumerate(correct) if not ok]
    if wrong:
        out.append(marks.points(xy[wrong, 0], xy[wrong, 1], fill=WRONG, marker="x", size=22, edge_width=3, axes=axes))
    return out


def gate_marks(w1, w2, b, targets, correct, heat=None, axes=0, caption=None, prefix="") -> list:
    """Everything dynamic on the neuron's square: heat map and its iso-lines (sigmoid), half-planes, line, points."""
    out = []
    if heat is not None:
        out.append(marks.raster(probability_rgba(heat), SQUARE.box, axes=axes))
        out += sigmoid_level_marks(w1, w2, b, axes=axes)
    out += line_marks(w1, w2, b, shade=heat is None, axes=axes, caption=caption, prefix=prefix)
    return out + point_marks(GATE_INPUTS, targets, correct, axes=axes)
