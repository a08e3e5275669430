"""The README's benchmark tables are exactly what benchmarks/readme_tables.py writes from the committed JSON."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_tables_come_from_the_benchmark_json():
    check = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "readme_tables.py"), "--check"])
    assert check.returncode == 0, "README.md's tables differ from benchmarks/*.json: run benchmarks/readme_tables.py"


def test_no_table_row_with_a_number_sits_outside_the_generated_section():
    readme = (ROOT / "README.md").read_text()
    before, rest = readme.split("<!-- bench:start -->")
    after = rest.split("<!-- bench:end -->")[1]
    section = before[before.index("## Benchmarks"):] + after.split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("|") and any(ch.isdigit() for ch in line)]
    assert not rows, rows
