"""Grading submissions: the parent's side. Cases, references and verdicts stay here; student code runs in
``Session`` children and is reached only through ``proxy`` stand-ins.

A grade cell scores its points when every ``checks.check_*`` call in it passes. The calls come from the source
notebook (never the submission) and are evaluated here with the student's names bound to stand-ins; each check
gets a secret ``seed`` for this run when it accepts one, and the grader's own secret cases when it does not.
"""
from __future__ import annotations

import ast
import contextlib
import inspect
import io
import json
import multiprocessing
import os
import secrets
import shutil
import sys
import tempfile
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

import nnwidgets
from nnwidgets import checks, i18n
from nnwidgets.checks._harness import CASE_LABELS
from nnwidgets.i18n import LANGUAGES, _, check_language, get_language, gettext, speaking

from . import notebook, proxy, report, scan
from .cases import SECRET
from .sandbox import ChildGone, Limits, readable_stdlib
from .session import Session


@dataclass(frozen=True)
class Options:
    timeout: float = 10.0
    memory_mb: int = 2048
    nproc: int = 64
    scratch_mb: int = 64
    allow_references: bool = False
    seed: int | None = None   # None: a fresh secret per run
    language: str | None = None  # the feedback's language ("ko", "en"); None: the language in force


def _student_view(message: str, produced=()) -> str:
    """What feedback may tell a student: no lines that show cases (input, expected, got) and no text the student's
    code produced while it ran on them (an exception's message can carry a hidden case's numbers)."""
    hidden = []
    for name, text in sorted(produced, key=lambda p: -len(p[1])):
        if text.strip():
            message = message.replace(f"{name}: {text}", _("{name} on a hidden case").format(name=name))
            if len(text.strip()) >= 6:
                message = message.replace(text, _("(text your code produced on a hidden case)"))
                hidden.append(text.strip()[:12])
    case_lines = tuple({gettext(label, language) for label in CASE_LABELS for language in LANGUAGES})
    lines = []
    for line in message.splitlines():
        if line.lstrip().startswith(case_lines):
            continue
        # a check that shortened the student's text: drop the line rather than show what is left of it
        lines.append(_("your code produced text on a hidden case (not shown)") if any(h in line for h in hidden)
                     else line)
    return "\n".join(lines)


def _hidden_folders(source: Path) -> tuple[str, ...]:
    """Folders the child must not read: the source notebook's, the shipped homework, the repository's lessons and
    git history; never one the child needs (Python, nnwidgets, the temporary folder holding its scratch)."""
    package = Path(nnwidgets.__file__).resolve().parent
    needed = [Path(sys.prefix).resolve(), Path(os.__file__).resolve().parent, package,
              Path(tempfile.gettempdir()).resolve()]
    folders = {Path(source).resolve().parent, package / "homework", package.parent / "lessons", package.parent / ".git"}
    folders = {f for f in folders if f.is_dir() and not any(n == f or f in n.parents for n in needed)}
    return tuple(sorted(str(f) for f in folders if not any(g in f.parents for g in folders)))  # outermost only


class Grader:
    """Grades submissions of one assignment in this process (one per worker)."""

    def __init__(self, assignment: str, options: Options, stdlib=None):
        self.assignment = notebook.load_assignment(assignment)
        self.options = options
        self.seed = options.seed if options.seed is not None else secrets.randbits(62)
        self.limits = Limits(timeout=options.timeout, memory_mb=options.memory_mb, nproc=options.nproc,
                             cpu_seconds=int(max(60, 12 * options.timeout)), stdlib=stdlib,
                             scratch_mb=options.scratch_mb, hide=_hidden_folders(self.assignment.path))
        self.student_names = self.assignment.solution_names()
        self.trusted = self._run_setup()

    def _run_setup(self) -> dict:
        """The source's setup cells run here (trusted), for what the test calls use: data, ``loss``, ``checks``.
        A ``nw.set_language("ko")`` in them (the Korean homework) does not last: the grader's language is
        ``--language``."""
        namespace = {"__name__": "__grader__"}
        with i18n.keeping_language():
            for cell in self.assignment.cells:
                tree = notebook.parse(cell.source)
                if cell.role != "setup" or notebook.loaded_names(tree) & self.student_names:
                    continue
                with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(Exception):
                    exec(compile(tree, f"<setup {cell.cell_id}>", "exec"), namespace)
        namespace["checks"] = checks
        return namespace

    def _guard(self) -> dict | None:
        """The child's import guard (defence in depth; the ``ast`` scan decides): the reference modules, what the
        setup cells imported (those stay), and whether JAX's autodiff is replaced."""
        if self.options.allow_references:
            return None
        allowed = {".".join(m.split(".")[:i]) for m in self.assignment.aliases.values()
                   for i in range(1, m.count(".") + 2)}
        return {"modules": list(scan.MODULE_REFERENCES), "allowed": sorted(allowed),
                "autodiff": any(r.startswith("jax.") and r not in scan.MODULE_REFERENCES
                                for r in scan.REFERENCES)}

    def _child_cells(self, solutions: dict) -> list[tuple[str, str]]:
        cells = []
        for cell in self.assignment.cells:
            if cell.role == "solution":
                cells.append((cell.cell_id, solutions[cell.cell_id], False))
            elif cell.role == "setup":
                tree = notebook.parse(cell.source)
                if notebook.bound_names(tree) or not notebook.loaded_names(tree) & self.student_names:
                    cells.append((cell.cell_id, cell.source, True))  # cells that only display results are skipped
        return cells

    def _problems(self, solutions: dict) -> dict:
        """grade_id -> the reasons its check scores 0 before running: references in the cells it depends on (by the
        names they use), and a name of the instructor's cells that the check's call uses and a solution cell
        redefined (the grader uses its own copy anyway; the redefinition is what a student tried)."""
        aliases, order = self.assignment.aliases, self.assignment.cells
        setup_after = {}  # solution cell -> names a later setup cell binds again (those redefinitions do not last)
        for i, cell in enumerate(order):
            if cell.role == "solution":
                setup_after[cell.cell_id] = set().union(*(notebook.bound_names(notebook.parse(c.source))
                                                          for c in order[i + 1:] if c.role == "setup"))
        instructor = self.assignment.setup_names()
        cells = {}
        for cell_id, code in solutions.items():
            tree = notebook.parse(code)
            own_imports = notebook.imports(tree)
            source = next(c.source for c in order if c.cell_id == cell_id)
            redefined = {n for n in notebook.bound_names(tree) & instructor - setup_after[cell_id]
                         if n not in notebook.bound_names(notebook.parse(source))
                         and not (n in own_imports and own_imports[n] == aliases.get(n))}
            used = [] if self.options.allow_references else scan.references(tree, aliases)
            cells[cell_id] = (notebook.bound_names(tree), notebook.loaded_names(tree), used, redefined)
        found = {}
        for test in self.assignment.tests:
            calls, _others = notebook.check_calls(test, aliases)
            wanted = set().union(*(notebook.loaded_names(c) for c in calls)) if calls else set()
            graders = set(wanted)  # the names the grader itself uses for this check
            deps, frontier = set(), set(wanted)
            while frontier:
                new = {cid for cid, (bound, *_rest) in cells.items() if bound & frontier} - deps
                deps |= new
                frontier = set().union(*(cells[c][1] for c in new)) - wanted if new else set()
                wanted |= frontier
            reasons = []
            for cell_id, (_bound, _loaded, used, redefined) in cells.items():
                if cell_id in deps and used:
                    reasons.append(_("cell {cell!r} uses {names}: a library or nnwidgets function that gives the "
                                     "answer away (or an import the grader cannot see); this assignment asks for "
                                     "your own code").format(cell=cell_id, names=", ".join(used)))
                if redefined & graders:
                    reasons.append(_("cell {cell!r} redefines {names}, which the instructor's cells define and this "
                                     "check uses").format(cell=cell_id, names=", ".join(sorted(redefined & graders))))
            found[test.cell_id] = reasons
        return found

    def grade(self, path) -> dict:
        """One submission's result, its messages in ``options.language`` (the points never depend on it)."""
        with speaking(self.options.language):
            return self._grade_file(path)

    def _grade_file(self, path) -> dict:
        result = {"path": str(path), "score": 0.0, "max_score": sum(t.points for t in self.assignment.tests),
                  "checks": [], "error": None}
        try:
            solutions = notebook.submitted_solutions(self.assignment, Path(path))
        except Exception as err:  # noqa: BLE001 - a hostile or broken file costs only its own submission
            result["error"] = _("could not read the notebook: {error}").format(error=f"{type(err).__name__}: {err}")
            return result
        try:
            return self._grade(solutions, result)
        except Exception as err:  # noqa: BLE001 - whatever goes wrong costs this submission, never the run
            result["checks"], result["score"] = [], 0.0
            result["error"] = _("grading this notebook stopped: {error}").format(
                error=f"{type(err).__name__}: {str(err)[:300]}")
            return result

    def _grade(self, solutions: dict, result: dict) -> dict:
        problems = self._problems(solutions)
        session = Session(self.limits, self._child_cells(solutions), self._guard())
        try:
            for test in self.assignment.tests:
                session.produced = []
                passed, message = (False, "; ".join(problems[test.cell_id])) if problems[test.cell_id] else \
                    self._run_test(test, session)
                result["checks"].append({"name": test.cell_id, "points": test.points if passed else 0.0,
                                         "max_points": test.points, "passed": passed, "message": message,
                                         "feedback": _student_view(message, session.produced)})
        except ChildGone as gone:  # the child could not even start
            result["error"] = str(gone)
        finally:
            session.close()
        result["sandbox"] = session.applied
        result["score"] = sum(c["points"] for c in result["checks"])
        return result

    def _run_test(self, test, session: Session) -> tuple[bool, str]:
        """(passed, message): a failure's message, or a pass's notes (empty when there are none)."""
        calls, others = notebook.check_calls(test, self.assignment.aliases)
        if not calls:
            return False, _("this grade cell calls no nnwidgets.checks function, so nnwidgets.grade cannot grade it "
                            "(it has: {others}); grade it with nbgrader autograde").format(others="; ".join(others))
        notes = []
        for call in calls:
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    self._run_call(call, session)
                notes += [str(w.message) for w in caught if type(w.message).__name__ == "CheckNote"]
            except AssertionError as failed:
                return False, str(failed)
            except (proxy.Missing, ChildGone) as err:
                return False, str(err)
            except Exception as err:  # noqa: BLE001 - e.g. a student value that is not what the call needs
                return False, f"{ast.unparse(call)[:80]}: {type(err).__name__}: {err}"
        notes += [_("not checked here: {others}").format(others="; ".join(others))] if others else []
        return True, _("note: {notes}").format(notes="\n".join(notes)) if notes else ""

    def _run_call(self, call: ast.Call, session: Session) -> None:
        name = (notebook.dotted(call.func) or "").rsplit(".", 1)[-1]
        check = getattr(checks, name)
        parameters = inspect.signature(check).parameters
        given = {k.arg for k in call.keywords}
        extra = {}
        if "timeout" in parameters and "timeout" not in given:
            extra["timeout"] = self.options.timeout + 2  # the sandbox's own limit fires first
        if "seed" in parameters and "seed" not in given:
            extra["seed"] = self.seed
        namespace = dict(self.trusted)
        for student_name in sorted(notebook.loaded_names(call) & self.student_names):
            namespace[student_name] = proxy.bind(session, student_name)
        arguments = {}

        def grab(*args, **kwargs):
            arguments["args"] = args
            return check(*args, **kwargs, **extra)

        expression = ast.Expression(ast.Call(func=ast.Name("__check__", ast.Load()), args=call.args,
                                             keywords=call.keywords))
        namespace["__check__"] = grab
        eval(compile(ast.fix_missing_locations(expression), "<test>", "eval"), namespace)
        if name in SECRET and "seed" not in parameters:
            cases, index = SECRET[name]
            rng = np.random.default_rng([self.seed, sum(map(ord, name))])
            cases(arguments["args"][index], rng)


_WORKER: Grader | None = None


def _start_worker(assignment, options, stdlib):
    global _WORKER
    _WORKER = Grader(assignment, options, stdlib)


def _grade_in_worker(path):
    return _WORKER.grade(path)


def grade(assignment: str, paths, options: Options = Options(), workers: int = 1) -> dict:
    """Grades every notebook in ``paths``: ``{"assignment", "submissions": [...]}`` (the JSON of the CLI)."""
    options = replace(options, seed=options.seed if options.seed is not None else secrets.randbits(62),
                      language=check_language(options.language or get_language()))
    stdlib = readable_stdlib()
    try:
        if workers <= 1:
            grader = Grader(assignment, options, stdlib)
            submissions = [grader.grade(p) for p in paths]
        else:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                     initargs=(assignment, options, stdlib)) as pool:
                submissions = list(pool.map(_grade_in_worker, [str(p) for p in paths]))
    finally:
        if stdlib:
            shutil.rmtree(Path(stdlib[1]).parent, ignore_errors=True)
    submissions = [report.cleaned(s) for s in submissions]  # no terminal escapes from students, anywhere
    isolation = sorted({json.dumps(s.get("sandbox"), sort_keys=True) for s in submissions if s.get("sandbox")})
    return {"assignment": assignment, "submissions": submissions, "sandbox": [json.loads(i) for i in isolation]}

