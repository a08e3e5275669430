"""The chain-rule backprop stepper: state (``state.py``), view (``view.py``), words (``text.py``), seed examples."""
from .panel import BackpropStepper
from .presets import PRESETS, Preset
from .settings import check_inputs
from .state import BackpropState, GraphNode

__all__ = ["PRESETS", "BackpropState", "BackpropStepper", "GraphNode", "Preset", "check_inputs"]
