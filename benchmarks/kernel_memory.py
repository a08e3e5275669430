"""Kernel memory after each lesson: every lesson runs in a fresh ipykernel, normal and in classroom mode.

After the last cell the kernel process is read from /proc: VmRSS (what ``top`` shows), RssAnon (memory
only this kernel holds), RssFile (mapped libraries, shared between all kernels of a machine), Pss (the
kernel's fair share, shared pages divided among the processes mapping them) and the thread count.
What a class of N costs is about N x RssAnon plus one RssFile, not N x VmRSS.

    python benchmarks/kernel_memory.py [--lessons 01 04] [--modes normal classroom]

writes benchmarks/kernel_memory_results.json.
"""
import argparse
import json
import os
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

from nnwidgets.classroom import classroom_env

ROOT = pathlib.Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
RESULTS = pathlib.Path(__file__).resolve().parent / "kernel_memory_results.json"
BENCH_RESULTS = pathlib.Path(__file__).resolve().parent / "results.json"  # what the README's tables are written from
MODES = ("normal", "classroom")


def process_memory(pid: int) -> dict:
    """VmRSS, RssAnon, RssFile, Pss (MB) and thread count of process ``pid`` (Linux /proc)."""
    status = {}
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        status[key] = value.split()[0] if value.split() else ""
    pss_kb = 0
    for line in pathlib.Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            pss_kb = int(line.split()[1])
    return {"rss_mb": round(int(status["VmRSS"]) / 1024, 1), "anon_mb": round(int(status["RssAnon"]) / 1024, 1),
            "file_mb": round(int(status["RssFile"]) / 1024, 1), "pss_mb": round(pss_kb / 1024, 1),
            "threads": int(status["Threads"])}


def kernel_env(mode: str) -> dict:
    """The environment of a kernel in ``mode``: classroom mode as a spawner would set it."""
    env = {name: value for name, value in os.environ.items() if name != "NNWIDGETS_CLASSROOM"}
    if mode == "classroom":
        env.update(classroom_env(env))
    return env


def lesson_path(name: str) -> pathlib.Path:
    """``01`` or ``01_perceptron_logic_gates.ipynb`` or a path -> the lesson notebook."""
    for path in (pathlib.Path(name), LESSONS / name):
        if path.is_file():
            return path.resolve()
    matches = sorted(LESSONS.glob(f"{name}*.ipynb"))
    if not matches:
        raise ValueError(f"lesson {name!r} not found in {LESSONS}")
    return matches[0]


def measure_lesson(path: pathlib.Path, mode: str) -> dict:
    """Run every cell of ``path`` in a fresh kernel in ``mode`` and read the kernel's memory after it."""
    nb = nbformat.read(path, as_version=4)
    if mode == "classroom":  # imported first, as nnwidgets/__init__.py does: the malloc trim after each cell
        nb.cells.insert(0, nbformat.v4.new_code_cell("import nnwidgets.classroom"))
    client = NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    with client.setup_kernel(env=kernel_env(mode)):
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        seconds = time.perf_counter() - started
        memory = process_memory(client.km.provisioner.process.pid)
    return {"lesson": path.name, "mode": mode, "run_s": round(seconds, 1), **memory}


def merge_into_results(updates: dict) -> None:
    """Set the top-level keys ``updates`` in benchmarks/results.json (run.py writes the rest and keeps these)."""
    results = json.loads(BENCH_RESULTS.read_text()) if BENCH_RESULTS.exists() else {}
    results.update(updates)
    BENCH_RESULTS.write_text(json.dumps(results, indent=2) + "\n")


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", nargs="*", default=sorted(p.name for p in LESSONS.glob("0*.ipynb")))
    parser.add_argument("--modes", nargs="*", default=list(MODES), choices=MODES)
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args(argv)
    rows = []
    for name in args.lessons:
        for mode in args.modes:
            row = measure_lesson(lesson_path(name), mode)
            rows.append(row)
            print(json.dumps(row), flush=True)
    results = {"cores": os.cpu_count(), "rows": rows,
               "kernel_rss_mb": {r["lesson"]: r["rss_mb"] for r in rows if r["mode"] == "normal"},
               "kernel_rss_mb_classroom": {r["lesson"]: r["rss_mb"] for r in rows if r["mode"] == "classroom"}}
    pathlib.Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
    if pathlib.Path(args.out).resolve() == RESULTS and results["kernel_rss_mb"]:  # lessons not run keep their figure
        earlier = json.loads(BENCH_RESULTS.read_text()).get("kernel_rss_mb", {}) if BENCH_RESULTS.exists() else {}
        merge_into_results({"kernel_rss_mb": dict(sorted({**earlier, **results["kernel_rss_mb"]}.items()))})
    return results


if __name__ == "__main__":
    sys.exit(main() and 0)
