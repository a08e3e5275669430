"""Grading throughput: submissions per minute for hw02 and hw03 under ``python -m nnwidgets.grade --workers 8``.

Each run grades copies of the homework solution (every check runs to the end, the slowest case for a correct
submission) through the command line, as an instructor would, and times the whole command: worker start-up,
one sandboxed child per submission, the checks and the JSON. Written to benchmarks/grade_results.json together
with the machine's core count (the numbers scale with cores: 8 workers on 2 cores wait for CPU). Nothing here is
asserted. Usage: python benchmarks/grade_bench.py [SUBMISSIONS]
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOMEWORK = ROOT / "lessons" / "homework"
WORKERS = 8


def throughput(assignment: str, count: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i in range(count):
            paths.append(Path(folder) / f"student{i:03d}.ipynb")
            shutil.copy(HOMEWORK / f"{assignment}.ipynb", paths[-1])
        out = Path(folder) / "grades.json"
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "nnwidgets.grade", "--assignment", assignment, "--workers",
                              str(WORKERS), "--json", str(out), *map(str, paths)], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if run.returncode != 0:
            raise SystemExit(run.stderr[-3000:])
        scores = {(s["score"], s["max_score"]) for s in json.loads(out.read_text())["submissions"]}
    return {"assignment": assignment, "submissions": count, "workers": WORKERS, "seconds": round(seconds, 2),
            "per_minute": round(60 * count / seconds, 1), "all_full_marks": len(scores) == 1 and
            next(iter(scores))[0] == next(iter(scores))[1]}


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    results = {"cores": os.cpu_count(), "python": platform.python_version(),
               "runs": [throughput(name, count) for name in ("hw02_softmax_loss", "hw03_backprop")]}
    (ROOT / "benchmarks" / "grade_results.json").write_text(json.dumps(results, indent=1) + "\n")
    print("| assignment | submissions | workers | seconds | per minute | full marks |\n|---|---|---|---|---|---|")
    for run in results["runs"]:
        print(f"| {run['assignment']} | {run['submissions']} | {run['workers']} | {run['seconds']} | "
              f"{run['per_minute']} | {run['all_full_marks']} |")
    print(f"({results['cores']} cores)")


if __name__ == "__main__":
    main()
