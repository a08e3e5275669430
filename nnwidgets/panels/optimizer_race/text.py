"""Every sentence, label and message the optimizer race shows (one place, so it can be translated)."""
from __future__ import annotations

TAB_TITLES = ("race", "learning rate", "real model", "momentum theory")

# ---- errors -------------------------------------------------------------------------------------------------
SURFACE_NAME = ("surface must be one of {presets} or a formula in x and y such as 'x**2 + 3*y**2' "
                "(or a Python function f(x, y)), got {value!r}")
SURFACE_TYPE = "surface must be a surface name, a formula as text or a function f(x, y), got {value}"
SURFACE_TRACE = "surface f(x, y) could not be traced with jax.numpy ({kind}: {first})"
SURFACE_SHAPE = "surface f(x, y) must return one number for scalar x, y, got shape {shape}"
SURFACE_CONSTANT = "surface f(x, y) must depend on x and y (a constant has no gradient to follow)"
SURFACE_NOT_FINITE = ("surface {surface} is {value} at start {start}: move start to where the surface is defined "
                      "(or choose another surface)")
SURFACE_EMPTY_BOX = "surface {surface} is not a finite number anywhere in the view box {box}"
RACE_FAILED = "surface {surface}: the race failed ({kind}: {first})"
START_POINT = "{name} must be a point (x, y), got {value}"
VIEW_BOX = ("view_box must be None or (xmin, xmax, ymin, ymax), four finite numbers between {low:g} and {high:g} "
            "with xmin < xmax and ymin < ymax, got {value}")
STEP_RANGE = "step must be an integer in 0..steps = 0..{steps}, got {value!r}"
RACERS = "{name} must be a non-empty dict such as {{'SGD': {{'lr': 0.1}}}}, got {value}"
RACER_KEY = "{name} keys must be optimizer names, got {key!r}"
RACER_UNKNOWN = "{name}: optimizer {key!r} is not one of {kinds} (or pass an optax GradientTransformation)"
RACER_UNKNOWN_NO_OPTAX = "{name}: optimizer {key!r} is not one of {kinds}"
RACER_TWICE = "{name}: optimizer {key!r} appears twice"
RACER_NOT_HERE = "no optimizer {name!r} in this race: it has {keys}"
OPTAX_FIXED = ("{key} is an optax transformation: its hyperparameters are fixed inside it "
               "(build a new one, or use {kind_names} with a dict of hyperparameters)")
ENABLED = "enabled must be a dict {{optimizer name: True or False}} for this race's optimizers, got {value}"
ENABLED_UNKNOWN = "enabled: no optimizer {key!r} in this race: it has {keys}"
SAVE_FUNCTION = ("surface is a Python function, which cannot be saved: use a surface name ({presets}) or the "
                 "formula as text, e.g. r.surface = 'x**2 + 3*y**2'")
SAVE_OPTAX = ("optimizers {keys}: an optax transformation cannot be saved; use one of {kind_names} with a dict of "
              "hyperparameters, e.g. {{'Adam': {{'lr': 0.1}}}}")

# ---- the race tab -----------------------------------------------------------------------------------------
CUSTOM = "custom"
CUSTOM_DESCRIPTION = "f(x, y)"
CUSTOM_PLACEHOLDER = "f(x, y), e.g. x**2 + 3*y**2 + sin(x)"
SURFACE = "surface"
STEPS = "steps"
STEP = "step"
START_X = "start x"
START_Y = "start y"
CONTOUR_TITLE = "{surface}: click to move the start"
#: the preset surfaces as a student reads them (a formula typed by the user is shown as typed)
SURFACE_TITLES = {"dlfs": "x²/20 + y² (DLFS ch. 6)", "quadratic": "0.1·x² + 2·y² (d2l)",
                  "rosenbrock": "Rosenbrock: (1 − x)² + 100·(y − x²)²", "beale": "Beale's function",
                  "himmelblau": "Himmelblau: (x² + y − 11)² + (x + y² − 7)²", "saddle": "saddle: x² − y²"}
LOSS_TITLE = "loss per step"
REACHED_ZERO = "reached 0"
STEP_AXIS = "step"
OPTAX_ROW = "optax transformation (hyperparameters inside it)"
DIVERGED_AT = "diverged at step {step}"
NOT_FINISHED = "—"
BOARD_HEADER = ("optimizer", "loss at step {step}", "x", "y", "loss < {tol:g} at step", "inside the optimizer")
VELOCITY = "velocity b = {b}"
ACCUMULATOR = {"adagrad": "h = Σg² = {h}, lr/√h = {lr}", "rmsprop": "v = avg g² = {h}, lr/√v = {lr}"}
ADAM_MOMENTS = "m = {m}, v = {v}"

# ---- the learning-rate tab --------------------------------------------------------------------------------
BOWLS = ("1-D", "2-D")
BOWL_TITLES = {"1-D": "f(x) = x²", "2-D": "f(x, y) = 0.1·x² + 2·y²"}
LR = "lr"
GD_START = "start"
REGIMES = {"crawls": "crawls: each step keeps most of the distance", "smooth": "converges smoothly",
           "one step": "lands on the minimum in one step", "oscillates": "overshoots and oscillates, but converges",
           "bounces": "bounces between ±x forever", "diverges": "overshoots further every step: diverges"}
VERDICT_1D = "x ← x − lr·{c}x = (1 − {c}·{lr})·x = {factor}·x: {regime} (stable for 0 < lr < {stable})."
Y_REGIMES = {"diverges": "y overshoots and diverges", "bounces": "y overshoots and oscillates",
             "oscillates": "y overshoots and oscillates", "one step": "y converges smoothly",
             "smooth": "y converges smoothly", "crawls": "y converges smoothly"}
VERDICT_2D = ("per step x is multiplied by 1 − {cx}·lr = {fx} and y by 1 − {cy}·lr = {fy}: {y_part}, "
              "and x keeps {kept} of its distance after {steps} steps. One lr for both axes: small enough for the "
              "steep y (lr < {stable}) is far too small for the flat x.")

# ---- the real-model tab -----------------------------------------------------------------------------------
MODELS = (("Iris (softmax regression)", "iris"), ("XOR net", "xor"))
BATCHES = ("full", "mini", "stochastic")
BATCH = "batch"
EPOCHS = "epochs"
TRAIN = "train"
MODEL_TITLES = {"iris": "Iris (120 train, 30 test), softmax regression: training loss per epoch",
                "xor": "XOR, 2-3-1 sigmoid net: training loss per epoch"}
EPOCH_AXIS = "epoch"
ARITHMETIC = ("{n} training samples, batch {b} → ⌈{n}/{b}⌉ = {iters} iterations (updates) per epoch; {epochs} epochs"
              " → {updates:,} updates. (The seeds' example: 500 samples, batch 10 → {seed_iters} iterations per "
              "epoch.)")
MODEL_HEADER = ("optimizer", "lr", "loss after {epochs} epochs", "train accuracy", "test accuracy")
MODEL_LEGEND = "{name}: {loss}"
MODEL_LEGEND_TITLE = "loss after {epochs} epochs"
NO_ACCURACY = "—"
NO_TEST_SET = "XOR has only its 4 points: there is no held-out test set (train accuracy is over those 4)."

# ---- the momentum-theory tab (Distill, "Why Momentum Really Works") ---------------------------------------
CONDITION_RANGE = "{name} must be a condition number κ from 1 to {high:g}, got {value:g}"
THEORY_LR_RANGE = "{name} must be a learning rate above 0 and at most {high:g}, got {value:g}"
MOMENTUM_RANGE = "{name} must be a momentum β with 0 ≤ β < 1, got {value:g}"
CONDITION = "κ"
CONDITION_TOOLTIP = "condition number κ = λmax / λmin of the bowl x²/κ + y²"
THEORY_LR = "lr"
THEORY_MOMENTUM = "momentum"
PATH_STEPS = "steps"
USE_BEST = "use the best lr, momentum"
RATE_TITLE = "convergence rate on x²/κ + y²"
RATE_AXIS_LR = "learning rate α (log scale)"
RATE_AXIS_MOMENTUM = "momentum β"
RATE_BAR = "rate (distance × this per step)"
DIVERGES = "diverges (rate ≥ 1)"
PATHS_TITLE = "x²/{kappa} + y²: {steps} steps from (−7, 2)"
LEGEND_YOU = "momentum (lr, β)"
LEGEND_GD = "plain GD (same lr, β = 0)"
LEGEND_BEST = "best momentum"
LEGEND_BEST_GD = "best plain GD"
LEGEND_RACERS = "dots: the race tab's SGD / Momentum / Nesterov"
CURVATURES = ("κ = {kappa}: the bowl x²/κ + y² curves {lo} along x and {hi} along y (λmin, λmax). Each step "
              "multiplies the distance along an axis by a factor; the slowest axis sets the rate.")
GD_LINE = ("Plain GD, lr {lr}: y × (1 − lr·λmax) = {fy}{zig}, x × (1 − lr·λmin) = {fx} per step: "
           "rate {rate}, {steps} to {tol} of the start's distance.")
ZIGZAG = " (negative: y overshoots and flips sign every step, the zig-zag)"
NO_ZIGZAG = " (no overshoot yet: above lr = 1/λmax = {half} y flips sign every step, the zig-zag)"
MOMENTUM_LINE = ("Momentum, lr {lr}, β {beta}: rate {rate} (the spectral radius of the 2 x 2 iteration matrix), "
                 "{steps}.")
STEPS_TAKEN = "{k} steps"
STEPS_NEVER = "not within {horizon} steps"
BEST_LINE = ("Best plain GD: lr = 2/(λmin + λmax) = {gd_lr}, rate (κ − 1)/(κ + 1) = {gd_rate}. Best momentum: "
             "lr = {lr}, β = {beta}, rate (√κ − 1)/(√κ + 1) = {rate}: momentum needs about √κ times fewer steps.")
