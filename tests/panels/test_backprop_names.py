"""Issue 12 on the stepper: nodes named as the lectures name them, readable text, the sigmoid toggle only where a
sigmoid is, and seed 002's softmax + cross-entropy graph with p − y at the logits."""
import json
import re

import jax
import numpy as np
import pytest
from matplotlib.text import Text

from nnwidgets.panels.backprop import PRESETS, BackpropState, BackpropStepper

RTOL = 1e-5


def lecture(x, y, z):
    q = x + y
    f = q * z
    return f


def test_a_function_names_its_nodes_after_its_variables():
    g = BackpropStepper(lecture, x=-2.0, y=5.0, z=-4.0)
    assert [n.name for n in g.nodes] == ["q", "f"] and [n.op_name for n in g.nodes] == ["add", "mul"]
    g.step()
    assert g.explain() == ["q = x + y = −2 + 5 = 3"]
    g.position = 3
    assert g.explain()[0] == "upstream ∂f/∂f = 1 (the output: ∂f/∂f = 1)"
    assert "∂f/∂q ← upstream × local = 1 × −4 = −4" in g.explain()
    figure_text = [t.get_text() for t in g.view.figure.fig.findobj(Text)]
    assert "q" in figure_text and "add" not in figure_text


def test_names_override_saves_and_is_refused_by_name():
    g = BackpropStepper("(x + y) * z", x=-2.0, y=5.0, z=-4.0, names={"add": "q"})
    assert [n.name for n in g.nodes] == ["q", "mul"]
    g.names = {"add": "q", "mul": "f"}
    assert [n.name for n in g.nodes] == ["q", "f"]
    assert "f" in [t.get_text() for t in g.view.figure.fig.findobj(Text)]  # the picture is redrawn
    d = g.to_dict()
    assert d["names"] == {"add": "q", "mul": "f"} and BackpropState.from_dict(json.loads(json.dumps(d))).to_dict() == d
    before = g.to_dict()
    for bad, pattern in (({"div": "q"}, "names: 'div' is not a node of this graph; its nodes are add, mul"),
                         ({"add": "x"}, "already the name of an input"), ("q", "names must be a dict")):
        with pytest.raises(ValueError, match=pattern):
            g.names = bad
        assert g.to_dict() == before and "names" in g.error
    g.formula = "x * y + z"  # another function: its own names again
    assert g.names == {} and [n.name for n in g.nodes] == ["mul", "add"]
    with pytest.raises(ValueError, match="names: 'sub'"):
        BackpropStepper(lecture, x=1.0, y=2.0, z=3.0, names={"sub": "d"})


LECTURE_NAMES = {
    "add_mul": ["q", "f"],
    "chain_rule": ["g", "z"],
    "apple": ["apple_price", "price"],
    "apple_orange": ["apple_price", "orange_price", "all_price", "price"],
    "sigmoid_neuron": ["w0x0", "w1x1", "s", "a", "neg_a", "exp_neg_a", "denom", "f"],
    "exercise_3": ["x²", "g", "f"],
    "norm_squared": ["q", "q²", "f"],
    "softmax_with_loss": ["Wz", "a", "e", "S", "p", "log_p", "y_log_p", "total", "L"],
}


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_use_the_lectures_names(name):
    g = BackpropState(preset_name=name)
    shown = [n.name for n in g.nodes]
    assert not [s for s in shown if re.fullmatch(r"[a-z]+_\d+", s)], shown  # no JAX numbering (mul_2, add_3)
    assert shown[-1] in ("f", "z", "L", "price"), "the output has the lecture's name"
    if name in LECTURE_NAMES:
        assert shown == LECTURE_NAMES[name]


def test_collapsed_sigmoid_keeps_the_lecture_names():
    g = BackpropState(preset_name="sigmoid_neuron", sigmoid="collapsed")
    assert [n.name for n in g.nodes] == ["w0x0", "w1x1", "s", "a", "f"]


@pytest.mark.parametrize("name", ["sigmoid_neuron", "softmax_with_loss", "affine"])
def test_text_is_at_least_11_px_on_the_canvas_and_in_the_png(name):
    g = BackpropStepper.preset(name)
    g.position = g.total_steps  # every value and gradient shown
    texts = [t for t in g.view.figure.fig.findobj(Text) if t.get_text()]
    assert texts and min(t.get_fontsize() * 100 / 72 for t in texts) >= 11  # figures are 100 dpi: px = pt / 0.72
    marks = [m for m in g.view.figure.canvas.marks if m.get("kind", m.get("type")) == "text" or "text" in m]
    assert marks and min(m["size"] for m in marks) >= 11


def test_sigmoid_toggle_only_where_there_is_a_sigmoid():
    g = BackpropStepper.preset("add_mul")
    assert g.control("sigmoid").layout.display == "none"
    g.preset_name = "sigmoid_neuron"
    assert g.control("sigmoid").layout.display != "none"
    g.sigmoid = "collapsed"
    assert g.control("sigmoid").layout.display != "none"
    g.preset_name = "apple"
    assert g.control("sigmoid").layout.display == "none"
    assert BackpropStepper("1 / (1 + exp(-(w*x)))", w=1.0, x=2.0).control("sigmoid").layout.display != "none"
    assert BackpropStepper(lambda x: jax.nn.sigmoid(x), x=1.0).control("sigmoid").layout.display != "none"
    assert BackpropStepper("exp(-x) + 1", x=1.0).control("sigmoid").layout.display == "none"


# ---- seed 002's softmax + cross-entropy graph ---------------------------------------------------------------------
def test_softmax_with_loss_follows_seed_002():
    g = BackpropState(preset_name="softmax_with_loss")
    W, z, b = (np.asarray(g.inputs[n], float) for n in ("W", "z", "b"))
    y = np.array([1.0, 0.0])  # the exercise's label: cat, one-hot
    a = W @ z + b
    p = np.exp(a) / np.exp(a).sum()
    np.testing.assert_allclose(a, [0.48, 1.02], rtol=RTOL)  # the seed's a = wz + b
    np.testing.assert_allclose(p, [0.37, 0.63], atol=0.005)  # the seed's softmax(a) ≈ (0.37, 0.63)
    assert [n.op for n in g.nodes] == ["dot_general", "add", "exp", "reduce_sum", "div", "log", "mul", "reduce_sum",
                                       "neg"]  # exp, Σ, ÷ (softmax), log, × y, Σ, × −1: the book's graph
    node = {n.name: n for n in g.nodes}
    np.testing.assert_allclose(node["p"].value, p, rtol=RTOL)
    assert g.output == pytest.approx(-np.log(p[0]), rel=RTOL)  # natural log: 0.999163
    assert -np.log10(0.37) == pytest.approx(0.4318, abs=1e-4)  # the slide's 0.4318 is −log10 0.37
    g.position = g.total_steps
    np.testing.assert_allclose({n.name: n for n in g.nodes}["a"].grad, p - y, rtol=RTOL)  # p − y at the logits
    np.testing.assert_allclose(g.gradients["b"], p - y, rtol=RTOL)
    np.testing.assert_allclose(g.gradients["W"], np.outer(p - y, z), rtol=RTOL)
    while g.graph.ops[g.current].name != "a":
        g.back()
    lines = g.explain()
    assert lines[-1].startswith("∂L/∂a = p − y = [0.3682, 0.6318] − [1, 0] = [−0.6318, 0.6318]")
    g.back()
    assert not any("p − y" in line for line in g.explain())  # only at the logits
