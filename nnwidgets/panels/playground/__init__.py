"""The playground: build, train and break a network (TensorFlow Playground in the notebook, on JAX)."""
from ...core.playground import cross_validate, kfold
from ...data.digits import load_digits
from .state import PlaygroundState
from .view import Playground

__all__ = ["Playground", "PlaygroundState", "cross_validate", "kfold", "load_digits"]
