"""``OptimizerRace``: the race state with its two tabs' states, and the widget that shows them."""
from __future__ import annotations

import ipywidgets as widgets

from ...i18n import speaking
from .._state import Panel
from .._traits import Checked
from . import text
from .learning_rate import LearningRateState
from .momentum_theory import MomentumTheoryState
from .momentum_view import MomentumTheoryView
from .real_model import ModelRaceState
from .state import TABS as TAB_NAMES
from .state import RaceState, check_tab
from .tab_views import LearningRateView, ModelRaceView
from .view import RaceView


class OptimizerRace(RaceState, Panel):
    """SGD, Momentum, Nesterov, AdaGrad, RMSProp and Adam racing on a 2-D surface, every knob live; plus a
    learning-rate explorer (``race.learning_rate``), the race on a real model (``race.real_model``) and why momentum
    works on an ill-conditioned bowl (``race.momentum_theory``, after Distill's "Why Momentum Really Works").

    >>> r = OptimizerRace(surface="dlfs", start=(-7.0, 2.0), steps=30)
    >>> r.trajectories["SGD"][-1].round(4)
    array([-0.3504,  0.0848], dtype=float32)
    """

    TABS = TAB_NAMES  # the API's tab names; the titles shown are text.TAB_TITLES, read when drawn
    SETTINGS = RaceState.SETTINGS + ("tab",)
    SUBSTATES = ("learning_rate", "real_model", "momentum_theory")

    tab = Checked("race", check_tab)

    def __init__(self, surface="dlfs", start=None, steps=30, optimizers=None, tol=1e-3, **kwargs):
        self.learning_rate, self.real_model = LearningRateState(), ModelRaceState()
        self.momentum_theory = MomentumTheoryState()
        super().__init__(surface=surface, start=start, steps=steps, optimizers=optimizers, tol=tol, **kwargs)
        self._show_view()

    def _build_view(self) -> None:
        self._views = {"race": RaceView(self)}
        self.view = widgets.Tab(children=[self._views["race"].widget] + [widgets.VBox() for _ in self.SUBSTATES],
                                titles=text.TAB_TITLES)
        self.view.observe(self._tab_clicked, names="selected_index")
        self.observe(self._show_tab, names="tab")
        self._show_tab()

    def tab_view(self, name: str):
        """The view object of tab ``name`` (built when first asked for: the real-model tab trains, ~1 s)."""
        with speaking(self.language):
            name = check_tab("tab", name)
        if name not in self._views:
            with self._building_view():
                self._build_tab(name)
        return self._views[name]

    def _build_tab(self, name: str) -> None:
        if name == "learning rate":
            view = LearningRateView(self.learning_rate)
        elif name == "real model":
            view = ModelRaceView(self.real_model)
        else:
            view = MomentumTheoryView(self.momentum_theory, race=self)
        self._views[name] = view
        index = self.TABS.index(name)
        children = self.view.children
        self.view.children = tuple(view.widget if i == index else child for i, child in enumerate(children))

    def _show_tab(self, change=None):
        self.tab_view(self.tab)
        self.view.selected_index = self.TABS.index(self.tab)

    def _tab_clicked(self, change):
        if change["new"] is not None and self.TABS[change["new"]] != self.tab:
            self.tab = self.TABS[change["new"]]

    def control(self, name: str, hyperparameter: str | None = None):
        """A widget: ``control("Adam", "lr")`` for a racer's slider; "step", "play", "steps", "surface", "custom",
        "x0", "y0" on the race tab; "learning_rate.lr", "real_model.epochs", "momentum_theory.condition" ... on the
        other tabs."""
        with speaking(self.language):  # an unknown name is refused in the panel's language
            return self._find_control(name, hyperparameter)

    def _find_control(self, name: str, hyperparameter: str | None):
        if hyperparameter is not None:
            return self._views["race"].racer_controls[self.racer_key(name)][hyperparameter]
        tab, _, setting = name.rpartition(".")
        if tab:
            if tab not in self.SUBSTATES:
                raise ValueError(text.CONTROL_TAB.format(tabs=", ".join(self.SUBSTATES), name=name))
            view = self.tab_view(self.TABS[1 + self.SUBSTATES.index(tab)])
        else:
            view = self._views["race"]
        if setting not in view.controls:
            raise ValueError(text.CONTROL_UNKNOWN.format(name=name, controls=", ".join(view.controls)))
        return view.controls[setting]

    def to_png(self) -> bytes:
        """The picture of the tab on show (static exports show what the learner was looking at)."""
        return self.tab_view(self.tab).figure.to_png()
