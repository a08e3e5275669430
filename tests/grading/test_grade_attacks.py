"""Every attack of issue 13 as a submission notebook: under nnwidgets.grade it earns 0 for the attacked checks,
while the solution in the same run earns full marks and the run grades every submission.

The attacks run in the sandboxed child; timeouts are short (3 s) and the fork bomb is capped at 16 processes."""
import os
import tempfile
from pathlib import Path

import nbformat
import pytest
from grade_helpers import FULL, points, submission

from nnwidgets.grade.runner import Options, grade
from nnwidgets.grade.sandbox import Limits, Sandbox

OPTIONS = Options(timeout=3, nproc=16)
WRONG_SOFTMAX = "def softmax(z):\n    return z\n"
WRONG_CE = "def cross_entropy(p, y):\n    return 0.0\n"

HW02 = {  # name: ({grade_id: code}, the checks it attacks)
    "rebind_checks": ({"softmax": "class _Pass:\n    def __getattr__(self, name):\n"
                                  "        return lambda *a, **k: None\n"
                                  "checks = _Pass()\n" + WRONG_SOFTMAX}, ["test-softmax", "test-ce", "test-exercise"]),
    "patch_all": ({"softmax": "import nnwidgets.checks as c\nfor n in c.__all__:\n"
                              "    setattr(c, n, lambda *a, **k: None)\n" + WRONG_SOFTMAX}, ["test-softmax"]),
    "patch_failure": ({"softmax": "from nnwidgets.checks import _harness\n"
                                  "_harness.Failure.__call__ = lambda *a, **k: None\n" + WRONG_SOFTMAX},
                      ["test-softmax"]),
    "builtins_abs": ({"ce": "import builtins\nbuiltins.abs = lambda x: 0\n" + WRONG_CE}, ["test-ce"]),
    "np_all": ({"softmax": "np.all = lambda *a, **k: True\n" + WRONG_SOFTMAX}, ["test-softmax"]),
    "patch_close": ({"softmax": "import nnwidgets.checks._basic\n"
                                "nnwidgets.checks._basic.close = lambda *a, **k: True\n" + WRONG_SOFTMAX},
                    ["test-softmax"]),
    "hidden_cases": ({"softmax": "from nnwidgets.checks import _basic\n"
                                 "_basic.softmax_cases = lambda: [np.array([5.0])]\n"
                                 "def softmax(z):\n    return np.ones_like(z)\n"}, ["test-softmax"]),
    "answers_table": ({"exercise": "exercise_loss = checks.ANSWERS['seed002_exercise1_cross_entropy'][0]\n"
                                   "exercise_mse = checks.ANSWERS['seed002_exercise1_mse'][0]\n"}, ["test-exercise"]),
    "scipy_softmax": ({"softmax": "from scipy.special import softmax\n"}, ["test-softmax"]),
    "test_cell_edited": ({"softmax": WRONG_SOFTMAX}, ["test-softmax"]),
    "disarm_timer": ({"softmax": "import signal\ndef softmax(z):\n    signal.setitimer(signal.ITIMER_REAL, 0)\n"
                                 "    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n    while True:\n        pass\n"},
                     ["test-softmax"]),
}
HW02_TESTS = {"test_cell_edited": {"test-softmax": "pass"}}

FRAME_WALK = """import sys
def _steal(names):
    frame = sys._getframe(1)
    while frame is not None:
        for name in names:
            if name in frame.f_locals:
                return frame.f_locals[name]
        frame = frame.f_back
    return None
"""
HW03 = {
    "frame_walk": ({"net": FRAME_WALK + "def gradient(W1, b1, W2, b2):\n    got = _steal(['expected', 'grads'])\n"
                           "    return tuple(got) if got is not None else (0 * W1, 0 * b1, 0 * W2, 0 * b2)\n",
                    "ex3": FRAME_WALK + "def exercise3_gradient(w, x, b):\n    got = _steal(['expected', 'out'])\n"
                                        "    return tuple(got) if got is not None else (0.0, 0.0, 0.0)\n"},
                   ["test-net", "test-ex3"]),
    "redefine_loss": ({"net": "def loss(W1, b1, W2, b2):\n    return 0.0 * jnp.sum(W1)\n"
                              "def gradient(W1, b1, W2, b2):\n    return 0 * W1, 0 * b1, 0 * W2, 0 * b2\n"},
                      ["test-net"]),
    "jax_grad": ({"ex3": "import jax\ndef exercise3_gradient(w, x, b):\n"
                         "    return jax.grad(lambda w, x, b: w * x ** 2 + b, argnums=(0, 1, 2))(w, x, b)\n"},
                 ["test-ex3"]),
}
HW04 = {
    "reference_step": ({"sgd": "def sgd(w, g, lr):\n"
                               "    return checks._optimizers.reference_step('sgd', w, g, (), 1, {'lr': lr})[0]\n"},
                       ["test-sgd"]),
    "c_level_loop": ({"sgd": "def sgd(w, g, lr):\n    sum(range(10**10))\n    return w - lr * g\n"}, ["test-sgd"]),
    "os_exit": ({"momentum": "import os\ndef momentum(w, g, v, lr, momentum):\n    os._exit(0)\n"}, ["test-momentum"]),
    "memory_bomb": ({"adagrad": "def adagrad(w, g, h, lr, eps):\n    hog = []\n    while True:\n"
                                "        hog.append(bytearray(10**8))\n"}, ["test-adagrad"]),
    "fork_bomb": ({"rmsprop": "import os\ndef rmsprop(w, g, v, lr, rho, eps):\n    while True:\n        try:\n"
                              "            os.fork()\n        except OSError:\n            pass\n"}, ["test-rmsprop"]),
}
HW05 = {
    "conv_reference": ({"size": "from nnwidgets import conv_output_size as _reference\n"
                                "def conv_output_size(n, kernel_size, stride, padding):\n"
                                "    return int(_reference(n, kernel_size, stride, padding))\n"}, ["test-size"]),
}


def run_attacks(tmp_path, assignment, attacks, tests=None, options=OPTIONS):
    paths = [submission(tmp_path, assignment, "solution")]
    paths += [submission(tmp_path, assignment, name, cells, (tests or {}).get(name))
              for name, (cells, _) in attacks.items()]
    result = grade(assignment, paths, options)
    assert [s["error"] for s in result["submissions"]] == [None] * len(paths)
    got = points(result)
    assert sum(got["solution"].values()) == FULL[assignment], result["submissions"][0]
    for name, (_, attacked) in attacks.items():
        for check in attacked:
            assert got[name][check] == 0, (name, check, result)
    return got, {os.path.basename(s["path"])[:-6]: s for s in result["submissions"]}


def test_hw02_attacks_earn_nothing(tmp_path):
    got, graded = run_attacks(tmp_path, "hw02_softmax_loss", HW02, HW02_TESTS)
    # the checks the attack did not touch are still graded normally
    for name in ("patch_all", "patch_failure", "np_all", "patch_close", "hidden_cases", "scipy_softmax",
                 "test_cell_edited", "disarm_timer"):
        assert got[name]["test-ce"] == 2, (name, graded[name])
    assert got["builtins_abs"]["test-softmax"] == 2 and got["answers_table"]["test-softmax"] == 2
    assert "scipy.special.softmax" in graded["scipy_softmax"]["checks"][0]["message"]
    assert "nnwidgets.checks.ANSWERS" in graded["answers_table"]["checks"][2]["message"]
    assert "more than 3 s" in graded["disarm_timer"]["checks"][0]["message"]
    assert "redefines checks" in graded["rebind_checks"]["checks"][0]["message"]


def test_references_are_allowed_when_the_instructor_says_so(tmp_path):
    path = submission(tmp_path, "hw02_softmax_loss", "scipy", HW02["scipy_softmax"][0])
    result = grade("hw02_softmax_loss", [path], Options(timeout=3, nproc=16, allow_references=True))
    assert points(result)["scipy"]["test-softmax"] == 2


def test_hw03_frame_walking_and_a_redefined_loss_earn_nothing(tmp_path):
    got, graded = run_attacks(tmp_path, "hw03_backprop", HW03)
    assert got["frame_walk"]["test-layer-Mul"] == 1 and got["redefine_loss"]["test-ex3"] == 2
    assert "redefines loss" in graded["redefine_loss"]["checks"][6]["message"]
    assert "jax.grad" in graded["jax_grad"]["checks"][7]["message"]


def test_hw03_a_redefined_loss_costs_the_check_even_with_a_right_gradient(tmp_path):
    solution = submission(tmp_path, "hw03_backprop", "solution")
    nb = nbformat.read(solution, 4)
    net = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "net")
    net.source = "def loss(W1, b1, W2, b2):\n    return 0.0\n\n" + net.source
    nbformat.write(nb, tmp_path / "loss_and_gradient.ipynb")
    got = points(grade("hw03_backprop", [tmp_path / "loss_and_gradient.ipynb"], OPTIONS))["loss_and_gradient"]
    assert got["test-net"] == 0 and sum(got.values()) == FULL["hw03_backprop"] - 3


def _sandbox_processes() -> set:
    """Live (not zombie) processes with a uid in the range the grader gives its children (when run as root)."""
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                state = stat.read().rsplit(")", 1)[1].split()[0]
            if 3_000_000 <= os.stat(f"/proc/{pid}").st_uid < 4_000_000 and state != "Z":
                found.add(pid)
        except (OSError, IndexError):
            pass
    return found


def test_hw04_hangs_exits_memory_and_fork_bombs_cost_only_their_check(tmp_path):
    got, graded = run_attacks(tmp_path, "hw04_optimizers", HW04)
    for name, (_, attacked) in HW04.items():
        others = {k: v for k, v in got[name].items() if k not in attacked}
        assert others == {k: got["solution"][k] for k in others}, (name, graded[name])
    assert "exited with status 0" in graded["os_exit"]["checks"][1]["message"]
    assert "more than 3 s" in graded["c_level_loop"]["checks"][0]["message"]
    assert _sandbox_processes() == set()  # every process the fork bomb made is gone


def test_hw05_reference_call_earns_nothing(tmp_path):
    got, graded = run_attacks(tmp_path, "hw05_conv_shapes", HW05)
    assert "nnwidgets.conv_output_size" in graded["conv_reference"]["checks"][0]["message"]


def test_hw01_replacing_the_gate_table_or_closing_the_pipe_earns_nothing(tmp_path):
    attacks = {"gate_table": ({"nand": "from nnwidgets.checks import _basic\n_basic.GATES['NAND'] = (0, 0, 0, 0)\n"
                                       "nand_weights = (0.0, 0.0, -1.0)\n"}, ["test-nand"]),
               "closes_the_pipe": ({"xor": "import os\nimport time\nand_weights = (0.5, 0.5, -0.7)\n"
                                           "def xor(x1, x2):\n    os.closerange(3, 100)\n    time.sleep(60)\n"},
                                   ["test-xor"])}
    got, graded = run_attacks(tmp_path, "hw01_perceptron", attacks)
    assert got["gate_table"]["test-or"] == 1
    assert got["closes_the_pipe"] == {"test-nand": 1, "test-or": 1, "test-xor": 0}
    assert "closed the grader's pipe" in graded["closes_the_pipe"]["checks"][2]["message"]


def test_writing_outside_the_scratch_folder_fails(tmp_path):
    target, shared = tmp_path / "owned.txt", Path(tempfile.gettempdir()) / f"nnwidgets-grade-test-{os.getpid()}"
    attack = (f"for target in ({str(target)!r}, {str(shared)!r}):\n    try:\n        open(target, 'w').write('x')\n"
              "    except OSError:\n        pass\n"
              "def conv_output_size(n, kernel_size, stride, padding):\n"
              "    return (n + 2 * padding - kernel_size) // stride + 1\n")
    path = submission(tmp_path, "hw05_conv_shapes", "writer", {"size": attack})
    with Sandbox(Limits()) as box:
        if box.applied["filesystem"] == "as is":
            pytest.skip(f"this machine lets the child write as the grader's user ({box.applied})")
    result = grade("hw05_conv_shapes", [path], OPTIONS)
    assert points(result)["writer"]["test-size"] == 2  # the code is right; the write simply did not happen
    assert not target.exists() and not shared.exists()


def test_the_child_has_no_network():
    with Sandbox(Limits(timeout=5)) as box:
        reply = box.request({"op": "run", "code": "import socket\nsocket.create_connection(('127.0.0.1', 22), 1)"})
        assert not reply["ok"] and ("network" in reply["error"] or "Errno" in reply["error"])
        if box.applied["network"] == "namespace":  # even the real socket type reaches nothing
            reply = box.request({"op": "run", "code": "import _socket\n"
                                                      "_socket.socket().connect(('1.1.1.1', 80))"})
            assert not reply["ok"] and "unreachable" in reply["error"]


def test_the_child_cannot_unpickle_anything_in_the_grader():
    from nnwidgets.grade import wire

    with pytest.raises((wire.WireError, ValueError)):
        wire.decode({"npy": __import__("base64").b64encode(b"\x93NUMPY\x01\x00v\x00{'descr': '|O', "
                                                           b"'fortran_order': False, 'shape': (1,), }" + b" " * 50
                                                           + b"\n").decode()})


def test_patching_the_checks_fails_even_when_references_are_allowed(tmp_path):
    """Without the reference scan the patches still change nothing: they patch the child's copy of nnwidgets,
    while the grader's checks judge the (wrong) answers in its own process."""
    attacks = {name: HW02[name] for name in ("rebind_checks", "patch_all", "patch_failure", "builtins_abs", "np_all",
                                             "patch_close", "hidden_cases")}
    run_attacks(tmp_path, "hw02_softmax_loss", attacks, options=Options(timeout=3, nproc=16, allow_references=True))


def test_without_a_uid_of_its_own_a_user_namespace_still_isolates_files_and_network():
    """What a grader that does not run as root gets (an unprivileged user namespace), tried here as root."""
    shared = Path(tempfile.gettempdir()) / f"nnwidgets-grade-userns-{os.getpid()}"
    with Sandbox(Limits(timeout=10, own_uid=False)) as box:
        if box.applied["network"] != "namespace":
            pytest.skip(f"user namespaces are not available here ({box.applied})")
        assert box.applied["filesystem"] == "read-only except the scratch folder"
        assert not box.request({"op": "run", "code": f"open({str(shared)!r}, 'w').write('x')"})["ok"]
        assert box.request({"op": "run", "code": "open('scratch.txt', 'w').write('x')"})["ok"]
        reply = box.request({"op": "run", "code": "import _socket\n_socket.socket().connect(('1.1.1.1', 80))"})
        assert not reply["ok"] and "unreachable" in reply["error"]
    assert not shared.exists()


def test_a_helper_named_like_an_instructor_function_is_fine_when_the_instructor_cell_comes_later(tmp_path):
    """hw01's `perceptron` cell comes after the NAND cell: a student's own perceptron there does no harm."""
    path = submission(tmp_path, "hw01_perceptron", "helper", {
        "nand": "def perceptron(x1, x2, weights):\n    return int(np.dot(weights[:2], (x1, x2)) + weights[2] > 0)\n"
                "nand_weights = (-0.5, -0.5, 0.7)\n"
                "print([perceptron(a, b, nand_weights) for a in (0, 1) for b in (0, 1)])"})
    assert sum(points(grade("hw01_perceptron", [path], OPTIONS))["helper"].values()) == FULL["hw01_perceptron"]
