"""Forward-mode differentiation over any backend: a value and its directional derivative, side by side.

``Dual(value, tangent)`` carries arrays of the base backend (float64 batches, or one instance of
balls), so the same chain rule is exact to rounding in float64 and a rigorous enclosure in the
interval twin: no step size, no truncation error. At a kink the tangent is the one-sided
derivative in the tangent's direction (relu'(0; v) = max(0, v)), which is what a left or right
derivative means.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from models.ops import Ops


class Dual:
    """A value and its derivative along one direction; arithmetic follows the sum, product and quotient rules."""

    __array_ufunc__ = None  # NumPy arrays defer to Dual's reflected operators instead of looping

    def __init__(self, val: Any, der: Any) -> None:
        self.val, self.der = val, der

    @property
    def shape(self) -> tuple[int, ...]:
        return np.shape(self.val)

    @property
    def ndim(self) -> int:
        return np.ndim(self.val)

    def __getitem__(self, index: Any) -> Dual:
        return Dual(np.asarray(self.val)[index], np.broadcast_to(self.der, np.shape(self.val))[index])

    def __add__(self, other: Any) -> Dual:
        o = lift(other)
        return Dual(self.val + o.val, self.der + o.der)

    def __sub__(self, other: Any) -> Dual:
        o = lift(other)
        return Dual(self.val - o.val, self.der - o.der)

    def __rsub__(self, other: Any) -> Dual:
        return lift(other) - self

    def __mul__(self, other: Any) -> Dual:
        o = lift(other)
        return Dual(self.val * o.val, self.der * o.val + self.val * o.der)

    def __truediv__(self, other: Any) -> Dual:
        o = lift(other)
        q = self.val / o.val
        return Dual(q, (self.der - q * o.der) / o.val)

    def __rtruediv__(self, other: Any) -> Dual:
        return lift(other) / self

    def __neg__(self) -> Dual:
        return Dual(-self.val, -self.der)

    def __pow__(self, k: Any) -> Dual:
        if isinstance(k, Dual):
            raise TypeError("Dual ** Dual: write exp(k log x) with ops functions")
        return Dual(self.val**k, k * self.val ** (k - 1) * self.der)

    def __matmul__(self, other: Any) -> Dual:
        o = lift(other)
        return Dual(self.val @ o.val, self.der @ o.val + self.val @ o.der)

    def __rmatmul__(self, other: Any) -> Dual:
        return lift(other) @ self

    __radd__ = __add__
    __rmul__ = __mul__


def lift(x: Any) -> Dual:
    """A constant as a Dual with zero tangent."""
    return x if isinstance(x, Dual) else Dual(x, x * 0)


def _parts(x: Any) -> tuple[Any, Any]:
    d = lift(x)
    return d.val, d.der


class DualOps(Ops):
    """The ``ops`` of a base backend lifted to Duals: each function applies the chain rule with the
    base backend's own values, so a model written against ``ops`` differentiates unchanged."""

    def __init__(self, base: Ops) -> None:
        self.base = base
        self.name, self.batched = base.name, base.batched

    def __getattr__(self, name: str) -> Any:
        return getattr(self.base, name)

    def _smooth(self, fn: Any, slope: Any, x: Any) -> Any:
        if not isinstance(x, Dual):
            return fn(x)
        return Dual(fn(x.val), slope(x.val) * x.der)

    def exp(self, x: Any) -> Any:
        if not isinstance(x, Dual):
            return self.base.exp(x)
        e = self.base.exp(x.val)
        return Dual(e, e * x.der)

    def log(self, x: Any) -> Any:
        return self._smooth(self.base.log, lambda v: 1 / v, x)

    def log1p(self, x: Any) -> Any:
        return self._smooth(self.base.log1p, lambda v: 1 / (1 + v), x)

    def sqrt(self, x: Any) -> Any:
        return self._smooth(self.base.sqrt, lambda v: 1 / (2 * self.base.sqrt(v)), x)

    def tanh(self, x: Any) -> Any:
        return self._smooth(self.base.tanh, self.base.tanh_prime, x)

    def sigmoid(self, x: Any) -> Any:
        return self._smooth(self.base.sigmoid, self.base.sigmoid_prime, x)

    def erf(self, x: Any) -> Any:
        return self._smooth(self.base.erf, self.base.erf_prime, x)

    def _kink(self, x: Any, left: Any, right: Any, at_zero: Any) -> Any:
        """A piecewise map with a kink at 0: slopes ``left``/``right`` as functions of the value,
        and at exactly 0 the directional derivative ``at_zero(tangent)``."""
        v, d = _parts(x)
        val = self.base.where(self.base.positive(v), right(v, v), left(v, v))
        der = self.base.where(self.base.positive(v), right(v, d), self.base.where(self.base.positive(-v), left(v, d), at_zero(d)))
        return Dual(val, der)

    def relu(self, x: Any) -> Any:
        if not isinstance(x, Dual):
            return self.base.relu(x)
        return self._kink(x, lambda v, t: t * 0, lambda v, t: t, self.base.relu)

    def abs(self, x: Any) -> Any:
        if not isinstance(x, Dual):
            return self.base.abs(x)
        return self._kink(x, lambda v, t: -t, lambda v, t: t, self.base.abs)

    def maximum(self, a: Any, b: Any) -> Any:
        """max(a, b) = b + relu(a - b): at a tie the tangent is max(da, db), the one-sided derivative."""
        if not isinstance(a, Dual) and not isinstance(b, Dual):
            return self.base.maximum(a, b)
        return Dual(self.base.maximum(lift(a).val, lift(b).val), (b + self.relu(a - b)).der)

    def minimum(self, a: Any, b: Any) -> Any:
        """min(a, b) = a - relu(a - b): at a tie the tangent is min(da, db)."""
        if not isinstance(a, Dual) and not isinstance(b, Dual):
            return self.base.minimum(a, b)
        return Dual(self.base.minimum(lift(a).val, lift(b).val), (a - self.relu(a - b)).der)

    def max(self, x: Any, axis: Any = -1) -> Any:
        return self._reduce(self.maximum, self.base.max, x, axis)

    def min(self, x: Any, axis: Any = -1) -> Any:
        return self._reduce(self.minimum, self.base.min, x, axis)

    def _reduce(self, pair: Any, plain: Any, x: Any, axis: Any) -> Any:
        """A max or min along one axis as a chain of pairwise ones (each one-sided at ties)."""
        if not isinstance(x, Dual):
            return plain(x, axis)
        v, d = (np.moveaxis(np.broadcast_to(part, x.shape), axis, -1) for part in (x.val, x.der))
        out = Dual(v[..., 0], d[..., 0])
        for k in range(1, v.shape[-1]):
            out = pair(out, Dual(v[..., k], d[..., k]))
        return Dual(self.base._array(out.val), self.base._array(out.der))

    def _jump(self, x: Any, fn: Any, crosses: Any) -> Any:
        """A piecewise-constant map with a jump at 0: tangent 0, except undefined (NaN) at 0 along a
        direction that crosses the jump (``crosses(tangent)``), where no derivative exists."""
        if not isinstance(x, Dual):
            return fn(x)
        v, d = x.val, x.der
        nan = self.base.where(crosses(d), d * self.base.asarray(np.nan), d * 0)
        at_zero = self.base.where(self.base.positive(v), d * 0, self.base.where(self.base.positive(-v), d * 0, nan))
        return Dual(fn(v), at_zero)

    def step(self, x: Any) -> Any:
        """1 if x >= 0 else 0: continuous from the right at 0, so only a negative direction is undefined."""
        return self._jump(x, self.base.step, lambda d: self.base.positive(-d))

    def sign(self, x: Any) -> Any:
        return self._jump(x, self.base.sign, lambda d: self.base.positive(self.base.abs(d)))

    # Linear algebra: the derivative of each map from its defining equation, in the base backend.
    def solve(self, a: Any, b: Any) -> Any:
        """A x = b gives A dx = db - dA x."""
        if not isinstance(a, Dual) and not isinstance(b, Dual):
            return self.base.solve(a, b)
        (av, ad), (bv, bd) = _parts(a), _parts(b)
        x = self.base.solve(av, bv)
        dax = self.base.matvec(ad, x) if np.ndim(bv) == np.ndim(av) - 1 else ad @ x
        return Dual(x, self.base.solve(av, bd - dax))

    def inv(self, a: Any) -> Any:
        """d(A^-1) = -A^-1 dA A^-1."""
        if not isinstance(a, Dual):
            return self.base.inv(a)
        x = self.base.inv(a.val)
        return Dual(x, -(x @ a.der @ x))

    def det(self, a: Any) -> Any:
        """d det A = sum over columns i of det(A with column i replaced by dA's): exact, singular A included."""
        if not isinstance(a, Dual):
            return self.base.det(a)
        n = a.shape[-1]
        der = sum(self.base.det(self.base.where(np.arange(n) == i, a.der, a.val)) for i in range(n))
        return Dual(self.base.det(a.val), der)

    def matrix_power(self, a: Any, k: int) -> Any:
        if not isinstance(a, Dual) or k == 0:
            return self.base.matrix_power(lift(a).val, k)
        out = a
        for _ in range(k - 1):
            out = out @ a
        return out

    def _refused(self, name: str, a: Any) -> Any:
        if isinstance(a, Dual):
            raise TypeError(f"derivative: ops.{name} is not differentiated (state the derivative with its closed form)")
        return getattr(self.base, name)(a)

    def eigvalsh(self, a: Any) -> Any:
        return self._refused("eigvalsh", a)

    def svdvals(self, a: Any) -> Any:
        return self._refused("svdvals", a)

    def rank(self, a: Any) -> Any:
        return self._refused("rank", a)

    def relu_prime(self, x: Any) -> Any:
        return self.base.relu_prime(lift(x).val)  # piecewise constant: no tangent

    def matvec(self, a: Any, x: Any) -> Any:
        if not isinstance(a, Dual) and not isinstance(x, Dual):
            return self.base.matvec(a, x)
        (av, ad), (xv, xd) = _parts(a), _parts(x)
        mv = self.base.matvec
        return Dual(mv(av, xv), mv(ad, xv) + mv(av, xd))

    def outer(self, u: Any, v: Any) -> Any:
        (uv, ud), (vv, vd) = _parts(u), _parts(v)
        out = self.base.outer
        return Dual(out(uv, vv), out(ud, vv) + out(uv, vd))

    def _linear(self, fn: Any, x: Any, *args: Any) -> Any:
        """A linear map applies to the value and the tangent alike."""
        return Dual(fn(x.val, *args), fn(x.der, *args)) if isinstance(x, Dual) else fn(x, *args)

    def T(self, a: Any) -> Any:
        return self._linear(self.base.T, a)

    def diag(self, x: Any) -> Any:
        return self._linear(self.base.diag, x)

    def sum(self, x: Any, axis: Any = -1) -> Any:
        return self._linear(self.base.sum, x, axis)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        if not isinstance(a, Dual) and not isinstance(b, Dual):
            return self.base.where(cond, a, b)
        (av, ad), (bv, bd) = _parts(a), _parts(b)
        return Dual(self.base.where(cond, av, bv), self.base.where(cond, ad, bd))

    def positive(self, x: Any) -> Any:
        return self.base.positive(lift(x).val)

    def nonnegative(self, x: Any) -> Any:
        return self.base.nonnegative(lift(x).val)

    def zero(self, x: Any) -> Any:
        return lift(x).val * 0

    def one(self, x: Any) -> Any:
        return lift(x).val * 0 + 1


def directional(f: Any, x: Any, direction: Any, ops: Ops) -> Any:
    """The derivative of ``f(x, ops)`` at x along ``direction`` (the one-sided one at a kink)."""
    out = f(Dual(x, direction), DualOps(ops))
    if isinstance(out, np.ndarray) and out.dtype == object and any(isinstance(e, Dual) for e in out.flat):
        raise TypeError("derivative: f put Duals into a NumPy array (np.stack, np.array, np.broadcast_arrays on values); "
                        "build it with ops functions and arithmetic")
    return out.der if isinstance(out, Dual) else out * 0
