"""Fonts for nnwidgets' own figures: Latin in DejaVu Sans (matplotlib's default), Hangul in NanumGothic.

NanumGothic ships with the package (``nnwidgets/fonts``, SIL Open Font License), so Korean panels render on a
machine with no Korean font. It is added to matplotlib's font list once; only nnwidgets' figures ask for it (each
figure's text is given this family list just before it is drawn): the user's rcParams are never changed.
"""
from __future__ import annotations

import functools
import pathlib

from matplotlib import font_manager
from matplotlib.text import Text

FONT_FILE = pathlib.Path(__file__).parent.parent / "fonts" / "NanumGothic.ttf"
#: DejaVu Sans first, so English figures look as before; a glyph it lacks (Hangul) comes from NanumGothic
FAMILIES = ["DejaVu Sans", "NanumGothic"]


@functools.cache
def register() -> str:
    """Add the shipped Korean font to matplotlib's font manager (once); returns its family name."""
    font_manager.fontManager.addfont(str(FONT_FILE))
    return font_manager.FontProperties(fname=str(FONT_FILE)).get_name()


def use_our_fonts(fig) -> None:
    """Give every text of ``fig`` nnwidgets' family list (Latin, then Hangul)."""
    register()
    for text in fig.findobj(Text):
        if text.get_family() != FAMILIES:
            text.set_family(FAMILIES)
