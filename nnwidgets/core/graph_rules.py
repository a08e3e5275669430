"""The local gradient rule of every JAX primitive the backprop stepper draws, in words and symbols.

Each entry: (glyph drawn in the node, rule in words, rule in symbols). The numbers themselves always
come from ``jax.vjp``; these strings only explain them. ``a``, ``b`` are the inputs, ``y`` the output.
"""
from __future__ import annotations

RULES: dict[str, tuple[str, str, str]] = {
    "add": ("+", "add gate: passes the upstream gradient unchanged to every input", "∂y/∂a = 1, ∂y/∂b = 1"),
    "add_any": ("+", "add gate: passes the upstream gradient unchanged to every input", "∂y/∂a = 1, ∂y/∂b = 1"),
    "sub": ("−", "subtract gate: passes the gradient to a and its negative to b", "∂y/∂a = 1, ∂y/∂b = −1"),
    "mul": ("×", "multiply gate: swap the inputs (each input gets upstream × the other input)",
            "∂(ab)/∂a = b, ∂(ab)/∂b = a"),
    "div": ("÷", "divide gate", "∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b²"),
    "neg": ("−x", "negate: flips the sign of the gradient", "∂(−a)/∂a = −1"),
    "exp": ("exp", "exp gate: the local gradient is the output itself", "∂eᵃ/∂a = eᵃ = y"),
    "log": ("log", "log gate", "∂ln a/∂a = 1/a"),
    "log1p": ("log1p", "log(1 + a)", "∂/∂a = 1/(1 + a)"),
    "expm1": ("expm1", "eᵃ − 1", "∂/∂a = eᵃ"),
    "tanh": ("tanh", "tanh gate", "∂tanh a/∂a = 1 − y²"),
    "logistic": ("σ", "sigmoid gate: the local gradient is y(1 − y)", "∂σ(a)/∂a = y(1 − y)"),
    "relu": ("ReLU", "ReLU gate: passes the gradient where a > 0 and blocks it where a ≤ 0",
             "∂/∂a = 1 if a > 0 else 0"),
    "max": ("max", "max gate (ReLU when one input is 0): routes the gradient to the larger input "
            "(JAX splits a tie half and half)", "∂max(a, b)/∂a = 1 if a > b else 0"),
    "min": ("min", "min gate: routes the gradient to the smaller input", "∂min(a, b)/∂a = 1 if a < b else 0"),
    "integer_pow": ("xⁿ", "power gate", "∂aⁿ/∂a = n·aⁿ⁻¹"),
    "square": ("x²", "square gate", "∂a²/∂a = 2a"),
    "pow": ("xʸ", "power gate", "∂aᵇ/∂a = b·aᵇ⁻¹, ∂aᵇ/∂b = aᵇ·ln a"),
    "sqrt": ("√", "square root", "∂√a/∂a = 1/(2√a)"),
    "rsqrt": ("1/√", "reciprocal square root", "∂a^(−1/2)/∂a = −½·a^(−3/2)"),
    "abs": ("|x|", "absolute value", "∂|a|/∂a = sign(a)"),
    "sign": ("sign", "sign: flat almost everywhere, no gradient flows", "∂/∂a = 0"),
    "sin": ("sin", "sine", "∂sin a/∂a = cos a"),
    "cos": ("cos", "cosine", "∂cos a/∂a = −sin a"),
    "dot_general": ("@", "matrix product: dX = dY·Wᵀ, dW = Xᵀ·dY", "Y = X·W"),
    "reduce_sum": ("Σ", "sum: copies the upstream gradient to every entry that was summed", "∂(Σa)/∂aᵢ = 1"),
    "reduce_max": ("max", "max over entries: the gradient goes to the largest entry", "∂max(a)/∂aᵢ = 1 for the max"),
    "broadcast_in_dim": ("⇉", "broadcast: copies the value along new axes; backward sums the gradient over them",
                         "db = Σ dY over the copied axes"),
    "reshape": ("⤸", "reshape: the gradient is reshaped back", "da = reshape(dY)"),
    "squeeze": ("⤸", "squeeze: the gradient gets the axis back", "da = reshape(dY)"),
    "expand_dims": ("⤸", "expand_dims: the gradient loses the axis again", "da = reshape(dY)"),
    "transpose": ("ᵀ", "transpose: the gradient is transposed back", "da = dYᵀ"),
    "slice": ("[:]", "slice: the gradient goes back to the sliced entries, zero elsewhere", "da = pad(dY)"),
    "concatenate": ("⊕", "concatenate: each input gets its part of the gradient", "da = dY[part of a]"),
    "select_n": ("where", "where: routes the gradient to the branch that was chosen", "∂/∂(chosen) = 1"),
    "convert_element_type": ("cast", "type conversion: passes the gradient through", "∂y/∂a = 1"),
    "stop_gradient": ("stop", "stop_gradient: the value passes, the gradient does not", "∂y/∂a = 0"),
    "gt": (">", "comparison: a step function, no gradient flows", "∂/∂a = 0"),
    "ge": ("≥", "comparison: a step function, no gradient flows", "∂/∂a = 0"),
    "lt": ("<", "comparison: a step function, no gradient flows", "∂/∂a = 0"),
    "le": ("≤", "comparison: a step function, no gradient flows", "∂/∂a = 0"),
    "eq": ("=", "comparison: a step function, no gradient flows", "∂/∂a = 0"),
    "ne": ("≠", "comparison: a step function, no gradient flows", "∂/∂a = 0"),
}

def rule(op: str) -> tuple[str, str, str]:
    """(glyph, words, symbols) for ``op``; a function with its own derivative rule gets a generic line."""
    if op in RULES:
        return RULES[op]
    return (op, f"{op}: a function with its own derivative rule (jax.custom_jvp), applied as one step",
            f"∂{op}(a)/∂a from JAX's rule")
