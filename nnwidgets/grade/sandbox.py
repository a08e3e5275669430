"""The parent's handle on one sandboxed child: start it with limits, send requests, kill it on time.

Each request has a wall-clock limit; past it, or when the child dies, the whole process group is killed with
SIGKILL (and, when the grader runs as root, every process of the child's own uid), and the request raises
``ChildGone`` with what happened in words. The child's stdout and stderr go to /dev/null: only the pipe counts.
"""
from __future__ import annotations

import contextlib
import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace

from nnwidgets.i18n import _

from . import wire

KILL = shutil.which("kill") or "/bin/kill"
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


SKIPPED_STDLIB = ("site-packages", "test", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3", "config-*")


def _world_readable(path: str) -> bool:
    """Whether another uid can read ``path``: every folder on the way lets others in, the last lets them list."""
    parts = os.path.abspath(path).split(os.sep)
    for i in range(2, len(parts) + 1):
        mode = os.stat(os.sep.join(parts[:i]) or os.sep).st_mode
        if not mode & 0o001 or (i == len(parts) and not mode & 0o004):
            return False
    return True


def _link_or_copy(source, target):
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def needs_stdlib_copy() -> bool:
    return os.geteuid() == 0 and not _world_readable(os.path.dirname(os.__file__))


def readable_stdlib() -> tuple[str, str] | None:
    """(stdlib folder, a readable copy of it) when the grader runs as root with a stdlib other uids cannot read.

    The child drops to a uid of its own after start-up and must still import standard modules; the copy is made
    of hard links where possible and is owned by root, read-only for the child. Remove it with ``shutil.rmtree``.
    """
    stdlib = os.path.dirname(os.__file__)
    if not needs_stdlib_copy():
        return None
    copy = tempfile.mkdtemp(prefix="nnwidgets-grade-stdlib-")
    os.chmod(copy, 0o755)
    shutil.copytree(stdlib, os.path.join(copy, "lib"), copy_function=_link_or_copy,
                    ignore=shutil.ignore_patterns(*SKIPPED_STDLIB))
    return stdlib, os.path.join(copy, "lib")


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0      # wall-clock seconds per request (one cell, one call)
    memory_mb: int = 2048      # address space
    cpu_seconds: int = 120     # CPU time for the child's whole life
    nproc: int = 64            # processes and threads (a fork bomb stops here)
    file_mb: int = 16          # the largest file the child may write
    scratch_mb: int = 64       # all files in the scratch folder together (a tmpfs, with a mount namespace)
    hide: tuple[str, ...] = ()  # folders the child must not read (the instructor's source notebook ...)
    start_timeout: float = 30.0
    stdlib: tuple[str, str] | None = None  # from readable_stdlib(), when the child needs a readable copy
    own_uid: bool = True       # as root: run the child as a uid of its own (False: as the grader's user)


class ChildGone(Exception):
    """The child died, hung past its time, or broke the protocol; the message says which, for the student."""


def _user_threads(uid: int) -> int:
    """Processes and threads of ``uid`` now (RLIMIT_NPROC counts them all, system-wide)."""
    count = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        if int(fields.get("Uid", "-1").split()[0]) == uid:
            count += int(fields.get("Threads", "1"))
    return count


def _death(returncode) -> str:
    if returncode is None:
        return _("it was stopped")
    if returncode < 0:
        name = signal.Signals(-returncode).name
        reason = {"SIGKILL": _("killed: over the time, CPU or memory limit"), "SIGXCPU": _("CPU time limit"),
                  "SIGSEGV": _("a crash"), "SIGXFSZ": _("it wrote a file over the size limit")}.get(name)
        return _("it died with {signal}").format(signal=name) + (f" ({reason})" if reason else "")
    return _("it exited with status {status} (sys.exit, os._exit or a crash)").format(status=returncode)


class Sandbox:
    """One child process; ``request`` sends a message and returns the reply dict (``ok`` true or false)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.scratch = tempfile.mkdtemp(prefix="nnwidgets-grade-")
        self.uid = random.randrange(3_000_000, 4_000_000) if os.geteuid() == 0 and limits.own_uid else None
        self.own_stdlib = readable_stdlib() if limits.stdlib is None and self.uid else None  # for this child only
        limits = replace(limits, stdlib=limits.stdlib or self.own_stdlib)
        if self.uid is not None:
            os.chown(self.scratch, self.uid, self.uid)
        nproc = limits.nproc if self.uid is not None else _user_threads(os.getuid()) + limits.nproc
        config = {"uid": self.uid, "cpu_seconds": limits.cpu_seconds, "memory_mb": limits.memory_mb,
                  "nproc": nproc, "file_mb": limits.file_mb, "scratch": self.scratch,
                  "stdlib": limits.stdlib, "scratch_mb": limits.scratch_mb, "hide": list(limits.hide)}
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = {"PATH": "/usr/bin:/bin", "HOME": self.scratch, "TMPDIR": self.scratch, "LANG": "C.UTF-8",
               "JAX_PLATFORMS": "cpu", "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1",
               "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
               **{name: "1" for name in THREAD_VARIABLES}}
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-m", "nnwidgets.grade.child", str(to_child_r), str(from_child_w),
             json.dumps(config)], pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.scratch, env=env,
            start_new_session=True)
        os.close(to_child_r)
        os.close(from_child_w)
        self.write_fd, self.reader = to_child_w, wire.Reader(from_child_r)
        self.alive = True
        self.applied = self._receive(limits.start_timeout, _("starting"))["ready"]

    def request(self, message: dict, timeout: float | None = None) -> dict:
        if not self.alive:
            raise ChildGone("the sandbox was already stopped")
        try:
            wire.send(self.write_fd, message)
        except OSError:
            self.kill()
            raise ChildGone(_("your code's process was gone: {why}").format(why=_death(self.process.poll()))) \
                from None
        return self._receive(self.limits.timeout if timeout is None else timeout, _("running your code"))

    def _receive(self, timeout: float, doing: str) -> dict:
        deadline = time.monotonic() + timeout
        done = False
        try:
            while not self.reader.pending():
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.reader.fd], [], [], left)[0]:
                    self.kill()
                    raise ChildGone(_("your code ran for more than {timeout:g} s while {doing} (an endless loop?) "
                                      "and was stopped").format(timeout=timeout, doing=doing))
                if not self.reader.feed():
                    try:
                        code = self.process.wait(timeout=2)
                    except subprocess.TimeoutExpired:  # it closed its end of the pipe but lives on
                        self.kill()
                        raise ChildGone(_("your code closed the grader's pipe while {doing}").format(doing=doing)) \
                            from None
                    self.kill()
                    raise ChildGone(_("your code's process ended while {doing}: {why}").format(doing=doing,
                                                                                                  why=_death(code)))
            reply = self.reader.message()
            if not isinstance(reply.get("ok"), bool):
                raise wire.WireError("no ok field")
            done = True
            return reply
        except wire.WireError as err:
            self.kill()
            raise ChildGone(f"your code's process sent something that is not an answer ({err})") from None
        finally:
            if not done and self.alive:  # interrupted (the check's own time limit): the protocol is out of step
                self.kill()

    def kill(self) -> None:
        """SIGKILL to the process group and, with a uid of its own, to every process of that uid."""
        if not self.alive:
            return
        self.alive = False
        for fd in (self.write_fd, self.reader.fd):
            os.close(fd)
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.uid is not None:  # kill(-1) as that uid reaches the processes that left the group too
            for _ in range(2):
                with contextlib.suppress(OSError):
                    subprocess.run([KILL, "-9", "-1"], user=self.uid, group=self.uid, extra_groups=[],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        self.process.wait()
        shutil.rmtree(self.scratch, ignore_errors=True)
        if self.own_stdlib:
            shutil.rmtree(os.path.dirname(self.own_stdlib[1]), ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
