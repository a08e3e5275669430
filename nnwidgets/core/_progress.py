"""A progress bar for long runs done in jitted chunks, shown only when the run will last over a second."""
from __future__ import annotations

from ..i18n import _


class LateProgress:
    """``with LateProgress(total) as progress: ... progress.advance(size, seconds)`` after each chunk.

    The estimate uses the second chunk's time (the first one includes compiling), so short runs such as the
    seed's XOR never print a bar. The bar is tqdm.auto's: a widget in Jupyter, text elsewhere.
    """

    def __init__(self, total: int, enabled: bool = True, desc: str | None = None, unit: str | None = None):
        self.total, self.enabled = total, enabled
        self.desc = _("training") if desc is None else desc
        self.unit = _("epoch") if unit is None else unit
        self.bar, self.calls, self.done = None, 0, 0

    def advance(self, size: int, seconds: float) -> None:
        self.calls, self.done = self.calls + 1, self.done + size
        if self.bar is not None:
            self.bar.update(size)
        elif self.enabled and self.calls >= 2 and seconds * (self.total - self.done) / size > 1.0:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=self.total, initial=self.done, desc=self.desc, unit=self.unit, leave=False)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
