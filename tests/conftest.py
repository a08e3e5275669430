"""Shared fixtures: a JAX compile counter and a headless Chromium switch."""
from __future__ import annotations

import logging
import os
import resource
import shutil

import jax
import pytest


def _raise_open_file_limit() -> str:
    """The suite runs Voila, JupyterLab, a JupyterHub with three servers and many kernels; each ZMQ context and
    server holds dozens of descriptors, and children inherit the limit. CI machines often start with a soft limit
    of 1024 (a JupyterHub run there failed with "Too many open files"): raise it to the hard limit (at most 65536)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft != resource.RLIM_INFINITY and soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        return f"open files: soft limit raised from {soft} to {want} (hard {hard})"
    return f"open files: soft limit {soft} (hard {hard})"


OPEN_FILES = _raise_open_file_limit()

# The tests speak English unless one asks for Korean (nw.set_language, speaking, monkeypatch): a machine whose
# locale is ko_KR would otherwise turn every message the tests match into Korean. Kernels started by the tests
# (nbval, Voila, the hub) inherit it; the Korean lessons and homework call nw.set_language("ko") themselves.
os.environ["NNWIDGETS_LANG"] = "en"


def pytest_report_header(config):
    return OPEN_FILES


class CompileCounter(logging.Handler):
    """Counts XLA compilations from JAX's own log (jax_log_compiles), one record per compiled program."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.programs: list[str] = []

    def emit(self, record):
        message = record.getMessage()
        if message.startswith("Compiling "):
            self.programs.append(message.split(" with ")[0])

    @property
    def count(self) -> int:
        return len(self.programs)


@pytest.fixture
def count_compiles():
    """Yields a counter; ``counter.count`` is the number of programs JAX compiled since."""
    counter = CompileCounter()
    logger = logging.getLogger("jax")
    previous = jax.config.jax_log_compiles
    jax.config.update("jax_log_compiles", True)
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        jax.config.update("jax_log_compiles", previous)


CHROMIUM = os.environ.get("NNW_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium_path():
    """The Debian Chromium binary; skips (or fails, with NNW_REQUIRE_BROWSER=1 as in CI) when missing."""
    if os.path.exists(CHROMIUM) or shutil.which(CHROMIUM):
        return CHROMIUM
    reason = f"no Chromium at {CHROMIUM} (apt-get install -y chromium, or set NNW_CHROMIUM)"
    if os.environ.get("NNW_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required here (NNW_REQUIRE_BROWSER=1) but {reason}")
    print(f"skipping browser tests: {reason}")
    pytest.skip(reason)


# Notebooks under tests/ are Voila fixtures for the browser tests, not lessons: nbval skips them.
collect_ignore_glob = ["browser/*.ipynb"]


def _open_fds() -> int:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return -1


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """With NNW_FD_LOG=path, appends each test's open file descriptors before and after (leak hunting)."""
    path = os.environ.get("NNW_FD_LOG")
    before = _open_fds() if path else 0
    yield
    if path:
        with open(path, "a") as log:
            log.write(f"{before}\t{_open_fds()}\t{item.nodeid}\n")


def pytest_terminal_summary(terminalreporter):
    """Processes the tests started and left running (servers, kernels, browsers): listed, so a leak shows in CI's
    log, then stopped."""
    try:
        import psutil
    except ImportError:
        return
    left = [p for p in psutil.Process().children(recursive=True) if p.is_running()]
    if not left:
        return
    names = ", ".join(sorted({p.name() for p in left}))
    terminalreporter.write_line(f"processes the tests left running (stopped now): {len(left)} ({names})")
    for process in left:
        try:
            process.terminate()
        except psutil.Error:
            pass
