"""check_optimizer: a from-scratch update rule, one step at a time, on NumPy arrays.

Signatures (``w`` parameters, ``g`` their gradient; return the new values, do not change the inputs):
    "sgd"       update(w, g, lr) -> w                      w − lr·g
    "momentum"  update(w, g, v, lr, momentum) -> (w, v)    the book's form: v = momentum·v − lr·g; w = w + v
    "nesterov"  update(w, g, b, lr, momentum) -> (w, b)    PyTorch's: b = momentum·b + g; w = w − lr·(g + momentum·b)
    "adagrad"   update(w, g, h, lr, eps) -> (w, h)         h = h + g²; w = w − lr·g / (√h + eps)
    "rmsprop"   update(w, g, v, lr, rho, eps) -> (w, v)    v = rho·v + (1 − rho)·g²; w = w − lr·g / (√v + eps)
    "adam"      update(w, g, m, v, t, lr, beta1, beta2, eps) -> (w, m, v)
                m = beta1·m + (1 − beta1)·g; v = beta2·v + (1 − beta2)·g²; with t = 1, 2, ... the step number,
                w = w − lr·m̂ / (√v̂ + eps), m̂ = m / (1 − beta1^t), v̂ = v / (1 − beta2^t)
Every accumulator starts at zeros. ``v`` (momentum) is the book's velocity, ``b`` PyTorch's buffer: the two
give the same path (v = −lr·b) for a constant lr.
"""
from __future__ import annotations

import numpy as np

from ._basic import _rng
from ._harness import DEFAULT_TIMEOUT, Failure, as_floats, call, close, show

HYPER = {"sgd": ("lr",), "momentum": ("lr", "momentum"), "nesterov": ("lr", "momentum"), "adagrad": ("lr", "eps"),
         "rmsprop": ("lr", "rho", "eps"), "adam": ("lr", "beta1", "beta2", "eps")}
STATE = {"sgd": (), "momentum": ("v",), "nesterov": ("b",), "adagrad": ("h",), "rmsprop": ("v",), "adam": ("m", "v")}
SETTINGS = {"sgd": [{"lr": 0.1}, {"lr": 0.95}], "momentum": [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.5}],
            "nesterov": [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.5}],
            "adagrad": [{"lr": 1.5, "eps": 1e-7}, {"lr": 0.5, "eps": 0.1}],
            "rmsprop": [{"lr": 0.01, "rho": 0.99, "eps": 1e-8}, {"lr": 0.1, "rho": 0.5, "eps": 0.1}],
            "adam": [{"lr": 0.3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
                     {"lr": 0.1, "beta1": 0.5, "beta2": 0.8, "eps": 0.1}]}
STEPS = 4


def reference_step(kind, w, g, state, t, hp):
    """The rules above in float64: (new w, new state tuple)."""
    if kind == "sgd":
        return w - hp["lr"] * g, ()
    if kind == "momentum":
        v = hp["momentum"] * state[0] - hp["lr"] * g
        return w + v, (v,)
    if kind == "nesterov":
        b = hp["momentum"] * state[0] + g
        return w - hp["lr"] * (g + hp["momentum"] * b), (b,)
    if kind == "adagrad":
        h = state[0] + g * g
        return w - hp["lr"] * g / (np.sqrt(h) + hp["eps"]), (h,)
    if kind == "rmsprop":
        v = hp["rho"] * state[0] + (1 - hp["rho"]) * g * g
        return w - hp["lr"] * g / (np.sqrt(v) + hp["eps"]), (v,)
    m = hp["beta1"] * state[0] + (1 - hp["beta1"]) * g
    v = hp["beta2"] * state[1] + (1 - hp["beta2"]) * g * g
    m_hat, v_hat = m / (1 - hp["beta1"] ** t), v / (1 - hp["beta2"] ** t)
    return w - hp["lr"] * m_hat / (np.sqrt(v_hat) + hp["eps"]), (m, v)


def check_optimizer(name: str, update, *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """``update`` must follow ``name``'s rule (signatures in this module's doc) for several steps in a row.

    Each case starts the accumulators at zero and feeds your own returned state back in, step after step, so
    a slip shows at the step where it happens. Tolerance: 1e-8 + 1e-5·|expected|.
    """
    kind = str(name).lower()
    if kind not in HYPER:
        raise AssertionError(f"check_optimizer: name must be one of {', '.join(HYPER)}, got {name!r}")
    rng = _rng(f"optimizer-{kind}")
    cases = [(hp, rng.normal(size=(STEPS, 3)) * (3 if i else 1)) for i, hp in enumerate(SETTINGS[kind])]
    total = len(cases) * STEPS
    fail = Failure(f"check_optimizer({kind!r})", total)
    for c, (hp, grads) in enumerate(cases):
        w = np.array([-7.0, 2.0, 0.5])
        state = tuple(np.zeros(3) for _ in STATE[kind])
        for t, g in enumerate(grads, start=1):
            k = c * STEPS + t
            args = [w, g, *state] + ([t] if kind == "adam" else []) + [hp[h] for h in HYPER[kind]]
            names = ["w", "g", *STATE[kind]] + (["t"] if kind == "adam" else []) + list(HYPER[kind])
            inputs = ", ".join(f"{n} = {show(a)}" for n, a in zip(names, args))
            result = call(fail, k, inputs, update, *args, timeout=timeout, names=names)
            expected_w, expected_state = reference_step(kind, w, g, state, t, hp)
            outputs = result if STATE[kind] else (result,)
            if not isinstance(outputs, (tuple, list)) or len(outputs) != 1 + len(STATE[kind]):
                fail(k, inputs, f"({', '.join(['w', *STATE[kind]])})", repr(type(result).__name__),
                     f"return {'(w, ' + ', '.join(STATE[kind]) + ')' if STATE[kind] else 'the new w'}")
            new = [as_floats(fail, k, inputs, o, (3,), f"returned {n}") for n, o in zip(["w", *STATE[kind]], outputs)]
            for n, got, expected in zip(["w", *STATE[kind]], new, (expected_w, *expected_state)):
                if not close(got, expected, 1e-5, 1e-8):
                    fail(k, inputs, expected, got, _hint(kind, n, w, g, state, hp, got, expected_w),
                         what=f"step {t}, {n}")
            w, state = new[0], tuple(new[1:])


def _hint(kind, n, w, g, state, hp, got, expected_w):
    def near(value):
        return np.allclose(got, value, rtol=1e-5, atol=1e-8)

    if kind == "momentum" and n in ("v", "w") and near(hp["momentum"] * state[0] + g if n == "v" else
                                                       w - hp["lr"] * (hp["momentum"] * state[0] + g)):
        return ("this is PyTorch's buffer b = momentum·b + g; this exercise uses the book's velocity "
                "v = momentum·v − lr·g and w = w + v")
    if kind == "adagrad" and n == "w" and near(w - hp["lr"] * g / np.sqrt(state[0] + g * g + hp["eps"])):
        return "eps goes outside the square root: g / (√h + eps)"
    if kind == "rmsprop" and n == "w" and near(w - hp["lr"] * g / np.sqrt(hp["rho"] * state[0] + (1 - hp["rho"]) * g * g
                                                                          + hp["eps"])):
        return "eps goes outside the square root: g / (√v + eps)"
    if kind == "adam" and n == "w":
        m = hp["beta1"] * state[0] + (1 - hp["beta1"]) * g
        v = hp["beta2"] * state[1] + (1 - hp["beta2"]) * g * g
        if near(w - hp["lr"] * m / (np.sqrt(v) + hp["eps"])):
            return "correct the bias before the step: m̂ = m / (1 − beta1^t), v̂ = v / (1 − beta2^t)"
    if n == "w" and near(2 * w - expected_w):
        return "the sign is flipped: step against the gradient"
    return f"follow the {kind} rule in the docstring of nnwidgets.checks.check_optimizer"
