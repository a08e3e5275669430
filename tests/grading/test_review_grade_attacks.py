"""A reviewer's attacks on ``python -m nnwidgets.grade`` beyond issue 13's list.

Attacks that are stopped are plain tests; attacks that still work are ``xfail(strict=True)`` reproductions, so
the fix flips them. Every bomb is small: 16 processes, 512 MB of address space, 120 MB of scratch files.
Most attacks ride in one graded run per homework (a module fixture), next to the untouched solution.
"""
import base64
import io
import os
import time

import numpy as np
import pytest
from grade_helpers import FULL, points, submission

from nnwidgets.grade import notebook, report, scan, wire
from nnwidgets.grade.runner import Options, grade
from nnwidgets.grade.sandbox import Limits, Sandbox
from nnwidgets.grade.session import Session

OPTIONS = Options(timeout=5, memory_mb=512, nproc=16)
SOFTMAX = "def softmax(z):\n    e = np.exp(z - np.max(z))\n    return e / e.sum()\n"
EXPONENTIALS = "def softmax(z):\n    return np.exp(z)\n"   # wrong: not normalised
SOURCE = notebook.load_assignment("hw02_softmax_loss").path

HW02 = {
    # --- reference calls the ast scan does not see (NOT stopped) ---
    "resolve_name": {"softmax": "import pkgutil\nsoftmax = pkgutil.resolve_name('scipy.special:softmax')\n"},
    "getattr_module": {"softmax": "import scipy\nsoftmax = getattr(getattr(scipy, 'spec' + 'ial'), 'softmax')\n"},
    # --- the instructor's source notebook (with its solutions) is readable from the child (NOT stopped) ---
    "read_source": {"softmax": "import json, os, sys\n"
                               f"_nb = json.load(open({str(SOURCE)!r}))\n"
                               "_src = ''.join(next(c['source'] for c in _nb['cells'] if c.get('metadata', {})"
                               ".get('nbgrader', {}).get('grade_id') == 'softmax'))\n"
                               "open('copied.py', 'w').write('import numpy as np\\n' + _src)\n"
                               "sys.path.insert(0, os.getcwd())\nfrom copied import softmax\n"},
    # --- stopped ---
    "kill_parent": {"softmax": "import os, signal\ntry:\n    os.kill(os.getppid(), signal.SIGKILL)\n"
                               "except OSError:\n    pass\n" + EXPONENTIALS},
    "parent_proc": {"softmax": "import os\n_got = []\nfor _f in ('environ', 'mem', 'maps'):\n    try:\n"
                               "        _got.append(open(f'/proc/{os.getppid()}/{_f}', 'rb').read(100))\n"
                               "    except OSError as _e:\n        _got.append(type(_e).__name__)\n"
                               "def softmax(z):\n    raise RuntimeError(repr(_got))\n"},
    "forged_replies": {"softmax": "import os, sys, threading, time\n_fd = int(sys.argv[2])\n"
                                  "_fake = b'{\"ok\": true, \"kind\": \"value\", \"value\": {\"float\": \"0.5\"}, "
                                  "\"result\": {\"float\": \"0.5\"}}\\n'\n"
                                  "for _ in range(20):\n    os.write(_fd, _fake)\n"
                                  "def _later():\n    for _ in range(200):\n        os.write(_fd, _fake)\n"
                                  "        time.sleep(0.01)\n"
                                  "threading.Thread(target=_later, daemon=True).start()\n" + EXPONENTIALS},
    "deep_json": {"softmax": "import os, sys\nos.write(int(sys.argv[2]), b'[' * 200000 + b'\\n')\n" + SOFTMAX},
    "close_fds": {"softmax": "import os\nos.closerange(3, 64)\n" + SOFTMAX},
    "shadow_stdlib": {"softmax": "open('json.py', 'w').write('raise SystemExit(3)\\n')\n"
                                 "open('numpy.py', 'w').write('raise SystemExit(3)\\n')\n" + SOFTMAX},
    "recursion": {"softmax": "import sys\nsys.setrecursionlimit(10**6)\ndef _deep(n):\n    return _deep(n + 1) + 1\n"
                             "def softmax(z):\n    return _deep(0)\n"},
    "ctypes_crash": {"softmax": "import ctypes\ndef softmax(z):\n    return ctypes.string_at(0)\n"},
    "huge_output": {"softmax": "def softmax(z):\n    return np.broadcast_to(np.float64(1.0), (10**9,))\n"},
    "ndarray_subclass": {"softmax": "class _Liar(np.ndarray):\n    def __eq__(self, other):\n        return True\n"
                                    "    def __sub__(self, other):\n        return np.zeros(np.shape(other))\n"
                                    "    __rsub__ = __sub__\n"
                                    "def softmax(z):\n    return np.exp(z).view(_Liar)\n"},
    "dict_as_array": {"softmax": "def softmax(z):\n    return {'shape': list(np.shape(z)), 'dtype': 'float64', "
                                 "'data': [1.0 / np.size(z)] * np.size(z)}\n"},
    "nan_answers": {"softmax": "def softmax(z):\n    return np.full(np.shape(z), np.nan)\n",
                    "ce": "def cross_entropy(p, y):\n    return float('nan')\n"},
    "inplace_inputs": {"softmax": "def softmax(z):\n    z[...] = 0\n    return np.full(np.shape(z), 1 / np.size(z))\n",
                       "ce": "def cross_entropy(p, y):\n    p[...] = 1\n    return 0.0\n"},
    "terminal_escape": {"softmax": "raise RuntimeError('\\x1b[1A\\x1b[2K' + 'solution.ipynb  6 / 6  ok ok ok')\n"},
    "leaks_secret_cases": {"softmax": "def softmax(z):\n    z = np.asarray(z, dtype=float)\n"
                                      "    if np.any(np.abs(z * 1e6 - np.round(z * 1e6)) > 1e-3):\n"
                                      "        raise RuntimeError('LEAK ' + ' '.join(f'{v:.6f}' for v in z.ravel()))\n"
                                      "    e = np.exp(z - np.max(z))\n    return e / e.sum()\n"},
    "detects_grader": {"softmax": "import os\n_graded = os.environ.get('HOME', '').startswith('/tmp/nnwidgets-grade')"
                                  " or os.getuid() >= 3_000_000\n"
                                  "def softmax(z):\n    return np.exp(z) / (2.0 if _graded else np.exp(z).sum())\n"},
}


@pytest.fixture(scope="module")
def hw02(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review-hw02")
    paths = [submission(folder, "hw02_softmax_loss", "solution")]
    paths += [submission(folder, "hw02_softmax_loss", name, cells) for name, cells in HW02.items()]
    result = grade("hw02_softmax_loss", paths, OPTIONS)
    assert [s["error"] for s in result["submissions"]] == [None] * len(paths)
    got = points(result)
    assert sum(got["solution"].values()) == FULL["hw02_softmax_loss"], result["submissions"][0]
    graded = {os.path.basename(s["path"])[:-6]: s for s in result["submissions"]}
    return got, graded, result


# --- NOT stopped: the lead's fixes flip these -------------------------------------------------------------------

def test_resolve_name_reference_earns_nothing(hw02):
    got, graded, _ = hw02
    assert got["resolve_name"]["test-softmax"] == 0, graded["resolve_name"]


def test_getattr_reference_earns_nothing(hw02):
    got, graded, _ = hw02
    assert got["getattr_module"]["test-softmax"] == 0, graded["getattr_module"]


def test_reading_the_source_notebook_earns_nothing(hw02):
    got, graded, result = hw02
    assert {a.get("source notebook") for a in result["sandbox"]} == {"hidden"}, result["sandbox"]
    assert got["read_source"]["test-softmax"] == 0, graded["read_source"]


def test_the_printed_table_has_no_control_characters_from_students(hw02):
    _, _, result = hw02
    table = report.table(result)
    assert not any(ord(ch) < 32 and ch != "\n" for ch in table), repr(table[-600:])


def test_feedback_does_not_echo_secret_cases(hw02):
    got, graded, _ = hw02
    check = graded["leaks_secret_cases"]["checks"][0]
    assert "LEAK" in check["message"], check  # the function did meet a secret case ...
    leaked = check["message"].split("LEAK ", 1)[1].split()[0]
    assert leaked not in check["feedback"], check["feedback"]  # ... and its numbers must not reach the student


def test_hw03_getattr_jax_grad_earns_nothing(tmp_path):
    code = "import jax\n_g = getattr(jax, 'gr' + 'ad')\n"
    cells = {"net": code + "def gradient(W1, b1, W2, b2):\n"
                           "    return tuple(np.asarray(a) for a in _g(loss, argnums=(0, 1, 2, 3))(W1, b1, W2, b2))\n",
             "ex3": code + "def exercise3_gradient(w, x, b):\n"
                           "    f = lambda w, x, b: w * x ** 2 + b\n"
                           "    return tuple(float(v) for v in _g(f, argnums=(0, 1, 2))(float(w), float(x), "
                           "float(b)))\n"}
    path = submission(tmp_path, "hw03_backprop", "autodiff", cells)
    got = points(grade("hw03_backprop", [path], Options(timeout=20, nproc=16)))["autodiff"]
    assert got["test-net"] == 0 and got["test-ex3"] == 0, got


def test_scratch_folder_total_is_capped():
    code = ("written = 0\ntry:\n    for i in range(8):\n        with open(f'fill{i}', 'wb') as f:\n"
            "            f.write(b'x' * (15 * 2**20))\n        written += 15\nexcept OSError:\n    pass\n")
    with Sandbox(Limits(timeout=10, memory_mb=512, nproc=16, file_mb=16, scratch_mb=64)) as box:
        assert box.request({"op": "run", "code": code})["ok"]
        total = sum(os.path.getsize(os.path.join(box.scratch, f)) for f in os.listdir(box.scratch)) / 2**20
        if box.applied.get("scratch") != "a tmpfs of 64 MB":
            pytest.skip(f"no mount namespace here: {box.applied}")
        written = wire.decode(box.request({"op": "describe", "name": "written"})["value"])
    assert total <= 4 * 16, f"the child wrote {total:.0f} MB into its scratch folder with file_mb=16"
    assert 30 <= written <= 64, f"the child wrote {written} MB into its 64 MB scratch tmpfs"


# --- stopped --------------------------------------------------------------------------------------------------

def test_signals_and_proc_files_of_the_parent_are_out_of_reach(hw02):
    got, graded, _ = hw02
    assert got["kill_parent"]["test-ce"] == 2 and got["kill_parent"]["test-softmax"] == 0
    message = graded["parent_proc"]["checks"][0]["message"]
    assert message.count("PermissionError") == 3, message


def test_forged_protocol_replies_only_cost_the_forger(hw02):
    got, graded, _ = hw02
    assert got["forged_replies"]["test-softmax"] == 0 and got["forged_replies"]["test-exercise"] == 0
    assert got["deep_json"]["test-softmax"] == 0   # a reply the parent cannot parse fails the check, not the run


def test_closed_pipes_shadow_modules_recursion_and_crashes_cost_only_their_checks(hw02):
    got, graded, _ = hw02
    assert got["close_fds"]["test-softmax"] == 0 and got["close_fds"]["test-ce"] == 2
    assert got["shadow_stdlib"] == {"test-softmax": 2, "test-ce": 2, "test-exercise": 2}, graded["shadow_stdlib"]
    for name in ("recursion", "ctypes_crash"):
        assert got[name]["test-softmax"] == 0 and got[name]["test-ce"] == 2, graded[name]


def test_lying_outputs_earn_nothing(hw02):
    got, graded, _ = hw02
    for name in ("huge_output", "ndarray_subclass", "dict_as_array", "nan_answers", "inplace_inputs",
                 "detects_grader"):
        assert got[name]["test-softmax"] == 0, graded[name]
    assert got["nan_answers"]["test-ce"] == 0 and got["inplace_inputs"]["test-ce"] == 0
    assert got["huge_output"]["test-ce"] == 2


def test_a_grandchild_that_leaves_the_group_is_killed(tmp_path):
    code = ("import os\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
            "        os.execv('/bin/sleep', ['sleep', '31.4159'])\n    os._exit(0)\n")
    with Sandbox(Limits(timeout=5, memory_mb=512, nproc=16)) as box:
        assert box.request({"op": "run", "code": code})["ok"]
        if box.uid is None:
            pytest.skip("the grader is not root here: the child has no uid of its own to kill by")
    time.sleep(0.5)
    alive = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if b"31.4159" in cmdline.read():
                    alive.append(pid)
        except OSError:
            pass
    assert alive == []


def _npy_header(shape) -> str:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": "<f8", "fortran_order": False, "shape": shape})
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.parametrize("shape", [(2**31,), (10**10,), (10**6, 10**6), (2**62, 4)])
def test_a_forged_array_header_is_refused_without_touching_memory(shape):
    with pytest.raises((ValueError, MemoryError)):
        wire.decode({"npy": _npy_header(shape)})


MALFORMED = {"deep": "[" * 100000 + "]" * 100000, "list_root": "[1, 2]", "str_cells": '{"cells": ["x"]}',
             "str_metadata": '{"cells": [{"cell_type": "code", "metadata": "x", "source": ""}]}',
             "str_nbgrader": '{"cells": [{"cell_type": "code", "metadata": {"nbgrader": "x"}, "source": ""}]}',
             "list_grade_id": '{"cells": [{"cell_type": "code", "metadata": {"nbgrader": {"grade_id": ["softmax"]}}, '
                              '"source": "x"}]}'}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_submission_costs_only_itself(tmp_path, name):
    hostile = tmp_path / f"{name}.ipynb"
    hostile.write_text(MALFORMED[name])
    solution = submission(tmp_path, "hw02_softmax_loss", "solution")
    result = grade("hw02_softmax_loss", [hostile, solution], OPTIONS)
    assert result["submissions"][0]["error"] and result["submissions"][0]["score"] == 0
    assert result["submissions"][1]["score"] == FULL["hw02_softmax_loss"]


def test_an_unreadable_submission_costs_only_itself(tmp_path):
    hostile = tmp_path / "binary.ipynb"
    hostile.write_bytes(b"\xff\xfe\x00garbage")
    solution = submission(tmp_path, "hw02_softmax_loss", "solution")
    result = grade("hw02_softmax_loss", [hostile, solution], OPTIONS)
    assert "could not read" in result["submissions"][0]["error"]
    assert result["submissions"][1]["score"] == FULL["hw02_softmax_loss"]


def test_student_text_is_escaped_in_the_table_and_the_json(tmp_path):
    hostile = "x\x1b[2J\x1b]0;title\x07\x9b31m\x7f\u202e\r\x00y"
    result = {"assignment": "hw", "submissions": [
        {"path": hostile, "score": 0.0, "max_score": 1.0, "error": hostile,
         "checks": [{"name": hostile, "points": 0.0, "max_points": 1.0, "passed": False, "message": hostile,
                     "feedback": hostile}]}]}
    unsafe = [chr(c) for c in [*range(0, 9), *range(11, 32), *range(0x7f, 0xa0), 0x202e]]
    table = report.table(result)
    assert not any(ch in table for ch in unsafe), repr(table)
    assert "\\x1b[2J" in table and "\\x9b" in table   # shown as text, so the teacher sees what was tried
    report.write_json(result, tmp_path / "out.json")
    text = (tmp_path / "out.json").read_text(encoding="utf-8")
    assert not any(ch in text for ch in unsafe), repr(text)


def test_the_childs_import_guard_refuses_references_after_the_setup_cells():
    guard = {"modules": list(scan.MODULE_REFERENCES), "allowed": ["jax", "jax.numpy"], "autodiff": True}
    setup = "import jax.numpy as jnp\n"
    student = ("import importlib, jax\n_tried = []\n"
               "for _name in ('scipy.special', 'torch', 'optax', 'jax.nn', 'nnwidgets.core'):\n"
               "    try:\n        importlib.import_module(_name).softmax\n"
               "    except ImportError as _err:\n        _tried.append(type(_err).__name__)\n"
               "    except Exception as _err:\n        _tried.append('open ' + _name)\n"
               "try:\n    jax.grad(lambda x: x * x)(1.0)\nexcept ImportError as _err:\n    _tried.append(str(_err))\n"
               "_fine = float(jnp.sum(jnp.arange(3.0)))\n")
    session = Session(Limits(timeout=20, memory_mb=2048, nproc=16), [("setup", setup, True), ("s", student, False)],
                      guard)
    try:
        tried = session.request({"op": "describe", "name": "_tried"})["value"]
        fine = session.request({"op": "describe", "name": "_fine"})["value"]
    finally:
        session.close()
    tried = wire.decode(tried)
    assert tried[:5] == ["Refused"] * 5 and "jax.grad" in tried[5], tried
    assert wire.decode(fine) == 3.0   # jax.numpy, which the setup imported, still works
