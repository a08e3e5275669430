"""Drawing only the axes that changed: the page's picture (the PNG with its patches laid over it) equals, pixel for
pixel, the whole figure rendered again; a patch is used only where nothing else of the figure reaches into it."""
import io

import numpy as np
from PIL import Image

import nnwidgets as nw
from nnwidgets.render import layer


def shown(canvas) -> np.ndarray:
    """The static layer as canvas.js composes it: the PNG, then each patch at its pixel position, unscaled."""
    picture = np.array(Image.open(io.BytesIO(canvas.background)))
    for patch in canvas.patches:
        piece = np.array(Image.open(io.BytesIO(patch["png"])))
        x, y = round(patch["x"] * canvas.pixel_ratio), round(patch["y"] * canvas.pixel_ratio)
        assert piece.shape[:2] == (round(patch["h"] * canvas.pixel_ratio), round(patch["w"] * canvas.pixel_ratio))
        picture[y:y + piece.shape[0], x:x + piece.shape[1]] = piece
    return picture


def whole(figure: layer.LayeredFigure) -> np.ndarray:
    """The same figure rendered from scratch by a second LayeredFigure."""
    return shown(layer.LayeredFigure(figure.fig).canvas)


def two_axes(patches=True):
    figure = layer.LayeredFigure(layer.new_figure(400, 200), draw=False, patches=patches)
    left = figure.fig.add_axes((0.1, 0.15, 0.3, 0.7))
    right = figure.fig.add_axes((0.65, 0.15, 0.3, 0.7))
    for ax in (left, right):
        ax.set_title("title")
        ax.set_xlabel("x")
    figure.refresh_static()
    return figure, left, right


def test_a_patch_covers_the_changed_axes_only_and_shows_the_whole_picture():
    figure, left, right = two_axes()
    background = figure.canvas.background
    right.set_ylim(-100, 100)  # wider tick labels: the patch must clear what the old ones drew, and the new ones
    figure.refresh_static(axes=[right])
    assert figure.canvas.background == background and len(figure.canvas.patches) == 1
    patch = figure.canvas.patches[0]
    assert patch["x"] > 400 * 0.4 and patch["x"] + patch["w"] <= 400  # right of the left axes
    assert np.array_equal(shown(figure.canvas), whole(figure))  # exact: same pixels as a full render
    assert figure.canvas.axes[1]["ylim"] == [-100.0, 100.0]


def test_patches_are_laid_in_order_a_covered_one_is_dropped_and_many_send_the_picture_again():
    figure, left, right = two_axes()
    right.set_ylim(0, 2)
    figure.refresh_static(axes=[right])
    left.set_xlim(0, 10)
    figure.refresh_static(axes=[left])
    assert len(figure.canvas.patches) == 2
    right.set_ylim(-100, 100)  # wider tick labels: this patch lies over all of the first one
    figure.refresh_static(axes=[right])
    assert len(figure.canvas.patches) == 2
    assert np.array_equal(shown(figure.canvas), whole(figure))
    for n in range(2 * layer.MAX_PATCHES):  # patches over parts of older ones: each holds only what changed
        ax = left if n % 2 else right
        ax.set_title("t" * (n + 1), loc="left" if n % 3 else "right")
        figure.refresh_static(axes=[ax])
        assert len(figure.canvas.patches) <= layer.MAX_PATCHES
        assert np.array_equal(shown(figure.canvas), whole(figure)), n


def test_a_figure_that_takes_no_patches_keeps_no_pixels_and_sends_the_whole_picture():
    figure, left, right = two_axes(patches=False)
    assert figure._renderer is None and figure._boxes is None  # nothing kept after the PNG is sent
    background = figure.canvas.background
    right.set_ylim(0, 3)
    figure.refresh_static(axes=[right])
    assert figure.canvas.patches == [] and figure.canvas.background != background and figure._renderer is None
    assert np.array_equal(shown(figure.canvas), whole(figure))


def test_an_artist_reaching_into_the_changed_axes_means_the_whole_picture():
    figure, left, right = two_axes()
    figure.fig.legend(handles=left.plot([0, 1], [0, 1], label="a line")[:1], loc="center")  # over both axes
    figure.refresh_static()
    background = figure.canvas.background
    right.set_ylim(-5, 5)
    figure.refresh_static(axes=[right])
    assert figure.canvas.patches == [] and figure.canvas.background != background
    assert np.array_equal(shown(figure.canvas), whole(figure))


def test_the_mlp_tab_patches_its_retrained_axes_and_the_page_shows_what_a_full_render_shows(monkeypatch):
    panel = nw.PerceptronExplorer()
    encoded = []
    real_png = layer._png
    monkeypatch.setattr(layer, "_png", lambda pixels: encoded.append(pixels.shape) or real_png(pixels))
    panel.open_tab("mlp")
    assert encoded == [(720, 1800, 4)]  # the tab's picture, rendered once, whole
    figure = panel.tab_view("mlp").figure
    background = figure.canvas.background
    patched = 0
    for hidden, lr in ((3, 0.5), (7, 0.5), (1, 0.5), (12, 0.9), (1, 0.05), (16, 1.7), (2, 0.5)):
        panel.mlp.hidden_size, panel.mlp.lr = hidden, lr
        patched += bool(figure.canvas.patches)
        assert np.array_equal(shown(figure.canvas), whole(figure)), (hidden, lr)
    assert figure.canvas.background == background and patched >= 5


def test_the_playground_race_and_momentum_tabs_patch_what_changed_and_show_the_whole_picture():
    pg = nw.Playground(dataset="circle", hidden=(4, 2), samples=20, seed=3)
    figure, patched = pg.figure, 0
    for _ in range(6):
        pg.train(epochs=40)
        patched += bool(figure.canvas.patches)
        assert np.array_equal(shown(figure.canvas), whole(figure))
    assert patched >= 1
    race = nw.OptimizerRace(surface="dlfs", start=(-7.0, 2.0), steps=30)
    figure, patched = race.tab_view("race").figure, 0
    for start, steps in (((-7.0, 2.0), 60), ((-1.0, 0.5), 60), ((6.0, 2.5), 45)):
        race.start, race.steps = start, steps
        patched += bool(figure.canvas.patches)
        assert np.array_equal(shown(figure.canvas), whole(figure)), (start, steps)
    assert patched >= 2
    race.open_tab("momentum theory")
    figure = race.tab_view("momentum theory").figure
    for steps in (20, 35, 50):
        race.momentum_theory.steps = steps
        assert figure.canvas.patches and np.array_equal(shown(figure.canvas), whole(figure)), steps


def test_in_a_kernel_the_boxes_are_measured_when_it_is_idle_and_the_picture_is_sent_without_waiting():
    """In a kernel (a running event loop) the parts' boxes are measured after the handler that drew the picture
    returns; a patch asked for before that sends the whole picture (the changed axes' old box is unknown)."""
    import asyncio

    async def session():
        figure, left, right = two_axes()
        assert figure._boxes is None  # not measured while drawing
        right.set_ylim(0, 3)
        figure.refresh_static(axes=[right])  # too early: the whole picture
        assert figure.canvas.patches == []
        await asyncio.sleep(0)  # the kernel is idle
        assert figure._boxes is not None and set(figure._boxes) == {left, right}
        right.set_ylim(0, 5)
        figure.refresh_static(axes=[right])
        assert len(figure.canvas.patches) == 1
        assert np.array_equal(shown(figure.canvas), whole(figure))

    asyncio.run(session())


def test_an_axes_part_left_out_of_layout_is_still_inside_its_patch():
    """A text with ``set_in_layout(False)`` below the axes is drawn with it: the patch must clear it too."""
    figure, left, right = two_axes()
    note = right.text(0.5, -0.25, "a note left out of layout", transform=right.transAxes, ha="center")
    note.set_in_layout(False)
    figure.refresh_static()
    right.set_ylim(-50, 50)
    note.set_text("moved")
    figure.refresh_static(axes=[right])
    assert len(figure.canvas.patches) == 1
    assert np.array_equal(shown(figure.canvas), whole(figure))
