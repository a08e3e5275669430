"""Every sentence the backprop stepper shows: labels, messages, and each step written out with its numbers."""
from __future__ import annotations

import numpy as np

from ...core.graph import grad_operands
from ...core.graph_rules import rule
from .._controls import number

# ---- labels ----------------------------------------------------------------------------------------
BACK, STEP, RESET = "◀ back", "step ▶", "reset"
POSITION, SIGMOID = "step", "sigmoid"
PHASES = {"forward": "forward pass", "backward": "backward pass", "done": "done"}
GRADIENT_TABLE = ("input", "value", "∂f/∂input")
AGREE = "✓ agree"
DIFFER = "✗ differ (a kink such as ReLU at 0, or a tie in max?)"
CHECK_LINE = ("gradient check against central finite differences (float64, h = 1e-6): largest relative "
              "difference {difference:.1e} {verdict}")
OUTPUT_LINE = "f = {value}"
STEP_LINE = "step {position} of {total}"
PRESS_STEP = "Press step: the forward pass computes the {count} nodes from left to right."
FORMULA_TITLE = "f({names}) = {formula}"
P_MINUS_Y = ("∂L/∂a = p − y = {p} − [1, 0] = {grad}: at the logits, softmax followed by cross-entropy sends back "
             "the prediction p minus the one-hot target y (the exp and the log cancel)")

# ---- messages --------------------------------------------------------------------------------------
MISSING = "missing input{plural} {names}: {signature} needs a value for each of {all}"
UNKNOWN = "unknown input{plural} {names}: {signature} takes {all}"
UNKNOWN_ONE = "unknown input {name!r}: {signature} takes {all}"
NOT_A_NUMBER = "{name} must be a number or an array of numbers, got {value}"
EMPTY = "{name} must not be empty, got {value}"
OUT_OF_RANGE = "{name} entries must be between {low:g} and {high:g}, got {value}"
TYPED_ARRAY = "{name} must be a number or a list of numbers such as [1.0, 2.0], got {value!r}"
NAMES_NOT_DICT = ("names must be a dict of node name -> display name, such as {{'add': 'q', 'mul': 'f'}}, "
                  "got {value}")
INPUTS_NOT_DICT = "inputs must be a dict of input name -> number or array, such as {{'x': 1.0}}, got {value}"
INPUT_NAME = ("inputs: {name} is not a usable input name for a formula (letters, digits and _, not a function "
              "name such as exp)")
OUTSIDE_DOMAIN = ("{inputs} {verb} outside the domain of fn: the {what} of {node} is {value} there (a log of a "
                  "negative number, a division by 0, the slope of √ at 0?); choose inputs where fn is defined")
POSITION_RANGE = "position must be between 0 and {total} (the {total} steps of this graph), got {value}"
POSITION_TYPE = "position must be a whole number of steps from 0, got {value}"
PRESET_NAME = "preset_name must be one of {names} (or '' for a formula or a function), got {value}"
NO_FUNCTION = ("this panel has no function: give a preset_name ({names}), a formula such as 'x*y + 3', or build "
               "it from a Python function")
BOTH_SOURCES = "give either preset_name or formula, not both: got preset_name={preset!r} and formula={formula!r}"
TEXT_SETTING = "{name} must be text of at most {limit} characters, got {value}"
FN_TYPE = ("fn must be a function of the inputs such as lambda x, y: x * y, or a formula string such as "
           "'x*y + 3', got {value}")
NOT_SAVABLE = ("this panel was built from a Python function, which cannot be saved as data: build it with "
               "BackpropStepper.preset(name) or from a formula string such as BackpropStepper('x*y + 3', x=2.0, "
               "y=3.0) to save and restore it")

INFIX = {"add": "+", "add_any": "+", "sub": "−", "mul": "×", "div": "÷"}


def show(value, digits: int = 4) -> str:
    """A scalar with 6 significant digits; a small array with 4; a large one by its shape."""
    value = np.asarray(value)
    if value.dtype == bool:
        return str(value.tolist())
    if value.ndim == 0:
        return number(float(value))
    if value.size > 6:
        return f"array {shape(value)}"

    def fmt(v):
        if isinstance(v, list):
            return [fmt(x) for x in v]
        return f"{v + 0.0:.{digits}g}".replace("-", "−")  # + 0.0: −0 (a product with 0) is shown as 0

    return str(fmt(value.tolist())).replace("'", "")


def shape(value) -> str:
    return str(tuple(np.shape(value)))


def forward_line(state, k: int) -> str:
    """'add = x + y = −2 + 5 = 3' for op ``k``."""
    op = state.graph.ops[k]
    labels = [state.operand_label(o) for o in op.operands]
    values = [show(state.operand_value(o)) for o in op.operands]
    result = show(state.evaluation.values[k])
    name = op.name
    if op.op in INFIX and len(labels) == 2:
        sign = INFIX[op.op]
        return f"{name} = {labels[0]} {sign} {labels[1]} = {values[0]} {sign} {values[1]} = {result}"
    if op.op == "integer_pow":
        return f"{name} = {labels[0]}^{op.params['y']} = ({values[0]})^{op.params['y']} = {result}"
    if op.op == "dot_general":
        a, b = (state.operand_value(o) for o in op.operands)
        out = shape(state.evaluation.values[k])
        return f"{name} = {labels[0]} · {labels[1]}: {shape(a)}·{shape(b)} → {out} = {result}"
    if op.op == "reduce_sum":
        return f"{name} = Σ {labels[0]} over axes {tuple(op.params['axes'])} = {result}"
    if op.op == "broadcast_in_dim":
        return f"{name} = {labels[0]} copied to shape {op.shape} = {result}"
    return f"{name} = {op.op}({', '.join(labels)}) = {op.op}({', '.join(values)}) = {result}"


def backward_lines(state, k: int) -> list[str]:
    """The backward step at op ``k``: the upstream gradient, the rule, and upstream × local = downstream."""
    graph, ev = state.graph, state.evaluation
    op = graph.ops[k]
    glyph, words, symbols = rule(op.op)
    if not grad_operands(graph, k):
        return [f"{op.name}: {words}; nothing to send back."]
    up = ev.node_grads[k]
    source = " (the output: ∂f/∂f = 1)" if k == graph.output else " arrives from the right"
    lines = [f"upstream ∂f/∂{op.name} = {show(up)}{source}", f"{words}: {symbols}"]
    for i in grad_operands(graph, k):
        operand = op.operands[i]
        target = state.operand_label(operand)
        down, local = ev.sent[k][i], ev.local[k][i]
        if np.ndim(up) == 0 and np.ndim(down) == 0:
            lines.append(f"∂f/∂{target} ← upstream × local = {show(up)} × {show(local)} = {show(down)}")
        else:
            lines.append(_shape_rule(state, k, i, target, up, down))
        uses = graph.consumers(operand)
        if len(uses) > 1:
            got = state.received(operand)
            total = state.received_total(operand)
            terms = " + ".join(show(g) for _, g in got)
            status = "all arrived" if len(got) == len(uses) else f"{len(got)} of {len(uses)} arrived"
            lines.append(f"fan-out: {target} feeds {len(uses)} nodes, so its gradients add up: "
                         f"{terms} = {show(total)} ({status})")
    return lines


def _shape_rule(state, k, i, target, up, down) -> str:
    op = state.graph.ops[k]
    if op.op == "dot_general" and _is_matmul(op):
        other = state.operand_label(op.operands[1 - i])
        w = np.asarray(state.operand_value(op.operands[1 - i]))
        if i == 0 and w.ndim == 1:
            return f"d{target} = dY ⊗ {other} (outer product): {shape(up)}⊗{shape(w)} → {shape(down)} = {show(down)}"
        if i == 0:
            return (f"d{target} = dY · {other}ᵀ: {shape(up)}·{shape(w.T)} → {shape(down)}"
                    f" = {show(down)}")
        return f"d{target} = {other}ᵀ · dY: {shape(w.T)}·{shape(up)} → {shape(down)} = {show(down)}"
    if op.op == "broadcast_in_dim":
        kept = set(op.params["broadcast_dimensions"])
        source = state.operand_value(op.operands[i])
        axes = [a for a in range(len(op.shape)) if op.shape[a] > 1 and (
            a not in kept or np.shape(source)[sorted(kept).index(a)] != op.shape[a])]
        if not axes:
            return f"d{target} = dY reshaped: {shape(up)} → {shape(down)} = {show(down)}"
        return f"d{target} = Σ dY over axis {', '.join(map(str, axes))}: {shape(up)} → {shape(down)} = {show(down)}"
    if op.op == "reduce_sum":
        return f"d{target} = dY copied to every entry: {shape(up)} → {shape(down)} = {show(down)}"
    summed = _summed_axes(np.shape(up), np.shape(down))
    if summed and np.size(down) < np.size(up):
        return (f"d{target} = Σ over axis {', '.join(map(str, summed))} of upstream ⊙ local ({target} was copied "
                f"along it): {shape(up)} → {shape(down)} = {show(down)}")
    if np.shape(up) == np.shape(down):
        return (f"d{target} = upstream ⊙ local, entry by entry: {show(up)} ⊙ {show(state.evaluation.local[k][i])}"
                f" = {show(down)}")
    return f"d{target} = {show(down)}, shape {shape(down)} (the shape of {target})"


def _is_matmul(op) -> bool:
    (contract_a, contract_b), (batch_a, _) = op.params["dimension_numbers"]
    return not batch_a and tuple(contract_a) == (1,) and tuple(contract_b) == (0,)


def _summed_axes(big: tuple, small: tuple) -> list[int]:
    """Axes of ``big`` along which a (broadcast) operand of shape ``small`` was copied."""
    padded = (1,) * (len(big) - len(small)) + tuple(small)
    return [a for a, (n, m) in enumerate(zip(big, padded)) if m == 1 and n > 1] if len(padded) == len(big) else []
