"""The skip-connection MLP of 002 Problem 4: every hand-written derivative against mpmath.diff.

Each adjoint of ``backward`` and each edge derivative of ``local_derivatives`` is compared with
``mpmath.diff`` of the MP forward (the loss as a function of that one node) at ``DPS`` digits;
the float64 batch is compared with the MP twin per instance; a broken backward must be rejected.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import mpmath
import numpy as np
import pytest
from test_models import DPS, check_f64, check_grad, compare, numeric_grad

from models import skip_connection as sc
from models.ops import F64, MP, to_mp

# N != K in most shapes, so a transposed matrix or a swapped index cannot pass unnoticed.
SHAPES = [(3, 2), (2, 4), (1, 3), (3, 3)]
IDS = [f"N{n}-K{k}" for n, k in SHAPES]


@pytest.fixture(autouse=True)
def _precision():
    with mpmath.workdps(DPS):
        yield


def instance(N: int, K: int, seed: int) -> tuple[sc.SkipMLP, np.ndarray]:
    rng = np.random.default_rng(seed)
    g = rng.standard_normal
    return sc.SkipMLP(g((K, N)), g(K), g((N, K)), g(N), g(K), g(N)), g(N)


def mp_instance(N: int, K: int, seed: int) -> tuple[sc.SkipMLP, Any]:
    net, x = instance(N, K, seed)
    fields = {k: to_mp(v) for k, v in net.__dict__.items()}
    return sc.SkipMLP(**fields), to_mp(x)


def jacobian(f: Any, at: Any) -> Any:
    """d f_i / d at_j by mpmath.diff, one output entry at a time (rows = outputs)."""
    rows = [numeric_grad(lambda p, i=i: f(p[0])[i], [at])[0] for i in range(len(f(at)))]
    return np.array(rows, dtype=object)


@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_adjoints_of_nodes_match_mpmath(shape):
    net, x = mp_instance(*shape, seed=sum(shape))
    fwd, bar = sc.forward(net, x, MP), sc.backward(net, x, MP)
    numeric = [
        numeric_grad(lambda p: sc.loss(net, p[0], MP), [x])[0],
        numeric_grad(lambda p: sc.loss_given_z(net, x, p[0], MP), [fwd.z])[0],
        numeric_grad(lambda p: sc.loss_given_h(net, x, p[0], MP), [fwd.h])[0],
        numeric_grad(lambda p: sc.loss_given_y(net, fwd.h, p[0], MP), [fwd.y])[0],
        mpmath.diff(lambda R: sc.total(fwd.S, R), fwd.R),
        mpmath.diff(lambda S: sc.total(S, fwd.R), fwd.S),
    ]
    hand = [bar.x_bar, bar.z_bar, bar.h_bar, bar.y_bar, bar.R_bar, bar.S_bar]
    report = compare(hand, numeric, ["x_bar", "z_bar", "h_bar", "y_bar", "R_bar", "S_bar"])
    assert report.ok, str(report)


@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_parameter_adjoints_match_mpmath(shape):
    net, x = mp_instance(*shape, seed=10 + sum(shape))
    bar = sc.backward(net, x, MP)
    names = ["W1", "b1", "W2", "b2"]

    def f(params: list) -> Any:
        return sc.loss(replace(net, **dict(zip(names, params))), x, MP)

    hand = [bar.W1_bar, bar.b1_bar, bar.W2_bar, bar.b2_bar]
    report = check_grad(f, [getattr(net, n) for n in names], hand, [n + "_bar" for n in names])
    assert report.ok, str(report)


@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_edge_derivatives_match_mpmath(shape):
    net, x = mp_instance(*shape, seed=20 + sum(shape))
    fwd, loc = sc.forward(net, x, MP), sc.local_derivatives(net, x, MP)
    numeric = [
        mpmath.diff(lambda S: sc.total(S, fwd.R), fwd.S),
        mpmath.diff(lambda R: sc.total(fwd.S, R), fwd.R),
        numeric_grad(lambda p: sc.fit_term(net, p[0], MP), [fwd.y])[0],
        numeric_grad(lambda p: sc.reg_term(net, p[0], MP), [fwd.h])[0],
        jacobian(lambda h: sc.output(net, x, h, MP), fwd.h),
        jacobian(MP.sigmoid, fwd.z),
        jacobian(lambda v: sc.pre_activation(net, v, MP), x),
        jacobian(lambda v: sc.output(net, v, fwd.h, MP), x),
    ]
    report = compare(list(loc), numeric, list(sc.Local._fields))
    assert report.ok, str(report)


def results(net: sc.SkipMLP, x: Any, ops: Any) -> list:
    return [*sc.forward(net, x, ops), *sc.local_derivatives(net, x, ops), *sc.backward(net, x, ops)]


@pytest.mark.parametrize("shape", SHAPES, ids=IDS)
def test_float64_batch_matches_mpmath_per_instance(shape):
    instances = [instance(*shape, seed=30 + k) for k in range(3)]
    nets, xs = zip(*instances)
    batch = sc.SkipMLP(**{k: np.stack([n.__dict__[k] for n in nets]) for k in nets[0].__dict__})
    batched = results(batch, np.stack(xs), F64)
    per_instance = [results(*mp_instance(*shape, seed=30 + k), MP) for k in range(3)]
    names = [*sc.Forward._fields, *sc.Local._fields, *sc.Backward._fields]
    report = check_f64(batched, per_instance, names)
    assert report.ok, str(report)


def broken_x_bar(net: sc.SkipMLP, x: Any, bug: str) -> Any:
    """x_bar with one classic slip in the backward pass of 002 Problem 4."""
    bar = sc.backward(net, x, MP)
    if bug == "skip path dropped":
        return MP.matvec(MP.T(net.W1), bar.z_bar)
    if bug == "sigma' left out":
        return MP.matvec(MP.T(net.W1), bar.h_bar) + bar.y_bar
    if bug == "R branch dropped":
        z = sc.pre_activation(net, x, MP)
        z_bar = MP.matvec(MP.T(net.W2), bar.y_bar) * MP.sigmoid_prime(z)
        return MP.matvec(MP.T(net.W1), z_bar) + bar.y_bar
    raise ValueError(bug)


@pytest.mark.parametrize("bug", ["skip path dropped", "sigma' left out", "R branch dropped"])
def test_gradient_check_rejects_broken_backward(bug):
    # N = K so that every slip still has the right shape and only its values can give it away.
    net, x = mp_instance(3, 3, seed=7)
    report = check_grad(lambda p: sc.loss(net, p[0], MP), [x], [broken_x_bar(net, x, bug)], ["x_bar"])
    assert not report.ok, str(report)


def test_edge_check_rejects_a_full_sigmoid_jacobian():
    # The matrix with sigma'(z_1..z_K) in every row is not the Jacobian of an elementwise map.
    net, x = mp_instance(2, 3, seed=8)
    z = sc.pre_activation(net, x, MP)
    full = np.ones((3, 1), dtype=int) * MP.sigmoid_prime(z)[None, :]
    report = compare([full], [jacobian(MP.sigmoid, z)], ["dh_dz"])
    assert not report.ok, str(report)
