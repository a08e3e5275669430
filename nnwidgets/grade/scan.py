"""What the submitted code reaches for, read with ``ast``: known references (library or nnwidgets functions that
give the answer away) and the dynamic access that could hide one. Static: see ``guard`` for the child's side."""
from __future__ import annotations

import ast

from .notebook import dotted, imports

#: Dotted names whose use hands the answer over (prefix match), with how a message names them.
REFERENCES = ("nnwidgets", "scipy.special", "jax.nn", "jax.grad", "jax.value_and_grad", "jax.vjp", "jax.jvp",
              "jax.jacobian", "jax.jacfwd", "jax.jacrev", "jax.hessian", "jax.linearize", "jax.scipy.special",
              "torch", "sklearn", "tensorflow", "keras", "optax", "flax", "autograd")
#: Names that hide what is imported or run, so the scan above could not see a reference behind them.
DYNAMIC = ("__import__", "importlib", "pkgutil", "runpy", "sys.modules", "exec", "eval", "compile", "builtins",
           "__builtins__", "vars", "globals", "locals")
#: The references that are modules (the child's import guard refuses them; the rest are JAX's autodiff functions)
MODULE_REFERENCES = tuple(r for r in REFERENCES if not r.startswith("jax.") or r in ("jax.nn", "jax.scipy.special"))


def _matches(name: str, prefixes) -> str | None:
    return next((p for p in prefixes if name == p or name.startswith(p + ".")), None)


def _heads() -> set:
    """Modules that hold a reference one level or more down (``scipy`` for ``scipy.special``, ``jax``)."""
    return {".".join(r.split(".")[:i]) for r in REFERENCES for i in range(1, r.count(".") + 1)}


def _dynamic_access(node, aliases: dict) -> list[str]:
    """Reaching into an imported module by a computed name: ``getattr(scipy, 'spec' + 'ial')``,
    ``getattr(jax, 'grad')``, ``scipy.__dict__[...]``; a reference, or dynamic access the scan cannot follow."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "hasattr") \
            and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in aliases:
        module = aliases[node.args[0].id]
        name = node.args[1] if len(node.args) > 1 else None
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            spelled = f"{module}.{name.value}"
            return [spelled] if _matches(spelled, REFERENCES) or _matches(spelled, DYNAMIC) else []
        return [f"getattr({module}, <a computed name>)"]
    if isinstance(node, ast.Attribute) and node.attr == "__dict__":
        return [f"{dotted(node) or ast.unparse(node)[:40]} (dynamic access)"]
    return []


def references(tree: ast.AST, aliases: dict) -> list[str]:
    """The known references a cell imports or uses, as dotted names (``scipy.special.softmax``), in order;
    dynamic access that could hide one counts too (``importlib``, ``getattr(scipy, name)``, ``pkgutil``)."""
    aliases = {**aliases, **imports(tree)}
    heads = _heads()
    attribute_values = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    found = []
    for node in ast.walk(tree):
        names = _dynamic_access(node, aliases)
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, (ast.Attribute, ast.Name)) and isinstance(node.ctx, ast.Load):
            spelled = dotted(node)
            if spelled:
                head, _, rest = spelled.partition(".")
                names = [aliases[head] + ("." + rest if rest else "") if head in aliases else spelled]
            if isinstance(node, ast.Name) and id(node) not in attribute_values and aliases.get(node.id) in heads:
                # a module that holds a reference, handed around whole (``m = scipy``, ``getattr(jax, f)``)
                names = [f"{aliases[node.id]} (the whole module, used dynamically)"]
        for name in names:
            hit = " " in name or _matches(name, REFERENCES) or _matches(name, DYNAMIC)
            if hit and name not in found:
                found.append(name)
    # keep the longest spelling of each use (scipy.special.softmax rather than scipy.special)
    return [f for f in found if not any(g != f and g.startswith(f + ".") for g in found)]
