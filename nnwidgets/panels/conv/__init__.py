"""Conv/pool shape visualizer: where the kernel reads, what comes out, every convention's formula, a CNN tracer.

``state`` holds what the learner controls (``ConvState``; ``network_state.NetworkState`` for the tracer tab),
``samples`` the values shown when none are typed (a handwritten digit, edge kernels), ``drawing`` the marks of the
input, kernel and output stacks, ``view``, ``network_view`` and ``form_view`` the widgets, ``tracer`` and ``form`` the
safe readers of the typed layer list and of the form's fields, ``text`` every sentence shown; ``panel`` puts them
together as ``ConvShapeVisualizer``. The maths is in ``nnwidgets.core.conv``.
"""
from .panel import ConvShapeVisualizer
from .state import MAX_SIDE, MODES, SEED_CNN, TABS, ConvState, NetworkState

__all__ = ["MAX_SIDE", "MODES", "SEED_CNN", "TABS", "ConvShapeVisualizer", "ConvState", "NetworkState"]
