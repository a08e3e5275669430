"""The grade as a table for the terminal and as JSON (the format in ``python -m nnwidgets.grade --help``).

Every string that a student's code or file could have produced (paths, names, messages, errors) goes through
``clean`` first: control characters and terminal escape sequences are shown as ``\\xNN`` text, never sent raw.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from nnwidgets.i18n import _

#: C0 controls (newline and tab are handled by the caller), DEL, C1 controls, and invisible Unicode that
#: reorders or hides text (bidi overrides and isolates, zero-width marks, line and paragraph separators)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text, keep_newlines: bool = True) -> str:
    """``text`` (any value, made a string) with control characters written as escapes: safe to print."""
    text = _CONTROL.sub(_escape, str(text))
    return text if keep_newlines else text.replace("\n", "\\n").replace("\t", "\\t")


def cleaned(value):
    """``value`` (the grade result) with every string in it cleaned, keys included."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(k): cleaned(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [cleaned(v) for v in value]
    return value


def _points(value: float) -> str:
    return f"{value:g}"


def table(result: dict) -> str:
    """One line per submission (score, a mark per check), then the first line of each failed check's message, in
    the language in force (the grader's ``--language``)."""
    lines = [_("assignment {name}").format(name=clean(result['assignment'], False))]
    submissions = result["submissions"]
    width = max([len(clean(s["path"], False)) for s in submissions] + [10])
    for submission in submissions:
        marks = " ".join(("ok" if c["passed"] else "--") for c in submission["checks"])
        lines.append(f"{clean(submission['path'], False):<{width}}  {_points(submission['score']):>5} / "
                     f"{_points(submission['max_score']):<5} {marks}")
        if submission["error"]:
            lines.append("    " + _("error: {error}").format(error=clean(submission['error'], False)[:300]))
        for check in submission["checks"]:
            if not check["passed"]:
                first = check["message"].splitlines()[0] if check["message"] else _("failed")
                lines.append("    " + _("{name} ({points} points): {message}").format(
                    name=clean(check['name'], False), points=_points(check['max_points']),
                    message=clean(first, False)[:160]))
    for applied in result.get("sandbox", []):
        lines.append("sandbox: " + ", ".join(f"{k} {v}" for k, v in sorted(applied.items())))
    return "\n".join(lines)


def write_json(result: dict, path) -> None:
    Path(path).write_text(json.dumps(cleaned(result), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
