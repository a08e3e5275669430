"""The Korean homework through nbgrader and otter as the English is (test_nbgrader.py, test_otter.py): one
nbgrader round trip (hw04: a correct and a wrong submission) and one otter run (a wrong cross-entropy)."""
import json
import shutil

import nbformat
import pytest
from test_nbgrader import HOMEWORK, fill_in, nbgrader
from test_otter import CROSS_ENTROPY, SOFTMAX, otter, student_answer

pytestmark = pytest.mark.slow
KOREAN = HOMEWORK / "ko"
NAME = "hw04_optimizers"
NO_BIAS_CORRECTION = {"adam": [("m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)", "m_hat, v_hat = m, v")]}


def test_nbgrader_round_trip_of_the_korean_homework(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text('c = get_config()\nc.CourseDirectory.course_id = "nnwidgets-ko"\n'
                                                 'c.CourseDirectory.root = "."\n')
    (tmp_path / "source" / NAME).mkdir(parents=True)
    shutil.copy(KOREAN / f"{NAME}.ipynb", tmp_path / "source" / NAME / f"{NAME}.ipynb")
    nbgrader(tmp_path, "generate_assignment", NAME)
    release = tmp_path / "release" / NAME / f"{NAME}.ipynb"
    assert "YOUR CODE HERE" in release.read_text() and "BEGIN SOLUTION" not in release.read_text()
    for student, edits in (("alice", None), ("bob", NO_BIAS_CORRECTION)):
        folder = tmp_path / "submitted" / student / NAME
        folder.mkdir(parents=True)
        nbformat.write(fill_in(release, KOREAN / f"{NAME}.ipynb", edits), folder / f"{NAME}.ipynb")
    nbgrader(tmp_path, "autograde", NAME)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gb:
        got = {s: (gb.find_submission(NAME, s).score, gb.find_submission(NAME, s).max_score) for s in ("alice", "bob")}
    assert got == {"alice": (6, 6), "bob": (4, 6)}
    feedback = nbformat.read(tmp_path / "autograded" / "bob" / NAME / f"{NAME}.ipynb", 4)
    errors = "".join(o.get("evalue", "") for c in feedback.cells for o in c.get("outputs", []))
    assert "갱신하기 전에 편향을 보정하세요" in errors and "케이스" in errors


def test_otter_run_of_the_korean_homework(tmp_path):
    shutil.copy(KOREAN / "otter" / "hw02_softmax_otter.ipynb", tmp_path / "master.ipynb")
    otter(tmp_path, "assign", "master.ipynb", "dist")
    nb = student_answer(tmp_path, {"def softmax": SOFTMAX,
                                   "def cross_entropy": CROSS_ENTROPY.replace("np.log(", "np.log10(")})
    path, out = tmp_path / "wrong.ipynb", tmp_path / "results"
    nbformat.write(nb, path)
    out.mkdir()
    otter(tmp_path, "run", "-a", str(next((tmp_path / "dist" / "autograder").glob("*.zip"))), "-o", str(out), str(path))
    tests = json.loads((out / "results.json").read_text(encoding="utf-8"))["tests"]
    assert {t["name"]: t["score"] for t in tests if t.get("max_score")} == {"softmax": 2.0, "cross_entropy": 0.0}
    cross_entropy = next(t for t in tests if t["name"] == "cross_entropy")
    assert "밑이 10인 로그" in cross_entropy["output"], cross_entropy
