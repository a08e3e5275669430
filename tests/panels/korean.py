"""What a learner reads on a panel, gathered for the language tests (widgets, figures, canvas marks).

``panel_text(panel)`` opens every tab in turn and returns every string a learner sees: widget descriptions,
tooltips, tab titles, option labels, button texts, HTML and labels (tags stripped), the matplotlib texts of each
tab's picture (as ``to_png`` draws it, with a check that no glyph is missing) and the canvas marks' texts.
``english_words(texts, keep)`` lists the Latin-script words of three letters or more that are not in ``keep``
(API names, formulas, and the terms the lectures keep in English): in Korean it must come back empty.
"""
from __future__ import annotations

import html
import re
import warnings

from nnwidgets.panels._state import widget_tree
from nnwidgets.render import layer

#: terms the Korean lectures keep in English (GLOSSARY_KO.md), gate names and maths
KEPT_IN_ENGLISH = {
    "AND", "OR", "NAND", "NOR", "XOR", "XNOR", "softmax", "Softmax", "ReLU", "relu", "tanh", "Sigmoid", "sigmoid",
    "Adam", "SGD", "Momentum", "momentum", "AdaGrad", "RMSprop", "RMSProp", "Nesterov", "MSE", "MLP", "Iris", "MNIST",
    "exp", "log", "max", "min", "sin", "cos", "mean", "sum", "argmax", "ln", "Affine", "CNN", "Keras", "PyTorch",
    "JAX", "NumPy", "English", "Leaky", "ELU", "elu", "leaky_relu", "Xavier", "xavier", "He", "dlfs", "DLFS", "optax",
    "Voila",
}

_TAGS = re.compile(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", re.S)
_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")


def strip_html(value: str) -> str:
    return html.unescape(_TAGS.sub(" ", value))


def widget_text(root) -> list[str]:
    """Every string the widgets under ``root`` show."""
    texts = []
    for w in widget_tree(root):
        for name in ("description", "tooltip", "placeholder", "button_style_text"):
            value = getattr(w, name, None)
            if isinstance(value, str) and value:
                texts.append(strip_html(value) if getattr(w, "description_allow_html", False) else value)
        texts += [t for t in (getattr(w, "titles", None) or ()) if t]
        texts += [t for t in (getattr(w, "tooltips", None) or ()) if t]
        texts += [str(label) for label in (getattr(w, "_options_labels", None) or ())]
        if type(w).__name__ in ("HTML", "HTMLMath", "Label"):
            texts.append(strip_html(w.value))
        for mark in (getattr(w, "marks", None) or ()):
            if isinstance(mark, dict) and mark.get("text"):
                texts.append(str(mark["text"]))
    return [t for t in texts if t and t.strip()]


def figure_text(panel) -> list[str]:
    """The texts of the open tab's picture, as ``to_png`` draws them; fails on any missing glyph."""
    seen = []
    original = layer.use_our_fonts

    def record(fig):
        original(fig)
        seen.append(fig)

    layer.use_our_fonts = record
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
            warnings.filterwarnings("error", message=".*missing from font.*")
            panel.to_png()
    finally:
        layer.use_our_fonts = original
    from matplotlib.text import Text
    texts = [re.sub(r"\$[^$]*\$", " ", t.get_text()) for fig in seen for t in fig.findobj(Text) if t.get_visible()]
    return [t for t in texts if t.strip()]  # mathtext ($...$) is maths, not words


def panel_text(panel) -> list[str]:
    """Everything a learner reads on ``panel``, every tab opened in turn (the open tab is put back)."""
    texts = []
    first = panel.tab if "tab" in getattr(panel, "SETTINGS", ()) else None
    for tab in panel.tabs:
        if first is not None:
            panel.open_tab(tab)
        texts += figure_text(panel)
        texts += widget_text(panel.frame)
    if first is not None:
        panel.open_tab(first)
    return texts


def english_words(texts, keep=()) -> list[str]:
    """Latin-script words (3+ letters) in ``texts`` that are neither kept terms nor in ``keep``."""
    allowed = KEPT_IN_ENGLISH | set(keep)
    words = set()
    for text in texts:
        for word in _WORD.findall(text):
            if len(word) >= 3 and word not in allowed and word.lower() not in allowed:
                words.add(word)
    return sorted(words)


def has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)
