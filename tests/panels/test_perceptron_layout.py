"""The perceptron panel's figures read at a glance: legends, colour bars, equations off the line, no overlaps.

Geometry is measured on the matplotlib figure the static PNG is drawn from (the browser canvas draws the same
marks over the same background), in display pixels.
"""
import itertools

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import nnwidgets as nw
from nnwidgets.core.perceptron import GATE_INPUTS
from nnwidgets.panels.perceptron import STACK_PRESETS
from nnwidgets.panels.perceptron.learn_view import MISTAKES
from nnwidgets.panels.perceptron.mlp import MAX_HIDDEN
from nnwidgets.panels.perceptron.square import probability_rgba
from nnwidgets.render.marks import draw_with_matplotlib


def drawn(figure):
    """Draw ``figure`` (a LayeredFigure) with its marks; returns the renderer and the mark artists."""
    FigureCanvasAgg(figure.fig)
    artists = draw_with_matplotlib(figure.fig, figure.marks)
    figure.fig.canvas.draw()
    return figure.fig.canvas.get_renderer(), artists


def undraw(artists):
    for artist in artists:
        artist.remove()


def legend_texts(fig) -> list[str]:
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
    return [t.get_text() for legend in legends for t in legend.get_texts()]


# ---- legends -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tab", ["neuron", "learn", "stack", "mlp"])
def test_every_tab_has_a_legend_of_the_point_colours(tab):
    p = nw.PerceptronExplorer(gate="XOR", tab=tab)
    texts = legend_texts(p.tab_view(tab).figure.fig)
    assert "target 0" in texts and "target 1" in texts and "wrong" in texts


# ---- the sigmoid heat map and its colour bar -----------------------------------------------------------------------

def over_white(rgba):
    alpha = rgba[..., 3:] / 255
    return rgba[..., :3] * alpha + 255 * (1 - alpha)


def test_the_sigmoid_heat_map_is_readable_at_the_seeds_and_weights():
    """At w1 = w2 = 0.5, b = -0.7 sigma only runs from 0.33 at (0,0) to 0.57 at (1,1); the two corners of the
    data must still differ clearly in colour (RGB distance over white; it was 36 with the faint map)."""
    p = nw.PerceptronExplorer(gate="AND", activation="sigmoid")
    y = p.evaluate(GATE_INPUTS[[0, 3]]).y
    colours = over_white(probability_rgba(np.asarray(y), resolution=(2, 1)))
    assert np.linalg.norm(colours[0, 0] - colours[1, 0]) > 60


def test_the_sigmoid_has_a_colour_bar_with_its_meaning_and_step_has_none():
    p = nw.PerceptronExplorer(gate="AND")
    view = p.tab_view("neuron")
    bars = [ax for ax in view.figure.fig.axes if "σ(z)" in ax.get_ylabel()]
    assert len(bars) == 1
    bar = bars[0]
    assert not bar.get_visible()
    png = p.to_png()
    p.activation = "sigmoid"
    assert bar.get_visible() and bar.get_ylim() == (0, 1)
    assert [t.get_text() for t in bar.get_yticklabels()] == ["0", "0.5", "1"]
    assert p.to_png() != png
    raster = [m for m in view.figure.marks if m["type"] == "raster"]
    assert raster, "the heat map is drawn"
    p.activation = "step"
    assert not bar.get_visible()


def test_the_bar_shows_the_maps_colours():
    """The colour bar is the heat map's own colour scale: its middle is white (sigma 0.5), its ends the classes'."""
    ends = over_white(probability_rgba(np.array([0.0, 0.5, 1.0]), resolution=(3, 1)))[:, 0]
    assert np.allclose(ends[1], 255)
    assert ends[0][0] > ends[0][2] and ends[2][2] > ends[2][0]  # orange for 0, blue for 1


# ---- the equation never covers its line or the points ------------------------------------------------------------

def line_pixels(line, n=400):
    xy = line.get_xydata()
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) < 2:
        return np.empty((0, 2))
    t = np.linspace(0, 1, n)[:, None]
    dense = np.concatenate([a + t * (b - a) for a, b in itertools.pairwise(xy)])
    return line.axes.transData.transform(dense)


def assert_equations_clear(figure):
    """No equation text's box touches a line's pixels or a point's disc (with a 2 px margin)."""
    renderer, artists = drawn(figure)
    try:
        texts = [a for a in artists if hasattr(a, "get_text") and a.get_text().endswith("= 0")]
        assert texts, "the line's equation is shown"
        lines = [a for a in artists if hasattr(a, "get_xydata") and a.get_marker() in ("None", None, "")]
        points = [a for a in artists if hasattr(a, "get_xydata") and a.get_marker() in ("o", "x")]
        for text in texts:
            box = text.get_window_extent(renderer).expanded(1, 1).padded(2)
            for line in lines:
                pixels = line_pixels(line)
                inside = [p for p in pixels if box.contains(*p)]
                assert not inside, f"{text.get_text()!r} is drawn across a line at {inside[0]}"
            for point in points:
                (x, y), = point.axes.transData.transform(point.get_xydata())
                r = point.get_markersize() / 72 * figure.fig.dpi / 2
                nearest = np.clip([x, y], [box.x0, box.y0], [box.x1, box.y1])
                assert np.hypot(*(nearest - [x, y])) > r, f"{text.get_text()!r} covers a point at {(x, y)}"
    finally:
        undraw(artists)


WEIGHTS = [(0.5, 0.5, -0.7), (-0.5, -0.5, 0.7), (0.5, 0.5, -0.2), (-0.5, -0.5, 0.2), (1.0, 0.0, -0.5),
           (0.0, 1.0, -1.2), (2.0, -1.5, 0.3), (-0.35, 1.9, -1.95), (0.05, 0.05, -0.01)]


@pytest.mark.parametrize("activation", ["step", "sigmoid"])
def test_the_neuron_equation_is_off_the_line_and_the_points(activation):
    p = nw.PerceptronExplorer(gate="AND", activation=activation)
    rng = np.random.default_rng(0)
    for w1, w2, b in [*WEIGHTS, *np.round(rng.uniform(-2, 2, (6, 3)), 2)]:
        p.set(w1=float(w1), w2=float(w2), b=float(b))
        assert_equations_clear(p.tab_view("neuron").figure)


def test_the_learn_and_stack_equations_are_off_their_lines_and_points():
    p = nw.PerceptronExplorer(gate="OR", w1=0.0, w2=0.3, b=0.0, tab="learn")
    for epoch in (0, 3, 20):
        p.learn.epoch = epoch
        assert_equations_clear(p.tab_view("learn").figure)
    for preset in STACK_PRESETS:
        p.stack.load_preset(preset)
        assert_equations_clear(p.tab_view("stack").figure)


# ---- nothing overlaps ----------------------------------------------------------------------------------------------

def assert_no_overlaps(figure):
    """The boxes of the visible axes with their tick labels, axis labels and titles, and of the figure's legends,
    overlap neither each other nor the figure's edge."""
    renderer, artists = drawn(figure)
    try:
        fig = figure.fig
        boxes = [(f"axes {i}", ax.get_tightbbox(renderer)) for i, ax in enumerate(fig.axes) if ax.get_visible()]
        boxes += [(f"legend {i}", legend.get_window_extent(renderer)) for i, legend in enumerate(fig.legends)]
        width, height = fig.bbox.width, fig.bbox.height
        for name, box in boxes:
            assert box.x0 >= -0.5 and box.y0 >= -0.5 and box.x1 <= width + 0.5 and box.y1 <= height + 0.5, \
                f"{name} {box} runs off the {width:g} x {height:g} figure"
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
            assert not box_a.overlaps(box_b), f"{a} {box_a} overlaps {b} {box_b}"
    finally:
        undraw(artists)


def test_the_mlp_tab_has_no_overlaps_for_every_hidden_size():
    p = nw.PerceptronExplorer(gate="XOR", tab="mlp")
    view = p.tab_view("mlp")
    for size in range(1, MAX_HIDDEN + 1):
        p.mlp.hidden_size = size
        assert view.hidden_axes.get_ylabel(), f"hidden size {size}: the hidden layer's y axis has no label"
        assert_no_overlaps(view.figure)


@pytest.mark.parametrize("tab, activation", [("neuron", "step"), ("neuron", "sigmoid"), ("learn", "step"),
                                             ("stack", "step")])
def test_the_other_tabs_have_no_overlaps(tab, activation):
    p = nw.PerceptronExplorer(gate="XOR", tab=tab, activation=activation, w1=-1.25, w2=1.5, b=-0.05)
    assert_no_overlaps(p.tab_view(tab).figure)


# ---- the Learn tab's "rows wrong" chart ----------------------------------------------------------------------------

def assert_marks_inside(canvas, axes):
    box = canvas.axes[axes]
    xs = [x for m in canvas.marks if m["axes"] == axes for x in m["xs"]]
    ys = [y for m in canvas.marks if m["axes"] == axes for y in m["ys"]]
    assert xs and ys
    assert box["xlim"][0] < min(xs) and max(xs) < box["xlim"][1], (box["xlim"], min(xs), max(xs))
    assert box["ylim"][0] < min(ys) and max(ys) < box["ylim"][1], (box["ylim"], min(ys), max(ys))


def test_the_rows_wrong_chart_shows_its_data_at_once_and_while_playing():
    """The browser draws the marks inside the axes limits it was sent: the data must lie inside them from the
    first frame (it once stayed empty axes until the epochs slider was moved), and at every epoch Play shows."""
    p = nw.PerceptronExplorer(gate="XOR", w1=0.0, w2=0.0, b=0.0, tab="learn")
    canvas = p.tab_view("learn").figure.canvas
    assert_marks_inside(canvas, MISTAKES)
    for epoch in range(p.learn.epochs + 1):  # what Play does: move the epoch slider step by step
        p.tab_view("learn").epoch.value = epoch
        assert_marks_inside(canvas, MISTAKES)
    p.set(gate="AND", w1=0.5, w2=0.5, b=-0.7)  # solved from the start: a line at 0 rows wrong, above the axis
    assert_marks_inside(canvas, MISTAKES)


# ---- the two-layer preset dropdown -------------------------------------------------------------------------------

SEED_002 = "h1 − h2 network (seed 002)"
SEED_000 = "NAND + OR → AND (seed 000)"


def test_the_preset_dropdown_names_a_preset_loaded_from_python():
    p = nw.PerceptronExplorer(gate="XOR", tab="stack")
    dropdown = p.tab_view("stack").preset
    assert dropdown.value == SEED_000  # the default weights are seed 000's
    p.stack.load_preset(SEED_002)
    assert dropdown.value == SEED_002 and p.stack.preset == SEED_002
    p.stack.y_b = 0.1
    assert dropdown.value == "(your own weights)" and p.stack.preset is None


def test_choosing_a_preset_again_reloads_it():
    p = nw.PerceptronExplorer(gate="XOR", tab="stack")
    dropdown = p.tab_view("stack").preset
    dropdown.value = SEED_002
    assert p.stack.weights_of("h1") == (1.0, -1.0, 0.5) and p.stack.computes() == "XNOR"
    p.stack.h1_b = 0.7  # moved away from the preset ...
    assert dropdown.value == "(your own weights)"
    dropdown.value = SEED_002  # ... and chosen again: back to the preset
    assert p.stack.weights_of("h1") == (1.0, -1.0, 0.5)
    dropdown.value = "(your own weights)"  # choosing "your own" changes no weight
    assert p.stack.weights_of("h1") == (1.0, -1.0, 0.5) and dropdown.value == SEED_002


