"""The seeds' backprop examples, ready to step: ``BackpropStepper.preset(name)``.

Where a seed gives only the formula (the chain-rule drills, exercises 2 and 3), the inputs are ours
and say so; every other number is the seed's (WORKED_EXAMPLES.md, "Computational graphs / backprop").
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np


@dataclass(frozen=True)
class Preset:
    fn: Callable
    inputs: dict
    title: str
    description: str


CAT = np.array([1.0, 0.0], np.float32)  # seed 002 exercise 1: the label is "cat"


def _sigmoid_neuron(w0, w1, w2, x0, x1):
    return 1 / (1 + jnp.exp(-(w0 * x0 + w1 * x1 + w2)))


def _cross_entropy(W, z, b):
    a = W @ z + b
    return -jnp.sum(CAT * (a - jnp.log(jnp.sum(jnp.exp(a)))))


PRESETS = {
    "chain_rule": Preset(lambda x, y: x * y + 3, {"x": 2.0, "y": 3.0}, "z = g + 3, g = xy (seed 002)",
                         "z = g + 3, g = xy: ∂z/∂x = y, ∂z/∂y = x (inputs ours: the seed has none)"),
    "drill_add": Preset(lambda x, y: (x + y) + 3, {"x": 2.0, "y": 3.0}, "f = g + 3, g = x + y (seed 002 drill)",
                        "drill: f = g + 3, g = x + y: both gradients are 1"),
    "drill_scale": Preset(lambda x, y: 2 * (x - y), {"x": 2.0, "y": 3.0}, "f = 2g, g = x − y (seed 002 drill)",
                          "drill: f = 2g, g = x − y: ∂f/∂x = 2, ∂f/∂y = −2"),
    "drill_mul": Preset(lambda x, y: x * y - 3, {"x": 2.0, "y": 3.0}, "f = g − 3, g = xy (seed 002 drill)",
                        "drill: f = g − 3, g = xy: ∂f/∂x = y, ∂f/∂y = x"),
    "t_squared": Preset(lambda x, y: (x + y) ** 2, {"x": 1.0, "y": 2.0}, "z = t², t = x + y (seed 001)",
                        "z = t², t = x + y: ∂z/∂x = 2t · 1 = 2(x + y)"),
    "five_x_plus_3": Preset(lambda x: 4 * (5 * x + 3) ** 2, {"x": 1.0}, "z = 4y², y = 5x + 3 (seed 000)",
                            "z = 4y², y = 5x + 3: dz/dx = 8y · 5 = 40(5x + 3)"),
    "add_mul": Preset(lambda x, y, z: (x + y) * z, {"x": -2.0, "y": 5.0, "z": -4.0}, "f = (x + y)·z",
                      "f = (x + y) z at (−2, 5, −4): q = 3, f = −12, gradients (−4, −4, 3)"),
    "apple": Preset(lambda apple, apple_num, tax: apple * apple_num * tax,
                    {"apple": 100.0, "apple_num": 2.0, "tax": 1.1}, "2 apples with tax (seed 001)",
                    "apples: 100 × 2 × 1.1 = 220; dapple 2.2, dapple_num 110, dtax 200"),
    "apple_orange": Preset(lambda apple, apple_num, orange, orange_num, tax:
                           (apple * apple_num + orange * orange_num) * tax,
                           {"apple": 100.0, "apple_num": 2.0, "orange": 150.0, "orange_num": 3.0, "tax": 1.1},
                           "apples and oranges with tax (seed 001)",
                           "apples and oranges: price 715; dapple 2.2, dapple_num 110, dorange 3.3, "
                           "dorange_num 165, dtax 650"),
    "sigmoid_neuron": Preset(_sigmoid_neuron, {"w0": 2.0, "w1": -3.0, "w2": -3.0, "x0": -1.0, "x1": -2.0},
                             "sigmoid neuron 1 / (1 + exp(−(w0·x0 + w1·x1 + w2)))",
                             "sigmoid neuron with w = (2, −3, −3), x = (−1, −2): f = 0.731059, local y(1 − y) = "
                             "0.196612"),
    "linear": Preset(lambda w, x, b: w * x + b, {"w": 2.0, "x": 3.0, "b": 1.0}, "f = g + b, g = wx (seed 002)",
                     "f = g + b, g = wx: ∂f/∂w = x, ∂f/∂x = w, ∂f/∂b = 1 (inputs ours)"),
    "exercise_3": Preset(lambda w, x, b: w * x ** 2 + b, {"w": 2.0, "x": 3.0, "b": 1.0},
                         "exercise 3: f = g + b, g = wx² (seed 002)",
                         "exercise 3: dL/dw = dL/df·x², dL/dx = dL/df·2wx, dL/db = dL/df (inputs ours)"),
    "relu_gate": Preset(lambda x: jax.nn.relu(x), {"x": 2.0}, "exercise 2: f = ReLU(x) (seed 002)",
                        "exercise 2, the ReLU gate: ∂f/∂x = 1 for x > 0, 0 for x ≤ 0 (try a negative x)"),
    "norm_squared": Preset(lambda W, x: jnp.sum((W @ x) ** 2),
                           {"W": np.array([[0.1, 0.5], [-0.3, 0.8]], np.float32),
                            "x": np.array([0.2, 0.4], np.float32)},
                           "f = ‖W x‖²", "f = ‖Wx‖²: q = (0.22, 0.26), f = 0.116, dW = 2 q xᵀ, dx = 2 Wᵀ q"),
    "affine": Preset(lambda X, W, b: 0.5 * jnp.sum((X @ W + b) ** 2),
                     {"X": np.array([[1.0, 0.5], [-0.5, 2.0]], np.float32),
                      "W": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]], np.float32),
                      "b": np.array([0.1, 0.2, 0.3], np.float32)},
                     "Affine layer Y = X W + b, L = ½ Σ Y² (seed 001)",
                     "Affine X (N, 2) · W (2, 3) + b (3,): dX = dY Wᵀ, dW = Xᵀ dY, db = Σ dY over axis 0"),
    "mse": Preset(lambda y: 0.5 * jnp.sum((y - CAT) ** 2), {"y": np.array([0.37, 0.63], np.float32)},
                  "MSE layer ½ Σ (y − t)² (seed 002 exercise 1)",
                  "MSE of the seed's (0.37, 0.63) against cat (1, 0): 0.3969, gradient y − t"),
    "softmax_with_loss": Preset(_cross_entropy, {"W": np.array([[0.1, 0.9], [0.2, 0.2]], np.float32),
                                                 "z": np.array([0.2, 0.4], np.float32),
                                                 "b": np.array([0.1, 0.9], np.float32)},
                                "softmax with cross-entropy (seed 002 exercise 1)",
                                "a = Wz + b = (0.48, 1.02), cross-entropy 0.999163 (the slide's 0.4318 is "
                                "−log10 0.37), ∂L/∂a = p − t"),
}
