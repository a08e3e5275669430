"""The playground in a real Chromium via Voila: Play trains (the epoch counter and the loss curve advance),
Pause stops it, a click on the data plot adds a point of the chosen class, and after every action the kernel's
state (``to_dict``, epoch and losses) is what the page shows and what a headless run of the same steps gives."""
import json
import re
from pathlib import Path

import pytest
from harness import chromium_page, voila

import nnwidgets as nw
from nnwidgets.core.playground.datasets import BOX
from nnwidgets.panels.playground import drawing

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HERE = Path(__file__).parent
SETTINGS = {"dataset": "circle", "hidden": (4, 2), "samples": 200, "seed": 3}  # as in playground_panel.ipynb
STATUS = ".nnw-playground-status"
CANVAS = "canvas.nnwidgets-canvas"
FIGURE = drawing.make_figure()
WIDTH, HEIGHT = (round(v) for v in FIGURE.get_size_inches() * 100)


def box(axes: int) -> tuple:
    """The axes' CSS-pixel box on the canvas: (left, top, right, bottom)."""
    p = FIGURE.axes[axes].get_position()
    return p.x0 * WIDTH, (1 - p.y1) * HEIGHT, p.x1 * WIDTH, (1 - p.y0) * HEIGHT


# In-page: (checksum, dark-ink pixel count) of a canvas region given in CSS pixels (the canvas is drawn at 2x)
REGION = """
([x0, y0, x1, y1]) => {
  const c = document.querySelector('canvas.nnwidgets-canvas'), r = c.width / c.getBoundingClientRect().width;
  const d = c.getContext('2d').getImageData(x0 * r, y0 * r, (x1 - x0) * r, (y1 - y0) * r).data;
  let sum = 0, ink = 0;
  for (let i = 0; i < d.length; i += 4) {
    sum = (sum * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) % 1000000007;
    if (d[i + 3] > 200 && d[i] < 60 && d[i + 1] < 60 && d[i + 2] < 60) ink++;
  }
  return [sum, ink];
}
"""
PIXEL = """
([x, y]) => {
  const c = document.querySelector('canvas.nnwidgets-canvas'), r = c.width / c.getBoundingClientRect().width;
  return Array.from(c.getContext('2d').getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data.slice(0, 3));
}
"""


def page_epoch(page) -> int:
    return int(re.match(r"epoch (\d+)", page.inner_text(STATUS)).group(1))


def kernel(page, condition: str) -> dict:
    """What the kernel last sent ({state: to_dict(), epoch, train_loss, test_loss}) once ``condition`` on it holds."""
    page.wait_for_function("() => { const e = document.querySelector('.nnw-kernel-state');"
                           " if (!e || !e.innerText) return false; const s = JSON.parse(e.innerText);"
                           f" return {condition}; }}", timeout=20_000)
    return json.loads(page.inner_text(".nnw-kernel-state"))


def headless_status(pg) -> str:
    return re.sub(r"<[^>]+>", "", pg.status.value)


def test_play_trains_and_a_click_adds_a_point(chromium_path):
    headless = nw.Playground(**SETTINGS)
    with voila(HERE / "playground_panel.ipynb") as url, chromium_page(chromium_path) as page:
        page.goto(url, timeout=120_000)
        page.wait_for_function(f"() => {{ const c = document.querySelector('{CANVAS}');"
                               " return c && Number(c.dataset.frame) >= 1; }", timeout=120_000)
        assert page.inner_text(STATUS) == "epoch 0"
        saved = kernel(page, "s.epoch === 0")
        assert saved["state"] == json.loads(json.dumps(headless.to_dict()))  # showing the page changed nothing

        # Play: the epoch counter and the loss curve advance
        loss_box = box(drawing.LOSS)
        play = page.locator("button.widget-toggle-button")
        assert play.inner_text().strip() == "Play"
        play.click()
        page.wait_for_function(f"() => /^epoch ([3-9]|\\d\\d+)/.test(document.querySelector('{STATUS}').innerText)",
                               timeout=60_000)
        first, first_epoch = page.evaluate(REGION, loss_box), page_epoch(page)
        assert first[1] > 0, "no loss curve drawn"
        page.wait_for_function(f"() => Number(document.querySelector('{STATUS}').innerText.match(/epoch (\\d+)/)[1])"
                               f" >= {first_epoch + 3}", timeout=30_000)
        later = page.evaluate(REGION, loss_box)
        assert later[0] != first[0] and later[1] > 0, "the loss curve did not advance"  # (its axes may have grown)

        # Pause: the kernel stops, and its epoch and losses are the page's and a headless run's
        assert play.inner_text().strip() == "Pause"
        play.click()
        page.wait_for_function("() => document.querySelector('button.widget-toggle-button').innerText.trim()"
                               " === 'Play'", timeout=20_000)
        epoch = page_epoch(page)
        saved = kernel(page, f"s.epoch === {epoch}")
        headless.train(epoch)
        assert saved["state"] == json.loads(json.dumps(headless.to_dict()))
        assert saved["train_loss"] == headless.history["train_loss"].tolist()  # same seed, same numbers
        assert saved["test_loss"] == headless.history["test_loss"].tolist()
        assert page.inner_text(STATUS) == headless_status(headless)

        # a click on the data plot adds a point of the chosen class ("click adds" 0: orange)
        add_class = page.locator(".widget-text", has_text="click adds").locator("input")
        add_class.fill("0")
        add_class.press("Enter")
        left, top, right, bottom = box(drawing.DATA)
        x, y = -5.0, 5.0  # an empty corner of the circle data set
        px, py = left + (x + BOX) / (2 * BOX) * (right - left), bottom - (y + BOX) / (2 * BOX) * (bottom - top)
        assert page.evaluate(PIXEL, [px, py]) != [242, 142, 43]
        page.locator(CANVAS).click(position={"x": px, "y": py})
        saved = kernel(page, "s.state.points.length === 1")
        (x1, x2, label), = saved["state"]["points"]
        step = 2 * BOX / (right - left)  # one CSS pixel in data units
        assert label == 0 and abs(x1 - x) <= step and abs(x2 - y) <= step
        headless.add_point(x1, x2, 0)  # new data: back to epoch 0, as in the page
        assert saved["state"] == json.loads(json.dumps(headless.to_dict())) and saved["epoch"] == 0
        page.wait_for_function(f"() => document.querySelector('{STATUS}').innerText === 'epoch 0'")
        assert page.evaluate(PIXEL, [px, py]) == [242, 142, 43]  # the new point, in class 0's colour
        ours = [e for e in page.nnw_console if "nnwidgets" in e or "anywidget" in e or "pageerror" in e]
        assert not ours, ours
