"""A panel renders its static layer (the background PNG) once while it is built, and its canvas has it."""
import pytest

import nnwidgets as nw
from nnwidgets.render import layer

PANELS = {
    "softmax": lambda: nw.SoftmaxCalculator(logits=[1.5, 3.7], target=1, labels=["cat", "dog"]),
    "backprop": lambda: nw.BackpropStepper.preset("sigmoid_neuron"),
    "optimizer": lambda: nw.OptimizerRace(surface="dlfs", start=(-7.0, 2.0), steps=30),
    "playground": lambda: nw.Playground(dataset="circle", hidden=(4, 2), samples=20, seed=3),
}


@pytest.mark.parametrize("name", PANELS)
def test_static_layer_is_rendered_once(monkeypatch, name):
    rendered = []
    real_png = layer.LayeredFigure._png
    monkeypatch.setattr(layer.LayeredFigure, "_png", lambda self, dpi: rendered.append(dpi) or real_png(self, dpi))
    panel = PANELS[name]()
    assert rendered == [100 * layer.PIXEL_RATIO]
    canvases = [w for w in widget_tree(panel.frame) if isinstance(w, layer.FastCanvas)]
    assert canvases and all(c.background.startswith(b"\x89PNG") and c.axes for c in canvases)


def widget_tree(root) -> list:
    return [root] + [w for child in getattr(root, "children", ()) for w in widget_tree(child)]


def test_draw_false_leaves_the_static_layer_to_the_caller():
    figure = layer.LayeredFigure(layer.new_figure(200, 100), draw=False)
    assert figure.canvas.background == b"" and figure.canvas.axes == []
    figure.fig.add_axes((0.1, 0.1, 0.8, 0.8))
    figure.refresh_static()
    assert figure.canvas.background.startswith(b"\x89PNG") and len(figure.canvas.axes) == 1
