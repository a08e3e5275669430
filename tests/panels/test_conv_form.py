"""Issue 12: the network tracer is built from form rows (kind, size, stride, padding, filters) with insert/remove
buttons; the tuple text still works, the text and the rows stay in sync, and the state holds the layer list only."""
import json
import math

import pytest

import nnwidgets as nw
from nnwidgets.panels.conv.form import fields_of, layer_from_fields


def panel():
    c = nw.ConvShapeVisualizer()
    return c, c.view.network.form, c.view.network


def row_values(form):
    return [{name: row[name].value for name in ("kind", "size", "stride", "padding", "filters")} for row in form.rows]


def test_one_row_per_layer_of_the_seed_cnn():
    c, form, _ = panel()
    assert [r["kind"] for r in row_values(form)] == ["input", "conv", "relu", "maxpool", "flatten", "dense", "relu",
                                                     "dense", "softmax"]
    assert row_values(form)[1] == {"kind": "conv", "size": "3", "stride": "1", "padding": "same", "filters": "10"}
    assert row_values(form)[3] == {"kind": "maxpool", "size": "2", "stride": "2", "padding": "valid", "filters": ""}
    assert form.rows[3]["filters"].disabled and not form.rows[1]["filters"].disabled and form.rows[2]["size"].disabled


def test_editing_a_row_changes_the_layers_the_text_and_the_shapes():
    c, form, network = panel()
    form.rows[0]["size"].value = "32, 32, 3"
    form.rows[1]["stride"].value = "2"
    form.rows[1]["padding"].value = "valid"
    form.rows[1]["size"].value = "5, 3"
    assert c.network.layers[1] == ("conv", {"filters": 10, "kernel_size": (5, 3), "stride": 2, "padding": "valid"})
    h, w = math.floor((32 - 5) / 2) + 1, math.floor((32 - 3) / 2) + 1  # 14, 15
    assert c.network.rows[1].shape == (h, w, 10) and c.network.rows[1].params == 5 * 3 * 3 * 10 + 10
    assert "'kernel_size': (5, 3), 'stride': 2" in network.text.value  # the text follows the rows
    assert f"{h}×{w}×10" in network.table.value


def test_the_typed_text_still_works_and_the_rows_follow_it():
    c, form, network = panel()
    network.trace("('input', (8, 8, 3)),\n('conv', {'filters': 4, 'kernel_size': (1, 3), 'dilation': 2}),\n'relu'")
    assert row_values(form) == [
        {"kind": "input", "size": "8, 8, 3", "stride": "", "padding": "", "filters": ""},
        {"kind": "conv", "size": "1, 3", "stride": "1", "padding": "valid", "filters": "4"},
        {"kind": "relu", "size": "", "stride": "", "padding": "", "filters": ""}]
    form.rows[1]["filters"].value = "6"  # the form keeps what it has no field for (dilation)
    assert c.network.layers[1] == ("conv", {"filters": 6, "kernel_size": (1, 3), "stride": 1, "padding": "valid",
                                            "dilation": 2})
    assert c.network.rows[1].shape == (8, 4, 6)


@pytest.mark.parametrize("row, field, value, named", [
    (1, "stride", "two", "layer 2 (conv): stride must be a whole number"),
    (1, "stride", "0", "layer 2 (conv): stride must be a whole number from 1"),
    (1, "size", "3, 3, 3", "layer 2 (conv): size must be a whole number from 1 to 1,000,000 or two of them"),
    (1, "padding", "-1", "layer 2 (conv): padding must be valid, same, full"),
    (1, "filters", "", "layer 2 (conv): filters must be a whole number"),
    (1, "filters", "__import__('os')", "layer 2 (conv): filters must be"),
    (0, "size", "28, 28, 1, 1", "layer 1 (input): size must be 1 to 3 whole numbers"),
    (3, "size", "2.5", "layer 4 (maxpool): size must be"),
    (5, "filters", "1e3", "layer 6 (dense): filters must be a whole number"),
])
def test_a_field_that_cannot_be_read_is_refused_naming_it_and_changes_nothing(row, field, value, named):
    c, form, network = panel()
    before, text_before, shown_before = c.to_dict(), network.text.value, row_values(form)
    with pytest.raises(ValueError, match=named.replace("(", r"\(").replace(")", r"\)")):
        c.network.set_row(row, **{field: value})
    form.rows[row][field].value = value  # the same through the form: refused, the field put back
    assert named in c.network.error and named in network.status.value
    assert c.to_dict() == before and network.text.value == text_before and row_values(form) == shown_before
    form.rows[row]["kind"].value = form.rows[row]["kind"].value
    form.rows[1]["stride"].value = "1" if form.rows[1]["stride"].value != "1" else "2"  # a valid edit
    assert c.network.error == "" and network.status.value == ""


def test_changing_the_kind_starts_from_its_usual_values_and_unknown_kinds_are_refused():
    c, form, _ = panel()
    form.rows[2]["kind"].value = "conv"  # relu -> conv
    assert c.network.layers[2] == ("conv", {"filters": 8, "kernel_size": 3, "stride": 1, "padding": "valid"})
    form.rows[2]["kind"].value = "avgpool"
    assert c.network.layers[2] == ("avgpool", {"pool_size": 2, "stride": None, "padding": "valid"})
    assert c.network.rows[2].shape == (14, 14, 10)  # pooling the first conv's 28×28×10
    with pytest.raises(ValueError, match="layer 3 .*kind must be one of input, conv"):
        c.network.set_row(2, kind="pooling")
    with pytest.raises(ValueError, match="units"):
        c.network.set_row(2, units="3")  # not a form field


def test_insert_and_remove_rows():
    c, form, network = panel()
    form.rows[2]["box"].children[-2].click()  # + on relu: a second relu below it
    assert len(form.rows) == len(c.network.layers) == 10 and c.network.layers[2:4] == [("relu",), ("relu",)]
    form.rows[1]["box"].children[-1].click()  # − on the conv
    assert [r["kind"] for r in row_values(form)][:3] == ["input", "relu", "relu"]
    assert c.network.rows[3].shape == (14, 14, 1)  # maxpool straight on the input
    assert network.text.value.count("\n") == len(c.network.layers) - 1
    network.trace("('input', (4, 4, 1))")
    with pytest.raises(ValueError, match="at least one layer"):
        c.network.remove_row(0)
    with pytest.raises(ValueError, match="row must be a layer number from 1 to 1"):
        c.network.insert_row(3)
    assert c.network.layers == [("input", (4, 4, 1))]


def test_the_state_holds_the_layer_list_only_and_round_trips():
    c, form, _ = panel()
    form.rows[1]["size"].value = "1, 3"
    form.rows[4]["box"].children[-2].click()
    saved = json.loads(json.dumps(c.to_dict()))
    assert set(saved["network"]) == {"layers"}
    again = nw.ConvShapeVisualizer.from_dict(saved)
    assert again.to_dict() == saved
    assert row_values(again.view.network.form) == row_values(form)


@pytest.mark.parametrize("layer", [("input", (28, 28, 1)), ("conv", {"filters": 3, "kernel_size": (2, 5), "stride": 2,
                                                                      "padding": (1, 0)}),
                                   ("maxpool", {"pool_size": 3, "stride": None, "padding": "same"}),
                                   ("dense", {"units": 7}), ("flatten",)])
def test_fields_and_layers_round_trip(layer):
    assert layer_from_fields(0, fields_of(layer)) == layer
