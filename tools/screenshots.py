"""Screenshots of each panel as a browser shows it (Voila + Chromium), for the README.

    python tools/screenshots.py      # writes docs/img/*.png
"""
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from harness import chromium_page, voila  # noqa: E402

SHOTS = {  # file name -> code of the one notebook cell
    "perceptron_neuron.png": 'nw.PerceptronExplorer(gate="AND", w1=0.6, w2=0.4, b=-0.7)',
    "perceptron_stack.png": 'nw.PerceptronExplorer(gate="XOR", tab="stack")',
    "perceptron_mlp.png": 'nw.PerceptronExplorer(gate="XOR", tab="mlp")',
    "softmax_logits.png": 'nw.SoftmaxCalculator(logits=[1.5, 3.7], target=1, labels=["cat", "dog"])',
    "softmax_iris.png": 's = nw.SoftmaxCalculator(x=[6.3, 2.7, 4.9, 1.8], target=2, log_base="10")\n'
                        's.nudge("b2", 1.0)\ns',
    "conv_numbers.png": 'c = nw.ConvShapeVisualizer(input_shape=(7, 7, 1), kernel_size=3, stride=2)\n'
                        'c.numbers = True\nc.position = 4\nc.selected_input = (4, 4)\nc',
    "backprop_neuron.png": 'g = nw.BackpropStepper.preset("sigmoid_neuron")\ng.position = 13\ng',
    "backprop_affine.png": 'g = nw.BackpropStepper.preset("affine")\ng.position = 11\ng',
    "optimizer_race.png": 'r = nw.OptimizerRace(surface="dlfs", start=(-7.0, 2.0), steps=30)\nr.step = 12\nr',
    "optimizer_model.png": 'r = nw.OptimizerRace()\nr.open_tab("real model")\nr',
    "optimizer_momentum.png": 'r = nw.OptimizerRace()\nr.open_tab("momentum theory")\nr',
    "backprop_softmax.png": 'g = nw.BackpropStepper.preset("softmax_with_loss")\ng.position = g.total_steps\ng',
    "playground_circle.png": 'pg = nw.Playground(dataset="circle", hidden=(4, 2), activation="tanh", lr=0.03, '
                             'batch_size=10, seed=3)\npg.train(epochs=100)\npg',
    "playground_digits.png": 'pg = nw.Playground(dataset="digits", hidden=(16,), activation="relu", optimizer="adam", '
                             'lr=0.01, seed=0)\npg.train(epochs=30)\npg',
    # issue 14: the same panels in Korean
    "korean_perceptron.png": 'nw.set_language("ko")\nnw.PerceptronExplorer(gate="XOR", tab="stack")',
    "korean_softmax.png": 'nw.set_language("ko")\nnw.SoftmaxCalculator(logits=[1.5, 3.7], target=1, '
                          'labels=["고양이", "개"])',
    "korean_playground.png": 'nw.set_language("ko")\npg = nw.Playground(dataset="circle", hidden=(4, 2), '
                             'activation="tanh", lr=0.03, batch_size=10, seed=3)\npg.train(epochs=100)\npg',
}


def notebook(code: str) -> str:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"import nnwidgets as nw\n{code}")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


def main(*names, chromium=None):
    """Write every screenshot, or only those named: python tools/screenshots.py backprop_neuron.png"""
    chromium = chromium or os.environ.get("NNW_CHROMIUM", "/usr/bin/chromium")
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    for name, code in SHOTS.items():
        if names and name not in names:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "shot.ipynb"
            path.write_text(notebook(code))
            with voila(path) as url, chromium_page(chromium, width=1000, height=1700) as page:
                page.goto(url, timeout=120_000)
                # a drawn canvas, or (a tab without one, such as the conv tracer) the panel's widgets
                page.wait_for_function("() => [...document.querySelectorAll('canvas.nnwidgets-canvas')]"
                                       ".some(c => Number(c.dataset.frame) >= 1 && c.offsetParent !== null)"
                                       " || [...document.querySelectorAll('.widget-tab .widget-dropdown')]"
                                       ".some(d => d.offsetParent !== null)",
                                       timeout=120_000)
                page.wait_for_timeout(1500)
                page.wait_for_timeout(500)
                page.locator(".jp-OutputArea-output").first.screenshot(path=str(out / name))
                print(f"wrote {out / name}")


if __name__ == "__main__":
    main(*sys.argv[1:])
