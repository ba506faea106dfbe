"""Relations a check returns, and how each is decided: screened in float64, settled in mpmath.

float64 only *screens*: an instance it cannot clearly pass goes to the mpmath twin, which decides.
The screen is a relative band of 2**-30 (about 1e-9) around the float64 values: any genuine
formula error the worksheets can make is far larger, and anything inside the band is re-decided
by the spot checks at high precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np

SCREEN_REL = 2.0**-30
FLOAT_DIGITS = 15.95  # -log10(2**-53): all a float64 can agree on


@dataclass
class Relation:
    """lhs <op> rhs, where op is one of '==', '!=', '<', '<=', 'true'.

    ``show`` holds named values a reader needs to see in a counterexample (e.g. the factors rho).
    """

    op: str
    lhs: Any
    rhs: Any = None
    show: dict[str, Any] | None = None


def equal(lhs: Any, rhs: Any, show: dict[str, Any] | None = None) -> Relation:
    """Every entry of lhs equals the matching entry of rhs (broadcasting allowed)."""
    return Relation("==", lhs, rhs, show)


def differ(lhs: Any, rhs: Any, show: dict[str, Any] | None = None) -> Relation:
    """Some entry of lhs differs from the matching entry of rhs."""
    return Relation("!=", lhs, rhs, show)


def less(lhs: Any, rhs: Any, show: dict[str, Any] | None = None) -> Relation:
    """Every entry of lhs is strictly below rhs."""
    return Relation("<", lhs, rhs, show)


def at_most(lhs: Any, rhs: Any, show: dict[str, Any] | None = None) -> Relation:
    """Every entry of lhs is at most rhs."""
    return Relation("<=", lhs, rhs, show)


def is_true(condition: Any, show: dict[str, Any] | None = None) -> Relation:
    """Every entry of a boolean condition is true: exact logic (counts, shapes) or a ``Cmp``.

    Build conditions on computed reals with ``lt``/``le``/``gt``/``ge`` so that instances near a
    boundary (a tie, 2/a rounded) are sent to the mpmath twin instead of trusted to float64.
    """
    return Relation("true", condition, None, show)


class Cmp:
    """A comparison of reals that remembers how close it came to flipping (its relative margin).

    Combine with ``&``, ``|``, ``~`` and ``.iff(other)``; the margin of a combination is the
    smallest margin involved, so float64 trusts it only when no comparison was a close call.
    """

    def __init__(self, value: Any, margin: Any) -> None:
        self.value = value
        self.margin = margin

    def __and__(self, other: Cmp) -> Cmp:
        return Cmp(_band(self.value, other.value, "and"), _least(self.margin, other.margin))

    def __or__(self, other: Cmp) -> Cmp:
        return Cmp(_band(self.value, other.value, "or"), _least(self.margin, other.margin))

    def __invert__(self) -> Cmp:
        return Cmp(_bnot(self.value), self.margin)

    def iff(self, other: Cmp) -> Cmp:
        """Both true or both false."""
        return Cmp(_bnot(_band(self.value, other.value, "xor")), _least(self.margin, other.margin))

    def implies(self, other: Cmp) -> Cmp:
        return (~self) | other


def _band(a: Any, b: Any, op: str) -> Any:
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    return {"and": a & b, "or": a | b, "xor": a ^ b}[op]


def _bnot(a: Any) -> Any:
    return ~np.asarray(a, dtype=bool)


def _least(a: Any, b: Any) -> Any:
    return np.minimum(np.asarray(a, dtype=object if _is_mp(a, b) else float), np.asarray(b, dtype=object if _is_mp(a, b) else float))


def _is_mp(*xs: Any) -> bool:
    return any(np.asarray(x).dtype == object for x in xs)


def _compare(x: Any, y: Any, op: str) -> Cmp:
    x, y = np.asarray(x), np.asarray(y)
    mp = _is_mp(x, y)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        value = {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
        if mp:
            margin = np.zeros(np.broadcast(x, y).shape, dtype=object) + 1  # mpmath decides exactly
        else:
            scale = np.maximum(np.abs(x), np.abs(y))
            margin = np.where(scale > 0, np.abs(x - y) / np.where(scale > 0, scale, 1), 0.0)
            margin = np.where(np.isfinite(margin), margin, 0.0)
    return Cmp(np.asarray(value, dtype=bool), margin)


def exact(condition: Any) -> Cmp:
    """A condition computed exactly (integers, rationals): float64 may trust it at any margin."""
    value = np.asarray(condition, dtype=bool)
    return Cmp(value, np.full(value.shape, np.inf))


def lt(x: Any, y: Any) -> Cmp:
    """x < y."""
    return _compare(x, y, "<")


def le(x: Any, y: Any) -> Cmp:
    """x <= y."""
    return _compare(x, y, "<=")


def gt(x: Any, y: Any) -> Cmp:
    """x > y."""
    return _compare(x, y, ">")


def ge(x: Any, y: Any) -> Cmp:
    """x >= y."""
    return _compare(x, y, ">=")


def equal_array(lhs: Any, rhs: Any, ops: Any, names: tuple[str, str] = ("stated", "true")) -> Relation:
    """lhs == rhs as arrays: the same shape first (a row is not a column, no broadcasting), then every entry.

    A shape mismatch is a refutation that shows both shapes. In float64 the leading batch axis,
    which every value computed from the instances carries, is not part of the shape compared.
    """
    shapes = [np.shape(x)[1:] if ops.name == "float64" else np.shape(x) for x in (lhs, rhs)]
    if shapes[0] != shapes[1]:
        return is_true(exact(False), show={f"{names[0]} shape": list(shapes[0]), f"{names[1]} shape": list(shapes[1])})
    return equal(lhs, rhs)


def all_equal(x: Any, axis: int = -1) -> Relation:
    """All entries of x along one axis are equal to each other (a symmetry)."""
    arr = np.asarray(x)
    first = np.take(arr, [0], axis=axis)
    return Relation("==", arr, first)


# ---------------------------------------------------------------- float64 screen (batched)


def _rows(x: Any, n: int) -> np.ndarray:
    """Broadcast to (n, k): one row per instance of the batch."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0 or arr.shape[0] != n:
        arr = np.broadcast_to(arr, (n, *arr.shape))
    return arr.reshape(n, -1)


def _margin(lhs: np.ndarray, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Worst |lhs - rhs| per row, and the row's scale max(|lhs|, |rhs|)."""
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.max(np.abs(lhs - rhs), axis=1, initial=0.0)
        scale = np.maximum(np.max(np.abs(lhs), axis=1, initial=0.0), np.max(np.abs(rhs), axis=1, initial=0.0))
    return diff, scale


def screen(rel: Relation, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per instance: (clearly holds in float64, badness for ordering the twin's work)."""
    if rel.op == "true":
        cond = rel.lhs
        value = cond.value if isinstance(cond, Cmp) else cond
        ok = np.all(_rows(np.asarray(value, dtype=bool), n).astype(bool), axis=1)
        if isinstance(cond, Cmp):  # a close call in float64 goes to the twin
            ok &= np.min(_rows(np.asarray(cond.margin, float), n), axis=1) > SCREEN_REL
        return ok, (~ok).astype(float)
    lhs, rhs = np.broadcast_arrays(np.asarray(rel.lhs, float), np.asarray(rel.rhs, float))
    lhs, rhs = _rows(lhs, n), _rows(rhs, n)
    band = SCREEN_REL * _margin(lhs, rhs)[1]
    with np.errstate(invalid="ignore", over="ignore"):
        if rel.op in ("==", "!="):
            diff, _ = _margin(lhs, rhs)
            same = diff <= band
            ok = same if rel.op == "==" else diff > band
            bad = diff / np.where(band > 0, band, 1.0)
        else:
            gap = rhs - lhs  # must be > 0 for '<', >= 0 for '<='
            worst = np.min(gap, axis=1, initial=np.inf)
            ok = worst > band
            bad = -worst
    finite = np.all(np.isfinite(lhs), axis=1) & np.all(np.isfinite(rhs), axis=1)
    bad = np.where(np.isfinite(bad), bad, np.inf)
    return ok & finite, bad


# ---------------------------------------------------------------- mpmath decision (one instance)


def _flat(x: Any) -> list[Any]:
    """Entries of a scalar or array as mpf (exact for floats, ints and bools)."""
    return [_num(v) for v in np.asarray(x, dtype=object).reshape(-1)]


def _num(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    return v if isinstance(v, mpmath.mpf) else mpmath.mpf(v)


def _pairs(rel: Relation) -> tuple[list[Any], list[Any]]:
    lhs, rhs = np.broadcast_arrays(np.asarray(rel.lhs, dtype=object), np.asarray(rel.rhs, dtype=object))
    return _flat(lhs), _flat(rhs)


def decide(rel: Relation, dps: int) -> tuple[bool | None, float]:
    """Decide one instance at the current mpmath precision ``dps``.

    Returns (holds, relative margin). ``holds`` is None when the precision cannot tell: a
    difference neither below 10^-(2 dps/3) (equal) nor above 10^-(dps/3) (different).
    """
    if rel.op == "true":
        cond = rel.lhs.value if isinstance(rel.lhs, Cmp) else rel.lhs
        return bool(np.all(np.asarray(cond, dtype=bool))), 0.0
    lhs, rhs = _pairs(rel)
    if not lhs:  # nothing to compare (e.g. no off-diagonal entries): vacuously true
        return rel.op != "!=", 0.0
    scale = max([abs(v) for v in lhs + rhs] + [mpmath.mpf(0)])
    tiny, big = mpmath.mpf(10) ** (-(2 * dps) // 3), mpmath.mpf(10) ** (-dps // 3)
    unit = scale if scale > 0 else mpmath.mpf(1)
    if rel.op in ("==", "!="):
        diff = max(abs(a - b) for a, b in zip(lhs, rhs, strict=True)) / unit
        same = True if diff <= tiny else False if diff > big else None
        if same is None:
            return None, float(diff)
        return (same if rel.op == "==" else not same), float(diff)
    gaps = [(b - a) / unit for a, b in zip(lhs, rhs, strict=True)]
    worst = min(gaps) if gaps else mpmath.mpf(1)
    tie = abs(worst) <= tiny
    if not tie and abs(worst) <= big:
        return None, float(worst)
    holds = (not tie and worst > 0) if rel.op == "<" else (tie or worst > 0)
    return holds, float(worst)


def sides(rel: Relation) -> dict[str, Any]:
    """Both sides of a relation as plain JSON numbers, for a counterexample."""
    shown = {k: to_json(np.asarray(v) if not isinstance(v, (int, float, str)) else v) for k, v in (rel.show or {}).items()}
    if rel.op == "true":
        cond = rel.lhs.value if isinstance(rel.lhs, Cmp) else rel.lhs
        return {"condition": to_json(np.asarray(cond)), **shown}
    return {"lhs": to_json(rel.lhs), "rhs": to_json(rel.rhs), **shown}


def digits_agreed(f64: Relation, mp: Relation, row: int, n: int) -> float | None:
    """Significant digits on which float64 (instance ``row`` of a batch) and mpmath agree."""
    if mp.op == "true":
        return None
    worst = FLOAT_DIGITS
    for fside, mside in ((f64.lhs, mp.lhs), (f64.rhs, mp.rhs)):
        fvals = _rows(fside, n)[row]
        mvals = _flat(mside)
        if len(fvals) != len(mvals):
            mvals = _flat(np.broadcast_to(np.asarray(mside, dtype=object), np.shape(fvals)))
        for fv, mv in zip(fvals, mvals, strict=True):
            worst = min(worst, _digits(float(fv), mv))
    return worst


def _digits(fv: float, mv: Any) -> float:
    if not np.isfinite(fv):
        return 0.0
    err = abs(mpmath.mpf(fv) - mv)
    if err == 0:
        return FLOAT_DIGITS
    ref = abs(mv)
    if ref == 0:
        return 0.0
    return float(min(FLOAT_DIGITS, max(0.0, -mpmath.log10(err / ref))))


def to_json(x: Any) -> Any:
    """Plain JSON numbers or lists (mpf printed to 17 significant digits as floats)."""
    if isinstance(x, np.ndarray):
        return [to_json(v) for v in x] if x.ndim else to_json(x.item())
    if isinstance(x, (list, tuple)):
        return [to_json(v) for v in x]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, mpmath.mpf):
        fits = x == 0 or (mpmath.isfinite(x) and 1e-300 < abs(x) < 1e300)
        return float(x) if fits else mpmath.nstr(x, 17)
    if isinstance(x, (float, np.floating)):
        return float(x) if np.isfinite(x) else str(x)
    if isinstance(x, Fraction):
        return float(x) if x.denominator == 1 or Fraction(float(x)) == x else str(x)
    return x
