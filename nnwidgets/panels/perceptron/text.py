"""Every sentence, label and title the perceptron panel shows (one place, so it can be translated)."""
from __future__ import annotations

from ..._validate import choice
from ...core.perceptron import GATE_INPUTS, GATES, THRESHOLDS, gate_targets

TAB_TITLES = {"neuron": "Neuron", "learn": "Learn", "stack": "Two layers", "mlp": "Train an MLP"}

# ---- Neuron tab ---------------------------------------------------------------------------------------------------
GATE = "gate"
ACTIVATION = "activation"
FIRES_IF = "y = 1 if"
THRESHOLD_OPTIONS = (("z > 0", ">"), ("z ≥ 0", ">="))  # read after FIRES_IF: "y = 1 if z > 0"
PRESET_BUTTON = "{gate} preset"
RULE = {">": "y = 1 if z > 0", ">=": "y = 1 if z ≥ 0"}
NEURON_HEADER = ("x1", "x2", "z = w1·x1 + w2·x2 + b", "y", "target", "")
SIGMOID_Y = "y = σ(z)"
SIGMOID_BAR = "y = σ(z), from 0 to 1"
LINE_CAPTION = "line: "
TARGET_0, TARGET_1, WRONG_POINT = "target 0", "target 1", "wrong"
SOLVED = "{gate} solved: all four rows correct ({rule})."
ROWS_WRONG = "{count} of 4 rows wrong: {rows} ({rule})."
NO_SINGLE_LINE = " No single line can do this: see the Learn and Two layers tabs."
NO_PRESET = ("gate {gate!r} has no single-perceptron preset: no line computes it (presets exist for {presets}); "
             "use the two-layer tab")
OK_MARK, WRONG_MARK = "✓", "✗"

# ---- Learn tab ----------------------------------------------------------------------------------------------------
LEARN_CAPTION = "after epoch {epoch}: "
START_LINE = "start (epoch 0)"
EPOCH = "epoch"
EPOCHS = "epochs"
ROWS_WRONG_AXIS = "rows wrong"
USE_WEIGHTS = "use these weights"
LEARN_NOTE = ("<i>Starts from the Neuron tab's weights. For each row in turn: "
              "w ← w + lr·(t − y)·x, b ← b + lr·(t − y).</i>")
LEARN_NOW = "epoch {epoch}: w1 = {w1}, w2 = {w2}, b = {b}, {mistakes} of 4 rows wrong."
LEARN_SOLVED = "{now} The rule finds a line for {gate} after {solved} epoch(s)."
LEARN_CYCLING = "{now} After {epochs} epochs the rule is still cycling: no line can compute {gate}."
WHY_SUMMARY = "Why can no line compute {gate}? (the proof)"
WHY_ROWS = "Its four rows ask:"
LEARN_NOT_YET = "{now} Not solved within {epochs} epochs: try more epochs or another lr."

# ---- Two layers tab -----------------------------------------------------------------------------------------------
INPUT_SPACE = "input space: hidden lines h1, h2"
HIDDEN_SPACE = "hidden space: output line y"
NEURON_TITLES = {"h1": "hidden h1 = s1", "h2": "hidden h2 = s2", "y": "output y"}
TARGET = "target"
STACK_HEADER = ("x1", "x2", "z_h1", "s1", "z_h2", "s2", "z_y", "y", "target", "")
COMPUTES = "This network computes {gate}"
COMPUTES_NONE = "This network computes none of the six gates (y column {column})"
STACK_SOLVED = "{what}: every row matches the target {gate}."
STACK_WRONG = "{what}, not {gate}: rows {rows} differ."
PRESET = "preset"
OUTPUT_LINE = "y: "
CUSTOM_WEIGHTS = "(your own weights)"

# ---- Train an MLP tab ---------------------------------------------------------------------------------------------
OUTPUT_TITLE = "network output y"
LOSS_TITLE = "loss  ½·mean Σ(y − t)²"
HIDDEN_TITLE = "hidden layer"
HIDDEN_AXIS = "h along W2 (the output's view)"
HIDDEN_ACROSS = "h across W2 (largest spread)"
HIDDEN_ACROSS_NONE = "(one unit: no second axis)"
OUTPUT_BAR = "y (0 to 1)"
HIDDEN_SIZE = "hidden size"
SEED = "seed"
SNAPSHOT = "snapshot"
MLP_HEADER = ("x1", "x2", "y", "target", "")
MLP_STATUS = "epoch {epoch} of {epochs}: loss {loss}"
INITIAL_WEIGHTS = "(initial weights)"

# ---- messages about settings --------------------------------------------------------------------------------------
AT_MOST_EPOCHS = "{name} must be an integer from 0 to {epochs} (the number of epochs), got {value!r}"
AT_MOST_SNAPSHOTS = "{name} must be an integer from 0 to {last} ({epochs} epochs keep {count} snapshots), got {value!r}"
NOT_NEGATIVE = "{name} must be a whole number from 0 up, got {value!r}"
RATE = "{name} must be a number greater than 0 and at most {limit:g}, got {value!r}"
NO_CONTROL = "the perceptron panel has no control {name!r}; controls: {known}"


def row_inequalities(gate: str, threshold: str) -> list[str]:
    """The condition each truth-table row puts on (w1, w2, b)."""
    fire, rest = (">", "≤") if threshold == ">" else ("≥", "<")
    terms = {(0, 0): "b", (1, 0): "w1 + b", (0, 1): "w2 + b", (1, 1): "w1 + w2 + b"}
    return [
        f"({x1},{x2}) → {t}:  {terms[(x1, x2)]} {fire if t else rest} 0"
        for (x1, x2), t in zip(GATE_INPUTS.astype(int).tolist(), gate_targets(gate).astype(int), strict=True)
    ]


def why_no_line(gate: str, threshold: str = ">") -> str:
    """For XOR and XNOR, why no (w1, w2, b) can work; '' for the four separable gates."""
    rows, argument = why_no_line_steps(gate, threshold)
    if not rows:
        return ""
    return f"No line can compute {choice('gate', gate, GATES, casefold=True)}. Its four rows ask: " + "; ".join(
        rows) + ". " + argument


def why_no_line_steps(gate: str, threshold: str = ">") -> tuple[list[str], str]:
    """``why_no_line`` in two parts: the four rows' conditions, and the argument that they contradict
    (([], "") for the four separable gates)."""
    gate = choice("gate", gate, GATES, casefold=True)
    threshold = choice("threshold", threshold, THRESHOLDS)
    if gate not in ("XOR", "XNOR"):
        return [], ""
    fire, rest = (">", "≤") if threshold == ">" else ("≥", "<")
    flipped = {">": "<", "≥": "≤", "≤": "≥", "<": ">"}
    middle, first, last, chained = (fire, rest, rest, ">") if gate == "XOR" else (rest, fire, fire, "<")
    return row_inequalities(gate, threshold), (
        f"Adding the two middle rows gives w1 + w2 + 2b {middle} 0, so w1 + w2 + b {middle} −b, and −b "
        f"{flipped[first]} 0 by the first row: w1 + w2 + b {chained} 0. The last row needs w1 + w2 + b {last} 0. "
        "The rows contradict each other, so no weights exist: (1,0) and (0,1) must fall on one side of the line "
        "and (0,0) and (1,1) on the other, which no straight line can do. Stack two layers instead."
    )
