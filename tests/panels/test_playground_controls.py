"""The playground shows only the data controls that act on the data in use (a knob that does nothing misleads)."""
import pytest

import nnwidgets as nw

SHOWN = {"noise", "samples", "features", "add_class"}


@pytest.mark.parametrize(("settings", "visible"), [
    ({"dataset": "circle"}, SHOWN),
    ({"dataset": ([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [3.0, 1.0]], [0, 1, 0, 1])}, {"features", "add_class"}),
    ({"dataset": "iris"}, set()),
    ({"dataset": "digits", "hidden": (8,)}, set()),
])
def test_only_the_data_controls_that_act_are_shown(settings, visible):
    pg = nw.Playground(**settings)
    shown = {name for name in SHOWN if pg.controls[name].layout.display != "none"}
    assert shown == visible


def test_switching_data_sets_shows_and_hides_them():
    pg = nw.Playground(dataset="circle")
    pg.dataset = "digits"
    assert pg.controls["add_class"].layout.display == "none"
    pg.dataset = "xor"
    assert pg.controls["add_class"].layout.display is None
