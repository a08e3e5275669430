"""The 8x8 handwritten digits shipped with the package (1797 images, 64 pixels each, 10 classes).

``digits.csv.gz`` is the copy bundled with scikit-learn 1.9.1 (``sklearn/datasets/data/digits.csv.gz``,
distributed under scikit-learn's BSD 3-Clause licence), taken unchanged from its wheel; scikit-learn is not a
dependency. The data are the test part of "Optical Recognition of Handwritten Digits" by E. Alpaydin and
C. Kaynak (1998), UCI Machine Learning Repository (licensed CC BY 4.0 there): 32x32 bitmaps from 43 writers,
each 4x4 block counted into one pixel of 0..16. Each CSV row is 64 pixels (row by row) then the digit.
"""
from __future__ import annotations

import csv
import gzip
import io
from importlib import resources

import numpy as np

DIGITS_SHAPE = (8, 8)
DIGITS_CLASSES = tuple(str(d) for d in range(10))
#: The largest pixel value (a pixel counts the on bits of a 4x4 block)
DIGITS_MAX = 16


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The digits as ``X`` (1797, 64) float32 pixels in 0..16 and ``y`` (1797,) int32 digits 0..9."""
    raw = resources.files(__package__).joinpath("digits.csv.gz").read_bytes()
    with io.TextIOWrapper(gzip.GzipFile(fileobj=io.BytesIO(raw)), encoding="ascii", newline="") as text:
        rows = np.array([[int(v) for v in row] for row in csv.reader(text)], dtype=np.int32)
    return rows[:, :64].astype(np.float32), rows[:, 64].astype(np.int32)
