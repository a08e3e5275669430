"""The README's benchmark tables are exactly what benchmarks/readme_tables.py writes from the committed JSON, and
that JSON holds every figure issue 16 asks `make bench` for."""
import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import readme_tables  # noqa: E402

PANEL_ROW = {key: 12.5 for key in readme_tables.PANEL_KEYS} | {"browser_presses": 30, "browser_pace_ms": 150,
                                                             "browser_jitter_ms": 17}
COMPLETE = {
    "date": "2026-12-01",
    "machine": {"cores": 2, "cpu": "Test CPU", "memory_gb": 24.0, "jax_backend": "cpu", "jax_device": "TFRT_CPU_0",
                "jax": "0.0", "python": "3.12"},
    "panels": {f"{name} (test)": dict(PANEL_ROW) for name in readme_tables.PANELS},
    "compute": {},
    "cold_start_s": 1.25,
    "kernel_rss_mb": {"01_perceptron_logic_gates.ipynb": 370.6},
    "loadtest": {"students": 5, "cores": 2, "p50_update_ms": 3.97, "p95_update_ms": 267.64, "kernel_rss_mb_max": 443.4,
                 "errors": []},
}


def test_readme_tables_come_from_the_benchmark_json():
    check = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "readme_tables.py"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, ("README.md's tables differ from benchmarks/*.json, or results.json lacks a key: "
                                   f"run `make bench` (or benchmarks/readme_tables.py)\n{check.stderr}")


def test_the_committed_results_hold_every_figure_issue_16_asks_for():
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text())
    assert readme_tables.missing_keys(results) == []


def test_no_table_row_with_a_number_sits_outside_the_generated_section():
    readme = (ROOT / "README.md").read_text()
    before, rest = readme.split("<!-- bench:start -->")
    after = rest.split("<!-- bench:end -->")[1]
    section = before[before.index("## Benchmarks"):] + after.split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("|") and any(ch.isdigit() for ch in line)]
    assert not rows, rows


def test_complete_results_lack_nothing():
    assert readme_tables.missing_keys(COMPLETE) == []


@pytest.mark.parametrize("path", [
    ("date",), ("machine",), ("machine", "cpu"), ("machine", "jax_device"), ("kernel_rss_mb",), ("loadtest",),
    ("loadtest", "p95_update_ms"), ("loadtest", "errors"), ("panels", "Playground (test)"),
    *[("panels", "ConvShapeVisualizer (test)", key) for key in readme_tables.PANEL_KEYS],
])
def test_every_missing_key_is_named(path):
    results = copy.deepcopy(COMPLETE)
    holder = results
    for key in path[:-1]:
        holder = holder[key]
    del holder[path[-1]]
    missing = readme_tables.missing_keys(results)
    assert missing, path
    assert any(path[-1] in entry or path[-1].split(" (")[0] in entry for entry in missing), (path, missing)


@pytest.fixture
def complete_json(monkeypatch):
    monkeypatch.setattr(readme_tables, "load", lambda name: COMPLETE if name == "results.json" else {})


def test_the_tables_show_every_new_figure(complete_json):
    section = readme_tables.render()
    assert section.count("12.5 ms / 12.5 ms") == 4 * len(readme_tables.PANELS)  # paint, paint b2b, draw, draw b2b
    assert "| Playground (test): noise |" in section
    assert "| 01_perceptron_logic_gates.ipynb | 371 MB |" in section
    assert "| 5 | 2 | 4.0 ms | 267.6 ms | 443 MB | 0 |" in section
    assert "Measured 2026-12-01 on 2 cores (Test CPU, 24.0 GB)" in section


def test_a_hand_edit_between_the_markers_is_undone(complete_json):
    readme = f"intro\n{readme_tables.START}\nold\n{readme_tables.END}\noutro\n"
    written = readme_tables.replaced(readme)
    assert written.startswith("intro\n") and written.endswith("\noutro\n")
    assert readme_tables.replaced(written) == written
    edited = written.replace("267.6 ms", "26.7 ms")
    assert edited != written and readme_tables.replaced(edited) == written


def test_a_missing_key_stops_the_tables(monkeypatch):
    partial = copy.deepcopy(COMPLETE)
    del partial["panels"]["SoftmaxCalculator (test)"]["paint_p95_ms"]
    monkeypatch.setattr(readme_tables, "load", lambda name: partial if name == "results.json" else {})
    with pytest.raises(SystemExit, match="SoftmaxCalculator \\(test\\)/paint_p95_ms"):
        readme_tables.render()
