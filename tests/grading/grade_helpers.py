"""Submissions for the nnwidgets.grade tests: the homework source notebook with solution cells rewritten."""
from pathlib import Path

import nbformat

HOMEWORK = Path(__file__).resolve().parents[2] / "lessons" / "homework"
FULL = {"hw01_perceptron": 4, "hw02_softmax_loss": 6, "hw03_backprop": 11, "hw04_optimizers": 6, "hw05_conv_shapes": 4}


def submission(folder: Path, assignment: str, name: str, cells: dict | None = None, tests: dict | None = None) -> Path:
    """The source notebook as a student would hand it in (solution markers gone), with ``cells`` (grade_id ->
    new code) replacing solution cells and ``tests`` replacing the student's copy of test cells."""
    nb = nbformat.read(HOMEWORK / f"{assignment}.ipynb", 4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if meta.get("solution"):
            cell.source = (cells or {}).get(grade_id, "\n".join(line for line in cell.source.splitlines()
                                                                if "### " not in line))
        elif meta.get("grade") and grade_id in (tests or {}):
            cell.source = tests[grade_id]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def points(result: dict) -> dict:
    """path stem -> {check name: points}."""
    return {Path(s["path"]).stem: {c["name"]: c["points"] for c in s["checks"]} for s in result["submissions"]}
