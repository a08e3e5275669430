"""The compiled-program budget (``nnwidgets.core.programs``): same results as ``jax.jit``, no recompiles for a
static value still kept, the oldest programs dropped and freed beyond ``keep``."""
import gc
import weakref
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nnwidgets.core import programs
from nnwidgets.core.playground import training
from nnwidgets.panels.playground.state import PlaygroundState


def _power(x, n, scale=1.0):
    return scale * x**n


def test_results_equal_jax_jit_with_static_arguments():
    ours = programs.jit(_power, static_argnums=1, keep=2)
    reference = jax.jit(_power, static_argnums=1)
    x = np.linspace(-2, 2, 7, dtype=np.float32)
    for n in (1, 2, 3):
        np.testing.assert_array_equal(ours(x, n), reference(x, n))
        np.testing.assert_array_equal(ours(x, n, scale=0.5), reference(x, n, scale=0.5))


def test_positional_keyword_and_default_calls_share_one_program(count_compiles):
    ours = programs.jit(_power, static_argnames="n")
    x, y = jnp.arange(3.0), jnp.ones(3)
    ours(x, 2)
    before = count_compiles.count
    ours(x, n=2)
    ours(x=x, n=2, scale=1.0)
    ours(y, 2)
    assert count_compiles.count == before, count_compiles.programs[before:]
    assert len(ours.programs) == 1


def test_the_oldest_program_is_dropped_and_freed_beyond_keep(count_compiles):
    ours = programs.jit(_power, static_argnums=1, keep=2)
    x = jnp.arange(3.0)
    ours(x, 1)
    first = weakref.ref(ours.programs[(("n", 1),)])
    ours(x, 2)
    ours(x, 1)  # 1 is now the most recent: 2 goes next
    ours(x, 3)
    assert list(ours.programs) == [(("n", 1),), (("n", 3),)]
    gc.collect()
    assert first() is not None  # still kept
    dropped = weakref.ref(ours.programs[(("n", 1),)])
    ours(x, 4)
    ours(x, 5)
    gc.collect()
    assert dropped() is None, "a program dropped from the budget must be freed"
    before = count_compiles.count
    np.testing.assert_array_equal(ours(x, 1), np.arange(3.0))  # traced again, same numbers
    assert count_compiles.count == before + 1


def test_used_inside_another_jitted_function():
    inner = programs.jit(_power, static_argnums=1)
    outer = jax.jit(lambda x: inner(x, 2) + inner(x, 3))
    x = np.array([1.0, 2.0], np.float32)
    np.testing.assert_allclose(outer(x), x**2 + x**3, rtol=1e-6)


@pytest.mark.parametrize("keep", [0, -1, 1.5, True, "3"])
def test_keep_must_be_a_whole_number_of_at_least_one(keep):
    with pytest.raises(ValueError, match="keep"):
        programs.jit(_power, static_argnums=1, keep=keep)


def test_decorator_form():
    @partial(programs.jit, static_argnames="n", keep=1)
    def power(x, n):
        return x**n

    assert float(power(3.0, 2)) == 9.0 and float(power(3.0, n=3)) == 27.0
    assert len(power.programs) == 1


def test_the_playground_keeps_three_training_programs_however_many_networks_are_tried():
    for activation in ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu"):
        PlaygroundState(dataset="circle", hidden=(3,), activation=activation).train(2)
    assert len(training._epochs.programs) == 3
    assert [dict(key)["setup"].arch.activation for key in training._epochs.programs] == ["relu", "leaky_relu", "elu"]
