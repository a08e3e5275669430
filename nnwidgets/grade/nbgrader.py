"""``--nbgrader COURSE_DIR``: grade ``submitted/<student>/NAME/*.ipynb``, write the scores into the course's
gradebook (so ``nbgrader export`` and formgrader show them) and a feedback page per student and notebook.

The gradebook gets the assignment, the notebook and one grade cell per source grade cell if they are missing;
each grade's ``auto_score`` is set to the points this grader gave. Feedback pages hold the checks' messages
without the lines that show cases (inputs, expected values): the hidden and secret cases stay with the grader.
"""
from __future__ import annotations

import html
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from nnwidgets.i18n import _, get_language


def assignment_name(source: Path) -> str:
    """nbgrader's name for the assignment of a source notebook: its folder in ``source/``, else the file's stem."""
    source = Path(source)
    return source.parent.name if source.parent.parent.name == "source" else source.stem


def submissions(course: Path, name: str, notebook: str) -> list[tuple[str, Path]]:
    """(student id, path) for every submitted copy of ``notebook`` (a stem) in assignment ``name``."""
    return sorted((path.parents[1].name, path) for path in Path(course).glob(f"submitted/*/{name}/{notebook}.ipynb"))


def _grade_cells(gradebook, name: str, notebook: str, tests) -> None:
    gradebook.update_or_create_assignment(name)
    gradebook.update_or_create_notebook(notebook, name)
    for test in tests:
        gradebook.update_or_create_grade_cell(test.cell_id, notebook, name, max_score=test.points, cell_type="code")


def write_gradebook(course: Path, name: str, tests, graded: list[tuple[str, Path, dict]]) -> None:
    """Scores of ``graded`` ((student, notebook path, result) triples) into ``course``'s gradebook.db."""
    with Gradebook(f"sqlite:///{Path(course).resolve() / 'gradebook.db'}") as gradebook:
        for notebook in sorted({path.stem for _, path, _ in graded}):
            _grade_cells(gradebook, name, notebook, tests)
        for student, path, result in graded:
            gradebook.update_or_create_student(student)
            gradebook.update_or_create_submission(name, student)
            try:
                grades = [gradebook.find_grade(c["name"], path.stem, name, student) for c in result["checks"]]
            except MissingEntry:  # a submission made before these grade cells existed: rebuild its structure
                gradebook.remove_submission(name, student)
                gradebook.add_submission(name, student)
                grades = [gradebook.find_grade(c["name"], path.stem, name, student) for c in result["checks"]]
            for grade, check in zip(grades, result["checks"]):
                grade.auto_score = check["points"]
            gradebook.db.commit()


def feedback_html(name: str, student: str, result: dict) -> str:
    """The student's feedback page, in the language in force (the grader's ``--language``)."""
    passed, failed = _("passed"), _("failed")
    rows = "\n".join(
        f"<tr><td>{html.escape(c['name'])}</td><td>{c['points']:g} / {c['max_points']:g}</td>"
        f"<td>{passed if c['passed'] else failed}</td><td><pre>{html.escape(c['feedback'])}</pre></td></tr>"
        for c in result["checks"])
    error = f"<p>{html.escape(result['error'])}</p>" if result["error"] else ""
    title = _("{name}: feedback").format(name=html.escape(name))
    score = _("{student}: {score:g} of {max_score:g} points").format(
        student=html.escape(student), score=result["score"], max_score=result["max_score"])
    headings = "".join(f"<th>{h}</th>" for h in (_("question"), _("points"), _("result"), _("message")))
    return (f"<!DOCTYPE html>\n<html lang='{get_language()}'><head><meta charset='utf-8'><title>{title}</title>"
            f"</head><body><h1>{html.escape(name)}</h1><p>{score}</p>{error}<table border='1'><tr>{headings}</tr>\n"
            f"{rows}\n</table></body></html>\n")


def write_feedback(course: Path, name: str, graded: list[tuple[str, Path, dict]]) -> list[Path]:
    written = []
    for student, path, result in graded:
        folder = Path(course) / "feedback" / student / name
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{path.stem}.grade.html"
        target.write_text(feedback_html(name, student, result), encoding="utf-8")
        written.append(target)
    return written
