"""Shared Hypothesis strategies for cases: layer widths, scales, activations, learning rates.

A case is a dict: ints and strings are structure shared by a batch; floats are per-instance data.
Batches of random instances are drawn with NumPy from a seed inside each claim's ``instances``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product
from math import prod
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
    cases = Grid(list(axes), [list(v) for v in axes.values()])
    # an index into the cases (Hypothesis keeps a range as it is): the same draws as sampling
    # the list, without building every case when the catalogue is imported
    strategy = st.sampled_from(range(len(cases))).map(lambda k: dict(cases[k]))
    strategy.grid_cases = cases  # the engine may check every case of a small grid instead of sampling it
    return strategy


class Grid(Sequence):
    """The cases of a grid in its order (simplest first), built on first use: every worker imports
    the catalogue, and its largest grids hold tens of thousands of cases."""

    def __init__(self, names: list[str], values: list[list[Any]]) -> None:
        self.names, self.values = names, values
        self._cases: list[dict[str, Any]] | None = None

    def __len__(self) -> int:
        return prod(len(v) for v in self.values)

    def __getitem__(self, k: Any) -> Any:
        if self._cases is None:
            indices = sorted(product(*(range(len(v)) for v in self.values)), key=lambda ix: (sum(ix), ix))
            self._cases = [{n: self.values[a][i] for a, (n, i) in enumerate(zip(self.names, ix))} for ix in indices]
        return self._cases[k]


# ---------------------------------------------------------------- edge-rich generation (issue 6)

INF = float("inf")
SUBNORMAL = 5e-324  # the smallest positive float64
TINY = 1e-300
HUGE = 1e300  # the largest magnitude drawn when the domain is unbounded
EDGE_SHARE = 0.25  # the share of every batch whose instances carry edge values
EDGE_KINDS = ("zero", "subnormal", "tiny", "huge", "endpoint", "integer", "tie")


def reals(
    rng: np.random.Generator,
    n: int,
    *shape: int,
    low: float = -INF,
    high: float = INF,
    open_low: bool = False,
    open_high: bool = False,
    scale: float = 1.0,
    edges: float = EDGE_SHARE,
) -> np.ndarray:
    """A batch of n arrays of the given shape with entries in the real interval from low to high.

    Most entries are typical (normal or log-uniform over 10^-3..10^3, times ``scale``); in a fixed
    share ``edges`` of the instances, entries are edges: +-0, subnormals, tiny and huge magnitudes
    (up to the domain's bound, 1e300 when unbounded), the endpoints (or their nearest floats when
    open), small integers, and ties (an entry equal to another of its instance).
    """
    dom = _Domain(low, high, open_low, open_high)
    values = _typical(rng, (n, *shape), dom, scale)
    flat = values.reshape(n, -1)
    size = flat.shape[1]
    pools = {k: [v for v in _edge_candidates(k, dom) if dom.has([v])] for k in EDGE_KINDS if k != "tie"}
    kinds = [k for k, pool in pools.items() if pool] + (["tie"] if size > 1 else [])
    # Kinds in turn, and each kind's values in turn, so that a batch covers all of them.
    kinds = [kinds[i] for i in rng.permutation(len(kinds))]
    turn = {k: int(rng.integers(len(pools.get(k, [0])))) for k in kinds}
    rows = rng.permutation(n)[: int(np.ceil(edges * n))]
    mask = rng.random((len(rows), size)) < 0.5
    mask[np.arange(len(rows)), rng.integers(size, size=len(rows))] = True  # at least one edge per edge instance
    at, col = np.nonzero(mask)  # row-major: the order in which the slots take their kinds
    slot = np.arange(len(at))
    for k, kind in enumerate(kinds):  # one pass per kind over all its slots (vectorised: this is the hot path)
        mine = slot % len(kinds) == k
        if kind != "tie":
            pool = np.asarray(pools[kind])
            flat[rows[at[mine]], col[mine]] = _edges(rng, kind, pool[(turn[kind] + 1 + slot[mine] // len(kinds)) % len(pool)], dom)
    if "tie" in kinds:  # after the other edges, so that a tie may copy one of them
        ties = slot % len(kinds) == kinds.index("tie")
        for r, c in zip(rows[at[ties]], col[ties]):
            flat[r, c] = _tie(rng, flat, r, c)
    return flat.reshape(values.shape)


def int_matrices(rng: np.random.Generator, n: int, rows: int, cols: int, low: int = -2, high: int = 2, deficient: float = EDGE_SHARE) -> np.ndarray:
    """A batch of n small integer matrices (as floats) with entries in [low, high].

    A fixed share ``deficient`` of them is rank-deficient (rank < min(rows, cols)): a zero or
    repeated row, or column when the matrix is tall, so singular cases are always exercised.
    """
    out = rng.integers(low, high + 1, size=(n, rows, cols)).astype(float)
    for k in rng.permutation(n)[: int(np.ceil(deficient * n))]:
        m = out[k] if rows <= cols else out[k].T  # act on the shorter side: that is where rank is lost
        i = rng.integers(m.shape[0])
        others = [j for j in range(m.shape[0]) if j != i]
        m[i] = m[rng.choice(others)] if others and rng.random() < 0.5 else 0.0
    return out


def edge_floats(min_value: float = -INF, max_value: float = INF) -> st.SearchStrategy[float]:
    """Hypothesis floats in [min_value, max_value] that come with the same edges as ``reals``, shrinking towards them."""
    dom = _Domain(min_value, max_value, False, False)
    fixed = sorted({float(v) for kind in EDGE_KINDS[:-1] for v in _edge_candidates(kind, dom) if dom.has([v])}, key=abs)
    return st.sampled_from(fixed) | st.floats(min_value, max_value, allow_nan=False, allow_infinity=False)


class _Domain:
    """The real interval [low, high] with optionally open ends, and the largest magnitude drawn in it."""

    def __init__(self, low: float, high: float, open_low: bool, open_high: bool) -> None:
        if not low < high:
            raise ValueError(f"empty domain: low {low} is not below high {high}")
        self.low, self.high, self.open_low, self.open_high = float(low), float(high), open_low, open_high
        # a finite interval reaches its larger endpoint's magnitude; a half-line reaches every magnitude
        self.top = max(abs(self.low), abs(self.high)) if np.isfinite([low, high]).all() else HUGE

    def contains(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        above = x > self.low if self.open_low else x >= self.low
        below = x < self.high if self.open_high else x <= self.high
        return above & below & np.isfinite(x)

    def has(self, xs: Any) -> bool:
        return bool(np.any(self.contains(np.asarray(list(xs), dtype=float))))

    def inner(self) -> float:
        """A point inside the domain, for values a formula pushed onto an open end."""
        if np.isfinite(self.low) and np.isfinite(self.high):
            return self.low / 2 + self.high / 2
        if np.isfinite(self.low):
            return self.low + max(1.0, abs(self.low))
        return self.high - max(1.0, abs(self.high)) if np.isfinite(self.high) else 0.0


def _typical(rng: np.random.Generator, size: tuple[int, ...], dom: _Domain, scale: float) -> np.ndarray:
    """Normal and log-uniform magnitudes with random signs, moved into the domain."""
    magnitude = np.where(rng.random(size) < 0.5, np.abs(rng.normal(size=size)), 10.0 ** rng.uniform(-3, 3, size)) * scale
    t = rng.choice([-1.0, 1.0], size) * magnitude
    if np.isfinite(dom.low) and np.isfinite(dom.high):  # a finite interval: what falls outside is redrawn uniformly
        t = np.where(dom.contains(t), t, rng.uniform(dom.low, dom.high, size))
    elif np.isfinite(dom.low):
        t = dom.low + np.abs(t)
    elif np.isfinite(dom.high):
        t = dom.high - np.abs(t)
    return np.where(dom.contains(t), t, dom.inner())


def _edge_candidates(kind: str, dom: _Domain) -> list[float]:
    """The fixed values of one edge kind, both signs (only those in the domain are used)."""
    signed = lambda m: [m, -m]  # noqa: E731
    return {
        "zero": [0.0, -0.0],
        "subnormal": signed(SUBNORMAL) + signed(2.0**-1050),
        "tiny": signed(TINY) + signed(2.0**-1000),
        "huge": signed(dom.top) + signed(np.nextafter(dom.top, 0)),
        "endpoint": [x for end, inward in ((dom.low, INF), (dom.high, -INF)) if np.isfinite(end) for x in (end, np.nextafter(end, inward))],
        "integer": [float(k) for k in range(-3, 4)] + [0.5, -0.5],
    }[kind]


def _edges(rng: np.random.Generator, kind: str, values: np.ndarray, dom: _Domain) -> np.ndarray:
    """Edge values of one kind; huge and tiny ones at a random nearby magnitude half the time (if in the domain)."""
    if kind not in ("huge", "tiny"):
        return values
    exponent = np.log10(np.abs(values))
    low, high = (exponent - 10, exponent) if kind == "huge" else (exponent, exponent + 10)
    drawn = np.copysign(10.0 ** rng.uniform(low, high), values)
    return np.where((rng.random(len(values)) < 0.5) & dom.contains(drawn), drawn, values)


def _tie(rng: np.random.Generator, flat: np.ndarray, row: int, col: int) -> float:
    """A copy of another entry of the same instance: equal entries, the ties a strict claim may trip on."""
    others = [c for c in range(flat.shape[1]) if c != col]
    return float(flat[row, rng.choice(others)])
