"""Computational graphs from JAX programs: one node per primitive, with exact values and gradients.

``trace_graph(fn, inputs)`` traces ``fn`` to a jaxpr and flattens it into ``Graph.ops`` (nested
``jit`` calls are inlined; functions with their own derivative rule, such as ``jax.nn.relu``, stay one
node); ``core.graph_eval`` runs it node by node. Sizes are capped before anything is allocated, and
tracing stops as soon as a function calls more primitives than the stepper could draw.
"""
from __future__ import annotations

import inspect
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np
from jax.extend.core import ClosedJaxpr, Jaxpr, Literal, Primitive

from ..i18n import _
from .graph_names import assignments, code_of, display_names, source_line, variable_names
from .graph_rules import RULES

SIGMOID_MODES = ("as written", "collapsed", "expanded")
MAX_OPS = 60
#: numbers in all the inputs together: every entry is shown, and the gradient check perturbs each one
MAX_INPUT_ENTRIES = 1000
#: numbers in one node's value (an outer product of two 300-vectors is 90,000)
MAX_NODE_ENTRIES = 100_000
#: primitive calls tracing may make before it is stopped (jnp functions call a few primitives each)
MAX_TRACED = 20 * MAX_OPS
_BIND = Primitive.bind.__code__
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
    op_name: str = ""  # "mul_2": unique, from the op; ``name`` is what the stepper shows (a variable's name)
    line: int | None = None  # the line of the traced function that computed it
    variable: str | None = None  # the variable that line assigns it to

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
    program: object = field(default=None, compare=False, repr=False)  # the jitted evaluation, built on first use

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
        raise TypeError(_("fn must be a function of the inputs, such as lambda x, y: x * y, got {value!r}").format(
            value=fn))
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        raise TypeError(_("fn must be a Python function with named parameters, got {value!r}").format(
            value=fn)) from None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in params if p.kind in kinds]


class _OverBudget(Exception):
    """Raised inside tracing once ``fn`` has called more primitives than the stepper could ever draw."""


@contextmanager
def _primitive_budget(limit: int):
    """Stop tracing (``_OverBudget``) at the ``limit + 1``-th primitive call, instead of tracing a huge loop."""
    count = 0
    previous = sys.getprofile()

    def hook(frame, event, arg):
        nonlocal count
        if event == "call" and frame.f_code is _BIND:
            count += 1
            if count > limit:
                raise _OverBudget

    sys.setprofile(hook)
    try:
        yield
    finally:
        sys.setprofile(previous)


def check_input_sizes(shapes: dict) -> None:
    """Refuse inputs with more than ``MAX_INPUT_ENTRIES`` numbers in all, before anything is allocated."""
    total = sum(int(np.prod(s, dtype=float)) for s in shapes.values())
    if total > MAX_INPUT_ENTRIES:
        sizes = ", ".join(f"{n} {tuple(s)}" for n, s in shapes.items())
        raise ValueError(_("the inputs hold {total:,} numbers in all ({sizes}); the stepper takes at most "
                           "{maximum:,}: it shows every value and checks every gradient entry").format(
                               total=total, sizes=sizes, maximum=MAX_INPUT_ENTRIES))


def _trace(fn, args):
    """``fn``'s jaxpr at ``args``, stopped early when it calls more than ``MAX_TRACED`` primitives."""
    try:
        with _primitive_budget(MAX_TRACED):
            return jax.make_jaxpr(lambda *a: fn(*a))(*args)
    except _OverBudget:
        raise ValueError(_("fn has far more than {maximum} operations (tracing stopped after {traced} "
                           "primitive calls); the stepper draws at most {maximum}: step through a smaller piece"
                           ).format(maximum=MAX_OPS, traced=MAX_TRACED)) from None
    except Exception as err:  # noqa: BLE001 - any tracing failure is reported with its cause
        first = (str(err).strip().splitlines() or [""])[0]
        raise ValueError(_("fn could not be traced with jax.numpy operations ({error}: {reason}): use jnp "
                           "functions, and no Python if/for on the input values").format(
                               error=type(err).__name__, reason=first)) from None


def _same_trace(a: ClosedJaxpr, b: ClosedJaxpr) -> bool:
    return str(a.jaxpr) == str(b.jaxpr) and len(a.consts) == len(b.consts) and all(
        np.array_equal(np.asarray(x), np.asarray(y), equal_nan=True) for x, y in zip(a.consts, b.consts))


def trace_graph(fn, inputs: dict, sigmoid: str = "as written") -> Graph:
    """The graph of ``fn(**inputs)``: one ``Op`` per primitive, in an order where operands come first.

    ``sigmoid``: "as written" draws what ``fn`` computes; "collapsed" folds 1 / (1 + exp(−a)) into one
    sigmoid node; "expanded" unfolds every sigmoid into neg, exp, add 1 and 1 / a, as the seeds draw it.
    ``fn`` is traced twice: a function whose computation changes between calls (``np.random`` inside) is
    refused, since its graph would freeze one draw while the gradient check draws again.
    """
    names = list(inputs)
    check_input_sizes({n: np.shape(inputs[n]) for n in names})
    args = [jnp.asarray(inputs[n]) for n in names]
    closed = _trace(fn, args)
    if not _same_trace(closed, _trace(fn, args)):
        raise ValueError(_("fn computes something different each time it is called (np.random, a clock or a "
                           "counter inside?): the stepper needs a function of its inputs only; pass random values "
                           "in as inputs"))
    outvars = closed.jaxpr.outvars
    if len(outvars) != 1 or outvars[0].aval.shape != ():
        shapes = [tuple(v.aval.shape) for v in outvars]
        shown = shapes[0] if len(shapes) == 1 else shapes
        raise ValueError(_("fn must return one scalar (a loss), got outputs of shape {shape}: wrap it in "
                           "jnp.sum(...) or jnp.mean(...)").format(shape=shown))
    ops: list[Op] = []
    env = {v: Operand("input", n) for v, n in zip(closed.jaxpr.invars, names)}
    env.update({v: _const(c) for v, c in zip(closed.jaxpr.constvars, closed.consts)})
    _walk(closed.jaxpr, env, ops, sigmoid, {n: np.dtype(a.dtype) for n, a in zip(names, args)}, code_of(fn))
    if len(ops) > MAX_TRACED:
        raise ValueError(_("fn has more than {traced} operations; the stepper draws at most {maximum}: "
                           "step through a smaller piece").format(traced=MAX_TRACED, maximum=MAX_OPS))
    out = _read(env, outvars[0])
    if out.kind != "node":
        raise ValueError(_("fn must compute something from its inputs, but it returns the input {name!r}").format(
            name=out.key) if out.kind == "input" else
            _("fn must compute something from its inputs, but it returns a constant"))
    for op, variable in zip(ops, variable_names([op.line for op in ops], assignments(fn))):
        op.variable = variable
    graph = _prune(Graph({n: (a.shape, a.dtype) for n, a in zip(names, args)}, ops, out.key))
    if sigmoid == "collapsed":
        graph = _fold_sigmoids(graph)
    taken, counts = set(names), {}
    for op in graph.ops:
        op.op_name = _fresh(op.op, taken, counts)
    name_nodes(graph, {})
    if len(graph.ops) > MAX_OPS:
        raise ValueError(_("fn has {count} operations; the stepper draws at most {maximum}: "
                           "step through a smaller piece, or collapse sigmoids").format(
                               count=len(graph.ops), maximum=MAX_OPS))
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


def name_nodes(graph: Graph, names: dict) -> None:
    """Set each op's shown ``name``: ``names[op name]``, else the variable it was assigned to, else its op name."""
    shown = display_names([op.op_name for op in graph.ops], [op.variable for op in graph.ops], graph.inputs, names)
    for op, name in zip(graph.ops, shown):
        op.name = name


def _walk(jaxpr, env, ops, sigmoid, input_dtypes, code, outer_line=None):
    for eqn in jaxpr.eqns:
        if len(ops) > MAX_TRACED:  # a huge jitted function inlined: stop walking, trace_graph refuses it
            return
        name = eqn.primitive.name
        line = outer_line if outer_line is not None else source_line(eqn, code)
        operands = tuple(_read(env, v) for v in eqn.invars)
        sub = _subjaxpr(eqn)
        if name == "logistic" and sigmoid == "expanded":
            sub = _seed_sigmoid(tuple(eqn.invars[0].aval.shape), eqn.invars[0].aval.dtype)
        elif name not in _CALLS:
            sub = None
        if sub is not None:  # inline the call: its equations become nodes of this graph
            inner = {v: _const(c) for v, c in zip(sub.jaxpr.constvars, sub.consts)}
            inner.update(zip(sub.jaxpr.invars, operands))
            _walk(sub.jaxpr, inner, ops, sigmoid, input_dtypes, code, line)
            env.update({outer: _read(inner, v) for outer, v in zip(eqn.outvars, sub.jaxpr.outvars)})
            continue
        if len(eqn.outvars) != 1:
            raise ValueError(_("fn uses the primitive {name!r} with {count} outputs; the stepper draws operations "
                               "with one output").format(name=name, count=len(eqn.outvars)))
        aval = eqn.outvars[0].aval
        size = int(np.prod(aval.shape, dtype=float))
        if size > MAX_NODE_ENTRIES:
            raise ValueError(_("fn computes a value of shape {shape} ({size:,} numbers) with {name!r}; "
                               "the stepper shows nodes of at most {maximum:,} numbers").format(
                                   shape=tuple(aval.shape), size=size, name=name, maximum=MAX_NODE_ENTRIES))
        if name in _ALIASES or (name == "convert_element_type"
                                and aval.dtype == _dtype_of(operands[0], ops, input_dtypes)):
            env[eqn.outvars[0]] = operands[0]
            continue
        if name not in _CUSTOM and name not in RULES:
            raise ValueError(_("fn uses the primitive {name!r}, which the stepper cannot draw; it draws {drawn} "
                               "and functions with their own derivative (jax.custom_jvp) such as jax.nn.relu").format(
                                   name=name, drawn=", ".join(sorted(RULES))))
        op, params = (_composite_name(eqn), {"eqn": eqn}) if name in _CUSTOM else (name, dict(eqn.params))
        ops.append(Op("", op, eqn.primitive, params, operands, tuple(aval.shape), np.dtype(aval.dtype), line=line))
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


def _fresh(op: str, taken: set, counts: dict) -> str:
    """A node name from its op: mul, mul_2, ... never an input's name (``counts``: the last number per op)."""
    base = {"integer_pow": "pow", "dot_general": "dot", "broadcast_in_dim": "broadcast",
            "reduce_sum": "sum", "logistic": "sigmoid", "convert_element_type": "cast"}.get(op, op)
    name, k = base, counts.get(base, 1)
    if name in taken:
        k += 1
        name = f"{base}_{k}"
        while name in taken:
            k += 1
            name = f"{base}_{k}"
    counts[base] = k
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


def _sigmoid_chains(graph: Graph) -> dict:
    """Each neg → exp → add 1 → 1/· chain (intermediates used once): index of its last op -> the neg's operand."""
    uses = {}
    for op in graph.ops:
        for o in op.operands:
            if o.kind == "node":
                uses[o.key] = uses.get(o.key, 0) + 1
    replace = {}
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
    return replace


def has_sigmoid(graph: Graph) -> bool:
    """Does ``graph`` hold a sigmoid, as one node or as the seeds' neg → exp → add 1 → 1/· chain?"""
    return any(op.op == "logistic" for op in graph.ops) or bool(_sigmoid_chains(graph))


def _fold_sigmoids(graph: Graph) -> Graph:
    """Replace each neg → exp → add 1 → 1/· chain (intermediates used once) by one sigmoid node."""
    logistic = jax.make_jaxpr(jax.nn.sigmoid)(1.0).jaxpr.eqns[0].primitive
    for k, operand in _sigmoid_chains(graph).items():
        old = graph.ops[k]
        graph.ops[k] = Op("", "logistic", logistic, {"accuracy": None}, (operand,), old.shape, old.dtype,
                          line=old.line, variable=old.variable)
    return _prune(graph)


def grad_operands(graph: Graph, k: int) -> list[int]:
    """Positions of op ``k``'s operands that a gradient flows into (inputs and float-valued ops)."""
    op = graph.ops[k]
    if not op.differentiable:
        return []
    return [i for i, o in enumerate(op.operands)
            if o.kind != "const" and jnp.issubdtype(graph.operand_dtype(o), jnp.floating)]
