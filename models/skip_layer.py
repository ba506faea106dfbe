"""Skip-layer networks: input wired straight to the output layer (000_3057f9ee4c919776.txt 2).

``SkipNet`` is the general network of 2(b); ``scalar_forward`` and ``grad_y`` are the one-unit
network of 2(d), y = g(w_hy g(w_xh x) + w_xy x).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from models.fcnet import Cache, activation
from models.ops import Ops

Array = Any


@dataclass(frozen=True, eq=False)
class SkipNet:
    """Layer weights ``Ws[l-1]`` (d_l, d_{l-1}) plus ``W_skip`` (d_L, d_0); no biases (000 2(b))."""

    Ws: tuple
    W_skip: Array
    hidden: str = "sigmoid"
    output: str = "sigmoid"


def make_skip_net(
    widths: tuple[int, ...],
    rng: np.random.Generator | None = None,
    hidden: str = "sigmoid",
    output: str = "sigmoid",
) -> SkipNet:
    """A skip-layer net on widths (d_0, ..., d_L), zero-filled or N(0, 1) from ``rng`` (000 2(b))."""
    if len(widths) < 2:
        raise ValueError("need at least an input and an output width")

    def fill(rows: int, cols: int) -> np.ndarray:
        return np.zeros((rows, cols)) if rng is None else rng.standard_normal((rows, cols))

    Ws = tuple(fill(d_out, d_in) for d_in, d_out in itertools.pairwise(widths))
    return SkipNet(Ws, fill(widths[-1], widths[0]), hidden, output)


def count_weights(net: SkipNet) -> int:
    """Number of weight entries actually held by one instance of the net (000 2(b))."""
    mats = (*net.Ws, net.W_skip)
    # Count the last two axes only: leading axes would be batch copies, not extra weights.
    return sum(int(W.shape[-1]) * int(W.shape[-2]) for W in mats)


def forward(net: SkipNet, x: Array, ops: Ops) -> Cache:
    """Forward pass; the output pre-activation is W^(L) X^(L-1) + W_skip x (000 2(b))."""
    S: list = [None]
    X: list = [x]
    L = len(net.Ws)
    for layer, W in enumerate(net.Ws, start=1):
        s = ops.matvec(W, X[-1])
        if layer == L:
            s = s + ops.matvec(net.W_skip, x)
        S.append(s)
        X.append(activation(net.output if layer == L else net.hidden, ops)[0](s))
    return Cache(tuple(S), tuple(X))


class ScalarSkip(NamedTuple):
    """Forward values of the one-unit skip net of 000 2(d)."""

    s_h: Array
    h: Array
    s_y: Array
    y: Array


def scalar_forward(w_xh: Array, w_hy: Array, w_xy: Array, x: Array, g: str, ops: Ops) -> ScalarSkip:
    """s_h = w_xh x, h = g(s_h), s_y = w_hy h + w_xy x, y = g(s_y) (000 2(d))."""
    act = activation(g, ops)[0]
    s_h = w_xh * x
    h = act(s_h)
    s_y = w_hy * h + w_xy * x
    return ScalarSkip(s_h, h, s_y, act(s_y))


def grad_y(w_xh: Array, w_hy: Array, w_xy: Array, x: Array, g: str, ops: Ops) -> tuple:
    """(dy/dw_xh, dy/dw_hy, dy/dw_xy) = (w_hy g'(s_y) g'(s_h) x, g'(s_y) h, g'(s_y) x) (000 2(d))."""
    fwd = scalar_forward(w_xh, w_hy, w_xy, x, g, ops)
    g_prime = activation(g, ops)[1]
    delta_y = g_prime(fwd.s_y)
    return (w_hy * delta_y * g_prime(fwd.s_h) * x, delta_y * fwd.h, delta_y * x)
