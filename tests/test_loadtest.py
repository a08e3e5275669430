"""The classroom load test at 4 students (make test): it completes, every move is answered, no errors."""
import json
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))
import loadtest  # noqa: E402

STUDENTS, MOVES = 4, 10


@pytest.mark.slow
def test_four_students_run_a_lesson_and_move_sliders(tmp_path):
    out = tmp_path / "loadtest.json"
    result = loadtest.main(["--students", str(STUDENTS), "--moves", str(MOVES), "--out", str(out)])
    print(json.dumps({k: v for k, v in result.items() if k != "per_kernel"}, indent=1))
    assert result["errors"] == []
    assert result["students"] == STUDENTS and result["moves"] == STUDENTS * MOVES
    assert result["sliders_per_student"] > 0
    assert 0 < result["p50_update_ms"] <= result["p95_update_ms"] <= result["max_update_ms"]
    assert all(k["after_lesson"]["rss_mb"] > 0 and k["after_moves"]["rss_mb"] > 0 for k in result["per_kernel"])
    assert json.loads(out.read_text())["students"] == STUDENTS


def test_next_value_stays_on_the_slider_grid():
    rng = loadtest.random.Random(0)
    slider = {"kind": "FloatSlider", "min": -2.0, "max": 2.0, "step": 0.1, "base": None}
    value = 0.3
    for _ in range(200):
        new = loadtest.next_value(slider, value, rng)
        assert new != value and -2.0 <= new <= 2.0
        assert abs((new + 2.0) / 0.1 - round((new + 2.0) / 0.1)) < 1e-9
        value = new
    log = {"kind": "FloatLogSlider", "min": -4.0, "max": 0.0, "step": 0.5, "base": 10.0}
    value = 1e-2
    for _ in range(50):
        value = loadtest.next_value(log, value, rng)
        assert 1e-4 * (1 - 1e-9) <= value <= 1.0
    whole = {"kind": "IntSlider", "min": 1, "max": 3, "step": 1, "base": None}
    assert {loadtest.next_value(whole, 1, rng) for _ in range(20)} <= {2, 3}


def test_percentile_matches_numpy():
    numpy = pytest.importorskip("numpy")
    values = [5.0, 1.0, 9.0, 3.0, 7.5, 2.25]
    for q in (0, 50, 95, 100):
        assert loadtest.percentile(values, q) == pytest.approx(float(numpy.percentile(values, q)), rel=1e-12)
