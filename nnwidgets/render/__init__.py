"""The fast drawing layer: static matplotlib background + dynamic canvas marks."""
from . import marks
from .layer import FastCanvas, LayeredFigure, new_figure

__all__ = ["FastCanvas", "LayeredFigure", "marks", "new_figure"]
