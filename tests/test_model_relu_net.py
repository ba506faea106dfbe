"""models.relu_net against mpmath.diff of its own MP forward pass (002 Problem 3).

Instances are chosen without running the code under test: a plain-Python transcription of the
worksheet's equations (``reference``) keeps them away from every ReLU kink, and picks ones with
every unit active (so each link, h1 -> h3 and h1 -> h4 included, carries a gradient) as well as
ones where h1 is switched off (z1 = -1, the worksheet's training case). The forward pass is
compared with the same transcription; a backward that drops the path through h4 must be rejected.
"""

from __future__ import annotations

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


def reference(p: relu_net.Weights, x1: float, x2: float) -> dict[str, float]:
    """Pre-activations and output of 002 Problem 3's network, transcribed from the model's docstring."""
    def relu(v: float) -> float:
        return max(v, 0.0)

    z1, z2 = p.w1 * x1 + p.u1 * x2, p.u2 * x1 + p.u3 * x2
    z3 = p.w2 * relu(z1) + p.w6 * relu(z2)
    z4 = p.w4 * relu(z1) + p.u4 * relu(z2)
    z = p.w3 * relu(z3) + p.w5 * relu(z4)
    return {"z1": z1, "z2": z2, "z3": z3, "z4": z4, "z": z, "y": relu(z)}


def instance(seed: int, dead_h1: bool = False, active: bool = False) -> tuple:
    """Float64 weights, inputs and target, redrawn until every pre-activation is 0.05 from 0
    (and, if ``active``, every one positive), judged by the reference, not by the model."""
    rng = np.random.default_rng(seed)
    while True:
        p = relu_net.Weights(*rng.standard_normal(len(NAMES)))
        x1, x2, t = rng.standard_normal(3)
        if dead_h1:  # z1 = w1 x1 + u1 x2 = -1
            p = replace(p, w1=(-1 - p.u1 * x2) / x1)
        ref = reference(p, x1, x2)
        pre = [ref[k] for k in ("z1", "z2", "z3", "z4", "z")]
        if min(map(abs, pre)) > 0.05 and (not active or min(pre) > 0):
            return p, x1, x2, t


def mp_instance(seed: int, dead_h1: bool = False, active: bool = False) -> tuple:
    p, x1, x2, t = instance(seed, dead_h1, active)
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


@pytest.mark.parametrize("kind", ["all-active", "generic", "h1-off"])
@pytest.mark.parametrize("k", range(3))
def test_weight_grads_match_mpmath(k, kind):
    p, x1, x2, t = mp_instance({"all-active": 0, "generic": 100, "h1-off": 300}[kind] + k, kind == "h1-off", kind == "all-active")
    report = check_grad(loss_of(x1, x2, t), as_params(p), hand(p, x1, x2, t), list(NAMES))
    assert report.ok, str(report)


def backward_without_h4_path(p: Any, x1: Any, x2: Any, g: Any, ops: Any) -> Any:
    """A broken backward that forgets the second path h1 -> h4 -> y when reaching z1."""
    return relu_net.backward(replace(p, w5=p.w5 * 0), x1, x2, g, ops)


@pytest.mark.parametrize("seed", range(5))
def test_forward_matches_the_worksheet_equations(seed):
    for p, x1, x2, _ in (instance(seed), instance(seed, active=True), instance(seed, dead_h1=True)):
        f = relu_net.forward(p, x1, x2, F64)
        ref = reference(p, x1, x2)
        np.testing.assert_allclose([getattr(f, k) for k in ref], list(ref.values()), rtol=1e-12, atol=1e-12)


def test_gradient_check_rejects_backward_missing_a_path():
    p, x1, x2, t = mp_instance(0, active=True)
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
