"""Issue 11 for the conv/pool visualizer and core.conv: every finding as a named test, rollback, saving, the surface."""
import builtins
import json

import ipywidgets as widgets
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nnwidgets as nw
from nnwidgets.core.conv_shapes import axis_sizes, feeds, receptive_field, window
from nnwidgets.panels.conv import ConvState
from nnwidgets.panels.conv.tracer import parse_layers

torch = pytest.importorskip("torch")
F = torch.nn.functional


def issue_panel():
    return nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3, stride=2)


def refused(state, name, value, *words):
    """Set ``name`` to ``value``: it must be refused naming ``name`` (and ``words``), leaving to_dict unchanged."""
    before = json.dumps(state.to_dict())
    with pytest.raises(ValueError) as err:
        setattr(state, name, value)
    message = str(err.value)
    assert name in message and all(w in message for w in words), message
    assert state.error == message
    assert json.dumps(state.to_dict()) == before
    return message


# ---- the findings of issue 11 ------------------------------------------------------------------------------
def test_padding_10_to_the_20_is_refused_and_every_value_stays():
    c = issue_panel()
    before, shape, png = c.to_dict(), c.output_shape, c.to_png()
    message = refused(c, "padding", 10**20, "padding", "0 to 32")
    assert "Overflow" not in message
    assert c.padding == 0 and c.output_shape == shape == (3, 3, 1) and c.to_dict() == before
    assert c.to_png() == png and c.control("padding").value == 0
    assert "padding" in c.view.status.value


def test_stride_10_to_the_20_is_a_clear_error_not_an_overflow():
    for call in (lambda: nw.conv_output_size(7, 3, stride=10**20),
                 lambda: nw.conv2d(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)), stride=10**20),
                 lambda: nw.pool2d(np.ones((1, 4, 4, 1)), 2, stride=10**20),
                 lambda: nw.pool1d(np.ones(4), 2, stride=10**20),
                 lambda: nw.correlate1d(np.ones(4), np.ones(2), stride=10**20)):
        with pytest.raises(ValueError, match="stride must be a positive integer of at most 1,000,000"):
            call()
    refused(issue_panel(), "stride", 10**20, "1 to 32")


@pytest.mark.parametrize("args, kwargs, name", [
    ((np.ones((1, 4, 4, 1)), 2), {"stride": 10**20}, "stride"),
    ((np.ones((1, 4, 4, 1)), 10**20), {}, "pool_size"),
    ((np.ones((1, 4, 4, 1)), 2), {"padding": 10**20}, "padding"),
    ((np.ones((1, 4, 4, 1)), 2), {"ceil_mode": "no"}, "ceil_mode"),
    ((np.ones((1, 4, 4, 1)) + 1j, 2), {}, "x"),
    ((np.ones((1, 4, 4, 1), bool), 2), {}, "x"),
    (("abc", 2), {}, "x"),
    ((np.ones((4, 4)), 2), {}, "x"),
    ((np.ones((1, 4, 4, 1)), (2, 2, 2)), {}, "pool_size"),
    ((np.ones((1, 4, 4, 1)), 2), {"mode": None}, "mode"),
])
def test_pool2d_bad_input_is_a_clear_error_not_a_jaxlib_type_error(args, kwargs, name):
    with pytest.raises(ValueError) as err:
        nw.pool2d(*args, **kwargs)
    assert name in str(err.value) and "incompatible function arguments" not in str(err.value)


def test_trace_shapes_of_a_float_names_layers():
    for bad in (2.5, "relu", None, [], [("input", (8, 8, 1)), ("nonsense",)], [("conv", {"kernal_size": 3})]):
        with pytest.raises(ValueError, match="layers"):
            nw.trace_shapes(bad)


@pytest.mark.parametrize("source, words", [
    ("foo", ["the name 'foo'", "put names in quotes"]),
    ("('input', (8, 8, 1)),\n(relu,)", ["line 2", "the name 'relu'"]),
    ("__import__('os').system('id')", ["a call"]),
    ("().__class__.__bases__", ["an attribute"]),
    ("[x for x in ()]", ["listcomp"]),
    ("(lambda: 1)()", ["a call"]),
    ("('dense', {'units': 2 ** 10})", ["arithmetic"]),
    ("('input', (8, 8, 1)), ('oops'", ["layers must be Python tuples"]),
    ("'relu'] + [1", ["brackets do not match"]),
    ("(" * 300 + ")" * 300, ["layers must be Python tuples"]),
    ("'relu', " * 3000, ["at most 5,000 characters"]),
])
def test_the_tracer_text_is_parsed_with_ast_never_evaluated(source, words, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec must never run on typed text")
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    c = nw.ConvShapeVisualizer()
    before = c.to_dict()
    c.view.network.trace(source)
    message = c.network.error
    assert message.startswith("layers") and all(w in message for w in words), message
    assert "object at 0x" not in message and "malformed node" not in message
    assert c.to_dict() == before and "layers" in c.view.network.status.value
    with pytest.raises(ValueError, match="layers"):
        parse_layers(source)


def test_the_tracer_accepts_what_the_lesson_writes():
    layers = parse_layers("('input', (32, 32, 3)),\n('conv', {'filters': 6, 'kernel_size': 5}),\n"
                          "('maxpool', {'pool_size': 2, 'ceil_mode': True}),\n'flatten',\n('dense', {'units': 10})")
    assert [row.shape for row in nw.trace_shapes(layers)] == [(32, 32, 3), (28, 28, 6), (14, 14, 6), (1176,), (10,)]


@pytest.mark.parametrize("name", ["ceil_mode", "flip", "numbers"])
@pytest.mark.parametrize("bad", ["no", "yes", 1, 0, None, 1.0, [True]])
def test_every_boolean_flag_accepts_only_true_or_false(name, bad):
    c = nw.ConvShapeVisualizer(input_shape=(5, 5, 1), kernel_size=2, stride=2, mode="maxpool")
    refused(c, name, bad, "True or False")
    setattr(c, name, np.True_)
    assert getattr(c, name) is True


def test_core_flags_accept_only_true_or_false():
    with pytest.raises(ValueError, match="ceil_mode must be True or False"):
        nw.conv_output_size(5, 2, 2, ceil_mode="no")
    with pytest.raises(ValueError, match="flip must be True or False"):
        nw.correlate1d([1, 2, 3], [1, 1], flip="yes")
    assert nw.conv_output_size(5, 2, 2, ceil_mode=np.True_) == 3


def test_a_does_not_fit_error_does_not_stay_after_a_valid_change():
    c = nw.ConvShapeVisualizer(input_shape=(5, 5, 1), kernel_size=3)
    with pytest.raises(ValueError, match="does not fit"):
        c.kernel_size = 9
    assert "does not fit" in c.error and "does not fit" in c.view.status.value
    c.stride = 2
    assert c.error == "" and c.view.status.value == "" and c.output_shape == (2, 2, 1)


@pytest.mark.parametrize("kernel", [(1, 3), (3, 1)])
@pytest.mark.parametrize("mode", ["conv", "maxpool", "avgpool"])
def test_rectangular_kernels_in_the_visualizer_match_torch(kernel, mode):
    c = nw.ConvShapeVisualizer(input_shape=(6, 7, 2), kernel_size=kernel, stride=1, mode=mode, filters=3)
    every_channel = torch.from_numpy(np.float32(c.input_tensor())).permute(2, 0, 1)[None]  # (1, C, H, W)
    x = every_channel[:, :1]
    if mode == "conv":  # map 1 sums both channels, each with its own slice of filter 1
        weights = torch.from_numpy(np.float32(c.kernel_tensor())).permute(3, 2, 0, 1)  # (F, C, kH, kW)
        want = F.conv2d(every_channel, weights)
        assert c.params == kernel[0] * kernel[1] * 2 * 3 + 3
        np.testing.assert_allclose(c.output_tensor(), want[0].permute(1, 2, 0).numpy(), rtol=1e-6)
    elif mode == "maxpool":
        want = F.max_pool2d(x, kernel, 1)
    else:
        want = F.avg_pool2d(x, kernel, 1)
    assert c.output_spatial == tuple(want.shape[2:])
    np.testing.assert_allclose(c.output_values(), want[0, 0].numpy(), rtol=1e-6)
    i, j = c.output_spatial[0] - 1, c.output_spatial[1] - 1
    assert c.receptive_field(i, j) == [(i + a, j + b) for a in range(kernel[0]) for b in range(kernel[1])]
    assert (c.control("kH").value, c.control("kW").value) == kernel


def test_a_pair_kernel_on_a_1d_input_is_refused():
    c = nw.ConvShapeVisualizer(input_shape=(9, 1), kernel_size=4)
    refused(c, "kernel_size", (1, 3), "one whole number for a 1-D input")
    with pytest.raises(ValueError, match="kernel_size must be one integer for one axis"):
        nw.conv_output_size(9, (1, 3))


def test_the_pytorch_ceil_mode_edge_in_the_visualizer():
    c = nw.ConvShapeVisualizer(input_shape=(2, 2, 1), kernel_size=3, stride=2, mode="maxpool", ceil_mode=True)
    want = F.max_pool2d(torch.from_numpy(np.float32(c.values()[0]))[None, None], 3, stride=2, ceil_mode=True)
    assert c.output_shape == (1, 1, 1) and tuple(want.shape) == (1, 1, 1, 1)
    assert c.output_values().tolist() == want[0, 0].tolist()
    assert c.pads() == [(0, 1), (0, 1)]  # the window hangs one cell over the end
    with pytest.raises(ValueError, match="does not fit"):
        c.ceil_mode = False  # floor mode: no window fits, as in PyTorch


def test_position_and_selected_input_are_checked_against_the_grids():
    c = issue_panel()  # a 3x3 output of a 7x7 input
    refused(c, "position", 9, "from 0 to 8")
    refused(c, "position", 10**6, "from 0 to 8")
    refused(c, "position", True)
    refused(c, "position", -1)
    c.position = 8
    c.stride = 3  # a smaller output: the position follows, it is not refused
    assert c.output_cells == 4 and c.position == 3
    refused(c, "selected_input", (7, 0), "inside the input (7, 7)")
    refused(c, "selected_input", (1,), "inside the input")
    refused(c, "selected_input", (1.0, 2.0))
    refused(c, "selected_input", "(1, 2)")
    c.selected_input = (6, 6)
    c.input_shape = (5, 5, 1)  # the cell left the input: the selection is dropped
    assert c.selected_input is None
    c.set(input_shape=(9, 9, 1), position=8)  # several settings at once, checked together
    assert c.output_cells == 9 and c.position == 8


def test_input_and_kernel_values_are_checked_with_clear_messages():
    c = nw.ConvShapeVisualizer(input_shape=(3, 3, 1), kernel_size=2)
    refused(c, "input_values", np.ones((4, 4)), "shape (3, 3)", "got shape (4, 4)")
    refused(c, "kernel_values", np.ones(2), "shape (2, 2)")
    refused(c, "input_values", [[1, np.nan, 2]], "finite")
    refused(c, "input_values", np.ones((3, 3)) + 1j, "finite numbers")
    refused(c, "kernel_values", np.ones((2, 2), bool))
    c.set(input_values=np.arange(9.0).reshape(3, 3), kernel_values=[[1, 0], [0, -1]])
    want = F.conv2d(torch.arange(9.0).reshape(1, 1, 3, 3), torch.tensor([[[[1.0, 0.0], [0.0, -1.0]]]]))
    assert c.output_values().tolist() == want[0, 0].tolist()
    c.kernel_size = 3  # the typed kernel no longer fits the kernel: it is dropped, the input values stay
    assert c.kernel_values is None and c.input_values is not None


def test_sizes_are_capped_before_anything_is_allocated():
    refused(nw.ConvShapeVisualizer(), "input_shape", (33, 7, 1), "1 to 32")
    with pytest.raises(ValueError, match="at most 16,777,216 are allowed"):
        nw.conv2d(np.ones((1, 4, 4, 1)), np.ones((1, 1, 1, 1)), padding=1_000_000)
    with pytest.raises(ValueError, match="at most 16,777,216 are allowed"):
        nw.conv2d(np.ones((1, 3, 3, 1)), np.ones((2, 2, 1, 1)), padding="full", dilation=1_000_000)
    with pytest.raises(ValueError, match="padding must be a non-negative integer"):
        nw.conv_output_size(5, 3, padding=10**7)


@given(st.tuples(st.integers(1, 9), st.integers(1, 9)), st.sampled_from([1, 2, 3, (1, 3), (3, 1), (2, 3)]),
       st.integers(1, 3), st.sampled_from([0, 1, "same", "full", (2, 1)]), st.integers(1, 2),
       st.sampled_from(["conv", "maxpool"]), st.booleans())
@settings(max_examples=25, deadline=None)
def test_the_state_calls_core_for_pads_formulas_windows_and_feeds(shape, kernel, stride, padding, dilation, mode,
                                                                   ceil_mode):
    try:
        c = ConvState(input_shape=shape + (1,), kernel_size=kernel, stride=stride, padding=padding,
                      dilation=dilation, mode=mode, ceil_mode=ceil_mode)
    except ValueError:
        return
    dilation, ceil_mode = (dilation, False) if mode == "conv" else (1, ceil_mode)  # as in PyTorch
    axes = axis_sizes(shape, kernel, stride, padding, dilation, ceil_mode)
    assert c.output_spatial == tuple(a.size for a in axes)
    assert [c.formula(k) for k in range(2)] == [a.formula for a in axes]
    assert c.pads() == [(a.before, a.reach_after) for a in axes]
    ij = c.cell(c.output_cells - 1)
    assert c.window(ij) == window(ij, shape, kernel, stride, padding, dilation)
    assert c.receptive_field(ij) == receptive_field(ij, shape, kernel, stride, padding, dilation)
    assert c.feeds(0, 0) == feeds((0, 0), shape, kernel, stride, padding, dilation, ceil_mode)
    for k in range(c.output_cells):  # feeds is the inverse of the windows the grid shows
        for rc in c.receptive_field(c.cell(k)):
            assert c.cell(k) in c.feeds(rc)


# ---- saving and restoring ----------------------------------------------------------------------------------
valid_states = st.fixed_dictionaries({
    "tab": st.sampled_from(["layer", "network"]),
    "input_shape": st.sampled_from([(7, 7, 1), (5, 6, 3), (4, 4, 1), (9, 1), (3, 3, 2)]),
    "kernel_size": st.sampled_from([1, 2, 3, (1, 2), (2, 1)]),
    "stride": st.integers(1, 3),
    "padding": st.sampled_from([0, 1, "valid", "same", "full", (1, 0)]),
    "dilation": st.integers(1, 2),
    "filters": st.integers(1, 8),
    "mode": st.sampled_from(["conv", "maxpool", "avgpool"]),
    "ceil_mode": st.booleans(),
    "position": st.integers(0, 40),
    "numbers": st.booleans(),
    "flip": st.booleans(),
})


@given(valid_states, st.booleans())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_from_dict_of_to_dict_rebuilds_the_same_panel(values, typed_values):
    state = ConvState()  # the panel's state: the panel adds only the view
    try:
        state.set(**values)
    except ValueError:
        return  # a combination that does not fit is refused as a whole
    if typed_values:
        state.set(input_values=np.arange(float(np.prod(state.spatial))).reshape(state.spatial) % 5,
                  kernel_values=-np.ones(state.kernel), selected_input=(0,) * len(state.spatial))
    saved = state.to_dict()
    assert json.loads(json.dumps(saved)) == saved
    again = type(state).from_dict(saved)
    assert again.to_dict() == saved and again.output_shape == state.output_shape


def test_a_panel_round_trips_through_json_with_its_tracer():
    c = nw.ConvShapeVisualizer(input_shape=(6, 5, 2), kernel_size=(2, 3), padding=(1, 0), mode="avgpool")
    c.set(position=4, numbers=True, selected_input=(2, 2), tab="network")
    c.view.network.trace("('input', (8, 8, 1)), ('conv', {'filters': 2, 'kernel_size': (1, 3)}), 'flatten'")
    saved = json.loads(json.dumps(c.to_dict()))
    again = nw.ConvShapeVisualizer.from_dict(saved)
    assert again.to_dict() == c.to_dict() and again.trace() == c.trace() and again.tab == "network"
    assert again.view.network.table.value == c.view.network.table.value


# ---- the panel surface -----------------------------------------------------------------------------------------
def test_view_tabs_controls_and_png_on_every_tab():
    c = nw.ConvShapeVisualizer()
    assert isinstance(c.view, widgets.Box) and c.tabs == ("layer", "network")
    pngs = set()
    for tab in c.tabs:
        assert c.open_tab(tab) is c and c.tab == tab
        assert c.control("tab").selected_index == c.tabs.index(tab)
        png = c.to_png()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        pngs.add(png)
    assert len(pngs) == 2
    c.control("tab").selected_index = 0  # the browser's tab click reaches the state
    assert c.tab == "layer"
    for name in ("mode", "stride", "padding", "dilation", "filters", "ceil_mode", "numbers", "flip", "position",
                 "layers", "H", "W", "C", "kH", "kW"):
        assert isinstance(c.control(name), widgets.Widget)
    with pytest.raises(ValueError, match="name must be one of"):
        c.control("nope")
    refused(c, "tab", "grids", "'layer', 'network'")


def test_controls_follow_the_state_and_the_state_follows_the_controls():
    c = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3)
    c.padding = (2, 1)
    assert c.control("padding").value is None and c.output_shape == (8, 8, 1)  # a pair has no option: none shown
    c.padding = 5
    assert c.control("padding").value == 5
    c.control("padding").value = "same"
    assert c.padding == "same" and c.output_shape == (7, 7, 1)
    c.control("W").value = 9
    assert c.input_shape == (7, 9, 1)
    c.input_shape = (4, 5, 2)
    assert [c.control(n).value for n in "HWC"] == [4, 5, 2]
    c.control("position").value = c.output_cells - 1
    assert c.position == c.output_cells - 1
    c.kernel_size = 1  # a bigger output: the slider's range grows, the position stays
    assert c.control("position").max == c.output_cells - 1 and c.control("position").value == c.position


def test_a_smaller_grid_and_a_new_position_set_together_reach_the_slider():
    c = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=1)
    c.position = 40
    c.set(kernel_size=5, position=2)  # the slider must not clamp 40 to the new maximum and write it back
    assert c.position == 2 and c.control("position").value == 2 and c.control("position").max == 8
    c.set(position=1, kernel_size=3)
    assert c.position == 1 and c.control("position").value == 1 and c.control("position").max == 24


def test_the_grids_the_panel_draws_are_capped():
    c = nw.ConvShapeVisualizer(input_shape=(32, 32, 1), kernel_size=32, padding="full")  # 32 + 2·31 = 94 wide
    refused(c, "dilation", 32, "2016 cells wide", "at most 128")  # 32 + 2·992
    refused(c, "dilation", 2, "156 cells wide")  # 32 + 2·62
    assert c.dilation == 1 and c.output_shape == (63, 63, 1)


def test_receptive_field_and_feeds_check_their_cells():
    c = issue_panel()
    for call, words in ((lambda: c.receptive_field(3, 0), "output cell must be an index into the output (3, 3)"),
                        (lambda: c.receptive_field(True, 0), "output cell"),
                        (lambda: c.feeds(7, 0), "input cell must be an index into the input (7, 7)"),
                        (lambda: c.feeds("a"), "input cell")):
        with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
            call()
    assert c.error == ""  # asking is not a change
