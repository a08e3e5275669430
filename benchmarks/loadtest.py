"""Classroom load test: N simulated students on one machine, each a real ipykernel kernel.

Every student's kernel runs a lesson cell by cell; once every kernel has finished its lesson, all students
move sliders at once, at a person's pace (one move every 0.3-0.7 s, jittered), on every panel the lesson left
alive, through the widget protocol: a ``comm_msg`` ``{"method": "update", "state": {"value": v}}`` sent to the
slider's model, as the browser's widget manager sends it. The update latency of one move is the time from
sending that message to the kernel's ``status: idle`` for it (the kernel has run the panel's update and sent
every widget change back). Reported: p50/p95 update latency under load, per-kernel memory (VmRSS, RssAnon,
Pss) after the lesson and after the moves, CPU used by the kernels, and every error (an ``error`` message, a
traceback on a kernel's stderr, a move left unanswered, a kernel that died).

    python benchmarks/loadtest.py --students 40 [--lesson 01] [--moves 40] [--classroom]

writes benchmarks/loadtest_results.json (``--out`` to change). The goal (issue 16): at least 2.5 students
per core with p95 update at most 50 ms.
"""
import argparse
import asyncio
import json
import math
import os
import pathlib
import random
import statistics
import sys
import tempfile
import time

import nbformat
import psutil
from jupyter_client import AsyncKernelManager

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from kernel_memory import kernel_env, lesson_path, merge_into_results, process_memory  # noqa: E402

RESULTS = pathlib.Path(__file__).resolve().parent / "loadtest_results.json"
REPLY_TIMEOUT_S = 600
LOADTEST_KEYS = ("students", "cores", "p50_update_ms", "p95_update_ms", "kernel_rss_mb_max", "errors")
KERNEL_MB_ESTIMATE = 400  # VmRSS of a lesson 01 kernel after the moves: 358 MB measured, with room
# run in each kernel after the lesson: every bound slider of every live panel, as JSON on stdout
LIST_SLIDERS = """
import json as _nnw_json
from nnwidgets.panels._controls import bound_controls as _nnw_bound_controls
from nnwidgets.panels._state import live_panels as _nnw_live_panels
_nnw_found = []
for _nnw_index, _nnw_panel in enumerate(_nnw_live_panels()):
    for _nnw_w, _nnw_state, _nnw_name, _, _ in _nnw_bound_controls(_nnw_panel.view):
        if (type(_nnw_w).__name__ in ("IntSlider", "FloatSlider", "FloatLogSlider")
                and _nnw_w.comm is not None and not _nnw_w.disabled):
            _nnw_found.append({"panel": _nnw_index, "class": type(_nnw_panel).__name__,
                               "state": type(_nnw_state).__name__,
                               "kind": type(_nnw_w).__name__, "setting": _nnw_name,
                               "model_id": _nnw_w.model_id, "min": _nnw_w.min, "max": _nnw_w.max,
                               "step": _nnw_w.step, "value": _nnw_w.value, "base": getattr(_nnw_w, "base", None)})
print(_nnw_json.dumps(_nnw_found))
"""
# run in each kernel after the moves: the value each moved slider holds now
READ_VALUES = """
import json as _nnw_json
from ipywidgets.widgets.widget import _instances as _nnw_instances
print(_nnw_json.dumps({{model_id: _nnw_instances[model_id].value for model_id in {ids!r}}}))
"""


def percentile(values, q):
    """The q-th percentile (linear interpolation, as numpy.percentile)."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def next_value(slider, current, rng):
    """A slider value 1-3 steps from ``current``, inside the slider's range, as a drag or arrow key gives."""
    lo, hi, step = slider["min"], slider["max"], slider["step"]
    position = math.log(current, slider["base"]) if slider["kind"] == "FloatLogSlider" else current
    steps = max(0, round((hi - lo) / step))
    index = min(steps, max(0, round((position - lo) / step) + rng.choice((-3, -2, -1, 1, 2, 3))))
    if index == round((position - lo) / step):
        index = index - 1 if index > 0 else index + 1
    position = lo + min(index, steps) * step
    if slider["kind"] == "IntSlider":
        return int(position)
    position = float(f"{position:.12g}")
    return float(f"{slider['base'] ** position:.12g}") if slider["kind"] == "FloatLogSlider" else position


class Student:
    """One kernel and what it did: lesson, slider moves, latencies, errors."""

    def __init__(self, number, lesson, env, log_dir):
        self.number, self.lesson, self.env = number, lesson, env
        self.classroom = env.get("NNWIDGETS_CLASSROOM") == "1"
        self.stderr_path = pathlib.Path(log_dir) / f"kernel-{number}.stderr"
        self.pending, self.stdout = {}, {}
        self.latencies_ms, self.errors, self.by_setting = [], [], {}
        self.memory = {}
        self.sliders, self.not_kept = [], []

    async def start(self):
        self.stderr = open(self.stderr_path, "w")  # noqa: SIM115  (closed in stop)
        self.km = AsyncKernelManager(kernel_name="python3")
        await self.km.start_kernel(env=self.env, cwd=str(self.lesson.parent), stderr=self.stderr)
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=REPLY_TIMEOUT_S)
        self.reader = asyncio.create_task(self.read_iopub())
        self.pid = self.km.provisioner.process.pid

    async def read_iopub(self):
        while True:
            msg = await self.kc.get_iopub_msg()
            parent = msg["parent_header"].get("msg_id")
            kind, content = msg["msg_type"], msg["content"]
            if kind == "error":
                self.errors.append(f"student {self.number}: {content['ename']}: {content['evalue']}")
            elif kind == "stream" and content.get("name") == "stdout":
                self.stdout[parent] = self.stdout.get(parent, "") + content["text"]
            elif kind == "status" and content["execution_state"] == "idle" and parent in self.pending:
                self.pending.pop(parent).set_result(time.perf_counter())

    async def send(self, msg):
        """Send ``msg`` on the shell channel; the time the kernel went idle for it, or None on a timeout."""
        done = asyncio.get_running_loop().create_future()
        self.pending[msg["header"]["msg_id"]] = done
        self.kc.shell_channel.send(msg)
        try:
            return await asyncio.wait_for(done, REPLY_TIMEOUT_S)
        except TimeoutError:
            self.errors.append(f"student {self.number}: no idle within {REPLY_TIMEOUT_S} s for {msg['msg_type']}")
            return None

    async def run(self, code):
        msg = self.kc.session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                                      "user_expressions": {}, "allow_stdin": False,
                                                      "stop_on_error": True})
        await self.send(msg)
        return self.stdout.pop(msg["header"]["msg_id"], "")

    async def run_lesson(self):
        if self.classroom:  # as nnwidgets/__init__.py does: also trims malloc after each cell
            await self.run("import nnwidgets.classroom")
        for cell in nbformat.read(self.lesson, as_version=4).cells:
            if cell.cell_type == "code":
                await self.run(cell.source)
        self.sliders = json.loads((await self.run(LIST_SLIDERS)).strip().splitlines()[-1])
        self.memory["after_lesson"] = process_memory(self.pid)

    async def move_sliders(self, moves, rng):
        """``moves`` slider moves, cycling through the panels, at a person's pace; then count the moved sliders
        that no longer show their last move (put back by the kernel, or changed by a later move elsewhere)."""
        panels = sorted({s["panel"] for s in self.sliders})
        if not panels:
            self.errors.append(f"student {self.number}: the lesson left no panel with a slider to move")
            return
        current, moved = {s["model_id"]: s["value"] for s in self.sliders}, {}
        for move in range(moves):
            await asyncio.sleep(rng.uniform(0.3, 0.7))
            panel = panels[move % len(panels)]
            slider = rng.choice([s for s in self.sliders if s["panel"] == panel])
            value = next_value(slider, current[slider["model_id"]], rng)
            current[slider["model_id"]] = moved[slider["model_id"]] = value
            msg = self.kc.session.msg("comm_msg", {"comm_id": slider["model_id"], "data": {
                "method": "update", "state": {"value": value}, "buffer_paths": []}})
            sent = time.perf_counter()
            idle = await self.send(msg)
            if idle is not None:
                self.latencies_ms.append(1e3 * (idle - sent))
                key = f"{slider['class']}/{slider['state']}.{slider['setting']}"
                self.by_setting.setdefault(key, []).append(1e3 * (idle - sent))
        held = json.loads((await self.run(READ_VALUES.format(ids=sorted(moved)))).strip().splitlines()[-1])
        names = {s["model_id"]: f"{s['class']}/{s['state']}.{s['setting']}" for s in self.sliders}
        self.not_kept = [f"{names[i]}: sent {moved[i]!r}, holds {held[i]!r}" for i in sorted(held)
                         if not math.isclose(held[i], moved[i], rel_tol=1e-9, abs_tol=1e-12)]
        self.memory["after_moves"] = process_memory(self.pid)

    async def stop(self):
        if not await self.km.is_alive():
            self.errors.append(f"student {self.number}: kernel died")
        self.reader.cancel()
        self.kc.stop_channels()
        await self.km.shutdown_kernel(now=True)
        self.stderr.close()
        tracebacks = self.stderr_path.read_text().count("Traceback")
        if tracebacks:
            self.errors.append(f"student {self.number}: {tracebacks} traceback(s) on the kernel's stderr "
                               f"({self.stderr_path})")


async def load_test(students, lesson, moves, classroom, seed, log_dir):
    rng = random.Random(seed)
    env = kernel_env("classroom" if classroom else "normal")
    class_ = [Student(n, lesson, env, log_dir) for n in range(students)]
    starting = asyncio.Semaphore(os.cpu_count() or 1)  # kernels start and run the lesson a core's worth at a time

    async def prepare(student):
        async with starting:
            await student.start()
            await student.run_lesson()

    started = time.perf_counter()
    await asyncio.gather(*(prepare(s) for s in class_))
    lesson_s = time.perf_counter() - started
    kernels = [psutil.Process(s.pid) for s in class_]
    cpu_before = [sum(k.cpu_times()[:2]) for k in kernels]
    own_before, wall_before = os.times(), time.perf_counter()
    psutil.cpu_percent()
    await asyncio.gather(*(s.move_sliders(moves, random.Random(rng.random())) for s in class_))
    machine_cpu = psutil.cpu_percent()
    wall = time.perf_counter() - wall_before
    own = os.times()
    kernel_cpu_s = sum(sum(k.cpu_times()[:2]) - before for k, before in zip(kernels, cpu_before))
    for student in class_:
        await student.stop()
    return summary(class_, lesson, classroom, lesson_s, wall, kernel_cpu_s,
                   (own.user - own_before.user) + (own.system - own_before.system), machine_cpu)


def by_setting(class_):
    """Panel class/state class.setting -> moves, p50, p95 and max update ms over all students, slowest p95 first."""
    times = {}
    for student in class_:
        for key, values in student.by_setting.items():
            times.setdefault(key, []).extend(values)
    rows = {key: {"moves": len(v), "p50": round(percentile(v, 50), 1), "p95": round(percentile(v, 95), 1),
                  "max": round(max(v), 1)} for key, v in times.items()}
    return dict(sorted(rows.items(), key=lambda item: -item[1]["p95"]))


def summary(class_, lesson, classroom, lesson_s, wall, kernel_cpu_s, driver_cpu_s, machine_cpu):
    latencies = [ms for s in class_ for ms in s.latencies_ms]
    after = [s.memory.get("after_moves", s.memory.get("after_lesson", {})) for s in class_]
    cores = os.cpu_count()
    p95 = percentile(latencies, 95)
    return {
        "students": len(class_), "cores": cores, "lesson": lesson.name, "classroom_mode": classroom,
        "moves": len(latencies), "sliders_per_student": statistics.median(len(s.sliders) for s in class_),
        "p50_update_ms": round(percentile(latencies, 50), 2) if latencies else None,
        "p95_update_ms": round(p95, 2) if latencies else None,
        "sliders_not_at_last_move": [f"student {s.number}: {text}" for s in class_ for text in s.not_kept],
        "max_update_ms": round(max(latencies), 2) if latencies else None,
        "kernel_rss_mb_max": max(m["rss_mb"] for m in after),
        "kernel_rss_mb_median": statistics.median(m["rss_mb"] for m in after),
        "kernel_anon_mb_max": max(m["anon_mb"] for m in after),
        "kernel_pss_mb_max": max(m["pss_mb"] for m in after),
        "kernel_threads_max": max(m["threads"] for m in after),
        "lesson_phase_s": round(lesson_s, 1), "moves_phase_s": round(wall, 1),
        "kernel_cpu_cores_used": round(kernel_cpu_s / wall, 2),
        "driver_cpu_cores_used": round(driver_cpu_s / wall, 2),
        "machine_cpu_percent": machine_cpu,
        "students_per_core": round(len(class_) / cores, 2),
        "goal_met": bool(latencies) and len(class_) / cores >= 2.5 and p95 <= 50,
        "errors": [e for s in class_ for e in s.errors],
        "update_ms_by_setting": by_setting(class_),
        "per_kernel": [{"student": s.number, **s.memory} for s in class_],
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--force", action="store_true", help="start even when the kernels may not fit in memory")
    parser.add_argument("--lesson", default="01")
    parser.add_argument("--moves", type=int, default=40, help="slider moves per student")
    parser.add_argument("--classroom", action="store_true", help="kernels in classroom mode (NNWIDGETS_CLASSROOM)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args(argv)
    available_mb = psutil.virtual_memory().available / 2**20
    if args.students * KERNEL_MB_ESTIMATE > available_mb and not args.force:
        parser.error(f"{args.students} kernels need about {args.students * KERNEL_MB_ESTIMATE / 1024:.0f} GiB "
                     f"({KERNEL_MB_ESTIMATE} MB each, measured after a lesson) but {available_mb / 1024:.1f} GiB "
                     "are available; use fewer --students, or --force")
    with tempfile.TemporaryDirectory(prefix="nnw-loadtest-") as log_dir:
        result = asyncio.run(load_test(args.students, lesson_path(args.lesson), args.moves, args.classroom,
                                       args.seed, log_dir))
    pathlib.Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    if pathlib.Path(args.out).resolve() == RESULTS:  # the figures the README's tables show (benchmarks/results.json)
        merge_into_results({"loadtest": {key: result[key] for key in LOADTEST_KEYS}})
    print(json.dumps({k: v for k, v in result.items() if k != "per_kernel"}, indent=1))
    return result


if __name__ == "__main__":
    sys.exit(1 if main()["errors"] else 0)
