"""Dynamic marks: small JSON-able dicts in data coordinates of one axes.

The browser draws them on a <canvas> (canvas.js); ``draw_with_matplotlib``
draws the very same list for static images (HTML export, nbval, tests).
Sizes are CSS pixels; colours are CSS / matplotlib colour strings.
"""
from __future__ import annotations

import base64
import math

import numpy as np

_PX_TO_PT = 0.72  # figures are made at 100 dpi: one CSS pixel is 0.72 pt


def _floats(values) -> list:
    """Numbers for JSON, rounded to 5 decimals or 6 significant digits, whichever keeps more (so a loss of 3e-9
    on a log axis stays 3e-9, not 0); non-finite ones become None (a gap in a line)."""
    if isinstance(values, (list, tuple)) and len(values) <= SHORT:
        return [_float(float(v)) for v in values]
    array = np.asarray(values, dtype=float).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.abs(array)))
    decimals = np.clip(np.where(np.isfinite(magnitude), 5 - magnitude, 5), 5, 300).astype(int)
    scale = _SCALES[decimals]
    with np.errstate(invalid="ignore", over="ignore"):
        rounded = np.round(array * scale) / scale
    out = np.where(np.isfinite(rounded), rounded, array).tolist()
    if not np.isfinite(array).all():
        out = [v if math.isfinite(v) else None for v in out]
    return out


_POWERS = [10.0 ** d for d in range(301)]  # 10^decimals: the same numbers for NumPy and for Python
_SCALES = np.array(_POWERS)
SHORT = 8  # up to this many numbers (a segment, a few points) are rounded in Python: NumPy's set-up costs more


def _float(value: float):
    """``_floats`` for one number, with the same arithmetic (so both give the very same float)."""
    if not math.isfinite(value):
        return None
    decimals = 5 if value == 0 else min(max(5 - math.floor(math.log10(abs(value))), 5), 300)
    scale = _POWERS[decimals]
    rounded = math.copysign(round(value * scale) / scale, value) if math.isfinite(value * scale) else value
    return rounded if math.isfinite(rounded) else value


def _size(value):
    """A size or a list of sizes as plain floats (a NumPy scalar is not JSON: the kernel's encoder would take a
    slow path for each, or fail)."""
    return _floats(value) if np.ndim(value) else float(value)


def line(xs, ys, *, color, width=2.0, dash=None, alpha=1.0, axes=0) -> dict:
    return {"type": "line", "axes": axes, "xs": _floats(xs), "ys": _floats(ys), "color": color,
            "width": float(width), "dash": [float(d) for d in dash or []], "alpha": float(alpha)}


def polygon(xs, ys, *, fill, alpha=1.0, axes=0) -> dict:
    return {"type": "polygon", "axes": axes, "xs": _floats(xs), "ys": _floats(ys), "fill": fill,
            "alpha": float(alpha)}


def points(xs, ys, *, fill, edge=None, size=12.0, marker="o", edge_width=1.5, axes=0) -> dict:
    return {"type": "points", "axes": axes, "xs": _floats(xs), "ys": _floats(ys), "fill": fill, "edge": edge,
            "size": _size(size), "marker": marker, "edge_width": float(edge_width)}


def text(x, y, s, *, color="#222222", size=12, ha="center", va="middle", weight="normal", axes=0) -> dict:
    return {"type": "text", "axes": axes, "x": float(x), "y": float(y), "text": str(s), "color": color,
            "size": float(size), "ha": ha, "va": va, "weight": weight}


def rects(xs, ys, w, h, *, fill, edge=None, edge_width=1.0, axes=0) -> dict:
    """Equal rectangles with lower-left corners (xs, ys): grids of cells. ``fill``/``edge`` may be lists."""
    return {"type": "rects", "axes": axes, "xs": _floats(xs), "ys": _floats(ys), "w": float(w), "h": float(h),
            "fill": fill, "edge": edge, "edge_width": float(edge_width)}


def raster(rgba, extent, *, smooth=True, alpha=1.0, axes=0) -> dict:
    """An RGBA uint8 image (rows from top to bottom) stretched over extent (x0, x1, y0, y1)."""
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    h, w, _ = rgba.shape
    return {"type": "raster", "axes": axes, "rgba": base64.b64encode(rgba.tobytes()).decode("ascii"),
            "w": w, "h": h, "extent": [float(e) for e in extent], "smooth": bool(smooth), "alpha": float(alpha)}


def _list(value, n):
    return list(value) if isinstance(value, list) else [value] * n


def _nan(values):
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def draw_with_matplotlib(fig, marks) -> list:
    """Add ``marks`` to ``fig`` as matplotlib artists; returns them so they can be removed."""
    artists = []
    for z, m in enumerate(marks, start=10):
        ax = fig.axes[m.get("axes", 0)]
        alpha = m.get("alpha", 1.0)
        kind = m["type"]
        if kind == "line":
            artists += ax.plot(_nan(m["xs"]), _nan(m["ys"]), color=m["color"], lw=m["width"] * _PX_TO_PT,
                               ls=(0, tuple(m["dash"])) if m["dash"] else "-", alpha=alpha, zorder=z)
        elif kind == "polygon":
            artists += ax.fill(m["xs"], m["ys"], color=m["fill"], alpha=alpha, lw=0, zorder=z)
        elif kind == "points":
            n = len(m["xs"])
            for i, (x, y) in enumerate(zip(m["xs"], m["ys"])):
                marker = {"o": "o", "s": "s", "x": "x"}[_list(m["marker"], n)[i]]
                size = _list(m["size"], n)[i] * _PX_TO_PT
                fill = _list(m["fill"], n)[i]
                edge = _list(m["edge"], n)[i] if m["edge"] else "none"
                artists += ax.plot([x], [y], marker=marker, ms=size, mfc=fill, mec=edge if marker != "x" else fill,
                                   mew=m["edge_width"] * _PX_TO_PT, ls="none", zorder=z)
        elif kind == "text":
            artists.append(ax.text(m["x"], m["y"], m["text"], color=m["color"], fontsize=m["size"] * _PX_TO_PT,
                                   ha=m["ha"], va={"middle": "center"}.get(m["va"], m["va"]),
                                   weight=m["weight"], zorder=z, clip_on=True))
        elif kind == "rects":
            from matplotlib.collections import PatchCollection
            from matplotlib.patches import Rectangle

            n = len(m["xs"])
            patches = [Rectangle((x, y), m["w"], m["h"]) for x, y in zip(m["xs"], m["ys"])]
            fills = [f or "none" for f in _list(m["fill"], n)]
            collection = PatchCollection(patches, facecolors=fills, zorder=z,
                                         edgecolors=_list(m["edge"], n) if m["edge"] else "none",
                                         linewidths=m["edge_width"] * _PX_TO_PT)
            ax.add_collection(collection)
            artists.append(collection)
        elif kind == "raster":
            rgba = np.frombuffer(base64.b64decode(m["rgba"]), np.uint8).reshape(m["h"], m["w"], 4)
            artists.append(ax.imshow(rgba, extent=m["extent"], origin="upper", aspect="auto", alpha=alpha,
                                     interpolation="bilinear" if m["smooth"] else "nearest", zorder=z))
        else:
            raise ValueError(f"unknown mark type {kind!r}")
    return artists
