"""``PlaygroundState``: what the learner sets (data, network, training), and the network it trains (no widgets)."""
from __future__ import annotations

import jax
import numpy as np
from traitlets import Int

from ..._validate import shown
from ...core.playground import (
    ACTIVATIONS,
    CLASSIFICATION_SETS,
    INITS,
    OPTIMIZERS,
    REGRESSION_SETS,
    Knobs,
    Setup,
    architecture,
    check_hidden,
    check_pair,
    confusion_matrix,
    cross_validate,
    evaluate,
    feature_map,
    fit,
    generate,
    init_params,
    misclassified,
    probabilities,
    read_csv,
    split,
    start,
)
from ...core.playground.datasets import GENERATED, MAX_SAMPLES, Samples, check_targets
from .._state import PanelState, flag, jsonable
from .._traits import Checked, one_of
from . import checks, text

DATA = {"dataset", "problem", "noise", "samples", "train_fraction", "seed", "features", "points"}
NETWORK = {"hidden", "activation", "batch_norm", "init", "init_scale", "optimizer"}
HISTORY = ("train_loss", "test_loss", "train_accuracy", "test_accuracy", "gradient_size")


class PlaygroundState(PanelState):
    """Build, train and break a network: every constructor argument is a setting; ``train`` runs epochs."""

    SETTINGS = ("dataset", "problem", "hidden", "activation", "lr", "batch_size", "optimizer", "optimizer_options",
                "regularization", "reg_rate", "dropout", "batch_norm", "init", "init_scale", "features", "noise",
                "samples", "train_fraction", "early_stopping", "seed", "points")

    dataset = Checked("circle", checks.dataset)
    problem = Checked("classification", one_of(("classification", "regression")))
    hidden = Checked((4, 2), check_hidden)
    activation = Checked("tanh", one_of(ACTIVATIONS))
    lr = Checked(0.03, checks.in_range(0.0, 10.0, low_in=False))
    batch_size = Checked(10, checks.int_range(1, MAX_SAMPLES))
    optimizer = Checked("sgd", one_of(OPTIMIZERS))
    optimizer_options = Checked({}, checks.optimizer_options)
    regularization = Checked(None, checks.optional(one_of(("l1", "l2")), "regularization"))
    reg_rate = Checked(0.0, checks.in_range(0.0, 10.0))
    dropout = Checked(0.0, checks.in_range(0.0, 0.9))
    batch_norm = Checked(False, flag)
    init = Checked("xavier", one_of(INITS))
    init_scale = Checked(1.0, checks.in_range(0.0, 10.0, low_in=False))
    features = Checked(("x1", "x2"), checks.features)
    noise = Checked(0.0, checks.in_range(0.0, 0.5))
    samples = Checked(500, checks.int_range(10, MAX_SAMPLES))
    train_fraction = Checked(0.5, checks.in_range(0.0, 1.0, low_in=False))
    early_stopping = Checked(None, checks.optional(checks.int_range(1, checks.MAX_EPOCHS), "early_stopping"))
    seed = Checked(0, checks.int_range(0, 2**32 - 1))
    points = Checked((), checks.points)

    #: bumped after every change of data, network or training, so views redraw once
    revision = Int(0)

    def __init__(self, **settings):
        super().__init__()
        self._data = None  # built once, with the settings given (the defaults built first doubled the time)
        if settings:
            self.set(**settings)
        if self._data is None:
            self._build(DATA | NETWORK)

    # ---- settings -------------------------------------------------------------------------------------
    def check_together(self, values, changed):
        adjusted = {}
        name = values["dataset"]
        kind = "regression" if name in REGRESSION_SETS else "classification" if name in CLASSIFICATION_SETS else None
        if kind and values["problem"] != kind:
            if "problem" in changed:
                raise ValueError(text.WRONG_PROBLEM.format(dataset=name, problem=values["problem"],
                                                           kind=text.KINDS[kind]))
            adjusted["problem"] = kind
        if "dataset" in changed and "points" not in changed and name != "points" and values["points"]:
            adjusted["points"] = ()  # drawn points belong to the picture they were drawn on
        options = checks.options_for(values["optimizer"], values["optimizer_options"], "optimizer_options" in changed)
        if options != values["optimizer_options"]:
            adjusted["optimizer_options"] = options
        return adjusted

    def after_change(self, changed):
        if self._data is None:  # the constructor's settings: the first build
            self._build(DATA | NETWORK)
        elif changed & (DATA | NETWORK):
            self._build(changed)
        elif changed:
            self._bump()

    def _build(self, changed):
        """Rebuild the data (if a data setting changed) and the network at epoch 0; assigned only if all works."""
        data = self._load() if changed & DATA else self._data
        raw = data.X_train
        inputs = len(self.features) if raw.shape[1] == 2 else raw.shape[1]
        classes = self._classes(data)
        arch = architecture(inputs, self.hidden, self.problem, classes, self.activation, self.batch_norm)
        params, stats = init_params(arch, self.init, jax.random.fold_in(jax.random.key(self.seed), 10**6),
                                    self.init_scale)
        self._data, self._n_classes, self._arch, self._start = data, classes, arch, (params, stats)
        self._restart()

    def _load(self):
        dataset, problem = self.dataset, self.problem
        if isinstance(dataset, tuple):
            samples = Samples(dataset[0], check_targets(dataset[1], problem, "dataset"))
        elif dataset == "points":
            samples = Samples(np.zeros((0, 2), np.float32), np.zeros(0, np.float32))
        elif dataset in GENERATED or dataset in ("iris", "digits"):
            samples = generate(dataset, self.samples, self.noise, self.seed)
        else:
            samples = read_csv(dataset, problem)
        parts = split(samples, self.train_fraction, self.seed)
        if self.points:
            if samples.X.shape[1] != 2:
                raise ValueError(text.POINTS_NEED_2D.format(inputs=samples.X.shape[1]))
            table = np.array(self.points, np.float32)
            labels = check_targets(table[:, 2], problem, "points")
            if problem == "classification" and dataset != "points":
                top = int(max(parts.y_train.max(initial=0), parts.y_test.max(initial=0)))
                if labels.max() > max(top, 1):
                    raise ValueError(text.POINT_NOT_A_CLASS.format(label=shown(labels.max()), top=max(top, 1)))
            parts = parts._replace(X_train=np.concatenate([parts.X_train, table[:, :2]]),
                                   y_train=np.concatenate([parts.y_train, labels.astype(parts.y_train.dtype)]))
        return parts

    def _classes(self, data) -> int:
        if self.problem == "regression":
            return 0
        labels = np.concatenate([data.y_train, data.y_test]).astype(np.int64)
        return max(2, int(labels.max(initial=0)) + 1)

    def _restart(self):
        params, stats = self._start
        self._setup = Setup(self._arch, self.optimizer, self.batch_size)
        self._state = start(self._setup, params, stats, self._knobs())
        self._best = (0, self._state, np.inf)
        self._stopped = False
        layers = len(self._arch.sizes) - 1
        self._history = {name: np.zeros((0, layers) if name == "gradient_size" else (0,), np.float32)
                         for name in HISTORY}
        self._bump()

    def _bump(self):
        self.set_trait("revision", self.revision + 1)

    def _knobs(self) -> Knobs:
        l1 = self.reg_rate if self.regularization == "l1" else 0.0
        l2 = self.reg_rate if self.regularization == "l2" else 0.0
        return Knobs(self.lr, l1, l2, self.dropout, dict(self.optimizer_options))

    # ---- training -------------------------------------------------------------------------------------
    def train(self, epochs: int = 1):
        """Train ``epochs`` more epochs (mini-batches of ``batch_size``); with ``early_stopping`` = patience, stop
        once the test loss has not improved for that many epochs and go back to the best epoch's weights."""
        epochs = checks.epochs("epochs", epochs)
        if self._stopped:
            return self
        if len(self._data.X_train) == 0:
            raise ValueError(text.EMPTY)
        setup = self._setup._replace(batch_size=self.batch_size)
        best = self._best
        result = fit(setup, self._state, self._knobs(), self._network_data(), epochs, self.seed,
                     first_epoch=self.epoch, patience=self.early_stopping, best=(best[0], best[2], best[1]))
        self._history = {k: np.concatenate([v, result.history[k]]) for k, v in self._history.items()}
        self._setup, self._best, self._stopped = setup, (result.best_epoch, result.best_state, result.best_loss), \
            result.stopped
        self._state = result.best_state if result.stopped else result.state
        self._bump()
        return self

    def reset(self):
        """Back to epoch 0 with the initial weights drawn from ``seed``."""
        self._restart()
        return self

    def cross_validate(self, k: int = 5, epochs: int = 50):
        """k-fold cross-validation of the current settings on all the data (train and test parts together)."""
        epochs = checks.epochs("epochs", epochs)
        X = np.concatenate([self._data.X_train, self._data.X_test])
        y = np.concatenate([self._data.y_train, self._data.y_test])
        return cross_validate(self._setup, self._knobs(), self._inputs(X), y, k, epochs, self.seed, self.init,
                              self.init_scale)

    # ---- what the network says --------------------------------------------------------------------------
    @property
    def epoch(self) -> int:
        return len(self._history["train_loss"])

    @property
    def history(self) -> dict:
        """One entry per epoch: train/test loss (no penalty) and accuracy, and each layer's mean |∂L/∂W|."""
        return {k: v.copy() for k, v in self._history.items()}

    @property
    def best_epoch(self) -> int:
        """The epoch with the lowest test loss so far (0 before training or without test data)."""
        return self._best[0]

    @property
    def stopped_early(self) -> bool:
        return self._stopped

    @property
    def params(self) -> list:
        """[(W, b), ...] of every layer now (NumPy arrays)."""
        return [(np.asarray(W), np.asarray(b)) for W, b in self._state.params.layers]

    @property
    def init_params(self) -> list:
        """[(W, b), ...] at epoch 0."""
        return [(np.asarray(W), np.asarray(b)) for W, b in self._start[0].layers]

    @property
    def data(self):
        """(X_train, y_train, X_test, y_test) as given (2-D points before features); drawn points are in train."""
        return tuple(self._data)

    @property
    def classes(self) -> int:
        """How many classes (0 for regression)."""
        return self._n_classes

    @property
    def architecture(self):
        return self._arch

    @property
    def formula(self) -> str:
        """The current network written out, one line a layer (h0 are the inputs)."""
        width = self._data.X_train.shape[1]
        names = self.features if width == 2 else [f"x{i + 1}" for i in range(min(width, 4))] + ["..."] * (width > 4)
        return text.formula(self._arch.sizes, self.activation, self._arch.output, names, self.batch_norm)

    def _inputs(self, X) -> np.ndarray:
        X = np.asarray(X, np.float32)
        return feature_map(X, self.features) if X.shape[1] == 2 and self._data.X_train.shape[1] == 2 else X

    def _network_data(self):
        d = self._data
        return self._inputs(d.X_train), d.y_train, self._inputs(d.X_test), d.y_test

    def _checked_inputs(self, X) -> np.ndarray:
        X = np.asarray(check_pair(X, np.zeros(len(np.atleast_2d(X))), "regression", "X").X)
        width = self._data.X_train.shape[1]
        if X.shape[1] != width:
            raise ValueError(text.X_COLUMNS.format(width=width, got=X.shape[1]))
        return self._inputs(X)

    def predict(self, X) -> np.ndarray:
        """Class probabilities (n, classes) for classification, values (n,) for regression."""
        logits = evaluate(self._arch, self._state.params, self._state.stats, self._checked_inputs(X)).logits
        if self._arch.output == "linear":
            return np.asarray(logits[:, 0])
        return np.asarray(probabilities(self._arch.output, logits))

    def activations(self, X) -> list:
        """Every hidden layer's outputs (n, neurons), then the output layer's (p or ŷ), for the heat maps."""
        out = evaluate(self._arch, self._state.params, self._state.stats, self._checked_inputs(X))
        return [np.asarray(h) for h in out.layers]

    def confusion(self, part: str = "test") -> np.ndarray:
        """The confusion matrix on the "train" or "test" part (rows: true class, columns: predicted)."""
        d = self._data
        X, y = (d.X_train, d.y_train) if part == "train" else (d.X_test, d.y_test)
        if self.problem == "regression" or len(X) == 0:
            return np.zeros((self.classes, self.classes), np.int64)
        return confusion_matrix(y, self.predict(X).argmax(axis=1), self.classes)

    def misclassified(self, part: str = "test"):
        """The wrongly classified samples of the "train" or "test" part: (index, true, predicted) arrays."""
        d = self._data
        X, y = (d.X_train, d.y_train) if part == "train" else (d.X_test, d.y_test)
        if self.problem == "regression" or len(X) == 0:
            return misclassified([], [])
        return misclassified(y, self.predict(X).argmax(axis=1))

    # ---- drawing your own points ------------------------------------------------------------------------
    def add_point(self, x1: float, x2: float, label):
        """Add a training point (of class ``label``, or target value for regression) to a 2-D data set."""
        self.points = self.points + ((x1, x2, label),)
        return self

    def clear_points(self):
        self.points = ()
        return self

    # ---- saving -------------------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        if isinstance(self.dataset, tuple):
            X, y = self.dataset
            if X.size + y.size > checks.SAVE_LIMIT:
                raise ValueError(text.PAIR_TOO_BIG.format(size=X.size + y.size, limit=checks.SAVE_LIMIT))
        out = super().to_dict()
        out["dataset"] = jsonable(self.dataset)
        return out
