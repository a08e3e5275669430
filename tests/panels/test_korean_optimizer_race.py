"""Issue 14: the optimizer race in Korean: every tab (race, learning rate, real model, momentum theory), the
leaderboard, legends, colour bar and titles, its warnings and refusals; the tab names stay the API's keys."""
import optax
import pytest

import nnwidgets as nw
from nnwidgets.i18n import speaking
from tests.panels.korean import english_words, figure_text, has_hangul, panel_text, widget_text

#: what stays in Latin letters on a Korean race: the hyperparameter names on the racers' sliders (beta1, beta2,
#: rho, as the learner types them), ``tol`` (a setting named in a refusal), and the toggle's "Show in English"
KEEP = {"beta", "rho", "tol", "Show"}
ALL_SIX = {"SGD": {"lr": 0.1}, "Momentum": {"lr": 0.05}, "Nesterov": {"lr": 0.05}, "AdaGrad": {"lr": 0.5},
           "RMSProp": {"lr": 0.05}, "Adam": {"lr": 0.1}}
TOGGLE = {"한국어", "한국어로 보기"}  # the language toggle reads the same in both languages


@pytest.fixture
def korean():
    nw.set_language("ko")
    yield
    nw.set_language("en")


def open_tab_text(panel) -> list[str]:
    """What the learner reads on the open tab: its picture and every widget."""
    return figure_text(panel) + widget_text(panel.frame)


def test_every_tab_reads_korean_and_the_tab_names_stay_the_api_keys(korean):
    r = nw.OptimizerRace(surface="rosenbrock", steps=40, optimizers=ALL_SIX)
    texts = panel_text(r)
    assert english_words(texts, keep=KEEP) == []
    assert r.tabs == ("race", "learning rate", "real model", "momentum theory")
    assert r.view.titles == ("경주", "학습률", "실제 모델", "Momentum 이론")
    board = r.tab_view("race").leaderboard.value
    assert "옵티마이저" in board and "40단계의 손실" in board and "옵티마이저 내부 상태" in board
    assert "g²의 이동 평균" in board and "속도 b" in board
    assert "로젠브록 함수: (1 − x)² + 100·(y − x²)²: 클릭하면 시작 지점을 옮깁니다" in texts
    assert "업데이트 단계" in texts
    assert r.control("surface").label == "로젠브록 함수" and r.control("surface").value == "rosenbrock"
    theory = r.tab_view("momentum theory")
    legend = [t.get_text() for t in theory.figure.fig.legends[0].get_texts()]
    assert legend[1:] == ["기본 경사 하강법 (같은 lr, β = 0)", "최적 momentum", "최적 기본 경사 하강법",
                          "점: 경주 탭의 SGD / Momentum / Nesterov"]
    assert theory.bar_axes.get_ylabel() == "수렴률 (한 단계마다 거리 × 이 값)"
    r.open_tab("learning rate")
    assert r.tab == "learning rate" and r.view.selected_index == 1


def test_the_race_tab_in_its_states_reads_korean(korean):
    """A diverging racer, an optax racer, a typed formula and a refused change, all on the race tab."""
    r = nw.OptimizerRace(surface="dlfs", start=(-7.0, 2.0), steps=40,
                         optimizers={"SGD": {"lr": 1.1}, "Adam": {"lr": 0.3}, "optax Adam": optax.adam(0.1)})
    view = r.tab_view("race")
    assert "21단계에서 발산" in view.leaderboard.value
    assert "optax 변환 (하이퍼파라미터는 그 안에 고정)" in view.racers.children[-1].children[-1].value
    assert english_words(open_tab_text(r), keep=KEEP) == []
    r.control("custom").value = "x**2 + 3*y**2 + sin(x)"
    assert r.surface == "x**2 + 3*y**2 + sin(x)" and r.control("surface").label == "직접 입력"
    texts = open_tab_text(r)
    assert "x**2 + 3*y**2 + sin(x): 클릭하면 시작 지점을 옮깁니다" in texts
    assert r.control("custom").placeholder == "f(x, y), 예: x**2 + 3*y**2 + sin(x)"
    with pytest.raises(ValueError):
        r.tol = -1.0
    assert "tol은(는) 1e6 이하의 양수여야 합니다" in view.status.value
    assert english_words(open_tab_text(r), keep=KEEP) == []


def test_the_other_tabs_in_their_states_read_korean(korean):
    r = nw.OptimizerRace()
    r.open_tab("learning rate")
    lr = r.tab_view("learning rate")
    for bowl, rate, words in (("1-D", 0.1, "매끄럽게 수렴합니다"), ("1-D", 0.8, "최솟값을 지나쳐 진동하지만"),
                              ("1-D", 1.2, "발산합니다"), ("2-D", 0.4, "평평한 x에는 너무 작습니다")):
        r.learning_rate.set(bowl=bowl, lr=rate)
        assert words in lr.verdict.value
        assert english_words(open_tab_text(r), keep=KEEP) == [], (bowl, rate)
    r.open_tab("real model")
    model = r.tab_view("real model")
    assert "에포크마다 ⌈120/10⌉ = 12번 반복" in model.info.value and "테스트 정확도" in model.table.value
    r.real_model.set(model="xor", batch="stochastic", epochs=200)
    assert "따로 떼어 둔 테스트 세트가 없습니다" in model.table.value
    assert model.controls["batch"].label == "확률적 (샘플 1개)" and r.real_model.batch == "stochastic"
    assert english_words(open_tab_text(r), keep=KEEP) == []
    r.open_tab("momentum theory")
    theory = r.tab_view("momentum theory")
    r.momentum_theory.set(lr=1.5, momentum=0.0)  # past 1/λmax: y flips sign every step
    assert "이것이 지그재그입니다" in theory.explanation.value
    r.momentum_theory.set(lr=0.001, momentum=0.0)  # too slow to reach the tolerance within the horizon
    assert "3000단계 안에는 도달하지 못함" in theory.explanation.value
    assert english_words(open_tab_text(r), keep=KEEP) == []


def test_to_dict_is_the_same_in_both_languages_and_switching_back_gives_english(korean):
    r = nw.OptimizerRace(steps=20)
    r.momentum_theory.lr = 0.2
    saved = r.to_dict()
    with speaking("en"):
        english = nw.OptimizerRace(steps=20)
    english.momentum_theory.lr = 0.2
    assert english.to_dict() == saved and english.language == "en"
    r.language = "en"
    assert r.to_dict() == saved
    texts = panel_text(r)
    assert not any(has_hangul(t) for t in texts if t not in TOGGLE)
    assert r.view.titles == ("race", "learning rate", "real model", "momentum theory")
    assert "loss at step 20" in r.tab_view("race").leaderboard.value and "update step" in texts
    r.language = "ko"
    assert r.to_dict() == saved and "20단계의 손실" in r.tab_view("race").leaderboard.value


@pytest.mark.parametrize("name, value, words", [
    ("tol", -1.0, ("tol", "1e6 이하의 양수")),
    ("step", 99, ("step", "0..steps = 0..30 범위의 정수")),
    ("surface", "bogus", ("surface", "x와 y로 쓴 수식")),
    ("optimizers", {"Nadam": {}}, ("optimizers", "'Nadam'", "중 하나가 아닙니다")),
    ("enabled", {"Nadam": True}, ("enabled", "'Nadam'이(가) 없습니다")),
])
def test_a_bad_race_value_is_refused_in_korean_and_changes_nothing(korean, name, value, words):
    r = nw.OptimizerRace(steps=30)
    before, results = r.to_dict(), r.results
    with pytest.raises(ValueError) as err:
        setattr(r, name, value)
    message = str(err.value)
    assert has_hangul(message) and all(word in message for word in words), message
    assert r.to_dict() == before and r.results is results and r.error == message
    assert has_hangul(r.tab_view("race").status.value)


@pytest.mark.parametrize("name, value, words", [
    ("condition", 5000.0, ("condition", "조건수 κ")),
    ("lr", 3.0, ("lr", "2.5 이하인 학습률")),
    ("momentum", 1.0, ("momentum", "0 ≤ β < 1인")),
])
def test_a_bad_theory_value_is_refused_in_korean_and_changes_nothing(korean, name, value, words):
    r = nw.OptimizerRace()
    theory = r.momentum_theory
    before = r.to_dict()
    with pytest.raises(ValueError) as err:
        setattr(theory, name, value)
    message = str(err.value)
    assert has_hangul(message) and all(word in message for word in words), message
    assert r.to_dict() == before and theory.error == message


def test_a_korean_panel_speaks_korean_while_english_is_in_force():
    r = nw.OptimizerRace(steps=10)
    r.language = "ko"
    with pytest.raises(ValueError, match="^컨트롤 'speed'이\\(가\\) 없습니다"):
        r.control("speed")
    with pytest.raises(ValueError, match="^Adam의 하이퍼파라미터는 'lr' 같은 이름이어야"):
        r.set_hyperparameter("Adam", 3, 0.1)
    with pytest.raises(ValueError, match="^step은 0..steps = 0..10 범위의 정수"):
        r.step = 11
    r.surface = lambda x, y: x ** 2 + y ** 2
    with pytest.raises(ValueError, match="^surface가 Python 함수라서 저장할 수 없습니다"):
        r.to_dict()
    r.language = "en"
    with pytest.raises(ValueError, match="^no control 'speed'"):
        r.control("speed")
