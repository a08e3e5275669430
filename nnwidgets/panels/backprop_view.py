"""The view of the backprop stepper: the graph left to right, values above the nodes, gradients below."""
from __future__ import annotations

import ast
import html

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Circle, FancyBboxPatch

from ..core.graph import SIGMOID_MODES, Operand
from ..core.graph_rules import rule
from ..render import LayeredFigure, marks, new_figure
from ._controls import INK, message_html, table_html
from .backprop_text import show

VALUE, GRAD, CURRENT, EDGE, CONST = "#1b7f3b", "#c0392b", "#f28e2b", "#9a9a9a", "#8a8a8a"
RADIUS = 0.2


def layout(graph) -> dict:
    """Positions (x = layer, y = row) for ("input", name), ("node", k) and ("const", k, i).

    Inputs sit in layer 0, each op one layer right of its furthest operand; within a layer ops are
    ordered by the mean height of their operands, which keeps most edges from crossing.
    """
    pos = {("input", n): (0.0, -float(i)) for i, n in enumerate(graph.inputs)}
    layer = {}
    for k, op in enumerate(graph.ops):
        layer[k] = 1 + max([layer[o.key] if o.kind == "node" else 0 for o in op.operands if o.kind != "const"],
                           default=0)
    for depth in range(1, max(layer.values()) + 1):
        ops = [k for k in layer if layer[k] == depth]

        def height(k):
            ys = [pos[_key(o)][1] for o in graph.ops[k].operands if o.kind != "const"]
            return np.mean(ys) if ys else 0.0

        for row, k in enumerate(sorted(ops, key=lambda k: -height(k))):
            pos[("node", k)] = (float(depth), -float(row))
    rows = {}
    for (x, y) in pos.values():
        rows.setdefault(x, []).append(y)
    for key, (x, y) in list(pos.items()):  # centre every layer vertically
        pos[key] = (x, y + (len(rows[x]) - 1) / 2)
    for k, op in enumerate(graph.ops):
        consts = [i for i, o in enumerate(op.operands) if o.kind == "const"]
        x, y = pos[("node", k)]
        for j, i in enumerate(consts):
            pos[("const", k, i)] = (x - 0.5, y + 0.28 * (1 if j % 2 == 0 else -1) * (1 + j // 2))
    return pos


def _key(operand):
    return ("input", operand.key) if operand.kind == "input" else ("node", operand.key)


def label(value) -> str:
    """What fits next to a node: a number, three numbers, or a shape."""
    value = np.asarray(value)
    if value.ndim == 0 or value.size <= 3:
        return show(value, digits=3)
    return "×".join(map(str, value.shape))


class BackpropView:
    def __init__(self, state):
        self.state = state
        self._syncing = False
        self.figure = LayeredFigure(new_figure(640, 300))
        self.title = widgets.HTML()
        self.explanation, self.check, self.summary, self.status = (widgets.HTML() for _ in range(4))
        self.explanation.add_class("nnw-bp-explain")
        self.check.add_class("nnw-bp-check")
        self.summary.add_class("nnw-bp-summary")
        self.controls = self._build_controls()
        c = self.controls
        self.inputs_box = widgets.HBox([c[n] for n in state.names], layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([
            self.title, self.figure.canvas,
            widgets.HBox([c["back"], c["step"], c["reset"], c["play"], c["position"]]),
            self.explanation, self.inputs_box, c["sigmoid"], self.check, self.summary, self.status])
        state.observe(self._structure_changed, names=["sigmoid"])
        state.observe(self._values_changed, names=["inputs"])
        state.observe(self._stepped, names=["position"])
        state.observe(self._error, names=["error"])
        self._structure_changed()

    # ---- controls ---------------------------------------------------------------------------------
    def _build_controls(self):
        state = self.state
        button = lambda text, css, action: self._button(text, css, action)  # noqa: E731
        c = {"back": button("◀ back", "nnw-bp-back", state.back), "step": button("step ▶", "nnw-bp-step", state.step),
             "reset": button("reset", "nnw-bp-reset", state.reset),
             "position": widgets.IntSlider(value=state.position, min=0, max=state.total_steps, description="step",
                                           continuous_update=True, layout=widgets.Layout(width="340px")),
             "play": widgets.Play(min=0, max=state.total_steps, interval=700),
             "sigmoid": widgets.ToggleButtons(options=SIGMOID_MODES, value=state.sigmoid, description="sigmoid")}
        c["position"].add_class("nnw-bp-position")
        c["sigmoid"].add_class("nnw-bp-sigmoid")
        c["sigmoid"].style.button_width = "90px"
        # Play is linked in the kernel, not with jslink, so a slider press sends one message, not two.
        for name in ("position", "play"):
            c[name].observe(lambda ch: self._syncing or setattr(state, "position", ch["new"]), names="value")
        c["sigmoid"].observe(lambda ch: self._edit(lambda: setattr(state, "sigmoid", ch["new"])), names="value")
        for name in state.names:
            value = state.inputs[name]
            if np.ndim(value) == 0:
                box = widgets.FloatText(value=value, description=name, layout=widgets.Layout(width="170px"))
            else:
                box = widgets.Text(value=_list_text(value), description=name, continuous_update=False,
                                   layout=widgets.Layout(width="300px"))
            box.add_class(f"nnw-bp-input-{name}")
            box.observe(lambda ch, name=name: self._edit(lambda: state.set_input(name, _parse(name, ch["new"]))),
                        names="value")
            c[name] = box
        return c

    @staticmethod
    def _button(text, css, action):
        b = widgets.Button(description=text, layout=widgets.Layout(width="80px"))
        b.add_class(css)
        b.on_click(lambda _: action())
        return b

    def _edit(self, action):
        if self._syncing:  # a control the view itself moved
            return
        try:
            action()
        except ValueError as err:
            self.status.value = message_html("error", str(err))
            self._sync_controls()

    def _sync_controls(self):
        self._syncing = True
        try:
            self._move_controls()
        finally:
            self._syncing = False

    def _move_controls(self):
        state, c = self.state, self.controls
        for name in state.names:
            value = state.inputs[name]
            shown = value if np.ndim(value) == 0 else _list_text(value)
            if c[name].value != shown and not (np.ndim(value) and _same(c[name].value, value)):
                c[name].value = shown
        if c["sigmoid"].value != state.sigmoid:
            c["sigmoid"].value = state.sigmoid
        c["position"].max = c["play"].max = state.total_steps
        c["position"].value = c["play"].value = state.position

    def _error(self, change):
        if change["new"]:
            self.status.value = message_html("error", change["new"])

    # ---- drawing ----------------------------------------------------------------------------------
    def _structure_changed(self, change=None):
        """A new graph (sigmoid mode or input shapes): draw the static layer again."""
        state = self.state
        graph = state.graph
        self.positions = layout(graph)
        xs = [p[0] for p in self.positions.values()]
        ys = [p[1] for p in self.positions.values()]
        layers, rows = max(xs) + 1, max(ys) - min(ys) + 1
        width = int(np.clip(np.clip(900 / (layers + 0.6), 80, 125) * (layers + 0.6), 480, 1400))
        height = int(np.clip(80 * (rows + 0.9), 240, 900))
        self.figure.resize(width, height)
        x_span, y_span = max(xs) - min(xs) + 1.5, max(ys) - min(ys) + 1.5
        self._aspect = (x_span / width) / (y_span / height)  # y data units per x data unit, for round rings
        fig = self.figure.fig
        fig.clear()
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(min(xs) - 0.75, max(xs) + 0.75)
        ax.set_ylim(min(ys) - 0.75, max(ys) + 0.75)
        ax.axis("off")
        self._draw_static(ax)
        self.figure.refresh_static()
        self.title.value = f"<b>{html.escape(state.title)}</b>" if state.title else ""
        self._values_changed()

    def _draw_static(self, ax):
        graph, pos = self.state.graph, self.positions
        for k, op in enumerate(graph.ops):
            x1, y1 = pos[("node", k)]
            for i, o in enumerate(op.operands):
                x0, y0 = pos[("const", k, i)] if o.kind == "const" else pos[_key(o)]
                ax.annotate("", (x1 - RADIUS, y1), (x0 + (0.1 if o.kind == "const" else RADIUS), y0),
                            arrowprops=dict(arrowstyle="-|>", color=EDGE, lw=1.2, shrinkA=0, shrinkB=0))
                if o.kind == "const":
                    ax.text(x0, y0, show(o.const, 3), ha="right", va="center", fontsize=8, color=CONST,
                            bbox=dict(boxstyle="round,pad=0.2", fc="#f4f4f4", ec=CONST, lw=0.6))
            ax.add_patch(Circle((x1, y1), RADIUS, fc="white", ec=INK, lw=1.3, zorder=3))
            glyph = rule(op.op)[0]
            ax.text(x1, y1, glyph, ha="center", va="center", fontsize=11 if len(glyph) <= 2 else 8, zorder=4)
            ax.text(x1, y1 - RADIUS - 0.05, op.name, ha="center", va="top", fontsize=7, color="#666666", zorder=4)
        for name in graph.inputs:
            x, y = pos[("input", name)]
            ax.add_patch(FancyBboxPatch((x - 0.25, y - 0.13), 0.5, 0.26, boxstyle="round,pad=0.02", fc="#eef3fa",
                                        ec=INK, lw=1.1, zorder=3))
            ax.text(x, y, name, ha="center", va="center", fontsize=10, zorder=4)

    def _values_changed(self, change=None):
        state = self.state
        self._sync_controls()
        warnings = state.warnings()
        if not state.error:
            self.status.value = "".join(message_html("error", w) for w in warnings)
        check = state.gradient_check()
        verdict = "✓ agree" if check["agree"] else "✗ differ (a kink such as ReLU at 0, or a tie in max?)"
        self.check.value = (f"<div>gradient check against central finite differences (float64, h = 1e-6): "
                            f"largest relative difference {check['max_relative_difference']:.1e} {verdict}</div>")
        rows = [[n, html.escape(show(state.inputs[n])), html.escape(show(g))] for n, g in state.gradients.items()]
        self.summary.value = (f"<div><b>f = {html.escape(show(state.output))}</b></div>"
                              + table_html(["input", "value", "∂f/∂input"], rows, "nnw-bp-gradients"))
        self._stepped()

    def _stepped(self, change=None):
        state = self.state
        self.figure.update(self._marks())  # first: the picture is what the learner waits for
        self._sync_controls()
        phase = {"forward": "forward pass", "backward": "backward pass", "done": "done"}[state.phase]
        lines = "".join(f"<div style='font-family:monospace'>{html.escape(line)}</div>" for line in state.explain())
        self.explanation.value = (f"<div><b>step {state.position} of {state.total_steps}</b> · {phase}</div>"
                                  + lines)

    def _marks(self) -> list:
        state, graph, pos, ev = self.state, self.state.graph, self.positions, self.state.evaluation
        out, k = [], state.current
        if k is not None:
            x1, y1 = pos[("node", k)]
            color = CURRENT if state.current_direction == "forward" else GRAD
            for i, o in enumerate(graph.ops[k].operands):
                x0, y0 = pos[("const", k, i)] if o.kind == "const" else pos[_key(o)]
                out.append(marks.line([x0 + 0.1, x1 - RADIUS], [y0, y1], color=color, width=3.5, alpha=0.8))
            angle = np.linspace(0, 2 * np.pi, 33)
            r = RADIUS + 0.05
            out.append(marks.line(x1 + r * np.cos(angle), y1 + r * self._aspect * np.sin(angle), color=color, width=4))
        texts = []
        for name in graph.inputs:
            x, y = pos[("input", name)]
            texts.append((x, y + 0.22, label(state.inputs[name]), VALUE))
            got = state.received(Operand("input", name))
            if got:
                total = sum(np.asarray(g, float) for _, g in got)
                texts.append((x, y - 0.24, label(total), GRAD))
        for j, op in enumerate(graph.ops):
            x, y = pos[("node", j)]
            if state.computed(j):
                texts.append((x, y + RADIUS + 0.09, label(ev.values[j]), VALUE))
            if state.reached(j) and op.differentiable:
                texts.append((x, y - RADIUS - 0.26, label(ev.node_grads[j]), GRAD))
        for x, y, text, color in texts:
            out.append(marks.text(x, y, text, color=color, size=11, weight="bold"))
        return out


def _parse(name, text):
    """A number box's float, or a typed array such as [[1, 2], [3, 4]]."""
    if not isinstance(text, str):
        return text
    try:
        return np.asarray(ast.literal_eval(text), dtype=float)
    except (ValueError, SyntaxError, TypeError):
        raise ValueError(f"{name} must be a number or a list of numbers such as [1.0, 2.0], got {text!r}") from None


def _list_text(value) -> str:
    """An array as a list a learner can edit: float32 noise dropped (0.1, not 0.10000000149011612)."""
    return str(np.vectorize(lambda v: float(f"{v:.7g}"), otypes=[float])(np.asarray(value, float)).tolist())


def _same(text, value) -> bool:
    try:
        return np.array_equal(np.asarray(ast.literal_eval(text), float), np.asarray(value, float))
    except (ValueError, SyntaxError, TypeError):
        return False

