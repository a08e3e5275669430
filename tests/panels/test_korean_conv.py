"""Issue 14: the conv/pool visualizer in Korean: every tab, the warnings, the tracer's and the form's refusals."""
import pytest

import nnwidgets as nw
from nnwidgets.panels.conv import NetworkState
from tests.panels.korean import english_words, has_hangul, panel_text

#: what stays in Latin letters on a Korean panel: the layer kinds and options the learner types in the tracer
#: (and the padding names of the dropdown), the frameworks' argument names in the conventions table, maths
#: (floor, ceil), the Enter key, the word Python, and the toggle's deliberately English tooltip "Show in English"
KEEP = {"input", "conv", "relu", "maxpool", "avgpool", "dense", "flatten", "valid", "same", "full", "padding",
        "stride", "ceil_mode", "True", "pad", "floor", "ceil", "Python", "Enter", "Show"}

CONFIGURATIONS = [
    dict(input_shape=(7, 7, 1), kernel_size=3, stride=2),  # uneven: the warning
    dict(input_shape=(6, 6, 3), kernel_size=3, filters=6, padding=1, flip=True, selected_input=(2, 2)),
    dict(input_shape=(4, 4, 2), kernel_size=2, stride=2, mode="maxpool", padding=(0, 1), ceil_mode=True),
    dict(input_shape=(9, 1), kernel_size=3, mode="avgpool"),
    dict(input_shape=(9, 1), kernel_size=3, numbers=True),
]


@pytest.fixture
def korean():
    nw.set_language("ko")
    yield
    nw.set_language("en")


def own_words(c) -> list:
    """The Latin words left on the panel, leaving out the formulas and messages that ``core`` writes (the tracer's
    per-layer formulas and errors: ``core``'s catalog, checked with it)."""
    core = {text for row in c.trace() for text in (row.formula, row.error) if text}
    texts = []
    for text in panel_text(c):
        for line in core:
            text = text.replace(line, " ").replace(line[:70], " ")
        texts.append(text)
    return english_words(texts, keep=KEEP)


@pytest.mark.parametrize("settings", CONFIGURATIONS)
def test_every_tab_reads_korean(korean, settings):
    c = nw.ConvShapeVisualizer(**settings)
    assert own_words(c) == []
    assert has_hangul(c.view.summary.value) and has_hangul(c.view.conventions.value)


def test_the_warnings_and_the_form_refusals_are_korean(korean):
    c = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3)
    c.control("H").set_state({"value": 1})  # refused: the warning line
    assert has_hangul(c.error) and "input_shape" in c.error and has_hangul(c.view.status.value)
    assert c.error.startswith("input_shape = (1, 7, 1)은(는) 맞지 않습니다: ")  # the reason after it: core's
    c.set()  # valid again
    before = c.to_dict()
    with pytest.raises(ValueError, match="스트라이드|stride") as err:
        c.network.set_row(1, stride="x")
    assert "2번째 층 (conv)" in str(err.value) and "stride" in str(err.value) and "정수" in str(err.value)
    assert c.to_dict() == before and has_hangul(c.view.network.status.value)
    with pytest.raises(ValueError, match="따옴표") as err:
        c.network.layers = "('relu',), print(1)"
    assert "함수 호출" in str(err.value)
    with pytest.raises(ValueError, match="이름 'relu'"):
        c.network.layers = "(relu,)"
    with pytest.raises(ValueError, match="마지막 층은 지울 수 없습니다"):
        NetworkState(layers=[("relu",)]).remove_row(0)
    assert c.to_dict() == before


@pytest.mark.parametrize("name, value, words", [
    ("stride", 0, ("stride", "정수")), ("padding", "bad", ("padding", "'valid'")),
    ("input_shape", (0, 7, 1), ("input_shape", "정수")), ("kernel_size", 99, ("kernel_size", "정수")),
    ("position", 99, ("position", "출력 칸")), ("selected_input", (9, 9), ("selected_input", "입력 칸")),
    ("input_values", [[1.0, 2.0]], ("input_values", "크기")),
])
def test_a_bad_value_is_refused_in_korean_and_changes_nothing(korean, name, value, words):
    c = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3)
    before = c.to_dict()
    with pytest.raises(ValueError) as err:
        setattr(c, name, value)
    assert has_hangul(str(err.value)) and all(w in str(err.value) for w in words), str(err.value)
    assert c.to_dict() == before


def test_the_control_lookup_refuses_in_korean(korean):
    c = nw.ConvShapeVisualizer()
    with pytest.raises(ValueError, match="name은 .* 중 하나여야 합니다"):
        c.control("nope")


def test_same_state_in_both_languages_and_the_switch_back_to_english(korean):
    settings = CONFIGURATIONS[1]
    c = nw.ConvShapeVisualizer(**settings)
    english = nw.ConvShapeVisualizer(language="en", **settings)
    assert english.language == "en" and c.language == "ko"
    assert c.to_dict() == english.to_dict()
    assert c.view.controls["mode"].options == (("합성곱", "conv"), ("최대 풀링", "maxpool"), ("평균 풀링", "avgpool"))
    c.language = "en"
    texts = panel_text(c)
    assert not any(has_hangul(t) for t in texts if t != "한국어로 보기" and t != "한국어")
    assert c.view.controls["mode"].options == (("conv", "conv"), ("maxpool", "maxpool"), ("avgpool", "avgpool"))
    assert "does not fit" not in c.view.summary.value and "output cell" in c.view.summary.value
    with pytest.raises(ValueError, match="stride must be a whole number"):
        c.stride = 0
    c.language = "ko"
    assert c.to_dict() == english.to_dict() and has_hangul(c.view.summary.value)
