"""Hand-written derivatives of the models against mpmath's own derivatives of their forward passes.

Every gradient is compared with ``mpmath.diff`` of the MP twin's forward at ``DPS`` digits; the
float64 backend is compared with the MP twin on the same inputs. Each checking helper also has a
negative control: a deliberately wrong formula that the same helper must reject.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, replace
from typing import Any

import mpmath
import numpy as np
import pytest

from models import fcnet, logistic, quadratic, skip_layer
from models.ops import F64, MP, to_mp

DPS = 50
# Both sides run at DPS digits through a few dozen well-conditioned operations, and mpmath.diff
# works at extra precision internally, so agreement to DPS - 20 digits leaves a wide margin while
# a wrong formula (an O(1) relative error) misses it by some 30 orders of magnitude.
MP_TOL = mpmath.mpf(10) ** -(DPS - 20)
# float64 against the exact value: under 100 roundings of O(1)-conditioned steps per entry in
# these small nets, each at most eps/2 relative; 1000 eps bounds that with room to spare.
F64_TOL = 1000 * np.finfo(float).eps


@pytest.fixture(autouse=True)
def _precision():
    with mpmath.workdps(DPS):
        yield


# ---------------------------------------------------------------- checking helpers


@dataclass(frozen=True)
class Mismatch:
    """Worst relative disagreement between two lists of arrays, and where it sits."""

    worst: Any
    where: str
    tol: Any

    @property
    def ok(self) -> bool:
        return self.worst <= self.tol

    def __str__(self) -> str:
        return f"worst relative error {mpmath.nstr(self.worst, 5)} at {self.where} (tol {self.tol})"


def compare(hand: list, ref: list, names: list[str], tol: Any = MP_TOL) -> Mismatch:
    """Entrywise |hand - ref| scaled by the larger of the two arrays' largest entries."""
    worst, where = mpmath.mpf(0), "nowhere"
    for name, h, r in zip(names, hand, ref, strict=True):
        h, r = np.asarray(h, dtype=object), np.asarray(r, dtype=object)
        assert h.shape == r.shape, f"{name}: shape {h.shape} but reference shape {r.shape}"
        scale = max([abs(v) for v in h.flat] + [abs(v) for v in r.flat] + [0])
        for idx in np.ndindex(h.shape):
            err = abs(mpmath.mpf(h[idx]) - mpmath.mpf(r[idx]))
            err = err / scale if scale else err
            if err > worst:
                worst, where = err, f"{name}{list(idx)}: {h[idx]} vs reference {r[idx]}"
    return Mismatch(worst, where, tol)


def numeric_grad(f: Any, params: list) -> list:
    """d f / d p for every entry p of every object array in params, by mpmath.diff."""
    grads = []
    for k, p in enumerate(params):
        g = np.empty(p.shape, dtype=object)
        for idx in np.ndindex(p.shape):

            def along(t, k=k, idx=idx):
                moved = [q.copy() for q in params]
                moved[k][idx] = t
                return f(moved)

            g[idx] = mpmath.diff(along, p[idx])
        grads.append(g)
    return grads


def check_grad(f: Any, params: list, hand: list, names: list[str]) -> Mismatch:
    """Hand-written gradient of f against mpmath.diff of f at the same parameters."""
    return compare(hand, numeric_grad(f, params), names)


def check_f64(batched: Any, per_instance: list, names: list[str]) -> Mismatch:
    """Batched float64 results against the MP twin run on each instance separately."""
    stacked = [np.stack([to_mp(np.asarray(inst[j])) for inst in per_instance]) for j in range(len(names))]
    return compare([to_mp(np.asarray(b)) for b in batched], stacked, names, tol=F64_TOL)


# ---------------------------------------------------------------- fully connected nets

FC_CONFIGS = [
    ((3, 4, 2), "sigmoid", "sigmoid", "half_sq", False),  # 004 part 2, 001 part 1
    ((4, 3, 2), "sigmoid", "identity", "sq", False),  # 003 part 1
    ((2, 5, 3, 2), "tanh", "sigmoid", "logistic", True),
    ((3, 4, 4, 1), "relu", "identity", "half_sq", True),
    ((3, 3, 2), "step", "sigmoid", "half_sq", True),
    ((2, 3), "sigmoid", "tanh", "sq", True),
]
FC_IDS = ["-".join(map(str, c[0])) + f"-{c[1]}-{c[2]}-{c[3]}" for c in FC_CONFIGS]


PLAIN = {"sigmoid": lambda s: 1 / (1 + np.exp(-s)), "tanh": np.tanh, "relu": lambda s: np.maximum(s, 0),
         "identity": lambda s: s, "step": lambda s: (s >= 0) * 1.0}


def plain_preactivations(Ws: tuple, bs: tuple | None, x: Any, hidden: str) -> list:
    """S^(1), ..., S^(L) written out with NumPy, so that choosing inputs does not run the code under test."""
    S, h = [], x
    for k, W in enumerate(Ws):
        S.append(W @ h + (0 if bs is None else bs[k]))
        h = PLAIN[hidden](S[-1])
    return S


def fc_instance(config: tuple, seed: int) -> tuple:
    """A float64 net, input and target; redrawn until no pre-activation is near the ReLU/step kink."""
    widths, hidden, output, loss, biases = config
    rng = np.random.default_rng(seed)
    while True:
        Ws = tuple(rng.standard_normal((o, i)) for i, o in itertools.pairwise(widths))
        bs = tuple(rng.standard_normal(o) for o in widths[1:]) if biases else None
        net = fcnet.Net(Ws, bs, hidden, output, loss)
        x = rng.standard_normal(widths[0])
        y = rng.uniform(0, 1, widths[-1]) if loss == "logistic" else rng.standard_normal(widths[-1])
        if min(np.min(np.abs(s)) for s in plain_preactivations(Ws, bs, x, hidden)) > 0.05:
            return net, x, y


def mp_net(net: fcnet.Net) -> fcnet.Net:
    bs = None if net.bs is None else tuple(map(to_mp, net.bs))
    return replace(net, Ws=tuple(map(to_mp, net.Ws)), bs=bs)


def with_biases(net: fcnet.Net) -> fcnet.Net:
    """The same function with explicit (zero if absent) biases, so dL/db = delta can be taken."""
    return net if net.bs is not None else replace(net, bs=tuple(W[:, 0] * 0 for W in net.Ws))


def fc_loss_of_params(net: fcnet.Net, x: Any, y: Any) -> Any:
    """The MP loss as a function of the list Ws + bs."""
    L = net.depth

    def f(params: list) -> Any:
        bs = tuple(params[L:]) if net.bs is not None else None
        return fcnet.loss(replace(net, Ws=tuple(params[:L]), bs=bs), x, y, MP)

    return f


@functools.cache
def fc_case(i: int) -> tuple:
    """MP net, input, target and its hand-written gradients for FC_CONFIGS[i]."""
    net, x, y = fc_instance(FC_CONFIGS[i], seed=i)
    net, x, y = mp_net(net), to_mp(x), to_mp(y)
    with mpmath.workdps(DPS):
        return net, x, y, fcnet.backward(net, x, y, MP)


def params_of(net: fcnet.Net) -> list:
    return list(net.Ws) + list(net.bs or ())


@pytest.mark.parametrize("i", range(len(FC_CONFIGS)), ids=FC_IDS)
def test_fc_weight_and_bias_grads_match_mpmath(i):
    net, x, y, grads = fc_case(i)
    hand = list(grads.dWs) + list(grads.dbs or ())
    names = [f"dW{k}" for k in range(net.depth)] + [f"db{k}" for k in range(len(net.bs or ()))]
    report = check_grad(fc_loss_of_params(net, x, y), params_of(net), hand, names)
    assert report.ok, str(report)


@pytest.mark.parametrize("i", range(len(FC_CONFIGS)), ids=FC_IDS)
def test_fc_deltas_are_loss_derivatives_wrt_preactivations(i):
    net, x, y, grads = fc_case(i)
    biased = with_biases(net)
    L = net.depth
    numeric = numeric_grad(lambda bs: fcnet.loss(replace(biased, bs=tuple(bs)), x, y, MP), list(biased.bs))
    report = compare(list(grads.delta[1:]), numeric, [f"delta{k}" for k in range(1, L + 1)])
    assert report.ok, str(report)


@pytest.mark.parametrize("i", range(len(FC_CONFIGS)), ids=FC_IDS)
def test_fc_activation_grads_match_mpmath(i):
    net, x, y, grads = fc_case(i)
    X = fcnet.forward(net, x, MP).X
    numeric = []
    for layer in range(net.depth):
        # dL/dX^(l) is the input gradient of the subnetwork made of layers l+1..L.
        bs = None if net.bs is None else net.bs[layer:]
        sub = replace(net, Ws=net.Ws[layer:], bs=bs)
        numeric += numeric_grad(lambda v, sub=sub: fcnet.loss(sub, v[0], y, MP), [X[layer]])
    numeric += numeric_grad(lambda v: fcnet.output_loss(v[0], y, net.loss, MP), [X[-1]])
    report = compare(list(grads.dX), numeric, [f"dX{k}" for k in range(net.depth + 1)])
    assert report.ok, str(report)


@pytest.mark.parametrize("i", range(len(FC_CONFIGS)), ids=FC_IDS)
def test_fc_gd_step_moves_against_mpmath_gradient(i):
    net, x, y, _ = fc_case(i)
    eta = mpmath.mpf("0.3")
    numeric = numeric_grad(fc_loss_of_params(net, x, y), params_of(net))
    expected = [p - eta * g for p, g in zip(params_of(net), numeric)]
    stepped = params_of(fcnet.gd_step(net, x, y, eta, MP))
    report = compare(stepped, expected, [f"param{k}" for k in range(len(expected))])
    assert report.ok, str(report)


def fc_results(net: fcnet.Net, x: Any, y: Any, ops: Any) -> list:
    g = fcnet.backward(net, x, y, ops)
    stepped = fcnet.gd_step(net, x, y, 0.1, ops)
    return [fcnet.loss(net, x, y, ops), *g.delta[1:], *g.dX, *g.dWs, *params_of(stepped)]


@pytest.mark.parametrize("i", range(len(FC_CONFIGS)), ids=FC_IDS)
def test_fc_float64_batch_matches_mpmath_per_instance(i):
    instances = [fc_instance(FC_CONFIGS[i], seed=100 + k) for k in range(3)]
    nets, xs, ys = zip(*instances)
    Ws = tuple(np.stack(layer) for layer in zip(*(n.Ws for n in nets)))
    bs = None if nets[0].bs is None else tuple(np.stack(b) for b in zip(*(n.bs for n in nets)))
    batch = replace(nets[0], Ws=Ws, bs=bs)
    batched = fc_results(batch, np.stack(xs), np.stack(ys), F64)
    per_instance = [fc_results(mp_net(n), to_mp(x), to_mp(y), MP) for n, x, y in instances]
    report = check_f64(batched, per_instance, [f"result{k}" for k in range(len(batched))])
    assert report.ok, str(report)


def buggy_backward(net: fcnet.Net, x: Any, y: Any, bug: str | None) -> list:
    """A one-hidden-layer sigmoid/half_sq backward, correct for bug=None, else with one bug."""
    V, W = net.Ws
    h = MP.sigmoid(MP.matvec(V, x))
    z = MP.sigmoid(MP.matvec(W, h))
    delta_z = (z - y) * z * (1 - z)
    back = MP.matvec(W if bug == "transposed W" else MP.T(W), delta_z)
    delta_h = back if bug == "missing sigmoid'" else back * h * (1 - h)
    dV, dW = MP.outer(delta_h, x), MP.outer(delta_z, h)
    if bug == "outer factors swapped":
        dW = MP.outer(h, delta_z)
    return [-dV, -dW] if bug == "wrong sign" else [dV, dW]


BUGS = ["transposed W", "wrong sign", "missing sigmoid'", "outer factors swapped"]


@pytest.mark.parametrize("bug", [None, *BUGS])
def test_gradient_check_rejects_broken_backprop(bug):
    # Square layers so that every bug still yields arrays of the right shape.
    net, x, y = fc_instance(((3, 3, 3), "sigmoid", "sigmoid", "half_sq", False), seed=7)
    net, x, y = mp_net(net), to_mp(x), to_mp(y)
    report = check_grad(
        fc_loss_of_params(net, x, y), list(net.Ws), buggy_backward(net, x, y, bug), ["dV", "dW"]
    )
    assert report.ok == (bug is None), str(report)


def test_f64_check_rejects_a_perturbed_result():
    net, x, y = fc_instance(FC_CONFIGS[0], seed=3)
    good = fc_results(mp_net(net), to_mp(x), to_mp(y), MP)
    off = [np.asarray(r, dtype=float) * (1 + 1e-9) for r in fc_results(net, x, y, F64)]
    names = [f"r{k}" for k in range(len(good))]
    report = check_f64([r[None] for r in off], [good], names)
    assert not report.ok, str(report)


def test_net_rejects_unknown_names_and_logistic_without_sigmoid():
    W = (np.eye(2),)
    for kwargs in ({"hidden": "swish"}, {"loss": "hinge"}, {"output": "identity", "loss": "logistic"}):
        with pytest.raises(ValueError):
            fcnet.Net(W, **kwargs)


# ---------------------------------------------------------------- logistic regression

LOGISTIC_SHAPES = [(5, 3), (8, 2), (4, 4)]


def logistic_instance(n: int, d: int, seed: int) -> tuple:
    rng = np.random.default_rng(seed)
    return rng.standard_normal(d), rng.standard_normal((n, d)), rng.integers(0, 2, n).astype(float)


def numeric_hessian(f: Any, w: Any) -> Any:
    """Second partials of f(w) by mpmath.diff, one entry at a time."""
    d = len(w)
    H = np.empty((d, d), dtype=object)
    for i, j in np.ndindex(d, d):
        orders = tuple((k == i) + (k == j) for k in range(d))
        H[i, j] = mpmath.diff(lambda *ws: f(np.array(ws, dtype=object)), tuple(w), orders)
    return H


@pytest.mark.parametrize("shape", LOGISTIC_SHAPES, ids=str)
def test_logistic_gradient_and_hessian_match_mpmath(shape):
    w, X, y = map(to_mp, logistic_instance(*shape, seed=sum(shape)))
    report = check_grad(
        lambda ws: logistic.nll(ws[0], X, y, MP), [w], [logistic.grad(w, X, y, MP)], ["gradJ"]
    )
    assert report.ok, str(report)
    H = numeric_hessian(lambda v: logistic.nll(v, X, y, MP), w)
    report = compare([logistic.hessian(w, X, y, MP)], [H], ["hessJ"])
    assert report.ok, str(report)


@pytest.mark.parametrize("wrong", ["X^T(y - s(Xw))", "X^T(s(-Xw) - y)"])
def test_gradient_check_rejects_wrong_logistic_gradient(wrong):
    w, X, y = map(to_mp, logistic_instance(5, 3, seed=8))
    u = MP.matvec(X, w)
    residual = y - MP.sigmoid(u) if wrong.startswith("X^T(y") else MP.sigmoid(-u) - y
    hand = MP.matvec(MP.T(X), residual)
    report = check_grad(lambda ws: logistic.nll(ws[0], X, y, MP), [w], [hand], ["gradJ"])
    assert not report.ok, str(report)


def test_logistic_nll_is_minus_log_likelihood():
    w, X, y = map(to_mp, logistic_instance(6, 3, seed=4))
    report = compare([logistic.nll(w, X, y, MP)], [-mpmath.log(logistic.likelihood(w, X, y, MP))], ["J"])
    assert report.ok, str(report)


def logistic_results(w: Any, X: Any, y: Any, ops: Any) -> list:
    return [
        logistic.probabilities(w, X, ops),
        logistic.nll(w, X, y, ops),
        logistic.grad(w, X, y, ops),
        logistic.hessian(w, X, y, ops),
        logistic.gd_step(w, X, y, 0.25, ops),
    ]


@pytest.mark.parametrize("scale", [1.0, 400.0], ids=["moderate", "scores-in-the-hundreds"])
def test_logistic_float64_batch_matches_mpmath(scale):
    # At scale 400 the scores reach |u| ~ 1000, where a naive log(1 + exp(-u)) overflows.
    instances = [logistic_instance(6, 3, seed=20 + k) for k in range(3)]
    instances = [(w * scale, X, y) for w, X, y in instances]
    batched = logistic_results(*(np.stack(a) for a in zip(*instances)), F64)
    per_instance = [logistic_results(*map(to_mp, inst), MP) for inst in instances]
    assert all(np.all(np.isfinite(b)) for b in batched)
    report = check_f64(batched, per_instance, ["q", "J", "gradJ", "hessJ", "step"])
    assert report.ok, str(report)


# ---------------------------------------------------------------- skip-layer networks


@pytest.mark.parametrize("g", ["sigmoid", "tanh"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scalar_skip_grad_y_matches_mpmath(g, seed):
    params = list(map(to_mp, np.random.default_rng(seed).standard_normal(4)))
    *w, x = params
    hand = [[h] for h in skip_layer.grad_y(*w, x, g, MP)]
    wrapped = [np.array([v], dtype=object) for v in w]

    def y_of(ws: list) -> Any:
        return skip_layer.scalar_forward(*(v[0] for v in ws), x, g, MP).y

    report = check_grad(y_of, wrapped, hand, ["w_xh", "w_hy", "w_xy"])
    assert report.ok, str(report)


def test_gradient_check_rejects_skip_grad_without_w_hy():
    w_xh, w_hy, w_xy, x = map(to_mp, np.random.default_rng(5).standard_normal(4))
    fwd = skip_layer.scalar_forward(w_xh, w_hy, w_xy, x, "sigmoid", MP)
    # The 000 2(d) derivative for w_xh with the chain-rule factor w_hy dropped.
    wrong = MP.sigmoid_prime(fwd.s_y) * MP.sigmoid_prime(fwd.s_h) * x

    def y_of(ws: list) -> Any:
        return skip_layer.scalar_forward(ws[0][0], w_hy, w_xy, x, "sigmoid", MP).y

    report = check_grad(y_of, [np.array([w_xh], dtype=object)], [[wrong]], ["w_xh"])
    assert not report.ok, str(report)


@pytest.mark.parametrize("g", ["sigmoid", "tanh"])
def test_scalar_skip_float64_batch_matches_mpmath(g):
    P = np.random.default_rng(9).standard_normal((5, 4))
    batched = [*skip_layer.scalar_forward(*P.T, g, F64), *skip_layer.grad_y(*P.T, g, F64)]
    per_instance = []
    for row in P:
        args = list(map(to_mp, row))
        per_instance.append([*skip_layer.scalar_forward(*args, g, MP), *skip_layer.grad_y(*args, g, MP)])
    report = check_f64(batched, per_instance, ["s_h", "h", "s_y", "y", "dw_xh", "dw_hy", "dw_xy"])
    assert report.ok, str(report)


def test_skip_net_output_is_a_layer_on_hidden_and_input_concatenated():
    net = skip_layer.make_skip_net((3, 4, 2, 2), np.random.default_rng(1), "tanh", "sigmoid")
    x = np.random.default_rng(2).standard_normal(3)
    hidden = fcnet.Net(net.Ws[:-1], None, "tanh", "tanh")
    h = fcnet.forward(hidden, x, F64).X[-1]
    expected = F64.sigmoid(np.hstack([net.Ws[-1], net.W_skip]) @ np.concatenate([h, x]))
    np.testing.assert_allclose(skip_layer.forward(net, x, F64).X[-1], expected, rtol=F64_TOL)


def test_skip_net_needs_an_input_and_an_output_width():
    for widths in ((), (3,)):
        with pytest.raises(ValueError, match="an input and an output width"):
            skip_layer.make_skip_net(widths)
    smallest = skip_layer.make_skip_net((3, 2))  # no hidden layer: the layer and the skip both map 3 -> 2
    assert [W.shape for W in smallest.Ws] == [(2, 3)] and smallest.W_skip.shape == (2, 3)
    assert skip_layer.count_weights(smallest) == 12


def test_fc_forward_matches_plain_numpy():
    for i, config in enumerate(FC_CONFIGS):
        net, x, _ = fc_instance(config, seed=50 + i)
        cache = fcnet.forward(net, x, F64)
        np.testing.assert_allclose(np.concatenate(cache.S[1:]), np.concatenate(plain_preactivations(net.Ws, net.bs, x, net.hidden)), rtol=1e-12)
        np.testing.assert_allclose(cache.X[-1], PLAIN[net.output](cache.S[-1]), rtol=1e-12)


def test_skip_net_shapes_and_count():
    zero = skip_layer.make_skip_net((2, 3, 1))
    assert [W.shape for W in zero.Ws] == [(3, 2), (1, 3)] and zero.W_skip.shape == (1, 2)
    assert not any(np.any(W) for W in (*zero.Ws, zero.W_skip))
    assert skip_layer.count_weights(zero) == 2 * 3 + 3 * 1 + 2 * 1


# ---------------------------------------------------------------- quadratic


@pytest.mark.parametrize("seed", [0, 1])
def test_quadratic_grad_matches_mpmath(seed):
    rng = np.random.default_rng(seed)
    w, (a, b) = to_mp(rng.standard_normal(2)), to_mp(rng.uniform(0.1, 5, 2))
    report = check_grad(
        lambda ws: quadratic.loss(ws[0], a, b, MP), [w], [quadratic.grad(w, a, b, MP)], ["gradL"]
    )
    assert report.ok, str(report)


def test_gradient_check_rejects_double_quadratic_grad():
    w, a, b = to_mp(np.array([0.7, -1.3])), mpmath.mpf(2), mpmath.mpf(3)
    report = check_grad(
        lambda ws: quadratic.loss(ws[0], a, b, MP), [w], [2 * quadratic.grad(w, a, b, MP)], ["gradL"]
    )
    assert not report.ok, str(report)


def test_quadratic_closed_form_equals_repeated_steps():
    w0, a, b, eta = to_mp(np.array([1.5, -0.5])), mpmath.mpf(0.5), mpmath.mpf(3.25), mpmath.mpf(0.55)
    report = compare(
        [quadratic.iterate(w0, a, b, eta, 40, MP)],
        [quadratic.iterate_by_steps(w0, a, b, eta, 40, MP)],
        ["w40"],
    )
    assert report.ok, str(report)


def test_quadratic_float64_batch_matches_mpmath():
    rng = np.random.default_rng(3)
    w0, a, b, eta = (
        rng.standard_normal((4, 2)),
        rng.uniform(0.1, 3, 4),
        rng.uniform(0.1, 3, 4),
        rng.uniform(0, 0.6, 4),
    )

    def results(w0, a, b, eta, ops):
        return [
            quadratic.gd_step(w0, a, b, eta, ops),
            quadratic.factors(a, b, eta, ops),
            quadratic.iterate(w0, a, b, eta, 7, ops),
        ]

    per_instance = [results(*map(to_mp, args), MP) for args in zip(w0, a, b, eta)]
    report = check_f64(results(w0, a, b, eta, F64), per_instance, ["step", "rho", "w7"])
    assert report.ok, str(report)


CONVERGENCE_CASES = [
    # (a, b, eta, w0, converges)
    (1.0, 1.0, 2.0, (1.0, 0.0), False),  # rho1 = -1 exactly: oscillates forever
    (1.0, 1.0, 0.0, (1.0, 1.0), False),  # eta = 0: nothing moves
    (1.0, 1.0, 0.0, (0.0, 0.0), True),  # already at the minimiser
    (4.0, 1.0, 1.0, (0.0, 1.0), True),  # the divergent direction is not excited
    (4.0, 1.0, 1.0, (1e-300, 1.0), False),
    (1.0, 1.0, 1.0, (5.0, -5.0), True),  # rho = 0: one step
    (3.0, 1.0, 2 / 3, (1.0, 1.0), True),  # 3 * fl(2/3) < 2 exactly, though it rounds to 2.0
    (0.1, 1.0, 20.0, (1.0, 1.0), False),  # fl(0.1) * 20 > 2 exactly, though it rounds to 2.0
]


@pytest.mark.parametrize("case", CONVERGENCE_CASES, ids=str)
def test_quadratic_convergence_decision_is_exact(case):
    a, b, eta, w0, expected = case
    assert quadratic.converges(a, b, eta, np.array(w0), F64) == expected
    assert quadratic.converges(*map(to_mp, (a, b, eta, np.array(w0))), MP) == expected


def test_quadratic_convergence_decision_batched():
    a, b, eta, w0, expected = (np.array(col) for col in zip(*CONVERGENCE_CASES))
    np.testing.assert_array_equal(quadratic.converges(a, b, eta, w0, F64), expected)


def test_naive_float_factor_misjudges_a_boundary_case():
    # Negative control: deciding from the float64 factor gets the 3 * fl(2/3) case wrong.
    rho = quadratic.factors(3.0, 1.0, 2 / 3, F64)
    assert not np.all(np.abs(rho) < 1) and quadratic.converges(3.0, 1.0, 2 / 3, np.ones(2), F64)
