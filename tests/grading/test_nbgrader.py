"""A real nbgrader round trip: generate_assignment on the homework source notebooks, then autograde a correct
submission of every assignment and submissions with one wrong answer, and check the scores in the gradebook."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow
HOMEWORK = Path(__file__).resolve().parents[2] / "lessons" / "homework"
ASSIGNMENTS = sorted(p.stem for p in HOMEWORK.glob("hw*.ipynb"))
# nbgrader and otter start helpers (alembic, jupyter) by name: the venv's bin must be on PATH
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
NBGRADER = str(Path(sys.executable).with_name("nbgrader"))


def nbgrader(course: Path, *args):
    result = subprocess.run([NBGRADER, *args, "--force"], cwd=course, capture_output=True, text=True, timeout=600,
                            env=ENV)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def fill_in(release: Path, source: Path, edits=None) -> nbformat.NotebookNode:
    """A student's submission: the released notebook with each solution cell written as in the source."""
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nbformat.read(source, 4).cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.read(release, 4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            code = "\n".join(line for line in answers[grade_id].splitlines() if "### " not in line)
            for old, new in (edits or {}).get(grade_id, []):
                assert old in code, (old, code)
                code = code.replace(old, new)
            cell.source = code
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    (root / "nbgrader_config.py").write_text('c = get_config()\nc.CourseDirectory.course_id = "nnwidgets-hw"\n'
                                             'c.CourseDirectory.root = "."\n')
    for name in ASSIGNMENTS:
        (root / "source" / name).mkdir(parents=True)
        shutil.copy(HOMEWORK / f"{name}.ipynb", root / "source" / name / f"{name}.ipynb")
        nbgrader(root, "generate_assignment", name)
    wrong = {"hw01_perceptron": {"xor": [("return perceptron(perceptron(x1, x2, nand_weights), perceptron(x1, x2, "
                                          "or_weights), and_weights)", "return perceptron(x1, x2, or_weights)")]},
             "hw04_optimizers": {"adam": [("m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)",
                                           "m_hat, v_hat = m, v")]}}
    for student, edits in (("alice", {}), ("bob", wrong)):
        for name in ASSIGNMENTS:
            folder = root / "submitted" / student / name
            folder.mkdir(parents=True)
            nb = fill_in(root / "release" / name / f"{name}.ipynb", HOMEWORK / f"{name}.ipynb", edits.get(name))
            nbformat.write(nb, folder / f"{name}.ipynb")
    for name in ASSIGNMENTS:
        nbgrader(root, "autograde", name)
    return root


def scores(course: Path, student: str) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {name: (gb.find_submission(name, student).score, gb.find_submission(name, student).max_score)
                for name in ASSIGNMENTS}


def test_released_notebooks_hide_solutions_and_hidden_tests(course):
    for name in ASSIGNMENTS:
        text = (course / "release" / name / f"{name}.ipynb").read_text()
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        assert "YOUR CODE HERE" in text
    hw01 = (course / "release" / "hw01_perceptron" / "hw01_perceptron.ipynb").read_text()
    assert "(-0.5, -0.5, 0.7)" not in hw01 and 'check_perceptron(\\"AND\\"' not in hw01


def test_the_solutions_get_full_marks(course):
    got = scores(course, "alice")
    assert got == {"hw01_perceptron": (4, 4), "hw02_softmax_loss": (6, 6), "hw03_backprop": (11, 11),
                   "hw04_optimizers": (6, 6), "hw05_conv_shapes": (4, 4)}


def test_one_wrong_answer_loses_exactly_its_points(course):
    got = scores(course, "bob")
    assert got["hw01_perceptron"] == (2, 4)  # xor wrong: the 2-point XOR cell fails, NAND and OR pass
    assert got["hw04_optimizers"] == (4, 6)  # Adam without bias correction: its 2 points
    assert got["hw02_softmax_loss"] == (6, 6)
    feedback = nbformat.read(course / "autograded" / "bob" / "hw04_optimizers" / "hw04_optimizers.ipynb", 4)
    errors = "".join(o.get("evalue", "") for c in feedback.cells for o in c.get("outputs", []))
    assert "correct the bias before the step" in errors
