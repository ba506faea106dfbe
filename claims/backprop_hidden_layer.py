"""Worksheet 001 part 1 (e)-(h): grad_h and its Jacobians (e), grad_V (f), the remarks of (g) with the layer
rules at any depth, and the gradient-descent update (h) (helpers in claims/_walkthrough_common.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from claims._walkthrough_common import (
    ELL,
    NET_CASES,
    as_vector,
    col,
    d,
    dims,
    elementwise_derivative,
    has_shape,
    jacobian,
    loss_of_h,
    loss_of_z,
    net_of,
    one_hidden_layer,
    own_row_derivative,
    row,
    row_chain,
    sigmoid,
    true_weight_gradient,
    walk,
)
from claims.engine import Mutant, Step, derivation, equal, equal_array, forall, is_true, lt, not_checkable, st
from claims.strategies import normal, widths
from claims.worksheets import WS001
from models import fcnet

# ---------------------------------------------------------------- (e) the gradient in h


def jacobians_e(v: Any, ops: Any) -> dict[str, Any]:
    """The four Jacobians of 1(e), each by forward mode at the forward values."""
    w = walk(v, ops)
    return {
        "dl/dh": jacobian(loss_of_h(v), w.h, ops),
        "dl/dz": jacobian(loss_of_z(v), w.z, ops),
        "dz/db": jacobian(sigmoid, w.b, ops),
        "db/dh": jacobian(lambda u, o: o.matvec(v.W, u), w.h, ops),
    }


@forall(
    id="walkthrough.jacobian-shapes-in-grad-h-chain",
    worksheet=WS001,
    location="1(e)",
    quote=r"\underbrace{\frac{\partial \ell}{\partial \mathbf{h}}}_{1 \times d^{(1)}}",
    statement=(
        f"In ${d(ELL, 'h')} = {d(ELL, 'z')}{d('z', 'b')}{d('b', 'h')}$ the shapes are "
        "$1 \\times d^{(1)} = (1 \\times d^{(2)})(d^{(2)} \\times d^{(2)})(d^{(2)} \\times d^{(1)})$."
    ),
    formalisation="for all V, W, x, y: the forward-mode Jacobians (rows = outputs) have exactly the stated shapes.",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("db/dh stated as d1 x d2", db_dh=("d1", "d2")),
)
def jacobian_shapes(v: Any, ops: Any, db_dh: tuple[str, str] = ("d2", "d1")) -> Any:
    J = jacobians_e(v, ops)
    stated = {"dl/dh": (1, v.d1), "dl/dz": (1, v.d2), "dz/db": (v.d2, v.d2), "db/dh": dims(v, *db_dh)}
    return {name: has_shape(J[name], shape, name) for name, shape in stated.items()}


@forall(
    id="walkthrough.chain-rule-for-dl-dh",
    worksheet=WS001,
    location="1(e)",
    quote=r"= \underbrace{\frac{\partial \ell}{\partial \mathbf{z}}}_{1 \times d^{(2)}} \cdot",
    statement=f"${d(ELL, 'h')} = {d(ELL, 'z')}\\cdot{d('z', 'b')}\\cdot{d('b', 'h')}$.",
    formalisation=(
        "for all V, W, x, y: the product of the three forward-mode Jacobians equals the forward-mode Jacobian dl/dh "
        "(value and 1 x d1 shape) and the backward's dl/dh as a row."
    ),
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("the activation Jacobian dz/db left out", drop_activation=True),
)
def chain_dl_dh(v: Any, ops: Any, drop_activation: bool = False) -> Any:
    J = jacobians_e(v, ops)
    product = J["dl/dz"] @ J["db/dh"] if drop_activation else J["dl/dz"] @ J["dz/db"] @ J["db/dh"]
    return {
        "equals the derivative dl/dh": equal_array(product, J["dl/dh"], ops, ("chain product", "derivative")),
        "equals the backward's dl/dh": equal(product, row(walk(v, ops).grads.dX[1])),
    }


@forall(
    id="walkthrough.dz-db-is-omega",
    worksheet=WS001,
    location="1(e)",
    quote="this matrix simplifies to a diagonal matrix with sigmoid derivative down the diagonal",
    statement=f"${d('z', 'b')}$ is diagonal with the sigmoid derivative on its diagonal: it is $\\Omega$.",
    formalisation="for all V, W, x: the forward-mode Jacobian of z = s(b) in b equals diag(z_j(1 - z_j)).",
    fact="sigmoid-jacobian-is-diagonal",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("diag(z_j) on the diagonal (the activation instead of its derivative)", wrong_diagonal=True),
)
def dz_db(v: Any, ops: Any, wrong_diagonal: bool = False) -> Any:
    w = walk(v, ops)
    return equal_array(ops.diag(w.z) if wrong_diagonal else w.omega, jacobian(sigmoid, w.b, ops), ops, ("stated", "derivative"))


@forall(
    id="walkthrough.db-dh-is-w",
    worksheet=WS001,
    location="1(e)",
    quote=r"\frac{\partial \mathbf{b}}{\partial \mathbf{h}} = \frac{\partial (\mathbf{W}\mathbf{h})}{\partial \mathbf{h}} = \mathbf{W}",
    statement=f"${d('b', 'h')} = {d('(Wh)', 'h')} = W$.",
    formalisation="for all V, W, x: the forward-mode Jacobian of b = Wh in h equals W (value and d2 x d1 shape).",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("W^T instead of W", transpose=True),
)
def db_dh(v: Any, ops: Any, transpose: bool = False) -> Any:
    J = jacobian(lambda u, o: o.matvec(v.W, u), walk(v, ops).h, ops)
    return equal_array(ops.T(v.W) if transpose else v.W, J, ops, ("stated", "derivative"))


def _grad_h_formula(v: Any, ops: Any, with_omega: bool = True) -> Any:
    w = walk(v, ops)
    return ops.T(v.W) @ (w.omega @ col(w.gz) if with_omega else col(w.gz))


derivation(
    id="walkthrough.grad-h-is-w-transpose-omega-grad-z",
    worksheet=WS001,
    location="1(e)",
    quote=r"= \mathbf{W}^\top \cdot \Omega \cdot \nabla_{\mathbf{z}} \ell",
    statement=f"$\\nabla_h \\ell = ({d(ELL, 'h')})^\\top = W^\\top\\, \\Omega\\, \\nabla_z \\ell$.",
    formalisation=(
        "for all V, W, x, y: the backward's dl/dh as a d1 x 1 column equals ((z - y)^T Omega W)^T, which equals "
        "W^T Omega (z - y)."
    ),
    fact="hidden-activation-gradient",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    steps=[
        Step("$\\nabla_h \\ell$ (backward)", lambda v, ops: col(walk(v, ops).grads.dX[1])),
        Step(
            f"$({d(ELL, 'z')}\\,\\Omega\\,W)^\\top$",
            lambda v, ops: ops.T(row(walk(v, ops).gz) @ walk(v, ops).omega @ v.W),
            "same-shape",
        ),
        Step("$W^\\top\\, \\Omega\\, \\nabla_z \\ell$", _grad_h_formula, "same-shape"),
    ],
    mutant=Mutant(
        "Omega left out: W^T grad_z l", step=2, value=lambda v, ops: _grad_h_formula(v, ops, with_omega=False)
    ),
)


@forall(
    id="walkthrough.grad-h-shape-is-d1-by-1",
    worksheet=WS001,
    location="1(e)",
    quote=r"The shape of this gradient is $d^{(1)} \times 1$ , the same shape as $\mathbf{h}$",
    statement="$\\nabla_h\\ell = W^\\top\\Omega\\nabla_z\\ell$ has shape $d^{(1)} \\times 1$, the shape of h.",
    formalisation=(
        "for all V, W, x, y: W^T (d1 x d2) Omega (d2 x d2) grad_z l (d2 x 1) is d1 x 1, the column shape of h."
    ),
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("shape stated as 1 x d1 (a row)", as_row=True),
)
def grad_h_shape(v: Any, ops: Any, as_row: bool = False) -> Any:
    stated = (1, v.d1) if as_row else (v.d1, 1)
    return {
        "stated shape": has_shape(_grad_h_formula(v, ops), stated, "W^T Omega grad_z l"),
        "shape of h": has_shape(col(walk(v, ops).h), stated, "h as a column"),
    }


# ---------------------------------------------------------------- (f) the gradient in V


@forall(
    id="walkthrough.chain-rule-for-row-of-v",
    worksheet=WS001,
    location="1(f)",
    quote=r"\frac{\partial \ell}{\partial \mathbf{v}_j} = \frac{\partial \ell}{\partial h_j} \cdot \frac{\partial h_j}{\partial a_j} \cdot \frac{\partial a_j}{\partial \mathbf{v}_j}",
    statement=(
        f"${d(ELL, 'v_j')} = {d(ELL, 'h_j')}\\cdot{d('h_j', 'a_j')}\\cdot{d('a_j', 'v_j')}$ for the row $v_j$ of V."
    ),
    formalisation=(
        "for all V, W, x, y and every j: row j of dl/dV (the forward-mode derivative of l in every entry of V, and "
        "the backward's dl/dV, cross-checked) equals dl/dh_j * dh_j/da_j * da_j/dv_j, each factor a forward-mode "
        "derivative."
    ),
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("the activation factor dh_j/da_j left out", drop_activation=True),
)
def chain_row_v(v: Any, ops: Any, drop_activation: bool = False) -> Any:
    true = true_weight_gradient(v, ops, "V")
    return {
        "chain of factors = true dl/dV": equal(row_chain(v, ops, "V", drop_activation), true),
        "backward's dl/dV = true dl/dV": equal(walk(v, ops).grads.dWs[0], true),
    }


@forall(
    id="walkthrough.hidden-local-derivatives",
    worksheet=WS001,
    location="1(f)",
    quote=r"the remaining two terms are almost identical to the ones we calculated when considering rows of $\mathbf{W}$",
    statement=f"As for W: ${d('h_j', 'a_j')} = h_j(1 - h_j)$ and ${d('a_j', 'v_j')} = x^\\top$.",
    formalisation=(
        "for all V, x and every j: the forward-mode derivatives of h_j = s(a_j) in a_j and of a_j = v_j^T x in the "
        "row v_j are h_j(1 - h_j) and the row x^T."
    ),
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("the other factor of the dot product: v_j^T", other_factor=True),
)
def hidden_local_derivatives(v: Any, ops: Any, other_factor: bool = False) -> Any:
    w = walk(v, ops)
    return {
        "dh_j/da_j = h_j(1 - h_j)": equal(elementwise_derivative(sigmoid, w.a, ops), w.h * (1 - w.h)),
        "da_j/dv_j = x^T": equal(own_row_derivative(v.V, w.x, ops), v.V if other_factor else row(w.x)),
    }


def _grad_vj_transposed_derivative(v: Any, ops: Any) -> Any:
    w = walk(v, ops)
    return ops.T(col(w.gh * w.h * (1 - w.h))[..., None] * row(w.x)[..., None, :, :])


def _grad_vj_formula(v: Any, ops: Any, pre_activation: bool = False) -> Any:
    w = walk(v, ops)
    u = w.a if pre_activation else w.h
    return col(w.x)[..., None, :, :] * (u * (1 - u) * w.gh)[..., :, None, None]


derivation(
    id="walkthrough.grad-vj-is-x-times-sigmoid-prime-times-grad-hj",
    worksheet=WS001,
    location="1(f)",
    quote=r"= \mathbf{x} \cdot h_j(1 - h_j) \cdot \nabla_{h_j} \ell",
    statement=(
        f"$\\nabla_{{v_j}}\\ell = ({d(ELL, 'h_j')} h_j(1 - h_j) x^\\top)^\\top"
        " = x\\, h_j(1 - h_j)\\, \\nabla_{h_j}\\ell$."
    ),
    formalisation=(
        "for all V, W, x, y and every j: the column grad_{v_j} l (row j of the backward's dl/dV, transposed) equals "
        "each line, with dl/dh_j = grad_{h_j} l = (W^T Omega (z - y))_j from 1(e); every line is d0 x 1."
    ),
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    steps=[
        Step("$\\nabla_{v_j}\\ell$ (backward)", lambda v, ops: col(walk(v, ops).grads.dWs[0])),
        Step(f"$({d(ELL, 'h_j')} h_j(1 - h_j) x^\\top)^\\top$", _grad_vj_transposed_derivative, "same-shape"),
        Step("$x\\, h_j(1 - h_j)\\, \\nabla_{h_j}\\ell$", _grad_vj_formula, "same-shape"),
    ],
    mutant=Mutant(
        "the derivative written at the pre-activation: a_j(1 - a_j)",
        step=2,
        value=lambda v, ops: _grad_vj_formula(v, ops, pre_activation=True),
    ),
)


def _lambda_grad_h_x_t(v: Any, ops: Any, transposed: bool = False) -> Any:
    w = walk(v, ops)
    return col(w.x) @ row(w.gh) @ w.lam if transposed else w.lam @ col(w.gh) @ row(w.x)


derivation(
    id="walkthrough.grad-v-is-lambda-grad-h-x-transpose",
    worksheet=WS001,
    location="1(f)",
    quote=r"\nabla_{\mathbf{V}} \ell = \Lambda \cdot \nabla_{\mathbf{h}} \ell \cdot \mathbf{x}^\top",
    statement=(
        "Stacking the rows $(\\nabla_{v_j}\\ell)^\\top$ gives $\\nabla_V\\ell = \\Lambda\\, \\nabla_h\\ell\\, x^\\top$ "
        "with $\\Lambda = \\mathrm{diag}(h_j(1 - h_j))$."
    ),
    formalisation=(
        "for all V, W, x, y: the backward's dl/dV equals the stacked rows (x h_j(1 - h_j) grad_{h_j} l)^T, which "
        "equal Lambda grad_h l x^T with grad_h l = W^T Omega (z - y) from 1(e); all d1 x d0."
    ),
    fact="hidden-layer-weight-gradient",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    steps=[
        Step("$\\nabla_V \\ell$ (backward)", lambda v, ops: walk(v, ops).grads.dWs[0]),
        Step("rows $(\\nabla_{v_j}\\ell)^\\top$", lambda v, ops: ops.T(_grad_vj_formula(v, ops))[..., 0, :], "same-shape"),
        Step("$\\Lambda\\, \\nabla_h\\ell\\, x^\\top$", _lambda_grad_h_x_t, "same-shape"),
    ],
    mutant=Mutant(
        "transposed: x grad_h l^T Lambda", step=2, value=lambda v, ops: _lambda_grad_h_x_t(v, ops, transposed=True)
    ),
)


@forall(
    id="walkthrough.grad-v-shape-is-d1-by-d0",
    worksheet=WS001,
    location="1(f)",
    quote=r"The shape of this gradient is $d^{(1)} \times d^{(0)}$ as expected",
    statement="$\\nabla_V\\ell = \\Lambda\\,\\nabla_h\\ell\\,x^\\top$ has shape $d^{(1)} \\times d^{(0)}$.",
    formalisation=(
        "for all V, W, x, y: Lambda (d1 x d1) times grad_h l (d1 x 1) times x^T (1 x d0) is d1 x d0, as is V."
    ),
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("shape stated as d0 x d1", stated=("d0", "d1")),
)
def grad_v_shape(v: Any, ops: Any, stated: tuple[str, str] = ("d1", "d0")) -> Any:
    shape = dims(v, *stated)
    return {
        "stated shape": has_shape(_lambda_grad_h_x_t(v, ops), shape, "Lambda grad_h l x^T"),
        "V": has_shape(v.V, shape, "V"),
    }


# ---------------------------------------------------------------- (g) backpropagation, (h) the update

not_checkable(
    id="walkthrough.which-gradients-forward-and-which-backward",
    worksheet=WS001,
    location="1(g)",
    quote="Solutions above explain this already.",
    statement="Which gradients can be formed in the forward pass and which must be filled in by backpropagation.",
    reason=(
        "The solution only refers back to the earlier parts and to a figure that is not in the text; it states no "
        "formula of its own beyond those checked in 1(c)-(f)."
    ),
)

not_checkable(
    id="walkthrough.backprop-splits-and-reuses-work",
    worksheet=WS001,
    location="1(g)",
    quote="Backpropagation allows us to split up the gradients we need",
    statement=(
        "Backpropagation splits the gradient into modules (activations, linear maps) and reuses later layers' work."
    ),
    reason="A remark about how the computation is organised and what it saves, with no precise mathematical content.",
)

DEEP_CASES = st.fixed_dictionaries({"dims": widths(min_layers=2, max_layers=5, min_width=1, max_width=3)})


def deep_net(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """A sigmoid net of depth L = len(dims) - 1 (weights W1..WL), an input and a label in [0, 1]."""
    w = case.dims
    out = {f"W{k}": normal(rng, n, w[k], w[k - 1]) for k in range(1, len(w))}
    return {**out, "x": normal(rng, n, w[0]), "y": rng.uniform(0.0, 1.0, size=(n, w[-1]))}


@forall(
    id="walkthrough.layer-rules-extend-to-any-depth",
    worksheet=WS001,
    location="1(g)",
    quote="the gradient calculations can be modularized and be extended to any number of layers",
    statement=(
        "The V and W gradients follow one pattern that extends to any number of layers: "
        "$\\nabla_{W_l}\\ell = D_l \\nabla_{x^{(l)}}\\ell\\, x^{(l-1)\\top}$ and "
        "$\\nabla_{x^{(l-1)}}\\ell = W_l^\\top D_l \\nabla_{x^{(l)}}\\ell$."
    ),
    formalisation=(
        "for every depth L in 1..4 of sigmoid layers with l = 1/2 ||y - z||^2: starting from grad_z l = z - y and "
        "applying, from l = L down to 1, grad_{W_l} l = D_l g x^(l-1)T and g <- W_l^T D_l g with "
        "D_l = diag(x^(l)(1 - x^(l))), gives the backward's gradient of every layer."
    ),
    expected="holds",
    cases=DEEP_CASES,
    instances=deep_net,
    mutant=Mutant("D_l left out of the signal passed back", pass_through_d=False),
)
def layer_rules_any_depth(v: Any, ops: Any, pass_through_d: bool = True) -> Any:
    Ws = tuple(v[f"W{k}"] for k in range(1, len(v.dims)))
    net = fcnet.Net(Ws, hidden="sigmoid", output="sigmoid", loss="half_sq")
    X = fcnet.forward(net, v.x, ops).X
    g, rules = col(X[-1] - v.y), {}
    for layer in range(len(Ws), 0, -1):
        D = ops.diag(X[layer] * (1 - X[layer]))
        rules[layer] = D @ g @ row(X[layer - 1])
        g = ops.T(Ws[layer - 1]) @ (D @ g if pass_through_d else g)
    true = fcnet.backward(net, v.x, v.y, ops).dWs
    return {f"layer {k}": equal(rules[k], true[k - 1]) for k in rules}


@forall(
    id="walkthrough.update-steps-against-the-gradient",
    worksheet=WS001,
    location="1(h)",
    quote=r"\mathbf{V} &\leftarrow \mathbf{V} - \alpha \nabla_{\mathbf{V}} \ell",
    statement=(
        "With learning rate $\\alpha$: $V \\leftarrow V - \\alpha \\nabla_V \\ell$ and"
        " $W \\leftarrow W - \\alpha \\nabla_W \\ell$."
    ),
    formalisation=(
        "for all V, W, x, y: d/dalpha l(V - alpha grad_V l, W - alpha grad_W l) at alpha = 0 equals "
        "-(||grad_V l||^2 + ||grad_W l||^2) < 0 (true derivative, forward mode), so the update is a step along the "
        "negative gradient and lowers the loss for every small enough alpha > 0."
    ),
    fact="gd-update-rule",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("ascent: V + alpha grad_V l, W + alpha grad_W l", sign=-1),
)
def update_rule(v: Any, ops: Any, sign: int = 1) -> Any:
    dV, dW = walk(v, ops).grads.dWs

    def loss_after(alpha: Any, o: Any) -> Any:
        step = sign * alpha[..., None]
        return as_vector(fcnet.loss(net_of(v.V - step * dV, v.W - step * dW), v.x, v.y, o))

    slope = jacobian(loss_after, v.x[..., :1] * 0, ops)[..., 0, 0]
    norm2 = ops.sum(ops.sum(dV * dV)) + ops.sum(ops.sum(dW * dW))
    return {"slope is -||grad||^2": equal(slope, -norm2), "slope is negative": is_true(lt(slope, 0))}
