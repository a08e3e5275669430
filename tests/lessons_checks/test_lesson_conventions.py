"""The lessons' teaching conventions (issue 12), read from the committed notebooks and their stored outputs.

- Exercises start unsolved: the learner's cell shows the check's "✗" message (not "✓"), and the model answer
  sits in a collapsed cell, announced by a "Solution (click to expand)" line, that leaves the learner's names alone.
- Class numbers start at 0, as the code indexes them: "target class N" and a printed "target N" match the code.
- Every MSE is named where it is used: ½·mean, ½·sum, ½·sum / N or the mean over classes.
- Lesson 03 steps through seed 002's softmax + cross-entropy graph and finds p − y at the logits.

The Korean notebooks (lessons/ko/ and lessons/homework/ko/, issue 14) keep the same conventions in Korean: the
solution line is "풀이 (눌러서 펼치기)", a class is "정답 클래스 N" / "타깃 클래스 N", and an MSE may be named in
Korean ("여기서 MSE = ½·합", the panel's "클래스에 대한 평균"). The English checks are unchanged; a Korean notebook is
held to the Korean forms (and the English ones).
"""
import ast
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import nnwidgets as nw

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
KOREAN = LESSONS / "ko"
NOTEBOOKS = sorted(p for p in LESSONS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
TOPICS = ("01_perceptron_logic_gates.ipynb", "02_softmax_cross_entropy.ipynb", "05_conv_pool_shapes.ipynb",
          "08_digit_classifier.ipynb")
TOPIC_LESSONS = [LESSONS / name for name in TOPICS] + [KOREAN / name for name in TOPICS]
SOLUTION_LINE = "Solution (click to expand)"
SOLUTION_LINE_KO = "풀이 (눌러서 펼치기)"
MIXED_CLASS_NAMES = r"class \d+ \(index \d+\)|index \d+ \(class \d+\)|true class (first|second|third)"
MIXED_CLASS_NAMES_KO = r"클래스 \d+ \(인덱스 \d+\)|인덱스 \d+ \(클래스 \d+\)|정답 클래스가 (첫|두|세) ?번째"
TARGET_CLASS_KO = r"(?:정답|타깃) 클래스 (\d+)(?![\d.])"
MSE_NAMES = ("½·mean", "½·sum / N", "½·sum", "mean over classes")
MSE_NAMES_KO = MSE_NAMES + ("½·평균", "½·합 / N", "½·합", "클래스에 대한 ½·합", "클래스에 대한 ½·평균",
                            "클래스에 대한 (p − y)²의 평균", "클래스에 대한 평균")


def is_korean(path) -> bool:
    """A notebook in a ko/ folder: lessons/ko/ and lessons/homework/ko/."""
    return "ko" in path.relative_to(LESSONS).parts[:-1]


def solution_line(path) -> str:
    return SOLUTION_LINE_KO if is_korean(path) else SOLUTION_LINE


def cells(path):
    return nbformat.read(path, as_version=4).cells


def printed(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def assigned_names(source: str) -> set[str]:
    """Names a cell binds at its top level (assignments, defs, imports)."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


def targets_in_code(source: str) -> set[int]:
    """Whole-number targets a cell passes: ``target=N`` keywords and ``cross_entropy(p, N)``."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        args = [k.value for k in node.keywords if k.arg == "target"]
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name == "cross_entropy" and len(node.args) > 1:
            args.append(node.args[1])
        found |= {a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, int)}
    return found


def exercises(path):
    """(learner's cell, solution cell) for every collapsed solution in a notebook."""
    nb = cells(path)
    line = solution_line(path)
    pairs = []
    for i, cell in enumerate(nb):
        if cell.cell_type == "code" and cell.metadata.get("jupyter", {}).get("source_hidden"):
            assert i >= 2 and nb[i - 1].cell_type == "markdown" and line in nb[i - 1].source, \
                f"{path.name} cell {i}: a collapsed cell must follow a '{line}' line"
            learner = next(c for c in reversed(nb[:i - 1]) if c.cell_type == "code")
            pairs.append((learner, cell))
        if cell.cell_type == "markdown" and any(s in cell.source for s in (SOLUTION_LINE, SOLUTION_LINE_KO)):
            assert line in cell.source, f"{path.name} cell {i}: the solution line in this lesson is '{line}'"
            following = nb[i + 1] if i + 1 < len(nb) else None
            assert following is not None and following.cell_type == "code" and \
                following.metadata.get("jupyter", {}).get("source_hidden"), \
                f"{path.name} cell {i}: '{line}' must be followed by a collapsed code cell"
    return pairs


@pytest.mark.parametrize("path", TOPIC_LESSONS, ids=lambda p: str(p.relative_to(LESSONS)))
def test_exercise_starts_unsolved_with_a_collapsed_solution(path):
    pairs = exercises(path)
    assert pairs, f"{path.name} has no exercise with a collapsed solution"
    for learner, solution in pairs:
        shown, model = printed(learner), printed(solution)
        assert "✗" in shown and "✓" not in shown, f"{path.name}: the exercise must start unsolved, it printed {shown!r}"
        assert "✓" in model and "✗" not in model, f"{path.name}: the model answer must pass, it printed {model!r}"
        overwritten = assigned_names(learner.source) & assigned_names(solution.source)
        assert not overwritten, f"{path.name}: the solution rebinds the learner's {sorted(overwritten)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(LESSONS)))
def test_every_collapsed_cell_is_announced(path):
    exercises(path)  # asserts the pairing both ways


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(LESSONS)))
def test_class_numbers_are_the_indices_the_code_uses(path):
    nb = cells(path)
    for i, cell in enumerate(nb):
        text = cell.source + printed(cell)
        assert not re.search(MIXED_CLASS_NAMES, text), f"{path.name} cell {i}: name a class by its index only"
        assert not re.search(MIXED_CLASS_NAMES_KO, text), f"{path.name} cell {i}: name a class by its index only"
        if cell.cell_type == "markdown":
            nxt = next((c for c in nb[i + 1:] if c.cell_type == "code"), None)
            said = {int(n) for n in re.findall(r"target class (\d+)", cell.source)}
            said |= {int(n) for n in re.findall(TARGET_CLASS_KO, cell.source)}
            coded = {int(n) for n in re.findall(r"target=(\d+)", nxt.source)} if nxt is not None else set()
            assert not said or not coded or said <= coded, \
                f"{path.name} cell {i}: the prose says target class {sorted(said)}, the code target={sorted(coded)}"
        else:
            said = {int(n) for n in re.findall(r"""["'][^"'\n]*\btarget (\d+)\b""", cell.source)}
            said |= {int(n) for n in re.findall(r"""["'][^"'\n]*?""" + TARGET_CLASS_KO, cell.source)}
            coded = targets_in_code(cell.source)
            assert not said or not coded or said <= coded, \
                f"{path.name} cell {i}: prints target {sorted(said)} while the code uses {sorted(coded)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(LESSONS)))
def test_every_mse_is_named_where_it_is_used(path):
    nb = cells(path)
    mentions = [c for c in nb if re.search(r"\bMSE\b|squared error", c.source)]
    if not mentions:
        return
    names = "|".join(re.escape(n) for n in (MSE_NAMES_KO if is_korean(path) else MSE_NAMES))
    assert any(c.cell_type == "markdown" and re.search(rf"MSE (here )?= ({names})", c.source) for c in nb), \
        f"{path.name} uses an MSE but never says which one ('MSE here = ½·mean ...', '여기서 MSE = ½·mean ...')"
    for cell in nb:
        for line in printed(cell).splitlines():
            if re.search(r"\bMSE\b", line):
                assert re.search(rf"MSE (\(|= )({names})", line), f"{path.name} prints an unnamed MSE: {line!r}"


@pytest.mark.parametrize("path, fan_out, same", [
    (LESSONS / "03_chain_rule_backprop.ipynb", ("fan-out",), "the same: True"),
    (KOREAN / "03_chain_rule_backprop.ipynb", ("fan-out", "팬아웃", "분기"), "둘이 같은가: True"),
], ids=("en", "ko"))
def test_lesson_03_steps_through_the_softmax_loss_graph(path, fan_out, same):
    nb = cells(path)
    uses = [c for c in nb if c.cell_type == "code" and 'BackpropStepper.preset("softmax_with_loss")' in c.source]
    assert uses, f"{path.relative_to(LESSONS)} must step through the softmax_with_loss preset"
    outputs = "".join(printed(c) for c in nb)
    assert any(word in outputs for word in fan_out) and same in outputs


def test_the_softmax_loss_graph_gives_p_minus_y_at_the_logits():
    """The lesson's claim, checked against a float64 NumPy softmax (float32 graph: rtol 1e-5, atol 1e-6)."""
    graph = nw.BackpropStepper.preset("softmax_with_loss")
    W, z, b = (np.asarray(graph.inputs[n], dtype=np.float64) for n in ("W", "z", "b"))
    a = W @ z + b
    p = np.exp(a - a.max()) / np.exp(a - a.max()).sum()
    y = np.array([1.0, 0.0])
    while graph.phase != "done":
        graph.step()
    logits = [n for n in graph.nodes if np.shape(n.value) == a.shape and np.allclose(n.value, a, rtol=1e-6)]
    assert len(logits) == 1
    np.testing.assert_allclose(np.asarray(logits[0].grad, dtype=np.float64), p - y, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(graph.gradients["b"], p - y, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(graph.gradients["W"], np.outer(p - y, z), rtol=1e-5, atol=1e-6)
    assert graph.output == pytest.approx(0.999163, abs=1e-6)  # WORKED_EXAMPLES.md: seed 002 exercise 1, CE (ln)
