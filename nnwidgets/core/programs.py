"""Compiled programs kept within a budget, so that a kernel's memory does not grow with every setting tried.

``jax.jit(fn, static_argnums=...)`` keeps one compiled program for every value of its static arguments for
as long as the process lives: a student who tries six activations, four initialisations and a few network
shapes in the playground keeps every program compiled for each. They are not small: the training program
of a 6-layer playground network holds about 30 MB (its optimised HLO is 1 MB of text), and lesson 06 grew a
kernel by about 400 MB this way. ``jit`` here is a drop-in for those decorators: each value of the static
arguments gets its own ``jax.jit`` of ``fn`` with those values bound, and only the ``keep`` most recently
used of them are kept (three for the playground's training programs, more for small ones). A program
dropped from the budget is freed with everything JAX cached for it; using it again traces it again and,
with the persistent cache (``nnwidgets.render.compile_cache``), loads the compiled code from disk instead
of compiling it.

A slider that changes only traced values (learning rates, inputs) never leaves the program it uses, so it
never recompiles; only settings that change the static key (an activation, a layer size) can.
"""
from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict

import jax

#: How many programs (values of the static arguments) a function keeps compiled unless it says otherwise
KEEP = 8

_lock = threading.Lock()


def jit(fn=None, *, static_argnums=(), static_argnames=(), keep: int = KEEP):
    """``jax.jit`` with static arguments, keeping only the ``keep`` most recently used programs of ``fn``.

    Usable as ``@partial(jit, static_argnums=0, keep=3)``. Static values must be hashable, as for ``jax.jit``;
    every argument is passed on to the compiled function by name. ``call.programs`` holds the kept programs,
    least recently used first.
    """
    if fn is None:
        return functools.partial(jit, static_argnums=static_argnums, static_argnames=static_argnames, keep=keep)
    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 1:
        raise ValueError(f"keep must be a whole number of at least 1, got {keep!r}")
    signature = inspect.signature(fn)
    names = list(signature.parameters)
    nums = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)
    statics = frozenset([names[i] for i in nums] + ([static_argnames] if isinstance(static_argnames, str)
                                                    else list(static_argnames)))
    programs: OrderedDict = OrderedDict()

    def program(static: tuple):
        with _lock:
            found = programs.get(static)
            if found is None:
                found = programs[static] = jax.jit(functools.partial(fn, **dict(static)))
                while len(programs) > keep:
                    programs.popitem(last=False)
            else:
                programs.move_to_end(static)
        return found

    @functools.wraps(fn)
    def call(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        static = tuple((name, value) for name, value in bound.arguments.items() if name in statics)
        dynamic = {name: value for name, value in bound.arguments.items() if name not in statics}
        return program(static)(**dynamic)

    call.programs = programs
    return call
