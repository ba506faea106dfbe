"""Worksheet 001 part 1, preamble and (a)-(d): the chain rules (1) and (2), the dimensions of the
forward pass, the parameters and gradient shapes, grad_z and grad_W (helpers in claims/_walkthrough_common.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from claims._walkthrough_common import (
    ELL,
    NET_CASES,
    Map,
    by_entries,
    col,
    d,
    dims,
    elementwise_derivative,
    has_shape,
    jacobian,
    loss_of_z,
    mat_up,
    once,
    one_hidden_layer,
    own_row_derivative,
    row,
    row_chain,
    sigmoid,
    true_weight_gradient,
    vec_up,
    walk,
)
from claims.engine import Mutant, Step, derivation, derivative, equal, exact, forall, is_true, not_checkable
from claims.strategies import grid, normal
from claims.worksheets import WS001

# ---------------------------------------------------------------- preamble: the chain rules (1), (2)

CHAIN_CASES = grid(d0=range(1, 4), d1=range(1, 4), d2=range(1, 4))


def three_maps(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """h(x) = s(Ax), g(u) = s(Bu), f(w) = s(c.w): random linear maps, each followed by a sigmoid."""
    d0, d1, d2 = case.d0, case.d1, case.d2
    return {"A": normal(rng, n, d1, d0), "B": normal(rng, n, d2, d1), "c": normal(rng, n, d2), "x": normal(rng, n, d0)}


# The maps take their argument with a new axis before its last (vec_up), so that the Jacobian takes every input
# direction in one pass (_jac); their own arrays carry that axis too.
def _h(v: Any) -> Map:
    return lambda x, o: o.sigmoid(o.matvec(mat_up(v.A), x))


def _g(v: Any) -> Map:
    return lambda u, o: o.sigmoid(o.matvec(mat_up(v.B), u))


def _f(v: Any) -> Map:
    return lambda w, o: o.sigmoid(o.matvec(mat_up(v.c[..., None, :]), w))  # s(c.w) as a vector of length 1


def _jac(fn: Map, x: Any, ops: Any) -> Any:
    """The Jacobian (..., m, n) of fn at x (..., n), rows = outputs (claims.engine.derivative, one pass)."""
    return ops.T(derivative(fn, vec_up(x), ops, np.eye(x.shape[-1], dtype=int)))


def _at(fn: Map, x: Any, ops: Any) -> Any:
    return fn(vec_up(x), ops)[..., 0, :]


def _points3(v: Any, ops: Any) -> tuple[Any, Any]:
    hx = _at(_h(v), v.x, ops)
    return hx, _at(_g(v), hx, ops)


def _jacobians3(v: Any, ops: Any) -> tuple[Any, Any, Any]:
    """df/dg at g(h(x)), dg/dh at h(x) and dh/dx at x."""
    return once(v, ops, _compute_jacobians3)


def _compute_jacobians3(v: Any, ops: Any) -> tuple[Any, Any, Any]:
    hx, ghx = _points3(v, ops)
    return _jac(_f(v), ghx, ops), _jac(_g(v), hx, ops), _jac(_h(v), v.x, ops)


def _true_grad3(v: Any, ops: Any) -> Any:
    return ops.T(_jac(lambda x, o: _f(v)(_g(v)(_h(v)(x, o), o), o), v.x, ops))


def _transposed_product(v: Any, ops: Any) -> Any:
    Jf, Jg, Jh = _jacobians3(v, ops)
    return ops.T(Jf @ Jg @ Jh)


def _product_of_transposes(v: Any, ops: Any) -> Any:
    Jf, Jg, Jh = _jacobians3(v, ops)
    return ops.T(Jh) @ ops.T(Jg) @ ops.T(Jf)


def _product_of_gradients(v: Any, ops: Any) -> Any:
    Jf, Jg, Jh = _jacobians3(v, ops)  # grad_p q has the gradients of q's components as columns: (dq/dp)^T
    return ops.T(Jh) @ ops.T(Jg) @ ops.T(Jf)


derivation(
    id="walkthrough.chain-rule-gradient-of-three-maps",
    worksheet=WS001,
    location="1, eq. (1)",
    quote=r"= \nabla_{\mathbf{x}} h \cdot \nabla_h g \cdot \nabla_g f \quad (1)",
    statement=(
        f"For scalar f: $\\nabla_x f(g(h(x))) = ({d('f', 'g')}{d('g', 'h')}{d('h', 'x')})^\\top = "
        f"({d('h', 'x')})^\\top({d('g', 'h')})^\\top({d('f', 'g')})^\\top = \\nabla_x h\\,\\nabla_h g\\,\\nabla_g f$."
    ),
    formalisation=(
        "for h(x)=s(Ax), g(u)=s(Bu), f(w)=s(c.w) with random A (d1 x d0), B (d2 x d1), c, x: each line equals the "
        "previous one in value and in shape (d0 x 1); Jacobians are m x n (rows = outputs) at the composed points, "
        "and grad_p q has the gradients of q's components as columns."
    ),
    expected="holds",
    cases=CHAIN_CASES,
    instances=three_maps,
    steps=[
        Step("$\\nabla_x f(g(h(x)))$ (true derivative, forward mode)", _true_grad3),
        Step(f"$({d('f', 'g')}{d('g', 'h')}{d('h', 'x')})^\\top$", _transposed_product, "same-shape"),
        Step(f"$({d('h', 'x')})^\\top({d('g', 'h')})^\\top({d('f', 'g')})^\\top$", _product_of_transposes, "same-shape"),
        Step("$\\nabla_x h\\,\\nabla_h g\\,\\nabla_g f$", _product_of_gradients, "same-shape"),
    ],
    mutant=Mutant(
        "outer transpose dropped: the derivative row taken for the gradient",
        step=1,
        value=lambda v, ops: ops.T(_transposed_product(v, ops)),
    ),
)


def two_maps(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """g(x) = s(Ax) in R^k with k = d1, and f(u) = s(c.u)."""
    return {"A": normal(rng, n, case.d1, case.d0), "c": normal(rng, n, case.d1), "x": normal(rng, n, case.d0)}


def _jacobians2(v: Any, ops: Any) -> tuple[Any, Any]:
    """df/dg at g(x) (1 x k) and dg/dx at x (k x d0); g is the map _h."""
    return once(v, ops, _compute_jacobians2)


def _compute_jacobians2(v: Any, ops: Any) -> tuple[Any, Any]:
    return _jac(_f(v), _at(_h(v), v.x, ops), ops), _jac(_h(v), v.x, ops)


def _true_grad2(v: Any, ops: Any) -> Any:
    return ops.T(_jac(lambda x, o: _f(v)(_h(v)(x, o), o), v.x, ops))


def _sum_of_transposed_terms(v: Any, ops: Any) -> Any:
    Jf, Jg = _jacobians2(v, ops)
    return sum(ops.T(Jf[..., :, j : j + 1] * Jg[..., j : j + 1, :]) for j in range(Jf.shape[-1]))


def _sum_of_gradient_terms(v: Any, ops: Any, terms: int | None = None) -> Any:
    Jf, Jg = _jacobians2(v, ops)
    grads = ops.T(Jg)  # column j is grad_x g_j
    return sum(grads[..., :, j : j + 1] * Jf[..., :, j : j + 1] for j in range(terms or Jf.shape[-1]))


derivation(
    id="walkthrough.chain-rule-sum-over-inner-components",
    worksheet=WS001,
    location="1, eq. (2)",
    quote=r"= \sum_{j=1}^k \nabla_{\mathbf{x}} g_j \cdot \nabla_{g_j} f",
    statement=(
        f"For scalar f and $g(x) \\in \\mathbb{{R}}^k$: $\\nabla_x f(g(x)) = \\sum_{{j=1}}^k ({d('f', 'g_j')}"
        f"{d('g_j', 'x')})^\\top = \\sum_{{j=1}}^k \\nabla_x g_j\\, \\nabla_{{g_j}} f$."
    ),
    formalisation=(
        "for g(x)=s(Ax) (k = d1 outputs), f(u)=s(c.u) with random A, c, x: each line equals the previous one in value "
        "and shape (d0 x 1); dg_j/dx is a 1 x d0 row, grad_x g_j a d0 x 1 column, df/dg_j a scalar."
    ),
    expected="holds",
    cases=CHAIN_CASES,
    instances=two_maps,
    steps=[
        Step("$\\nabla_x f(g(x))$ (true derivative, forward mode)", _true_grad2),
        Step(f"$\\sum_j ({d('f', 'g_j')}{d('g_j', 'x')})^\\top$", _sum_of_transposed_terms, "same-shape"),
        Step("$\\sum_j \\nabla_x g_j\\,\\nabla_{g_j} f$", _sum_of_gradient_terms, "same-shape"),
    ],
    mutant=Mutant(
        "only the j = 1 path: the sum over the components of g dropped",
        step=2,
        value=lambda v, ops: _sum_of_gradient_terms(v, ops, terms=1),
    ),
)


not_checkable(
    id="walkthrough.network-definition",
    worksheet=WS001,
    location="1, setup",
    quote=r"\mathbf{h} &= s(\mathbf{V}\mathbf{x}) & \mathbf{z} &= s(\mathbf{W}\mathbf{h})",
    statement="The network: $h = s(Vx)$, $z = s(Wh)$, $\\ell = \\frac12\\|y - z\\|_2^2$, with $a = Vx$ and $b = Wh$.",
    reason=(
        "A definition, not an assertion: models/fcnet with sigmoid layers and the half squared error computes it, and "
        "every claim of part 1 runs on it (its dimensions: walkthrough.vector-dimensions-fit-the-network)."
    ),
)

# ---------------------------------------------------------------- setup, (a), (b), (c)


@forall(
    id="walkthrough.vector-dimensions-fit-the-network",
    worksheet=WS001,
    location="1, setup",
    quote=r"$\mathbf{x} \in \mathbb{R}^{d^{(0)}}$ is the input vector",
    statement=(
        "$x \\in \\mathbb{R}^{d^{(0)}}$, $a, h \\in \\mathbb{R}^{d^{(1)}}$ and $b, z \\in \\mathbb{R}^{d^{(2)}}$ "
        "for $a = Vx$, $h = s(a)$, $b = Wh$, $z = s(b)$."
    ),
    formalisation=(
        "for the net with V (d1 x d0), W (d2 x d1): the forward values x, a, h, b, z have the stated lengths."
    ),
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("b stated in R^{d1} (the hidden width)", b_width="d1"),
)
def vector_dimensions(v: Any, ops: Any, b_width: str = "d2") -> Any:
    w = walk(v, ops)
    stated = {"x": ("d0",), "a": ("d1",), "h": ("d1",), "b": (b_width,), "z": ("d2",)}
    return {name: has_shape(getattr(w, name), dims(v, *k), name) for name, k in stated.items()}


not_checkable(
    id="walkthrough.forward-pass-diagram",
    worksheet=WS001,
    location="1(a)",
    quote="Fill in the diagram below to represent the forward pass graph of the neural network",
    statement="The forward pass drawn as a graph $x \\to a \\to h \\to b \\to z \\to \\ell$, with its output and loss.",
    reason=(
        "The solution is a diagram that is not in the worksheet text; the forward pass it depicts is the setup's "
        "definition (z = s(W s(Vx)), l = 1/2 ||y - z||^2), whose dimensions are checked in "
        "walkthrough.vector-dimensions-fit-the-network."
    ),
)


@forall(
    id="walkthrough.parameters-and-gradient-shapes",
    worksheet=WS001,
    location="1(b)",
    quote=r"$\nabla_{\mathbf{V}}\ell$ is the same shape as $\mathbf{V}$ , which is $d^{(1)} \times d^{(0)}$",
    statement=(
        "The parameters are V and W; gradient descent needs $\\nabla_V \\ell$ of shape $d^{(1)} \\times d^{(0)}$ "
        "and $\\nabla_W \\ell$ of shape $d^{(2)} \\times d^{(1)}$, each the shape of its parameter."
    ),
    formalisation=(
        "the net has exactly the weights (V, W) and no biases; the backward returns one gradient per weight, "
        "shape(grad_V l) == shape(V) == (d1, d0) and shape(grad_W l) == shape(W) == (d2, d1)."
    ),
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("grad_V l stated as d0 x d1 (transposed)", v_shape=("d0", "d1")),
)
def parameter_shapes(v: Any, ops: Any, v_shape: tuple[str, str] = ("d1", "d0")) -> Any:
    grads = walk(v, ops).grads
    dV, dW = grads.dWs
    return {
        "parameters are (V, W) only": is_true(exact(len(grads.dWs) == 2 and grads.dbs is None)),
        "grad_V l is d1 x d0": has_shape(dV, dims(v, *v_shape), "grad_V l"),
        "grad_V l has V's shape": is_true(exact(np.shape(dV) == np.shape(v.V))),
        "grad_W l is d2 x d1": has_shape(dW, dims(v, "d2", "d1"), "grad_W l"),
        "grad_W l has W's shape": is_true(exact(np.shape(dW) == np.shape(v.W))),
    }


@forall(
    id="walkthrough.grad-z-is-z-minus-y",
    worksheet=WS001,
    location="1(c)",
    quote=r"\nabla_{\mathbf{z}}\ell = \mathbf{z} - \mathbf{y} \in \mathbb{R}^{d^{(2)}}",
    statement="$\\nabla_z \\ell = z - y \\in \\mathbb{R}^{d^{(2)}}$.",
    formalisation=(
        "for all V, W, x, y: z - y equals the derivative of 1/2 ||y - z||^2 in z (forward mode) and the backward's "
        "dl/dz, and has length d2."
    ),
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("sign slip: y - z", sign=-1),
)
def grad_z(v: Any, ops: Any, sign: int = 1) -> Any:
    w = walk(v, ops)
    stated = sign * w.gz
    return {
        "equals the derivative of l in z": equal(stated, jacobian(loss_of_z(v), w.z, ops)[..., 0, :]),
        "equals the backward's dl/dz": equal(stated, w.grads.dX[2]),
        "length d2": has_shape(stated, (v.d2,), "grad_z l"),
    }


# ---------------------------------------------------------------- (d) the gradient in W


not_checkable(
    id="walkthrough.grad-w-stacks-row-gradients",
    worksheet=WS001,
    location="1(d)",
    quote=r"\nabla_{\mathbf{W}}\ell = \begin{bmatrix} (\nabla_{\mathbf{w}_1}\ell)^\top",
    statement="$\\nabla_W \\ell$ is formed by stacking the transposed row gradients $(\\nabla_{w_j}\\ell)^\\top$ as its rows.",
    reason=(
        "A definition of the layout of the gradient (row j holds the derivatives in the row w_j of W); the gradient it "
        "lays out is checked row by row in walkthrough.chain-rule-for-row-of-w and as a whole, with its d2 x d1 shape, "
        "in walkthrough.grad-w-is-omega-grad-z-h-transpose."
    ),
)


@forall(
    id="walkthrough.chain-rule-for-row-of-w",
    worksheet=WS001,
    location="1(d)",
    quote=r"\frac{\partial \ell}{\partial \mathbf{w}_j} = \frac{\partial \ell}{\partial z_j} \cdot \frac{\partial z_j}{\partial b_j} \cdot \frac{\partial b_j}{\partial \mathbf{w}_j}",
    statement=(
        f"${d(ELL, 'w_j')} = {d(ELL, 'z_j')}\\cdot{d('z_j', 'b_j')}\\cdot{d('b_j', 'w_j')}$ for the row $w_j$ of W."
    ),
    formalisation=(
        "for all V, W, x, y and every j: row j of dl/dW (the forward-mode derivative of l in every entry of W, and "
        "the backward's dl/dW, cross-checked) equals dl/dz_j * dz_j/db_j * db_j/dw_j, each factor a forward-mode "
        "derivative (no other z_i enters)."
    ),
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("the activation factor dz_j/db_j left out", drop_activation=True),
)
def chain_row_w(v: Any, ops: Any, drop_activation: bool = False) -> Any:
    true = true_weight_gradient(v, ops, "W")
    return {
        "chain of factors = true dl/dW": equal(row_chain(v, ops, "W", drop_activation), true),
        "backward's dl/dW = true dl/dW": equal(walk(v, ops).grads.dWs[1], true),
    }


@forall(
    id="walkthrough.row-wj-reaches-only-bj-and-zj",
    worksheet=WS001,
    location="1(d)",
    quote=r"since the $j$ -th row of $\mathbf{W}$ only contributes to those entries!",
    statement=(
        f"The row $w_j$ of W enters only $b_j$ and $z_j$: ${d('b_i', 'w_j')} = {d('z_i', 'w_j')} = 0$ for $i \\ne j$."
    ),
    formalisation="for all V, W, x and all i != j: the forward-mode derivatives of b_i and z_i in the row w_j vanish.",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("the same said of the rows v_j of V (they reach every z_i through h)", layer="V"),
)
def row_reaches_own_output(v: Any, ops: Any, layer: str = "W") -> Any:
    def b_and_z(V: Any, W: Any, o: Any) -> tuple[Any, Any]:
        b = o.matvec(W, o.sigmoid(o.matvec(V, vec_up(v.x))))
        return b, o.sigmoid(b)

    if layer == "W":
        Jb, Jz = (by_entries(lambda P, o, k=k: b_and_z(mat_up(v.V), P, o)[k], v.W, ops) for k in (0, 1))
    else:
        Jb, Jz = (by_entries(lambda P, o, k=k: b_and_z(P, mat_up(v.W), o)[k], v.V, ops) for k in (0, 1))
    off = ~np.eye(Jb.shape[-3], Jb.shape[-2], dtype=bool)  # (output i, row j) with i != j; none for one output
    return {"db_i/dw_j = 0": equal(Jb[..., off, :], 0), "dz_i/dw_j = 0": equal(Jz[..., off, :], 0)}


def _s_times_one_minus_s(v: Any, ops: Any, tanh_form: bool = False) -> Any:
    s = ops.sigmoid(walk(v, ops).b)
    return 1 - s * s if tanh_form else s * (1 - s)


derivation(
    id="walkthrough.sigmoid-derivative-at-output",
    worksheet=WS001,
    location="1(d)",
    quote="s'(b_j) = s(b_j)(1 - s(b_j)) = z_j(1 - z_j)",
    statement=f"${d('z_j', 'b_j')} = s'(b_j) = s(b_j)(1 - s(b_j)) = z_j(1 - z_j)$.",
    formalisation="for all V, W, x and every j: the forward-mode derivative of z_j = s(b_j) in b_j equals "
    "s(b_j)(1 - s(b_j)), which equals z_j(1 - z_j).",
    fact="sigmoid-derivative-s-times-one-minus-s",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    steps=[
        Step(
            "$s'(b_j)$ (true derivative, forward mode)", lambda v, ops: elementwise_derivative(sigmoid, walk(v, ops).b, ops)
        ),
        Step("$s(b_j)(1 - s(b_j))$", _s_times_one_minus_s, "same-shape"),
        Step("$z_j(1 - z_j)$", lambda v, ops: walk(v, ops).z * (1 - walk(v, ops).z), "same-shape"),
    ],
    mutant=Mutant(
        "the tanh form 1 - s(b_j)^2", step=1, value=lambda v, ops: _s_times_one_minus_s(v, ops, tanh_form=True)
    ),
)


@forall(
    id="walkthrough.db-dwj-is-h-transpose",
    worksheet=WS001,
    location="1(d)",
    quote=r"so $\frac{\partial b_j}{\partial \mathbf{w}_j} = \mathbf{h}^\top$",
    statement=f"$b_j = w_j^\\top h$, so ${d('b_j', 'w_j')} = h^\\top$.",
    formalisation="for all V, W, x and every j: the forward-mode derivative of b_j in the row w_j is the row h^T.",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("the other factor of the dot product: w_j^T", other_factor=True),
)
def db_dwj(v: Any, ops: Any, other_factor: bool = False) -> Any:
    h = walk(v, ops).h
    return equal(own_row_derivative(v.W, h, ops), v.W if other_factor else row(h))


def _grad_wj_transposed_derivative(v: Any, ops: Any) -> Any:
    w = walk(v, ops)
    s = ops.sigmoid(w.b)
    return ops.T(col(w.gz * s * (1 - s))[..., None] * row(w.h)[..., None, :, :])


def _grad_wj_formula(v: Any, ops: Any, activation: bool = True) -> Any:
    w = walk(v, ops)
    s = ops.sigmoid(w.b)
    scale = w.gz * s * (1 - s) if activation else w.gz
    return col(w.h)[..., None, :, :] * scale[..., :, None, None]


derivation(
    id="walkthrough.grad-wj-is-h-times-sigmoid-prime-times-grad-zj",
    worksheet=WS001,
    location="1(d)",
    quote=r"= \mathbf{h} \cdot s(b_j)(1 - s(b_j)) \cdot \nabla_{z_j}\ell",
    statement=(
        f"$\\nabla_{{w_j}}\\ell = ({d(ELL, 'z_j')} s(b_j)(1 - s(b_j)) h^\\top)^\\top"
        " = h\\, s(b_j)(1 - s(b_j))\\, \\nabla_{z_j}\\ell$."
    ),
    formalisation=(
        "for all V, W, x, y and every j: the column grad_{w_j} l (row j of the backward's dl/dW, transposed) equals "
        "each line, with dl/dz_j = grad_{z_j} l = z_j - y_j from 1(c); every line is d1 x 1."
    ),
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    steps=[
        Step("$\\nabla_{w_j}\\ell$ (backward)", lambda v, ops: col(walk(v, ops).grads.dWs[1])),
        Step(f"$({d(ELL, 'z_j')} s(b_j)(1 - s(b_j)) h^\\top)^\\top$", _grad_wj_transposed_derivative, "same-shape"),
        Step("$h\\, s(b_j)(1 - s(b_j))\\, \\nabla_{z_j}\\ell$", _grad_wj_formula, "same-shape"),
    ],
    mutant=Mutant(
        "the sigmoid derivative s(b_j)(1 - s(b_j)) left out",
        step=2,
        value=lambda v, ops: _grad_wj_formula(v, ops, activation=False),
    ),
)


def _grad_w_stacked_rows(v: Any, ops: Any) -> Any:
    w = walk(v, ops)
    return col(w.gz * w.z * (1 - w.z)) * row(w.h)


def _omega_grad_z_h_t(v: Any, ops: Any, transposed: bool = False) -> Any:
    w = walk(v, ops)
    return col(w.h) @ row(w.gz) @ w.omega if transposed else w.omega @ col(w.gz) @ row(w.h)


derivation(
    id="walkthrough.grad-w-is-omega-grad-z-h-transpose",
    worksheet=WS001,
    location="1(d)",
    quote=r"= \Omega \cdot \nabla_{\mathbf{z}} \ell \cdot \mathbf{h}^\top",
    statement=(
        f"Stacking the rows $(\\nabla_{{w_j}}\\ell)^\\top = {d(ELL, 'z_j')} z_j(1 - z_j) h^\\top$ gives "
        "$\\nabla_W \\ell = \\Omega\\, \\nabla_z\\ell\\, h^\\top$ with $\\Omega = \\mathrm{diag}(z_j(1 - z_j))$."
    ),
    formalisation="for all V, W, x, y: the backward's dl/dW equals the stacked rows, which equal Omega (z - y) h^T; "
    "all d2 x d1.",
    fact="output-layer-weight-gradient",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    steps=[
        Step("$\\nabla_W \\ell$ (backward)", lambda v, ops: walk(v, ops).grads.dWs[1]),
        Step(f"rows ${d(ELL, 'z_j')} z_j(1 - z_j) h^\\top$", _grad_w_stacked_rows, "same-shape"),
        Step("$\\Omega\\, \\nabla_z\\ell\\, h^\\top$", _omega_grad_z_h_t, "same-shape"),
    ],
    mutant=Mutant(
        "transposed: h grad_z l^T Omega", step=2, value=lambda v, ops: _omega_grad_z_h_t(v, ops, transposed=True)
    ),
)


@forall(
    id="walkthrough.grad-w-shape-is-d2-by-d1",
    worksheet=WS001,
    location="1(d)",
    quote=r"The shape of this gradient is $d^{(2)} \times d^{(1)}$ , which is the same shape as $\mathbf{W}$",
    statement=(
        "$\\nabla_W\\ell = \\Omega\\,\\nabla_z\\ell\\,h^\\top$ has shape $d^{(2)} \\times d^{(1)}$, the shape of W."
    ),
    formalisation="for all V, W, x, y: Omega (d2 x d2) times grad_z l (d2 x 1) times h^T (1 x d1) is d2 x d1, as is W.",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("shape stated as d1 x d2", stated=("d1", "d2")),
)
def grad_w_shape(v: Any, ops: Any, stated: tuple[str, str] = ("d2", "d1")) -> Any:
    shape = dims(v, *stated)
    return {
        "stated shape": has_shape(_omega_grad_z_h_t(v, ops), shape, "Omega grad_z l h^T"),
        "W": has_shape(v.W, shape, "W"),
    }
