"""Relations a check returns, and how each is decided: screened in float64, settled in intervals.

float64 only *screens*: an entry is cleared when its gap (the difference of an equation, the slack
of an inequality) is far outside its own rounding scale, estimated per entry by re-evaluating the
batch with every input nudged by a few ulps. Everything else is decided by the interval twin
(``models.ops.IV``): a refutation counts only when an enclosure excludes the claimed relation,
which no rounding can explain.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import mpmath
import numpy as np

from claims.engine.profiles import CAP_BITS
from models.ops import ball, compare3, ends

SCREEN_K = 16.0  # an entry is cleared when its gap is over 16 times its rounding scale
EPS = 2.0**-52  # float64's relative spacing: the least rounding an entry can carry
# A side that moves by more than this (relative) when the inputs move by a few ulps has jumped
# (a branch, a threshold, a cancellation): float64 cannot judge it and the twin decides.
JUMP = 2.0**-26
AGREE_BITS = 100  # two sides agree when their difference encloses 0 within 2^-100 of their size
ZERO_BITS = 400  # two sides that both enclose 0 agree once they do so at this precision
FLOAT_DIGITS = 15.95  # -log10(2**-53): all a float64 can agree on
_ARB = type(ball(0))


@dataclass
class Relation:
    """lhs <op> rhs, where op is one of '==', '!=', '<', '<=', 'true'.

    ``show`` holds named values a reader needs to see in a counterexample (e.g. the factors rho);
    ``names`` names the two sides there (e.g. ("worksheet formula", "true gradient")).
    """

    op: str
    lhs: Any
    rhs: Any = None
    show: dict[str, Any] | None = None
    names: tuple[str, str] = ("lhs", "rhs")


def equal(lhs: Any, rhs: Any, show: dict[str, Any] | None = None, names: tuple[str, str] = ("lhs", "rhs")) -> Relation:
    """Every entry of lhs equals the matching entry of rhs (broadcasting allowed)."""
    return Relation("==", lhs, rhs, show, names)


def differ(lhs: Any, rhs: Any, show: dict[str, Any] | None = None, names: tuple[str, str] = ("lhs", "rhs")) -> Relation:
    """Some entry of lhs differs from the matching entry of rhs."""
    return Relation("!=", lhs, rhs, show, names)


def less(lhs: Any, rhs: Any, show: dict[str, Any] | None = None, names: tuple[str, str] = ("lhs", "rhs")) -> Relation:
    """Every entry of lhs is strictly below rhs."""
    return Relation("<", lhs, rhs, show, names)


def at_most(lhs: Any, rhs: Any, show: dict[str, Any] | None = None, names: tuple[str, str] = ("lhs", "rhs")) -> Relation:
    """Every entry of lhs is at most rhs."""
    return Relation("<=", lhs, rhs, show, names)


def is_true(condition: Any, show: dict[str, Any] | None = None) -> Relation:
    """Every entry of a boolean condition is true: exact logic (counts, shapes) or a ``Cmp``.

    Build conditions on computed reals with ``lt``/``le``/``gt``/``ge`` so that instances near a
    boundary (a tie, 2/a rounded) are sent to the twin instead of trusted to float64.
    """
    return Relation("true", condition, None, show)


class Cmp:
    """A condition on reals in three-valued logic (1 true, 0 false, 0.5 undecided by an enclosure).

    Combine with ``&``, ``|``, ``~``, ``.iff(other)`` and ``.implies(other)``. It keeps every
    comparison it was built from (``leaves``), so the float64 screen can judge each against its
    own rounding scale: a combination is trusted only when none of its comparisons was close.
    """

    def __init__(self, truth: Any, leaves: tuple[tuple[Any, Any], ...] = ()) -> None:
        self.truth = np.asarray(truth, dtype=float)
        self.leaves = leaves

    @property
    def value(self) -> np.ndarray:
        """True where the condition certainly holds."""
        return self.truth >= 1

    def __and__(self, other: Any) -> Cmp:
        other = _as_cmp(other)
        return Cmp(np.minimum(self.truth, other.truth), self.leaves + other.leaves)

    def __or__(self, other: Any) -> Cmp:
        other = _as_cmp(other)
        return Cmp(np.maximum(self.truth, other.truth), self.leaves + other.leaves)

    def __invert__(self) -> Cmp:
        return Cmp(1 - self.truth, self.leaves)

    def iff(self, other: Any) -> Cmp:
        """Both true or both false."""
        return (self & other) | (~self & ~_as_cmp(other))

    def implies(self, other: Any) -> Cmp:
        return (~self) | other

    def __getitem__(self, index: Any) -> Cmp:
        """Entries of the condition, e.g. ``cond[..., 0]`` (the comparisons it came from follow)."""
        shape = self.truth.shape
        leaves = tuple((np.broadcast_to(np.asarray(x, dtype=_dtype(x, y)), shape)[index],
                        np.broadcast_to(np.asarray(y, dtype=_dtype(x, y)), shape)[index]) for x, y in self.leaves)
        return Cmp(self.truth[index], leaves)

    def all(self, axis: Any = -1) -> Cmp:
        """True where every entry along ``axis`` is (for all i)."""
        return Cmp(np.min(self.truth, axis=axis), self.leaves)

    def any(self, axis: Any = -1) -> Cmp:
        """True where some entry along ``axis`` is (there is an i)."""
        return Cmp(np.max(self.truth, axis=axis), self.leaves)


def _dtype(*xs: Any) -> Any:
    return object if _is_object(*xs) else float


def _as_cmp(value: Any) -> Cmp:
    return value if isinstance(value, Cmp) else exact(value)


def exact(condition: Any) -> Cmp:
    """A condition computed exactly (integers, rationals, shapes): no rounding to judge."""
    return Cmp(np.asarray(condition, dtype=bool).astype(float))


def _is_object(*xs: Any) -> bool:
    return any(np.asarray(x).dtype == object for x in xs)


_TRUTH = {True: 1.0, False: 0.0, None: 0.5}
_CMP3 = {op: np.frompyfunc(lambda a, b, op=op: _TRUTH[compare3(a, b, op)], 2, 1) for op in ("<", "<=", ">", ">=")}


def _compare(x: Any, y: Any, op: str) -> Cmp:
    if _is_object(x, y):  # the twin: intervals answer None where they overlap
        truth = np.asarray(_CMP3[op](np.asarray(x, dtype=object), np.asarray(y, dtype=object)), dtype=float)
        return Cmp(truth, ((x, y),))
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    with np.errstate(invalid="ignore"):
        value = {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
    return Cmp(value.astype(float), ((x, y),))


def eq(x: Any, y: Any) -> Cmp:
    """x == y as a condition. float64 trusts only a clear difference; equality is for the twin to
    judge, as an equation is (agreement to 2^-100 of the sides, or both vanishing)."""
    if _is_object(x, y):
        x, y = np.broadcast_arrays(np.asarray(x, dtype=object), np.asarray(y, dtype=object))
        truth = np.frompyfunc(lambda a, b: _TRUTH[_equal_entry(_interval(a), _interval(b), flint.ctx.prec)[0]], 2, 1)(x, y)
        return Cmp(np.asarray(truth, dtype=float), ((x, y), (y, x)))
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    # Two leaves, x < y and y < x: the screen trusts the condition only when one of them is clear.
    return Cmp((x == y).astype(float), ((x, y), (y, x)))


def ne(x: Any, y: Any) -> Cmp:
    """x != y as a condition (see eq)."""
    return ~eq(x, y)


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
    shapes = [np.shape(x)[1:] if ops.batched else np.shape(x) for x in (lhs, rhs)]
    if shapes[0] != shapes[1]:
        return is_true(exact(False), show={f"{names[0]} shape": list(shapes[0]), f"{names[1]} shape": list(shapes[1])})
    return equal(lhs, rhs, names=names)


def all_equal(x: Any, axis: int = -1) -> Relation:
    """All entries of x along one axis are equal to each other (a symmetry)."""
    arr = np.asarray(x)
    first = np.take(arr, [0], axis=axis)
    return Relation("==", arr, first)


# ---------------------------------------------------------------- float64 screen (batched)

HOLDS, UNCLEAR, FAILS = 1, 0, -1


def _rows(x: Any, n: int) -> np.ndarray:
    """Broadcast to (n, k): one row per instance of the batch."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0 or arr.shape[0] != n:
        arr = np.broadcast_to(arr, (n, *arr.shape))
    return arr.reshape(n, -1)


def _pair_rows(a: Any, b: Any, n: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    return _rows(a, n), _rows(b, n)


@dataclass
class Rerun:
    """The same relation computed again: from inputs nudged by a few ulps with every sum in reverse
    order (models.ops.Reordered), or in float32.

    ``factor`` scales its deviation to a float64 rounding scale (1 for a nudge; 2^-29, the ratio
    of the two precisions, for float32). A nudge that moves a side by more than JUMP has crossed
    a branch or a cancellation: float64 cannot judge that entry. A float32 run that moves a side
    by more than 2^-8 of its size says nothing reliable and is ignored there.
    """

    rel: Relation
    factor: float = 1.0


F32_FACTOR = 2.0**-29
F32_TRUST = 2.0**-8


def _gaps(a: np.ndarray, b: np.ndarray, reruns: list[tuple[np.ndarray, np.ndarray, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Per entry: gap b - a, and +1 where |gap| is beyond SCREEN_K rounding scales, -1 within, 0 unjudged.

    The rounding scale of an entry is the largest deviation its gap shows in the reruns (scaled
    to float64), and at least EPS times the size of its two sides: its own scale, not its row's.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        size = np.abs(a) + np.abs(b)
        gap = b - a
        scale = EPS * size
        judged = np.isfinite(a) & np.isfinite(b)
        for a2, b2, factor in reruns:
            moved = np.maximum(np.abs(a - a2), np.abs(b - b2))
            deviation = np.abs(gap - (b2 - a2)) * factor
            usable = np.isfinite(deviation)
            if factor == 1.0:  # a nudge: a jump means float64 cannot judge the entry
                judged &= usable & ~(moved > JUMP * size)
            else:  # float32: only where it stayed close enough to be a rounding estimate
                usable &= ~(moved > F32_TRUST * size)
            scale = np.where(usable, np.maximum(scale, deviation), scale)
        beyond = judged & (np.abs(gap) > SCREEN_K * scale)
        within = judged & (np.abs(gap) <= SCREEN_K * scale)
    return gap, np.where(beyond, 1, np.where(within, -1, 0))


def _status(holds: np.ndarray, fails: np.ndarray) -> np.ndarray:
    return np.where(fails, FAILS, np.where(holds, HOLDS, UNCLEAR))


def _rerun_rows(reruns: list[Rerun], pick: Any, shape: tuple[int, ...], n: int) -> list[tuple[np.ndarray, np.ndarray, float]] | None:
    out = []
    for rerun in reruns:
        sides = pick(rerun.rel)
        if sides is None:
            return None
        a2, b2 = _pair_rows(*sides, n)
        if a2.shape != shape:
            return None
        out.append((a2, b2, rerun.factor))
    return out


def screen(rel: Relation, reruns: list[Rerun], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per instance: HOLDS, FAILS or UNCLEAR in float64, and a badness that orders the twin's work.

    ``reruns`` are the same relation recomputed (see Rerun); where float64 is not clear (a gap
    inside its rounding scale, a jump, an overflow), the instance is UNCLEAR.
    """
    if rel.op == "true":
        return _screen_condition(rel.lhs, reruns, n)
    a, b = _pair_rows(rel.lhs, rel.rhs, n)
    rows = _rerun_rows(reruns, lambda r: (r.lhs, r.rhs) if r.op == rel.op else None, a.shape, n)
    if rows is None:
        return np.full(n, UNCLEAR), np.ones(n)
    gap, judged = _gaps(a, b, rows)
    if rel.op == "==":
        status = _status(np.all(judged == -1, axis=1), np.any(judged == 1, axis=1))
    elif rel.op == "!=":
        status = np.where(np.any(judged == 1, axis=1), HOLDS, UNCLEAR)
    else:
        status = _status(np.all((judged == 1) & (gap > 0), axis=1), np.any((judged == 1) & (gap < 0), axis=1))
    return status, _badness(status, judged)


def _screen_condition(cond: Any, reruns: list[Rerun], n: int) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(cond, Cmp):  # exact logic: nothing to round
        value = np.all(_rows(np.asarray(cond, dtype=bool), n).astype(bool), axis=1)
        return np.where(value, HOLDS, FAILS), (~value).astype(float)
    judged_all = np.ones(n, bool)
    for k, (x, y) in enumerate(cond.leaves):
        a, b = _pair_rows(x, y, n)

        def leaf(r: Relation, k: int = k) -> Any:
            ok = r.op == "true" and isinstance(r.lhs, Cmp) and len(r.lhs.leaves) == len(cond.leaves)
            return r.lhs.leaves[k] if ok else None

        rows = _rerun_rows(reruns, leaf, a.shape, n)
        judged_all &= False if rows is None else np.all(_gaps(a, b, rows)[1] == 1, axis=1)
    truth = _rows(cond.truth, n)
    status = np.where(judged_all, _status(np.all(truth == 1, axis=1), np.any(truth == 0, axis=1)), UNCLEAR)
    return status, (status != HOLDS).astype(float) + (status == FAILS)


def _badness(status: np.ndarray, judged: np.ndarray) -> np.ndarray:
    """Clear failures first, then unclear instances, then the rest."""
    unclear = np.sum(judged == 0, axis=1) if judged.size else np.zeros(len(status))
    return np.where(status == FAILS, 2.0, 0.0) + np.where(status == UNCLEAR, 1.0 + unclear / (1.0 + unclear), 0.0)


# ---------------------------------------------------------------- the interval twin (one instance)


@dataclass
class Decision:
    """What the twin's enclosures say of one relation at one precision.

    ``holds`` is None when they cannot tell yet; ``bits`` is then the precision they ask for.
    ``certificate`` records the enclosure that decides; ``undefined`` names a value that is NaN.
    """

    holds: bool | None
    bits: int = 0
    certificate: dict[str, Any] | None = None
    undefined: str | None = None


def _interval(v: Any) -> Any:
    if isinstance(v, complex) or (hasattr(v, "imag") and not isinstance(v, (_ARB, float, int, np.generic, Fraction, mpmath.mpf))):
        raise TypeError("a relation compares a complex value; compare real parts")
    return ball(v)


def _entries(x: Any, shape: tuple[int, ...]) -> list[Any]:
    return [_interval(v) for v in np.broadcast_to(np.asarray(x, dtype=object), shape).reshape(-1)]


def _bounded(v: Any) -> bool:
    return bool(v.is_finite())


def _holds0(v: Any) -> bool:
    return bool(v.contains(0))


def _width(v: Any) -> Any:
    return 2 * v.rad()


def _mig(v: Any) -> Any:
    """The least |x| over the ball (0 if it holds 0)."""
    return v.abs_lower()


def enclosure(v: Any) -> list[str]:
    """A ball as [lower, upper], each printed to 12 significant digits."""
    return [end.str(12, radius=False) for end in ends(v)]


def _log2(ratio: Any) -> int:
    """ceil(log2(ratio)) of a positive ball, as an int (huge exponents saturate)."""
    value = (ratio.log() / ball(2).log()).upper()
    return int(min(float(value.mid()), 1e9)) + 1


def _inside_vanishing(lhs: Any, rhs: Any) -> bool:
    """One side encloses 0 and the other side entirely."""
    return bool((_holds0(lhs) and lhs.contains(rhs)) or (_holds0(rhs) and rhs.contains(lhs)))


def _equal_entry(lhs: Any, rhs: Any, bits: int) -> tuple[bool | None, int, Any]:
    """(equal?, bits asked for, lhs - rhs) for one entry: differ only when the enclosure excludes 0."""
    d = lhs - rhs
    if not _holds0(d):
        return False, 0, d
    if d.is_exact():
        return True, 0, d
    if not (_holds0(lhs) and _holds0(rhs)):
        width = _width(d)
        target = max(_mig(lhs), _mig(rhs)) * ball(2) ** -AGREE_BITS
        if width <= target:
            return True, 0, d
        ask = bits + _log2(width / target) + 16
        # A side that encloses 0 and the other, nonzero but too small for any precision up to the
        # cap to tell from 0, vanishes with it: 1/2 tanh(x/2) + 1/2 beside sigma(x) = e^-1e300 at
        # x = -1e300, where tanh(x/2) is -1 + 2e^-1e300. A side more bits would resolve asks for them.
        if ask <= CAP_BITS or not _inside_vanishing(lhs, rhs):
            return None, ask, d
    # both sides vanish: rounding noise
    return (True, 0, d) if bits >= ZERO_BITS else (None, ZERO_BITS, d)


def decide(rel: Relation, bits: int) -> Decision:
    """Decide one twin instance (values are intervals at ``bits`` bits of precision)."""
    if rel.op == "true":
        return _decide_condition(rel.lhs, bits)
    shape = np.broadcast_shapes(np.shape(rel.lhs), np.shape(rel.rhs))
    lhs, rhs = _entries(rel.lhs, shape), _entries(rel.rhs, shape)
    for k, v in enumerate(lhs + rhs):
        if not _bounded(v):
            side = "lhs" if k < len(lhs) else "rhs"
            return Decision(None, undefined=f"{side}[{_index(k % max(len(lhs), 1), shape)}] is undefined (NaN, or a division by 0)")
    if rel.op in ("==", "!="):
        return _decide_equal(rel.op, lhs, rhs, shape, bits)
    return _decide_order(rel.op, lhs, rhs, shape, bits)


def _index(k: int, shape: tuple[int, ...]) -> list[int]:
    return [int(i) for i in np.unravel_index(k, shape)] if shape else []


def _decide_equal(op: str, lhs: list[Any], rhs: list[Any], shape: tuple[int, ...], bits: int) -> Decision:
    results = [_equal_entry(a, b, bits) for a, b in zip(lhs, rhs)]
    differing = [k for k, r in enumerate(results) if r[0] is False]
    if op == "==":
        if differing:
            k = max(differing, key=lambda k: _mig(results[k][2]))
            cert = {"quantity": "lhs - rhs", "entry": _index(k, shape), "enclosure": enclosure(results[k][2]), "excludes": 0, "bits": bits}
            return Decision(False, certificate=cert)
    elif differing:
        return Decision(True)
    asks = [r[1] for r in results if r[0] is None]
    if asks:
        return Decision(None, bits=max(asks))
    if op == "==":
        return Decision(True)
    widest = max((r[2] for r in results), key=lambda d: float(_width(d).mid()), default=ball(0))
    cert = {"quantity": "lhs - rhs", "entry": "every", "enclosure": enclosure(widest), "excludes": None, "bits": bits,
            "note": "every entry's difference encloses 0 at this precision (equal as far as any precision can tell)"}
    return Decision(False, certificate=cert)


def _decide_order(op: str, lhs: list[Any], rhs: list[Any], shape: tuple[int, ...], bits: int) -> Decision:
    """'<' fails where rhs - lhs is certainly <= 0; '<=' where it is certainly < 0.

    Where the enclosure of the gap straddles 0, '<=' holds once the two sides agree as an
    equation would (a tie, to AGREE_BITS of their size or both vanishing); a strict '<' at a tie
    that no enclosure separates climbs to the cap and is an error, never a guess.
    """
    gaps = [b - a for a, b in zip(lhs, rhs)]
    failing = [k for k, g in enumerate(gaps) if (g <= 0 if op == "<" else g < 0)]
    if failing:
        k = min(failing, key=lambda k: ends(gaps[k])[1])
        cert = {"quantity": "rhs - lhs", "entry": _index(k, shape), "enclosure": enclosure(gaps[k]),
                "excludes": "positive values" if op == "<" else "non-negative values", "bits": bits}
        return Decision(False, certificate=cert)
    asks = []
    for k, g in enumerate(gaps):
        if g > 0 or (op == "<=" and g >= 0):
            continue
        tie, ask, _ = _equal_entry(lhs[k], rhs[k], bits)
        if op == "<" or tie is not True:
            asks.append(ask or 2 * bits)
    return Decision(None, bits=max(asks)) if asks else Decision(True)


def _decide_condition(cond: Any, bits: int) -> Decision:
    if not isinstance(cond, Cmp):
        value = np.asarray(cond, dtype=bool)
        if np.all(value):
            return Decision(True)
        k = int(np.argmin(value.reshape(-1)))
        return Decision(False, certificate={"quantity": "condition", "entry": _index(k, value.shape), "exact": True, "bits": bits})
    truth = cond.truth.reshape(-1)
    if np.all(truth == 1):
        return Decision(True)
    if np.any(truth == 0):
        k = int(np.argmin(truth))
        entry = _index(k, cond.truth.shape)
        leaves = []
        for x, y in cond.leaves:
            try:
                shape = np.broadcast_shapes(np.shape(x), np.shape(y), cond.truth.shape)
                reduced = len(shape) != len(entry)
            except ValueError:
                shape, reduced = np.broadcast_shapes(np.shape(x), np.shape(y)), True
            xs, ys = _entries(x, shape), _entries(y, shape)
            if reduced:  # a condition reduced by all/any: every comparison it was reduced from
                leaves.append([enclosure(b - a) for a, b in zip(xs, ys)])
                continue
            at = int(np.ravel_multi_index(entry, shape)) if shape else 0
            leaves.append(enclosure(ys[at] - xs[at]))
        return Decision(False, certificate={"quantity": "condition", "entry": entry, "comparisons (right - left)": leaves, "bits": bits})
    return Decision(None, bits=2 * bits)


# ---------------------------------------------------------------- the interval twin (many instances)


class NoRows(Exception):
    """A batched twin relation whose shape does not match its float64 template row for row."""


def _row_pairs(rel: Relation, template: Relation, n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Both sides of a batched twin relation as (k, m) object arrays, one row per instance.

    A side is per-instance where its float64 template (the same relation on the whole batch of n)
    carries the batch axis; otherwise it is one constant value, the same for every row.
    """
    shape = np.broadcast_shapes(np.shape(template.lhs), np.shape(template.rhs))
    a, b = np.broadcast_arrays(np.asarray(rel.lhs, dtype=object), np.asarray(rel.rhs, dtype=object))
    return _as_rows(a, shape, n, k), _as_rows(b, shape, n, k)


def _as_rows(x: np.ndarray, shape: tuple[int, ...], n: int, k: int) -> np.ndarray:
    if len(shape) and shape[0] == n:
        if x.shape != (k, *shape[1:]):
            raise NoRows(f"twin shape {x.shape} against float64 shape {shape}")
        return x.reshape(k, -1)
    if x.shape != shape:
        raise NoRows(f"twin shape {x.shape} against float64 shape {shape}")
    return np.broadcast_to(x.reshape(1, -1), (k, x.size))


def _entry_codes(fn: Any, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """fn(ball x, ball y) for every entry; 2 where either ball is not finite (undefined: the row stays open)."""
    def code(x: Any, y: Any) -> int:
        x, y = ball(x), ball(y)
        return fn(x, y) if x.is_finite() and y.is_finite() else 2

    return np.asarray(np.frompyfunc(code, 2, 1)(a, b), dtype=int) if a.size else np.zeros(a.shape, int)


def decide_rows(rel: Relation, template: Relation, n: int, k: int, bits: int) -> np.ndarray:
    """Per row of a batched twin relation: HOLDS or FAILS where its enclosures decide as ``decide``
    would for that one instance at ``bits``, else UNCLEAR (a NaN, a straddle, a precision ask)."""
    if rel.op == "true":
        return _decide_condition_rows(rel.lhs, template.lhs, n, k)
    a, b = _row_pairs(rel, template, n, k)
    if rel.op in ("==", "!="):
        codes = _entry_codes(lambda x, y: _CODE[_equal_entry(x, y, bits)[0]], a, b)
        same, differ = np.all(codes == 1, axis=1), np.any(codes == -1, axis=1)
        holds, fails = (same, differ) if rel.op == "==" else (differ, same)
    else:
        codes = _entry_codes(lambda x, y: _order_code(x, y, rel.op, bits), a, b)
        holds, fails = np.all(codes == 1, axis=1), np.any(codes == -1, axis=1)
    # a row with an undefined entry stays open, as decide leaves it (the precision may rise)
    return np.where(np.any(codes == 2, axis=1), UNCLEAR, _status(holds, fails))


_CODE = {True: 1, False: -1, None: 0}


def _order_code(a: Any, b: Any, op: str, bits: int) -> int:
    """One entry of an order relation as _decide_order judges it: 1 holds, -1 fails, 0 undecided."""
    gap = b - a
    if gap <= 0 if op == "<" else gap < 0:
        return -1
    if gap > 0 or (op == "<=" and gap >= 0):
        return 1
    return int(op == "<=" and _equal_entry(a, b, bits)[0] is True)


def _decide_condition_rows(cond: Any, template: Any, n: int, k: int) -> np.ndarray:
    truth = cond.truth if isinstance(cond, Cmp) else np.asarray(cond, dtype=bool).astype(float)
    shape = np.shape(template.truth if isinstance(template, Cmp) else template)
    rows = _as_rows(np.asarray(truth, dtype=float), shape, n, k)
    return _status(np.all(rows == 1, axis=1), np.any(rows == 0, axis=1))


# ---------------------------------------------------------------- display


def sides(rel: Relation) -> dict[str, Any]:
    """Both sides of a relation as plain JSON numbers, for a counterexample."""
    # Lists and exact numbers go to to_json as they are: np.asarray would turn [3, "x"] into strings.
    shown = {k: to_json(v if isinstance(v, (int, float, str, list, tuple, Fraction)) else np.asarray(v)) for k, v in (rel.show or {}).items()}
    if rel.op == "true":
        cond = rel.lhs
        if isinstance(cond, Cmp):
            value = np.where(cond.truth == 0.5, None, cond.truth == 1)
            return {"condition": to_json(np.asarray(value, dtype=object)), **shown}
        return {"condition": to_json(np.asarray(cond)), **shown}
    left, right = rel.names
    return {left: to_json(rel.lhs), right: to_json(rel.rhs), **shown}


def digits_agreed(f64: Relation, twin_rel: Relation, row: int, n: int) -> float | None:
    """Significant digits on which float64 (instance ``row`` of a batch) and the twin agree."""
    pairs = [(f64.lhs, twin_rel.lhs), (f64.rhs, twin_rel.rhs)] if twin_rel.op != "true" else []
    if twin_rel.op == "true" and isinstance(twin_rel.lhs, Cmp) and isinstance(f64.lhs, Cmp):
        pairs = [p for fl, tl in zip(f64.lhs.leaves, twin_rel.lhs.leaves) for p in zip(fl, tl)]
    if not pairs:
        return None
    worst = FLOAT_DIGITS
    for fside, tside in pairs:
        fvals = _rows(fside, n)[row]
        tvals = np.asarray(tside, dtype=object).reshape(-1)
        if len(tvals) != len(fvals):
            if len(tvals) != 1:
                continue
            tvals = np.repeat(tvals, len(fvals))
        for fv, tv in zip(fvals, tvals):
            worst = min(worst, _digits(float(fv), _mid(tv)))
    return worst


def _mid(v: Any) -> Any:
    return _interval(v).mid()


def _digits(fv: float, mv: Any) -> float:
    if not np.isfinite(fv) or not mv.is_finite():
        return 0.0
    err = abs(ball(fv) - mv)
    if err.is_zero():
        return FLOAT_DIGITS
    if mv.is_zero():
        return 0.0
    agreed = -(err / abs(mv)).log() / ball(10).log()
    return float(min(FLOAT_DIGITS, max(0.0, float(agreed.mid()))))


def to_json(x: Any) -> Any:
    """Plain JSON values: numbers, lists, booleans and null (intervals by their midpoints)."""
    if isinstance(x, np.ndarray):
        return [to_json(v) for v in x] if x.ndim else to_json(x.item())
    if isinstance(x, (list, tuple)):
        return [to_json(v) for v in x]
    if x is None or isinstance(x, str):
        return x
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, _ARB):
        mid = x.mid()
        if not mid.is_finite():
            return str(mid)
        return float(mid) if mid.is_zero() or _normal(float(mid)) else mid.str(17, radius=False)
    if isinstance(x, mpmath.mpf):
        return float(x) if x == 0 or (mpmath.isfinite(x) and _normal(float(x))) else mpmath.nstr(x, 17)
    if isinstance(x, (float, np.floating)):
        return float(x) if np.isfinite(x) else str(x)
    if isinstance(x, Fraction):  # an integer stays one; a rational no float holds is written p/q
        return int(x) if x.denominator == 1 else float(x) if Fraction(float(x)) == x else str(x)
    return x


def _normal(f: float) -> bool:
    """A float64 that holds the value to full precision (neither overflowed nor subnormal): a JSON number."""
    return bool(np.isfinite(f)) and abs(f) >= np.finfo(float).tiny
