"""The values the visualizer computes with when the learner typed none: the seeds' examples, a handwritten digit.

A 2-D input shows digits from the shipped 8x8 digits data (0..16, ``nnwidgets.data.digits``): channel c is the first
image of digit c (mod 10), centred on a blank input larger than 8x8 or cut to its centre when smaller. Kernels are
small feature detectors: slice c of filter f is kind (f + c) mod 3 of a vertical edge (+1 left, -1 right), a
horizontal edge (+1 top, -1 bottom) and a box of ones.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ...data.digits import DIGITS_SHAPE, load_digits

SEED_1D = ([2, 8, 3, 7, 1, 2, 0, 4, 5], [2, 1, 5, 3])
SEED_2D = ([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 1], [1, 1]])
KERNEL_KINDS = ("vertical edge", "horizontal edge", "box")


@lru_cache(maxsize=1)
def _first_of_each_digit() -> np.ndarray:
    """(10, 8, 8): the first image of each digit 0..9 in the shipped data."""
    images, labels = load_digits()
    return np.stack([images[int(np.argmax(labels == d))].reshape(DIGITS_SHAPE) for d in range(10)]).astype(np.float64)


def digit(spatial: tuple, index: int = 0) -> np.ndarray:
    """Digit ``index`` (mod 10) on an input of shape ``spatial``: centred, cut or padded with zeros (blank paper).

    A 1-D input (n,) gets the digit's middle row, cut or padded the same way.
    """
    image = _first_of_each_digit()[index % 10]
    if len(spatial) == 1:
        image = image[DIGITS_SHAPE[0] // 2:DIGITS_SHAPE[0] // 2 + 1]
        spatial_2d = (1,) + tuple(spatial)
    else:
        spatial_2d = tuple(spatial)
    out = np.zeros(spatial_2d)
    slices_out, slices_in = [], []
    for n, m in zip(spatial_2d, image.shape):
        if n >= m:  # the digit in the middle of a larger input
            start = (n - m) // 2
            slices_out.append(slice(start, start + m))
            slices_in.append(slice(0, m))
        else:  # the middle of the digit
            start = (m - n) // 2
            slices_out.append(slice(0, n))
            slices_in.append(slice(start, start + n))
    out[tuple(slices_out)] = image[tuple(slices_in)]
    return out.reshape(spatial)


def seed_input(spatial: tuple) -> np.ndarray | None:
    """The seeds' example input for this shape (1-D of 9, 3x3, the 4x4 max-pooling example), else None."""
    if spatial == (9,):
        return np.array(SEED_1D[0], float)
    if spatial == (3, 3):
        return np.array(SEED_2D[0], float)
    if spatial == (4, 4):
        return np.arange(16.0).reshape(4, 4)
    return None


def input_channels(spatial: tuple, channels: int) -> np.ndarray:
    """The default input, shape spatial + (channels,): the seed's example as channel 0 where there is one."""
    x = np.stack([digit(spatial, c) for c in range(channels)], axis=-1)
    seed = seed_input(spatial)
    if seed is not None:
        x[..., 0] = seed
    return x


def edge_kernel(kernel: tuple, kind: int) -> np.ndarray:
    """Kind 0: vertical edge (+1 left columns, -1 right ones, 0 in the middle); 1: horizontal edge; 2: ones."""
    if kind % 3 == 2:
        return np.ones(kernel)
    axis = len(kernel) - 1 if kind % 3 == 0 else 0
    k = kernel[axis]
    profile = np.sign((k - 1) / 2 - np.arange(k)) if k > 1 else np.ones(1)
    shape = [1] * len(kernel)
    shape[axis] = k
    return np.broadcast_to(profile.reshape(shape), kernel).astype(np.float64)


def kernel_bank(kernel: tuple, channels: int, filters: int, seed_example: bool) -> np.ndarray:
    """The default kernels, shape kernel + (channels, filters); the seed's kernel as slice (0, 0) for its examples."""
    w = np.stack([np.stack([edge_kernel(kernel, f + c) for f in range(filters)], axis=-1)
                  for c in range(channels)], axis=-2)
    if kernel == (4,):
        w[..., 0, 0] = SEED_1D[1]
    elif seed_example:
        w[..., 0, 0] = 1.0  # the seeds' 2-D examples use a kernel of ones
    return w
