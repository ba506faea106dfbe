"""Constant weight initialisation keeps the hidden units of a 1-hidden-layer net symmetric.

000 part 1, 001 part 2 and 004 part 2, on ``models.fcnet`` without biases. ``Ws[0][..., j, i]``
is the worksheets' w_ij^(1) (input i to hidden j), ``Ws[1][..., j, i]`` is w_ij^(2) (hidden i to
output j). 000 writes delta^(l) = dL/dx^(l-1) (``Grads.dX[l-1]``); 001 and 004 write
delta_j^(l) = dl/dS_j^(l) (``Grads.delta[l]``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from claims.engine import (
    Erratum,
    Mutant,
    Step,
    all_equal,
    derivation,
    differ,
    equal,
    exact,
    exists,
    forall,
    is_true,
    not_checkable,
    st,
)
from claims.strategies import ANY_ACTIVATIONS, grid, normal
from claims.worksheets import WS000, WS001, WS004
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


def after_steps(net: fcnet.Net, v: Any, ops: Any, steps: int) -> fcnet.Net:
    """The net after ``steps`` full-batch gradient-descent steps on (x, y) with rate eta."""
    for _ in range(steps):
        net = fcnet.gd_step(net, v.x, v.y, v.eta, ops)
    return net


def flat(mats: Any) -> Any:
    """Both weight matrices as one vector per instance (so a derivation line holds every w_ij^(l))."""
    return np.concatenate([np.reshape(m, np.shape(m)[:-2] + (-1,)) for m in mats], axis=-1)


def col(x: Any) -> Any:
    """A per-instance scalar as a length-1 vector, compared against every unit by broadcasting."""
    return np.asarray(x)[..., None]


def differs_along(x: Any, axis: int) -> Any:
    """Some entry of x differs from the first entry along the axis (a broken symmetry)."""
    return differ(x, np.take(np.asarray(x), [0], axis=axis))


# ================================================================ 000 part 1 (delta = dL/d input)


@forall(
    id="init.ws000.delta-is-jacobian-times-next-delta",
    worksheet=WS000,
    location="1",
    statement=r"Backpropagation: $\delta^{(l)} = \partial\mathcal L/\partial x^{(l-1)} = (\partial x^{(l)}/\partial x^{(l-1)})\,\delta^{(l+1)}$.",
    formalisation=(
        "for all weights V, W, inputs x, targets y, activations and losses, for l = 1, 2: dL/dx^(l-1) == J delta^(l+1) "
        "with J_ij = dx_j^(l)/dx_i^(l-1) = g'(S_j^(l)) w_ij^(l) (the d_{l-1} x d_l layout, the only one in which the "
        "product is defined; it is 1(b)'s sum over j)."
    ),
    fact="backprop-chain-rule-through-a-layer",
    expected="holds",
    cases=CASES,
    instances=general_init,
    mutant=Mutant("the layer Jacobian without the activation derivative g'(S)", with_g_prime=False),
)
def delta_is_jacobian_times_next_delta(v: Any, ops: Any, with_g_prime: bool = True) -> dict[str, Any]:
    cache, grads = passes(general_net(v), v, ops)
    out = {}
    for layer in (1, 2):
        jac = ops.T(v.V if layer == 1 else v.W)  # [i, j] = dx_j^(l) / dx_i^(l-1) = g'(S_j) w_ij
        if with_g_prime:
            jac = jac * act(v, layer, ops)[1](cache.S[layer])[..., None, :]
        out[f"delta^({layer}) = J delta^({layer + 1})"] = equal(ops.matvec(jac, grads.dX[layer]), grads.dX[layer - 1])
    return out


# ---- 1(a), with 001 2(a) and 004 2(b): the hidden activations under constant weights


def _x1(v: Any, ops: Any) -> Any:
    return fcnet.forward(constant_net(v), v.x, ops).X[1]


def _g_sum_w_x(v: Any, ops: Any) -> Any:
    """g(sum_i w x_i^(0)): the constant inside the sum."""
    return col(act(v, 1, ops)[0](ops.sum(col(v.w) * v.x)))


def _g_sum_wij_x(v: Any, ops: Any) -> Any:
    """g(sum_i w_ij^(1) x_i^(0)) with the constant matrix."""
    return act(v, 1, ops)[0](ops.matvec(constant_net(v).Ws[0], v.x))


def _g_w_sum_x(v: Any, ops: Any) -> Any:
    """g(w sum_i x_i^(0)): the constant pulled out of the sum."""
    return col(act(v, 1, ops)[0](np.asarray(v.w) * ops.sum(v.x)))


def _w_outside_g(v: Any, ops: Any) -> Any:
    """A wrong factoring, the negative control: g(w) sum_i x_i^(0)."""
    return col(act(v, 1, ops)[0](np.asarray(v.w)) * ops.sum(v.x))


HIDDEN_FORMULA = dict(
    expected="holds",
    fact="constant-init-hidden-activation-formula",
    cases=CASES,
    instances=constant_init,
    mutant=Mutant("the constant factored out of g: g(w) sum_i x_i", step=2, value=_w_outside_g),
)
derivation(
    id="init.ws000.constant-init-hidden-activation-formula",
    worksheet=WS000,
    location="1(a)",
    statement=r"With every weight equal to $w$: $x_j^{(1)} = g(\sum_i w\,x_i^{(0)}) = g(w\sum_i x_i^{(0)})$.",
    formalisation="for all constants w, inputs x, activations g: forward x_j^(1) == g(sum_i w x_i) == g(w sum_i x_i) for every j.",
    steps=[
        Step(r"$x_j^{(1)}$ (forward pass)", _x1),
        Step(r"$g(\sum_i w\, x_i^{(0)})$", _g_sum_w_x),
        Step(r"$g(w \sum_i x_i^{(0)})$", _g_w_sum_x),
    ],
    **HIDDEN_FORMULA,
)
for _ws, _loc, _a in ((WS001, "2(a)", "w"), (WS004, "2(b)", "a")):
    derivation(
        id=f"init.ws{_ws[:3]}.constant-init-hidden-activation-formula",
        worksheet=_ws,
        location=_loc,
        statement=rf"With every weight equal to ${_a}$: $x_j^{{(1)}} = g(\sum_i w_{{ij}}^{{(1)}} x_i^{{(0)}}) = g({_a}\sum_i x_i^{{(0)}})$.",
        formalisation=f"for all constants {_a}, inputs x, activations g: forward x_j^(1) == g(sum_i w_ij x_i) == g({_a} sum_i x_i).",
        steps=[
            Step(r"$x_j^{(1)}$ (forward pass)", _x1),
            Step(r"$g(\sum_i w_{ij}^{(1)} x_i^{(0)})$", _g_sum_wij_x),
            Step(rf"$g({_a} \sum_i x_i^{{(0)}})$", _g_w_sum_x),
        ],
        **HIDDEN_FORMULA,
    )


@forall(
    id="init.ws004.constant-init-hidden-activations-equal",
    worksheet=WS004,
    location="2(b)",
    statement=r"With every weight equal to $a$, $g(a\sum_i x_i^{(0)})$ does not depend on $j$: all $x_j^{(1)}$ are equal.",
    formalisation="for all constants a, inputs x, activations: x_j^(1) == x_1^(1) for every hidden unit j.",
    fact="constant-init-hidden-activations-equal",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    mutant=Mutant("the inputs x_i^(0) said to be equal as well", of="inputs"),
)
@forall(
    id="init.ws001.constant-init-hidden-activations-equal",
    worksheet=WS001,
    location="2(a)",
    statement=r"With every weight equal to $w$, $x_j^{(1)} = g(w\sum_i x_i^{(0)})$ does not depend on $j$: all $x_j^{(1)}$ are equal.",
    formalisation="for all constants w, inputs x, activations: x_j^(1) == x_1^(1) for every hidden unit j.",
    fact="constant-init-hidden-activations-equal",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    mutant=Mutant("the inputs x_i^(0) said to be equal as well", of="inputs"),
)
@forall(
    id="init.ws000.constant-init-hidden-activations-equal",
    worksheet=WS000,
    location="1(a)",
    statement=r"With every weight equal to $w$, all $x_j^{(1)}$ are equal (while the inputs $x_i^{(0)}$ may differ).",
    formalisation="for all constants w, inputs x, activations: x_j^(1) == x_1^(1) for every hidden unit j.",
    fact="constant-init-hidden-activations-equal",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    mutant=Mutant("the inputs x_i^(0) said to be equal as well", of="inputs"),
)
def constant_init_hidden_activations_equal(v: Any, ops: Any, of: str = "hidden") -> Any:
    return all_equal(_x1(v, ops) if of == "hidden" else v.x)


# ---- 1(b): the output activations and the deltas (000's delta^(l) = dL/dx^(l-1))


def _x2(v: Any, ops: Any) -> Any:
    return fcnet.forward(constant_net(v), v.x, ops).X[2]


def _g_w_sum_x1(v: Any, ops: Any) -> Any:
    """g(sum_i w x_i^(1)) for the output layer."""
    return col(act(v, 2, ops)[0](np.asarray(v.w) * ops.sum(_x1(v, ops))))


def _g_w_sum_x0(v: Any, ops: Any) -> Any:
    """A wrong layer, the negative control: the inputs x^(0) summed instead of x^(1)."""
    return col(act(v, 2, ops)[0](np.asarray(v.w) * ops.sum(v.x)))


derivation(
    id="init.ws000.constant-init-output-activation-formula",
    worksheet=WS000,
    location="1(b)",
    statement=r"With every weight equal to $w$: $x_j^{(2)} = g(\sum_i w\, x_i^{(1)})$.",
    formalisation="for all constants w, inputs, activations: forward x_j^(2) == g(w sum_i x_i^(1)) for every output j.",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    steps=[Step(r"$x_j^{(2)}$ (forward pass)", _x2), Step(r"$g(\sum_i w\, x_i^{(1)})$", _g_w_sum_x1)],
    mutant=Mutant("the inputs x^(0) summed instead of the hidden x^(1)", step=1, value=_g_w_sum_x0),
)


@forall(
    id="init.ws000.constant-init-output-activations-equal",
    worksheet=WS000,
    location="1(b)",
    statement=r"With every weight equal to $w$, all outputs $x_j^{(2)}$ are equal.",
    formalisation="for all constants w, inputs, activations: x_j^(2) == x_1^(2) for every output j.",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    mutant=Mutant("the targets y_j said to be equal as well", of="targets"),
)
def constant_init_output_activations_equal(v: Any, ops: Any, of: str = "outputs") -> Any:
    return all_equal(_x2(v, ops) if of == "outputs" else v.y)


def _dx(v: Any, ops: Any, layer: int) -> Any:
    """dL/dx^(layer) under constant weights: 000's delta^(layer + 1)."""
    return fcnet.backward(constant_net(v), v.x, v.y, ops).dX[layer]


def _chain_sum(v: Any, ops: Any) -> Any:
    """sum_j delta_j^(3) dx_j^(2)/dx_i^(1), with dx_j^(2)/dx_i^(1) = g'(S_j^(2)) w_ij^(2)."""
    net = constant_net(v)
    cache = fcnet.forward(net, v.x, ops)
    jac = ops.T(net.Ws[1]) * act(v, 2, ops)[1](cache.S[2])[..., None, :]
    return ops.matvec(jac, _dx(v, ops, 2))


def _constant_hidden_dx(v: Any, ops: Any, factor_w: bool = True) -> Any:
    """sum_j delta_j^(3) g'(sum_k w x_k^(1)) w."""
    w = np.asarray(v.w)
    slope = act(v, 2, ops)[1](w * ops.sum(_x1(v, ops)))
    return col(ops.sum(_dx(v, ops, 2)) * slope * (w if factor_w else 1))


derivation(
    id="init.ws000.constant-init-hidden-delta-formula",
    worksheet=WS000,
    location="1(b)",
    statement=(
        r"With every weight equal to $w$: $\delta_i^{(2)} = \partial\mathcal L/\partial x_i^{(1)} = \sum_j \delta_j^{(3)}\,"
        r"\partial x_j^{(2)}/\partial x_i^{(1)} = \sum_j \delta_j^{(3)} g'(\sum_k w\,x_k^{(1)})\, w$."
    ),
    formalisation="for all constants w, inputs, targets, activations, losses: backprop dL/dx_i^(1) == each line, for every i.",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    steps=[
        Step(r"$\partial\mathcal L/\partial x_i^{(1)}$ (backpropagation)", lambda v, ops: _dx(v, ops, 1)),
        Step(r"$\sum_j \delta_j^{(3)}\, \partial x_j^{(2)}/\partial x_i^{(1)}$", _chain_sum),
        Step(r"$\sum_j \delta_j^{(3)} g'(\sum_k w\, x_k^{(1)})\, w$", _constant_hidden_dx),
    ],
    mutant=Mutant("the weight w dropped from the chain rule", step=2, value=lambda v, ops: _constant_hidden_dx(v, ops, False)),
)


@forall(
    id="init.ws000.constant-init-hidden-deltas-equal",
    worksheet=WS000,
    location="1(b)",
    statement=r"With every weight equal to $w$, $\delta_i^{(2)} = \partial\mathcal L/\partial x_i^{(1)}$ does not depend on $i$: all are equal.",
    formalisation="for all constants w, inputs, targets, activations, losses: dL/dx_i^(1) == dL/dx_1^(1) for every hidden i.",
    fact="constant-init-hidden-deltas-equal",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    mutant=Mutant("the output gradients dL/dx_k^(2) said to be equal instead", layer=2),
)
def ws000_hidden_deltas_equal(v: Any, ops: Any, layer: int = 1) -> Any:
    return all_equal(_dx(v, ops, layer))


@forall(
    id="init.ws000.constant-init-output-deltas-equal",
    worksheet=WS000,
    location="1(b)",
    statement=r"With every weight equal to $w$, all $\delta_k^{(3)} = \partial\mathcal L/\partial x_k^{(2)}$ are equal, since all $x_k^{(2)}$ are.",
    formalisation="for all constants w, inputs x, targets y, activations, losses: dL/dx_k^(2) == dL/dx_1^(2) for every output k.",
    fact="constant-init-output-deltas-all-equal",
    expected="refuted",
    cases=CASES,
    instances=constant_init,
    erratum=Erratum(
        r"$\delta_k^{(3)} = \partial\ell(x_k^{(2)}, y_k)/\partial x_k^{(2)}$ depends on the target $y_k$: the outputs are equal "
        r"but the $\delta_k^{(3)}$ are equal only when all targets are (as 001 2(c) and 004 2(d) say).",
        corrected_by="init.ws000.output-deltas-equal-iff-targets-equal",
    ),
)
def ws000_output_deltas_equal(v: Any, ops: Any) -> Any:
    return all_equal(_dx(v, ops, 2))


def equal_or_distinct_targets(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Constant init with targets either all equal or (almost surely) all distinct, as the case says."""
    out = constant_init(case, rng, n)
    if case.equal_targets:
        out["y"] = np.repeat(out["y"][:, :1], case.d2, axis=1)
    return out


@forall(
    id="init.ws000.output-deltas-equal-iff-targets-equal",
    worksheet=WS000,
    location="1(b)",
    statement=(
        r"Correction: with every weight equal to $w$ the outputs $x_k^{(2)}$ are equal, so the "
        r"$\delta_k^{(3)} = \partial\ell/\partial x_k^{(2)}$ are all equal when the targets $y_k$ are, and not otherwise."
    ),
    formalisation=(
        "for all constants w, inputs, activations, losses (half/plain squared error, cross-entropy): targets all equal => "
        "dL/dx_k^(2) all equal; targets pairwise distinct => some dL/dx_k^(2) differs from dL/dx_1^(2)."
    ),
    expected="holds",
    cases=net_cases(min_width=2, equal_targets=[False, True]),
    instances=equal_or_distinct_targets,
    mutant=Mutant("the worksheet's reading: all equal whatever the targets", always_equal=True),
)
def output_deltas_follow_targets(v: Any, ops: Any, always_equal: bool = False) -> Any:
    deltas = _dx(v, ops, 2)
    if v.equal_targets or always_equal:
        return all_equal(deltas)
    return differs_along(deltas, -1)


# ---- 1(c): the first gradient-descent update from constant weights


def _first_step(v: Any, ops: Any) -> fcnet.Net:
    return fcnet.gd_step(constant_net(v), v.x, v.y, v.eta, ops)


def _ws000_update(v: Any, ops: Any, start: str, sign: int = 1) -> Any:
    """w_ij^(l) - eta (g'(sum_k w x_k^(l-1)) x_i^(l-1)) delta_j^(l+1), with 000's delta^(l+1) = dL/dx^(l)."""
    net = constant_net(v)
    cache, grads = passes(net, v, ops)
    w, eta = np.asarray(v.w), np.asarray(v.eta)
    out = []
    for layer in (1, 2):
        slope = act(v, layer, ops)[1](w * ops.sum(cache.X[layer - 1]))
        step = ops.outer(grads.dX[layer], col(slope) * cache.X[layer - 1])  # [j, i]
        old = net.Ws[layer - 1] if start == "w_ij" else w[..., None, None]
        out.append(old - sign * eta[..., None, None] * step)
    return flat(out)


derivation(
    id="init.ws000.first-update-formula",
    worksheet=WS000,
    location="1(c)",
    statement=(
        r"From constant weights $w$, one gradient-descent step gives $w_{ij}^{(l)} - \eta\,(g'(\sum_k w\,x_k^{(l-1)})\, "
        r"x_i^{(l-1)})\,\delta_j^{(l+1)} = w - \eta\,(g'(\sum_k w\,x_k^{(l-1)})\,x_i^{(l-1)})\,\delta_j^{(l+1)}$."
    ),
    formalisation="for all constants w, data, eta, activations, losses, l = 1, 2 and all i, j: the GD step's w_ij^(l) == each line.",
    fact="first-update-from-constant-weights",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    steps=[
        Step(r"$w_{ij}^{(l)}$ after one step (backpropagation)", lambda v, ops: flat(_first_step(v, ops).Ws)),
        Step(r"$w_{ij}^{(l)} - \eta\,(g'(\sum_k w\,x_k^{(l-1)})\,x_i^{(l-1)})\,\delta_j^{(l+1)}$", lambda v, ops: _ws000_update(v, ops, "w_ij")),
        Step(r"$w - \eta\,(g'(\sum_k w\,x_k^{(l-1)})\,x_i^{(l-1)})\,\delta_j^{(l+1)}$", lambda v, ops: _ws000_update(v, ops, "w")),
    ],
    mutant=Mutant("a step up the gradient (+eta)", step=2, value=lambda v, ops: _ws000_update(v, ops, "w", sign=-1)),
)

# axis -2 runs over the destination j, axis -1 over the source i (Ws[l-1][..., j, i]).
SAME_FOR_ALL_J, SAME_FOR_ALL_I = -2, -1


@forall(
    id="init.ws004.first-update-layer1-same-for-all-j",
    worksheet=WS004,
    location="2(e)",
    statement=r"After one step from constant weights, for a given $i$, $w_{ij}^{(1)}$ is the same for all $j$ (all $\delta_j^{(1)}$ are equal).",
    formalisation="for all constants a, data, eta, activations, losses: after one GD step w_ij^(1) == w_i1^(1) for all i, j.",
    fact="first-update-layer1-same-for-all-j",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    mutant=Mutant("same for all i instead of all j", axis=SAME_FOR_ALL_I),
)
@forall(
    id="init.ws001.first-update-layer1-same-for-all-j",
    worksheet=WS001,
    location="2(d)",
    statement=r"After one step from constant weights, for a given $i$, $w_{ij}^{(1)}$ is the same for all $j$ (all $\delta_j^{(1)}$ are equal).",
    formalisation="for all constants w, data, eta, activations, losses: after one GD step w_ij^(1) == w_i1^(1) for all i, j.",
    fact="first-update-layer1-same-for-all-j",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    mutant=Mutant("same for all i instead of all j", axis=SAME_FOR_ALL_I),
)
@forall(
    id="init.ws000.first-update-layer1-same-for-all-j",
    worksheet=WS000,
    location="1(c)",
    statement=r"After one step from constant weights, $w_{ij}^{(1)}$ is the same for all $j$: each input's outgoing weights stay equal.",
    formalisation="for all constants w, data, eta, activations, losses: after one GD step w_ij^(1) == w_i1^(1) for all i, j.",
    fact="first-update-layer1-same-for-all-j",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    mutant=Mutant("same for all i instead of all j", axis=SAME_FOR_ALL_I),
)
def first_update_layer1_same_for_all_j(v: Any, ops: Any, axis: int = SAME_FOR_ALL_J) -> Any:
    return all_equal(_first_step(v, ops).Ws[0], axis=axis)


@exists(
    id="init.ws000.first-update-layer1-may-differ-across-i",
    worksheet=WS000,
    location="1(c)",
    statement=r"After one step from constant weights, the $w_{ij}^{(1)}$ may differ across inputs $i$.",
    formalisation="there exist w, data, eta (d0 >= 2) such that after one GD step w_ij^(1) != w_1j^(1) for some i, j.",
    expected="witnessed",
    cases=WIDE,
    instances=constant_init,
    mutant=Mutant("differ across hidden units j instead", axis=SAME_FOR_ALL_J),
)
def first_update_layer1_differs_across_i(v: Any, ops: Any, axis: int = SAME_FOR_ALL_I) -> Any:
    return differs_along(_first_step(v, ops).Ws[0], axis)


@forall(
    id="init.ws000.first-update-layer2-same-for-all-i-and-j",
    worksheet=WS000,
    location="1(c)",
    statement=r"After one step from constant weights, $w_{ij}^{(2)}$ is the same for all $i$ and all $j$.",
    formalisation="for all constants w, data, eta, activations, losses: after one GD step every w_ij^(2) == w_11^(2).",
    fact="first-update-layer2-pattern",
    expected="refuted",
    cases=CASES,
    instances=constant_init,
    erratum=Erratum(
        r"$w_{ij}^{(2)} \leftarrow w - \eta\,\delta_j^{(2)} x_i^{(1)}$ (001 notation) is the same for all $i$ but differs across "
        r"$j$ whenever the output deltas differ, i.e. whenever the targets do.",
        corrected_by="init.ws001.first-update-layer2-same-for-all-i",
    ),
)
def ws000_first_update_layer2_constant(v: Any, ops: Any) -> Any:
    return all_equal(flat(_first_step(v, ops).Ws[1:]))


@forall(
    id="init.ws000.pattern-persists-for-every-iteration",
    worksheet=WS000,
    location="1(c)",
    statement=(
        r"From constant weights the pattern ($w_{ij}^{(1)}$ the same for all $j$; $w_{ij}^{(2)}$ the same for all $i$ and $j$) "
        r"holds after any number of gradient-descent iterations."
    ),
    formalisation="for all constants w, data, eta, activations, losses and t >= 0: after t GD steps w_ij^(1) == w_i1^(1) and w_ij^(2) == w_11^(2).",
    fact="symmetry-persists-every-iteration",
    expected="refuted",
    cases=STEPS,
    instances=constant_init,
    erratum=Erratum(
        r"The $w_{ij}^{(2)}$ stop being all equal after the first step (they differ across $j$); the pattern that persists is "
        r"$w_{ij}^{(1)}$ independent of $j$ and $w_{ij}^{(2)}$ independent of $i$ (001 2(e), 004 2(f)).",
        corrected_by="init.ws001.gd-step-preserves-symmetric-pattern",
    ),
)
def ws000_pattern_persists(v: Any, ops: Any) -> dict[str, Any]:
    net = after_steps(constant_net(v), v, ops, v.steps)
    return {
        "w^(1) same for all j": all_equal(net.Ws[0], axis=SAME_FOR_ALL_J),
        "w^(2) same for all i and j": all_equal(flat(net.Ws[1:])),
    }


# ================================================================ 001 part 2 and 004 part 2 (delta = dl/dS)


def _hidden_delta_line(v: Any, ops: Any, layer: int) -> dict[str, Any]:
    """delta_i^(1) = sum_j delta_j^(2) w_ij^(layer) g'(S_i^(1)) with w_ij^(l) = Ws[l-1][j, i], general weights.

    i runs over the d1 hidden units and j over the d2 outputs; the indices must exist in w^(layer).
    """
    net = general_net(v)
    cache, grads = passes(net, v, ops)
    mat = net.Ws[layer - 1]
    dests, sources = np.shape(mat)[-2:]
    fits = v.d2 <= dests and v.d1 <= sources
    shapes = {"w^(l) is (sources x destinations)": [sources, dests], "formula needs i <= d1, j <= d2": [v.d1, v.d2]}
    out = {f"indices of w_ij^({layer}) fit its shape": is_true(exact(fits), show=shapes)}
    if fits:
        w_ij = ops.T(mat[..., : v.d2, : v.d1])  # [i, j]
        line = ops.matvec(w_ij, grads.delta[2]) * act(v, 1, ops)[1](ops.matvec(v.V, v.x))
        out["value"] = equal(line, grads.delta[1])
    return out


@forall(
    id="init.ws001.backprop-hidden-delta-with-layer1-weights",
    worksheet=WS001,
    location="2(b)",
    statement=r"Backpropagation: $\delta_i^{(1)} = \sum_j \delta_j^{(2)}\, w_{ij}^{(1)}\, g'(S_i^{(1)})$.",
    formalisation=(
        "for all weights, inputs, targets, activations, losses: the indices (i <= d1, j <= d2) exist in w^(1) (d0 x d1) "
        "and sum_j delta_j^(2) w_ij^(1) g'(S_i^(1)) == dl/dS_i^(1)."
    ),
    fact="backprop-hidden-delta-formula",
    expected="refuted",
    cases=CASES,
    instances=general_init,
    erratum=Erratum(
        r"The sum must use the weights $w_{ij}^{(2)}$ from hidden unit $i$ to output $j$: $w_{ij}^{(1)}$ has shape "
        r"$d^{(0)}\times d^{(1)}$, so $i \le d^{(1)}, j \le d^{(2)}$ need not index it, and where it does the value is wrong. "
        r"Correct: $\delta_i^{(1)} = g'(S_i^{(1)})\sum_j \delta_j^{(2)} w_{ij}^{(2)}$ (004 2(c)).",
        corrected_by="init.ws004.backprop-hidden-delta-with-layer2-weights",
    ),
)
def hidden_delta_with_layer1_weights(v: Any, ops: Any) -> dict[str, Any]:
    return _hidden_delta_line(v, ops, layer=1)


@forall(
    id="init.ws004.pattern-backprop-hidden-delta-general-line",
    worksheet=WS004,
    location="2(f)",
    statement=r"Backpropagation: $\delta_i^{(1)} = \sum_j \delta_j^{(2)} w_{ij}^{(2)}\, g'(\sum_k w_{ki}^{(1)} x_k^{(0)})$.",
    formalisation="for all weights, inputs, targets, activations, losses: the indices fit w^(2) and the sum == dl/dS_i^(1).",
    fact="backprop-hidden-delta-formula",
    expected="holds",
    cases=CASES,
    instances=general_init,
    mutant=Mutant("the layer-1 weights w_ij^(1) in the sum", layer=1),
)
@forall(
    id="init.ws001.pattern-backprop-hidden-delta-general-line",
    worksheet=WS001,
    location="2(e)",
    statement=r"Backpropagation: $\delta_i^{(1)} = \sum_j \delta_j^{(2)} w_{ij}^{(2)}\, g'(\sum_k w_{ki}^{(1)} x_k^{(0)})$.",
    formalisation="for all weights, inputs, targets, activations, losses: the indices fit w^(2) and the sum == dl/dS_i^(1).",
    fact="backprop-hidden-delta-formula",
    expected="holds",
    cases=CASES,
    instances=general_init,
    mutant=Mutant("the layer-1 weights w_ij^(1) in the sum", layer=1),
)
@forall(
    id="init.ws004.backprop-hidden-delta-with-layer2-weights",
    worksheet=WS004,
    location="2(c)",
    statement=r"Backpropagation: $\delta_i^{(1)} = \sum_j \delta_j^{(2)}\, w_{ij}^{(2)}\, g'(S_i^{(1)})$.",
    formalisation="for all weights, inputs, targets, activations, losses: the indices fit w^(2) (d1 x d2) and the sum == dl/dS_i^(1).",
    fact="backprop-hidden-delta-formula",
    expected="holds",
    cases=CASES,
    instances=general_init,
    mutant=Mutant("the layer-1 weights w_ij^(1) in the sum", layer=1),
)
def hidden_delta_with_layer2_weights(v: Any, ops: Any, layer: int = 2) -> dict[str, Any]:
    return _hidden_delta_line(v, ops, layer=layer)


# ---- 001 2(b), 004 2(c): the hidden deltas under constant weights


def _delta(net: fcnet.Net, v: Any, ops: Any, layer: int) -> Any:
    return fcnet.backward(net, v.x, v.y, ops).delta[layer]


def _constant_delta1(v: Any, ops: Any, inside: str, with_g_prime: bool = True) -> Any:
    """g'(.) w sum_j delta_j^(2), with g' at S_i^(1) ("S") or at w sum_k x_k^(0) ("sum")."""
    net, w = constant_net(v), np.asarray(v.w)
    at = fcnet.forward(net, v.x, ops).S[1] if inside == "S" else col(w * ops.sum(v.x))
    slope = act(v, 1, ops)[1](at) if with_g_prime else 1
    return slope * col(w * ops.sum(_delta(net, v, ops, 2)))


for _ws, _loc, _a in ((WS001, "2(b)", "w"), (WS004, "2(c)", "a")):
    derivation(
        id=f"init.ws{_ws[:3]}.constant-init-hidden-delta-formula",
        worksheet=_ws,
        location=_loc,
        statement=(
            rf"With every weight equal to ${_a}$: $\delta_i^{{(1)}} = g'(S_i^{{(1)}})\, {_a}\sum_j \delta_j^{{(2)}} "
            rf"= g'({_a}\sum_k x_k^{{(0)}})\, {_a}\sum_j \delta_j^{{(2)}}$."
        ),
        formalisation=f"for all constants {_a}, inputs, targets, activations, losses: backprop dl/dS_i^(1) == each line, for every i.",
        fact="constant-init-hidden-delta-formula",
        expected="holds",
        cases=CASES,
        instances=constant_init,
        steps=[
            Step(r"$\delta_i^{(1)} = \partial\ell/\partial S_i^{(1)}$ (backpropagation)", lambda v, ops: _delta(constant_net(v), v, ops, 1)),
            Step(rf"$g'(S_i^{{(1)}})\, {_a}\sum_j \delta_j^{{(2)}}$", lambda v, ops: _constant_delta1(v, ops, "S")),
            Step(rf"$g'({_a}\sum_k x_k^{{(0)}})\, {_a}\sum_j \delta_j^{{(2)}}$", lambda v, ops: _constant_delta1(v, ops, "sum")),
        ],
        mutant=Mutant("the activation derivative g' left out", step=1, value=lambda v, ops: _constant_delta1(v, ops, "S", False)),
    )


@forall(
    id="init.ws004.constant-init-hidden-deltas-equal",
    worksheet=WS004,
    location="2(c)",
    statement=r"With every weight equal to $a$, the $\delta_i^{(1)}$ are equal for all hidden units $i$.",
    formalisation="for all constants a, inputs, targets, activations, losses: dl/dS_i^(1) == dl/dS_1^(1) for every hidden i.",
    fact="constant-init-hidden-deltas-equal",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    mutant=Mutant("the output deltas said to be equal instead", layer=2),
)
@forall(
    id="init.ws001.constant-init-hidden-deltas-equal",
    worksheet=WS001,
    location="2(b)",
    statement=r"With every weight equal to $w$, the $\delta_i^{(1)}$ are equal for all hidden units $i$.",
    formalisation="for all constants w, inputs, targets, activations, losses: dl/dS_i^(1) == dl/dS_1^(1) for every hidden i.",
    fact="constant-init-hidden-deltas-equal",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    mutant=Mutant("the output deltas said to be equal instead", layer=2),
)
def constant_init_hidden_deltas_equal(v: Any, ops: Any, layer: int = 1) -> Any:
    return all_equal(_delta(constant_net(v), v, ops, layer))


# ---- 001 2(c), 004 2(d): the output deltas are not all equal


def _output_deltas_differ(v: Any, ops: Any, target_free: bool = False) -> Any:
    """Some delta_k^(2) differs from delta_1^(2); a target-free loss (y_1 for every k) is the control."""
    y = v.y[..., :1] * np.ones(v.d2, int) if target_free else v.y
    return differs_along(fcnet.backward(constant_net(v), v.x, y, ops).delta[2], -1)


_OUTPUT_DELTAS = [
    (WS001, "2(c)", "output-deltas-not-all-equal", r"For a reasonable loss the output deltas $\delta_i^{(2)}$ are not all equal: each depends on its own target $y_i$."),
    (WS004, "2(d)", "output-deltas-not-all-equal", r"For a reasonable loss the output deltas $\delta_i^{(2)}$ are not all equal: each depends on its own target $y_i$."),
    (WS001, "2(f)", "recalled-output-deltas-differ", r"(Recalled in the logistic-regression answer) the output deltas $\delta_j^{(2)}$ are different."),
    (WS004, "2(g)", "recalled-output-deltas-differ", r"(Recalled in the logistic-regression answer) the output deltas $\delta_j^{(2)}$ are different."),
]
for _ws, _loc, _name, _text in _OUTPUT_DELTAS:
    exists(
        id=f"init.ws{_ws[:3]}.{_name}",
        worksheet=_ws,
        location=_loc,
        statement=_text,
        formalisation="there exist a constant init, input x and targets y (half/plain squared error or cross-entropy) with delta_k^(2) != delta_1^(2) for some k.",
        fact="constant-init-output-deltas-all-equal",
        expected="witnessed",
        cases=WIDE,
        instances=constant_init,
        mutant=Mutant("a loss that ignores the target index (y_1 for every output)", target_free=True),
    )(_output_deltas_differ)


# ---- 001 2(d), 004 2(e): the update and the first step


def _update(v: Any, ops: Any, net: fcnet.Net, start: str, extra_g_prime: bool = False) -> Any:
    """w_ij^(l) - eta delta_j^(l) x_i^(l-1) for l = 1, 2 (start "w_ij": the weights; "w": the constant)."""
    cache, grads = passes(net, v, ops)
    eta = np.asarray(v.eta)[..., None, None]
    out = []
    for layer in (1, 2):
        delta = grads.delta[layer] * (act(v, layer, ops)[1](cache.S[layer]) if extra_g_prime else 1)
        old = net.Ws[layer - 1] if start == "w_ij" else np.asarray(v.w)[..., None, None]
        out.append(old - eta * ops.outer(delta, cache.X[layer - 1]))
    return flat(out)


def gd_update_is_delta_times_input(v: Any, ops: Any, extra_g_prime: bool = False) -> Any:
    """001 2(d), 004 2(e): the GD step equals w_ij^(l) - eta delta_j^(l) x_i^(l-1) for general weights."""
    stepped = fcnet.gd_step(general_net(v), v.x, v.y, v.eta, ops)
    return equal(flat(stepped.Ws), _update(v, ops, general_net(v), "w_ij", extra_g_prime))


for _ws, _loc, _a in ((WS001, "2(d)", "w"), (WS004, "2(e)", "a")):
    forall(
        id=f"init.ws{_ws[:3]}.gd-update-is-delta-times-input",
        worksheet=_ws,
        location=_loc,
        statement=r"A gradient-descent step updates $w_{ij}^{(l)} \leftarrow w_{ij}^{(l)} - \eta\,\delta_j^{(l)} x_i^{(l-1)}$.",
        formalisation="for all weights, inputs, targets, eta, activations, losses, l = 1, 2: gd_step w_ij^(l) == w_ij^(l) - eta delta_j^(l) x_i^(l-1).",
        fact="gd-update-delta-times-input",
        expected="holds",
        cases=CASES,
        instances=general_init,
        mutant=Mutant("an extra activation derivative g'(S_j^(l)) in the update", extra_g_prime=True),
    )(gd_update_is_delta_times_input)
    derivation(
        id=f"init.ws{_ws[:3]}.first-update-formula",
        worksheet=_ws,
        location=_loc,
        statement=(
            rf"From constant weights ${_a}$: $w_{{ij}}^{{(l)}} - \eta\,\delta_j^{{(l)}} x_i^{{(l-1)}} = {_a} - \eta\,\delta_j^{{(l)}} x_i^{{(l-1)}}$, "
            r"so $w_{ij}^{(1)} = " + _a + r" - \eta\,\delta_j^{(1)} x_i^{(0)}$ and $w_{ij}^{(2)} = " + _a + r" - \eta\,\delta_j^{(2)} x_i^{(1)}$."
        ),
        formalisation=f"for all constants {_a}, data, eta, activations, losses, l = 1, 2 and all i, j: the GD step's w_ij^(l) == each line.",
        fact="first-update-from-constant-weights",
        expected="holds",
        cases=CASES,
        instances=constant_init,
        steps=[
            Step(r"$w_{ij}^{(l)}$ after one step (backpropagation)", lambda v, ops: flat(_first_step(v, ops).Ws)),
            Step(r"$w_{ij}^{(l)} - \eta\,\delta_j^{(l)} x_i^{(l-1)}$", lambda v, ops: _update(v, ops, constant_net(v), "w_ij")),
            Step(rf"${_a} - \eta\,\delta_j^{{(l)}} x_i^{{(l-1)}}$", lambda v, ops: _update(v, ops, constant_net(v), "w")),
        ],
        mutant=Mutant("an extra activation derivative g'(S_j^(l))", step=2, value=lambda v, ops: _update(v, ops, constant_net(v), "w", True)),
    )


@forall(
    id="init.ws004.first-update-layer2-same-for-all-i",
    worksheet=WS004,
    location="2(e)",
    statement=r"After one step from constant weights, for a given $j$, $w_{ij}^{(2)}$ is the same for all $i$ (all $x_i^{(1)}$ are equal).",
    formalisation="for all constants a, data, eta, activations, losses: after one GD step w_ij^(2) == w_1j^(2) for all i, j.",
    fact="first-update-layer2-pattern",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    mutant=Mutant("same for all j instead of all i", axis=SAME_FOR_ALL_J),
)
@forall(
    id="init.ws001.first-update-layer2-same-for-all-i",
    worksheet=WS001,
    location="2(d)",
    statement=r"After one step from constant weights, for a given $j$, $w_{ij}^{(2)}$ is the same for all $i$ (all $x_i^{(1)}$ are equal).",
    formalisation="for all constants w, data, eta, activations, losses: after one GD step w_ij^(2) == w_1j^(2) for all i, j.",
    fact="first-update-layer2-pattern",
    expected="holds",
    cases=CASES,
    instances=constant_init,
    mutant=Mutant("same for all j instead of all i", axis=SAME_FOR_ALL_J),
)
def first_update_layer2_same_for_all_i(v: Any, ops: Any, axis: int = SAME_FOR_ALL_I) -> Any:
    return all_equal(_first_step(v, ops).Ws[1], axis=axis)


@exists(
    id="init.ws004.first-update-layer2-differs-across-j",
    worksheet=WS004,
    location="2(f)",
    statement=r"After one step from constant weights, $w_{ij}^{(2)}$ is different for each $j$.",
    formalisation="there exist a, data, eta (d2 >= 2) such that after one GD step w_ij^(2) != w_i1^(2) for some i, j.",
    fact="first-update-layer2-differs-across-j",
    expected="witnessed",
    cases=WIDE,
    instances=constant_init,
    mutant=Mutant("differ across i instead", axis=SAME_FOR_ALL_I),
)
@exists(
    id="init.ws001.first-update-layer2-differs-across-j",
    worksheet=WS001,
    location="2(e)",
    statement=r"After one step from constant weights, $w_{ij}^{(2)}$ is different for each $j$.",
    formalisation="there exist w, data, eta (d2 >= 2) such that after one GD step w_ij^(2) != w_i1^(2) for some i, j.",
    fact="first-update-layer2-differs-across-j",
    expected="witnessed",
    cases=WIDE,
    instances=constant_init,
    mutant=Mutant("differ across i instead", axis=SAME_FOR_ALL_I),
)
def first_update_layer2_differs_across_j(v: Any, ops: Any, axis: int = SAME_FOR_ALL_J) -> Any:
    return differs_along(_first_step(v, ops).Ws[1], axis)


# ---- 001 2(e), 004 2(f): the pattern w_ij^(1) = w_i^(1), w_ij^(2) = w_j^(2) persists


def _pattern_x1(v: Any, ops: Any) -> Any:
    return fcnet.forward(pattern_net(v), v.x, ops).X[1]


def _pattern_sum_a_x(v: Any, ops: Any) -> Any:
    """g(sum_i w_i^(1) x_i^(0))."""
    return col(act(v, 1, ops)[0](ops.sum(v.a * v.x)))


def _pattern_sum_g(v: Any, ops: Any) -> Any:
    """A wrong order, the negative control: sum_i w_i^(1) g(x_i^(0))."""
    return col(ops.sum(v.a * act(v, 1, ops)[0](v.x)))


def _pattern_delta1(v: Any, ops: Any, form: str) -> Any:
    """delta_i^(1): by backprop ("backprop"), with w_ij^(2), w_ki^(1) ("general"), with w_j^(2), w_k^(1) ("pattern")."""
    net = pattern_net(v)
    cache, grads = passes(net, v, ops)
    g_prime = act(v, 1, ops)[1]
    if form == "backprop":
        return grads.delta[1]
    if form == "general":
        return ops.matvec(ops.T(net.Ws[1]), grads.delta[2]) * g_prime(ops.matvec(net.Ws[0], v.x))
    weights = v.b if form == "pattern" else 1  # "no-w2": the constant-init sum without the w_j^(2)
    return col(ops.sum(grads.delta[2] * weights) * g_prime(ops.sum(v.a * v.x)))


for _ws, _loc in ((WS001, "2(e)"), (WS004, "2(f)")):
    derivation(
        id=f"init.ws{_ws[:3]}.pattern-hidden-activation-formula",
        worksheet=_ws,
        location=_loc,
        statement=r"If $w_{ij}^{(1)} = w_i^{(1)}$ for all $j$: $x_j^{(1)} = g(\sum_i w_{ij}^{(1)} x_i^{(0)}) = g(\sum_i w_i^{(1)} x_i^{(0)})$.",
        formalisation="for all pattern weights, inputs, activations: forward x_j^(1) == each line, for every j.",
        fact="pattern-hidden-activation-formula",
        expected="holds",
        cases=CASES,
        instances=pattern_init,
        steps=[
            Step(r"$x_j^{(1)}$ (forward pass)", _pattern_x1),
            Step(r"$g(\sum_i w_{ij}^{(1)} x_i^{(0)})$", lambda v, ops: act(v, 1, ops)[0](ops.matvec(pattern_net(v).Ws[0], v.x))),
            Step(r"$g(\sum_i w_i^{(1)} x_i^{(0)})$", _pattern_sum_a_x),
        ],
        mutant=Mutant("g applied inside the sum: sum_i w_i g(x_i)", step=2, value=_pattern_sum_g),
    )
    derivation(
        id=f"init.ws{_ws[:3]}.pattern-hidden-delta-formula",
        worksheet=_ws,
        location=_loc,
        statement=(
            r"If $w_{ij}^{(1)} = w_i^{(1)}$ and $w_{ij}^{(2)} = w_j^{(2)}$: $\delta_i^{(1)} = \sum_j \delta_j^{(2)} w_{ij}^{(2)} "
            r"g'(\sum_k w_{ki}^{(1)} x_k^{(0)}) = \sum_j \delta_j^{(2)} w_j^{(2)} g'(\sum_k w_k^{(1)} x_k^{(0)})$."
        ),
        formalisation="for all pattern weights, inputs, targets, activations, losses: backprop dl/dS_i^(1) == each line, for every i.",
        fact="pattern-hidden-delta-formula",
        expected="holds",
        cases=CASES,
        instances=pattern_init,
        steps=[
            Step(r"$\delta_i^{(1)} = \partial\ell/\partial S_i^{(1)}$ (backpropagation)", lambda v, ops: _pattern_delta1(v, ops, "backprop")),
            Step(r"$\sum_j \delta_j^{(2)} w_{ij}^{(2)} g'(\sum_k w_{ki}^{(1)} x_k^{(0)})$", lambda v, ops: _pattern_delta1(v, ops, "general")),
            Step(r"$\sum_j \delta_j^{(2)} w_j^{(2)} g'(\sum_k w_k^{(1)} x_k^{(0)})$", lambda v, ops: _pattern_delta1(v, ops, "pattern")),
        ],
        mutant=Mutant("the output weights w_j^(2) left out of the sum", step=2, value=lambda v, ops: _pattern_delta1(v, ops, "no-w2")),
    )


@forall(
    id="init.ws004.pattern-hidden-activations-equal",
    worksheet=WS004,
    location="2(f)",
    statement=r"If $w_{ij}^{(1)} = w_i^{(1)}$ for all $j$, then $x_j^{(1)} = g(\sum_i w_i^{(1)} x_i^{(0)})$ does not depend on $j$.",
    formalisation="for all pattern weights (w_ij^(1) = a_i, w_ij^(2) = b_j), inputs, activations: x_j^(1) == x_1^(1) for every j.",
    fact="pattern-hidden-activations-equal",
    expected="holds",
    cases=CASES,
    instances=pattern_init,
    mutant=Mutant("the layer-1 weights transposed (w_ij^(1) = w_j^(1), incoming symmetry)", transposed=True),
)
@forall(
    id="init.ws001.pattern-hidden-activations-equal",
    worksheet=WS001,
    location="2(e)",
    statement=r"If $w_{ij}^{(1)} = w_i^{(1)}$ for all $j$, then $x_j^{(1)} = g(\sum_i w_i^{(1)} x_i^{(0)})$ does not depend on $j$.",
    formalisation="for all pattern weights (w_ij^(1) = a_i, w_ij^(2) = b_j), inputs, activations: x_j^(1) == x_1^(1) for every j.",
    fact="pattern-hidden-activations-equal",
    expected="holds",
    cases=CASES,
    instances=pattern_init,
    mutant=Mutant("the layer-1 weights transposed (w_ij^(1) = w_j^(1), incoming symmetry)", transposed=True),
)
def pattern_hidden_activations_equal(v: Any, ops: Any, transposed: bool = False) -> Any:
    net = pattern_net(v)
    if transposed:  # row j holds one value per hidden unit: a_j (cycled when d1 > d0)
        rows = np.take(np.asarray(v.a), np.arange(v.d1) % v.d0, axis=-1)
        net = _net(v, rows[..., :, None] * np.ones(v.d0, int), net.Ws[1])
    return all_equal(fcnet.forward(net, v.x, ops).X[1])


@forall(
    id="init.ws004.pattern-hidden-deltas-equal",
    worksheet=WS004,
    location="2(f)",
    statement=r"If $w_{ij}^{(1)} = w_i^{(1)}$ and $w_{ij}^{(2)} = w_j^{(2)}$, then $\delta_i^{(1)}$ does not depend on $i$.",
    formalisation="for all pattern weights, inputs, targets, activations, losses: dl/dS_i^(1) == dl/dS_1^(1) for every hidden i.",
    fact="pattern-hidden-deltas-equal",
    expected="holds",
    cases=CASES,
    instances=pattern_init,
    mutant=Mutant("the output deltas said to be equal instead", layer=2),
)
@forall(
    id="init.ws001.pattern-hidden-deltas-equal",
    worksheet=WS001,
    location="2(e)",
    statement=(
        r"If $w_{ij}^{(1)} = w_i^{(1)}$ and $w_{ij}^{(2)} = w_j^{(2)}$, then $\delta_i^{(1)}$ is the same for every hidden unit "
        r"(the worksheet writes 'does not depend on $j$', where $j$ is only the summation index: read as $i$)."
    ),
    formalisation="for all pattern weights, inputs, targets, activations, losses: dl/dS_i^(1) == dl/dS_1^(1) for every hidden i.",
    fact="pattern-hidden-deltas-equal",
    expected="holds",
    cases=CASES,
    instances=pattern_init,
    mutant=Mutant("the output deltas said to be equal instead", layer=2),
)
def pattern_hidden_deltas_equal(v: Any, ops: Any, layer: int = 1) -> Any:
    return all_equal(_delta(pattern_net(v), v, ops, layer))


def _pattern_relations(net: fcnet.Net, v: Any, ops: Any, axes: tuple[int, int]) -> dict[str, Any]:
    return {
        "w^(1): same for all j": all_equal(net.Ws[0], axis=axes[0]),
        "w^(2): same for all i": all_equal(net.Ws[1], axis=axes[1]),
    }


PATTERN_STEP = dict(
    formalisation=(
        "Induction step, for every iteration: for all weights with the pattern (w_ij^(1) = a_i for all j, w_ij^(2) = b_j for "
        "all i), inputs, targets, eta, activations, losses and widths, one GD step gives weights with the same pattern. "
        "Base: constant weights have it (a_i = b_j = w). Hence it holds after every number of steps."
    ),
    fact="symmetry-persists-every-iteration",
    expected="holds",
    cases=CASES,
    instances=pattern_init,
    mutant=Mutant("the transposed pattern (w^(1) same for all i, w^(2) same for all j)", axes=(SAME_FOR_ALL_I, SAME_FOR_ALL_J)),
)


@forall(
    id="init.ws004.gd-step-preserves-symmetric-pattern",
    worksheet=WS004,
    location="2(f)",
    statement=(
        r"No matter how many gradient-descent steps are taken, $w_{ij}^{(1)}$ stays the same for all $j$ and $w_{ij}^{(2)}$ "
        r"the same for all $i$ (so all $x_j^{(1)}$ and all $\delta_i^{(1)}$ stay equal)."
    ),
    **PATTERN_STEP,
)
@forall(
    id="init.ws001.gd-step-preserves-symmetric-pattern",
    worksheet=WS001,
    location="2(e)",
    statement=(
        r"The pattern ($w_{ij}^{(1)}$ the same for all $j$, $w_{ij}^{(2)}$ the same for all $i$) continues for every iteration, "
        r"so all $x_j^{(1)}$ and all $\delta_i^{(1)}$ stay equal."
    ),
    **PATTERN_STEP,
)
def gd_step_preserves_pattern(v: Any, ops: Any, axes: tuple[int, int] = (SAME_FOR_ALL_J, SAME_FOR_ALL_I)) -> dict[str, Any]:
    return _pattern_relations(fcnet.gd_step(pattern_net(v), v.x, v.y, v.eta, ops), v, ops, axes)


AFTER_T_STEPS = dict(
    formalisation=(
        "Supporting evidence for the induction: for all constants, data, eta, activations, losses and t in 0..4: after t GD "
        "steps w_ij^(1) is the same for all j, w_ij^(2) the same for all i, and all x_j^(1), all delta_i^(1) are equal."
    ),
    fact="symmetry-persists-every-iteration",
    expected="holds",
    cases=STEPS,
    instances=constant_init,
    mutant=Mutant("the transposed pattern (w^(1) same for all i, w^(2) same for all j)", axes=(SAME_FOR_ALL_I, SAME_FOR_ALL_J)),
)


@forall(
    id="init.ws004.hidden-units-symmetric-after-t-steps",
    worksheet=WS004,
    location="2(f)",
    statement=r"From constant weights, after any number $t$ of gradient-descent steps the hidden units are still symmetric.",
    **AFTER_T_STEPS,
)
@forall(
    id="init.ws001.hidden-units-symmetric-after-t-steps",
    worksheet=WS001,
    location="2(e)",
    statement=r"From constant weights, after any number $t$ of gradient-descent steps the hidden units are still symmetric.",
    **AFTER_T_STEPS,
)
def hidden_units_symmetric_after_t_steps(v: Any, ops: Any, axes: tuple[int, int] = (SAME_FOR_ALL_J, SAME_FOR_ALL_I)) -> dict[str, Any]:
    net = after_steps(constant_net(v), v, ops, v.steps)
    cache, grads = passes(net, v, ops)
    return {
        **_pattern_relations(net, v, ops, axes),
        "all x_j^(1) equal": all_equal(cache.X[1]),
        "all delta_i^(1) equal": all_equal(grads.delta[1]),
    }


# ---- remarks with no precise content

not_checkable(
    id="init.ws004.forward-pass-diagram",
    worksheet=WS004,
    location="2(a)",
    statement="A diagram of the 1-hidden-layer net's forward pass and where each $\\delta_j^{(l)}$ is computed; the output activation is optional.",
    reason="A drawing and a modelling remark; the forward pass itself is models/fcnet.py, checked by every claim here.",
)
not_checkable(
    id="init.ws004.sum-term-same-within-each-node",
    worksheet=WS004,
    location="2(c)",
    statement="The sum inside the activation is the same for all $i$ in layer 1, 'not across all nodes but the entries within each node'.",
    reason=(
        "The parenthetical contradicts itself about which sum is meant; its precise content (all delta_i^(1) equal) is "
        "init.ws004.constant-init-hidden-deltas-equal."
    ),
)
