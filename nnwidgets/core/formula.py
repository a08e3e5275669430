"""Formulas typed by a learner ("x**2 + 3*y**2", "exp(-x) * sin(y)"), parsed with an ``ast`` whitelist.

Nothing typed ever reaches ``eval``: the text is parsed, every node is checked against a short list (numbers,
the formula's variables, ``pi`` and ``e``, ``+ - * / **``, unary minus, parentheses, calls to the math functions
in ``FUNCTIONS``), and the tree is turned into a ``jnp`` function by walking it. Attribute access, subscripts,
lambdas, comprehensions, keywords and any other name are refused with a message that says what is allowed.
"""
from __future__ import annotations

import ast
import math
import operator
from typing import NamedTuple

import jax.numpy as jnp

from ..i18n import N_, _, translated

#: the functions a formula may call, with how many arguments each takes
FUNCTIONS = {
    "exp": (jnp.exp, 1), "log": (jnp.log, 1), "log1p": (jnp.log1p, 1), "sqrt": (jnp.sqrt, 1), "abs": (jnp.abs, 1),
    "sin": (jnp.sin, 1), "cos": (jnp.cos, 1), "tan": (jnp.tan, 1), "arctan": (jnp.arctan, 1),
    "sinh": (jnp.sinh, 1), "cosh": (jnp.cosh, 1), "tanh": (jnp.tanh, 1),
    "maximum": (jnp.maximum, 2), "minimum": (jnp.minimum, 2),
}
CONSTANTS = {"pi": math.pi, "e": math.e}
MAX_LENGTH = 300
MAX_NODES = 200
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Pow: operator.pow}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_SYMBOLS = {ast.BitXor: N_("^ (write powers as **)"), ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@",
            ast.BitAnd: "&", ast.BitOr: "|", ast.LShift: "<<", ast.RShift: ">>", ast.Not: "not", ast.Invert: "~"}


class Formula(NamedTuple):
    """A parsed formula: its text, its variables and the ``jnp`` function of them."""

    text: str
    variables: tuple[str, ...]
    fn: object

    def __call__(self, *args):
        return self.fn(*args)


def parse_formula(text, variables=("x", "y"), *, name="formula") -> Formula:
    """Parse ``text`` into a ``Formula`` whose ``fn(*variables)`` computes it with ``jax.numpy``.

    >>> parse_formula("x**2 + 3*y**2")(1.0, 2.0)
    Array(13., dtype=float32, weak_type=True)
    """
    allowed = _allowed(variables)
    if not isinstance(text, str):
        raise ValueError(_("{name} must be a formula as text such as 'x**2 + 3*y**2', got {type}").format(
            name=name, type=type(text).__name__))
    if not text.strip() or len(text) > MAX_LENGTH:
        raise ValueError(_("{name} must be a formula of 1 to {maximum} characters in {allowed}, "
                           "got {length} characters").format(
                               name=name, maximum=MAX_LENGTH, allowed=allowed, length=len(text)))
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise ValueError(_("{name} {text!r} is not a formula in {allowed}: {reason}").format(
            name=name, text=text, allowed=allowed, reason=err.msg)) from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise ValueError(_("{name} {text!r} is too long: at most {maximum} parts, got {parts}").format(
            name=name, text=text, maximum=MAX_NODES, parts=len(nodes)))
    called = {id(node.func) for node in nodes if isinstance(node, ast.Call)}
    for node in nodes:
        _check(node, variables, text, name)
        if isinstance(node, ast.Name) and node.id in FUNCTIONS and id(node) not in called:
            raise ValueError(_("{name} {text!r}: the function {function!r} must be called, as in {function}(x); "
                               "use {allowed}").format(name=name, text=text, function=node.id, allowed=allowed))
    body = tree.body

    def fn(*args):
        if len(args) != len(variables):
            raise TypeError(_("{name} takes {count} arguments ({variables}), got {given}").format(
                name=name, count=len(variables), variables=", ".join(variables), given=len(args)))
        return _evaluate(body, dict(zip(variables, args)))

    fn.__name__ = text.strip()
    return Formula(text.strip(), tuple(variables), fn)


def _allowed(variables) -> str:
    return _("{variables} (with numbers, + - * / **, pi, e and {functions})").format(
        variables=", ".join(variables), functions=", ".join(FUNCTIONS))


def _check(node, variables, text, name) -> None:
    def refuse(what):
        raise ValueError(_("{name} {text!r}: {what} is not allowed; use {allowed}").format(
            name=name, text=text, what=translated(what), allowed=_allowed(variables)))

    if isinstance(node, (ast.Expression, ast.Load)) or type(node) in _BINARY or type(node) in _UNARY:
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            refuse(_SYMBOLS.get(type(node.op), type(node.op).__name__))
        return
    if isinstance(node, ast.UnaryOp):
        if type(node.op) not in _UNARY:
            refuse(_SYMBOLS.get(type(node.op), type(node.op).__name__))
        return
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            refuse(_("the constant {value!r}").format(value=value))
        if not math.isfinite(float(value)) or abs(value) > 1e15:
            refuse(_("the number {value!r} (numbers must be finite and at most 1e15)").format(value=value))
        return
    if isinstance(node, ast.Name):
        if node.id not in variables and node.id not in CONSTANTS and node.id not in FUNCTIONS:
            refuse(_("the name {name!r}").format(name=node.id))
        return
    if isinstance(node, ast.Call):
        func = node.func.id if isinstance(node.func, ast.Name) else None
        if func not in FUNCTIONS:
            refuse(_("calling {function!r}").format(function=func) if func else
                   _("calling anything but a function name"))
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            refuse(_("a keyword or * argument"))
        if len(node.args) != FUNCTIONS[func][1]:
            refuse(_("{function} with {given} arguments ({function} takes {count})").format(
                function=func, given=len(node.args), count=FUNCTIONS[func][1]))
        return
    refuse({ast.Attribute: _("attribute access (.)"), ast.Subscript: _("indexing ([...])"), ast.Lambda: "lambda",
            ast.Compare: _("a comparison"), ast.BoolOp: "and/or", ast.IfExp: "if/else"}.get(
        type(node), f"{type(node).__name__.lower()}"))


def _evaluate(node, env):
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id in env:
            return env[node.id]
        return CONSTANTS[node.id]
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_evaluate(node.left, env), _evaluate(node.right, env))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_evaluate(node.operand, env))
    fn = FUNCTIONS[node.func.id][0]
    return fn(*(_evaluate(a, env) for a in node.args))
