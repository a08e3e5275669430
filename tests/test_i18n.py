"""The Korean catalogs: complete, nothing unused, the same placeholders; the language switch and its order."""
from __future__ import annotations

import polib
import pytest

from nnwidgets import i18n
from nnwidgets.messages import all_messages, placeholders

CATALOGS = i18n.LOCALE_DIR / "ko" / "LC_MESSAGES"


def _entries():
    return {path.stem: {e.msgid: e for e in polib.pofile(str(path))} for path in sorted(CATALOGS.glob("*.po"))}


def test_every_message_in_the_code_has_a_korean_translation():
    entries = _entries()
    missing = [f"{part}: {message!r} ({places[0]})" for part, messages in all_messages().items()
               for message, places in messages.items()
               if message not in entries.get(part, {}) or not entries[part][message].msgstr.strip()
               or "fuzzy" in entries[part][message].flags]
    assert not missing, f"{len(missing)} messages without a Korean translation (run tools/extract_messages.py, " \
                        "then translate):\n" + "\n".join(missing[:40])


def test_no_catalog_entry_is_unused():
    used = all_messages()
    unused = [f"{part}: {message!r}" for part, entries in _entries().items() for message in entries
              if message not in used.get(part, {})]
    assert not unused, "catalog entries no code uses (run tools/extract_messages.py):\n" + "\n".join(unused[:40])


def test_translations_keep_every_placeholder():
    differ = [f"{part}: {e.msgid!r} -> {e.msgstr!r}" for part, entries in _entries().items() for e in entries.values()
              if e.msgstr and placeholders(e.msgid) != placeholders(e.msgstr)]
    assert not differ, "placeholders differ between English and Korean:\n" + "\n".join(differ)


def test_translations_are_korean():
    """A translation carries Hangul unless it is a term the lectures keep in English (then it equals the source)."""
    english = [f"{part}: {e.msgid!r} -> {e.msgstr!r}" for part, entries in _entries().items() for e in entries.values()
               if e.msgstr and e.msgstr != e.msgid and not any("\uac00" <= ch <= "\ud7a3" for ch in e.msgstr)]
    assert not english, "translations with no Hangul that differ from the English:\n" + "\n".join(english)


def test_gettext_reads_the_catalog_and_english_is_the_identity():
    message = "{name} must be one of {allowed}, got {value!r}"
    assert i18n.gettext(message, "en") == message
    korean = i18n.gettext(message, "ko")
    assert korean != message and placeholders(korean) == placeholders(message)


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "en"),
    ({"LANG": "ko_KR.UTF-8"}, "ko"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "ko_KR.UTF-8"}, "ko"),
    ({"LANG": "ko_KR.UTF-8", "LC_ALL": "C.UTF-8"}, "en"),
    ({"LANG": "ko_KR.UTF-8", "NNWIDGETS_LANG": "en"}, "en"),
    ({"NNWIDGETS_LANG": "ko"}, "ko"),
    ({"NNWIDGETS_LANG": "Korean"}, "ko"),
])
def test_the_environment_picks_the_language(environ, expected):
    assert i18n.environment_language(environ) == expected


def test_set_language_checks_its_argument_and_speaking_wins(monkeypatch):
    monkeypatch.setattr(i18n, "_chosen", None)
    monkeypatch.delenv("NNWIDGETS_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    with pytest.raises(ValueError, match=r"language must be one of \"ko\", \"en\", got 'fr'"):
        i18n.set_language("fr")
    assert i18n.get_language() == "en"
    i18n.set_language("ko")
    assert i18n.get_language() == "ko"
    with i18n.speaking("en"):
        assert i18n.get_language() == "en"
    assert i18n.get_language() == "ko"
    with pytest.raises(ValueError, match="은|는|이|가"):  # the message itself is Korean now
        i18n.set_language("fr")


def test_each_part_reads_its_own_catalog_first():
    """A short word can mean two things: "step" is the step function on the perceptron and one step of the
    stepper. Each part's messages come from its own catalog; the others are only a fallback."""
    assert i18n.part_of("nnwidgets.panels.perceptron.text") == "perceptron"
    assert i18n.part_of("nnwidgets.panels.perceptron") == "perceptron"
    assert i18n.part_of("nnwidgets.panels._state") == "common"
    assert i18n.part_of("nnwidgets.checks.softmax") == "checks"
    entries = _entries()
    for part in entries:
        for message, entry in entries[part].items():
            assert i18n.gettext(message, "ko", part=part) == entry.msgstr, (part, message)
