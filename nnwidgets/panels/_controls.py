"""Pieces every panel view shares: two-way slider binding, the error line, the display protocol."""
from __future__ import annotations

import html
import itertools
import math

import ipywidgets as widgets

from ._state import widget_tree

CLASS_COLORS = {0: "#f28e2b", 1: "#4e79a7"}  # orange = class 0, blue = class 1
WRONG = "#d62728"
INK = "#222222"


class _KeepsPythonValues:
    """A slider that refuses an old value coming back from the browser as if the user had moved it.

    The browser's slider reports its position whenever that differs from its value by float noise
    (0.7 -> 0.7000000000000001 on a drawn slider; a log slider reports on every draw). If Python set
    the slider meanwhile (a cell loads a preset while the page is still drawing the panel), the report
    carries the value from before; taken as a move, it would undo the cell. So a value from the
    browser that matches one Python set earlier, and not the latest, is dropped before it reaches
    the slider, and the browser is sent the kernel's value again. (A user whose very first move after
    such a change lands exactly on the earlier value sees the slider return once; the next move is taken.)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._python_values = [self.value]  # values Python set since the browser last sent one
        self.observe(self._record, names="value")

    def _record(self, change):
        if "value" in self._property_lock:  # ipywidgets is applying a value the browser sent
            self._python_values = [change["new"]]
        else:
            self._python_values = [*self._python_values[-31:], change["new"]]

    def set_state(self, sync_data):
        if "value" in sync_data and self._stale(sync_data["value"]):
            sync_data = {key: value for key, value in sync_data.items() if key != "value"}
            self._python_values = [self.value]
            self.send_state("value")
        super().set_state(sync_data)

    def send_state(self, key=None):
        """Send the range before the value: the browser moves its slider on each key in the order they come,
        and a value applied before its new range is snapped to the old step grid and sent back as a move."""
        if isinstance(key, (set, frozenset, list, tuple)) and "value" in key:
            key = sorted(key, key=lambda name: name == "value")
        super().send_state(key)

    def _stale(self, value) -> bool:
        if not isinstance(value, float) or from_control(value, self.value) is None:
            return False
        return any(from_control(value, old) is None for old in self._python_values[:-1] if isinstance(old, float))


class FloatSlider(_KeepsPythonValues, widgets.FloatSlider):
    """ipywidgets' FloatSlider that never lets an old browser value undo a value set in Python."""


class FloatLogSlider(_KeepsPythonValues, widgets.FloatLogSlider):
    """ipywidgets' FloatLogSlider that never lets an old browser value undo a value set in Python."""


def float_slider(description: str, value: float, css_class: str, lo=-2.0, hi=2.0, step=0.05):
    """A keyboard-operable slider whose step grid passes through ``value`` (see ``anchor``)."""
    slider = FloatSlider(min=lo, max=hi, step=step, description=description, readout_format=".2f",
                                 continuous_update=True, layout=widgets.Layout(width="300px"))
    slider.add_class(css_class)
    slider._nnw_range = (lo, hi)
    anchor(slider, value)
    return slider


def log_slider(description: str, value: float, css_class: str, lo=-4.0, hi=1.0, step=0.05):
    """A base-10 log slider (learning rates) whose exponent grid passes through ``value`` (see ``anchor``)."""
    slider = FloatLogSlider(min=lo, max=hi, step=step, base=10, description=description,
                                    readout_format=".3g", continuous_update=True, layout=widgets.Layout(width="300px"))
    slider.add_class(css_class)
    slider._nnw_range = (lo, hi)
    anchor(slider, value)
    return slider


def anchor(slider, value: float) -> None:
    """Move ``slider`` to ``value`` with its step grid shifted to pass through it.

    The browser's slider snaps its value to min + k * step and sends the snapped value back, so a
    value set from Python off that grid (w1 = 0.333 with step 0.05) would silently become 0.35.
    With the grid anchored at the value there is nothing to snap, and arrow keys step from it.
    """
    grid = value
    if isinstance(slider, widgets.FloatLogSlider):  # the grid is on the exponent: min + k * step
        grid = math.log(value, slider.base) if value > 0 else slider.min
    _anchor_grid(slider, grid, value)


def _anchor_grid(slider, value: float, shown: float) -> None:
    """Shift ``slider``'s min/max (keeping its step) so that min + k * step hits ``value``; show ``shown``."""
    lo, hi = getattr(slider, "_nnw_range", (slider.min, slider.max))
    lo, hi, step = min(lo, value), max(hi, value), slider.step
    steps = (value - slider.min) / step
    if slider.min <= value <= slider.max and abs(steps - round(steps)) < 1e-6:  # already on the grid
        slider.value = shown
        return
    # one message to the browser, range first (see ``send_state``): sent one by one, each of min, max and
    # value would make the browser re-snap the slider on a half-updated grid and send that back as a move
    # the grid's ends are its last points inside lo..hi: an end beyond them let End (or Home) pick a value the
    # setting refuses (10^3.05 = 1122 for a condition number up to 1000)
    top = value + step * math.floor((hi - value) / step + 1e-9)
    with slider.hold_sync(), slider.hold_trait_notifications():
        slider.max = max(slider.max, top)
        slider.min = value - step * math.floor((value - lo) / step + 1e-9)
        slider.max = top
        slider.value = shown


def from_control(value, current):
    """A value coming back from the browser, or None when it only differs from ``current`` by float noise.

    The front end computes slider values as min + k * step, which adds noise such as 0.5500000000000003;
    12 significant digits keep every real step and drop the noise.
    """
    if isinstance(value, float):
        value = float(f"{value:.12g}")
        if isinstance(current, float) and abs(value - current) <= 1e-12 * max(1.0, abs(current)):
            return None
    return value


_BOUND = itertools.count()

#: what ``parsed`` returns for a control value that names no new setting (a "(your data)" entry, say)
KEEP = object()


def shows_setting(control, state, name: str, shown=None) -> None:
    """Record that ``control`` shows ``shown(state.name)`` (``bind`` does it; views wiring a control by hand too).

    The control gets a ``nnw-bind-N`` class: the browser tests find it on the page and compare what it shows
    with what the kernel's state holds.
    """
    key = next(_BOUND)
    control.add_class(f"nnw-bind-{key}")
    control._nnw_bound = (state, name, shown or (lambda value: value), key)


def bound_controls(root):
    """Every control under the widget ``root`` that shows a setting (marked by ``shows_setting`` or ``bind``), once
    each: ``(control, state, name, shown, key)``. The browser tests and the load test find controls with it."""
    for widget in widget_tree(root):
        if getattr(widget, "_nnw_bound", None):
            yield (widget, *widget._nnw_bound)


def bind(state, name: str, control, *, shown=None, parsed=None) -> None:
    """Keep ``state.name`` and ``control.value`` equal both ways: the one wiring every view uses.

    Unlike ``widgets.link``: a slider is re-anchored on every value set in Python (never snapped or
    clamped), float noise from the browser is ignored, and a value the state rejects leaves the
    state as it was (the state reports it in its ``error`` trait) and puts the control back.
    A control that shows a setting differently (text for a tuple, "none" for None) passes ``shown``
    (setting -> control value) and ``parsed`` (control value -> setting, raising ValueError or returning KEEP).
    """
    shown = shown or (lambda value: value)
    syncing = []
    slider = isinstance(control, (widgets.FloatSlider, widgets.FloatLogSlider))
    control.add_class(f"nnw-set-{name}")
    shows_setting(control, state, name, shown)

    def to_control(change):
        if syncing:
            return
        syncing.append(True)
        try:
            if slider:
                anchor(control, shown(change["new"]))
            else:
                control.value = shown(change["new"])
        finally:
            syncing.pop()

    def to_state(change):
        if syncing:
            return
        syncing.append(True)
        try:
            if parsed:  # None is a real value here ("none" -> no regularisation)
                value = parsed(change["new"])
            else:  # None: only float noise from the browser
                value = from_control(change["new"], getattr(state, name))
                value = KEEP if value is None else value
            if value is not KEEP:
                setattr(state, name, value)
        except ValueError as err:  # refused (the state has said why, or the text did not parse): show the state
            if parsed and name not in state.error:
                message = str(err)
                state.set_trait("error", message if name in message else f"{name}: {message}")
            control.value = shown(getattr(state, name))
        finally:
            syncing.pop()

    state.observe(to_control, names=name)
    control.observe(to_state, names="value")


def message_html(kind: str, text: str) -> str:
    colors = {"ok": "#1b7f3b", "bad": WRONG, "info": INK, "error": WRONG}
    icon = {"ok": "✓ ", "bad": "✗ ", "info": "", "error": "⚠ "}[kind]
    return f'<div style="color:{colors[kind]};font-weight:600">{icon}{html.escape(text)}</div>'


def number(value: float) -> str:
    """A number as a learner would write it: 6 significant digits, no float noise, a real minus sign."""
    if abs(value) < 5e-7:
        value = 0.0
    return f"{value:.6g}".replace("-", "−")


def equation(w1: float, w2: float, b: float, inputs=("x1", "x2")) -> str:
    """'0.5·x1 + 0.5·x2 − 0.7' with the signs written as a learner would."""
    def term(value, first=False):
        sign = "−" if value < 0 and abs(value) >= 5e-7 else ("" if first else "+")
        text = number(abs(value))
        return f"{sign}{text}" if first else f" {sign} {text}"
    return f"{term(w1, True)}·{inputs[0]}{term(w2)}·{inputs[1]}{term(b)}"


CELL_STYLE = "padding:2px 8px;text-align:right;font-family:monospace;white-space:nowrap"  # a cell never wraps


def table_html(header, rows, css_class: str, bad_rows=(), highlight="#fde2e2") -> str:
    """An HTML table; ``bad_rows`` get the ``highlight`` background (pink: wrong)."""
    head = "".join(f"<th style='padding:2px 8px'>{h}</th>" for h in header)
    body = "".join(
        f"<tr style='background:{highlight if i in bad_rows else 'transparent'}'>"
        + "".join(f"<td style='{CELL_STYLE}'>{c}</td>" for c in row)
        + "</tr>"
        for i, row in enumerate(rows)
    )
    return f"<table class='{css_class}' style='border-collapse:collapse'><tr>{head}</tr>{body}</table>"
