"""The edge-rich generators of ``claims.strategies`` (issue 6, "Edge-rich generation by default").

Every batch carries each edge kind the domain admits, in a fixed share of its instances; no value
leaves the domain; a seed fixes the batch bit for bit (signed zeros included).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import find, given, settings

from claims.strategies import EDGE_SHARE, HUGE, SUBNORMAL, TINY, edge_floats, int_matrices, reals

SMALLEST_NORMAL = 2.2250738585072014e-308


def kinds_in(x: np.ndarray) -> set[str]:
    """The edge kinds present among the entries of x (ties need a second axis)."""
    v = np.asarray(x, dtype=float).reshape(len(x), -1)
    a = np.abs(v)
    found = set()
    found |= {"+0"} if np.any((v == 0) & ~np.signbit(v)) else set()
    found |= {"-0"} if np.any((v == 0) & np.signbit(v)) else set()
    found |= {"subnormal"} if np.any((a > 0) & (a < SMALLEST_NORMAL)) else set()
    found |= {"tiny"} if np.any((a >= SMALLEST_NORMAL) & (a <= 1e-290)) else set()
    found |= {"huge"} if np.any(a >= 1e290) else set()
    halves = 2 * np.where(a <= 3, v, 0.25)  # small values only: doubling a huge one would overflow
    found |= {"small"} if np.any((v != 0) & (halves == np.round(halves))) else set()
    if v.shape[1] > 1 and any(len(set(row.tolist())) < v.shape[1] for row in v):
        found.add("tie")
    return found


def edge_rows(x: np.ndarray) -> int:
    """Instances holding at least one edge value (or two equal entries)."""
    v = np.asarray(x, dtype=float).reshape(len(x), -1)
    return sum(bool(kinds_in(row[None])) for row in v)


@pytest.mark.parametrize("seed", range(5))
def test_every_edge_kind_appears_in_one_batch(seed: int) -> None:
    rng = np.random.default_rng(seed)
    assert kinds_in(reals(rng, 64)) >= {"+0", "-0", "subnormal", "tiny", "huge", "small"}
    assert kinds_in(reals(rng, 64, 3)) >= {"+0", "-0", "subnormal", "tiny", "huge", "small", "tie"}


def test_the_fixed_extremes_are_drawn() -> None:
    values = set(np.abs(np.concatenate([reals(np.random.default_rng(s), 64) for s in range(10)])).tolist())
    assert {SUBNORMAL, TINY, HUGE} <= values


@pytest.mark.parametrize("n", [1, 4, 16, 64])
def test_edges_make_a_fixed_share_of_every_batch(n: int) -> None:
    for seed in range(20):
        assert edge_rows(reals(np.random.default_rng(seed), n, 2)) >= math.ceil(EDGE_SHARE * n)


DOMAINS = [
    dict(low=-700.0, high=700.0),
    dict(low=0.0, open_low=True),
    dict(low=0.0),
    dict(low=0.0, high=1.0, open_high=True),
    dict(high=-2.0),
    dict(low=0.25, high=0.75),
]


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: repr(d))
def test_domain_bounds_are_respected(domain: dict) -> None:
    low, high = domain.get("low", -math.inf), domain.get("high", math.inf)
    x = np.concatenate([reals(np.random.default_rng(s), 64, 2, **domain).ravel() for s in range(20)])
    assert np.all(np.isfinite(x)) and np.all(np.abs(x) <= HUGE)
    assert np.all(x > low) if domain.get("open_low") else np.all(x >= low)
    assert np.all(x < high) if domain.get("open_high") else np.all(x <= high)
    for end, inward, is_open in ((low, math.inf, domain.get("open_low")), (high, -math.inf, domain.get("open_high"))):
        if math.isfinite(end):  # a closed end is drawn exactly; its nearest float inside too
            assert (end in x) != bool(is_open)
            assert np.nextafter(end, inward) in x


def test_half_lines_reach_huge_and_tiny_magnitudes() -> None:
    x = np.concatenate([reals(np.random.default_rng(s), 64, low=0.0, open_low=True) for s in range(5)])
    assert {"subnormal", "tiny", "huge", "small"} <= kinds_in(x[:, None]) and "+0" not in kinds_in(x[:, None])


@pytest.mark.parametrize("shape", [(), (3,), (2, 2)])
def test_deterministic_for_a_seed(shape: tuple[int, ...]) -> None:
    a, b = (reals(np.random.default_rng(7), 32, *shape) for _ in range(2))
    assert a.shape == (32, *shape)
    assert np.array_equal(a, b) and np.array_equal(np.signbit(a), np.signbit(b))
    c, d = (int_matrices(np.random.default_rng(7), 32, 3, 2) for _ in range(2))
    assert np.array_equal(c, d)
    assert not np.array_equal(a, reals(np.random.default_rng(8), 32, *shape))


@pytest.mark.parametrize("rows, cols", [(1, 1), (1, 3), (2, 2), (2, 3), (3, 2), (4, 4)])
def test_int_matrices_are_small_integers_with_a_share_rank_deficient(rows: int, cols: int) -> None:
    for seed in range(10):
        m = int_matrices(np.random.default_rng(seed), 64, rows, cols, low=-2, high=2)
        assert m.shape == (64, rows, cols) and m.dtype == float
        assert np.all(m == np.round(m)) and np.all((m >= -2) & (m <= 2))
        deficient = sum(np.linalg.matrix_rank(a) < min(rows, cols) for a in m)
        assert deficient >= math.ceil(EDGE_SHARE * 64)


@settings(max_examples=300, database=None)
@given(edge_floats(-700.0, 700.0))
def test_edge_floats_stay_in_bounds(x: float) -> None:
    assert -700.0 <= x <= 700.0 and math.isfinite(x)


@pytest.mark.parametrize(
    "bounds, wanted",
    [
        ((-math.inf, math.inf), lambda x: x == 0 and math.copysign(1, x) < 0),
        ((-math.inf, math.inf), lambda x: 0 < abs(x) < SMALLEST_NORMAL),
        ((-math.inf, math.inf), lambda x: abs(x) >= HUGE),
        ((0.0, 5.0), lambda x: x == 5.0),
    ],
)
def test_edge_floats_reach_every_edge(bounds: tuple[float, float], wanted) -> None:
    assert wanted(find(edge_floats(*bounds), wanted, settings=settings(max_examples=2000, database=None)))
