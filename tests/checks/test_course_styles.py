"""Correct code written the way each course writes it must pass; the false passes found in issue 13 must fail.

Deep Learning from Scratch: the book's common/functions.py, common/layers.py, common/optimizer.py and ch02
gates. CS231n: layers.py's (out, cache) functions, softmax_loss with integer labels, optim.py with a config
dict. d2l: the from-scratch softmax, cross_entropy and sgd (PyTorch edition).
"""
import warnings

import numpy as np
import pytest

from nnwidgets import checks

try:  # only the d2l tests need PyTorch: .ci/run installs it; a plain `make test` skips them with the reason
    import torch
except ImportError:
    torch = None


def fails(check, *args, **kwargs):
    with pytest.raises(AssertionError) as info, np.errstate(all="ignore"):
        check(*args, **kwargs)
    return str(info.value)


def passes(check, *args, **kwargs):
    """Runs the check; returns the notes it gave (CheckNote warnings)."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        check(*args, **kwargs)
    return " ".join(str(w.message) for w in caught if issubclass(w.category, checks.CheckNote))


# ---- Deep Learning from Scratch (the book's code, as printed) ------------------------------------------
def AND(x1, x2):
    x = np.array([x1, x2])
    w = np.array([0.5, 0.5])
    b = -0.7
    tmp = np.sum(w * x) + b
    if tmp <= 0:
        return 0
    else:
        return 1


def NAND(x1, x2):
    x = np.array([x1, x2])
    w = np.array([-0.5, -0.5])
    b = 0.7
    tmp = np.sum(w * x) + b
    if tmp <= 0:
        return 0
    else:
        return 1


def OR(x1, x2):
    x = np.array([x1, x2])
    w = np.array([0.5, 0.5])
    b = -0.2
    tmp = np.sum(w * x) + b
    if tmp <= 0:
        return 0
    else:
        return 1


def XOR(x1, x2):
    s1 = NAND(x1, x2)
    s2 = OR(x1, x2)
    y = AND(s1, s2)
    return y


def dlfs_softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        dx = dout
        return dx


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        out = 1 / (1 + np.exp(-x))
        self.out = out
        return out

    def backward(self, dout):
        dx = dout * (1.0 - self.out) * self.out
        return dx


class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        self.x = x
        out = np.dot(self.x, self.W) + self.b
        return out

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        dx = dx.reshape(*self.original_x_shape)
        return dx


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = dlfs_softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:
            dx = (self.y - self.t) / batch_size
        else:
            dx = self.y.copy()
            dx[np.arange(batch_size), self.t] -= 1
            dx = dx / batch_size
        return dx


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= self.lr * grads[key]


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)
        for key in params.keys():
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]
            params[key] += self.momentum * self.momentum * self.v[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)
        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)
        for key in params.keys():
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m, self.v = {}, {}
            for key, val in params.items():
                self.m[key] = np.zeros_like(val)
                self.v[key] = np.zeros_like(val)
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key]**2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


def test_dlfs_gates_pass():
    for gate, fn in (("AND", AND), ("NAND", NAND), ("OR", OR), ("XOR", XOR)):
        passes(checks.check_logic_function, gate, fn)


def test_dlfs_functions_pass():
    passes(checks.check_softmax, dlfs_softmax)
    passes(checks.check_softmax, dlfs_softmax, batch=True)
    passes(checks.check_cross_entropy, cross_entropy_error)
    passes(checks.check_cross_entropy, cross_entropy_error, labels="int")
    passes(checks.check_cross_entropy, cross_entropy_error, batch=True)


@pytest.mark.parametrize("name, cls", [("ReLU", Relu), ("Sigmoid", Sigmoid), ("Affine", Affine),
                                       ("SoftmaxWithLoss", SoftmaxWithLoss)])
def test_dlfs_layers_pass(name, cls):
    notes = passes(checks.check_layer, name, cls)
    if name == "ReLU":  # the book's backward changes dout in place: a note, not a failure
        assert "changes its input dout in place" in notes


@pytest.mark.parametrize("labels", ["onehot", "int"])
def test_dlfs_softmax_with_loss_takes_either_label_form(labels):
    passes(checks.check_layer, "SoftmaxWithLoss", SoftmaxWithLoss, labels=labels)


def test_dlfs_relu_fails_where_an_assignment_forbids_in_place_changes():
    assert "changed its input dout in place" in fails(checks.check_layer, "ReLU", Relu, allow_inplace=False)


@pytest.mark.parametrize("name, cls", [("sgd", SGD), ("momentum", Momentum), ("nesterov", Nesterov),
                                       ("adagrad", AdaGrad), ("rmsprop", RMSprop), ("adam", Adam)])
def test_dlfs_optimizers_pass(name, cls):
    notes = passes(checks.check_optimizer, name, cls)
    passes(checks.check_optimizer, name, checks.from_dlfs_optimizer(cls))
    if name in ("adagrad", "rmsprop", "adam"):  # the book fixes eps = 1e-7; the eps = 0.1 case must not fail it
        assert "fixes eps at 1e-07" in notes
    if name == "adam":
        assert "efficient form" in notes
    if name == "nesterov":
        assert "common/optimizer.py form" in notes


def test_an_assignment_can_require_one_form():
    message = fails(checks.check_optimizer, "adam", Adam, variant="standard")
    assert "efficient form" in message and "asks for the standard form" in message
    fails(checks.check_optimizer, "nesterov", Nesterov, variant="buffer")
    fails(checks.check_optimizer, "adagrad", AdaGrad, allow_fixed_eps=False)


# ---- CS231n (layers.py and optim.py style) -------------------------------------------------------------
def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1).dot(w) + b
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    x, w, b = cache
    dx = dout.dot(w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T.dot(dout)
    db = np.sum(dout, axis=0)
    return dx, dw, db


def relu_forward(x):
    out = np.maximum(0, x)
    cache = x
    return out, cache


def relu_backward(dout, cache):
    x = cache
    dx = dout * (x > 0)
    return dx


def softmax_loss(x, y):
    shifted_logits = x - np.max(x, axis=1, keepdims=True)
    Z = np.sum(np.exp(shifted_logits), axis=1, keepdims=True)
    log_probs = shifted_logits - np.log(Z)
    probs = np.exp(log_probs)
    N = x.shape[0]
    loss = -np.sum(log_probs[np.arange(N), y]) / N
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx


def sgd(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    w -= config["learning_rate"] * dw
    return w, config


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v - config["learning_rate"] * dw
    next_w = w + v
    config["velocity"] = v
    return next_w, config


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    config["cache"] = config["decay_rate"] * config["cache"] + (1 - config["decay_rate"]) * dw ** 2
    next_w = w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"])
    return next_w, config


def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)
    config["t"] += 1
    config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
    config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * dw ** 2
    mt = config["m"] / (1 - config["beta1"] ** config["t"])
    vt = config["v"] / (1 - config["beta2"] ** config["t"])
    next_w = w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])
    return next_w, config


def test_cs231n_layers_pass():
    passes(checks.check_layer, "Affine", checks.from_cs231n_layer(affine_forward, affine_backward))
    passes(checks.check_layer, "Affine", (affine_forward, affine_backward))
    passes(checks.check_layer, "ReLU", (relu_forward, relu_backward))
    passes(checks.check_layer, "SoftmaxWithLoss", softmax_loss)
    passes(checks.check_layer, "SoftmaxWithLoss", checks.from_cs231n_layer(softmax_loss), labels="int")
    passes(checks.check_cross_entropy, lambda p, y: -np.log(p[np.arange(len(y)), y]).mean(), labels="int")


@pytest.mark.parametrize("name, fn", [("sgd", sgd), ("momentum", sgd_momentum), ("rmsprop", rmsprop),
                                      ("adam", adam)])
def test_cs231n_optimizers_pass(name, fn):
    notes = passes(checks.check_optimizer, name, fn)
    passes(checks.check_optimizer, name, checks.from_cs231n_optimizer(fn), seed=7)
    if name == "sgd":  # CS231n's sgd updates w in place, as its docstring allows
        assert "changes its input w in place" in notes


# ---- d2l (from-scratch functions, PyTorch edition) -----------------------------------------------------
def d2l_softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition


def d2l_cross_entropy(y_hat, y):
    return - torch.log(y_hat[range(len(y_hat)), y])


def d2l_cross_entropy_mean(y_hat, y):
    return -torch.log(y_hat[list(range(len(y_hat))), y]).mean()


def d2l_sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def test_d2l_functions_pass():
    if torch is None:
        pytest.skip("PyTorch is not installed (.ci/run installs torch==2.13.0); the d2l code is PyTorch code")
    # d2l's from-scratch softmax does not subtract the max (its text says so): without the large-logit cases
    passes(checks.check_softmax, checks.from_torch(d2l_softmax), large_logits=False)
    assert "overflows" in fails(checks.check_softmax, checks.from_torch(d2l_softmax))
    passes(checks.check_cross_entropy, checks.from_torch(d2l_cross_entropy))
    passes(checks.check_cross_entropy, checks.from_torch(d2l_cross_entropy_mean), seed=3)
    passes(checks.check_optimizer, "sgd", d2l_sgd)
    passes(checks.check_optimizer, "sgd", checks.from_d2l_sgd(d2l_sgd))


# ---- momentum and Nesterov written in each framework's form --------------------------------------------
MOMENTUM_FORMS = {
    "velocity": lambda w, g, v, lr, mu: (w + (mu * v - lr * g), mu * v - lr * g),
    "buffer": lambda w, g, b, lr, mu: (w - lr * (mu * b + g), mu * b + g),
    "positive_velocity": lambda w, g, v, lr, mu: (w - (mu * v + lr * g), mu * v + lr * g),
}
NESTEROV_FORMS = {
    "buffer": lambda w, g, b, lr, mu: (w - lr * (g + mu * (mu * b + g)), mu * b + g),
    "velocity": lambda w, g, v, lr, mu: (w - mu * v + (1 + mu) * (mu * v - lr * g), mu * v - lr * g),
    "positive_velocity": lambda w, g, v, lr, mu: (w - mu * (mu * v + lr * g) - lr * g, mu * v + lr * g),
}


@pytest.mark.parametrize("kind, form", [("momentum", f) for f in MOMENTUM_FORMS] + [("nesterov", f) for f in
                                                                                    NESTEROV_FORMS])
def test_every_momentum_form_passes_and_is_named(kind, form):
    update = (MOMENTUM_FORMS if kind == "momentum" else NESTEROV_FORMS)[form]
    notes = passes(checks.check_optimizer, kind, update)
    passes(checks.check_optimizer, kind, update, variant=form)
    if form != next(iter(checks._variants.VARIANTS[kind])):
        assert "recognised" in notes
    other = next(f for f in MOMENTUM_FORMS if f != form)
    assert "this check asks for" in fails(checks.check_optimizer, kind, update, variant=other)


def test_eps_inside_the_root_passes_and_fixed_eps_is_found():
    inside = lambda w, g, h, lr, eps: (w - lr * g / np.sqrt(h + g * g + eps), h + g * g)  # noqa: E731
    assert "inside the square root" in passes(checks.check_optimizer, "adagrad", inside)
    fixed = lambda w, g, h, lr, eps: (w - lr * g / (np.sqrt(h + g * g) + 1e-7), h + g * g)  # noqa: E731
    assert "fixes eps at 1e-07" in passes(checks.check_optimizer, "adagrad", fixed)
    fails(checks.check_optimizer, "adagrad", fixed, allow_fixed_eps=False)
    large = lambda w, g, h, lr, eps: (w - lr * g / (np.sqrt(h + g * g) + 0.05), h + g * g)  # noqa: E731
    fails(checks.check_optimizer, "adagrad", large)  # a large eps fixed in code is not a small guard


# ---- the false passes of issue 13 ----------------------------------------------------------------------
def test_softmax_over_axis_0_of_a_batch_fails():
    column = lambda z: np.exp(z - z.max(axis=0)) / np.exp(z - z.max(axis=0)).sum(axis=0)  # noqa: E731
    assert "each column (axis 0)" in fails(checks.check_softmax, column)
    passes(checks.check_softmax, column, batch=False)  # an assignment that only asks for 1-D input


def test_softmax_with_one_max_for_the_whole_batch_fails():
    def global_max(z):
        e = np.exp(z - np.max(z))
        return e / e.sum(axis=-1, keepdims=True)

    assert "each row's own max" in fails(checks.check_softmax, global_max)

    class GlobalMaxLoss(SoftmaxWithLoss):
        def forward(self, x, t):
            e = np.exp(x - np.max(x))
            self.t, self.y = t, e / e.sum(axis=1, keepdims=True)
            return cross_entropy_error(self.y, t)

    fails(checks.check_layer, "SoftmaxWithLoss", GlobalMaxLoss)

    def global_max_loss(x, y):
        shifted = x - np.max(x)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        n = x.shape[0]
        dx = np.exp(log_probs)
        dx[np.arange(n), y] -= 1
        return -np.sum(log_probs[np.arange(n), y]) / n, dx / n

    fails(checks.check_layer, "SoftmaxWithLoss", global_max_loss)


def test_a_constant_softmax_with_loss_fails_and_every_reference_is_finite():
    from nnwidgets.checks._layer_cases import layer_cases, layer_expected

    class Zero(SoftmaxWithLoss):
        def forward(self, x, t):
            super().forward(x, t)
            return 0.0 if np.abs(x).max() >= 1000 else self.loss

    fails(checks.check_layer, "SoftmaxWithLoss", Zero)
    for case in layer_cases("SoftmaxWithLoss", seed=11):
        loss, (dx,), _ = layer_expected("SoftmaxWithLoss", case)
        assert np.isfinite(loss) and np.all(np.isfinite(dx))


def test_the_hw02_one_vector_softmax_still_passes():
    def softmax(z):
        e = np.exp(z - np.max(z))
        return e / e.sum()

    assert passes(checks.check_softmax, softmax) == ""
    fails(checks.check_softmax, softmax, batch=True)


# ---- signatures, NumPy in check_gradient, dilation, seeds ----------------------------------------------
def test_a_wrong_signature_names_the_expected_one():
    message = fails(checks.check_optimizer, "adam", lambda w, g, m, v, lr, beta1, beta2: (w, m, v))
    assert "adam(w, g, m, v, t, lr, beta1, beta2, eps)" in message and "takes from" not in message.split("(")[0]
    assert "softmax(z)" in fails(checks.check_softmax, lambda z, axis: z)
    assert "layer.backward(dout)" in fails(checks.check_layer, "Sigmoid", type("S", (Sigmoid,), {
        "backward": lambda self, dout, extra: dout}))


def test_check_gradient_with_numpy_says_to_use_jax_numpy():
    message = fails(checks.check_gradient, lambda w: np.exp(w) ** 2, lambda w: 2 * np.exp(2 * w))
    assert "jax.numpy" in message and "jnp.exp" in message


def test_conv_output_size_with_dilation():
    passes(checks.check_conv_output_size, lambda n, k, s, p, d: (n + 2 * p - d * (k - 1) - 1) // s + 1)
    passes(checks.check_conv_output_size, lambda n, k, s, p, d=1: (n + 2 * p - d * (k - 1) - 1) // s + 1,
           dilation=True)
    message = fails(checks.check_conv_output_size, lambda n, k, s, p, d: (n + 2 * p - k) // s + 1)
    assert "dilation·(kernel_size − 1) + 1" in message


def test_seed_adds_cases_that_a_hard_coded_answer_cannot_know():
    table = {}

    def memorised(z):  # answers only the fixed cases it has seen
        return table[tuple(np.round(z, 12))]

    from nnwidgets.checks._probability import softmax_cases
    for z in softmax_cases():
        table[tuple(np.round(z, 12))] = dlfs_softmax(z)
    passes(checks.check_softmax, memorised, batch=False)
    assert "KeyError" in fails(checks.check_softmax, memorised, batch=False, seed=12345)
    for check, args in ((checks.check_softmax, (dlfs_softmax,)), (checks.check_cross_entropy, (cross_entropy_error,)),
                        (checks.check_layer, ("Affine", Affine)), (checks.check_optimizer, ("adam", Adam)),
                        (checks.check_conv_output_size, (lambda n, k, s, p: (n + 2 * p - k) // s + 1,)),
                        (checks.check_logic_function, ("XOR", XOR)), (checks.check_perceptron, ("AND", 0.5, 0.5, -0.7)),
                        (checks.check_answer, ("seed_cnn_flatten_size", 1960)),
                        (checks.check_gradient, (lambda w, x: w * x ** 2, lambda w, x: (x ** 2, 2 * w * x)))):
        passes(check, *args, seed=2024)


def test_answers_are_not_stored_in_plain_form():
    import inspect

    from nnwidgets.checks import _answers

    source = inspect.getsource(_answers)
    for plain in ("0.999163", "0.399187", "0.505037", "0.354052", "1960", "197210"):
        assert plain not in source and plain not in repr(checks.ANSWERS)


def test_a_runaway_function_is_stopped_once_not_once_per_form_tried():
    entered = []

    def endless(*args):
        entered.append(1)
        while True:
            pass

    for check, args in ((checks.check_softmax, (endless,)), (checks.check_cross_entropy, (endless,)),
                        (checks.check_layer, ("SoftmaxWithLoss", type("L", (SoftmaxWithLoss,), {"forward": endless})))):
        entered.clear()
        assert "more than 0.2 s" in fails(check, *args, timeout=0.2)
        assert len(entered) == 1


class Proxy:
    """What the grader passes in place of student code: a callable without a signature that forwards calls."""

    def __init__(self, target):
        self.target = target

    def __call__(self, *args, **kwargs):
        return self.target(*args, **kwargs)


def test_checks_take_signatureless_proxies():
    passes(checks.check_softmax, Proxy(dlfs_softmax), seed=1)
    passes(checks.check_cross_entropy, Proxy(cross_entropy_error), seed=1)
    passes(checks.check_conv_output_size, Proxy(lambda n, k, s, p, d: (n + 2 * p - d * (k - 1) - 1) // s + 1),
           dilation=True, seed=1)
    passes(checks.check_optimizer, "momentum", Proxy(MOMENTUM_FORMS["buffer"]), seed=1)
    passes(checks.check_optimizer, "adam", checks.from_cs231n_optimizer(Proxy(adam)), seed=1)
    passes(checks.check_optimizer, "adam", checks.from_dlfs_optimizer(Proxy(Adam)), seed=1)
    passes(checks.check_layer, "SoftmaxWithLoss", Proxy(SoftmaxWithLoss), seed=1)
    passes(checks.check_layer, "SoftmaxWithLoss", checks.from_cs231n_layer(Proxy(softmax_loss)), seed=1)
    passes(checks.check_layer, "Affine", checks.from_cs231n_layer(Proxy(affine_forward), Proxy(affine_backward)))
    fails(checks.check_softmax, Proxy(lambda z: np.exp(z - z.max(axis=0)) / np.exp(z - z.max(axis=0)).sum(axis=0)))
