"""Every sentence, label and title the conv/pool visualizer shows, in one place (for translation).

Templates use ``str.format`` placeholders; the view and the state fill them and escape what the learner typed.
"""
from __future__ import annotations

from ...i18n import N_, translate_module

TAB_TITLES = {"layer": N_("one layer"), "network": N_("network tracer")}

# ---- controls ------------------------------------------------------------------------------------
HEIGHT, WIDTH, CHANNELS = "H", "W", N_("channels")
KERNEL_H, KERNEL_W = N_("kernel H"), N_("kernel W")
STRIDE, PADDING, DILATION, FILTERS = N_("stride"), N_("padding"), N_("dilation"), N_("filters")
CEIL_MODE = N_("ceil_mode (pooling)")
NUMBERS = N_("numbers")
FLIP = N_("true convolution (flip kernel)")
POSITION = N_("output cell")
STEP = N_("step →")

# ---- the picture ---------------------------------------------------------------------------------
INPUT_TITLE = N_("input (beige: padding)")
OUTPUT_TITLE = N_("output")
KERNELS_TITLE = N_("kernels")
INPUT_CAPTION = N_("channels C = {channels} · channel 1 in front")
OUTPUT_CAPTION_CONV = N_("maps F = {maps} (one per filter) · map 1 in front")
OUTPUT_CAPTION_POOL = N_("{maps} maps (one per channel) · map 1 in front")
FILTER_LABEL = N_("filter {number}")
POOL_LABEL = {"maxpool": N_("window"), "avgpool": N_("window")}
POOL_OP = {"maxpool": N_("max"), "avgpool": N_("mean")}
MORE_FILTERS = N_("+{more} more filters")

# ---- the summary ---------------------------------------------------------------------------------
SHAPES = "<b>{input} → {output}</b>"
PARAMETERS = N_(" · parameters {kernel}·{channels}·{filters} + {filters} = {params}")
AXIS_NAMES_2D = (N_("rows"), N_("columns"))
AXIS_NAMES_1D = (N_("length"),)
AXIS_FORMULA = "{axis}: {formula}"
UNEVEN = N_(" <span style='color:{color}'>⚠ does not divide evenly: the last input cells are never read</span>")
READS = N_("output cell {cell} reads input cells {cells}")
FEEDS = N_("input cell {cell} feeds output cells {cells}")
NUMBERS_TERMS = N_("numbers: {what}; map 1 at {cell} = {terms} = <b>{value}</b>")
NUMBERS_CONV = N_("numbers: {what}; map 1 at {cell} = sum over the window in all {channels} channels of input × "
                "that channel's kernel slice = <b>{value}</b>")
NUMBERS_POOL = N_("numbers: {what} of each channel on its own; map 1 at {cell} = <b>{value}</b>")
TRUE_CONVOLUTION = N_("true convolution (kernel flipped)")
CROSS_CORRELATION = N_("cross-correlation (what frameworks call convolution)")
POOLING = {"maxpool": N_("max pooling"), "avgpool": N_("average pooling")}

# ---- the conventions table -------------------------------------------------------------------------
CONVENTION = N_("convention")
PYTORCH_FLOOR = N_("PyTorch, padding={padding} (floor)")
# Conv2d's padding=(a, b) means a rows and b columns on both sides: uneven padding needs F.pad first
PYTORCH_FLOOR_UNEVEN = N_("PyTorch, F.pad {before} before and {after} after, padding=0 (floor)")
PYTORCH_CEIL = N_("PyTorch pooling, ceil_mode=True")
KERAS_VALID = "TF / Keras 'valid'"
KERAS_SAME = "TF / Keras 'same' = ceil(n / stride)"
MUST_DIVIDE = N_("(n + 2p − k) / s + 1 must be whole")
DOES_NOT_FIT = N_("does not fit")
NOT_WHOLE = " ✗"

# ---- the network tracer ----------------------------------------------------------------------------
TRACER_INTRO = N_("<b>Network tracer</b>: one layer per row (it starts as the seed's CNN)")
TRACE_BUTTON = N_("trace shapes")
FORM_INTRO = N_("Edit a layer in its row (press Enter after typing), or all layers as text below: both stay in sync.")
FORM_HEADER = (N_("layer"), N_("size"), N_("stride"), N_("padding"), N_("filters / units"))
TEXT_INTRO = N_("The same layers as Python tuples, one per line (edit, then press the button):")
INSERT_ROW, REMOVE_ROW = "+", "−"
INSERT_TIP, REMOVE_TIP = N_("insert a copy of this layer below it"), N_("remove this layer")
LAYER_AT = N_("layer {number} ({kind})")
ONE_OF = N_("one of {names}")
BAD_FIELD = N_("{where}: {field} must be {allowed}, got '{value}'")
SHAPE_FIELD = N_("1 to 3 whole numbers from {low} to {high:,} separated by commas, such as 28, 28, 1")
SIZE_FIELD = N_("a whole number from {low} to {high:,} or two of them, such as 1, 3")
WHOLE_FIELD = N_("a whole number from {low} to {high:,}")
PADDING_FIELD = N_("valid, same, full, a whole number from {low} to {high:,} or two of them (before, after)")
BAD_ROW = N_("row must be a layer number from 1 to {count}, got {value}")
LAST_LAYER = N_("layers must keep at least one layer: the last one cannot be removed")
TRACER_HEADER = (N_("layer"), N_("output shape"), N_("parameters"), N_("formula"))
TOTAL_PARAMETERS = N_("total parameters: {total:,}")
NO_SHAPE = "—"

# ---- messages (the state's refusals) ----------------------------------------------------------------
BAD_SHAPE = N_("input_shape must be (H, W, C) or (N, C) with whole numbers from 1 to {limit}, got {value}")
BAD_KERNEL = N_("kernel_size must be a whole number from 1 to {limit} or a pair (kH, kW) of them, got {value}")
BAD_WHOLE = N_("{name} must be a whole number from {low} to {high}, got {value}")
BAD_PADDING = N_("padding must be one of 'valid', 'same', 'full', a whole number from 0 to {limit} or a "
               "(before, after) pair of them, got {value}")
DOES_NOT_FIT_MESSAGE = N_("{name} = {value} does not fit: {why}")
GRID_TOO_LARGE = N_("{name} = {value} does not fit: the padded input or the output would be {cells} cells wide; the "
                  "panel draws at most {limit} (use less padding, dilation or a smaller kernel)")
KERNEL_1D = N_("kernel_size must be one whole number for a 1-D input {shape}, got {value}")
BAD_POSITION = N_("position must be an output cell from 0 to {last} (the output has {cells} cells), got {value}")
BAD_CELL = N_("selected_input must be None or an input cell {form} inside the input {shape}, got {value}")
BAD_OUTPUT_CELL = N_("output cell must be an index into the output {shape}, got {value}")
BAD_INPUT_CELL = N_("input cell must be an index into the input {shape}, got {value}")
BAD_CONTROL = N_("name must be one of {names}, got {value}")
BAD_CELL_FORM = N_("selected_input must be None or an input cell such as (row, column) or (index,), got {value}")
BAD_VALUES = N_("{name} must be None or an array of finite numbers between -{limit:g} and {limit:g}, got {value}")
VALUES_SHAPE = N_("{name} must have the shape {shape} ({what}), got shape {got}")
INPUT_WHAT = N_("one value per input cell")
KERNEL_WHAT = N_("one value per kernel cell")
BAD_LAYERS = N_("layers must be a list of 1 to {limit} layers made of text, whole numbers, True/False, tuples and "
              "dicts, such as [('input', (28, 28, 1)), ('relu',)], got {value}")
LAYERS_TEXT_TOO_LONG = N_("layers must be at most {limit:,} characters of text, got {length:,}")
LAYERS_SYNTAX = N_("layers must be Python tuples such as ('relu',), one per line: {why} (line {line})")
LAYERS_NOT_ALLOWED = N_("layers may only contain text in quotes, whole numbers, True/False, (tuples), [lists] and "
                      "{{dicts}}; line {line} has {what}: put names in quotes, e.g. ('relu',)")

# ---- the tracer's refusals of what the learner typed ----------------------------------------------
BRACKETS = N_("the brackets do not match")
NOT_ALLOWED_WHAT = {"Name": N_("the name {name!r}"), "Call": N_("a call"), "Attribute": N_("an attribute (.)"),
                    "Subscript": N_("a subscript ([...])"), "Lambda": N_("a lambda"), "BinOp": N_("arithmetic"),
                    "UnaryOp": N_("a sign or an operator"), "Set": N_("a set"), "Starred": N_("a *"),
                    "JoinedStr": N_("an f-string")}

# ---- the mode buttons (the values stay the API's "conv", "maxpool", "avgpool") ------------------------------
MODE_LABELS = {"conv": N_("conv"), "maxpool": N_("maxpool"), "avgpool": N_("avgpool")}

translate_module(__name__)
