"""Two-layer network z = W1 x, h = sigmoid(z), y_hat = W2 h with E = ||y_hat - y||^2 (003 part 1).

Shapes: ``x`` (..., n), ``W1`` (..., m, n), ``W2`` (..., q, m), ``y`` (..., q); leading axes
are independent instances. Jacobians use the numerator layout of the worksheet (rows index the
output), and a weight matrix W is flattened row by row, so ``W[j, k]`` is column ``j * n + k``.
The Jacobians of the linear maps are computed by pushing every basis direction through the map.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from models.ops import Ops

Array = Any


@dataclass(frozen=True, eq=False)
class Forward:
    """Forward values of one pass: pre-activations z, hidden outputs h, network output y_hat."""

    z: Array
    h: Array
    y_hat: Array


@dataclass(frozen=True, eq=False)
class Grads:
    """dE/d(.) for every forward value, input and weight, each shaped like the value itself."""

    y_hat: Array
    h: Array
    z: Array
    x: Array
    W1: Array
    W2: Array


def forward(W1: Array, W2: Array, x: Array, ops: Ops) -> Forward:
    """z = W1 x, h = sigmoid(z), y_hat = W2 h (003 1, forward pass)."""
    z = ops.matvec(W1, x)
    h = ops.sigmoid(z)
    return Forward(z, h, ops.matvec(W2, h))


def error(W1: Array, W2: Array, x: Array, y: Array, ops: Ops) -> Array:
    """E = ||y_hat - y||_2^2, the squared Euclidean norm of the residual (003 1)."""
    r = forward(W1, W2, x, ops).y_hat - y
    return ops.sum(r * r)


def backward(W1: Array, W2: Array, x: Array, y: Array, ops: Ops) -> Grads:
    """Backpropagation in the efficient order: each gradient reuses the one above it (003 1)."""
    f = forward(W1, W2, x, ops)
    d_y = 2 * (f.y_hat - y)
    d_h = ops.matvec(ops.T(W2), d_y)
    d_z = d_h * ops.sigmoid_prime(f.z)
    return Grads(d_y, d_h, d_z, ops.matvec(ops.T(W1), d_z), ops.outer(d_z, x), ops.outer(d_y, f.h))


def _push_basis(apply: Callable[[Array], Array], shape: tuple[int, ...]) -> Array:
    """Jacobian (..., out, size) of a linear map: column b is the map applied to basis direction b."""
    size = int(np.prod(shape))
    directions = np.eye(size, dtype=int).reshape(size, *shape)
    return np.swapaxes(apply(directions), -1, -2)


def jacobian_z_x(W1: Array, ops: Ops) -> Array:
    """dz/dx (..., m, n) of z = W1 x (003 1)."""
    return _push_basis(lambda d: ops.matvec(W1[..., None, :, :], d), W1.shape[-1:])


def jacobian_z_W1(x: Array, m: int, ops: Ops) -> Array:
    """dz/dW1 (..., m, m*n) of z = W1 x, with W1 flattened row by row (003 1)."""
    return _push_basis(lambda d: ops.matvec(d, x[..., None, :]), (m, x.shape[-1]))


def jacobian_h_z(z: Array, ops: Ops) -> Array:
    """dh/dz (..., m, m) of the elementwise h = sigmoid(z) (003 1)."""
    return ops.diag(ops.sigmoid_prime(z))


def jacobian_y_h(W2: Array, ops: Ops) -> Array:
    """dy_hat/dh (..., q, m) of y_hat = W2 h (003 1)."""
    return jacobian_z_x(W2, ops)


def jacobian_y_W2(h: Array, q: int, ops: Ops) -> Array:
    """dy_hat/dW2 (..., q, q*m) of y_hat = W2 h, with W2 flattened row by row (003 1)."""
    return jacobian_z_W1(h, q, ops)
