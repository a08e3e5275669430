"""The perceptron panel driven headlessly: controls and state in both directions, images, errors."""
import html

import numpy as np
import pytest

import nnwidgets as nw
from nnwidgets.panels.perceptron import why_no_line


def neuron(p):
    return p.tab_view("neuron")


def test_truth_table_of_the_seed_and_gate():
    p = nw.PerceptronExplorer(gate="AND")
    assert (p.w1, p.w2, p.b) == (0.5, 0.5, -0.7)
    table = p.truth_table()
    rows = [(r["x1"], r["x2"], r["y"], r["target"]) for r in table]
    assert rows == [(0, 0, 0, 0), (1, 0, 0, 0), (0, 1, 0, 0), (1, 1, 1, 1)]
    assert [r["z"] for r in table] == [-0.7, -0.2, -0.2, 0.3]
    assert all(r["correct"] for r in table) and p.solved


@pytest.mark.parametrize("gate", ["AND", "NAND", "OR", "NOR"])
def test_presets_solve_their_gate(gate):
    p = nw.PerceptronExplorer(gate="XOR")
    assert not p.solved
    p.load_preset(gate)
    assert p.gate == gate and p.solved


def test_xor_has_no_preset_and_says_why():
    p = nw.PerceptronExplorer(gate="AND")
    with pytest.raises(ValueError, match="gate 'XOR' has no single-perceptron preset"):
        p.load_preset("XOR")
    assert p.gate == "AND"


def test_sliders_follow_traits_and_traits_follow_sliders():
    p = nw.PerceptronExplorer(gate="AND")
    view = neuron(p)
    slider = p.control("w1")
    assert slider is view.controls["w1"]
    p.w1 = 0.25
    assert slider.value == 0.25
    slider.value = -0.35
    assert p.w1 == -0.35
    p.w1 = 3.5  # outside the slider's range: the slider widens instead of clamping the state
    assert slider.value == 3.5 and p.w1 == 3.5 and slider.max >= 3.5


def test_the_image_and_the_table_change_when_a_weight_changes():
    p = nw.PerceptronExplorer(gate="AND")
    view = neuron(p)
    png, marks, table = p.to_png(), view.figure.canvas.marks, view.table.value
    p.w1 = -0.4
    assert p.to_png() != png
    assert view.figure.canvas.marks != marks
    assert view.table.value != table and "−0.4·1" in view.table.value


def test_initial_state_renders_a_real_image():
    p = nw.PerceptronExplorer(gate="OR")
    bundle = p._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("PerceptronExplorer(gate='OR'")
    import base64
    import io

    from matplotlib.image import imread

    image = imread(io.BytesIO(base64.b64decode(bundle["image/png"])))
    assert image.shape[0] >= 300 and image.shape[1] >= 300
    assert image[..., :3].std() > 0.05  # not blank: axes, shading and points drawn


def test_sigmoid_shows_probabilities_and_a_heat_map():
    p = nw.PerceptronExplorer(gate="AND", activation="sigmoid")
    y = [r["y"] for r in p.truth_table()]
    np.testing.assert_allclose(y, 1 / (1 + np.exp(-np.array([-0.7, -0.2, -0.2, 0.3]))), rtol=1e-6)
    assert any(m["type"] == "raster" for m in neuron(p).figure.canvas.marks)
    assert p.solved  # p > 0.5 exactly when z > 0


def test_threshold_toggle_decides_the_boundary_rows():
    p = nw.PerceptronExplorer(gate="OR", w1=0.5, w2=0.5, b=-0.5)
    assert [r["y"] for r in p.truth_table()] == [0, 0, 0, 1]
    p.threshold = ">="
    assert [r["y"] for r in p.truth_table()] == [0, 1, 1, 1] and p.solved
    assert "z ≥ 0" in neuron(p).status.value


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("w1", float("nan"), "w1 must be a finite number, got nan"),
        ("w2", float("inf"), "w2 must be a finite number, got inf"),
        ("w1", 1e39, "w1 must be a number between -1e+06 and 1e+06, got 1e+39"),  # finite, but not in float32
        ("b", "abc", "b must be a finite number, got 'abc' (str)"),
        ("gate", "XAND", "gate must be one of 'AND', 'OR', 'NAND', 'NOR', 'XOR', 'XNOR', got 'XAND'"),
        ("activation", "relu", "activation must be one of 'step', 'sigmoid', got 'relu'"),
        ("threshold", "=>", "threshold must be one of '>', '>=', got '=>'"),
    ],
)
def test_bad_input_is_rejected_shown_and_the_panel_keeps_working(name, value, message):
    p = nw.PerceptronExplorer(gate="AND")
    before = getattr(p, name)
    with pytest.raises(ValueError) as err:
        setattr(p, name, value)
    assert message in str(err.value)
    assert getattr(p, name) == before
    assert html.escape(message) in neuron(p).status.value
    p.w1 = 0.1  # still alive, and the message clears
    assert p.error == "" and "⚠" not in neuron(p).status.value
    assert p.truth_table()[1]["z"] == -0.6


def test_gate_names_are_case_insensitive():
    assert nw.PerceptronExplorer(gate="nand").gate == "NAND"


def test_learn_tab_solves_or_and_explains_xor():
    p = nw.PerceptronExplorer(gate="OR", w1=0.0, w2=0.0, b=0.0)
    learn = p.tab_view("learn")
    assert p.learn.history.first_solved_epoch() is not None
    assert "finds a line for OR" in learn.status.value
    p.gate = "XOR"
    assert p.learn.history.first_solved_epoch() is None
    assert "no line can compute XOR" in learn.status.value  # one short sentence; the proof is folded away
    assert "w1 + w2 + b ≤ 0" not in learn.status.value
    assert "<details" in learn.why.value and "w1 + w2 + b ≤ 0" in learn.why.value
    learn.epoch.value = 5  # the scrub slider sets the state
    assert p.learn.epoch == 5
    weights = p.learn.history.weights[5]
    p.learn.use_weights()
    assert (p.w1, p.w2) == tuple(float(v) for v in weights)


@pytest.mark.parametrize("gate", ["XOR", "XNOR"])
@pytest.mark.parametrize("threshold", [">", ">="])
def test_why_no_line_states_a_real_contradiction(gate, threshold):
    text = why_no_line(gate, threshold)
    assert text.startswith(f"No line can compute {gate}")
    assert why_no_line("AND", threshold) == ""


def test_stack_tab_shows_the_xor_network_and_the_seed_002_slip():
    p = nw.PerceptronExplorer(gate="XOR", tab="stack")
    stack = p.tab_view("stack")
    assert p.stack.solved and p.stack.computes() == "XOR"
    assert [(r["s1"], r["s2"], r["y"]) for r in p.stack.truth_table()] == [(1, 0, 0), (1, 1, 1), (1, 1, 1), (0, 1, 0)]
    p.stack.load_preset("h1 − h2 network (seed 002)")
    assert p.stack.computes() == "XNOR" and not p.stack.solved
    assert "This network computes XNOR, not XOR" in stack.status.value
    png = p.to_png()
    p.stack.y_b = 0.7
    assert p.to_png() != png


def test_mlp_tab_trains_xor_and_scrubs():
    p = nw.PerceptronExplorer(tab="mlp")
    view = p.tab_view("mlp")
    result = p.mlp.result
    y = result.predict(np.float32([[0, 0], [1, 0], [0, 1], [1, 1]]))[:, 0]
    assert (y > 0.5).tolist() == [False, True, True, False]
    assert "epoch 20000 of 20000" in view.status.value
    marks = view.figure.canvas.marks
    view.snapshot.value = 0
    assert p.mlp.snapshot == 0
    assert "initial weights" in view.status.value and view.figure.canvas.marks != marks
    with pytest.raises(ValueError, match="lr must be a number greater than 0 and at most 10, got -1.0"):
        p.mlp.lr = -1.0
    assert "lr must be a number greater than 0" in view.status.value


def test_tab_selection_follows_the_trait():
    p = nw.PerceptronExplorer()
    p.tab = "learn"
    assert p.view.selected_index == 1
    p.view.selected_index = 2
    assert p.tab == "stack"
    with pytest.raises(ValueError, match="tab must be one of 'neuron', 'learn', 'stack', 'mlp', got 'nope'"):
        p.tab = "nope"
    assert p.tab == "stack" and p.view.selected_index == 2


def test_the_learn_tabs_epochs_slider_compiles_nothing(count_compiles):
    """Epochs 1-200 (the slider's range) all run in one compiled program, cut to length."""
    panel = nw.PerceptronExplorer(gate="OR")
    panel.open_tab("learn")
    panel.learn.epochs = 3
    before = count_compiles.count
    for epochs in (1, 31, 33, 64, 65, 130, 200, 7):
        panel.learn.epochs = epochs
        assert len(panel.learn.history.mistakes) == epochs + 1
    assert count_compiles.programs[before:] == []
