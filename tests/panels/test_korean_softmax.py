"""Issue 14: the softmax calculator in Korean: both tabs, its warnings, the hand check and its refusals."""
import numpy as np
import pytest

import nnwidgets as nw
from nnwidgets.i18n import speaking
from tests.panels.korean import english_words, has_hangul, panel_text, strip_html

#: what stays in Latin letters on a Korean panel: the parameter names a learner types (check()'s probabilities,
#: labels), numbers as the computer writes them (float32, inf, nan) and the toggle's English tooltip "Show in English"
KEEP = {"float", "inf", "nan", "Show"}


@pytest.fixture
def korean():
    nw.set_language("ko")
    yield
    nw.set_language("en")


def configurations():
    """The panel in its main states: plain logits, labels and log2, overflow with the naive formula, one class,
    the Iris linear layer after a nudge, temperature and log10."""
    yield nw.SoftmaxCalculator(logits=[1.5, 3.7], target=1, labels=["고양이", "강아지"], log_base="2")
    yield nw.SoftmaxCalculator(logits=[1000.0, 999.0, 990.0], target=0, show_naive=True)
    yield nw.SoftmaxCalculator(logits=[2.0], target=0)
    iris = nw.SoftmaxCalculator(x=[6.3, 2.7, 4.9, 1.8], target=2, temperature=2.0, log_base="10")
    iris.nudge("b2", 1.0)
    yield iris


def test_every_tab_and_state_reads_korean(korean):
    for s in configurations():
        texts = panel_text(s)
        assert english_words(texts, keep=KEEP) == [], repr(s)
        assert has_hangul(s.view.summary.value) and has_hangul(s.view.table.value)
        assert s.view.tab_widget.titles == ("로짓", "선형층")


def test_the_warnings_and_the_before_after_line_are_korean(korean):
    s = nw.SoftmaxCalculator(logits=[1000.0, 999.0, 990.0], target=0, show_naive=True)
    assert "오버플로" in s.view.summary.value and "nan" in s.view.table.value
    iris = nw.SoftmaxCalculator(x=[6.3, 2.7, 4.9, 1.8], target=2)
    iris.nudge("b2", 1.0)
    assert "b[1] += 1 후: 손실" in iris.view.summary.value and "이전 p" in iris.view.table.value
    assert nw.SoftmaxCalculator(logits=[2.0]).view.summary.value.count("클래스가 하나뿐입니다") == 1


def test_the_hand_check_and_its_feedback_are_korean(korean):
    s = nw.SoftmaxCalculator(logits=[1.0, 2.0, 3.0], target=2)
    assert s.view.check_box.children[3].description == "내 계산 확인"
    exp = ", ".join(f"{v:.4f}" for v in np.exp([1.0, 2.0, 3.0]))
    right = s.check(exp=exp, sum="30.1929")
    assert right.ok and right.message == "모든 숫자가 맞았습니다: e^z, Σ e^z."
    wrong = s.check(exp="2.72, 100, 1000", loss=f"{-np.log(s.probabilities[0]):.4f}")
    lines = wrong.lines()
    assert lines[0] == "틀린 곳 2개 (계산 순서대로):"
    assert lines[1].startswith("1. e^z, 클래스 1: 입력한 값 100, 정답 7.38906; 클래스 2: 입력한 값 1000, 정답 20.0855.")
    assert "클래스 0의 p를 썼습니다" in lines[2] and "(클래스 2)" in lines[2]
    s.view.check_inputs["sum"].value = "6"  # the sum of the logits, not of their exponentials
    s.view.run_check()
    assert "로짓의 합" in s.view.check_result.value
    assert english_words([strip_html(s.view.check_result.value)], KEEP) == []
    s.view.check_inputs["sum"].value = "two"
    s.view.run_check()
    assert "sum에는 숫자를 입력해야 합니다" in s.view.check_result.value
    assert s.check().message.startswith("확인할 숫자가 없습니다")


def test_a_korean_panel_speaks_korean_while_english_is_in_force():
    """The panel's own language wins over the global one: the check, the nudge's refusal, the control lookup."""
    s = nw.SoftmaxCalculator(logits=[1.0, 2.0, 3.0], target=2)
    s.language = "ko"
    assert s.check(sum="6").message.startswith("틀린 곳 1개")
    with pytest.raises(ValueError, match=r"^parameter는 z\[0\], z\[1\], z\[2\] 중 하나여야"):
        s.nudge("b9", 1.0)
    with pytest.raises(ValueError, match="^name은 컨트롤이 있는 설정"):
        s.control("w99")
    assert s.check(sum="6").language == "ko"
    s.language = "en"
    assert s.check(sum="6").message.startswith("1 problem:")


def test_to_dict_is_the_same_in_both_languages_and_switching_back_gives_english(korean):
    s = nw.SoftmaxCalculator(x=[6.3, 2.7, 4.9, 1.8], target=1)  # (class 1 is there in both tabs: panel_text opens
    saved = s.to_dict()                                           # the logits tab, 2 classes, which would clamp 2)
    with speaking("en"):
        english = nw.SoftmaxCalculator(x=[6.3, 2.7, 4.9, 1.8], target=1)
    assert english.to_dict() == saved and english.language == "en"
    s.language = "en"
    assert s.to_dict() == saved
    texts = panel_text(s)
    assert not any(has_hangul(t) for t in texts if t not in ("한국어", "한국어로 보기"))  # the toggle's own
    assert "Check my numbers" in texts and "linear layer" in s.view.tab_widget.titles
    s.language = "ko"
    assert s.to_dict() == saved and "내 계산 확인" in panel_text(s)


def test_english_class_names_still_pick_the_target_in_korean(korean):
    s = nw.SoftmaxCalculator(logits=[1.0, 2.0, 3.0], target="class 1")
    assert s.target == 1 and s.class_names == ["클래스 0", "클래스 1", "클래스 2"]
    s.target = "클래스 2"
    assert s.target == 2


@pytest.mark.parametrize("name, value, words", [
    ("temperature", 1e5, ("temperature", "사이여야")),
    ("labels", ["a", "b", "c"], ("labels", "클래스 2개")),
    ("target", 7, ("target", "0~1")),
    ("target", 1.5, ("target", "클래스 번호")),
    ("logits", [1.0] * 11, ("logits", "숫자 1~10개")),
    ("W", [[1.0, 2.0]], ("W", "크기가 맞지 않습니다")),
])
def test_a_bad_value_is_refused_in_korean_and_changes_nothing(korean, name, value, words):
    s = nw.SoftmaxCalculator(logits=[1.5, 3.7], target=1)
    before = s.to_dict()
    with pytest.raises(ValueError) as err:
        setattr(s, name, value)
    message = str(err.value)
    assert has_hangul(message) and all(word in message for word in words), message
    assert s.to_dict() == before and s.error == message and has_hangul(s.view.status.value)


def test_the_linear_layer_refuses_logits_in_korean(korean):
    s = nw.SoftmaxCalculator(x=[6.3, 2.7, 4.9, 1.8], target=2)
    before = s.to_dict()
    with pytest.raises(ValueError, match="선형층 모드에서 logits는 W x \\+ b입니다"):
        s.logits = [1.0, 2.0, 3.0]
    assert s.to_dict() == before
    with pytest.raises(ValueError, match="logits 또는 선형층의 x, W, b 중 하나만"):
        nw.SoftmaxCalculator(logits=[1.0], x=[1.0])
