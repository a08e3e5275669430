"""Defence in depth in the child, after the instructor's setup cells and before the student's: refuse the
reference modules the assignment forbids and make JAX's autodiff raise (standard library only).

This is NOT a security boundary: it runs in the student's own process, so determined code can undo it (or copy
a library's source). The ``ast`` scan in ``scan.references`` and the parent's verdict are what grade.
"""
from __future__ import annotations

import importlib.abc
import sys
import types

#: JAX's automatic differentiation: replaced when the assignment asks for hand-derived gradients
AUTODIFF = ("grad", "vjp", "jvp", "jacobian", "jacfwd", "jacrev", "value_and_grad", "hessian", "linearize")


class Refused(ImportError):
    pass


def _matches(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _refusing(name: str):
    def refused(*args, **kwargs):
        raise Refused(f"{name} is a reference implementation this assignment asks you to write yourself")

    refused.__name__ = name.rsplit(".", 1)[-1]
    return refused


class _Stub(types.ModuleType):
    def __getattr__(self, attribute):
        raise Refused(f"{self.__name__} is a reference implementation this assignment asks you to write yourself")


class _AfterLoader(importlib.abc.Loader):
    """Runs the real loader with refusals off (a library may import what it needs), then sweeps again."""

    def __init__(self, guard: Guard, loader):
        self.guard, self.loader = guard, loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.guard.depth += 1
        try:
            self.loader.exec_module(module)
        finally:
            self.guard.depth -= 1
        if not self.guard.depth:
            self.guard.sweep()


class Guard(importlib.abc.MetaPathFinder):
    def __init__(self, modules, allowed, autodiff: bool):
        self.modules = tuple(modules)      # forbidden module prefixes (scipy.special, torch, jax.nn ...)
        self.allowed = set(allowed)        # what the setup cells imported by name, with their packages
        self.autodiff = autodiff           # replace jax.grad and friends
        self.depth, self.trusted = 0, False

    def forbidden(self, name: str) -> bool:
        return _matches(name, self.modules) and name not in self.allowed

    def find_spec(self, name, path, target=None):
        if self.trusted:
            return None
        if self.depth == 0 and self.forbidden(name):
            raise Refused(f"import {name}: a reference implementation this assignment asks you to write yourself")
        if self.depth:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _AfterLoader(self, spec.loader)
                return spec
        return None

    def sweep(self) -> None:
        """Stubs forbidden modules that came in as a side effect; replaces autodiff in a loaded jax."""
        for name in [n for n in sys.modules if self.forbidden(n) and not isinstance(sys.modules[n], _Stub)]:
            stub = _Stub(name)
            sys.modules[name] = stub
            parent, _, child = name.rpartition(".")
            if parent in sys.modules and not isinstance(sys.modules[parent], _Stub):
                try:
                    setattr(sys.modules[parent], child, stub)
                except (AttributeError, TypeError):
                    pass
        jax = sys.modules.get("jax")
        if self.autodiff and jax is not None and not isinstance(jax, _Stub):
            for name in AUTODIFF:
                if hasattr(jax, name) and getattr(getattr(jax, name), "__name__", "") != name + "_refused":
                    refused = _refusing(f"jax.{name}")
                    refused.__name__ = name + "_refused"
                    setattr(jax, name, refused)


def install(modules, allowed, autodiff: bool) -> Guard:
    """``allowed``: the modules the setup cells imported by name; nnwidgets modules loaded by now stay usable."""
    loaded = {n for n in sys.modules if n == "nnwidgets" or n.startswith("nnwidgets.")}
    guard = Guard(modules, set(allowed) | loaded, autodiff)
    guard.sweep()
    sys.meta_path.insert(0, guard)
    return guard
