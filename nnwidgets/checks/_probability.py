"""check_softmax and check_cross_entropy: 1-D or batched input (one example per row), one-hot or integer labels."""
from __future__ import annotations

import math

import numpy as np

from nnwidgets.i18n import _

from ._harness import DEFAULT_TIMEOUT, Failure, as_floats, call, close, fixed_rng, probe, scalar, seeded_rng, show


def softmax_ref(z):
    """Softmax over the last axis (each row of a batch), computed stably in float64."""
    z = np.asarray(z, np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_cases(seed: int | None = None):
    cases = [[2.0, 1.0, 0.1], [1.5, 3.7], [-0.894283, 1.099602, 2.083328], [3.0, 3.0, 3.0], [5.0],
             [1000.0, 999.0], [-1000.0, -1001.0], [1000.0, -1000.0, 0.0]]
    rng = fixed_rng("softmax")
    cases += [list(rng.normal(0, 1 + 4 * i, size=2 + i)) for i in range(8)]
    extra = seeded_rng(seed)
    cases += [list(extra.normal(0, 1 + 3 * i, size=2 + i)) for i in range(6)] if extra else []
    return [np.array(c, np.float64) for c in cases]


def softmax_batches(seed: int | None = None):
    """Rows of very different scale: a max over the whole batch instead of each row gives 0/0 in a row."""
    rng = fixed_rng("softmax-batch")
    batches = [[[1000.0, 999.0, 998.0], [0.0, 1.0, -1.0]], [[2.0, 1.0, 0.1, -1.0]], rng.normal(0, 3, size=(4, 3)),
               rng.normal(0, 1, size=(3, 5))]
    extra = seeded_rng(seed)
    batches += [extra.normal(0, 2 + i, size=(2 + i, 3 + i)) for i in range(3)] if extra else []
    return [np.array(b, np.float64) for b in batches]


def check_softmax(fn, *, batch: bool | None = None, large_logits: bool = True, allow_inplace: bool = True,
                  seed: int | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
    """``fn(z)`` must return softmax(z) = e^z / Σ e^z: for a 1-D array of logits, and for a batch (one example
    per row, softmax over each row) when it takes one.

    ``batch=None`` (default) tries a batch: a function that answers with per-row softmax is tested on batches
    too, one that treats a 2-D array as one vector is taken as 1-D only, any other answer (each column
    normalised, one max for the whole batch) fails. ``batch=True`` requires batches (and tests only batches
    when 1-D input raises), ``batch=False`` tests 1-D input only. ``large_logits=False`` leaves out the cases
    with logits like 1000 (d2l's from-scratch softmax, unstable by its own text, passes then).
    Tolerance: |got − expected| ≤ 1e-7 + 1e-5·|expected| for every entry.
    """
    vectors, batches = softmax_cases(seed), softmax_batches(seed)
    if not large_logits:
        vectors, batches = [z for z in vectors if np.abs(z).max() < 50], [z for z in batches if np.abs(z).max() < 50]
    runs_1d = batch is False or probe("check_softmax", fn, vectors[0], timeout=timeout) is not None
    use_batches = bool(batch)
    if batch is None:  # a batch answer that is per-row softmax or one softmax of the whole array is fair; else wrong
        rows = next(b for b in batches if b.shape[0] > 1)
        answer = probe("check_softmax", fn, rows, timeout=timeout)
        one_vector = answer is not None and answer.shape == rows.shape and close(
            answer, softmax_ref(rows.ravel()).reshape(answer.shape), 1e-5, 1e-7)
        use_batches = answer is not None and not one_vector
    cases = (vectors if runs_1d or not use_batches else []) + (batches if use_batches else [])
    fail = Failure("check_softmax", len(cases))
    for k, z in enumerate(cases, start=1):
        inputs = f"z = {show(z)}"
        result = call(fail, k, inputs, fn, z, timeout=timeout, names=["z"], allow_inplace=allow_inplace,
                      signature="softmax(z)")
        got = as_floats(fail, k, inputs, result, shape=z.shape, what="softmax(z)")
        expected = softmax_ref(z)
        if not close(got, expected, rtol=1e-5, atol=1e-7):
            fail(k, inputs, expected, got, _softmax_hint(z, got))
    fail.done()


def _softmax_hint(z, got):
    if z.ndim == 2 and z.shape[0] > 1:
        if close(got, softmax_ref(z.T).T, 1e-5, 1e-7):
            return _("each column (axis 0) sums to 1: a batch has one example per row, so normalise over the last "
                     "axis: np.max(z, axis=-1, keepdims=True) and np.sum(e, axis=-1, keepdims=True)")
        bad_rows = ~np.all(np.isfinite(got), axis=-1)
        far_below = z.max() - z.max(axis=-1) > 700  # rows whose e^(z − global max) underflows to 0
        if np.any(bad_rows & far_below) and not np.any(bad_rows & ~far_below):
            return _("a row became 0/0: subtract each row's own max (np.max(z, axis=-1, keepdims=True)), not the "
                     "max of the whole batch, whose e^(z − max) underflows to 0 in a row of small logits")
    if not np.all(np.isfinite(got)):
        return _("your softmax overflows for logits like {logit}: e^{logit} is too big for a float. Subtract the max "
                 "first: e^(z − max z) / Σ e^(z − max z) gives the same probabilities").format(logit=show(z.max()))
    total = got.sum(axis=-1)
    if np.allclose(got, np.exp(z), rtol=1e-5) or np.allclose(got, np.exp(z - z.max(axis=-1, keepdims=True)),
                                                             rtol=1e-5):
        return _("these are the exponentials: divide them by their sum so the probabilities add up to 1")
    if np.allclose(got, softmax_ref(-z), rtol=1e-5, atol=1e-7):
        return _("you exponentiated −z: softmax uses e^z, so the largest logit gets the largest probability")
    if np.any(np.abs(total - 1) > 1e-5):
        return _("probabilities must add up to 1 (in each row), yours add up to {total}").format(total=show(total))
    return _("compare your steps with e^z / Σ e^z on this input")


def cross_entropy_cases(seed: int | None = None):
    """(p, target class) pairs; every target probability is at least 0.02, so ln(p + 1e-7) is within tolerance."""
    cases = [([0.035734, 0.262428, 0.701838], 2), ([0.0998, 0.9002], 1), ([0.368188, 0.631812], 0),
             ([0.0, 1.0, 0.0], 1), ([0.25, 0.25, 0.25, 0.25], 3), ([1.0], 0)]
    rng, extra = fixed_rng("cross_entropy"), seeded_rng(seed)
    for i in range(8 + (6 if extra else 0)):
        source = rng if i < 8 else extra
        p = softmax_ref(source.normal(0, 2, size=2 + i % 8))
        target = int(np.argmax(p)) if i % 3 == 0 else int(source.integers(p.size))
        p = np.clip(p, 0.02, None)
        cases.append((list(p / p.sum()), target))
    return [(np.array(p, np.float64), t) for p, t in cases]


def cross_entropy_batches(seed: int | None = None):
    """(P, targets) with one example per row; N ≠ K so a transposed or broadcast answer has the wrong shape."""
    rng, extra, out = fixed_rng("cross_entropy-batch"), seeded_rng(seed), []
    for n, k in [(4, 3), (2, 5), (1, 4)] + ([(3, 4), (5, 2)] if extra else []):
        source = rng if len(out) < 3 else extra
        p = np.clip(softmax_ref(source.normal(0, 2, size=(n, k))), 0.02, None)
        out.append((p / p.sum(axis=1, keepdims=True), source.integers(k, size=n)))
    return out


FORMS = (("1-D", "onehot"), ("1-D", "int"), ("batch", "onehot"), ("batch", "int"))


def _form_args(form, p, target):
    onehot = np.eye(p.shape[-1])[target]
    return p, onehot if form[1] == "onehot" else (int(target) if np.ndim(target) == 0 else np.asarray(target))


def _ce_expected(p, target):
    """Per-example −ln p[target] (one value for 1-D p)."""
    return -np.log(np.take_along_axis(np.atleast_2d(p), np.reshape(target, (-1, 1)), axis=1)[:, 0])


def _ce_got(fail, k, inputs, result, per_example):
    """(value, what it is compared with): one number against the mean, or a per-example vector (d2l's form)."""
    array = as_floats(fail, k, inputs, result, what=_("the cross-entropy"))
    if array.size == per_example.size and array.size > 1 and array.ndim == 1:
        return array, per_example
    return np.array([scalar(fail, k, inputs, result, what=_("the cross-entropy"))]), np.array([per_example.mean()])


def check_cross_entropy(fn, *, labels: str | None = None, batch: bool | None = None, allow_inplace: bool = True,
                        seed: int | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
    """``fn(p, y)`` must return the cross-entropy −Σ y·ln p (natural log) of probabilities ``p`` against label ``y``.

    Forms (the first that answers the first case right is used for every case; ``labels=`` "onehot" or "int"
    and ``batch=`` True or False keep one): ``p`` 1-D with a one-hot ``y`` (hw02) or an integer class; or a batch
    (one example per row) with one-hot rows or integer classes, answered by the mean over the batch (the book,
    CS231n) or one loss per example (d2l). Tolerance: 1e-4 + 1e-4·|expected| (the book's ln(p + 1e-7) passes).
    """
    forms = [f for f in FORMS if labels in (None, f[1]) and batch in (None, f[0] == "batch")]
    if not forms:
        raise AssertionError(_("{check}: labels must be 'onehot', 'int' or None, got {value!r}").format(
            check="check_cross_entropy", value=labels))
    data = {"1-D": cross_entropy_cases(seed), "batch": cross_entropy_batches(seed)}
    form = next((f for f in forms if _answers(fn, f, *data[f[0]][0], timeout)), forms[0])
    cases = data[form[0]]
    fail = Failure("check_cross_entropy", len(cases))
    for k, (p, target) in enumerate(cases, start=1):
        args = _form_args(form, p, target)
        inputs = f"p = {show(args[0])}, y = {show(args[1])}"
        result = call(fail, k, inputs, fn, *args, timeout=timeout, names=["p", "y"], allow_inplace=allow_inplace,
                      signature="cross_entropy(p, y)")
        got, expected = _ce_got(fail, k, inputs, result, _ce_expected(p, target))
        if not (np.all(np.isfinite(got)) and np.all(np.abs(got - expected) <= 1e-4 + 1e-4 * np.abs(expected))):
            hint = _cross_entropy_hint(p, args[1], float(got.mean()), float(expected.mean())) if form == FORMS[0] \
                else _("cross-entropy is −ln of the target class's probability, averaged over the rows of a batch")
            fail(k, inputs, expected if expected.size > 1 else expected[0], got if got.size > 1 else got[0], hint)
    fail.done()


def _answers(fn, form, p, target, timeout) -> bool:
    got = probe("check_cross_entropy", fn, *_form_args(form, p, target), timeout=timeout)
    expected = _ce_expected(p, target)
    if got is None or got.size not in (1, expected.size):
        return False
    expected = expected if got.size == expected.size and got.size > 1 else np.array([expected.mean()])
    return bool(np.all(np.abs(got.ravel() - expected) <= 1e-4 + 1e-4 * np.abs(expected)))


def _cross_entropy_hint(p, y, got, expected):
    def near(value):
        return math.isfinite(value) and abs(got - value) <= 1e-4 + 1e-4 * abs(value)

    if math.isnan(got) and np.any(p == 0):
        return _("0·log 0 gave nan: only the target class's −log p counts; pick it out with the label, or add a "
                 "tiny 1e-7 inside the log")
    if near(expected / math.log(10)):
        return _("this looks like log base 10: cross-entropy uses the natural log (np.log, not np.log10)")
    if near(expected / math.log(2)):
        return _("this looks like log base 2: cross-entropy uses the natural log (np.log)")
    if near(-expected):
        return _("the sign is flipped: cross-entropy is −Σ y·log p, a positive number")
    if near(expected / p.size):
        return _("you averaged over the classes: cross-entropy sums −y·log p over the classes")
    with np.errstate(divide="ignore", invalid="ignore"):
        binary = -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
    if near(float(binary)):
        return _("that is the binary cross-entropy summed over classes; with one-hot y only −log p of the target "
                 "counts")
    if near(-math.log(p.max())):
        return _("you used the largest probability: use the probability of the target class (where y is 1)")
    return _("cross-entropy is −Σ y·ln p: with a one-hot y that is −ln of the target class's probability")
