"""Every sentence, label and title the softmax calculator shows, in one place (for translation).

Templates use ``str.format`` placeholders; the view and the state fill them and escape what the learner typed.
"""
from __future__ import annotations

from ...i18n import N_, translate_module

TAB_TITLES = {"logits": N_("logits"), "linear layer": N_("linear layer")}  # the formula is in the tab (LAYER_TITLE)

# ---- controls ------------------------------------------------------------------------------------
TARGET = N_("target")
LOG = "log"
LOG_BUTTONS = {"e": "ln", "2": "log2", "10": "log10"}  # also how the table names each log
TEMPERATURE = "T"
SHOW_NAIVE = N_("show the naive formula (overflow)")
CLASSES = N_("classes")
TARGET_OPTION = N_("{name} (class {number})")  # a label the learner gave; a default name is shown alone
DEFAULT_CLASS_NAME = N_("class {number}")  # classes are numbered from 0, as the code indexes them
LAYER_TITLE = N_("<b>Linear layer</b> H = W x + b (W rows: one per class)")
LAYER_X = "<b>x</b>"
LAYER_ROW = "<b>W[{number}]·</b>"
LAYER_B = "&nbsp;<b>b[{number}]</b>"
LOGIT = "z[{number}]"
NUDGE = N_("nudge")
NUDGE_BY = N_("by")
NUDGE_BUTTON = N_("nudge")
FORGET_BUTTON = N_("forget before")
CHECK_INTRO = N_("<b>Check my hand calculation</b>: type the numbers you worked out (leave out any step).")
CHECK_PLACEHOLDER = N_("e.g. 2.25, 0.48")
CHECK_BUTTON = N_("Check my numbers")
CHECK_FIELD_LABELS = {"exp": "exp", "sum": "sum", "probabilities": N_("probabilities"), "loss": N_("loss")}

# ---- the picture ---------------------------------------------------------------------------------
P_TITLE = N_("p (bars) and one-hot y (outline)")
GRAD_TITLE = "p − y"

# ---- the table -----------------------------------------------------------------------------------
COL_CLASS = N_("class")
COL_Z = "z"
COL_Z_LINEAR = "z = H = W x + b"
COL_Z_OVER_T = "z / T"
COL_EXP = "e^z"
COL_EXP_T = "e^(z/T)"
COL_P = "p"
COL_Y = "y"
COL_SURPRISAL = "−{log} p"
COL_GRAD = "∂L/∂z"
COL_SHIFTED = N_("e^(z − max) (stable)")
COL_NAIVE = N_("naive p = e^z / Σ e^z")
COL_BEFORE = N_("p before")

# ---- the summary ---------------------------------------------------------------------------------
SUM = "Σ e^z = {sum}"
LOSS = N_("cross-entropy = −{log} p({target}) = <b>{loss}</b>")
LOSS_LN = N_(" &nbsp;·&nbsp; with the natural log, as every framework computes it: <b>{loss_ln}</b> "
              "(a {log} loss is the ln loss divided by ln {base})")
MSE_NAME = N_("MSE = mean over classes of (p − y)²")  # the panel's MSE (lesson 01 uses ½·mean, homework 2 ½·sum)
MSE = N_("MSE = mean over classes of (p − y)² = {mse}")
GRAD = N_("∂L/∂z = (p − y){scale}: the gradient the network receives")
GRAD_SCALE = " / (T·ln {base})"
BINARY = N_("Binary view: σ(z[1] − z[0]) = {p} = p({name}), and binary cross-entropy = {bce} = the ln loss: "
             "a sigmoid is a 2-class softmax.")
ONE_CLASS = N_("One class: softmax gives it p = 1 whatever z is, so the loss is 0 and there is nothing to learn.")
OVERFLOW = N_("<span style='color:{color}'>e^z overflows float32 above z ≈ 88.7, so the naive formula gives "
               "inf / inf = nan.</span> Every number above subtracts max z first (log-sum-exp): the factor e^−max "
               "cancels, and every exponent is ≤ 0.")
AFTER_NUDGE = N_("After {parameter} {sign}= {delta}: loss {before} → {after}")

# ---- the hand check ("Check my numbers"): every problem, in the order of the steps ------------------
STEP_NAMES = {"logits": "z = W x + b", "exp": "e^z", "sum": "Σ e^z", "probabilities": "p = e^z / Σ e^z",
              "loss": N_("cross-entropy −log p(target)"), "mse": MSE_NAME}
CHECK_NOTHING = N_("Nothing to check: type some of your numbers (exp, sum, probabilities, loss).")
CHECK_ALL_RIGHT = N_("All your numbers are right: {steps}.")
CHECK_ONE_PROBLEM = N_("1 problem:")
CHECK_PROBLEMS = N_("{count} problems, in the order of the steps:")
CHECK_PROBLEM = N_("{number}. {step}: you have {got}, the right value is {expected}.")
CHECK_VECTOR_PROBLEM = N_("{number}. {step}, {entries}.")
CHECK_ENTRY = N_("class {k}: you have {got}, the right value is {expected}")
CHECK_RIGHT_TOO = N_("Right: {steps}.")
CHECK_NOT_NUMBERS = N_("{name} must be numbers (e.g. '2.25, 0.48'), got {value}")
CHECK_TOO_LONG = N_("{name} must be at most {most} characters, got {length}")
CHECK_NOT_FINITE = N_("{name} must be finite numbers, got {value}")
CHECK_COUNT = N_("{name} must have {count} number(s), got {got}: {value}")
HINT_FOLLOWS_SLIP = N_("It follows from your earlier numbers, so fix the earlier slip and this one fixes itself.")
HINT_FOLLOWS_ROUNDING = N_("It follows from your rounded earlier numbers: carry more decimals through the steps "
                            "and it comes out right.")
HINT_LOGITS = N_("Recompute z[{k}] = W[{k}]·x + b[{k}].")
HINT_EXP = N_("e^{z} = {power}: use the exponential (e^z, not 10^z or z²); every later step builds on it.")
HINT_SUM_OF_LOGITS = N_("That is the sum of the logits; softmax adds their exponentials e^z.")
HINT_SUM = N_("Add the exponentials e^z of all classes.")
HINT_Z_OVER_SUM = N_("You divided z by its sum. Softmax exponentiates first: z / Σz breaks for negative or "
                      "zero-sum logits, while e^z is always positive.")
HINT_P_TOTAL = N_("Your probabilities add up to {total}; softmax outputs always add up to 1.")
HINT_P = N_("Divide each e^z by the sum of all of them.")
HINT_OF_YOUR_P = N_(" of your p")
HINT_LOG_BASE = N_("That is −{name}({p}){whose}; this loss uses {used} (every framework uses the natural log): "
                    "−{used}({p_true}) = {loss}.")
HINT_SIGN = N_("The sign: the loss is −log p, a positive number.")
HINT_OTHER_CLASS = N_("You used p of class {used}; the loss takes the target class's probability (class {target}).")
HINT_LOSS = N_("The loss is −log p of the target class (class {target}).")
HINT_MSE_SUM = N_("That is the sum over classes of (p − y)²; this panel's MSE is the mean over classes.")
HINT_MSE_HALF_SUM = N_("That is ½·sum over classes of (p − y)² (homework 2's definition); this panel's MSE is the "
                        "mean over classes, without ½.")
HINT_MSE_HALF_MEAN = N_("That is ½·mean over classes of (p − y)² (lesson 01's definition); this panel's MSE is the "
                         "mean over classes, without ½.")
HINT_MSE = N_("Average (p − y)² over the classes (y is 1 for the target class, 0 elsewhere).")

# ---- refusals (the state's error line) -------------------------------------------------------------
VECTOR = N_("{name} must be a list of 1 to {most} numbers, got {value}")
GRID = N_("{name} must be a (classes, features) grid with 1 to {classes} rows and 1 to {features} columns, "
           "got shape {shape}")
LOGITS_OR_LAYER = N_("give either logits, or x, W and b of a linear layer, not both")
LAYER_MISFIT = N_("{name} does not fit: W must have shape (classes, features) = (len(b), len(x)) = "
                   "({classes}, {features}), got {shape}; set x, W and b together to change the sizes")
LOGITS_IN_LINEAR = N_("logits are W x + b in linear-layer mode: set x, W or b instead (or open the 'logits' tab)")
LABELS_TYPE = N_("labels must be a list of at most {classes} class names (text), got {value}")
LABEL_TOO_LONG = N_("labels must be at most {length} characters each, got {value}")
LABELS_COUNT = N_("labels must name all {classes} classes, got {count}: {value}")
TARGET_TYPE = N_("target must be a class index (an integer from 0) or one of the labels, got {value}")
OTHER_TAB_TYPE = N_("other_tab must be {{}} or {{'labels': [...], 'target': class index}} as to_dict() saves it, "
                    "got {value}")
TARGET_NOT_FOUND = N_("target must be a class index in 0..{last} or one of the labels, got {value}")
TEMPERATURE_RANGE = N_("temperature must be between {lo:g} and {hi:g}, got {value:g}")
PARAMETER = N_("parameter must be one of {names} (or the lecture's 1-based name, such as b2 for b[1]), got {value}")
CONTROL = N_("name must be a setting with a control ({settings}) or one of {entries}, got {value}")

translate_module(__name__)
