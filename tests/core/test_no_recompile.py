"""Moving a slider or retraining with another learning rate must not compile anything."""
import numpy as np

import nnwidgets as nw
from nnwidgets.core.perceptron import GATE_INPUTS, gate_targets

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
T = np.array([[0], [1], [1], [0]], dtype=np.float32)


def test_compile_counter_sees_a_compile(count_compiles):
    import jax

    jax.jit(lambda a: a * 3 + 1)(np.float32([1, 2, 7]))  # a fresh function must be counted
    assert count_compiles.count >= 1


def test_no_compiles_across_100_weight_changes(count_compiles):
    p = nw.PerceptronExplorer(gate="AND")
    p.w1 = 0.1  # warm up: the first evaluation may compile
    p.activation = "sigmoid"
    p.w1 = 0.2
    p.activation = "step"
    before = count_compiles.count
    rng = np.random.default_rng(0)
    for i, value in enumerate(rng.uniform(-2, 2, size=100)):
        setattr(p, ("w1", "w2", "b")[i % 3], float(value))
    p.activation = "sigmoid"
    for value in np.linspace(-1, 1, 20):
        p.b = float(value)
    assert count_compiles.count == before, count_compiles.programs[before:]


def test_no_compiles_when_retraining_with_another_lr(count_compiles):
    nw.train_mlp(X, T, lr=0.1, epochs=3000, seed=0)
    before = count_compiles.count
    for lr in (0.05, 0.2, 0.5):
        nw.train_mlp(X, T, lr=lr, epochs=3000, seed=1)
    assert count_compiles.count == before, count_compiles.programs[before:]


def test_no_compiles_when_relearning_with_another_lr(count_compiles):
    nw.learn_perceptron(GATE_INPUTS, gate_targets("AND"), [0, 0], 0, lr=0.1, epochs=20)
    before = count_compiles.count
    for lr in (0.05, 0.3, 0.7):
        nw.learn_perceptron(GATE_INPUTS, gate_targets("OR"), [0.2, -0.1], 0.3, lr=lr, epochs=20)
    assert count_compiles.count == before, count_compiles.programs[before:]


def test_no_compiles_when_scrubbing_the_learn_and_mlp_tabs(count_compiles):
    p = nw.PerceptronExplorer(gate="XOR")
    learn, mlp = p.tab_view("learn"), p.tab_view("mlp")
    learn.epoch.value, mlp.snapshot.value = 1, 1
    p.learn.lr = 0.3
    before = count_compiles.count
    for k in range(0, 20):
        learn.epoch.value = k
        mlp.snapshot.value = k * 10
    p.learn.lr = 0.5
    p.w2 = -0.3
    assert count_compiles.count == before, count_compiles.programs[before:]


def test_no_compiles_across_100_logit_edits(count_compiles):
    s = nw.SoftmaxCalculator(logits=[1.5, 3.7, -0.2], target=1)
    s.control("z1").value = 0.1  # warm up
    s.log_base, s.temperature = "10", 2.0
    s.log_base, s.temperature = "e", 1.0
    linear = nw.SoftmaxCalculator(x=[6.3, 2.7, 4.9, 1.8], target=2)
    linear.nudge("b2", 1.0)
    linear.open_tab("logits").open_tab("linear layer")
    before = count_compiles.count
    rng = np.random.default_rng(1)
    for i, value in enumerate(np.round(rng.uniform(-9, 9, size=100), 1)):
        s.control(f"z{i % 3 + 1}").value = float(value)
    for value in (0.5, 1.5, 3.0):
        s.temperature = value
    s.log_base = "2"
    for value in (0.2, 0.7):
        linear.nudge("w11", value)
    for target in (0, 1, 2):
        s.control("target").value = target
        linear.target = target
        s.control("temperature").value = 0.5 + target
    linear.open_tab("logits").open_tab("linear layer")
    assert count_compiles.count == before, count_compiles.programs[before:]


def test_conv_panel_compiles_each_configuration_once_and_never_while_scrubbing(count_compiles):
    c = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3)
    c.numbers = True
    for stride in (1, 2, 3, 1):  # each shape configuration compiles once (shapes are static in XLA)
        c.stride = stride
    for kernel in ((1, 3), 3):  # a rectangular kernel is one more configuration
        c.kernel_size = kernel
    before = count_compiles.count
    c.kernel_size = (1, 3)
    c.kernel_size = 3
    for stride in (2, 3, 1, 2):
        c.stride = stride
    for position in range(c.output_cells):
        c.position = position
    c.selected_input = (3, 3)
    assert count_compiles.count == before, count_compiles.programs[before:]


def test_no_compiles_when_editing_a_backprop_formula_panel(count_compiles):
    g = nw.BackpropStepper("tanh(w*x + b) * exp(-x)", w=0.5, x=1.0, b=0.1)  # building it compiles
    g.set_input("x", 0.8)
    before = count_compiles.count
    for value in np.linspace(-1, 1, 20):
        g.set_input("w", float(value))
        g.step()
    g.position = 0
    g.set_input("b", -0.3)
    assert count_compiles.count == before, count_compiles.programs[before:]


def test_optimizer_race_compiles_nothing_for_sliders_hyperparameters_or_a_retyped_formula(count_compiles):
    r = nw.OptimizerRace(surface="x**2 + 3*y**2", start=(1.5, -0.5), steps=40)
    r.learning_rate.lr = 0.2
    r.learning_rate.bowl = "2-D"
    r.learning_rate.bowl = "1-D"
    r.surface = "dlfs"  # each surface compiles its race once (the function is static)
    r.surface = "x**2 + 3*y**2"
    before = count_compiles.count
    for lr in np.geomspace(0.01, 0.5, 10):
        r.control("Adam", "lr").value = float(lr)
        r.learning_rate.lr = float(lr)
    r.set_hyperparameter("Momentum", "momentum", 0.8)
    r.surface = "dlfs"
    r.surface = "x**2 + 3*y**2"  # the same text again: the parsed formula is reused, so is the compiled race
    r.start = (1.0, 1.0)
    r.step = 3
    assert count_compiles.count == before, count_compiles.programs[before:]


def test_moving_the_learn_tabs_epochs_slider_compiles_only_at_powers_of_two(count_compiles):
    """The loadtest found each epochs value compiling (207 ms a move): epochs is a static length of the scan."""
    p = nw.PerceptronExplorer(gate="XOR")
    p.learn.epochs = 5
    assert len(p.learn.history.mistakes) == 6
    before = count_compiles.count
    for epochs in range(6, 33):        # one program (32 epochs) covers all of these
        p.learn.epochs = epochs
        assert len(p.learn.history.mistakes) == epochs + 1
    assert count_compiles.count == before, count_compiles.programs[before:]


def test_learning_cut_from_a_longer_scan_equals_the_rule_run_for_that_many_epochs():
    short = nw.learn_perceptron(GATE_INPUTS, gate_targets("XOR"), [0.0, 0.0], 0.0, lr=0.1, epochs=7)
    long = nw.learn_perceptron(GATE_INPUTS, gate_targets("XOR"), [0.0, 0.0], 0.0, lr=0.1, epochs=40)
    assert short.weights.shape[0] == 8 and long.weights.shape[0] == 41
    np.testing.assert_array_equal(short.weights, long.weights[:8])
    np.testing.assert_array_equal(short.mistakes, long.mistakes[:8])
