"""Conv/pool shape visualizer: where the kernel reads, what comes out, every convention's formula, a CNN tracer.

``state`` holds what the learner controls (``ConvState``, and ``NetworkState`` for the tracer tab), ``view`` and
``network_view`` the widgets, ``tracer`` the safe parser of the typed layer list, ``text`` every sentence shown;
``panel`` puts them together as ``ConvShapeVisualizer``. The maths is in ``nnwidgets.core.conv``.
"""
from .panel import ConvShapeVisualizer
from .state import MAX_SIDE, MODES, SEED_CNN, TABS, ConvState, NetworkState

__all__ = ["MAX_SIDE", "MODES", "SEED_CNN", "TABS", "ConvShapeVisualizer", "ConvState", "NetworkState"]
