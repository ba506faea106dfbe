"""Why logistic regression may start from w = 0: no hidden units to keep symmetric, and a convex loss.

000 1(d), 001 2(f) and 004 2(g), on ``models.logistic``: J(w) = sum_i softplus(-s_i w^T x_i) with
s_i = 2 y_i - 1, the negative log likelihood. "Any starting point leads to the global optimum" needs
a global optimum: for separable data J has none, so it is checked with exact certificates on
integer data (a separating direction d, or positive weights lam with sum_i lam_i s_i x_i = 0).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from claims.engine import Erratum, Mutant, at_most, differ, equal, exact, exists, forall, is_true, lt, not_checkable, st
from claims.strategies import grid, labels, reals
from claims.worksheets import WS000, WS001, WS004
from models import fcnet, logistic

CASES = grid(n=range(1, 7), dim=range(1, 4))
WIDE = grid(n=range(1, 7), dim=range(2, 4))


# |entries| <= ENTRY_BOUND keeps every score |w^T x| <= 3 ENTRY_BOUND^2 = 19,200 (dim <= 3): the model
# writes J as (1 - y) u + log(1 + e^-u), two terms of size |u| that agree to e^-|u| for a correctly
# classified example; the twin resolves that with about |u|/ln 2 bits, within its cap of 32,768 bits
# up to |u| of about 22,000.
ENTRY_BOUND = 80.0
SCORE_LIMIT = (
    " Entries of X, w, u drawn with edges in [-80, 80], so |w^T x| <= 19,200: beyond, J(w), a difference of terms "
    "of size |w^T x| that agree to e^-|w^T x|, needs more than the twin's 32,768 bits (9,864 digits) to decide."
)


def real_data(case: Any, rng: np.random.Generator, n: int, limit: float = ENTRY_BOUND) -> dict[str, np.ndarray]:
    """Examples X (n x dim), 0/1 labels, weights w, a second point u, lam in [0, 1] and eta > 0, edges included."""
    bound = {"low": -limit, "high": limit}
    return {
        "X": reals(rng, n, case.n, case.dim, **bound),
        "y": labels(rng, n, case.n),
        "w": reals(rng, n, case.dim, **bound),
        "u": reals(rng, n, case.dim, **bound),
        "lam": reals(rng, n, low=0.0, high=1.0),
        "eta": reals(rng, n, low=0.0, open_low=True),
    }


def any_data(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """As ``real_data`` with unbounded entries, for claims that never evaluate J."""
    return real_data(case, rng, n, limit=float("inf"))


def signed(v: Any) -> Any:
    """z_i = s_i x_i with s_i = 2 y_i - 1: J(w) = sum_i softplus(-z_i^T w)."""
    return (2 * v.y - 1)[..., None] * v.X


# ---------------------------------------------------------------- the net view and the first step from 0


@forall(
    id="zero-init.ws004.logistic-regression-is-a-net-without-hidden-layer",
    worksheet=WS004,
    location="2(g)",
    quote="Logistic regression is a fully-connected neural network with one output node and zero hidden layers",
    statement=r"Logistic regression is a fully connected net with one (sigmoid) output node and no hidden layer.",
    formalisation="for all w, X, y: J(w) == sum_i cross-entropy of the net z = s(w^T x_i), and grad J(w) == sum_i its backprop gradient." + SCORE_LIMIT,
    fact="logistic-regression-is-a-net-without-hidden-layer",
    expected="holds",
    cases=CASES,
    instances=real_data,
    mutant=Mutant("the net trained on the squared error instead", loss="half_sq"),
)
@forall(
    id="zero-init.ws001.logistic-regression-is-a-net-without-hidden-layer",
    worksheet=WS001,
    location="2(f)",
    quote="Logistic regression is a fully-connected neural network with one output node and zero hidden layers",
    statement=r"Logistic regression is a fully connected net with one (sigmoid) output node and no hidden layer.",
    formalisation="for all w, X, y: J(w) == sum_i cross-entropy of the net z = s(w^T x_i), and grad J(w) == sum_i its backprop gradient." + SCORE_LIMIT,
    fact="logistic-regression-is-a-net-without-hidden-layer",
    expected="holds",
    cases=CASES,
    instances=real_data,
    mutant=Mutant("the net trained on the squared error instead", loss="half_sq"),
)
@forall(
    id="zero-init.ws000.logistic-regression-is-a-net-without-hidden-layer",
    worksheet=WS000,
    location="1(d)",
    quote="Logistic regression can be viewed as a neural network with one output node and zero hidden layers.",
    statement=r"Logistic regression can be seen as a net with one output node and zero hidden layers.",
    formalisation="for all w, X, y: J(w) == sum_i cross-entropy of the net z = s(w^T x_i), and grad J(w) == sum_i its backprop gradient." + SCORE_LIMIT,
    fact="logistic-regression-is-a-net-without-hidden-layer",
    expected="holds",
    cases=CASES,
    instances=real_data,
    mutant=Mutant("the net trained on the squared error instead", loss="half_sq"),
)
def logistic_is_a_net(v: Any, ops: Any, loss: str = "logistic") -> dict[str, Any]:
    # One weight row (1 x dim), broadcast over the examples axis; the labels become 1-vectors.
    net = fcnet.Net((np.asarray(v.w)[..., None, None, :],), output="sigmoid", loss=loss)
    y = v.y[..., None]
    per_example = fcnet.loss(net, v.X, y, ops)
    grads = fcnet.backward(net, v.X, y, ops).dWs[0][..., 0, :]
    return {
        "J(w) = sum of the net's losses": equal(ops.sum(per_example), logistic.nll(v.w, v.X, v.y, ops)),
        "grad J(w) = sum of the net's gradients": equal(ops.sum(ops.T(grads)), logistic.grad(v.w, v.X, v.y, ops)),
    }


def _step_from_zero(v: Any, ops: Any) -> Any:
    return logistic.gd_step(np.asarray(v.w) * 0, v.X, v.y, v.eta, ops)


@forall(
    id="zero-init.ws000.first-step-from-zero-depends-on-inputs",
    worksheet=WS000,
    location="1(d)",
    quote="the gradient depends on the input",
    statement=r"From $w = 0$ the gradient depends on the inputs: one step gives $w_k = \eta\sum_i (y_i - \tfrac12)\,x_{ik}$.",
    formalisation="for all real X, y, eta > 0 (a step size): gd_step(0) == eta X^T (y - 1/2) (as s(0) = 1/2).",
    expected="holds",
    cases=CASES,
    instances=any_data,
    mutant=Mutant("the sign of the residual flipped: eta X^T (1/2 - y)", sign=-1),
)
def first_step_from_zero(v: Any, ops: Any, sign: int = 1) -> Any:
    stated = sign * np.asarray(v.eta)[..., None] * ops.matvec(ops.T(v.X), v.y - ops.asarray(0.5))
    return equal(_step_from_zero(v, ops), stated)


@exists(
    id="zero-init.ws004.zero-init-weights-become-different",
    worksheet=WS004,
    location="2(g)",
    quote="Note that for logistic regression, we don’t run into this issue",
    statement=r"Logistic regression does not run into the symmetry problem: from $w = 0$ the weights become different.",
    formalisation="there exist X, y, eta (dim >= 2) such that one GD step from w = 0 gives w_k != w_1 for some k.",
    fact="logistic-zero-init-weights-become-different",
    expected="witnessed",
    cases=WIDE,
    instances=any_data,
    mutant=Mutant("a step without the input factor x_ik: w_k = -eta sum_i (s(0) - y_i)", with_inputs=False),
)
@exists(
    id="zero-init.ws000.zero-init-weights-updated-differently",
    worksheet=WS000,
    location="1(d)",
    quote="our weights will be updated differently",
    statement=r"From $w = 0$ the weights are updated differently, since the gradient depends on inputs that differ across dimensions.",
    formalisation="there exist X, y, eta (dim >= 2) such that one GD step from w = 0 gives w_k != w_1 for some k.",
    fact="logistic-zero-init-weights-become-different",
    expected="witnessed",
    cases=WIDE,
    instances=any_data,
    mutant=Mutant("a step without the input factor x_ik: w_k = -eta sum_i (s(0) - y_i)", with_inputs=False),
)
def zero_init_weights_differ(v: Any, ops: Any, with_inputs: bool = True) -> Any:
    w = _step_from_zero(v, ops)
    if not with_inputs:
        residual = ops.sum(ops.sigmoid(v.y * 0) - v.y)
        w = -np.asarray(v.eta * residual)[..., None] * np.ones(v.dim, int)
    return differ(w, np.asarray(w)[..., :1])


# ---- the same statements as the worksheets make them: for every data set (universal)


def structured_data(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Data with features 1 and 2 generic, duplicated (x_i2 = x_i1) or mirrored (the examples come in pairs, the
    second with features 1 and 2 swapped and the same label), labels, eta > 0 and weights u (a second point)."""
    half = rng.normal(size=(n, case.pairs, case.dim))
    y = labels(rng, n, case.pairs)
    if case.structure == "mirrored":
        swapped = half.copy()
        swapped[..., [0, 1]] = half[..., [1, 0]]
        X, y = np.concatenate([half, swapped], axis=1), np.concatenate([y, y], axis=1)
    else:
        X = np.concatenate([half, rng.normal(size=half.shape)], axis=1)
        y = np.concatenate([y, labels(rng, n, case.pairs)], axis=1)
        if case.structure == "duplicated":
            X[..., 1] = X[..., 0]
    return {"X": X, "y": y, "eta": reals(rng, n, low=0.0, high=4.0, open_low=True)}


def structure_cases(*structures: str, steps: tuple[int, ...] = (1,)) -> st.SearchStrategy:
    return grid(pairs=range(1, 3), dim=range(2, 4), structure=list(structures), steps=list(steps))


def _steps_from_zero(v: Any, ops: Any, steps: int) -> Any:
    w = np.asarray(v.X)[..., 0, :] * 0
    for _ in range(steps):
        w = logistic.gd_step(w, v.X, v.y, v.eta, ops)
    return w


def weights_differ_after_step_from_zero(v: Any, ops: Any) -> Any:
    """Every data set: one step from w = 0 leaves some w_k different from w_1."""
    w = _steps_from_zero(v, ops, 1)
    return differ(w, np.asarray(w)[..., :1])


UNIVERSAL_FORMALISATION = (
    "for all data X (2m examples, dim >= 2 features), labels y in {0,1} and eta > 0: one GD step from w = 0 gives "
    "w_k != w_1 for some k. Drawn so that the domain's special structures occur: features 1 and 2 generic, "
    "duplicated, or exchanged by a pairing of the examples (mirrored)"
)
UNIVERSAL_CORRECTION = "zero-init.ws{}.weights-from-zero-tie-only-where-the-data-tie"


@forall(
    id="zero-init.ws000.zero-init-weights-always-updated-differently",
    worksheet=WS000,
    location="1(d)",
    quote="our weights will be updated differently because the gradient depends on the input and the input is different across dimensions",
    statement=(
        r"From $w = 0$ the weights of logistic regression are always updated differently, since the gradient depends "
        r"on the inputs and the inputs differ across dimensions."
    ),
    formalisation=UNIVERSAL_FORMALISATION + "; the features are never identical (the inputs differ across dimensions).",
    fact="logistic-zero-init-weights-always-become-different",
    expected="refuted",
    cases=structure_cases("generic", "mirrored"),
    instances=structured_data,
    erratum=Erratum(
        r"One step from 0 gives $w_k - w_l = \eta\sum_i (y_i - \frac12)(x_{ik} - x_{il})$, which vanishes although the "
        r"inputs differ across dimensions when the data pair each example with one whose dimensions $k, l$ are swapped "
        r"(same label); such weights, and those of duplicated features, stay equal at every iteration.",
        corrected_by=UNIVERSAL_CORRECTION.format("000"),
        replacement=(
            "our weights will be updated differently (unless two dimensions are exchangeable in the data, e.g. "
            "duplicated: their weights stay equal) because the gradient depends on the input and the input is "
            "different across dimensions"
        ),
    ),
)
def ws000_weights_always_differ(v: Any, ops: Any) -> Any:
    return weights_differ_after_step_from_zero(v, ops)


@forall(
    id="zero-init.ws004.zero-init-never-runs-into-symmetry",
    worksheet=WS004,
    location="2(g)",
    quote="for logistic regression, we don’t run into this issue",
    statement=r"Logistic regression never runs into the symmetry problem: from $w = 0$ the weights always become different.",
    formalisation=UNIVERSAL_FORMALISATION + ".",
    fact="logistic-zero-init-weights-always-become-different",
    expected="refuted",
    cases=structure_cases("generic", "duplicated", "mirrored"),
    instances=structured_data,
    erratum=Erratum(
        r"One step from 0 gives $w_k - w_l = \eta\sum_i (y_i - \frac12)(x_{ik} - x_{il})$: the weights of duplicated "
        r"features (or of features exchanged by a pairing of the examples) start equal and stay equal at every "
        r"iteration, the symmetry the worksheet says logistic regression escapes.",
        corrected_by=UNIVERSAL_CORRECTION.format("004"),
        replacement=(
            "for logistic regression, we don’t run into this issue, except that features exchangeable in the data "
            "(e.g. duplicated) keep equal weights"
        ),
        contestable=(
            "the other reading: 'this issue' is hidden units that compute the same function, which a net with one "
            "output unit and no hidden layer cannot have; read so, the sentence holds"
        ),
    ),
)
def ws004_weights_always_differ(v: Any, ops: Any) -> Any:
    return weights_differ_after_step_from_zero(v, ops)


TIE_CORRECTION = dict(
    statement=(
        r"Correction: one step from $w = 0$ gives $w_k - w_l = \eta\sum_i (y_i - \frac12)(x_{ik} - x_{il})$, so the "
        r"weights are updated differently unless these sums vanish; features exchangeable in the data (duplicated, or "
        r"swapped by a pairing of the examples) keep equal weights at every iteration."
    ),
    formalisation=(
        "for all data (generic, duplicated or mirrored features 1 and 2, as drawn above), labels, eta > 0: after one GD "
        "step from 0, w_k - w_1 == eta sum_i (y_i - 1/2)(x_ik - x_i1) for every k; and for duplicated or mirrored "
        "features, w_1 == w_2 after t in {1, 2} steps (each step decided by the twin where float64 summation order leaves a mirrored tie unclear; t beyond costs the ci budget, and the tie at every t follows from the exchange symmetry of the data)."
    ),
    expected="holds",
    cases=structure_cases("generic", "duplicated", "mirrored", steps=(1, 2)),
    instances=structured_data,
    mutant=Mutant("generic features said to stay tied as well", always_tied=True),
)


@forall(
    id="zero-init.ws004.weights-from-zero-tie-only-where-the-data-tie",
    worksheet=WS004,
    location="2(g)",
    quote="we don’t run into this issue",
    **TIE_CORRECTION,
)
@forall(
    id="zero-init.ws000.weights-from-zero-tie-only-where-the-data-tie",
    worksheet=WS000,
    location="1(d)",
    quote="the input is different across dimensions",
    **TIE_CORRECTION,
)
def weights_tie_only_where_data_tie(v: Any, ops: Any, always_tied: bool = False) -> dict[str, Any]:
    w1 = _steps_from_zero(v, ops, 1)
    per_feature = np.asarray(v.eta)[..., None] * ops.matvec(ops.T(v.X), v.y - ops.asarray(0.5))  # eta sum_i (y_i - 1/2) x_ik
    out = {"w_k - w_1 = eta sum_i (y_i - 1/2)(x_ik - x_i1)": equal(w1 - w1[..., :1], per_feature - per_feature[..., :1])}
    if v.structure != "generic" or always_tied:
        wt = _steps_from_zero(v, ops, v.steps)
        out[f"w_1 = w_2 after {v.steps} steps"] = equal(wt[..., 0], wt[..., 1])
    return out


not_checkable(
    id="zero-init.ws000.one-output-nothing-to-be-equal",
    worksheet=WS000,
    location="1(d)",
    quote="there is no issue with the outputs being the same",
    statement="With a single output node there is no issue of the outputs being the same.",
    reason=(
        "With one output there is no set of units to be symmetric; the precise content is the net view and the "
        "first step from 0 (zero-init.ws000.logistic-regression-is-a-net-without-hidden-layer, "
        "zero-init.ws000.zero-init-weights-updated-differently)."
    ),
)


# ---------------------------------------------------------------- convexity


CONVEX = dict(
    formalisation=(
        "for all a, b, lam in [0, 1], X, y, u: J(lam a + (1 - lam) b) <= lam J(a) + (1 - lam) J(b), and u^T (Hessian of J at a) u >= 0."
        + SCORE_LIMIT
    ),
    fact="logistic-loss-convex",
    expected="holds",
    cases=CASES,
    instances=real_data,
    mutant=Mutant("the inequality flipped (concave)", flipped=True),
)


@forall(
    id="zero-init.ws004.logistic-loss-is-convex",
    worksheet=WS004,
    location="2(g)",
    quote="in logistic regression, the loss function is convex",
    statement=r"In logistic regression the loss $J(\mathbf w)$ is convex.",
    **CONVEX,
)
@forall(
    id="zero-init.ws001.logistic-loss-is-convex",
    worksheet=WS001,
    location="2(f)",
    quote="in logistic regression, the loss function is convex",
    statement=r"In logistic regression the loss $J(\mathbf w)$ is convex.",
    **CONVEX,
)
def logistic_loss_is_convex(v: Any, ops: Any, flipped: bool = False) -> dict[str, Any]:
    lam, a, b = np.asarray(v.lam), v.w, v.u

    def J(w: Any) -> Any:
        return logistic.nll(w, v.X, v.y, ops)

    mid, chord = J(lam[..., None] * a + (1 - lam[..., None]) * b), lam * J(a) + (1 - lam) * J(b)
    curvature = ops.sum(v.u * ops.matvec(logistic.hessian(a, v.X, v.y, ops), v.u))
    if flipped:
        return {"chord below the loss": at_most(chord, mid), "u^T H u <= 0": at_most(curvature, 0)}
    return {"loss below the chord": at_most(mid, chord), "u^T H u >= 0": at_most(0, curvature)}


# ---------------------------------------------------------------- the global optimum


def integer_data(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Integer data that are separable (with a separating d) or overlapping (with lam > 0, sum lam_i z_i = 0)."""
    m, dim = case.n, case.dim
    d = rng.integers(-2, 3, (n, dim))
    d[np.all(d == 0, axis=1), 0] = 1
    lam = rng.integers(1, 3, (n, m))
    if case.separable:
        X = rng.integers(-3, 4, (n, m, dim))
        X = np.where((np.einsum("nmk,nk->nm", X, d) == 0)[..., None], X + d[:, None, :], X)
        y = (np.einsum("nmk,nk->nm", X, d) > 0).astype(int)
        lam = lam * 0
    else:
        z = rng.integers(-2, 3, (n, m, dim))
        z[np.all(z[:, :-1] == 0, axis=(1, 2)), 0, 0] = 1  # a non-zero example besides the last
        lam[:, -1] = 1  # the last example balances the others: sum_i lam_i z_i = 0
        z[:, -1] = -np.einsum("nm,nmk->nk", lam[:, :-1], z[:, :-1])
        y = rng.integers(0, 2, (n, m))
        X = (2 * y - 1)[..., None] * z
        d = d * 0
    start = rng.normal(size=(n, dim)) * (case.start == "random")
    return {"X": X.astype(float), "y": y.astype(float), "d": d.astype(float), "lam": lam.astype(float), "w0": start}


def _certificates(v: Any, ops: Any) -> tuple[Any, Any, Any]:
    """(separated, balanced, margins): exact integer checks of the two certificates."""
    z = signed(v)
    margins = ops.matvec(z, v.d)
    separated = np.all(np.asarray(margins > 0, bool), axis=-1)
    balance = ops.matvec(ops.T(z), v.lam)
    balanced = np.all(np.asarray(v.lam > 0, bool), axis=-1) & np.all(np.asarray(balance == 0, bool), axis=-1)
    return separated, balanced, margins


def _descent_along(v: Any, ops: Any) -> dict[str, Any]:
    """What a reader needs: d^T grad J(w0) and J at w0, w0 + d, w0 + 10 d (falling towards 0 when d separates)."""
    d, w0 = v.d, v.w0
    path = [logistic.nll(w0 + t * d, v.X, v.y, ops) for t in (0, 1, 10)]
    return {"d^T grad J(w0)": ops.sum(d * logistic.grad(w0, v.X, v.y, ops)), "J(w0), J(w0 + d), J(w0 + 10 d)": np.stack(path, -1)}


def has_global_minimiser(v: Any, ops: Any) -> dict[str, Any]:
    """J attains its minimum: decided by whichever certificate the instance carries (exactly one holds)."""
    separated, balanced, margins = _certificates(v, ops)
    shown = {"s_i d^T x_i": margins, **_descent_along(v, ops)}
    return {
        "one certificate holds": is_true(exact(separated ^ balanced)),
        "J attains a global minimum": is_true(exact(balanced), show=shown),
    }


OPTIMUM_EXPLANATION = (
    r"For linearly separable data (some $d$ with $s_i d^\top x_i > 0$ for all $i$) $J$ has no minimiser: "
    r"$d^\top\nabla J(w) < 0$ at every $w$, $J(w + t d) \to 0 = \inf J$ is never attained, and $\|w_t\| \to \infty$. "
    r"Correct: if the data are not separable (positive $\lambda$ with $\sum_i \lambda_i s_i x_i = 0$), $J$ has a global "
    r"minimiser and gradient descent from any start, 0 included, with $0 < \eta < 2/L$ reaches the minimum value."
)


def optimum_erratum(replacement: str, contestable: str | None = None) -> Erratum:
    """The shared explanation, with the words to write instead of each claim's own quote."""
    return Erratum(
        OPTIMUM_EXPLANATION,
        corrected_by="zero-init.gd-converges-to-global-minimum-on-non-separable-data",
        replacement=replacement,
        contestable=contestable,
    )


ANY_START = r"Any starting point should lead us to the global optimum."
ANY_START_FIXED = (
    r"If the data are not linearly separable, any starting point should lead us to the global optimum "
    r"(on separable data there is none: the weights grow without bound)."
)

OPTIMUM_FORMALISATION = (
    "for all data (X, y) and starts w0 (in particular 0), J has a global minimiser and GD from w0 converges to it. "
    "Checked on its necessary part, decided exactly on integer data: separable data (certified by d with s_i d^T x_i > 0 "
    "for all i, so d^T grad J(w) < 0 everywhere) have no minimiser; overlapping data (lam > 0, sum_i lam_i s_i x_i = 0) have one."
)


def optimum_cases(start: str) -> st.SearchStrategy:
    return grid(n=range(1, 6), dim=range(1, 4), separable=[False, True], start=[start])


for _id, _ws, _loc, _start, _text, _quote, _erratum in (
    ("ws001.any-start-reaches-global-optimum", WS001, "2(f)", "random", r"Since the loss is convex, any starting point leads gradient descent to the global optimum.",
     ANY_START, optimum_erratum(ANY_START_FIXED)),
    ("ws004.any-start-reaches-global-optimum", WS004, "2(g)", "random", r"Since the loss is convex, any starting point leads gradient descent to the global optimum.",
     ANY_START, optimum_erratum(ANY_START_FIXED)),
    ("ws004.gd-from-zero-finds-optimal-weights", WS004, "2(g)", "zero", r"Gradient descent finds the optimal weights of logistic regression even from $w = 0$.",
     r"gradient descent will find the optimal values of the weights even if we initialize them at 0",
     optimum_erratum(
         r"gradient descent will find the optimal values of the weights even if we initialize them at 0, "
         r"provided the data are not linearly separable (otherwise no optimal weights exist)"
     )),
    ("ws001.zero-init-allowed-in-logistic-regression", WS001, "2, introduction", "zero",
     r"In logistic regression all weights may be initialised to 0: gradient descent from $w = 0$ still reaches the optimal weights.",
     r"In logistic regression we were able to initialize all weights as 0.",
     optimum_erratum(
         r"In logistic regression we were able to initialize all weights as 0 (if the data are not linearly "
         r"separable, gradient descent from 0 still reaches the optimum).",
         contestable=(
             "the other reading: a zero start causes logistic regression no symmetry problem (it has no hidden units "
             "to keep equal); read so, the sentence makes no claim about reaching an optimum, and the first step from "
             "0, eta X^T (y - 1/2), depends on the inputs (zero-init.ws000.first-step-from-zero-depends-on-inputs)"
         ),
     )),
):
    forall(
        id=f"zero-init.{_id}",
        worksheet=_ws,
        location=_loc,
        quote=_quote,
        statement=_text,
        formalisation=OPTIMUM_FORMALISATION,
        fact="logistic-gd-reaches-global-optimum",
        expected="refuted",
        cases=optimum_cases(_start),
        instances=integer_data,
        erratum=_erratum,
    )(has_global_minimiser)


def overlapping_data(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Non-separable integer data with their certificate lam, any point w, and eta = fraction * 2/L."""
    out = integer_data(case, rng, n)
    L = np.sum(out["X"] ** 2, axis=(1, 2)) / 4
    # sum_k |z_ik| <= 40 for this data, so |w_k| <= 300 keeps every score |z_i^T w| <= 12,000 (see the formalisation).
    out["w"] = reals(rng, n, case.dim, low=-300.0, high=300.0)
    eta = reals(rng, n, low=0.0, high=1.0, open_low=True, open_high=True) * (2 / L)
    # A subnormal fraction times 2/L can round to 0, and one near 1 up to 2/L: keep eta inside (0, 2/L).
    out["eta"] = np.clip(eta, 5e-324, np.nextafter(2 / L, 0))
    return out


@forall(
    id="zero-init.gd-converges-to-global-minimum-on-non-separable-data",
    worksheet=WS004,
    location="2(g)",
    quote="Any starting point should lead us to the global optimum.",
    statement=(
        r"Correction: if the data are not separable, $J$ has a global minimiser and gradient descent from any start "
        r"(0 included) with $0 < \eta < 2/L$, $L = \|X\|_F^2/4$, converges to the minimum value."
    ),
    formalisation=(
        "Non-separable data: lam > 0 with sum_i lam_i z_i = 0 (z_i = s_i x_i; by Stiemke's lemma no d has z_i^T d >= 0 for "
        "all i with one > 0). For every point w (any iterate) and 0 < eta < 2/L: (i) J(w - eta grad J(w)) <= J(w) - "
        "eta (1 - L eta / 2) |grad J(w)|^2, so by induction J falls at every iteration and sum_t |grad J(w_t)|^2 < inf; "
        "(ii) J(w) >= sum_i lam_i |z_i^T w| / (4 max lam) (J > sum_i max(-z_i^T w, 0) >= sum_i lam_i |z_i^T w| / (2 max lam), "
        "the lam-weighted positive and negative parts of z_i^T w being equal; the looser 1/4 keeps the gap decidable), a norm on "
        "span(z_i), which the iterates from 0 never leave: "
        "the iterates stay bounded, a minimiser exists, and every limit point is stationary, hence (J convex) a global "
        "minimiser. No iteration cap: both are one-step facts for every w. w drawn with edges in [-300, 300], so "
        "|z_i^T w| <= 12,000 (sum_k |z_ik| <= 40 here): beyond, J(w) needs more than the twin's 32,768 bits (9,864 digits) to decide."
    ),
    fact="logistic-gd-reaches-global-optimum",
    expected="holds",
    cases=grid(n=range(2, 6), dim=range(1, 4), separable=[False], start=["zero"]),
    instances=overlapping_data,
    mutant=Mutant("the coercivity bound with 1/max lam in place of 1/(4 max lam)", factor=1.0),
)
def gd_converges_on_non_separable_data(v: Any, ops: Any, factor: float = 0.25) -> dict[str, Any]:
    X, y, w, eta = v.X, v.y, v.w, np.asarray(v.eta)
    L = ops.sum(ops.sum(X * X)) / 4
    g = logistic.grad(w, X, y, ops)
    decrease = logistic.nll(w, X, y, ops) - eta * (1 - L * eta / 2) * ops.sum(g * g)
    norm = ops.sum(v.lam * ops.abs(ops.matvec(signed(v), w))) / ops.max(v.lam, axis=-1)
    return {
        "data not separable (sum_i lam_i z_i = 0, lam > 0)": is_true(exact(_certificates(v, ops)[1])),
        "0 < eta < 2/L": is_true(lt(0, eta) & lt(eta, 2 / L)),
        "descent: J(w - eta grad) <= J(w) - eta (1 - L eta/2) |grad|^2": at_most(logistic.nll(logistic.gd_step(w, X, y, eta, ops), X, y, ops), decrease),
        "coercive: J(w) >= sum_i lam_i |z_i^T w| / (4 max lam)": at_most(factor * norm, logistic.nll(w, X, y, ops)),
    }
