"""Constant weight initialisation, forward and backward pass: the hidden activations and hidden deltas are equal.

000 1(a)-(b), 001 2(a)-(c) and 004 2(a)-(d), with the backpropagation lines they rest on (000 1, 001 2(e), 004 2(f))
and the recalled output deltas (001 2(f), 004 2(g)); notation and helpers in claims/_initialization_common.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from claims._initialization_common import (
    CASES,
    WIDE,
    _delta,
    act,
    col,
    constant_init,
    constant_net,
    differs_along,
    general_init,
    general_net,
    net_cases,
    passes,
)
from claims.engine import (
    Erratum,
    Mutant,
    Step,
    all_equal,
    derivation,
    equal,
    exact,
    exists,
    forall,
    is_true,
    not_checkable,
)
from claims.worksheets import WS000, WS001, WS004
from models import fcnet

# ================================================================ 000 part 1 (delta = dL/d input)


@forall(
    id="init.ws000.delta-is-jacobian-times-next-delta",
    worksheet=WS000,
    location="1",
    quote=r"\delta^{(l)} = \frac{\partial \mathcal{L}}{\partial x^{(l-1)}} = \left(\frac{\partial x^{(l)}}{\partial x^{(l-1)}} \right) \delta^{(l+1)}",
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


not_checkable(
    id="init.ws000.layer-forward-definition",
    worksheet=WS000,
    location="1",
    quote=r"x_j^{(l)} = g \left(\sum_{i=1}^{d^{(l-1)}} w_{ij}^{(l)} x_i^{(l-1)} \right)",
    statement=r"The network: $x_j^{(l)} = g(\sum_i w_{ij}^{(l)} x_i^{(l-1)})$, with $w_{ij}^{(l)}$ the weight from unit $i$ of layer $l-1$ to unit $j$ of layer $l$.",
    reason=(
        "A definition (notation), not an assertion: models/fcnet.forward computes x^(l) = g(W^(l) x^(l-1)) with "
        "Ws[l-1][j, i] = w_ij^(l), and every claim of part 1 runs on it."
    ),
)


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
    quote=r"= g \left(w \sum_i^{d^{(0)}} x_i^{(0)} \right)",
    statement=r"With every weight equal to $w$: $x_j^{(1)} = g(\sum_i w\,x_i^{(0)}) = g(w\sum_i x_i^{(0)})$.",
    formalisation="for all constants w, inputs x, activations g: forward x_j^(1) == g(sum_i w x_i) == g(w sum_i x_i) for every j.",
    steps=[
        Step(r"$x_j^{(1)}$ (forward pass)", _x1),
        Step(r"$g(\sum_i w\, x_i^{(0)})$", _g_sum_w_x),
        Step(r"$g(w \sum_i x_i^{(0)})$", _g_w_sum_x),
    ],
    **HIDDEN_FORMULA,
)
for _ws, _loc, _a, _quote in (
    (WS001, "2(a)", "w", r"= g\left(w \sum_{i=1}^{d^{(0)}} x_i^{(0)}\right)"),
    (WS004, "2(b)", "a", r"= g \left( a \sum_{i=1}^{d^{(0)}} x_i^{(0)} \right)"),
):
    derivation(
        id=f"init.ws{_ws[:3]}.constant-init-hidden-activation-formula",
        worksheet=_ws,
        location=_loc,
        quote=_quote,
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
    quote="Note that this equation does not depend on $j$ so all $x_j^{(1)}$ are equal.",
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
    quote="Note that this equation does not depend on $j$ so all $x_j^{(1)}$ are equal.",
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
    quote="thus, all the $x_j^{(1)}$ are equal",
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
    quote=r"x_j^{(2)} = g \left(\sum_i^{d^{(1)}} w x_i^{(1)} \right)",
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
    quote="it is easy to show that all the $x_j^{(2)}$ are equal",
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
    quote=r"\sum_{j=1}^{d^{(2)}} \delta_j^{(3)} g' \left(\sum_k^{d^{(1)}} w x_k^{(1)} \right) w",
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
    quote=r"there is no dependency on i here, thus, all the $\delta_i^{(2)}$ are equal",
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
    quote=r"All of the $\delta_i^{(3)}$ must also be equal, because it is easy to show that all the $x_j^{(2)}$ are equal.",
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
        replacement=r"All the $x_j^{(2)}$ are equal, but the $\delta_i^{(3)}$ are equal only when all the targets are, since each depends on its own target.",
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
    quote=r"All of the $\delta_i^{(3)}$ must also be equal",
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
    quote=r"\delta_j^{(2)} w_{ij}^{(1)} g'(S_i^{(1)})",
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
        replacement=r"\delta_j^{(2)} w_{ij}^{(2)} g'(S_i^{(1)})",
    ),
)
def hidden_delta_with_layer1_weights(v: Any, ops: Any) -> dict[str, Any]:
    return _hidden_delta_line(v, ops, layer=1)


@forall(
    id="init.ws004.pattern-backprop-hidden-delta-general-line",
    worksheet=WS004,
    location="2(f)",
    quote=r"\delta_j^{(2)} w_{ij}^{(2)} g' \left( \sum_{k=1}^{d^{(0)}} w_{ki}^{(1)} x_k^{(0)} \right)",
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
    quote=r"\delta_j^{(2)} w_{ij}^{(2)} g' \left( \sum_{k=1}^{d^{(0)}} w_{ki}^{(1)} x_k^{(0)} \right)",
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
    quote=r"\delta_j^{(2)} w_{ij}^{(2)} g'(S_i^{(1)})",
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


def _constant_delta1(v: Any, ops: Any, inside: str, with_g_prime: bool = True) -> Any:
    """g'(.) w sum_j delta_j^(2), with g' at S_i^(1) ("S") or at w sum_k x_k^(0) ("sum")."""
    net, w = constant_net(v), np.asarray(v.w)
    at = fcnet.forward(net, v.x, ops).S[1] if inside == "S" else col(w * ops.sum(v.x))
    slope = act(v, 1, ops)[1](at) if with_g_prime else 1
    return slope * col(w * ops.sum(_delta(net, v, ops, 2)))


for _ws, _loc, _a, _quote in (
    (WS001, "2(b)", "w", r"= g'\left(w \sum_{k=1}^{d^{(0)}} x_k^{(0)}\right) w \sum_{j=1}^{d^{(2)}} \delta_j^{(2)}"),
    (WS004, "2(c)", "a", r"= g' \left( a \sum_{k=1}^{d^{(0)}} x_k^{(0)} \right) a \sum_{j=1}^{d^{(2)}} \delta_j^{(2)}"),
):
    derivation(
        id=f"init.ws{_ws[:3]}.constant-init-hidden-delta-formula",
        worksheet=_ws,
        location=_loc,
        quote=_quote,
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
    quote="The members of the set are equal.",
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
    quote="The sum term is the same for all values of $i$ in layer 1.",
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


_DEPENDS = r"depends on $y_i$ , which is different for each $i$"
_RECALLED = r"remember that the $\delta_j^{(2)}$"
_OUTPUT_DELTAS = [
    (WS001, "2(c)", "output-deltas-not-all-equal", r"For a reasonable loss the output deltas $\delta_i^{(2)}$ are not all equal: each depends on its own target $y_i$.", _DEPENDS),
    (WS004, "2(d)", "output-deltas-not-all-equal", r"For a reasonable loss the output deltas $\delta_i^{(2)}$ are not all equal: each depends on its own target $y_i$.", _DEPENDS),
    (WS001, "2(f)", "recalled-output-deltas-differ", r"(Recalled in the logistic-regression answer) the output deltas $\delta_j^{(2)}$ are different.", _RECALLED),
    (WS004, "2(g)", "recalled-output-deltas-differ", r"(Recalled in the logistic-regression answer) the output deltas $\delta_j^{(2)}$ are different.", _RECALLED),
]
for _ws, _loc, _name, _text, _quote in _OUTPUT_DELTAS:
    exists(
        id=f"init.ws{_ws[:3]}.{_name}",
        worksheet=_ws,
        location=_loc,
        quote=_quote,
        statement=_text,
        formalisation="there exist a constant init, input x and targets y (half/plain squared error or cross-entropy) with delta_k^(2) != delta_1^(2) for some k.",
        fact="constant-init-output-deltas-all-equal",
        expected="witnessed",
        cases=WIDE,
        instances=constant_init,
        mutant=Mutant("a loss that ignores the target index (y_1 for every output)", target_free=True),
    )(_output_deltas_differ)


# ---- remarks with no precise content

not_checkable(
    id="init.ws004.forward-pass-diagram",
    worksheet=WS004,
    location="2(a)",
    quote="Figure 1: Simple diagram of the 1-hidden layer network",
    statement="A diagram of the 1-hidden-layer net's forward pass and where each $\\delta_j^{(l)}$ is computed; the output activation is optional.",
    reason="A drawing and a modelling remark; the forward pass itself is models/fcnet.py, checked by every claim here.",
)
not_checkable(
    id="init.ws004.sum-term-same-within-each-node",
    worksheet=WS004,
    location="2(c)",
    quote="note that this is not referring to being the same across all nodes, but rather the entries within each node.",
    statement="The sum inside the activation is the same for all $i$ in layer 1, 'not across all nodes but the entries within each node'.",
    reason=(
        "The parenthetical contradicts itself about which sum is meant; its precise content (all delta_i^(1) equal) is "
        "init.ws004.constant-init-hidden-deltas-equal."
    ),
)
