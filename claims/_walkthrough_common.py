"""Shared helpers for the walkthrough of 001 part 1 (claims/backprop_walkthrough.py, claims/backprop_hidden_layer.py).

Forward and backward pass of h = s(Vx), z = s(Wh), l = 1/2 ||y - z||^2, step by step (001 part 1).

The truth is the true derivative of the forward maps written against ops (``claims.engine.jacobian`` and
``derivative``: forward mode, exact to rounding in float64 and a rigorous enclosure in the interval twin),
next to the hand-written backward of models/fcnet.py, which is cross-checked against it.
Not a catalogue module (its name starts with "_"); fcnet.backward is looked up at call time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np

from claims.engine import derivative, exact, is_true, jacobian
from claims.strategies import grid, normal
from models import fcnet

Map = Callable[[Any, Any], Any]


ELL = "\\ell"


def d(num: str, den: str) -> str:
    """LaTeX for the partial derivative of num by den."""
    return f"\\frac{{\\partial {num}}}{{\\partial {den}}}"


# ---------------------------------------------------------------- true derivatives (forward mode)


def elementwise_derivative(fn: Map, u: Any, ops: Any) -> Any:
    """Derivative of an elementwise map at every entry of u at once."""
    return derivative(fn, u, ops)


def sigmoid(u: Any, ops: Any) -> Any:
    return ops.sigmoid(u)


def col(u: Any) -> Any:
    """A vector (..., d) as a column (..., d, 1)."""
    return u[..., :, None]


def row(u: Any) -> Any:
    """A vector (..., d) as a row (..., 1, d)."""
    return u[..., None, :]


def as_vector(s: Any) -> Any:
    """A per-instance scalar (one ball in the twin) as a vector of length 1."""
    return s[..., None]


def has_shape(value: Any, stated: tuple[int, ...], name: str) -> Any:
    """The trailing shape of ``value`` (batch axes excluded) is the stated one."""
    actual = tuple(np.shape(value)[np.ndim(value) - len(stated) :])
    return is_true(
        exact(actual == tuple(stated)), show={f"shape of {name}": list(np.shape(value)), "stated": list(stated)}
    )


# ---------------------------------------------------------------- the network of part 1

NET_CASES = grid(d0=range(1, 5), d1=range(1, 5), d2=range(1, 5))


def one_hidden_layer(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Weights V (d1 x d0), W (d2 x d1), an input x and a label y in [0, 1]^{d2}."""
    return {
        "V": normal(rng, n, case.d1, case.d0),
        "W": normal(rng, n, case.d2, case.d1),
        "x": normal(rng, n, case.d0),
        "y": rng.uniform(0.0, 1.0, size=(n, case.d2)),
    }


def net_of(V: Any, W: Any) -> fcnet.Net:
    return fcnet.Net((V, W), hidden="sigmoid", output="sigmoid", loss="half_sq")


def dims(v: Any, *names: str) -> tuple[int, ...]:
    """Widths by name, e.g. dims(v, "d2", "d1") == (d2, d1)."""
    return tuple({"d0": v.d0, "d1": v.d1, "d2": v.d2}[k] for k in names)


class Walk:
    """Forward values, the backward's gradients and the worksheet's own quantities for one batch."""

    def __init__(self, v: Any, ops: Any) -> None:
        net = net_of(v.V, v.W)
        cache = fcnet.forward(net, v.x, ops)
        self.x, self.a, self.h, self.b, self.z = v.x, cache.S[1], cache.X[1], cache.S[2], cache.X[2]
        self.grads = fcnet.backward(net, v.x, v.y, ops)
        self.omega = ops.diag(self.z * (1 - self.z))  # Omega of 1(d)
        self.lam = ops.diag(self.h * (1 - self.h))  # Lambda of 1(f)
        self.gz = self.z - v.y  # grad_z l as stated in 1(c)
        self.gh = (ops.T(v.W) @ self.omega @ col(self.gz))[..., 0]  # grad_h l as stated in 1(e)


_MEMO: dict[str, Any] = {"instance": None, "ops": None, "digits": None, "values": {}}


def once(v: Any, ops: Any, compute: Callable[[Any, Any], Any]) -> Any:
    """compute(v, ops), computed once for all the lines and sub-checks of one evaluation that read it.

    The engine evaluates every line of a derivation on the same instance object and never mutates
    it, so results are reused while the instance, backend and precision stay the same.
    """
    if not (_MEMO["instance"] is v and _MEMO["ops"] is ops and _MEMO["digits"] == mpmath.mp.dps):
        _MEMO.update(instance=v, ops=ops, digits=mpmath.mp.dps, values={})
    values = _MEMO["values"]
    if compute not in values:
        values[compute] = compute(v, ops)
    return values[compute]


def walk(v: Any, ops: Any) -> Walk:
    """The forward and backward pass of the instance (computed once per evaluation)."""
    return once(v, ops, Walk)


def loss_of_z(v: Any) -> Map:
    return lambda z, o: as_vector(fcnet.output_loss(z, v.y, "half_sq", o))


def loss_of_h(v: Any) -> Map:
    return lambda h, o: loss_of_z(v)(o.sigmoid(o.matvec(v.W, h)), o)


def by_entries(fn: Map, M: Any, ops: Any) -> Any:
    """Jacobian of fn(M) (..., m) in the matrix M (..., r, c), as (..., m, r, c), in one pass: the direction of
    every entry rides on a new axis before M's last two, so fn gives its other arrays that axis (``vec_up``/``mat_up``)."""
    r, c = M.shape[-2:]
    J = derivative(fn, M[..., None, :, :], ops, np.eye(r * c, dtype=int).reshape(r * c, r, c))  # (..., r c, m)
    return np.swapaxes(J, -1, -2).reshape(*J.shape[:-2], J.shape[-1], r, c)


def vec_up(u: Any) -> Any:
    return u[..., None, :]


def mat_up(M: Any) -> Any:
    return M[..., None, :, :]


def true_weight_gradient(v: Any, ops: Any, layer: str) -> Any:
    """dl/dW or dl/dV: the true derivative of the loss in every entry of the weight matrix, all in one pass
    (the directions, one per entry, ride on a new axis; the other inputs broadcast along it)."""
    M, other = (v.W, v.V) if layer == "W" else (v.V, v.W)
    r, c = M.shape[-2:]
    x, y, other = vec_up(v.x), vec_up(v.y), mat_up(other)

    def loss(P: Any, o: Any) -> Any:
        return fcnet.loss(net_of(other, P) if layer == "W" else net_of(P, other), x, y, o)

    g = derivative(loss, M[..., None, :, :], ops, np.eye(r * c, dtype=int).reshape(r * c, r, c))
    return g.reshape(*g.shape[:-1], r, c)


def own_row_derivative(M: Any, inp: Any, ops: Any) -> Any:
    """Row j: the derivative of the j-th entry of M inp in the j-th row of M (..., r, c)."""
    idx = np.arange(M.shape[-2])
    return by_entries(lambda P, o: o.matvec(P, vec_up(inp)), M, ops)[..., idx, idx, :]



# ---------------------------------------------------------------- rows of W (1(d)) and of V (1(f))


def row_chain(v: Any, ops: Any, layer: str, drop_activation: bool) -> Any:
    """Rows dl/dw_j (1(d)) or dl/dv_j (1(f)) as the product of their three true-derivative factors."""
    w = walk(v, ops)
    if layer == "W":
        inp, pre, upstream, M = w.h, w.b, jacobian(loss_of_z(v), w.z, ops), v.W
    else:
        inp, pre, upstream, M = w.x, w.a, jacobian(loss_of_h(v), w.h, ops), v.V
    activation = 1 if drop_activation else elementwise_derivative(sigmoid, pre, ops)  # dz_j/db_j or dh_j/da_j
    return col(upstream[..., 0, :] * activation) * own_row_derivative(M, inp, ops)  # times db_j/dw_j or da_j/dv_j
