"""An MLP whose input also feeds its output, with the loss S + R (002_f00dcf7b6a936c71.txt Problem 4).

z = W1 x + b1, h = sigmoid(z), y = x + W2 h + b2, L = S + R with S = 1/2 ||y - s||^2 and R = r^T h.
Shapes for N inputs/outputs and K hidden units: W1 (K, N), b1 (K,), W2 (N, K), b2 (N,), r (K,),
s (N,), x (N,); leading axes are batch axes. The ``loss_given_*`` functions are the loss as a
function of one node with everything upstream held fixed, so each adjoint can be checked alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from models.ops import Ops

Array = Any


@dataclass(frozen=True, eq=False)
class SkipMLP:
    """Weights, biases and the two given vectors r (K,) and s (N,) of 002 Problem 4."""

    W1: Array
    b1: Array
    W2: Array
    b2: Array
    r: Array
    s: Array


class Forward(NamedTuple):
    """Every node of the computation graph of 002 Problem 4(1)."""

    z: Array
    h: Array
    y: Array
    S: Array
    R: Array
    L: Array


class Local(NamedTuple):
    """The derivative on each edge of the graph: scalars, gradients and Jacobians (rows = outputs)."""

    dL_dS: Array  # scalar
    dL_dR: Array  # scalar
    dS_dy: Array  # (N,)
    dR_dh: Array  # (K,)
    dy_dh: Array  # (N, K)
    dh_dz: Array  # (K, K)
    dz_dx: Array  # (K, N)
    dy_dx: Array  # (N, N)


class Backward(NamedTuple):
    """Adjoints v_bar = dL/dv of every node and parameter (002 Problem 4(2))."""

    L_bar: Array
    R_bar: Array
    S_bar: Array
    y_bar: Array
    h_bar: Array
    z_bar: Array
    x_bar: Array
    W1_bar: Array
    b1_bar: Array
    W2_bar: Array
    b2_bar: Array


def _scale(c: Array, v: Array) -> Array:
    """c v for a scalar c per instance (shape (...)) and a vector v (..., n)."""
    return np.asarray(c)[..., None] * v


def pre_activation(net: SkipMLP, x: Array, ops: Ops) -> Array:
    """z = W1 x + b1."""
    return ops.matvec(net.W1, x) + net.b1


def output(net: SkipMLP, x: Array, h: Array, ops: Ops) -> Array:
    """y = x + W2 h + b2: the input reaches the output directly."""
    return x + ops.matvec(net.W2, h) + net.b2


def fit_term(net: SkipMLP, y: Array, ops: Ops) -> Array:
    """S = 1/2 (y - s)^T (y - s)."""
    return ops.sum((y - net.s) * (y - net.s)) / 2


def reg_term(net: SkipMLP, h: Array, ops: Ops) -> Array:
    """R = r^T h."""
    return ops.sum(net.r * h)


def total(S: Array, R: Array) -> Array:
    """L = S + R."""
    return S + R


def loss_given_y(net: SkipMLP, h: Array, y: Array, ops: Ops) -> Array:
    """L as a function of y, with h held fixed."""
    return total(fit_term(net, y, ops), reg_term(net, h, ops))


def loss_given_h(net: SkipMLP, x: Array, h: Array, ops: Ops) -> Array:
    """L as a function of h (through R and through y), with x held fixed."""
    return loss_given_y(net, h, output(net, x, h, ops), ops)


def loss_given_z(net: SkipMLP, x: Array, z: Array, ops: Ops) -> Array:
    """L as a function of z, with x held fixed where it enters y directly."""
    return loss_given_h(net, x, ops.sigmoid(z), ops)


def loss(net: SkipMLP, x: Array, ops: Ops) -> Array:
    """L as a function of the input x (and of the parameters)."""
    return loss_given_z(net, x, pre_activation(net, x, ops), ops)


def forward(net: SkipMLP, x: Array, ops: Ops) -> Forward:
    """All node values of one forward pass."""
    z = pre_activation(net, x, ops)
    h = ops.sigmoid(z)
    y = output(net, x, h, ops)
    S, R = fit_term(net, y, ops), reg_term(net, h, ops)
    return Forward(z, h, y, S, R, total(S, R))


def local_derivatives(net: SkipMLP, x: Array, ops: Ops) -> Local:
    """The derivative of each node with respect to each of its direct inputs."""
    fwd = forward(net, x, ops)
    return Local(
        dL_dS=ops.one(fwd.S),
        dL_dR=ops.one(fwd.R),
        dS_dy=fwd.y - net.s,
        dR_dh=net.r + ops.zero(fwd.h),
        dy_dh=net.W2,
        # sigmoid acts elementwise, so h_i depends on z_i only: a diagonal Jacobian.
        dh_dz=ops.diag(ops.sigmoid_prime(fwd.z)),
        dz_dx=net.W1,
        dy_dx=ops.diag(ops.one(x)),
    )


def backward(net: SkipMLP, x: Array, ops: Ops) -> Backward:
    """Reverse mode from L_bar = 1: each adjoint sums over the node's consumers (002 Problem 4(2))."""
    fwd = forward(net, x, ops)
    L_bar = ops.one(fwd.L)
    R_bar, S_bar = L_bar, L_bar  # L = S + R
    y_bar = _scale(S_bar, fwd.y - net.s)
    h_bar = _scale(R_bar, net.r) + ops.matvec(ops.T(net.W2), y_bar)
    z_bar = h_bar * ops.sigmoid_prime(fwd.z)
    # x feeds z and, through the skip connection, y.
    x_bar = ops.matvec(ops.T(net.W1), z_bar) + y_bar
    return Backward(
        L_bar, R_bar, S_bar, y_bar, h_bar, z_bar, x_bar,
        W1_bar=ops.outer(z_bar, x), b1_bar=z_bar, W2_bar=ops.outer(y_bar, fwd.h), b2_bar=y_bar,
    )
