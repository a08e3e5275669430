"""check_layer: layer classes with forward and backward, as in "Deep Learning from Scratch" ch. 5 (the book's
``common/layers.py``), or CS231n's functional layers through ``from_cs231n_layer``.

Interfaces (N is the batch size):
    Add, Mul          forward(x, y) -> out;       backward(dout) -> (dx, dy)
    Sigmoid, ReLU     forward(x) -> out;          backward(dout) -> dx
    Affine(W, b)      forward(x) -> x·W + b;      backward(dout) -> dx, and sets self.dW, self.db
    MSE               forward(y, t) -> ½·Σ(y − t)² / N;              backward(dout=1) -> dout·(y − t) / N
    SoftmaxWithLoss   forward(x, t) -> mean cross-entropy of softmax(x) (each row) against t, one-hot rows or
                      integer classes; backward(dout=1) -> dout·(softmax(x) − t) / N
"""
from __future__ import annotations

import inspect

import numpy as np

from nnwidgets.i18n import _

from ._adapters import from_cs231n_layer
from ._harness import DEFAULT_TIMEOUT, Failure, Probe, ProbeTimeout, as_floats, call, close, scalar, show
from ._layer_cases import ARG_NAMES, layer_cases, layer_expected, split

RTOL, ATOL = 1e-5, 1e-8
LOSS_RTOL, LOSS_ATOL = 1e-4, 1e-4  # SoftmaxWithLoss's loss: the book's ln(p + 1e-7) guard passes
LAYERS = ("Add", "Mul", "Sigmoid", "ReLU", "Affine", "MSE", "SoftmaxWithLoss")
LABELS = ("onehot", "int")


def _as_layer_class(name, cls):
    """A class as it is; CS231n's (forward, backward) pair or a lone loss function (softmax_loss) adapted."""
    if isinstance(cls, tuple) and len(cls) == 2 and all(map(callable, cls)):
        return from_cs231n_layer(*cls)
    if name == "SoftmaxWithLoss" and inspect.isroutine(cls):  # a plain function, never a class or a proxy
        return from_cs231n_layer(cls)
    return cls


def check_layer(name: str, cls, *, labels: str | None = None, allow_inplace: bool = True, seed: int | None = None,
                timeout: float = DEFAULT_TIMEOUT) -> None:
    """The layer class ``cls`` must do ``name``'s forward and backward pass (interfaces in this module's doc).

    Each case builds a fresh layer, runs forward then backward, and compares every output and, for Affine,
    ``dW`` and ``db``. ``cls`` may also be CS231n's pair ``(affine_forward, affine_backward)`` or, for
    SoftmaxWithLoss, ``softmax_loss`` (see ``from_cs231n_layer``). SoftmaxWithLoss's labels: ``labels=None``
    uses one-hot rows when the first case passes with them, else integer classes; "onehot" or "int" keeps one.
    Changing ``x`` or ``dout`` in place (the book's ``Relu.backward``) is a note, or a failure with
    ``allow_inplace=False``. Tolerance: 1e-8 + 1e-5·|expected| (SoftmaxWithLoss's loss: 1e-4 + 1e-4·|expected|).
    """
    if name not in LAYERS:
        raise AssertionError(_("{check}: name must be one of {allowed}, got {value!r}").format(
            check="check_layer", allowed=", ".join(LAYERS), value=name))
    if labels not in (None, *LABELS):
        raise AssertionError(_("{check}: labels must be 'onehot', 'int' or None, got {value!r}").format(
            check="check_layer", value=labels))
    cls = _as_layer_class(name, cls)
    cases = layer_cases(name, seed)
    chosen = labels or "onehot"
    if name == "SoftmaxWithLoss" and labels is None:
        chosen = next((form for form in LABELS if _passes(name, cls, cases[0], form, timeout)), "onehot")
    fail = Failure(f"check_layer({name!r})", len(cases))
    for k, case in enumerate(cases, start=1):
        _run_case(fail, k, name, cls, case, chosen, timeout, allow_inplace)
    fail.done()


def _passes(name, cls, case, form, timeout) -> bool:
    try:
        _run_case(Probe(f"check_layer({name!r})", 1), 1, name, cls, case, form, timeout, True)
    except ProbeTimeout:
        raise
    except AssertionError:
        return False
    return True


def _run_case(fail, k, name, cls, case, labels, timeout, allow_inplace):
    forward_args, dout = split(name, case, labels)
    names = ARG_NAMES.get(name, ["x"])
    inputs = ", ".join(f"{n} = {show(v)}" for n, v in zip(names, forward_args))
    out, grads, attributes = layer_expected(name, case)
    create = f"{name}(W, b)" if name == "Affine" else f"{name}()"
    layer = call(fail, k, _("creating {layer}").format(layer=create),
                 lambda: cls(case[1].copy(), case[2].copy()) if name == "Affine" else cls(), timeout=timeout)
    got = call(fail, k, f"forward({inputs})", layer.forward, *forward_args, timeout=timeout, names=names,
               allow_inplace=allow_inplace, signature=f"layer.forward({', '.join(names)})")
    loss = name == "SoftmaxWithLoss"
    got = scalar(fail, k, inputs, got, _("forward's loss")) if np.ndim(out) == 0 else \
        as_floats(fail, k, inputs, got, np.shape(out), _("forward's output"))
    if not close(np.asarray(got), out, LOSS_RTOL if loss else RTOL, LOSS_ATOL if loss else ATOL):
        fail(k, f"forward({inputs})", out, got, _forward_hint(name, case, got), what=_("forward"))
    backward_inputs = _("backward(dout = {dout}) after forward({inputs})").format(dout=show(dout), inputs=inputs)
    back = call(fail, k, backward_inputs, layer.backward, dout, timeout=timeout, names=["dout"],
                allow_inplace=allow_inplace, signature="layer.backward(dout)")
    back = back if isinstance(back, tuple) else (back,)
    if len(back) != len(grads):
        fail(k, backward_inputs, _("{count} gradient(s)").format(count=len(grads)), f"{len(back)}",
             _("Add and Mul return (dx, dy); the other layers return dx"), what=_("backward"))
    for i, (g, expected) in enumerate(zip(back, grads)):
        g = as_floats(fail, k, backward_inputs, g, np.shape(expected),
                      _("backward's {name}").format(name=("dx", "dy")[i]))
        if not close(g, expected, RTOL, ATOL):
            fail(k, backward_inputs, expected, g, _backward_hint(name, i), what=_("backward"))
    for attribute, expected in attributes.items():
        value = getattr(layer, attribute, None)
        g = as_floats(fail, k, backward_inputs, value, expected.shape, f"self.{attribute}")
        if not close(g, expected, RTOL, ATOL):
            fail(k, backward_inputs, expected, g, {"dW": "dW = xᵀ · dout", "db": _("db = Σ dout over axis 0")}
                 [attribute], what=f"self.{attribute}")


def _forward_hint(name, case, got):
    if name == "MSE":
        y, t, _dout = case
        if np.isclose(got, 0.5 * np.sum((y - t) ** 2)):
            return _("that is ½·Σ(y − t)² without dividing by the batch size N: the seed's slide forgets the N, but "
                     "its backward divides by N; make them agree: ½·Σ(y − t)² / N")
        return _("loss = ½·Σ(y − t)² / N with N = y.shape[0]")
    if name == "SoftmaxWithLoss":
        if not np.isfinite(got):
            return _("the loss is not finite: softmax each row after subtracting that row's own max "
                     "(np.max(x, axis=1, keepdims=True)), not the max of the whole batch")
        return _("softmax each row (subtract the row's max first), then the mean over the batch of −Σ t·ln p")
    if name == "Sigmoid":
        return "σ(x) = 1 / (1 + e^(−x))"
    return None


def _backward_hint(name, i):
    return {"Add": _("an add gate passes dout through unchanged to both inputs"),
            "Mul": _("a multiply gate swaps the inputs: dx = dout·y, dy = dout·x"),
            "Sigmoid": _("dx = dout·y·(1 − y) with y the forward output (keep it in self.out)"),
            "ReLU": _("dx = dout where x > 0 and 0 where x ≤ 0 (keep a mask from forward)"),
            "Affine": "dx = dout · Wᵀ",
            "MSE": "dx = dout·(y − t) / N",
            "SoftmaxWithLoss": "dx = dout·(softmax(x) − t) / N"}[name]
