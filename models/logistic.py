"""Logistic regression: likelihood, negative log likelihood, gradient, Hessian (004 1; 000 1(d)).

Data ``X`` (..., n, d) has one example per row, labels ``y`` (..., n) are in {0, 1} and the
weights ``w`` have shape (..., d); leading axes are batch axes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from models.ops import Ops

Array = Any


def softplus(u: Array, ops: Ops) -> Array:
    """log(1 + e^u), written as max(u, 0) + log1p(e^-|u|) so float64 never overflows."""
    return ops.relu(u) + ops.log1p(ops.exp(-ops.abs(u)))


def scores(w: Array, X: Array, ops: Ops) -> Array:
    """u_i = w^T x_i for every example (004_4a4597d8ede4ad7d.txt 1)."""
    return ops.matvec(X, w)


def probabilities(w: Array, X: Array, ops: Ops) -> Array:
    """q_i = s(w^T x_i), the modelled P(y_i = 1 | x_i) (004 1)."""
    return ops.sigmoid(scores(w, X, ops))


def likelihood(w: Array, X: Array, y: Array, ops: Ops) -> Array:
    """L(w) = prod_i q_i^y_i (1 - q_i)^(1 - y_i) (004 1)."""
    u = scores(w, X, ops)
    # 1 - q_i = s(-u_i) exactly; the right side keeps float64's relative precision.
    factors = ops.sigmoid(u) ** y * ops.sigmoid(-u) ** (1 - y)
    return np.prod(factors, axis=-1)


def nll(w: Array, X: Array, y: Array, ops: Ops) -> Array:
    """J(w) = sum_i (1 - y_i) u_i + log(1 + exp(-u_i)) with u_i = w^T x_i (004 1)."""
    u = scores(w, X, ops)
    return ops.sum((1 - y) * u + softplus(-u, ops))


def grad(w: Array, X: Array, y: Array, ops: Ops) -> Array:
    """grad J(w) = X^T (s(Xw) - y) (004 1)."""
    return ops.matvec(ops.T(X), probabilities(w, X, ops) - y)


def hessian(w: Array, X: Array, y: Array, ops: Ops) -> Array:
    """Hessian of J: X^T diag(q_i (1 - q_i)) X, independent of y (004 1, convexity of J)."""
    u = scores(w, X, ops)
    # q (1 - q) as s(u) s(-u): no cancellation in 1 - q when q is close to 1.
    curvature = ops.sigmoid(u) * ops.sigmoid(-u)
    return ops.T(X) @ ops.diag(curvature) @ X


def gd_step(w: Array, X: Array, y: Array, eta: Array, ops: Ops) -> Array:
    """One gradient-descent step w - eta grad J(w) (004 1, 000 1(d))."""
    eta = np.asarray(ops.asarray(eta))
    return w - eta[..., None] * grad(w, X, y, ops)
