"""Hangul renders in every panel's picture: every tab of every panel, in Korean, drawn by matplotlib with the font
nnwidgets ships, with no missing-glyph warning; and the user's matplotlib settings are left as they were."""
from __future__ import annotations

import logging
import warnings

import matplotlib
import pytest
from korean import figure_text, has_hangul

import nnwidgets as nw
from nnwidgets import i18n

PANELS = {
    "perceptron": lambda: nw.PerceptronExplorer(gate="XOR"),
    "softmax": lambda: nw.SoftmaxCalculator(logits=[1.5, 3.7], target=1, labels=["고양이", "개"]),
    # the stepper's picture holds the function's own names: Korean ones, as a Korean student may write them
    "backprop": lambda: nw.BackpropStepper(lambda 사과, 개수: 사과 * 개수 * 1.1, 사과=100.0, 개수=2.0),
    "race": lambda: nw.OptimizerRace(steps=10),
    "conv": lambda: nw.ConvShapeVisualizer(),
    "playground": lambda: nw.Playground(dataset="xor", hidden=(3,), samples=60),
}


@pytest.fixture
def korean(monkeypatch):
    monkeypatch.setattr(i18n, "_chosen", "ko")


@pytest.mark.parametrize("name", PANELS)
def test_every_tab_draws_its_korean_text_without_a_missing_glyph(name, korean, caplog):
    before = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}  # backend: resolved lazily
    panel = PANELS[name]()
    drawn = []
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for a tofu box
        for tab in panel.tabs:
            panel.open_tab(tab)
            texts = figure_text(panel)
            drawn += texts
            assert panel.to_png()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")], "font warnings"
    assert any(has_hangul(t) for t in drawn), f"{name}: no Korean text in any picture: {drawn[:10]}"
    after = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
    assert after == before, "nnwidgets changed the user's matplotlib settings"
