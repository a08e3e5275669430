"""check_gradient (a hand-derived gradient against jax.grad) and check_answer (numbers worked out by hand)."""
from __future__ import annotations

import inspect
import math

import numpy as np

from ._basic import _rng
from ._harness import DEFAULT_TIMEOUT, Failure, as_floats, call, close, scalar, show


def check_gradient(fn, grad_fn, *, shapes: dict | None = None, cases: int = 6, scale: float = 1.0,
                   timeout: float = DEFAULT_TIMEOUT) -> None:
    """``grad_fn(*args)`` must return ∂fn/∂(each argument) at hidden random points.

    ``fn(*args)`` returns one number and is written with ``jax.numpy`` (the reference is ``jax.grad`` in
    float64). ``grad_fn`` returns one gradient per argument, in order (a tuple; a lone value for one argument),
    each shaped like its argument. ``shapes`` gives array arguments' shapes ({"W": (2, 3)}; scalars by default);
    points are drawn from N(0, scale²). Tolerance: 1e-6 + 1e-5·|expected|.
    """
    import jax

    names = [p.name for p in inspect.signature(fn).parameters.values()]
    shapes = {n: tuple((shapes or {}).get(n, ())) for n in names}
    rng = _rng("gradient-" + ",".join(names))
    fail = Failure("check_gradient", cases)
    with jax.enable_x64(True):
        reference = jax.grad(fn, argnums=tuple(range(len(names))))
        for k in range(1, cases + 1):
            args = [rng.normal(0, scale, size=shapes[n]) if shapes[n] else float(rng.normal(0, scale)) for n in names]
            args = [np.asarray(a) if shapes[n] else a for a, n in zip(args, names)]
            inputs = ", ".join(f"{n} = {show(a)}" for n, a in zip(names, args))
            expected = [np.asarray(e, np.float64) for e in reference(*args)]
            result = call(fail, k, inputs, grad_fn, *args, timeout=timeout, names=names)
            got = result if len(names) > 1 else (result,)
            if not isinstance(got, (tuple, list)) or len(got) != len(names):
                fail(k, inputs, f"{len(names)} gradients ({', '.join('∂f/∂' + n for n in names)})", repr(result)[:100],
                     "return one gradient per argument, as a tuple in the order of fn's arguments")
            for n, g, e in zip(names, got, expected):
                g = as_floats(fail, k, inputs, g, e.shape, f"∂f/∂{n}")
                if not close(g, e, 1e-5, 1e-6):
                    fail(k, inputs, e, g, _hint(n, g, e), what=f"∂f/∂{n}")


def _hint(name, got, expected):
    if close(got, -expected, 1e-5, 1e-6):
        return f"∂f/∂{name} has the wrong sign"
    for factor in (2.0, 0.5):
        if close(got, factor * expected, 1e-5, 1e-6):
            return f"∂f/∂{name} is off by a factor of {factor:g} (a power rule's exponent, or a ½?)"
    return f"∂f/∂{name} is wrong here: apply the chain rule node by node (nnwidgets.BackpropStepper can show the steps)"


#: Numbers the seeds ask for by hand: name -> (value, tolerance, {wrong value: hint}).
ANSWERS = {
    "seed002_exercise1_cross_entropy": (0.999163, 2e-4, {0.4318: "that is −log10(0.37): cross-entropy uses the "
                                                                  "natural log, ln(0.368188) = −0.999163"}),
    "seed002_exercise1_mse": (0.399187, 2e-4, {0.396: "the slide rounds the probabilities to 0.37 and 0.63 first; "
                                                      "keep softmax's digits (0.368188, 0.631812)"}),
    "seed002_loss_exercise_cross_entropy": (0.505037, 2e-4, {0.096: "that is −log10(0.8) from the slide's rounded "
                                                                    "softmax; e^0.39 is 1.477, not 0.48"}),
    "seed000_iris_cross_entropy": (0.354052, 2e-4, {0.15376: "that is −log10(0.701838): use the natural log"}),
    "seed_cnn_flatten_size": (1960.0, 0.0, {7840.0: "the 2×2 max-pool halves 28×28 to 14×14 before flattening"}),
    "seed_cnn_parameters": (197210.0, 0.0, {197110.0: "conv: 3·3·1·10 + 10 = 100 weights and biases"}),
}


def check_answer(name: str, value) -> None:
    """A number worked out by hand (``ANSWERS`` lists them) against the reference kept in the package."""
    if name not in ANSWERS:
        raise AssertionError(f"check_answer: unknown question {name!r}; known: {', '.join(ANSWERS)}")
    expected, tolerance, slips = ANSWERS[name]
    fail = Failure(f"check_answer({name!r})", 1)
    got = scalar(fail, 1, f"your answer = {value!r}", value, "your answer")
    if not (math.isfinite(got) and abs(got - expected) <= tolerance * max(1.0, abs(expected))):
        hint = next((h for wrong, h in slips.items() if abs(got - wrong) <= 1e-3 * max(1.0, abs(wrong))),
                    "not quite: check each step, keeping 6 significant digits")
        fail(1, f"your answer = {value!r}", hint=hint + f" (your answer {got:g} is not within {tolerance:g} "
                                                     "relative of the expected value)")
