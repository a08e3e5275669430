"""The playground's figure: data with the decision boundary, the network, loss curves, gradient sizes.

The static layer (axes, ticks, titles) is drawn by matplotlib once and again only when a curve outgrows its
axes; everything that moves while training is a list of marks (``nnwidgets.render.marks``).
"""
from __future__ import annotations

import numpy as np

from ...core.playground.datasets import BOX
from ...render import marks, new_figure
from .._controls import INK
from . import text

PALETTE = ("#f28e2b", "#4e79a7", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f",
           "#bab0ac")
_LOW, _HIGH, _WHITE = np.array([242, 142, 43]), np.array([78, 121, 167]), np.array([255, 255, 255])
GRID = 48  # decision-boundary raster
NEURON_GRID = 16  # neuron heat maps
MAX_EDGES = 600
MAX_HEAT_MAPS = 48
DATA, NETWORK, LOSS, GRADIENT, EXAMPLES = range(5)
DATA_BOX, MATRIX_BOX = (0.04, 0.1, 0.3, 0.8), (0.04, 0.3, 0.3, 0.62)
MAX_EXAMPLES = 8
MAX_NAMED = 10  # input or output neurons named in the network drawing
CURVE_BUCKETS = 250  # a curve longer than twice this is drawn as its envelope over this many runs of epochs


def grid(resolution: int, box: float = BOX) -> np.ndarray:
    """Cell centres over [-box, box]², top row first, as (resolution², 2) float32."""
    step = 2 * box / resolution
    xs = -box + step * (np.arange(resolution) + 0.5)
    gx, gy = np.meshgrid(xs, xs[::-1])
    return np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)


def diverging_rgb(values) -> np.ndarray:
    """Values in [-1, 1] as orange (−1) -> white (0) -> blue (+1) colours, (n, 3) in 0..255."""
    v = np.clip(np.nan_to_num(np.asarray(values, float).ravel()), -1, 1)[:, None]
    return np.round(np.where(v < 0, _WHITE + (_LOW - _WHITE) * -v, _WHITE + (_HIGH - _WHITE) * v))


def hex_color(rgb) -> str:
    """(r, g, b) in 0..255 as "#rrggbb" (understood by the canvas and by matplotlib)."""
    return "#" + "".join(f"{int(round(float(v))):02x}" for v in rgb)


def diverging_rgba(values, resolution: int, alpha: float = 0.6) -> np.ndarray:
    """A square raster of ``diverging_rgb`` colours (top row first)."""
    out = np.empty((resolution * resolution, 4), np.uint8)
    out[:, :3] = diverging_rgb(values)
    out[:, 3] = round(255 * alpha)
    return out.reshape(resolution, resolution, 4)


def class_rgba(probabilities, resolution: int, alpha: float = 0.6) -> np.ndarray:
    """Each cell in the colour of its most probable class, paler where the network is less sure."""
    p = np.asarray(probabilities, float)
    colors = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in PALETTE], float)
    best, sure = p.argmax(axis=1), p.max(axis=1)
    strength = ((sure - 1 / p.shape[1]) / (1 - 1 / p.shape[1]))[:, None]
    rgb = _WHITE + (colors[best % len(PALETTE)] - _WHITE) * strength
    out = np.empty((resolution * resolution, 4), np.uint8)
    out[:, :3] = np.round(rgb)
    out[:, 3] = round(255 * alpha)
    return out.reshape(resolution, resolution, 4)


def make_figure():
    """The five axes: data (or confusion matrix), network, loss curves, gradient sizes, misclassified examples."""
    fig = new_figure(980, 400)
    fig.add_axes(DATA_BOX)  # the data (or the confusion matrix)
    network = fig.add_axes((0.36, 0.02, 0.34, 0.92))
    loss = fig.add_axes((0.75, 0.58, 0.23, 0.34))
    gradient = fig.add_axes((0.75, 0.1, 0.23, 0.34))
    network.set_axis_off()
    network.set_xlim(-0.05, 1.05)
    network.set_ylim(-0.05, 1.05)
    network.set_title(text.NETWORK_TITLE, fontsize=9)
    for ax, title in ((loss, text.LOSS_TITLE), (gradient, text.GRADIENT_TITLE)):
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=7)
    gradient.set_yscale("log")
    examples = fig.add_axes((0.04, 0.02, 0.3, 0.14))
    examples.set_axis_off()
    examples.set_xlim(0, MAX_EXAMPLES)
    examples.set_ylim(0, 1)
    return fig


def style_data_axes(ax, two_d: bool, classes: int) -> None:
    """The data axes: the [-6, 6]² plane, or the confusion matrix grid for data with more inputs."""
    ax.clear()
    ax.tick_params(labelsize=7)
    ax.set_position(DATA_BOX if two_d else MATRIX_BOX)
    if two_d:
        ax.set_xlim(-BOX, BOX)
        ax.set_ylim(-BOX, BOX)
        ax.set_xlabel("x1", fontsize=8)
        ax.set_ylabel("x2", fontsize=8, labelpad=-2)
        ax.set_title(text.DATA_TITLE, fontsize=9)
    else:
        ax.set_xlim(0, max(classes, 1))
        ax.set_ylim(max(classes, 1), 0)
        ticks = np.arange(classes) + 0.5
        ax.set_xticks(ticks, [str(c) for c in range(classes)])
        ax.set_yticks(ticks, [str(c) for c in range(classes)])
        ax.set_xlabel(text.PREDICTED, fontsize=8)
        ax.set_ylabel(text.TRUE_CLASS, fontsize=8)
        ax.set_title(text.CONFUSION_TITLE, fontsize=9)


def style_examples_axes(ax, two_d: bool) -> None:
    """The strip under the confusion matrix: titled only when it shows misclassified samples."""
    ax.set_title("" if two_d else text.WRONG_TITLE, fontsize=8, pad=2)


def nice_limit(value: float) -> float:
    """The next of 1, 2, 5 × 10^k at or above ``value`` (axes grow in steps, so they are redrawn rarely)."""
    value = max(float(value), 1e-12)
    base = 10 ** np.floor(np.log10(value))
    return float(next(m * base for m in (1, 2, 5, 10) if m * base >= value * (1 - 1e-9)))


def curve_limits(history: dict) -> tuple:
    """(last epoch shown, highest loss shown, (low, high) gradient decades) for the curve axes."""
    epochs = len(history["train_loss"])
    losses = np.concatenate([history["train_loss"], history["test_loss"]])
    losses = losses[np.isfinite(losses)]
    sizes = np.asarray(history["gradient_size"], float)  # float64: 10 ** -3 in float32 is 0.0010000000475,
    sizes = sizes[np.isfinite(sizes) & (sizes > 0)]  # just above the 10^-3 tick, which then had no label
    low = 10.0 ** np.floor(np.log10(sizes.min())) if sizes.size else 1e-4
    high = 10.0 ** np.ceil(np.log10(sizes.max())) if sizes.size else 1.0
    return (nice_limit(max(epochs, 10)), nice_limit(losses.max() if losses.size else 1.0),
            (float(min(low, high / 10)), float(high)))


def style_curve_axes(fig, limits) -> None:
    epochs, top, (low, high) = limits
    loss, gradient = fig.axes[LOSS], fig.axes[GRADIENT]
    loss.set_xlim(0, epochs)
    loss.set_ylim(0, top)
    gradient.set_xlim(0, epochs)
    gradient.set_ylim(low, high)
    gradient.set_xlabel(text.EPOCH_AXIS, fontsize=8)


def data_marks(X, y, problem: str, *, test=False) -> list:
    """Training points with a white edge, test points with a dark edge."""
    if len(X) == 0:
        return []
    style = {"edge": INK if test else "#ffffff", "size": 6 if test else 7, "edge_width": 1.0, "axes": DATA}
    if problem == "regression":
        return [marks.points(X[:, 0], X[:, 1], fill=[hex_color(color) for color in diverging_rgb(y)], **style)]
    labels = np.asarray(y).astype(int)  # one mark per class: one colour each, not one per point
    return [marks.points(X[labels == c, 0], X[labels == c, 1], fill=PALETTE[c % len(PALETTE)], **style)
            for c in np.unique(labels)]


def network_layout(sizes) -> list:
    """(x, y) positions of every neuron of every layer, layers left to right in [0, 1]²."""
    columns = len(sizes) - 1
    out = []
    for i, n in enumerate(sizes):
        ys = np.linspace(0.9, 0.1, n) if n > 1 else np.array([0.5])
        out.append(np.stack([np.full(n, i / columns), ys], axis=1))
    return out


def network_marks(sizes, params, heat_maps=None, names=None) -> list:
    """Edges coloured by the weight's sign (blue +, orange −) and as wide as its size; neurons as dots or
    as small heat maps of their output over the plane (``heat_maps``: one (cells,) array per neuron);
    ``names`` = (input names, output names) written over the input and output neurons when there are at most
    MAX_NAMED of them."""
    layout = network_layout(sizes)
    weights = [np.asarray(W) for W, _ in params]
    scale = max(max((np.abs(W).max() for W in weights), default=1.0), 1e-6)
    edges = [(abs(W[a, b]), W[a, b], i, a, b) for i, W in enumerate(weights)
             for a in range(W.shape[0]) for b in range(W.shape[1])]
    edges = sorted(edges, reverse=True)[:MAX_EDGES]
    out = []
    for size, w, i, a, b in edges:
        (x0, y0), (x1, y1) = layout[i][a], layout[i + 1][b]
        out.append(marks.line([x0, x1], [y0, y1], color=PALETTE[1] if w > 0 else PALETTE[0],
                              width=0.3 + 3.5 * size / scale, alpha=0.75, axes=NETWORK))
    spacing = min(0.8 / max(max(sizes), 1), 0.07)
    if heat_maps is not None:
        flat = [xy for layer in layout[1:] for xy in layer]
        for (x, y), values in zip(flat, heat_maps):
            r = spacing * 0.9
            out.append(marks.raster(diverging_rgba(values, NEURON_GRID, 1.0), (x - r, x + r, y - r, y + r),
                                    smooth=True, axes=NETWORK))
        starts = layout[:1]
    else:
        starts = layout
    points = np.concatenate(starts)
    out.append(marks.points(points[:, 0], points[:, 1], fill="#ffffff", edge=INK, size=min(12, 300 / max(sizes)),
                            axes=NETWORK))
    inputs, outputs = names or ((), ())
    if len(inputs) == len(layout[0]) <= MAX_NAMED:  # over the input neurons
        out += [marks.text(x, y + 0.05, name, size=11, color=INK, axes=NETWORK) for (x, y), name in
                zip(layout[0], inputs)]
    if len(outputs) == len(layout[-1]) <= MAX_NAMED:  # over an output heat map, or right of an output dot
        r = spacing * 0.9 if heat_maps is not None else 0.0
        out += [marks.text(x, y + r + 0.04, name, size=11, color=INK, axes=NETWORK) if r else
                marks.text(x + 0.02, y, name, size=11, color=INK, ha="left", axes=NETWORK)
                for (x, y), name in zip(layout[-1], outputs)]
    return out


def thin(values, buckets: int = CURVE_BUCKETS):
    """(epochs, values) of a curve to draw: all of it, or for a long curve each of ``buckets`` runs of epochs as
    its lowest and highest value (NaN skipped), so the drawn envelope is the same and the message stays small."""
    values = np.asarray(values, float)
    n = len(values)
    if n <= 2 * buckets:
        return np.arange(1, n + 1), values
    starts = np.linspace(0, n, buckets + 1).astype(int)[:-1]
    ends = np.append(starts[1:], n)
    xs = np.stack([starts + 1, ends], axis=1).ravel()  # first and last epoch of each run
    ys = np.stack([np.fmax.reduceat(values, starts), np.fmin.reduceat(values, starts)], axis=1).ravel()
    return xs, ys


def curve_marks(history: dict, best_epoch: int) -> list:
    """Train (solid) and test (dashed) loss, the best test epoch, and each layer's gradient size."""
    epochs = np.arange(1, len(history["train_loss"]) + 1)
    out = [marks.line(*thin(history["train_loss"]), color=INK, width=1.5, axes=LOSS),
           marks.line(*thin(history["test_loss"]), color=PALETTE[3], width=1.5, dash=(4, 3), axes=LOSS)]
    if best_epoch:
        top = np.nanmax(np.concatenate([history["train_loss"], history["test_loss"], [1e-9]]))
        out.append(marks.line([best_epoch, best_epoch], [0, top], color=PALETTE[2], width=1, axes=LOSS))
    sizes = history["gradient_size"]
    layers = sizes.shape[1] if sizes.ndim == 2 else 0
    last, _, (low, high) = curve_limits(history)
    for layer in range(layers):
        color = PALETTE[(layer + 2) % len(PALETTE)]
        out.append(marks.line(*thin(sizes[:, layer]), color=color, width=1.5, axes=GRADIENT))
        if len(epochs):  # the layer's name in its colour, a legend inside the axes' top right corner
            x = last * (0.97 - 0.1 * (layers - 1 - layer))
            out.append(marks.text(x, high * (low / high) ** 0.07, f"W{layer + 1}", color=color, size=9, ha="right",
                                  weight="bold", axes=GRADIENT))
    return out


def confusion_marks(matrix) -> list:
    """The confusion matrix: cells shaded by count (row-normalised), the count written in each."""
    matrix = np.asarray(matrix)
    k = matrix.shape[0]
    if not k:
        return []
    share = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    rows, cols = np.divmod(np.arange(k * k), k)
    rgb = _WHITE + (_HIGH - _WHITE) * (0.1 + 0.9 * share.ravel()[:, None])
    fills = [hex_color(color) for color in rgb]
    out = [marks.rects(cols, rows, 1, 1, fill=fills, edge="#ffffff", axes=DATA)]
    out += [marks.text(c + 0.5, r + 0.5, str(matrix[r, c]), size=8 if k > 5 else 10, axes=DATA)
            for r, c in zip(rows, cols) if matrix[r, c]]
    return out


def example_marks(X, wrong, image_shape=None) -> list:
    """Up to MAX_EXAMPLES misclassified samples: as images (digits) or row numbers, with "true → predicted"."""
    out = []
    for slot, (row, true, guess) in enumerate(list(zip(*wrong))[:MAX_EXAMPLES]):
        if image_shape is not None:
            pixels = np.asarray(X[row], float).reshape(image_shape)
            gray = np.round(255 * (1 - np.clip(pixels / max(pixels.max(), 1e-6), 0, 1))).astype(np.uint8)
            rgba = np.stack([gray, gray, gray, np.full_like(gray, 255)], axis=-1)
            out.append(marks.raster(rgba, (slot + 0.2, slot + 0.8, 0.35, 1.0), smooth=False, axes=EXAMPLES))
        else:
            out.append(marks.text(slot + 0.5, 0.7, text.ROW.format(row=int(row) + 1), size=8, axes=EXAMPLES))
        out.append(marks.text(slot + 0.5, 0.15, text.TRUE_PREDICTED.format(true=true, predicted=guess), size=8,
                              color=PALETTE[3], axes=EXAMPLES))
    return out
