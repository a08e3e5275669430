"""Issue 12, optimizer race: what the learner sees reads at a glance (leaderboard, loss floor, real-model tab)."""
import math
import re

import numpy as np

import nnwidgets as nw

TO_ZERO = {"SGD": {"lr": 0.5}, "Momentum": {"lr": 0.1, "momentum": 0.9}}  # float32 losses reach exactly 0


def loss_marks(view):
    return [m for m in view.figure.canvas.marks if m.get("axes") == 1]


def test_a_loss_that_reaches_zero_stays_on_the_axis_and_is_marked():
    r = nw.OptimizerRace(surface="dlfs", optimizers=TO_ZERO, steps=1000)
    zero = {k: int(np.flatnonzero(losses == 0)[0]) for k, losses in r.losses.items()}
    assert zero == {"SGD": 861, "Momentum": 809}
    view = r.tab_view("race")
    low, high = view.loss_axes.get_ylim()
    for mark in loss_marks(view):  # every number sent to the canvas (as JSON) lies inside the loss axes
        ys = mark["ys"] if "ys" in mark else [mark["y"]]
        assert all(y is not None and low <= y <= high for y in ys), mark
    floor = math.log10(view._loss_limits[0])
    labels = {m["color"]: m for m in loss_marks(view) if m["type"] == "text"}
    dots = {(m["xs"][0], m["ys"][0]) for m in loss_marks(view) if m["type"] == "points"}
    for key, step in zero.items():
        assert labels[nw.panels.optimizer_race.board.color(key)]["text"] == "reached 0"
        assert (step, floor) in dots
    # the static PNG draws the same marks: the text is an artist inside the loss axes while rendering
    assert r.to_png()[:4] == b"\x89PNG"


def test_the_loss_axis_reads_powers_of_ten_down_to_its_floor():
    r = nw.OptimizerRace(surface="dlfs", steps=30)
    view = r.tab_view("race")
    view.figure.fig.canvas.draw()
    low, high = view.loss_axes.get_ylim()
    labels = [t.get_text() for t in view.loss_axes.get_yticklabels() if low <= t.get_position()[1] <= high]
    assert labels[0].startswith("≤$10^{") and all(re.fullmatch(r"\$10\^\{-?\d+\}\$", t) for t in labels[1:])
    sgd = next(m for m in loss_marks(view) if m["type"] == "line" and m["color"] == "#4e79a7")
    np.testing.assert_allclose(sgd["ys"], np.log10(r.losses["SGD"]), atol=1e-5)
    assert not [m for m in loss_marks(view) if m["type"] == "text"]  # nobody reached 0 here


def test_the_leaderboard_keeps_every_cell_on_one_line_with_short_numbers():
    r = nw.OptimizerRace(surface="dlfs", steps=30)
    r.step = 12
    board = r.tab_view("race").leaderboard.value
    cells = re.findall(r"<t[dh] style='([^']*)'>(.*?)</t[dh]>", board)
    assert cells and all("white-space:nowrap" in style for style, _ in cells)
    assert "−1.153" in board and "0.06646" in board  # AdaGrad at step 12: x and loss, 4 significant digits
    assert not re.search(r"[1-9]\d*\.\d{4,}|0\.0*[1-9]\d{4,}", board)  # at most 4 significant digits


def test_the_real_model_tab_has_a_legend_and_train_and_test_accuracy():
    r = nw.OptimizerRace(tab="real model")
    view, m = r.tab_view("real model"), r.real_model
    legend = view.axes.get_legend()
    assert legend is not None
    names = [t.get_text().split(":")[0] for t in legend.get_texts()]
    assert names == sorted(m.losses, key=lambda k: m.losses[k][-1])  # one entry per curve, best first
    assert [h.get_color() for h in legend.legend_handles] == [
        nw.panels.optimizer_race.board.color(k) for k in names]
    view.figure.to_png()  # lays the figure out at 100 dpi: one unit is one CSS pixel
    renderer = view.figure.fig._get_renderer()
    assert legend.get_window_extent(renderer).x1 <= renderer.width  # the legend is not cut by the figure's edge
    for text_artist in legend.get_texts():
        assert text_artist.get_window_extent(renderer).x1 <= renderer.width
    assert "train accuracy" in view.table.value and "test accuracy" in view.table.value
    for train, test in m.accuracies.values():
        assert 0.85 < train <= 1 and 0.85 < test <= 1
        assert f"{100 * train:.1f}%" in view.table.value and f"{100 * test:.1f}%" in view.table.value
    assert view.controls["model"].style.button_width == "auto"
    m.model = "xor"
    assert all(test is None for _, test in m.accuracies.values())
    assert "no held-out test set" in view.table.value
