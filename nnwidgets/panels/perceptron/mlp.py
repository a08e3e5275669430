"""The Train an MLP tab's state: the seed's 2-k-1 sigmoid network, trained on a gate, and the snapshot shown."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ...core.mlp import HiddenPlane, MLPResult, checked_seed, hidden_planes, snapshot_epochs, train_mlp
from ...core.perceptron import GATE_INPUTS, GATES, gate_targets
from .._state import PanelState
from .._traits import Checked, one_of
from . import text
from .checks import not_negative, rate_up_to, up_to

MAX_HIDDEN, MAX_EPOCHS, MAX_LR = 16, 1_000_000, 10.0
TRAINING = ("gate", "hidden_size", "lr", "epochs", "seed")


class MLPSnapshot(NamedTuple):
    """The network after ``epoch`` updates, on the four gate inputs."""

    epoch: int
    loss: float  # nan for the initial weights (no update yet)
    y: np.ndarray  # (4,) outputs
    correct: np.ndarray  # (4,) bool: y on the target's side of 0.5
    hidden: HiddenPlane  # the four points in the hidden layer, and the output's boundary


class MLPState(PanelState):
    """Training settings and the ``snapshot`` shown; the result is trained from them when first asked for."""

    SETTINGS = (*TRAINING, "snapshot")

    gate = Checked("XOR", one_of(GATES, casefold=True))
    hidden_size = Checked(3, up_to(MAX_HIDDEN))
    lr = Checked(0.1, rate_up_to(MAX_LR))
    epochs = Checked(20000, up_to(MAX_EPOCHS))
    seed = Checked(0, lambda _name, value: checked_seed(value))  # 0 ... 2**32 - 1
    snapshot = Checked(200, not_negative)  # index into the kept snapshots (200 = the end of 20000 epochs)

    def __init__(self, **kwargs):
        self._cache: tuple = (None, None, None)
        super().__init__(**kwargs)

    def check_together(self, values: dict, changed: set) -> dict | None:
        last = len(snapshot_epochs(values["epochs"])) - 1
        if "snapshot" in changed:
            if values["snapshot"] > last:
                raise ValueError(text.AT_MOST_SNAPSHOTS.format(name="snapshot", last=last, epochs=values["epochs"],
                                                               count=last + 1, value=values["snapshot"]))
            return None
        if changed & set(TRAINING) or values["snapshot"] > last:  # a new run is shown from its end
            return {"snapshot": last}
        return None

    @property
    def result(self) -> MLPResult:
        """The training run for the current settings (trained once per setting, on first use)."""
        return self._trained()[0]

    @property
    def hidden(self) -> HiddenPlane:
        """The hidden-layer picture of every snapshot (coords (snapshots, 4, 2), boundary (snapshots,))."""
        return self._trained()[1]

    def train(self) -> MLPResult:
        """Train with the current settings (if not done yet) and return the result."""
        return self.result

    def _trained(self) -> tuple:
        key = tuple(getattr(self, name) for name in TRAINING)
        if self._cache[0] != key:
            result = train_mlp(GATE_INPUTS, gate_targets(self.gate)[:, None], hidden_size=self.hidden_size,
                               lr=self.lr, epochs=self.epochs, seed=self.seed)
            hidden = HiddenPlane(*(np.asarray(a) for a in hidden_planes(result.snapshots, GATE_INPUTS)))
            self._cache = (key, result, hidden)
        return self._cache[1:]

    @property
    def epoch(self) -> int:
        """Updates the shown snapshot has seen."""
        return int(snapshot_epochs(self.epochs)[self.snapshot])

    def predict(self, x) -> np.ndarray:
        """Network output for inputs ``x`` (n, 2) at the shown snapshot, shape (n,)."""
        return self.result.predict(x, self.epoch)[:, 0]

    def at_snapshot(self) -> MLPSnapshot:
        """Outputs, loss and hidden layer at the shown snapshot."""
        result, hidden, k, epoch = self.result, self.hidden, self.snapshot, self.epoch
        y = self.predict(GATE_INPUTS)
        loss = float(result.losses[epoch - 1]) if epoch else float("nan")
        correct = (y > 0.5) == (gate_targets(self.gate) > 0.5)
        return MLPSnapshot(epoch, loss, y, correct, HiddenPlane(hidden.coords[k], float(hidden.boundary[k])))

