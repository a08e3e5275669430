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
    rendered = _count_renders(monkeypatch)
    panel = PANELS[name]()
    assert len(rendered) == 1
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


def test_round_limits():
    from nnwidgets.render.limits import decades, round_out, round_up
    assert [round_up(v) for v in (1, 3, 13, 20, 21, 99, 100, 101, 0.07)] == [1, 5, 20, 20, 50, 100, 100, 200, 0.1]
    assert decades(0.0031, 0.26) == (0.001, 1.0)
    lo, hi = round_out(-0.37, 1.23)
    assert (round(lo, 9), round(hi, 9)) == (-0.4, 1.4)
    for a, b in ((-0.37, 1.23), (0.011, 0.0125), (3.2, 870.0)):
        lo, hi = round_out(a, b)
        assert lo <= a and hi >= b and hi - lo <= 1.5 * (b - a) + 2 * round_up((b - a) / 10)


def _canvases(panel) -> list:
    return [w for w in widget_tree(panel.frame) if isinstance(w, layer.FastCanvas)]


def _count_renders(monkeypatch) -> list:
    """The (height, width) in pixels of every PNG the static layers encode from now on: whole pictures and patches."""
    rendered = []
    real_png = layer._png
    monkeypatch.setattr(layer, "_png", lambda pixels: rendered.append(pixels.shape[:2]) or real_png(pixels))
    return rendered


def test_mlp_retrains_with_nearby_learning_rates_keep_the_static_picture(monkeypatch):
    """The loss axis snaps to decades and the hidden-layer axes to round steps: of ten lr moves on the MLP tab,
    at most two render the PNG again, and the page's axes always hold the limits the marks are drawn in."""
    panel = nw.PerceptronExplorer()
    panel.open_tab("mlp")
    rendered = _count_renders(monkeypatch)
    for lr in (0.30, 0.31, 0.32, 0.33, 0.34, 0.35, 0.36, 0.37, 0.38, 0.39):
        panel.mlp.lr = lr
        losses = panel.mlp.result.losses
        boxes = [box for canvas in _canvases(panel) for box in canvas.axes if box["ylog"]]
        assert len(boxes) == 1 and boxes[0]["ylim"][0] <= losses.min() and boxes[0]["ylim"][1] >= losses.max()
    assert len(rendered) <= 2, rendered


def test_learn_tab_epochs_steps_render_only_at_round_numbers(monkeypatch):
    panel = nw.PerceptronExplorer()
    panel.open_tab("learn")
    panel.learn.epochs = 11
    rendered = _count_renders(monkeypatch)
    for epochs in range(12, 21):  # the axis stays at 20
        panel.learn.epochs = epochs
    assert rendered == []
    panel.learn.epochs = 21  # now 50
    assert len(rendered) == 1
    for epochs in (20, 21, 20, 35, 50):  # 50 is kept while the epochs fill 40% of it
        panel.learn.epochs = epochs
    assert len(rendered) == 1
    panel.learn.epochs = 19  # under 40% of 50: back to 20
    assert len(rendered) == 2
    assert [-0.5, 20.5] in [box["xlim"] for canvas in _canvases(panel) for box in canvas.axes]
    panel.learn.epochs = 21
    assert [-0.5, 50.5] in [box["xlim"] for canvas in _canvases(panel) for box in canvas.axes]


def test_steady_limits_hold_while_the_data_fits_and_fills_them():
    from nnwidgets.render.limits import steady
    first = steady(None, 0.1, 0.9)
    assert first[0] <= 0.1 - 0.16 + 1e-9 and first[1] >= 0.9 + 0.16 - 1e-9  # a fifth of the span of room
    assert steady(first, 0.05, 0.95) == first  # still inside, still fills it
    assert steady(first, 0.4, 0.5) != first  # too small a part of it: new limits
    assert steady(first, 0.1, 3.0) != first  # outside
    assert steady((1e-4, 1.0), 3e-4, 0.2, log=True) == (1e-4, 1.0)
    assert steady((1e-4, 1.0), 0.05, 0.2, log=True) == (0.01, 1.0)


TABS = {  # a tab's view is built when it is first opened: its picture is rendered once, whole
    "race: learning rate": (lambda: nw.OptimizerRace(), "learning rate"),
    "race: real model": (lambda: nw.OptimizerRace(), "real model"),
    "race: momentum theory": (lambda: nw.OptimizerRace(), "momentum theory"),
    "perceptron: learn": (lambda: nw.PerceptronExplorer(), "learn"),
    "perceptron: mlp": (lambda: nw.PerceptronExplorer(), "mlp"),
    "perceptron: stack": (lambda: nw.PerceptronExplorer(), "stack"),
}


@pytest.mark.parametrize("name", TABS)
def test_opening_a_tab_renders_its_picture_once(monkeypatch, name):
    make, tab = TABS[name]
    panel = make()
    rendered = _count_renders(monkeypatch)
    panel.open_tab(tab)
    assert len(rendered) == 1, rendered
