"""The local gradient rule of every JAX primitive the backprop stepper draws, in words and symbols.

Each entry: (glyph drawn in the node, rule in words, rule in symbols). The numbers themselves always
come from ``jax.vjp``; these strings only explain them. ``a``, ``b`` are the inputs, ``y`` the output.
"""
from __future__ import annotations

from ..i18n import N_, _, translated

RULES: dict[str, tuple[str, str, str]] = {
    "add": ("+", N_("add gate: passes the upstream gradient unchanged to every input"), "∂y/∂a = 1, ∂y/∂b = 1"),
    "add_any": ("+", N_("add gate: passes the upstream gradient unchanged to every input"), "∂y/∂a = 1, ∂y/∂b = 1"),
    "sub": ("−", N_("subtract gate: passes the gradient to a and its negative to b"), "∂y/∂a = 1, ∂y/∂b = −1"),
    "mul": ("×", N_("multiply gate: swap the inputs (each input gets upstream × the other input)"),
            "∂(ab)/∂a = b, ∂(ab)/∂b = a"),
    "div": ("÷", N_("divide gate"), "∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b²"),
    "neg": ("−x", N_("negate: flips the sign of the gradient"), "∂(−a)/∂a = −1"),
    "exp": ("exp", N_("exp gate: the local gradient is the output itself"), "∂eᵃ/∂a = eᵃ = y"),
    "log": ("log", N_("log gate"), "∂ln a/∂a = 1/a"),
    "log1p": ("log1p", "log(1 + a)", "∂/∂a = 1/(1 + a)"),
    "expm1": ("expm1", "eᵃ − 1", "∂/∂a = eᵃ"),
    "tanh": ("tanh", N_("tanh gate"), "∂tanh a/∂a = 1 − y²"),
    "logistic": ("σ", N_("sigmoid gate: the local gradient is y(1 − y)"), "∂σ(a)/∂a = y(1 − y)"),
    "relu": ("ReLU", N_("ReLU gate: passes the gradient where a > 0 and blocks it where a ≤ 0"),
             N_("∂/∂a = 1 if a > 0 else 0")),
    "max": ("max", N_("max gate (ReLU when one input is 0): routes the gradient to the larger input "
               "(JAX splits a tie half and half)"), N_("∂max(a, b)/∂a = 1 if a > b else 0")),
    "min": ("min", N_("min gate: routes the gradient to the smaller input"),
            N_("∂min(a, b)/∂a = 1 if a < b else 0")),
    "integer_pow": ("xⁿ", N_("power gate"), "∂aⁿ/∂a = n·aⁿ⁻¹"),
    "square": ("x²", N_("square gate"), "∂a²/∂a = 2a"),
    "pow": ("xʸ", N_("power gate"), "∂aᵇ/∂a = b·aᵇ⁻¹, ∂aᵇ/∂b = aᵇ·ln a"),
    "sqrt": ("√", N_("square root"), "∂√a/∂a = 1/(2√a)"),
    "rsqrt": ("1/√", N_("reciprocal square root"), "∂a^(−1/2)/∂a = −½·a^(−3/2)"),
    "abs": ("|x|", N_("absolute value"), "∂|a|/∂a = sign(a)"),
    "sign": ("sign", N_("sign: flat almost everywhere, no gradient flows"), "∂/∂a = 0"),
    "sin": ("sin", N_("sine"), "∂sin a/∂a = cos a"),
    "cos": ("cos", N_("cosine"), "∂cos a/∂a = −sin a"),
    "dot_general": ("@", N_("matrix product: dX = dY·Wᵀ, dW = Xᵀ·dY"), "Y = X·W"),
    "reduce_sum": ("Σ", N_("sum: copies the upstream gradient to every entry that was summed"), "∂(Σa)/∂aᵢ = 1"),
    "reduce_max": ("max", N_("max over entries: the gradient goes to the largest entry"),
                   N_("∂max(a)/∂aᵢ = 1 for the max")),
    "broadcast_in_dim": ("⇉", N_("broadcast: copies the value along new axes; backward sums the gradient over them"),
                         N_("db = Σ dY over the copied axes")),
    "reshape": ("⤸", N_("reshape: the gradient is reshaped back"), "da = reshape(dY)"),
    "squeeze": ("⤸", N_("squeeze: the gradient gets the axis back"), "da = reshape(dY)"),
    "expand_dims": ("⤸", N_("expand_dims: the gradient loses the axis again"), "da = reshape(dY)"),
    "transpose": ("ᵀ", N_("transpose: the gradient is transposed back"), "da = dYᵀ"),
    "slice": ("[:]", N_("slice: the gradient goes back to the sliced entries, zero elsewhere"), "da = pad(dY)"),
    "concatenate": ("⊕", N_("concatenate: each input gets its part of the gradient"), N_("da = dY[part of a]")),
    "select_n": ("where", N_("where: routes the gradient to the branch that was chosen"), N_("∂/∂(chosen) = 1")),
    "convert_element_type": ("cast", N_("type conversion: passes the gradient through"), "∂y/∂a = 1"),
    "stop_gradient": ("stop", N_("stop_gradient: the value passes, the gradient does not"), "∂y/∂a = 0"),
    "gt": (">", N_("comparison: a step function, no gradient flows"), "∂/∂a = 0"),
    "ge": ("≥", N_("comparison: a step function, no gradient flows"), "∂/∂a = 0"),
    "lt": ("<", N_("comparison: a step function, no gradient flows"), "∂/∂a = 0"),
    "le": ("≤", N_("comparison: a step function, no gradient flows"), "∂/∂a = 0"),
    "eq": ("=", N_("comparison: a step function, no gradient flows"), "∂/∂a = 0"),
    "ne": ("≠", N_("comparison: a step function, no gradient flows"), "∂/∂a = 0"),
}


def rule(op: str) -> tuple[str, str, str]:
    """(glyph, words, symbols) for ``op``; a function with its own derivative rule gets a generic line."""
    if op in RULES:
        return translated(RULES[op])
    return (op, _("{op}: a function with its own derivative rule (jax.custom_jvp), applied as one step").format(
        op=op),
            _("∂{op}(a)/∂a from JAX's rule").format(op=op))
