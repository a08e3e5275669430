"""Execute lesson notebooks in place, as they are committed (outputs kept, no widget state).

    python tools/execute_lessons.py lessons/01_perceptron_logic_gates.ipynb ...

Widget state is left out: the panels already put a PNG of their initial
state next to the live widget, which is what static viewers show.
"""
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    print(f"executed {path}")


if __name__ == "__main__":
    every = sorted(str(p) for p in Path("lessons").rglob("*.ipynb") if ".ipynb_checkpoints" not in str(p))
    for name in sys.argv[1:] or every:
        execute(Path(name))
