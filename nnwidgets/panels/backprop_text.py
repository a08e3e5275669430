"""The stepper's explanations: each forward and backward step written out with its numbers."""
from __future__ import annotations

import numpy as np

from ..core.graph import grad_operands
from ..core.graph_rules import rule
from ._controls import number

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
        return [fmt(x) for x in v] if isinstance(v, list) else f"{v:.{digits}g}".replace("-", "−")

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
        return f"{name} = {labels[0]} · {labels[1]}: {shape(a)}·{shape(b)} → {shape(state.evaluation.values[k])} = {result}"
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
            total = sum(np.asarray(g, float) for _, g in got)
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
