"""Issue 14: the playground in Korean: controls, status line, formula, figure titles, confusion matrix, refusals."""
import pytest

import nnwidgets as nw
from nnwidgets.panels.playground import Playground
from tests.panels.korean import english_words, has_hangul, panel_text

#: what stays in Latin letters on a Korean playground: the names the learner types as values (data sets,
#: optimizers and their hyperparameters rho, eps, beta1/beta2, inits, the linear activation, the "points" set),
#: and the toggle's deliberately English tooltip "Show in English"
KEEP = {"circle", "xor", "gauss", "spiral", "moons", "iris", "digits", "plane", "wave", "points", "sgd",
        "nesterov", "adagrad", "rmsprop", "adam", "rho", "eps", "beta", "xavier", "normal", "zeros", "linear", "Show"}

CONFIGURATIONS = [
    dict(dataset="xor", hidden=(4,)),  # 2-D classification: the decision boundary
    dict(dataset="iris", hidden=(4,), batch_norm=True, early_stopping=2, optimizer="adam"),  # confusion matrix
    dict(dataset="digits", hidden=(8,), regularization="l2", reg_rate=0.001),  # misclassified digits as images
    dict(dataset="wave", problem="regression", hidden=(4, 2), optimizer="momentum"),
]


@pytest.fixture
def korean():
    nw.set_language("ko")
    yield
    nw.set_language("en")


@pytest.mark.parametrize("settings", CONFIGURATIONS)
def test_every_part_reads_korean_before_and_after_training(korean, settings):
    pg = Playground(**settings)
    assert english_words(panel_text(pg), keep=KEEP) == []
    pg.train(4)
    assert english_words(panel_text(pg), keep=KEEP) == []
    status = pg.status.value
    assert "에포크 4" in status and "훈련 손실" in status and "테스트 손실" in status
    if pg.problem == "classification":
        assert "테스트 정확도" in status
    assert "신경망 (한 줄에 한 층" in pg.formula_box.value and "h1 = " in pg.formula_box.value


def test_the_confusion_matrix_and_misclassified_captions(korean):
    pg = Playground(dataset="digits", hidden=(8,))
    pg.train(2)
    texts = panel_text(pg)
    assert {"혼동 행렬 (테스트 데이터)", "예측 클래스", "정답 클래스", "잘못 분류된 샘플 (정답→예측)",
            "층별 |∂L/∂W| 평균", "에포크"} <= set(texts)
    assert english_words(texts, keep=KEEP) == []


def test_buttons_and_the_play_toggle_in_korean(korean):
    pg = Playground(dataset="xor", hidden=(2,))
    assert [pg.control(n).description for n in ("play", "step", "reset")] == ["재생", "한 단계", "처음으로"]
    pg.control("play").value = True  # no event loop here: the label changes, nothing runs
    assert pg.control("play").description == "일시 정지"
    pg.control("play").value = False
    assert pg.control("problem").options == (("분류", "classification"), ("회귀", "regression"))
    assert pg.control("regularization").options[0] == ("없음", "none")
    pg.control("step").click()
    assert pg.epoch == 1 and "에포크 1" in pg.status.value


@pytest.mark.parametrize("name, value, words", [
    ("lr", -1, ("lr", "범위의 수")), ("early_stopping", -3, ("early_stopping", "조기 종료 없음", "None")),
    ("problem", "regression", ("problem", "분류 데이터셋")), ("features", ("x9",), ("features", "서로 다른")),
    ("points", [(1, 2)], ("points", "1번째 항목", "(x1, x2, label)")),
    ("dataset", "no-such-file.csv", ("dataset", "CSV")),
    ("optimizer_options", {"beta1": 0.5}, ("optimizer_options", "beta1", "lr 말고는 없음")),
    ("optimizer_options", [1], ("optimizer_options", "딕셔너리")),
])
def test_a_bad_value_is_refused_in_korean_and_changes_nothing(korean, name, value, words):
    pg = Playground(dataset="xor", hidden=(4,))
    pg.train(2)
    before = pg.to_dict()
    with pytest.raises(ValueError) as err:
        setattr(pg, name, value)
    assert has_hangul(str(err.value)) and all(w in str(err.value) for w in words), str(err.value)
    assert pg.to_dict() == before and pg.epoch == 2
    assert has_hangul(pg.status.value)  # the error line, above the figure


def test_typed_hidden_sizes_and_unknown_controls_are_refused_in_korean(korean):
    pg = Playground(dataset="xor", hidden=(4,))
    pg.control("hidden").value = "4, x"
    assert pg.hidden == (4,) and "쉼표로 구분한 크기" in pg.error and pg.control("hidden").value == "4"
    with pytest.raises(ValueError, match="Playground에는 'zz' 컨트롤이 없습니다"):
        pg.control("zz")


def test_same_state_in_both_languages_and_the_switch_back_to_english(korean):
    settings = CONFIGURATIONS[1]
    pg = Playground(**settings)
    english = Playground(language="en", **settings)
    assert pg.language == "ko" and english.language == "en"
    assert pg.to_dict() == english.to_dict()
    pg.train(3)
    pg.language = "en"
    assert not any(has_hangul(t) for t in panel_text(pg) if t not in ("한국어로 보기", "한국어"))
    assert "epoch 3 · train loss" in pg.status.value and pg.control("play").description == "Play"
    with pytest.raises(ValueError, match="lr must be a number in"):
        pg.lr = -1
    pg.language = "ko"
    assert pg.epoch == 3 and "에포크 3" in pg.status.value
    english.train(3)
    assert pg.to_dict() == english.to_dict()
