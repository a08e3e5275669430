"""Languages: every sentence nnwidgets shows, in English (the source) or Korean.

Translations are gettext catalogs: ``nnwidgets/locale/<language>/LC_MESSAGES/*.po``, one file per part of the
package, read with polib and compiled to gettext's binary form when first needed. Translators edit the ``.po``
files with the tools they know (Poedit, Weblate, msgmerge); ``tools/extract_messages.py`` updates them from the
code. A message is marked in the code as gettext does: ``_("...")`` translates now, ``N_("...")`` marks a
constant that is translated when read (every ``text.py`` holds its panel's constants this way).

The language in force, first match wins:

1. inside ``with speaking("ko"):`` (a panel draws and checks in its own ``language``);
2. ``set_language("ko")``;
3. the environment: ``NNWIDGETS_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``ko_KR.UTF-8``
   gives Korean);
4. English.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext as _gettext
import os
import pathlib
import sys
import types

#: the languages nnwidgets speaks, each with its name as its speakers write it (the panels' toggle shows these)
LANGUAGES = {"ko": "한국어", "en": "English"}
SOURCE_LANGUAGE = "en"
LOCALE_DIR = pathlib.Path(__file__).with_name("locale")

_chosen: str | None = None
_speaking: contextvars.ContextVar[str | None] = contextvars.ContextVar("nnwidgets_language", default=None)


def check_language(value, name: str = "language") -> str:
    """``value`` as one of ``LANGUAGES``' codes ("ko", "en"; also "ko_KR", "Korean", "한국어"), or a ValueError."""
    if isinstance(value, str):
        key = value.strip().replace("-", "_").split("_")[0].split(".")[0].lower()
        aliases = {"korean": "ko", "한국어": "ko", "english": "en"}
        key = aliases.get(key, key)
        if key in LANGUAGES:
            return key
    raise ValueError(_("{name} must be one of {allowed}, got {value!r}").format(
        name=name, allowed=", ".join(f'"{code}"' for code in LANGUAGES), value=value))


def environment_language(environ=None) -> str:
    """The language the environment asks for: ``NNWIDGETS_LANG``, else the locale, else English."""
    environ = os.environ if environ is None else environ
    asked = environ.get("NNWIDGETS_LANG", "").strip()
    if asked:
        try:
            return check_language(asked, "NNWIDGETS_LANG")
        except ValueError as err:
            print(f"nnwidgets: {err}; using English", file=sys.stderr)
            return SOURCE_LANGUAGE
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        locale = environ.get(variable, "").strip()
        if locale:
            return "ko" if locale.lower().startswith("ko") else SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def set_language(language: str) -> None:
    """Make ``language`` ("ko" or "en") the language of every panel made from now on and of every message.

    >>> import nnwidgets as nw
    >>> nw.set_language("ko")
    """
    global _chosen
    _chosen = check_language(language)


def get_language() -> str:
    """The language in force here (see the module's docstring for the order)."""
    return _speaking.get() or _chosen or environment_language()


@contextlib.contextmanager
def keeping_language():
    """Code run in the block may call ``set_language``; the language chosen before it is back afterwards
    (the grader runs a Korean homework's setup cells, ``nw.set_language("ko")`` included, in its own language)."""
    global _chosen
    saved = _chosen
    try:
        yield
    finally:
        _chosen = saved


@contextlib.contextmanager
def speaking(language: str | None):
    """Within the block, messages are in ``language`` (None: leave the language in force as it is)."""
    if language is None:
        yield
        return
    token = _speaking.set(check_language(language))
    try:
        yield
    finally:
        _speaking.reset(token)


def part_of(module: str) -> str:
    """The catalog of a module's messages: ``nnwidgets.panels.<topic>.*`` -> topic, checks and grading -> "checks",
    the rest -> "common" (``nnwidgets.messages.catalog_of`` says the same for source files)."""
    parts = module.split(".")
    if len(parts) > 2 and parts[1] == "panels" and not parts[2].startswith("_"):
        return parts[2]
    if len(parts) > 1 and parts[1] in ("checks", "grade"):
        return "checks"
    return "common"


def _compiled(language: str, paths) -> _gettext.GNUTranslations:
    import io

    import polib

    merged = polib.POFile()
    merged.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language}
    for path in paths:
        for entry in polib.pofile(str(path)).translated_entries():
            merged.append(entry)
    return _gettext.GNUTranslations(io.BytesIO(merged.to_binary()))


@functools.cache
def catalog(language: str, part: str = "common") -> _gettext.NullTranslations:
    """``part``'s ``.po`` file of ``language`` compiled into a gettext catalog, falling back to every part's
    (English: the identity). Each part has its own: "step" is 계단 함수 on the perceptron and 단계 on the stepper."""
    if language == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    own = LOCALE_DIR / language / "LC_MESSAGES" / f"{part}.po"
    translations = _compiled(language, [own] if own.exists() else [])
    translations.add_fallback(_every_part(language))
    return translations


@functools.cache
def _every_part(language: str) -> _gettext.GNUTranslations:
    """All of ``language``'s catalogs in one, compiled once: every part's fallback."""
    return _compiled(language, sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")))


def gettext(message: str, language: str | None = None, part: str | None = None) -> str:
    """``message`` in ``language`` (default: the language in force), from the catalog of ``part`` (default: the
    calling module's); English text comes back as it is."""
    language = language or get_language()
    if language == SOURCE_LANGUAGE or not message:
        return str(message)
    if part is None:
        part = part_of(sys._getframe(1).f_globals.get("__name__", ""))
    return catalog(language, part).gettext(str(message))


_ = gettext


class Message(str):
    """A sentence marked for translation and translated when read (``N_``); it is its English text."""

    __slots__ = ()


def N_(message: str) -> Message:  # noqa: N802 - gettext's own name for the marker
    """Mark ``message`` for translation where it is defined; ``text.NAME`` then reads it translated."""
    return Message(message)


def translated(value, part: str = "common"):
    """``value`` with every ``Message`` in it (also in tuples, lists and dict values) in the language in force."""
    if isinstance(value, Message):
        return gettext(value, part=part)
    if isinstance(value, tuple):
        return tuple(translated(v, part) for v in value)
    if isinstance(value, list):
        return [translated(v, part) for v in value]
    if isinstance(value, dict):
        return {k: translated(v, part) for k, v in value.items()}
    return value


class TextModule(types.ModuleType):
    """A ``text.py`` module whose marked constants read in the language in force."""

    def __getattribute__(self, name):
        value = super().__getattribute__(name)
        if not name[:1].isupper():
            return value
        return translated(value, part_of(super().__getattribute__("__name__")))


def translate_module(name: str) -> None:
    """Called at the end of a ``text.py``: its UPPER_CASE constants holding ``N_`` messages read translated."""
    sys.modules[name].__class__ = TextModule
