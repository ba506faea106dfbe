"""Array backends shared by every model: float64 NumPy and its mpmath twin.

A model is written once against ``ops``; ``F64`` evaluates it on a batch of float64 instances
(leading axes are batch axes) and ``MP`` evaluates one instance in mpmath at the current
``mpmath.mp.dps``. Vectors are the last axis, matrices the last two.
"""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np


class Ops:
    """Operations common to both backends; subclasses supply the scalar functions."""

    name = "abstract"

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

    @staticmethod
    def sum(x: Any, axis: Any = -1) -> Any:
        return np.sum(x, axis=axis)

    @staticmethod
    def where(cond: Any, a: Any, b: Any) -> Any:
        return np.where(cond, a, b)

    def relu(self, x: Any) -> Any:
        return np.where(x > 0, x, x * 0)

    def relu_prime(self, x: Any) -> Any:
        """Derivative of max(0, x), taken as 0 at x = 0 (the usual subgradient choice)."""
        return np.where(x > 0, self.one(x), self.zero(x))

    def step(self, x: Any) -> Any:
        """Hard threshold: 1 if x >= 0 else 0 (002 Problem 1)."""
        return np.where(x >= 0, self.one(x), self.zero(x))

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
MP = Mpmath()
