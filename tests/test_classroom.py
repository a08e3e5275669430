"""Classroom mode (nnwidgets.classroom): which settings it makes, and that they cut a kernel's threads."""
import json
import os
import subprocess
import sys

import pytest

from nnwidgets import classroom

COUNT_THREADS = """
import os, sys, warnings
warnings.simplefilter("error", RuntimeWarning)
{before}
import nnwidgets.classroom
import jax.numpy as jnp
(jnp.ones((64, 64)) @ jnp.ones((64, 64))).block_until_ready()
import json
print(json.dumps({{"threads": len(os.listdir("/proc/self/task")), "xla_flags": os.environ.get("XLA_FLAGS", ""),
                  "pjrt_nproc": os.environ.get("PJRT_NPROC")}}))
"""


def run_python(code, **env):
    environ = {k: v for k, v in os.environ.items() if k not in (classroom.ENV_VAR, *classroom.THREAD_CAPS, "XLA_FLAGS")}
    done = subprocess.run([sys.executable, "-c", code], env={**environ, **env}, capture_output=True, text=True,
                          timeout=300)
    return done


@pytest.mark.parametrize("value, on", [("1", True), ("true", True), (" ON ", True), ("yes", True),
                                       ("0", False), ("", False), ("no", False), ("false", False)])
def test_enabled_reads_the_variable(value, on):
    assert classroom.enabled({classroom.ENV_VAR: value}) is on
    assert classroom.enabled({}) is False


def test_classroom_env_caps_threads_and_keeps_what_is_set():
    env = classroom.classroom_env({})
    assert env["XLA_FLAGS"] == "--xla_cpu_multi_thread_eigen=false"
    assert env["PJRT_NPROC"] == env["OMP_NUM_THREADS"] == env["OPENBLAS_NUM_THREADS"] == "1"
    assert env["MALLOC_ARENA_MAX"] == "2" and env[classroom.ENV_VAR] == "1"
    teacher = classroom.classroom_env({"XLA_FLAGS": "--xla_dump_to=/tmp/x", "OMP_NUM_THREADS": "2"})
    assert teacher["XLA_FLAGS"] == "--xla_dump_to=/tmp/x --xla_cpu_multi_thread_eigen=false"
    assert teacher["OMP_NUM_THREADS"] == "2"
    own = classroom.classroom_env({"XLA_FLAGS": "--xla_cpu_multi_thread_eigen=true"})
    assert own["XLA_FLAGS"] == "--xla_cpu_multi_thread_eigen=true"  # the teacher's choice is not overridden


def test_apply_changes_nothing_unless_asked():
    environ = {"HOME": "/home/student"}
    assert classroom.apply(environ) is False
    assert environ == {"HOME": "/home/student"}


def test_apply_sets_the_environment_when_asked():
    environ = {classroom.ENV_VAR: "1"}
    assert classroom.apply(environ) is True
    assert environ == classroom.classroom_env({})


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_trim_memory_runs():
    assert classroom.trim_memory() is True


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads through /proc")
def test_classroom_mode_starts_fewer_threads():
    normal = run_python(COUNT_THREADS.format(before=""))
    capped = run_python(COUNT_THREADS.format(before=""), **{classroom.ENV_VAR: "1"})
    assert normal.returncode == 0 and capped.returncode == 0, normal.stderr + capped.stderr
    normal, capped = json.loads(normal.stdout.splitlines()[-1]), json.loads(capped.stdout.splitlines()[-1])
    print(f"threads after a JAX matmul: normal {normal['threads']}, classroom {capped['threads']}")
    assert normal["pjrt_nproc"] is None and capped["pjrt_nproc"] == "1"
    assert "--xla_cpu_multi_thread_eigen=false" in capped["xla_flags"]
    if os.cpu_count() > 1:  # on one core XLA's pool has one thread already
        assert capped["threads"] < normal["threads"]


@pytest.mark.slow
def test_warns_when_jax_started_first():
    late = run_python(COUNT_THREADS.format(before="import jax.numpy as _j; _j.ones(1).block_until_ready()"),
                      **{classroom.ENV_VAR: "1"})
    assert late.returncode != 0 and "JAX's CPU backend started before nnwidgets" in late.stderr
    early = run_python(COUNT_THREADS.format(before="import jax"), **{classroom.ENV_VAR: "1"})
    assert early.returncode == 0, early.stderr  # importing JAX is fine: XLA reads its settings on first use
