"""Every check against a corpus: at least 10 wrong implementations (typical slips and adversarial tricks), none
of which may pass, and several correct ones (lists, float32, float64, JAX) that must all pass."""
import copy
import math
import time

import jax.numpy as jnp
import numpy as np
import pytest

from nnwidgets import checks


class AlwaysEqual(np.ndarray):
    """An array that claims to equal anything: a check must compare numbers, not trust __eq__."""

    def __eq__(self, other):
        return np.ones(np.shape(self), bool)

    def __ne__(self, other):
        return np.zeros(np.shape(self), bool)


class Liar:
    """Not a number at all, but says yes to every comparison and every ufunc."""

    def __eq__(self, other):
        return True

    def __array_ufunc__(self, *args, **kwargs):
        return True

    def __len__(self):
        return 3


#: Corpus entries that are wrong only where an assignment forbids in-place changes or asks for one form:
#: by default the checks accept them (the book's Relu.backward, CS231n's sgd, PyTorch's momentum buffer ...).
STRICT = {"mutates its input": {"allow_inplace": False}, "mutates p": {"allow_inplace": False}}


def fails(check, *args, match=None, **kwargs):
    with pytest.raises(AssertionError, match=match) as info:
        check(*args, **kwargs)
    return str(info.value)


# ---- softmax --------------------------------------------------------------------------------------------
def softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def mutating_softmax(z):
    z -= z.max()
    return np.exp(z) / np.exp(z).sum()


def slow_softmax(z):
    while True:
        pass


WRONG_SOFTMAX = {
    "naive (overflows)": (lambda z: np.exp(z) / np.exp(z).sum(), "overflows"),
    "no normalisation": (lambda z: np.exp(z - z.max()), "divide them by their sum"),
    "negated logits": (lambda z: softmax(-z), "exponentiated −z"),
    "divides by the max": (lambda z: np.exp(z) / np.exp(z).max(), None),
    "argmax one-hot": (lambda z: np.eye(len(z))[np.argmax(z)], None),
    "z / sum z": (lambda z: z / z.sum(), None),
    "uniform": (lambda z: np.full(len(z), 1 / len(z)), None),
    "log-softmax": (lambda z: z - z.max() - np.log(np.exp(z - z.max()).sum()), None),
    "float16": (lambda z: softmax(z).astype(np.float16), None),
    "returns a batch (1, n)": (lambda z: softmax(z)[None, :], "wrong shape"),
    "mutates its input": (mutating_softmax, "changed its input z in place"),  # with allow_inplace=False
    "__eq__ trick": (lambda z: softmax(z)[::-1].view(AlwaysEqual), None),
    "a liar object": (lambda z: Liar(), "must be numbers"),
    "raises": (lambda z: 1 / 0, "raised ZeroDivisionError"),
    "returns None": (lambda z: None, "must be numbers"),
    "returns a string": (lambda z: "0.3, 0.7", "must be numbers"),
    "temperature 2": (lambda z: softmax(z / 2), None),
}


@pytest.mark.parametrize("name", WRONG_SOFTMAX)
def test_wrong_softmax_never_passes(name):
    fn, hint = WRONG_SOFTMAX[name]
    with np.errstate(all="ignore"):
        message = fails(checks.check_softmax, fn, **STRICT.get(name, {}))
    assert "expected" in message or "hint" in message
    if hint:
        assert hint in message


@pytest.mark.parametrize("fn", [softmax, lambda z: list(softmax(z)), lambda z: softmax(z).astype(np.float32),
                                lambda z: jnp.exp(z - z.max()) / jnp.sum(jnp.exp(z - z.max())),
                                lambda z: tuple(float(v) for v in softmax(np.array(z)))],
                         ids=["numpy", "list", "float32", "jax", "tuple"])
def test_correct_softmax_passes(fn):
    checks.check_softmax(fn)


def test_runaway_code_is_stopped():
    started = time.perf_counter()
    message = fails(checks.check_softmax, slow_softmax, timeout=0.3)
    assert "more than 0.3 s" in message and time.perf_counter() - started < 5


# ---- cross-entropy --------------------------------------------------------------------------------------
def cross_entropy(p, y):
    return -np.sum(y * np.log(p + 1e-7))


WRONG_CE = {
    "log10": (lambda p, y: -np.sum(y * np.log10(p + 1e-7)), "log base 10"),
    "log2": (lambda p, y: -np.sum(y * np.log2(p + 1e-7)), "log base 2"),
    "no minus sign": (lambda p, y: np.sum(y * np.log(p + 1e-7)), "sign is flipped"),
    "mean over classes": (lambda p, y: -np.mean(y * np.log(p + 1e-7)), "averaged over the classes"),
    "binary CE": (lambda p, y: -np.sum(y * np.log(p + 1e-7) + (1 - y) * np.log(1 - p + 1e-7)), "binary"),
    "largest p": (lambda p, y: -np.log(p.max()), "largest probability"),
    "0·log 0": (lambda p, y: -np.sum(y * np.log(p)), "0·log 0 gave nan"),
    "per-class terms": (lambda p, y: -y * np.log(p + 1e-7), "one number"),
    "1 − p": (lambda p, y: np.sum(y * (1 - p)), None),
    "squared error": (lambda p, y: np.sum((p - y) ** 2), None),
    "__eq__ trick": (lambda p, y: np.array([0.0]).view(AlwaysEqual), None),
    "a liar object": (lambda p, y: Liar(), "must be numbers"),
    "mutates p": (lambda p, y: (p.__setitem__(0, 0.5), cross_entropy(p, y))[1], "changed its input p"),
}


@pytest.mark.parametrize("name", WRONG_CE)
def test_wrong_cross_entropy_never_passes(name):
    fn, hint = WRONG_CE[name]
    with np.errstate(all="ignore"):
        message = fails(checks.check_cross_entropy, fn, **STRICT.get(name, {}))
    if hint:
        assert hint in message


@pytest.mark.parametrize("fn", [cross_entropy, lambda p, y: -math.log(p[int(np.argmax(y))]),
                                lambda p, y: float(-jnp.sum(jnp.asarray(y) * jnp.log(jnp.asarray(p) + 1e-7))),
                                lambda p, y: np.float32(-np.log(np.float32(p[np.argmax(y)]))),
                                lambda p, y: [-np.log(p @ y)]],
                         ids=["numpy", "math", "jax", "float32", "one-element list"])
def test_correct_cross_entropy_passes(fn):
    checks.check_cross_entropy(fn)


# ---- conv output size -----------------------------------------------------------------------------------
WRONG_CONV = {
    "true division": (lambda n, k, s, p: (n + 2 * p - k) / s + 1, "whole numbers"),
    "one padding": (lambda n, k, s, p: (n + p - k) // s + 1, "both sides"),
    "no + 1": (lambda n, k, s, p: (n + 2 * p - k) // s, "+ 1"),
    "ceil": (lambda n, k, s, p: -((n + 2 * p - k) // -s) + 1, "round down"),
    "ignores padding": (lambda n, k, s, p: (n - k) // s + 1, None),
    "ignores stride": (lambda n, k, s, p: n + 2 * p - k + 1, None),
    "n − k": (lambda n, k, s, p: n - k, None),
    "same always": (lambda n, k, s, p: n, None),
    "round()": (lambda n, k, s, p: round((n + 2 * p - k) / s) + 1, None),
    "returns True": (lambda n, k, s, p: True, "not True/False"),
    "string": (lambda n, k, s, p: str((n + 2 * p - k) // s + 1), "must be numbers"),
    "a liar object": (lambda n, k, s, p: Liar(), None),
    "raises": (lambda n, k, s, p: [][0], "raised IndexError"),
}


@pytest.mark.parametrize("name", WRONG_CONV)
def test_wrong_conv_output_size_never_passes(name):
    fn, hint = WRONG_CONV[name]
    message = fails(checks.check_conv_output_size, fn)
    if hint:
        assert hint in message


@pytest.mark.parametrize("fn", [lambda n, k, s, p: (n + 2 * p - k) // s + 1,
                                lambda n, k, s, p: math.floor((n + 2 * p - k) / s) + 1,
                                lambda n, k, s, p: np.int64((n + 2 * p - k) // s + 1),
                                lambda n, k, s, p: float((n + 2 * p - k) // s + 1)],
                         ids=["int", "math.floor", "numpy int", "whole float"])
def test_correct_conv_output_size_passes(fn):
    checks.check_conv_output_size(fn)


# ---- perceptron and logic functions ---------------------------------------------------------------------
@pytest.mark.parametrize("gate, weights", [("AND", (0.5, 0.5, -0.7)), ("OR", (0.5, 0.5, -0.2)),
                                           ("NAND", (-0.5, -0.5, 0.7)), ("NOR", (-1, -1, 0.5)),
                                           ("and", (np.float32(1.0), 1.0, -1.5)), ("OR", ([1.0], 1.0, -0.5))])
def test_correct_perceptrons_pass(gate, weights):
    checks.check_perceptron(gate, *weights)


@pytest.mark.parametrize("gate, weights, hint", [
    ("AND", (0.5, 0.5, -0.2), "so z must be ≤ 0"),            # that is OR
    ("AND", (0.5, 0.5, -1.0), "z = 0 gives y = 0"),           # (1, 1) sits exactly on the line
    ("NAND", (0.5, 0.5, -0.7), None),                         # the AND weights
    ("OR", (0.5, 0.5, -0.5), "z = 0 gives y = 0"),
    ("NOR", (1, 1, -0.5), None),
    ("AND", (float("nan"), 0.5, -0.7), "finite"),
    ("AND", (float("inf"), 0.5, -0.7), "finite"),
    ("AND", ("0.5", 0.5, -0.7), "must be numbers"),
    ("AND", (Liar(), 0.5, -0.7), None),
    ("AND", (np.array([0.5, 0.5]), 0.5, -0.7), "one number"),
    ("XOR", (1, 1, -0.5), "no single perceptron computes XOR"),
    ("XNOR", (1, 1, -0.5), "gate must be one of"),
])
def test_wrong_perceptrons_never_pass(gate, weights, hint):
    message = fails(checks.check_perceptron, gate, *weights)
    if hint:
        assert hint in message


def test_logic_functions():
    def nand(a, b): return int(-0.5 * a - 0.5 * b + 0.7 > 0)
    def or_(a, b): return int(0.5 * a + 0.5 * b - 0.2 > 0)
    def and_(a, b): return int(0.5 * a + 0.5 * b - 0.7 > 0)
    checks.check_logic_function("XOR", lambda a, b: and_(nand(a, b), or_(a, b)))
    checks.check_logic_function("xor", lambda a, b: np.bool_(a != b))
    for wrong in (lambda a, b: or_(a, b), lambda a, b: nand(a, b), lambda a, b: and_(a, b), lambda a, b: 1,
                  lambda a, b: a, lambda a, b: (a + b) / 2, lambda a, b: 0.9 * (a != b), lambda a, b: Liar(),
                  lambda a, b: None, lambda a, b: int(a == b)):
        fails(checks.check_logic_function, "XOR", wrong)


# ---- layers ---------------------------------------------------------------------------------------------
class MulLayer:
    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class AddLayer:
    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout * 1, dout * 1


class Sigmoid:
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class Relu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout.copy()
        dx[self.mask] = 0
        return dx


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW, self.db = self.x.T @ dout, dout.sum(axis=0)
        return dout @ self.W.T


class MSE:
    def forward(self, y, t):
        self.y, self.t = y, t
        return 0.5 * np.sum((y - t) ** 2) / y.shape[0]

    def backward(self, dout=1):
        return dout * (self.y - self.t) / self.y.shape[0]


class SoftmaxWithLoss:
    def forward(self, x, t):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        self.y, self.t = e / e.sum(axis=1, keepdims=True), t
        return -np.sum(t * np.log(self.y + 1e-7)) / x.shape[0]

    def backward(self, dout=1):
        return dout * (self.y - self.t) / self.t.shape[0]


CORRECT_LAYERS = {"Add": AddLayer, "Mul": MulLayer, "Sigmoid": Sigmoid, "ReLU": Relu, "Affine": Affine, "MSE": MSE,
                  "SoftmaxWithLoss": SoftmaxWithLoss}


@pytest.mark.parametrize("name", CORRECT_LAYERS)
def test_correct_layers_pass(name):
    with np.errstate(over="ignore"):
        checks.check_layer(name, CORRECT_LAYERS[name])


def subclass(base, **methods):
    return type(f"Wrong{base.__name__}", (base,), methods)


WRONG_LAYERS = [
    ("Mul", subclass(MulLayer, backward=lambda self, d: (d * self.x, d * self.y)), "swaps the inputs"),
    ("Mul", subclass(MulLayer, backward=lambda self, d: d * self.y), "return (dx, dy)"),
    ("Add", subclass(AddLayer, backward=lambda self, d: (d, -d)), "unchanged"),
    ("Add", subclass(AddLayer, forward=lambda self, x, y: x * y), None),
    ("Sigmoid", subclass(Sigmoid, backward=lambda self, d: d * self.out), "y·(1 − y)"),
    ("Sigmoid", subclass(Sigmoid, forward=lambda self, x: setattr(self, "out", np.tanh(x)) or self.out),
     "1 / (1 + e^(−x))"),
    ("ReLU", subclass(Relu, forward=lambda self, x: (setattr(self, "mask", x <= 0), x.__setitem__(x <= 0, 0), x)[2]),
     "changed its input x in place", {"allow_inplace": False}),
    ("ReLU", subclass(Relu, backward=lambda self, d: (d.__setitem__(self.mask, 0), d)[1]), "changed its input dout",
     {"allow_inplace": False}),
    ("ReLU", subclass(Relu, forward=lambda self, x: (setattr(self, "mask", x < 0), np.maximum(x, 0))[1]), "x ≤ 0"),
    ("Affine", subclass(Affine, backward=lambda self, d: (setattr(self, "dW", self.x.T @ d), setattr(self, "db", d),
                                                        d @ self.W.T)[2]), "wrong shape"),
    ("Affine", subclass(Affine, backward=lambda self, d: (setattr(self, "dW", d.T @ self.x), setattr(
        self, "db", d.sum(0)), d @ self.W.T)[2]), "wrong shape"),
    ("Affine", subclass(Affine, backward=lambda self, d: (setattr(self, "dW", self.x.T @ d), setattr(
        self, "db", d.mean(0)), d @ self.W.T)[2]), "db = Σ dout over axis 0"),
    ("MSE", subclass(MSE, forward=lambda self, y, t: (setattr(self, "y", y), setattr(self, "t", t),
                                                       0.5 * np.square(t - y).sum())[2]), "seed's slide forgets the N"),
    ("MSE", subclass(MSE, backward=lambda self, dout=1: dout * (self.y - self.t)), "(y − t) / N"),
    ("SoftmaxWithLoss", subclass(SoftmaxWithLoss, backward=lambda self, dout=1: self.y - self.t), "/ N"),
    ("SoftmaxWithLoss", subclass(SoftmaxWithLoss, forward=lambda self, x, t: (
        setattr(self, "t", t), setattr(self, "y", np.exp(x) / np.exp(x).sum(1, keepdims=True)),
        -np.sum(t * np.log(self.y + 1e-7)) / x.shape[0])[2]), None),
    ("MSE", subclass(MSE, forward=lambda self, y, t: np.array([0.0]).view(AlwaysEqual)), None),
    ("Add", subclass(AddLayer, backward=lambda self, d: (Liar(), Liar())), "must be numbers"),
    ("Affine", type("NoInit", (), {}), "raised TypeError"),
]


@pytest.mark.parametrize("name, cls, hint, strict", [(*e, {})[:4] for e in WRONG_LAYERS],
                         ids=[f"{e[0]}-{i}" for i, e in enumerate(WRONG_LAYERS)])
def test_wrong_layers_never_pass(name, cls, hint, strict):
    with np.errstate(all="ignore"):
        message = fails(checks.check_layer, name, cls, **strict)
    if hint:
        assert hint in message


def test_at_least_ten_wrong_layers_in_the_corpus():
    assert len(WRONG_LAYERS) >= 10 and len({e[0] for e in WRONG_LAYERS}) == 7


# ---- optimizers -----------------------------------------------------------------------------------------
def momentum(w, g, v, lr, mu):
    v = mu * v - lr * g
    return w + v, v


def adam(w, g, m, v, t, lr, b1, b2, eps):
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    return w - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps), m, v


CORRECT_OPTIMIZERS = {
    "sgd": [lambda w, g, lr: w - lr * g, lambda w, g, lr: np.asarray(jnp.asarray(w) - lr * jnp.asarray(g)),
            lambda w, g, lr: list(w - lr * g)],
    "momentum": [momentum, lambda w, g, v, lr, mu: (w + (mu * v - lr * g), mu * v - lr * g)],
    "nesterov": [lambda w, g, b, lr, mu: (w - lr * (g + mu * (mu * b + g)), mu * b + g)],
    "adagrad": [lambda w, g, h, lr, eps: (w - lr * g / (np.sqrt(h + g * g) + eps), h + g * g)],
    "rmsprop": [lambda w, g, v, lr, rho, eps: (w - lr * g / (np.sqrt(rho * v + (1 - rho) * g * g) + eps),
                                               rho * v + (1 - rho) * g * g)],
    "adam": [adam],
}


@pytest.mark.parametrize("name, update", [(n, u) for n, us in CORRECT_OPTIMIZERS.items() for u in us])
def test_correct_optimizers_pass(name, update):
    checks.check_optimizer(name, update)


def wrong_adam_no_bias(w, g, m, v, t, lr, b1, b2, eps):
    m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
    return w - lr * m / (np.sqrt(v) + eps), m, v


def mutating_sgd(w, g, lr):
    w -= lr * g
    return w


WRONG_OPTIMIZERS = [
    ("sgd", lambda w, g, lr: w + lr * g, "sign is flipped"),
    ("sgd", lambda w, g, lr: w - g, None),
    ("sgd", mutating_sgd, "changed its input w in place", {"allow_inplace": False}),
    ("momentum", lambda w, g, v, lr, mu: (w - lr * (mu * v + g), mu * v + g), "PyTorch's buffer",
     {"variant": "velocity"}),
    ("momentum", lambda w, g, v, lr, mu: (w + v, mu * v - lr * g), None),
    ("adagrad", lambda w, g, h, lr, eps: (w - lr * g / np.sqrt(h + g * g + eps), h + g * g), "outside the square root",
     {"variant": "eps_outside"}),
    ("adagrad", lambda w, g, h, lr, eps: (w - lr * g / (np.sqrt(h) + eps), h + g * g), None),
    ("rmsprop", lambda w, g, v, lr, rho, eps: (w - lr * g / np.sqrt(rho * v + (1 - rho) * g * g + eps),
                                               rho * v + (1 - rho) * g * g), "outside the square root",
     {"variant": "eps_outside"}),
    ("rmsprop", lambda w, g, v, lr, rho, eps: (w - lr * g / (np.sqrt(v) + eps), rho * v + (1 - rho) * g * g), None),
    ("adam", wrong_adam_no_bias, "correct the bias"),
    ("adam", lambda w, g, m, v, t, lr, b1, b2, eps: adam(w, g, m, v, t + 1, lr, b1, b2, eps), None),
    ("adam", lambda *args: adam(*args)[0], None),
    ("nesterov", lambda w, g, b, lr, mu: (w - lr * (mu * b + g), mu * b + g), None),
    ("sgd", lambda w, g, lr: (w - lr * g).view(AlwaysEqual)[::-1], None),
    ("sgd", lambda w, g, lr: Liar(), None),
]


@pytest.mark.parametrize("name, update, hint, strict", [(*e, {})[:4] for e in WRONG_OPTIMIZERS],
                         ids=[f"{e[0]}-{i}" for i, e in enumerate(WRONG_OPTIMIZERS)])
def test_wrong_optimizers_never_pass(name, update, hint, strict):
    message = fails(checks.check_optimizer, name, update, **strict)
    if hint:
        assert hint in message


def test_the_optimizer_references_agree_with_core_optim():
    """The checks' NumPy rules and nnwidgets.core.optim (PyTorch's definitions) give the same paths."""
    import inspect

    from nnwidgets.checks._optimizers import SETTINGS, reference_step
    from nnwidgets.core.optim import check_hyperparameters, optimizer

    hyperparameters_in_state = any(p.kind is p.VAR_KEYWORD for p in inspect.signature(optimizer).parameters.values())
    rng = np.random.default_rng(0)
    for kind in ("sgd", "nesterov", "adagrad", "rmsprop", "adam"):
        hp = SETTINGS[kind][0]
        opt = optimizer(kind, **hp) if hyperparameters_in_state else optimizer(kind)
        w = np.array([1.0, -2.0, 0.5])
        core_state = opt.init(jnp.asarray(w, jnp.float32))
        state = tuple(np.zeros(3) for _ in range({"sgd": 0, "adam": 2}.get(kind, 1)))
        core_w = jnp.asarray(w, jnp.float32)
        for t in range(1, 6):
            g = rng.normal(size=3)
            w, state = reference_step(kind, w, g, state, t, hp)
            extra = () if hyperparameters_in_state else (check_hyperparameters(kind, hp),)
            updates, core_state = opt.update(jnp.asarray(g, jnp.float32), core_state, *extra)
            core_w = core_w + updates
        # 1e-4: core runs in float32, where beta2 = 0.999 is 0.99900001 and 1 − beta2 is off by 1.3e-5 relative
        np.testing.assert_allclose(w, np.asarray(core_w), rtol=1e-4, atol=1e-6, err_msg=kind)


# ---- gradients and hand-worked answers ------------------------------------------------------------------
def test_check_gradient():
    f = lambda w, x, b: w * x ** 2 + b  # noqa: E731 - exercise 3
    checks.check_gradient(f, lambda w, x, b: (x ** 2, 2 * w * x, 1.0))
    checks.check_gradient(f, lambda w, x, b: [np.float32(x ** 2), jnp.asarray(2 * w * x), np.ones(())])
    wrong = [lambda w, x, b: (x ** 2, w * x, 1.0), lambda w, x, b: (x, 2 * w * x, 1.0),
             lambda w, x, b: (x ** 2, 2 * w * x, 0.0), lambda w, x, b: (x ** 2, 2 * w * x),
             lambda w, x, b: (-x ** 2, 2 * w * x, 1.0), lambda w, x, b: (2 * x ** 2, 2 * w * x, 1.0),
             lambda w, x, b: Liar(), lambda w, x, b: (x ** 2, 2 * w * x, float("nan")),
             lambda w, x, b: (np.array([0.0]).view(AlwaysEqual),) * 3, lambda w, x, b: 1 / 0]
    hints = ["factor of 0.5", None, None, "one gradient per argument", "wrong sign", "factor of 2", None, None, None,
             "raised ZeroDivisionError"]
    for fn, hint in zip(wrong, hints):
        message = fails(checks.check_gradient, f, fn)
        if hint:
            assert hint in message
    norm = lambda W, x: jnp.sum((W @ x) ** 2)  # noqa: E731
    checks.check_gradient(norm, lambda W, x: (2 * np.outer(W @ x, x), 2 * W.T @ (W @ x)),
                          shapes={"W": (2, 2), "x": (2,)})
    fails(checks.check_gradient, norm, lambda W, x: (2 * np.outer(x, W @ x), 2 * W.T @ (W @ x)),
          shapes={"W": (2, 2), "x": (2,)})


def test_check_answer():
    checks.check_answer("seed002_exercise1_cross_entropy", 0.9992)
    checks.check_answer("seed_cnn_flatten_size", 1960)
    assert "−log10(0.37)" in fails(checks.check_answer, "seed002_exercise1_cross_entropy", 0.4318)
    assert "rounds the probabilities" in fails(checks.check_answer, "seed002_exercise1_mse", 0.396)
    fails(checks.check_answer, "seed002_exercise1_cross_entropy", 1.0)
    fails(checks.check_answer, "seed002_exercise1_cross_entropy", float("nan"))
    fails(checks.check_answer, "seed002_exercise1_cross_entropy", Liar())
    fails(checks.check_answer, "seed_cnn_flatten_size", 7840, match="halves each side")
    fails(checks.check_answer, "no such question", 1.0, match="unknown question")


def test_checks_do_not_leak_or_mutate_references():
    """Running a check twice gives the same cases: nothing the student returns can alter the hidden data."""
    from nnwidgets.checks._probability import softmax_cases

    before = copy.deepcopy(softmax_cases())

    def vandal(z):
        z[:] = 0
        return softmax(z)

    fails(checks.check_softmax, vandal)
    assert all(np.array_equal(a, b) for a, b in zip(before, softmax_cases()))


def as_float32(cls):
    """The same layer, returning float32 arrays and Python lists: still correct within the stated tolerance."""
    class Float32(cls):
        def forward(self, *args):
            out = super().forward(*args)
            return np.float32(out) if np.ndim(out) == 0 else np.asarray(out, np.float32).tolist()

        def backward(self, *args):
            out = super().backward(*args)
            if isinstance(out, tuple):
                return tuple(np.asarray(o, np.float32) for o in out)
            return np.asarray(out, np.float32)

    return Float32


@pytest.mark.parametrize("name", ["Add", "Mul", "Sigmoid", "ReLU", "MSE", "SoftmaxWithLoss"])
def test_float32_and_list_layers_pass(name):
    with np.errstate(over="ignore"):
        checks.check_layer(name, as_float32(CORRECT_LAYERS[name]))
