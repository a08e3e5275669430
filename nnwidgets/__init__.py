"""nnwidgets: interactive Jupyter panels for teaching introductory deep learning.

>>> import nnwidgets as nw
>>> p = nw.PerceptronExplorer(gate="AND")

Names are imported lazily, so ``import nnwidgets`` stays cheap until a panel
or a core function is first used (JAX and matplotlib take about a second each).
"""
from importlib import import_module

from . import classroom  # noqa: F401  (first: NNWIDGETS_CLASSROOM caps XLA threads before JAX starts)

__version__ = "0.1.0"

_PUBLIC = {
    "PerceptronExplorer": "nnwidgets.panels.perceptron",
    "why_no_line": "nnwidgets.panels.perceptron",
    "SoftmaxCalculator": "nnwidgets.panels.softmax",
    "softmax": "nnwidgets.core.softmax",
    "log_softmax": "nnwidgets.core.softmax",
    "cross_entropy": "nnwidgets.core.softmax",
    "mse": "nnwidgets.core.softmax",
    "naive_softmax": "nnwidgets.core.softmax",
    "BackpropStepper": "nnwidgets.panels.backprop",
    "OptimizerRace": "nnwidgets.panels.optimizer_race",
    "load_iris": "nnwidgets.data",
    "ConvShapeVisualizer": "nnwidgets.panels.conv",
    "conv_output_size": "nnwidgets.core.conv",
    "conv2d": "nnwidgets.core.conv",
    "pool2d": "nnwidgets.core.conv",
    "pool1d": "nnwidgets.core.conv",
    "correlate1d": "nnwidgets.core.conv",
    "trace_shapes": "nnwidgets.core.conv",
    "perceptron": "nnwidgets.core.perceptron",
    "learn_perceptron": "nnwidgets.core.perceptron",
    "train_mlp": "nnwidgets.core.mlp",
    "GATES": "nnwidgets.core.perceptron",
    "Playground": "nnwidgets.panels.playground",
    "load_digits": "nnwidgets.data.digits",
    "kfold": "nnwidgets.core.playground",
    "cross_validate": "nnwidgets.core.playground",
    "set_language": "nnwidgets.i18n",
    "get_language": "nnwidgets.i18n",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name):
    if name in _PUBLIC:
        value = getattr(import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nnwidgets' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
