"""The standard forms of each update rule, in float64, named so a check can say which one a student wrote.

Momentum and Nesterov forms differ in what the state holds (the book's velocity v = −lr·b, PyTorch's buffer b,
or v = lr·b) and give the same parameter path for a constant lr, except the book's own Nesterov. AdaGrad and
RMSprop put eps outside or inside the square root; Adam comes in the standard form and the paper's
"efficient" one (bias correction folded into the learning rate, eps on the uncorrected root).
"""
from __future__ import annotations

import numpy as np

from nnwidgets.i18n import N_

VARIANTS = {
    "sgd": {"plain": "w = w − lr·g"},
    "momentum": {
        "velocity": N_("the book's velocity form (v = momentum·v − lr·g; w = w + v)"),
        "buffer": N_("PyTorch's buffer form (b = momentum·b + g; w = w − lr·b)"),
        "positive_velocity": N_("the form v = momentum·v + lr·g; w = w − v"),
    },
    "nesterov": {
        "buffer": N_("PyTorch's form (b = momentum·b + g; w = w − lr·(g + momentum·b))"),
        "velocity": N_("the velocity form of CS231n and Keras (v = momentum·v − lr·g; w = w + momentum·v − lr·g)"),
        "positive_velocity": N_("the form v = momentum·v + lr·g; w = w − momentum·v − lr·g"),
        "dlfs": N_("the book's common/optimizer.py form "
                   "(v = momentum·v − lr·g; w = w + momentum²·v − (1 + momentum)·lr·g)"),
    },
    "adagrad": {"eps_outside": N_("eps outside the square root: h = h + g²; w = w − lr·g / (√h + eps)"),
                "eps_inside": N_("eps inside the square root: h = h + g²; w = w − lr·g / √(h + eps)")},
    "rmsprop": {"eps_outside": N_("eps outside the square root: v = rho·v + (1 − rho)·g²; w = w − lr·g / (√v + eps)"),
                "eps_inside": N_("eps inside the square root: v = rho·v + (1 − rho)·g²; w = w − lr·g / √(v + eps)")},
    "adam": {"standard": N_("the standard form "
                            "(w = w − lr·m̂ / (√v̂ + eps), m̂ = m / (1 − beta1^t), v̂ = v / (1 − beta2^t))"),
             "efficient": N_("the paper's efficient form (w = w − lr·√(1 − beta2^t) / (1 − beta1^t)·m / (√v + eps))")},
}
ADAPTIVE = ("adagrad", "rmsprop", "adam")


def _adaptive(kind, variant, g, state, t, hp):
    """(effective lr, numerator, accumulator under the root, new state) of an eps-carrying rule."""
    if kind == "adagrad":
        h = state[0] + g * g
        return hp["lr"], g, h, (h,)
    if kind == "rmsprop":
        v = hp["rho"] * state[0] + (1 - hp["rho"]) * g * g
        return hp["lr"], g, v, (v,)
    m = hp["beta1"] * state[0] + (1 - hp["beta1"]) * g
    v = hp["beta2"] * state[1] + (1 - hp["beta2"]) * g * g
    c1, c2 = 1 - hp["beta1"] ** t, 1 - hp["beta2"] ** t
    if variant == "efficient":
        return hp["lr"] * np.sqrt(c2) / c1, m, v, (m, v)
    return hp["lr"], m / c1, v / c2, (m, v)


def reference_step(kind, w, g, state, t, hp, variant=None, eps=None):
    """One step of ``kind``'s ``variant`` (default: the first listed) in float64: (new w, new state tuple)."""
    variant = variant or next(iter(VARIANTS[kind]))
    if kind == "sgd":
        return w - hp["lr"] * g, ()
    if kind in ADAPTIVE:
        eps = hp["eps"] if eps is None else eps
        lr, u, a, new_state = _adaptive(kind, variant, g, state, t, hp)
        root = np.sqrt(a + eps) if variant == "eps_inside" else np.sqrt(a) + eps
        return w - lr * u / root, new_state
    lr, mu = hp["lr"], hp["momentum"]
    scale = {"velocity": -lr, "buffer": 1.0, "positive_velocity": lr, "dlfs": -lr}[variant]
    buffer = mu * state[0] / scale + g  # every state form is a multiple of PyTorch's buffer
    if kind == "momentum":
        return w - lr * buffer, (scale * buffer,)
    if variant == "dlfs":
        v = -lr * buffer
        return w + mu * mu * v - (1 + mu) * lr * g, (v,)
    return w - lr * (g + mu * buffer), (scale * buffer,)


def fixed_eps(kind, variant, w, new_w, g, state, t, hp):
    """The eps a code that ignores the eps argument must have used for this step (None if no small eps fits).

    Solved from the step of the entry that feels eps most; code fixes eps at a power of ten (the book's 1e-7,
    PyTorch's 1e-8 ...) or 0, so only those count as found.
    """
    if kind not in ADAPTIVE:
        return None
    lr, u, a, _ = _adaptive(kind, variant, g, state, t, hp)
    step = w - new_w
    usable = (np.abs(step) > 1e-12) & (np.abs(u) > 1e-12) & (a > 0)
    if not np.any(usable):
        return None
    i = np.flatnonzero(usable)[np.argmin(a[usable])]
    root = lr * u[i] / step[i]
    eps = root * root - a[i] if variant == "eps_inside" else root - np.sqrt(a[i])
    if not (np.isfinite(eps) and -1e-12 <= eps <= 1.5e-4):
        return None
    if eps < 1e-12:
        return 0.0
    power = 10.0 ** round(float(np.log10(eps)))
    return power if abs(eps / power - 1) < 0.05 else None
