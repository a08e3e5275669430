"""The Two layers tab's state: hidden neurons h1, h2 and output y, each a step perceptron (seeds 000 and 002)."""
from __future__ import annotations

import numpy as np

from ..._validate import bounded_float, choice
from ...core.perceptron import GATE_INPUTS, GATES, StackOutput, gate_name, gate_targets, stacked_forward
from ...i18n import speaking
from .._state import PanelState
from .._traits import Checked, one_of
from .neuron import NeuronState

NEURONS = ("h1", "h2", "y")
PARTS = ("w1", "w2", "b")
WEIGHTS = tuple(f"{neuron}_{part}" for neuron in NEURONS for part in PARTS)
STACK_PRESETS = {
    # seed 000: s1 = NAND, s2 = OR, y = AND(s1, s2)
    "NAND + OR → AND (seed 000)": ((-0.5, -0.5, 0.7), (0.5, 0.5, -0.2), (0.5, 0.5, -0.7)),
    # seed 002: h1 = f(x1 - x2 + 0.5), h2 = f(x1 - x2 - 0.5), y = f(h1 - h2 - 0.5); it computes XNOR
    "h1 − h2 network (seed 002)": ((1.0, -1.0, 0.5), (1.0, -1.0, -0.5), (1.0, -1.0, -0.5)),
}


class StackState(PanelState):
    """The target gate and the nine weights; the threshold convention is the Neuron tab's."""

    SETTINGS = ("gate", *WEIGHTS)

    gate = Checked("XOR", one_of(GATES, casefold=True))
    # the defaults are seed 000's network: h1 = NAND, h2 = OR, y = AND(h1, h2)
    h1_w1 = Checked(-0.5, bounded_float)
    h1_w2 = Checked(-0.5, bounded_float)
    h1_b = Checked(0.7, bounded_float)
    h2_w1 = Checked(0.5, bounded_float)
    h2_w2 = Checked(0.5, bounded_float)
    h2_b = Checked(-0.2, bounded_float)
    y_w1 = Checked(0.5, bounded_float)
    y_w2 = Checked(0.5, bounded_float)
    y_b = Checked(-0.7, bounded_float)

    def __init__(self, neuron: NeuronState | None = None, **kwargs):
        """``neuron`` decides the threshold convention (the panel passes itself)."""
        self.neuron = neuron if neuron is not None else NeuronState()
        super().__init__(**kwargs)

    @property
    def threshold(self) -> str:
        return self.neuron.threshold

    def weights_of(self, neuron: str) -> tuple[float, float, float]:
        """(w1, w2, b) of neuron "h1", "h2" or "y"."""
        with speaking(self._language_in_force()):  # a refusal speaks the panel's language
            neuron = choice("neuron", neuron, NEURONS)
        return tuple(getattr(self, f"{neuron}_{part}") for part in PARTS)

    def load_preset(self, preset: str) -> None:
        """Set the nine weights of a network from the seeds (a key of ``STACK_PRESETS``)."""
        with speaking(self._language_in_force()):
            preset = choice("preset", preset, STACK_PRESETS)
        values = (value for weights in STACK_PRESETS[preset] for value in weights)
        self.set(**dict(zip(WEIGHTS, values, strict=True)))

    @property
    def preset(self) -> str | None:
        """The key of ``STACK_PRESETS`` whose nine weights the network has now, or None."""
        now = [getattr(self, name) for name in WEIGHTS]
        for name, weights in STACK_PRESETS.items():
            if np.allclose(now, [value for neuron in weights for value in neuron], rtol=0, atol=1e-9):
                return name
        return None

    def evaluate(self) -> StackOutput:
        """z_hidden (4, 2), s (4, 2), z_out (4,) and y (4,) on the four gate inputs (NumPy arrays)."""
        (a1, a2, ab), (b1, b2, bb), (c1, c2, cb) = (self.weights_of(n) for n in NEURONS)
        out = stacked_forward(GATE_INPUTS, np.array([[a1, b1], [a2, b2]], np.float32), np.array([ab, bb], np.float32),
                              np.array([c1, c2], np.float32), np.float32(cb), threshold=self.threshold)
        return StackOutput(*(np.asarray(a) for a in out))

    def truth_table(self) -> list[dict]:
        """One dict per row: x1, x2, s1, s2, y, target, correct."""
        _, s, _, y = self.evaluate()
        return [
            {"x1": int(x[0]), "x2": int(x[1]), "s1": int(si[0]), "s2": int(si[1]), "y": int(yi), "target": int(t),
             "correct": bool(yi == t)}
            for x, si, yi, t in zip(GATE_INPUTS, s, y, gate_targets(self.gate), strict=True)
        ]

    def computes(self) -> str | None:
        """The name of the gate this network really computes, or None if it is none of the six."""
        return gate_name(self.evaluate().y)

    @property
    def solved(self) -> bool:
        return all(row["correct"] for row in self.truth_table())
