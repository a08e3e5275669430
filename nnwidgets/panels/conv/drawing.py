"""What the visualizer draws, as marks (``render.marks``): the input, kernel and output stacks with their values.

Three axes: 0 the input (channel 1 in front, the other channels as slices behind it), 1 the output (map 1 in front,
the other maps behind), 2 the kernels (one stack per filter, one slice per input channel). Every number drawn is
computed by the state with ``core.conv``; this module only places it.
"""
from __future__ import annotations

import numpy as np

from ...render import marks, new_figure
from .._controls import INK, WRONG, number
from . import text
from .state import MAX_SLICES, ConvState

PAD, CELL, WINDOW, DONE, CURRENT, PICKED = "#f1e4bd", "#ffffff", "#1f5fbf", "#dce8f5", "#9dbbe0", "#f5b26b"
BACK_SLICE, LATER = "#f2f2f2", "#9a9a9a"
DEPTH_STEP = 0.04  # axes units between two stacked slices
CAPTION_ROOM = 0.08  # below each stack, for its caption
FIGURE = (760, 360)
SQUARE = 0.38 * FIGURE[0] / FIGURE[1]  # the input and output axes are squares of 0.38 of the width
BOXES = ((0.01, 0.02, 0.38, 0.88), (0.61, 0.02, 0.38, 0.88), (0.40, 0.02 + (0.88 - SQUARE) / 2, 0.20, SQUARE))


def figure():
    """The static layer: three empty axes with their titles."""
    fig = new_figure(*FIGURE)
    titles = (text.INPUT_TITLE, text.OUTPUT_TITLE, text.KERNELS_TITLE)  # read now: in the language in force
    for k, (box, title) in enumerate(zip(BOXES, titles)):
        ax = fig.add_axes(box)
        ax.set(xlim=(0, 1), ylim=(0, 1))
        if k < 2:
            ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(title, fontsize=10)
    return fig


def slices(state: ConvState, axes: int) -> int:
    """How many slices the input (0) or output (1) stack shows."""
    return min(state.channels, MAX_SLICES) if axes == 0 else state.shown_maps


def grid_shape(state: ConvState, axes: int) -> tuple[int, int]:
    shape = [n + b + a for n, (b, a) in zip(state.spatial, state.pads())] if axes == 0 else list(state.output_spatial)
    return tuple(shape) if len(shape) == 2 else (1, shape[0])


def layout(state: ConvState, axes: int):
    """(rows, cols, cell size, (top, left)) of the front slice in ``axes`` (0 input, 1 output): the slices behind
    it are shifted up and right by ``DEPTH_STEP`` each."""
    rows, cols = grid_shape(state, axes)
    room = DEPTH_STEP * (slices(state, axes) - 1)
    usable = 1 - room - CAPTION_ROOM
    size = usable / max(rows, cols, 4)
    return rows, cols, size, (room + (usable - rows * size) / 2, (usable - cols * size) / 2)


def _corners(cells, rows_cols_size_offset):
    _, _, size, (top, left) = rows_cols_size_offset
    rc = np.array([(0,) + tuple(c) if len(c) == 1 else tuple(c) for c in cells], dtype=float).reshape(-1, 2)
    return left + rc[:, 1] * size, 1 - top - (rc[:, 0] + 1) * size


def _back_slices(geometry, count: int, axes: int) -> list:
    """Outlines of the ``count - 1`` slices behind the front one, the farthest first."""
    rows, cols, size, (top, left) = geometry
    out = []
    for k in range(count - 1, 0, -1):
        shift = k * DEPTH_STEP
        out.append(marks.rects([left + shift], [1 - top - rows * size + shift], cols * size, rows * size,
                               fill=BACK_SLICE, edge=INK, edge_width=0.8, axes=axes))
    return out


def _numbers(xs, ys, size, values, colors, axes, pixels) -> list:
    if size * pixels < 17:  # too small to read: the grey levels alone
        return []
    font = max(8, min(13, 0.36 * size * pixels))
    return [marks.text(x + size / 2, y + size / 2, number(v), size=font, color=c, axes=axes)
            for x, y, v, c in zip(xs, ys, values, colors)]


def grey(values: np.ndarray, low: float, high: float) -> tuple[list, list]:
    """Cell fills from white (low) to dark grey (high), and a readable text colour on each."""
    scaled = np.zeros(len(values)) if high <= low else (np.asarray(values, float) - low) / (high - low)
    levels = np.round(255 - 205 * scaled).astype(int)
    return [f"#{v:02x}{v:02x}{v:02x}" for v in levels], ["#ffffff" if v < 140 else INK for v in levels]


def input_marks(state: ConvState, pixels: float) -> list:
    pads, spatial = state.pads(), state.spatial
    offset = tuple(b for b, _ in pads)
    geometry = layout(state, 0)
    cells = [tuple(int(v) for v in p) for p in np.ndindex(*[n + b + a for n, (b, a) in zip(spatial, pads)])]
    inside = [tuple(v - o for v, o in zip(p, offset)) for p in cells]
    is_pad = [not all(0 <= v < n for v, n in zip(q, spatial)) for q in inside]
    x = state.input_tensor()[..., 0]
    values = np.array([0.0 if pad else x[q] for q, pad in zip(inside, is_pad)])
    fills, inks = grey(values, min(0.0, float(x.min())), float(x.max()))
    fills = [PAD if pad else f for f, pad in zip(fills, is_pad)]
    xs, ys = _corners(cells, geometry)
    size = geometry[2]
    out = _back_slices(geometry, slices(state, 0), 0)
    out.append(marks.rects(xs, ys, size, size, fill=fills, edge=INK, edge_width=0.8, axes=0))
    if state.selected_input:
        px, py = _corners([tuple(v + o for v, o in zip(state.selected_input, offset))], geometry)
        out.append(marks.rects(px, py, size, size, fill=PICKED, edge=WRONG, edge_width=0.8, axes=0))
    if state.numbers:
        out += _numbers(xs, ys, size, values, [INK if pad else c for c, pad in zip(inks, is_pad)], 0, pixels)
    window = [tuple(v + o for v, o in zip(p, offset)) for p in state.window(state.cell(state.position))]
    wx, wy = _corners(window, geometry)
    out.append(marks.rects(wx, wy, size, size, fill=None, edge=WINDOW, edge_width=2.5, axes=0))
    out.append(marks.text(0.5, CAPTION_ROOM / 2, text.INPUT_CAPTION.format(
        channels=state.channels, shown=slices(state, 0)), size=11, axes=0))
    return out


def output_marks(state: ConvState, pixels: float) -> list:
    geometry = layout(state, 1)
    cells = [state.cell(k) for k in range(state.output_cells)]
    fed = set(state.feeds(state.selected_input)) if state.selected_input else set()
    fills = [PICKED if c in fed else CURRENT if k == state.position else DONE if k < state.position else CELL
             for k, c in enumerate(cells)]
    xs, ys = _corners(cells, geometry)
    size = geometry[2]
    out = _back_slices(geometry, slices(state, 1), 1)
    out.append(marks.rects(xs, ys, size, size, fill=fills, edge=INK, edge_width=0.8, axes=1))
    if state.numbers:
        inks = [INK if k <= state.position else LATER for k in range(len(cells))]
        out += _numbers(xs, ys, size, state.output_values().ravel(), inks, 1, pixels)
    caption = text.OUTPUT_CAPTION_CONV if state.mode == "conv" else text.OUTPUT_CAPTION_POOL
    out.append(marks.text(0.5, CAPTION_ROOM / 2, caption.format(maps=state.output_shape[-1],
                                                                shown=slices(state, 1)), size=11, axes=1))
    return out


def kernel_marks(state: ConvState, width: float, height: float) -> list:
    """One stack per shown filter (its slices: one per input channel, channel 1 in front); pooling: the window."""
    kernel = state.kernel if len(state.kernel) == 2 else (1,) + state.kernel
    conv = state.mode == "conv"
    stacks = state.shown_maps if conv else 1
    depth = min(state.channels, MAX_SLICES) if conv else 1
    columns = 1 if stacks <= 2 else 2
    slot_w, slot_h = 1 / columns, (1 - CAPTION_ROOM) / 2  # axes units per filter: two rows of filters at most
    step_px = 5.0  # pixels between two slices of a filter
    cell_px = min(32.0, (slot_w * width - 8 - step_px * (depth - 1)) / kernel[1],
                  (slot_h * height - 36 - step_px * (depth - 1)) / kernel[0])
    cw, ch, sx, sy = cell_px / width, cell_px / height, step_px / width, step_px / height
    w = state.kernel_tensor()
    if conv and state.flip:
        w = np.flip(w, axis=tuple(range(len(state.spatial))))
    out = []
    for f in range(stacks):
        row, column = divmod(f, columns)
        middle = (column + 0.5) * slot_w
        top = 1 - row * slot_h - 20 / height - sy * (depth - 1)
        left = middle - (kernel[1] * cw + sx * (depth - 1)) / 2
        label = text.FILTER_LABEL.format(number=f + 1) if conv else text.POOL_LABEL[state.mode]
        out.append(marks.text(middle, 1 - row * slot_h - 8 / height, label, size=11, axes=2))
        for k in range(depth - 1, 0, -1):
            out.append(marks.rects([left + k * sx], [top - kernel[0] * ch + k * sy], kernel[1] * cw, kernel[0] * ch,
                                   fill=BACK_SLICE, edge=INK, edge_width=0.8, axes=2))
        cells = list(np.ndindex(*kernel))
        xs = [left + j * cw for _, j in cells]
        ys = [top - (i + 1) * ch for i, _ in cells]
        out.append(marks.rects(xs, ys, cw, ch, fill="#fff7e0", edge=WINDOW, edge_width=1.2, axes=2))
        if not conv:
            out.append(marks.text(middle, top - kernel[0] * ch - 12 / height, text.POOL_OP[state.mode], size=12,
                                  weight="bold", axes=2))
        elif state.numbers and cell_px >= 14:
            values = w[..., 0, f].reshape(kernel).ravel()
            font = max(8, min(12, 0.42 * cell_px))
            out += [marks.text(x + cw / 2, y + ch / 2, number(v), size=font, axes=2) for x, y, v in zip(xs, ys, values)]
    if conv and state.filters > stacks:
        out.append(marks.text(0.5, CAPTION_ROOM / 2, text.MORE_FILTERS.format(more=state.filters - stacks),
                              size=11, axes=2))
    return out


def all_marks(state: ConvState) -> list:
    """Everything the canvas draws for ``state``."""
    width, height = FIGURE
    side = min(BOXES[0][2] * width, BOXES[0][3] * height)  # the square input and output axes, in pixels
    return (input_marks(state, side) + output_marks(state, side)
            + kernel_marks(state, BOXES[2][2] * width, BOXES[2][3] * height))
