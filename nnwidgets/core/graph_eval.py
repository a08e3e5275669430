"""The node-by-node backward pass of a traced graph, and the independent checks of its numbers.

``evaluate(graph, inputs)`` runs the forward pass and then the backward pass node by node, each node's
gradient contribution coming from ``jax.vjp`` of that node alone: exactly the upstream × local = downstream
step a learner does by hand. ``finite_difference_program`` checks the result against central differences
in float64; ``first_non_finite`` finds where a function leaves its domain (log of a negative number, 1/0).
"""
from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from .graph import Graph, check_input_sizes, grad_operands


class Evaluation(NamedTuple):
    """Everything the stepper shows, computed in one jitted call.

    ``node_grads[k]`` is ∂f/∂(op k), the upstream gradient when the backward pass reaches op k;
    ``sent[k][i]`` is what op k sends back to its operand i (upstream × local); ``local[k][i]`` is the
    local gradient (the same pull-back applied to ones: for scalars and elementwise ops, ∂(op k)/∂operand i).
    """

    values: list
    node_grads: list
    sent: list
    local: list
    input_grads: dict
    output: float


def _program(graph: Graph):
    names = list(graph.inputs)
    grad_ops = [grad_operands(graph, k) for k in range(len(graph.ops))]

    def run(*args):
        inputs = dict(zip(names, args))
        values = []

        def read(o):
            return inputs[o.key] if o.kind == "input" else values[o.key] if o.kind == "node" else o.const

        for op in graph.ops:
            values.append(op.apply(*(read(o) for o in op.operands)))
        node_grads = [jnp.zeros_like(v) for v in values]
        node_grads[graph.output] = jnp.ones_like(values[graph.output])
        input_grads = {n: jnp.zeros_like(a) for n, a in inputs.items()}
        sent, local = [None] * len(values), [None] * len(values)
        for k in reversed(range(len(graph.ops))):
            op, positions = graph.ops[k], grad_ops[k]
            sent[k], local[k] = {}, {}
            if not positions:
                continue
            args_k = [read(o) for o in op.operands]

            def only(*diff, op=op, args_k=args_k, positions=positions):
                full = list(args_k)
                for i, v in zip(positions, diff):
                    full[i] = v
                return op.apply(*full)

            _, pull = jax.vjp(only, *(args_k[i] for i in positions))
            down = pull(node_grads[k].astype(values[k].dtype))
            ones = pull(jnp.ones_like(values[k]))
            for i, d, one in zip(positions, down, ones):
                sent[k][i], local[k][i] = d, one
                target = op.operands[i]
                if target.kind == "node":
                    node_grads[target.key] = node_grads[target.key] + d
                else:
                    input_grads[target.key] = input_grads[target.key] + d
        return values, node_grads, sent, local, input_grads

    return jax.jit(run)


def evaluate(graph: Graph, inputs: dict) -> Evaluation:
    """Forward values and the node-by-node backward pass of ``graph`` at ``inputs`` (NumPy arrays out).

    The jitted program is built once per graph: new input values never recompile.
    """
    if graph.program is None:
        graph.program = _program(graph)
    program = graph.program
    dtypes = [graph.inputs[n][1] for n in graph.inputs]
    out = jax.device_get(program(*(np.asarray(inputs[n], dtype=d) for n, d in zip(graph.inputs, dtypes))))
    values, node_grads, sent, local, input_grads = out
    return Evaluation([np.asarray(v) for v in values], [np.asarray(g) for g in node_grads], sent, local,
                      {n: np.asarray(g) for n, g in input_grads.items()}, float(values[graph.output]))


def finite_difference_program(fn, shapes: dict, h: float = 1e-6):
    """A function ``inputs -> {name: central differences of fn}``, evaluated in float64.

    (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h for every entry of every input, all in one jitted, vmapped call
    (built once here: new input values never recompile). float64 keeps the error near h² and 1e-16/h.
    """
    check_input_sizes(shapes)
    names = list(shapes)
    sizes = [int(np.prod(shapes[n], dtype=int)) for n in names]
    offsets = np.cumsum([0] + sizes)
    total = int(offsets[-1])

    def flat_fn(v):
        return fn(*(v[a:b].reshape(shapes[n]) for n, a, b in zip(names, offsets[:-1], offsets[1:])))

    def slopes(flat):
        def one(i):  # never an identity matrix: one perturbed copy per entry, 64 at a time
            step = jnp.zeros(total, flat.dtype).at[i].set(h)
            return (flat_fn(flat + step) - flat_fn(flat - step)) / (2 * h)

        return jax.lax.map(one, jnp.arange(total), batch_size=min(total, 64))

    with jax.enable_x64(True):
        program = jax.jit(slopes)

    def differences(inputs: dict) -> dict:
        flat = np.concatenate([np.ravel(np.asarray(inputs[n], np.float64)) for n in names])
        with jax.enable_x64(True):
            slope = np.asarray(program(flat), np.float64)
        return {n: (slope[a:b].reshape(shapes[n]) if shapes[n] else float(slope[a]))
                for n, a, b in zip(names, offsets[:-1], offsets[1:])}

    return differences


class NonFinite(NamedTuple):
    """A node whose value or gradient is nan or ±inf, and the inputs it is computed from."""

    node: int
    what: str  # "value" or "gradient"
    inputs: tuple


def first_non_finite(graph: Graph, evaluation: Evaluation) -> NonFinite | None:
    """The first node, in stepping order (values forward, then gradients backward), that is not finite."""
    for k in range(len(graph.ops)):
        if not np.all(np.isfinite(evaluation.values[k])):
            return NonFinite(k, "value", upstream_inputs(graph, k))
    for k in reversed(range(len(graph.ops))):
        if graph.ops[k].differentiable and not np.all(np.isfinite(evaluation.node_grads[k])):
            return NonFinite(k, "gradient", upstream_inputs(graph, k))
    for name, grad in evaluation.input_grads.items():
        if not np.all(np.isfinite(grad)):
            return NonFinite(graph.output, "gradient", (name,))
    return None


def upstream_inputs(graph: Graph, k: int) -> tuple:
    """The inputs op ``k`` is computed from, in the function's argument order."""
    seen, stack, found = set(), [k], set()
    while stack:
        j = stack.pop()
        if j in seen:
            continue
        seen.add(j)
        for o in graph.ops[j].operands:
            if o.kind == "node":
                stack.append(o.key)
            elif o.kind == "input":
                found.add(o.key)
    return tuple(n for n in graph.inputs if n in found)
