"""JAX's persistent compilation cache in a per-user folder, so a fresh kernel's first panel need not compile.

A panel's first display in a new kernel spends 0.3-0.8 s compiling its JAX programs (the optimizer race and the
playground the most; ``benchmarks/first_paint.py``). With the cache, a kernel loads the programs an earlier kernel
of the same user compiled. The folder holds executable code that JAX loads and runs, so it is never shared between
users: it is ``$XDG_CACHE_HOME/nnwidgets/jax`` (``~/.cache/nnwidgets/jax``), created private (0700), and used only
when it belongs to the current user and no one else can write to it or to ``nnwidgets/`` above it.

Nothing is changed when the user already chose a cache folder (``JAX_COMPILATION_CACHE_DIR`` or
``jax.config.jax_compilation_cache_dir``), when ``NNWIDGETS_COMPILE_CACHE`` is ``0``/``off``/``false``/``no``, or
when the folder cannot be made safe. JAX caches only programs that took over a second to compile unless told
otherwise; nnwidgets' programs take 10-100 ms each, so every program is cached. The folder is not capped: JAX's
size cap keeps an access-time file beside each entry and, on every write, reads one for every entry; an entry
written by a process without the cap (another environment, or one without ``filelock``) has none, and each later
write then printed "Error writing persistent compilation cache entry" into the learner's notebook. nnwidgets'
programs are small (all of the test suite's, every panel and lesson: 35 MB); delete the folder to empty it.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

import jax

ENV_VAR = "NNWIDGETS_COMPILE_CACHE"


def cache_folder(environ=None) -> Path:
    """``$XDG_CACHE_HOME/nnwidgets/jax``, or ``~/.cache/nnwidgets/jax``."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nnwidgets" / "jax"


def is_private(folder: Path) -> bool:
    """True when ``folder`` and its parent are directories of the current user that only the user can write."""
    for path in (folder, folder.parent):
        info = os.lstat(path)
        if not stat.S_ISDIR(info.st_mode) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return False
    return True


def enable(environ=None) -> Path | None:
    """Point JAX's persistent compilation cache at the private per-user folder; returns it (``None``: not used)."""
    environ = os.environ if environ is None else environ
    if environ.get(ENV_VAR, "").strip().lower() in ("0", "off", "false", "no"):
        return None
    if environ.get("JAX_COMPILATION_CACHE_DIR") or jax.config.jax_compilation_cache_dir:
        return None
    folder = cache_folder(environ)
    try:
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        if not is_private(folder):
            return None
    except OSError:
        return None
    jax.config.update("jax_compilation_cache_dir", str(folder))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    return folder
