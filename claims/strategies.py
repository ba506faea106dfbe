"""Shared Hypothesis strategies for cases: layer widths, scales, activations, learning rates.

A case is a dict: ints and strings are structure shared by a batch; floats are per-instance data.
Batches of random instances are drawn with NumPy from a seed inside each claim's ``instances``.
"""

from __future__ import annotations

from itertools import product
from typing import Any

import numpy as np
from hypothesis import strategies as st

width = st.integers(1, 5)
SCALES = [0.1, 0.5, 1.0, 2.0, 5.0]
scale = st.sampled_from(SCALES)
SMOOTH_ACTIVATIONS = ["sigmoid", "tanh"]
ANY_ACTIVATIONS = ["sigmoid", "tanh", "relu", "identity"]
smooth_activation = st.sampled_from(SMOOTH_ACTIVATIONS)
any_activation = st.sampled_from(ANY_ACTIVATIONS)
positive = st.floats(1e-3, 1e3, allow_nan=False, allow_infinity=False)


def widths(min_layers: int = 2, max_layers: int = 4, min_width: int = 1, max_width: int = 5) -> st.SearchStrategy[tuple[int, ...]]:
    """Layer widths (d_0, ..., d_L) with L+1 between min_layers and max_layers."""
    return st.lists(st.integers(min_width, max_width), min_size=min_layers, max_size=max_layers).map(tuple)


def normal(rng: np.random.Generator, n: int, *shape: int, scale: Any = 1.0) -> np.ndarray:
    """A batch of n arrays of the given shape with N(0, scale^2) entries."""
    return rng.normal(0.0, 1.0, size=(n, *shape)) * scale


def labels(rng: np.random.Generator, n: int, *shape: int) -> np.ndarray:
    """A batch of 0/1 labels as floats."""
    return rng.integers(0, 2, size=(n, *shape)).astype(float)


def grid(**axes: Any) -> st.SearchStrategy[dict[str, Any]]:
    """One draw from the product of finite axes, as a dict: ``grid(d0=range(1, 5), g=["tanh"])``.

    Cheaper than one draw per field (Hypothesis's cost is per draw), with the same cases. The
    product is ordered simplest first (first values of every axis), so a counterexample shrinks
    towards small widths and the first-listed options.
    """
    names = list(axes)
    values = [list(v) for v in axes.values()]
    indices = sorted(product(*(range(len(v)) for v in values)), key=lambda ix: (sum(ix), ix))
    cases = [{n: values[k][i] for k, (n, i) in enumerate(zip(names, ix))} for ix in indices]
    return st.sampled_from(cases).map(dict)
