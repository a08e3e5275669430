"""Every sentence, label and title the perceptron panel shows (one place, so it can be translated).

Marked messages (``N_``) read in the language in force (``translate_module`` at the end); formulas, gate names and
the API's keys stay as they are.
"""
from __future__ import annotations

from ..._validate import choice
from ...core.perceptron import GATE_INPUTS, GATES, THRESHOLDS, gate_targets
from ...i18n import N_, _, translate_module

TAB_TITLES = {"neuron": N_("Neuron"), "learn": N_("Learn"), "stack": N_("Two layers"), "mlp": N_("Train an MLP")}

# ---- Neuron tab ---------------------------------------------------------------------------------------------------
GATE = N_("gate")
ACTIVATION = N_("activation")
ACTIVATION_LABELS = {"step": N_("step"), "sigmoid": "sigmoid"}  # the options' labels; their values are the API's
FIRES_IF = N_("y = 1 if")
THRESHOLD_OPTIONS = (("z > 0", ">"), ("z ≥ 0", ">="))  # read after FIRES_IF: "y = 1 if z > 0"
PRESET_BUTTON = N_("{gate} preset")
RULE = {">": N_("y = 1 if z > 0"), ">=": N_("y = 1 if z ≥ 0")}
NEURON_HEADER = ("x1", "x2", "z = w1·x1 + w2·x2 + b", "y", N_("target"), "")
SIGMOID_Y = "y = σ(z)"
SIGMOID_BAR = N_("y = σ(z), from 0 to 1")
LINE_CAPTION = N_("line: ")
TARGET_0, TARGET_1, WRONG_POINT = N_("target 0"), N_("target 1"), N_("wrong")
SOLVED = N_("{gate} solved: all four rows correct ({rule}).")
ROWS_WRONG = N_("{count} of 4 rows wrong: {rows} ({rule}).")
NO_SINGLE_LINE = N_(" No single line can do this: see the {learn} and {stack} tabs.")
NO_PRESET = N_("gate {gate!r} has no single-perceptron preset: no line computes it (presets exist for {presets}); "
               "use the two-layer tab")
OK_MARK, WRONG_MARK = "✓", "✗"

# ---- Learn tab ----------------------------------------------------------------------------------------------------
LEARN_CAPTION = N_("after epoch {epoch}: ")
START_LINE = N_("start (epoch 0)")
EPOCH = N_("epoch")
EPOCHS = N_("epochs")
ROWS_WRONG_AXIS = N_("rows wrong")
USE_WEIGHTS = N_("use these weights")
LEARN_NOTE = N_("<i>Starts from the Neuron tab's weights. For each row in turn: "
                "w ← w + lr·(t − y)·x, b ← b + lr·(t − y).</i>")
LEARN_NOW = N_("epoch {epoch}: w1 = {w1}, w2 = {w2}, b = {b}, {mistakes} of 4 rows wrong.")
LEARN_SOLVED = N_("{now} The rule finds a line for {gate} after {solved} epoch(s).")
LEARN_CYCLING = N_("{now} After {epochs} epochs the rule is still cycling: no line can compute {gate}.")
WHY_SUMMARY = N_("Why can no line compute {gate}? (the proof)")
WHY_ROWS = N_("Its four rows ask:")
LEARN_NOT_YET = N_("{now} Not solved within {epochs} epochs: try more epochs or another lr.")

# ---- Two layers tab -----------------------------------------------------------------------------------------------
INPUT_SPACE = N_("input space: hidden lines h1, h2")
HIDDEN_SPACE = N_("hidden space: output line y")
NEURON_TITLES = {"h1": N_("hidden h1 = s1"), "h2": N_("hidden h2 = s2"), "y": N_("output y")}
TARGET = N_("target")
STACK_HEADER = ("x1", "x2", "z_h1", "s1", "z_h2", "s2", "z_y", "y", N_("target"), "")
COMPUTES = N_("This network computes {gate}")
COMPUTES_NONE = N_("This network computes none of the six gates (y column {column})")
STACK_SOLVED = N_("{what}: every row matches the target {gate}.")
STACK_WRONG = N_("{what}, not {gate}: rows {rows} differ.")
PRESET = N_("preset")
#: the dropdown's label of each key of ``stack.STACK_PRESETS`` (the keys are what ``load_preset`` takes)
STACK_PRESET_TITLES = {
    "NAND + OR → AND (seed 000)": N_("NAND + OR → AND (seed 000)"),
    "h1 − h2 network (seed 002)": N_("h1 − h2 network (seed 002)"),
}
OUTPUT_LINE = "y: "
CUSTOM_WEIGHTS = N_("(your own weights)")

# ---- Train an MLP tab ---------------------------------------------------------------------------------------------
OUTPUT_TITLE = N_("network output y")
LOSS_TITLE = N_("loss  ½·mean Σ(y − t)²")
HIDDEN_TITLE = N_("hidden layer")
HIDDEN_AXIS = N_("h along W2 (the output's view)")
HIDDEN_ACROSS = N_("h across W2 (largest spread)")
HIDDEN_ACROSS_NONE = N_("(one unit: no second axis)")
OUTPUT_BAR = N_("y (0 to 1)")
HIDDEN_SIZE = N_("hidden size")
SEED = N_("seed")
SNAPSHOT = N_("snapshot")
MLP_HEADER = ("x1", "x2", "y", N_("target"), "")
MLP_STATUS = N_("epoch {epoch} of {epochs}: loss {loss}")
INITIAL_WEIGHTS = N_("(initial weights)")

# ---- messages about settings --------------------------------------------------------------------------------------
AT_MOST_EPOCHS = N_("{name} must be an integer from 0 to {epochs} (the number of epochs), got {value!r}")
AT_MOST_SNAPSHOTS = N_("{name} must be an integer from 0 to {last} ({epochs} epochs keep {count} snapshots), "
                       "got {value!r}")
NOT_NEGATIVE = N_("{name} must be a whole number from 0 up, got {value!r}")
RATE = N_("{name} must be a number greater than 0 and at most {limit:g}, got {value!r}")
NO_CONTROL = N_("the perceptron panel has no control {name!r}; controls: {known}")


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
    return _("No line can compute {gate}. Its four rows ask: {rows}. {argument}").format(
        gate=choice("gate", gate, GATES, casefold=True), rows="; ".join(rows), argument=argument)


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
    return row_inequalities(gate, threshold), _(
        "Adding the two middle rows gives w1 + w2 + 2b {middle} 0, so w1 + w2 + b {middle} −b, and −b {first} 0 "
        "by the first row: w1 + w2 + b {chained} 0. The last row needs w1 + w2 + b {last} 0. The rows contradict "
        "each other, so no weights exist: (1,0) and (0,1) must fall on one side of the line and (0,0) and (1,1) on "
        "the other, which no straight line can do. Stack two layers instead."
    ).format(middle=middle, first=flipped[first], chained=chained, last=last)


translate_module(__name__)
