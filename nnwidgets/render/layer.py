"""The fast drawing layer shared by every panel.

matplotlib draws a figure's static layer (axes, ticks, labels, legends) once,
at twice the CSS resolution, into a PNG. A tiny anywidget (canvas.js) shows
that PNG and draws the dynamic marks over it, so an interaction costs one
small JSON message and a few canvas calls instead of a matplotlib redraw.
When only some axes of the static layer change (a retrain moves the loss
axis), only their part of the picture is drawn again and sent as a patch
that the page lays over the PNG.
"""
from __future__ import annotations

import asyncio
import contextlib
import io
import math
import pathlib

import anywidget
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from PIL import Image

from .fonts import use_our_fonts
from .marks import draw_with_matplotlib

PIXEL_RATIO = 2.0
MAX_PATCHES = 4  # beyond this many patches over the PNG (each sent with every change), the whole picture is sent
EDGE = 3  # pixels around an artist's box that antialiasing and line caps may touch


class FastCanvas(anywidget.AnyWidget):
    """Background PNG (with patches laid over it) + marks, drawn in the browser on a <canvas>."""

    _esm = pathlib.Path(__file__).with_name("canvas.js")
    background = traitlets.Bytes(b"").tag(sync=True)
    #: parts of the background drawn again since it was sent: ``{"x", "y", "w", "h"}`` in CSS pixels and ``"png"``
    patches = traitlets.List().tag(sync=True)
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

    def __init__(self, fig: Figure, *, draw: bool = True, patches: bool = False):
        """``draw=False``: leave the static layer empty, for a view that styles its axes and calls
        ``refresh_static`` itself while it is built (rendering the PNG twice costs 10-100 ms and a message).
        ``patches=True``: the view later changes some axes (a retrain moves their limits) and calls
        ``refresh_static(axes=...)``; the picture's pixels are kept (4-10 MB) so only those axes are drawn again.
        Other figures keep nothing after sending their PNG."""
        self.fig = fig
        self.patches = patches
        width, height = (round(v) for v in fig.get_size_inches() * 100)
        self.canvas = FastCanvas(width=width, height=height)
        self.marks: list = []
        self._renderer: RendererAgg | None = None  # the static layer's pixels, as the page shows them
        #: artist -> the pixel box it was drawn in, (x0, y0, x1, y1) from the top left; None until measured
        self._boxes: dict | None = None
        if draw:
            self.refresh_static()

    def refresh_static(self, axes=None) -> None:
        """Render the static layer again, after its axes changed (limits, titles ...). With ``axes``, only those
        changed: their part of the picture is drawn again and sent as a patch, unless another part of the figure
        reaches into it (then the whole picture is sent)."""
        use_our_fonts(self.fig)
        with _dpi(self.fig, 100 * PIXEL_RATIO):
            box = self._redraw(list(axes)) if axes is not None else None
            renderer = self._renderer if box is not None else self._draw_whole()
            pixels = np.asarray(renderer.buffer_rgba())
            with self.canvas.hold_sync():
                if box is None:
                    self.canvas.background, self.canvas.patches = _png(pixels), []
                else:
                    x0, y0, x1, y1 = box
                    patch = {"x": x0 / PIXEL_RATIO, "y": y0 / PIXEL_RATIO, "w": (x1 - x0) / PIXEL_RATIO,
                             "h": (y1 - y0) / PIXEL_RATIO, "png": _png(pixels[y0:y1, x0:x1])}
                    self.canvas.patches = [p for p in self.canvas.patches if not _covers(patch, p)] + [patch]
                self.canvas.axes = [self._box(ax) for ax in self.fig.axes]

    def resize(self, width: int, height: int) -> None:
        """Change the figure to ``width`` x ``height`` CSS pixels (call ``refresh_static`` after redrawing)."""
        self.fig.set_size_inches(width / 100, height / 100)
        self.canvas.width, self.canvas.height = int(width), int(height)
        self._renderer = None

    def update(self, marks: list) -> None:
        self.marks = marks
        self.canvas.marks = marks

    def to_png(self, dpi: float = 100) -> bytes:
        """The figure with the current marks, rendered by matplotlib (for static output)."""
        artists = draw_with_matplotlib(self.fig, self.marks)
        try:
            buffer = io.BytesIO()
            use_our_fonts(self.fig)
            self.fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
            return buffer.getvalue()
        finally:
            for artist in artists:
                artist.remove()

    def _draw_whole(self) -> RendererAgg:
        """The whole figure drawn (at the figure's present dpi); kept for patches if this figure takes them."""
        width, height = (round(v) for v in self.fig.bbox.size)
        renderer = self._renderer
        if renderer is None or (renderer.width, renderer.height) != (width, height):
            renderer = RendererAgg(width, height, self.fig.dpi)
        renderer.clear()
        self.fig.draw(renderer)
        self._boxes = None
        self._renderer = renderer if self.patches else None
        if self.patches:
            self._measure_later()
        return renderer

    def _measure_later(self) -> None:
        """Measure the parts' boxes, which only a later patch needs (a third of a whole picture's time), once the
        kernel is idle: after the cell or the message that drew the picture, so the picture is sent without waiting
        for it. Without a running event loop (a script, a test) they are measured at once. A view changes its axes
        and calls ``refresh_static`` in one go, so when the kernel is idle the figure is still what was drawn."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._measure()
        else:
            loop.call_soon(self._measure)

    def _measure(self) -> None:
        if self._boxes is None and self._renderer is not None:
            with _dpi(self.fig, self._renderer.dpi):
                self._boxes = {artist: self._pixel_box(artist) for artist in self._parts()}

    def _redraw(self, axes: list):
        """Draw ``axes`` again over the kept pixels; the pixel box drawn, or None where the whole figure must be.

        The box holds what the axes drew before and draw now, and any other axes reaching into it (drawn again
        too); a legend or a text reaching into it means the whole figure. The page lays the patches over the PNG in
        the order they were made, so each needs to hold only the pixels that changed when it was made."""
        if self._renderer is None or self._boxes is None or len(self.canvas.patches) >= MAX_PATCHES:
            return None  # (boxes not measured yet: the axes have changed since, so the whole picture)
        new, box, pending = {}, None, list(axes)
        while pending:
            for ax in pending:
                new[ax] = self._pixel_box(ax)
                if new[ax] is None or self._boxes.get(ax) is None:
                    return None
                box = _union([b for b in (box, self._boxes[ax], new[ax]) if b is not None])
            pending = [a for a, other in self._boxes.items() if a not in new and other is not None
                       and _overlap(box, other)]
            if any(a not in self.fig.axes for a in pending):
                return None
        x0, y0, x1, y1 = box
        pixels = np.asarray(self._renderer.buffer_rgba())
        pixels[y0:y1, x0:x1] = np.round(np.array(to_rgba(self.fig.get_facecolor())) * 255).astype(np.uint8)
        for ax in sorted((a for a in self.fig.axes if a in new), key=lambda a: a.get_zorder()):  # as fig.draw does
            ax.draw(self._renderer)
        self._boxes.update(new)
        return box

    def _parts(self) -> list:
        return [a for a in self.fig.get_children() if a is not self.fig.patch and a.get_visible()]

    def _pixel_box(self, artist):
        """The pixels ``artist`` draws in, widened by ``EDGE`` and kept inside the figure (None: it draws none)."""
        if artist in self.fig.axes:  # matplotlib's layout artists, plus what layout leaves out (set_in_layout)
            extra = artist.get_default_bbox_extra_artists()
            extra += [a for a in artist.get_children() if a.get_visible() and not a.get_in_layout()]
            bbox = artist.get_tightbbox(self._renderer, bbox_extra_artists=extra)
        else:
            bbox = artist.get_tightbbox(self._renderer)
        if bbox is None or not np.all(np.isfinite(bbox.extents)) or bbox.width <= 0 or bbox.height <= 0:
            return None
        width, height = self._renderer.width, self._renderer.height
        return (max(0, math.floor(bbox.x0) - EDGE), max(0, height - math.ceil(bbox.y1) - EDGE),
                min(width, math.ceil(bbox.x1) + EDGE), min(height, height - math.floor(bbox.y0) + EDGE))

    @staticmethod
    def _box(ax) -> dict:
        pos = ax.get_position()
        return {"x0": pos.x0, "x1": pos.x1, "y0": pos.y0, "y1": pos.y1,
                "xlim": list(map(float, ax.get_xlim())), "ylim": list(map(float, ax.get_ylim())),
                "xlog": ax.get_xscale() == "log", "ylog": ax.get_yscale() == "log"}


@contextlib.contextmanager
def _dpi(fig: Figure, dpi: float):
    before = fig.dpi
    fig.dpi = dpi
    try:
        yield
    finally:
        fig.dpi = before


def _png(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels), "RGBA").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def _union(boxes: list) -> tuple:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _covers(patch: dict, older: dict) -> bool:
    """Whether ``patch`` lies over all of ``older`` (which then shows nothing and is dropped)."""
    return (patch["x"] <= older["x"] and patch["y"] <= older["y"] and patch["x"] + patch["w"] >= older["x"] + older["w"]
            and patch["y"] + patch["h"] >= older["y"] + older["h"])
