"""The softmax calculator's widgets: inputs per tab, bars of p and p − y, the seed-style table, the hand check.

The view only links controls to ``SoftmaxState`` and draws what the state (and core) computed.
"""
from __future__ import annotations

import math

import ipywidgets as widgets

from ...core.softmax import LOG_BASES
from ...render import LayeredFigure, marks, new_figure
from .._controls import CLASS_COLORS, INK, WRONG, anchor, bind, float_slider, from_control, message_html
from . import tables, text
from .state import LINEAR_TAB, MAX_CLASSES, TABS, SoftmaxState

CHECK_FIELDS = ("exp", "sum", "probabilities", "loss")
REDRAWN_BY = SoftmaxState.SETTINGS + ("baseline",)
LOGIT_RANGE = (-10.0, 10.0)  # the logit sliders' range while every logit fits in it
LOGIT_STEP = 0.1


class SoftmaxView(widgets.VBox):
    """The root widget: settings and picture, a tab per kind of input, the table, the summary, the hand check."""

    def __init__(self, state: SoftmaxState):
        super().__init__()
        self.state = state
        fig = new_figure(600, 250)
        self.p_axes = fig.add_axes((0.08, 0.2, 0.4, 0.68))
        self.grad_axes = fig.add_axes((0.58, 0.2, 0.4, 0.68))
        self.figure = LayeredFigure(fig, draw=False)  # drawn by the first redraw
        self.table, self.summary, self.status = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.table.add_class("nnw-softmax-table")
        self.summary.add_class("nnw-softmax-summary")
        self.logits_box, self.layer_box = widgets.VBox(), widgets.VBox()
        self.tab_widget = widgets.Tab(children=[self.logits_box, self.layer_box],
                                      titles=[text.TAB_TITLES[t] for t in TABS], selected_index=TABS.index(state.tab))
        self.controls = {
            "tab": self.tab_widget,
            "target": widgets.Dropdown(description=text.TARGET),
            "log_base": widgets.ToggleButtons(options=[(text.LOG_BUTTONS[b], b) for b in LOG_BASES],
                                              value=state.log_base, description=text.LOG),
            "temperature": float_slider(text.TEMPERATURE, state.temperature, "nnw-temperature", lo=0.1, hi=5.0,
                                        step=0.1),
            "show_naive": widgets.Checkbox(value=state.show_naive, description=text.SHOW_NAIVE, indent=False,
                                           layout=widgets.Layout(width="auto")),
        }
        self.controls["log_base"].style.button_width = "60px"
        for name in ("log_base", "temperature", "show_naive"):
            bind(state, name, self.controls[name])
        self.controls["target"].observe(self._target_picked, names="value")
        self.tab_widget.observe(lambda c: self._try(setattr, state, "tab", TABS[c["new"]]), names="selected_index")
        self._build_logit_rows()
        self._build_layer_grid()
        self.check_box = self._build_check()
        settings = widgets.VBox([self.controls[n] for n in ("target", "log_base", "temperature", "show_naive")],
                                layout=widgets.Layout(flex="0 0 auto", min_width="320px"))  # never squeezed
        # on a narrow page the settings go below the picture instead of being cut off
        top = widgets.HBox([self.figure.canvas, settings], layout=widgets.Layout(flex_flow="row wrap"))
        self.children = [top, self.tab_widget, self.table, self.summary,
                         self.status, self.check_box]
        state.observe(self._state_changed, names=list(REDRAWN_BY))
        state.observe(lambda c: setattr(self.status, "value", message_html("error", c["new"]) if c["new"] else ""),
                      names="error")
        self._state_changed()

    # ---- the logits tab ------------------------------------------------------------------------
    def _build_logit_rows(self):
        state = self.state
        self.classes = widgets.IntSlider(value=len(state.logits_input), min=1, max=MAX_CLASSES,
                                         description=text.CLASSES)
        self.classes.observe(self._resize, names="value")
        self.logit_sliders, self.logit_boxes, self.label_boxes, rows = [], [], [], []
        self.logit_range = lo, hi = logit_range(state.logits_input)
        for i, value in enumerate(state.logits_input):
            slider = float_slider(text.LOGIT.format(number=i), value, f"nnw-logit-{i}", lo=lo, hi=hi, step=LOGIT_STEP)
            box = widgets.FloatText(value=value, layout=widgets.Layout(width="90px"))
            for control in (slider, box):
                control.observe(lambda c, i=i: self._set_logit(i, c["new"]), names="value")
            label = widgets.Text(value=self._name(i), layout=widgets.Layout(width="100px"))
            label.observe(lambda c, i=i: self._set_label(i, c["new"]), names="value")
            self.logit_sliders.append(slider)
            self.logit_boxes.append(box)
            self.label_boxes.append(label)
            rows.append(widgets.HBox([label, slider, box]))
        self.logits_box.children = [self.classes] + rows

    def _name(self, i):
        names = self.state.class_names
        return names[i] if i < len(names) else text.DEFAULT_CLASS_NAME.format(number=i)

    def _set_logit(self, i, value):
        values = list(self.state.logits_input)
        if i < len(values):
            value = from_control(value, values[i])
            if value is not None and value != values[i]:
                values[i] = value
                self._try(setattr, self.state, "logits", values)

    def _set_label(self, i, name):
        names = self.state.class_names
        if i < len(names) and names[i] != name:
            self._try(setattr, self.state, "labels", names[:i] + [name] + names[i + 1:])

    def _resize(self, change):
        n, values = change["new"], list(self.state.logits_input)
        if n != len(values):
            self._try(setattr, self.state, "logits", (values + [0.0] * n)[:n])

    # ---- the linear-layer tab ------------------------------------------------------------------
    def _build_layer_grid(self):
        state = self.state
        self.x_boxes = [self._layer_box("x", (j,)) for j in range(len(state.x))]
        self.W_boxes = [[self._layer_box("W", (i, j)) for j in range(len(row))] for i, row in enumerate(state.W)]
        self.b_boxes = [self._layer_box("b", (i,)) for i in range(len(state.b))]
        width = widgets.Layout(width="70px")
        head = widgets.HBox([widgets.HTML(text.LAYER_X, layout=width)] + self.x_boxes)
        rows = [widgets.HBox([widgets.HTML(text.LAYER_ROW.format(number=i), layout=width)] + row
                             + [widgets.HTML(text.LAYER_B.format(number=i)), self.b_boxes[i]])
                for i, row in enumerate(self.W_boxes)]
        self.layer_box.children = [widgets.HTML(text.LAYER_TITLE), head] + rows + [self._nudge_row()]

    def _layer_box(self, name, where):
        value = getattr(self.state, name)
        for k in where:
            value = value[k]
        control = widgets.FloatText(value=value, layout=widgets.Layout(width="88px"))
        control.observe(lambda c: self._layer_edited(name, where, c["new"]), names="value")
        return control

    def _layer_edited(self, name, where, value):
        values = [list(row) for row in self.state.W] if name == "W" else list(getattr(self.state, name))
        if len(where) == 2:
            values[where[0]][where[1]] = value
        else:
            values[where[0]] = value
        if values != getattr(self.state, name):
            self._try(setattr, self.state, name, values)

    def _nudge_row(self):
        names = self.state.parameters(LINEAR_TAB)
        self.nudge_parameter = widgets.Dropdown(options=names, value="b[1]" if "b[1]" in names else names[0],
                                                description=text.NUDGE, layout=widgets.Layout(width="180px"))
        self.nudge_delta = widgets.FloatText(value=1.0, description=text.NUDGE_BY, layout=widgets.Layout(width="150px"))
        go, forget = widgets.Button(description=text.NUDGE_BUTTON), widgets.Button(description=text.FORGET_BUTTON)
        go.on_click(lambda _: self._try(self.state.nudge, self.nudge_parameter.value, self.nudge_delta.value))
        forget.on_click(lambda _: self.state.clear_baseline())
        return widgets.HBox([self.nudge_parameter, self.nudge_delta, go, forget])

    # ---- following the state -------------------------------------------------------------------
    def _try(self, action, *args):
        """Run a change; if the state refuses it (its ``error`` line says why), put the controls back."""
        try:
            action(*args)
        except ValueError:
            self._sync_controls()

    def _sync_controls(self):
        """Controls follow values set in Python (a new number of classes or features rebuilds them)."""
        state = self.state
        self.tab_widget.selected_index = TABS.index(state.tab)
        if len(self.logit_sliders) != len(state.logits_input):
            self._build_logit_rows()
        else:
            self.classes.value = len(state.logits_input)
            lo, hi = self.logit_range
            if not all(lo <= v <= hi for v in state.logits_input):  # set from Python outside the range: re-centre
                self.logit_range = logit_range(state.logits_input)
            for i, (slider, box, label) in enumerate(zip(self.logit_sliders, self.logit_boxes, self.label_boxes)):
                place(slider, state.logits_input[i], self.logit_range)
                box.value = state.logits_input[i]
                label.value = self._name(i)
        if (len(self.b_boxes), len(self.x_boxes)) != (len(state.b), len(state.x)):
            self._build_layer_grid()
        else:
            for control, value in zip(self.x_boxes + self.b_boxes, list(state.x) + list(state.b)):
                control.value = value
            for row, values in zip(self.W_boxes, state.W):
                for control, value in zip(row, values):
                    control.value = value
        self._sync_target()

    def _sync_target(self):
        """The target menu lists the open tab's classes; rebuilding its options must not pick a target."""
        menu, names = self.controls["target"], self.state.class_names
        options = [(n if n == text.DEFAULT_CLASS_NAME.format(number=i) else text.TARGET_OPTION.format(number=i, name=n),
                    i) for i, n in enumerate(names)]
        menu.unobserve(self._target_picked, names="value")
        try:
            if list(menu.options) != options:
                menu.options = options
            menu.value = self.state.target
        finally:
            menu.observe(self._target_picked, names="value")

    def _target_picked(self, change):
        self._try(setattr, self.state, "target", change["new"])

    def _state_changed(self, change=None):
        self._sync_controls()
        self._relabel()
        self.redraw()

    # ---- hand check ------------------------------------------------------------------------------
    def _build_check(self):
        labels = text.CHECK_FIELD_LABELS
        self.check_inputs = {name: widgets.Text(description=labels[name], placeholder=text.CHECK_PLACEHOLDER,
                                                style={"description_width": "90px"},
                                                layout=widgets.Layout(width="300px")) for name in CHECK_FIELDS}
        button = widgets.Button(description=text.CHECK_BUTTON, button_style="info")
        self.check_result = widgets.HTML()
        self.check_result.add_class("nnw-check-result")
        button.on_click(lambda _: self.run_check())
        boxes = list(self.check_inputs.values())
        return widgets.VBox([widgets.HTML(text.CHECK_INTRO), widgets.HBox(boxes[:2]), widgets.HBox(boxes[2:]), button,
                             self.check_result])

    def run_check(self):
        given = {k: w.value for k, w in self.check_inputs.items() if w.value.strip()}
        try:
            self.check_result.value = self.state.check(**given)._repr_html_()
        except ValueError as err:
            self.check_result.value = message_html("error", str(err))

    # ---- drawing -------------------------------------------------------------------------------
    def _relabel(self):
        """Redraw the static layer (class names on the axes) only when the classes really changed."""
        names = self.state.class_names
        if names == getattr(self, "_drawn_names", None):
            return
        self._drawn_names = list(names)
        n = len(names)
        axes = ((self.p_axes, text.P_TITLE, (0, 1.08)), (self.grad_axes, text.GRAD_TITLE, (-1.08, 1.08)))
        for ax, title, ylim in axes:
            ax.clear()
            ax.set_xlim(-0.6, n - 0.4)
            ax.set_ylim(*ylim)
            ax.set_xticks(range(n), [s[:10] for s in names], fontsize=8, rotation=30 if n > 5 else 0)
            ax.set_title(title, fontsize=10)
            ax.axhline(0, color="#888888", lw=0.8)
            ax.grid(True, axis="y", color="#dddddd", lw=0.6)
        self.figure.refresh_static()

    def redraw(self):
        state = self.state
        r = state.report()
        out = []
        for i, (pi, yi) in enumerate(zip(r.probabilities, r.y)):
            out.append(_bar(i, 0, pi, CLASS_COLORS[1], 0))
            if yi:
                out.append(marks.line([i - 0.35, i - 0.35, i + 0.35, i + 0.35], [0, 1, 1, 0], color=INK, width=1.5,
                                      dash=[4, 3]))
            out.append(marks.text(i, min(pi, 0.9) + 0.06, f"{pi:.3f}", size=10))
            diff = pi - yi
            out.append(_bar(i, 0, diff, "#59a14f" if diff < 0 else WRONG, 1))
            out.append(marks.text(i, _label_y(diff), f"{diff:+.3f}".replace("-", "−"), size=10, axes=1))
        self.figure.update(out)
        self.table.value = tables.table(state)
        self.summary.value = tables.summary(state)


def logit_range(values) -> tuple[float, float]:
    """The logit sliders' common range: -10..10 while every logit fits, else one centred on the logits with room
    on both sides (logits 1000, 999, 990 get 985..1005), so the handles show how the logits differ."""
    lo, hi = min(values), max(values)
    if LOGIT_RANGE[0] < lo and hi < LOGIT_RANGE[1]:
        return LOGIT_RANGE
    half = max(LOGIT_RANGE[1], math.ceil((hi - lo) / 2) + 5.0)
    centre = round((lo + hi) / 2)
    return centre - half, centre + half


def place(slider, value: float, bounds: tuple[float, float]) -> None:
    """Show ``value`` on ``slider`` with the range ``bounds`` (``anchor`` then puts the step grid through it)."""
    if getattr(slider, "_nnw_range", None) != bounds:
        slider._nnw_range = bounds  # ``anchor`` keeps this range around the value
        with slider.hold_trait_notifications():  # min, max and value are checked together at the end
            slider.max, slider.min, slider.value = max(bounds[1], value), min(bounds[0], value), value
    anchor(slider, value)


def _label_y(diff: float) -> float:
    """Where the p − y label goes: just past the bar's end, or just inside it when the end is near the frame."""
    outward = 0.08 if diff >= 0 else -0.08
    return float(diff + outward if abs(diff) < 0.85 else diff - outward)


def _bar(i, bottom, top, color, axes):
    lo, hi = sorted((bottom, float(top)))
    return marks.polygon([i - 0.3, i + 0.3, i + 0.3, i - 0.3], [lo, lo, hi, hi], fill=color, alpha=0.85, axes=axes)
