"""Issue 11's panel contract on the perceptron panel: each finding as a named test, rollback, saving and restoring."""
import ast
import json
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nnwidgets as nw
from nnwidgets.core.mlp import MLPResult, snapshot_epochs
from nnwidgets.core.perceptron import GATES, LearningHistory
from nnwidgets.panels import perceptron as package
from nnwidgets.panels._state import PanelState
from nnwidgets.panels._traits import Checked
from nnwidgets.panels.perceptron import LearnState, MLPState, PerceptronState, StackState
from nnwidgets.panels.perceptron.learn import LearnStep
from nnwidgets.panels.perceptron.mlp import MLPSnapshot
from nnwidgets.panels.perceptron.stack import WEIGHTS

PACKAGE = Path(package.__file__).parent
STATE_MODULES = ("checks", "learn", "mlp", "neuron", "stack", "state", "text")


def saved(p) -> str:
    return json.dumps(p.to_dict(), sort_keys=True)


# ---- layout ---------------------------------------------------------------------------------------------------------
def test_xor_stack_traits_are_written_plainly_not_minted_with_locals_update():
    source = (PACKAGE / "stack.py").read_text()
    assert "locals()" not in source
    for name in WEIGHTS:
        assert isinstance(StackState.__dict__[name], Checked), name
        assert f"    {name} = Checked(" in source


def imports_of(module: str) -> tuple[set, list]:
    """(modules of this package imported at top level, imports found inside functions)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    top = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            top |= {node.module} if node.module else {alias.name for alias in node.names}
    nested = [node.lineno for fn in ast.walk(tree) if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
              for node in ast.walk(fn) if isinstance(node, (ast.Import, ast.ImportFrom))]
    return top, nested


def test_states_never_import_views_no_cycles_no_function_level_imports():
    modules = [path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__"]
    graph = {}
    for module in modules:
        top, nested = imports_of(module)
        assert not nested, f"{module}.py imports inside a function at lines {nested}"
        graph[module] = top & set(modules)
    for module in STATE_MODULES:
        views = {m for m in graph[module] if m in ("view", "square") or m.endswith("_view")}
        assert not views, f"the state module {module}.py imports views {views}"

    def visit(module, path):
        assert module not in path, f"import cycle: {' -> '.join([*path, module])}"
        for other in graph[module]:
            visit(other, [*path, module])

    for module in modules:
        visit(module, [])


def test_the_old_flat_modules_are_gone():
    panels = PACKAGE.parent
    for old in ("perceptron.py", "perceptron_learn.py", "xor_stack.py", "mlp_trainer.py", "_square.py"):
        assert not (panels / old).exists(), old


# ---- the public surface -----------------------------------------------------------------------------------------
def test_view_is_the_root_widget_and_tab_view_replaces_the_old_view_method():
    p = nw.PerceptronExplorer()
    assert isinstance(p.view, widgets.Tab)
    assert [p.view.get_title(i) for i in range(4)] == ["Neuron", "Learn", "Two layers", "Train an MLP"]
    learn = p.tab_view("learn")
    assert p.view.children[1] is learn.widget
    with pytest.raises(ValueError, match="tab must be one of 'neuron', 'learn', 'stack', 'mlp', got 'graph'"):
        p.tab_view("graph")


def test_sub_states_are_named_after_the_tabs():
    p = nw.PerceptronExplorer()
    assert p.tabs == ("neuron", "learn", "stack", "mlp")
    assert p.SUBSTATES == ("learn", "stack", "mlp")  # the Neuron tab's settings are the panel's own: p.w1 ...
    assert isinstance(p.learn, LearnState) and isinstance(p.stack, StackState) and isinstance(p.mlp, MLPState)
    assert all(isinstance(getattr(p, name), PanelState) for name in p.SUBSTATES)


@pytest.mark.parametrize("tab", ["neuron", "learn", "stack", "mlp"])
def test_every_tab_opens_draws_and_has_its_controls(tab):
    p = nw.PerceptronExplorer(gate="XOR", tab="neuron")
    assert p.open_tab(tab) is p and p.tab == tab and p.view.selected_index == p.tabs.index(tab)
    assert p.to_png()[:8] == b"\x89PNG\r\n\x1a\n"
    state = p if tab == "neuron" else getattr(p, tab)
    for name in state.SETTINGS:
        if name == "tab":
            continue
        control = p.control(name if tab == "neuron" else f"{tab}.{name}")
        assert control.value == getattr(state, name), name


def test_control_addresses_every_tab_and_refuses_unknown_names():
    p = nw.PerceptronExplorer()
    assert p.control("tab") is p.view
    p.control("learn.lr").value = 0.25
    assert p.learn.lr == 0.25
    p.control("stack.y_b").value = -0.9
    assert p.stack.y_b == -0.9
    p.control("mlp.epochs").value = 300
    assert p.mlp.epochs == 300 and p.mlp.snapshot == len(snapshot_epochs(300)) - 1
    with pytest.raises(ValueError, match="no control 'learn.w9'; controls: tab, gate, .*learn.lr"):
        p.control("learn.w9")
    with pytest.raises(ValueError, match="tab must be one of"):
        p.control("graph.lr")


def test_readme_api_keeps_working():
    p = nw.PerceptronExplorer(gate="AND")
    p.w1, p.w2, p.b = 0.5, 0.5, -0.7
    assert p.solved and p.truth_table()[3]["z"] == 0.3
    p.activation = "sigmoid"
    p.threshold = ">="
    assert p.truth_table()[0]["y"] == pytest.approx(1 / (1 + np.exp(0.7)), rel=1e-6)
    p.load_preset("NAND")
    assert (p.gate, p.w1, p.w2, p.b) == ("NAND", -0.5, -0.5, 0.7) and p.solved
    assert nw.perceptron([[1, 1]], [0.5, 0.5], -0.7, activation="step").tolist() == [1.0]
    assert nw.GATES == GATES and nw.why_no_line("XOR").startswith("No line can compute XOR")
    assert isinstance(nw.learn_perceptron([[0, 0], [1, 1]], [0, 1], [0, 0], 0), LearningHistory)
    r = nw.train_mlp([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]], epochs=50, progress=False)
    assert r.losses.shape == (50,) and set(r.init_params) == set(r.params) == {"W1", "b1", "W2", "b2"}
    assert r.predict([[0, 0]]).shape == (1, 1)


# ---- bad input: clear errors and rollback -----------------------------------------------------------------------
CHOICES = [
    ("", "threshold", "yes", "threshold must be one of '>', '>=', got 'yes'"),
    ("", "threshold", True, "threshold must be one of '>', '>=', got True"),
    ("", "activation", "relu", "activation must be one of 'step', 'sigmoid', got 'relu'"),
    ("", "activation", None, "activation must be one of 'step', 'sigmoid', got None"),
    ("", "gate", 1, "gate must be one of 'AND', 'OR', 'NAND', 'NOR', 'XOR', 'XNOR', got 1"),
    ("stack", "gate", "XAND", "gate must be one of 'AND', 'OR', 'NAND', 'NOR', 'XOR', 'XNOR', got 'XAND'"),
    ("mlp", "gate", False, "gate must be one of 'AND', 'OR', 'NAND', 'NOR', 'XOR', 'XNOR', got False"),
]
BOUNDS = [
    ("learn", "lr", 0.0, "lr must be a number greater than 0 and at most 10, got 0.0"),
    ("learn", "lr", 11, "lr must be a number greater than 0 and at most 10, got 11.0"),
    ("learn", "lr", float("nan"), "lr must be a finite number, got nan"),
    ("learn", "epochs", 0, "epochs must be 1..200, got 0"),
    ("learn", "epochs", 201, "epochs must be 1..200, got 201"),
    ("learn", "epochs", 2.5, "epochs must be a positive integer, got 2.5"),
    ("learn", "epoch", 21, "epoch must be an integer from 0 to 20 (the number of epochs), got 21"),
    ("learn", "epoch", -1, "epoch must be a whole number from 0 up, got -1"),
    ("mlp", "hidden_size", 0, "hidden_size must be 1..16, got 0"),
    ("mlp", "hidden_size", 17, "hidden_size must be 1..16, got 17"),
    ("mlp", "lr", 1e308, "lr must be a number greater than 0 and at most 10, got 1e+308"),
    ("mlp", "epochs", 1_000_001, "epochs must be 1..1000000, got 1000001"),
    ("mlp", "epochs", 10**20, "epochs must be 1..1000000, got 100000000000000000000"),
    ("mlp", "seed", -1, "seed must be an integer from 0 to 4294967295, got -1"),
    ("mlp", "seed", 2**32, "seed must be an integer from 0 to 4294967295, got 4294967296"),
    ("mlp", "seed", 0.5, "seed must be an integer, got 0.5"),
    ("mlp", "snapshot", 201, "snapshot must be an integer from 0 to 200 (20000 epochs keep 201 snapshots), got 201"),
    ("stack", "h1_w1", 1e39, "h1_w1 must be a number between -1e+06 and 1e+06, got 1e+39"),
    ("", "w2", float("inf"), "w2 must be a finite number, got inf"),
]


@pytest.mark.parametrize("where, name, value, message", CHOICES + BOUNDS)
def test_bad_values_are_refused_clearly_and_leave_every_setting_as_it_was(where, name, value, message):
    p = nw.PerceptronExplorer(gate="OR")
    state = getattr(p, where) if where else p
    before = saved(p)
    with pytest.raises(ValueError) as err:
        setattr(state, name, value)
    assert str(err.value) == message
    assert state.error == message
    assert saved(p) == before
    setattr(state, name, getattr(state, name))  # a valid change clears the error
    assert state.error == ""


@pytest.mark.parametrize("value", ["nope", 3, None, "Neuron"])
def test_a_bad_tab_is_a_clear_value_error_not_a_raw_trait_error(value):
    p = nw.PerceptronExplorer(tab="stack")
    before = saved(p)
    with pytest.raises(ValueError) as err:
        p.tab = value
    assert type(err.value) is ValueError
    assert str(err.value) == f"tab must be one of 'neuron', 'learn', 'stack', 'mlp', got {value!r}"
    assert saved(p) == before and p.view.selected_index == 2
    with pytest.raises(ValueError, match="tab must be one of"):
        nw.PerceptronExplorer(tab=value)


def test_a_refused_combination_rolls_back_every_value():
    p = nw.PerceptronExplorer()
    before = saved(p)
    with pytest.raises(ValueError, match="epoch must be an integer from 0 to 5"):
        p.learn.set(epochs=5, epoch=10)
    assert saved(p) == before and p.learn.error.startswith("epoch must be")
    with pytest.raises(ValueError, match="w1 must be a finite number"):
        p.set(gate="NOR", w1=float("nan"))
    assert saved(p) == before and p.gate == "AND"


def test_fewer_epochs_clamp_the_scrubbed_epoch_and_the_sliders_follow():
    p = nw.PerceptronExplorer()
    view = p.tab_view("learn")
    p.learn.set(epochs=50, epoch=40)  # both at once: the slider's range must grow before its value moves
    assert (view.epoch.max, view.epoch.value, view.play.max, view.play.value) == (50, 40, 50, 40)
    p.learn.epochs = 10
    assert p.learn.epoch == 10 and (view.epoch.max, view.epoch.value, view.play.value) == (10, 10, 10)
    assert p.learn.step().epoch == 10 and "epoch 10:" in view.status.value


def test_a_new_training_run_is_shown_from_its_end():
    p = nw.PerceptronExplorer(tab="mlp")
    view = p.tab_view("mlp")
    p.mlp.snapshot = 5
    p.mlp.epochs = 50
    assert p.mlp.snapshot == 50 and p.mlp.epoch == 50 and len(p.mlp.result.snapshot_epochs) == 51
    assert (view.snapshot.max, view.snapshot.value, view.play.max, view.play.value) == (50, 50, 50, 50)
    p.mlp.snapshot = 3
    p.mlp.lr = 0.5
    assert p.mlp.snapshot == 50 and p.mlp.result.lr == 0.5
    assert "epoch 50 of 50" in view.status.value


def test_the_threshold_is_the_neuron_tabs_for_every_tab():
    p = nw.PerceptronExplorer(gate="OR", w1=0.5, w2=0.5, b=-0.5)
    assert "threshold" not in p.stack.to_dict()  # one setting, not two kept equal
    p.stack.set(h2_w1=0.5, h2_w2=0.5, h2_b=-0.5)  # h2 is AND with ">", OR with ">="
    strict = [r["y"] for r in p.stack.truth_table()]
    history = p.learn.history
    p.threshold = ">="
    assert strict == [0, 0, 0, 0] and p.stack.threshold == ">=" and p.stack.computes() == "XOR"
    assert p.learn.history is not history and p.learn.history.first_solved_epoch() == 0


# ---- results ------------------------------------------------------------------------------------------------------
def test_core_and_state_results_are_named_tuples():
    p = nw.PerceptronExplorer(gate="OR")
    p.mlp.epochs = 50
    assert isinstance(p.learn.history, LearningHistory)
    assert isinstance(p.mlp.result, MLPResult) and isinstance(p.mlp.result, tuple)
    assert isinstance(p.learn.step(), LearnStep) and isinstance(p.mlp.at_snapshot(), MLPSnapshot)
    assert p.evaluate()._fields == ("z", "y", "label") and p.stack.evaluate()._fields[-1] == "y"


# ---- saving and restoring -----------------------------------------------------------------------------------------
def test_to_dict_holds_every_tabs_settings():
    data = nw.PerceptronExplorer().to_dict()
    assert list(data) == ["tab", "gate", "w1", "w2", "b", "activation", "threshold", "learn", "stack", "mlp"]
    assert data["learn"] == {"lr": 0.1, "epochs": 20, "epoch": 0}
    assert data["stack"] == {"gate": "XOR", "h1_w1": -0.5, "h1_w2": -0.5, "h1_b": 0.7, "h2_w1": 0.5, "h2_w2": 0.5,
                             "h2_b": -0.2, "y_w1": 0.5, "y_w2": 0.5, "y_b": -0.7}
    assert data["mlp"] == {"gate": "XOR", "hidden_size": 3, "lr": 0.1, "epochs": 20000, "seed": 0, "snapshot": 200}
    json.dumps(data)


def test_a_configured_panel_round_trips_with_the_same_pictures_and_numbers():
    p = nw.PerceptronExplorer(gate="NOR", w1=-0.3, w2=-0.45, b=0.2, activation="sigmoid", threshold=">=")
    p.learn.set(lr=0.3, epochs=40, epoch=7)
    p.stack.load_preset("h1 − h2 network (seed 002)")
    p.stack.gate = "XNOR"
    p.mlp.set(gate="AND", hidden_size=2, lr=0.5, epochs=300, seed=7, snapshot=30)
    p.open_tab("learn")
    data = p.to_dict()
    q = nw.PerceptronExplorer.from_dict(json.loads(json.dumps(data)))
    assert q.to_dict() == data and q.tab == "learn" and q.view.selected_index == 1
    mine, theirs = p.learn.step(), q.learn.step()
    assert mine[:4] == theirs[:4] and mine.labels.tolist() == theirs.labels.tolist()
    np.testing.assert_array_equal(q.mlp.result.losses, p.mlp.result.losses)
    assert q.to_png() == p.to_png()
    assert q.stack.computes() == "XNOR" and q.stack.solved


@st.composite
def valid_states(draw):
    weight = st.floats(-3, 3, allow_nan=False).map(lambda v: round(v, 3))
    learn_epochs = draw(st.integers(1, 200))
    mlp_epochs = draw(st.sampled_from([1, 50, 300, 2000]))
    return {
        "tab": draw(st.sampled_from(["neuron", "learn", "stack", "mlp"])),
        "gate": draw(st.sampled_from(GATES)), "w1": draw(weight), "w2": draw(weight), "b": draw(weight),
        "activation": draw(st.sampled_from(["step", "sigmoid"])), "threshold": draw(st.sampled_from([">", ">="])),
        "learn": {"lr": draw(st.floats(0.001, 10)), "epochs": learn_epochs,
                  "epoch": draw(st.integers(0, learn_epochs))},
        "stack": {"gate": draw(st.sampled_from(GATES)), **{name: draw(weight) for name in WEIGHTS}},
        "mlp": {"gate": draw(st.sampled_from(GATES)), "hidden_size": draw(st.integers(1, 16)),
                "lr": draw(st.floats(0.001, 10)), "epochs": mlp_epochs, "seed": draw(st.integers(0, 2**32 - 1)),
                "snapshot": draw(st.integers(0, len(snapshot_epochs(mlp_epochs)) - 1))},
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(state=valid_states())
def test_from_dict_of_to_dict_is_the_same_state_for_any_valid_state(state):
    """On the state without widgets (drawing costs 0.2 s a panel); the panel round trip is tested above."""
    p = PerceptronState.from_dict(state)
    data = p.to_dict()
    assert data == state
    assert PerceptronState.from_dict(data).to_dict() == data


def test_from_dict_refuses_unknown_settings_and_bad_values_clearly():
    data = nw.PerceptronExplorer().to_dict()
    with pytest.raises(ValueError, match="no setting 'speed'"):
        nw.PerceptronExplorer.from_dict({**data, "mlp": {**data["mlp"], "speed": 2}})
    with pytest.raises(ValueError, match="epoch must be an integer from 0 to 20"):
        nw.PerceptronExplorer.from_dict({**data, "learn": {**data["learn"], "epoch": 30}})
