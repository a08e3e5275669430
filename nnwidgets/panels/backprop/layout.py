"""Where the stepper draws each node: inputs on the left, each op one layer right of its furthest operand."""
from __future__ import annotations

import numpy as np

from .text import show


def layout(graph) -> dict:
    """Positions (x = layer, y = row) for ("input", name), ("node", k) and ("const", k, i).

    Inputs sit in layer 0, each op one layer right of its furthest operand; within a layer ops are
    ordered by the mean height of their operands, which keeps most edges from crossing.
    """
    pos = {("input", n): (0.0, -float(i)) for i, n in enumerate(graph.inputs)}
    layer = {}
    for k, op in enumerate(graph.ops):
        layer[k] = 1 + max([layer[o.key] if o.kind == "node" else 0 for o in op.operands if o.kind != "const"],
                           default=0)
    for depth in range(1, max(layer.values()) + 1):
        ops = [k for k in layer if layer[k] == depth]

        def height(k):
            ys = [pos[key_of(o)][1] for o in graph.ops[k].operands if o.kind != "const"]
            return np.mean(ys) if ys else 0.0

        for row, k in enumerate(sorted(ops, key=lambda k: -height(k))):
            pos[("node", k)] = (float(depth), -float(row))
    rows = {}
    for (x, y) in pos.values():
        rows.setdefault(x, []).append(y)
    for key, (x, y) in list(pos.items()):  # centre every layer vertically
        pos[key] = (x, y + (len(rows[x]) - 1) / 2)
    for k, op in enumerate(graph.ops):
        consts = [i for i, o in enumerate(op.operands) if o.kind == "const"]
        x, y = pos[("node", k)]
        for j, i in enumerate(consts):
            pos[("const", k, i)] = (x - 0.5, y + 0.28 * (1 if j % 2 == 0 else -1) * (1 + j // 2))
    return pos


def key_of(operand):
    return ("input", operand.key) if operand.kind == "input" else ("node", operand.key)


def label(value) -> str:
    """What fits next to a node: a number, three numbers, or a shape."""
    value = np.asarray(value)
    if value.ndim == 0 or value.size <= 3:
        return show(value, digits=3)
    return "×".join(map(str, value.shape))
