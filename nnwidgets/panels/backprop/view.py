"""The view of the backprop stepper: the graph left to right, values above the nodes, gradients below."""
from __future__ import annotations

import ast
import html

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Circle, FancyBboxPatch

from ...core.graph import SIGMOID_MODES, Operand, has_sigmoid
from ...core.graph_rules import rule
from ...i18n import translated
from ...render import LayeredFigure, marks, new_figure
from .._controls import INK, bind, message_html, table_html
from . import text
from .layout import INPUT_BOX, RADIUS, const_label, label, layout
from .presets import PRESETS
from .state import BackpropState

VALUE, GRAD, CURRENT, EDGE, CONST, NAME = "#1b7f3b", "#c0392b", "#f28e2b", "#9a9a9a", "#8a8a8a", "#555555"
TEXT_PT = 9  # the smallest text in the figure: 9 pt at 100 dpi is 12.5 px
MARK_PX = 12  # values and gradients drawn on the canvas
MIN_WIDTH, MIN_HEIGHT, MAX_WIDTH, MAX_HEIGHT = 480, 240, 1400, 900
LABEL_CHARS = {1: 9, 2: 16, 3: 22}  # the widest label of a value with this many numbers (larger: its shape)


class BackpropView(widgets.VBox):
    """The panel's root widget: step buttons and slider, the graph, the explanation, the inputs and the check."""

    def __init__(self, state: BackpropState):
        super().__init__()
        self.state = state
        self.figure = LayeredFigure(new_figure(640, 300), draw=False)  # drawn by _refresh below
        self.title, self.explanation, self.check, self.summary, self.status = (widgets.HTML() for _ in range(5))
        self.add_class("nnw-bp-panel")
        self.explanation.add_class("nnw-bp-explain")
        self.check.add_class("nnw-bp-check")
        self.summary.add_class("nnw-bp-summary")
        self.inputs_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.controls = self._build_controls()
        c = self.controls
        self._drawn = None  # (graph, node names) the static layer shows
        self.children = [self.title, self.figure.canvas,
                         widgets.HBox([c["back"], c["step"], c["reset"], c["play"], c["position"]]),
                         self.explanation, self.inputs_box, c["sigmoid"], self.check, self.summary, self.status]
        state.observe(self._refresh, names="revision")
        state.observe(self._show_error, names="error")
        self._refresh()

    # ---- controls -------------------------------------------------------------------------------------------
    def _build_controls(self) -> dict:
        state = self.state
        c = {"back": self._button(text.BACK, "nnw-bp-back", state.back),
             "step": self._button(text.STEP, "nnw-bp-step", state.step),
             "reset": self._button(text.RESET, "nnw-bp-reset", state.reset),
             "position": widgets.IntSlider(value=state.position, min=0, max=state.total_steps,
                                           description=text.POSITION, continuous_update=True,
                                           layout=widgets.Layout(width="340px")),
             "play": widgets.Play(value=state.position, min=0, max=state.total_steps, interval=700),
             "sigmoid": widgets.ToggleButtons(options=[(text.SIGMOID_MODES[m], m) for m in SIGMOID_MODES],
                                              value=state.sigmoid, description=text.SIGMOID)}
        c["position"].add_class("nnw-bp-position")
        c["sigmoid"].add_class("nnw-bp-sigmoid")
        c["sigmoid"].style.button_width = "90px"
        # the slider ranges follow the graph before bind moves the value (observers run in the order registered)
        state.observe(lambda change: self._fit_ranges(), names="position")
        # Play is bound in the kernel, not with jslink, so a slider press sends one message, not two.
        bind(state, "position", c["position"])
        bind(state, "position", c["play"])
        bind(state, "sigmoid", c["sigmoid"])
        return c

    @staticmethod
    def _button(description, css, action):
        # at least 80 px, wider for a longer label ("◀ 이전 단계" needs 88 px): a button never cuts its text
        b = widgets.Button(description=description, layout=widgets.Layout(width="auto", min_width="80px"))
        b.add_class(css)
        b.on_click(lambda _: action())
        return b

    def _input_box(self, name):
        """A number box (scalar input) or a list box (array input), sending edits to ``set_input``."""
        value = self.state.inputs[name]
        if np.ndim(value) == 0:
            box = widgets.FloatText(value=value, description=name, layout=widgets.Layout(width="170px"))
        else:
            box = widgets.Text(value=list_text(value), description=name, continuous_update=False,
                               layout=widgets.Layout(width="300px"))
        box.add_class(f"nnw-bp-input-{name}")

        def to_state(change):
            current = self.state.inputs.get(name)
            if current is None or _same(change["new"], current):
                return
            try:
                value = parse_input(name, change["new"])
            except ValueError as err:  # text that is no list of numbers never reaches the state
                box.value = _shown(current)
                self.status.value = message_html("error", str(err))
                return
            try:
                self.state.set_input(name, value)
            except ValueError:  # the state shows why in ``error``; the box goes back
                box.value = _shown(self.state.inputs[name])

        box.observe(to_state, names="value")
        return box

    def _fit_ranges(self):
        total = self.state.total_steps
        for name in ("position", "play"):
            if self.controls[name].max != total:
                self.controls[name].max = total

    def _sync_inputs(self):
        """One box per input of the current function, each showing the state's value."""
        names = list(self.state.inputs)
        if [b.description for b in self.inputs_box.children] != names or any(
                isinstance(self.controls[n], widgets.FloatText) != (np.ndim(self.state.inputs[n]) == 0)
                for n in names):
            for old in self.inputs_box.children:
                self.controls.pop(old.description, None)
            boxes = [self._input_box(n) for n in names]
            self.controls.update(zip(names, boxes))
            self.inputs_box.children = boxes
        for name in names:
            box, value = self.controls[name], self.state.inputs[name]
            if not _same(box.value, value):
                box.value = _shown(value)

    def _show_error(self, change):
        self.status.value = message_html("error", change["new"]) if change["new"] else ""

    # ---- drawing --------------------------------------------------------------------------------------------
    def _refresh(self, change=None):
        """After every accepted (or rolled back) change: redraw what changed."""
        state = self.state
        self._fit_ranges()
        if self._drawn is None or self._drawn[0] is not state.graph or self._drawn[1] != _names(state.graph):
            self._draw_structure()
        self._sync_inputs()
        self.title.value = f"<b>{html.escape(shown_title(state))}</b>" if state.title else ""  # a new title too
        check = state.gradient_check()
        verdict = text.AGREE if check["agree"] else text.DIFFER
        self.check.value = "<div>" + html.escape(text.CHECK_LINE.format(
            difference=check["max_relative_difference"], verdict=verdict)) + "</div>"
        rows = [[html.escape(n), html.escape(text.show(state.inputs[n])), html.escape(text.show(g))]
                for n, g in state.gradients.items()]
        self.summary.value = (f"<div><b>{html.escape(text.OUTPUT_LINE.format(value=text.show(state.output)))}"
                              "</b></div>" + table_html(text.GRADIENT_TABLE, rows, "nnw-bp-gradients"))
        self.figure.update(self._marks())
        phase = text.PHASES[state.phase]
        lines = "".join(f"<div style='font-family:monospace'>{html.escape(line)}</div>" for line in state.explain())
        step = text.STEP_LINE.format(position=state.position, total=state.total_steps)
        self.explanation.value = f"<div><b>{step}</b> · {html.escape(phase)}</div>" + lines

    def _draw_structure(self):
        """A new graph (function, sigmoid mode, input shapes or names): draw the static layer again."""
        state = self.state
        self._drawn = (state.graph, _names(state.graph))
        self.drawing = layout(state.graph)
        xs = [p[0] for p in self.drawing.positions.values()]
        ys = [p[1] for p in self.drawing.positions.values()]
        x_span, y_span = max(xs) - min(xs) + 1.5, max(ys) - min(ys) + 1.5
        widest = max([9] + [LABEL_CHARS.get(int(np.prod(op.shape)), 5) for op in state.graph.ops])
        unit = min(max(np.clip(900 / x_span, 90, 125), 7 * widest + 10),  # px per data unit: labels fit
                   MAX_WIDTH / x_span, MAX_HEIGHT / y_span)
        width, height = int(max(MIN_WIDTH, unit * x_span)), int(max(MIN_HEIGHT, unit * y_span))
        self.figure.resize(width, height)
        fig = self.figure.fig
        fig.clear()
        ax = fig.add_axes((0, 0, 1, 1))
        x_mid, y_mid = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        ax.set_xlim(x_mid - width / unit / 2, x_mid + width / unit / 2)  # one scale on both axes: circles are round
        ax.set_ylim(y_mid - height / unit / 2, y_mid + height / unit / 2)
        ax.axis("off")
        self._draw_static(ax)
        self.figure.refresh_static()
        self.controls["sigmoid"].layout.display = None if has_sigmoid(state.graph) else "none"  # nothing to fold

    def _draw_static(self, ax):
        graph, drawing = self.state.graph, self.drawing
        pos = drawing.positions
        for route in drawing.routes.values():
            xs, ys = zip(*route)
            ax.plot(xs[:-1], ys[:-1], color=EDGE, lw=1.2, solid_capstyle="butt")
            ax.annotate("", route[-1], route[-2], arrowprops=dict(arrowstyle="-|>", color=EDGE, lw=1.2,
                                                                  shrinkA=0, shrinkB=0))
        for k, op in enumerate(graph.ops):
            x1, y1 = pos[("node", k)]
            for i, o in enumerate(op.operands):
                if o.kind == "const":
                    x0, y0 = pos[("const", k, i)]
                    w, h = drawing.boxes[("const", k, i)]
                    ax.add_patch(FancyBboxPatch((x0 - w, y0 - h), 2 * w, 2 * h, boxstyle="round,pad=0.01",
                                                fc="#f4f4f4", ec=CONST, lw=0.8, zorder=3))
                    ax.text(x0, y0, const_label(o.const), ha="center", va="center", fontsize=TEXT_PT, color=INK,
                            zorder=4)
            ax.add_patch(Circle((x1, y1), RADIUS, fc="white", ec=INK, lw=1.3, zorder=3))
            glyph = rule(op.op)[0]
            ax.text(x1, y1, glyph, ha="center", va="center", fontsize=13 if len(glyph) <= 2 else TEXT_PT, zorder=4)
            ax.text(x1, y1 - RADIUS - 0.07, op.name, ha="center", va="top", fontsize=TEXT_PT, color=NAME, zorder=4)
        w, h = INPUT_BOX
        for name in graph.inputs:
            x, y = pos[("input", name)]
            ax.add_patch(FancyBboxPatch((x - w, y - h), 2 * w, 2 * h, boxstyle="round,pad=0.02", fc="#eef3fa",
                                        ec=INK, lw=1.1, zorder=3))
            ax.text(x, y, name, ha="center", va="center", fontsize=10, zorder=4)

    def _marks(self) -> list:
        state, graph, ev = self.state, self.state.graph, self.state.evaluation
        pos, routes = self.drawing.positions, self.drawing.routes
        out, k = [], state.current
        if k is not None:
            x1, y1 = pos[("node", k)]
            color = CURRENT if state.current_direction == "forward" else GRAD
            for i in range(len(graph.ops[k].operands)):
                xs, ys = zip(*routes[(k, i)])
                out.append(marks.line(list(xs), list(ys), color=color, width=3.5, alpha=0.8))
            angle = np.linspace(0, 2 * np.pi, 33)
            r = RADIUS + 0.05
            out.append(marks.line(x1 + r * np.cos(angle), y1 + r * np.sin(angle), color=color, width=4))
        texts = []
        for name in graph.inputs:
            x, y = pos[("input", name)]
            texts.append((x, y + 0.22, label(state.inputs[name]), VALUE))
            total = state.received_total(Operand("input", name))
            if total is not None:
                texts.append((x, y - 0.24, label(total), GRAD))
        for j, op in enumerate(graph.ops):
            x, y = pos[("node", j)]
            if state.computed(j):
                texts.append((x, y + RADIUS + 0.09, label(ev.values[j]), VALUE))
            if state.reached(j) and op.differentiable:
                texts.append((x, y - RADIUS - 0.36, label(ev.node_grads[j]), GRAD))
        for x, y, words, color in texts:
            out.append(marks.text(x, y, words, color=color, size=MARK_PX, weight="bold"))
        return out


def shown_title(state) -> str:
    """The title as the learner reads it: a preset's own title in the language in force, any other as it is."""
    preset = PRESETS.get(state.preset_name)
    if preset is not None and state.title == preset.title:
        return translated(preset.title)
    return state.title


def parse_input(name, typed):
    """A number box's float, or a typed array such as [[1, 2], [3, 4]] (literals only: never evaluated)."""
    if not isinstance(typed, str):
        return typed
    try:
        return np.asarray(ast.literal_eval(typed), dtype=float)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise ValueError(text.TYPED_ARRAY.format(name=name, value=typed)) from None


def list_text(value) -> str:
    """An array as a list a learner can edit: float32 noise dropped (0.1, not 0.10000000149011612)."""
    return str(np.vectorize(lambda v: float(f"{v:.7g}"), otypes=[float])(np.asarray(value, float)).tolist())


def _names(graph) -> tuple:
    return tuple(op.name for op in graph.ops)


def _shown(value):
    return value if np.ndim(value) == 0 else list_text(value)


def _same(typed, value) -> bool:
    """Does what a box holds mean ``value`` (a float, or the text of a list)?"""
    if not isinstance(typed, str):
        return np.ndim(value) == 0 and typed == value
    try:
        dtype = np.asarray(value).dtype
        return np.array_equal(np.asarray(ast.literal_eval(typed), dtype), np.asarray(value))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
