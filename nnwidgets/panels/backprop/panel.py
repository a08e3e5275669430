"""``BackpropStepper``: the stepper's state with its view and the panel surface (``.view``, ``.to_dict()``, ...)."""
from __future__ import annotations

from ...i18n import speaking, translated
from .._state import Panel
from .._traits import one_of
from . import text
from .presets import PRESETS
from .state import TABS, BackpropState
from .view import BackpropView


class BackpropStepper(BackpropState, Panel):
    """Step through the forward and the backward pass of ``fn`` with the numbers plugged in.

    ``fn``: a Python function of named inputs written with ``jnp``, a formula string over the inputs
    (``BackpropStepper("x*y + 3", x=2.0, y=3.0)``; formulas and presets can be saved with ``to_dict``), or
    nothing for the default example (``BackpropStepper.preset(name)`` for the others).

    Nodes are named after the variables ``fn`` assigns, as the lectures name them (``def f(x, y, z): q = x + y;
    f = q * z; return f`` gives nodes q and f); lambdas and formulas keep the op names (add, mul_2), and
    ``names={"add": "q"}`` (op name -> name shown) overrides both.

    >>> g = BackpropStepper(lambda x, y, z: (x + y) * z, x=-2.0, y=5.0, z=-4.0)
    >>> g.output, g.gradients
    (-12.0, {'x': -4.0, 'y': -4.0, 'z': 3.0})
    """

    TABS = TABS

    def __init__(self, fn=None, **kwargs):
        super().__init__(fn, **kwargs)
        self._show_view()

    def _build_view(self) -> None:
        self.view = BackpropView(self)

    @classmethod
    def presets(cls) -> dict[str, str]:
        """Every seed example by name, with what it shows (in the language in force)."""
        return {name: translated(p.description) for name, p in PRESETS.items()}

    @classmethod
    def preset(cls, name: str, **kwargs) -> BackpropStepper:
        """A stepper on a seed example: ``BackpropStepper.preset("apple_orange")`` (keywords change its inputs)."""
        key = one_of(PRESETS)("name", name)
        options = {k: kwargs.pop(k) for k in ("sigmoid", "title", "position", "names") if k in kwargs}
        return cls(preset_name=key, **options, **{**PRESETS[key].inputs, **kwargs})

    def control(self, name: str):
        """A widget of the panel: "step", "back", "reset", "position", "play", "sigmoid" or an input's name."""
        controls = self.view.controls
        if name not in controls:
            with speaking(self.language):
                raise ValueError(text.CONTROL.format(names=", ".join(map(repr, controls)), value=name))
        return controls[name]

    def to_png(self) -> bytes:
        """The graph at the current step, as matplotlib draws it."""
        return self.view.figure.to_png()
