"""``python -m nnwidgets.grade --assignment NAME SUBMISSION.ipynb [...]``: grade outside the student's process."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nnwidgets.i18n import LANGUAGES, check_language, get_language, speaking

from . import notebook, report
from .runner import Options, grade


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m nnwidgets.grade",
        description="Grade notebooks written for nnwidgets.checks: each submission's solution cells run in a "
                    "limited child process; the cases, references and verdict stay in this process.")
    p.add_argument("--assignment", required=True,
                   help=f"a shipped homework ({', '.join(notebook.SHIPPED)}; ko/NAME for its Korean version) "
                        "or an nbgrader source notebook")
    p.add_argument("submissions", nargs="*", type=Path, help="submitted notebooks (.ipynb)")
    p.add_argument("--json", type=Path, help="also write the result as JSON here")
    p.add_argument("--workers", type=int, default=1, help="grade this many submissions at once (default 1)")
    p.add_argument("--timeout", type=float, default=10.0, help="wall-clock seconds per cell and per call (10)")
    p.add_argument("--memory", type=int, default=2048, help="address space of the child in MB (2048)")
    p.add_argument("--scratch-mb", type=int, default=64,
                   help="all files the child writes together, in MB (64; a tmpfs where mount namespaces work)")
    p.add_argument("--nbgrader", type=Path, metavar="COURSE_DIR",
                   help="grade COURSE_DIR/submitted/*/NAME/*.ipynb into the course's gradebook, with feedback")
    p.add_argument("--allow-references", action="store_true",
                   help="do not take points for using reference implementations (scipy, torch, nnwidgets ...)")
    p.add_argument("--language", choices=sorted(LANGUAGES), default=None,
                   help="the language of the feedback and the report: ko or en (default: the language in force, "
                        "from NNWIDGETS_LANG or the locale; scores never depend on it)")
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    for name, value, low in (("--workers", args.workers, 1), ("--timeout", args.timeout, 0.1),
                             ("--memory", args.memory, 256), ("--scratch-mb", args.scratch_mb, 1)):
        if value < low:
            parser().error(f"{name} must be at least {low:g}, got {value:g}")
    try:
        assignment = notebook.load_assignment(args.assignment)
    except ValueError as err:
        parser().error(str(err))
    paths = list(args.submissions)
    course = []
    if args.nbgrader:
        from . import nbgrader  # only with --nbgrader: nbgrader is an optional dependency

        name = nbgrader.assignment_name(assignment.path)
        course = nbgrader.submissions(args.nbgrader, name, assignment.path.stem)
        paths += [path for _, path in course]
    if not paths:
        parser().error("no submissions: give notebooks, or --nbgrader COURSE_DIR with submitted notebooks")
    language = check_language(args.language or get_language())
    options = Options(timeout=args.timeout, memory_mb=args.memory, scratch_mb=args.scratch_mb,
                      allow_references=args.allow_references, language=language)
    result = grade(args.assignment, paths, options, workers=args.workers)
    with speaking(language):
        print(report.table(result))
        if args.json:
            report.write_json(result, args.json)
        if course:
            graded = [(student, path, r) for (student, path), r in zip(course, result["submissions"][-len(course):])]
            nbgrader.write_gradebook(args.nbgrader, name, assignment.tests, graded)
            nbgrader.write_feedback(args.nbgrader, name, graded)
    return 0


if __name__ == "__main__":
    sys.exit(main())
