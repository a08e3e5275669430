"""Practice checks for exercises: instant, specific feedback inside the notebook. Not a secure grade.

These checks run in the student's own Python process, so a student can switch them off or read what they
compare against; use them as formative feedback. For a grade, run ``python -m nnwidgets.grade`` (the
student's code runs in a separate, limited process; the cases, references and verdict stay outside it).

Each check returns quietly on a correct answer and raises ``AssertionError`` with the first failing case
(input, expected, got) and a hint a student can act on. They run unchanged as nbgrader test cells and in
otter test files. Every check

- judges results, not internal form: returned values and parameter paths, in float64 (no object can make
  itself "equal"); the standard forms of the book (Deep Learning from Scratch), CS231n and d2l pass, and the
  adapters ``from_cs231n_layer``, ``from_cs231n_optimizer``, ``from_dlfs_optimizer``, ``from_d2l_sgd`` and
  ``from_torch`` take those courses' interfaces (most are recognised without them),
- runs fixed edge cases (large logits, ties, a batch of one) and, with ``seed=``, extra random cases from
  ``np.random.default_rng(seed)`` (the grader passes a secret seed, so hard-coded answers fail),
- reports exceptions raised by the student's code, NaN/inf, wrong shapes, types and signatures,
- passes copies of the inputs; a changed input is a ``CheckNote`` warning, or a failure with
  ``allow_inplace=False``,
- stops code that runs longer than ``timeout`` seconds per call (default ``DEFAULT_TIMEOUT`` = 10 s),
- speaks the language in force (``nw.set_language("ko")``, ``NNWIDGETS_LANG``): failures, hints and notes in
  Korean or English, the verdict the same in both.

>>> from nnwidgets import checks
>>> checks.check_perceptron("AND", 0.5, 0.5, -0.7)
"""
from ._adapters import from_cs231n_layer, from_cs231n_optimizer, from_d2l_sgd, from_dlfs_optimizer, from_torch
from ._answers import ANSWERS, check_answer
from ._basic import check_conv_output_size, check_logic_function, check_perceptron
from ._gradient import check_gradient
from ._harness import DEFAULT_TIMEOUT, CheckNote
from ._layers import LAYERS, check_layer
from ._optimizers import check_optimizer
from ._probability import check_cross_entropy, check_softmax

__all__ = ["ANSWERS", "DEFAULT_TIMEOUT", "LAYERS", "CheckNote", "check_answer", "check_conv_output_size",
           "check_cross_entropy", "check_gradient", "check_layer", "check_logic_function", "check_optimizer",
           "check_perceptron", "check_softmax", "from_cs231n_layer", "from_cs231n_optimizer", "from_d2l_sgd",
           "from_dlfs_optimizer", "from_torch"]
