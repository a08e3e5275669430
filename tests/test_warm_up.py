"""``import nnwidgets`` in a Jupyter kernel starts importing the first panel's modules in the background (issue 16:
first paint); in plain Python, and with NNWIDGETS_WARM_UP=off, it imports nothing heavy."""
import os
import subprocess
import sys

PROBE = """
import sys, threading, time, types
if {kernel}:
    sys.modules.setdefault("ipykernel", types.ModuleType("ipykernel"))  # what a Jupyter kernel has loaded
import nnwidgets
warm = [t for t in threading.enumerate() if t.name == "nnwidgets-warm-up"]
for t in warm:
    t.join(120)
print(len(warm), "jax" in sys.modules, "matplotlib.figure" in sys.modules, "ipywidgets" in sys.modules)
"""


def run(kernel: bool, **env) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "NNWIDGETS_WARM_UP"} | env
    done = subprocess.run([sys.executable, "-c", PROBE.format(kernel=kernel)], env=environ, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_a_kernel_imports_what_the_first_panel_needs_in_the_background():
    assert run(kernel=True) == ["1", "True", "True", "True"]


def test_plain_python_and_the_switch_keep_import_nnwidgets_light():
    assert run(kernel=False) == ["0", "False", "False", "False"]
    assert run(kernel=True, NNWIDGETS_WARM_UP="off") == ["0", "False", "False", "False"]
