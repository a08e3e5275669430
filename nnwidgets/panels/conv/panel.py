"""The conv/pool shape visualizer: ``ConvState`` with its view and the panel surface."""
from __future__ import annotations

from ..._validate import shown
from ...i18n import speaking
from .._state import Panel
from . import text
from .state import TABS, ConvState
from .view import ConvView


class ConvShapeVisualizer(ConvState, Panel):
    """The conv/pool panel: every constructor argument is a setting (``c.stride = 1`` moves the slider).

    >>> c = ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3, stride=2)
    >>> c.output_shape
    (3, 3, 1)
    """

    TABS = TABS

    def __init__(self, input_shape=(7, 7, 1), kernel_size=3, stride=1, padding=0, dilation=1, filters=1,
                 mode="conv", ceil_mode=False, **settings):
        super().__init__(input_shape=input_shape, kernel_size=kernel_size, stride=stride, padding=padding,
                         dilation=dilation, filters=filters, mode=mode, ceil_mode=ceil_mode, **settings)
        self._show_view()

    def _build_view(self) -> None:
        self.view = ConvView(self)

    def control(self, name: str):
        """The widget for a setting ("stride", "padding", "position", "tab", "layers", ...) or a part of one:
        "H", "W", "C" (input_shape) and "kH", "kW" (kernel_size)."""
        if name not in self.view.controls:
            raise ValueError(text.BAD_CONTROL.format(names=", ".join(map(repr, self.view.controls)), value=shown(name)))
        return self.view.controls[name]

    def to_png(self) -> bytes:
        """The open tab (the grids, or the tracer's table) as matplotlib draws it, in the panel's language."""
        with speaking(self.language):
            return self.view.to_png()
