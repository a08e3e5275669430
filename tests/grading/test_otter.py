"""A real otter-grader round trip without Docker: otter assign on the master notebook, then otter run (Otter's
non-containerized grader) on a correct and a wrong submission."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow
MASTER = Path(__file__).resolve().parents[2] / "lessons" / "homework" / "otter" / "hw02_softmax_otter.ipynb"
# nbgrader and otter start helpers (alembic, jupyter) by name: the venv's bin must be on PATH
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
OTTER = str(Path(sys.executable).with_name("otter"))


def otter(cwd: Path, *args):
    result = subprocess.run([OTTER, *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                            env=ENV)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def assigned(tmp_path_factory):
    root = tmp_path_factory.mktemp("otter")
    shutil.copy(MASTER, root / "master.ipynb")
    otter(root, "assign", "master.ipynb", "dist")
    return root


def grade(root: Path, notebook: nbformat.NotebookNode, name: str) -> dict:
    path = root / f"{name}.ipynb"
    nbformat.write(notebook, path)
    out = root / f"results-{name}"
    out.mkdir()
    zip_file = next((root / "dist" / "autograder").glob("*.zip"))
    otter(root, "run", "-a", str(zip_file), "-o", str(out), str(path))
    tests = json.loads((out / "results.json").read_text())["tests"]
    return {t["name"]: t["score"] for t in tests if t.get("max_score")}


def student_answer(root: Path, fills: dict) -> nbformat.NotebookNode:
    nb = nbformat.read(root / "dist" / "student" / "master.ipynb", 4)
    for cell in nb.cells:
        for marker, code in fills.items():
            if cell.cell_type == "code" and marker in cell.source:
                cell.source = code
    return nb


SOFTMAX = "def softmax(z):\n    e = np.exp(z - np.max(z))\n    return e / e.sum()"
CROSS_ENTROPY = "def cross_entropy(p, y):\n    return -np.sum(y * np.log(p + 1e-7))"


def test_student_version_has_no_solutions(assigned):
    text = (assigned / "dist" / "student" / "master.ipynb").read_text()
    assert "np.exp(z - np.max(z))" not in text and "seed002_exercise1" not in text
    assert "def softmax" in text


def test_correct_submission_scores_full_marks(assigned):
    nb = student_answer(assigned, {"def softmax": SOFTMAX, "def cross_entropy": CROSS_ENTROPY})
    assert grade(assigned, nb, "correct") == {"softmax": 2.0, "cross_entropy": 2.0}


def test_wrong_submission_loses_the_question(assigned):
    wrong = CROSS_ENTROPY.replace("np.log(", "np.log10(")
    nb = student_answer(assigned, {"def softmax": SOFTMAX, "def cross_entropy": wrong})
    assert grade(assigned, nb, "wrong") == {"softmax": 2.0, "cross_entropy": 0.0}
