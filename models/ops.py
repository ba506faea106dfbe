"""Array backends shared by every model: float64 NumPy, its mpmath twin, and intervals.

A model is written once against ``ops``; ``F64`` evaluates it on a batch of float64 instances
(leading axes are batch axes), ``MP`` evaluates one instance in mpmath at the current
``mpmath.mp.dps``, and ``IV`` evaluates one instance in ball arithmetic (Arb, through
python-flint, at ``flint.ctx.prec`` bits): every value is an enclosure of the exact result, which
is what makes a refutation certain. Vectors are the last axis, matrices the last two.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
from flint import acb, acb_mat, arb, arb_mat, fmpq, fmpq_mat


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

    def sum_outer(self, u: Any, v: Any) -> Any:
        """sum_m u_m v_m^T over the data axis of u (..., m, p) and v (..., m, q): a full-batch gradient."""
        return self.sum(self.outer(u, v), axis=-3)

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

    # Functions course claims use, defined once from each backend's exp, log1p, erf and sqrt.
    def softplus(self, x: Any) -> Any:
        """log(1 + e^x), as relu(x) + log1p(e^-|x|) so that float64 never overflows."""
        return self.relu(x) + self.log1p(self.exp(-self.abs(x)))

    def log_sigmoid(self, x: Any) -> Any:
        """log sigma(x) = -softplus(-x)."""
        return -self.softplus(-x)

    def normal_cdf(self, x: Any) -> Any:
        """Phi(x) = (1 + erf(x / sqrt 2)) / 2."""
        return (1 + self.erf(x / self.sqrt(self.asarray(2.0)))) / 2

    def erf_prime(self, x: Any) -> Any:
        """d/dx erf(x) = 2 e^(-x^2) / sqrt(pi)."""
        return 2 * self.exp(-x * x) / self.sqrt(self.pi())

    def sign(self, x: Any) -> Any:
        """-1, 0 or 1 (the twin answers the hull [-1, 1] where it cannot tell the sign)."""
        return self.where(self.positive(x), self.one(x), self.where(self.positive(-x), -self.one(x), self.zero(x)))

    # Linear algebra: float backends batch over leading axes; a singular matrix gives NaN (in the
    # twin, an undefined ball), so both backends mean the same and the engine reports an error.
    def solve(self, a: Any, b: Any) -> Any:
        """x with A x = b, for b a vector (..., n) or a matrix (..., n, k)."""
        vector = np.ndim(b) == np.ndim(a) - 1
        x = _per_matrix(lambda m, r: np.linalg.solve(m, r), a, b[..., None] if vector else b)
        return x[..., 0] if vector else x

    def inv(self, a: Any) -> Any:
        return _per_matrix(lambda m: np.linalg.inv(m), a)

    @staticmethod
    def det(a: Any) -> Any:
        return np.linalg.det(a)

    @staticmethod
    def eigvalsh(a: Any) -> Any:
        """Eigenvalues of a symmetric matrix, ascending."""
        return np.linalg.eigvalsh(a)

    @staticmethod
    def svdvals(a: Any) -> Any:
        """Singular values, descending."""
        return np.linalg.svd(a, compute_uv=False)

    def norm2(self, a: Any) -> Any:
        """The spectral norm of a matrix (its largest singular value)."""
        return self.svdvals(a)[..., 0]

    def fro(self, a: Any) -> Any:
        """The Frobenius norm."""
        return self.sqrt(self.sum(self.sum(a * a)))

    @staticmethod
    def rank(a: Any) -> Any:
        """The rank, exact for the float entries as the rationals they are (no tolerance)."""
        arr = np.asarray(a, dtype=float)
        flat = arr.reshape(-1, *arr.shape[-2:])
        ranks = [fmpq_mat([[_fraction(v) for v in row] for row in m]).rank() for m in flat]
        return np.asarray(ranks).reshape(arr.shape[:-2])

    @staticmethod
    def matrix_power(a: Any, k: int) -> Any:
        return np.linalg.matrix_power(a, k)

    def expect(self, values: Any, probs: Any, axis: Any = -1) -> Any:
        """E[X] = sum_i p_i x_i over a finite distribution (probabilities as exact fractions or floats)."""
        p = np.asarray(probs, dtype=float) if self.batched else np.frompyfunc(self.exact, 1, 1)(np.asarray(probs, dtype=object))
        return self.sum(values * p, axis=axis)

    @staticmethod
    def exact(q: Any) -> Any:
        """A number (a Fraction included) as this backend's exact or enclosing value."""
        return q


_ERF = np.frompyfunc(math.erf, 1, 1)


def _fraction(v: Any) -> Any:
    return fmpq(*Fraction(v).as_integer_ratio()) if not isinstance(v, (int, np.integer)) else fmpq(int(v))


def _per_matrix(fn: Any, a: Any, *rest: Any) -> Any:
    """fn on a batch of matrices; a singular one gives NaN instead of failing the whole batch."""
    with np.errstate(all="ignore"):
        try:
            return fn(a, *rest)
        except np.linalg.LinAlgError:
            shape = np.broadcast_shapes(np.shape(a)[:-2], *(np.shape(r)[:-2] for r in rest))
            a = np.broadcast_to(a, (*shape, *np.shape(a)[-2:]))
            rest = [np.broadcast_to(r, (*shape, *np.shape(r)[-2:])) for r in rest]
            out = []
            for i in np.ndindex(*shape):
                try:
                    out.append(fn(a[i], *(r[i] for r in rest)))
                except np.linalg.LinAlgError:
                    out.append(np.full(np.shape(fn(np.eye(a.shape[-1]), *(r[i] for r in rest))), np.nan))
            return np.asarray(out).reshape(*shape, *np.shape(out[0]))


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
    erf = staticmethod(lambda x: _ERF(x).astype(np.result_type(x, np.float32)) if isinstance(x, np.ndarray) else math.erf(x))
    inf = np.inf

    @staticmethod
    def pi() -> float:
        return np.pi

    @staticmethod
    def asarray(x: Any) -> np.ndarray:
        return np.asarray(x, dtype=float)

    @staticmethod
    def sum_outer(u: Any, v: Any) -> Any:
        # one matrix product (p x m)(m x q) instead of m outer products held at once
        return np.swapaxes(u, -1, -2) @ v

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
        # einsum's own loop (no BLAS) over the reversed vector, without an (..., m, n) temporary
        return np.einsum("...ij,...j->...i", np.flip(a, axis=-1), np.flip(x, axis=-1))

    @staticmethod
    def sum_outer(u: Any, v: Any) -> Any:
        return np.einsum("...mp,...mq->...pq", np.flip(u, axis=-2), np.flip(v, axis=-2))

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
    erf = _lift(mpmath.erf)
    inf = mpmath.inf

    @staticmethod
    def pi() -> Any:
        return +mpmath.pi

    @staticmethod
    def asarray(x: Any) -> Any:
        return to_mp(x)

    @staticmethod
    def exact(q: Any) -> Any:
        return mpmath.mpf(q.numerator) / q.denominator if isinstance(q, Fraction) else to_mp(q)

    @staticmethod
    def sigmoid(x: Any) -> Any:
        return 1 / (1 + Mpmath.exp(-x))


def ball(v: Any) -> Any:
    """A number as an Arb ball, exactly: floats, ints, bools, mpf and fractions have exact balls."""
    if isinstance(v, (arb, acb)):
        return v
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, (bool, int)):
        return arb(int(v))
    if isinstance(v, float):
        return arb(v)
    if isinstance(v, mpmath.mpf):
        man, exp = v.man_exp
        return arb(man) * arb(2) ** exp if man else arb(0)
    if isinstance(v, Fraction):
        return arb(v.numerator) / v.denominator
    raise TypeError(f"cannot enclose {type(v).__name__} {v!r} in an interval")


def ends(v: Any) -> tuple[Any, Any]:
    """The exact lower and upper ends of a ball."""
    return v.lower(), v.upper()


def from_ends(lo: Any, hi: Any) -> Any:
    """The ball [lo, hi] (ends exact), widened outward by its own rounding."""
    mid = ((lo + hi) / 2).mid()
    return arb(mid, max((hi - mid).upper(), (mid - lo).upper()))


def compare3(a: Any, b: Any, op: str) -> bool | None:
    """a op b for balls (or numbers): True, False, or None where the enclosures cannot tell."""
    a, b = ball(a), ball(b)
    if op in (">", ">="):
        a, b, op = b, a, "<" if op == ">" else "<="
    if op == "<":
        return True if a < b else False if a >= b else None
    return True if a <= b else False if a > b else None


def _cmp3(op: str) -> Any:
    """Elementwise three-valued comparison (see compare3)."""
    return np.frompyfunc(lambda a, b: compare3(a, b, op), 2, 1)


def hull(a: Any, b: Any) -> Any:
    """The smallest ball holding both a and b."""
    (alo, ahi), (blo, bhi) = ends(ball(a)), ends(ball(b))
    return from_ends(min(alo, blo), max(ahi, bhi))


def _iv_min(a: Any, b: Any) -> Any:
    (alo, ahi), (blo, bhi) = ends(ball(a)), ends(ball(b))
    return from_ends(min(alo, blo), min(ahi, bhi))


def _iv_max(a: Any, b: Any) -> Any:
    (alo, ahi), (blo, bhi) = ends(ball(a)), ends(ball(b))
    return from_ends(max(alo, blo), max(ahi, bhi))


_IV_MIN = np.frompyfunc(_iv_min, 2, 1)
_IV_MAX = np.frompyfunc(_iv_max, 2, 1)


def _where3(cond: Any, a: Any, b: Any) -> Any:
    # An undecided condition (None) keeps both branches: the enclosure is their hull.
    return a if cond is True else b if cond is False else hull(a, b)


def _ball_unary(name: str) -> Any:
    """A ball method (exp, log, ...) lifted elementwise; numbers become exact balls first."""

    def one(x: Any) -> Any:
        return getattr(ball(x), name)()

    ufunc = np.frompyfunc(one, 1, 1)

    def apply(x: Any) -> Any:
        return ufunc(x) if isinstance(x, np.ndarray) else one(x)

    return staticmethod(apply)


def _sigmoid_ball(x: Any) -> Any:
    return 1 / (1 + (-ball(x)).exp())


class Interval(Ops):
    """Ball arithmetic (Arb, through python-flint): object arrays of balls that enclose the exact values.

    Every operation rounds outward, so a ball always holds the exact result for the exact inputs.
    Comparisons answer None where the balls overlap, and ``where`` on an undecided condition
    returns the hull of both branches, so every value stays a rigorous enclosure. The precision
    is ``flint.ctx.prec`` (bits).
    """

    name = "interval"
    exp = _ball_unary("exp")
    log = _ball_unary("log")
    log1p = _ball_unary("log1p")
    tanh = _ball_unary("tanh")
    abs = _ball_unary("__abs__")
    sqrt = _ball_unary("sqrt")
    erf = _ball_unary("erf")
    inf = arb("inf")

    @staticmethod
    def pi() -> Any:
        return arb.pi()

    @staticmethod
    def sigmoid(x: Any) -> Any:
        return np.frompyfunc(_sigmoid_ball, 1, 1)(x) if isinstance(x, np.ndarray) else _sigmoid_ball(x)

    @staticmethod
    def asarray(x: Any) -> Any:
        return to_iv(x)

    @staticmethod
    def exact(q: Any) -> Any:
        return ball(q)

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

    def solve(self, a: Any, b: Any) -> Any:
        vector = np.ndim(b) == np.ndim(a) - 1
        rhs = _mat(np.asarray(b, dtype=object)[:, None] if vector else b)
        x = _undefined_if_singular(lambda: _array(_mat(a).solve(rhs)), np.shape(rhs.tolist()))
        return x[:, 0] if vector else x

    def inv(self, a: Any) -> Any:
        return _undefined_if_singular(lambda: _array(_mat(a).inv()), np.shape(a))

    def det(self, a: Any) -> Any:
        return self._array(_mat(a).det())

    def eigvalsh(self, a: Any) -> Any:
        # Each ball holds an eigenvalue; the k-th smallest lies between the k-th smallest lower end
        # and the k-th smallest upper end, whatever order the balls came in.
        values = [v.real for v in acb_mat(_mat(a)).eig(multiple=True)]
        lows, highs = sorted(v.lower() for v in values), sorted(v.upper() for v in values)
        return np.asarray([from_ends(lo, hi) for lo, hi in zip(lows, highs)], dtype=object)

    def svdvals(self, a: Any) -> Any:
        gram = self.eigvalsh(self.T(a) @ a) if np.shape(a)[-1] <= np.shape(a)[-2] else self.eigvalsh(a @ self.T(a))
        return np.asarray([v.nonnegative_part().sqrt() for v in gram[::-1]], dtype=object)

    @staticmethod
    def rank(a: Any) -> Any:
        entries = [[ball(v) for v in row] for row in np.asarray(a, dtype=object)]
        if not all(v.is_exact() for row in entries for v in row):
            raise TypeError("rank needs exact entries (inputs, or sums and products of them): it is not a continuous function")
        return fmpq_mat([[_fraction_of_ball(v) for v in row] for row in entries]).rank()

    def matrix_power(self, a: Any, k: int) -> Any:
        return _array(_mat(a) ** k)

    @staticmethod
    def positive(x: Any) -> Any:
        return _cmp3(">")(x, 0)

    @staticmethod
    def nonnegative(x: Any) -> Any:
        return _cmp3(">=")(x, 0)


class IntervalBatch(Interval):
    """Ball arithmetic over a batch of instances (leading batch axes, like float64): the twin's
    first pass over every instance float64 could not clear, one evaluation for all of them.

    Elementwise, so each row's balls are those of the one-instance twin. Linear algebra here
    works on one matrix at a time; a batch that needs it is decided instance by instance.
    """

    name = "interval-batch"
    batched = True

    def expect(self, values: Any, probs: Any, axis: Any = -1) -> Any:
        # exact probabilities, as in the one-instance twin (Ops.expect rounds them when batched)
        return self.sum(values * np.frompyfunc(self.exact, 1, 1)(np.asarray(probs, dtype=object)), axis=axis)

    def _one_matrix_only(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("the batched twin does not do linear algebra; decide instance by instance")

    solve = inv = det = eigvalsh = svdvals = rank = matrix_power = _one_matrix_only


def _mat(a: Any) -> Any:
    return arb_mat([[ball(v) for v in row] for row in np.asarray(a, dtype=object)])


def _array(m: Any) -> Any:
    return np.asarray([[m[i, j] for j in range(m.ncols())] for i in range(m.nrows())] if hasattr(m, "nrows") else m, dtype=object)


def _undefined_if_singular(compute: Any, shape: tuple[int, ...]) -> Any:
    """A singular matrix (or one the balls cannot certify invertible) gives undefined (NaN) balls."""
    try:
        return compute()
    except ZeroDivisionError:
        return np.full(shape, arb.nan(), dtype=object)


def _fraction_of_ball(v: Any) -> Any:
    man, exp = v.man_exp()
    return fmpq(int(man)) * fmpq(2) ** int(exp) if int(exp) >= 0 else fmpq(int(man), 2 ** -int(exp))


def to_iv(x: Any) -> Any:
    """Exact balls of floats (scalars or arrays); ints and bools stay exact Python numbers."""
    if isinstance(x, np.ndarray):
        if x.dtype == object or x.dtype.kind == "f":
            return np.frompyfunc(ball, 1, 1)(x)
        return x.astype(object)
    if isinstance(x, (float, np.floating, mpmath.mpf)):
        return ball(x)
    return x


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
IVB = IntervalBatch()
