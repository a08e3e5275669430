"""The grade as a table for the terminal and as JSON (the format in ``python -m nnwidgets.grade --help``)."""
from __future__ import annotations

import json
from pathlib import Path


def _points(value: float) -> str:
    return f"{value:g}"


def table(result: dict) -> str:
    """One line per submission (score, a mark per check), then the first line of each failed check's message."""
    lines = [f"assignment {result['assignment']}"]
    submissions = result["submissions"]
    width = max([len(s["path"]) for s in submissions] + [10])
    for submission in submissions:
        marks = " ".join(("ok" if c["passed"] else "--") for c in submission["checks"])
        lines.append(f"{submission['path']:<{width}}  {_points(submission['score']):>5} / "
                     f"{_points(submission['max_score']):<5} {marks}")
        if submission["error"]:
            lines.append(f"    error: {submission['error']}")
        for check in submission["checks"]:
            if not check["passed"]:
                first = check["message"].splitlines()[0] if check["message"] else "failed"
                lines.append(f"    {check['name']} ({_points(check['max_points'])} points): {first[:160]}")
    for applied in result.get("sandbox", []):
        lines.append("sandbox: " + ", ".join(f"{k} {v}" for k, v in sorted(applied.items())))
    return "\n".join(lines)


def write_json(result: dict, path) -> None:
    Path(path).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
