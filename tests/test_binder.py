"""Binder's path: a fresh venv from binder/requirements.txt executes lesson 01 headless, as Binder would."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

EXECUTE = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": sys.argv[2]}}).execute()
nbformat.write(nb, sys.argv[3])
"""


def test_runtime_pins_a_python_that_current_jax_supports():
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime.startswith("python-3.") and int(runtime.split(".")[1]) >= 11


def test_lesson_01_runs_in_a_fresh_venv_from_binder_requirements(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    install = subprocess.run([python, "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr[-3000:]
    lesson = ROOT / "lessons" / "01_perceptron_logic_gates.ipynb"
    executed = tmp_path / "executed.ipynb"
    run = subprocess.run([python, "-c", EXECUTE, str(lesson), str(lesson.parent), str(executed)],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    cells = json.loads(executed.read_text())["cells"]
    outputs = [o for c in cells if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    text = "".join("".join(o.get("text", "")) for o in outputs)
    assert "this network computes XOR" in text and "✓ NOR solved" in text
    panels = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(panels) == 4 and all("image/png" in o["data"] for o in panels)


def test_binder_installs_a_korean_font_for_the_browser():
    """repo2docker reads binder/apt.txt (one Debian package per line, # comments): the Korean lessons need Hangul
    in the page as well as in the figures."""
    packages = [line.split("#")[0].strip() for line in (ROOT / "binder" / "apt.txt").read_text().splitlines()]
    assert "fonts-nanum" in packages
