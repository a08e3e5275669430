"""Every sentence, label and title the conv/pool visualizer shows, in one place (for translation).

Templates use ``str.format`` placeholders; the view and the state fill them and escape what the learner typed.
"""
from __future__ import annotations

TAB_TITLES = {"layer": "one layer", "network": "network tracer"}

# ---- controls ------------------------------------------------------------------------------------
HEIGHT, WIDTH, CHANNELS = "H", "W", "channels"
KERNEL_H, KERNEL_W = "kernel H", "kernel W"
STRIDE, PADDING, DILATION, FILTERS = "stride", "padding", "dilation", "filters"
CEIL_MODE = "ceil_mode (pooling)"
NUMBERS = "numbers"
FLIP = "true convolution (flip kernel)"
POSITION = "output cell"
STEP = "step →"

# ---- the picture ---------------------------------------------------------------------------------
INPUT_TITLE = "input (beige: padding)"
OUTPUT_TITLE = "output"
KERNELS_TITLE = "kernels"
INPUT_CAPTION = "channels C = {channels} · channel 1 in front"
OUTPUT_CAPTION_CONV = "maps F = {maps} (one per filter) · map 1 in front"
OUTPUT_CAPTION_POOL = "{maps} maps (one per channel) · map 1 in front"
FILTER_LABEL = "filter {number}"
POOL_LABEL = {"maxpool": "window", "avgpool": "window"}
POOL_OP = {"maxpool": "max", "avgpool": "mean"}
MORE_FILTERS = "+{more} more filters"

# ---- the summary ---------------------------------------------------------------------------------
SHAPES = "<b>{input} → {output}</b>"
PARAMETERS = " · parameters {kernel}·{channels}·{filters} + {filters} = {params}"
AXIS_NAMES_2D = ("rows", "columns")
AXIS_NAMES_1D = ("length",)
AXIS_FORMULA = "{axis}: {formula}"
UNEVEN = " <span style='color:{color}'>⚠ does not divide evenly: the last input cells are never read</span>"
READS = "output cell {cell} reads input cells {cells}"
FEEDS = "input cell {cell} feeds output cells {cells}"
NUMBERS_TERMS = "numbers: {what}; map 1 at {cell} = {terms} = <b>{value}</b>"
NUMBERS_CONV = ("numbers: {what}; map 1 at {cell} = sum over the window in all {channels} channels of input × "
                "that channel's kernel slice = <b>{value}</b>")
NUMBERS_POOL = "numbers: {what} of each channel on its own; map 1 at {cell} = <b>{value}</b>"
TRUE_CONVOLUTION = "true convolution (kernel flipped)"
CROSS_CORRELATION = "cross-correlation (what frameworks call convolution)"
POOLING = {"maxpool": "max pooling", "avgpool": "average pooling"}

# ---- the conventions table -------------------------------------------------------------------------
CONVENTION = "convention"
PYTORCH_FLOOR = "PyTorch, padding={padding} (floor)"
# Conv2d's padding=(a, b) means a rows and b columns on both sides: uneven padding needs F.pad first
PYTORCH_FLOOR_UNEVEN = "PyTorch, F.pad {before} before and {after} after, padding=0 (floor)"
PYTORCH_CEIL = "PyTorch pooling, ceil_mode=True"
KERAS_VALID = "TF / Keras 'valid'"
KERAS_SAME = "TF / Keras 'same' = ceil(n / stride)"
MUST_DIVIDE = "(n + 2p − k) / s + 1 must be whole"
DOES_NOT_FIT = "does not fit"
NOT_WHOLE = " ✗"

# ---- the network tracer ----------------------------------------------------------------------------
TRACER_INTRO = "<b>Network tracer</b>: one layer per row (it starts as the seed's CNN)"
TRACE_BUTTON = "trace shapes"
FORM_INTRO = "Edit a layer in its row (press Enter after typing), or all layers as text below: both stay in sync."
FORM_HEADER = ("layer", "size", "stride", "padding", "filters / units")
TEXT_INTRO = "The same layers as Python tuples, one per line (edit, then press the button):"
INSERT_ROW, REMOVE_ROW = "+", "−"
INSERT_TIP, REMOVE_TIP = "insert a copy of this layer below it", "remove this layer"
LAYER_AT = "layer {number} ({kind})"
ONE_OF = "one of {names}"
BAD_FIELD = "{where}: {field} must be {allowed}, got '{value}'"
SHAPE_FIELD = "1 to 3 whole numbers from {low} to {high:,} separated by commas, such as 28, 28, 1"
SIZE_FIELD = "a whole number from {low} to {high:,} or two of them, such as 1, 3"
WHOLE_FIELD = "a whole number from {low} to {high:,}"
PADDING_FIELD = "valid, same, full, a whole number from {low} to {high:,} or two of them (before, after)"
BAD_ROW = "row must be a layer number from 1 to {count}, got {value}"
LAST_LAYER = "layers must keep at least one layer: the last one cannot be removed"
TRACER_HEADER = ("layer", "output shape", "parameters", "formula")
TOTAL_PARAMETERS = "total parameters: {total:,}"
NO_SHAPE = "—"

# ---- messages (the state's refusals) ----------------------------------------------------------------
BAD_SHAPE = "input_shape must be (H, W, C) or (N, C) with whole numbers from 1 to {limit}, got {value}"
BAD_KERNEL = "kernel_size must be a whole number from 1 to {limit} or a pair (kH, kW) of them, got {value}"
BAD_WHOLE = "{name} must be a whole number from {low} to {high}, got {value}"
BAD_PADDING = ("padding must be one of 'valid', 'same', 'full', a whole number from 0 to {limit} or a "
               "(before, after) pair of them, got {value}")
DOES_NOT_FIT_MESSAGE = "{name} = {value} does not fit: {why}"
GRID_TOO_LARGE = ("{name} = {value} does not fit: the padded input or the output would be {cells} cells wide; the "
                  "panel draws at most {limit} (use less padding, dilation or a smaller kernel)")
KERNEL_1D = "kernel_size must be one whole number for a 1-D input {shape}, got {value}"
BAD_POSITION = "position must be an output cell from 0 to {last} (the output has {cells} cells), got {value}"
BAD_CELL = "selected_input must be None or an input cell {form} inside the input {shape}, got {value}"
BAD_OUTPUT_CELL = "output cell must be an index into the output {shape}, got {value}"
BAD_INPUT_CELL = "input cell must be an index into the input {shape}, got {value}"
BAD_CONTROL = "name must be one of {names}, got {value}"
BAD_CELL_FORM = "selected_input must be None or an input cell such as (row, column) or (index,), got {value}"
BAD_VALUES = "{name} must be None or an array of finite numbers between -{limit:g} and {limit:g}, got {value}"
VALUES_SHAPE = "{name} must have the shape {shape} ({what}), got shape {got}"
INPUT_WHAT = "one value per input cell"
KERNEL_WHAT = "one value per kernel cell"
BAD_LAYERS = ("layers must be a list of 1 to {limit} layers made of text, whole numbers, True/False, tuples and "
              "dicts, such as [('input', (28, 28, 1)), ('relu',)], got {value}")
LAYERS_TEXT_TOO_LONG = "layers must be at most {limit:,} characters of text, got {length:,}"
LAYERS_SYNTAX = "layers must be Python tuples such as ('relu',), one per line: {why} (line {line})"
LAYERS_NOT_ALLOWED = ("layers may only contain text in quotes, whole numbers, True/False, (tuples), [lists] and "
                      "{{dicts}}; line {line} has {what}: put names in quotes, e.g. ('relu',)")
