"""Forward and backward pass of h = s(Vx), z = s(Wh), l = 1/2 ||y - z||^2, step by step (001 part 1).

The truth is the hand-written backward of models/fcnet.py (tested against mpmath) and, for the chain
rules and Jacobians, derivatives by the complex step, Im f(x + i t)/t for a tiny t: it subtracts
nothing, so it is exact to working precision (float64 here, 60 and 90 digits in the mpmath twin).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np

from claims.engine import Mutant, Step, derivation, equal, exact, forall, is_true, lt, not_checkable, st
from claims.strategies import grid, normal, widths
from claims.worksheets import WS001
from models import fcnet
from models.ops import MP, Float64

Map = Callable[[Any, Any], Any]


ELL = "\\ell"


def d(num: str, den: str) -> str:
    """LaTeX for the partial derivative of num by den."""
    return f"\\frac{{\\partial {num}}}{{\\partial {den}}}"


# ---------------------------------------------------------------- true derivatives (complex step)


class _Complex(Float64):
    """float64 with an analytic sigmoid, so that a complex step passes through the models."""

    name = "complex128"

    @staticmethod
    def sigmoid(x: Any) -> Any:
        return 1 / (1 + np.exp(-x))


CX = _Complex()
_MP_IMAG = np.frompyfunc(mpmath.im, 1, 1)


def _complex_step(ops: Any) -> tuple[Any, Any, Callable[[Any], Any]]:
    """Backend to evaluate in, the imaginary step i t, and y -> Im(y)/t, for float64 or the twin."""
    if ops.name == "mpmath":
        t = mpmath.mpf(2) ** -(2 * mpmath.mp.prec)  # the O(t^2) error sits far below working precision
        return MP, mpmath.mpc(0, t), lambda y: _MP_IMAG(y) / t
    t = 2.0**-100
    return CX, 1j * t, lambda y: np.imag(y) / t


def jacobian(fn: Map, x: Any, ops: Any) -> Any:
    """Jacobian (..., m, N) of ``fn(x, ops)`` (..., m) at x (..., N): rows are outputs."""
    backend, it, imag = _complex_step(ops)
    eye = np.eye(x.shape[-1], dtype=int)
    return np.stack([imag(fn(x + it * eye[k], backend)) for k in range(x.shape[-1])], axis=-1)


def elementwise_derivative(fn: Map, u: Any, ops: Any) -> Any:
    """Derivative of an elementwise map at every entry of u at once."""
    backend, it, imag = _complex_step(ops)
    return imag(fn(u + it, backend))


def gradient_columns(fn: Map, x: Any, ops: Any) -> Any:
    """$\\nabla_x q$ for a vector map q: column k is the gradient of the component q_k.

    The complex steps along each input direction give every component at once, so column k is
    row k of the Jacobian.
    """
    return ops.T(jacobian(fn, x, ops))


def sigmoid(u: Any, ops: Any) -> Any:
    return ops.sigmoid(u)


def col(u: Any) -> Any:
    """A vector (..., d) as a column (..., d, 1)."""
    return u[..., :, None]


def row(u: Any) -> Any:
    """A vector (..., d) as a row (..., 1, d)."""
    return u[..., None, :]


def as_vector(s: Any) -> Any:
    """A per-instance scalar (one mpf in the twin) as a vector of length 1."""
    return np.asarray(s)[..., None]


def same(prev: Any, cur: Any, ops: Any) -> Any:
    """This line has the previous line's shape (a row is not a column) and its value."""
    if np.shape(prev) != np.shape(cur):
        shapes = {"previous line": list(np.shape(prev)), "this line": list(np.shape(cur))}
        return is_true(exact(False), show=shapes)
    return equal(cur, prev)


def has_shape(value: Any, stated: tuple[int, ...], name: str) -> Any:
    """The trailing shape of ``value`` (batch axes excluded) is the stated one."""
    actual = tuple(np.shape(value)[np.ndim(value) - len(stated) :])
    return is_true(
        exact(actual == tuple(stated)), show={f"shape of {name}": list(np.shape(value)), "stated": list(stated)}
    )


# ---------------------------------------------------------------- the network of part 1

NET_CASES = grid(d0=range(1, 5), d1=range(1, 5), d2=range(1, 5))


def one_hidden_layer(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Weights V (d1 x d0), W (d2 x d1), an input x and a label y in [0, 1]^{d2}."""
    return {
        "V": normal(rng, n, case.d1, case.d0),
        "W": normal(rng, n, case.d2, case.d1),
        "x": normal(rng, n, case.d0),
        "y": rng.uniform(0.0, 1.0, size=(n, case.d2)),
    }


def net_of(V: Any, W: Any) -> fcnet.Net:
    return fcnet.Net((V, W), hidden="sigmoid", output="sigmoid", loss="half_sq")


def dims(v: Any, *names: str) -> tuple[int, ...]:
    """Widths by name, e.g. dims(v, "d2", "d1") == (d2, d1)."""
    return tuple({"d0": v.d0, "d1": v.d1, "d2": v.d2}[k] for k in names)


class Walk:
    """Forward values, the backward's gradients and the worksheet's own quantities for one batch."""

    def __init__(self, v: Any, ops: Any) -> None:
        net = net_of(v.V, v.W)
        cache = fcnet.forward(net, v.x, ops)
        self.x, self.a, self.h, self.b, self.z = v.x, cache.S[1], cache.X[1], cache.S[2], cache.X[2]
        self.grads = fcnet.backward(net, v.x, v.y, ops)
        self.omega = ops.diag(self.z * (1 - self.z))  # Omega of 1(d)
        self.lam = ops.diag(self.h * (1 - self.h))  # Lambda of 1(f)
        self.gz = self.z - v.y  # grad_z l as stated in 1(c)
        self.gh = (ops.T(v.W) @ self.omega @ col(self.gz))[..., 0]  # grad_h l as stated in 1(e)


_MEMO: dict[str, Any] = {"instance": None, "ops": None, "digits": None, "values": {}}


def once(v: Any, ops: Any, compute: Callable[[Any, Any], Any]) -> Any:
    """compute(v, ops), computed once for all the lines and sub-checks of one evaluation that read it.

    The engine evaluates every line of a derivation on the same instance object and never mutates
    it, so results are reused while the instance, backend and precision stay the same.
    """
    if not (_MEMO["instance"] is v and _MEMO["ops"] is ops and _MEMO["digits"] == mpmath.mp.dps):
        _MEMO.update(instance=v, ops=ops, digits=mpmath.mp.dps, values={})
    values = _MEMO["values"]
    if compute not in values:
        values[compute] = compute(v, ops)
    return values[compute]


def walk(v: Any, ops: Any) -> Walk:
    """The forward and backward pass of the instance (computed once per evaluation)."""
    return once(v, ops, Walk)


def loss_of_z(v: Any) -> Map:
    return lambda z, o: as_vector(fcnet.output_loss(z, v.y, "half_sq", o))


def loss_of_h(v: Any) -> Map:
    return lambda h, o: loss_of_z(v)(o.sigmoid(o.matvec(v.W, h)), o)


def by_entries(fn: Map, M: Any, ops: Any) -> Any:
    """Jacobian of fn(M) (..., m) in the matrix M (..., r, c), as (..., m, r, c)."""
    r, c = M.shape[-2:]
    J = jacobian(lambda q, o: fn(q.reshape(*q.shape[:-1], r, c), o), M.reshape(*M.shape[:-2], r * c), ops)
    return J.reshape(*J.shape[:-1], r, c)


def own_row_derivative(M: Any, inp: Any, ops: Any) -> Any:
    """Row j: the derivative of the j-th entry of M inp in the j-th row of M (..., r, c)."""
    idx = np.arange(M.shape[-2])
    return by_entries(lambda P, o: o.matvec(P, inp), M, ops)[..., idx, idx, :]


# ---------------------------------------------------------------- preamble: the chain rules (1), (2)

CHAIN_CASES = grid(d0=range(1, 4), d1=range(1, 4), d2=range(1, 4))


def three_maps(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """h(x) = s(Ax), g(u) = s(Bu), f(w) = s(c.w): random linear maps, each followed by a sigmoid."""
    d0, d1, d2 = case.d0, case.d1, case.d2
    return {"A": normal(rng, n, d1, d0), "B": normal(rng, n, d2, d1), "c": normal(rng, n, d2), "x": normal(rng, n, d0)}


def _h(v: Any) -> Map:
    return lambda x, o: o.sigmoid(o.matvec(v.A, x))


def _g(v: Any) -> Map:
    return lambda u, o: o.sigmoid(o.matvec(v.B, u))


def _f(v: Any) -> Map:
    return lambda w, o: o.sigmoid(as_vector(o.sum(v.c * w)))


def _points3(v: Any, ops: Any) -> tuple[Any, Any]:
    hx = _h(v)(v.x, ops)
    return hx, _g(v)(hx, ops)


def _jacobians3(v: Any, ops: Any) -> tuple[Any, Any, Any]:
    """df/dg at g(h(x)), dg/dh at h(x) and dh/dx at x."""
    return once(v, ops, _compute_jacobians3)


def _compute_jacobians3(v: Any, ops: Any) -> tuple[Any, Any, Any]:
    hx, ghx = _points3(v, ops)
    return jacobian(_f(v), ghx, ops), jacobian(_g(v), hx, ops), jacobian(_h(v), v.x, ops)


def _true_grad3(v: Any, ops: Any) -> Any:
    return ops.T(jacobian(lambda x, o: _f(v)(_g(v)(_h(v)(x, o), o), o), v.x, ops))


def _transposed_product(v: Any, ops: Any) -> Any:
    Jf, Jg, Jh = _jacobians3(v, ops)
    return ops.T(Jf @ Jg @ Jh)


def _product_of_transposes(v: Any, ops: Any) -> Any:
    Jf, Jg, Jh = _jacobians3(v, ops)
    return ops.T(Jh) @ ops.T(Jg) @ ops.T(Jf)


def _product_of_gradients(v: Any, ops: Any) -> Any:
    hx, ghx = _points3(v, ops)
    return gradient_columns(_h(v), v.x, ops) @ gradient_columns(_g(v), hx, ops) @ gradient_columns(_f(v), ghx, ops)


derivation(
    id="walkthrough.chain-rule-gradient-of-three-maps",
    worksheet=WS001,
    location="1, eq. (1)",
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
        Step("$\\nabla_x f(g(h(x)))$ (complex-step derivative)", _true_grad3),
        Step(f"$({d('f', 'g')}{d('g', 'h')}{d('h', 'x')})^\\top$", _transposed_product, same),
        Step(f"$({d('h', 'x')})^\\top({d('g', 'h')})^\\top({d('f', 'g')})^\\top$", _product_of_transposes, same),
        Step("$\\nabla_x h\\,\\nabla_h g\\,\\nabla_g f$", _product_of_gradients, same),
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
    return jacobian(_f(v), _h(v)(v.x, ops), ops), jacobian(_h(v), v.x, ops)


def _true_grad2(v: Any, ops: Any) -> Any:
    return ops.T(jacobian(lambda x, o: _f(v)(_h(v)(x, o), o), v.x, ops))


def _sum_of_transposed_terms(v: Any, ops: Any) -> Any:
    Jf, Jg = _jacobians2(v, ops)
    return sum(ops.T(Jf[..., :, j : j + 1] * Jg[..., j : j + 1, :]) for j in range(Jf.shape[-1]))


def _sum_of_gradient_terms(v: Any, ops: Any, terms: int | None = None) -> Any:
    Jf, _ = _jacobians2(v, ops)
    grads = gradient_columns(_h(v), v.x, ops)  # column j is grad_x g_j
    return sum(grads[..., :, j : j + 1] * Jf[..., :, j : j + 1] for j in range(terms or Jf.shape[-1]))


derivation(
    id="walkthrough.chain-rule-sum-over-inner-components",
    worksheet=WS001,
    location="1, eq. (2)",
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
        Step("$\\nabla_x f(g(x))$ (complex-step derivative)", _true_grad2),
        Step(f"$\\sum_j ({d('f', 'g_j')}{d('g_j', 'x')})^\\top$", _sum_of_transposed_terms, same),
        Step("$\\sum_j \\nabla_x g_j\\,\\nabla_{g_j} f$", _sum_of_gradient_terms, same),
    ],
    mutant=Mutant(
        "only the j = 1 path: the sum over the components of g dropped",
        step=2,
        value=lambda v, ops: _sum_of_gradient_terms(v, ops, terms=1),
    ),
)


# ---------------------------------------------------------------- setup, (a), (b), (c)


@forall(
    id="walkthrough.vector-dimensions-fit-the-network",
    worksheet=WS001,
    location="1, setup",
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
    statement="$\\nabla_z \\ell = z - y \\in \\mathbb{R}^{d^{(2)}}$.",
    formalisation=(
        "for all V, W, x, y: z - y equals the derivative of 1/2 ||y - z||^2 in z (complex step) and the backward's "
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


def row_chain(v: Any, ops: Any, layer: str, drop_activation: bool) -> Any:
    """Rows dl/dw_j (1(d)) or dl/dv_j (1(f)) as the product of their three complex-step factors."""
    w = walk(v, ops)
    if layer == "W":
        inp, pre, upstream, M = w.h, w.b, jacobian(loss_of_z(v), w.z, ops), v.W
    else:
        inp, pre, upstream, M = w.x, w.a, jacobian(loss_of_h(v), w.h, ops), v.V
    activation = 1 if drop_activation else elementwise_derivative(sigmoid, pre, ops)  # dz_j/db_j or dh_j/da_j
    return col(upstream[..., 0, :] * activation) * own_row_derivative(M, inp, ops)  # times db_j/dw_j or da_j/dv_j


@forall(
    id="walkthrough.chain-rule-for-row-of-w",
    worksheet=WS001,
    location="1(d)",
    statement=(
        f"${d(ELL, 'w_j')} = {d(ELL, 'z_j')}\\cdot{d('z_j', 'b_j')}\\cdot{d('b_j', 'w_j')}$ for the row $w_j$ of W."
    ),
    formalisation=(
        "for all V, W, x, y and every j: row j of the backward's dl/dW equals dl/dz_j * dz_j/db_j * db_j/dw_j, "
        "each factor a complex-step derivative (no other z_i enters)."
    ),
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("the activation factor dz_j/db_j left out", drop_activation=True),
)
def chain_row_w(v: Any, ops: Any, drop_activation: bool = False) -> Any:
    return equal(row_chain(v, ops, "W", drop_activation), walk(v, ops).grads.dWs[1])


@forall(
    id="walkthrough.row-wj-reaches-only-bj-and-zj",
    worksheet=WS001,
    location="1(d)",
    statement=(
        f"The row $w_j$ of W enters only $b_j$ and $z_j$: ${d('b_i', 'w_j')} = {d('z_i', 'w_j')} = 0$ for $i \\ne j$."
    ),
    formalisation="for all V, W, x and all i != j: the complex-step derivatives of b_i and z_i in the row w_j vanish.",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("the same said of the rows v_j of V (they reach every z_i through h)", layer="V"),
)
def row_reaches_own_output(v: Any, ops: Any, layer: str = "W") -> Any:
    def b_and_z(V: Any, W: Any, o: Any) -> tuple[Any, Any]:
        b = o.matvec(W, o.sigmoid(o.matvec(V, v.x)))
        return b, o.sigmoid(b)

    if layer == "W":
        Jb, Jz = (by_entries(lambda P, o, k=k: b_and_z(v.V, P, o)[k], v.W, ops) for k in (0, 1))
    else:
        Jb, Jz = (by_entries(lambda P, o, k=k: b_and_z(P, v.W, o)[k], v.V, ops) for k in (0, 1))
    off = ~np.eye(Jb.shape[-3], Jb.shape[-2], dtype=bool)  # (output i, row j) with i != j
    if not off.any():  # a single output: no pair i != j, so true vacuously (the engine cannot compare empty arrays)
        return is_true(exact(True))
    return {"db_i/dw_j = 0": equal(Jb[..., off, :], 0), "dz_i/dw_j = 0": equal(Jz[..., off, :], 0)}


def _s_times_one_minus_s(v: Any, ops: Any, tanh_form: bool = False) -> Any:
    s = ops.sigmoid(walk(v, ops).b)
    return 1 - s * s if tanh_form else s * (1 - s)


derivation(
    id="walkthrough.sigmoid-derivative-at-output",
    worksheet=WS001,
    location="1(d)",
    statement=f"${d('z_j', 'b_j')} = s'(b_j) = s(b_j)(1 - s(b_j)) = z_j(1 - z_j)$.",
    formalisation="for all V, W, x and every j: the complex-step derivative of z_j = s(b_j) in b_j equals "
    "s(b_j)(1 - s(b_j)), which equals z_j(1 - z_j).",
    fact="sigmoid-derivative-s-times-one-minus-s",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    steps=[
        Step(
            "$s'(b_j)$ (complex-step derivative)", lambda v, ops: elementwise_derivative(sigmoid, walk(v, ops).b, ops)
        ),
        Step("$s(b_j)(1 - s(b_j))$", _s_times_one_minus_s, same),
        Step("$z_j(1 - z_j)$", lambda v, ops: walk(v, ops).z * (1 - walk(v, ops).z), same),
    ],
    mutant=Mutant(
        "the tanh form 1 - s(b_j)^2", step=1, value=lambda v, ops: _s_times_one_minus_s(v, ops, tanh_form=True)
    ),
)


@forall(
    id="walkthrough.db-dwj-is-h-transpose",
    worksheet=WS001,
    location="1(d)",
    statement=f"$b_j = w_j^\\top h$, so ${d('b_j', 'w_j')} = h^\\top$.",
    formalisation="for all V, W, x and every j: the complex-step derivative of b_j in the row w_j is the row h^T.",
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
        Step(f"$({d(ELL, 'z_j')} s(b_j)(1 - s(b_j)) h^\\top)^\\top$", _grad_wj_transposed_derivative, same),
        Step("$h\\, s(b_j)(1 - s(b_j))\\, \\nabla_{z_j}\\ell$", _grad_wj_formula, same),
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
        Step(f"rows ${d(ELL, 'z_j')} z_j(1 - z_j) h^\\top$", _grad_w_stacked_rows, same),
        Step("$\\Omega\\, \\nabla_z\\ell\\, h^\\top$", _omega_grad_z_h_t, same),
    ],
    mutant=Mutant(
        "transposed: h grad_z l^T Omega", step=2, value=lambda v, ops: _omega_grad_z_h_t(v, ops, transposed=True)
    ),
)


@forall(
    id="walkthrough.grad-w-shape-is-d2-by-d1",
    worksheet=WS001,
    location="1(d)",
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


# ---------------------------------------------------------------- (e) the gradient in h


def jacobians_e(v: Any, ops: Any) -> dict[str, Any]:
    """The four Jacobians of 1(e), each by the complex step at the forward values."""
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
    statement=(
        f"In ${d(ELL, 'h')} = {d(ELL, 'z')}{d('z', 'b')}{d('b', 'h')}$ the shapes are "
        "$1 \\times d^{(1)} = (1 \\times d^{(2)})(d^{(2)} \\times d^{(2)})(d^{(2)} \\times d^{(1)})$."
    ),
    formalisation="for all V, W, x, y: the complex-step Jacobians (rows = outputs) have exactly the stated shapes.",
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
    statement=f"${d(ELL, 'h')} = {d(ELL, 'z')}\\cdot{d('z', 'b')}\\cdot{d('b', 'h')}$.",
    formalisation=(
        "for all V, W, x, y: the product of the three complex-step Jacobians equals the complex-step Jacobian dl/dh "
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
        "equals the derivative dl/dh": same(J["dl/dh"], product, ops),
        "equals the backward's dl/dh": equal(product, row(walk(v, ops).grads.dX[1])),
    }


@forall(
    id="walkthrough.dz-db-is-omega",
    worksheet=WS001,
    location="1(e)",
    statement=f"${d('z', 'b')}$ is diagonal with the sigmoid derivative on its diagonal: it is $\\Omega$.",
    formalisation="for all V, W, x: the complex-step Jacobian of z = s(b) in b equals diag(z_j(1 - z_j)).",
    fact="sigmoid-jacobian-is-diagonal",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("diag(z_j) on the diagonal (the activation instead of its derivative)", wrong_diagonal=True),
)
def dz_db(v: Any, ops: Any, wrong_diagonal: bool = False) -> Any:
    w = walk(v, ops)
    return same(jacobian(sigmoid, w.b, ops), ops.diag(w.z) if wrong_diagonal else w.omega, ops)


@forall(
    id="walkthrough.db-dh-is-w",
    worksheet=WS001,
    location="1(e)",
    statement=f"${d('b', 'h')} = {d('(Wh)', 'h')} = W$.",
    formalisation="for all V, W, x: the complex-step Jacobian of b = Wh in h equals W (value and d2 x d1 shape).",
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("W^T instead of W", transpose=True),
)
def db_dh(v: Any, ops: Any, transpose: bool = False) -> Any:
    J = jacobian(lambda u, o: o.matvec(v.W, u), walk(v, ops).h, ops)
    return same(J, ops.T(v.W) if transpose else v.W, ops)


def _grad_h_formula(v: Any, ops: Any, with_omega: bool = True) -> Any:
    w = walk(v, ops)
    return ops.T(v.W) @ (w.omega @ col(w.gz) if with_omega else col(w.gz))


derivation(
    id="walkthrough.grad-h-is-w-transpose-omega-grad-z",
    worksheet=WS001,
    location="1(e)",
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
            same,
        ),
        Step("$W^\\top\\, \\Omega\\, \\nabla_z \\ell$", _grad_h_formula, same),
    ],
    mutant=Mutant(
        "Omega left out: W^T grad_z l", step=2, value=lambda v, ops: _grad_h_formula(v, ops, with_omega=False)
    ),
)


@forall(
    id="walkthrough.grad-h-shape-is-d1-by-1",
    worksheet=WS001,
    location="1(e)",
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
    statement=(
        f"${d(ELL, 'v_j')} = {d(ELL, 'h_j')}\\cdot{d('h_j', 'a_j')}\\cdot{d('a_j', 'v_j')}$ for the row $v_j$ of V."
    ),
    formalisation=(
        "for all V, W, x, y and every j: row j of the backward's dl/dV equals dl/dh_j * dh_j/da_j * da_j/dv_j, "
        "each factor a complex-step derivative."
    ),
    expected="holds",
    cases=NET_CASES,
    instances=one_hidden_layer,
    mutant=Mutant("the activation factor dh_j/da_j left out", drop_activation=True),
)
def chain_row_v(v: Any, ops: Any, drop_activation: bool = False) -> Any:
    return equal(row_chain(v, ops, "V", drop_activation), walk(v, ops).grads.dWs[0])


@forall(
    id="walkthrough.hidden-local-derivatives",
    worksheet=WS001,
    location="1(f)",
    statement=f"As for W: ${d('h_j', 'a_j')} = h_j(1 - h_j)$ and ${d('a_j', 'v_j')} = x^\\top$.",
    formalisation=(
        "for all V, x and every j: the complex-step derivatives of h_j = s(a_j) in a_j and of a_j = v_j^T x in the "
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
        Step(f"$({d(ELL, 'h_j')} h_j(1 - h_j) x^\\top)^\\top$", _grad_vj_transposed_derivative, same),
        Step("$x\\, h_j(1 - h_j)\\, \\nabla_{h_j}\\ell$", _grad_vj_formula, same),
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
        Step("rows $(\\nabla_{v_j}\\ell)^\\top$", lambda v, ops: ops.T(_grad_vj_formula(v, ops))[..., 0, :], same),
        Step("$\\Lambda\\, \\nabla_h\\ell\\, x^\\top$", _lambda_grad_h_x_t, same),
    ],
    mutant=Mutant(
        "transposed: x grad_h l^T Lambda", step=2, value=lambda v, ops: _lambda_grad_h_x_t(v, ops, transposed=True)
    ),
)


@forall(
    id="walkthrough.grad-v-shape-is-d1-by-d0",
    worksheet=WS001,
    location="1(f)",
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
    statement=(
        "With learning rate $\\alpha$: $V \\leftarrow V - \\alpha \\nabla_V \\ell$ and"
        " $W \\leftarrow W - \\alpha \\nabla_W \\ell$."
    ),
    formalisation=(
        "for all V, W, x, y: d/dalpha l(V - alpha grad_V l, W - alpha grad_W l) at alpha = 0 equals "
        "-(||grad_V l||^2 + ||grad_W l||^2) < 0 (complex-step derivative), so the update is a step along the "
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
