"""The architecture the README promises: maths in core, one package per panel (state, view, text), no cycles."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nnwidgets"
PANELS = sorted(p.name for p in (PACKAGE / "panels").iterdir() if p.is_dir() and (p / "__init__.py").exists())


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The nnwidgets modules ``path`` imports (relative imports resolved), at any depth of the file."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + (node.module.split(".") if node.module else []))
            names = [f"{target}.{a.name}" for a in node.names]
            found |= {n for n in names if n.startswith("nnwidgets")} | ({target} if target.startswith("nnwidgets")
                                                                           else set())
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("nnwidgets")}
    return found


GRAPH = {module_name(p): p for p in PACKAGE.rglob("*.py")}
EDGES = {name: {m for m in imports(path) if m in GRAPH and m != name} for name, path in GRAPH.items()}


def test_no_module_imports_itself_in_a_circle():
    state, cycles = {}, []

    def visit(node, trail):
        state[node] = "open"
        for nxt in EDGES[node]:
            if state.get(nxt) == "open" and not nxt.startswith(node):  # a package importing its own parts is fine
                cycles.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for node in sorted(EDGES):
        if node not in state:
            visit(node, [node])
    cycles = [c for c in cycles if not all(c[0].startswith(m) or m.startswith(c[0]) for m in c)]
    assert not cycles, cycles


def test_core_knows_nothing_of_widgets_or_panels():
    for name, path in GRAPH.items():
        if name.startswith("nnwidgets.core"):
            text = path.read_text()
            assert "ipywidgets" not in text and "matplotlib" not in text, name
            assert not any(m.startswith("nnwidgets.panels") for m in EDGES[name]), name


@pytest.mark.parametrize("panel", PANELS)
def test_each_panel_is_a_package_with_state_view_and_text(panel):
    folder = PACKAGE / "panels" / panel
    assert {"state.py", "view.py", "text.py"} <= {p.name for p in folder.iterdir()}
    prefix = f"nnwidgets.panels.{panel}"
    states = [m for m in GRAPH if m.startswith(prefix) and "state" in m.rsplit(".", 1)[-1]]
    for state in states:
        assert not any("view" in m.rsplit(".", 1)[-1] for m in EDGES[state]), f"{state} imports a view"
    for name, path in GRAPH.items():
        if name.startswith(prefix):
            assert len(path.read_text().splitlines()) < 400, f"{name} is over 400 lines"
