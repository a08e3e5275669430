"""Every sentence, label and message the optimizer race shows (one place, so it can be translated).

Messages are marked with ``N_`` and read translated (``translate_module`` at the end). API keys (the tab names,
the surface, batch and bowl names) are plain constants in the state modules; here are only the titles shown.
"""
from __future__ import annotations

from ...i18n import N_, translate_module

#: the tabs' titles, in the order of ``state.TABS`` (the tab names the API takes)
TAB_TITLES = (N_("race"), N_("learning rate"), N_("real model"), N_("momentum theory"))

# ---- errors -------------------------------------------------------------------------------------------------
SURFACE_NAME = N_("surface must be one of {presets} or a formula in x and y such as 'x**2 + 3*y**2' "
                  "(or a Python function f(x, y)), got {value!r}")
SURFACE_TYPE = N_("surface must be a surface name, a formula as text or a function f(x, y), got {value}")
SURFACE_TRACE = N_("surface f(x, y) could not be traced with jax.numpy ({kind}: {first})")
SURFACE_SHAPE = N_("surface f(x, y) must return one number for scalar x, y, got shape {shape}")
SURFACE_CONSTANT = N_("surface f(x, y) must depend on x and y (a constant has no gradient to follow)")
SURFACE_NOT_FINITE = N_("surface {surface} is {value} at start {start}: move start to where the surface is defined "
                        "(or choose another surface)")
SURFACE_EMPTY_BOX = N_("surface {surface} is not a finite number anywhere in the view box {box}")
RACE_FAILED = N_("surface {surface}: the race failed ({kind}: {first})")
START_POINT = N_("{name} must be a point (x, y), got {value}")
VIEW_BOX = N_("view_box must be None or (xmin, xmax, ymin, ymax), four finite numbers between {low:g} and {high:g} "
              "with xmin < xmax and ymin < ymax, got {value}")
STEP_RANGE = N_("step must be an integer in 0..steps = 0..{steps}, got {value!r}")
TOL_RANGE = N_("{name} must be a positive number up to 1e6, got {value:g}")
RACERS = N_("{name} must be a non-empty dict such as {{'SGD': {{'lr': 0.1}}}}, got {value}")
RACER_KEY = N_("{name} keys must be optimizer names, got {key!r}")
RACER_UNKNOWN = N_("{name}: optimizer {key!r} is not one of {kinds} (or pass an optax GradientTransformation)")
RACER_UNKNOWN_NO_OPTAX = N_("{name}: optimizer {key!r} is not one of {kinds}")
RACER_TWICE = N_("{name}: optimizer {key!r} appears twice")
RACER_NOT_HERE = N_("no optimizer {name!r} in this race: it has {keys}")
HYPERPARAMETER_NAME = N_("{key} hyperparameter must be a name such as 'lr', got {value}")
OPTAX_FIXED = N_("{key} is an optax transformation: its hyperparameters are fixed inside it "
                 "(build a new one, or use {kind_names} with a dict of hyperparameters)")
ENABLED = N_("enabled must be a dict {{optimizer name: True or False}} for this race's optimizers, got {value}")
ENABLED_UNKNOWN = N_("enabled: no optimizer {key!r} in this race: it has {keys}")
SAVE_FUNCTION = N_("surface is a Python function, which cannot be saved: use a surface name ({presets}) or the "
                   "formula as text, e.g. r.surface = 'x**2 + 3*y**2'")
SAVE_OPTAX = N_("optimizers {keys}: an optax transformation cannot be saved; use one of {kind_names} with a dict of "
                "hyperparameters, e.g. {{'Adam': {{'lr': 0.1}}}}")
CONTROL_TAB = N_("control name must be a race control or one of {tabs} followed by '.setting', got {name!r}")
CONTROL_UNKNOWN = N_("no control {name!r}: the tab has {controls}")

# ---- the race tab -----------------------------------------------------------------------------------------
#: the surface dropdown's labels, by surface name ("custom": a formula typed in the text box)
SURFACE_LABELS = {"dlfs": N_("dlfs (DLFS ch. 6)"), "quadratic": N_("quadratic"), "rosenbrock": N_("rosenbrock"),
                  "beale": N_("beale"), "himmelblau": N_("himmelblau"), "saddle": N_("saddle"),
                  "custom": N_("custom")}
CUSTOM_DESCRIPTION = "f(x, y)"
CUSTOM_PLACEHOLDER = N_("f(x, y), e.g. x**2 + 3*y**2 + sin(x)")
SURFACE = N_("surface")
STEPS = N_("steps")
STEP = N_("show step")  # not the bare "step": that word is also the step activation function's name elsewhere
START_X = N_("start x")
START_Y = N_("start y")
CONTOUR_TITLE = N_("{surface}: click to move the start")
#: the preset surfaces as a student reads them (a formula typed by the user is shown as typed)
SURFACE_TITLES = {"dlfs": N_("x²/20 + y² (DLFS ch. 6)"), "quadratic": "0.1·x² + 2·y² (d2l)",
                  "rosenbrock": N_("Rosenbrock: (1 − x)² + 100·(y − x²)²"), "beale": N_("Beale's function"),
                  "himmelblau": N_("Himmelblau: (x² + y − 11)² + (x + y² − 7)²"), "saddle": N_("saddle: x² − y²")}
LOSS_TITLE = N_("loss per step")
REACHED_ZERO = N_("reached 0")
STEP_AXIS = N_("update step")
OPTAX_ROW = N_("optax transformation (hyperparameters inside it)")
DIVERGED_AT = N_("diverged at step {step}")
NOT_FINISHED = "—"
BOARD_HEADER = (N_("optimizer"), N_("loss at step {step}"), "x", "y", N_("loss < {tol:g} at step"),
                N_("inside the optimizer"))
VELOCITY = N_("velocity b = {b}")
ACCUMULATOR = {"adagrad": "h = Σg² = {h}, lr/√h = {lr}", "rmsprop": N_("v = avg g² = {h}, lr/√v = {lr}")}
ADAM_MOMENTS = "m = {m}, v = {v}"

# ---- the learning-rate tab --------------------------------------------------------------------------------
BOWL_TITLES = {"1-D": "f(x) = x²", "2-D": "f(x, y) = 0.1·x² + 2·y²"}
#: the bowl toggle's labels, by the API's bowl names
BOWL_LABELS = {"1-D": N_("1-D"), "2-D": N_("2-D")}
LR = N_("lr")
GD_START = N_("start")
REGIMES = {"crawls": N_("crawls: each step keeps most of the distance"), "smooth": N_("converges smoothly"),
           "one step": N_("lands on the minimum in one step"),
           "oscillates": N_("overshoots and oscillates, but converges"),
           "bounces": N_("bounces between ±x forever"), "diverges": N_("overshoots further every step: diverges")}
VERDICT_1D = N_("x ← x − lr·{c}x = (1 − {c}·{lr})·x = {factor}·x: {regime} (stable for 0 < lr < {stable}).")
Y_REGIMES = {"diverges": N_("y overshoots and diverges"), "bounces": N_("y overshoots and oscillates"),
             "oscillates": N_("y overshoots and oscillates"), "one step": N_("y converges smoothly"),
             "smooth": N_("y converges smoothly"), "crawls": N_("y converges smoothly")}
VERDICT_2D = N_("per step x is multiplied by 1 − {cx}·lr = {fx} and y by 1 − {cy}·lr = {fy}: {y_part}, "
                "and x keeps {kept} of its distance after {steps} steps. One lr for both axes: small enough for the "
                "steep y (lr < {stable}) is far too small for the flat x.")

# ---- the real-model tab -----------------------------------------------------------------------------------
MODELS = ((N_("Iris (softmax regression)"), "iris"), (N_("XOR net"), "xor"))
#: the batch toggle's labels, by batch name
BATCH_LABELS = {"full": N_("full"), "mini": N_("mini"), "stochastic": N_("stochastic")}
BATCH = N_("batch")
EPOCHS = N_("epochs")
TRAIN = N_("train")
MODEL_TITLES = {"iris": N_("Iris (120 train, 30 test), softmax regression: training loss per epoch"),
                "xor": N_("XOR, 2-3-1 sigmoid net: training loss per epoch")}
EPOCH_AXIS = N_("epoch")
ARITHMETIC = N_("{n} training samples, batch {b} → ⌈{n}/{b}⌉ = {iters} iterations (updates) per epoch; {epochs} "
                "epochs → {updates:,} updates. (The seeds' example: 500 samples, batch 10 → {seed_iters} iterations "
                "per epoch.)")
MODEL_HEADER = (N_("optimizer"), "lr", N_("loss after {epochs} epochs"), N_("train accuracy"), N_("test accuracy"))
MODEL_LEGEND = "{name}: {loss}"
MODEL_LEGEND_TITLE = N_("loss after {epochs} epochs")
NO_ACCURACY = "—"
NO_TEST_SET = N_("XOR has only its 4 points: there is no held-out test set (train accuracy is over those 4).")

# ---- the momentum-theory tab (Distill, "Why Momentum Really Works") ---------------------------------------
CONDITION_RANGE = N_("{name} must be a condition number κ from 1 to {high:g}, got {value:g}")
THEORY_LR_RANGE = N_("{name} must be a learning rate above 0 and at most {high:g}, got {value:g}")
MOMENTUM_RANGE = N_("{name} must be a momentum β with 0 ≤ β < 1, got {value:g}")
CONDITION = "κ"
CONDITION_TOOLTIP = N_("condition number κ = λmax / λmin of the bowl x²/κ + y²")
THEORY_LR = N_("lr")
THEORY_MOMENTUM = "momentum"
PATH_STEPS = N_("steps")
USE_BEST = N_("use the best lr, momentum")
RATE_TITLE = N_("convergence rate on x²/κ + y²")
RATE_AXIS_LR = N_("learning rate α (log scale)")
RATE_AXIS_MOMENTUM = "momentum β"
RATE_BAR = N_("rate (distance × this per step)")
DIVERGES = N_("diverges (rate ≥ 1)")
PATHS_TITLE = N_("x²/{kappa} + y²: {steps} steps from (−7, 2)")
LEGEND_YOU = "momentum (lr, β)"
LEGEND_GD = N_("plain GD (same lr, β = 0)")
LEGEND_BEST = N_("best momentum")
LEGEND_BEST_GD = N_("best plain GD")
LEGEND_RACERS = N_("dots: the race tab's SGD / Momentum / Nesterov")
CURVATURES = N_("κ = {kappa}: the bowl x²/κ + y² curves {lo} along x and {hi} along y (λmin, λmax). Each step "
                "multiplies the distance along an axis by a factor; the slowest axis sets the rate.")
GD_LINE = N_("Plain GD, lr {lr}: y × (1 − lr·λmax) = {fy}{zig}, x × (1 − lr·λmin) = {fx} per step: "
             "rate {rate}, {steps} to {tol} of the start's distance.")
ZIGZAG = N_(" (negative: y overshoots and flips sign every step, the zig-zag)")
NO_ZIGZAG = N_(" (no overshoot yet: above lr = 1/λmax = {half} y flips sign every step, the zig-zag)")
MOMENTUM_LINE = N_("Momentum, lr {lr}, β {beta}: rate {rate} (the spectral radius of the 2 x 2 iteration matrix), "
                   "{steps}.")
STEPS_TAKEN = N_("{k} steps")
STEPS_NEVER = N_("not within {horizon} steps")
BEST_LINE = N_("Best plain GD: lr = 2/(λmin + λmax) = {gd_lr}, rate (κ − 1)/(κ + 1) = {gd_rate}. Best momentum: "
               "lr = {lr}, β = {beta}, rate (√κ − 1)/(√κ + 1) = {rate}: momentum needs about √κ times fewer steps.")

translate_module(__name__)
