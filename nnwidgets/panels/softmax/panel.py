"""The softmax / cross-entropy calculator: ``SoftmaxState`` with its view and the panel surface."""
from __future__ import annotations

from ..._validate import shown
from ...i18n import speaking
from .._state import Panel
from . import text
from .state import LINEAR_TAB, LOGITS_TAB, TABS, SoftmaxState
from .view import SoftmaxView


class SoftmaxCalculator(SoftmaxState, Panel):
    """The softmax / cross-entropy panel. Every setting of ``SoftmaxState`` is live in the view.

    >>> s = SoftmaxCalculator(logits=[1.5, 3.7], target=1, labels=["cat", "dog"])
    >>> [round(float(p), 4) for p in s.probabilities]
    [0.0998, 0.9002]
    """

    TABS = TABS

    def __init__(self, logits=None, target=0, labels=None, x=None, W=None, b=None, log_base="e", temperature=1.0,
                 show_naive=False, tab=None):
        super().__init__(logits=logits, target=target, labels=labels, x=x, W=W, b=b, log_base=log_base,
                         temperature=temperature, show_naive=show_naive, tab=tab)
        self._show_view()

    def _build_view(self) -> None:
        self.view = SoftmaxView(self)

    def control(self, name: str):
        """The widget for a setting ("tab", "target", "log_base", "temperature", "show_naive"), a logit "z[0]".. or a
        linear-layer entry "x[0]", "b[1]", "W[0,2]" (as ``parameters`` names them; the lecture's "z1", "b2", "w13"
        work too)."""
        with speaking(self.language):
            return self._control(name)

    def _control(self, name: str):
        view = self.view
        if name in view.controls:
            return view.controls[name]
        places = {**self._parameter_places(LOGITS_TAB), **self._parameter_places(LINEAR_TAB)}
        ours = self.parameter_name(name, LOGITS_TAB) or self.parameter_name(name, LINEAR_TAB)
        if ours is None:
            raise ValueError(text.CONTROL.format(settings=", ".join(view.controls), entries=", ".join(places),
                                                 value=shown(name)))
        setting, row, column = places[ours]
        boxes = {"logits_input": view.logit_sliders, "x": view.x_boxes, "b": view.b_boxes, "W": view.W_boxes}[setting]
        return boxes[row] if column is None else boxes[row][column]

    def to_png(self) -> bytes:
        """The picture (bars of p and p − y) of the open tab, as matplotlib draws it."""
        return self.view.figure.to_png()
