"""``otter assign`` output graded by ``python -m nnwidgets.grade``: NAME is the otter master notebook, the
submissions are students' copies of dist/student (answers in the cells otter tags ``otter_answer_cell``)."""
import shutil

import nbformat
import pytest
from test_otter import CROSS_ENTROPY, MASTER, SOFTMAX, otter, student_answer

from nnwidgets.grade.runner import Options, grade

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def assigned(tmp_path_factory):
    root = tmp_path_factory.mktemp("otter-grade")
    shutil.copy(MASTER, root / "master.ipynb")
    otter(root, "assign", "master.ipynb", "dist")
    return root


def test_otter_assign_output_is_graded_outside_the_students_process(assigned):
    paths = []
    for name, fills in (("right", {"def softmax": SOFTMAX, "def cross_entropy": CROSS_ENTROPY}),
                        ("wrong", {"def softmax": SOFTMAX,
                                   "def cross_entropy": CROSS_ENTROPY.replace("log(", "log10(")}),
                        ("blank", {}),
                        ("scipy", {"def softmax": "from scipy.special import softmax",
                                   "def cross_entropy": CROSS_ENTROPY})):
        paths.append(assigned / f"{name}.ipynb")
        nbformat.write(student_answer(assigned, fills), paths[-1])
    result = grade(str(MASTER), paths, Options(timeout=5, nproc=16))
    got = {s["path"].rsplit("/", 1)[1]: {c["name"]: c["points"] for c in s["checks"]} for s in result["submissions"]}
    # the cross-entropy question's hidden test calls softmax too, so scipy's softmax costs both questions
    assert got == {"right.ipynb": {"softmax": 2, "cross_entropy": 2}, "wrong.ipynb": {"softmax": 2, "cross_entropy": 0},
                   "blank.ipynb": {"softmax": 0, "cross_entropy": 0}, "scipy.ipynb": {"softmax": 0, "cross_entropy": 0}}
