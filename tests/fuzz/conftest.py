"""Print the fuzz suite's counts at the end of the run (the issue's closing note quotes them)."""
from .harness import COUNTS, UNCLEAR


def pytest_terminal_summary(terminalreporter):
    if not COUNTS["cases"]:
        return
    write = terminalreporter.write_line
    write(f"fuzz: {COUNTS['cases']} bad-input cases, {COUNTS['refused']} refused "
          f"({COUNTS['clear']} with a message naming the parameter), {COUNTS['accepted']} accepted as valid, "
          f"{COUNTS['raw']} raw errors")
    for line in UNCLEAR[:20]:
        write(f"  unclear: {line}")
