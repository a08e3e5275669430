"""The formula parser: an ast whitelist, never eval. Hostile text is refused with a clear message."""
import jax
import numpy as np
import pytest

from nnwidgets.core.formula import parse_formula

ATTACKS = [
    "jnp.__builtins__['__import__']('os').system('id')",
    "__import__('os').system('id')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__", "x[0]", "[x for x in (1, 2)]", "{x: y}", "lambda: x", "exp.__globals__",
    "open('/etc/passwd')", "eval('1')", "exec('1')", "getattr(x, 'real')", "globals()", "z", "jnp", "np",
    "exp(x=1)", "exp(*[x])", "x if y else 1", "x < y", "x and y", "'text'", "b'bytes'", "1j", "True",
    "(yield x)", "f'{x}'", "x := 1", "x @ y", "x // y", "x % y", "x ^ 2", "~x", "not x", "...", "None",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_every_attempt_to_reach_python_is_refused(text):
    with pytest.raises(ValueError, match=r"^surface .* is not (allowed|a formula)"):
        parse_formula(text, name="surface")


@pytest.mark.parametrize("text, x, y, expected", [
    ("x**2 / 20 + y**2", -7.0, 2.0, 49 / 20 + 4),           # the seeds' f(x, y) = x²/20 + y² (seed 003)
    ("x**2 + 3*y**2", 1.0, 2.0, 13.0),
    ("(1 - x)**2 + 100*(y - x**2)**2", 0.5, 0.5, 0.25 + 100 * 0.0625),
    ("-exp(-(x**2 + y**2)) + 0.1*tanh(x)", 0.3, -0.2, -np.exp(-0.13) + 0.1 * np.tanh(0.3)),
    ("maximum(x, y) + minimum(x, 0) + abs(y) + sqrt(x*x) + log(1 + x*x) + pi + e", 2.0, -1.0,
     2.0 + 0.0 + 1.0 + 2.0 + np.log(5.0) + np.pi + np.e),
    ("sin(x)*cos(y) + tan(0.1) + arctan(x) + sinh(0.5) - cosh(0.5) + log1p(y + 2)", 1.0, -1.0,
     np.sin(1) * np.cos(-1) + np.tan(0.1) + np.arctan(1) + np.sinh(0.5) - np.cosh(0.5) + np.log1p(1.0)),
])
def test_formulas_compute_what_numpy_computes(text, x, y, expected):
    assert float(parse_formula(text)(x, y)) == pytest.approx(expected, rel=1e-6)


def test_a_formula_is_differentiable_and_jittable():
    f = parse_formula("x**2 / 20 + y**2")
    gx, gy = jax.jit(jax.grad(f.fn, argnums=(0, 1)))(-7.0, 2.0)
    assert (float(gx), float(gy)) == pytest.approx((-0.7, 4.0))


def test_sizes_are_capped():
    with pytest.raises(ValueError, match="1 to 300 characters"):
        parse_formula("x + " * 100 + "x")
    with pytest.raises(ValueError, match="finite and at most 1e15"):
        parse_formula("x * 1e400")
