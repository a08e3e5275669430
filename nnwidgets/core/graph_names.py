"""Node names as the lectures write them: after the Python variables a function assigns.

``def f(x, y, z): q = x + y; f = q * z; return f`` gives the nodes ``q`` and ``f``: the function's source is
read with ``inspect`` and parsed with ``ast`` (never run), and each assignment names the last operation JAX
recorded on its lines. Lambdas, formulas and functions without readable source keep the op names (``add``,
``mul_2``); a ``names`` dict (op name -> display name) overrides both.
"""
from __future__ import annotations

import ast
import inspect
import textwrap
from typing import NamedTuple

from ..i18n import _

MAX_NAME = 24


class Assignment(NamedTuple):
    first_line: int  # line numbers in the function's file
    last_line: int
    target: str


def code_of(fn):
    """The code object whose lines name the nodes, or None (a partial, a callable object, a builtin)."""
    return getattr(inspect.unwrap(fn), "__code__", None) if callable(fn) else None


def assignments(fn) -> list[Assignment]:
    """Every ``name = ...`` (and ``name += ...``) in ``fn``'s own body, in source order; [] for a lambda or a
    function whose source cannot be read."""
    code = code_of(fn)
    if code is None or code.co_name == "<lambda>":
        return []
    try:
        lines, start = inspect.getsourcelines(inspect.unwrap(fn))
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return []
    functions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if len(functions) != 1 or functions[0].name != code.co_name:
        return []
    found = []
    for node in _own_statements(functions[0]):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if len(targets) == 1 and isinstance(targets[0], ast.Name) and getattr(node, "value", None) is not None:
            found.append(Assignment(start + node.lineno - 1, start + node.end_lineno - 1, targets[0].id))
    return sorted(found)


def _own_statements(function):
    """Assignments in ``function``'s body and its blocks (if, for, with...), not in functions defined inside."""
    stack = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            yield node
        stack += [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.stmt)]


def source_line(eqn, code) -> int | None:
    """The line of ``code`` (the traced function) that recorded this JAX equation, or None."""
    if code is None:
        return None
    traceback = getattr(getattr(eqn, "source_info", None), "traceback", None)
    for frame in getattr(traceback, "frames", None) or ():
        if frame.file_name == code.co_filename and frame.function_name in (code.co_qualname, code.co_name):
            return frame.line_num
    return None


def variable_names(lines: list, found: list[Assignment]) -> list[str | None]:
    """For each op (its source line, in order), the variable its value was assigned to, or None: each
    assignment names the last op recorded on its lines."""
    names = [None] * len(lines)
    for first, last, target in found:
        inside = [k for k, line in enumerate(lines) if line is not None and first <= line <= last]
        if inside:
            names[inside[-1]] = target
    return names


def display_names(op_names: list[str], variables: list, inputs, names: dict) -> list[str]:
    """What each node is called: ``names[op name]``, else its variable, else its op name; never an input's
    name and never twice the same (a variable assigned twice gives ``h`` and ``h_2``)."""
    chosen = [names.get(o) or v or o for o, v in zip(op_names, variables)]
    taken = set(inputs) | {names[o] for o in op_names if o in names}
    out = []
    for op_name, name in zip(op_names, chosen):
        if op_name not in names:
            base, k = name, 1
            while name in taken:
                k += 1
                name = f"{base}_{k}"
            taken.add(name)
        out.append(name)
    return out


def check_names(names, op_names: list[str], inputs) -> dict:
    """``names`` as a dict of op name -> display name, or ValueError naming ``names``."""
    if not isinstance(names, dict):
        raise ValueError(_("names must be a dict of node name -> display name, such as {{'add': 'q'}}, "
                           "got {value!r}").format(value=names))
    known = ", ".join(op_names)
    for key, value in names.items():
        if key not in op_names:
            raise ValueError(_("names: {key!r} is not a node of this graph; its nodes are {known}").format(
                key=key, known=known))
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_NAME or value != value.strip():
            raise ValueError(_("names: the name for {key!r} must be text of 1 to {maximum} characters without "
                               "spaces at the ends, got {value!r}").format(key=key, maximum=MAX_NAME, value=value))
        if value in inputs:
            raise ValueError(_("names: {value!r} (for {key!r}) is already the name of an input").format(
                value=value, key=key))
    shown = list(names.values())
    twice = sorted({v for v in shown if shown.count(v) > 1})
    if twice:
        raise ValueError(_("names: two nodes would both be called {value!r}; give each node its own name").format(
            value=twice[0]))
    return dict(names)
