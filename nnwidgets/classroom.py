"""Classroom mode: many student kernels sharing one machine fairly.

Set ``NNWIDGETS_CLASSROOM=1`` in the kernel's environment (a JupyterHub ``Spawner.environment``, a kernel
spec's ``env``, or ``%env`` before the first ``import nnwidgets``). Importing nnwidgets then, before JAX
starts its CPU backend:

- caps XLA's CPU client thread pool at one thread (``PJRT_NPROC=1``) and turns off Eigen's multi-threaded
  kernels (``XLA_FLAGS=--xla_cpu_multi_thread_eigen=false``): one student's slider move uses one core and
  leaves the others to the rest of the class;
- caps the BLAS/OpenMP pools NumPy may start (``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``,
  ``MKL_NUM_THREADS`` = 1);
- limits glibc's malloc to 2 arenas (each thread may otherwise get its own, up to 8 per core).

In every mode, importing nnwidgets in an IPython kernel hands memory malloc has freed back to the system
after every cell (``malloc_trim``, about 0.1 ms; 2 ms after a cell that freed a large compiled program),
which lowers the kernel's RSS by 20-50 MB after lessons that train many networks.

Values the environment already holds are kept (a teacher's own ``XLA_FLAGS`` are extended, not replaced).
The settings only act if they are in place before JAX creates its CPU client (its first array, not its
import): ``nnwidgets/__init__.py`` imports this module first, and a spawner can pass ``classroom_env()`` to
the kernel's environment directly (the surest way: ``MALLOC_ARENA_MAX`` is then read at process start too).
Measured figures (threads, RSS, the load test) are in ``benchmarks/kernel_memory.py`` and
``benchmarks/loadtest.py``.
"""
import ctypes
import ctypes.util
import os
import sys
import warnings

ENV_VAR = "NNWIDGETS_CLASSROOM"
XLA_FLAG = "--xla_cpu_multi_thread_eigen=false"
THREAD_CAPS = {
    "PJRT_NPROC": "1",  # XLA's PjRt CPU client thread pool size (xla/pjrt/utils.cc DefaultThreadPoolSize)
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",  # read by glibc at process start: only helps when set by the spawner
}
_M_ARENA_MAX = -8  # glibc mallopt parameter number (malloc.h)


def enabled(environ=None) -> bool:
    """True when ``NNWIDGETS_CLASSROOM`` is 1/true/yes/on (any case)."""
    environ = os.environ if environ is None else environ
    return environ.get(ENV_VAR, "").strip().lower() in ("1", "true", "yes", "on")


def classroom_env(environ=None) -> dict:
    """The variables classroom mode sets, as a dict to merge into a kernel's environment.

    Values already in ``environ`` win; ``XLA_FLAGS`` gets ``--xla_cpu_multi_thread_eigen=false``
    appended unless it already names that flag.
    """
    environ = os.environ if environ is None else environ
    settings = {name: environ.get(name, value) for name, value in THREAD_CAPS.items()}
    flags = environ.get("XLA_FLAGS", "")
    if "xla_cpu_multi_thread_eigen" not in flags:
        flags = f"{flags} {XLA_FLAG}".strip()
    settings["XLA_FLAGS"] = flags
    settings[ENV_VAR] = "1"
    return settings


def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018  (glibc only: musl has no malloc_trim)
        libc.mallopt  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def trim_memory() -> bool:
    """Give memory malloc holds but no longer uses back to the system; False where libc cannot."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


def _trim_after_cell(*_args) -> None:
    trim_memory()


def _register_trim_hook() -> bool:
    """Inside an IPython kernel, trim malloc after every cell; False outside IPython."""
    ipython_module = sys.modules.get("IPython")
    shell = ipython_module.get_ipython() if ipython_module else None
    if shell is None:
        return False
    if _trim_after_cell not in shell.events.callbacks["post_run_cell"]:
        shell.events.register("post_run_cell", _trim_after_cell)
    return True


def jax_backend_started() -> bool:
    """Whether JAX has created a backend in this process (XLA reads its flags and pool sizes then)."""
    bridge = sys.modules.get("jax._src.xla_bridge")
    return bool(getattr(bridge, "_backends", None))


def apply(environ=None) -> bool:
    """Put classroom mode in place when ``NNWIDGETS_CLASSROOM`` asks for it; returns whether it did."""
    environ = os.environ if environ is None else environ
    if not enabled(environ):
        return False
    if jax_backend_started():
        warnings.warn("NNWIDGETS_CLASSROOM is set but JAX's CPU backend started before nnwidgets was imported: "
                      "XLA's thread caps do not apply; import nnwidgets first or put classroom_env() in the "
                      "kernel's environment", RuntimeWarning, stacklevel=2)
    environ.update(classroom_env(environ))
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_ARENA_MAX, 2)
    return True


apply()
_register_trim_hook()
