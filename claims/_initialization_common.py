"""Constant weight initialisation keeps the hidden units of a 1-hidden-layer net symmetric: shared helpers.

For claims/initialization.py and claims/symmetry_persistence.py (000 part 1, 001 part 2 and 004 part 2): strategies,
instance generators and net helpers, on ``models.fcnet`` without biases. ``Ws[0][..., j, i]``
is the worksheets' w_ij^(1) (input i to hidden j), ``Ws[1][..., j, i]`` is w_ij^(2) (hidden i to
output j). 000 writes delta^(l) = dL/dx^(l-1) (``Grads.dX[l-1]``); 001 and 004 write
delta_j^(l) = dl/dS_j^(l) (``Grads.delta[l]``). Not a catalogue module (its name starts with "_").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from claims.engine import differ, st
from claims.strategies import ANY_ACTIVATIONS, grid, normal
from models import fcnet

# (output activation, loss): the worksheets leave both open ("a reasonable loss").
HEADS = [("sigmoid", "half_sq"), ("identity", "half_sq"), ("relu", "half_sq"), ("tanh", "sq"), ("sigmoid", "logistic")]


def net_cases(min_width: int = 1, **extra: Any) -> st.SearchStrategy:
    """Widths d0, d1, d2, the hidden activation g and the output head; extra axes (lists) as given."""
    widths = {name: range(min_width, 5) for name in ("d0", "d1", "d2")}
    return grid(**widths, hidden=ANY_ACTIVATIONS, head=HEADS, **extra)


CASES = net_cases()
WIDE = net_cases(min_width=2)  # existential claims need two units to differ
STEPS = net_cases(steps=range(0, 5))
# Up to 200 steps: the twin decides the instances long training leaves unclear to float64, and
# t = 1000 would cost seconds per example even at width 4 (see the after-t-steps formalisation).
LONG_STEPS = net_cases(steps=[0, 1, 2, 3, 4, 10, 30, 100, 200])

# Issue 6: the regime where float64 BLAS breaks the symmetry: widths up to 64 with full-batch steps
# over m = 32 data points. At width 63 BLAS rounds identical units differently in most instances
# (measured; not at 8, 16, 32 or 64); the screen's reordered rerun sees that as rounding.
BIG_WIDTHS = (8, 16, 32, 63, 64)


def _tied(case: dict[str, Any]) -> dict[str, Any]:
    d = case.pop("d")
    return {"d0": d, "d1": d, "d2": d, **case}


def batch_cases() -> st.SearchStrategy:
    """Widths 1..4 (each layer its own) with m = 1 or 32 data points, or d0 = d1 = d2 in BIG_WIDTHS with m = 32.

    One draw in ten is big (about 0.4 s each to screen at width 63), which keeps the claim within
    the ci budget and puts the ci profile's spot checks (instance 0 of the first 5 examples, each
    evaluated by the twin) on small cases.
    """
    small = net_cases(m=[1, 32])
    big = grid(hidden=ANY_ACTIVATIONS, head=HEADS, d=BIG_WIDTHS, m=[32]).map(_tied)
    return st.integers(0, 9).flatmap(lambda k: big if k == 9 else small)


# ---------------------------------------------------------------- instances: the free parameters


def _data(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Input x^(0), targets y in [0, 1] (valid for every head) and a learning rate eta."""
    return {"x": normal(rng, n, case.d0), "y": rng.uniform(0, 1, (n, case.d2)), "eta": rng.uniform(0.05, 1.0, n)}


def constant_init(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """The one constant w of a constant initialisation (sometimes exactly 0), with data."""
    w = np.where(rng.random(n) < 0.1, 0.0, rng.normal(size=n))
    return {"w": w, **_data(case, rng, n)}


def pattern_init(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Weights with the symmetric pattern: w_ij^(1) = a_i (same for all j), w_ij^(2) = b_j (same for all i)."""
    return {"a": normal(rng, n, case.d0), "b": normal(rng, n, case.d2), **_data(case, rng, n)}


def pattern_batch_init(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """The symmetric pattern (a_i, b_j) with m data points: x (n, m, d0), y (n, m, d2), one eta."""
    data = {"x": normal(rng, n, case.m, case.d0), "y": rng.uniform(0, 1, (n, case.m, case.d2)), "eta": rng.uniform(0.05, 1.0, n)}
    return {"a": normal(rng, n, case.d0), "b": normal(rng, n, case.d2), **data}


def general_init(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Arbitrary weight matrices V = W^(1) (d1 x d0) and W = W^(2) (d2 x d1), with data."""
    return {"V": normal(rng, n, case.d1, case.d0), "W": normal(rng, n, case.d2, case.d1), **_data(case, rng, n)}


# ---------------------------------------------------------------- nets and their passes


def _net(v: Any, V: Any, W: Any) -> fcnet.Net:
    return fcnet.Net((V, W), hidden=v.hidden, output=v.head[0], loss=v.head[1])


def constant_net(v: Any) -> fcnet.Net:
    """Every weight of both layers equal to the constant w."""
    w = np.asarray(v.w)[..., None, None]
    return _net(v, w * np.ones((v.d1, v.d0), int), w * np.ones((v.d2, v.d1), int))


def pattern_net(v: Any) -> fcnet.Net:
    """w_ij^(1) = a_i for every hidden j, w_ij^(2) = b_j for every hidden i."""
    a, b = np.asarray(v.a), np.asarray(v.b)
    return _net(v, a[..., None, :] * np.ones((v.d1, 1), int), b[..., :, None] * np.ones((1, v.d1), int))


def general_net(v: Any) -> fcnet.Net:
    return _net(v, v.V, v.W)


def act(v: Any, layer: int, ops: Any) -> fcnet.Activation:
    """(g, g') of a layer: the hidden activation for layer 1, the output one for layer 2."""
    return fcnet.activation(v.hidden if layer == 1 else v.head[0], ops)


def passes(net: fcnet.Net, v: Any, ops: Any) -> tuple[fcnet.Cache, fcnet.Grads]:
    """Forward values and backpropagated gradients of one net on the instance's data."""
    return fcnet.forward(net, v.x, ops), fcnet.backward(net, v.x, v.y, ops)


def _delta(net: fcnet.Net, v: Any, ops: Any, layer: int) -> Any:
    return fcnet.backward(net, v.x, v.y, ops).delta[layer]


def after_steps(net: fcnet.Net, v: Any, ops: Any, steps: int) -> fcnet.Net:
    """The net after ``steps`` full-batch gradient-descent steps on (x, y) with rate eta."""
    for _ in range(steps):
        net = fcnet.gd_step(net, v.x, v.y, v.eta, ops)
    return net


def batch_gd_step(net: fcnet.Net, v: Any, ops: Any) -> fcnet.Net:
    """One full-batch gradient-descent step on the mean loss over the m data points x (..., m, d0)."""
    per_point = replace(net, Ws=tuple(W[..., None, :, :] for W in net.Ws))  # the weights broadcast over the data points
    grads = fcnet.backward(per_point, v.x, v.y, ops, over_data=True)  # dW summed over the m points
    eta = np.asarray(v.eta)[..., None, None]
    return replace(net, Ws=tuple(W - eta * (dW / v.m) for W, dW in zip(net.Ws, grads.dWs)))


def flat(mats: Any) -> Any:
    """Both weight matrices as one vector per instance (so a derivation line holds every w_ij^(l))."""
    return np.concatenate([np.reshape(m, np.shape(m)[:-2] + (-1,)) for m in mats], axis=-1)


def col(x: Any) -> Any:
    """A per-instance scalar as a length-1 vector, compared against every unit by broadcasting."""
    return np.asarray(x)[..., None]


def differs_along(x: Any, axis: int) -> Any:
    """Some entry of x differs from the first entry along the axis (a broken symmetry)."""
    return differ(x, np.take(np.asarray(x), [0], axis=axis))
