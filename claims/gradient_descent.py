"""Gradient descent on L(w1, w2) = 1/2 (a w1^2 + b w2^2): gradient, update, convergence, slow rate (003 part 2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from claims.engine import (
    Cmp,
    Erratum,
    Mutant,
    Step,
    derivation,
    equal,
    exact,
    forall,
    ge,
    gt,
    is_true,
    lt,
    not_checkable,
    st,
)
from claims.engine.relations import Relation
from claims.worksheets import WS003
from models import quadratic

# Learning rates are drawn as a fraction of 2/max(a, b), with the boundary itself, and values
# one rounding away from it, drawn often: exactly where float64 cannot decide. Each such instance
# is settled by the mpmath twin, so a batch holds a few at the drawn fraction and spreads the rest.
FRACTIONS = st.one_of(
    st.sampled_from([0.25, 0.5, 0.75, 1.0, 1.0 - 2.0**-40, 1.0 + 2.0**-40, 1.25]),
    st.floats(0.0, 1.6, allow_nan=False),
)
AT_DRAWN_FRACTION = 4


def problems(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Curvatures a, b > 0 (powers of two in 'exact' cases, so ties are exact), eta, and w(0).

    The first AT_DRAWN_FRACTION instances use the case's fraction; the others one uniform in [0, 1.6].
    """
    if case.exact_ties:
        a, b = 2.0 ** rng.integers(-3, 4, n), 2.0 ** rng.integers(-3, 4, n)
    else:
        a, b = 10 ** rng.uniform(-2, 2, n), 10 ** rng.uniform(-2, 2, n)
    fraction = np.where(np.arange(n) < AT_DRAWN_FRACTION, case.fraction, rng.uniform(0, 1.6, n))
    eta = fraction * 2 / np.maximum(a, b)
    return {"a": a, "b": b, "eta": eta, "w0": rng.normal(size=(n, 2)) + 0.5, "fraction": fraction}


CASES = st.fixed_dictionaries({"fraction": FRACTIONS, "exact_ties": st.booleans()})


def _converges(v: Any, ops: Any) -> Any:
    """GD from w0 (both coordinates non-zero) converges iff |rho_i| < 1 for both factors.

    float64 screens the comparison; a close call goes to the twin, where 1 - c eta of two
    doubles is exact at 60 digits, so the decision is exact there (as models.quadratic.converges).
    """
    rho = quadratic.factors(v.a, v.b, v.eta, ops)
    return lt(ops.abs(rho[..., 0]), 1) & lt(ops.abs(rho[..., 1]), 1)


def _shown(v: Any, ops: Any, bound: Any, converges: Cmp) -> dict[str, Any]:
    """What a reader needs: the factors rho, whether GD converges, and the stated bound on eta."""
    return {"rho": quadratic.factors(v.a, v.b, v.eta, ops), "converges": converges.value, "eta_bound": bound}


@forall(
    id="gd.converges-iff-eta-below-2-over-max-curvature",
    worksheet=WS003,
    location="2.3",
    quote=r"If we want the gradient descent converge, we need to meet this requirement:",
    statement=(
        "For $a, b > 0$, gradient descent on $\\frac12(a w_1^2 + b w_2^2)$ from $w(0)$ with both "
        "coordinates non-zero converges to the minimiser iff $0 < \\eta < 2/\\max(a, b)$."
    ),
    formalisation="converges(a, b, eta, w0) <=> 0 < eta < 2/max(a,b), convergence decided exactly as |1 - c eta| < 1 per coordinate.",
    fact="gd-quadratic-convergence-condition",
    expected="holds",
    cases=CASES,
    instances=problems,
    # Bounds just either side of 2/max(a, b) are caught only if the learning rates reach the boundary.
    mutant=[
        Mutant("a wrong constant: 1/max(a,b) instead of 2/max(a,b)", numerator=1.0),
        Mutant("a bound just below: 1.99/max(a,b)", numerator=1.99),
        Mutant("a bound just above: 2.01/max(a,b)", numerator=2.01),
    ],
)
def gd_converges_iff(v: Any, ops: Any, numerator: float = 2.0) -> Any:
    bound = numerator / ops.maximum(v.a, v.b)
    condition = lt(0, v.eta) & lt(v.eta, bound)
    converges = _converges(v, ops)
    return is_true(converges.iff(condition), show=_shown(v, ops, bound, converges))


@forall(
    id="gd.convergence-requires-eta-below-min-reciprocal-curvature",
    worksheet=WS003,
    location="2.3",
    quote=r"0 < \eta < \min(\frac{1}{a}, \frac{1}{b})",
    statement=(
        "Gradient descent on $\\frac12(a w_1^2 + b w_2^2)$ converges only if "
        "$0 < \\eta < \\min(1/a, 1/b)$ (the worksheet's requirement $0 < 1 - a\\eta < 1$ per coordinate)."
    ),
    formalisation="converges(a, b, eta, w0) => 0 < eta < min(1/a, 1/b).",
    fact="gd-quadratic-convergence-condition",
    expected="refuted",
    cases=CASES,
    instances=problems,
    erratum=Erratum(
        "Convergence needs $|1 - a\\eta| < 1$, not $0 < 1 - a\\eta < 1$: a negative factor also "
        "contracts (oscillating), so GD converges exactly for $0 < \\eta < 2/\\max(a, b)$.",
        corrected_by="gd.converges-iff-eta-below-2-over-max-curvature",
        replacement=r"0 < \eta < \min(\frac{2}{a}, \frac{2}{b})",
    ),
)
def gd_requires_min_reciprocal(v: Any, ops: Any) -> Any:
    bound = ops.minimum(1 / v.a, 1 / v.b)
    condition = lt(0, v.eta) & lt(v.eta, bound)
    converges = _converges(v, ops)
    return is_true(converges.implies(condition), show=_shown(v, ops, bound, converges))


# ---------------------------------------------------------------- 2.1 the gradient and the minimum


def _w1(v: Any) -> Any:
    """w1(0) of each instance (a scalar, not a 0-d array, for one mpmath instance: much faster)."""
    return v.w0[..., 0][()]


def _w2(v: Any) -> Any:
    return v.w0[..., 1][()]


derivation(
    id="gd.quadratic-gradient-is-a-w1-b-w2",
    worksheet=WS003,
    location="2.1",
    quote=r"\frac{\partial L}{\partial w_1} = 2 * 0.5 * aw_1 = aw_1",
    statement=(
        "For $L = 0.5(a w_1^2 + b w_2^2)$: $\\partial L/\\partial w_1 = 2 \\cdot 0.5\\, a w_1 = a w_1$ and "
        "$\\partial L/\\partial w_2 = 2 \\cdot 0.5\\, b w_2 = b w_2$, so $\\nabla L = [a w_1, b w_2]$."
    ),
    formalisation="for all a, b, w: each line equals the previous one; the first is grad L from models.quadratic (checked against mpmath.diff).",
    expected="holds",
    cases=CASES,
    instances=problems,
    steps=[
        Step("$\\nabla L(w_1, w_2)$ (models.quadratic)", lambda v, ops: quadratic.grad(v.w0, v.a, v.b, ops)),
        Step("$[2 \\cdot 0.5\\, a w_1,\\ 2 \\cdot 0.5\\, b w_2]$", lambda v, ops: np.stack([2 * 0.5 * v.a * _w1(v), 2 * 0.5 * v.b * _w2(v)], -1)),
        Step("$[a w_1,\\ b w_2]$", lambda v, ops: np.stack([v.a * _w1(v), v.b * _w2(v)], -1)),
    ],
    mutant=Mutant(
        "the power rule's factor 2 dropped: [0.5 a w1, 0.5 b w2]",
        step=1,
        value=lambda v, ops: np.stack([0.5 * v.a * _w1(v), 0.5 * v.b * _w2(v)], -1),
    ),
)


def curvatures_and_points(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """a, b > 0 and points w: the origin, then a point on each axis, then general points."""
    w = rng.normal(size=(n, 2))
    w[:3] *= np.array([[0, 0], [1, 0], [0, 1]])[: min(n, 3)]
    return {"a": 10 ** rng.uniform(-2, 2, n), "b": 10 ** rng.uniform(-2, 2, n), "w": w}


@forall(
    id="gd.gradient-vanishes-only-at-origin-the-minimiser",
    worksheet=WS003,
    location="2.1",
    quote=r"which means that $w_1 = w_2 = 0$, then we can achieve the minimum value of L",
    statement=(
        "With $a, b > 0$: $\\nabla L = [a w_1, b w_2] = 0$ means $w_1 = w_2 = 0$, and there $L$ attains its "
        "minimum value."
    ),
    formalisation=(
        "for all a, b > 0 and w in R^2: (grad L(w) = 0 <=> w = 0), L(w) >= L(0), and L(w) > L(0) <=> w != 0 "
        "(so w = 0 is the unique minimiser)."
    ),
    expected="holds",
    cases=st.fixed_dictionaries({}),
    instances=curvatures_and_points,
    mutant=Mutant("the assumption b > 0 dropped (b < 0)", b_sign=-1),
)
def gradient_zero_at_minimum(v: Any, ops: Any, b_sign: int = 1) -> dict[str, Relation]:
    b = b_sign * v.b
    at_origin = exact(np.all(v.w == 0, axis=-1))
    grad_zero = exact(np.all(quadratic.grad(v.w, v.a, b, ops) == 0, axis=-1))
    L, L0 = quadratic.loss(v.w, v.a, b, ops), quadratic.loss(v.w * 0, v.a, b, ops)
    return {
        "grad L = 0 <=> w = 0": is_true(grad_zero.iff(at_origin)),
        "L(w) >= L(0)": is_true(ge(L, L0), show={"L(w)": L}),
        "L(w) > L(0) <=> w != 0": is_true(gt(L, L0).iff(~at_origin), show={"L(w)": L}),
    }


# ---------------------------------------------------------------- 2.2 the update and its factors


def _step(v: Any, ops: Any) -> Any:
    return quadratic.gd_step(v.w0, v.a, v.b, v.eta, ops)


derivation(
    id="gd.first-coordinate-update-is-rho1-times-w1",
    worksheet=WS003,
    location="2.2",
    quote=r"w_1(t+1) = w_1(t) - \eta a w_1(t) = (1 - a \eta) w_1(t) = \rho_1 w_1(t)",
    statement=(
        "$w_1(t+1) = w_1(t) - \\eta\\, \\partial L/\\partial w_1 = w_1(t) - \\eta a w_1(t) = (1 - a\\eta) w_1(t) "
        "= \\rho_1 w_1(t)$ with $\\rho_1 = 1 - a\\eta$."
    ),
    formalisation="for all a, b > 0, eta, w(t): each line equals the previous one; the first is one step of models.quadratic.gd_step.",
    expected="holds",
    cases=CASES,
    instances=problems,
    steps=[
        Step("$w_1(t+1)$ (one step of models.quadratic)", lambda v, ops: _step(v, ops)[..., 0]),
        Step("$w_1(t) - \\eta a w_1(t)$", lambda v, ops: _w1(v) - v.eta * v.a * _w1(v)),
        Step("$(1 - a\\eta) w_1(t)$", lambda v, ops: (1 - v.a * v.eta) * _w1(v)),
        Step("$\\rho_1 w_1(t),\\ \\rho_1 = 1 - a\\eta$", lambda v, ops: quadratic.factors(v.a, v.b, v.eta, ops)[..., 0] * _w1(v)),
    ],
    mutant=Mutant("sign slip: (1 + a eta) w1(t)", step=2, value=lambda v, ops: (1 + v.a * v.eta) * _w1(v)),
)


@forall(
    id="gd.rho1-in-the-same-way-is-1-minus-b-eta",
    worksheet=WS003,
    location="2.2",
    quote=r"$ho_1=1-b\eta$",
    statement="In the same way, $\\rho_1 = 1 - b\\eta$.",
    formalisation=(
        "for all a, b > 0 and eta: rho_1, the factor with w1(t+1) = rho_1 w1(t) defined on the line before, "
        "== 1 - b eta (the name rho_1 taken as written)."
    ),
    expected="refuted",
    cases=CASES,
    instances=problems,
    erratum=Erratum(
        "$\\rho_1 = 1 - a\\eta$ was just defined, and $1 - a\\eta \\ne 1 - b\\eta$ unless $a = b$ or $\\eta = 0$: "
        "the index is a typo. The same computation for $w_2$ gives $w_2(t+1) = \\rho_2 w_2(t)$ with $\\rho_2 = 1 - b\\eta$.",
        corrected_by="gd.second-coordinate-factor-is-1-minus-b-eta",
        replacement=r"$\rho_2=1-b\eta$",
    ),
)
def rho1_same_way(v: Any, ops: Any) -> Relation:
    rho1 = _step(v, ops)[..., 0] / _w1(v)
    return equal(rho1, 1 - v.b * v.eta, show={"rho": quadratic.factors(v.a, v.b, v.eta, ops)})


@forall(
    id="gd.second-coordinate-factor-is-1-minus-b-eta",
    worksheet=WS003,
    location="2.2",
    quote=r"In the same way, We can get $ho_1=1-b\eta$",
    statement="$w_2(t+1) = (1 - b\\eta) w_2(t) = \\rho_2 w_2(t)$ with $\\rho_2 = 1 - b\\eta$.",
    formalisation="for all a, b > 0, eta, w(t): w2 after one gd_step == (1 - b eta) w2(t), and the model's rho_2 == 1 - b eta.",
    expected="holds",
    cases=CASES,
    instances=problems,
    mutant=Mutant("the other curvature: 1 - a eta", curvature="a"),
)
def rho2(v: Any, ops: Any, curvature: str = "b") -> dict[str, Relation]:
    stated = 1 - getattr(v, curvature) * v.eta
    return {
        "w2(t+1) = (1 - b eta) w2(t)": equal(_step(v, ops)[..., 1], stated * _w2(v)),
        "rho_2 = 1 - b eta": equal(quadratic.factors(v.a, v.b, v.eta, ops)[..., 1], stated),
    }


# ---------------------------------------------------------------- 2.3 the convergence derivation


@dataclass
class Line:
    """A line of 2.3 as a condition on (a, b, eta, w(0)); ``mu`` is the limit it names, if any.

    ``premise`` is what a line says it follows from when that is not the line above it ("in the same
    way" for w2; "thus" combining the conditions of both coordinates).
    """

    cond: Cmp
    mu: Any = None
    premise: Cmp | None = None


def implied(prev: Line, cur: Line, ops: Any) -> Relation:
    """The previous line implies this one (a requirement for it)."""
    return is_true(prev.cond.implies(cur.cond), show={"previous line": prev.cond.value, "mu": cur.mu})


def equivalent(prev: Line, cur: Line, ops: Any) -> Relation:
    """The previous line holds exactly when this one does."""
    return is_true(prev.cond.iff(cur.cond))


def same_limit(prev: Line, cur: Line, ops: Any) -> Relation:
    """This line names the same limit mu as the previous one."""
    return equal(cur.mu, prev.mu)


def from_premise(prev: Line, cur: Line, ops: Any) -> Relation:
    """This line holds exactly when its stated premise does."""
    return is_true(cur.premise.iff(cur.cond))


def between(lo: Any, x: Any, hi: Any) -> Cmp:
    return lt(lo, x) & lt(x, hi)


def _ratio_limit(v: Any, curvature: Any, w: Any) -> Any:
    """The worksheet's ((1 - c eta) w(t) - w*)/(w(t) - w*) with w* = 0: the same at every t, so its limit."""
    return ((1 - curvature * v.eta) * w - 0) / (w - 0)


def _min_reciprocal(v: Any, ops: Any) -> Any:
    return ops.minimum(1 / v.a, 1 / v.b)


derivation(
    id="gd.convergence-derivation-eta-below-min-reciprocal",
    worksheet=WS003,
    location="2.3",
    quote=r"= \mu, 0 < \mu < 1",
    statement=(
        "For GD to converge we need $\\lim_t \\frac{w_1(t+1) - w_1^*}{w_1(t) - w_1^*} = "
        "\\frac{(1 - a\\eta) w_1(t) - w_1^*}{w_1(t) - w_1^*} = \\mu$ with $0 < \\mu < 1$; thus $1 - a\\eta \\to \\mu$, "
        "$0 < 1 - a\\eta < 1$, $0 < \\eta < 1/a$; in the same way $0 < \\eta < 1/b$; thus $0 < \\eta < \\min(1/a, 1/b)$."
    ),
    formalisation=(
        "for all a, b > 0, eta and w(0) with non-zero coordinates, each line a condition on them: GD converges "
        "=> [the limit ratio mu lies in (0, 1)]; mu = 1 - a eta; <=> 0 < 1 - a eta < 1; <=> 0 < eta < 1/a; "
        "(0 < eta < 1/b) <=> [the same requirement for w2, 0 < 1 - b eta < 1]; (0 < eta < min(1/a, 1/b)) <=> "
        "[0 < eta < 1/a and 0 < eta < 1/b]. Convergence is decided exactly (models.quadratic.converges)."
    ),
    fact="gd-quadratic-convergence-condition",
    expected="refuted",
    cases=CASES,
    instances=problems,
    steps=[
        Step("$w(t) \\to w^* = 0$ (GD converges)", lambda v, ops: Line(_converges(v, ops))),
        Step(
            "$\\lim_t \\frac{w_1(t+1) - w_1^*}{w_1(t) - w_1^*} = \\frac{(1 - a\\eta) w_1(t) - w_1^*}{w_1(t) - w_1^*} = \\mu,\\ 0 < \\mu < 1$",
            lambda v, ops: Line(between(0, mu := _ratio_limit(v, v.a, _w1(v)), 1), mu),
            implied,
        ),
        Step("$1 - a\\eta \\to \\mu$", lambda v, ops: Line(between(0, 1 - v.a * v.eta, 1), 1 - v.a * v.eta), same_limit),
        Step("$0 < 1 - a\\eta < 1$", lambda v, ops: Line(between(0, 1 - v.a * v.eta, 1)), equivalent),
        Step("$0 < \\eta < \\frac{1}{a}$", lambda v, ops: Line(between(0, v.eta, 1 / v.a)), equivalent),
        Step(
            "$0 < \\eta < \\frac{1}{b}$ (in the same way, for $w_2$)",
            lambda v, ops: Line(between(0, v.eta, 1 / v.b), premise=between(0, _ratio_limit(v, v.b, _w2(v)), 1)),
            from_premise,
        ),
        Step(
            "$0 < \\eta < \\min(\\frac{1}{a}, \\frac{1}{b})$",
            lambda v, ops: Line(between(0, v.eta, _min_reciprocal(v, ops)), premise=between(0, v.eta, 1 / v.a) & between(0, v.eta, 1 / v.b)),
            from_premise,
        ),
    ],
    erratum=Erratum(
        "The first step fails: GD also converges when $-1 < 1 - a\\eta \\le 0$ (it oscillates towards 0, or lands on it), so "
        "convergence does not require $0 < \\mu < 1$. The later steps are sound rewritings of that requirement; "
        "GD converges exactly for $0 < \\eta < 2/\\max(a, b)$.",
        corrected_by="gd.converges-iff-eta-below-2-over-max-curvature",
        replacement=r"= \mu, -1 < \mu < 1",
    ),
)


# ---------------------------------------------------------------- 2.4 a large ratio a/b


def large_ratio(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """b > 0, h = a/b >= 1 (exactly 1 in a tenth), a fraction in (0, 1), a tolerance eps and a multiple k >= 1."""
    h = np.where(rng.random(n) < 0.1, 1.0, 10 ** rng.uniform(0, 4, n))
    return {
        "b": 10 ** rng.uniform(-2, 2, n),
        "h": h,
        "frac": rng.uniform(0, 1, n) * (1 - 2**-20) + 2**-21,
        "eps": 10 ** rng.uniform(-4, 0, n),
        "k": 1 + rng.exponential(1.0, n),
    }


LARGE_RATIO = {"cases": st.fixed_dictionaries({}), "instances": large_ratio}


@forall(
    id="gd.large-ratio-bound-min-is-one-over-hb",
    worksheet=WS003,
    location="2.4",
    quote=r"min(\frac{1}{hb}, \frac{1}{b}) = min\frac{1}{hb}",
    statement="With $a/b = h \\ge 1$, $a = hb$ and $\\min(\\frac{1}{hb}, \\frac{1}{b}) = \\frac{1}{hb}$.",
    formalisation="for all b > 0 and h >= 1, with a = h b: min(1/a, 1/b) == 1/(h b).",
    expected="holds",
    **LARGE_RATIO,
    mutant=Mutant("the slow coordinate's bound 1/b", slow=True),
)
def min_is_one_over_hb(v: Any, ops: Any, slow: bool = False) -> Relation:
    a = v.h * v.b
    return equal(ops.minimum(1 / a, 1 / v.b), 1 / v.b if slow else 1 / (v.h * v.b))


@forall(
    id="gd.large-ratio-learning-rate-tends-to-zero",
    worksheet=WS003,
    location="2.4",
    quote=r"\because \frac{1}{hb} \to 0, \therefore \eta \to 0",
    statement="As $h = a/b \\to \\infty$, $\\frac{1}{hb} \\to 0$, so the learning rate $\\eta \\to 0$.",
    formalisation=(
        "for all b > 0 and eps > 0 there is H (here H = 2/(b eps)) such that for all h >= H every admissible "
        "eta, 0 < eta < min(1/(h b), 1/b), has eta < eps; checked at h = k H, k >= 1, eta = frac min(...)."
    ),
    expected="holds",
    **LARGE_RATIO,
    mutant=Mutant("a threshold H = 2/eps that ignores b", threshold_uses_b=False),
)
def learning_rate_to_zero(v: Any, ops: Any, threshold_uses_b: bool = True) -> Relation:
    H = 2 / (v.b * v.eps) if threshold_uses_b else 2 / v.eps
    h = v.k * H
    eta = v.frac * ops.minimum(1 / (h * v.b), 1 / v.b)
    return is_true(lt(eta, v.eps), show={"h": h, "eta": eta})


@forall(
    id="gd.large-ratio-slow-coordinate-factor-tends-to-one",
    worksheet=WS003,
    location="2.4",
    quote=r"Thus, the learning rate is very small and the convergence rate of gradient descent is very slow.",
    statement="With $a/b = h$ large the learning rate is very small and gradient descent converges very slowly.",
    formalisation=(
        "for all b > 0, h >= 1 (a = h b): every admissible eta, 0 < eta < min(1/a, 1/b), gives the w2 factor "
        "1 - 1/h < rho_2 = 1 - b eta < 1, and every convergent eta, 0 < eta < 2/a, gives 1 - 2/h < rho_2 < 1; "
        "hence rho_2 -> 1 as h -> infinity, and shrinking w2 by a factor eps takes more than "
        "ln(1/eps) / -ln(1 - 2/h) ~ (h/2) ln(1/eps) steps."
    ),
    expected="holds",
    **LARGE_RATIO,
    mutant=Mutant("the fast coordinate's factor 1 - a eta", coordinate=0),
)
def slow_factor(v: Any, ops: Any, coordinate: int = 1) -> dict[str, Relation]:
    a = v.h * v.b
    out = {}
    for label, cap, floor in (("admissible eta", ops.minimum(1 / a, 1 / v.b), 1 - 1 / v.h), ("convergent eta", 2 / a, 1 - 2 / v.h)):
        rho = quadratic.factors(a, v.b, v.frac * cap, ops)[..., coordinate]
        out[f"{label}: 1 - c/h < rho_2 < 1"] = is_true(between(floor, rho, 1), show={"rho": rho})
    return out


# ---------------------------------------------------------------- 2.3 line by line: each coordinate's requirement


def _coordinate_converges(v: Any, ops: Any, coordinate: int) -> Cmp:
    """w_i(t) -> 0 from a non-zero w_i(0): exactly when |rho_i| < 1 (rho_i = 1 - c eta, decided as in _converges)."""
    return lt(ops.abs(quadratic.factors(v.a, v.b, v.eta, ops)[..., coordinate]), 1)


def _curvature(v: Any, coordinate: int) -> Any:
    return v.a if coordinate == 0 else v.b


@forall(
    id="gd.convergence-requires-factor-between-0-and-1",
    worksheet=WS003,
    location="2.3",
    quote=r"0 < 1 - a\eta < 1",
    statement="For $w_1(t)$ to converge to $w_1^* = 0$ we need $0 < 1 - a\\eta < 1$.",
    formalisation="for all a, b > 0, eta and w1(0) != 0: w1(t) -> 0 => 0 < 1 - a eta < 1.",
    fact="gd-quadratic-convergence-condition",
    expected="refuted",
    cases=CASES,
    instances=problems,
    erratum=Erratum(
        "$w_1(t) = (1 - a\\eta)^t w_1(0)$ also tends to 0 when $-1 < 1 - a\\eta \\le 0$ (it oscillates towards 0, or "
        "lands on it): the requirement is $|1 - a\\eta| < 1$, i.e. $0 < \\eta < 2/a$.",
        corrected_by="gd.first-coordinate-converges-iff-eta-below-2-over-a",
        replacement=r"-1 < 1 - a\eta < 1",
    ),
)
def requires_factor_in_unit_interval(v: Any, ops: Any) -> Relation:
    rho = 1 - v.a * v.eta
    return is_true(_coordinate_converges(v, ops, 0).implies(between(0, rho, 1)), show={"1 - a eta": rho})


@forall(
    id="gd.convergence-requires-eta-below-1-over-a",
    worksheet=WS003,
    location="2.3",
    quote=r"0 < \eta < \frac{1}{a}",
    statement="For $w_1(t)$ to converge we need $0 < \\eta < \\frac{1}{a}$.",
    formalisation="for all a, b > 0, eta and w1(0) != 0: w1(t) -> 0 => 0 < eta < 1/a.",
    fact="gd-quadratic-convergence-condition",
    expected="refuted",
    cases=CASES,
    instances=problems,
    erratum=Erratum(
        "$w_1(t) \\to 0$ exactly when $|1 - a\\eta| < 1$, i.e. $0 < \\eta < 2/a$: every $\\eta$ in $[1/a, 2/a)$ "
        "converges too.",
        corrected_by="gd.first-coordinate-converges-iff-eta-below-2-over-a",
        replacement=r"0 < \eta < \frac{2}{a}",
    ),
)
def requires_eta_below_1_over_a(v: Any, ops: Any) -> Relation:
    return is_true(_coordinate_converges(v, ops, 0).implies(between(0, v.eta, 1 / v.a)), show={"1/a": 1 / v.a})


@forall(
    id="gd.convergence-requires-eta-below-1-over-b",
    worksheet=WS003,
    location="2.3",
    quote=r"0 < \eta < \frac{1}{b}",
    statement="In the same way, for $w_2(t)$ to converge we need $0 < \\eta < \\frac{1}{b}$.",
    formalisation="for all a, b > 0, eta and w2(0) != 0: w2(t) -> 0 => 0 < eta < 1/b.",
    fact="gd-quadratic-convergence-condition",
    expected="refuted",
    cases=CASES,
    instances=problems,
    erratum=Erratum(
        "$w_2(t) \\to 0$ exactly when $|1 - b\\eta| < 1$, i.e. $0 < \\eta < 2/b$: every $\\eta$ in $[1/b, 2/b)$ "
        "converges too.",
        corrected_by="gd.second-coordinate-converges-iff-eta-below-2-over-b",
        replacement=r"0 < \eta < \frac{2}{b}",
    ),
)
def requires_eta_below_1_over_b(v: Any, ops: Any) -> Relation:
    return is_true(_coordinate_converges(v, ops, 1).implies(between(0, v.eta, 1 / v.b)), show={"1/b": 1 / v.b})


def _coordinate_iff(v: Any, ops: Any, coordinate: int, numerator: float) -> dict[str, Relation]:
    c = _curvature(v, coordinate)
    rho = 1 - c * v.eta
    converges = _coordinate_converges(v, ops, coordinate)
    return {
        "converges <=> -1 < 1 - c eta < 1": is_true(converges.iff(between(-1, rho, 1)), show={"1 - c eta": rho}),
        "converges <=> 0 < eta < 2/c": is_true(converges.iff(between(0, v.eta, numerator / c)), show={"1 - c eta": rho}),
    }


@forall(
    id="gd.first-coordinate-converges-iff-eta-below-2-over-a",
    worksheet=WS003,
    location="2.3",
    quote=r"0 < 1 - a\eta < 1",
    statement="$w_1(t) \\to 0$ exactly when $-1 < 1 - a\\eta < 1$, that is when $0 < \\eta < 2/a$.",
    formalisation=(
        "for all a, b > 0, eta and w1(0) != 0: w1(t) = (1 - a eta)^t w1(0) -> 0 (|1 - a eta| < 1) <=> "
        "-1 < 1 - a eta < 1 <=> 0 < eta < 2/a."
    ),
    expected="holds",
    cases=CASES,
    instances=problems,
    mutant=Mutant("the bound 1/a", numerator=1.0),
)
def first_coordinate_iff(v: Any, ops: Any, numerator: float = 2.0) -> dict[str, Relation]:
    return _coordinate_iff(v, ops, 0, numerator)


@forall(
    id="gd.second-coordinate-converges-iff-eta-below-2-over-b",
    worksheet=WS003,
    location="2.3",
    quote=r"0 < \eta < \frac{1}{b}",
    statement="$w_2(t) \\to 0$ exactly when $-1 < 1 - b\\eta < 1$, that is when $0 < \\eta < 2/b$.",
    formalisation=(
        "for all a, b > 0, eta and w2(0) != 0: w2(t) = (1 - b eta)^t w2(0) -> 0 (|1 - b eta| < 1) <=> "
        "-1 < 1 - b eta < 1 <=> 0 < eta < 2/b."
    ),
    expected="holds",
    cases=CASES,
    instances=problems,
    mutant=Mutant("the bound 1/b", numerator=1.0),
)
def second_coordinate_iff(v: Any, ops: Any, numerator: float = 2.0) -> dict[str, Relation]:
    return _coordinate_iff(v, ops, 1, numerator)


@forall(
    id="gd.ratio-limit-mu-is-1-minus-a-eta",
    worksheet=WS003,
    location="2.3",
    quote=r"1 - a\eta \rightarrow \mu",
    statement=(
        "The ratio $\\frac{w_1(t+1) - w_1^*}{w_1(t) - w_1^*}$ ($w_1^* = 0$) is $1 - a\\eta$ at every step, so its "
        "limit is $\\mu = 1 - a\\eta$."
    ),
    formalisation="for all a, b > 0, eta and w1(t) != 0: (w1(t+1) - 0)/(w1(t) - 0) == 1 - a eta, w1(t+1) one gd_step.",
    expected="holds",
    cases=CASES,
    instances=problems,
    mutant=Mutant("a sign slip: 1 + a eta", sign=-1),
)
def ratio_is_factor(v: Any, ops: Any, sign: int = 1) -> Relation:
    ratio = (_step(v, ops)[..., 0] - 0) / (_w1(v) - 0)
    return equal(ratio, 1 - sign * v.a * v.eta)


# ---------------------------------------------------------------- 2.4 carrying the corrected condition forward


def large_ratio_rates(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """b > 0, h = a/b >= 1, and eta = frac 2/(h b) with frac in [0, 1.25] (the boundary and 1/2 drawn often)."""
    out = large_ratio(case, rng, n)
    frac = np.where(rng.random(n) < 0.2, rng.choice([0.5, 1.0], n), rng.uniform(0, 1.25, n))
    out["eta"] = frac * 2 / (out["h"] * out["b"])
    return out


LARGE_RATIO_RATES = {"cases": st.fixed_dictionaries({}), "instances": large_ratio_rates}


def _large_ratio_converges(v: Any, ops: Any) -> Cmp:
    rho = quadratic.factors(v.h * v.b, v.b, v.eta, ops)
    return lt(ops.abs(rho[..., 0]), 1) & lt(ops.abs(rho[..., 1]), 1)


def _convergent_eta_below(v: Any, ops: Any, bound: Any) -> Relation:
    return is_true(_large_ratio_converges(v, ops).implies(between(0, v.eta, bound)), show={"bound": bound, "eta": v.eta})


@forall(
    id="gd.large-ratio-convergence-requires-eta-below-1-over-hb",
    worksheet=WS003,
    location="2.4",
    quote=r"0 < \eta < min(\frac{1}{hb}, \frac{1}{b}) = min\frac{1}{hb}",
    statement=(
        "With $a = hb$ ($h \\ge 1$), gradient descent converges only if $0 < \\eta < \\min(\\frac{1}{hb}, \\frac{1}{b}) "
        "= \\frac{1}{hb}$ (2.3's condition with $a = hb$)."
    ),
    formalisation="for all b > 0, h >= 1 (a = h b) and eta: GD converges (|1 - a eta|, |1 - b eta| < 1) => 0 < eta < 1/(h b).",
    fact="gd-quadratic-convergence-condition",
    expected="refuted",
    **LARGE_RATIO_RATES,
    erratum=Erratum(
        "This carries forward 2.3's refuted condition: with the corrected one, GD converges exactly for "
        "$0 < \\eta < \\min(\\frac{2}{hb}, \\frac{2}{b}) = \\frac{2}{hb}$.",
        corrected_by="gd.large-ratio-converges-iff-eta-below-2-over-hb",
        replacement=r"0 < \eta < \min(\frac{2}{hb}, \frac{2}{b}) = \frac{2}{hb}",
    ),
)
def large_ratio_requires_1_over_hb(v: Any, ops: Any) -> Relation:
    return _convergent_eta_below(v, ops, 1 / (v.h * v.b))


@forall(
    id="gd.large-ratio-converges-iff-eta-below-2-over-hb",
    worksheet=WS003,
    location="2.4",
    quote=r"0 < \eta < min(\frac{1}{hb}, \frac{1}{b}) = min\frac{1}{hb}",
    statement=(
        "With $a = hb$ ($h \\ge 1$), gradient descent converges exactly when $0 < \\eta < \\min(\\frac{2}{hb}, "
        "\\frac{2}{b}) = \\frac{2}{hb}$."
    ),
    formalisation="for all b > 0, h >= 1 (a = h b) and eta: GD converges <=> 0 < eta < 2/(h b), and min(2/(hb), 2/b) == 2/(hb).",
    expected="holds",
    **LARGE_RATIO_RATES,
    mutant=Mutant("the bound 1/(h b)", numerator=1.0),
)
def large_ratio_iff_2_over_hb(v: Any, ops: Any, numerator: float = 2.0) -> dict[str, Relation]:
    bound = numerator / (v.h * v.b)
    return {
        "converges <=> 0 < eta < 2/(hb)": is_true(_large_ratio_converges(v, ops).iff(between(0, v.eta, bound)), show={"bound": bound}),
        "min(2/(hb), 2/b) = 2/(hb)": equal(ops.minimum(2 / (v.h * v.b), 2 / v.b), 2 / (v.h * v.b)),
    }


@forall(
    id="gd.large-ratio-convergent-eta-bounded-by-1-over-hb",
    worksheet=WS003,
    location="2.4",
    quote=r"\because \frac{1}{hb} \to 0",
    statement=(
        "Every learning rate with which gradient descent converges is below $\\frac{1}{hb}$, and "
        "$\\frac{1}{hb} \\to 0$, so $\\eta \\to 0$."
    ),
    formalisation="for all b > 0, h >= 1 (a = h b) and eta: GD converges => 0 < eta < 1/(h b) (the bound this line sends to 0).",
    fact="gd-quadratic-convergence-condition",
    expected="refuted",
    **LARGE_RATIO_RATES,
    erratum=Erratum(
        "The bound on a convergent $\\eta$ is $\\frac{2}{hb}$, not $\\frac{1}{hb}$ (2.3's corrected condition carried "
        "forward); it too tends to 0, so $\\eta \\to 0$ still follows.",
        corrected_by="gd.large-ratio-convergent-learning-rate-tends-to-zero",
        replacement=r"\because \frac{2}{hb} \to 0",
        contestable=(
            "the other reading: the line states only the limit $\\frac{1}{hb} \\to 0$, which is true; it is wrong only "
            "as the bound on $\\eta$ it carries from the refuted condition"
        ),
    ),
)
def convergent_eta_below_1_over_hb(v: Any, ops: Any) -> Relation:
    return _convergent_eta_below(v, ops, 1 / (v.h * v.b))


@forall(
    id="gd.large-ratio-convergent-learning-rate-tends-to-zero",
    worksheet=WS003,
    location="2.4",
    quote=r"\because \frac{1}{hb} \to 0, \therefore \eta \to 0",
    statement="As $h = a/b \\to \\infty$, every learning rate with which gradient descent converges, $\\eta < \\frac{2}{hb}$, tends to 0.",
    formalisation=(
        "for all b > 0 and eps > 0 there is H (here H = 2/(b eps)) such that for all h >= H every convergent "
        "eta, 0 < eta < 2/(h b), has eta < eps; checked at h = k H, k >= 1, eta = frac 2/(h b)."
    ),
    expected="holds",
    **LARGE_RATIO,
    mutant=Mutant("a threshold H = 2/eps that ignores b", threshold_uses_b=False),
)
def convergent_rate_to_zero(v: Any, ops: Any, threshold_uses_b: bool = True) -> Relation:
    H = 2 / (v.b * v.eps) if threshold_uses_b else 2 / v.eps
    h = v.k * H
    eta = v.frac * 2 / (h * v.b)
    return is_true(lt(eta, v.eps), show={"h": h, "eta": eta})


# ---------------------------------------------------------------- 2.1-2.4: the remaining displayed lines

for _id, _loc, _quote, _statement in (
    ("gd.setup-quadratic-loss", "2.1", r"L(w_1, w_2) = 0.5(aw_1^2 + bw_2^2)", "$L(w_1, w_2) = 0.5(a w_1^2 + b w_2^2)$."),
    ("gd.setup-gradient-notation", "2.1", r"\nabla L(w_1, w_2) = \left[\frac{\partial L}{\partial w_1}, \frac{\partial L}{\partial w_2}\right]", "$\\nabla L = [\\partial L/\\partial w_1, \\partial L/\\partial w_2]$."),
    ("gd.setup-ratio-a-equals-hb", "2.4", r"$$a = hb$$", "$a = hb$, restating $a/b = h$."),
):
    not_checkable(
        id=_id,
        worksheet=WS003,
        location=_loc,
        quote=_quote,
        statement=_statement,
        reason="A definition: it introduces the loss, the gradient's notation or h, and asserts nothing (models.quadratic implements the loss).",
    )


@forall(
    id="gd.gradient-second-coordinate-is-b-w2",
    worksheet=WS003,
    location="2.1",
    quote=r"\frac{\partial L}{\partial w_2} = 2 * 0.5 * bw_2 = bw_2",
    statement="$\\partial L/\\partial w_2 = 2 \\cdot 0.5\\, b w_2 = b w_2$, so $\\nabla L = [a w_1, b w_2]$.",
    formalisation="for all a, b, w: grad L (models.quadratic, checked against mpmath.diff) == [2 * 0.5 a w1, 2 * 0.5 b w2] == [a w1, b w2].",
    expected="holds",
    cases=CASES,
    instances=problems,
    mutant=Mutant("the power rule's factor 2 dropped", factor=1.0),
)
def gradient_components(v: Any, ops: Any, factor: float = 2.0) -> dict[str, Relation]:
    g = quadratic.grad(v.w0, v.a, v.b, ops)
    return {
        "dL/dw2 = 2 * 0.5 * b w2": equal(g[..., 1], factor * 0.5 * v.b * _w2(v)),
        "grad L = [a w1, b w2]": equal(g, np.stack([factor / 2 * v.a * _w1(v), factor / 2 * v.b * _w2(v)], -1)),
    }


forall(
    id="gd.gradient-is-a-w1-b-w2",
    worksheet=WS003,
    location="2.1",
    quote=r"\nabla L(w_1, w_2) = \left[aw_1, bw_2\right]",
    statement="$\\nabla L(w_1, w_2) = [a w_1, b w_2]$.",
    formalisation="as gd.gradient-second-coordinate-is-b-w2: grad L (models.quadratic) == [a w1, b w2].",
    expected="holds",
    cases=CASES,
    instances=problems,
    mutant=Mutant("the power rule's factor 2 dropped", factor=1.0),
)(gradient_components)


@forall(
    id="gd.first-coordinate-update-rule",
    worksheet=WS003,
    location="2.2",
    quote=r"w_1(t+1) = w_1(t) - \eta \nabla L(w_1(t))",
    statement=(
        "$w_1(t+1) = w_1(t) - \\eta \\nabla L(w_1(t))$, the first coordinate of the update, with "
        "$\\rho_1 = 1 - a\\eta$: $w_1(t+1) = \\rho_1 w_1(t)$."
    ),
    formalisation=(
        "for all a, b > 0, eta, w(t): w1 after one gd_step == w1(t) - eta dL/dw1 (the first entry of grad L, which "
        "'grad L(w1(t))' denotes) == (1 - a eta) w1(t), and the model's rho_1 == 1 - a eta."
    ),
    expected="holds",
    cases=CASES,
    instances=problems,
    mutant=Mutant("the other coordinate's gradient", coordinate=1),
)
def update_rule(v: Any, ops: Any, coordinate: int = 0) -> dict[str, Relation]:
    g = quadratic.grad(v.w0, v.a, v.b, ops)[..., coordinate]
    return {
        "w1(t+1) = w1(t) - eta dL/dw1": equal(_step(v, ops)[..., 0], _w1(v) - v.eta * g),
        "rho_1 = 1 - a eta": equal(quadratic.factors(v.a, v.b, v.eta, ops)[..., coordinate], 1 - v.a * v.eta),
    }


forall(
    id="gd.rho1-is-1-minus-a-eta",
    worksheet=WS003,
    location="2.2",
    quote=r"$$\rho_1 = 1 - a \eta$$",
    statement="$\\rho_1 = 1 - a\\eta$, the factor with $w_1(t+1) = \\rho_1 w_1(t)$.",
    formalisation="as gd.first-coordinate-update-rule: the model's rho_1 == 1 - a eta and w1(t+1) == w1(t) - eta a w1(t).",
    expected="holds",
    cases=CASES,
    instances=problems,
    mutant=Mutant("the other coordinate's gradient and factor", coordinate=1),
)(update_rule)
