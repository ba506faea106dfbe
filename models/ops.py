"""Array backends shared by every model: float64 NumPy, its mpmath twin, and intervals.

A model is written once against ``ops``; ``F64`` evaluates it on a batch of float64 instances
(leading axes are batch axes), ``MP`` evaluates one instance in mpmath at the current
``mpmath.mp.dps``, and ``IV`` evaluates one instance in interval arithmetic (``mpmath.iv`` at
``mpmath.iv.prec``): every value is an enclosure of the exact result, which is what makes a
refutation certain. Vectors are the last axis, matrices the last two.
"""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np


class Ops:
    """Operations common to every backend; subclasses supply the scalar functions."""

    name = "abstract"
    batched = False  # float backends evaluate a batch (leading axis); the twins one instance

    # Linear algebra that works for float and object arrays, with or without batch axes.
    @staticmethod
    def matvec(a: Any, x: Any) -> Any:
        """A x for a matrix A (..., m, n) and a vector x (..., n)."""
        return (a @ x[..., None])[..., 0]

    @staticmethod
    def outer(u: Any, v: Any) -> Any:
        """u v^T for vectors u (..., m) and v (..., n)."""
        return u[..., :, None] * v[..., None, :]

    @staticmethod
    def T(a: Any) -> Any:
        """Transpose of the last two axes."""
        return np.swapaxes(a, -1, -2)

    @staticmethod
    def diag(v: Any) -> Any:
        """Diagonal matrix (..., n, n) with the vector v (..., n) on its diagonal."""
        n = v.shape[-1]
        return v[..., :, None] * np.eye(n, dtype=int)

    def sum(self, x: Any, axis: Any = -1) -> Any:
        return self._array(np.sum(x, axis=axis))

    def _array(self, value: Any) -> Any:
        """A reduction's result as an array even when it is one twin number, so `[..., None]` works."""
        return value if self.batched or isinstance(value, np.ndarray) else np.asarray(value, dtype=object)

    @staticmethod
    def where(cond: Any, a: Any, b: Any) -> Any:
        return np.where(cond, a, b)

    @staticmethod
    def minimum(a: Any, b: Any) -> Any:
        """Entrywise min(a, b) (broadcasting)."""
        return np.minimum(a, b)

    @staticmethod
    def maximum(a: Any, b: Any) -> Any:
        return np.maximum(a, b)

    def min(self, x: Any, axis: Any = -1) -> Any:
        """Least entry along an axis."""
        return self._array(np.min(x, axis=axis))

    def max(self, x: Any, axis: Any = -1) -> Any:
        return self._array(np.max(x, axis=axis))

    @staticmethod
    def positive(x: Any) -> Any:
        """x > 0 entrywise (the interval backend answers None where the enclosure straddles 0)."""
        return x > 0

    @staticmethod
    def nonnegative(x: Any) -> Any:
        return x >= 0

    def relu(self, x: Any) -> Any:
        return self.where(self.positive(x), x, x * 0)

    def relu_prime(self, x: Any) -> Any:
        """Derivative of max(0, x), taken as 0 at x = 0 (the usual subgradient choice)."""
        return self.where(self.positive(x), self.one(x), self.zero(x))

    def step(self, x: Any) -> Any:
        """Hard threshold: 1 if x >= 0 else 0 (002 Problem 1)."""
        return self.where(self.nonnegative(x), self.one(x), self.zero(x))

    def sigmoid_prime(self, x: Any) -> Any:
        s = self.sigmoid(x)
        return s * (1 - s)

    def tanh_prime(self, x: Any) -> Any:
        t = self.tanh(x)
        return 1 - t * t

    def zero(self, x: Any) -> Any:
        return x * 0

    def one(self, x: Any) -> Any:
        return x * 0 + 1


class Float64(Ops):
    """float64 NumPy; every function broadcasts over leading batch axes."""

    name = "float64"
    batched = True
    exp = staticmethod(np.exp)
    log = staticmethod(np.log)
    log1p = staticmethod(np.log1p)
    tanh = staticmethod(np.tanh)
    abs = staticmethod(np.abs)
    sqrt = staticmethod(np.sqrt)

    @staticmethod
    def asarray(x: Any) -> np.ndarray:
        return np.asarray(x, dtype=float)

    @staticmethod
    def sigmoid(x: Any) -> Any:
        # 1/(1+e^-x) written to avoid overflow of e^-x for very negative x.
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


class Reordered(Float64):
    """float64 with every sum taken in reverse order, without BLAS: the screen's rerun sees how far
    summation order alone moves a value (a BLAS kernel treats leftover rows differently)."""

    @staticmethod
    def matvec(a: Any, x: Any) -> Any:
        return np.sum(np.flip(a * x[..., None, :], axis=-1), axis=-1)

    def sum(self, x: Any, axis: Any = -1) -> Any:
        return np.sum(np.flip(x, axis=axis), axis=axis)


class Float32(Float64):
    """float32 NumPy: the float64 screen runs a batch here too, to see each entry's rounding scale."""

    name = "float32"

    @staticmethod
    def asarray(x: Any) -> np.ndarray:
        return np.asarray(x, dtype=np.float32)


def _lift(fn: Any) -> Any:
    """Elementwise mpmath function that accepts scalars and object arrays alike."""
    ufunc = np.frompyfunc(fn, 1, 1)

    def apply(x: Any) -> Any:
        return ufunc(x) if isinstance(x, np.ndarray) else fn(x)

    return staticmethod(apply)


class Mpmath(Ops):
    """The mpmath twin: object arrays of mpf, evaluated at the current mpmath.mp.dps."""

    name = "mpmath"
    exp = _lift(mpmath.exp)
    log = _lift(mpmath.log)
    log1p = _lift(mpmath.log1p)
    tanh = _lift(mpmath.tanh)
    abs = _lift(abs)
    sqrt = _lift(mpmath.sqrt)

    @staticmethod
    def asarray(x: Any) -> Any:
        return to_mp(x)

    @staticmethod
    def sigmoid(x: Any) -> Any:
        return 1 / (1 + Mpmath.exp(-x))


def _padded(fn: Any, exact: Any) -> Any:
    """fn widened outward by 16 ulps of the working precision, unless its value is exact.

    mpmath's interval functions round to the wrong side in places (exp of 1.2e-125 at 400 bits
    comes back as the point 1); a relative pad far above any such slip keeps the enclosure true.
    A point value is kept only where ``exact(x, y)`` says it is the exact result (exp(0) = 1).
    """

    def padded(x: Any) -> Any:
        y = fn(x)
        if not isinstance(y, _IVMPF) or (x.a == x.b and y.a == y.b and exact(mpmath.mpf(x.a), mpmath.mpf(y.a))):
            return y
        slack = mpmath.mpf(2) ** (4 - mpmath.iv.prec)  # a power of 2: exact at any precision
        return y * (1 + mpmath.iv.mpf([-slack, slack]))

    return padded


def _exact_root(x: Any, y: Any) -> bool:
    with mpmath.workprec(2 * mpmath.iv.prec + 8):  # y * y of two p-bit numbers is exact here
        return bool(y * y == x)


_EXP = _padded(mpmath.iv.exp, lambda x, y: x == 0)
_EXPM1 = _padded(mpmath.iv.expm1, lambda x, y: x == 0)
_LOG = _padded(mpmath.iv.log, lambda x, y: x == 1)
_LOG1P = _padded(mpmath.iv.log1p, lambda x, y: x == 0)
_SQRT = _padded(mpmath.iv.sqrt, _exact_root)


def _iv_unary(fn: Any) -> Any:
    """An interval function lifted elementwise; ints and point values become intervals first."""

    def one(x: Any) -> Any:
        return fn(x if isinstance(x, (_IVMPF, _IVMPC)) else mpmath.iv.mpf(x))

    ufunc = np.frompyfunc(one, 1, 1)

    def apply(x: Any) -> Any:
        return ufunc(x) if isinstance(x, np.ndarray) else one(x)

    return staticmethod(apply)


def _iv_tanh(x: Any) -> Any:
    # tanh is increasing: enclose it at each end. tanh(t) = e/(e + 2) with e = expm1(2t) is
    # accurate near 0, where 1 - 2/(e^2t + 1) would cancel; odd symmetry keeps e >= 0.
    def at(t: Any, lower: bool) -> Any:
        if t < 0:
            return -at(-t, not lower)
        e = _EXPM1(2 * mpmath.iv.mpf(t))
        v = e / (e + 2)
        return v.a if lower else v.b

    return mpmath.iv.mpf([at(x.a, True), at(x.b, False)])


def _iv_sigmoid(x: Any) -> Any:
    return 1 / (1 + _EXP(-x))


def compare3(a: Any, b: Any, op: str) -> bool | None:
    """a op b for intervals (or numbers): True, False, or None where the enclosures cannot tell.

    Decided from the end points here, since mpmath's own interval comparisons raise on some overlaps.
    """
    a, b = _as_interval(a), _as_interval(b)
    if op in (">", ">="):
        a, b, op = b, a, "<" if op == ">" else "<="
    if op == "<":
        return True if a.b < b.a else False if a.a >= b.b else None
    return True if a.b <= b.a else False if a.a > b.b else None


def _as_interval(v: Any) -> Any:
    return v if isinstance(v, _IVMPF) else mpmath.iv.mpf(v.item() if isinstance(v, np.generic) else v)


def _cmp3(op: str) -> Any:
    """Elementwise three-valued comparison (see compare3)."""
    return np.frompyfunc(lambda a, b: compare3(a, b, op), 2, 1)


def hull(a: Any, b: Any) -> Any:
    """The smallest interval holding both a and b."""
    a, b = _as_interval(a), _as_interval(b)
    return mpmath.iv.mpf([min(a.a, b.a), max(a.b, b.b)])


def _iv_min(a: Any, b: Any) -> Any:
    a, b = _as_interval(a), _as_interval(b)
    return mpmath.iv.mpf([min(a.a, b.a), min(a.b, b.b)])


def _iv_max(a: Any, b: Any) -> Any:
    a, b = _as_interval(a), _as_interval(b)
    return mpmath.iv.mpf([max(a.a, b.a), max(a.b, b.b)])


_IV_MIN = np.frompyfunc(_iv_min, 2, 1)
_IV_MAX = np.frompyfunc(_iv_max, 2, 1)


def _where3(cond: Any, a: Any, b: Any) -> Any:
    # An undecided condition (None) keeps both branches: the enclosure is their hull.
    return a if cond is True else b if cond is False else hull(a, b)


_IVMPF = type(mpmath.iv.mpf(0))
_IVMPC = type(mpmath.iv.mpc(0, 1))


def _defer_to_others(method: Any) -> Any:
    def op(self: Any, other: Any) -> Any:
        if isinstance(other, np.ndarray):
            return NotImplemented
        try:
            return method(self, other)
        except NotImplementedError:
            return NotImplemented

    return op


# mpmath's intervals raise on an operand they do not know (a NumPy array, a dual number) instead
# of returning NotImplemented as its mpf does, so `interval * array` would fail where `mpf * array`
# broadcasts: let the other operand take over.
for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__", "__pow__"):
    for _cls in (_IVMPF, _IVMPC):
        setattr(_cls, _name, _defer_to_others(getattr(_cls, _name)))


class Interval(Ops):
    """Interval arithmetic (``mpmath.iv``): object arrays of intervals that enclose the exact values.

    Comparisons answer None where the enclosures overlap, and ``where`` on an undecided condition
    returns the hull of both branches, so every value stays a rigorous enclosure.
    """

    name = "interval"
    exp = _iv_unary(_EXP)
    log = _iv_unary(_LOG)
    log1p = _iv_unary(_LOG1P)
    tanh = _iv_unary(_iv_tanh)
    abs = _iv_unary(abs)
    sqrt = _iv_unary(_SQRT)
    sigmoid = _iv_unary(_iv_sigmoid)

    @staticmethod
    def asarray(x: Any) -> Any:
        return to_iv(x)

    @staticmethod
    def where(cond: Any, a: Any, b: Any) -> Any:
        shape = np.broadcast_shapes(np.shape(cond), np.shape(a), np.shape(b))
        if not shape:
            return _where3(cond.item() if isinstance(cond, np.ndarray) else cond, a, b)
        c, x, y = (np.broadcast_to(np.asarray(v, dtype=object), shape) for v in (cond, a, b))
        return np.frompyfunc(_where3, 3, 1)(c, x, y)

    @staticmethod
    def minimum(a: Any, b: Any) -> Any:
        return _IV_MIN(a, b)

    @staticmethod
    def maximum(a: Any, b: Any) -> Any:
        return _IV_MAX(a, b)

    def min(self, x: Any, axis: Any = -1) -> Any:
        return self._array(_IV_MIN.reduce(np.asarray(x, dtype=object), axis=axis))

    def max(self, x: Any, axis: Any = -1) -> Any:
        return self._array(_IV_MAX.reduce(np.asarray(x, dtype=object), axis=axis))

    @staticmethod
    def positive(x: Any) -> Any:
        return _cmp3(">")(x, 0)

    @staticmethod
    def nonnegative(x: Any) -> Any:
        return _cmp3(">=")(x, 0)


def to_iv(x: Any) -> Any:
    """Exact point intervals of floats (scalars or arrays); ints and bools stay exact."""
    if isinstance(x, np.ndarray):
        if x.dtype == object:
            return np.frompyfunc(_iv_point, 1, 1)(x)
        if x.dtype.kind == "f":
            return np.frompyfunc(_iv_point, 1, 1)(x.astype(float))
        return x.astype(object)
    if isinstance(x, (float, np.floating, mpmath.mpf)):
        return _iv_point(x)
    return x


def _iv_point(v: Any) -> Any:
    if isinstance(v, (_IVMPF, int, bool, np.integer, np.bool_)):
        return v
    return mpmath.iv.mpf(float(v) if isinstance(v, np.floating) else v)


def to_mp(x: Any) -> Any:
    """Exact conversion of floats (scalars or arrays) to mpf; ints and bools stay exact."""
    if isinstance(x, np.ndarray):
        if x.dtype == object:
            return x
        if x.dtype.kind == "f":
            return np.frompyfunc(mpmath.mpf, 1, 1)(x.astype(float))
        return x.astype(object)
    if isinstance(x, (float, np.floating)):
        return mpmath.mpf(float(x))
    return x


F64 = Float64()
F64R = Reordered()
F32 = Float32()
MP = Mpmath()
IV = Interval()
