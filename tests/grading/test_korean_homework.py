"""The Korean homework (lessons/homework/ko/): the same code, nbgrader metadata and points as the English
notebooks, Korean prose; graded by the same checks, with Korean feedback (``nnwidgets.grade`` here; one nbgrader
round trip and one otter run in test_korean_homework_rounds.py)."""
import re
from pathlib import Path

import nbformat
import pytest
from grade_helpers import FULL, HOMEWORK, points, submission

from nnwidgets.grade.runner import Options, grade

KOREAN = HOMEWORK / "ko"
NOTEBOOKS = sorted(p.relative_to(HOMEWORK) for p in HOMEWORK.rglob("*.ipynb") if "ko" not in p.parts
                   and ".ipynb_checkpoints" not in p.parts)
HANGUL = re.compile("[\uac00-\ud7a3]")
SET_KOREAN = 'import nnwidgets as nw\nfrom nnwidgets import checks\n\nnw.set_language("ko")'
OPTIONS = Options(timeout=5, nproc=16, language="ko")


def _cells(path: Path):
    return nbformat.read(path, 4).cells


def _code(source: str) -> str:
    """Code without comments and print texts (the parts written in Korean)."""
    source = source.replace(SET_KOREAN, "from nnwidgets import checks")
    source = re.sub(r"#(?!##).*", "", source)
    return re.sub(r'print\("[^"]*"', 'print("', source).rstrip()


def test_every_homework_has_a_korean_version():
    assert sorted(p.relative_to(KOREAN) for p in KOREAN.rglob("*.ipynb")) == NOTEBOOKS
    assert len(NOTEBOOKS) == 6


@pytest.mark.parametrize("name", NOTEBOOKS, ids=str)
def test_same_cells_code_and_grading_metadata_with_korean_prose(name):
    english, korean = _cells(HOMEWORK / name), _cells(KOREAN / name)
    assert [(c.id, c.cell_type) for c in korean] == [(c.id, c.cell_type) for c in english]
    for en, ko in zip(english, korean):
        assert ko.metadata.get("nbgrader") == en.metadata.get("nbgrader"), ko.id
        assert ko.metadata.get("tags") == en.metadata.get("tags"), ko.id
        if en.cell_type == "markdown":
            assert HANGUL.search(ko.source), ko.id
        elif en.cell_type == "code":
            assert _code(ko.source) == _code(en.source), ko.id
        else:
            assert ko.source == en.source, ko.id  # otter's raw cells: its configuration
    first_code = next(c for c in korean if c.cell_type == "code")
    assert 'nw.set_language("ko")' in first_code.source


@pytest.mark.parametrize("assignment", sorted(FULL))
def test_the_korean_solutions_earn_full_marks(assignment):
    (graded,) = grade(f"ko/{assignment}", [KOREAN / f"{assignment}.ipynb"], OPTIONS)["submissions"]  # shipped
    assert graded["error"] is None
    assert (graded["score"], graded["max_score"]) == (FULL[assignment], FULL[assignment]), graded["checks"]


def test_a_wrong_answer_loses_its_points_with_korean_feedback(tmp_path):
    wrong = submission(tmp_path, "ko/hw02_softmax_loss", "wrong", {
        "softmax": "def softmax(z):\n    e = np.exp(z)\n    return e / e.sum()"})
    result = grade(str(KOREAN / "hw02_softmax_loss.ipynb"), [wrong], OPTIONS)
    assert points(result)["wrong"] == {"test-softmax": 0, "test-ce": 2, "test-exercise": 2}
    softmax = result["submissions"][0]["checks"][0]
    assert "먼저 최댓값을 빼세요" in softmax["feedback"] and "케이스" in softmax["feedback"]
    assert "정답:" in softmax["message"] and "정답:" not in softmax["feedback"]
    # the Korean notebook's nw.set_language("ko") runs in the grader as a setup cell, and does not outlast it
    english = grade(str(KOREAN / "hw02_softmax_loss.ipynb"), [wrong], Options(timeout=5, nproc=16, language="en"))
    assert points(english) == points(result)
    assert "Subtract the max first" in english["submissions"][0]["checks"][0]["feedback"]
