"""Fully connected network with a hand-written backward pass.

Follows 001_809f9477aa253dd3.txt part 1, 003_4df1c69f94983c45.txt part 1 and
004_4a4597d8ede4ad7d.txt part 2 (000_3057f9ee4c919776.txt part 1 uses the same net).

Weights use the matrix convention ``S^(l) = Ws[l-1] X^(l-1) + bs[l-1]``: ``Ws[l-1]`` has shape
(..., d_l, d_{l-1}), so the worksheets' w_ij^(l) (i source, j destination) is
``Ws[l-1][..., j, i]``. Leading batch axes index independent instances; nothing is summed
over them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from models.logistic import softplus
from models.ops import Ops

Array = Any
Activation = tuple[Callable[[Array], Array], Callable[[Array], Array]]

ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity", "step")
LOSSES = ("half_sq", "sq", "logistic")


@dataclass(frozen=True, eq=False)
class Net:
    """Weights ``Ws[l-1]`` (..., d_l, d_{l-1}), optional biases ``bs[l-1]`` (..., d_l), and names."""

    Ws: tuple
    bs: tuple | None = None
    hidden: str = "sigmoid"
    output: str = "sigmoid"
    loss: str = "half_sq"

    def __post_init__(self) -> None:
        if self.hidden not in ACTIVATIONS or self.output not in ACTIVATIONS:
            raise ValueError(f"activations must be among {ACTIVATIONS}")
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be among {LOSSES}")
        # The cross-entropy is only a loss of a probability, so it needs a sigmoid output.
        if self.loss == "logistic" and self.output != "sigmoid":
            raise ValueError("the logistic loss needs output='sigmoid'")
        if self.bs is not None and len(self.bs) != len(self.Ws):
            raise ValueError("need one bias vector per weight matrix")

    @property
    def depth(self) -> int:
        """Number of weight layers L."""
        return len(self.Ws)


@dataclass(frozen=True, eq=False)
class Cache:
    """Forward values by layer number: ``S[l]`` for l = 1..L (``S[0]`` is None), ``X[0] = x``."""

    S: tuple
    X: tuple


@dataclass(frozen=True, eq=False)
class Grads:
    """``delta[l] = dL/dS^(l)`` (``delta[0]`` None), ``dX[l] = dL/dX^(l)``, ``dWs``/``dbs`` as Ws."""

    delta: tuple
    dX: tuple
    dWs: tuple
    dbs: tuple | None


def activation(name: str, ops: Ops) -> Activation:
    """The pair (g, g') for an activation name; the step's derivative is taken as 0 (002 1)."""
    table = {
        "sigmoid": (ops.sigmoid, ops.sigmoid_prime),
        "tanh": (ops.tanh, ops.tanh_prime),
        "relu": (ops.relu, ops.relu_prime),
        "identity": (lambda s: s, ops.one),
        "step": (ops.step, ops.zero),
    }
    return table[name]


def _layer_activation(net: Net, layer: int, ops: Ops) -> Activation:
    return activation(net.output if layer == net.depth else net.hidden, ops)


def forward(net: Net, x: Array, ops: Ops) -> Cache:
    """Pre-activations S^(l) = W X^(l-1) + b and activations X^(l) = g(S^(l)) (004 2(a))."""
    S: list = [None]
    X: list = [x]
    for layer, W in enumerate(net.Ws, start=1):
        s = ops.matvec(W, X[-1])
        if net.bs is not None:
            s = s + net.bs[layer - 1]
        S.append(s)
        X.append(_layer_activation(net, layer, ops)[0](s))
    return Cache(tuple(S), tuple(X))


def output_loss(z: Array, y: Array, name: str, ops: Ops) -> Array:
    """A loss of the output z, summed over output units (001 1, 003 1, 004 1)."""
    if name == "half_sq":
        return ops.sum((z - y) * (z - y)) / 2
    if name == "sq":
        return ops.sum((z - y) * (z - y))
    if name == "logistic":
        return -ops.sum(y * ops.log(z) + (1 - y) * ops.log(1 - z))
    raise ValueError(f"unknown loss {name!r}")


def loss(net: Net, x: Array, y: Array, ops: Ops) -> Array:
    """The loss of one forward pass, one value per instance."""
    cache = forward(net, x, ops)
    if net.loss == "logistic":
        # Same value as output_loss, written on S^(L) so float64 cannot take log(0).
        s = cache.S[-1]
        return ops.sum(softplus(s, ops) - y * s)
    return output_loss(cache.X[-1], y, net.loss, ops)


def output_grad(z: Array, y: Array, name: str, ops: Ops) -> Array:
    """dL/dz for the named loss (001 1(c); 003 1 gives 2(z - y) for the squared norm)."""
    if name == "half_sq":
        return z - y
    if name == "sq":
        return 2 * (z - y)
    if name == "logistic":
        # Infinite if float64 saturates z to 0 or 1; backward's delta uses the cancelled form.
        return (z - y) / (z * (1 - z))
    raise ValueError(f"unknown loss {name!r}")


def _output_delta(net: Net, cache: Cache, y: Array, dz: Array, ops: Ops) -> Array:
    z = cache.X[-1]
    if net.loss == "logistic":
        # Sigmoid' cancels the cross-entropy's denominator; avoids 0/0 when z saturates.
        return z - y
    return dz * _layer_activation(net, net.depth, ops)[1](cache.S[-1])


def backward(net: Net, x: Array, y: Array, ops: Ops, over_data: bool = False) -> Grads:
    """Backpropagation: delta^(l) = g'(S^(l)) * W^(l+1)^T delta^(l+1), dW^(l) = delta^(l) X^(l-1)^T.

    Follows 001 1(c)-(f) and 004 2(c),(e) in matrix form. With ``over_data`` the inputs carry a
    data axis (..., m, d0) and dW^(l) is summed over it: the full-batch gradient, sum_m delta_m X_m^T.
    """
    cache = forward(net, x, ops)
    L = net.depth
    dX: list = [None] * (L + 1)
    delta: list = [None] * (L + 1)
    dX[L] = output_grad(cache.X[L], y, net.loss, ops)
    delta[L] = _output_delta(net, cache, y, dX[L], ops)
    for layer in range(L, 0, -1):
        dX[layer - 1] = ops.matvec(ops.T(net.Ws[layer - 1]), delta[layer])
        if layer > 1:
            delta[layer - 1] = dX[layer - 1] * activation(net.hidden, ops)[1](cache.S[layer - 1])
    product = ops.sum_outer if over_data else ops.outer
    dWs = tuple(product(delta[k], cache.X[k - 1]) for k in range(1, L + 1))
    dbs = None if net.bs is None else tuple(delta[1:])
    return Grads(tuple(delta), tuple(dX), dWs, dbs)


def gd_step(net: Net, x: Array, y: Array, eta: Array, ops: Ops) -> Net:
    """One gradient-descent step w <- w - eta dL/dw on every weight and bias (004 2(e))."""
    grads = backward(net, x, y, ops)
    # eta may carry batch axes; align it with the trailing matrix / vector axes.
    eta = np.asarray(ops.asarray(eta))
    Ws = tuple(W - eta[..., None, None] * dW for W, dW in zip(net.Ws, grads.dWs))
    bs = None
    if net.bs is not None:
        bs = tuple(b - eta[..., None] * db for b, db in zip(net.bs, grads.dbs))
    return replace(net, Ws=Ws, bs=bs)
