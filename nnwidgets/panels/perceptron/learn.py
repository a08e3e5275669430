"""The Learn tab's state: Rosenblatt's rule run from the Neuron tab's weights, and the epoch the learner scrubs to."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ...core.perceptron import GATE_INPUTS, LearningHistory, gate_targets, learn_perceptron, perceptron_forward
from .._state import PanelState
from .._traits import Checked
from . import text
from .checks import not_negative, rate_up_to, up_to
from .neuron import NeuronState

#: The most epochs the Learn tab runs, and its largest learning rate.
MAX_EPOCHS = 200
MAX_LR = 10.0


class LearnStep(NamedTuple):
    """The weights after the scrubbed epoch and what they do to the four rows."""

    epoch: int
    w1: float
    w2: float
    b: float
    labels: np.ndarray  # (4,) the 0/1 output on each row
    mistakes: int


class LearnState(PanelState):
    """``lr``, ``epochs`` and the scrubbed ``epoch``; the history is derived from them and the neuron's settings."""

    SETTINGS = ("lr", "epochs", "epoch")

    lr = Checked(0.1, rate_up_to(MAX_LR))
    epochs = Checked(20, up_to(MAX_EPOCHS))
    epoch = Checked(0, not_negative)

    def __init__(self, neuron: NeuronState | None = None, **kwargs):
        """``neuron`` gives the starting weights, the gate and the threshold (the panel passes itself)."""
        self.neuron = neuron if neuron is not None else NeuronState()
        self._cache: tuple = (None, None)
        super().__init__(**kwargs)

    def check_together(self, values: dict, changed: set) -> dict | None:
        if values["epoch"] <= values["epochs"]:
            return None
        if "epoch" in changed:
            raise ValueError(text.AT_MOST_EPOCHS.format(name="epoch", epochs=values["epochs"], value=values["epoch"]))
        return {"epoch": values["epochs"]}

    @property
    def history(self) -> LearningHistory:
        """The rule's weights after every epoch, from the neuron's current weights (computed once per setting)."""
        n = self.neuron
        key = (n.gate, n.w1, n.w2, n.b, n.threshold, self.lr, self.epochs)
        if self._cache[0] != key:
            history = learn_perceptron(GATE_INPUTS, gate_targets(n.gate), n.weights, np.float32(n.b), lr=self.lr,
                                       epochs=self.epochs, threshold=n.threshold)
            self._cache = (key, history)
        return self._cache[1]

    def step(self) -> LearnStep:
        """The weights after epoch ``epoch`` and their outputs on the four rows."""
        history, k = self.history, self.epoch
        _, _, labels = perceptron_forward(GATE_INPUTS, history.weights[k], history.biases[k],
                                          threshold=self.neuron.threshold)
        w1, w2 = (float(v) for v in history.weights[k])
        return LearnStep(k, w1, w2, float(history.biases[k]), np.asarray(labels), int(history.mistakes[k]))

    def use_weights(self) -> None:
        """Copy the weights after the scrubbed epoch into the Neuron tab."""
        step = self.step()
        self.neuron.set(w1=step.w1, w2=step.w2, b=step.b)
