"""Skip-layer networks: regression outputs, the weight count and the gradient of the one-unit net (000 part 2).

The partial derivatives that 2(d) writes unevaluated (ds_y/dw_xh, ds_h/dw_xh, ...) get their own
truth by forward-mode differentiation (``claims.engine.derivative``) of the same expressions, pushed
through ``skip_layer.scalar_forward`` itself where the expression is the model's; the model's
hand-written ``skip_layer.grad_y`` is cross-checked against it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from claims.engine import (
    Erratum,
    Mutant,
    Step,
    derivation,
    derivative,
    equal,
    exact,
    forall,
    is_true,
    lt,
    not_checkable,
    st,
)
from claims.strategies import SCALES, SMOOTH_ACTIVATIONS, grid, normal, widths
from claims.worksheets import WS000
from models import F64, fcnet, skip_layer
from models.fcnet import activation

# ---------------------------------------------------------------- the one-unit net of 2(d)


def scalar_nets(case: Any, rng: Any, n: int) -> dict[str, Any]:
    """Weights w_xh, w_hy, w_xy and input x of the net of 2(d), N(0, scale^2)."""
    return {k: normal(rng, n, scale=case.scale) for k in ("w_xh", "w_hy", "w_xy", "x")}


SCALAR_CASES = grid(g=SMOOTH_ACTIVATIONS, scale=SCALES)
WEIGHTS = ("w_xh", "w_hy", "w_xy")


def _fwd(v: Any, ops: Any) -> skip_layer.ScalarSkip:
    """The model's forward values, computed once per instance and backend (every line of a derivation reads them)."""
    memo = v.__dict__.setdefault("_scalar_skip_forward", {})
    if ops.name not in memo:
        memo[ops.name] = skip_layer.scalar_forward(v.w_xh, v.w_hy, v.w_xy, v.x, v.g, ops)
    return memo[ops.name]


def _g(v: Any, ops: Any) -> Callable[[Any], Any]:
    return activation(v.g, ops)[0]


def _g_prime(v: Any, ops: Any) -> Callable[[Any], Any]:
    return activation(v.g, ops)[1]


def d_model(v: Any, ops: Any, node: str, wrt: str) -> Any:
    """d(node)/d(wrt) for a node of ``scalar_forward`` (s_h, h, s_y, y), by forward mode through the model."""
    args = {k: v[k] for k in (*WEIGHTS, "x")}
    return derivative(lambda t, o: getattr(skip_layer.scalar_forward(*{**args, wrt: t}.values(), v.g, o), node), v[wrt], ops)


def dy_ds_y(v: Any, ops: Any) -> Any:
    """dy/ds_y, with y = g(s_y)."""
    return derivative(lambda s, o: _g(v, o)(s), _fwd(v, ops).s_y, ops)


# ---------------------------------------------------------------- 2(a), 2(c): remarks

not_checkable(
    id="skip-layer.regression-by-linear-output-function",
    worksheet=WS000,
    location="2(a)",
    quote="How could we modify a neural network to perform regression instead of classification?",
    statement="For regression instead of classification, make the output function of the last layer linear.",
    reason=(
        "The question and the choice of a loss are design matters; the checkable content of the answer (a linear "
        "output reaches every real target, a sigmoid output never leaves (0, 1)) is "
        "skip-layer.linear-output-reaches-every-real-target."
    ),
)


def regression_nets(case: Any, rng: Any, n: int) -> dict[str, Any]:
    """Hidden weights V (d1 x d0), an input x and a real target t in R^{d2} (scale 10: mostly outside (0, 1))."""
    return {"V": normal(rng, n, case.d1, case.d0), "x": normal(rng, n, case.d0), "t": normal(rng, n, case.d2, scale=10.0)}


@forall(
    id="skip-layer.linear-output-reaches-every-real-target",
    worksheet=WS000,
    location="2(a)",
    quote="Change the output function of the final layer to be a linear function",
    statement=(
        "For regression, change the final layer's output function to a linear one: a linear output can produce every "
        "real target, while the usual non-linear (sigmoid) output cannot leave $(0, 1)$."
    ),
    formalisation=(
        "for all widths d0, d1, d2 in 1..3, hidden weights V, inputs x and real targets t in R^{d2}: with sigmoid hidden "
        "units h = s(Vx) (never 0), the output weights W = t h^T / ||h||^2 make the net with a linear (identity) output "
        "return exactly t; the same net with a sigmoid output returns values strictly inside (0, 1), so it misses every "
        "target outside (0, 1)."
    ),
    expected="holds",
    cases=grid(d0=range(1, 4), d1=range(1, 4), d2=range(1, 4)),
    instances=regression_nets,
    mutant=Mutant("the sigmoid output said to reach the target as well", reaching="sigmoid"),
)
def linear_output_reaches_targets(v: Any, ops: Any, reaching: str = "identity") -> dict[str, Any]:
    h = ops.sigmoid(ops.matvec(v.V, v.x))
    W = ops.outer(v.t, h) / np.asarray(ops.sum(h * h))[..., None, None]

    def output(head: str) -> Any:
        return fcnet.forward(fcnet.Net((v.V, W), hidden="sigmoid", output=head, loss="half_sq"), v.x, ops).X[2]

    z = output("sigmoid")
    return {
        f"{reaching} output = t": equal(output(reaching), v.t),
        "sigmoid output in (0, 1)": is_true(lt(0, z) & lt(z, 1), show={"sigmoid output": z, "t": v.t}),
    }

not_checkable(
    id="skip-layer.more-weights-may-overfit",
    worksheet=WS000,
    location="2(c)",
    quote="So now there may be a higher chance of overfitting the data.",
    statement=(
        "A skip layer adds weights, which may raise the chance of overfitting; fewer nodes or layers "
        "compensate for the added connectivity."
    ),
    reason="'May overfit' and 'compensate' are qualitative; the worksheet gives no data, model class or bound.",
)

not_checkable(
    id="skip-layer.output-sees-low-and-high-level-features",
    worksheet=WS000,
    location="2(c)",
    quote="This can be a better modeling choice in many settings.",
    statement=(
        "In deep networks a skip layer gives the output direct access to low-level as well as high-level "
        "features, which can be a better modelling choice."
    ),
    reason=(
        "'A better modeling choice' is a judgement about learned concepts; the precise content of 'direct access to "
        "both' is skip-layer.output-sees-input-and-last-hidden-layer."
    ),
)


def deep_skip_nets(case: Any, rng: Any, n: int) -> dict[str, Any]:
    """Layer weights W1..WL, skip weights (d_L x d_0) and an input for the widths of the case."""
    d = case.widths
    out = {f"W{k}": normal(rng, n, d[k], d[k - 1]) for k in range(1, len(d))}
    return {**out, "W_skip": normal(rng, n, d[-1], d[0]), "x": normal(rng, n, d[0])}


@forall(
    id="skip-layer.output-sees-input-and-last-hidden-layer",
    worksheet=WS000,
    location="2(c)",
    quote=(
        "The presence of skip layers ensures that output gets direct access to both low-level concepts (initial layers) "
        "and high level concepts (later layers)."
    ),
    statement=(
        "With a skip layer the output gets direct access to both the input (low level) and the last hidden layer "
        "(high level): its pre-activation is $W^{(L)} x^{(L-1)} + W_{skip} x^{(0)}$, with $x^{(L-1)}$ the same "
        "features as in the network without the skip."
    ),
    formalisation=(
        "for all widths (d_0, ..., d_L) with L in 2..4 and d_i in 1..4, weights, skip weights, inputs and g in "
        "{sigmoid, tanh}: the skip net's hidden values x^(l), l < L, equal those of the plain net (models/fcnet, the "
        "same layers, no skip), and its output pre-activation equals W^(L) x^(L-1) + W_skip x^(0) with the plain net's "
        "x^(L-1): the input enters the output layer in one linear step, whatever the hidden layers compute."
    ),
    expected="holds",
    cases=st.fixed_dictionaries(
        {"widths": widths(min_layers=3, max_layers=5, max_width=4), "g": st.sampled_from(SMOOTH_ACTIVATIONS)}
    ),
    instances=deep_skip_nets,
    mutant=Mutant("no direct access: the output pre-activation said to be W^(L) x^(L-1) alone", direct=False),
)
def output_sees_input_and_last_hidden(v: Any, ops: Any, direct: bool = True) -> dict[str, Any]:
    Ws = tuple(v[f"W{k}"] for k in range(1, len(v.widths)))
    skip = skip_layer.forward(skip_layer.SkipNet(Ws, v.W_skip, hidden=v.g, output=v.g), v.x, ops)
    plain = fcnet.forward(fcnet.Net(Ws, hidden=v.g, output=v.g, loss="half_sq"), v.x, ops)
    L = len(Ws)
    stated = ops.matvec(Ws[-1], plain.X[L - 1]) + (ops.matvec(v.W_skip, v.x) if direct else 0)
    out = {f"x^({k}) as without the skip": equal(skip.X[k], plain.X[k]) for k in range(1, L)}
    out["output pre-activation = W^(L) x^(L-1) + W_skip x^(0)"] = equal(skip.S[L], stated)
    return out


# ---------------------------------------------------------------- 2(b): the weight count


def weights_the_output_reads(widths: tuple[int, ...]) -> int:
    """The number of weight entries the output depends on: the non-zero columns of its Jacobian in the weights.

    Counted without the formula or the matrix shapes' product: with identity activations, every weight 1 and the
    input all ones, every path from input to output carries a positive product, so raising one entry by 1 raises
    some output exactly when the forward pass reads that entry (small integers: exact in float64). All entries are
    bumped at once, one copy of the net per entry along a batch axis.
    """
    net = skip_layer.make_skip_net(widths, hidden="identity", output="identity")
    mats = [np.ones(W.shape) for W in (*net.Ws, net.W_skip)]
    sizes = [M.size for M in mats]
    bumped = []
    for k, M in enumerate(mats):
        copies = np.broadcast_to(M, (sum(sizes), *M.shape)).copy()
        first = sum(sizes[:k])
        copies.reshape(len(copies), -1)[first + np.arange(M.size), np.arange(M.size)] += 1
        bumped.append(copies)
    base = skip_layer.forward(skip_layer.SkipNet(tuple(mats[:-1]), mats[-1], "identity", "identity"), np.ones(widths[0]), F64)
    moved = skip_layer.forward(skip_layer.SkipNet(tuple(bumped[:-1]), bumped[-1], "identity", "identity"), np.ones(widths[0]), F64)
    return int(np.sum(np.any(moved.X[-1] != base.X[-1], axis=-1)))


@forall(
    id="skip-layer.weight-count-layer-products-plus-d0-dl",
    worksheet=WS000,
    location="2(b)",
    quote=r"\sum_{i=0}^{L-1} d_i d_{i+1} + d_0 d_L",
    statement=(
        "A skip-layer network on widths $d_0, \\dots, d_L$ without biases has "
        "$\\sum_{i=0}^{L-1} d_i d_{i+1} + d_0 d_L$ weights."
    ),
    formalisation=(
        "For all widths (d_0, ..., d_L) with L >= 2 (at least one hidden layer) and 1 <= d_i <= 6: the "
        "number of weights the output depends on (non-zero columns of its Jacobian in every weight entry, found by "
        "raising each entry by 1 in a linear net with positive weights: see weights_the_output_reads) equals the "
        "formula, exactly; so does the number of weight entries of make_skip_net(widths) (layer matrices "
        "d_{i+1} x d_i plus the skip matrix d_L x d_0). L = 1 is outside the domain: there the 'skip' "
        "matrix joins the same two layers as the only ordinary layer, the formula counts 2 d_0 d_1 for "
        "one effective map (W + W_skip) x, and the worksheet's network has a hidden layer."
    ),
    expected="holds",
    cases=st.fixed_dictionaries({"widths": widths(min_layers=3, max_layers=6, max_width=6)}),
    mutant=Mutant("skip weights counted as d_0 d_{L-1} (input wired to the last hidden layer)", skip_to=-2),
)
def weight_count(v: Any, ops: Any, skip_to: int = -1) -> dict[str, Any]:
    d = v.widths
    stated = sum(d[i] * d[i + 1] for i in range(len(d) - 1)) + d[0] * d[skip_to]
    net = skip_layer.make_skip_net(d)
    held = skip_layer.count_weights(net)
    read = weights_the_output_reads(d)
    shapes = [list(W.shape) for W in (*net.Ws, net.W_skip)]
    return {
        "formula = weights the output depends on": is_true(exact(read == stated), show={"weights read": read, "formula": stated}),
        "formula = entries held": is_true(exact(held == stated), show={"count_weights": held, "formula": stated, "matrix_shapes": shapes}),
    }


# ---------------------------------------------------------------- 2(d): the partials that make up the gradient


def directions(case: Any, rng: Any, n: int) -> dict[str, Any]:
    """The net of 2(d) and a direction u = (u_xh, u_hy, u_xy) in weight space."""
    return {**scalar_nets(case, rng, n), **{f"u_{k[2:]}": normal(rng, n) for k in WEIGHTS}}


def listed_partials(v: Any, ops: Any, listed: tuple[str, ...]) -> dict[str, Any]:
    """The list must name the weights of w = [w_xh, w_hy, w_xy], and u . (the listed partials) must be dy/dt along u.

    A name that is no weight of the net (w_h) has the partial 0: y does not depend on it.
    """
    partials = [d_model(v, ops, "y", name) if name in WEIGHTS else ops.zero(v.x) for name in listed]
    u = [v[f"u_{k[2:]}"] for k in WEIGHTS]

    def along(t: Any, o: Any) -> Any:
        return skip_layer.scalar_forward(*[v[k] + t * u_k for k, u_k in zip(WEIGHTS, u)], v.x, v.g, o).y

    listed_dot_u = sum(p * u_k for p, u_k in zip(partials, u))
    return {
        "the listed partials are those of w = [w_xh, w_hy, w_xy]": is_true(
            exact(tuple(listed) == WEIGHTS), show={"listed": list(listed), "weights of w": list(WEIGHTS)}
        ),
        "u . (listed partials) = derivative of y along u": equal(listed_dot_u, derivative(along, v.x * 0, ops)),
    }


PARTIALS_FORMALISATION = (
    "For all w_xh, w_hy, w_xy, x, g in {sigmoid, tanh} and directions u in weight space: the partials listed name "
    "the weights of w = [w_xh, w_hy, w_xy]^T in order, and sum_k u_k (listed partial k) equals the forward-mode "
    "derivative of y along u (all three weights moving at once), so the list is the whole gradient. A listed variable "
    "that is no weight of the net has the partial 0 (y does not depend on it)."
)


@forall(
    id="skip-layer.gradient-lists-dy-dw-h",
    worksheet=WS000,
    location="2(d)",
    quote=r"$\frac{\partial y}{\partial w_h}$",
    statement=(
        "To calculate $\\nabla_w y$ we need the partial derivatives $\\partial y/\\partial w_h$, "
        "$\\partial y/\\partial w_{hy}$, $\\partial y/\\partial w_{xy}$."
    ),
    formalisation=PARTIALS_FORMALISATION,
    expected="refuted",
    cases=SCALAR_CASES,
    instances=directions,
    erratum=Erratum(
        "The network has no weight $w_h$: $w = [w_{xh}, w_{hy}, w_{xy}]^T$, and $y$ does not depend on any $w_h$, so the "
        "listed partials miss $\\partial y/\\partial w_{xh} = w_{hy}g'(s_y)g'(s_h)x$ (a typo for $w_{xh}$, the weight "
        "the worksheet differentiates three lines below).",
        corrected_by="skip-layer.gradient-lists-dy-dw-xh",
        replacement=r"$\frac{\partial y}{\partial w_{xh}}$",
    ),
)
def gradient_lists_dy_dw_h(v: Any, ops: Any) -> dict[str, Any]:
    return listed_partials(v, ops, ("w_h", "w_hy", "w_xy"))


@forall(
    id="skip-layer.gradient-lists-dy-dw-xh",
    worksheet=WS000,
    location="2(d)",
    quote="To calculate ∇y we need all the partial derivatives",
    statement=(
        "(correction) $\\nabla_w y = [\\partial y/\\partial w_{xh}, \\partial y/\\partial w_{hy}, "
        "\\partial y/\\partial w_{xy}]^T$: these three partials make up the whole gradient."
    ),
    formalisation=PARTIALS_FORMALISATION,
    expected="holds",
    cases=SCALAR_CASES,
    instances=directions,
    mutant=Mutant("the partials listed out of order: w_hy, w_xh, w_xy", listed=("w_hy", "w_xh", "w_xy")),
)
def gradient_lists_dy_dw_xh(v: Any, ops: Any, listed: tuple[str, ...] = WEIGHTS) -> dict[str, Any]:
    return listed_partials(v, ops, listed)


# ---------------------------------------------------------------- 2(d): the forward expansion

derivation(
    id="skip-layer.output-expands-through-hidden-unit",
    worksheet=WS000,
    location="2(d)",
    quote="y = g(s_y) = g(w_{hy}h + w_{xy}x)",
    statement=(
        "$y = g(s_y) = g(w_{hy}h + w_{xy}x) = g(w_{hy}g(s_h) + w_{xy}x) = g(w_{hy}g(w_{xh}x) + w_{xy}x)$ "
        "for the one-unit skip-layer network."
    ),
    formalisation="Each line equals the previous one for all weights, inputs x and g in {sigmoid, tanh}; line 1 is y of scalar_forward.",
    expected="holds",
    cases=SCALAR_CASES,
    instances=scalar_nets,
    steps=[
        Step("$y$", lambda v, ops: _fwd(v, ops).y),
        Step("$g(s_y)$", lambda v, ops: _g(v, ops)(_fwd(v, ops).s_y)),
        Step("$g(w_{hy}h + w_{xy}x)$", lambda v, ops: _g(v, ops)(v.w_hy * _fwd(v, ops).h + v.w_xy * v.x)),
        Step("$g(w_{hy}g(s_h) + w_{xy}x)$", lambda v, ops: _g(v, ops)(v.w_hy * _g(v, ops)(_fwd(v, ops).s_h) + v.w_xy * v.x)),
        Step("$g(w_{hy}g(w_{xh}x) + w_{xy}x)$", lambda v, ops: _g(v, ops)(v.w_hy * _g(v, ops)(v.w_xh * v.x) + v.w_xy * v.x)),
    ],
    mutant=Mutant(
        "hidden activation dropped in the last line: g(w_hy w_xh x + w_xy x)",
        step=4,
        value=lambda v, ops: _g(v, ops)(v.w_hy * v.w_xh * v.x + v.w_xy * v.x),
    ),
)


# ---------------------------------------------------------------- 2(d): the output-layer weights

derivation(
    id="skip-layer.dy-dw-hy-chain",
    worksheet=WS000,
    location="2(d)",
    quote=r"= g'(s_y)h = \delta_y h",
    statement="$\\partial y/\\partial w_{hy} = (\\partial y/\\partial s_y)(\\partial s_y/\\partial w_{hy}) = g'(s_y)h = \\delta_y h$.",
    formalisation=(
        "Each line equals the previous one for all weights, x and g in {sigmoid, tanh}; unevaluated partials "
        "are forward-mode derivatives through scalar_forward; delta_y = dy/ds_y."
    ),
    expected="holds",
    cases=SCALAR_CASES,
    instances=scalar_nets,
    steps=[
        Step("$\\partial y/\\partial w_{hy}$", lambda v, ops: d_model(v, ops, "y", "w_hy")),
        Step(
            "$\\frac{\\partial y}{\\partial s_y}\\frac{\\partial s_y}{\\partial w_{hy}}$",
            lambda v, ops: dy_ds_y(v, ops) * d_model(v, ops, "s_y", "w_hy"),
        ),
        Step("$g'(s_y)\\,h$", lambda v, ops: _g_prime(v, ops)(_fwd(v, ops).s_y) * _fwd(v, ops).h),
        Step("$\\delta_y h$", lambda v, ops: dy_ds_y(v, ops) * _fwd(v, ops).h),
    ],
    mutant=Mutant("g(s_y) h: the activation in place of its derivative", step=2, value=lambda v, ops: _fwd(v, ops).y * _fwd(v, ops).h),
)

derivation(
    id="skip-layer.dy-dw-xy-chain",
    worksheet=WS000,
    location="2(d)",
    quote=r"= g'(s_y)x = \delta_y x",
    statement="$\\partial y/\\partial w_{xy} = (\\partial y/\\partial s_y)(\\partial s_y/\\partial w_{xy}) = g'(s_y)x = \\delta_y x$.",
    formalisation=(
        "Each line equals the previous one for all weights, x and g in {sigmoid, tanh}; unevaluated partials "
        "are forward-mode derivatives through scalar_forward; delta_y = dy/ds_y."
    ),
    expected="holds",
    cases=SCALAR_CASES,
    instances=scalar_nets,
    steps=[
        Step("$\\partial y/\\partial w_{xy}$", lambda v, ops: d_model(v, ops, "y", "w_xy")),
        Step(
            "$\\frac{\\partial y}{\\partial s_y}\\frac{\\partial s_y}{\\partial w_{xy}}$",
            lambda v, ops: dy_ds_y(v, ops) * d_model(v, ops, "s_y", "w_xy"),
        ),
        Step("$g'(s_y)\\,x$", lambda v, ops: _g_prime(v, ops)(_fwd(v, ops).s_y) * v.x),
        Step("$\\delta_y x$", lambda v, ops: dy_ds_y(v, ops) * v.x),
    ],
    mutant=Mutant("g'(s_y) h: the hidden value in place of the input", step=2, value=lambda v, ops: _g_prime(v, ops)(_fwd(v, ops).s_y) * _fwd(v, ops).h),
)


# ---------------------------------------------------------------- 2(d): the hidden-layer weight


def _dsh_dwxh(v: Any, ops: Any) -> Any:
    """ds_h/dw_xh = d(w_xh x)/dw_xh."""
    return derivative(lambda w, o: w * v.x, v.w_xh, ops)


def _dline3(v: Any, ops: Any) -> Any:
    """g'(s_y) (d/ds_h (w_hy g(s_h)) ds_h/dw_xh + d/dw_xh (w_xy x))."""
    d_outer = derivative(lambda s, o: v.w_hy * _g(v, o)(s), _fwd(v, ops).s_h, ops)
    d_skip = derivative(lambda w, o: v.w_xy * v.x, v.w_xh, ops)
    return _g_prime(v, ops)(_fwd(v, ops).s_y) * (d_outer * _dsh_dwxh(v, ops) + d_skip)


def _w_gg(v: Any, ops: Any) -> Any:
    """w_hy g'(s_y) g'(s_h)."""
    fwd, gp = _fwd(v, ops), _g_prime(v, ops)
    return v.w_hy * gp(fwd.s_y) * gp(fwd.s_h)


derivation(
    id="skip-layer.dy-dw-xh-chain",
    worksheet=WS000,
    location="2(d)",
    quote=r"\frac{\partial y}{\partial w_{xh}} &= \frac{\partial y}{\partial s_y} \cdot \frac{\partial s_y}{\partial w_{xh}}",
    statement=(
        "$\\partial y/\\partial w_{xh} = g'(s_y)\\,\\partial(w_{hy}h + w_{xy}x)/\\partial w_{xh} = \\dots "
        "= w_{hy}g'(s_y)g'(s_h)x = w_{hy}\\delta_y g'(s_h)x$, line by line."
    ),
    formalisation=(
        "Each line equals the previous one for all weights, x and g in {sigmoid, tanh}; every partial left "
        "unevaluated in a line is a forward-mode derivative of that line's expression (through scalar_forward "
        "where it is a node of the model); delta_y = dy/ds_y."
    ),
    expected="holds",
    cases=SCALAR_CASES,
    instances=scalar_nets,
    steps=[
        Step("$\\partial y/\\partial w_{xh}$", lambda v, ops: d_model(v, ops, "y", "w_xh")),
        Step(
            "$\\frac{\\partial y}{\\partial s_y}\\frac{\\partial s_y}{\\partial w_{xh}}$",
            lambda v, ops: dy_ds_y(v, ops) * d_model(v, ops, "s_y", "w_xh"),
        ),
        Step(
            "$g'(s_y)\\frac{\\partial}{\\partial w_{xh}}(w_{hy}h + w_{xy}x)$",
            lambda v, ops: _g_prime(v, ops)(_fwd(v, ops).s_y)
            * derivative(lambda w, o: v.w_hy * _g(v, o)(w * v.x) + v.w_xy * v.x, v.w_xh, ops),
        ),
        Step(
            "$g'(s_y)\\left(\\frac{\\partial}{\\partial s_h}(w_{hy}g(s_h))\\frac{\\partial s_h}{\\partial w_{xh}}"
            " + \\frac{\\partial}{\\partial w_{xh}}w_{xy}x\\right)$",
            _dline3,
        ),
        Step(
            "$w_{hy}g'(s_y)g'(s_h)\\frac{\\partial s_h}{\\partial w_{xh}} + 0$",
            lambda v, ops: _w_gg(v, ops) * _dsh_dwxh(v, ops) + 0,
        ),
        Step(
            "$w_{hy}g'(s_y)g'(s_h)\\frac{\\partial (w_{xh}x)}{\\partial w_{xh}}$",
            lambda v, ops: _w_gg(v, ops) * derivative(lambda w, o: w * v.x, v.w_xh, ops),
        ),
        Step("$w_{hy}g'(s_y)g'(s_h)x$", lambda v, ops: _w_gg(v, ops) * v.x),
        Step(
            "$w_{hy}\\delta_y g'(s_h)x$",
            lambda v, ops: v.w_hy * dy_ds_y(v, ops) * _g_prime(v, ops)(_fwd(v, ops).s_h) * v.x,
        ),
    ],
    mutant=Mutant(
        "chain-rule factor w_hy dropped: g'(s_y) g'(s_h) x",
        step=6,
        value=lambda v, ops: _g_prime(v, ops)(_fwd(v, ops).s_y) * _g_prime(v, ops)(_fwd(v, ops).s_h) * v.x,
    ),
)


# ---------------------------------------------------------------- 2(d): the gradient


def _gradient_claim(name: str, wrt: str, tex: str, wrong: str, quote: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return forall(
        id=f"skip-layer.{name}",
        worksheet=WS000,
        location="2(d)",
        quote=quote,
        statement=f"For $y = g(w_{{hy}}g(w_{{xh}}x) + w_{{xy}}x)$: {tex}.",
        formalisation=(
            f"For all w_xh, w_hy, w_xy, x and g in {{sigmoid, tanh}}: the formula equals dy/d{wrt}, the "
            "forward-mode derivative (claims.engine.derivative) of y through skip_layer.scalar_forward, as does the "
            "model's hand-written skip_layer.grad_y (cross-checked)."
        ),
        expected="holds",
        cases=SCALAR_CASES,
        instances=scalar_nets,
        mutant=Mutant(wrong, wrong=True),
    )


def _against_truth(v: Any, ops: Any, stated: Any, wrt: str) -> dict[str, Any]:
    """The stated formula and the model's backward (grad_y), each against the true derivative dy/d(wrt)."""
    true = d_model(v, ops, "y", wrt)
    backward = skip_layer.grad_y(v.w_xh, v.w_hy, v.w_xy, v.x, v.g, ops)[WEIGHTS.index(wrt)]
    return {"formula = true derivative": equal(stated, true), "model backward (grad_y) = true derivative": equal(backward, true)}


@_gradient_claim("dy-dw-hy-is-g-prime-s-y-times-h", "w_hy", "$\\partial y/\\partial w_{hy} = g'(s_y)\\,h$", "g(s_y) h: the activation in place of its derivative", r"g'(s_y)h")
def dy_dw_hy(v: Any, ops: Any, wrong: bool = False) -> Any:
    fwd = _fwd(v, ops)
    factor = fwd.y if wrong else _g_prime(v, ops)(fwd.s_y)
    return _against_truth(v, ops, factor * fwd.h, "w_hy")


@_gradient_claim("dy-dw-xy-is-g-prime-s-y-times-x", "w_xy", "$\\partial y/\\partial w_{xy} = g'(s_y)\\,x$", "g'(s_h) x: the hidden unit's slope in place of the output's", r"g'(s_y)x")
def dy_dw_xy(v: Any, ops: Any, wrong: bool = False) -> Any:
    fwd = _fwd(v, ops)
    return _against_truth(v, ops, _g_prime(v, ops)(fwd.s_h if wrong else fwd.s_y) * v.x, "w_xy")


@_gradient_claim(
    "dy-dw-xh-is-w-hy-g-prime-s-y-g-prime-s-h-times-x",
    "w_xh", "$\\partial y/\\partial w_{xh} = w_{hy}\\,g'(s_y)\\,g'(s_h)\\,x$", "chain-rule factor w_hy dropped",
    r"&= w_{hy}g'(s_y)g'(s_h)x",
)
def dy_dw_xh(v: Any, ops: Any, wrong: bool = False) -> Any:
    fwd, gp = _fwd(v, ops), _g_prime(v, ops)
    stated = (1 if wrong else v.w_hy) * gp(fwd.s_y) * gp(fwd.s_h) * v.x
    return _against_truth(v, ops, stated, "w_xh")
