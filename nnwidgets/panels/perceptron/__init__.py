"""Perceptron logic-gate explorer: one neuron, the learning rule, stacking two layers, training an MLP.

Layout: ``state.py`` (the panel's state: the Neuron tab's settings, ``tab``, and the sub-states ``learn``,
``stack``, ``mlp`` from ``learn.py``, ``stack.py``, ``mlp.py``), ``view.py`` (``PerceptronExplorer`` and the
Neuron tab) with ``learn_view.py``, ``stack_view.py``, ``mlp_view.py``, ``square.py`` (the unit-square
drawing), ``text.py`` (every sentence shown). Views import states, never the reverse.
"""
from .learn import LearnState
from .mlp import MLPState
from .neuron import NeuronState
from .stack import STACK_PRESETS, StackState
from .state import TABS, PerceptronState
from .text import why_no_line
from .view import PerceptronExplorer

__all__ = ["STACK_PRESETS", "TABS", "LearnState", "MLPState", "NeuronState", "PerceptronExplorer",
           "PerceptronState", "StackState", "why_no_line"]
