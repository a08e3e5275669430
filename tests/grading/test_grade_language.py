"""``python -m nnwidgets.grade --language ko|en``: the feedback and the report in the chosen language, the
scores never depending on it."""
import json
import os
import re
import subprocess
import sys

import nbformat
import pytest
from grade_helpers import HOMEWORK, points, submission

from nnwidgets.grade.__main__ import parser
from nnwidgets.grade.runner import Options, grade

HANGUL = re.compile("[\uac00-\ud7a3]")
WRONG_ADAM = ("def adam(w, g, m, v, t, lr, beta1, beta2, eps):\n    m = beta1 * m + (1 - beta1) * g\n"
              "    v = beta2 * v + (1 - beta2) * g * g\n    return w - lr * m / (np.sqrt(v) + eps), m, v")
WRONG_SGD = "def sgd(w, g, lr):\n    return w + lr * g"


def test_language_is_ko_or_en():
    assert parser().parse_args(["--assignment", "hw01_perceptron", "--language", "ko"]).language == "ko"
    assert parser().parse_args(["--assignment", "hw01_perceptron"]).language is None  # the language in force
    with pytest.raises(SystemExit):
        parser().parse_args(["--assignment", "hw01_perceptron", "--language", "fr"])


def test_korean_feedback_and_the_same_scores_as_in_english(tmp_path):
    momentum = next(c.source for c in nbformat.read(HOMEWORK / "hw04_optimizers.ipynb", 4).cells
                    if c.metadata.get("nbgrader", {}).get("grade_id") == "momentum")
    momentum = "\n".join(line for line in momentum.splitlines() if "### " not in line)
    paths = [submission(tmp_path, "hw04_optimizers", "wrong", {"adam": WRONG_ADAM, "sgd": WRONG_SGD,
                                                               "momentum": "import scipy.special\n" + momentum})]
    out = tmp_path / "ko.json"
    run = subprocess.run([sys.executable, "-m", "nnwidgets.grade", "--assignment", "hw04_optimizers",
                          *map(str, paths), "--json", str(out), "--timeout", "5", "--language", "ko"],
                         capture_output=True, text=True, timeout=600, env={**os.environ, "NNWIDGETS_LANG": "en"})
    assert run.returncode == 0, run.stderr[-3000:]
    korean = json.loads(out.read_text(encoding="utf-8"))
    english = grade("hw04_optimizers", paths, Options(timeout=5, nproc=16, language="en"))
    assert points(korean) == points(english)
    assert points(korean)["wrong"] == {"test-sgd": 0, "test-momentum": 0, "test-adagrad": 1, "test-rmsprop": 1,
                                       "test-adam": 0}
    assert [s["score"] for s in korean["submissions"]] == [s["score"] for s in english["submissions"]] == [2]
    failed = {c["name"]: c for c in korean["submissions"][0]["checks"] if not c["passed"]}
    assert "편향을 보정하세요" in failed["test-adam"]["message"]
    assert "기울기의 반대 방향" in failed["test-sgd"]["message"]
    assert "셀 'momentum'에서 scipy.special" in failed["test-momentum"]["message"]
    for check in (failed["test-adam"], failed["test-sgd"]):
        assert "정답:" in check["message"] and "입력:" in check["message"]
        feedback = check["feedback"]
        assert HANGUL.search(feedback) and "정답:" not in feedback and "입력:" not in feedback
    assert "과제 hw04_optimizers" in run.stdout and "점)" in run.stdout and "힌트" not in run.stdout.splitlines()[0]
    english_failed = [c for c in english["submissions"][0]["checks"] if not c["passed"]]
    assert all(not HANGUL.search(c["message"]) for c in english_failed)
    assert all("expected:" in c["message"] for c in english_failed if c["name"] != "test-momentum")
