"""The seeds' backprop examples, ready to step: ``BackpropStepper.preset(name)``.

Where a seed gives only the formula (the chain-rule drills, exercises 2 and 3), the inputs are ours
and say so; every other number is the seed's (WORKED_EXAMPLES.md, "Computational graphs / backprop").
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import jax
import jax.numpy as jnp
import numpy as np

from ...i18n import N_


@dataclass(frozen=True)
class Preset:
    fn: Callable
    inputs: dict
    title: str
    description: str
    names: dict = field(default_factory=dict)  # op name -> the lecture's name, for nodes no variable names
    notes: dict = field(default_factory=dict)  # node name -> the name of the text.py template saying what its
    # gradient shows at its backward step (read by name when shown, so that it speaks the language in force)


CAT = np.array([1.0, 0.0], np.float32)  # seed 002 exercise 1: the label is "cat" (class 0), one-hot


# Each preset is written as the lecture writes it, one assignment per node: the variables name the nodes.
def chain_rule(x, y):
    g = x * y
    z = g + 3
    return z


def drill_add(x, y):
    g = x + y
    f = g + 3
    return f


def drill_scale(x, y):
    g = x - y
    f = 2 * g
    return f


def drill_mul(x, y):
    g = x * y
    f = g - 3
    return f


def t_squared(x, y):
    t = x + y
    z = t ** 2
    return z


def five_x_plus_3(x):
    y = 5 * x + 3
    z = 4 * y ** 2
    return z


def add_mul(x, y, z):
    q = x + y
    f = q * z
    return f


def apple(apple, apple_num, tax):
    apple_price = apple * apple_num
    price = apple_price * tax
    return price


def apple_orange(apple, apple_num, orange, orange_num, tax):
    apple_price = apple * apple_num
    orange_price = orange * orange_num
    all_price = apple_price + orange_price
    price = all_price * tax
    return price


def sigmoid_neuron(w0, w1, w2, x0, x1):
    w0x0 = w0 * x0
    w1x1 = w1 * x1
    s = w0x0 + w1x1
    a = s + w2
    neg_a = -a
    exp_neg_a = jnp.exp(neg_a)
    denom = 1 + exp_neg_a
    f = 1 / denom
    return f


def linear(w, x, b):
    g = w * x
    f = g + b
    return f


def exercise_3(w, x, b):
    g = w * x ** 2
    f = g + b
    return f


def relu_gate(x):
    f = jax.nn.relu(x)
    return f


def norm_squared(W, x):
    q = W @ x
    f = jnp.sum(q ** 2)
    return f


def affine(X, W, b):
    XW = X @ W
    Y = XW + b
    L = 0.5 * jnp.sum(Y ** 2)
    return L


def mse(y):
    e = y - CAT
    L = 0.5 * jnp.sum(e ** 2)
    return L


def softmax_with_loss(W, z, b):
    """Seed 002's graph (Softmax-with-Loss of "Deep Learning from Scratch"): softmax p = e / Σe, then
    L = −Σ y log p with the one-hot target y = CAT."""
    a = W @ z + b
    e = jnp.exp(a)
    S = jnp.sum(e)
    p = e / S
    log_p = jnp.log(p)
    y_log_p = CAT * log_p
    total = jnp.sum(y_log_p)
    L = -total
    return L


EXERCISE_1 = {"W": np.array([[0.1, 0.9], [0.2, 0.2]], np.float32), "z": np.array([0.2, 0.4], np.float32),
              "b": np.array([0.1, 0.9], np.float32)}

PRESETS = {
    "chain_rule": Preset(chain_rule, {"x": 2.0, "y": 3.0}, N_("z = g + 3, g = xy (seed 002)"),
                         N_("z = g + 3, g = xy: ∂z/∂x = y, ∂z/∂y = x (inputs ours: the seed has none)")),
    "drill_add": Preset(drill_add, {"x": 2.0, "y": 3.0}, N_("f = g + 3, g = x + y (seed 002 drill)"),
                        N_("drill: f = g + 3, g = x + y: both gradients are 1")),
    "drill_scale": Preset(drill_scale, {"x": 2.0, "y": 3.0}, N_("f = 2g, g = x − y (seed 002 drill)"),
                          N_("drill: f = 2g, g = x − y: ∂f/∂x = 2, ∂f/∂y = −2")),
    "drill_mul": Preset(drill_mul, {"x": 2.0, "y": 3.0}, N_("f = g − 3, g = xy (seed 002 drill)"),
                        N_("drill: f = g − 3, g = xy: ∂f/∂x = y, ∂f/∂y = x")),
    "t_squared": Preset(t_squared, {"x": 1.0, "y": 2.0}, N_("z = t², t = x + y (seed 001)"),
                        N_("z = t², t = x + y: ∂z/∂x = 2t · 1 = 2(x + y)")),
    "five_x_plus_3": Preset(five_x_plus_3, {"x": 1.0}, N_("z = 4y², y = 5x + 3 (seed 000)"),
                            N_("z = 4y², y = 5x + 3: dz/dx = 8y · 5 = 40(5x + 3)"), names={"mul": "5x", "pow": "y²"}),
    "add_mul": Preset(add_mul, {"x": -2.0, "y": 5.0, "z": -4.0}, N_("f = (x + y)·z, q = x + y (seed 000)"),
                      N_("f = (x + y) z at (−2, 5, −4): q = 3, f = −12, gradients (−4, −4, 3)")),
    "apple": Preset(apple, {"apple": 100.0, "apple_num": 2.0, "tax": 1.1}, N_("2 apples with tax (seed 001)"),
                    N_("apples: 100 × 2 × 1.1 = 220; dapple 2.2, dapple_num 110, dtax 200")),
    "apple_orange": Preset(apple_orange,
                           {"apple": 100.0, "apple_num": 2.0, "orange": 150.0, "orange_num": 3.0, "tax": 1.1},
                           N_("apples and oranges with tax (seed 001)"),
                           N_("apples and oranges: price 715; dapple 2.2, dapple_num 110, dorange 3.3, "
                           "dorange_num 165, dtax 650")),
    "sigmoid_neuron": Preset(sigmoid_neuron, {"w0": 2.0, "w1": -3.0, "w2": -3.0, "x0": -1.0, "x1": -2.0},
                             N_("sigmoid neuron f = 1 / (1 + exp(−a)), a = w0·x0 + w1·x1 + w2 (seed 000)"),
                             N_("sigmoid neuron with w = (2, −3, −3), x = (−1, −2): f = 0.731059, local y(1 − y) = "
                             "0.196612")),
    "linear": Preset(linear, {"w": 2.0, "x": 3.0, "b": 1.0}, N_("f = g + b, g = wx (seed 002)"),
                     N_("f = g + b, g = wx: ∂f/∂w = x, ∂f/∂x = w, ∂f/∂b = 1 (inputs ours)")),
    "exercise_3": Preset(exercise_3, {"w": 2.0, "x": 3.0, "b": 1.0}, N_("exercise 3: f = g + b, g = wx² (seed 002)"),
                         N_("exercise 3: dL/dw = dL/df·x², dL/dx = dL/df·2wx, dL/db = dL/df (inputs ours)"),
                         names={"pow": "x²"}),
    "relu_gate": Preset(relu_gate, {"x": 2.0}, N_("exercise 2: f = ReLU(x) (seed 002)"),
                        N_("exercise 2, the ReLU gate: ∂f/∂x = 1 for x > 0, 0 for x ≤ 0 (try a negative x)")),
    "norm_squared": Preset(norm_squared, {"W": np.array([[0.1, 0.5], [-0.3, 0.8]], np.float32),
                                          "x": np.array([0.2, 0.4], np.float32)},
                           N_("f = ‖q‖², q = W x (seed 000)"),
                           N_("f = ‖Wx‖²: q = (0.22, 0.26), f = 0.116, dW = 2 q xᵀ, dx = 2 Wᵀ q"), names={"pow": "q²"}),
    "affine": Preset(affine, {"X": np.array([[1.0, 0.5], [-0.5, 2.0]], np.float32),
                              "W": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]], np.float32),
                              "b": np.array([0.1, 0.2, 0.3], np.float32)},
                     N_("Affine layer Y = X W + b, L = ½ Σ Y² (seed 001)"),
                     N_("Affine X (N, 2) · W (2, 3) + b (3,): dX = dY Wᵀ, dW = Xᵀ dY, db = Σ dY over axis 0"),
                     names={"pow": "Y²"}),
    "mse": Preset(mse, {"y": np.array([0.37, 0.63], np.float32)}, N_("MSE layer ½ Σ (y − t)² (seed 002 exercise 1)"),
                  N_("MSE of the seed's (0.37, 0.63) against cat (1, 0): 0.3969, gradient y − t"), names={"pow": "e²"}),
    "softmax_with_loss": Preset(softmax_with_loss, EXERCISE_1,
                                N_("softmax with cross-entropy: a = Wz + b, p = softmax(a), L = −Σ y log p "
                                "(seed 002 exercise 1)"),
                                N_("seed 002's softmax + cross-entropy graph at exercise 1: a = (0.48, 1.02), "
                                "p = (0.368, 0.632), L = 0.999 (natural log; the slide's 0.4318 is −log10 0.37); "
                                "the gradient at the logits a is p − y"), names={"dot": "Wz"},
                                notes={"a": "P_MINUS_Y"}),
}
