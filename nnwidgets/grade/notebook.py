"""Reading the instructor's source notebook and a submission: cell roles, and what ``ast`` says about the code.

Roles come from the source's nbgrader metadata: ``solution`` cells are the student's (taken from the
submission, matched by ``grade_id``), ``grade`` cells are tests (never run; only their ``checks.check_*`` calls
are read), every other code cell is the instructor's setup (always taken from the source).
"""
from __future__ import annotations

import ast
import json
import re
import symtable
from dataclasses import dataclass, field
from pathlib import Path

import nnwidgets

SHIPPED = ("hw01_perceptron", "hw02_softmax_loss", "hw03_backprop", "hw04_optimizers", "hw05_conv_shapes")


@dataclass
class Cell:
    role: str            # "setup", "solution" or "test"
    cell_id: str
    source: str
    points: float = 0.0


@dataclass
class Assignment:
    name: str
    path: Path
    cells: list[Cell]
    aliases: dict = field(default_factory=dict)   # names the setup cells import -> dotted module path
    otter: bool = False                           # an otter-grader master notebook (answers: otter_answer_cell)

    @property
    def tests(self) -> list[Cell]:
        return [c for c in self.cells if c.role == "test"]

    def setup_names(self) -> set:
        return set().union(*(bound_names(parse(c.source)) for c in self.cells if c.role == "setup"))

    def solution_names(self) -> set:
        return set().union(*(bound_names(parse(c.source)) for c in self.cells if c.role == "solution"))


def homework_folder() -> Path:
    """Where the shipped homework lives: inside the package if installed as data, else the repository."""
    inside = Path(nnwidgets.__file__).parent / "homework"
    return inside if inside.is_dir() else Path(nnwidgets.__file__).resolve().parents[1] / "lessons" / "homework"


def _code(cell: dict) -> str:
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else str(source)
    # IPython magics and shell escapes are not Python: comment them out
    return re.sub(r"(?m)^(\s*)([%!])", r"\1# \2", source)


def shipped_path(name: str) -> Path | None:
    """A shipped homework's notebook: ``hw02_softmax_loss``, or its Korean version ``ko/hw02_softmax_loss``."""
    folder, slash, stem = name.rpartition("/")
    if stem in SHIPPED and (not slash or folder == "ko"):
        return homework_folder() / folder / f"{stem}.ipynb"
    return None


def load_assignment(name: str) -> Assignment:
    path = shipped_path(name) or Path(name)
    if not path.is_file():
        raise ValueError(f"--assignment: {name!r} is neither a shipped homework ({', '.join(SHIPPED)}) "
                         "nor the path of an nbgrader source notebook")
    notebook = json.loads(path.read_text(encoding="utf-8"))
    otter = any(cell.get("cell_type") == "raw" and _code(cell).lstrip().startswith("# ASSIGNMENT CONFIG")
                for cell in notebook.get("cells", []))
    cells = _otter_cells(notebook) if otter else _nbgrader_cells(notebook)
    if not any(c.role == "test" for c in cells):
        raise ValueError(f"--assignment: {path} has no nbgrader grade cells (metadata nbgrader.grade = true) "
                         "and is not an otter-grader master notebook with tests")
    assignment = Assignment(path.stem if name not in SHIPPED else name, path, cells, otter=otter)
    for cell in cells:
        if cell.role == "setup":
            assignment.aliases.update(imports(parse(cell.source)))
    return assignment


def _nbgrader_cells(notebook: dict) -> list[Cell]:
    cells = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        cell_id = meta.get("grade_id", f"cell-{index}")
        if meta.get("solution"):  # with grade too it is a manually graded answer: run, not graded here
            cells.append(Cell("solution", cell_id, _code(cell)))
        elif meta.get("grade"):
            cells.append(Cell("test", cell_id, _code(cell), float(meta.get("points", 0))))
        else:
            cells.append(Cell("setup", cell_id, _code(cell)))
    return cells


def _otter_cells(notebook: dict) -> list[Cell]:
    """An otter master notebook: each question's solution cells, then one test cell with all its tests (the
    question's points, all or nothing); every other code cell is setup."""
    cells, question, points, block, answers = [], None, 0.0, None, 0
    for cell in notebook.get("cells", []):
        text = _code(cell)
        if cell.get("cell_type") == "raw":
            marker = text.strip().splitlines()[0].strip().upper() if text.strip() else ""
            if marker == "# BEGIN QUESTION":
                config = dict(line.split(":", 1) for line in text.splitlines()[1:] if ":" in line)
                question = config.get("name", f"q{len(cells)}").strip()
                points, block = float(config.get("points", 1) or 1), None
            elif marker in ("# BEGIN SOLUTION", "# BEGIN TESTS"):
                block = marker.split()[-1].lower()
                if block == "tests":
                    cells.append(Cell("test", question, "", points))
            elif marker in ("# END SOLUTION", "# END TESTS", "# END QUESTION"):
                block = None
        elif cell.get("cell_type") == "code":
            if block == "solution":
                cells.append(Cell("solution", f"answer-{answers}", text))
                answers += 1
            elif block == "tests":
                cells[-1].source += text + "\n"
            else:
                cells.append(Cell("setup", f"cell-{len(cells)}", text))
    return cells


def _shape_error(where: str, what: str) -> ValueError:
    return ValueError(f"the notebook is not in Jupyter's format: {where} is not {what}")


def _cells_of(notebook) -> list[dict]:
    """The code cells of a submission, each with ``metadata`` as a dict; ValueError (one sentence) when the JSON
    has another shape."""
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells", []), list):
        raise _shape_error("the top level", "an object with a list of cells")
    cells = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if not isinstance(cell, dict):
            raise _shape_error(f"cell {index}", "an object")
        meta = cell.get("metadata", {})
        if not isinstance(meta, dict) or not isinstance(meta.get("nbgrader", {}), dict) \
                or not isinstance(meta.get("tags", []), list):
            raise _shape_error(f"the metadata of cell {index}", "an object with an nbgrader object and a tag list")
        grade_id = meta.get("nbgrader", {}).get("grade_id")
        if grade_id is not None and not isinstance(grade_id, str):
            raise _shape_error(f"the grade_id of cell {index}", "a string")
        source = cell.get("source", "")
        if not (isinstance(source, str) or isinstance(source, list) and all(isinstance(s, str) for s in source)):
            raise _shape_error(f"the source of cell {index}", "text")
        if cell.get("cell_type") == "code":
            cells.append(cell)
    return cells


def submitted_solutions(assignment: Assignment, path: Path) -> dict:
    """grade_id -> the student's code for each solution cell of the source ("" when missing).

    Raises ValueError (or OSError) with one sentence when the file is not a notebook of the expected shape."""
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    except RecursionError:
        raise ValueError("the notebook's JSON is nested too deep") from None
    cells = _cells_of(notebook)
    if assignment.otter:  # otter assign tags the answer cells, in the master's order
        answers = [_code(c) for c in cells if "otter_answer_cell" in c.get("metadata", {}).get("tags", [])]
        return {f"answer-{i}": answers[i] if i < len(answers) else "" for i, c in
                enumerate(c for c in assignment.cells if c.role == "solution")}
    found = {}
    for cell in cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id is not None:
            found.setdefault(grade_id, _code(cell))
    return {c.cell_id: found.get(c.cell_id, "") for c in assignment.cells if c.role == "solution"}


def parse(source: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[])


def bound_names(tree: ast.AST) -> set:
    """Names a cell binds at the top level (assignments, def, class, import, for/with targets, ``global``)."""
    names = set()

    def visit(node, top):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if top:
                names.add(node.name)
            top = False
        elif isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            top = False
        elif isinstance(node, ast.Global):
            names.update(node.names)
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and top:
            names.update(imports(node).keys())
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)) and top:
            names.add(node.id)
        for child in ast.iter_child_nodes(node):
            visit(child, top)

    visit(tree, True)
    return names


def loaded_names(tree: ast.AST) -> set:
    """Global names the code reads (``symtable``: a function's parameters and locals are not counted)."""
    def free(table, top):
        names = {s.get_name() for s in table.get_symbols() if s.is_referenced() and (top or s.is_global())}
        return names.union(*(free(child, False) for child in table.get_children()))

    return free(symtable.symtable(ast.unparse(tree), "<cell>", "exec"), True)


def imports(tree: ast.AST) -> dict:
    """name -> dotted module path for every import in ``tree``."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else \
                    alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def dotted(node) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def check_calls(test: Cell, aliases: dict) -> tuple[list[ast.Call], list[str]]:
    """The ``nnwidgets.checks`` calls a test cell makes, and the statements it makes that are not such calls."""
    aliases = {**aliases, **imports(parse(test.source))}
    calls, others = [], []
    for statement in parse(test.source).body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            head, _, rest = (dotted(statement.value.func) or "").partition(".")
            full = aliases.get(head, head) + ("." + rest if rest else "")
            if full.startswith("nnwidgets.checks.check_"):
                calls.append(statement.value)
                continue
        others.append(ast.unparse(statement).splitlines()[0][:80])
    return calls, others
