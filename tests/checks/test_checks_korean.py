"""nnwidgets.checks speak the language in force (``nw.set_language``, ``speaking``): the same verdicts, Korean
feedback, English by default."""
import re
import warnings

import numpy as np
import pytest

import nnwidgets as nw
from nnwidgets import checks
from nnwidgets.i18n import speaking

HANGUL = re.compile("[\uac00-\ud7a3]")


def overflowing_softmax(z):
    e = np.exp(z)
    return e / e.sum()


def flipped_sgd(w, g, lr):
    return w + lr * g


def unpadded(n, k, s, p):
    return (n + p - k) // s + 1


def relu_in_place(x):
    x[x < 0] = 0
    return x


WRONG = [(lambda: checks.check_softmax(overflowing_softmax), "먼저 최댓값을 빼세요", "Subtract the max first"),
         (lambda: checks.check_optimizer("sgd", flipped_sgd), "기울기의 반대 방향", "step against the gradient"),
         (lambda: checks.check_conv_output_size(unpadded), "패딩은 양쪽에", "padding is added on both sides"),
         (lambda: checks.check_perceptron("AND", 1, 1, 0), "z는 ≤ 0이어야", "so z must be ≤ 0"),
         (lambda: checks.check_perceptron("XOR", 1, 1, 0), "XOR을 계산할 수 없습니다", "no single perceptron"),
         (lambda: checks.check_answer("seed_cnn_parameters", 1.5), "정수가 아닙니다", "expected whole number"),
         (lambda: checks.check_layer("Mul", BrokenLayer), "예외가 발생했습니다", "your code raised")]


class BrokenLayer:
    def __init__(self):
        raise ZeroDivisionError("division by zero")


@pytest.fixture
def korean():
    nw.set_language("ko")
    yield
    nw.set_language("en")


def _message(run) -> str:
    with pytest.raises(AssertionError) as failed:
        run()
    return str(failed.value)


@pytest.mark.parametrize("run, korean_text, english_text", WRONG)
def test_a_failure_is_korean_under_set_language_and_english_again_after(korean, run, korean_text, english_text):
    message = _message(run)
    assert korean_text in message and english_text not in message, message
    if "케이스" in message:
        assert "번째에서 틀렸습니다" in message and "입력:" in message
    with speaking("en"):
        english = _message(run)
    assert english_text in english and not HANGUL.search(english), english


def test_the_case_lines_line_up_the_same_numbers_in_both_languages(korean):
    korean_lines = _message(WRONG[0][0]).splitlines()
    with speaking("en"):
        english_lines = _message(WRONG[0][0]).splitlines()
    assert english_lines[1].startswith("  input:    ") and korean_lines[1].startswith("  입력:")
    assert [line.split(":", 1)[1].strip() for line in korean_lines[1:4]] == \
        [line.split(":", 1)[1].strip() for line in english_lines[1:4]]


def test_a_passing_check_passes_in_korean_and_its_note_is_korean(korean):
    checks.check_softmax(lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        checks.check_layer("ReLU", type("Relu", (), {
            "forward": lambda self, x: (setattr(self, "mask", x <= 0), np.where(x <= 0, 0.0, x))[1],
            "backward": lambda self, dout: relu_in_place_dout(self, dout)}))
    (note,) = [str(w.message) for w in caught if isinstance(w.message, checks.CheckNote)]
    assert "통과" in note and "제자리에서" in note and "in place (allowed" not in note


def relu_in_place_dout(layer, dout):
    dout[layer.mask] = 0  # the book's Relu.backward changes dout in place
    return dout


def test_the_optimizer_form_is_named_in_korean(korean):
    def pytorch_momentum(w, g, v, lr, momentum):
        v = momentum * v + g
        return w - lr * v, v

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        checks.check_optimizer("momentum", pytorch_momentum)
    (note,) = [str(w.message) for w in caught if isinstance(w.message, checks.CheckNote)]
    assert "PyTorch의 버퍼 형태" in note and "인식했습니다" in note
