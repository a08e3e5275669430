"""Every sentence, label and title the playground shows (kept here so they can be translated in one place)."""

TITLE = "Playground"
WRONG_PROBLEM = "problem = {problem!r} does not fit dataset {dataset!r}, which is a {kind} data set"
POINTS_NEED_2D = ("points can be drawn on 2-D data sets only; this data set has {inputs} inputs "
                  "(clear_points() or choose a 2-D dataset)")
POINT_NOT_A_CLASS = "points label {label} is not a class of this data set: classes are 0..{top}"
EMPTY = "the data set is empty: add points with add_point(x1, x2, label) or choose another dataset"
PAIR_TOO_BIG = ("dataset: an (X, y) pair of {size:,} numbers is too big to save (at most {limit:,}); write it to a "
                "CSV file and pass its path as dataset")

NETWORK_TITLE = "network (edges: blue +, orange −, width |w|)"
LOSS_TITLE = "loss: train (solid), test (dashed)\ngreen line: best test epoch"
GRADIENT_TITLE = "mean |∂L/∂W| per layer"
DATA_TITLE = "data: train (white edge), test (dark edge)"
CONFUSION_TITLE = "confusion matrix (test data)"
PREDICTED = "predicted class"
ROW = "row {row}"
TRUE_PREDICTED = "{true}→{predicted}"
WRONG_TITLE = "misclassified (true→predicted)"
TRUE_CLASS = "true class"
EPOCH_AXIS = "epoch"
PLAY = "Play"
PAUSE = "Pause"
STEP = "Step"
RESET = "Reset"
EPOCH = "epoch {epoch}"
STATUS = "epoch {epoch} · train loss {train} · test loss {test}"
ACCURACY = " · test accuracy {accuracy}"
BEST = " · best test epoch {best}"
STOPPED = " · stopped early"
ADD_CLASS = "click adds"
ADD_CLASS_HINT = "the class of the point a click on the data plot adds"
HIDDEN_HINT = "hidden layers, e.g. 4, 2"
NOT_LAYERS = "hidden must be sizes separated by commas such as 4, 2, got {text!r}"
EARLY_HINT = "early stop (0: off)"
CUSTOM_DATA = "(your data)"
NO_CONTROL = "the playground has no control {name!r}; known: {known}"
LAYER_FORMULA = "h{i} = {act}(h{j}·W{i} + b{i})"
NORM_FORMULA = "h{i} = {act}(BN(h{j}·W{i} + b{i}))"
OUTPUT_FORMULA = {"sigmoid": "p = sigmoid(h{j}·W{i} + b{i})", "softmax": "p = softmax(h{j}·W{i} + b{i})",
                  "linear": "ŷ = h{j}·W{i} + b{i}"}
INPUTS_FORMULA = "h0 = ({inputs})"
LABELS = {"dataset": "dataset", "problem": "problem", "hidden": "hidden", "activation": "activation", "lr": "lr",
          "batch_size": "batch", "optimizer": "optimizer", "regularization": "regularization", "reg_rate": "reg. rate",
          "dropout": "dropout", "batch_norm": "batch norm", "init": "init", "init_scale": "init scale",
          "features": "features", "noise": "noise", "samples": "samples", "train_fraction": "train part",
          "early_stopping": "early stop", "seed": "seed"}


def formula(sizes, activation: str, output: str, inputs, batch_norm: bool) -> str:
    """The network written out, one line a layer."""
    lines = [INPUTS_FORMULA.format(inputs=", ".join(inputs))]
    for i in range(1, len(sizes) - 1):
        lines.append((NORM_FORMULA if batch_norm else LAYER_FORMULA).format(i=i, j=i - 1, act=activation))
    lines.append(OUTPUT_FORMULA[output].format(i=len(sizes) - 1, j=len(sizes) - 2))
    return "\n".join(lines)
