"""Where the stepper draws each node and edge: a layered drawing (Sugiyama) where no edge crosses a box.

Inputs sit in layer 0, each op one layer right of its furthest operand, each constant one layer left of the op
that reads it. An edge longer than one layer passes through a free slot ("waypoint") in every layer between,
so it goes around the nodes there. Within a layer the items are ordered by the mean position of their
neighbours (the barycentre heuristic, swept left and right, keeping the order with the fewest crossings), then
moved as close to their neighbours as a one-unit spacing allows (straight chains). In every layer's band
(``|x - layer| <= BAND``) an edge runs level with its own slot, and between the bands there are no boxes: so
an edge never crosses a box other than its two ends'.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .text import show

RADIUS = 0.2  # an op's circle
INPUT_BOX = (0.25, 0.13)  # half width, half height of an input's box
CONST_BOX_HALF_HEIGHT = 0.11
BAND = 0.25  # every box fits in |x - layer| <= BAND
SWEEPS = 8
FOLLOWER_WEIGHT = 0.05  # constants and waypoints give way to ops and inputs when a layer is spaced out


class Layout(NamedTuple):
    positions: dict  # ("input", name) | ("node", k) | ("const", k, i) -> (x, y)
    boxes: dict  # the same keys -> (half width, half height) of the box drawn there
    routes: dict  # (k, i): op k's operand i -> the polyline from the operand's box to op k's box
    crossings: int  # pairs of edges that cross between two layers


def layout(graph) -> Layout:
    """The positions of every box and the route of every edge of ``graph`` (see the module's docstring)."""
    layer, edges = _layers(graph)
    chains, order = _waypoints(layer, edges)
    order = _order(order, chains)
    y = _straighten(order, chains)
    positions = {key: (float(layer[key]), y[key]) for key in layer}
    boxes = {key: _box(key, graph) for key in layer}
    routes = {}
    for (k, i), chain in chains.items():
        (x0, y0), (x1, y1) = positions[chain[0]], positions[chain[-1]]
        points = [(x0 + boxes[chain[0]][0], y0), (x0 + BAND, y0)]
        for w in chain[1:-1]:
            points += [(w[-1] - BAND, y[w]), (w[-1] + BAND, y[w])]
        points += [(x1 - BAND, y1), (x1 - boxes[chain[-1]][0], y1)]
        routes[(k, i)] = _drop_repeats(points)
    return Layout(positions, boxes, routes, count_crossings(order, chains, y))


def key_of(operand, k=None, i=None):
    """The layout key of op ``k``'s operand ``i``: an input's, an op's or (``k``, ``i`` given) a constant's."""
    if operand.kind == "input":
        return ("input", operand.key)
    return ("node", operand.key) if operand.kind == "node" else ("const", k, i)


def _layers(graph):
    layer = {("input", n): 0 for n in graph.inputs}
    edges = []  # (operand key, op key, (k, i))
    for k, op in enumerate(graph.ops):
        depth = 1 + max([layer[key_of(o)] for o in op.operands if o.kind != "const"], default=0)
        layer[("node", k)] = depth
        for i, o in enumerate(op.operands):
            source = key_of(o, k, i)
            if o.kind == "const":
                layer[source] = depth - 1
            edges.append((source, ("node", k), (k, i)))
    return layer, edges


def _waypoints(layer, edges):
    """Each edge as a chain of keys, one per layer (waypoints in between); every layer's keys in first order."""
    chains = {}
    order = {}
    for key in layer:
        order.setdefault(layer[key], []).append(key)
    for source, target, ki in edges:
        chain = [source] + [("via", *ki, x) for x in range(layer[source] + 1, layer[target])] + [target]
        for w in chain[1:-1]:
            order[w[-1]].append(w)
        chains[ki] = chain
    return chains, [order[x] for x in range(max(order) + 1)]


def _neighbours(chains):
    left, right = {}, {}
    for chain in chains.values():
        for a, b in zip(chain, chain[1:]):
            right.setdefault(a, []).append(b)
            left.setdefault(b, []).append(a)
    return left, right


def _order(order, chains):
    """Barycentre sweeps, right then left; the order with the fewest crossings found."""
    left, right = _neighbours(chains)
    order = [list(keys) for keys in order]
    best, fewest = [list(keys) for keys in order], _crossings_of(order, chains)
    for sweep in range(SWEEPS):
        layers = range(1, len(order)) if sweep % 2 == 0 else range(len(order) - 2, -1, -1)
        neighbours, near = (left, -1) if sweep % 2 == 0 else (right, 1)
        for x in layers:
            rank = {key: r for r, key in enumerate(order[x + near])}
            current = {key: r for r, key in enumerate(order[x])}
            order[x].sort(key=lambda key: (_centre(key, neighbours, rank, current), current[key]))
        found = _crossings_of(order, chains)
        if found < fewest:
            best, fewest = [list(keys) for keys in order], found
    return best


def _centre(key, neighbours, rank, current) -> float:
    """The mean rank of ``key``'s neighbours in the layer next to it (its own rank if it has none there)."""
    ranks = [rank[n] for n in neighbours.get(key, []) if n in rank]
    return float(np.mean(ranks)) if ranks else float(current[key])


def _crossings_of(order, chains):
    return count_crossings(order, chains, {key: -float(r) for keys in order for r, key in enumerate(keys)})


def count_crossings(order, chains, y) -> int:
    """Pairs of edge segments between the same two layers whose ends come in opposite orders."""
    layer_of = {key: x for x, keys in enumerate(order) for key in keys}
    segments = {}
    for chain in chains.values():
        for a, b in zip(chain, chain[1:]):
            segments.setdefault(layer_of[a], []).append((y[a], y[b]))
    total = 0
    for pairs in segments.values():
        for j, (a0, b0) in enumerate(pairs):
            for a1, b1 in pairs[j + 1:]:
                total += (a0 - a1) * (b0 - b1) < 0
    return total


def _straighten(order, chains, passes: int = 24):
    """y of every key: each layer keeps its order and one unit between neighbours, as near as it can get to
    the mean y of the neighbours it follows (isotonic regression), so chains run straight."""
    left, right = _neighbours(chains)
    y = {key: (len(keys) - 1) / 2 - r for keys in order for r, key in enumerate(keys)}
    for p in range(passes):
        layers = range(1, len(order)) if p % 2 == 0 else range(len(order) - 2, -1, -1)
        for x in layers:
            keys = order[x]
            wanted = [np.mean(_leaders(k, left.get(k, []) + right.get(k, []), y)) for k in keys]
            weights = [1.0 if k[0] in ("input", "node") else FOLLOWER_WEIGHT for k in keys]
            for key, value in zip(keys, _spaced(wanted, weights)):
                y[key] = value
    low = min(y.values())
    return {key: value - low for key, value in y.items()}


def _leaders(key, neighbours, y):
    """The heights ``key`` moves towards: an op or input follows the ops and inputs it is joined to (constants and
    waypoints follow it, so chains of ops run straight); constants and waypoints follow every neighbour."""
    real = [n for n in neighbours if n[0] in ("input", "node")]
    chosen = real if key[0] in ("input", "node") and real else neighbours
    return [y[n] for n in chosen] or [y[key]]


def _spaced(wanted, weights):
    """The values nearest ``wanted`` (weighted least squares) that fall by at least 1 from each to the next:
    isotonic regression of u = y + index (pool adjacent violators)."""
    blocks = []  # [weighted sum, total weight, count] of u, which must not increase
    for r, (w, weight) in enumerate(zip(wanted, weights)):
        blocks.append([(w + r) * weight, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] < blocks[-1][0] / blocks[-1][1]:
            total, weight_sum, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += weight_sum
            blocks[-1][2] += count
    u = [total / weight for total, weight, count in blocks for _ in range(count)]
    return [value - r for r, value in enumerate(u)]


def _box(key, graph):
    if key[0] == "const":  # as wide as its number, within the layer's band
        words = const_label(graph.ops[key[1]].operands[key[2]].const)
        return (min(BAND, 0.06 + 0.028 * len(words)), CONST_BOX_HALF_HEIGHT)
    return INPUT_BOX if key[0] == "input" else (RADIUS, RADIUS)


def const_label(value) -> str:
    return show(value, 3)


def _drop_repeats(points):
    out = [points[0]]
    for p in points[1:]:
        if p != out[-1]:
            out.append(p)
    return out


def label(value) -> str:
    """What fits next to a node: a number, three numbers, or a shape."""
    value = np.asarray(value)
    if value.ndim == 0 or value.size <= 3:
        return show(value, digits=3)
    return "×".join(map(str, value.shape))
