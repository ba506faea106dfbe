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
        # erf'(v) = 2/sqrt(pi) e^(-v^2)
        return self._smooth(self.base.erf, lambda v: self.base.two_over_sqrt_pi(v) * self.base.exp(-v * v), x)

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

    def relu_prime(self, x: Any) -> Any:
        return self.base.relu_prime(lift(x).val) if isinstance(x, Dual) else self.base.relu_prime(x)

    def sigmoid_prime(self, x: Any) -> Any:
        if not isinstance(x, Dual):
            return self.base.sigmoid_prime(x)
        s = self.sigmoid(x)
        return s * (1 - s)

    def tanh_prime(self, x: Any) -> Any:
        if not isinstance(x, Dual):
            return self.base.tanh_prime(x)
        t = self.tanh(x)
        return 1 - t * t

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

    def T(self, a: Any) -> Any:
        v, d = _parts(a)
        return Dual(self.base.T(v), self.base.T(d)) if isinstance(a, Dual) else self.base.T(a)

    def diag(self, x: Any) -> Any:
        v, d = _parts(x)
        return Dual(self.base.diag(v), self.base.diag(d)) if isinstance(x, Dual) else self.base.diag(x)

    def sum(self, x: Any, axis: Any = -1) -> Any:
        v, d = _parts(x)
        return Dual(self.base.sum(v, axis), self.base.sum(d, axis)) if isinstance(x, Dual) else self.base.sum(x, axis)

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
    return out.der if isinstance(out, Dual) else out * 0
