"""Plane geometry for drawing a linear decision boundary inside a rectangular view."""
from __future__ import annotations

import numpy as np


def _clip(polygon: np.ndarray, w1: float, w2: float, b: float, keep_positive: bool) -> np.ndarray:
    """Sutherland-Hodgman: the part of a convex polygon where w1 x + w2 y + b > 0 (or <= 0)."""
    sign = 1.0 if keep_positive else -1.0
    values = sign * (polygon @ np.array([w1, w2]) + b)
    out = []
    for i in range(len(polygon)):
        p, q = polygon[i], polygon[(i + 1) % len(polygon)]
        vp, vq = values[i], values[(i + 1) % len(polygon)]
        if vp >= 0:
            out.append(p)
        if (vp >= 0) != (vq >= 0):
            out.append(p + (q - p) * (vp / (vp - vq)))
    return np.array(out).reshape(-1, 2)


def split_box(w1: float, w2: float, b: float, box=(-0.5, 1.5, -0.5, 1.5)):
    """Split the view box by the line w1 x + w2 y + b = 0.

    Returns (positive polygon, negative polygon, segment) where the segment is
    the visible part of the line as a (2, 2) array, or None when the line
    misses the box (or w1 = w2 = 0, where there is no line at all).
    """
    x0, x1, y0, y1 = box
    square = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=float)
    positive = _clip(square, w1, w2, b, True)
    negative = _clip(square, w1, w2, b, False)
    segment = None
    if w1 != 0 or w2 != 0:
        on_line = [p for p in positive if abs(p @ np.array([w1, w2]) + b) <= 1e-9 * (abs(w1) + abs(w2) + abs(b))]
        if len(on_line) >= 2:
            segment = np.array([on_line[0], on_line[-1]])
    return positive, negative, segment
