"""nnwidgets.grade on the shipped homework: the solutions earn full marks; wrong answers lose their points;
the JSON and the CLI; secret cases beyond the shipped ones."""
import json
import subprocess
import sys

import pytest
from grade_helpers import FULL, HOMEWORK, points, submission

from nnwidgets.checks import check_softmax
from nnwidgets.grade.runner import Grader, Options, grade

OPTIONS = Options(timeout=5, nproc=16)


@pytest.mark.parametrize("assignment", sorted(FULL))
def test_the_shipped_solutions_earn_full_marks(assignment):
    result = grade(assignment, [HOMEWORK / f"{assignment}.ipynb"], OPTIONS)
    (graded,) = result["submissions"]
    assert graded["error"] is None
    assert (graded["score"], graded["max_score"]) == (FULL[assignment], FULL[assignment]), graded["checks"]
    assert all(c["passed"] and c["message"] == "" for c in graded["checks"])


def test_wrong_answers_lose_exactly_their_points(tmp_path):
    wrong = submission(tmp_path, "hw04_optimizers", "wrong", {
        "adam": "def adam(w, g, m, v, t, lr, beta1, beta2, eps):\n    m = beta1 * m + (1 - beta1) * g\n"
                "    v = beta2 * v + (1 - beta2) * g * g\n    return w - lr * m / (np.sqrt(v) + eps), m, v"})
    result = grade("hw04_optimizers", [wrong], OPTIONS)
    assert points(result)["wrong"] == {"test-sgd": 1, "test-momentum": 1, "test-adagrad": 1, "test-rmsprop": 1,
                                       "test-adam": 0}
    adam = result["submissions"][0]["checks"][-1]
    assert "correct the bias" in adam["message"] or "bias" in adam["message"]
    assert "expected:" in adam["message"] and "expected:" not in adam["feedback"]


def test_a_table_of_the_shipped_cases_fails_the_secret_ones(tmp_path):
    """A softmax that answers the shipped cases from a table (as if read from the package) fails: the grader adds
    cases drawn from a secret seed for this run."""
    seen = []

    def record(z):
        seen.append([float(v) for v in z])
        e = __import__("numpy").exp(z - z.max())
        return e / e.sum()

    check_softmax(record)
    table = repr({tuple(z): None for z in seen})
    code = (f"TABLE = {table}\n"
            "def softmax(z):\n    key = tuple(float(v) for v in z)\n"
            "    if key not in TABLE:\n        return np.zeros_like(z)\n"
            "    e = np.exp(z - np.max(z))\n    return e / e.sum()")
    path = submission(tmp_path, "hw02_softmax_loss", "table", {"softmax": code})
    result = grade("hw02_softmax_loss", [path], OPTIONS)
    softmax = result["submissions"][0]["checks"][0]
    assert softmax["points"] == 0 and "case" in softmax["message"]


def test_secret_seed_changes_per_run():
    one, two = Grader("hw05_conv_shapes", Options()), Grader("hw05_conv_shapes", Options())
    assert one.seed != two.seed


def test_cli_json_and_workers(tmp_path):
    good = submission(tmp_path, "hw02_softmax_loss", "good")
    bad = submission(tmp_path, "hw02_softmax_loss", "bad", {"ce": "def cross_entropy(p, y):\n"
                                                                 "    return -np.sum(y * np.log10(p))"})
    out = tmp_path / "grades.json"
    run = subprocess.run([sys.executable, "-m", "nnwidgets.grade", "--assignment", "hw02_softmax_loss", str(good),
                          str(bad), "--json", str(out), "--workers", "2", "--timeout", "5"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "good" in run.stdout and "6 / 6" in run.stdout and "2 / 6" in run.stdout  # the exercise uses it too
    data = json.loads(out.read_text())
    assert data["assignment"] == "hw02_softmax_loss"
    assert data["sandbox"] and {"network", "filesystem", "uid"} <= set(data["sandbox"][0])
    assert "sandbox: " in run.stdout
    assert [(s["score"], s["max_score"]) for s in data["submissions"]] == [(6, 6), (2, 6)]
    check = data["submissions"][1]["checks"][1]
    assert set(check) >= {"name", "points", "max_points", "passed", "message"}
    assert check["name"] == "test-ce" and check["passed"] is False and "log" in check["message"]


def test_cli_refuses_bad_arguments(tmp_path):
    run = subprocess.run([sys.executable, "-m", "nnwidgets.grade", "--assignment", "hw99", str(tmp_path / "x.ipynb")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "hw99" in run.stderr and "hw01_perceptron" in run.stderr


def test_an_instructors_own_notebook_with_a_manually_graded_answer(tmp_path):
    """A source notebook of one's own: its checks are graded, a manually graded answer cell (solution and grade)
    runs but is left to the instructor, a grade cell without a check call says it cannot be graded here."""
    import nbformat

    def cell(source, **meta):
        return nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"schema_version": 3, "locked": False,
                                                                        "task": False, **meta}} if meta else {})

    nb = nbformat.v4.new_notebook(cells=[
        cell("import numpy as np\nfrom nnwidgets import checks"),
        cell("def relu_sum(x):\n    return np.maximum(x, 0).sum()", grade_id="ans", solution=True, grade=False),
        cell("explain = 'ReLU keeps positives'", grade_id="essay", solution=True, grade=True, points=3),
        cell("checks.check_answer('seed_cnn_flatten_size', relu_sum(np.array([1960.0, -5.0])))",
             grade_id="t1", solution=False, grade=True, points=2),
        cell("assert relu_sum(np.array([-1.0])) == 0", grade_id="t2", solution=False, grade=True, points=1)])
    source = tmp_path / "my_hw.ipynb"
    nbformat.write(nb, source)
    result = grade(str(source), [source], OPTIONS)
    checks_ = {c["name"]: c for c in result["submissions"][0]["checks"]}
    assert set(checks_) == {"t1", "t2"}
    assert checks_["t1"]["points"] == 2 and checks_["t2"]["points"] == 0
    assert "calls no nnwidgets.checks function" in checks_["t2"]["message"]
