"""The view of the softmax calculator: inputs, bar charts of p and p − y, the seed-style table, the hand check."""
from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from ..render import LayeredFigure, marks, new_figure
from ._controls import (
    CLASS_COLORS,
    INK,
    WRONG,
    anchor,
    bind,
    float_slider,
    from_control,
    message_html,
    number,
    table_html,
)
from .softmax import MAX_CLASSES, SoftmaxState

BASE_NAMES = {"e": "ln", "2": "log2", "10": "log10"}
CHECK_FIELDS = ("exp", "sum", "probabilities", "loss")


def cell(value) -> str:
    """A table cell; overflow (inf) and nan are marked in red."""
    if np.isfinite(value):
        return number(float(value))
    return f"<span style='color:{WRONG};font-weight:700'>{'nan' if np.isnan(value) else 'inf'} ⚠</span>"


class SoftmaxView:
    def __init__(self, state: SoftmaxState):
        self.state = state
        self._relabeling = False
        fig = new_figure(600, 250)
        self.p_axes = fig.add_axes((0.08, 0.2, 0.4, 0.68))
        self.grad_axes = fig.add_axes((0.58, 0.2, 0.4, 0.68))
        self.figure = LayeredFigure(fig)
        self.table, self.summary, self.status = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.table.add_class("nnw-softmax-table")
        self.summary.add_class("nnw-softmax-summary")
        self.controls = {
            "target": widgets.Dropdown(description="target"),
            "log_base": widgets.ToggleButtons(options=[("ln", "e"), ("log2", "2"), ("log10", "10")],
                                              value=state.log_base, description="log"),
            "temperature": float_slider("T", state.temperature, "nnw-temperature", lo=0.1, hi=5.0, step=0.1),
            "show_naive": widgets.Checkbox(value=state.show_naive, description="show the naive formula (overflow)"),
        }
        self.controls["log_base"].style.button_width = "60px"
        for name in ("log_base", "temperature", "show_naive"):
            bind(state, name, self.controls[name])
        self.controls["target"].observe(self._target_picked, names="value")
        self.inputs = widgets.VBox()
        self._build_inputs()
        self.check_box, self.check_result = self._build_check()
        settings = widgets.VBox([self.controls["target"], self.controls["log_base"], self.controls["temperature"],
                                 self.controls["show_naive"]])
        self.widget = widgets.VBox([widgets.HBox([self.figure.canvas, settings]), self.inputs, self.table,
                                    self.summary, self.status, self.check_box])
        state.observe(self.redraw, names=["logits_input", "x", "W", "b", "target", "log_base", "temperature",
                                          "show_naive"])
        state.observe(self._sync_inputs, names=["logits_input", "x", "W", "b"])
        state.observe(self._relabel, names=["labels", "logits_input", "W"])
        state.observe(lambda c: c["new"] and setattr(self.status, "value", message_html("error", c["new"])),
                      names="error")
        self._relabel()

    # ---- inputs --------------------------------------------------------------------------------
    def _build_inputs(self):
        state = self.state
        if state.mode == "logits":
            self.classes = widgets.IntSlider(value=state.classes, min=2, max=MAX_CLASSES, description="classes")
            self.classes.observe(self._resize, names="value")
            self.logit_sliders, self.logit_boxes, rows = [], [], []
            for i in range(state.classes):
                slider = float_slider(f"z{i + 1}", state.logits_input[i], f"nnw-logit-{i}", lo=-10, hi=10, step=0.1)
                box = widgets.FloatText(value=state.logits_input[i], layout=widgets.Layout(width="90px"))
                for control in (slider, box):  # both write the state; _sync_inputs writes both back
                    control.observe(lambda c, i=i: self._set_logit(i, c["new"]), names="value")
                self.logit_boxes.append(box)
                label = widgets.Text(value=state.class_names[i], layout=widgets.Layout(width="100px"))
                label.observe(lambda c, i=i: self._set_label(i, c["new"]), names="value")
                self.logit_sliders.append(slider)
                rows.append(widgets.HBox([label, slider, box]))
            self.inputs.children = [self.classes] + rows
        else:
            self.inputs.children = [self._layer_grid(), self._nudge_row()]

    def _set_logit(self, i, value):
        values = list(self.state.logits_input)
        if i < len(values):
            value = from_control(value, values[i])
            if value is not None:
                values[i] = value
                self._try(setattr, self.state, "logits_input", values)

    def _set_label(self, i, text):
        names = list(self.state.class_names)
        names[i] = text
        self._try(setattr, self.state, "labels", names)

    def _resize(self, change):
        n, state = change["new"], self.state
        values = (list(state.logits_input) + [0.0] * n)[:n]
        with state.hold_trait_notifications():
            state.target = min(state.target, n - 1)
            state.labels = (list(state.labels) + [f"class {i + 1}" for i in range(len(state.labels), n)])[:n] \
                if state.labels else []
            state.logits_input = values

    def _layer_grid(self):
        state = self.state
        text = lambda v: widgets.FloatText(value=v, layout=widgets.Layout(width="88px"))  # noqa: E731
        self.x_boxes = [text(v) for v in state.x]
        self.W_boxes = [[text(v) for v in row] for row in state.W]
        self.b_boxes = [text(v) for v in state.b]
        for box in self.x_boxes + self.b_boxes + [b for row in self.W_boxes for b in row]:
            box.observe(self._layer_edited, names="value")
        head = widgets.HBox([widgets.HTML("<b>x</b>", layout=widgets.Layout(width="70px"))] + self.x_boxes)
        rows = [widgets.HBox([widgets.HTML(f"<b>W{i + 1}·</b>", layout=widgets.Layout(width="70px"))] + row
                             + [widgets.HTML("&nbsp;<b>b</b>"), self.b_boxes[i]]) for i, row in enumerate(self.W_boxes)]
        return widgets.VBox([widgets.HTML("<b>Linear layer</b> H = W x + b (W rows: one per class)"), head] + rows)

    def _layer_edited(self, change):
        values = {"x": [b.value for b in self.x_boxes], "W": [[b.value for b in row] for row in self.W_boxes],
                  "b": [b.value for b in self.b_boxes]}
        with self.state.hold_trait_notifications():
            for name, value in values.items():
                if getattr(self.state, name) != value:
                    self._try(setattr, self.state, name, value)

    def _nudge_row(self):
        parameter = widgets.Dropdown(options=self.state.parameters(), value="b2" if "b2" in self.state.parameters()
                                     else None, description="nudge", layout=widgets.Layout(width="180px"))
        delta = widgets.FloatText(value=1.0, description="by", layout=widgets.Layout(width="150px"))
        go, clear = widgets.Button(description="nudge"), widgets.Button(description="forget before")
        go.on_click(lambda _: self._try(self.state.nudge, parameter.value, delta.value) or self.redraw())
        clear.on_click(lambda _: (self.state.clear_baseline(), self.redraw()))
        return widgets.HBox([parameter, delta, go, clear])

    def _sync_inputs(self, change=None):
        """Controls follow values set in Python (a new number of classes or features rebuilds them)."""
        state = self.state
        if state.mode == "logits":
            if len(self.logit_sliders) != state.classes:
                self.classes.value = state.classes
                self._build_inputs()
            for slider, box, value in zip(self.logit_sliders, self.logit_boxes, state.logits_input):
                anchor(slider, value)
                box.value = value
            return
        if len(self.x_boxes) != len(state.x) or len(self.b_boxes) != len(state.b):
            self._build_inputs()
        for box, v in zip(self.x_boxes + self.b_boxes, list(state.x) + list(state.b)):
            box.value = v
        for row, values in zip(self.W_boxes, state.W):
            for box, v in zip(row, values):
                box.value = v

    def _target_picked(self, change):
        if self._relabeling:
            return
        if change["new"] is not None and change["new"] != self.state.target:
            self._try(setattr, self.state, "target", change["new"])

    def _try(self, action, *args):
        try:
            action(*args)
        except ValueError as err:  # the state kept its last valid values: show why, and put the controls back
            self.status.value = message_html("error", str(err))
            self._sync_inputs()

    # ---- hand check ------------------------------------------------------------------------------
    def _build_check(self):
        self.check_inputs = {name: widgets.Text(description=name, placeholder="e.g. 2.25, 0.48",
                                                layout=widgets.Layout(width="260px")) for name in CHECK_FIELDS}
        button = widgets.Button(description="Check my numbers", button_style="info")
        result = widgets.HTML()
        result.add_class("nnw-check-result")
        button.on_click(lambda _: self.run_check())
        intro = widgets.HTML("<b>Check my hand calculation</b>: type the numbers you worked out (leave out any step).")
        return widgets.VBox([intro, widgets.HBox(list(self.check_inputs.values())[:2]),
                             widgets.HBox(list(self.check_inputs.values())[2:]), button, result]), result

    def run_check(self):
        given = {k: w.value for k, w in self.check_inputs.items() if w.value.strip()}
        try:
            self.check_result.value = self.state.check(**given)._repr_html_()
        except ValueError as err:
            self.check_result.value = message_html("error", str(err))

    # ---- drawing -------------------------------------------------------------------------------
    def _relabel(self, change=None):
        """Redraw the static layer (class names on the axes) only when the classes really changed."""
        names = self.state.class_names
        if names == getattr(self, "_drawn_names", None):
            return
        self._drawn_names = list(names)
        self._relabeling = True  # new options reset a Dropdown's value: that is not the learner's choice
        try:
            self.controls["target"].options = [(f"{i + 1}: {n}", i) for i, n in enumerate(names)]
            self.controls["target"].value = self.state.target
        finally:
            self._relabeling = False
        n = len(names)
        for ax, title, ylim in ((self.p_axes, "p (bars) and one-hot y (outline)", (0, 1.08)),
                                (self.grad_axes, "p − y", (-1.08, 1.08))):
            ax.clear()
            ax.set_xlim(-0.6, n - 0.4)
            ax.set_ylim(*ylim)
            ax.set_xticks(range(n), [s[:10] for s in names], fontsize=8, rotation=30 if n > 5 else 0)
            ax.set_title(title, fontsize=10)
            ax.axhline(0, color="#888888", lw=0.8)
            ax.grid(True, axis="y", color="#dddddd", lw=0.6)
        self.figure.refresh_static()
        self.redraw()

    def redraw(self, change=None):
        state = self.state
        if self.controls["target"].value != state.target:
            self.controls["target"].value = state.target
        r = state.report()
        p, y = r["probabilities"], r["y"]
        out = []
        for i, (pi, yi) in enumerate(zip(p, y)):
            out.append(_bar(i, 0, pi, CLASS_COLORS[1], 0))
            if yi:
                out.append(marks.line([i - 0.35, i - 0.35, i + 0.35, i + 0.35], [0, 1, 1, 0], color=INK, width=1.5,
                                      dash=[4, 3]))
            out.append(marks.text(i, min(pi, 0.9) + 0.06, f"{pi:.3f}", size=10))
            diff = pi - yi
            out.append(_bar(i, 0, diff, "#59a14f" if diff < 0 else WRONG, 1))
            out.append(marks.text(i, diff + (0.08 if diff >= 0 else -0.08), f"{diff:+.3f}", size=10, axes=1))
        self.figure.update(out)
        self.table.value = self._table(r)
        self.summary.value = self._summary(r)
        if not state.error:
            self.status.value = ""

    def _table(self, r) -> str:
        state, base = self.state, BASE_NAMES[self.state.log_base]
        t = state.temperature
        header = ["class", "z" if state.mode == "logits" else "z = H = W x + b"] + (["z / T"] if t != 1 else []) + ["e^z" if t == 1 else "e^(z/T)", "p", "y",
                                                                   f"−{base} p", "∂L/∂z"]
        if state.show_naive:
            header += ["e^(z − max) (stable)", "naive p = e^z / Σ e^z"]
        before = state.baseline
        if before:
            header += ["p before"]
        rows = []
        scale = {"e": 1.0, "2": np.log(2), "10": np.log(10)}[state.log_base]
        for i, name in enumerate(state.class_names):
            row = [html.escape(name), number(r["logits"][i])] + ([number(r["logits"][i] / t)] if t != 1 else [])
            row += [cell(r["exp"][i]), number(r["probabilities"][i]), int(r["y"][i]),
                    cell(-r["log_p"][i] / scale), number(r["grad_logits"][i])]
            if state.show_naive:
                row += [number(r["shifted_exp"][i]), cell(r["naive_p"][i])]
            if before:
                row += [number(before["probabilities"][i])]
            rows.append(row)
        return table_html(header, rows, "nnw-table", bad_rows=[state.target], highlight="#e3edf7")  # the target row

    def _summary(self, r) -> str:
        state, base = self.state, BASE_NAMES[self.state.log_base]
        target = state.class_names[state.target]
        lines = [f"Σ e^z = {cell(r['sum'])}",
                 f"cross-entropy = −{base} p({html.escape(target)}) = <b>{number(r['loss'])}</b>"]
        if state.log_base != "e":
            lines[-1] += (f" &nbsp;·&nbsp; with the natural log, as every framework computes it: "
                          f"<b>{number(r['loss_ln'])}</b> (a {base} loss is the ln loss divided by ln {state.log_base})")
        lines.append(f"MSE = mean over classes of (p − y)² = {number(r['mse'])}")
        lines.append("∂L/∂z = (p − y)" + (f" / (T·ln {state.log_base})" if state.log_base != "e" or state.temperature != 1
                                          else "") + ": the gradient the network receives")
        binary = state.binary_view()
        if binary is not None:
            p1, bce = binary
            lines.append(f"Binary view: σ(z2 − z1) = {number(p1)} = p({html.escape(state.class_names[1])}), and "
                         f"binary cross-entropy = {number(bce)} = the ln loss: a sigmoid is a 2-class softmax.")
        if not np.all(np.isfinite(r["exp"])):
            lines.append(f"<span style='color:{WRONG}'>e^z overflows float32 above z ≈ 88.7, so the naive formula "
                         "gives inf / inf = nan.</span> Every number above subtracts max z first (log-sum-exp): "
                         "the factor e^−max cancels, and every exponent is ≤ 0.")
        if state.baseline:
            b = state.baseline
            lines.append(f"After {b['parameter']} {'+' if b['delta'] >= 0 else '−'}= {number(abs(b['delta']))}: "
                         f"loss {number(b['loss'])} → {number(r['loss'])}")
        return "<br>".join(lines)


def _bar(i, bottom, top, color, axes):
    lo, hi = sorted((bottom, float(top)))
    return marks.polygon([i - 0.3, i + 0.3, i + 0.3, i - 0.3], [lo, lo, hi, hi], fill=color, alpha=0.85, axes=axes)
