"""Small datasets shipped inside the package (nothing is downloaded at run time).

``iris.csv``: Fisher's Iris data (150 flowers, 4 measurements in cm, 3 species), as distributed with
scikit-learn and R (public domain; R. A. Fisher, 1936, via the UCI repository).
"""
from __future__ import annotations

import csv
from importlib import resources

import numpy as np

IRIS_FEATURES = ("sepal_length", "sepal_width", "petal_length", "petal_width")
IRIS_CLASSES = ("setosa", "versicolor", "virginica")


def load_iris() -> tuple[np.ndarray, np.ndarray]:
    """Iris as ``X`` (150, 4) float32 in cm and ``y`` (150,) int class indices into ``IRIS_CLASSES``."""
    with resources.files(__name__).joinpath("iris.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    X = np.array([[float(r[f]) for f in IRIS_FEATURES] for r in rows], dtype=np.float32)
    y = np.array([IRIS_CLASSES.index(r["species"]) for r in rows], dtype=np.int32)
    return X, y
