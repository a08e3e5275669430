"""The chain-rule backprop stepper: state (``state.py``), view (``view.py``), words (``text.py``), seed examples."""
from .panel import BackpropStepper
from .presets import PRESETS, Preset
from .state import BackpropState, GraphNode, check_inputs

__all__ = ["PRESETS", "BackpropState", "BackpropStepper", "GraphNode", "Preset", "check_inputs"]
