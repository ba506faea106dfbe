"""The gradient-descent update from constant weights, and whether the hidden units' symmetry persists.

000 1(c), 001 2(d)-(e) and 004 2(e)-(f); notation and helpers in claims/_initialization_common.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from claims._initialization_common import (
    CASES,
    LONG_STEPS,
    STEPS,
    WIDE,
    _data,
    _delta,
    _net,
    act,
    after_steps,
    batch_cases,
    batch_gd_step,
    col,
    constant_init,
    constant_net,
    differs_along,
    flat,
    general_init,
    general_net,
    passes,
    pattern_batch_init,
    pattern_init,
    pattern_net,
)
from claims.engine import (
    Erratum,
    Mutant,
    Step,
    all_equal,
    derivation,
    equal,
    exists,
    forall,
)
from claims.strategies import normal
from claims.worksheets import WS000, WS001, WS004
from models import fcnet

# ================================================================ 000 part 1 (delta = dL/d input)


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
    quote=r"&= w - \eta \left(g' \left(\sum_k^{d^{(l-1)}} w x_k^{(l-1)} \right) x_i^{(l-1)} \right) \delta_j^{(l+1)}",
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
    quote=r"$w_{ij}^{(1)}$ will be the same for all $j$ because $\delta_j^{(1)}$ is equal for all $j$",
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
    quote=r"$w_{ij}^{(1)}$ will be the same for all $j$ because $\delta_j^{(1)}$ is equal for all $j$",
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
    quote="but will be the same for all values of j",
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
    quote="may be different across i",
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
    quote="$w_{ij}^{(2)}$ will be the same for all values of i and all values of j",
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
        replacement="$w_{ij}^{(2)}$ will be the same for all values of i (but may differ across j)",
    ),
)
def ws000_first_update_layer2_constant(v: Any, ops: Any) -> Any:
    return all_equal(flat(_first_step(v, ops).Ws[1:]))


@forall(
    id="init.ws000.pattern-persists-for-every-iteration",
    worksheet=WS000,
    location="1(c)",
    quote="This pattern will continue and will not break for as many iterations you do.",
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
        replacement="This pattern ($w_{ij}^{(1)}$ the same for all j, $w_{ij}^{(2)}$ the same for all i) will continue and will not break for as many iterations you do.",
    ),
)
def ws000_pattern_persists(v: Any, ops: Any) -> dict[str, Any]:
    net = after_steps(constant_net(v), v, ops, v.steps)
    return {
        "w^(1) same for all j": all_equal(net.Ws[0], axis=SAME_FOR_ALL_J),
        "w^(2) same for all i and j": all_equal(flat(net.Ws[1:])),
    }


# ================================================================ 001 part 2 and 004 part 2 (delta = dl/dS)


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
        quote=r"w_{ij}^{(l)} - \eta \delta_j^{(l)} x_i^{(l-1)}",
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
        quote=rf"= {_a} - \eta \delta_j^{{(l)}} x_i^{{(l-1)}}",
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
    quote="$w_{ij}^{(2)}$ will be the same for all $i$ because $x_i^{(1)}$ is equal for all $i$",
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
    quote="$w_{ij}^{(2)}$ will be the same for all $i$ because $x_i^{(1)}$ is equal for all $i$",
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
    quote="you showed that $w_{ij}^{(2)}$ is different for each $j$",
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
    quote="Even though $w_{ij}^{(2)}$ is different for each $j$",
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
        quote=r"= g \left( \sum_{i=1}^{d^{(0)}} w_i^{(1)} x_i^{(0)} \right)",
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
        quote=r"= \sum_{j=1}^{d^{(2)}} \delta_j^{(2)} w_j^{(2)} g' \left( \sum_{k=1}^{d^{(0)}} w_k^{(1)} x_k^{(0)} \right)",
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


# ---- the hypotheses as printed: "w_ij^(1) = w_i^(1) for all i", "w_ij^(2) = w_j^(2) for all j"


def _printed_quantifier(layer: int) -> dict[str, Any]:
    """Fields of the as-printed claims: the quantifier runs over the index the weight keeps, the other index is free."""
    kept, free = ("i", "j") if layer == 1 else ("j", "i")
    weight = f"$w_{{ij}}^{{({layer})}} = w_{kept}^{{({layer})}}$"
    return dict(
        quote=f"Let {weight} for all ${kept}$ .",
        expected="refuted",
        erratum=Erratum(
            f"As printed, {weight} 'for all ${kept}$' only names the weights of one ${free}$: it holds for every weight "
            f"matrix (take $w_{kept}^{{({layer})}} := w_{{ij}}^{{({layer})}}$ at that ${free}$), so the conclusion that follows "
            + ("($x_j^{(1)}$ does not depend on $j$) fails for general layer-1 weights. " if layer == 1 else
               "($\\delta_i^{(1)}$ does not depend on $i$) fails for general layer-2 weights. ")
            + f"The argument needs the weight to be the same for all ${free}$.",
            corrected_by=f"init.ws{{ws}}.pattern-hidden-{'activations' if layer == 1 else 'deltas'}-equal",
            replacement=f"Let {weight} for all ${free}$ .",
            contestable=(
                f"the other reading: 'for all ${kept}$' abbreviates 'for all ${kept}$ and ${free}$' (the subscript says the "
                f"value depends on ${kept}$ alone), which is the hypothesis the argument uses; read so, it holds "
                f"(init.ws{{ws}}.pattern-hidden-{'activations' if layer == 1 else 'deltas'}-equal)"
            ),
        ),
    )


def half_pattern_init(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Layer 1 with the symmetric pattern (w_ij^(1) = a_i for all j), layer 2 arbitrary (W, d2 x d1), with data."""
    return {"a": normal(rng, n, case.d0), "W": normal(rng, n, case.d2, case.d1), **_data(case, rng, n)}


def _printed(ws: str, layer: int) -> dict[str, Any]:
    fields = _printed_quantifier(layer)
    e = fields["erratum"]
    fields["erratum"] = Erratum(e.explanation, e.corrected_by.format(ws=ws), e.replacement, e.contestable.format(ws=ws))
    return fields


PRINTED_LAYER1 = dict(
    statement=(
        r"If $w_{ij}^{(1)} = w_i^{(1)}$ for all $i$ (as printed: the quantifier over $i$, with $j$ free), then "
        r"$x_j^{(1)} = g(\sum_i w_i^{(1)} x_i^{(0)})$, which does not depend on $j$."
    ),
    formalisation=(
        "for all weights V = W^(1) (any matrix satisfies the printed hypothesis at j = 1 with w_i^(1) := w_i1^(1)), "
        "inputs and activations: x_j^(1) == g(sum_i w_i^(1) x_i^(0)) for every hidden unit j."
    ),
    cases=CASES,
    instances=general_init,
)
PRINTED_LAYER2 = dict(
    statement=(
        r"If moreover $w_{ij}^{(2)} = w_j^{(2)}$ for all $j$ (as printed: the quantifier over $j$, with $i$ free), then "
        r"$\delta_i^{(1)} = \sum_j \delta_j^{(2)} w_j^{(2)} g'(\sum_k w_k^{(1)} x_k^{(0)})$, which does not depend on $i$."
    ),
    formalisation=(
        "for all layer-1 weights with the pattern w_ij^(1) = a_i (for all j), all layer-2 weights W^(2) (any matrix "
        "satisfies the printed hypothesis at i = 1 with w_j^(2) := w_1j^(2)), inputs, targets, activations and losses: "
        "dl/dS_i^(1) == sum_j delta_j^(2) w_j^(2) g'(sum_k a_k x_k^(0)) for every hidden unit i."
    ),
    cases=CASES,
    instances=half_pattern_init,
)


@forall(id="init.ws004.pattern-hypothesis-layer1-as-printed", worksheet=WS004, location="2(f)", **PRINTED_LAYER1, **_printed("004", 1))
@forall(id="init.ws001.pattern-hypothesis-layer1-as-printed", worksheet=WS001, location="2(e)", **PRINTED_LAYER1, **_printed("001", 1))
def printed_layer1_hypothesis(v: Any, ops: Any) -> Any:
    x1 = fcnet.forward(general_net(v), v.x, ops).X[1]
    w_i = v.V[..., 0, :]  # w_i^(1) := w_i1^(1): the printed hypothesis at j = 1
    return equal(x1, col(act(v, 1, ops)[0](ops.sum(w_i * v.x))))


@forall(id="init.ws004.pattern-hypothesis-layer2-as-printed", worksheet=WS004, location="2(f)", **PRINTED_LAYER2, **_printed("004", 2))
@forall(id="init.ws001.pattern-hypothesis-layer2-as-printed", worksheet=WS001, location="2(e)", **PRINTED_LAYER2, **_printed("001", 2))
def printed_layer2_hypothesis(v: Any, ops: Any) -> Any:
    a = np.asarray(v.a)
    net = _net(v, a[..., None, :] * np.ones((v.d1, 1), int), v.W)
    grads = fcnet.backward(net, v.x, v.y, ops)
    w_j = v.W[..., :, 0]  # w_j^(2) := w_1j^(2): the printed hypothesis at i = 1
    stated = ops.sum(grads.delta[2] * w_j) * act(v, 1, ops)[1](ops.sum(a * v.x))
    return equal(grads.delta[1], col(stated))


@forall(
    id="init.ws004.pattern-hidden-activations-equal",
    worksheet=WS004,
    location="2(f)",
    quote="Which does not depend on $j$ . Also,",
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
    quote="Which does not depend on $j$ . Also,",
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
    quote="Which does not depend on $i$ .",
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
    quote="Which does not depend on $j$ . All $x_j^{(1)}$ being the same",
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
        "all i), data, targets, eta, activations and losses, one full-batch GD step on the mean loss over m data points "
        "gives weights with the same pattern; widths d0, d1, d2 in 1..4 with m = 1 or 32, and d0 = d1 = d2 in "
        "{8, 16, 32, 63, 64} with m = 32 (where float64 BLAS breaks the symmetry by rounding). "
        "Base: constant weights have it (a_i = b_j = w). Hence it holds after every number of steps."
    ),
    fact="symmetry-persists-every-iteration",
    expected="holds",
    cases=batch_cases(),
    instances=pattern_batch_init,
    mutant=Mutant("the transposed pattern (w^(1) same for all i, w^(2) same for all j)", axes=(SAME_FOR_ALL_I, SAME_FOR_ALL_J)),
)


@forall(
    id="init.ws004.gd-step-preserves-symmetric-pattern",
    worksheet=WS004,
    location="2(f)",
    quote="no matter how many subsequent iterations of gradient descent you take, this property will continue to be true",
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
    quote="this pattern continues. Why?",
    statement=(
        r"The pattern ($w_{ij}^{(1)}$ the same for all $j$, $w_{ij}^{(2)}$ the same for all $i$) continues for every iteration, "
        r"so all $x_j^{(1)}$ and all $\delta_i^{(1)}$ stay equal."
    ),
    **PATTERN_STEP,
)
def gd_step_preserves_pattern(v: Any, ops: Any, axes: tuple[int, int] = (SAME_FOR_ALL_J, SAME_FOR_ALL_I)) -> dict[str, Any]:
    return _pattern_relations(batch_gd_step(pattern_net(v), v, ops), v, ops, axes)


AFTER_T_STEPS = dict(
    formalisation=(
        "Supporting evidence for the induction: for all constants w, one data point (x, y), eta, activations, losses, widths "
        "d0, d1, d2 in 1..4 and t in {0, 1, 2, 3, 4, 10, 30, 100, 200}: after t GD steps w_ij^(1) is the same for all j, "
        "w_ij^(2) the same for all i, and all x_j^(1), all delta_i^(1) are equal. The interval twin decides every instance "
        "the float64 screen leaves open (about 15% at t = 100: unstable training amplifies a few-ulp nudge). It stops at "
        "t = 200 for the ci budget: t = 1000 costs about 3 s per example at width 4 (a third of the instances to the twin, "
        "up to 1,000 digits) and minutes per example at width 64. Every t is covered by the induction claims "
        "(gd-step-preserves-symmetric-pattern, widths up to 64)."
    ),
    fact="symmetry-persists-every-iteration",
    expected="holds",
    cases=LONG_STEPS,
    instances=constant_init,
    mutant=Mutant("the transposed pattern (w^(1) same for all i, w^(2) same for all j)", axes=(SAME_FOR_ALL_I, SAME_FOR_ALL_J)),
)


@forall(
    id="init.ws004.hidden-units-symmetric-after-t-steps",
    worksheet=WS004,
    location="2(f)",
    quote="will continue no matter how many iterations you perform",
    statement=r"From constant weights, after any number $t$ of gradient-descent steps the hidden units are still symmetric.",
    **AFTER_T_STEPS,
)
@forall(
    id="init.ws001.hidden-units-symmetric-after-t-steps",
    worksheet=WS001,
    location="2(e)",
    quote="will continue no matter how many iterations you perform",
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
