"""Jacobians and chain-rule products of the network z = W1 x, h = sigmoid(z), y_hat = W2 h (003 part 1).

The worksheet writes Jacobians in numerator layout (one row per output) and flattens a weight
matrix row by row (the row-vector blocks of dz/dW1). Its final Jacobians are rebuilt here as
written (``as_written``) and compared, shape first, with models.two_layer, whose Jacobians and
gradients are checked against mpmath.diff in tests/test_model_two_layer.py.
"""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import numpy as np

from claims.engine import (
    Erratum,
    Mutant,
    Step,
    derivation,
    equal,
    equal_array,
    exact,
    exhaustive,
    forall,
    is_true,
    not_checkable,
)
from claims.engine.relations import Relation
from claims.strategies import grid
from claims.worksheets import WS003
from models import F64, two_layer

Array = Any

DIMS = grid(n=range(1, 5), m=range(1, 5), q=range(1, 5))
# Costs are pure counts, so wider dimensions cost nothing and show how the ratio moves.
COST_DIMS = grid(n=range(1, 41), m=range(1, 41), q=range(1, 41))
SCALE = 10.0 ** np.array([-0.5, 0.0, 0.7])  # up to |z| ~ 20: sigmoid' from O(1) down to ~1e-9


def network(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Weights W1 (m, n), W2 (q, m), input x and target y, each instance at its own scale."""
    scale = rng.choice(SCALE, size=(n, 1, 1))
    return {
        "W1": rng.normal(size=(n, case.m, case.n)) * scale,
        "W2": rng.normal(size=(n, case.q, case.m)),
        "x": rng.normal(size=(n, case.n)),
        "y": rng.normal(size=(n, case.q)),
    }


def zero_network(v: Any) -> SimpleNamespace:
    """An all-zero network of the case's dimensions: enough for shapes and operation counts."""
    return SimpleNamespace(W1=np.zeros((v.m, v.n)), W2=np.zeros((v.q, v.m)), x=np.zeros(v.n), y=np.zeros(v.q))


# ---------------------------------------------------------------- the worksheet's matrices


def row(a: Array, value_dims: int = 1) -> Array:
    """A vector (value_dims=1) or a matrix flattened row by row (2) as a 1 x k row."""
    return a.reshape(*a.shape[: a.ndim - value_dims], 1, -1)


def column(a: Array) -> Array:
    """A vector as a k x 1 column."""
    return a[..., :, None]


def blocks(v: Array, k: int, swapped: bool = False) -> Array:
    """$I_k \\otimes v^T$ (k x k len(v)): row i holds $v^T$ in block i; swapped gives $v^T \\otimes I_k$."""
    eye = np.eye(k, dtype=int)
    out = v[..., None, :, None] * eye[:, None, :] if swapped else eye[:, :, None] * v[..., None, None, :]
    return out.reshape(*out.shape[:-2], k * v.shape[-1])


def sigmoid_slope_as_written(z: Array, ops: Any) -> Array:
    """$\\frac{1}{1+e^{-z}}(1 - \\frac{1}{1+e^{-z}})$, entry by entry, as the worksheet writes it."""
    s = 1 / (1 + ops.exp(-z))
    return s * (1 - s)


def as_written(v: Any, ops: Any) -> dict[str, Array]:
    """The worksheet's final Jacobians; dE/dy_hat is the row $[\\partial E/\\partial \\hat y_i]_i$ it defines."""
    f = two_layer.forward(v.W1, v.W2, v.x, ops)
    return {
        "dE/dy_hat": row(2 * (f.y_hat - v.y)),
        "dy_hat/dh": v.W2,
        "dh/dz": ops.diag(sigmoid_slope_as_written(f.z, ops)),
        "dz/dW1": blocks(v.x, v.W1.shape[-2]),
        "dz/dx": v.W1,
        "dy_hat/dW2": blocks(f.h, v.W2.shape[-2]),
    }


def true_jacobians(v: Any, ops: Any) -> dict[str, Array]:
    """The model's Jacobians (tested against mpmath.diff), under the worksheet's names."""
    f = two_layer.forward(v.W1, v.W2, v.x, ops)
    return {
        "dh/dz": two_layer.jacobian_h_z(f.z, ops),
        "dz/dW1": two_layer.jacobian_z_W1(v.x, v.W1.shape[-2], ops),
        "dz/dx": two_layer.jacobian_z_x(v.W1, ops),
        "dy_hat/dh": two_layer.jacobian_y_h(v.W2, ops),
        "dy_hat/dW2": two_layer.jacobian_y_W2(f.h, v.W2.shape[-2], ops),
    }


def true_shape(v: Any, name: str) -> tuple[int, int]:
    """Shape (rows, columns) of the model's Jacobian ``name`` for the case's dimensions."""
    return true_jacobians(zero_network(v), F64)[name].shape[-2:]


# ---------------------------------------------------------------- relations on matrices


def shape_mismatch(stated: tuple, true: tuple, names: tuple[str, str] = ("stated", "true")) -> Relation:
    """A failed shape check that shows both shapes."""
    return is_true(exact(False), show={f"{names[0]} shape": list(stated), f"{names[1]} shape": list(true)})


def same_matrix_checks(stated: Array, true: Array) -> dict[str, Relation]:
    """Shape and entries as two labelled sub-checks (entries only when the shapes agree)."""
    shape_ok = stated.shape[-2:] == true.shape[-2:]
    out = {"shape": is_true(exact(True)) if shape_ok else shape_mismatch(stated.shape[-2:], true.shape[-2:])}
    if shape_ok:
        out["entries"] = equal(stated, true)
    return out


def same_shape(stated: tuple, true: tuple) -> Relation:
    """A shape statement: the stated (rows, columns) are the true ones."""
    return is_true(exact(tuple(stated) == tuple(true)), show={"stated shape": list(stated), "true shape": list(true)})


# ---------------------------------------------------------------- E and dE/dy_hat

NETWORK = {"cases": DIMS, "instances": network}


def _residual(v: Any, ops: Any) -> Array:
    return two_layer.forward(v.W1, v.W2, v.x, ops).y_hat - v.y


def _sum_of_squares(v: Any, ops: Any) -> Array:
    r = _residual(v, ops)
    return ops.sum(r * r)


derivation(
    id="backprop.error-squared-norm-expands-to-sum-of-squares",
    worksheet=WS003,
    location="1",
    quote=r"E = \sqrt{(\hat{y_1} - y_1)^2 + (\hat{y_2} - y_2)^2",
    statement=(
        "$E = \\|\\hat y - y\\|_2^2 = \\sqrt{\\sum_{i=1}^q (\\hat y_i - y_i)^2}^{\\,2} = "
        "\\sum_{i=1}^q (\\hat y_i - y_i)^2$."
    ),
    formalisation="for all W1, W2, x, y: each line equals the previous one as a real number.",
    expected="holds",
    **NETWORK,
    steps=[
        Step("$E = \\|\\hat y - y\\|_2^2$", lambda v, ops: two_layer.error(v.W1, v.W2, v.x, v.y, ops)),
        Step("$\\sqrt{\\sum_i (\\hat y_i - y_i)^2}^{\\,2}$", lambda v, ops: ops.sqrt(_sum_of_squares(v, ops)) ** 2),
        Step("$\\sum_i (\\hat y_i - y_i)^2$", _sum_of_squares),
    ],
    mutant=Mutant("the norm instead of its square", step=1, value=lambda v, ops: ops.sqrt(_sum_of_squares(v, ops))),
)


def _true_dE_dy_row(v: Any, ops: Any) -> Array:
    return row(two_layer.backward(v.W1, v.W2, v.x, v.y, ops).y_hat)


def _dE_dy_componentwise(v: Any, ops: Any) -> Array:
    yh = two_layer.forward(v.W1, v.W2, v.x, ops).y_hat
    parts = [2 * (yh[..., i] - v.y[..., i]) for i in range(yh.shape[-1])]
    return row(np.stack(parts, axis=-1))


def _entries(x: Array, ops: Any) -> Array:
    """The entries of a matrix in row-major order (batched in float64): layout aside."""
    x = np.asarray(x)
    return x.reshape(x.shape[0], -1) if ops.batched else x.reshape(-1)


def same_entries(prev: Array, cur: Array, ops: Any) -> Relation:
    """A row and a column with the same entries count as equal (a gradient's layout is a convention)."""
    return equal(_entries(cur, ops), _entries(prev, ops))


derivation(
    id="backprop.error-grad-wrt-output-is-twice-residual",
    worksheet=WS003,
    location="1",
    quote=r"[2(\hat{y_1} - y_1), 2(\hat{y_2} - y_2), \dots, 2(\hat{y_q} - y_q)] = 2(\hat{y} - y)",
    statement=(
        "$\\frac{\\partial E}{\\partial \\hat y} = [\\frac{\\partial E}{\\partial \\hat y_1}, \\dots, "
        "\\frac{\\partial E}{\\partial \\hat y_q}] = [2(\\hat y_1 - y_1), \\dots, 2(\\hat y_q - y_q)] = 2(\\hat y - y)$."
    ),
    formalisation=(
        "for all W1, W2, x, y and q: each line has the same entries as the previous one. The worksheet writes the "
        "derivative as a row and 2(y_hat - y) as a column; that layout convention is checked on its own in "
        "backprop.error-grad-wrt-output-is-twice-residual-transposed."
    ),
    fact="squared-error-output-gradient-twice-residual",
    expected="holds",
    **NETWORK,
    steps=[
        Step("$[\\partial E/\\partial \\hat y_1, \\dots, \\partial E/\\partial \\hat y_q]$ (model backward)", _true_dE_dy_row),
        Step("$[2(\\hat y_1 - y_1), \\dots, 2(\\hat y_q - y_q)]$", _dE_dy_componentwise, same_entries),
        Step("$2(\\hat y - y)$", lambda v, ops: column(2 * _residual(v, ops)), same_entries),
    ],
    mutant=Mutant("the factor 2 of the square dropped", step=2, value=lambda v, ops: column(_residual(v, ops))),
)


@forall(
    id="backprop.error-grad-wrt-output-is-twice-residual-transposed",
    worksheet=WS003,
    location="1",
    quote=r"\frac{\partial E}{\partial \hat{y}} = \left[\frac{\partial E}{\partial \hat{y}_1}, \frac{\partial E}{\partial \hat{y}_2}, \dots, \frac{\partial E}{\partial \hat{y}_q}\right]",
    statement="$\\frac{\\partial E}{\\partial \\hat y} = 2(\\hat y - y)^T$, a 1 x q row (numerator layout).",
    formalisation="for all W1, W2, x, y: the row of dE/dy_hat_i (model backward) == 2 (y_hat - y)^T, shape and entries.",
    fact="squared-error-output-gradient-twice-residual",
    expected="holds",
    **NETWORK,
    mutant=Mutant("the factor 2 of the square dropped", factor=1),
)
def dE_dy_transposed(v: Any, ops: Any, factor: int = 2) -> dict[str, Relation]:
    return same_matrix_checks(row(factor * _residual(v, ops)), _true_dE_dy_row(v, ops))


# ---------------------------------------------------------------- dh/dz


@forall(
    id="backprop.dh-dz-written-with-rows-h1-to-hn",
    worksheet=WS003,
    location="1",
    quote=r"\frac{\partial h_n}{\partial z_1} & \frac{\partial h_n}{\partial z_2} & \cdots & \frac{\partial h_n}{\partial z_m}",
    statement=(
        "The Jacobian $\\partial h/\\partial z$ is the matrix with rows $\\partial h_1, \\dots, \\partial h_n$ and "
        "columns $\\partial z_1, \\dots, \\partial z_m$, an n x m matrix."
    ),
    formalisation="for all n, m, q >= 1: shape of the displayed matrix (n, m) == shape of dh/dz, (m, m) as h has m entries.",
    expected="refuted",
    cases=DIMS,
    erratum=Erratum(
        "$h$ has m entries, so the rows run over $h_1, \\dots, h_m$: $\\partial h/\\partial z$ is m x m, "
        "the diagonal matrix the worksheet gives next.",
        corrected_by="backprop.dh-dz-is-diagonal-s-times-one-minus-s",
        replacement=r"\frac{\partial h_m}{\partial z_1} & \frac{\partial h_m}{\partial z_2} & \cdots & \frac{\partial h_m}{\partial z_m}",
    ),
)
def dh_dz_written_shape(v: Any, ops: Any) -> Relation:
    return same_shape((v.n, v.m), true_shape(v, "dh/dz"))


@forall(
    id="backprop.dh-dz-is-diagonal-s-times-one-minus-s",
    worksheet=WS003,
    location="1",
    quote=r"\frac{1}{1 + e^{-z_1}} (1 - \frac{1}{1 + e^{-z_1}})",
    statement=(
        "$\\partial h_i/\\partial z_j = 0$ for $i \\ne j$, so $\\partial h/\\partial z$ is the m x m diagonal matrix "
        "with entries $\\frac{1}{1+e^{-z_i}}(1 - \\frac{1}{1+e^{-z_i}})$."
    ),
    formalisation="for all W1, x: diag(s(z_i)(1 - s(z_i))) with s(z) = 1/(1+exp(-z)) == dh/dz (model), shape and every entry.",
    fact="sigmoid-jacobian-is-diagonal",
    expected="holds",
    **NETWORK,
    mutant=Mutant("the tanh-style slope 1 - s(z)^2 on the diagonal", tanh_style=True),
)
def dh_dz_diagonal(v: Any, ops: Any, tanh_style: bool = False) -> dict[str, Relation]:
    z = two_layer.forward(v.W1, v.W2, v.x, ops).z
    slope = 1 - ops.sigmoid(z) ** 2 if tanh_style else sigmoid_slope_as_written(z, ops)
    return same_matrix_checks(ops.diag(slope), true_jacobians(v, ops)["dh/dz"])


# ---------------------------------------------------------------- z = W1 x and dz/dW1


def displayed_weights(W1: Array) -> Array:
    """The weight matrix as displayed: the last row's second entry is written $W^1_{12}$."""
    shown = W1.copy()
    shown[..., -1, 1:2] = W1[..., 0, 1:2]  # a no-op when n = 1 (no second column)
    return shown


@forall(
    id="backprop.z-equals-displayed-weight-matrix-times-x",
    worksheet=WS003,
    location="1",
    quote=r"W_{m1}^1 & W_{12}^1 & \dots & W_{mn}^1",
    statement=(
        "$z = W^1 x$ with $W^1$ displayed as rows $[W^1_{11}, \\dots, W^1_{1n}], \\dots, "
        "[W^1_{m1}, W^1_{12}, \\dots, W^1_{mn}]$."
    ),
    formalisation="for all W1, x: z (model forward) == (the displayed matrix) x, entry (m, 2) of the display being W1[1, 2].",
    expected="refuted",
    **NETWORK,
    erratum=Erratum(
        "The display's last row has $W^1_{12}$ where $W^1_{m2}$ belongs (for m, n >= 2 the product differs); "
        "$z_i = \\sum_k W^1_{ik} x_k$.",
        corrected_by="backprop.z-equals-w1-x-componentwise",
        replacement=r"W_{m1}^1 & W_{m2}^1 & \dots & W_{mn}^1",
    ),
)
def z_displayed(v: Any, ops: Any) -> Relation:
    return equal(ops.matvec(displayed_weights(v.W1), v.x), two_layer.forward(v.W1, v.W2, v.x, ops).z)


@forall(
    id="backprop.z-equals-w1-x-componentwise",
    worksheet=WS003,
    location="1",
    quote=r"Because $z_i = W_{i1}^1 x_1 + W_{i2}^1 x_2 + \dots + W_{in}^1 x_n$ Thus, When",
    statement="$z_i = W^1_{i1} x_1 + W^1_{i2} x_2 + \\dots + W^1_{in} x_n$ for $i = 1, \\dots, m$.",
    formalisation="for all W1, x: the sums over k = 1..n of W1[i, k] x[k] == z (model forward).",
    expected="holds",
    **NETWORK,
    mutant=Mutant("the last term W_in x_n left out of the sum", terms_dropped=1),
)
def z_componentwise(v: Any, ops: Any, terms_dropped: int = 0) -> Relation:
    n = v.x.shape[-1]
    terms = [v.W1[..., :, k] * v.x[..., k, None] for k in range(n - terms_dropped)]
    return equal(sum(terms, v.W1[..., :, 0] * 0), two_layer.forward(v.W1, v.W2, v.x, ops).z)


@forall(
    id="backprop.dz-dw1-written-with-rows-z1-to-zn",
    worksheet=WS003,
    location="1",
    quote=r"\cdots & \frac{\partial z_1}{\partial \partial W_{nk}^1} \\ \vdots & \vdots & \ddots & \vdots \\ \frac{\partial z_n}{\partial W_{1k}^1} & \frac{\partial z_n}{\partial W_{2k}^1} & \cdots & \frac{\partial z_n}{\partial W_{nk}^1}",
    statement=(
        "$\\partial z/\\partial W_1$ is displayed with rows $\\partial z_1, \\dots, \\partial z_n$ and block columns "
        "$\\partial W^1_{1k}, \\dots, \\partial W^1_{nk}$ ($k = 1..n$), an n x (n n) matrix."
    ),
    formalisation="for all n, m, q >= 1: shape of the display (n, n*n) == shape of dz/dW1, (m, m*n) with W1 flattened.",
    expected="refuted",
    cases=DIMS,
    erratum=Erratum(
        "z has m entries and $W_1$ has m rows: the rows run over $z_1..z_m$ and the blocks over "
        "$W^1_{1k}..W^1_{mk}$, giving the m x (m n) matrix the worksheet states next.",
        corrected_by="backprop.dz-dw1-is-block-diagonal-with-x-transpose-blocks",
        replacement=r"\cdots & \frac{\partial z_1}{\partial W_{mk}^1} \\ \vdots & \vdots & \ddots & \vdots \\ \frac{\partial z_m}{\partial W_{1k}^1} & \frac{\partial z_m}{\partial W_{2k}^1} & \cdots & \frac{\partial z_m}{\partial W_{mk}^1}",
    ),
)
def dz_dW1_written_shape(v: Any, ops: Any) -> Relation:
    return same_shape((v.n, v.n * v.n), true_shape(v, "dz/dW1"))


@forall(
    id="backprop.dz-dw1-has-size-m-by-mn",
    worksheet=WS003,
    location="1",
    quote=r"the size of *J* is m*(m*n)",
    statement="The Jacobian $J = \\partial z/\\partial W_1$ has size $m \\times (m n)$.",
    formalisation="for all n, m, q >= 1: (m, m*n) == shape of dz/dW1 (model, W1 flattened row by row).",
    expected="holds",
    cases=DIMS,
    mutant=Mutant("the transposed (denominator-layout) size (m n) x m", transposed=True),
)
def dz_dW1_size(v: Any, ops: Any, transposed: bool = False) -> Relation:
    stated = (v.m * v.n, v.m) if transposed else (v.m, v.m * v.n)
    return same_shape(stated, true_shape(v, "dz/dW1"))


@forall(
    id="backprop.dz-dw1-entries-zero-off-row-and-x-k-on-row",
    worksheet=WS003,
    location="1",
    quote=r"i = j$$ , $\frac{\partial z_i}{\partial W_{ik}^1} = x_k, k = 1, 2, \dots, n",
    statement=(
        "$\\partial z_i/\\partial W^1_{jk} = 0$ for $i \\ne j$ and $= x_k$ for $i = j$ ($k = 1..n$), "
        "so $\\partial z_i/\\partial W^1_i = [x_1, \\dots, x_n] = x^T$."
    ),
    formalisation="for all W1, x: the tensor [i, j, k] -> (i == j) x_k == dz/dW1 (model) read as (m, m, n).",
    expected="holds",
    **NETWORK,
    mutant=Mutant("the weight W_ik in place of x_k (the derivative with respect to x)", weight=True),
)
def dz_dW1_entries(v: Any, ops: Any, weight: bool = False) -> Relation:
    m, n = v.W1.shape[-2:]
    on_row = v.W1 if weight else np.broadcast_to(v.x[..., None, :], v.W1.shape)
    stated = np.eye(m, dtype=int)[:, :, None] * on_row[..., :, None, :]
    true = true_jacobians(v, ops)["dz/dW1"]
    return equal(stated, true.reshape(*true.shape[:-1], m, n))


@forall(
    id="backprop.dz-dw1-is-diagonal",
    worksheet=WS003,
    location="1",
    quote=r"Thus, J is a diagonal matrix. When i = j, $J_{ij} = x^T$",
    statement="$J = \\partial z/\\partial W_1$ (of size $m \\times mn$) is a diagonal matrix.",
    formalisation="for all W1, x: every entry J[a, b] with a != b of the m x (m n) Jacobian (model) is 0.",
    expected="refuted",
    **NETWORK,
    erratum=Erratum(
        "For n >= 2 the row $x^T$ puts non-zero entries off the diagonal (e.g. $J_{12} = x_2$); J is block-diagonal, "
        "$I_m \\otimes x^T$, with the 1 x n block $x^T$ in block (i, i).",
        corrected_by="backprop.dz-dw1-is-block-diagonal-with-x-transpose-blocks",
        replacement=r"Thus, J is a block-diagonal matrix. When i = j, its block $J_{ij} = x^T$",
        contestable="the other reading: 'diagonal' means block-diagonal, the 1 x n blocks $J_{ij}$ being 0 for $i \\ne j$ and $x^T$ for $i = j$ (as the next words say), which holds",
    ),
)
def dz_dW1_diagonal(v: Any, ops: Any) -> Relation:
    J = true_jacobians(v, ops)["dz/dW1"]
    off_diagonal = 1 - np.eye(*J.shape[-2:], dtype=int)
    return equal(J * off_diagonal, 0 * J)


@forall(
    id="backprop.dz-dw1-is-block-diagonal-with-x-transpose-blocks",
    worksheet=WS003,
    location="1",
    quote=r"J = \frac{\partial z}{\partial W_1} = \begin{bmatrix} [x_1, \dots, x_n] & &",
    statement=(
        "$J = \\partial z/\\partial W_1$ is block-diagonal with the row $x^T = [x_1, \\dots, x_n]$ in each diagonal "
        "block: $J = I_m \\otimes x^T$, an m x (m n) matrix."
    ),
    formalisation="for all W1, x: I_m kron x^T == dz/dW1 (model, W1 flattened row by row), shape and entries.",
    fact="weight-jacobian-of-linear-map-is-kron-identity-input",
    expected="holds",
    **NETWORK,
    mutant=Mutant("Kronecker factors swapped, x^T kron I_m (W1 flattened by columns)", swapped=True),
)
def dz_dW1_blocks(v: Any, ops: Any, swapped: bool = False) -> dict[str, Relation]:
    return same_matrix_checks(blocks(v.x, v.W1.shape[-2], swapped), true_jacobians(v, ops)["dz/dW1"])


@forall(
    id="backprop.dy-dw2-is-block-diagonal-with-h-transpose-blocks",
    worksheet=WS003,
    location="1",
    quote=r"egin{bmatrix} [h_1, \dots, h_m]",
    statement=(
        "In the same way, $\\partial \\hat y/\\partial W_2$ is block-diagonal with the row $[h_1, \\dots, h_m]$ in "
        "each diagonal block: $I_q \\otimes h^T$, a q x (q m) matrix."
    ),
    formalisation="for all W1, W2, x: I_q kron h^T == dy_hat/dW2 (model, W2 flattened row by row), shape and entries.",
    fact="weight-jacobian-of-linear-map-is-kron-identity-input",
    expected="holds",
    **NETWORK,
    mutant=Mutant("Kronecker factors swapped, h^T kron I_q (W2 flattened by columns)", swapped=True),
)
def dy_dW2_blocks(v: Any, ops: Any, swapped: bool = False) -> dict[str, Relation]:
    h = two_layer.forward(v.W1, v.W2, v.x, ops).h
    return same_matrix_checks(blocks(h, v.W2.shape[-2], swapped), true_jacobians(v, ops)["dy_hat/dW2"])


# ---------------------------------------------------------------- dz/dx and dy_hat/dh


@forall(
    id="backprop.dz-dx-written-with-rows-z1-to-zn",
    worksheet=WS003,
    location="1",
    quote=r"\frac{\partial z_n}{\partial x_1} & \frac{\partial z_n}{\partial x_2} & \cdots & \frac{\partial z_n}{\partial x_n}",
    statement="$\\partial z/\\partial x$ is displayed with rows $\\partial z_1, \\dots, \\partial z_n$ and columns $\\partial x_1, \\dots, \\partial x_n$, an n x n matrix.",
    formalisation="for all n, m, q >= 1: shape of the display (n, n) == shape of dz/dx, (m, n) as z has m entries.",
    expected="refuted",
    cases=DIMS,
    erratum=Erratum(
        "z has m entries, so the rows run over $z_1..z_m$: $\\partial z/\\partial x$ is m x n, namely $W_1$.",
        corrected_by="backprop.dz-dx-is-w1",
        replacement=r"\frac{\partial z_m}{\partial x_1} & \frac{\partial z_m}{\partial x_2} & \cdots & \frac{\partial z_m}{\partial x_n}",
    ),
)
def dz_dx_written_shape(v: Any, ops: Any) -> Relation:
    return same_shape((v.n, v.n), true_shape(v, "dz/dx"))


@forall(
    id="backprop.dz-dx-is-w1",
    worksheet=WS003,
    location="1",
    quote=r"J = \frac{\partial z}{\partial x} = W_1",
    statement="$\\partial z_i/\\partial x_j = W^1_{ij}$, so $\\partial z/\\partial x = W_1$.",
    formalisation="for all W1, x: W1 == dz/dx (model), shape and entries.",
    fact="jacobian-of-linear-map-is-its-matrix",
    expected="holds",
    **NETWORK,
    mutant=Mutant("the transpose W1^T", transposed=True),
)
def dz_dx(v: Any, ops: Any, transposed: bool = False) -> dict[str, Relation]:
    return same_matrix_checks(ops.T(v.W1) if transposed else v.W1, true_jacobians(v, ops)["dz/dx"])


@forall(
    id="backprop.dy-dh-is-w2",
    worksheet=WS003,
    location="1",
    quote=r"\frac{\partial \hat{y}}{\partial h} = W_2",
    statement="In the same way, $\\partial \\hat y/\\partial h = W_2$.",
    formalisation="for all W1, W2, x: W2 == dy_hat/dh (model), shape and entries.",
    fact="jacobian-of-linear-map-is-its-matrix",
    expected="holds",
    **NETWORK,
    mutant=Mutant("the transpose W2^T", transposed=True),
)
def dy_dh(v: Any, ops: Any, transposed: bool = False) -> dict[str, Relation]:
    return same_matrix_checks(ops.T(v.W2) if transposed else v.W2, true_jacobians(v, ops)["dy_hat/dh"])


# ---------------------------------------------------------------- chain-rule products

CHAINS = {
    "dE/dW2": ("dE/dy_hat", "dy_hat/dW2"),
    "dE/dW1": ("dE/dy_hat", "dy_hat/dh", "dh/dz", "dz/dW1"),
    "dE/dh": ("dE/dy_hat", "dy_hat/dh"),
    "dE/dz": ("dE/dy_hat", "dy_hat/dh", "dh/dz"),
    "dE/dx": ("dE/dy_hat", "dy_hat/dh", "dh/dz", "dz/dx"),
}


def multiply(factors: list[Array]) -> tuple[bool, Array, list[list[int]]]:
    """Left-to-right product ("one by one"); False and no product if two factors do not conform."""
    shapes = [list(f.shape[-2:]) for f in factors]
    product = factors[0]
    for f in factors[1:]:
        if product.shape[-1] != f.shape[-2]:
            return False, None, shapes
        product = product @ f
    return True, product, shapes


def true_gradient_row(v: Any, ops: Any, name: str) -> Array:
    """The model's gradient dE/d(name) as a row, weight matrices flattened row by row."""
    g = two_layer.backward(v.W1, v.W2, v.x, v.y, ops)
    value = {"dE/dW2": g.W2, "dE/dW1": g.W1, "dE/dh": g.h, "dE/dz": g.z, "dE/dx": g.x}[name]
    return row(value, value_dims=2 if name in ("dE/dW1", "dE/dW2") else 1)


def chain_checks(v: Any, ops: Any, name: str, wrong: dict[str, Array] | None = None) -> dict[str, Relation]:
    """The chain for ``name`` multiplied as written (``wrong`` replaces factors) against the true gradient."""
    jac = {**as_written(v, ops), **(wrong or {})}
    factors = [jac[f] for f in CHAINS[name] if jac[f] is not None]
    conforms, product, shapes = multiply(factors)
    if not conforms:
        return {"factors conform": is_true(exact(False), show={"factor shapes": shapes})}
    return {"factors conform": is_true(exact(True)), "product equals gradient": equal_array(product, true_gradient_row(v, ops, name), ops)}


CHAIN_FORMALISATION = (
    "for all W1, W2, x, y: the worksheet's Jacobians (dE/dy_hat the 1 x q row, dy_hat/dh = W2, dh/dz the diagonal, "
    "dz/dW1 = I_m kron x^T, dz/dx = W1, dy_hat/dW2 = I_q kron h^T) multiplied left to right conform, and the product "
    "== the true gradient as a row (weight matrices flattened row by row)."
)


def _d(a: str, b: str) -> str:
    return f"\\frac{{\\partial {a}}}{{\\partial {b}}}"


def _chain_claim(slug: str, name: str, quote: str, mutant: Mutant) -> Any:
    """A forall claim for the chain-rule product of ``CHAINS[name]``, as the worksheet writes it."""
    names = {"y_hat": "\\hat y", "W1": "W_1", "W2": "W_2"}
    pairs = [f.split("/d") for f in (name, *CHAINS[name])]
    top, *factors = [_d(names.get(a[1:], a[1:]), names.get(b, b)) for a, b in pairs]
    return forall(
        id=f"backprop.chain-rule-{slug}",
        worksheet=WS003,
        location="1",
        quote=quote,
        statement=f"${top} = {' '.join(factors)}$, the Jacobians above multiplied in this order.",
        formalisation=CHAIN_FORMALISATION,
        expected="holds",
        **NETWORK,
        mutant=mutant,
    )


@_chain_claim("de-dw2", "dE/dW2", r"\frac{\partial E}{\partial W_2} = \frac{\partial E}{\partial \hat{y}} * \frac{\partial \hat{y}}{\partial W_2}", Mutant("dy_hat/dW2 with its Kronecker factors swapped (h^T kron I_q)", swapped=True))
def chain_dE_dW2(v: Any, ops: Any, swapped: bool = False) -> dict[str, Relation]:
    h = two_layer.forward(v.W1, v.W2, v.x, ops).h
    wrong = {"dy_hat/dW2": blocks(h, v.W2.shape[-2], swapped=True)} if swapped else None
    return chain_checks(v, ops, "dE/dW2", wrong)


@_chain_claim("de-dw1", "dE/dW1", r"\frac{\partial E}{\partial W_1} = \frac{\partial E}{\partial \hat{y}} * \frac{\partial \hat{y}}{\partial h} * \frac{\partial h}{\partial z} * \frac{\partial z}{\partial W_1}", Mutant("the factor dh/dz left out", omit_dh_dz=True))
def chain_dE_dW1(v: Any, ops: Any, omit_dh_dz: bool = False) -> dict[str, Relation]:
    return chain_checks(v, ops, "dE/dW1", {"dh/dz": None} if omit_dh_dz else None)


@_chain_claim("de-dh", "dE/dh", r"\frac{\partial E}{\partial h} = \frac{\partial E}{\partial \hat{y}} * \frac{\partial \hat{y}}{\partial h}", Mutant("W2^T in place of dy_hat/dh", transposed=True))
def chain_dE_dh(v: Any, ops: Any, transposed: bool = False) -> dict[str, Relation]:
    return chain_checks(v, ops, "dE/dh", {"dy_hat/dh": ops.T(v.W2)} if transposed else None)


@_chain_claim("de-dz", "dE/dz", r"\frac{\partial E}{\partial z} = \frac{\partial E}{\partial \hat{y}} * \frac{\partial \hat{y}}{\partial h} * \frac{\partial h}{\partial z}", Mutant("sigmoid(z) in place of its slope on the diagonal of dh/dz", slope=False))
def chain_dE_dz(v: Any, ops: Any, slope: bool = True) -> dict[str, Relation]:
    z = two_layer.forward(v.W1, v.W2, v.x, ops).z
    return chain_checks(v, ops, "dE/dz", None if slope else {"dh/dz": ops.diag(ops.sigmoid(z))})


@_chain_claim("de-dx", "dE/dx", r"\frac{\partial E}{\partial x} = \frac{\partial E}{\partial \hat{y}} * \frac{\partial \hat{y}}{\partial h} * \frac{\partial h}{\partial z} * \frac{\partial z}{\partial x}", Mutant("W1^T in place of dz/dx", transposed=True))
def chain_dE_dx(v: Any, ops: Any, transposed: bool = False) -> dict[str, Relation]:
    return chain_checks(v, ops, "dE/dx", {"dz/dx": ops.T(v.W1)} if transposed else None)


# ---------------------------------------------------------------- cost of dE/dW1 against dE/dW2


def chain_cost(v: Any, name: str) -> int:
    """Multiply-adds of the chain multiplied left to right with dense products: (a x b)(b x c) costs a b c."""
    jac = as_written(zero_network(v), F64)
    rows, cols = jac[CHAINS[name][0]].shape
    cost = 0
    for f in CHAINS[name][1:]:
        cost += rows * cols * jac[f].shape[1]
        cols = jac[f].shape[1]
    return cost


def backprop_cost(v: Any) -> dict[str, int]:
    """Multiply-adds of the efficient order (models.two_layer.backward), dE/dy_hat given to both.

    dE/dW2 = delta h^T (q m); dE/dW1 needs W2^T delta (q m), the product with sigmoid'(z) (m) and the
    outer product with x (m n). Counted from the sizes of the arrays the model computes.
    """
    net = zero_network(v)
    g = two_layer.backward(net.W1, net.W2, net.x, net.y, F64)
    return {"dE/dW2": g.W2.size, "dE/dW1": net.W2.size + g.z.size + g.W1.size}


def _costs_shown(v: Any) -> dict[str, Any]:
    c1, c2 = chain_cost(v, "dE/dW1"), chain_cost(v, "dE/dW2")
    return {"cost dE/dW1": c1, "cost dE/dW2": c2, "ratio": str(Fraction(c1, c2))}


@exhaustive(
    id="backprop.de-dw1-chain-has-two-more-factors-than-de-dw2",
    worksheet=WS003,
    location="1",
    quote=r"has two more operations",
    statement=(
        "Computing $\\partial E/\\partial W_1$ takes two more operations than $\\partial E/\\partial W_2$: the "
        "products with $\\partial \\hat y/\\partial h$ and $\\partial h/\\partial z$ (the second is written "
        "$\\partial E/\\partial w_1$)."
    ),
    formalisation="the chain for dE/dW1 has two more matrix products than the chain for dE/dW2 (3 against 1), for any n, m, q: one fixed count, checked once.",
    expected="proved",
    domain=dict,
    mutant=Mutant("one more product", more=1),
)
def two_more_factors(v: Any, ops: Any, more: int = 2) -> Relation:
    return is_true(exact(len(CHAINS["dE/dW1"]) - len(CHAINS["dE/dW2"]) == more))


not_checkable(
    id="backprop.cost-similar-complexity-premises",
    worksheet=WS003,
    location="1",
    quote=r"And the computing complexity of",
    statement=(
        "The costs of $\\partial E/\\partial y$ and $\\partial \\hat y/\\partial h$ are similar, and so are those of "
        "$\\partial E/\\partial w_1$, $\\partial E/\\partial w_1$ and $\\partial F/\\partial w_2$."
    ),
    reason=(
        "'Similar' has no stated measure or tolerance, and the sentence names dE/dw1 twice and an undefined F, so "
        "its terms cannot be identified; the checkable conclusion is the cost ratio (backprop.de-dw1-costs-about-twice-de-dw2)."
    ),
)


@forall(
    id="backprop.de-dw1-costs-about-twice-de-dw2",
    worksheet=WS003,
    location="1",
    quote=r"is about 2 times more expensive than computing",
    statement="Computing $\\partial E/\\partial W_1$ is about 2 times more expensive than computing $\\partial E/\\partial W_2$.",
    formalisation=(
        "for all n, m, q >= 1: with cost = multiply-adds of the worksheet's Jacobian chains multiplied left to right "
        "as dense matrices ((a x b)(b x c) costs a b c), 1.5 <= cost(dE/dW1) / cost(dE/dW2) <= 2.5 ('about 2': "
        "the ratio rounds to 2)."
    ),
    expected="refuted",
    cases=COST_DIMS,
    erratum=Erratum(
        "The chains cost $m(q + m + mn)$ and $q^2 m$ multiply-adds, a ratio $(q + m + mn)/q^2$ that takes any "
        "positive value: 3 at n = m = q = 1, 3/8 at (n, m, q) = (1, 1, 4), 21 at (4, 4, 1), so neither "
        "'about 2 times' nor '3 times' holds in general. In the efficient backprop order the costs are "
        "$qm + m + mn$ and $qm$, a ratio $1 + (n + 1)/q$.",
        corrected_by="backprop.cost-of-de-dw1-and-de-dw2-chains",
        replacement=r"is $(q + m + mn)/q^2$ times as expensive (multiplying the Jacobians above; $1 + (n+1)/q$ times in backpropagation order) as computing",
        contestable="the other reading: each Jacobian product counts as one operation of similar cost (as the sentence before says), so the chains of 4 and 2 factors give exactly 2 times",
    ),
)
def about_twice(v: Any, ops: Any) -> Relation:
    ratio = Fraction(chain_cost(v, "dE/dW1"), chain_cost(v, "dE/dW2"))
    return is_true(exact(Fraction(3, 2) <= ratio <= Fraction(5, 2)), show=_costs_shown(v))


@forall(
    id="backprop.cost-of-de-dw1-and-de-dw2-chains",
    worksheet=WS003,
    location="1",
    quote=r"Let's compare $\frac{\partial E}{\partial W_1}$ to $\frac{\partial E}{\partial W_2}$",
    statement=(
        "Multiplied left to right as dense matrices, the chain for $\\partial E/\\partial W_1$ costs $m(q + m + mn)$ "
        "multiply-adds and the chain for $\\partial E/\\partial W_2$ costs $q^2 m$, a ratio $(q + m + mn)/q^2$; in the "
        "efficient backprop order they cost $qm + m + mn$ and $qm$, a ratio $1 + (n+1)/q$."
    ),
    formalisation=(
        "for all n, m, q >= 1: counted cost(dE/dW1 chain) == m (q + m + m n) and cost(dE/dW2 chain) == q^2 m; "
        "counted backprop costs == q m + m + m n and q m (exact integers)."
    ),
    expected="holds",
    cases=COST_DIMS,
    mutant=Mutant("the product with dh/dz not counted: m (q + m n)", dh_dz_counted=False),
)
def chain_costs(v: Any, ops: Any, dh_dz_counted: bool = True) -> dict[str, Relation]:
    n, m, q = v.n, v.m, v.q
    efficient = backprop_cost(v)
    return {
        "dE/dW1 chain": is_true(exact(chain_cost(v, "dE/dW1") == m * (q + m * dh_dz_counted + m * n)), show=_costs_shown(v)),
        "dE/dW2 chain": is_true(exact(chain_cost(v, "dE/dW2") == q * q * m), show=_costs_shown(v)),
        "backprop order": is_true(exact(efficient == {"dE/dW1": q * m + m + m * n, "dE/dW2": q * m}), show=efficient),
    }


@forall(
    id="backprop.de-dw1-is-the-most-expensive-chain",
    worksheet=WS003,
    location="1",
    quote=r"As we can see, the most expensive pass is to get $\frac{\partial E}{\partial W_1}$",
    statement="Of the products $\\partial E/\\partial W_2, \\partial E/\\partial W_1, \\partial E/\\partial h, \\partial E/\\partial z, \\partial E/\\partial x$, the most expensive is $\\partial E/\\partial W_1$.",
    formalisation="for all n, m, q >= 1: chain cost of dE/dW1 >= chain cost of each of the other four (dense, left to right).",
    expected="refuted",
    cases=COST_DIMS,
    erratum=Erratum(
        "The dE/dW1 chain costs $m(q + m + mn)$ and the dE/dW2 chain $q^2 m$: with many outputs ($q^2 > q + m + mn$, "
        "e.g. n = m = 1, q = 3) dE/dW2 is the more expensive. dE/dW1 is the most expensive exactly when "
        "$q^2 \\le q + m + mn$. (In the efficient backprop order dE/dW1 and dE/dx tie as the most expensive, "
        "$qm + m + mn$ each.)",
        corrected_by="backprop.de-dw1-most-expensive-iff-q-squared-at-most-q-plus-m-plus-mn",
        replacement=r"As we can see, when $q^2 \le q + m + mn$ the most expensive pass is to get $\frac{\partial E}{\partial W_1}$",
        contestable="the other reading: costs counted in backpropagation order, where the pass for $\\partial E/\\partial W_1$ ($qm + m + mn$) is never cheaper than another one (it ties with $\\partial E/\\partial x$)",
    ),
)
def most_expensive(v: Any, ops: Any) -> Relation:
    costs = {name: chain_cost(v, name) for name in CHAINS}
    return is_true(exact(all(costs["dE/dW1"] >= c for c in costs.values())), show=costs)


@forall(
    id="backprop.de-dw1-most-expensive-iff-q-squared-at-most-q-plus-m-plus-mn",
    worksheet=WS003,
    location="1",
    quote=r"the most expensive pass is to get",
    statement=(
        "The chain for $\\partial E/\\partial W_1$ always costs at least those for $\\partial E/\\partial h$, "
        "$\\partial E/\\partial z$, $\\partial E/\\partial x$, and at least that for $\\partial E/\\partial W_2$ exactly when "
        "$q^2 \\le q + m + mn$."
    ),
    formalisation="for all n, m, q >= 1: (cost dE/dW1 >= every other chain cost) <=> q^2 <= q + m + m n.",
    expected="holds",
    cases=COST_DIMS,
    mutant=Mutant("the condition q <= m instead", condition="q <= m"),
)
def most_expensive_iff(v: Any, ops: Any, condition: str = "q^2 <= q + m + mn") -> Relation:
    costs = {name: chain_cost(v, name) for name in CHAINS}
    n, m, q = v.n, v.m, v.q
    holds = q * q <= q + m + m * n if condition == "q^2 <= q + m + mn" else q <= m
    return is_true(exact(all(costs["dE/dW1"] >= c for c in costs.values()) == holds), show=costs)


# ---------------------------------------------------------------- the set-up and the displayed lines of part 1

for _id, _quote, _statement in (
    ("backprop.setup-z-is-w1-x", r"$$z = W_1 x$$", "$z = W_1 x$."),
    ("backprop.setup-h-is-sigma-z", r"h = \sigma(z) = \sigma(W_1 x), \sigma(x) = \frac{1}{1 + e^{-x}}", "$h = \\sigma(z) = \\sigma(W_1 x)$ with $\\sigma(x) = \\frac{1}{1+e^{-x}}$."),
    ("backprop.setup-y-hat-is-w2-h", r"\hat{y} = W_2 h = W_2 \sigma(w_1 x)", "$\\hat y = W_2 h = W_2\\sigma(W_1 x)$ (printed with $w_1$)."),
    ("backprop.setup-error-is-squared-norm", r"E = ||\hat{y} - y||_2^2", "$E = \\|\\hat y - y\\|_2^2$."),
    ("backprop.setup-h-is-sigma-z-again", r"$$h = \sigma(z)$$ $$h = \begin{bmatrix}", "$h = \\sigma(z)$, restated before its Jacobian."),
    ("backprop.setup-h-entrywise", r"= \sigma \begin{bmatrix} z_1 \\ z_2 \\ \dots \\ z_i \\ \dots \\ z_m \end{bmatrix}", "$h = [h_1, \\dots, h_m]^T = \\sigma([z_1, \\dots, z_m]^T)$, entry by entry."),
    ("backprop.setup-z-is-w1-x-again", r"$$Z = W^1 x$$", "$Z = W^1 x$, writing $W^1$ for $W_1$."),
    ("backprop.notation-row-of-partials", r"\frac{\partial z_i}{\partial W_j^1} = \left[\frac{\partial z_i}{\partial W_{j1}^1}", "$\\partial z_i/\\partial W^1_j$ denotes the row $[\\partial z_i/\\partial W^1_{j1}, \\dots, \\partial z_i/\\partial W^1_{jn}]$."),
    ("backprop.list-de-dy-hat", r"And other derivatives we can get are: $$\frac{\partial E}{\partial \hat{y}}$$", "$\\partial E/\\partial\\hat y$, the first of the derivatives listed."),
):
    not_checkable(
        id=_id,
        worksheet=WS003,
        location="1",
        quote=_quote,
        statement=_statement,
        reason=(
            "A definition or notation (or a list heading): it introduces the network, the error or a symbol and asserts "
            "nothing. models.two_layer implements the network, and every Jacobian claim of part 1 is checked against it."
        ),
    )

forall(
    id="backprop.error-grad-component-is-twice-residual",
    worksheet=WS003,
    location="1",
    quote=r"\frac{\partial E}{\partial \hat{y_i}} = 2(\hat{y_i} - y_i)",
    statement="$\\frac{\\partial E}{\\partial \\hat y_i} = 2(\\hat y_i - y_i)$ for each $i = 1, \\dots, q$.",
    formalisation="for all W1, W2, x, y: the row of dE/dy_hat_i (model backward) == [2 (y_hat_i - y_i)]_i, shape and entries.",
    fact="squared-error-output-gradient-twice-residual",
    expected="holds",
    **NETWORK,
    mutant=Mutant("the factor 2 of the square dropped", factor=1),
)(dE_dy_transposed)

forall(
    id="backprop.dz-dw1-row-block-is-x-transpose",
    worksheet=WS003,
    location="1",
    quote=r"\frac{\partial z_i}{\partial W_i^1} = [x_1, x_2, ... x_n] = x^T",
    statement="$\\frac{\\partial z_i}{\\partial W_i^1} = [x_1, x_2, \\dots, x_n] = x^T$.",
    formalisation="as backprop.dz-dw1-entries-zero-off-row-and-x-k-on-row: the tensor [i, j, k] -> (i == j) x_k == dz/dW1 (model).",
    expected="holds",
    **NETWORK,
    mutant=Mutant("the weight W_ik in place of x_k (the derivative with respect to x)", weight=True),
)(dz_dW1_entries)

forall(
    id="backprop.dz-dx-entries-are-w1-ij",
    worksheet=WS003,
    location="1",
    quote=r"\frac{\partial z_i}{\partial x_j} = W_{ij}^1",
    statement="$\\frac{\\partial z_i}{\\partial x_j} = W_{ij}^1$.",
    formalisation="for all W1, x: W1 == dz/dx (model), shape and entries: entry (i, j) is W1[i, j].",
    fact="jacobian-of-linear-map-is-its-matrix",
    expected="holds",
    **NETWORK,
    mutant=Mutant("the transpose W1^T", transposed=True),
)(dz_dx)
