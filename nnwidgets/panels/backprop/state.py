"""The backprop stepper's state: which function (a preset, a formula or a Python function), its inputs, the step.

``BackpropState`` traces the function (``core.graph``), evaluates it node by node (``core.graph_eval``) and holds
the position in the forward-then-backward walk. Every change is one transaction (``PanelState``): inputs outside
the function's domain (log of a negative number, 1/0), a position past the last step, a function that changes
between calls or is too big to draw are refused with a sentence naming the parameter, and nothing changes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from traitlets import Int

from ..._validate import shown
from ...core.formula import CONSTANTS, FUNCTIONS, MAX_LENGTH, parse_formula
from ...core.graph import SIGMOID_MODES, input_names, name_nodes, trace_graph
from ...core.graph_eval import evaluate, finite_difference_program, first_non_finite
from ...core.graph_names import check_names
from ...core.graph_rules import rule
from ...i18n import speaking
from .._state import PanelState
from .._traits import Checked, one_of
from . import settings as valid
from . import text
from .presets import PRESETS

TABS = ("graph",)
DEFAULT_PRESET = "add_mul"
MAX_TITLE = 200


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
    op_name: str = ""  # the op's own name ("mul_2"), the key of a ``names`` override

    def __getitem__(self, key):
        return getattr(self, key)


class BackpropState(PanelState):
    """A function of named inputs, its graph, and a position in the forward-then-backward walk."""

    SETTINGS = ("tab", "preset_name", "formula", "title", "inputs", "names", "sigmoid", "position")

    tab = Checked(TABS[0], one_of(TABS))
    preset_name = Checked(DEFAULT_PRESET, valid.preset_name)
    formula = Checked("", valid.short_text(MAX_LENGTH))
    title = Checked(PRESETS[DEFAULT_PRESET].title, valid.short_text(MAX_TITLE))
    inputs = Checked(dict(PRESETS[DEFAULT_PRESET].inputs), valid.inputs_dict)
    names = Checked(dict(PRESETS[DEFAULT_PRESET].names), valid.names_dict)
    sigmoid = Checked("as written", one_of(SIGMOID_MODES))
    position = Checked(0, valid.position)
    revision = Int(0, help="derived: counts accepted changes, so a view redraws once per change")

    def __init__(self, fn=None, *, sigmoid: str = "as written", title: str | None = None, position: int = 0,
                 preset_name: str | None = None, names: dict | None = None, **inputs):
        super().__init__()
        self._fn = None  # a Python function given to the constructor (cannot be saved)
        self._graphs, self._evaluations, self._checks, self._formulas = {}, {}, {}, {}
        settings = {"sigmoid": sigmoid}
        if isinstance(fn, str):
            settings |= {"preset_name": "", "formula": fn}
        elif fn is None:
            settings |= {"preset_name": DEFAULT_PRESET if preset_name is None else preset_name, "formula": ""}
        elif callable(fn):
            input_names(fn)  # a TypeError for a callable without a signature
            self._fn = fn
            settings |= {"preset_name": "", "formula": ""}
        else:
            raise TypeError(text.FN_TYPE.format(value=shown(fn)))
        if inputs or fn is not None:
            settings["inputs"] = inputs
        if title is not None:
            settings["title"] = title
        if names is not None:
            settings["names"] = names
        settings["position"] = position
        checked = {name: self.traits()[name].check(name, value) for name, value in settings.items()}
        values = {name: getattr(self, name) for name in self.SETTINGS} | checked
        self.check_together(values, set(settings))  # the function's own messages, without the transaction's prefix
        self.set(**settings)

    # ---- the function, checked as a whole -------------------------------------------------------------------
    def _function(self, values: dict):
        """(key, fn, input names) of the function ``values`` describe."""
        preset, formula = values["preset_name"], values["formula"]
        if preset:
            return ("preset", preset), PRESETS[preset].fn, input_names(PRESETS[preset].fn)
        if formula:
            names = list(values["inputs"])
            for name in names:
                if not name.isidentifier() or name in FUNCTIONS or name in CONSTANTS:
                    raise ValueError(text.INPUT_NAME.format(name=repr(name)))
            key = ("formula", formula, tuple(names))
            if key not in self._formulas:  # one function per formula: its programs are compiled once
                self._formulas = {**dict(list(self._formulas.items())[-7:]),
                                  key: parse_formula(formula, variables=names, name="formula").fn}
            return key, self._formulas[key], names
        if self._fn is None:
            raise ValueError(text.NO_FUNCTION.format(names=", ".join(PRESETS)))
        names = input_names(self._fn)
        if not names:
            raise ValueError(text.NO_NAMED_INPUTS.format(value=shown(self._fn)))
        return ("fn", id(self._fn)), self._fn, names

    def check_together(self, values: dict, changed: set) -> dict:
        adjusted = {}
        if "preset_name" in changed and values["preset_name"] and "formula" not in changed:
            adjusted["formula"] = ""
        if "formula" in changed and values["formula"] and "preset_name" not in changed:
            adjusted["preset_name"] = ""
        values = values | adjusted
        if values["preset_name"] and values["formula"]:
            raise ValueError(text.BOTH_SOURCES.format(preset=values["preset_name"], formula=values["formula"]))
        preset = values["preset_name"]
        if preset and "preset_name" in changed and "inputs" not in changed:
            adjusted["inputs"] = dict(PRESETS[preset].inputs)
        if "names" not in changed and changed & {"preset_name", "formula"}:  # another function: its own names
            adjusted["names"] = dict(PRESETS[preset].names) if preset else {}
        if "title" not in changed and changed & {"preset_name", "formula"}:
            adjusted["title"] = PRESETS[preset].title if preset else (text.FORMULA_TITLE.format(
                names=", ".join(values["inputs"]), formula=values["formula"]) if values["formula"] else "")
        values = values | adjusted
        key, fn, names = self._function(values)
        inputs = valid.check_inputs(names, values["inputs"])
        graph, evaluation = self._derive(key, fn, inputs, values["sigmoid"])
        total = 2 * len(graph.ops)
        if "position" in changed and not 0 <= values["position"] <= total:
            raise ValueError(text.POSITION_RANGE.format(total=total, value=values["position"]))
        adjusted["inputs"] = inputs
        if values["position"] > total:
            adjusted["position"] = total
        op_names = [op.op_name for op in graph.ops]
        names_given = (values | adjusted)["names"]
        if "names" not in changed:  # a sigmoid mode without some of the named nodes: those names rest
            adjusted["names"] = names_given = {k: v for k, v in names_given.items() if k in op_names}
        check_names(names_given, op_names, names)
        name_nodes(graph, names_given)
        self.fn, self.input_names, self.graph, self.evaluation = fn, names, graph, evaluation  # observers see them
        return adjusted

    def _derive(self, key, fn, inputs: dict, sigmoid: str):
        """The graph (traced once per function, shapes and sigmoid mode) and its evaluation at ``inputs``."""
        shapes = tuple((n, np.shape(v)) for n, v in inputs.items())
        graph = self._graphs.get((key, shapes, sigmoid))
        if graph is None:
            graph = trace_graph(fn, inputs, sigmoid)
            self._graphs = {**dict(list(self._graphs.items())[-7:]), (key, shapes, sigmoid): graph}
        values = tuple((n, np.asarray(v).tobytes()) for n, v in inputs.items())
        evaluation = self._evaluations.get((id(graph), values))
        if evaluation is None:
            evaluation = evaluate(graph, inputs)
            self._refuse_non_finite(graph, evaluation, inputs)
            self._evaluations = {**dict(list(self._evaluations.items())[-3:]), (id(graph), values): evaluation}
        return graph, evaluation

    @staticmethod
    def _refuse_non_finite(graph, evaluation, inputs):
        found = first_non_finite(graph, evaluation)
        if found is None:
            return
        names = found.inputs or tuple(inputs)
        value = evaluation.values[found.node] if found.what == "value" else evaluation.node_grads[found.node]
        template = text.OUTSIDE_DOMAIN_ONE if len(names) == 1 else text.OUTSIDE_DOMAIN_MANY
        raise ValueError(template.format(inputs=", ".join(f"{n} = {text.show(inputs[n])}" for n in names),
                                         what=text.WHAT[found.what], node=graph.ops[found.node].name,
                                         value=text.show(value)))

    def after_change(self, changed: set) -> None:
        values = {name: getattr(self, name) for name in self.SETTINGS}
        key, fn, names = self._function(values)
        self.fn, self.input_names = fn, names
        self.graph, self.evaluation = self._derive(key, fn, values["inputs"], values["sigmoid"])
        name_nodes(self.graph, values["names"])
        self.revision += 1

    def to_dict(self) -> dict:
        """Every setting as JSON data; a panel built from a Python function cannot be saved (ValueError)."""
        if not self.preset_name and not self.formula:
            with speaking(self._language_in_force()):
                raise ValueError(text.NOT_SAVABLE)
        return super().to_dict()

    # ---- inputs and results -------------------------------------------------------------------------------
    def set_input(self, name: str, value) -> None:
        """Change one input (the graph is re-traced only when its shape changes)."""
        if name not in self.input_names:
            with speaking(self._language_in_force()):
                raise ValueError(text.NOT_AN_INPUT.format(name=name, signature=f"fn({', '.join(self.input_names)})",
                                                          all=", ".join(self.input_names)))
        self.inputs = {**self.inputs, name: value}

    @property
    def output(self) -> float:
        return self.evaluation.output

    @property
    def gradients(self) -> dict:
        """∂f/∂input for every input: floats for scalar inputs, arrays for array inputs."""
        return {n: float(g) if np.ndim(self.inputs[n]) == 0 else g for n, g in self.evaluation.input_grads.items()}

    # ---- stepping -------------------------------------------------------------------------------------------
    @property
    def total_steps(self) -> int:
        """Every node once forward, then once backward."""
        return 2 * len(self.graph.ops)

    @property
    def phase(self) -> str:
        """"forward" until every node is computed, "backward" while gradients flow back, then "done"."""
        n = len(self.graph.ops)
        return "forward" if self.position <= n else ("backward" if self.position < 2 * n else "done")

    def step(self) -> None:
        """One step on (stepping past the end stays done)."""
        self.position = min(self.position + 1, self.total_steps)

    def back(self) -> None:
        """One step back (before the first step stays at 0)."""
        self.position = max(self.position - 1, 0)

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

    def received_total(self, operand):
        """The sum of the gradients ``operand`` has received so far (fan-out adds them), or None before any."""
        got = self.received(operand)
        return sum(np.asarray(g, float) for _, g in got) if got else None

    @property
    def nodes(self) -> list[GraphNode]:
        out = []
        for k, op in enumerate(self.graph.ops):
            glyph, words, symbols = rule(op.op)
            grad = self.evaluation.node_grads[k] if self.reached(k) and op.differentiable else None
            out.append(GraphNode(op.name, op.op, [self.operand_label(o) for o in op.operands],
                                 _plain(self.evaluation.values[k]), _plain(grad) if grad is not None else None,
                                 f"{words}: {symbols}", op.shape, op.op_name))
        return out

    def operand_label(self, operand) -> str:
        if operand.kind == "input":
            return operand.key
        if operand.kind == "node":
            return self.graph.ops[operand.key].name
        return text.show(operand.const)

    def operand_value(self, operand):
        if operand.kind == "input":
            return self.inputs[operand.key]
        if operand.kind == "node":
            return self.evaluation.values[operand.key]
        return operand.const

    def explain(self) -> list[str]:
        """The current step in words and numbers: one line forward, one line per operand backward (in the panel's
        language)."""
        with speaking(self._language_in_force()):
            return self._explain()

    def _explain(self) -> list[str]:
        k = self.current
        if k is None:
            return [text.PRESS_STEP.format(count=len(self.graph.ops))]
        if self.current_direction == "forward":
            return [text.forward_line(self, k)]
        return text.backward_lines(self, k) + self._note(k)

    def _note(self, k: int) -> list[str]:
        """A preset's remark on what the gradient at node ``k`` shows (softmax with loss: p − y at the logits)."""
        note = PRESETS[self.preset_name].notes.get(self.graph.ops[k].name) if self.preset_name else None
        if note is None:
            return []
        template = getattr(text, note)
        values = {op.name: text.show(v) for op, v in zip(self.graph.ops, self.evaluation.values)}
        return [template.format(grad=text.show(self.evaluation.node_grads[k]), **values)]

    # ---- checks ---------------------------------------------------------------------------------------------
    def gradient_check(self) -> dict:
        """The stepper's gradients against central finite differences of ``fn`` in float64 (h = 1e-6)."""
        shapes = {n: np.shape(v) for n, v in self.inputs.items()}
        key = (id(self.fn), tuple(shapes.items()))
        if key not in self._checks:  # built once per function and input shapes: new values never recompile
            self._checks = {**dict(list(self._checks.items())[-3:]), key: finite_difference_program(self.fn, shapes)}
        numeric = self._checks[key](self.inputs)
        worst = 0.0
        for name, value in numeric.items():
            ours = np.asarray(self.evaluation.input_grads[name], float)
            scale = np.maximum(1.0, np.abs(value))
            worst = max(worst, float(np.max(np.abs(ours - value) / scale)))
        return {"finite_differences": numeric, "max_relative_difference": worst, "agree": worst < 1e-3}

    def __repr__(self):
        args = ", ".join(f"{n}={text.show(v)}" for n, v in self.inputs.items())
        return (f"{type(self).__name__}({args}) -> {text.show(self.output)}, {len(self.graph.ops)} nodes, "
                f"{self.phase}")


def _plain(value):
    value = np.asarray(value)
    return value.item() if value.ndim == 0 else value
