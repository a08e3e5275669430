"""check_optimizer: a from-scratch update rule, step after step, judged by the parameters' path.

Signatures (``w`` parameters, ``g`` their gradient; return the new values):
    "sgd"       update(w, g, lr) -> w
    "momentum"  update(w, g, v, lr, momentum) -> (w, v)
    "nesterov"  update(w, g, v, lr, momentum) -> (w, v)
    "adagrad"   update(w, g, h, lr, eps) -> (w, h)
    "rmsprop"   update(w, g, v, lr, rho, eps) -> (w, v)
    "adam"      update(w, g, m, v, t, lr, beta1, beta2, eps) -> (w, m, v)     t = 1, 2, ... the step number
Every accumulator starts at zeros. The standard forms of each rule pass and are named (``_variants.VARIANTS``):
momentum's state as the book's velocity, PyTorch's buffer or v = momentum·v + lr·g; Nesterov in PyTorch's,
CS231n's/Keras' and the book's form; eps outside or inside the root; Adam's standard or efficient form; and
code that fixes a small eps (the book's 1e-7) instead of using the eps argument. ``variant=`` requires one
form. The book's classes, CS231n's ``optim.py`` and d2l's ``sgd`` are accepted too (``_adapters``).
"""
from __future__ import annotations

import numpy as np

from nnwidgets.i18n import _, gettext

from ._adapters import FunctionalAdapter, StatefulAdapter, as_optimizer
from ._harness import DEFAULT_TIMEOUT, Failure, as_floats, call, close, fixed_rng, seeded_rng, show
from ._variants import VARIANTS, fixed_eps, reference_step

HYPER = {"sgd": ("lr",), "momentum": ("lr", "momentum"), "nesterov": ("lr", "momentum"), "adagrad": ("lr", "eps"),
         "rmsprop": ("lr", "rho", "eps"), "adam": ("lr", "beta1", "beta2", "eps")}
STATE = {"sgd": (), "momentum": ("v",), "nesterov": ("v",), "adagrad": ("h",), "rmsprop": ("v",), "adam": ("m", "v")}
SETTINGS = {"sgd": [{"lr": 0.1}, {"lr": 0.95}],
            "momentum": [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.5}],
            "nesterov": [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.5}],
            "adagrad": [{"lr": 1.5, "eps": 1e-7}, {"lr": 0.5, "eps": 0.1}],
            "rmsprop": [{"lr": 0.01, "rho": 0.99, "eps": 1e-8}, {"lr": 0.1, "rho": 0.5, "eps": 0.1}],
            "adam": [{"lr": 0.3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
                     {"lr": 0.1, "beta1": 0.5, "beta2": 0.8, "eps": 0.1}]}
STEPS = 4
RTOL, ATOL = 1e-5, 1e-8


def _cases(kind, seed):
    rng = fixed_rng(f"optimizer-{kind}")
    cases = [(hp, rng.normal(size=(STEPS, 3)) * (3 if i else 1)) for i, hp in enumerate(SETTINGS[kind])]
    extra = seeded_rng(seed)
    if extra:
        hp = {name: float(value * extra.uniform(0.5, 1.0)) for name, value in SETTINGS[kind][1].items()}
        cases.append((hp, extra.normal(size=(STEPS, 3)) * 2))
    return cases


def check_optimizer(name: str, update, *, variant: str | None = None, allow_fixed_eps: bool = True,
                    allow_inplace: bool = True, seed: int | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
    """``update`` must follow ``name``'s rule (signatures and accepted forms in this module's doc).

    Each case starts the accumulators at zero and feeds your own returned state back in, step after step, so
    a slip shows at the step where it happens; the form your first step follows is the one you are held to.
    A class that keeps its own state (the book's) is compared on the parameters alone. ``variant`` names the
    one form an assignment accepts (e.g. "velocity" for momentum). Tolerance: 1e-8 + 1e-5·|expected|.
    """
    kind = str(name).lower()
    if kind not in HYPER:
        raise AssertionError(_("{check}: name must be one of {allowed}, got {value!r}").format(
            check="check_optimizer", allowed=", ".join(HYPER), value=name))
    if variant is not None and variant not in VARIANTS[kind]:
        raise AssertionError(_("check_optimizer: variant for {kind} must be one of {allowed}, got {value!r}").format(
            kind=kind, allowed=", ".join(VARIANTS[kind]), value=variant))
    update = as_optimizer(update)
    if isinstance(update, FunctionalAdapter):
        update = update.bind(kind)
    stateful = isinstance(update, StatefulAdapter)
    cases = _cases(kind, seed)
    fail = Failure(f"check_optimizer({kind!r})", len(cases) * STEPS)
    alive, fixed = [variant] if variant else list(VARIANTS[kind]), {}
    for c, (hp, grads) in enumerate(cases):
        alive = _run_case(fail, c, kind, update, stateful, hp, grads, alive, fixed, allow_fixed_eps, allow_inplace,
                          timeout)
    if alive[0] != next(iter(VARIANTS[kind])) and variant is None:
        fail.note(_("recognised {form}").format(form=gettext(VARIANTS[kind][alive[0]])))
    if alive[0] in fixed:
        fail.note(_("your code fixes eps at {eps:g} instead of using the eps argument").format(eps=fixed[alive[0]]))
    fail.done()


def _run_case(fail, c, kind, update, stateful, hp, grads, alive, fixed, allow_fixed_eps, allow_inplace, timeout):
    """Steps through one case; returns the forms still consistent with every step (``fixed``: eps found per form)."""
    names = ["w", "g", *STATE[kind]] + (["t"] if kind == "adam" else []) + list(HYPER[kind])
    signature = f"{kind}({', '.join(names)})"
    w = np.array([-7.0, 2.0, 0.5])
    states = {v: tuple(np.zeros(3) for _ in STATE[kind]) for v in alive}
    eps = {}
    if stateful:
        setting = ", ".join(f"{n} = {hp[n]:g}" for n in HYPER[kind])
        step_fn = call(fail, c * STEPS + 1, _("creating the optimizer with {setting}").format(setting=setting),
                       update.start, kind, dict(hp),
                       timeout=timeout)
    for t, g in enumerate(grads, start=1):
        k = c * STEPS + t
        state = states[alive[0]]
        if stateful:
            inputs = _("step {step} with g = {g} ({setting}, from w = {w})").format(step=t, g=show(g), setting=setting,
                                                                                    w=show(w))
            new = [as_floats(fail, k, inputs, call(fail, k, inputs, step_fn, w, g, timeout=timeout), (3,),
                             _("the updated parameters"))]
        else:
            args = [w, g, *state] + ([t] if kind == "adam" else []) + [hp[h] for h in HYPER[kind]]
            inputs = ", ".join(f"{n} = {show(a)}" for n, a in zip(names, args))
            new = _outputs(fail, k, inputs, kind, call(fail, k, inputs, update, *args, timeout=timeout, names=names,
                                                       allow_inplace=allow_inplace, signature=signature))
        matching = []
        for v in alive:
            expected = reference_step(kind, w, g, states[v], t, hp, v, eps.get(v))
            if not _matches(new, expected, stateful) and allow_fixed_eps and v not in eps:
                guess = fixed_eps(kind, v, w, new[0], g, states[v], t, hp)
                candidate = reference_step(kind, w, g, states[v], t, hp, v, guess) if guess is not None else None
                if candidate is not None and _matches(new, candidate, stateful):
                    eps[v] = fixed[v] = guess
                    expected = candidate
            if _matches(new, expected, stateful):
                matching.append(v)
                states[v] = expected[1] if stateful else tuple(new[1:])
        if not matching:
            _explain(fail, k, t, inputs, kind, w, g, state, hp, new, alive, eps, stateful)
        alive, w = matching, new[0]
    return alive


def _outputs(fail, k, inputs, kind, result):
    outputs = result if STATE[kind] else (result,)
    if not isinstance(outputs, (tuple, list)) or len(outputs) != 1 + len(STATE[kind]):
        fail(k, inputs, f"({', '.join(['w', *STATE[kind]])})", repr(type(result).__name__),
             _("return {what}").format(what="(w, " + ", ".join(STATE[kind]) + ")") if STATE[kind] else
             _("return the new w"))
    return [as_floats(fail, k, inputs, o, (3,), _("returned {name}").format(name=n))
            for n, o in zip(["w", *STATE[kind]], outputs)]


def _matches(new, expected, stateful) -> bool:
    expected_w, expected_state = expected
    pairs = [(new[0], expected_w)] + ([] if stateful else list(zip(new[1:], expected_state)))
    return all(close(got, want, RTOL, ATOL) for got, want in pairs)


def _explain(fail, k, t, inputs, kind, w, g, state, hp, new, alive, eps, stateful):
    """The failure against the form the earlier steps followed (the first listed one at step 1)."""
    best = alive[0]
    expected_w, expected_state = reference_step(kind, w, g, state, t, hp, best, eps.get(best))
    label = gettext(VARIANTS[kind][best])
    others = [v for v in VARIANTS[kind] if v not in alive and _matches(new, reference_step(kind, w, g, state, t, hp, v),
                                                                      stateful)]
    if others:
        fail(k, inputs, expected_w, new[0], _("this is {found}; this check asks for {asked}").format(
            found=gettext(VARIANTS[kind][others[0]]), asked=label), what=_("step {step}").format(step=t))
    for n, got, expected in zip(["w", *STATE[kind]], new, (expected_w, *expected_state)):
        if not close(got, expected, RTOL, ATOL):
            fail(k, inputs, expected, got, _hint(kind, n, w, g, state, hp, got, expected_w, label),
                 what=_("step {step}, {name}").format(step=t, name=n))


def _hint(kind, n, w, g, state, hp, got, expected_w, label):
    def near(value):
        return np.allclose(got, value, rtol=1e-5, atol=1e-8)

    if kind == "adam" and n == "w":
        m = hp["beta1"] * state[0] + (1 - hp["beta1"]) * g
        v = hp["beta2"] * state[1] + (1 - hp["beta2"]) * g * g
        if near(w - hp["lr"] * m / (np.sqrt(v) + hp["eps"])):
            return _("correct the bias before the step: m̂ = m / (1 − beta1^t), v̂ = v / (1 − beta2^t)")
    if n == "w" and near(2 * w - expected_w):
        return _("the sign is flipped: step against the gradient")
    return _("checked against {form}; see help(nnwidgets.checks.check_optimizer) for the accepted forms").format(
        form=label)
