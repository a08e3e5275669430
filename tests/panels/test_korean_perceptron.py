"""The perceptron panel in Korean: every tab and message, the proof, the errors; switching back gives English.

The MLP tab trains for fewer epochs than its default (2000, not 20000) where the number does not matter: the
words are the same and the test stays light on CPU.
"""
from __future__ import annotations

import re

import pytest

import nnwidgets as nw
from nnwidgets.i18n import speaking
from nnwidgets.panels.perceptron import STACK_PRESETS, text, why_no_line
from nnwidgets.panels.perceptron.text import why_no_line_steps
from nnwidgets.render.fonts import use_our_fonts
from tests.panels import test_perceptron_layout as layout
from tests.panels.korean import english_words, has_hangul, panel_text

#: what may stay Latin on the Korean panel: the stack table's z_h1, z_h2, z_y columns (their letters before the
#: digit), the settings' API names an error message names (p.learn.epoch, p.mlp.snapshot) and the language
#: toggle's tooltip for English readers ("Show in English")
KEEP = {"z_h", "z_y", "epoch", "snapshot", "Show"}


@pytest.fixture
def korean():
    nw.set_language("ko")
    yield
    nw.set_language("en")


def light(p):
    """``p`` with a short MLP run (the MLP tab's words do not depend on the number of epochs)."""
    p.mlp.epochs = 2000
    return p


def status(p, tab: str) -> str:
    return p.tab_view(tab).status.value


# ---- every tab, in the states that show each message --------------------------------------------------------------

def configure_xor(p):  # unsolved, no single line, the rule cycles, the proof; stack solved
    return p


def configure_and_sigmoid(p):  # solved; the sigmoid's colour bar; the rule solves AND
    p.load_preset("AND")
    p.set(activation="sigmoid", threshold=">=")
    return p


def configure_not_yet(p):  # the rule has not solved AND within 1 epoch; stack: seed 002's network, wrong
    p.set(gate="AND", w1=0.0, w2=0.0, b=0.0)
    p.learn.epochs = 1
    p.stack.load_preset("h1 − h2 network (seed 002)")
    return p


def configure_none_and_one_unit(p):  # stack computes none of the six gates; one hidden unit at its initial weights
    p.stack.y_b = 5.0
    p.mlp.set(hidden_size=1, snapshot=0)
    return p


def configure_errors(p):  # refused values of the panel's own checks, shown in the tabs' status lines
    p.tab_view("learn"), p.tab_view("mlp")  # the views that show them
    for state, name, value in ((p.learn, "lr", 50), (p.learn, "epoch", 999), (p.mlp, "snapshot", 10_000)):
        with pytest.raises(ValueError):
            setattr(state, name, value)
    return p


CONFIGURATIONS = {
    "xor": (configure_xor, {"neuron": "직선 하나로는 풀 수 없습니다", "learn": "계속 맴돕니다",
                            "stack": "모든 행이 정답 XOR와 일치합니다"}),
    "and-sigmoid": (configure_and_sigmoid, {"neuron": "AND 해결", "learn": "에포크 만에 AND 문제를 푸는 직선을"}),
    "not-yet": (configure_not_yet, {"learn": "1 에포크 안에 풀지 못했습니다",
                                    "stack": "이 신경망은 XNOR를 계산합니다. 정답 XOR와는"}),
    "none-one-unit": (configure_none_and_one_unit, {"stack": "어느 것도 계산하지 않습니다", "mlp": "(초기 가중치)"}),
    "errors": (configure_errors, {"learn": "epoch은(는) 0부터 20(에포크 수)까지의 정수여야 합니다",
                                  "mlp": "snapshot은(는) 0부터 200까지의 정수여야 합니다"}),
}


@pytest.mark.parametrize("name", CONFIGURATIONS)
def test_every_tab_reads_korean(korean, name):
    configure, expected = CONFIGURATIONS[name]
    p = configure(light(nw.PerceptronExplorer(gate="XOR")))
    assert p.language == "ko"
    texts = panel_text(p)  # also fails on a glyph missing from the figures' font
    assert english_words(texts, keep=KEEP) == []
    for tab, sentence in expected.items():
        assert sentence in status(p, tab), (tab, status(p, tab))


def test_the_tabs_titles_controls_and_figures_are_korean(korean):
    p = light(nw.PerceptronExplorer(gate="XOR", activation="sigmoid"))
    assert list(p.view.titles) == ["뉴런", "학습", "두 층", "MLP 학습"]
    activation = p.control("activation")
    assert activation.options == (("계단 함수", "step"), ("sigmoid", "sigmoid"))
    activation.value = "step"  # the label is Korean, the value the API's
    assert p.activation == "step"
    preset = p.tab_view("stack").preset
    assert (preset.value, preset.label) == ("NAND + OR → AND (seed 000)", "NAND + OR → AND (강의 노트 000)")
    p.stack.h1_b = 0.6
    assert (preset.value, preset.label) == ("(your own weights)", "(직접 정한 가중치)")
    preset.value = "h1 − h2 network (seed 002)"
    assert preset.label == "h1 − h2 신경망 (강의 노트 002)" and p.stack.preset == "h1 − h2 network (seed 002)"
    texts = panel_text(p)
    for label in ("정답 0", "틀림", "y = σ(z), 0과 1 사이", "틀린 행 수", "시작 (에포크 0)",
                  "입력 공간: 은닉 뉴런 h1, h2의 직선", "은닉층", "W2 방향의 h (출력층이 보는 축)"):
        assert label in texts, label


def test_every_preset_of_the_two_layer_tab_has_a_title():
    assert set(text.STACK_PRESET_TITLES) == set(STACK_PRESETS)


def test_text_constants_are_read_in_the_language_in_force():
    with speaking("ko"):
        korean_titles, korean_rule = text.TAB_TITLES, text.RULE[">"]
    with speaking("en"):
        english_titles, english_rule = text.TAB_TITLES, text.RULE[">"]
    assert korean_titles["stack"] == "두 층" and english_titles["stack"] == "Two layers"
    assert korean_rule == "z > 0이면 y = 1" and english_rule == "y = 1 if z > 0"


def drawn_as_to_png_draws(figure):
    """``layout.drawn`` with the fonts ``to_png`` gives every text (the marks' too), so Hangul is measured in the
    font it is drawn in."""
    layout.FigureCanvasAgg(figure.fig)
    artists = layout.draw_with_matplotlib(figure.fig, figure.marks)
    use_our_fonts(figure.fig)
    figure.fig.canvas.draw()
    return figure.fig.canvas.get_renderer(), artists


@pytest.mark.filterwarnings("error:.*missing from font")
@pytest.mark.parametrize("tab, activation, hidden_size", [("neuron", "step", 3), ("neuron", "sigmoid", 3),
                                                         ("learn", "step", 3), ("stack", "step", 3),
                                                         ("mlp", "step", 1), ("mlp", "step", 3)])
def test_the_korean_figures_have_no_overlaps(korean, monkeypatch, tab, activation, hidden_size):
    """Korean labels are wider than English ones: axes, labels, titles and legends still keep apart (the MLP
    trains its default 20000 epochs here: the loss axis's tick labels depend on it)."""
    monkeypatch.setattr(layout, "drawn", drawn_as_to_png_draws)
    p = nw.PerceptronExplorer(gate="XOR", tab=tab, activation=activation, w1=-1.25, w2=1.5, b=-0.05)
    p.mlp.hidden_size = hidden_size
    layout.assert_no_overlaps(p.tab_view(tab).figure)


# ---- switching keeps the state and gives English back --------------------------------------------------------------

def test_switching_to_english_keeps_the_state_and_shows_no_hangul(korean):
    p = configure_not_yet(light(nw.PerceptronExplorer(gate="XOR")))
    before = p.to_dict()
    assert any(has_hangul(t) for t in panel_text(p))
    p.language = "en"
    assert p.to_dict() == before
    toggle = p.language_toggle
    own_words = {*toggle._options_labels, *toggle.tooltips}  # the toggle names each language in that language
    english = [t for t in panel_text(p) if t not in own_words]
    assert [t for t in english if has_hangul(t)] == []
    assert "This network computes XNOR, not XOR" in status(p, "stack")
    with speaking("en"):
        fresh = nw.PerceptronExplorer.from_dict(before)
    assert fresh.language == "en" and fresh.to_dict() == before
    assert sorted(english) == sorted(t for t in panel_text(fresh) if t not in own_words)
    p.language = "ko"
    assert p.to_dict() == before and "이 신경망은 XNOR를 계산합니다" in status(p, "stack")


def test_a_panel_made_in_korean_saves_what_one_made_in_english_saves(korean):
    settings = {"gate": "NOR", "w1": -0.3, "w2": -0.45, "b": 0.2, "activation": "sigmoid", "threshold": ">="}
    in_korean = nw.PerceptronExplorer(**settings)
    with speaking("en"):
        in_english = nw.PerceptronExplorer(**settings)
    assert in_english.language == "en"
    assert in_korean.to_dict() == in_english.to_dict()


# ---- errors: Korean, naming the parameter, the state left as it was -------------------------------------------------

BAD_VALUES = [  # (sub-state, setting, value, a fragment of the Korean message)
    ("learn", "epoch", 21, "epoch은(는) 0부터 20(에포크 수)까지의 정수여야 합니다. 받은 값: 21"),
    ("learn", "epoch", -1, "epoch은(는) 0 이상의 정수여야 합니다. 받은 값: -1"),
    ("learn", "lr", 50, "lr은(는) 0보다 크고 10 이하인 수여야 합니다. 받은 값: 50.0"),
    ("mlp", "lr", 0, "lr은(는) 0보다 크고 10 이하인 수여야 합니다. 받은 값: 0.0"),
    ("mlp", "snapshot", 201, "snapshot은(는) 0부터 200까지의 정수여야 합니다 (2000 에포크는 스냅샷 201개를 "
                             "남깁니다). 받은 값: 201"),
]


@pytest.mark.parametrize("tab, name, value, message", BAD_VALUES)
def test_a_bad_value_is_refused_in_korean_and_changes_nothing(korean, tab, name, value, message):
    p = light(nw.PerceptronExplorer(gate="OR", tab=tab))
    before = p.to_dict()
    with pytest.raises(ValueError) as err:
        setattr(getattr(p, tab), name, value)
    assert str(err.value) == message
    assert p.to_dict() == before
    assert "⚠ " + message in status(p, tab)
    p.language = "en"  # the same refusal, in English
    with pytest.raises(ValueError) as err:
        setattr(getattr(p, tab), name, value)
    assert not has_hangul(str(err.value)) and str(err.value).startswith(f"{name} must be")
    assert p.to_dict() == before


def test_panel_methods_refuse_in_korean(korean):
    p = nw.PerceptronExplorer(gate="AND")
    before = p.to_dict()
    with pytest.raises(ValueError, match=r"^gate 'XOR'에는 단일 퍼셉트론 프리셋이 없습니다.*AND, NAND, OR, NOR"):
        p.load_preset("XOR")
    with pytest.raises(ValueError, match=r"^퍼셉트론 패널에는 'learn\.nope' 컨트롤이 없습니다\. 있는 컨트롤: tab, "):
        p.control("learn.nope")
    assert p.to_dict() == before
    p.language = "en"
    with pytest.raises(ValueError, match="gate 'XOR' has no single-perceptron preset"):
        p.load_preset("XOR")  # the panel's language, not the one set for new panels
    with pytest.raises(ValueError, match="the perceptron panel has no control 'learn.nope'"):
        p.control("learn.nope")


# ---- the proof ------------------------------------------------------------------------------------------------------

MATHS = re.compile(r"(?:w1 \+ w2 \+ 2b|w1 \+ w2 \+ b|w1 \+ b|w2 \+ b|−b|b) [<>≤≥] (?:0|−b)")


@pytest.mark.parametrize("gate", ["XOR", "XNOR"])
@pytest.mark.parametrize("threshold", [">", ">="])
def test_the_korean_proof_states_the_same_inequalities(gate, threshold):
    with speaking("ko"):
        korean_proof, korean_steps = why_no_line(gate, threshold), why_no_line_steps(gate, threshold)
    with speaking("en"):
        english_proof, english_steps = why_no_line(gate, threshold), why_no_line_steps(gate, threshold)
    assert korean_proof.startswith(f"어떤 직선으로도 {gate} 문제를 풀 수 없습니다.")
    assert english_proof.startswith(f"No line can compute {gate}.")
    assert korean_steps[0] == english_steps[0]  # the rows' conditions are maths
    assert has_hangul(korean_steps[1]) and not has_hangul(english_steps[1])
    inequalities = MATHS.findall(english_proof)
    assert len(inequalities) == 4 + 5 and MATHS.findall(korean_proof) == inequalities
    with speaking("ko"):
        assert why_no_line("AND", threshold) == "" and why_no_line_steps("OR", threshold) == ([], "")


def test_the_learn_tab_folds_the_korean_proof(korean):
    p = nw.PerceptronExplorer(gate="XNOR", threshold=">=")
    why = p.tab_view("learn").why.value
    assert "<details" in why and "왜 어떤 직선으로도 XNOR 문제를 풀 수 없을까? (증명)" in why
    assert "네 행이 요구하는 조건:" in why and "대신 층을 두 개 쌓아 보세요." in why
