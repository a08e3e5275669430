"""Displaying a lesson never changes what its panels hold (issue 12, test 1).

For every lesson, the ``to_dict()`` of every panel after the page has drawn and settled must equal the
state after running the same notebook headless (nbclient: no front end at all). In JupyterLab the
lesson runs with Run > Run All Cells, so panels are drawn while later cells still run (how an old
slider value once came back and undid lesson 01's preset); in Voila the page is drawn after every
cell ran. The kernel's state is read by a second client on the same kernel, not through the page.
"""
import json
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from harness import PANEL_STATES_CODE, chromium_page, jupyterlab, kernel_run, panel_states, voila
from nbclient import NotebookClient

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LESSONS = sorted(p.name for p in (Path(__file__).parents[2] / "lessons").glob("0*.ipynb"))
_HEADLESS: dict[str, list] = {}


@pytest.fixture(scope="module")
def lesson_dir(tmp_path_factory):
    """A copy of the lessons (JupyterLab may save what it runs)."""
    folder = tmp_path_factory.mktemp("lessons")
    for name in LESSONS:
        shutil.copy(Path(__file__).parents[2] / "lessons" / name, folder)
    return folder


def headless_states(folder: Path, name: str) -> list:
    """Every panel's ``[class, to_dict()]`` after running the lesson with no front end."""
    if name not in _HEADLESS:
        nb = nbformat.read(folder / name, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(PANEL_STATES_CODE))
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
        _HEADLESS[name] = json.loads(nb.cells[-1].outputs[-1]["text"].strip().splitlines()[-1])
    return _HEADLESS[name]


@pytest.fixture(scope="module")
def page(chromium_path):
    """One Chromium for the module (Playwright's sync API runs one at a time)."""
    with chromium_page(chromium_path) as page:
        yield page


@pytest.fixture(scope="module")
def lab(lesson_dir, page):
    with jupyterlab(lesson_dir) as url:
        yield url, page


@pytest.mark.parametrize("name", LESSONS)
def test_jupyterlab_run_all_leaves_every_panel_as_headless(lab, lesson_dir, name):
    url, page = lab
    expected = headless_states(lesson_dir, name)
    page.goto(f"{url}lab/tree/{name}?reset", timeout=120_000)
    page.wait_for_selector(".jp-Notebook .jp-Cell .jp-InputPrompt", timeout=120_000)
    wait_until_kernel_is_idle(page)
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    time.sleep(2)
    kernel_run(url, "pass", timeout=900)  # queued behind every cell Run All sent: runs when they are done
    for _ in range(60):  # scroll through the notebook so every panel is drawn (JupyterLab draws what is visible)
        page.mouse.wheel(0, 700)
        page.wait_for_timeout(100)
    page.wait_for_timeout(3000)
    shown = panel_states(url)
    shut_down_kernels(page, url)
    assert_same_states(expected, shown, f"{name} in JupyterLab (Run All Cells)")


@pytest.mark.parametrize("name", LESSONS)
def test_voila_page_leaves_every_panel_as_headless(lesson_dir, page, name):
    expected = headless_states(lesson_dir, name)
    with voila(lesson_dir / name) as url:
        page.goto(url, timeout=300_000)
        page.wait_for_function("() => { const c = [...document.querySelectorAll('canvas.nnwidgets-canvas')];"
                               " return c.length > 0 && c.every(e => Number(e.dataset.frame) >= 1); }",
                               timeout=300_000)
        page.wait_for_timeout(3000)
        kernel_run(url, "pass")
        shown = panel_states(url)
    assert_same_states(expected, shown, f"{name} in Voila")


def wait_until_kernel_is_idle(page):
    page.wait_for_function("() => /Idle/.test(document.body.innerText)", timeout=120_000)


def shut_down_kernels(page, url):
    """Close every kernel, so the next lesson's is the only one (``kernel_run`` talks to the one kernel)."""
    page.evaluate("async (url) => { const ks = await (await fetch(url + 'api/kernels')).json();"
                  " for (const k of ks) await fetch(url + 'api/kernels/' + k.id, {method: 'DELETE'}); }", url)


def assert_same_states(expected: list, shown: list, where: str):
    assert [c for c, _ in shown] == [c for c, _ in expected], f"{where}: not the same panels"
    differences = [f"panel {i} ({cls}) {path}: headless {a!r}, after display {b!r}"
                   for i, ((cls, before), (_, after)) in enumerate(zip(expected, shown))
                   for path, a, b in differences_between(before, after)]
    assert not differences, f"{where}: displaying changed the state:\n" + "\n".join(differences)


def differences_between(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            yield from differences_between(a.get(key), b.get(key), f"{path}.{key}")
    elif a != b:
        yield path, a, b
