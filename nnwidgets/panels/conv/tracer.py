"""The network tracer's layer list: text typed by the learner, parsed with an ``ast`` whitelist (never evaluated).

Only text in quotes, whole numbers, True/False/None, tuples, lists and dicts are allowed; a name, a call, an
attribute or anything else is refused with a message saying what is allowed and where.
"""
from __future__ import annotations

import ast
import numbers

from ..._validate import shown
from ...core.conv_trace import MAX_LAYERS
from . import text

MAX_TEXT = 5_000
MAX_NODES = 2_000
MAX_DEPTH = 6
MAX_INT = 10 ** 12  # larger numbers are refused as layer sizes by the tracer anyway


def parse_layers(source: str) -> list:
    """The layers written in ``source`` (one per line, commas between them), as ``normalize_layers`` returns them."""
    if len(source) > MAX_TEXT:
        raise ValueError(text.LAYERS_TEXT_TOO_LONG.format(limit=MAX_TEXT, length=len(source)))
    try:
        tree = ast.parse("[" + source + "\n]", mode="eval")
    except (SyntaxError, RecursionError, MemoryError) as err:
        why = getattr(err, "msg", None) or type(err).__name__
        raise ValueError(text.LAYERS_SYNTAX.format(why=why, line=getattr(err, "lineno", None) or 1)) from None
    if not isinstance(tree.body, ast.List):
        raise ValueError(text.LAYERS_SYNTAX.format(why=text.BRACKETS, line=1))
    nodes = list(ast.walk(tree.body))
    if len(nodes) > MAX_NODES:
        raise ValueError(text.LAYERS_TEXT_TOO_LONG.format(limit=MAX_TEXT, length=len(source)))
    return normalize_layers(_literal(tree.body))


def _literal(node):
    """The value of a whitelisted node: constants, tuples, lists and dicts only."""
    if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, (str, int, float))):
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(_literal(e) for e in node.elts)
    if isinstance(node, ast.List):
        return [_literal(e) for e in node.elts]
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {_literal(k): _literal(v) for k, v in zip(node.keys, node.values)}
    kind = type(node).__name__
    what = text.NOT_ALLOWED_WHAT.get(kind, kind.lower()).format(name=getattr(node, "id", None))
    raise ValueError(text.LAYERS_NOT_ALLOWED.format(line=getattr(node, "lineno", 1), what=what))


def normalize_layers(value) -> list:
    """``value`` (a list of layers, or their text) as a list of layer tuples, every inner list a tuple.

    Refuses anything that is not plain data (text, whole numbers, True/False/None, tuples, lists, dicts with text
    keys), with at most ``MAX_LAYERS`` layers; whether each layer makes sense is for ``trace_shapes`` to say.
    """
    if isinstance(value, str):
        return parse_layers(value)
    if not isinstance(value, (list, tuple)) or not 1 <= len(value) <= MAX_LAYERS:
        raise ValueError(text.BAD_LAYERS.format(limit=MAX_LAYERS, value=shown(value)))
    try:
        return [_plain(layer, 1) if isinstance(layer, str) else tuple(_plain(layer, 1)) if isinstance(
            layer, (list, tuple)) else _refuse(layer) for layer in value]
    except ValueError:
        raise ValueError(text.BAD_LAYERS.format(limit=MAX_LAYERS, value=shown(value))) from None


def _plain(value, depth: int):
    if depth > MAX_DEPTH:
        _refuse(value)
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            _refuse(value)
        return {k: _plain(v, depth + 1) for k, v in value.items()}
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, numbers.Integral) and abs(int(value)) <= MAX_INT:
        return int(value)
    return _refuse(value)


def _refuse(value):
    raise ValueError(shown(value))


def format_layers(layers) -> str:
    """The layers as the text box shows them: one per line, as Python tuples."""
    return ",\n".join(repr(layer) for layer in layers)
