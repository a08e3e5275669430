"""The fast drawing layer: static matplotlib background + dynamic canvas marks."""
from . import compile_cache, marks
from .layer import FastCanvas, LayeredFigure, new_figure

__all__ = ["FastCanvas", "LayeredFigure", "marks", "new_figure"]

compile_cache.enable()  # before any panel compiles: a fresh kernel reuses what earlier kernels of this user compiled
