"""Where nnwidgets' translatable messages are and which catalog holds each (used by the extractor and the tests).

A message is the literal argument of ``_("...")``, ``N_("...")`` or ``gettext("...")`` in the package's code.
Each part of the package has its own catalog (``locale/<language>/LC_MESSAGES/<part>.po``), so translators of one
panel never edit the same file as those of another.
"""
from __future__ import annotations

import ast
import pathlib
import string

PACKAGE = pathlib.Path(__file__).parent
MARKERS = {"_", "N_", "gettext"}


def catalog_of(path: pathlib.Path) -> str:
    """The catalog a source file's messages go to: ``panels/<topic>/...`` -> topic, checks and grading ->
    "checks", anything else -> "common"."""
    parts = path.relative_to(PACKAGE).parts
    if parts[0] == "panels" and len(parts) > 2:
        return parts[1]
    if parts[0] in ("checks", "grade"):
        return "checks"
    return "common"


def messages_in(path: pathlib.Path) -> list[tuple[str, int]]:
    """``(message, line)`` for every marked literal in one source file, in order."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append((node.args[0].value, node.lineno))
    return sorted(found, key=lambda item: item[1])


def all_messages() -> dict[str, dict[str, list[str]]]:
    """catalog -> message -> where it is used ("panels/softmax/text.py:12", ...)."""
    catalogs: dict[str, dict[str, list[str]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "messages.py":
            continue
        for message, line in messages_in(path):
            where = f"{path.relative_to(PACKAGE).as_posix()}:{line}"
            catalogs.setdefault(catalog_of(path), {}).setdefault(message, []).append(where)
    return catalogs


def placeholders(message: str) -> list[tuple[str, str, str]]:
    """The ``str.format`` fields of a message, sorted: (name, conversion, format spec) each."""
    fields = [(name, conversion or "", spec or "") for _, name, spec, conversion in string.Formatter().parse(message)
              if name is not None]
    return sorted(fields)
