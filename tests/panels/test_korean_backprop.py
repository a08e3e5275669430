"""Issue 14: the backprop stepper in Korean: presets at every step (upstream × local), its refusals, the switch."""
import re

import pytest

import nnwidgets as nw
from nnwidgets.panels.backprop.presets import PRESETS
from tests.panels.korean import english_words, has_hangul, panel_text

#: the presets whose steps cover every kind of line: scalar upstream × local, the sigmoid's chain, fan-out,
#: broadcasting and matrix products (outer product too), the softmax-with-loss note, a ReLU kink
STEPPED = ["add_mul", "apple_orange", "sigmoid_neuron", "affine", "softmax_with_loss", "norm_squared", "relu_gate"]


@pytest.fixture
def korean():
    nw.set_language("ko")
    yield
    nw.set_language("en")


def names_of(g) -> set:
    """What stays in Latin letters: the names the learner gives or reads in code (inputs, nodes named after the
    preset's variables or JAX's ops, ``names=`` keys, their d-prefixed gradients), numbers as the computer writes
    them (float64) and the toggle's English tooltip "Show in English"."""
    names = set(g.inputs) | {op.name for op in g.graph.ops} | {op.op_name for op in g.graph.ops}
    words = {w for name in names for w in re.findall(r"[A-Za-z][A-Za-z_]*", name)}
    return words | {f"d{w}" for w in words} | {"float", "Show"}


@pytest.mark.parametrize("name", STEPPED)
def test_every_step_of_a_preset_reads_korean(korean, name):
    g = nw.BackpropStepper.preset(name)
    for position in range(g.total_steps + 1):
        g.position = position
        assert english_words(panel_text(g), keep=names_of(g)) == [], (name, position, g.explain())
        assert all(has_hangul(line) for line in g.explain() if "=" not in line or "∂" in line), g.explain()
    assert has_hangul(g.view.title.value)


def test_the_backward_step_says_upstream_times_local_in_korean(korean):
    g = nw.BackpropStepper.preset("add_mul", position=3)
    assert g.explain() == [
        "상류 기울기 ∂f/∂f = 1 (출력: ∂f/∂f = 1)",
        g.explain()[1],  # the multiply gate's rule: core's catalog
        "∂f/∂q ← 상류 × 국소 = 1 × −4 = −4",
        "∂f/∂z ← 상류 × 국소 = 1 × 3 = 3",
    ]
    g.step()
    assert g.explain()[0] == "상류 기울기 ∂f/∂q = −4 (오른쪽에서 전달됨)"
    assert "∂f/∂x ← 상류 × 국소 = −4 × 1 = −4" in g.explain()
    assert g.view.explanation.value.startswith("<div><b>4단계 중 4단계</b> · 완료</div>")
    g.back()
    assert g.view.explanation.value.startswith("<div><b>4단계 중 3단계</b> · 역전파</div>")
    g.reset()
    assert g.explain() == ["다음 단계를 누르세요. 순전파가 노드 2개를 왼쪽에서 오른쪽으로 계산합니다."]
    assert [g.control(n).description for n in ("back", "step", "reset", "position")] == \
        ["◀ 이전 단계", "다음 단계 ▶", "처음으로", "단계"]


def test_fan_out_and_the_softmax_note_are_korean(korean):
    g = nw.BackpropStepper.preset("softmax_with_loss")
    names = [op.name for op in g.graph.ops]

    def backward_at(node):
        g.position = 2 * len(names) - names.index(node)
        return g.explain()

    assert backward_at("a")[-1].startswith(
        "∂L/∂a = p − y = [0.3682, 0.6318] − [1, 0] = [−0.6318, 0.6318]: softmax 뒤에 교차 엔트로피가 오면")
    fan_out = "분기: e의 출력이 노드 2개로 갈라지므로 기울기를 모두 더합니다: "
    assert f"{fan_out}[−0.6188, 0] = [−0.6188, 0] (2개 중 1개 도착)" in backward_at("p")  # p = e / S
    assert f"{fan_out}[−0.6188, 0] + [0.2278, 0.2278] = [−0.391, 0.2278] (모두 도착)" in backward_at("S")
    assert "일치" in g.view.check.value and "중앙 차분" in g.view.check.value


def test_preset_titles_and_descriptions_read_korean_but_save_as_they_are(korean):
    g = nw.BackpropStepper.preset("apple")
    assert g.view.title.value == "<b>사과 2개와 소비세 (강의 노트 001)</b>"
    assert g.title == PRESETS["apple"].title == "2 apples with tax (seed 001)"  # the saved setting is the source
    assert nw.BackpropStepper.presets()["apple"].startswith("사과: 100 × 2 × 1.1 = 220")
    g.title = "내 제목"  # a title the learner typed is shown as typed
    assert g.view.title.value == "<b>내 제목</b>"


def test_to_dict_is_the_same_in_both_languages_and_switching_back_gives_english(korean):
    g = nw.BackpropStepper.preset("sigmoid_neuron", position=12, sigmoid="expanded")
    saved = g.to_dict()
    nw.set_language("en")
    english = nw.BackpropStepper.preset("sigmoid_neuron", position=12, sigmoid="expanded")
    assert english.to_dict() == saved and english.language == "en"
    g.language = "en"
    assert g.to_dict() == saved
    assert not any(has_hangul(t) for t in panel_text(g) if t not in ("한국어", "한국어로 보기"))  # the toggle's own
    assert g.explain()[-1].startswith("∂f/∂") and "upstream × local" in " ".join(g.explain())
    g.language = "ko"
    assert g.to_dict() == saved and "상류 × 국소" in g.view.explanation.value


def test_a_korean_panel_speaks_korean_while_english_is_in_force():
    g = nw.BackpropStepper.preset("add_mul", position=3)
    g.language = "ko"
    assert g.explain()[2] == "∂f/∂q ← 상류 × 국소 = 1 × −4 = −4"
    with pytest.raises(ValueError, match="^알 수 없는 입력 'w'"):
        g.set_input("w", 1.0)
    with pytest.raises(ValueError, match="^컨트롤 이름은"):
        g.control("nope")
    with pytest.raises(ValueError, match="^이 패널은 Python 함수로 만들어서"):
        unsavable = nw.BackpropStepper(lambda x: x * 2, x=1.0)
        unsavable.language = "ko"
        unsavable.to_dict()


@pytest.mark.parametrize("name, value, words", [
    ("position", 99, ("position", "0과 4 사이")),
    ("position", -1, ("position", "0 이상의 정수")),
    ("inputs", {"x": 1.0}, ("빠진 입력", "'y', 'z'")),
    ("inputs", {"x": 1.0, "y": 2.0, "z": 3.0, "w": 4.0}, ("알 수 없는 입력", "'w'")),
    ("inputs", [1.0], ("inputs", "dict")),
    ("preset_name", "nope", ("preset_name", "중 하나여야")),
    ("names", ["q"], ("names", "dict")),
])
def test_a_bad_value_is_refused_in_korean_and_changes_nothing(korean, name, value, words):
    g = nw.BackpropStepper.preset("add_mul")
    before = g.to_dict()
    with pytest.raises(ValueError) as err:
        setattr(g, name, value)
    message = str(err.value)
    assert has_hangul(message) and all(word in message for word in words), message
    assert g.to_dict() == before and g.error == message and has_hangul(g.view.status.value)


def test_inputs_outside_the_domain_are_refused_in_korean(korean):
    g = nw.BackpropStepper("log(x) * y", x=2.0, y=3.0)
    before = g.to_dict()
    with pytest.raises(ValueError, match="x = −1에서는 fn이 정의되지 않습니다: .*의 값 = nan"):
        g.set_input("x", -1.0)
    assert g.to_dict() == before
