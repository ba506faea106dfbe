"""The derivative primitive against every model's hand-written backward, as claims.

Each check differentiates the model's own forward (written against ``ops``, so Duals pass through)
with ``derivative``/``gradient``/``jacobian`` and compares it with the backward pass. Each claim
must hold under the control profile, and its negative control (a wrong backward) must be refuted.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from claims.engine import REGISTRY, Mutant, derivative, equal, forall, gradient, jacobian
from claims.engine.profiles import PROFILES
from claims.engine.run import run_claim
from claims.strategies import grid, labels, normal
from claims.worksheets import WS000
from models import fcnet, logistic, quadratic, relu_net, skip_connection, skip_layer, threshold_net, two_layer

CONTROL = PROFILES["control"]
BASE = {"worksheet": WS000, "location": "test", "statement": "a model's backward is its derivative"}


def claim(check, cases, instances, mutant):
    """Declare ``check`` as a forall claim pinned holds, in a scratch registry."""
    with REGISTRY.scratch() as reg:
        forall(id=f"t.{check.__name__.replace('_', '-')}", expected="holds", cases=cases, instances=instances, mutant=mutant, **BASE)(check)
        reg.validate()
        return next(iter(reg.claims.values()))


def verdicts(c):
    """The claim's verdict and its negative control's, with the messages if any."""
    plain, wrong = run_claim(c, CONTROL), run_claim(c, CONTROL, c.mutant.overrides)
    return (plain["verdict"], wrong["verdict"]), (plain.get("message"), wrong.get("message"))


def grad_wrt(f, x, ops, ndim=2):
    """d f / d x entrywise over x's trailing ``ndim`` axes (a matrix by default): one derivative per entry."""
    shape = np.shape(x)[np.ndim(x) - ndim:]
    size = int(np.prod(shape))
    parts = [np.asarray(derivative(f, x, ops, np.eye(size, dtype=int)[k].reshape(shape))) for k in range(size)]
    stacked = np.stack(parts, axis=-1)
    return stacked.reshape(*stacked.shape[:-1], *shape)


def assert_holds_and_control_refuted(c):
    got, messages = verdicts(c)
    assert got == ("holds", "refuted"), messages


# ---------------------------------------------------------------- fcnet


def _fcnet_case(c):
    return {**c, "output": "sigmoid"} if c["loss"] == "logistic" else c


FCNET_CASES = grid(
    widths=[(2, 1), (2, 3, 1), (3, 2, 2), (1, 2, 2, 2)], hidden=list(fcnet.ACTIVATIONS),
    output=["sigmoid", "identity", "tanh"], loss=list(fcnet.LOSSES), bias=[False, True],
).map(_fcnet_case)


def fcnet_batch(case, rng, n):
    w = case.widths
    out = {f"W{k + 1}": normal(rng, n, w[k + 1], w[k]) for k in range(len(w) - 1)}
    out.update({f"b{k + 1}": normal(rng, n, w[k + 1]) for k in range(len(w) - 1)})
    y = rng.uniform(0, 1, (n, w[-1])) if case.loss == "logistic" else normal(rng, n, w[-1])
    return {**out, "x": normal(rng, n, w[0]), "y": y}


def fcnet_backward(v, ops, wrong=False):
    L = len(v.widths) - 1
    Ws, bs = [v[f"W{k + 1}"] for k in range(L)], [v[f"b{k + 1}"] for k in range(L)] if v.bias else None

    def loss(k, bias):
        def f(p, o):
            params = {"Ws": tuple(p if j == k and not bias else W for j, W in enumerate(Ws)),
                      "bs": None if bs is None else tuple(p if j == k and bias else b for j, b in enumerate(bs))}
            return fcnet.loss(fcnet.Net(**params, hidden=v.hidden, output=v.output, loss=v.loss), v.x, v.y, o)
        return f

    net = fcnet.Net(tuple(Ws), None if bs is None else tuple(bs), hidden=v.hidden, output=v.output, loss=v.loss)
    g, cache = fcnet.backward(net, v.x, v.y, ops), fcnet.forward(net, v.x, ops)
    # The wrong backward forgets the activation's derivative: dL/dX^(l) in place of dL/dS^(l).
    rels = {f"dL/dW{k + 1}": equal(ops.outer(g.dX[k + 1], cache.X[k]) if wrong else g.dWs[k], grad_wrt(loss(k, False), Ws[k], ops)) for k in range(L)}
    if bs is not None:
        rels.update({f"dL/db{k + 1}": equal(g.dbs[k], gradient(loss(k, True), bs[k], ops)) for k in range(L)})
    rels["dL/dx"] = equal(g.dX[0], gradient(lambda x, o: fcnet.loss(net, x, v.y, o), v.x, ops))
    return rels


def test_fcnet_backward_is_the_derivative():
    assert_holds_and_control_refuted(claim(fcnet_backward, FCNET_CASES, fcnet_batch, Mutant("dL/dX for dL/dS", wrong=True)))


# ---------------------------------------------------------------- two_layer (003 part 1)


def two_layer_batch(case, rng, n):
    return {"W1": normal(rng, n, case.m, case.n), "W2": normal(rng, n, case.q, case.m), "x": normal(rng, n, case.n), "y": normal(rng, n, case.q)}


def two_layer_backward(v, ops, wrong=False):
    g, f = two_layer.backward(v.W1, v.W2, v.x, v.y, ops), two_layer.forward(v.W1, v.W2, v.x, ops)

    def of_h(h, o):
        r = o.matvec(v.W2, h) - v.y
        return o.sum(r * r)

    return {
        "dE/dW1": equal(ops.outer(g.h, v.x) if wrong else g.W1, grad_wrt(lambda W, o: two_layer.error(W, v.W2, v.x, v.y, o), v.W1, ops)),
        "dE/dW2": equal(g.W2, grad_wrt(lambda W, o: two_layer.error(v.W1, W, v.x, v.y, o), v.W2, ops)),
        "dE/dx": equal(g.x, gradient(lambda x, o: two_layer.error(v.W1, v.W2, x, v.y, o), v.x, ops)),
        "dE/dh": equal(g.h, gradient(of_h, f.h, ops)),
        "dE/dz": equal(g.z, gradient(lambda z, o: of_h(o.sigmoid(z), o), f.z, ops)),
    }


def test_two_layer_backward_is_the_derivative():
    cases = grid(n=[1, 2, 3], m=[1, 2, 3], q=[1, 2])
    assert_holds_and_control_refuted(claim(two_layer_backward, cases, two_layer_batch, Mutant("sigmoid' dropped from dE/dW1", wrong=True)))


# ---------------------------------------------------------------- skip_connection (002 Problem 4)


def skip_connection_batch(case, rng, n):
    N, K = case.N, case.K
    shapes = {"W1": (K, N), "b1": (K,), "W2": (N, K), "b2": (N,), "r": (K,), "s": (N,), "x": (N,)}
    return {k: normal(rng, n, *s) for k, s in shapes.items()}


def skip_connection_backward(v, ops, wrong=False):
    net = skip_connection.SkipMLP(v.W1, v.b1, v.W2, v.b2, v.r, v.s)
    b, f = skip_connection.backward(net, v.x, ops), skip_connection.forward(net, v.x, ops)

    def of(name):
        return lambda p, o: skip_connection.loss(replace(net, **{name: p}), v.x, o)

    return {
        # The wrong backward drops the skip path: x feeds y directly as well as through z.
        "x_bar": equal(b.x_bar - b.y_bar if wrong else b.x_bar, gradient(lambda x, o: skip_connection.loss(net, x, o), v.x, ops)),
        "W1_bar": equal(b.W1_bar, grad_wrt(of("W1"), v.W1, ops)),
        "W2_bar": equal(b.W2_bar, grad_wrt(of("W2"), v.W2, ops)),
        "b1_bar": equal(b.b1_bar, gradient(of("b1"), v.b1, ops)),
        "b2_bar": equal(b.b2_bar, gradient(of("b2"), v.b2, ops)),
        "y_bar": equal(b.y_bar, gradient(lambda y, o: skip_connection.loss_given_y(net, f.h, y, o), f.y, ops)),
        "h_bar": equal(b.h_bar, gradient(lambda h, o: skip_connection.loss_given_h(net, v.x, h, o), f.h, ops)),
        "z_bar": equal(b.z_bar, gradient(lambda z, o: skip_connection.loss_given_z(net, v.x, z, o), f.z, ops)),
    }


def test_skip_connection_backward_is_the_derivative():
    cases = grid(N=[1, 2, 3], K=[1, 2, 3])
    assert_holds_and_control_refuted(claim(skip_connection_backward, cases, skip_connection_batch, Mutant("skip path dropped from x_bar", wrong=True)))


# ---------------------------------------------------------------- skip_layer (000 2(d))


def skip_layer_batch(case, rng, n):
    return {k: rng.normal(size=n) * 1.5 for k in ("w_xh", "w_hy", "w_xy", "x")}


def skip_layer_grad_y(v, ops, order=(0, 1, 2)):
    stated = skip_layer.grad_y(v.w_xh, v.w_hy, v.w_xy, v.x, v.g, ops)
    args = {"w_xh": v.w_xh, "w_hy": v.w_hy, "w_xy": v.w_xy}

    def y_of(name):
        return lambda w, o: skip_layer.scalar_forward(**{**args, name: w}, x=v.x, g=v.g, ops=o).y

    return {f"dy/d{name}": equal(stated[order[k]], derivative(y_of(name), args[name], ops)) for k, name in enumerate(args)}


def test_skip_layer_grad_y_is_the_derivative():
    cases = grid(g=["sigmoid", "tanh", "relu", "identity"])
    assert_holds_and_control_refuted(claim(skip_layer_grad_y, cases, skip_layer_batch, Mutant("dy/dw_hy and dy/dw_xy swapped", order=(0, 2, 1))))


# ---------------------------------------------------------------- logistic (004 1)


def logistic_batch(case, rng, n):
    return {"w": normal(rng, n, case.d), "X": normal(rng, n, case.m, case.d, scale=2.0), "y": labels(rng, n, case.m)}


def logistic_gradient_and_hessian(v, ops, sign=1):
    return {
        "grad J": equal(sign * logistic.grad(v.w, v.X, v.y, ops), gradient(lambda w, o: logistic.nll(w, v.X, v.y, o), v.w, ops)),
        "hessian J": equal(sign * logistic.hessian(v.w, v.X, v.y, ops), jacobian(lambda w, o: logistic.grad(w, v.X, v.y, o), v.w, ops)),
    }


def test_logistic_gradient_and_hessian_are_the_derivatives():
    cases = grid(m=[1, 2, 4], d=[1, 2, 3])
    assert_holds_and_control_refuted(claim(logistic_gradient_and_hessian, cases, logistic_batch, Mutant("the likelihood's ascent direction", sign=-1)))


# ---------------------------------------------------------------- quadratic (003 2.1)


def quadratic_batch(case, rng, n):
    return {"w": normal(rng, n, 2, scale=case.scale), "a": rng.normal(size=n) * 3, "b": rng.normal(size=n) * 3}


def quadratic_gradient(v, ops, swap=False):
    a, b = (v.b, v.a) if swap else (v.a, v.b)
    return equal(quadratic.grad(v.w, a, b, ops), gradient(lambda w, o: quadratic.loss(w, v.a, v.b, o), v.w, ops))


def test_quadratic_gradient_is_the_derivative():
    cases = grid(scale=[1.0, 1e-3, 1e3])
    assert_holds_and_control_refuted(claim(quadratic_gradient, cases, quadratic_batch, Mutant("curvatures a and b swapped", swap=True)))


# ---------------------------------------------------------------- relu_net (002 Problem 3)


def relu_net_batch(case, rng, n):
    return {k: rng.normal(size=n) * case.scale for k in (*relu_net.Weights.names(), "x1", "x2", "t")}


def relu_net_backward(v, ops, one_path=False):
    p = relu_net.Weights(**{k: v[k] for k in relu_net.Weights.names()})
    f = relu_net.forward(p, v.x1, v.x2, ops)
    g = relu_net.backward(p, v.x1, v.x2, f.y - v.t, ops)

    def loss_of(name):
        return lambda w, o: relu_net.half_sq_loss(replace(p, **{name: w}), v.x1, v.x2, v.t, o)

    rels = {f"dL/d{k}": equal(getattr(g.w, k), derivative(loss_of(k), v[k], ops)) for k in p.names()}
    if one_path:  # 3(c)'s slip: w1 reaches y only through h3 (the path through h4 forgotten)
        rels["dL/dw1"] = equal(g.z3 * p.w2 * ops.relu_prime(f.z1) * v.x1, derivative(loss_of("w1"), v.w1, ops))
    return rels


def test_relu_net_backward_is_the_derivative():
    cases = grid(scale=[1.0, 0.5, 3.0])
    assert_holds_and_control_refuted(claim(relu_net_backward, cases, relu_net_batch, Mutant("the path through h4 forgotten", one_path=True)))


# ---------------------------------------------------------------- threshold_net (002 Problem 1)


def threshold_batch(case, rng, n):
    d, m = case.d, case.m
    return {"W1": normal(rng, n, m, d), "b1": normal(rng, n, m), "w2": normal(rng, n, m), "b2": rng.normal(size=n),
            "x": normal(rng, n, d), "t": rng.integers(0, 2, n).astype(float)}


def threshold_backward(v, ops, straight_through=False):
    """Away from the thresholds (random inputs are never exactly on one) every derivative is 0."""
    g = threshold_net.backward(v.W1, v.b1, v.w2, v.b2, v.x, v.t, ops)
    f = threshold_net.forward(v.W1, v.b1, v.w2, v.b2, v.x, ops)
    args = {"W1": v.W1, "b1": v.b1, "w2": v.w2, "b2": v.b2}

    def loss_of(name):
        return lambda p, o: threshold_net.loss(**{**args, name: p}, x=v.x, t=v.t, ops=o)

    # The wrong backward treats step' as 1 (a straight-through estimate), which is no derivative.
    stated_W1 = ops.outer(np.asarray(f.y - v.t)[..., None] * v.w2, v.x) if straight_through else g.W1
    return {
        "dL/dW1": equal(stated_W1, grad_wrt(loss_of("W1"), v.W1, ops)),
        "dL/db1": equal(g.b1, gradient(loss_of("b1"), v.b1, ops)),
        "dL/dw2": equal(g.w2, gradient(loss_of("w2"), v.w2, ops)),
        "dL/db2": equal(g.b2, derivative(loss_of("b2"), v.b2, ops)),
    }


def test_threshold_net_backward_is_the_derivative():
    cases = grid(d=[1, 2, 3], m=[1, 2, 3])
    assert_holds_and_control_refuted(claim(threshold_backward, cases, threshold_batch, Mutant("step' taken as 1", straight_through=True)))


# ---------------------------------------------------------------- the primitive at a kink and a jump


@pytest.mark.parametrize("ops_name", ["float64", "interval"])
def test_one_sided_derivatives_at_kinks_and_jumps(ops_name):
    from models.ops import F64, IV, to_iv

    ops, lift = (F64, np.asarray) if ops_name == "float64" else (IV, to_iv)
    zero = lift(np.zeros(3))
    assert [float(v) for v in derivative(lambda t, o: o.max(t), zero, ops, lift(np.array([1.0, 3.0, 2.0]))).reshape(-1)] == [3.0]
    assert [float(v) for v in derivative(lambda t, o: o.relu(t), zero, ops, -1)] == [0.0] * 3
    assert [float(v) for v in derivative(lambda t, o: o.abs(t), zero, ops, -1)] == [1.0] * 3
    assert [float(v) for v in derivative(lambda t, o: o.step(t), zero, ops, 1)] == [0.0] * 3
    assert all(np.isnan(float(v)) for v in derivative(lambda t, o: o.step(t), zero, ops, -1))
    assert all(np.isnan(float(v)) for v in derivative(lambda t, o: o.sign(t), zero, ops, 1))


def test_a_numpy_call_that_swallows_duals_is_an_error_not_a_value():
    from models.ops import F64

    with pytest.raises(TypeError, match="put Duals into a NumPy array"):
        gradient(lambda a, o: quadratic.loss(np.ones((2, 2)), a[..., 0], a[..., 1], o), np.ones((2, 2)), F64)
