"""models.two_layer against mpmath.diff of its own MP forward pass (003 part 1).

Every hand-written gradient and Jacobian is compared with numerical derivatives of the MP twin
at DPS digits; the float64 batch is compared with the twin per instance; broken variants of the
backward pass and of a Jacobian must be rejected by the same checks.
"""

from __future__ import annotations

import functools
from typing import Any

import mpmath
import numpy as np
import pytest

from models import two_layer
from models.ops import F64, MP, to_mp
from tests.test_models import DPS, check_f64, check_grad, compare, numeric_grad

SHAPES = [(3, 4, 2), (1, 1, 1), (2, 3, 4), (4, 2, 3)]  # (n, m, q)


@pytest.fixture(autouse=True)
def _precision():
    with mpmath.workdps(DPS):
        yield


def instance(n: int, m: int, q: int, seed: int) -> tuple:
    """Float64 W1 (m, n), W2 (q, m), x (n,), y (q,)."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, n)), rng.standard_normal((q, m)), rng.standard_normal(n), rng.standard_normal(q)


@functools.cache
def mp_case(shape: tuple) -> tuple:
    """MP instance and its hand-written gradients."""
    W1, W2, x, y = map(to_mp, instance(*shape, seed=sum(shape)))
    with mpmath.workdps(DPS):
        return W1, W2, x, y, two_layer.backward(W1, W2, x, y, MP)


def squared(r: Any) -> Any:
    return MP.sum(r * r)


def numeric_jacobian(f: Any, p: Any) -> Any:
    """d f / d p as a matrix (outputs, p.size), p flattened row by row, by mpmath.diff."""
    out = len(f(p))
    rows = [numeric_grad(lambda ps, i=i: f(ps[0])[i], [p])[0].reshape(-1) for i in range(out)]
    return np.array(rows, dtype=object)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_weight_and_input_grads_match_mpmath(shape):
    W1, W2, x, y, g = mp_case(shape)
    report = check_grad(lambda p: two_layer.error(p[0], p[1], p[2], y, MP), [W1, W2, x], [g.W1, g.W2, g.x], ["dW1", "dW2", "dx"])
    assert report.ok, str(report)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_intermediate_grads_match_mpmath(shape):
    W1, W2, x, y, g = mp_case(shape)
    f = two_layer.forward(W1, W2, x, MP)
    numeric = [
        numeric_grad(lambda p: squared(p[0] - y), [f.y_hat])[0],
        numeric_grad(lambda p: squared(MP.matvec(W2, p[0]) - y), [f.h])[0],
        numeric_grad(lambda p: squared(MP.matvec(W2, MP.sigmoid(p[0])) - y), [f.z])[0],
    ]
    report = compare([g.y_hat, g.h, g.z], numeric, ["dy_hat", "dh", "dz"])
    assert report.ok, str(report)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_jacobians_match_mpmath(shape):
    W1, W2, x, _, _ = mp_case(shape)
    f = two_layer.forward(W1, W2, x, MP)
    m, q = W1.shape[0], W2.shape[0]
    hand = [
        two_layer.jacobian_z_x(W1, MP),
        two_layer.jacobian_z_W1(x, m, MP),
        two_layer.jacobian_h_z(f.z, MP),
        two_layer.jacobian_y_h(W2, MP),
        two_layer.jacobian_y_W2(f.h, q, MP),
    ]
    numeric = [
        numeric_jacobian(lambda v: MP.matvec(W1, v), x),
        numeric_jacobian(lambda W: MP.matvec(W, x), W1),
        numeric_jacobian(MP.sigmoid, f.z),
        numeric_jacobian(lambda v: MP.matvec(W2, v), f.h),
        numeric_jacobian(lambda W: MP.matvec(W, f.h), W2),
    ]
    report = compare(hand, numeric, ["dz/dx", "dz/dW1", "dh/dz", "dy_hat/dh", "dy_hat/dW2"])
    assert report.ok, str(report)


def results(W1: Any, W2: Any, x: Any, y: Any, ops: Any) -> list:
    f = two_layer.forward(W1, W2, x, ops)
    g = two_layer.backward(W1, W2, x, y, ops)
    m, q = W1.shape[-2], W2.shape[-2]
    jacobians = [
        two_layer.jacobian_z_x(W1, ops),
        two_layer.jacobian_z_W1(x, m, ops),
        two_layer.jacobian_h_z(f.z, ops),
        two_layer.jacobian_y_W2(f.h, q, ops),
    ]
    return [f.y_hat, two_layer.error(W1, W2, x, y, ops), g.y_hat, g.h, g.z, g.x, g.W1, g.W2, *jacobians]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_float64_batch_matches_mpmath_per_instance(shape):
    instances = [instance(*shape, seed=50 + k) for k in range(3)]
    batched = results(*(np.stack(a) for a in zip(*instances, strict=True)), F64)
    per_instance = [results(*map(to_mp, inst), MP) for inst in instances]
    report = check_f64(batched, per_instance, [f"result{k}" for k in range(len(batched))])
    assert report.ok, str(report)


def maybe_broken_backward(W1: Any, W2: Any, x: Any, y: Any, bug: str | None) -> list:
    """dE/dW1, dE/dW2: correct for bug=None, else with one deliberate bug (square layers, so shapes fit)."""
    f = two_layer.forward(W1, W2, x, MP)
    d_y = (f.y_hat - y) if bug == "missing factor 2" else 2 * (f.y_hat - y)
    d_h = MP.matvec(W2 if bug == "W2 not transposed" else MP.T(W2), d_y)
    d_z = d_h if bug == "missing sigmoid'" else d_h * MP.sigmoid_prime(f.z)
    dW1 = MP.outer(x, d_z) if bug == "outer factors swapped" else MP.outer(d_z, x)
    return [dW1, MP.outer(d_y, f.h)]


@pytest.mark.parametrize("bug", [None, "missing factor 2", "W2 not transposed", "missing sigmoid'", "outer factors swapped"])
def test_gradient_check_rejects_broken_backward(bug):
    W1, W2, x, y = map(to_mp, instance(3, 3, 3, seed=11))
    hand = maybe_broken_backward(W1, W2, x, y, bug)
    report = check_grad(lambda p: two_layer.error(p[0], p[1], x, y, MP), [W1, W2], hand, ["dW1", "dW2"])
    assert report.ok == (bug is None), str(report)


def test_jacobian_check_rejects_column_major_flattening():
    # Negative control: x^T kron I_m (W1 flattened column by column) is not dz/dW1 in our layout.
    W1, _, x, _ = map(to_mp, instance(3, 2, 1, seed=12))
    wrong = np.kron(x[None, :], np.eye(2, dtype=int))
    report = compare([wrong], [numeric_jacobian(lambda W: MP.matvec(W, x), W1)], ["dz/dW1"])
    assert not report.ok, str(report)
