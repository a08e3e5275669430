"""Computational graphs from JAX programs: one node per primitive, with exact values and gradients.

``trace_graph(fn, inputs)`` traces ``fn`` to a jaxpr and flattens it into ``Graph.ops`` (nested
``jit`` calls are inlined; functions with their own derivative rule, such as ``jax.nn.relu``, stay one
node). ``evaluate(graph, inputs)`` runs the forward pass and then the backward pass node by node, each
node's gradient contribution coming from ``jax.vjp`` of that node alone: exactly the upstream x local
= downstream step a learner does by hand, and exactly JAX's own gradient.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np
from jax.extend.core import ClosedJaxpr, Jaxpr, Literal

from .graph_rules import RULES

SIGMOID_MODES = ("as written", "collapsed", "expanded")
MAX_OPS = 60
_ALIASES = {"copy", "copy_p", "pvary"}
_CALLS = {"jit", "pjit", "closed_call", "core_call", "remat", "checkpoint"}
_CUSTOM = {"custom_jvp_call", "custom_vjp_call", "custom_vjp_call_jaxpr"}


@dataclass(frozen=True)
class Operand:
    """What an op reads: an input (``key`` = its name), an earlier op (``key`` = its index) or a constant."""

    kind: str
    key: object = None
    const: np.ndarray | None = field(default=None, compare=False)


@dataclass
class Op:
    """One primitive application: ``primitive.bind(*operands, **params)``."""

    name: str
    op: str  # the primitive's name ("mul"), or a composite's ("relu")
    primitive: object
    params: dict
    operands: tuple
    shape: tuple
    dtype: np.dtype

    def apply(self, *args):
        if self.primitive.name in _CUSTOM:  # bind the call itself, so JAX uses its own derivative rule
            out = self.primitive.bind(*args, **self.primitive.get_bind_params(self.params["eqn"].params))
            return out[0] if self.primitive.multiple_results else out
        return self.primitive.bind(*args, **self.params)

    @property
    def differentiable(self) -> bool:
        return jnp.issubdtype(self.dtype, jnp.floating) and self.op != "stop_gradient"

    def float_operands(self) -> list[int]:
        """Positions of the operands a gradient flows into (inputs and ops with float values)."""
        return [i for i, o in enumerate(self.operands) if o.kind != "const" and o.const is None]


@dataclass
class Graph:
    inputs: dict  # name -> (shape, dtype) in the function's argument order
    ops: list
    output: int  # index of the op whose value is the function's output

    def operand_dtype(self, operand: Operand):
        if operand.kind == "input":
            return self.inputs[operand.key][1]
        if operand.kind == "node":
            return self.ops[operand.key].dtype
        return operand.const.dtype

    def consumers(self, operand: Operand) -> list[tuple[int, int]]:
        """(op index, operand position) of every use of ``operand``: more than one is a fan-out."""
        return [(k, i) for k, op in enumerate(self.ops) for i, o in enumerate(op.operands) if o == operand]


def input_names(fn) -> list[str]:
    """The positional parameter names of ``fn``, in order."""
    if not callable(fn):
        raise TypeError(f"fn must be a function of the inputs, such as lambda x, y: x * y, got {fn!r}")
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        raise TypeError(f"fn must be a Python function with named parameters, got {fn!r}") from None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in params if p.kind in kinds]


def trace_graph(fn, inputs: dict, sigmoid: str = "as written") -> Graph:
    """The graph of ``fn(**inputs)``: one ``Op`` per primitive, in an order where operands come first.

    ``sigmoid``: "as written" draws what ``fn`` computes; "collapsed" folds 1 / (1 + exp(−a)) into one
    sigmoid node; "expanded" unfolds every sigmoid into neg, exp, add 1 and 1 / a, as the seeds draw it.
    """
    names = list(inputs)
    args = [jnp.asarray(inputs[n]) for n in names]
    try:
        closed = jax.make_jaxpr(lambda *a: fn(*a))(*args)
    except Exception as err:  # noqa: BLE001 - any tracing failure is reported with its cause
        first = (str(err).strip().splitlines() or [""])[0]
        raise ValueError(f"fn could not be traced with jax.numpy operations ({type(err).__name__}: {first}):"
                         " use jnp functions, and no Python if/for on the input values") from None
    outvars = closed.jaxpr.outvars
    if len(outvars) != 1 or outvars[0].aval.shape != ():
        shapes = [tuple(v.aval.shape) for v in outvars]
        raise ValueError(f"fn must return one scalar (a loss), got outputs of shape {shapes[0] if len(shapes) == 1 else shapes}:"
                         " wrap it in jnp.sum(...) or jnp.mean(...)")
    ops: list[Op] = []
    env = {v: Operand("input", n) for v, n in zip(closed.jaxpr.invars, names)}
    env.update({v: _const(c) for v, c in zip(closed.jaxpr.constvars, closed.consts)})
    _walk(closed.jaxpr, env, ops, sigmoid, {n: np.dtype(a.dtype) for n, a in zip(names, args)})
    out = _read(env, outvars[0])
    if out.kind != "node":
        raise ValueError("fn must compute something from its inputs, but it returns "
                         f"{'the input ' + repr(out.key) if out.kind == 'input' else 'a constant'}")
    graph = _prune(Graph({n: (a.shape, a.dtype) for n, a in zip(names, args)}, ops, out.key))
    if sigmoid == "collapsed":
        graph = _fold_sigmoids(graph)
    taken = set(names)
    for op in graph.ops:
        op.name = _fresh(op.op, taken)
    if len(graph.ops) > MAX_OPS:
        raise ValueError(f"fn has {len(graph.ops)} operations; the stepper draws at most {MAX_OPS}: "
                         "step through a smaller piece, or collapse sigmoids")
    return graph


def _const(value) -> Operand:
    return Operand("const", None, np.asarray(value))


def _read(env, var) -> Operand:
    return _const(var.val) if isinstance(var, Literal) else env[var]


def _subjaxpr(eqn):
    for key in ("jaxpr", "call_jaxpr", "fun_jaxpr"):
        sub = eqn.params.get(key)
        if isinstance(sub, (ClosedJaxpr, Jaxpr)):
            return sub if isinstance(sub, ClosedJaxpr) else ClosedJaxpr(sub, ())
    return None


def _walk(jaxpr, env, ops, sigmoid, input_dtypes):
    for eqn in jaxpr.eqns:
        name = eqn.primitive.name
        operands = tuple(_read(env, v) for v in eqn.invars)
        sub = _subjaxpr(eqn)
        if name == "logistic" and sigmoid == "expanded":
            sub = _seed_sigmoid(tuple(eqn.invars[0].aval.shape), eqn.invars[0].aval.dtype)
        elif name not in _CALLS:
            sub = None
        if sub is not None:  # inline the call: its equations become nodes of this graph
            inner = {v: _const(c) for v, c in zip(sub.jaxpr.constvars, sub.consts)}
            inner.update(zip(sub.jaxpr.invars, operands))
            _walk(sub.jaxpr, inner, ops, sigmoid, input_dtypes)
            env.update({outer: _read(inner, v) for outer, v in zip(eqn.outvars, sub.jaxpr.outvars)})
            continue
        if len(eqn.outvars) != 1:
            raise ValueError(f"fn uses the primitive {name!r} with {len(eqn.outvars)} outputs; the stepper draws"
                             " operations with one output")
        aval = eqn.outvars[0].aval
        if name in _ALIASES or (name == "convert_element_type"
                                and aval.dtype == _dtype_of(operands[0], ops, input_dtypes)):
            env[eqn.outvars[0]] = operands[0]
            continue
        if name not in _CUSTOM and name not in RULES:
            raise ValueError(f"fn uses the primitive {name!r}, which the stepper cannot draw; it draws "
                             + ", ".join(sorted(RULES)) + " and functions with their own derivative (jax.custom_jvp)"
                             " such as jax.nn.relu")
        op, params = (_composite_name(eqn), {"eqn": eqn}) if name in _CUSTOM else (name, dict(eqn.params))
        ops.append(Op("", op, eqn.primitive, params, operands, tuple(aval.shape),
                      np.dtype(aval.dtype)))
        env[eqn.outvars[0]] = Operand("node", len(ops) - 1)


def _composite_name(eqn) -> str | None:
    """The Python name of a custom_jvp function ("relu"), from JAX's debug info."""
    sub = _subjaxpr(eqn)
    info = getattr(sub.jaxpr, "debug_info", None) if sub is not None else None
    source = getattr(info, "func_src_info", None) or ""
    return source.split(" ")[0] or "custom"


def _dtype_of(operand, ops, input_dtypes):
    if operand.kind == "node":
        return ops[operand.key].dtype
    return input_dtypes[operand.key] if operand.kind == "input" else operand.const.dtype


@lru_cache(maxsize=32)
def _seed_sigmoid(shape, dtype):
    """1 / (1 + exp(−a)) as the seeds draw it: neg, exp, add 1, reciprocal."""
    return jax.make_jaxpr(lambda a: 1 / (1 + jnp.exp(-a)))(jax.ShapeDtypeStruct(shape, dtype))


def _fresh(op: str, taken: set) -> str:
    """A node name from its op: mul, mul_2, ... never an input's name."""
    base = {"integer_pow": "pow", "dot_general": "dot", "broadcast_in_dim": "broadcast",
            "reduce_sum": "sum", "logistic": "sigmoid", "convert_element_type": "cast"}.get(op, op)
    name, k = base, 1
    while name in taken:
        k += 1
        name = f"{base}_{k}"
    taken.add(name)
    return name


def _prune(graph: Graph) -> Graph:
    """Drop ops the output does not depend on, renumbering the rest."""
    needed, stack = set(), [graph.output]
    while stack:
        k = stack.pop()
        if k not in needed:
            needed.add(k)
            stack += [o.key for o in graph.ops[k].operands if o.kind == "node"]
    keep = sorted(needed)
    index = {old: new for new, old in enumerate(keep)}
    ops = []
    for old in keep:
        op = graph.ops[old]
        op.operands = tuple(Operand("node", index[o.key]) if o.kind == "node" else o for o in op.operands)
        ops.append(op)
    return Graph(graph.inputs, ops, index[graph.output])


def _is_const(operand: Operand, value: float) -> bool:
    return operand.kind == "const" and operand.const.size == 1 and float(operand.const.reshape(())) == value


def _fold_sigmoids(graph: Graph) -> Graph:
    """Replace each neg → exp → add 1 → 1/· chain (intermediates used once) by one sigmoid node."""
    logistic = jax.make_jaxpr(jax.nn.sigmoid)(1.0).jaxpr.eqns[0].primitive
    uses = {}
    for op in graph.ops:
        for o in op.operands:
            if o.kind == "node":
                uses[o.key] = uses.get(o.key, 0) + 1
    replace = {}  # index of the final op -> operand of the neg
    for k, op in enumerate(graph.ops):
        recip = op.op == "div" and _is_const(op.operands[0], 1.0) and op.operands[1].kind == "node"
        recip = recip or (op.op == "integer_pow" and op.params.get("y") == -1 and op.operands[0].kind == "node")
        if not recip:
            continue
        add = graph.ops[op.operands[-1].key]
        if add.op != "add" or not any(_is_const(o, 1.0) for o in add.operands):
            continue
        inner = [o for o in add.operands if o.kind == "node"]
        if len(inner) != 1 or graph.ops[inner[0].key].op != "exp":
            continue
        exp = graph.ops[inner[0].key]
        if exp.operands[0].kind != "node" or graph.ops[exp.operands[0].key].op != "neg":
            continue
        chain = [op.operands[-1].key, inner[0].key, exp.operands[0].key]
        if all(uses.get(c, 0) == 1 for c in chain):
            replace[k] = graph.ops[chain[-1]].operands[0]
    for k, operand in replace.items():
        old = graph.ops[k]
        graph.ops[k] = Op("", "logistic", logistic, {"accuracy": None}, (operand,), old.shape, old.dtype)
    return _prune(graph)


def grad_operands(graph: Graph, k: int) -> list[int]:
    """Positions of op ``k``'s operands that a gradient flows into (inputs and float-valued ops)."""
    op = graph.ops[k]
    if not op.differentiable:
        return []
    return [i for i, o in enumerate(op.operands)
            if o.kind != "const" and jnp.issubdtype(graph.operand_dtype(o), jnp.floating)]


@dataclass
class Evaluation:
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
    program = getattr(graph, "_program", None)
    if program is None:
        program = graph._program = _program(graph)
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
    names = list(shapes)
    sizes = [int(np.prod(shapes[n], dtype=int)) for n in names]
    offsets = np.cumsum([0] + sizes)

    def flat_fn(v):
        return fn(*(v[a:b].reshape(shapes[n]) for n, a, b in zip(names, offsets[:-1], offsets[1:])))

    with jax.enable_x64(True):
        program = jax.jit(jax.vmap(flat_fn))

    def differences(inputs: dict) -> dict:
        flat = np.concatenate([np.ravel(np.asarray(inputs[n], np.float64)) for n in names])
        step = np.eye(flat.size) * h
        with jax.enable_x64(True):
            values = np.asarray(program(np.concatenate([flat + step, flat - step])), np.float64)
        slope = (values[:flat.size] - values[flat.size:]) / (2 * h)
        return {n: (slope[a:b].reshape(shapes[n]) if shapes[n] else float(slope[a]))
                for n, a, b in zip(names, offsets[:-1], offsets[1:])}

    return differences
