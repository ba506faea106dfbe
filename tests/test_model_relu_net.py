"""models.relu_net against mpmath.diff of its own MP forward pass (002 Problem 3).

Instances are drawn away from every ReLU kink (where the derivative exists), including ones where
h1 is switched off (z1 = -1, the worksheet's training case); a backward that drops the path
through h4 must be rejected by the same check.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Any

import mpmath
import numpy as np
import pytest

from models import relu_net
from models.ops import F64, MP, to_mp
from tests.test_models import DPS, check_f64, check_grad

NAMES = relu_net.Weights.names()


@pytest.fixture(autouse=True)
def _precision():
    with mpmath.workdps(DPS):
        yield


def instance(seed: int, dead_h1: bool = False) -> tuple:
    """Float64 weights, inputs and target, redrawn until every pre-activation is 0.05 from 0."""
    rng = np.random.default_rng(seed)
    while True:
        p = relu_net.Weights(*rng.standard_normal(len(NAMES)))
        x1, x2, t = rng.standard_normal(3)
        if dead_h1:  # z1 = w1 x1 + u1 x2 = -1
            p = replace(p, w1=(-1 - p.u1 * x2) / x1)
        f = relu_net.forward(p, x1, x2, F64)
        if min(abs(v) for v in (f.z1, f.z2, f.z3, f.z4, f.z)) > 0.05:
            return p, x1, x2, t


def mp_instance(seed: int, dead_h1: bool = False) -> tuple:
    p, x1, x2, t = instance(seed, dead_h1)
    return relu_net.Weights(*(to_mp(getattr(p, n)) for n in NAMES)), *map(to_mp, (x1, x2, t))


def loss_of(x1: Any, x2: Any, t: Any) -> Any:
    """The MP loss as a function of the ten weights, each a one-entry array."""
    return lambda ws: relu_net.half_sq_loss(relu_net.Weights(*(w[0] for w in ws)), x1, x2, t, MP)


def hand(p: relu_net.Weights, x1: Any, x2: Any, t: Any, backward: Any = relu_net.backward) -> list:
    g = relu_net.forward(p, x1, x2, MP).y - t
    grads = backward(p, x1, x2, g, MP).w
    return [np.array([getattr(grads, n)], dtype=object) for n in NAMES]


def as_params(p: relu_net.Weights) -> list:
    return [np.array([getattr(p, n)], dtype=object) for n in NAMES]


@functools.cache
def seeds_with_active_paths() -> list[int]:
    """Seeds whose instance keeps y, h3 and h4 all active, so every weight gradient is exercised."""
    out = []
    for seed in range(200):
        f = relu_net.forward(instance(seed)[0], *instance(seed)[1:3], F64)
        if f.z > 0 and f.z3 > 0 and f.z4 > 0:
            out.append(seed)
    return out[:3]


@pytest.mark.parametrize("dead_h1", [False, True], ids=["generic", "h1-off"])
@pytest.mark.parametrize("k", range(3))
def test_weight_grads_match_mpmath(k, dead_h1):
    seed = seeds_with_active_paths()[k] if not dead_h1 else 300 + k
    p, x1, x2, t = mp_instance(seed, dead_h1)
    report = check_grad(loss_of(x1, x2, t), as_params(p), hand(p, x1, x2, t), list(NAMES))
    assert report.ok, str(report)


def backward_without_h4_path(p: Any, x1: Any, x2: Any, g: Any, ops: Any) -> Any:
    """A broken backward that forgets the second path h1 -> h4 -> y when reaching z1."""
    return relu_net.backward(replace(p, w5=p.w5 * 0), x1, x2, g, ops)


def test_gradient_check_rejects_backward_missing_a_path():
    p, x1, x2, t = mp_instance(seeds_with_active_paths()[0])
    broken = hand(p, x1, x2, t, backward_without_h4_path)
    report = check_grad(loss_of(x1, x2, t), as_params(p), broken, list(NAMES))
    assert not report.ok, str(report)


def results(p: relu_net.Weights, x1: Any, x2: Any, t: Any, ops: Any) -> list:
    f = relu_net.forward(p, x1, x2, ops)
    g = relu_net.backward(p, x1, x2, f.y - t, ops)
    return [f.z1, f.h3, f.h4, f.y, *(getattr(g.w, n) for n in NAMES)]


def test_float64_batch_matches_mpmath_per_instance():
    insts = [instance(seed) for seed in range(4)]
    stacked = relu_net.Weights(*(np.array([getattr(i[0], n) for i in insts]) for n in NAMES))
    x1, x2, t = (np.array([i[j] for i in insts]) for j in (1, 2, 3))
    batched = results(stacked, x1, x2, t, F64)
    per = [results(*mp_instance(seed), MP) for seed in range(4)]
    report = check_f64(batched, per, [f"r{k}" for k in range(len(batched))])
    assert report.ok, str(report)
