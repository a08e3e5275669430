"""The "real model" tab's state: the optimizers training the XOR net or softmax regression on Iris, full batch,
mini-batch or stochastic, with the epoch/iteration arithmetic written out, and each racer's train and test
accuracy (Iris: 120 training flowers, 30 held out; XOR has only its 4 points, so it has no test set)."""
from __future__ import annotations

from functools import partial

from traitlets import Dict

from ..._validate import positive_int
from ...core.optim import kind_of, optimizer
from ...core.train import (
    accuracy,
    iris_split,
    iterations_per_epoch,
    predict_iris,
    predict_xor,
    train_race_models,
    xor_problem,
)
from .._state import PanelState
from .._traits import Checked, one_of
from . import text
from .state import check_racers

SAMPLES = {"iris": 120, "xor": 4}  # training samples
DEFAULT_RACERS = {"iris": {"SGD": {"lr": 0.5}, "Momentum": {"lr": 0.05}, "Nesterov": {"lr": 0.05},
                           "AdaGrad": {"lr": 0.5}, "RMSProp": {"lr": 0.01}, "Adam": {"lr": 0.05}},
                  "xor": {"SGD": {"lr": 2.0}, "Momentum": {"lr": 0.5}, "Nesterov": {"lr": 0.5},
                          "AdaGrad": {"lr": 0.5}, "RMSProp": {"lr": 0.05}, "Adam": {"lr": 0.05}}}
DEFAULT_EPOCHS = {"iris": 50, "xor": 2000}
BATCHES = ("full", "mini", "stochastic")  # the API's batch names; the toggle shows text.BATCH_LABELS


class ModelRaceState(PanelState):
    """The optimizers training a real model; ``run()`` trains (about a second) and fills ``losses``.

    Choosing another model brings that model's learning rates and epochs (unless set in the same change).
    """

    SETTINGS = ("model", "batch", "batch_size", "epochs", "optimizers")

    model = Checked("iris", one_of(tuple(SAMPLES)))
    batch = Checked("mini", one_of(BATCHES))
    batch_size = Checked(10, lambda name, v: positive_int(name, v, maximum=1000))
    epochs = Checked(50, lambda name, v: positive_int(name, v, maximum=5000))
    optimizers = Checked(DEFAULT_RACERS["iris"], partial(check_racers, allow_optax=False))
    losses = Dict(help="{name: training loss per epoch (epochs + 1,)} of the last run()")
    accuracies = Dict(help="{name: (train accuracy, test accuracy or None)} after the last run()")

    def __init__(self, model="iris", **kwargs):
        super().__init__()
        self.set(model=model, **kwargs)

    def check_together(self, values, changed):
        adjusted = {}
        if "model" in changed and values["model"] != self.model:
            if "optimizers" not in changed:
                adjusted["optimizers"] = check_racers("optimizers", DEFAULT_RACERS[values["model"]])
            if "epochs" not in changed:
                adjusted["epochs"] = DEFAULT_EPOCHS[values["model"]]
        return adjusted

    @property
    def problem(self):
        return iris_split()[0] if self.model == "iris" else xor_problem()

    @property
    def test_set(self):
        """(x, labels) held out from training, or None (XOR)."""
        return iris_split()[1:] if self.model == "iris" else None

    @property
    def samples(self) -> int:
        return SAMPLES[self.model]

    @property
    def effective_batch(self) -> int:
        return {"full": self.samples, "mini": min(self.batch_size, self.samples), "stochastic": 1}[self.batch]

    def arithmetic(self) -> str:
        n, b = self.samples, self.effective_batch
        iters = iterations_per_epoch(n, b)
        return text.ARITHMETIC.format(n=n, b=b, iters=iters, epochs=self.epochs, updates=iters * self.epochs,
                                      seed_iters=iterations_per_epoch(500, 10))

    def run(self, progress: bool = True) -> dict:
        """Train every racer from the same start; returns and stores {name: loss per epoch (epochs + 1,)}."""
        racers = tuple(optimizer(kind_of(k), **hp) for k, hp in self.optimizers.items())
        problem = self.problem
        trained = train_race_models(problem, racers, self.epochs, self.effective_batch, progress=progress)
        predict = predict_iris if self.model == "iris" else predict_xor
        _, _, x, t = problem
        labels = t.argmax(axis=1) if self.model == "iris" else t[:, 0].astype(int)
        test = self.test_set
        self.accuracies = {k: (accuracy(predict, params, x, labels),
                               None if test is None else accuracy(predict, params, *test))
                           for k, params in zip(self.optimizers, trained.params)}
        self.losses = dict(zip(self.optimizers, trained.losses))
        return self.losses
