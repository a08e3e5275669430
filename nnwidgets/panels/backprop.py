"""Chain-rule backprop stepper: any small jnp function as a computational graph, stepped node by node.

``BackpropState`` traces the function (``core.graph``), holds the inputs and the step position, and
derives every number shown; ``BackpropStepper`` adds the view. The forward pass visits every node in
order, the backward pass visits them again in reverse, each step showing upstream × local = downstream.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from traitlets import Dict, HasTraits, Int, Unicode, observe, validate

from .._validate import bounded_array
from ..core.graph import SIGMOID_MODES, input_names, trace_graph
from ..core.graph_eval import evaluate, finite_difference_program
from ..core.graph_rules import rule
from ._controls import DisplaysAsWidget
from ._traits import Checked, one_of
from .backprop_text import backward_lines, forward_line, show


@dataclass
class GraphNode:
    """One operation at the current step: ``value`` always, ``grad`` (∂f/∂this node) once the backward pass
    has reached it. Attributes can also be read as ``node["value"]``."""

    name: str
    op: str
    inputs: list
    value: object
    grad: object
    rule: str
    shape: tuple

    def __getitem__(self, key):
        return getattr(self, key)


def check_inputs(names: list[str], values: dict) -> dict:
    """``values`` as float (scalars) or float32 arrays, with every name of ``fn`` and no other."""
    missing = [n for n in names if n not in values]
    extra = [n for n in values if n not in names]
    signature = f"fn({', '.join(names)})"
    if missing:
        raise ValueError(f"missing input{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}: "
                         f"{signature} needs a value for each of {', '.join(names)}")
    if extra:
        raise ValueError(f"unknown input{'s' if len(extra) > 1 else ''} {', '.join(map(repr, extra))}: "
                         f"{signature} takes {', '.join(names)}")
    out = {}
    for name in names:
        value = values[name]
        if isinstance(value, (bool, np.bool_, str)) or value is None:
            raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}")
        array = bounded_array(name, value)
        if array.size == 0:
            raise ValueError(f"{name} must not be empty, got {value!r}")
        out[name] = float(array) if array.ndim == 0 else array.astype(np.float32)
    return out


class BackpropState(HasTraits):
    """A function of named inputs, its graph, and a position in the forward-then-backward walk."""

    inputs = Dict()
    sigmoid = Checked("as written", one_of(SIGMOID_MODES))
    position = Int(0)
    error = Unicode("")

    def __init__(self, fn, *, sigmoid: str = "as written", title: str = "", **inputs):
        self.fn = fn
        self.names = input_names(fn)  # TypeError for a non-callable
        if not self.names:
            raise ValueError(f"fn must take named inputs, such as lambda x, y: x * y, got {fn!r}")
        self.title = title
        self.graph = None
        super().__init__()
        self.sigmoid = sigmoid
        self.inputs = inputs

    # ---- validation and derived results -----------------------------------------------------------
    @validate("inputs")
    def _valid_inputs(self, proposal):
        values = self._reported(check_inputs, self.names, proposal["value"])
        shapes = {n: np.shape(v) for n, v in values.items()}
        retrace = self.graph is None or shapes != {n: s for n, (s, _) in self.graph.inputs.items()}
        self._compute(values, self.sigmoid, retrace)
        return values

    @validate("sigmoid")
    def _retrace(self, proposal):
        if self.inputs:
            self._compute(self.inputs, proposal["value"], retrace=True)
        return proposal["value"]

    def _compute(self, values, sigmoid, retrace):
        """Trace (when the structure changes) and evaluate; a rejected value leaves both as they were."""
        graph = self._reported(trace_graph, self.fn, values, sigmoid) if retrace else self.graph
        self.graph, self.evaluation = graph, self._reported(evaluate, graph, values)

    def _reported(self, function, *args):
        """``function(*args)``; its ValueError is also shown in ``error`` for the view."""
        try:
            return function(*args)
        except ValueError as err:
            self.error = str(err)
            raise

    @validate("position")
    def _clamp(self, proposal):
        return min(max(int(proposal["value"]), 0), self.total_steps)

    @observe("inputs", "sigmoid")
    def _accepted(self, change):
        self.error = ""
        self.position = min(self.position, self.total_steps)

    def set_input(self, name: str, value) -> None:
        """Change one input (the graph is re-traced only when its shape changes)."""
        if name not in self.names:
            raise ValueError(f"unknown input {name!r}: fn({', '.join(self.names)}) takes {', '.join(self.names)}")
        self.inputs = {**self.inputs, name: value}

    @property
    def output(self) -> float:
        return self.evaluation.output

    @property
    def gradients(self) -> dict:
        """∂f/∂input for every input: floats for scalar inputs, arrays for array inputs."""
        return {n: float(g) if np.ndim(self.inputs[n]) == 0 else g for n, g in self.evaluation.input_grads.items()}

    # ---- stepping ---------------------------------------------------------------------------------
    @property
    def total_steps(self) -> int:
        """Every node once forward, then once backward."""
        return 2 * len(self.graph.ops) if self.graph else 0

    @property
    def phase(self) -> str:
        """"forward" until every node is computed, "backward" while gradients flow back, then "done"."""
        n = len(self.graph.ops)
        return "forward" if self.position <= n else ("backward" if self.position < 2 * n else "done")

    def step(self) -> None:
        self.position += 1

    def back(self) -> None:
        self.position -= 1

    def reset(self) -> None:
        self.position = 0

    @property
    def current(self) -> int | None:
        """Index of the op the last step visited (forward or backward), or None before the first step."""
        n = len(self.graph.ops)
        if self.position == 0:
            return None
        return self.position - 1 if self.position <= n else 2 * n - self.position

    @property
    def current_direction(self) -> str | None:
        return None if self.position == 0 else ("forward" if self.position <= len(self.graph.ops) else "backward")

    def computed(self, k: int) -> bool:
        """Has the forward pass computed op ``k`` yet?"""
        return k < self.position

    def reached(self, k: int) -> bool:
        """Has the backward pass reached op ``k`` (so its gradient ∂f/∂op is known)?"""
        n = len(self.graph.ops)
        return self.position > n and k >= 2 * n - self.position

    def received(self, operand) -> list[tuple[str, np.ndarray]]:
        """(consumer name, gradient) for each use of ``operand`` the backward pass has processed so far."""
        return [(self.graph.ops[k].name, self.evaluation.sent[k][i]) for k, i in self.graph.consumers(operand)
                if self.reached(k) and i in self.evaluation.sent[k]][::-1]

    @property
    def nodes(self) -> list[GraphNode]:
        out = []
        for k, op in enumerate(self.graph.ops):
            glyph, words, symbols = rule(op.op)
            grad = self.evaluation.node_grads[k] if self.reached(k) and op.differentiable else None
            out.append(GraphNode(op.name, op.op, [self.operand_label(o) for o in op.operands],
                                 _plain(self.evaluation.values[k]), _plain(grad) if grad is not None else None,
                                 f"{words}: {symbols}", op.shape))
        return out

    def operand_label(self, operand) -> str:
        if operand.kind == "input":
            return operand.key
        if operand.kind == "node":
            return self.graph.ops[operand.key].name
        return show(operand.const)

    def operand_value(self, operand):
        if operand.kind == "input":
            return self.inputs[operand.key]
        if operand.kind == "node":
            return self.evaluation.values[operand.key]
        return operand.const

    def explain(self) -> list[str]:
        """The current step in words and numbers: one line forward, one line per operand backward."""
        k = self.current
        if k is None:
            return [f"Press step: the forward pass computes the {len(self.graph.ops)} nodes from left to right."]
        if self.current_direction == "forward":
            return [forward_line(self, k)]
        return backward_lines(self, k)

    # ---- checks -----------------------------------------------------------------------------------
    def gradient_check(self) -> dict:
        """The stepper's gradients against central finite differences of ``fn`` in float64 (h = 1e-6)."""
        shapes = {n: np.shape(v) for n, v in self.inputs.items()}
        if getattr(self, "_fd_shapes", None) != shapes:  # built once per input shapes: values never recompile
            self._fd, self._fd_shapes = finite_difference_program(self.fn, shapes), shapes
        numeric = self._fd(self.inputs)
        worst = 0.0
        for name, value in numeric.items():
            ours = np.asarray(self.evaluation.input_grads[name], float)
            scale = np.maximum(1.0, np.abs(value))
            worst = max(worst, float(np.max(np.abs(ours - value) / scale)))
        return {"finite_differences": numeric, "max_relative_difference": worst, "agree": worst < 1e-3}

    def warnings(self) -> list[str]:
        """Nodes whose value or gradient is not finite (log of a negative number, 0/0, ...)."""
        out = []
        for k, op in enumerate(self.graph.ops):
            for what, value in (("value", self.evaluation.values[k]), ("gradient", self.evaluation.node_grads[k])):
                if np.issubdtype(np.asarray(value).dtype, np.floating) and not np.all(np.isfinite(value)):
                    out.append(f"the {what} of {op.name} is {show(value)}: check its inputs "
                               f"({', '.join(self.operand_label(o) for o in op.operands)})")
        return out

    def __repr__(self):
        args = ", ".join(f"{n}={show(v)}" for n, v in self.inputs.items())
        return f"{type(self).__name__}({args}) -> {show(self.output)}, {len(self.graph.ops)} nodes, {self.phase}"


def _plain(value):
    value = np.asarray(value)
    return value.item() if value.ndim == 0 else value


class BackpropStepper(BackpropState, DisplaysAsWidget):
    """Step through the forward and the backward pass of ``fn`` with the numbers plugged in.

    >>> g = BackpropStepper(lambda x, y, z: (x + y) * z, x=-2.0, y=5.0, z=-4.0)
    >>> g.output, g.gradients
    (-12.0, {'x': -4.0, 'y': -4.0, 'z': 3.0})
    """

    def __init__(self, fn, *, sigmoid: str = "as written", title: str = "", **inputs):
        super().__init__(fn, sigmoid=sigmoid, title=title, **inputs)
        from .backprop_view import BackpropView

        self.view = BackpropView(self)
        self._root = self.view.widget

    @classmethod
    def presets(cls) -> dict[str, str]:
        """Every seed example by name, with what it shows."""
        from .backprop_presets import PRESETS

        return {name: p.description for name, p in PRESETS.items()}

    @classmethod
    def preset(cls, name: str, **kwargs) -> BackpropStepper:
        """A stepper on a seed example: ``BackpropStepper.preset("apple_orange")``."""
        from .backprop_presets import PRESETS

        key = one_of(PRESETS)("name", name)
        p = PRESETS[key]
        return cls(p.fn, title=p.title, **{**p.inputs, **kwargs})

    def control(self, name: str):
        """A widget of the panel: "step", "back", "reset", "position", "play", "sigmoid" or an input's name."""
        return self.view.controls[name]

    def to_png(self) -> bytes:
        return self.view.figure.to_png()

