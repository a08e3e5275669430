"""The stepper's drawing: no edge crosses a box, and the presets are drawn with as few crossings as the lectures.

Geometry is checked independently of the layout code: every edge's polyline is clipped against every box
(Liang-Barsky), and crossings are counted as pairs of segments that really intersect in the plane.
"""
import itertools

import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnwidgets.core.graph import MAX_OPS, Graph, Op, Operand
from nnwidgets.panels.backprop import PRESETS, BackpropState
from nnwidgets.panels.backprop.layout import layout

# Crossings as the lectures draw these graphs (all planar): the layout must do no worse.
REFERENCE_CROSSINGS = {name: 0 for name in PRESETS}
EPS = 1e-9


def segment_hits_box(p, q, centre, half) -> bool:
    """Does the segment p-q pass through the inside of the axis-aligned box (Liang-Barsky clipping)?"""
    (x0, y0), (x1, y1) = p, q
    dx, dy = x1 - x0, y1 - y0
    lo, hi = 0.0, 1.0
    for step, near, far in ((dx, x0 - (centre[0] - half[0]), (centre[0] + half[0]) - x0),
                            (dy, y0 - (centre[1] - half[1]), (centre[1] + half[1]) - y0)):
        near, far = near - EPS, far - EPS  # touching the border is not crossing
        for s, d in ((-step, near), (step, far)):
            if s == 0:
                if d < 0:
                    return False
            elif s < 0:
                lo = max(lo, d / s)
            else:
                hi = min(hi, d / s)
    return lo < hi - EPS


def segments_cross(a, b, c, d) -> bool:
    """Do segments a-b and c-d cross at a point inside both (not at a shared end)?"""
    def orient(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    d1, d2, d3, d4 = orient(c, d, a), orient(c, d, b), orient(a, b, c), orient(a, b, d)
    return d1 * d2 < -EPS and d3 * d4 < -EPS


def ends_of(graph, k, i):
    o = graph.ops[k].operands[i]
    source = ("input", o.key) if o.kind == "input" else (("node", o.key) if o.kind == "node" else ("const", k, i))
    return source, ("node", k)


def check_drawing(graph):
    drawing = layout(graph)
    keys = list(drawing.positions)
    assert len(keys) == len(graph.inputs) + len(graph.ops) + sum(
        o.kind == "const" for op in graph.ops for o in op.operands)
    for a, b in itertools.combinations(keys, 2):  # boxes never overlap
        (xa, ya), (xb, yb) = drawing.positions[a], drawing.positions[b]
        (wa, ha), (wb, hb) = drawing.boxes[a], drawing.boxes[b]
        assert abs(xa - xb) >= wa + wb - EPS or abs(ya - yb) >= ha + hb - EPS, (a, b)
    assert set(drawing.routes) == {(k, i) for k, op in enumerate(graph.ops) for i in range(len(op.operands))}
    for (k, i), route in drawing.routes.items():
        source, target = ends_of(graph, k, i)
        (xs, ys), (xt, yt) = drawing.positions[source], drawing.positions[target]
        assert route[0] == pytest.approx((xs + drawing.boxes[source][0], ys))  # leaves the source's right side
        assert route[-1] == pytest.approx((xt - drawing.boxes[target][0], yt))  # enters the target's left side
        assert all(q[0] > p[0] for p, q in zip(route, route[1:])), "edges run left to right"
        for key in keys:
            if key in (source, target):
                continue
            for p, q in zip(route, route[1:]):
                assert not segment_hits_box(p, q, drawing.positions[key], drawing.boxes[key]), \
                    f"edge {ends_of(graph, k, i)} crosses the box of {key}"
    return drawing


def geometric_crossings(drawing) -> int:
    segments = [[(p, q) for p, q in zip(r, r[1:])] for r in drawing.routes.values()]
    return sum(any(segments_cross(a, b, c, d) for a, b in r for c, d in s)
               for r, s in itertools.combinations(segments, 2))


@pytest.mark.parametrize("name", list(PRESETS))
@pytest.mark.parametrize("sigmoid", ["as written", "collapsed", "expanded"])
def test_no_edge_crosses_a_box_in_any_preset(name, sigmoid):
    g = BackpropState(preset_name=name, sigmoid=sigmoid)
    drawing = check_drawing(g.graph)
    assert geometric_crossings(drawing) == drawing.crossings <= REFERENCE_CROSSINGS[name]


def test_sigmoid_neuron_inputs_are_ordered_by_use():
    """The lecture draws w0, x0 (first product), w1, x1 (second product), w2 (the bias) top to bottom."""
    drawing = layout(BackpropState(preset_name="sigmoid_neuron").graph)
    names = ["w0", "x0", "w1", "x1", "w2"]
    heights = [drawing.positions[("input", n)][1] for n in names]
    assert heights == sorted(heights, reverse=True)
    assert drawing.crossings == 0


# ---- random graphs up to the stepper's size limit ---------------------------------------------------------------
@st.composite
def random_graphs(draw):
    n_inputs = draw(st.integers(1, 6))
    inputs = {f"x{j}": ((), np.dtype("float32")) for j in range(n_inputs)}
    ops = []
    for k in range(draw(st.integers(1, MAX_OPS))):
        operands = []
        for _ in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(["input", "node", "node", "const"] if k else ["input", "const"]))
            if kind == "input":
                operands.append(Operand("input", f"x{draw(st.integers(0, n_inputs - 1))}"))
            elif kind == "node":
                operands.append(Operand("node", draw(st.integers(max(0, k - 8), k - 1))))
            else:
                operands.append(Operand("const", None, np.float32(draw(st.integers(-9, 99)))))
        ops.append(Op(f"op{k}", "add", None, {}, tuple(operands), (), np.dtype("float32")))
    return Graph(inputs, ops, len(ops) - 1)


@settings(max_examples=40, deadline=None)
@given(random_graphs())
def test_no_edge_crosses_a_box_in_random_graphs(graph):
    drawing = check_drawing(graph)
    assert geometric_crossings(drawing) == drawing.crossings


@pytest.mark.parametrize("seed", range(4))
def test_no_edge_crosses_a_box_in_random_traced_functions(seed):
    """Seeded random jnp functions of up to ~60 ops, traced by JAX (fan-out, constants, unary and binary ops)."""
    rng = np.random.default_rng(seed)
    steps = [(rng.integers(0, 4), rng.integers(0, 10**6, 2)) for _ in range(int(rng.integers(20, 45)))]

    def fn(a, b, c):
        values = [a, b, c]
        for kind, (i, j) in steps:
            u, v = values[i % len(values)], values[j % len(values)]
            values.append([u + v, u * v, jnp.sin(u) - 0.5, jnp.tanh(u) * 2.0][kind])
        return sum(values[-4:])

    g = BackpropState(fn, a=0.3, b=-0.7, c=1.1)
    assert 20 <= len(g.graph.ops) <= MAX_OPS
    check_drawing(g.graph)


def test_the_geometry_helpers_see_crossings():
    assert segment_hits_box((0, 0), (3, 0), (1.5, 0), (0.2, 0.2))  # w2's old straight edge through add
    assert not segment_hits_box((0, 0), (3, 0), (1.5, 0.5), (0.2, 0.2))
    assert not segment_hits_box((0, 0), (1.3, 0), (1.5, 0), (0.2, 0.2))  # ends at the box's border
    assert segments_cross((0, 0), (1, 1), (0, 1), (1, 0)) and not segments_cross((0, 0), (1, 1), (1, 1), (2, 0))
