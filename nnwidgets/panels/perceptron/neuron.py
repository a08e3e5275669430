"""The Neuron tab's state: one perceptron y = f(w1 x1 + w2 x2 + b) and the gate it should compute."""
from __future__ import annotations

import numpy as np

from ..._validate import bounded_float, choice
from ...core.perceptron import (
    ACTIVATIONS,
    GATE_INPUTS,
    GATE_PRESETS,
    GATES,
    THRESHOLDS,
    NeuronOutput,
    gate_targets,
    perceptron_forward,
)
from ...i18n import speaking
from .._state import PanelState
from .._traits import Checked, one_of
from . import text


class NeuronState(PanelState):
    """Weights, activation and threshold convention of one perceptron, and the target gate."""

    SETTINGS = ("gate", "w1", "w2", "b", "activation", "threshold")

    gate = Checked("AND", one_of(GATES, casefold=True))
    w1 = Checked(0.5, bounded_float)
    w2 = Checked(0.5, bounded_float)
    b = Checked(-0.7, bounded_float)
    activation = Checked("step", one_of(ACTIVATIONS))
    threshold = Checked(">", one_of(THRESHOLDS))

    def __init__(self, gate="AND", w1=None, w2=None, b=None, activation="step", threshold=">", **kwargs):
        """Weights left as None take the seeds' preset for ``gate`` (OR's for XOR and XNOR, which have none)."""
        super().__init__(**kwargs)
        gate = choice("gate", gate, GATES, casefold=True)
        preset = GATE_PRESETS.get(gate, GATE_PRESETS["OR"])
        w1, w2, b = (preset[i] if value is None else value for i, value in enumerate((w1, w2, b)))
        self.set(gate=gate, w1=w1, w2=w2, b=b, activation=activation, threshold=threshold)

    @property
    def weights(self) -> np.ndarray:
        return np.array([self.w1, self.w2], dtype=np.float32)

    def evaluate(self, x=GATE_INPUTS, activation=None) -> NeuronOutput:
        """z, y and the 0/1 label for inputs ``x`` under the current weights (NumPy arrays)."""
        out = perceptron_forward(x, self.weights, np.float32(self.b), activation=activation or self.activation,
                                 threshold=self.threshold)
        return NeuronOutput(*(np.asarray(a) for a in out))

    def truth_table(self) -> list[dict]:
        """One dict per input row: x1, x2, z, y, target, correct (z and a sigmoid y to 6 significant digits)."""
        z, y, label = self.evaluate()
        sigmoid = self.activation == "sigmoid"
        return [
            {"x1": int(x[0]), "x2": int(x[1]), "z": _shortest(zi), "y": _shortest(yi) if sigmoid else int(yi),
             "target": int(t), "correct": bool(li == t)}
            for x, zi, yi, li, t in zip(GATE_INPUTS, z, y, label, gate_targets(self.gate), strict=True)
        ]

    @property
    def solved(self) -> bool:
        """True when every row of the truth table is classified correctly."""
        return all(row["correct"] for row in self.truth_table())

    def load_preset(self, gate: str) -> None:
        """Set the gate and the seeds' weights for it (AND, NAND, OR; NOR = OR with signs flipped)."""
        with speaking(self._language_in_force()):  # a refusal speaks the panel's language
            gate = choice("gate", gate, GATES, casefold=True)
            if gate not in GATE_PRESETS:
                raise ValueError(text.NO_PRESET.format(gate=gate, presets=", ".join(GATE_PRESETS)))
        w1, w2, b = GATE_PRESETS[gate]
        self.set(gate=gate, w1=w1, w2=w2, b=b)

    def __repr__(self):
        return (f"{type(self).__name__}(gate={self.gate!r}, w1={self.w1:g}, w2={self.w2:g}, b={self.b:g}, "
                f"activation={self.activation!r}, threshold={self.threshold!r})")


def _shortest(value) -> float:
    """A float32 result to 6 significant digits, as shown in the table (float32 carries about 7).

    0.5 - 0.7 is -0.19999999 in float32; the learner's -0.2 is the honest answer.
    """
    return float(f"{float(value):.6g}")
