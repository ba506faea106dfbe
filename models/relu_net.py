"""The ReLU network of 002_f00dcf7b6a936c71.txt Problem 3, reconstructed from the text (its figure is missing).

Every unit is a ReLU and every w is the weight of a single connection. Inputs x1, x2; weights named
in the worksheet are w1..w6, connections it never names are u1..u4 (all of them may be 0):

    z1 = w1 x1 + u1 x2,  h1 = ReLU(z1)        (h1 "receives an input" z1; dz1/dw1 = x1)
    z2 = u2 x1 + u3 x2,  h2 = ReLU(z2)
    z3 = w2 h1 + w6 h2,  h3 = ReLU(z3)        (as in 3(b): d/dw2 (w2 h1 + w6 h2))
    z4 = w4 h1 + u4 h2,  h4 = ReLU(z4)        (3(c): h4 is fed from h1; the text never names w4)
    z  = w3 h3 + w5 h4,  y  = ReLU(z)         (3(a): d/dw3 (w3 h3 + w5 h4))

The loss depends on y only; ``backward`` takes its derivative ``g = dL/dy`` (for 1/2 (y - t)^2,
g = y - t). ReLU'(0) is taken as 0. Values are scalars per instance with any leading batch shape.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from models.ops import Ops

Array = Any


@dataclass(frozen=True, eq=False)
class Weights:
    """The ten connection weights: w1..w6 named by the worksheet, u1..u4 unnamed ones."""

    w1: Array
    w2: Array
    w3: Array
    w4: Array
    w5: Array
    w6: Array
    u1: Array
    u2: Array
    u3: Array
    u4: Array

    @staticmethod
    def names() -> tuple[str, ...]:
        return tuple(f.name for f in fields(Weights))


@dataclass(frozen=True, eq=False)
class Forward:
    """Pre-activations z1..z4, z and activations h1..h4, y."""

    z1: Array
    h1: Array
    z2: Array
    h2: Array
    z3: Array
    h3: Array
    z4: Array
    h4: Array
    z: Array
    y: Array


@dataclass(frozen=True, eq=False)
class Grads:
    """dL/d(weight) for every weight (``w``, a Weights), and dL/d(pre-activation) for each unit."""

    w: Weights
    z1: Array
    z2: Array
    z3: Array
    z4: Array
    z: Array


def forward(p: Weights, x1: Array, x2: Array, ops: Ops) -> Forward:
    """The forward pass of the reconstructed network (002 Problem 3)."""
    z1 = p.w1 * x1 + p.u1 * x2
    h1 = ops.relu(z1)
    z2 = p.u2 * x1 + p.u3 * x2
    h2 = ops.relu(z2)
    z3 = p.w2 * h1 + p.w6 * h2
    h3 = ops.relu(z3)
    z4 = p.w4 * h1 + p.u4 * h2
    h4 = ops.relu(z4)
    z = p.w3 * h3 + p.w5 * h4
    return Forward(z1, h1, z2, h2, z3, h3, z4, h4, z, ops.relu(z))


def half_sq_loss(p: Weights, x1: Array, x2: Array, t: Array, ops: Ops) -> Array:
    """L = 1/2 (y - t)^2, the worksheet's example of a loss of y."""
    r = forward(p, x1, x2, ops).y - t
    return r * r / 2


def backward(p: Weights, x1: Array, x2: Array, g: Array, ops: Ops) -> Grads:
    """Backpropagation from dL/dy = g down both paths h1 -> h3 -> y and h1 -> h4 -> y."""
    f = forward(p, x1, x2, ops)
    d_z = g * ops.relu_prime(f.z)
    d_z3 = d_z * p.w3 * ops.relu_prime(f.z3)
    d_z4 = d_z * p.w5 * ops.relu_prime(f.z4)
    d_z1 = (d_z3 * p.w2 + d_z4 * p.w4) * ops.relu_prime(f.z1)
    d_z2 = (d_z3 * p.w6 + d_z4 * p.u4) * ops.relu_prime(f.z2)
    w = Weights(
        w1=d_z1 * x1,
        w2=d_z3 * f.h1,
        w3=d_z * f.h3,
        w4=d_z4 * f.h1,
        w5=d_z * f.h4,
        w6=d_z3 * f.h2,
        u1=d_z1 * x2,
        u2=d_z2 * x1,
        u3=d_z2 * x2,
        u4=d_z4 * f.h2,
    )
    return Grads(w, d_z1, d_z2, d_z3, d_z4, d_z)
