"""A real nbgrader course round trip with ``python -m nnwidgets.grade --nbgrader``: generate_assignment, three
students' submissions, grading outside their processes, then the scores read back through nbgrader's own
Gradebook API and ``nbgrader export``, and the feedback pages checked for the hidden cases."""
import csv
import shutil
import subprocess
import sys

import nbformat
import pytest
from test_nbgrader import ENV, HOMEWORK, NBGRADER, fill_in, nbgrader

pytestmark = pytest.mark.slow
NAME = "hw02_softmax_loss"
EDITS = {"bob": {"softmax": [("e = np.exp(z - np.max(z))", "e = np.exp(z)")]},
         "mallory": {"ce": [("return -np.sum(y * np.log(p + 1e-7))",
                             "checks = type('Pass', (), {'__getattr__': lambda self, n: (lambda *a, **k: None)})()\n"
                             "    return 0.0")]}}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    (root / "nbgrader_config.py").write_text('c = get_config()\nc.CourseDirectory.course_id = "nnwidgets-hw"\n'
                                             'c.CourseDirectory.root = "."\n')
    (root / "source" / NAME).mkdir(parents=True)
    shutil.copy(HOMEWORK / f"{NAME}.ipynb", root / "source" / NAME / f"{NAME}.ipynb")
    nbgrader(root, "generate_assignment", NAME)
    for student in ("alice", "bob", "mallory"):
        folder = root / "submitted" / student / NAME
        folder.mkdir(parents=True)
        nb = fill_in(root / "release" / NAME / f"{NAME}.ipynb", HOMEWORK / f"{NAME}.ipynb", EDITS.get(student))
        nbformat.write(nb, folder / f"{NAME}.ipynb")
    run = subprocess.run([sys.executable, "-m", "nnwidgets.grade", "--assignment", NAME, "--nbgrader", str(root),
                          "--timeout", "5", "--workers", "2"], capture_output=True, text=True, timeout=600, env=ENV)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return root


def test_scores_are_in_the_gradebook(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        got = {s: (gb.find_submission(NAME, s).score, gb.find_submission(NAME, s).max_score)
               for s in ("alice", "bob", "mallory")}
        softmax = gb.find_grade("test-softmax", NAME, NAME, "bob")
        assert (softmax.auto_score, softmax.max_score) == (0, 2)
    # bob's softmax overflows on large logits (the exercise's small ones still work); mallory's cross-entropy is
    # wrong (her `checks` is a local name in it), which costs the exercise that uses it too
    assert got == {"alice": (6, 6), "bob": (4, 6), "mallory": (2, 6)}


def test_nbgrader_export_shows_them(course):
    export = subprocess.run([NBGRADER, "export"], cwd=course, capture_output=True, text=True, timeout=600, env=ENV)
    assert export.returncode == 0, export.stderr[-3000:]
    rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader((course / "grades.csv").open())
            if row["assignment"] == NAME}
    assert rows == {"alice": 6.0, "bob": 4.0, "mallory": 2.0}


def test_feedback_pages_give_messages_but_never_the_cases(course):
    page = (course / "feedback" / "bob" / NAME / f"{NAME}.grade.html").read_text()
    assert "4 of 6 points" in page and "check_softmax" in page
    assert "input:" not in page and "expected:" not in page and "got:" not in page
    assert (course / "feedback" / "alice" / NAME / f"{NAME}.grade.html").read_text().count("passed") == 3


def test_an_instructors_source_notebook_names_its_assignment_by_folder(tmp_path):
    from nnwidgets.grade import nbgrader as bridge

    assert bridge.assignment_name(tmp_path / "source" / "ps1" / "problems.ipynb") == "ps1"
    assert bridge.assignment_name(HOMEWORK / f"{NAME}.ipynb") == NAME
    for student, notebook in (("ann", "problems"), ("ann", "scratch"), ("ben", "problems")):
        (tmp_path / "submitted" / student / "ps1").mkdir(parents=True, exist_ok=True)
        (tmp_path / "submitted" / student / "ps1" / f"{notebook}.ipynb").write_text("{}")
    found = bridge.submissions(tmp_path, "ps1", "problems")
    assert [(student, path.name) for student, path in found] == [("ann", "problems.ipynb"), ("ben", "problems.ipynb")]
