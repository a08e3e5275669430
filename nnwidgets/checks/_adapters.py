"""Adapters: other courses' interfaces in the form the checks call.

- ``from_cs231n_layer(affine_forward, affine_backward)``: functional ``(out, cache)`` layers as a layer class
  (``from_cs231n_layer(softmax_loss)`` for a loss function returning ``(loss, dx)`` with integer labels).
- ``from_cs231n_optimizer(sgd_momentum)``: ``update(w, dw, config) -> (next_w, config)`` with CS231n's config keys.
- ``from_dlfs_optimizer(Momentum)``: the book's classes, ``Momentum(lr=..., momentum=...).update(params, grads)``
  on dicts; only the parameter path can be seen, so that is what is compared.
- ``from_d2l_sgd(sgd)``: d2l's ``sgd(params, lr, batch_size)`` that updates PyTorch tensors from ``param.grad``.
- ``from_torch(fn)``: a function written with PyTorch tensors (d2l's ``softmax``, ``cross_entropy``), called with
  NumPy arrays turned into tensors and its answer turned back.
check_optimizer and check_layer also recognise these interfaces by themselves (a class with ``update``, a
function with a ``config`` argument, d2l's ``(params, lr, batch_size)``, a ``(forward, backward)`` pair).
"""
from __future__ import annotations

import functools
import inspect

import numpy as np

from nnwidgets.i18n import _

#: check_optimizer's hyperparameter names -> the config keys of CS231n's optim.py, and its state keys per rule.
CS231N_KEYS = {"lr": "learning_rate", "momentum": "momentum", "rho": "decay_rate", "eps": "epsilon",
               "beta1": "beta1", "beta2": "beta2"}
CS231N_STATE = {"sgd": (), "momentum": ("velocity",), "nesterov": ("velocity",), "adagrad": ("cache",),
                "rmsprop": ("cache",), "adam": ("m", "v")}
#: check_optimizer's names -> the book's constructor keywords (the book fixes eps = 1e-7 in its code).
DLFS_KEYS = {"lr": "lr", "momentum": "momentum", "rho": "decay_rate", "beta1": "beta1", "beta2": "beta2",
             "eps": "eps"}


def from_cs231n_layer(forward, backward=None):
    """A layer class around CS231n's ``forward(x, *params) -> (out, cache)`` and ``backward(dout, cache)``.

    ``backward`` returns ``dx`` or ``(dx, dw, db)``; the latter are kept as ``self.dW`` and ``self.db``. Without
    ``backward``, ``forward(x, y) -> (loss, dx)`` is a loss function such as ``softmax_loss``.
    """
    class CS231nLayer:
        def __init__(self, *params):
            self.params = params

        def forward(self, *inputs):
            if backward is None:
                loss, self.dx = forward(*inputs)
                return loss
            out, self.cache = forward(*inputs, *self.params)
            return out

        def backward(self, dout=1.0):
            if backward is None:
                return dout * np.asarray(self.dx, dtype=np.float64)
            grads = backward(dout, self.cache)
            if not self.params:
                return grads
            dx, *param_grads = grads
            self.dW, self.db = param_grads
            return dx

    CS231nLayer.__name__ = f"CS231nLayer({getattr(forward, '__name__', 'forward')})"
    return CS231nLayer


class FunctionalAdapter:
    """Turns another course's optimizer function into check_optimizer's ``update`` for one rule (``bind``)."""

    def __init__(self, fn, make):
        self.fn, self.make = fn, make

    def bind(self, kind: str):
        return self.make(self.fn, kind)


class StatefulAdapter:
    """An optimizer object that keeps its own state: ``start(kind, hp)`` returns ``step(w, g) -> new w``."""

    def __init__(self, cls, keys):
        self.cls, self.keys = cls, keys

    def start(self, kind: str, hp: dict):
        try:
            parameters = inspect.signature(self.cls).parameters.values()
        except (TypeError, ValueError):
            parameters = []
        accepted = {p.name for p in parameters}
        if not accepted or any(p.kind is p.VAR_KEYWORD for p in parameters):  # unknown: the book's keywords
            accepted = {self.keys[name] for name in hp if name != "eps"}
        optimizer = self.cls(**{self.keys[n]: v for n, v in hp.items() if self.keys.get(n) in accepted})

        def step(w, g):
            params = {"W": w[:-1].copy(), "b": w[-1:].copy()}
            grads = {"W": g[:-1].copy(), "b": g[-1:].copy()}
            optimizer.update(params, grads)
            return np.concatenate([np.asarray(params["W"], np.float64).ravel(),
                                   np.asarray(params["b"], np.float64).ravel()])

        return step


def _cs231n_update(fn, kind):
    hyper = {"sgd": ("lr",), "momentum": ("lr", "momentum"), "nesterov": ("lr", "momentum"), "adagrad": ("lr", "eps"),
             "rmsprop": ("lr", "rho", "eps"), "adam": ("lr", "beta1", "beta2", "eps")}[kind]
    state_keys = CS231N_STATE[kind]

    def update(w, g, *rest):
        state, rest = rest[:len(state_keys)], rest[len(state_keys):]
        t = rest[0] if kind == "adam" else None
        config = dict(zip((CS231N_KEYS[h] for h in hyper), rest[1:] if kind == "adam" else rest))
        config.update(zip(state_keys, state))
        if kind == "adam":
            config["t"] = t - 1  # CS231n's adam adds 1 before its step
        next_w, config = fn(w, g, config)
        return (next_w, *(config[k] for k in state_keys)) if state_keys else next_w

    return update


def from_cs231n_optimizer(fn):
    """CS231n's ``fn(w, dw, config) -> (next_w, config)`` (``sgd``, ``sgd_momentum``, ``rmsprop``, ``adam``)."""
    return FunctionalAdapter(fn, _cs231n_update)


def from_dlfs_optimizer(cls, keys: dict | None = None):
    """The book's optimizer class (``SGD``, ``Momentum``, ``Nesterov``, ``AdaGrad``, ``RMSprop``, ``Adam``).

    Built with the case's hyperparameters as keywords (``keys`` renames them; the default maps rho to the
    book's ``decay_rate`` and passes eps only to a constructor that takes it), then ``update(params, grads)``
    on two-entry dicts, step after step.
    """
    return StatefulAdapter(cls, {**DLFS_KEYS, **(keys or {})})


def _d2l_sgd_update(fn, kind, batch_size=4):
    import torch  # optional: only d2l's PyTorch code needs it

    if kind != "sgd":
        raise AssertionError(_("from_d2l_sgd adapts d2l's minibatch sgd, not {kind!r}").format(kind=kind))

    def update(w, g, lr):
        param = torch.tensor(np.asarray(w, np.float64), requires_grad=True)
        param.grad = torch.tensor(np.asarray(g, np.float64) * batch_size)  # d2l's grads are of the summed loss
        fn([param], lr, batch_size)
        return param.detach().numpy().copy()

    return update


def from_d2l_sgd(fn):
    """d2l's ``sgd(params, lr, batch_size)``: ``param -= lr * param.grad / batch_size`` on PyTorch tensors."""
    return FunctionalAdapter(fn, _d2l_sgd_update)


def from_torch(fn):
    """``fn`` written with PyTorch tensors, called with NumPy arrays (floats as float64, integers as int64
    tensors) and answering NumPy arrays."""
    import torch  # optional: only code written with PyTorch needs it

    def to_torch(value):
        if isinstance(value, np.ndarray):
            return torch.tensor(value, dtype=torch.int64 if value.dtype.kind in "iu" else torch.float64)
        return value

    @functools.wraps(fn)
    def numpy_fn(*args):
        result = fn(*map(to_torch, args))
        if isinstance(result, tuple):
            return tuple(r.detach().numpy() if isinstance(r, torch.Tensor) else r for r in result)
        return result.detach().numpy() if isinstance(result, torch.Tensor) else result

    return numpy_fn


def as_optimizer(update):
    """``update`` as it is, or wrapped in the adapter for the interface it is written in."""
    if isinstance(update, (FunctionalAdapter, StatefulAdapter)):
        return update
    if inspect.isclass(update) and callable(getattr(update, "update", None)):
        return from_dlfs_optimizer(update)
    try:
        names = list(inspect.signature(update).parameters)
    except (TypeError, ValueError):
        return update
    if "config" in names:
        return from_cs231n_optimizer(update)
    if names[:1] == ["params"] and "batch_size" in names:
        return from_d2l_sgd(update)
    return update
