"""The perceptron panel's state: the Neuron tab's settings, the open tab, and one sub-state per other tab."""
from __future__ import annotations

from .._traits import Checked, one_of
from .learn import LearnState
from .mlp import MLPState
from .neuron import NeuronState
from .stack import StackState

TABS = ("neuron", "learn", "stack", "mlp")


class PerceptronState(NeuronState):
    """``p.w1``... are the Neuron tab's; ``p.learn``, ``p.stack`` and ``p.mlp`` hold the other tabs' settings."""

    TABS = TABS
    SETTINGS = ("tab", *NeuronState.SETTINGS)
    SUBSTATES = ("learn", "stack", "mlp")

    tab = Checked("neuron", one_of(TABS))

    def __init__(self, gate="AND", w1=None, w2=None, b=None, activation="step", threshold=">", tab="neuron"):
        super().__init__(gate=gate, w1=w1, w2=w2, b=b, activation=activation, threshold=threshold)
        self.learn = LearnState(self)
        self.stack = StackState(self)
        self.mlp = MLPState()
        self.tab = tab
