"""Update the Korean catalogs from the code (as xgettext + msgmerge would): ``python tools/extract_messages.py``
(every catalog) or ``python tools/extract_messages.py softmax backprop`` (only those parts).

Every marked message gets an entry in its part's ``nnwidgets/locale/ko/LC_MESSAGES/<part>.po``; translations
already there are kept; entries no longer used are dropped (and listed). New entries have an empty ``msgstr``
until translated; ``tests/test_i18n.py`` fails while any is empty.
"""
from __future__ import annotations

import sys

import polib

from nnwidgets.i18n import LOCALE_DIR
from nnwidgets.messages import all_messages

LANGUAGE = "ko"


def update(language: str = LANGUAGE, parts=()) -> None:
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    for part, messages in sorted(all_messages().items()):
        if parts and part not in parts:
            continue
        path = folder / f"{part}.po"
        old = {e.msgid: e for e in polib.pofile(str(path))} if path.exists() else {}
        po = polib.POFile(wrapwidth=0)
        po.metadata = {"Project-Id-Version": f"nnwidgets {part}", "Language": language,
                       "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                       "Content-Transfer-Encoding": "8bit"}
        for message, places in messages.items():
            entry = old.get(message) or polib.POEntry(msgid=message, msgstr="")
            entry.occurrences = [tuple(p.rsplit(":", 1)) for p in places]
            entry.flags = [f for f in entry.flags if f != "python-format"]
            if "{" in message:
                entry.flags.append("python-brace-format")
                entry.flags = sorted(set(entry.flags))
            po.append(entry)
        dropped = sorted(set(old) - set(messages))
        po.save(str(path))
        empty = sum(1 for e in po if not e.msgstr)
        print(f"{path.relative_to(LOCALE_DIR.parent)}: {len(po)} messages, {empty} untranslated, "
              f"{len(dropped)} dropped (no longer used)")
        for message in dropped:
            print(f"    dropped: {message[:70]!r}", file=sys.stderr)


if __name__ == "__main__":
    update(parts=sys.argv[1:])
