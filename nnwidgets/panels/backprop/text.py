"""Every sentence the backprop stepper shows: labels, messages, and each step written out with its numbers."""
from __future__ import annotations

import numpy as np

from ...core.graph import grad_operands
from ...core.graph_rules import rule
from ...i18n import N_, translate_module, translated
from .._controls import number

# ---- labels ----------------------------------------------------------------------------------------
BACK, STEP, RESET = N_("◀ back"), N_("step ▶"), N_("reset")
POSITION, SIGMOID = N_("at step"), "sigmoid"  # not "step": the perceptron's catalog has that (step function)
SIGMOID_MODES = {"as written": N_("as written"), "collapsed": N_("collapsed"), "expanded": N_("expanded")}
PHASES = {"forward": N_("forward pass"), "backward": N_("backward pass"), "done": N_("done")}
GRADIENT_TABLE = (N_("input"), N_("value"), N_("∂f/∂input"))
AGREE = N_("✓ agree")
DIFFER = N_("✗ differ (a kink such as ReLU at 0, or a tie in max?)")
CHECK_LINE = N_("gradient check against central finite differences (float64, h = 1e-6): largest relative "
                "difference {difference:.1e} {verdict}")
OUTPUT_LINE = "f = {value}"
STEP_LINE = N_("step {position} of {total}")
PRESS_STEP = N_("Press step: the forward pass computes the {count} nodes from left to right.")
FORMULA_TITLE = "f({names}) = {formula}"
P_MINUS_Y = N_("∂L/∂a = p − y = {p} − [1, 0] = {grad}: at the logits, softmax followed by cross-entropy sends back "
               "the prediction p minus the one-hot target y (the exp and the log cancel)")
ARRAY = N_("array {shape}")

# ---- the steps written out (forward: one line; backward: upstream, the rule, upstream × local) -------------
# (this module's own functions read these through ``translated``: a global name bypasses ``translate_module``)
SUM_OVER_AXES = N_("{name} = Σ {operand} over axes {axes} = {result}")
COPIED_TO_SHAPE = N_("{name} = {operand} copied to shape {shape} = {result}")
NOTHING_TO_SEND = N_("{name}: {rule}; nothing to send back.")
UPSTREAM_AT_OUTPUT = N_("upstream ∂f/∂{name} = {value} (the output: ∂f/∂f = 1)")
UPSTREAM = N_("upstream ∂f/∂{name} = {value} arrives from the right")
RULE = "{words}: {symbols}"
UPSTREAM_TIMES_LOCAL = N_("∂f/∂{operand} ← upstream × local = {upstream} × {local} = {downstream}")
FAN_OUT = N_("fan-out: {operand} feeds {count} nodes, so its gradients add up: {terms} = {total} ({status})")
ALL_ARRIVED = N_("all arrived")
SOME_ARRIVED = N_("{arrived} of {count} arrived")
OUTER = N_("d{operand} = dY ⊗ {other} (outer product): {up}⊗{w} → {down} = {value}")
RESHAPED = N_("d{operand} = dY reshaped: {up} → {down} = {value}")
SUM_OVER_AXIS = N_("d{operand} = Σ dY over axis {axes}: {up} → {down} = {value}")
COPIED_TO_EVERY_ENTRY = N_("d{operand} = dY copied to every entry: {up} → {down} = {value}")
SUM_OF_COPIES = N_("d{operand} = Σ over axis {axes} of upstream ⊙ local ({operand} was copied along it): "
                   "{up} → {down} = {value}")
ENTRY_BY_ENTRY = N_("d{operand} = upstream ⊙ local, entry by entry: {up} ⊙ {local} = {value}")
OTHER_SHAPE = N_("d{operand} = {value}, shape {shape} (the shape of {operand})")

# ---- messages --------------------------------------------------------------------------------------
MISSING_INPUT = N_("missing input {names}: {signature} needs a value for each of {all}")
MISSING_INPUTS = N_("missing inputs {names}: {signature} needs a value for each of {all}")
UNKNOWN_INPUT = N_("unknown input {names}: {signature} takes {all}")
UNKNOWN_INPUTS = N_("unknown inputs {names}: {signature} takes {all}")
NOT_AN_INPUT = N_("unknown input {name!r}: {signature} takes {all}")
NOT_A_NUMBER = N_("{name} must be a number or an array of numbers, got {value}")
EMPTY = N_("{name} must not be empty, got {value}")
OUT_OF_RANGE = N_("{name} entries must be between {low:g} and {high:g}, got {value}")
TYPED_ARRAY = N_("{name} must be a number or a list of numbers such as [1.0, 2.0], got {value!r}")
NAMES_NOT_DICT = N_("names must be a dict of node name -> display name, such as {{'add': 'q', 'mul': 'f'}}, "
                    "got {value}")
INPUTS_NOT_DICT = N_("inputs must be a dict of input name -> number or array, such as {{'x': 1.0}}, got {value}")
INPUT_NAME = N_("inputs: {name} is not a usable input name for a formula (letters, digits and _, not a function "
                "name such as exp)")
OUTSIDE_DOMAIN_ONE = N_("{inputs} is outside the domain of fn: the {what} of {node} is {value} there (a log of a "
                        "negative number, a division by 0, the slope of √ at 0?); choose inputs where fn is defined")
OUTSIDE_DOMAIN_MANY = N_("{inputs} are outside the domain of fn: the {what} of {node} is {value} there (a log of a "
                         "negative number, a division by 0, the slope of √ at 0?); choose inputs where fn is defined")
WHAT = {"value": N_("value"), "gradient": N_("gradient")}
POSITION_RANGE = N_("position must be between 0 and {total} (the {total} steps of this graph), got {value}")
POSITION_TYPE = N_("position must be a whole number of steps from 0, got {value}")
PRESET_NAME = N_("preset_name must be one of {names} (or '' for a formula or a function), got {value}")
NO_FUNCTION = N_("this panel has no function: give a preset_name ({names}), a formula such as 'x*y + 3', or build "
                 "it from a Python function")
NO_NAMED_INPUTS = N_("fn must take named inputs, such as lambda x, y: x * y, got {value}")
BOTH_SOURCES = N_("give either preset_name or formula, not both: got preset_name={preset!r} and formula={formula!r}")
TEXT_SETTING = N_("{name} must be text of at most {limit} characters, got {value}")
FN_TYPE = N_("fn must be a function of the inputs such as lambda x, y: x * y, or a formula string such as "
             "'x*y + 3', got {value}")
NOT_SAVABLE = N_("this panel was built from a Python function, which cannot be saved as data: build it with "
                 "BackpropStepper.preset(name) or from a formula string such as BackpropStepper('x*y + 3', x=2.0, "
                 "y=3.0) to save and restore it")
CONTROL = N_("control name must be one of {names}, got {value!r}")

INFIX = {"add": "+", "add_any": "+", "sub": "−", "mul": "×", "div": "÷"}


def show(value, digits: int = 4) -> str:
    """A scalar with 6 significant digits; a small array with 4; a large one by its shape."""
    value = np.asarray(value)
    if value.dtype == bool:
        return str(value.tolist())
    if value.ndim == 0:
        return number(float(value))
    if value.size > 6:
        return translated(ARRAY).format(shape=shape(value))

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
        return translated(SUM_OVER_AXES).format(name=name, operand=labels[0], axes=tuple(op.params["axes"]),
                                                result=result)
    if op.op == "broadcast_in_dim":
        return translated(COPIED_TO_SHAPE).format(name=name, operand=labels[0], shape=op.shape, result=result)
    return f"{name} = {op.op}({', '.join(labels)}) = {op.op}({', '.join(values)}) = {result}"


def backward_lines(state, k: int) -> list[str]:
    """The backward step at op ``k``: the upstream gradient, the rule, and upstream × local = downstream."""
    graph, ev = state.graph, state.evaluation
    op = graph.ops[k]
    glyph, words, symbols = rule(op.op)
    if not grad_operands(graph, k):
        return [translated(NOTHING_TO_SEND).format(name=op.name, rule=words)]
    up = ev.node_grads[k]
    upstream = translated(UPSTREAM_AT_OUTPUT if k == graph.output else UPSTREAM)
    lines = [upstream.format(name=op.name, value=show(up)), RULE.format(words=words, symbols=symbols)]
    for i in grad_operands(graph, k):
        operand = op.operands[i]
        target = state.operand_label(operand)
        down, local = ev.sent[k][i], ev.local[k][i]
        if np.ndim(up) == 0 and np.ndim(down) == 0:
            lines.append(translated(UPSTREAM_TIMES_LOCAL).format(operand=target, upstream=show(up),
                                                                 local=show(local), downstream=show(down)))
        else:
            lines.append(_shape_rule(state, k, i, target, up, down))
        uses = graph.consumers(operand)
        if len(uses) > 1:
            got = state.received(operand)
            total = state.received_total(operand)
            terms = " + ".join(show(g) for _, g in got)
            status = (translated(ALL_ARRIVED) if len(got) == len(uses)
                      else translated(SOME_ARRIVED).format(arrived=len(got), count=len(uses)))
            lines.append(translated(FAN_OUT).format(operand=target, count=len(uses), terms=terms, total=show(total),
                                                    status=status))
    return lines


def _shape_rule(state, k, i, target, up, down) -> str:
    op = state.graph.ops[k]
    if op.op == "dot_general" and _is_matmul(op):
        other = state.operand_label(op.operands[1 - i])
        w = np.asarray(state.operand_value(op.operands[1 - i]))
        if i == 0 and w.ndim == 1:
            return translated(OUTER).format(operand=target, other=other, up=shape(up), w=shape(w),
                                            down=shape(down), value=show(down))
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
            return translated(RESHAPED).format(operand=target, up=shape(up), down=shape(down), value=show(down))
        return translated(SUM_OVER_AXIS).format(operand=target, axes=", ".join(map(str, axes)), up=shape(up),
                                                down=shape(down), value=show(down))
    if op.op == "reduce_sum":
        return translated(COPIED_TO_EVERY_ENTRY).format(operand=target, up=shape(up), down=shape(down),
                                                        value=show(down))
    summed = _summed_axes(np.shape(up), np.shape(down))
    if summed and np.size(down) < np.size(up):
        return translated(SUM_OF_COPIES).format(operand=target, axes=", ".join(map(str, summed)), up=shape(up),
                                                down=shape(down), value=show(down))
    if np.shape(up) == np.shape(down):
        return translated(ENTRY_BY_ENTRY).format(operand=target, up=show(up),
                                                 local=show(state.evaluation.local[k][i]), value=show(down))
    return translated(OTHER_SHAPE).format(operand=target, value=show(down), shape=shape(down))


def _is_matmul(op) -> bool:
    (contract_a, contract_b), (batch_a, _) = op.params["dimension_numbers"]
    return not batch_a and tuple(contract_a) == (1,) and tuple(contract_b) == (0,)


def _summed_axes(big: tuple, small: tuple) -> list[int]:
    """Axes of ``big`` along which a (broadcast) operand of shape ``small`` was copied."""
    padded = (1,) * (len(big) - len(small)) + tuple(small)
    return [a for a, (n, m) in enumerate(zip(big, padded)) if m == 1 and n > 1] if len(padded) == len(big) else []


translate_module(__name__)
