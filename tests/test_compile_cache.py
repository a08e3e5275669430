"""The JAX compilation cache folder nnwidgets turns on: per user, private, and never over the user's choice."""
import os

import jax
import pytest

from nnwidgets.render import compile_cache


@pytest.fixture
def jax_cache_config():
    """Put JAX's cache settings back after the test."""
    names = ("jax_compilation_cache_dir", "jax_persistent_cache_min_compile_time_secs",
             "jax_compilation_cache_max_size")
    saved = {name: getattr(jax.config, name) for name in names}
    yield
    for name, value in saved.items():
        jax.config.update(name, value)


def test_folder_is_under_the_users_cache_home(tmp_path):
    assert compile_cache.cache_folder({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "nnwidgets" / "jax"


def test_enable_makes_a_private_folder_and_caches_every_program(tmp_path, jax_cache_config):
    jax.config.update("jax_compilation_cache_dir", None)
    folder = compile_cache.enable({"XDG_CACHE_HOME": str(tmp_path)})
    assert folder == tmp_path / "nnwidgets" / "jax"
    assert jax.config.jax_compilation_cache_dir == str(folder)
    assert jax.config.jax_persistent_cache_min_compile_time_secs == 0.0
    assert os.stat(folder).st_mode & 0o777 == 0o700
    assert os.stat(folder.parent).st_mode & 0o777 == 0o700


@pytest.mark.parametrize("mode", [0o770, 0o757])
def test_a_folder_others_can_write_is_not_used(tmp_path, jax_cache_config, mode):
    jax.config.update("jax_compilation_cache_dir", None)
    folder = compile_cache.cache_folder({"XDG_CACHE_HOME": str(tmp_path)})
    folder.mkdir(parents=True)
    folder.chmod(mode)
    assert not compile_cache.is_private(folder)
    assert compile_cache.enable({"XDG_CACHE_HOME": str(tmp_path)}) is None
    assert jax.config.jax_compilation_cache_dir is None


def test_the_users_own_choice_and_the_opt_out_are_kept(tmp_path, jax_cache_config):
    jax.config.update("jax_compilation_cache_dir", None)
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    assert compile_cache.enable({**env, "NNWIDGETS_COMPILE_CACHE": "off"}) is None
    assert compile_cache.enable({**env, "JAX_COMPILATION_CACHE_DIR": "/elsewhere"}) is None
    jax.config.update("jax_compilation_cache_dir", "/mine")
    assert compile_cache.enable(env) is None
    assert jax.config.jax_compilation_cache_dir == "/mine"
    assert not (tmp_path / "nnwidgets").exists()


PROBE = """
import warnings, jax, jax.numpy as jnp
import nnwidgets.render  # turns the per-user cache on
{extra}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    jax.jit(lambda x: jnp.cos(x) * 7 - 2)(jnp.ones(5)).block_until_ready()
print([str(w.message)[:80] for w in caught if "compilation cache" in str(w.message)])
"""


def _probe(tmp_path, extra=""):
    import subprocess
    import sys

    folder = compile_cache.cache_folder({"XDG_CACHE_HOME": str(tmp_path)})
    folder.mkdir(parents=True, mode=0o700)
    folder.parent.chmod(0o700)
    (folder / "written-by-another-environment-cache").write_bytes(b"x" * 10)  # an entry with no access-time file
    env = {k: v for k, v in os.environ.items() if k not in ("JAX_COMPILATION_CACHE_DIR", "NNWIDGETS_COMPILE_CACHE")}
    done = subprocess.run([sys.executable, "-c", PROBE.format(extra=extra)], capture_output=True, text=True,
                          timeout=120, env=env | {"XDG_CACHE_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_an_entry_from_another_environment_prints_nothing_in_the_notebook(tmp_path):
    """JAX's size cap reads an access-time file for every entry on each write: an entry without one (written by a
    process without the cap) made every later write warn into the learner's notebook. nnwidgets sets no cap."""
    assert _probe(tmp_path) == "[]"


def test_the_probe_sees_the_warning_a_capped_cache_gives(tmp_path):
    pytest.importorskip("filelock")
    capped = 'jax.config.update("jax_compilation_cache_max_size", 1 << 28)'
    assert "Error writing persistent compilation cache entry" in _probe(tmp_path, capped)
