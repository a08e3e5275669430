"""One submission's child, restarted when it dies: the notebook's cells are run again, without the ones that
killed it, so a crash or hang costs only the checks that need what it broke."""
from __future__ import annotations

from nnwidgets.i18n import _

from .sandbox import ChildGone, Limits, Sandbox


class Session:
    def __init__(self, limits: Limits, cells: list[tuple[str, str, bool]], guard: dict | None = None):
        self.limits = limits                      # cells: (cell id, code, the instructor's?) in notebook order
        self.cells = [(c[0], c[1], bool(c[2]) if len(c) > 2 else False) for c in cells]
        self.guard = guard                        # the child's import guard, sent before the first student cell
        self.fatal: dict[str, str] = {}           # cell id -> why it killed the child
        self.errors: dict[str, str] = {}          # cell id -> the exception it raised
        self.box: Sandbox | None = None
        self.generation = 0
        self.starts = 0
        self.applied: dict = {}                   # the isolation the child got (jail.enter's answer)
        self.produced: list[tuple[str, str]] = []  # (exception name or "value", text) the student's code sent

    def _start(self) -> None:
        while True:
            self.box = Sandbox(self.limits)
            self.applied = self.box.applied
            self.generation += 1
            self.starts += 1
            guarded = self.guard is None
            for cell_id, code, trusted in self.cells:
                if cell_id in self.fatal or not code.strip():
                    continue
                try:
                    if not trusted and not guarded:
                        guarded = self.box.request({"op": "guard", **self.guard})["ok"]
                    reply = self.box.request({"op": "run", "code": code, "cell": cell_id, "trusted": trusted})
                except ChildGone as gone:
                    self.fatal[cell_id] = str(gone)
                    break
                if not reply["ok"]:
                    self.errors[cell_id] = str(reply.get("error", ""))[:500]
            else:
                return

    def request(self, message: dict) -> dict:
        if self.box is None or not self.box.alive:
            self._start()
        return self.box.request(message)

    def why_missing(self) -> str:
        problems = [_("cell {cell!r}: {text}").format(cell=cell_id, text=text)
                    for cell_id, text in {**self.errors, **self.fatal}.items()]
        return " " + _("(when it ran, {problems})").format(problems="; ".join(problems)) if problems else ""

    def close(self) -> None:
        if self.box is not None:
            self.box.kill()
