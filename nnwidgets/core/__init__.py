"""Pure JAX maths behind the panels: no widgets, no plotting."""
from .mlp import MLPResult, hidden_plane, init_mlp_params, mlp_forward, mlp_hidden, mlp_loss, train_mlp
from .perceptron import (
    GATE_INPUTS,
    GATE_PRESETS,
    GATE_TARGETS,
    GATES,
    LearningHistory,
    gate_targets,
    learn_perceptron,
    perceptron,
    perceptron_forward,
)

__all__ = [
    "GATES", "GATE_INPUTS", "GATE_PRESETS", "GATE_TARGETS", "LearningHistory", "MLPResult",
    "gate_targets", "hidden_plane", "init_mlp_params", "learn_perceptron", "mlp_forward",
    "mlp_hidden", "mlp_loss", "perceptron", "perceptron_forward", "train_mlp",
]
