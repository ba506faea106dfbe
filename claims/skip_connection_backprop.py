"""Backpropagation through an MLP with a skip connection and the loss S + R (002 Problem 4).

Every line of the derivation in 4(2) is checked against the line before. Matrices and vectors go
through shape-checked products, so a line whose matrix or vector does not fit the network (N
inputs and outputs, K hidden units) is refuted with the shapes as its counterexample. Truth is
``models.skip_connection``: its adjoints and edge derivatives are checked against mpmath.diff in
tests/test_model_skip_connection.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from claims.engine import Erratum, Mutant, Step, derivation, equal, equal_array, exact, forall, is_true, not_checkable
from claims.strategies import grid, normal
from claims.worksheets import WS002
from models import skip_connection as sc

# N != K in most cases, so a transposed matrix or a vector of the wrong length cannot slip through.
CASES = grid(N=range(1, 5), K=range(1, 5))


def nets(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Weights, biases, the given vectors r and s, and an input x, all N(0, 1)."""
    N, K = case.N, case.K
    shapes = {"W1": (K, N), "b1": (K,), "W2": (N, K), "b2": (N,), "r": (K,), "s": (N,), "x": (N,)}
    return {name: normal(rng, n, *shape) for name, shape in shapes.items()}


def _net(v: Any) -> sc.SkipMLP:
    return sc.SkipMLP(v.W1, v.b1, v.W2, v.b2, v.r, v.s)


def _passes(v: Any, ops: Any) -> tuple[sc.Forward, sc.Local, sc.Backward]:
    """The model's forward, edge derivatives and backward for one batch (or instance) and backend.

    Every line of a derivation reads them, so they are computed once and kept on the instance
    (the engine builds a fresh instance for each batch and each mpmath precision).
    """
    memo = v.__dict__.setdefault("_skip_connection_passes", {})
    if ops.name not in memo:
        net = _net(v)
        memo[ops.name] = (sc.forward(net, v.x, ops), sc.local_derivatives(net, v.x, ops), sc.backward(net, v.x, ops))
    return memo[ops.name]


def _fwd(v: Any, ops: Any) -> sc.Forward:
    return _passes(v, ops)[0]


def _loc(v: Any, ops: Any) -> sc.Local:
    return _passes(v, ops)[1]


def _bar(v: Any, ops: Any) -> sc.Backward:
    return _passes(v, ops)[2]


# ---------------------------------------------------------------- shape-checked algebra


class Misfit:
    """The value of an expression whose matrix and vector shapes do not fit together."""

    def __init__(self, why: str) -> None:
        self.why = why


def _misfit(*values: Any) -> Misfit | None:
    return next((x for x in values if isinstance(x, Misfit)), None)


def mT_v(M: Any, u: Any, ops: Any, name: str) -> Any:
    """M^T u (``name`` spells it out), or a Misfit naming the shapes when M's rows do not match u's entries."""
    if bad := _misfit(M, u):
        return bad
    rows, cols = np.shape(M)[-2:]
    if rows != np.shape(u)[-1]:
        return Misfit(f"{name}: a {cols}x{rows} matrix applied to a vector of {np.shape(u)[-1]} entries")
    return ops.matvec(ops.T(M), u)


def plus(a: Any, b: Any, what: str) -> Any:
    """a + b for vectors of equal length (no broadcasting of a length-1 vector), else a Misfit."""
    if bad := _misfit(a, b):
        return bad
    if np.shape(a)[-1] != np.shape(b)[-1]:
        return Misfit(f"{what}: a vector of {np.shape(a)[-1]} entries plus one of {np.shape(b)[-1]}")
    return a + b


def scaled(c: Any, u: Any) -> Any:
    """c u for one scalar c per instance and a vector u."""
    return np.asarray(c)[..., None] * u


def components(f: Callable[[int], Any], count: int) -> Any:
    """The column vector [f(1), ..., f(count)] built entry by entry, as the worksheet writes it."""
    return np.stack([f(i) for i in range(count)], axis=-1)


def agree(stated: Any, truth: Any, ops: Any) -> Any:
    """Same shape and same entries; a misfit or a shape difference is a refutation showing the shapes."""
    if bad := _misfit(stated, truth):
        return is_true(exact(False), show={"shapes": bad.why})
    return equal_array(stated, truth, ops)


def fits(stated: Any, truth: Any) -> Any:
    """Shape only: the stated expression is defined and has the true node's shape."""
    if bad := _misfit(stated, truth):
        return is_true(exact(False), show={"shapes": bad.why})
    return is_true(exact(np.shape(stated) == np.shape(truth)), show={"stated": str(np.shape(stated)), "true": str(np.shape(truth))})


def same_shape_and_value(prev: Any, cur: Any, ops: Any) -> Any:
    """A derivation line equals the line before it, shape included."""
    return agree(cur, prev, ops)


def line(expression: str, value: Callable[..., Any]) -> Step:
    return Step(expression, value, relation=same_shape_and_value)


def _identity(v: Any, ops: Any) -> Any:
    """I_N = dy/dx (and dx/dx)."""
    return ops.diag(ops.one(v.x))


def _sigma_prime(v: Any, ops: Any) -> Any:
    return ops.sigmoid_prime(_fwd(v, ops).z)


def _problem4(**fields: Any) -> dict[str, Any]:
    return {"worksheet": WS002, "cases": CASES, "instances": nets, **fields}


# ---------------------------------------------------------------- Problem 4(1)

not_checkable(
    id="skip-backprop.computation-graph",
    worksheet=WS002,
    location="Problem 4(1)",
    quote=r"Draw the computation graph relating",
    statement="The computation graph relating $x$, $z$, $h$, $y$, $\\mathcal R$, $\\mathcal S$ and $\\mathcal L$.",
    reason="The answer is a drawing that the worksheet text does not contain; there is no stated edge list to check.",
)


# ---------------------------------------------------------------- Problem 4(2), first line


@forall(
    **_problem4(
        id="skip-backprop.x-bar-equals-one",
        location="Problem 4(2), first line",
        quote=r"\bar{\underline{x}} = \frac{\partial \mathcal{L}}{\partial \underline{x}} = 1",
        statement="$\\bar x = \\partial\\mathcal L/\\partial x = 1$.",
        formalisation="For all N, K in 1..4 and all parameters, r, s, x: every entry of dL/dx (N entries) equals 1.",
        expected="refuted",
        erratum=Erratum(
            "The line names the wrong node: backpropagation is seeded with $\\bar{\\mathcal L} = "
            "\\partial\\mathcal L/\\partial\\mathcal L = 1$; $\\bar x = \\partial\\mathcal L/\\partial x$ is an "
            "N-vector, the end result $W^{(1)\\top}\\bar z + \\bar y$ of the recursion, not 1.",
            corrected_by="skip-backprop.seed-l-bar-equals-one",
            replacement=r"\bar{\mathcal{L}} = \frac{\partial \mathcal{L}}{\partial \mathcal{L}} = 1",
        ),
    )
)
def x_bar_is_one(v: Any, ops: Any) -> Any:
    return equal(_bar(v, ops).x_bar, 1, show={"N": v.N})


def _recursion(v: Any, ops: Any, L_bar: Any) -> Any:
    """The worksheet's recursion from a seed L_bar, each node's adjoint summed over its consumers."""
    loc = _loc(v, ops)
    R_bar, S_bar = L_bar * loc.dL_dR, L_bar * loc.dL_dS
    y_bar = scaled(S_bar, loc.dS_dy)
    h_bar = plus(scaled(R_bar, loc.dR_dh), mT_v(loc.dy_dh, y_bar, ops, "(dy/dh)^T y_bar"), "h_bar")
    z_bar = mT_v(loc.dh_dz, h_bar, ops, "(dh/dz)^T h_bar")
    return plus(mT_v(loc.dz_dx, z_bar, ops, "(dz/dx)^T z_bar"), mT_v(loc.dy_dx, y_bar, ops, "(dy/dx)^T y_bar"), "x_bar")


@forall(
    **_problem4(
        id="skip-backprop.seed-l-bar-equals-one",
        location="Problem 4(2), first line",
        quote=r"2) \bar{\underline{x}} = \frac{\partial \mathcal{L}}{\partial \underline{x}} = 1",
        statement=(
            "Corrected first line: the backward pass starts from $\\bar{\\mathcal L} = \\partial\\mathcal L/"
            "\\partial\\mathcal L = 1$, and the recursion from that seed yields $\\partial\\mathcal L/\\partial x$."
        ),
        formalisation=(
            "For all N, K in 1..4 and all parameters, r, s, x: R_bar = L_bar dL/dR, S_bar = L_bar dL/dS, "
            "y_bar = S_bar dS/dy, h_bar = R_bar dR/dh + (dy/dh)^T y_bar, z_bar = (dh/dz)^T h_bar, "
            "x_bar = (dz/dx)^T z_bar + (dy/dx)^T y_bar started from L_bar = 1 equals dL/dx."
        ),
        expected="holds",
        mutant=Mutant("seed 1/2 (the 1/2 of S carried into the seed)", seed=0.5),
    )
)
def seed_is_one(v: Any, ops: Any, seed: float = 1.0) -> Any:
    return agree(_recursion(v, ops, seed), _bar(v, ops).x_bar, ops)


@forall(
    **_problem4(
        id="skip-backprop.r-bar-equals-one",
        location="Problem 4(2), first line",
        quote=r"\bar{R} = \frac{\partial \mathcal{L}}{\partial R} = 1",
        statement="$\\bar{\\mathcal R} = \\partial\\mathcal L/\\partial\\mathcal R = 1$ for $\\mathcal L = \\mathcal S + \\mathcal R$.",
        formalisation="For all N, K in 1..4 and all parameters, r, s, x: dL/dR = 1.",
        expected="holds",
        mutant=Mutant("R_bar taken as dR/dh = r", as_r=True),
    )
)
def r_bar_is_one(v: Any, ops: Any, as_r: bool = False) -> Any:
    stated = v.r if as_r else 1
    return equal(stated, np.asarray(_bar(v, ops).R_bar)[..., None])


@forall(
    **_problem4(
        id="skip-backprop.s-bar-equals-one",
        location="Problem 4(2), first line",
        quote=r"\bar{S} = \frac{\partial \mathcal{L}}{\partial S} = 1",
        statement="$\\bar{\\mathcal S} = \\partial\\mathcal L/\\partial\\mathcal S = 1$ for $\\mathcal L = \\mathcal S + \\mathcal R$.",
        formalisation="For all N, K in 1..4 and all parameters, r, s, x: dL/dS = 1.",
        expected="holds",
        mutant=Mutant("S_bar taken as dS/dy = y - s", as_residual=True),
    )
)
def s_bar_is_one(v: Any, ops: Any, as_residual: bool = False) -> Any:
    stated = _fwd(v, ops).y - v.s if as_residual else 1
    return equal(stated, np.asarray(_bar(v, ops).S_bar)[..., None])


# ---------------------------------------------------------------- Problem 4(2): y_bar


def _y_bar_lines(v: Any, ops: Any) -> tuple[Any, Any, Any]:
    """S_bar, y and s, the ingredients of every line of the y_bar block."""
    fwd = _fwd(v, ops)
    return _bar(v, ops).S_bar, fwd.y, v.s


derivation(
    **_problem4(
        id="skip-backprop.y-bar-chain",
        location="Problem 4(2), y-bar line",
        quote=r"\bar{\underline{y}} = \frac{\partial \mathcal{L}}{\partial \underline{y}} = \bar{S} \frac{\partial S}{\partial \underline{y}}",
        statement=(
            "$\\bar y = \\partial\\mathcal L/\\partial y = \\bar{\\mathcal S}\\,\\partial\\mathcal S/\\partial y = "
            "\\bar{\\mathcal S}[\\partial\\mathcal S/\\partial y_i]_{i=1}^n = \\bar{\\mathcal S}[y_i - s_i]_{i=1}^n = "
            "\\bar{\\mathcal S}(y - s)$."
        ),
        formalisation=(
            "Each line equals the previous one, shape included, for all N, K in 1..4 and all parameters, r, s, x; "
            "n is read as N (the outputs); dS/dy is the model's edge derivative."
        ),
        expected="holds",
        steps=[
            line("$\\partial\\mathcal L/\\partial y$", lambda v, ops: _bar(v, ops).y_bar),
            line("$\\bar{\\mathcal S}\\,\\partial\\mathcal S/\\partial y$", lambda v, ops: scaled(_bar(v, ops).S_bar, _loc(v, ops).dS_dy)),
            line(
                "$\\bar{\\mathcal S}[\\partial\\mathcal S/\\partial y_1, \\dots, \\partial\\mathcal S/\\partial y_n]^\\top$",
                lambda v, ops: scaled(_bar(v, ops).S_bar, components(lambda i: _loc(v, ops).dS_dy[..., i], v.N)),
            ),
            line(
                "$\\bar{\\mathcal S}[y_1 - s_1, \\dots, y_n - s_n]^\\top$",
                lambda v, ops: (lambda S_bar, y, s: scaled(S_bar, components(lambda i: y[..., i] - s[..., i], v.N)))(*_y_bar_lines(v, ops)),
            ),
            line("$\\bar{\\mathcal S}(y - s)$", lambda v, ops: (lambda S_bar, y, s: scaled(S_bar, y - s))(*_y_bar_lines(v, ops))),
        ],
        mutant=Mutant(
            "sign slip: S_bar [s_i - y_i]",
            step=3,
            value=lambda v, ops: (lambda S_bar, y, s: scaled(S_bar, s - y))(*_y_bar_lines(v, ops)),
        ),
    )
)


@forall(
    **_problem4(
        id="skip-backprop.y-bar-is-s-bar-times-y-minus-s",
        location="Problem 4(2), y-bar line",
        quote=r"= \bar{S} \cdot (\underline{y} - \underline{s})",
        statement="$\\bar y = \\bar{\\mathcal S}\\,(y - s)$.",
        formalisation="For all N, K in 1..4 and all parameters, r, s, x: S_bar (y - s) equals dL/dy (N entries).",
        expected="holds",
        mutant=Mutant("sign slip: S_bar (s - y)", sign=-1),
    )
)
def y_bar_result(v: Any, ops: Any, sign: int = 1) -> Any:
    S_bar, y, s = _y_bar_lines(v, ops)
    return agree(scaled(S_bar, sign * (y - s)), _bar(v, ops).y_bar, ops)


# ---------------------------------------------------------------- Problem 4(2) ④: h_bar


def _R_bar_y_bar(v: Any, ops: Any) -> tuple[Any, Any]:
    bar = _bar(v, ops)
    return bar.R_bar, bar.y_bar


def _written_W2(v: Any) -> Any:
    """The matrix [w^(2)_ij] with i = 1..n (n = N) and j = 1..K, built from the written index ranges."""
    return np.stack([components(lambda j, i=i: v.W2[..., i, j], v.K) for i in range(v.N)], axis=-2)


def _h_line(v: Any, ops: Any, first: Any, first_name: str, M: Any, m_name: str) -> Any:
    """first R_bar + M^T y_bar."""
    R_bar, y_bar = _R_bar_y_bar(v, ops)
    second = mT_v(M, y_bar, ops, f"{m_name}^T y_bar")
    return plus(scaled(R_bar, first), second, f"{first_name} R_bar + {m_name}^T y_bar")


derivation(
    **_problem4(
        id="skip-backprop.h-bar-chain",
        location="Problem 4(2) ④",
        quote=r"\bar{x} \bar{R} + \bar{w}^{(2)T} \bar{y}",
        statement=(
            "$\\bar h = \\frac{\\partial\\mathcal R}{\\partial h}\\bar{\\mathcal R} + (\\frac{\\partial y}{\\partial h})^\\top"
            "\\bar y = [r_1, \\dots, r_K]^\\top\\bar{\\mathcal R} + [w^{(2)}_{ij}]^\\top\\bar y = \\bar x\\,\\bar{\\mathcal R}"
            " + W^{(2)\\top}\\bar y$, the last line as written."
        ),
        formalisation=(
            "Each line equals the previous one, shape included, for all N, K in 1..4 and all parameters, r, s, x. "
            "The [w^(2)_ij] matrix has rows i = 1..n (n = N) and columns j = 1..K. In the last line the bar on x "
            "is read as the worksheet's vector mark (as on w^(2)), i.e. the input x; reading it as dL/dx fails "
            "the same way (an N-vector where h_bar has K entries)."
        ),
        expected="refuted",
        steps=[
            line("$\\partial\\mathcal L/\\partial h$", lambda v, ops: _bar(v, ops).h_bar),
            line(
                "$\\frac{\\partial\\mathcal R}{\\partial h}\\bar{\\mathcal R} + (\\frac{\\partial y}{\\partial h})^\\top\\bar y$",
                lambda v, ops: _h_line(v, ops, _loc(v, ops).dR_dh, "dR/dh", _loc(v, ops).dy_dh, "(dy/dh)"),
            ),
            line(
                "$[\\partial\\mathcal R/\\partial h_1, \\dots, \\partial\\mathcal R/\\partial h_K]^\\top\\bar{\\mathcal R}"
                " + [w^{(2)}_{ij}]_{i \\le n, j \\le K}^\\top\\bar y$",
                lambda v, ops: _h_line(v, ops, components(lambda i: _loc(v, ops).dR_dh[..., i], v.K), "[dR/dh_i]", _written_W2(v), "[w_ij]"),
            ),
            line(
                "$[r_1, \\dots, r_K]^\\top\\bar{\\mathcal R} + [w^{(2)}_{ij}]_{i \\le n, j \\le K}^\\top\\bar y$",
                lambda v, ops: _h_line(v, ops, components(lambda i: v.r[..., i], v.K), "[r_i]", _written_W2(v), "[w_ij]"),
            ),
            line("$\\bar x\\,\\bar{\\mathcal R} + W^{(2)\\top}\\bar y$ (④ as written)", lambda v, ops: _h_line(v, ops, v.x, "x", v.W2, "W2")),
        ],
        erratum=Erratum(
            "The boxed line ④ puts $\\bar x$ (an N-vector) where the line above has $r$ (a K-vector): the sum does "
            "not even fit when $N \\ne K$. The correct result is $\\bar h = r\\,\\bar{\\mathcal R} + W^{(2)\\top}\\bar y$.",
            corrected_by="skip-backprop.h-bar-is-r-r-bar-plus-w2t-y-bar",
            replacement=r"\underline{r} \bar{R} + \bar{w}^{(2)T} \bar{y}",
        ),
    )
)


@forall(
    **_problem4(
        id="skip-backprop.h-bar-boxed-line-fits-network",
        location="Problem 4(2) ④",
        quote=r"\bar{x} \bar{R} + \bar{w}^{(2)T} \bar{y}",
        statement="The boxed line $\\bar h = \\bar x\\,\\bar{\\mathcal R} + W^{(2)\\top}\\bar y$ is a well-formed K-vector.",
        formalisation=(
            "For all N, K in 1..4: x R_bar (N entries) and W2^T y_bar (K entries) can be added and give h_bar's K "
            "entries; an exact shape check, refuted exactly when N != K."
        ),
        expected="refuted",
        erratum=Erratum(
            "$\\bar x$ has N entries and $W^{(2)\\top}\\bar y$ has K, so line ④ is undefined when $N \\ne K$; the "
            "first term is $r\\,\\bar{\\mathcal R}$ (K entries): $\\bar h = r\\,\\bar{\\mathcal R} + W^{(2)\\top}\\bar y$.",
            corrected_by="skip-backprop.h-bar-is-r-r-bar-plus-w2t-y-bar",
            replacement=r"\underline{r} \bar{R} + \bar{w}^{(2)T} \bar{y}",
        ),
    )
)
def h_bar_boxed_line_fits(v: Any, ops: Any) -> Any:
    return fits(_h_line(v, ops, v.x, "x", v.W2, "W2"), _bar(v, ops).h_bar)


@forall(
    **_problem4(
        id="skip-backprop.h-bar-is-r-r-bar-plus-w2t-y-bar",
        location="Problem 4(2) ④",
        quote=r"&= \begin{bmatrix} r_1 \\ \vdots \\ r_K \end{bmatrix} \bar{R}",
        statement="$\\bar h = r\\,\\bar{\\mathcal R} + W^{(2)\\top}\\bar y$ (the line above the boxed ④).",
        formalisation="For all N, K in 1..4 and all parameters, r, s, x: r R_bar + W2^T y_bar equals dL/dh (K entries).",
        expected="holds",
        mutant=Mutant("W2 y_bar: W2 not transposed", transpose=True),
    )
)
def h_bar_result(v: Any, ops: Any, transpose: bool = False) -> Any:
    W2 = ops.T(v.W2) if transpose else v.W2
    return agree(_h_line(v, ops, v.r, "r", W2, "W2"), _bar(v, ops).h_bar, ops)


# ---------------------------------------------------------------- Problem 4(2) ②: z_bar


def _written_partials(v: Any, ops: Any) -> Any:
    """The K x K matrix of partials as written: first row dh_j/dz_1, the other rows dh_i/dz_j (as its last row)."""
    J = _loc(v, ops).dh_dz  # J[i, j] = dh_i/dz_j
    rows = [ops.T(J)[..., 0, :], *(J[..., i, :] for i in range(1, v.K))]
    return np.stack(rows, axis=-2)


def _every_row_sigma_prime(v: Any, ops: Any) -> Any:
    """The written matrix whose every row is (sigma'(z_1), ..., sigma'(z_K))."""
    return np.ones((v.K, 1), dtype=int) * _sigma_prime(v, ops)[..., None, :]


def _h_bar(v: Any, ops: Any) -> Any:
    return _bar(v, ops).h_bar


derivation(
    **_problem4(
        id="skip-backprop.z-bar-chain",
        location="Problem 4(2) ②",
        quote=r"\begin{bmatrix} \sigma'(z_1) & \cdots & \sigma'(z_K) \\ \vdots & \ddots & \vdots \\ \sigma'(z_1) & \cdots & \sigma'(z_K) \end{bmatrix}^T \bar{h}",
        statement=(
            "$\\bar z = (\\frac{\\partial h}{\\partial z})^\\top\\bar h = [\\partial h_\\cdot/\\partial z_\\cdot]^\\top\\bar h = "
            "\\begin{bmatrix}\\sigma'(z_1) & \\cdots & \\sigma'(z_K)\\\\ \\vdots & & \\vdots\\\\ \\sigma'(z_1) & \\cdots & "
            "\\sigma'(z_K)\\end{bmatrix}^\\top\\bar h = \\bar h\\circ\\sigma'(z)$."
        ),
        formalisation=(
            "Each line equals the previous one, shape included, for all N, K in 1..4 and all parameters, r, s, x. "
            "The matrix of partials is taken as written: first row dh_j/dz_1 (j = 1..K), further rows dh_i/dz_j as "
            "in its last row (both layouts agree because dh/dz is diagonal). The sigma' matrix is taken as written: "
            "every row (sigma'(z_1), ..., sigma'(z_K)), not the diagonal Jacobian. sigma'(z-bar) is read as "
            "sigma'(z), the bar being the worksheet's vector mark."
        ),
        expected="refuted",
        steps=[
            line("$\\partial\\mathcal L/\\partial z$", lambda v, ops: _bar(v, ops).z_bar),
            line("$(\\partial h/\\partial z)^\\top\\bar h$", lambda v, ops: mT_v(_loc(v, ops).dh_dz, _h_bar(v, ops), ops, "(dh/dz)^T h_bar")),
            line(
                "$\\begin{bmatrix}\\partial h_1/\\partial z_1 & \\cdots & \\partial h_K/\\partial z_1\\\\ \\vdots & & \\vdots\\\\ "
                "\\partial h_K/\\partial z_1 & \\cdots & \\partial h_K/\\partial z_K\\end{bmatrix}^\\top\\bar h$",
                lambda v, ops: mT_v(_written_partials(v, ops), _h_bar(v, ops), ops, "[dh/dz]^T h_bar"),
            ),
            line(
                "$\\begin{bmatrix}\\sigma'(z_1) & \\cdots & \\sigma'(z_K)\\\\ \\vdots & & \\vdots\\\\ \\sigma'(z_1) & \\cdots & "
                "\\sigma'(z_K)\\end{bmatrix}^\\top\\bar h$",
                lambda v, ops: mT_v(_every_row_sigma_prime(v, ops), _h_bar(v, ops), ops, "[sigma'(z_j)]_ij^T h_bar"),
            ),
            line("$\\bar h\\circ\\sigma'(z)$", lambda v, ops: _h_bar(v, ops) * _sigma_prime(v, ops)),
        ],
        erratum=Erratum(
            "The matrix of $\\sigma'$ values is written with every row $(\\sigma'(z_1), \\dots, \\sigma'(z_K))$; "
            "that matrix times $\\bar h$ gives $\\sigma'(z)\\sum_i \\bar h_i$. Since $h_i$ depends on $z_i$ only, "
            "$\\partial h/\\partial z = \\mathrm{diag}(\\sigma'(z_1), \\dots, \\sigma'(z_K))$, and "
            "$\\mathrm{diag}(\\sigma'(z))^\\top\\bar h = \\bar h\\circ\\sigma'(z)$.",
            corrected_by="skip-backprop.jacobian-h-z-is-diagonal",
            replacement=r"\begin{bmatrix} \sigma'(z_1) & \cdots & 0 \\ \vdots & \ddots & \vdots \\ 0 & \cdots & \sigma'(z_K) \end{bmatrix}^T \bar{h}",
        ),
    )
)


@forall(
    **_problem4(
        id="skip-backprop.jacobian-h-z-is-diagonal",
        location="Problem 4(2) ②",
        quote=r"\bar{z} &= \frac{\partial L}{\partial z} = \left(\frac{\partial h}{\partial z} \right)^T \bar{h}",
        statement=(
            "Corrected matrix: $\\partial h/\\partial z = \\mathrm{diag}(\\sigma'(z_1), \\dots, \\sigma'(z_K))$, so "
            "$\\bar z = \\mathrm{diag}(\\sigma'(z))^\\top\\bar h$."
        ),
        formalisation=(
            "For all N, K in 1..4 and all parameters, r, s, x: the model's Jacobian dh/dz (checked against mpmath) "
            "equals diag(sigma'(z)) (K x K), and diag(sigma'(z))^T h_bar equals dL/dz."
        ),
        expected="holds",
        mutant=Mutant("the matrix with every row (sigma'(z_1), ..., sigma'(z_K)), as the worksheet writes it", full=True),
    )
)
def jacobian_is_diagonal(v: Any, ops: Any, full: bool = False) -> Any:
    M = _every_row_sigma_prime(v, ops) if full else ops.diag(_sigma_prime(v, ops))
    return {
        "dh/dz = the stated matrix": agree(M, _loc(v, ops).dh_dz, ops),
        "z_bar = (stated matrix)^T h_bar": agree(mT_v(M, _h_bar(v, ops), ops, "M^T h_bar"), _bar(v, ops).z_bar, ops),
    }


@forall(
    **_problem4(
        id="skip-backprop.z-bar-is-h-bar-times-sigma-prime-z",
        location="Problem 4(2) ②",
        quote=r"&= \bar{h} \circ \sigma'(\bar{z}) \quad] \textcircled{2}",
        statement="$\\bar z = \\bar h\\circ\\sigma'(z)$ (elementwise product), the boxed result ②.",
        formalisation="For all N, K in 1..4 and all parameters, r, s, x: h_bar * sigma'(z) equals dL/dz (K entries).",
        expected="holds",
        mutant=Mutant("sigma(z) in place of sigma'(z)", use_sigma=True),
    )
)
def z_bar_result(v: Any, ops: Any, use_sigma: bool = False) -> Any:
    slope = _fwd(v, ops).h if use_sigma else _sigma_prime(v, ops)
    return agree(_h_bar(v, ops) * slope, _bar(v, ops).z_bar, ops)


# ---------------------------------------------------------------- Problem 4(2) ③: x_bar


def _x_line(v: Any, ops: Any, A: Any, a_name: str, B: Any, b_name: str) -> Any:
    """A^T z_bar + B^T y_bar."""
    bar = _bar(v, ops)
    first, second = mT_v(A, bar.z_bar, ops, f"{a_name}^T z_bar"), mT_v(B, bar.y_bar, ops, f"{b_name}^T y_bar")
    return plus(first, second, f"{a_name}^T z_bar + {b_name}^T y_bar")


derivation(
    **_problem4(
        id="skip-backprop.x-bar-chain",
        location="Problem 4(2) ③",
        quote=r"\left(\frac{\partial \bar{x}}{\partial \bar{x}} \right)^T \bar{z}",
        statement=(
            "$\\bar x = (\\frac{\\partial x}{\\partial x})^\\top\\bar z + (\\frac{\\partial y}{\\partial x})^\\top\\bar y"
            " = W^{(1)\\top}\\bar z + I\\,\\bar y = W^{(1)\\top}\\bar z + \\bar y$, the first Jacobian as written."
        ),
        formalisation=(
            "Each line equals the previous one, shape included, for all N, K in 1..4 and all parameters, r, s, x. "
            "dx/dx is the N x N identity, as written; dy/dx is the model's edge Jacobian; I is I_N."
        ),
        expected="refuted",
        steps=[
            line("$\\partial\\mathcal L/\\partial x$", lambda v, ops: _bar(v, ops).x_bar),
            line(
                "$(\\partial x/\\partial x)^\\top\\bar z + (\\partial y/\\partial x)^\\top\\bar y$ (as written)",
                lambda v, ops: _x_line(v, ops, _identity(v, ops), "(dx/dx)", _loc(v, ops).dy_dx, "(dy/dx)"),
            ),
            line("$W^{(1)\\top}\\bar z + I\\,\\bar y$", lambda v, ops: _x_line(v, ops, v.W1, "W1", _identity(v, ops), "I_N")),
            line(
                "$W^{(1)\\top}\\bar z + \\bar y$",
                lambda v, ops: plus(mT_v(v.W1, _bar(v, ops).z_bar, ops, "W1^T z_bar"), _bar(v, ops).y_bar, "W1^T z_bar + y_bar"),
            ),
        ],
        erratum=Erratum(
            "The first Jacobian is written $\\partial x/\\partial x$ (the N x N identity, which cannot even act on the "
            "K-vector $\\bar z$ when $N \\ne K$); it must be $\\partial z/\\partial x = W^{(1)}$ (K x N): "
            "$\\bar x = (\\partial z/\\partial x)^\\top\\bar z + (\\partial y/\\partial x)^\\top\\bar y$, which the next "
            "line evaluates correctly.",
            corrected_by="skip-backprop.x-bar-chain-through-z-and-y",
            replacement=r"\left(\frac{\partial \bar{z}}{\partial \bar{x}} \right)^T \bar{z}",
        ),
    )
)


@forall(
    **_problem4(
        id="skip-backprop.x-bar-first-jacobian-fits-network",
        location="Problem 4(2) ③",
        quote=r"\left(\frac{\partial \bar{x}}{\partial \bar{x}} \right)^T \bar{z}",
        statement="In $\\bar x = (\\partial x/\\partial x)^\\top\\bar z + \\dots$ the written Jacobian can act on $\\bar z$.",
        formalisation=(
            "For all N, K in 1..4: (dx/dx)^T = I_N (N x N) applied to z_bar (K entries) is defined and gives x_bar's "
            "N entries; an exact shape check, refuted exactly when N != K."
        ),
        expected="refuted",
        erratum=Erratum(
            "$\\partial x/\\partial x$ is N x N but $\\bar z$ has K entries; the Jacobian that carries $\\bar z$ back "
            "to $x$ is $\\partial z/\\partial x = W^{(1)}$ (K x N), whose transpose maps K entries to N.",
            corrected_by="skip-backprop.x-bar-chain-through-z-and-y",
            replacement=r"\left(\frac{\partial \bar{z}}{\partial \bar{x}} \right)^T \bar{z}",
        ),
    )
)
def x_bar_first_jacobian_fits(v: Any, ops: Any) -> Any:
    return fits(mT_v(_identity(v, ops), _bar(v, ops).z_bar, ops, "(dx/dx)^T z_bar with dx/dx = I_N"), _bar(v, ops).x_bar)


@forall(
    **_problem4(
        id="skip-backprop.x-bar-chain-through-z-and-y",
        location="Problem 4(2) ③",
        quote=r"\bar{x} &= \frac{\partial L}{\partial \bar{x}} =",
        statement=(
            "Corrected first line: $\\bar x = (\\partial z/\\partial x)^\\top\\bar z + (\\partial y/\\partial x)^\\top\\bar y$"
            " with $\\partial z/\\partial x = W^{(1)}$ and $\\partial y/\\partial x = I$."
        ),
        formalisation=(
            "For all N, K in 1..4 and all parameters, r, s, x: (dz/dx)^T z_bar + (dy/dx)^T y_bar, with the model's "
            "edge Jacobians (checked against mpmath), equals dL/dx (N entries)."
        ),
        expected="holds",
        mutant=Mutant("the skip path dropped: (dz/dx)^T z_bar only", skip_path=False),
    )
)
def x_bar_through_z_and_y(v: Any, ops: Any, skip_path: bool = True) -> Any:
    loc, bar = _loc(v, ops), _bar(v, ops)
    stated = mT_v(loc.dz_dx, bar.z_bar, ops, "(dz/dx)^T z_bar")
    if skip_path:
        stated = plus(stated, mT_v(loc.dy_dx, bar.y_bar, ops, "(dy/dx)^T y_bar"), "(dz/dx)^T z_bar + (dy/dx)^T y_bar")
    return agree(stated, bar.x_bar, ops)


@forall(
    **_problem4(
        id="skip-backprop.x-bar-is-w1t-z-bar-plus-y-bar",
        location="Problem 4(2) ③",
        quote=r"&= \bar{w}^{(1)T} \bar{z} + \bar{y} \quad] \textcircled{3}",
        statement="$\\bar x = W^{(1)\\top}\\bar z + \\bar y$, the boxed result ③.",
        formalisation="For all N, K in 1..4 and all parameters, r, s, x: W1^T z_bar + y_bar equals dL/dx (N entries).",
        expected="holds",
        mutant=Mutant("W1 z_bar: W1 not transposed", transpose=True),
    )
)
def x_bar_result(v: Any, ops: Any, transpose: bool = False) -> Any:
    W1 = ops.T(v.W1) if transpose else v.W1
    bar = _bar(v, ops)
    return agree(plus(mT_v(W1, bar.z_bar, ops, "W1^T z_bar"), bar.y_bar, "W1^T z_bar + y_bar"), bar.x_bar, ops)


@forall(
    **_problem4(
        id="skip-backprop.z-bar-boxed-line-sigma-prime-of-z-bar",
        location="Problem 4(2) ②",
        quote=r"\bar{h} \circ \sigma'(\bar{z})",
        statement=(
            "$\\bar z = \\bar h\\circ\\sigma'(\\bar z)$, the boxed line ② as printed: $\\sigma'$ evaluated at "
            "$\\bar z = \\partial\\mathcal L/\\partial z$."
        ),
        formalisation=(
            "For all N, K in 1..4 and all parameters, r, s, x: h_bar * sigma'(z_bar), with z_bar = dL/dz (the model's "
            "adjoint), equals dL/dz (K entries)."
        ),
        expected="refuted",
        erratum=Erratum(
            "The slope is taken at the pre-activation $z$, not at the adjoint $\\bar z = \\partial\\mathcal L/"
            "\\partial z$: $\\bar z = \\bar h\\circ\\sigma'(z)$.",
            corrected_by="skip-backprop.z-bar-is-h-bar-times-sigma-prime-z",
            replacement=r"\bar{h} \circ \sigma'(\underline{z})",
            contestable=(
                "the other reading: the bar on $z$ is the solution's vector mark (as in $\\partial R/\\partial \\bar{h}$ "
                "in line ④), so $\\sigma'(\\bar z)$ means $\\sigma'(z)$ and the line is right "
                "(skip-backprop.z-bar-is-h-bar-times-sigma-prime-z)"
            ),
        ),
    )
)
def z_bar_sigma_prime_of_adjoint(v: Any, ops: Any) -> Any:
    z_bar = _bar(v, ops).z_bar
    return agree(_h_bar(v, ops) * ops.sigmoid_prime(z_bar), z_bar, ops)


# ---------------------------------------------------------------- Problem 4: the network and the loss

not_checkable(
    id="skip-backprop.network-definition",
    worksheet=WS002,
    location="Problem 4",
    quote=r"\underline{y} &= \underline{x} + \mathbf{W}^{(2)} \underline{h} + \mathbf{b}^{(2)}",
    statement="$z = W^{(1)}x + b^{(1)}$, $h = \\sigma(z)$, $y = x + W^{(2)}h + b^{(2)}$: the network's forward pass.",
    reason=(
        "Definitions: they introduce z, h and y and assert nothing. models.skip_connection implements them, and every "
        "claim of 4(2) is checked against that model."
    ),
)


@forall(
    **_problem4(
        id="skip-backprop.loss-terms-s-and-r",
        location="Problem 4",
        quote=r"\mathcal{S} &= \frac{1}{2} \|\underline{y} - \underline{s}\|_2^2 = \frac{1}{2} (\underline{y} - \underline{s})^\top (\underline{y} - \underline{s})",
        statement=(
            "$\\mathcal L = \\mathcal S + \\mathcal R$ with $\\mathcal S = \\frac12\\|y - s\\|_2^2 = \\frac12 (y - s)^\\top "
            "(y - s)$ and $\\mathcal R = r^\\top h$."
        ),
        formalisation=(
            "For all N, K in 1..4 and all parameters, r, s, x: 1/2 (sqrt(sum (y - s)^2))^2 == 1/2 (y - s)^T (y - s) == "
            "the model's S, r^T h == its R, and S + R == its L."
        ),
        expected="holds",
        mutant=Mutant("the factor 1/2 dropped from the inner product", half=1.0),
    )
)
def loss_terms(v: Any, ops: Any, half: float = 0.5) -> Any:
    f = _fwd(v, ops)
    d = f.y - v.s
    return {
        "1/2 ||y - s||^2 = 1/2 (y - s)^T (y - s)": equal(0.5 * ops.sqrt(ops.sum(d * d)) ** 2, half * ops.sum(d * d)),
        "S = 1/2 (y - s)^T (y - s)": equal(f.S, half * ops.sum(d * d)),
        "R = r^T h": equal(f.R, ops.sum(v.r * f.h)),
        "L = S + R": equal(f.L, f.S + f.R),
    }
