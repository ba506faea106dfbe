"""Gradient descent on the quadratic L(w1, w2) = 0.5 (a w1^2 + b w2^2) (003 part 2).

Weights ``w`` have shape (..., 2); ``a``, ``b`` and ``eta`` are scalars or arrays of the batch
shape. The minimiser is w = 0 when a, b > 0, as the worksheet assumes.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
from flint import arb

from models.ops import Ops

Array = Any


def _pair(u: Array, v: Array) -> Array:
    """Stack two batch-shaped quantities into (..., 2)."""
    return np.stack(np.broadcast_arrays(u, v), axis=-1)


def _col(v: Array, ops: Ops) -> Array:
    """A batch-shaped scalar given a trailing axis, to scale (..., 2) vectors."""
    return np.asarray(ops.asarray(v))[..., None]


def loss(w: Array, a: Array, b: Array, ops: Ops) -> Array:
    """L(w1, w2) = 0.5 (a w1^2 + b w2^2) (003_4df1c69f94983c45.txt 2.1)."""
    return ops.sum(_pair(a, b) * w * w) / 2


def grad(w: Array, a: Array, b: Array, ops: Ops) -> Array:
    """grad L = (a w1, b w2) (003 2.1)."""
    return _pair(a, b) * w


def gd_step(w: Array, a: Array, b: Array, eta: Array, ops: Ops) -> Array:
    """w(t+1) = w(t) - eta grad L(w(t)) (003 2.2)."""
    return w - _col(eta, ops) * grad(w, a, b, ops)


def factors(a: Array, b: Array, eta: Array, ops: Ops) -> Array:
    """Contraction factors (rho1, rho2) = (1 - a eta, 1 - b eta) (003 2.2)."""
    eta = ops.asarray(eta)
    return _pair(1 - ops.asarray(a) * eta, 1 - ops.asarray(b) * eta)


def iterate(w0: Array, a: Array, b: Array, eta: Array, t: int, ops: Ops) -> Array:
    """Closed form w(t) = rho^t w0, coordinatewise (003 2.2)."""
    return factors(a, b, eta, ops) ** t * w0


def iterate_by_steps(w0: Array, a: Array, b: Array, eta: Array, t: int, ops: Ops) -> Array:
    """w(t) by t explicit gradient-descent steps from w0 (003 2.2)."""
    w = w0
    for _ in range(t):
        w = gd_step(w, a, b, eta, ops)
    return w


def _exact(v: Any) -> Fraction:
    """The exact rational value of a float, mpf, point interval or int (no rounding anywhere)."""
    if isinstance(v, arb):
        if not v.is_exact():
            raise ValueError(f"{v} is not an exact value; converges() takes the inputs themselves")
        man, exp = v.man_exp()
        return Fraction(int(man)) * Fraction(2) ** int(exp)
    if isinstance(v, mpmath.mpf):
        man, exp = v.man_exp
        return Fraction(man) * Fraction(2) ** exp
    return Fraction(v)


def _coordinate_converges(w0: Any, curvature: Any, eta: Any) -> bool:
    # rho^t w0 -> 0 iff w0 = 0 or |rho| < 1, and |1 - c eta| < 1 iff 0 < c eta < 2.
    c_eta = _exact(curvature) * _exact(eta)
    return _exact(w0) == 0 or 0 < c_eta < 2


def converges(a: Array, b: Array, eta: Array, w0: Array, ops: Ops) -> Array:
    """Whether GD from w0 tends to the minimiser 0, decided exactly from rho (003 2.3).

    Each factor is evaluated in exact rational arithmetic, so no iteration cap or tolerance.
    """
    w0 = np.asarray(ops.asarray(w0), dtype=object)
    curv = _pair(np.asarray(a, dtype=object), np.asarray(b, dtype=object))
    eta = np.asarray(eta, dtype=object)[..., None]
    ok = np.frompyfunc(_coordinate_converges, 3, 1)(w0, curv, eta)
    return np.all(ok.astype(bool), axis=-1)
