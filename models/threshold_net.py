"""Hard-threshold perceptron with one hidden layer (002_f00dcf7b6a936c71.txt Problem 1).

h = step(W1 x + b1), y = step(w2 . h + b2), where step(z) = 1 if z >= 0 else 0. Shapes: ``x``
(..., d), ``W1`` (..., m, d), ``b1`` (..., m), ``w2`` (..., m), ``b2`` (...); leading axes are
independent instances. The step's derivative is 0 wherever it exists, so every weight gradient
of a loss of y vanishes (backward below says so explicitly).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from models.ops import Ops

Array = Any


@dataclass(frozen=True, eq=False)
class Forward:
    """Hidden pre-activations z, hidden outputs h, output pre-activation a and output y."""

    z: Array
    h: Array
    a: Array
    y: Array


@dataclass(frozen=True, eq=False)
class Grads:
    """dL/d(.) for each parameter, shaped like the parameter."""

    W1: Array
    b1: Array
    w2: Array
    b2: Array


def forward(W1: Array, b1: Array, w2: Array, b2: Array, x: Array, ops: Ops) -> Forward:
    """z = W1 x + b1, h = step(z), a = w2 . h + b2, y = step(a) (002 Problem 1)."""
    z = ops.matvec(W1, x) + b1
    h = ops.step(z)
    a = ops.sum(w2 * h) + b2
    return Forward(z, h, a, ops.step(a))


def loss(W1: Array, b1: Array, w2: Array, b2: Array, x: Array, t: Array, ops: Ops) -> Array:
    """Half squared error 1/2 (y - t)^2 of the network's output."""
    r = forward(W1, b1, w2, b2, x, ops).y - t
    return r * r / 2


def backward(W1: Array, b1: Array, w2: Array, b2: Array, x: Array, t: Array, ops: Ops) -> Grads:
    """Backpropagation with step'(z) = 0 (its derivative away from z = 0): every gradient is 0."""
    f = forward(W1, b1, w2, b2, x, ops)
    d_a = np.asarray((f.y - t) * ops.zero(f.a))  # dL/dy * step'(a); an array even for one mpf
    d_z = (d_a[..., None] * w2) * ops.zero(f.z)  # dL/dh * step'(z)
    return Grads(ops.outer(d_z, x), d_z, d_a[..., None] * f.h, d_a)
