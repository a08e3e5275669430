"""Every sentence, label and title the playground shows (kept here so they can be translated in one place).

Marked with ``N_``: read ``text.NAME`` when drawing or raising (in the language in force), never at import time.
The network's formulas (``h1 = tanh(h0·W1 + b1)``) are maths and stay as they are.
"""
from __future__ import annotations

from ...i18n import N_, translate_module

WRONG_PROBLEM = N_("problem = {problem!r} does not fit dataset {dataset!r}, which is a {kind} data set")
KINDS = {"classification": N_("classification"), "regression": N_("regression")}
POINTS_NEED_2D = N_("points can be drawn on 2-D data sets only; this data set has {inputs} inputs "
                    "(clear_points() or choose a 2-D dataset)")
POINT_NOT_A_CLASS = N_("points label {label} is not a class of this data set: classes are 0..{top}")
EMPTY = N_("the data set is empty: add points with add_point(x1, x2, label) or choose another dataset")
PAIR_TOO_BIG = N_("dataset: an (X, y) pair of {size:,} numbers is too big to save (at most {limit:,}); write it to "
                  "a CSV file and pass its path as dataset")
X_COLUMNS = N_("X must have {width} columns like the data, got {got}")

NETWORK_TITLE = N_("network (edges: blue +, orange −, width |w|)")
LOSS_TITLE = N_("loss: train (solid), test (dashed)\ngreen line: best test epoch")
GRADIENT_TITLE = N_("mean |∂L/∂W| per layer")
DATA_TITLE = N_("data: train (white edge), test (dark edge)")
CONFUSION_TITLE = N_("confusion matrix (test data)")
PREDICTED = N_("predicted class")
ROW = N_("row {row}")
TRUE_PREDICTED = "{true}→{predicted}"
WRONG_TITLE = N_("misclassified (true→predicted)")
TRUE_CLASS = N_("true class")
EPOCH_AXIS = N_("epoch")
PLAY = N_("Play")
PAUSE = N_("Pause")
STEP = N_("Step")
RESET = N_("Reset")
EPOCH = N_("epoch {epoch}")
STATUS = N_("epoch {epoch} · train loss {train} · test loss {test}")
ACCURACY = N_(" · test accuracy {accuracy}")
BEST = N_(" · best test epoch {best}")
STOPPED = N_(" · stopped early")
ADD_CLASS = N_("click adds")
ADD_CLASS_HINT = N_("the class of the point a click on the data plot adds")
HIDDEN_HINT = N_("hidden layers, e.g. 4, 2")
NOT_LAYERS = N_("hidden must be sizes separated by commas such as 4, 2, got {text!r}")
EARLY_HINT = N_("early stop (0: off)")
CUSTOM_DATA = N_("(your data)")
NO_REGULARIZATION = N_("none")
NO_CONTROL = N_("the playground has no control {name!r}; known: {known}")
FORMULA_HEADING = N_("the network, one line a layer (h0: the inputs):")
LAYER_FORMULA = "h{i} = {act}(h{j}·W{i} + b{i})"
NORM_FORMULA = "h{i} = {act}(BN(h{j}·W{i} + b{i}))"
OUTPUT_FORMULA = {"sigmoid": "p = sigmoid(h{j}·W{i} + b{i})", "softmax": "p = softmax(h{j}·W{i} + b{i})",
                  "linear": "ŷ = h{j}·W{i} + b{i}"}
INPUTS_FORMULA = "h0 = ({inputs})"
LABELS = {"dataset": N_("dataset"), "problem": N_("problem"), "hidden": N_("hidden"), "activation": N_("activation"),
          "lr": N_("lr"), "batch_size": N_("batch"), "optimizer": N_("optimizer"),
          "regularization": N_("regularization"), "reg_rate": N_("reg. rate"), "dropout": N_("dropout"),
          "batch_norm": N_("batch norm"), "init": N_("init"), "init_scale": N_("init scale"),
          "features": N_("features"), "noise": N_("noise"), "samples": N_("samples"),
          "train_fraction": N_("train part"), "early_stopping": N_("early stop"), "seed": N_("seed")}

# ---- the checks' refusals --------------------------------------------------------------------------------
NOT_IN_INTERVAL = N_("{name} must be a number in {interval}, got {value:g}")
NOT_IN_RANGE = N_("{name} must be an integer in {low}..{high}, got {value}")
NO_SUCH_FILE = N_("{name} must be one of {names}, the path of a CSV file or an (X, y) pair, got {value} "
                  "(no such file)")
NOT_A_DATASET = N_("{name} must be a data set name, the path of a CSV file or an (X, y) pair, got {value}")
NOT_FEATURES = N_("{name} must be a non-empty tuple of {names}, got {value}")
NOT_DISTINCT = N_("{name} must be distinct names from {names}, got {value}")
OR_NONE = N_("{error} (or None for {what})")
NONE_MEANS = {"regularization": N_("no regularisation"), "early_stopping": N_("no early stopping")}
NOT_OPTIONS = N_("{name} must be a dict such as {{'momentum': 0.9}}, got {value}")
NO_OPTION = N_("{name} has no hyperparameter {key}: allowed are {allowed}")
NOTHING_BESIDES_LR = N_("nothing besides lr")
OPTIONS_DO_NOT_APPLY = N_("optimizer_options {extra} do not apply to {kind!r}, which takes {takes}")
NOT_POINTS = N_("{name} must be a list of (x1, x2, label) triples, got {value}")
TOO_MANY_POINTS = N_("{name} may hold at most {limit} points, got {count}")
POINT_ENTRY = N_("{name} entry {number}")
NOT_A_POINT = N_("{where} must be (x1, x2, label), got {value}")


def formula(sizes, activation: str, output: str, inputs, batch_norm: bool) -> str:
    """The network written out, one line a layer."""
    lines = [INPUTS_FORMULA.format(inputs=", ".join(inputs))]
    for i in range(1, len(sizes) - 1):
        lines.append((NORM_FORMULA if batch_norm else LAYER_FORMULA).format(i=i, j=i - 1, act=activation))
    lines.append(OUTPUT_FORMULA[output].format(i=len(sizes) - 1, j=len(sizes) - 2))
    return "\n".join(lines)


translate_module(__name__)
