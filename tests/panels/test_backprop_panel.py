"""The backprop stepper driven headlessly: API, stepping, presets, vector mode, fan-out, controls and errors."""
import jax.numpy as jnp
import numpy as np
import pytest

import nnwidgets as nw

RTOL = 1e-5
Stepper = nw.BackpropStepper


def test_api_of_the_issue():
    g = Stepper(lambda x, y, z: (x + y) * z, x=-2.0, y=5.0, z=-4.0)
    assert g.output == -12.0
    assert g.gradients == {"x": -4.0, "y": -4.0, "z": 3.0}
    assert [n.op for n in g.nodes] == ["add", "mul"] and g.nodes[0].inputs == ["x", "y"]
    assert g.nodes[0]["value"] == 3.0 and g.nodes[0].grad is None and "swap the inputs" in g.nodes[1].rule
    assert g.phase == "forward"
    g.step(), g.step()
    assert g.phase == "forward" and g.nodes[1].grad is None
    g.step()
    assert g.phase == "backward" and g.nodes[1].grad == 1.0 and g.nodes[0].grad is None
    g.step()
    assert g.phase == "done" and g.nodes[0].grad == -4.0
    g.back()
    assert g.phase == "backward" and g.nodes[0].grad is None
    g.reset()
    assert g.position == 0 and g.phase == "forward"


def test_stepping_visits_every_node_forward_then_backward():
    g = Stepper.preset("sigmoid_neuron")
    n = len(g.nodes)
    visited = []
    while g.phase != "done":
        g.step()
        visited.append((g.current_direction, g.current))
    assert visited == [("forward", k) for k in range(n)] + [("backward", k) for k in reversed(range(n))]
    g.step()  # stepping past the end stays done
    assert g.position == 2 * n
    for expected in reversed(visited[:-1]):  # back() undoes one step at a time
        g.back()
        assert (g.current_direction, g.current) == expected
    g.back()
    g.back()
    assert g.position == 0 and g.current is None


def test_explanations_write_out_each_step():
    g = Stepper(lambda x, y, z: (x + y) * z, x=-2.0, y=5.0, z=-4.0)
    g.step()
    assert g.explain() == ["add = x + y = −2 + 5 = 3"]
    g.position = 3
    lines = g.explain()
    assert lines[0] == "upstream ∂f/∂mul = 1 (the output: ∂f/∂f = 1)"
    assert "∂f/∂add ← upstream × local = 1 × −4 = −4" in lines and "∂f/∂z ← upstream × local = 1 × 3 = 3" in lines
    g.step()
    assert "∂f/∂x ← upstream × local = −4 × 1 = −4" in g.explain()


@pytest.mark.parametrize("name, output, gradients", [
    ("add_mul", -12, {"x": -4, "y": -4, "z": 3}),
    ("apple", 220, {"apple": 2.2, "apple_num": 110, "tax": 200}),
    ("apple_orange", 715, {"apple": 2.2, "apple_num": 110, "orange": 3.3, "orange_num": 165, "tax": 650}),
    ("sigmoid_neuron", 0.731059, {"w0": -0.196612, "w1": -0.393224, "w2": 0.196612, "x0": 0.393224,
                                  "x1": -0.589836}),
    ("chain_rule", 9, {"x": 3, "y": 2}),
    ("t_squared", 9, {"x": 6, "y": 6}),
    ("five_x_plus_3", 256, {"x": 320}),
    ("exercise_3", 19, {"w": 9, "x": 12, "b": 1}),
    ("relu_gate", 2, {"x": 1}),
    ("mse", 0.3969, {"y": [-0.63, 0.63]}),
    ("softmax_with_loss", 0.999163, {"b": [0.368188 - 1, 0.631812]}),
    ("norm_squared", 0.116, {"W": [[0.088, 0.176], [0.104, 0.208]], "x": [-0.112, 0.636]}),
])
def test_every_seed_preset(name, output, gradients):
    g = Stepper.preset(name)
    assert g.output == pytest.approx(output, rel=RTOL)
    for key, value in gradients.items():
        np.testing.assert_allclose(g.gradients[key], value, rtol=RTOL, atol=1e-6)
    assert g.gradient_check()["agree"]
    assert name in Stepper.presets() and g.title


def test_every_preset_is_listed_and_builds():
    presets = Stepper.presets()
    assert {"apple_orange", "sigmoid_neuron", "affine", "relu_gate", "exercise_3"} <= set(presets)
    for name in presets:
        g = Stepper.preset(name)
        assert g.gradient_check()["max_relative_difference"] < 1e-4, name
    with pytest.raises(ValueError, match="name must be one of .*got 'apples'"):
        Stepper.preset("apples")


def test_vector_mode_shows_the_affine_shape_rules():
    g = Stepper.preset("affine")
    X, W, b = (np.asarray(g.inputs[n], float) for n in ("X", "W", "b"))
    dY = X @ W + b
    np.testing.assert_allclose(g.gradients["X"], dY @ W.T, rtol=1e-5)
    np.testing.assert_allclose(g.gradients["W"], X.T @ dY, rtol=1e-5)
    np.testing.assert_allclose(g.gradients["b"], dY.sum(axis=0), rtol=1e-5)
    assert g.nodes[0].shape == (2, 3)
    lines = []
    while g.phase != "done":
        g.step()
        lines += g.explain()
    text = "\n".join(lines)
    assert "dX = dY · Wᵀ: (2, 3)·(3, 2) → (2, 2)" in text
    assert "dW = Xᵀ · dY: (2, 2)·(2, 3) → (2, 3)" in text
    assert "Σ over axis 0" in text and "(2, 3) → (1, 3)" in text


def test_fan_out_shows_the_gradients_being_summed():
    g = Stepper(lambda x, y: x * y + x, x=3.0, y=-2.0)
    assert g.gradients["x"] == pytest.approx(-2 + 1)
    lines = []
    while g.phase != "done":
        g.step()
        lines += g.explain()
    fan = [line for line in lines if line.startswith("fan-out: x feeds 2 nodes")]
    assert fan[0].endswith("= 1 (1 of 2 arrived)")
    assert fan[-1] == "fan-out: x feeds 2 nodes, so its gradients add up: 1 + −2 = −1 (all arrived)"


def test_sigmoid_collapse_and_expand():
    g = Stepper.preset("sigmoid_neuron")
    written = len(g.nodes)
    gradients = g.gradients
    g.sigmoid = "collapsed"
    assert len(g.nodes) == written - 3 and [n.op_name for n in g.nodes][-1] == "sigmoid"
    assert g.nodes[-1].name == "f"  # the sigmoid node keeps the name of the variable the function assigns
    assert "y(1 − y)" in next(n.rule for n in g.nodes if n.op == "logistic")
    for key, value in gradients.items():
        assert g.gradients[key] == pytest.approx(value, rel=RTOL)
    g2 = Stepper(lambda x: jnp.tanh(x) * __import__("jax").nn.sigmoid(x), x=0.3, sigmoid="expanded")
    assert [n.op for n in g2.nodes] == ["tanh", "neg", "exp", "add", "div", "mul"]


def test_inputs_edit_and_everything_updates():
    g = Stepper(lambda x, y, z: (x + y) * z, x=-2.0, y=5.0, z=-4.0)
    png, check = g.to_png(), g.view.check.value
    g.control("x").value = 1.0
    assert g.inputs["x"] == 1.0 and g.output == -24.0 and g.gradients["z"] == 6.0
    assert "f = −24" in g.view.summary.value
    g.set_input("z", 2.0)
    assert g.control("z").value == 2.0 and g.output == 12.0
    assert g.to_png() != png and "agree" in g.view.check.value and check
    a = Stepper.preset("affine")
    a.control("b").value = "[1, 2, 3]"
    np.testing.assert_allclose(a.gradients["b"], (a.inputs["X"] @ a.inputs["W"] + [1, 2, 3]).sum(axis=0), rtol=1e-5)


def test_step_buttons_scrub_slider_and_picture():
    g = Stepper.preset("apple_orange")
    marks = g.view.figure.canvas.marks
    g.control("step").click()
    assert g.position == 1 and g.control("position").value == 1 and g.view.figure.canvas.marks != marks
    assert "step 1 of 8" in g.view.explanation.value and "apple_price = apple × apple_num" in g.view.explanation.value
    g.control("position").value = 6
    assert g.position == 6 and "∂f/∂" in g.view.explanation.value
    g.control("back").click()
    assert g.position == 5
    g.control("reset").click()
    assert g.position == 0 and g.control("play").value == 0


def test_gradient_check_line_reports_agreement():
    g = Stepper.preset("softmax_with_loss")
    check = g.gradient_check()
    assert check["agree"] and check["max_relative_difference"] < 1e-5
    np.testing.assert_allclose(check["finite_differences"]["b"], [0.368188 - 1, 0.631812], rtol=1e-5)
    assert "✓ agree" in g.view.check.value
    kink = Stepper(lambda x: jnp.maximum(x, 0.0), x=0.0)  # a tie: JAX gives ½, finite differences ½ too
    assert kink.gradients["x"] == 0.5 and kink.gradient_check()["agree"]
    relu = Stepper(lambda x: jnp.abs(x), x=0.0)  # |x| at 0: JAX says 1, the central difference 0
    assert not relu.gradient_check()["agree"] and "✗ differ" in relu.view.check.value


@pytest.mark.parametrize("make, error, pattern", [
    (lambda: Stepper(lambda x, y: x * y, x=1.0), ValueError, "missing input 'y': fn\\(x, y\\) needs"),
    (lambda: Stepper(lambda x: x * 2, x=1.0, w=2.0), ValueError, "unknown input 'w': fn\\(x\\) takes x"),
    (lambda: Stepper(lambda x: x * 2, x=float("nan")), ValueError, "x must contain only finite numbers"),
    (lambda: Stepper(lambda x: x * 2, x=float("inf")), ValueError, "x must contain only finite numbers"),
    (lambda: Stepper(lambda x: x * 2, x=[1.0, np.inf]), ValueError, "x must contain only finite numbers"),
    (lambda: Stepper(lambda x: x * 2, x=1e9), ValueError, "x entries must be between"),
    (lambda: Stepper(lambda x: x * 2, x=True), ValueError, "x must be a number or an array"),
    (lambda: Stepper(lambda x: x * 2, x=[]), ValueError, "x must not be empty"),
    (lambda: Stepper(lambda x: x * 2, x="three"), ValueError, "x must be a number"),
    (lambda: Stepper(42, x=1.0), TypeError, "fn must be a function"),
    (lambda: Stepper(lambda: 3.0), ValueError, "fn must take named inputs"),
    (lambda: Stepper(lambda x: x * 2, x=np.ones(3)), ValueError, "one scalar.*jnp.sum"),
    (lambda: Stepper(lambda x: jnp.sum(jnp.sort(x)), x=np.ones(3)), ValueError, "primitive 'sort'"),
    (lambda: Stepper(lambda x: x * 2, x=1.0, sigmoid="folded"), ValueError, "sigmoid must be one of"),
])
def test_bad_input_is_a_clear_error(make, error, pattern):
    with pytest.raises(error, match=pattern):
        make()


def test_the_panel_shows_errors_and_keeps_working():
    g = Stepper(lambda x, y: x * y, x=2.0, y=3.0)
    g.control("x").value = float("nan")
    assert g.inputs["x"] == 2.0 and g.control("x").value == 2.0
    assert "x must contain only finite numbers" in g.view.status.value
    with pytest.raises(ValueError, match="unknown input 'q'"):
        g.set_input("q", 1.0)
    g.control("y").value = 4.0
    assert g.output == 8.0 and g.view.status.value == ""
    v = Stepper(lambda v: jnp.sum(v ** 2), v=[1.0, 2.0])
    v.control("v").value = "[1, two]"
    assert "v must be a number or a list of numbers" in v.view.status.value
    assert v.control("v").value == "[1.0, 2.0]" and v.output == 5.0
    v.control("v").value = "[1.0, 2.0, 3.0]"  # a new shape re-traces the graph
    assert v.output == 14.0 and v.total_steps == 4


def test_inputs_outside_the_domain_are_refused_not_hidden():
    g = Stepper(lambda x: jnp.log(x), x=1.0)
    g.control("x").value = -1.0
    assert g.inputs["x"] == 1.0 and g.output == 0.0 and g.control("x").value == 1.0
    assert "x = −1 is outside the domain of fn: the value of log is nan" in g.view.status.value
    assert "outside the domain" in g.error
    g.control("x").value = 2.0
    assert g.output == pytest.approx(np.log(2)) and g.view.status.value == "" and g.error == ""


def test_moving_inputs_never_recompiles(count_compiles):
    affine, neuron = Stepper.preset("affine"), Stepper.preset("sigmoid_neuron")  # building them compiles
    before = count_compiles.count
    rng = np.random.default_rng(1)
    for value in np.linspace(-2, 2, 30):
        neuron.control("w0").value = float(value)
        neuron.step()
    for _ in range(10):
        affine.control("b").value = str(rng.normal(size=3).round(3).tolist())
        affine.set_input("X", rng.normal(size=(2, 2)))
    assert count_compiles.count == before, count_compiles.programs[before:]


def test_a_15_node_graph_is_laid_out_left_to_right():
    from nnwidgets.panels.backprop.layout import layout

    g = Stepper(lambda a, b, c: jnp.tanh(a * b + c) * jnp.exp(-a) + (a - c) ** 2 / (1 + b * b) + jnp.sin(a * c),
                a=0.5, b=-1.0, c=0.25)
    assert 12 <= len(g.nodes) <= 20
    pos = layout(g.graph).positions
    for k, op in enumerate(g.graph.ops):
        for o in op.operands:
            if o.kind == "node":
                assert pos[("node", o.key)][0] < pos[("node", k)][0]
    assert len(set(pos.values())) == len(pos)  # no two nodes on top of each other
    assert g.to_png()[:4] == b"\x89PNG"


def test_repr_and_static_image():
    g = Stepper(lambda x, y, z: (x + y) * z, x=-2.0, y=5.0, z=-4.0)
    assert repr(g) == "BackpropStepper(x=−2, y=5, z=−4) -> −12, 2 nodes, forward"
    bundle = g._repr_mimebundle_()
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
