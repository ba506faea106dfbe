"""models.threshold_net against mpmath (002 Problem 1).

The backward pass (every gradient 0: the step is flat away from its jump) is compared with
mpmath.diff of the MP forward at instances with no pre-activation near 0; a straight-through
backward (step' taken as 1) must be rejected. The forward is compared with a plain-Python
re-implementation, including ties where the threshold fires at exactly 0, and the loss with
values worked out by hand. Instances are chosen by that re-implementation, not by the model.
"""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np
import pytest

from models import threshold_net
from models.ops import F64, MP, to_mp
from tests.test_models import DPS, check_f64, check_grad

NAMES = ["dW1", "db1", "dw2", "db2"]


@pytest.fixture(autouse=True)
def _precision():
    with mpmath.workdps(DPS):
        yield


def instance(seed: int, d: int = 5, m: int = 4) -> tuple:
    """Float64 parameters, input and target with every pre-activation at least 0.05 from 0."""
    rng = np.random.default_rng(seed)
    while True:
        W1, b1, w2 = rng.standard_normal((m, d)), rng.standard_normal(m), rng.standard_normal(m)
        b2, x, t = rng.standard_normal(), rng.standard_normal(d), float(rng.integers(0, 2))
        z = W1 @ x + b1
        a = w2 @ (z >= 0) + b2
        if min(np.min(np.abs(z)), abs(a)) > 0.05:
            return W1, b1, w2, b2, x, t


def loss_of(x: Any, t: Any) -> Any:
    return lambda ps: threshold_net.loss(ps[0], ps[1], ps[2], ps[3][0], x, t, MP)


def mp_params(W1: Any, b1: Any, w2: Any, b2: Any) -> list:
    return [to_mp(W1), to_mp(b1), to_mp(w2), to_mp(np.array([b2]))]


def hand(W1: Any, b1: Any, w2: Any, b2: Any, x: Any, t: Any, straight_through: bool = False) -> list:
    if not straight_through:
        g = threshold_net.backward(W1, b1, w2, b2, x, t, MP)
        return [g.W1, g.b1, g.w2, np.asarray(g.b2, dtype=object).reshape(1)]
    # The wrong variant: step'(z) taken as 1, as if the threshold were the identity.
    f = threshold_net.forward(W1, b1, w2, b2, x, MP)
    d_a = f.y - t
    d_z = d_a * w2
    return [MP.outer(d_z, x), d_z, d_a * f.h, np.asarray(d_a, dtype=object).reshape(1)]


@pytest.mark.parametrize("seed", range(3))
def test_backward_matches_mpmath(seed):
    W1, b1, w2, b2, x, t = instance(seed)
    params, x, t = mp_params(W1, b1, w2, b2), to_mp(x), to_mp(t)
    report = check_grad(loss_of(x, t), params, hand(*params[:3], params[3][0], x, t), NAMES)
    assert report.ok, str(report)


def test_gradient_check_rejects_straight_through_backward():
    for seed in range(20):  # an instance whose output is wrong, so the fake gradient is non-zero
        W1, b1, w2, b2, x, t = instance(seed)
        if plain_forward(W1, b1, w2, b2, x) != t:
            break
    params, x, t = mp_params(W1, b1, w2, b2), to_mp(x), to_mp(t)
    broken = hand(*params[:3], params[3][0], x, t, straight_through=True)
    report = check_grad(loss_of(x, t), params, broken, NAMES)
    assert not report.ok, str(report)


def plain_forward(W1: Any, b1: Any, w2: Any, b2: Any, x: Any) -> int:
    """The network written out with Python loops: fires at exactly 0 (sigma(0) = 1)."""
    h = [1 if sum(W1[i][j] * x[j] for j in range(len(x))) + b1[i] >= 0 else 0 for i in range(len(b1))]
    return 1 if sum(w * hi for w, hi in zip(w2, h)) + b2 >= 0 else 0


def test_forward_matches_plain_python_including_ties():
    rng = np.random.default_rng(11)
    W1, b1, w2 = rng.integers(-2, 3, (4, 5)), rng.integers(-1, 2, 4), rng.integers(-2, 3, 4)
    xs = rng.integers(-2, 3, (200, 5)).astype(float)  # small integers: many exact zeros
    ys = threshold_net.forward(W1, b1, w2, 0, xs, F64).y
    assert [int(y) for y in ys] == [plain_forward(W1, b1, w2, 0, x) for x in xs]


def test_float64_batch_matches_mpmath_per_instance():
    insts = [instance(seed) for seed in range(3)]
    W1, b1, w2, b2, x, t = (np.stack([np.asarray(i[j]) for i in insts]) for j in range(6))
    f64 = threshold_net.forward(W1, b1, w2, b2, x, F64)
    per = []
    for inst in insts:
        f = threshold_net.forward(*map(to_mp, inst[:5]), MP)
        per.append([f.z, f.h, f.a, f.y])
    report = check_f64([f64.z, f64.h, f64.a, f64.y], per, ["z", "h", "a", "y"])
    assert report.ok, str(report)


# Hidden units all fire (W1 = 0, b1 = 1: z = 1), so a = sum(w2) + b2 decides y; t is the target.
LOSS_CASES = [  # (w2, b2, t, y, 1/2 (y - t)^2)
    ([1.0, 1.0], 0.0, 0.0, 1, 0.5),
    ([1.0, 1.0], -3.0, 0.0, 0, 0.0),
    ([1.0, 1.0], 0.0, 3.0, 1, 2.0),
    ([-1.0, 0.5], 0.0, 1.0, 0, 0.5),
]


@pytest.mark.parametrize("case", LOSS_CASES, ids=str)
def test_loss_is_half_the_squared_error_worked_by_hand(case):
    w2, b2, t, y, expected = case
    W1, b1, x = np.zeros((2, 3)), np.ones(2), np.array([0.5, -1.0, 2.0])
    assert threshold_net.forward(W1, b1, np.array(w2), b2, x, F64).y == y
    assert threshold_net.loss(W1, b1, np.array(w2), b2, x, t, F64) == expected
    assert threshold_net.loss(*map(to_mp, (W1, b1, np.array(w2), b2, x, t)), MP) == expected
