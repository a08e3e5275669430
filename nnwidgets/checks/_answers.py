"""check_answer: numbers the seeds ask students to work out by hand, kept only as salted digests.

The package holds no answer in plain form: a value is accepted when the digest of its rounded value (or of
a neighbouring grid step) matches. This is practice feedback, not a secret: a student who can run the check
can search for the value. ``python -m nnwidgets.grade`` grades outside the student's process.
"""
from __future__ import annotations

import hashlib
import math
from typing import NamedTuple

from nnwidgets.i18n import N_, _, gettext

from ._harness import Failure, scalar


class Answer(NamedTuple):
    grid: float       # answers are compared on this grid ...
    reach: int        # ... accepting this many grid steps either side
    digest: str       # digest of round(answer / grid)
    slips: tuple      # ((digest of a typical wrong value, hint), ...), matched within 10 grid steps


def digest(name: str, step: int) -> str:
    return hashlib.sha256(f"nnwidgets-answers:{name}:{step}".encode()).hexdigest()[:20]


#: name -> Answer. Floats: grid 1e-4, two steps either side (accepted within 2e-4 to 3e-4 of the answer).
ANSWERS = {
    "seed002_exercise1_cross_entropy": Answer(1e-4, 2, "640c1ae19edbd6b888b6", (
        ("e029c28a2a82cf323fa2", N_("that is −log10(0.37): cross-entropy uses the natural log (ln) of softmax's "
                                    "unrounded probability")),)),
    "seed002_exercise1_mse": Answer(1e-4, 2, "4a3af6c55b071c0dc1d8", (
        ("79164771cfb2cc3766e2", N_("the slide rounds the probabilities to 0.37 and 0.63 first; keep all of "
                                    "softmax's digits")),)),
    "seed002_loss_exercise_cross_entropy": Answer(1e-4, 2, "b182dc1d9dff8675e9eb", (
        ("a4c041d74a6022dcf32d", N_("that is −log10(0.8) from the slide's rounded softmax; e^0.39 is 1.477, not "
                                    "0.48, and cross-entropy uses the natural log")),)),
    "seed000_iris_cross_entropy": Answer(1e-4, 2, "b7dcfa89296394e3e27f", (
        ("96bdbed72d98c4b76db7", N_("that is a log base 10: use the natural log")),)),
    "seed_cnn_flatten_size": Answer(1.0, 0, "f2c693057052e5be6e94", (
        ("7b4f55ab5c5900eefce4", N_("the 2×2 max-pool with stride 2 halves each side before flattening")),)),
    "seed_cnn_parameters": Answer(1.0, 0, "62c7206530a7abb323ae", (
        ("17968931815021a1f376", N_("count the convolution's biases too: one per filter")),)),
}


def _near(name: str, value: float, answer: Answer, target: str, reach: int) -> bool:
    centre = round(value / answer.grid)
    return any(digest(name, centre + step) == target for step in range(-reach, reach + 1))


def check_answer(name: str, value, *, seed: int | None = None) -> None:
    """A number worked out by hand (``ANSWERS`` lists the questions) against the digest kept in the package.

    ``seed`` adds no cases (one question, one number); it is accepted like every check's.
    """
    if name not in ANSWERS:
        raise AssertionError(_("check_answer: unknown question {name!r}; known: {known}").format(
            name=name, known=", ".join(ANSWERS)))
    answer = ANSWERS[name]
    fail = Failure(f"check_answer({name!r})", 1)
    given = _("your answer = {value!r}").format(value=value)
    got = scalar(fail, 1, given, value, _("your answer"))
    if not (math.isfinite(got) and _near(name, got, answer, answer.digest, answer.reach)):
        reach = 10 if answer.reach else 0
        hint = next((gettext(h) for d, h in answer.slips if math.isfinite(got) and _near(name, got, answer, d, reach)),
                    _("not quite: check each step, keeping 6 significant digits"))
        within = _("your answer {got:g} is not the expected whole number") if answer.grid == 1 and not answer.reach \
            else _("your answer {got:g} is not within {tolerance:g} of the expected value")
        fail(1, given, hint=f"{hint} ({within.format(got=got, tolerance=answer.grid * answer.reach)})")
