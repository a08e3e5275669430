"""check_gradient: a hand-derived gradient against jax.grad of the function, at hidden random points."""
from __future__ import annotations

import inspect

import numpy as np

from nnwidgets.i18n import N_, _, gettext

from ._harness import DEFAULT_TIMEOUT, Failure, as_floats, call, close, fixed_rng, seeded_rng, show

_NOT_JAX = N_("check_gradient: fn must be written with jax.numpy so that jax.grad can differentiate it, and it calls "
            "NumPy (or float(), or an if on a value) on the traced argument {name}: write `import jax.numpy as jnp` "
            "and use jnp.exp, jnp.sum, jnp.maximum, jnp.where ... in fn (grad_fn may stay NumPy). JAX said: {error}")


def _reference(jax, fn, names, args):
    """jax.grad of fn at args, or a message saying how to make fn differentiable."""
    try:
        return [np.asarray(e, np.float64) for e in jax.grad(fn, argnums=tuple(range(len(names))))(*args)]
    except (jax.errors.TracerArrayConversionError, jax.errors.ConcretizationTypeError) as err:
        raise AssertionError(gettext(_NOT_JAX).format(name=", ".join(names), error=str(err).splitlines()[0])) from None


def _points(names, shapes, scale, count, rng):
    for _point in range(count):
        yield [np.asarray(rng.normal(0, scale, size=shapes[n])) if shapes[n] else float(rng.normal(0, scale))
               for n in names]


def check_gradient(fn, grad_fn, *, shapes: dict | None = None, cases: int = 6, scale: float = 1.0,
                   allow_inplace: bool = True, seed: int | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
    """``grad_fn(*args)`` must return ∂fn/∂(each argument) at hidden random points.

    ``fn(*args)`` returns one number and is written with ``jax.numpy`` (the reference is ``jax.grad`` in
    float64). ``grad_fn`` returns one gradient per argument, in order (a tuple; a lone value for one argument),
    each shaped like its argument. ``shapes`` gives array arguments' shapes ({"W": (2, 3)}; scalars by default);
    points are drawn from N(0, scale²), ``seed`` adds three more. Tolerance: 1e-6 + 1e-5·|expected|.
    """
    import jax  # the reference; jax is a dependency, imported here so `checks` loads without starting it

    names = [p.name for p in inspect.signature(fn).parameters.values()]
    shapes = {n: tuple((shapes or {}).get(n, ())) for n in names}
    points = list(_points(names, shapes, scale, cases, fixed_rng("gradient-" + ",".join(names))))
    extra = seeded_rng(seed)
    points += list(_points(names, shapes, scale, 3, extra)) if extra else []
    fail = Failure("check_gradient", len(points))
    signature = f"grad_fn({', '.join(names)})"
    with jax.enable_x64(True):
        for k, args in enumerate(points, start=1):
            inputs = ", ".join(f"{n} = {show(a)}" for n, a in zip(names, args))
            expected = _reference(jax, fn, names, args)
            result = call(fail, k, inputs, grad_fn, *args, timeout=timeout, names=names, allow_inplace=allow_inplace,
                          signature=signature)
            got = result if len(names) > 1 else (result,)
            if not isinstance(got, (tuple, list)) or len(got) != len(names):
                fail(k, inputs, _("{count} gradients ({names})").format(
                    count=len(names), names=", ".join("∂f/∂" + n for n in names)), repr(result)[:100],
                     _("return one gradient per argument, as a tuple in the order of fn's arguments"))
            for n, g, e in zip(names, got, expected):
                g = as_floats(fail, k, inputs, g, e.shape, f"∂f/∂{n}")
                if not close(g, e, 1e-5, 1e-6):
                    fail(k, inputs, e, g, _hint(n, g, e), what=f"∂f/∂{n}")
    fail.done()


def _hint(name, got, expected):
    if close(got, -expected, 1e-5, 1e-6):
        return _("∂f/∂{name} has the wrong sign").format(name=name)
    for factor in (2.0, 0.5):
        if close(got, factor * expected, 1e-5, 1e-6):
            return _("∂f/∂{name} is off by a factor of {factor:g} (a power rule's exponent, or a ½?)").format(
                name=name, factor=factor)
    return _("∂f/∂{name} is wrong here: apply the chain rule node by node (nnwidgets.BackpropStepper can show the "
             "steps)").format(name=name)
