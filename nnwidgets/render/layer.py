"""The fast drawing layer shared by every panel.

matplotlib draws a figure's static layer (axes, ticks, labels, legends) once,
at twice the CSS resolution, into a PNG. A tiny anywidget (canvas.js) shows
that PNG and draws the dynamic marks over it, so an interaction costs one
small JSON message and a few canvas calls instead of a matplotlib redraw.
"""
from __future__ import annotations

import io
import pathlib

import anywidget
import traitlets
from matplotlib.figure import Figure

from .fonts import use_our_fonts
from .marks import draw_with_matplotlib

PIXEL_RATIO = 2.0


class FastCanvas(anywidget.AnyWidget):
    """Background PNG + marks, drawn in the browser on a <canvas>."""

    _esm = pathlib.Path(__file__).with_name("canvas.js")
    background = traitlets.Bytes(b"").tag(sync=True)
    width = traitlets.Int(360).tag(sync=True)
    height = traitlets.Int(360).tag(sync=True)
    pixel_ratio = traitlets.Float(PIXEL_RATIO).tag(sync=True)
    axes = traitlets.List().tag(sync=True)
    marks = traitlets.List().tag(sync=True)

    def on_click(self, callback) -> None:
        """Call ``callback(axes_index, x, y)`` (data coordinates) when the learner clicks inside an axes."""
        self.on_msg(lambda _, content, buffers: content.get("event") == "click"
                    and callback(int(content["axes"]), float(content["x"]), float(content["y"])))


def new_figure(width: int, height: int) -> Figure:
    """A figure of ``width`` x ``height`` CSS pixels, made without pyplot (no global state)."""
    return Figure(figsize=(width / 100, height / 100), dpi=100)


class LayeredFigure:
    """A matplotlib figure drawn once as the static layer, with live marks on top."""

    def __init__(self, fig: Figure, *, draw: bool = True):
        """``draw=False``: leave the static layer empty, for a view that styles its axes and calls
        ``refresh_static`` itself while it is built (rendering the PNG twice costs 10-100 ms and a message)."""
        self.fig = fig
        width, height = (round(v) for v in fig.get_size_inches() * 100)
        self.canvas = FastCanvas(width=width, height=height)
        self.marks: list = []
        if draw:
            self.refresh_static()

    def refresh_static(self) -> None:
        """Re-render the static layer, after its axes changed (limits, titles ...)."""
        self.canvas.background = self._png(dpi=100 * PIXEL_RATIO)
        self.canvas.axes = [self._box(ax) for ax in self.fig.axes]

    def resize(self, width: int, height: int) -> None:
        """Change the figure to ``width`` x ``height`` CSS pixels (call ``refresh_static`` after redrawing)."""
        self.fig.set_size_inches(width / 100, height / 100)
        self.canvas.width, self.canvas.height = int(width), int(height)

    def update(self, marks: list) -> None:
        self.marks = marks
        self.canvas.marks = marks

    def to_png(self, dpi: float = 100) -> bytes:
        """The figure with the current marks, rendered by matplotlib (for static output)."""
        artists = draw_with_matplotlib(self.fig, self.marks)
        try:
            return self._png(dpi)
        finally:
            for artist in artists:
                artist.remove()

    def _png(self, dpi: float) -> bytes:
        buffer = io.BytesIO()
        use_our_fonts(self.fig)
        self.fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
        return buffer.getvalue()

    @staticmethod
    def _box(ax) -> dict:
        pos = ax.get_position()
        return {"x0": pos.x0, "x1": pos.x1, "y0": pos.y0, "y1": pos.y1,
                "xlim": list(map(float, ax.get_xlim())), "ylim": list(map(float, ax.get_ylim())),
                "xlog": ax.get_xscale() == "log", "ylog": ax.get_yscale() == "log"}
