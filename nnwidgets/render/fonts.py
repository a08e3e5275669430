"""Fonts for nnwidgets' own figures: Latin in DejaVu Sans (matplotlib's default), Hangul in NanumGothic.

NanumGothic ships with the package (``nnwidgets/fonts``, SIL Open Font License), so Korean panels render on a
machine with no Korean font. It is added to matplotlib's font list once; only nnwidgets' figures ask for it (each
figure's text is given this family list just before it is drawn): the user's rcParams are never changed.
"""
from __future__ import annotations

import dataclasses
import functools
import pathlib

from matplotlib import font_manager
from matplotlib.text import Text

FONT_DIR = pathlib.Path(__file__).parent.parent / "fonts"
FONT_FILES = (FONT_DIR / "NanumGothic.ttf", FONT_DIR / "NanumGothicBold.ttf")  # regular and bold (titles)
#: DejaVu Sans first, so English figures look as before; a glyph it lacks (Hangul) comes from NanumGothic
FAMILIES = ["DejaVu Sans", "NanumGothic"]


@functools.cache
def register() -> str:
    """Add the shipped Korean fonts to matplotlib's font manager (once); returns their family name."""
    manager = font_manager.fontManager
    for path in FONT_FILES:
        manager.addfont(str(path))
    # NanumGothicBold's OS/2 table says weight 600; it is the family's bold, and matplotlib asks "bold" (700) for
    # titles: without this it logs "Failed to find font weight bold for NanumGothic" on every bold Hangul title
    bold = str(FONT_FILES[1])
    manager.ttflist = [dataclasses.replace(f, weight=700) if f.fname == bold else f for f in manager.ttflist]
    getattr(manager, "_findfont_cached", None) and manager._findfont_cached.cache_clear()
    return font_manager.FontProperties(fname=str(FONT_FILES[0])).get_name()


def use_our_fonts(fig) -> None:
    """Give every text of ``fig`` nnwidgets' family list (Latin, then Hangul)."""
    register()
    for text in fig.findobj(Text):
        if text.get_family() != FAMILIES:
            text.set_family(FAMILIES)
