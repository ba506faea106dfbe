"""Logistic regression: likelihood, the argmin chain for w-hat, J, its gradient and convexity (004 part 1).

Reading convention for the printed lines: a sum over i extends over every term that carries the
index i, and a minus sign written before the sum negates the whole sum, so
$-\\sum_i a_i + b_i$ is $-\\sum_i (a_i + b_i)$ (a term with a free i cannot stand outside the sum).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from claims.engine import (
    Erratum,
    Mutant,
    Step,
    at_most,
    derivation,
    derivative,
    equal,
    forall,
    gt,
    is_true,
    le,
    lt,
    not_checkable,
    st,
)
from claims.strategies import grid, labels, normal, reals
from claims.worksheets import WS004
from models import logistic

Objective = Callable[..., Any]  # (w, v, ops) -> the objective at w

# n examples, d features; log2_scale sets the typical size of the weights (edges reach the bound).
CASES = grid(n=range(1, 5), d=range(1, 4), log2_scale=[-2, -1, 0, 1])
# |entries| <= ENTRY_BOUND keeps every score |w^T x| <= 3 ENTRY_BOUND^2 = 19,200 (d <= 3): the lines
# write J and 1 - q as differences of terms of size |w^T x| that agree to e^-|w^T x|, which the twin
# resolves with about |w^T x|/ln 2 bits, up to its cap of 32,768 bits (|w^T x| of about 22,000).
ENTRY_BOUND = 80.0
SCORE_LIMIT = (
    " Entries of X, w, v drawn with edges in [-80, 80], so |w^T x| <= 19,200: beyond, J (a difference of terms of "
    "size |w^T x| that agree to e^-|w^T x|) needs more than the twin's 32,768 bits (9,864 digits) to decide."
)


def data(case: Any, rng: np.random.Generator, n: int, limit: float = ENTRY_BOUND) -> dict[str, np.ndarray]:
    """Data X (n, d) with a non-zero entry, labels y in {0,1}, two weight vectors, a direction v, a mixing
    weight lam in (0, 1) and a step fraction in (0, 1], edges included."""
    d, bounded = case.d, {"low": -limit, "high": limit}
    X = reals(rng, n, case.n, d, **bounded)
    X[:, 0, 0] = np.where(np.all(X == 0, axis=(1, 2)), 1.0, X[:, 0, 0])  # X = 0 has no step bound 4/||X||^2
    return {
        "X": X,
        "y": labels(rng, n, case.n),
        "wa": reals(rng, n, d, scale=2.0**case.log2_scale, **bounded),
        "wb": reals(rng, n, d, scale=2.0**case.log2_scale, **bounded),
        "v": reals(rng, n, d, **bounded),
        "lam": reals(rng, n, low=0.0, high=1.0, open_low=True, open_high=True),
        "frac": reals(rng, n, low=0.0, high=1.0, open_low=True),
    }


def literal_data(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Normal draws without edges (as before issue 6), for the w-hat chain: see its formalisation."""
    d = case.d
    return {
        "X": normal(rng, n, case.n, d),
        "y": labels(rng, n, case.n),
        "wa": normal(rng, n, d, scale=2.0**case.log2_scale),
        "wb": normal(rng, n, d, scale=2.0**case.log2_scale),
        "v": normal(rng, n, d),
        "lam": rng.uniform(0.05, 0.95, n),
        "frac": rng.uniform(0.05, 1.0, n),
    }


def _u(w: Any, v: Any, ops: Any) -> Any:
    return logistic.scores(w, v.X, ops)


def _col(a: Any) -> Any:
    """A per-instance scalar as a column, so it broadcasts against vectors (also for one mpf)."""
    return np.asarray(a)[..., None]


# ---------------------------------------------------------------- the lines of the argmin chain


def line_minus_l(w: Any, v: Any, ops: Any) -> Any:
    """$-L(w)$, with the model's likelihood."""
    return -logistic.likelihood(w, v.X, v.y, ops)


def line_minus_product(w: Any, v: Any, ops: Any) -> Any:
    """$-\\prod_i q_i^{y_i}(1-q_i)^{1-y_i}$."""
    q = ops.sigmoid(_u(w, v, ops))
    return -np.prod(q**v.y * (1 - q) ** (1 - v.y), axis=-1)


def line_log_likelihood(w: Any, v: Any, ops: Any) -> Any:
    """$-\\sum_i y_i\\log q_i + (1-y_i)\\log(1-q_i)$."""
    q = ops.sigmoid(_u(w, v, ops))
    return -ops.sum(v.y * ops.log(q) + (1 - v.y) * ops.log(1 - q))


def line_log_odds(w: Any, v: Any, ops: Any) -> Any:
    """$-\\sum_i y_i\\log\\frac{q_i}{1-q_i} + \\log(1-q_i)$."""
    q = ops.sigmoid(_u(w, v, ops))
    return -ops.sum(v.y * ops.log(q / (1 - q)) + ops.log(1 - q))


def line_plugged_in(w: Any, v: Any, ops: Any) -> Any:
    """The log-odds line with $q_i = 1/(1+\\exp\\{-w^\\top x_i\\})$ written out."""
    q = 1 / (1 + ops.exp(-_u(w, v, ops)))
    return -ops.sum(v.y * ops.log(q / (1 - q)) + ops.log(1 - q))


def line_common_denominator(w: Any, v: Any, ops: Any) -> Any:
    """$1 - \\frac{1}{1+e} = \\frac{1+e-1}{1+e}$ with $e = \\exp\\{-w^\\top x_i\\}$."""
    e = ops.exp(-_u(w, v, ops))
    rest = (1 + e - 1) / (1 + e)
    return -ops.sum(v.y * ops.log((1 / (1 + e)) / rest) + ops.log(rest))


def line_simplified_fractions(w: Any, v: Any, ops: Any) -> Any:
    """$-\\sum_i y_i\\log\\frac{1}{e} + \\log\\frac{e}{1+e}$."""
    e = ops.exp(-_u(w, v, ops))
    return -ops.sum(v.y * ops.log(1 / e) + ops.log(e / (1 + e)))


def line_logs_taken(w: Any, v: Any, ops: Any) -> Any:
    """$-\\sum_i y_i w^\\top x_i - w^\\top x_i - \\log(1+\\exp\\{-w^\\top x_i\\})$."""
    u = _u(w, v, ops)
    return -ops.sum(v.y * u - u - ops.log(1 + ops.exp(-u)))


def j_objective(w: Any, v: Any, ops: Any, log_sign: int = 1) -> Any:
    """$\\sum_i (1-y_i)w^\\top x_i \\pm \\log(1+\\exp\\{-w^\\top x_i\\})$: + after the sign is brought in, - in J as printed."""
    u = _u(w, v, ops)
    return ops.sum((1 - v.y) * u + log_sign * ops.log(1 + ops.exp(-u)))


def printed_j(w: Any, v: Any, ops: Any) -> Any:
    """J as printed: $\\sum_i (1-y_i)w^\\top x_i - \\log(1+\\exp\\{-w^\\top x_i\\})$."""
    return j_objective(w, v, ops, log_sign=-1)


def at_both(line: Objective) -> Callable[[Any, Any], Any]:
    """A line's objective at the two weight vectors wa and wb (last axis), so a step can compare orders."""

    def value(v: Any, ops: Any) -> Any:
        # One evaluation for both: the data get an axis of length 1 that broadcasts against (wa, wb).
        both = v.with_values({**v, "X": np.asarray(v.X)[..., None, :, :], "y": np.asarray(v.y)[..., None, :]})
        return line(np.stack([v.wa, v.wb], axis=-2), both, ops)

    return value


def orders_every_pair_alike(prev: Any, cur: Any, ops: Any) -> Any:
    """Same minimisers via a strictly increasing transform: both objectives order (wa, wb) the same way."""
    below = lt(prev[..., 0], prev[..., 1]).iff(lt(cur[..., 0], cur[..., 1]))
    above = lt(prev[..., 1], prev[..., 0]).iff(lt(cur[..., 1], cur[..., 0]))
    return is_true(below & above, show={"previous at (wa, wb)": prev, "current at (wa, wb)": cur})


# ---------------------------------------------------------------- claims


@forall(
    id="logistic.likelihood-is-product-of-bernoulli-probabilities",
    worksheet=WS004,
    location="1, likelihood",
    quote=r"L(\mathbf{w}) = \prod_{i=1}^n p(y = y_i | \mathbf{x}_i) = \prod_{i=1}^n q_i^{y_i} (1 - q_i)^{1-y_i}",
    statement="$L(w) = \\prod_i p(y = y_i \\mid x_i) = \\prod_i q_i^{y_i}(1-q_i)^{1-y_i}$ with $q_i = s(w^\\top x_i)$.",
    formalisation=(
        "for all X, y in {0,1}^n, w: prod_i q_i^y_i (1-q_i)^(1-y_i) == prod_i p(y_i | x_i), where "
        "p(1 | x_i) = q_i and p(0 | x_i) = 1 - q_i (the Bernoulli model)."
        + SCORE_LIMIT
    ),
    expected="holds",
    cases=CASES,
    instances=data,
    mutant=Mutant("exponents swapped: q^(1-y) (1-q)^y", swapped=True),
)
def likelihood_is_bernoulli_product(v: Any, ops: Any, swapped: bool = False) -> Any:
    q = ops.sigmoid(_u(v.wa, v, ops))
    a, b = (1 - v.y, v.y) if swapped else (v.y, 1 - v.y)
    stated = np.prod(q**a * (1 - q) ** b, axis=-1)
    bernoulli = np.prod(ops.where(v.y == 1, q, 1 - q), axis=-1)
    return equal(stated, bernoulli)


W_HAT_LINES = [
    ("$\\arg\\min_w -L(w)$", line_minus_l, "="),
    ("$\\arg\\min_w [-\\prod_i q_i^{y_i}(1-q_i)^{1-y_i}]$", line_minus_product, "="),
    ("$\\arg\\min_w -\\sum_i y_i\\log q_i + (1-y_i)\\log(1-q_i)$", line_log_likelihood, orders_every_pair_alike),
    ("$\\arg\\min_w -\\sum_i y_i\\log\\frac{q_i}{1-q_i} + \\log(1-q_i)$", line_log_odds, "="),
    ("(second display, repeated) $\\arg\\min_w [-\\sum_i y_i\\log\\frac{q_i}{1-q_i} + \\log(1-q_i)]$", line_log_odds, "="),
    ("$q_i = \\frac{1}{1+\\exp\\{-w^\\top x_i\\}}$ plugged in", line_plugged_in, "="),
    ("$1 - \\frac{1}{1+e_i}$ over the common denominator $\\frac{1+e_i-1}{1+e_i}$", line_common_denominator, "="),
    ("$\\arg\\min_w [-\\sum_i y_i\\log\\frac{1}{e_i} + \\log\\frac{e_i}{1+e_i}]$, $e_i = \\exp\\{-w^\\top x_i\\}$",
     line_simplified_fractions, "="),
    ("$\\arg\\min_w [-\\sum_i y_i w^\\top x_i - w^\\top x_i - \\log(1+\\exp\\{-w^\\top x_i\\})]$", line_logs_taken, "="),
    ("$\\arg\\min_w [\\sum_i (1-y_i) w^\\top x_i + \\log(1+\\exp\\{-w^\\top x_i\\})]$", j_objective, "="),
]

derivation(
    id="logistic.w-hat-argmin-chain",
    worksheet=WS004,
    location="1, derivation of w-hat",
    quote=r"\hat{\mathbf{w}} &= \arg \min_{\mathbf{w}} -L(\mathbf{w})",
    statement=(
        "$\\hat w = \\arg\\min_w -L(w)$ is rewritten line by line (negative log likelihood, log-odds, sigmoid "
        "plugged in and simplified) down to $\\arg\\min_w \\sum_i (1-y_i)w^\\top x_i + \\log(1+e^{-w^\\top x_i})$."
    ),
    formalisation=(
        "Each line is an objective of w on data X, y (sums over i cover every i-indexed term; a leading minus "
        "negates the whole sum). Line 2 (-log L after -L) must have the same minimisers: checked as 'orders "
        "every pair (wa, wb) the same way' (f2 = g o f1 with g strictly increasing). Every other '=' joins "
        "literally equal objectives: checked as equal values at wa and wb. Drawn without edges (normal X, wa, wb): "
        "edges make the two objective values at wa and wb tie exactly (wa = wb, or X with zero columns), where the "
        "strict '<' of the order check is a tie no precision separates (twin undecided at its cap); and beyond "
        "|w^T x| of about 550 the lines' log(1 - q_i) is undefined in the twin at 800 bits."
    ),
    expected="holds",
    cases=CASES,
    instances=literal_data,
    steps=[Step(latex, at_both(line), rel) for latex, line, rel in W_HAT_LINES],
    mutant=Mutant("last line with the log term's sign flipped, as J is printed", step=9, value=at_both(printed_j)),
)


def _line_one_minus_q_unsimplified(w: Any, v: Any, ops: Any) -> Any:
    """A wrong common denominator, the negative control: $1 - \\frac{1}{1+e_i}$ written as $\\frac{1}{1+e_i}$."""
    e = ops.exp(-_u(w, v, ops))
    rest = 1 / (1 + e)
    return -ops.sum(v.y * ops.log((1 / (1 + e)) / rest) + ops.log(rest))


def _line_logs_taken_sign_slip(w: Any, v: Any, ops: Any) -> Any:
    """A sign slip, the negative control: $-\\sum_i y_i w^\\top x_i + w^\\top x_i - \\log(1+e_i)$."""
    u = _u(w, v, ops)
    return -ops.sum(v.y * u + u - ops.log(1 + ops.exp(-u)))


# The four displays of the w-hat chain, each also checked as its own chain (the main chain above spans
# them all and quotes the first): the same lines, instances and relations.
W_HAT_DISPLAYS = [
    (
        "plugged-in",
        r"\log\left(1 - \frac{1}{1 + \exp\{-\mathbf{w}^\top \mathbf{x}_i\}}\right)",
        "the second display: the log-odds line, then $q_i = 1/(1+\\exp\\{-w^\\top x_i\\})$ plugged in, then "
        "$1 - q_i$ over the common denominator",
        W_HAT_LINES[4:7],
        Mutant("1 - q_i written as 1/(1 + e_i)", step=2, value=at_both(_line_one_minus_q_unsimplified)),
    ),
    (
        "fractions-simplified",
        r"\log \left( \frac{1}{\exp\{-\mathbf{w}^\top \mathbf{x}_i\}} \right)",
        "the third display, continuing the second: the fractions simplified, then the logarithms taken",
        W_HAT_LINES[6:9],
        Mutant("a sign slip: + w^T x_i for the log of e_i/(1 + e_i)", step=2, value=at_both(_line_logs_taken_sign_slip)),
    ),
    (
        "sign-brought-in",
        r"\sum_{i=1}^n (1 - y_i) \mathbf{w}^\top \mathbf{x}_i + \log(1 + \exp\{-\mathbf{w}^\top \mathbf{x}_i\})",
        "the fourth display: the negative sign brought into the sum",
        W_HAT_LINES[8:10],
        Mutant("the log term's sign flipped, as J is printed", step=1, value=at_both(printed_j)),
    ),
]
for _name, _quote, _which, _lines, _mutant in W_HAT_DISPLAYS:
    derivation(
        id=f"logistic.w-hat-chain-{_name}",
        worksheet=WS004,
        location="1, derivation of w-hat",
        quote=_quote,
        statement=f"In the chain for $\\hat w$, {_which}: each line has the same minimisers as the one before.",
        formalisation=(
            "The lines of logistic.w-hat-argmin-chain that this display prints, with the same reading (sums over i cover "
            "every i-indexed term; a leading minus negates the whole sum) and the same instances: each '=' joins literally "
            "equal objectives, checked as equal values at wa and wb."
        ),
        expected="holds",
        cases=CASES,
        instances=literal_data,
        steps=[Step(latex, at_both(line), rel) for latex, line, rel in _lines],
        mutant=_mutant,
    )


@forall(
    id="logistic.j-as-printed-equals-minimised-objective",
    worksheet=WS004,
    location="1, definition of J",
    quote=r"J(\mathbf{w}) = \sum_{i=1}^n (1 - y_i) \mathbf{w}^\top \mathbf{x}_i - \log(1 + \exp\{-\mathbf{w}^\top \mathbf{x}_i\})",
    statement="$J(w) = \\sum_i (1-y_i)w^\\top x_i - \\log(1+\\exp\\{-w^\\top x_i\\})$ is the objective minimised in the line before.",
    formalisation="for all X, y, w: sum_i (1-y_i) u_i - log(1+e^(-u_i)) == sum_i (1-y_i) u_i + log(1+e^(-u_i)), u_i = w^T x_i." + SCORE_LIMIT,
    expected="refuted",
    cases=CASES,
    instances=data,
    erratum=Erratum(
        "The log term has the wrong sign: the minimised objective, and the negative log likelihood, is "
        "$J(w) = \\sum_i (1-y_i)w^\\top x_i + \\log(1+\\exp\\{-w^\\top x_i\\}) = -\\log L(w)$.",
        corrected_by="logistic.j-with-plus-log-is-negative-log-likelihood",
        replacement=r"J(\mathbf{w}) = \sum_{i=1}^n (1 - y_i) \mathbf{w}^\top \mathbf{x}_i + \log(1 + \exp\{-\mathbf{w}^\top \mathbf{x}_i\})",
    ),
)
def j_as_printed_equals_objective(v: Any, ops: Any) -> Any:
    return equal(printed_j(v.wa, v, ops), j_objective(v.wa, v, ops))


@forall(
    id="logistic.j-with-plus-log-is-negative-log-likelihood",
    worksheet=WS004,
    location="1, definition of J",
    quote=r"J(\mathbf{w}) = \sum_{i=1}^n (1 - y_i) \mathbf{w}^\top \mathbf{x}_i - \log(1 + \exp\{-\mathbf{w}^\top \mathbf{x}_i\})",
    statement="(correction) $J(w) = \\sum_i (1-y_i)w^\\top x_i + \\log(1+\\exp\\{-w^\\top x_i\\}) = -\\log L(w)$.",
    formalisation="for all X, y in {0,1}^n, w: sum_i (1-y_i) u_i + log(1+e^(-u_i)) == -log L(w), L the model's likelihood." + SCORE_LIMIT,
    expected="holds",
    cases=CASES,
    instances=data,
    mutant=Mutant("the printed sign: - log(1 + e^(-u))", log_sign=-1),
)
def j_is_negative_log_likelihood(v: Any, ops: Any, log_sign: int = 1) -> Any:
    return equal(j_objective(v.wa, v, ops, log_sign), -ops.log(logistic.likelihood(v.wa, v.X, v.y, ops)))


def _convexity(v: Any, ops: Any, log_sign: int) -> Any:
    """$J(\\lambda a + (1-\\lambda) b) \\le \\lambda J(a) + (1-\\lambda) J(b)$ for the J with the given log sign."""
    lam = np.asarray(v.lam)
    mixed = j_objective(_col(lam) * v.wa + (1 - _col(lam)) * v.wb, v, ops, log_sign)
    chord = lam * j_objective(v.wa, v, ops, log_sign) + (1 - lam) * j_objective(v.wb, v, ops, log_sign)
    return at_most(mixed, chord)


@forall(
    id="logistic.j-as-printed-is-convex",
    worksheet=WS004,
    location="1, definition of J",
    quote=r"J(\mathbf{w}) = \sum_{i=1}^n (1 - y_i) \mathbf{w}^\top \mathbf{x}_i - \log(1 + \exp\{-\mathbf{w}^\top \mathbf{x}_i\})",
    statement="$J(w) = \\sum_i (1-y_i)w^\\top x_i - \\log(1+\\exp\\{-w^\\top x_i\\})$ is convex in $w$.",
    formalisation="for all X, y, wa, wb, lambda in (0,1): J(lambda wa + (1-lambda) wb) <= lambda J(wa) + (1-lambda) J(wb), J as printed." + SCORE_LIMIT,
    expected="refuted",
    cases=CASES,
    instances=data,
    erratum=Erratum(
        "J as printed is concave (its Hessian is $-X^\\top \\mathrm{diag}(q_i(1-q_i)) X$). The objective actually "
        "minimised, $\\sum_i (1-y_i)w^\\top x_i + \\log(1+\\exp\\{-w^\\top x_i\\})$, is convex.",
        corrected_by="logistic.nll-is-convex",
        replacement=r"J(\mathbf{w}) = \sum_{i=1}^n (1 - y_i) \mathbf{w}^\top \mathbf{x}_i + \log(1 + \exp\{-\mathbf{w}^\top \mathbf{x}_i\})",
    ),
)
def j_as_printed_is_convex(v: Any, ops: Any) -> Any:
    return _convexity(v, ops, log_sign=-1)


@forall(
    id="logistic.nll-is-convex",
    worksheet=WS004,
    location="1, definition of J",
    quote=r"Notice that $J(\mathbf{w})$ is convex in $\mathbf{w}$",
    statement="(correction) $J(w) = \\sum_i (1-y_i)w^\\top x_i + \\log(1+\\exp\\{-w^\\top x_i\\})$ is convex in $w$.",
    formalisation=(
        "for all X, y in {0,1}^n, wa, wb, lambda in (0,1): J(lambda wa + (1-lambda) wb) <= lambda J(wa) + "
        "(1-lambda) J(wb), and v^T H(wa) v >= 0 for the model's Hessian H = X^T diag(q(1-q)) X."
        + SCORE_LIMIT
    ),
    fact="logistic-loss-is-convex",
    expected="holds",
    cases=CASES,
    instances=data,
    mutant=Mutant("the printed sign: - log(1 + e^(-u))", log_sign=-1),
)
def nll_is_convex(v: Any, ops: Any, log_sign: int = 1) -> Any:
    curvature = ops.sum(v.v * ops.matvec(logistic.hessian(v.wa, v.X, v.y, ops), v.v))
    return {"chord above the graph": _convexity(v, ops, log_sign), "Hessian quadratic form >= 0": at_most(0, curvature)}


# ---------------------------------------------------------------- existence of a minimiser, gradient descent


def separable_data(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """As ``data``, with labels y_i = [v^T x_i > 0], so that the direction v separates the data."""
    out = data(case, rng, n)
    out["y"] = (np.einsum("bnd,bd->bn", out["X"], out["v"]) > 0).astype(float)
    return out


def _separation_margin(v: Any, ops: Any) -> Any:
    """$\\min_i (2y_i - 1)\\, v^\\top x_i$: positive exactly when v strictly separates the data."""
    return ops.min((2 * v.y - 1) * _u(v.v, v, ops), axis=-1)


def _nll_along(v: Any, ops: Any, steps: tuple[int, ...] = (0, 1, 2, 4)) -> Any:
    """J at w + t v for a few t: decreasing without end when v separates the data."""
    return np.stack([logistic.nll(v.wa + t * v.v, v.X, v.y, ops) for t in steps], axis=-1)


def no_separating_direction(v: Any, ops: Any) -> Any:
    """A minimiser of J can exist only if the drawn direction v does not strictly separate the data."""
    margin = _separation_margin(v, ops)
    return is_true(le(margin, 0), show={"min_i (2y_i-1) v^T x_i": margin, "J(w + t v), t = 0, 1, 2, 4": _nll_along(v, ops)})


MINIMISER_NEEDED = (
    "A global minimiser exists only if no direction v strictly separates the data: if (2y_i - 1) v^T x_i > 0 "
    "for all i, every term of J is strictly decreasing along v, so J(w + v) < J(w) for every w "
    "(logistic.separable-data-nll-has-no-minimiser). Checked: for all X, y in {0,1}^n, v: "
    "min_i (2y_i - 1) v^T x_i <= 0."
)


@forall(
    id="logistic.convex-j-has-global-minimum",
    worksheet=WS004,
    location="1, definition of J",
    quote="so global minimum can be found",
    statement="Since $J$ is convex in $w$, a global minimum of $J$ can be found.",
    formalisation=(
        "for every data set (X, y), J(w) = sum_i (1-y_i) w^T x_i + log(1+e^(-w^T x_i)) (the objective minimised; "
        "J as printed is concave, see logistic.j-as-printed-is-convex) attains a global minimum. " + MINIMISER_NEEDED
        + SCORE_LIMIT
    ),
    fact="logistic-nll-has-global-minimiser",
    expected="refuted",
    cases=CASES,
    instances=data,
    erratum=Erratum(
        "Convexity does not give a minimiser: on linearly separable data J decreases without end along a separating "
        "direction ($J(w+v) < J(w)$ for every $w$), so no global minimum exists; one exists when the data are not "
        "separable.",
        corrected_by="logistic.separable-data-nll-has-no-minimiser",
        replacement="so a global minimum can be found when one exists (when the data are not linearly separable)",
    ),
)
def convex_j_has_global_minimum(v: Any, ops: Any) -> Any:
    return no_separating_direction(v, ops)


@forall(
    id="logistic.gd-converges-to-global-minimum",
    worksheet=WS004,
    location="1, closing remark",
    quote="the convexity of this problem allows for first-order optimization algorithms, such as gradient descent, to converge to a global minimum",
    statement="The convexity of the problem lets gradient descent on $J$ converge to a global minimum.",
    formalisation=(
        "for every data set (X, y) and every w0, gradient descent on J with a small enough step has iterates that "
        "converge to a global minimiser of J; in particular one exists. " + MINIMISER_NEEDED
        + SCORE_LIMIT
    ),
    fact="logistic-gd-reaches-global-optimum",
    expected="refuted",
    cases=CASES,
    instances=data,
    erratum=Erratum(
        "On linearly separable data J has no minimiser ($J(w+v) < J(w)$ for every $w$ along a separating $v$), so the "
        "iterates cannot converge to one (their norm grows without bound). What convexity does give: for "
        "$\\eta \\le 4/\\|X\\|_F^2$ every step decreases J by at least $\\frac{\\eta}{2}\\|\\nabla J\\|^2$ "
        "(logistic.gd-step-decreases-nll-for-small-eta) and $J(w_t) \\to \\inf J$; the iterates converge to a "
        "global minimiser when one exists.",
        corrected_by="logistic.separable-data-nll-has-no-minimiser",
        replacement=r"the convexity of this problem allows for first-order optimization algorithms, such as gradient descent, to drive $J(\mathbf{w})$ to its infimum, and to a global minimum when one exists (when the data are not linearly separable)",
    ),
)
def gd_converges_to_global_minimum(v: Any, ops: Any) -> Any:
    return no_separating_direction(v, ops)


@forall(
    id="logistic.separable-data-nll-has-no-minimiser",
    worksheet=WS004,
    location="1, closing remark",
    quote="to converge to a global minimum",
    statement=(
        "(correction) If a direction $v$ strictly separates the data, $(2y_i-1)v^\\top x_i > 0$ for all $i$, then "
        "$J(w+v) < J(w)$ for every $w$, so $J$ has no global minimiser."
    ),
    formalisation=(
        "for all X, v, w with y_i = [v^T x_i > 0]: min_i (2y_i-1) v^T x_i > 0 => J(w + v) < J(w), J the model's "
        "negative log likelihood."
        + SCORE_LIMIT
    ),
    expected="holds",
    cases=CASES,
    instances=separable_data,
    mutant=Mutant("step against the separating direction: w - v", along=-1),
)
def separable_data_has_no_minimiser(v: Any, ops: Any, along: int = 1) -> Any:
    now = logistic.nll(v.wa, v.X, v.y, ops)
    moved = logistic.nll(v.wa + along * v.v, v.X, v.y, ops)
    separates = gt(_separation_margin(v, ops), 0)
    return is_true(separates.implies(lt(moved, now)), show={"J(w)": now, "J(w + v)": moved})


@forall(
    id="logistic.gd-step-decreases-nll-for-small-eta",
    worksheet=WS004,
    location="1, closing remark",
    quote="first-order optimization algorithms",
    statement=(
        "(correction) For $0 < \\eta \\le 4/\\|X\\|_F^2$ a gradient step decreases $J$: "
        "$J(w - \\eta\\nabla J(w)) \\le J(w) - \\frac{\\eta}{2}\\|\\nabla J(w)\\|^2$."
    ),
    formalisation=(
        "for all X, y in {0,1}^n, w, eta = f 4/||X||_F^2 with f in (0, 1]: J(gd_step(w)) <= J(w) - eta/2 ||grad J(w)||^2 "
        "(the descent lemma with L = ||X||_F^2/4 >= the largest eigenvalue of the Hessian X^T diag(q(1-q)) X)."
        + SCORE_LIMIT
    ),
    expected="holds",
    cases=CASES,
    instances=data,
    mutant=Mutant("step bound four times too large: 16/||X||_F^2", numerator=16),
)
def gd_step_decreases_nll(v: Any, ops: Any, numerator: int = 4) -> Any:
    eta = v.frac * numerator / ops.sum(ops.sum(v.X * v.X))
    g = logistic.grad(v.wa, v.X, v.y, ops)
    after = logistic.nll(logistic.gd_step(v.wa, v.X, v.y, eta, ops), v.X, v.y, ops)
    bound = logistic.nll(v.wa, v.X, v.y, ops) - eta / 2 * ops.sum(g * g)
    return at_most(after, bound, show={"eta": eta})


not_checkable(
    id="logistic.no-closed-form-mle",
    worksheet=WS004,
    location="1, closing remark",
    quote=r"we can't get a closed form estimate for $\mathbf{w}$ by setting the derivative to zero",
    statement="Setting $\\nabla J = X^\\top(s - y) = 0$ gives no closed-form estimate of $w$, since $s$ still depends on $w$.",
    reason=(
        "'No closed form' is a statement about which expressions count as closed forms, which the worksheet does not "
        "fix; the equation X^T(s(Xw) - y) = 0 is transcendental in w, but no finite check can show that no formula "
        "solves it."
    ),
)


# ---------------------------------------------------------------- s'(z) and the gradient line


# s(z)(1 - s(z)) cancels to e^-|z| for large |z|: the twin resolves it with about |z|/ln 2 bits,
# within its cap of 32,768 bits up to |z| of about 22,000.
Z_BOUND = 20000.0


def _sigmoid_by_definition(z: Any, ops: Any) -> Any:
    """$s(\\zeta) = 1/(1 + e^{-\\zeta})$ as the worksheet defines it (exp and a quotient: no sigmoid primitive)."""
    return 1 / (1 + ops.exp(-z))


@forall(
    id="logistic.sigmoid-derivative-is-s-times-one-minus-s",
    worksheet=WS004,
    location="1, gradient of J",
    quote=r"Note that $s'(\zeta) = s(\zeta)(1 - s(\zeta))$",
    statement="$s'(\\zeta) = s(\\zeta)(1 - s(\\zeta))$.",
    formalisation=(
        "for all z: s(z)(1 - s(z)) == d/dz s(z), the derivative taken three independent ways: (i) forward-mode "
        "differentiation (claims.engine.derivative: exp and quotient rules, no sigmoid primitive) of the definition "
        "s(z) = 1/(1 + e^-z); (ii) the closed form e^-z/(1 + e^-z)^2, that definition differentiated by hand with the "
        "chain rule; (iii) the model's Hessian of J for one example x = 1, y = 0 (J = log(1 + e^z), whose second "
        "derivative is s'(z); the Hessian is checked against mpmath in tests). "
        "z drawn with edges in |z| <= 20,000: beyond, s(z)(1 - s(z)) cancels to e^-|z| and deciding it needs more "
        "than the twin's 32,768 bits (9,864 digits)."
    ),
    expected="holds",
    cases=st.fixed_dictionaries({"log2_scale": st.integers(-1, 3)}),
    instances=lambda case, rng, n: {"z": reals(rng, n, scale=2.0**case.log2_scale, low=-Z_BOUND, high=Z_BOUND)},
    mutant=Mutant("sign slip: s(z)(1 + s(z))", sign=-1),
)
def sigmoid_derivative(v: Any, ops: Any, sign: int = 1) -> dict[str, Any]:
    s = ops.sigmoid(v.z)
    stated = s * (1 - sign * s)
    e = ops.exp(-v.z)
    w, X, y = _col(v.z), np.ones((1, 1), dtype=int), np.zeros(1, dtype=int)
    return {
        "= d/dz 1/(1 + e^-z) (forward mode)": equal(stated, derivative(_sigmoid_by_definition, v.z, ops)),
        "= e^-z/(1 + e^-z)^2 (chain rule by hand)": equal(stated, e / ((1 + e) * (1 + e))),
        "= J''(z) for one example (model Hessian)": equal(stated, logistic.hessian(w, X, y, ops)[..., 0, 0]),
    }


def grad_printed_j(v: Any, ops: Any) -> Any:
    """Gradient of J as printed, from the model's tested backward.

    Since $\\log(1+e^{-u}) = \\log(1+e^{u}) - u$, J as printed equals $-\\sum_i (1-y'_i)u_i + \\log(1+e^{-u_i})$
    with $y' = 2 - y$, i.e. minus the model's J at labels 2 - y (J is affine in the labels).
    """
    return -logistic.grad(v.wa, v.X, 2 - v.y, ops)


def grad_nll(v: Any, ops: Any) -> Any:
    """Gradient of the minimised objective (the model's hand-written backward, checked against mpmath)."""
    return logistic.grad(v.wa, v.X, v.y, ops)


def _sum_over_examples(coefficient: Any, v: Any, ops: Any) -> Any:
    """$\\sum_i c_i x_i$ for per-example coefficients c_i."""
    return ops.sum(coefficient[..., None] * v.X, axis=-2)


def grad_line_exp_form(v: Any, ops: Any) -> Any:
    """$\\sum_i (1-y_i)x_i - \\frac{\\exp\\{-w^\\top x_i\\}}{1+\\exp\\{-w^\\top x_i\\}} x_i$."""
    e = ops.exp(-_u(v.wa, v, ops))
    return _sum_over_examples((1 - v.y) - e / (1 + e), v, ops)


def grad_line_sigmoid_form(v: Any, ops: Any) -> Any:
    """$\\sum_i (-1 + s(w^\\top x_i) - y_i + 1) x_i$."""
    return _sum_over_examples(-1 + ops.sigmoid(_u(v.wa, v, ops)) - v.y + 1, v, ops)


def grad_line_s_i(sign: int) -> Callable[[Any, Any], Any]:
    """$\\sum_i (s_i - y_i) x_i$ with $s_i = s(\\pm w^\\top x_i)$ (the worksheet prints the minus sign)."""
    return lambda v, ops: _sum_over_examples(ops.sigmoid(sign * _u(v.wa, v, ops)) - v.y, v, ops)


def grad_line_matrix(sign: int) -> Callable[[Any, Any], Any]:
    """$X^\\top(\\mathbf{s} - \\mathbf{y})$ with the same $s_i$."""
    return lambda v, ops: ops.matvec(ops.T(v.X), ops.sigmoid(sign * _u(v.wa, v, ops)) - v.y)


GRAD_LINE_LATEX = [
    "$\\sum_i (1-y_i)x_i - \\frac{\\exp\\{-w^\\top x_i\\}}{1+\\exp\\{-w^\\top x_i\\}} x_i$",
    "$\\sum_i (-1 + s(w^\\top x_i) - y_i + 1) x_i$",
]


def grad_steps(start: tuple[str, Any], sign: int, s_latex: str) -> list[Step]:
    """The gradient line from a given left-hand side, with $s_i = s(\\pm w^\\top x_i)$."""
    return [
        Step(start[0], start[1]),
        Step(GRAD_LINE_LATEX[0], grad_line_exp_form),
        Step(GRAD_LINE_LATEX[1], grad_line_sigmoid_form),
        Step(f"$\\sum_i (s_i - y_i) x_i$, {s_latex}", grad_line_s_i(sign)),
        Step(f"$X^\\top(\\mathbf{{s}} - \\mathbf{{y}})$, {s_latex}", grad_line_matrix(sign)),
    ]


derivation(
    id="logistic.grad-j-line",
    worksheet=WS004,
    location="1, gradient of J",
    quote=r"$s_i = s(-\mathbf{w}^\top \mathbf{x}_i)$",
    statement=(
        "$\\nabla_w J = \\sum_i (1-y_i)x_i - \\frac{e^{-w^\\top x_i}}{1+e^{-w^\\top x_i}} x_i = \\sum_i (-1 + s(w^\\top x_i) "
        "- y_i + 1)x_i = \\sum_i (s_i - y_i)x_i = X^\\top(\\mathbf{s} - \\mathbf{y})$ with $s_i = s(-w^\\top x_i)$."
    ),
    formalisation=(
        "for all X, y in {0,1}^n, w: each expression equals the one before (vectors in R^d), starting from the true "
        "gradient of J as printed (sum_i (1-y_i) u_i - log(1+e^(-u_i))), with s_i = s(-w^T x_i) as printed."
        + SCORE_LIMIT
    ),
    expected="refuted",
    cases=CASES,
    instances=data,
    steps=grad_steps(("$\\nabla_w J$, $J$ as printed", grad_printed_j), -1, "$s_i = s(-w^\\top x_i)$"),
    erratum=Erratum(
        "The first expression is the gradient of the minimised objective "
        "$\\sum_i (1-y_i)w^\\top x_i + \\log(1+e^{-w^\\top x_i})$, not of J as printed; and the third needs "
        "$s_i = s(w^\\top x_i) = q_i$, not $s(-w^\\top x_i)$. Correct: $\\nabla J = \\sum_i (q_i - y_i)x_i = X^\\top(q - y)$.",
        corrected_by="logistic.grad-nll-is-x-transpose-q-minus-y",
        replacement=r"$s_i = s(\mathbf{w}^\top \mathbf{x}_i)$",
    ),
)

derivation(
    id="logistic.grad-nll-is-x-transpose-q-minus-y",
    worksheet=WS004,
    location="1, gradient of J",
    quote=r"= \sum_{i=1}^n (s_i - y_i) \mathbf{x}_i = \mathbf{X}^\top (\mathbf{s} - \mathbf{y})",
    statement=(
        "(correction) For $J = \\sum_i (1-y_i)w^\\top x_i + \\log(1+e^{-w^\\top x_i})$: $\\nabla_w J = \\sum_i (1-y_i)x_i - "
        "\\frac{e^{-w^\\top x_i}}{1+e^{-w^\\top x_i}} x_i = \\sum_i (-1 + s(w^\\top x_i) - y_i + 1)x_i = "
        "\\sum_i (q_i - y_i)x_i = X^\\top(q - y)$ with $q_i = s(w^\\top x_i)$."
    ),
    formalisation="for all X, y in {0,1}^n, w: each expression equals the one before, starting from the model's gradient of J." + SCORE_LIMIT,
    expected="holds",
    cases=CASES,
    instances=data,
    steps=grad_steps(("$\\nabla_w J$ (model backward)", grad_nll), 1, "$s_i = q_i = s(w^\\top x_i)$"),
    mutant=Mutant("s_i = s(-w^T x_i), as printed", step=3, value=grad_line_s_i(-1)),
)
