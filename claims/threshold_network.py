"""A hard-threshold 5-4-1 perceptron that decides x1 > x2 > x3 > x4 > x5 (002 Problem 1).

Proofs over all real inputs reduce to finite domains: when every hidden row of W1 is a difference
of two consecutive unit vectors and b1 = 0, hidden unit i sees +-(x_{i+1} - x_i), so the output,
like the target, depends on x only through the sign pattern (<0, =0, >0) of the four consecutive
differences. The 3^4 = 81 patterns, each realised by an integer input, then cover every real input.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from claims.engine import Erratum, Mutant, differ, equal, exact, exhaustive, exists, forall, is_true, not_checkable, st
from claims.worksheets import WS002
from models import F64, threshold_net

N_INPUTS, N_HIDDEN = 5, 4
# The worksheet's answer, items (1)-(4), exactly as printed.
W1 = np.array([[-1, 1, 0, 0, 0], [0, -1, 1, 0, 0], [0, 0, -1, 1, 0], [0, 0, 0, -1, 1]], dtype=float)
B1_PRINTED = np.zeros(5)  # (2) prints a column of five zeros
B1_FITTED = np.zeros(N_HIDDEN)  # "all zeros", one per hidden unit
W2 = -np.ones(N_HIDDEN)
B2 = 0.0
REDUCTION = (
    "Reduction to a finite domain: every row of W1 is +-(e_{i+1} - e_i) and b1 = 0 (checked exactly), so z_i = "
    "+-(x_{i+1} - x_i), and both y and the target depend on x only through the signs (<0, =0, >0) of the four "
    "consecutive differences; all 3^4 = 81 sign patterns are enumerated, each as the integer input x = (0, cumsum(s))."
)

# ---------------------------------------------------------------- finite domains


def difference_patterns() -> dict[str, np.ndarray]:
    """81 integer inputs x = (0, s1, s1+s2, ...), one per sign pattern s in {-1,0,1}^4 of x_{i+1} - x_i."""
    s = sign_patterns()["d"]
    return {"x": np.hstack([np.zeros((len(s), 1)), np.cumsum(s, axis=1)])}


def sign_patterns() -> dict[str, np.ndarray]:
    """All 3^4 sign patterns (<0, =0, >0) of the four differences d_i, as d in {-1, 0, 1}^4."""
    return {"d": np.array(list(itertools.product((-1, 0, 1), repeat=N_HIDDEN)), dtype=float)}


def unit_inputs() -> dict[str, np.ndarray]:
    """The five unit vectors: a linear map agrees with another on all of R^5 iff on these."""
    return {"x": np.eye(N_INPUTS)}


def one_descending_input() -> dict[str, np.ndarray]:
    return {"x": np.array([[5.0, 4.0, 3.0, 2.0, 1.0]])}


# ---------------------------------------------------------------- helpers


def strictly_descending(x: Any) -> Any:
    """1 if x1 > x2 > ... > x5 else 0: the function the network must implement."""
    return np.where(np.all(x[..., :-1] > x[..., 1:], axis=-1), 1, 0)


def _rows_are_consecutive_differences(W: np.ndarray) -> bool:
    """Row i is +-(e_{i+1} - e_i): hidden unit i sees one consecutive difference, up to sign."""
    D = np.eye(W.shape[0], W.shape[1], k=1) - np.eye(W.shape[0], W.shape[1])
    return bool(np.all(np.all(W == D, axis=1) | np.all(W == -D, axis=1)))


def _shape(a: Any) -> str:
    return "x".join(map(str, np.shape(a))) or "scalar"


def _shapes(W1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: Any) -> dict[str, Any]:
    """One exact sub-check per answer item: does its shape fit the 5-4-1 network?"""
    shown = {
        "W1 shape": _shape(W1),
        "b1 shape": _shape(b1),
        "w2 shape": _shape(w2),
        "b2 shape": _shape(b2),
        "inputs": N_INPUTS,
        "hidden units": N_HIDDEN,
    }
    return {
        "(1) W1 is hidden x inputs = 4x5": is_true(exact(W1.shape == (N_HIDDEN, N_INPUTS)), show=shown),
        "(2) b1 has one entry per hidden unit (4)": is_true(exact(b1.shape == (N_HIDDEN,)), show=shown),
        "(3) w2 has one entry per hidden unit (4)": is_true(exact(w2.shape == (N_HIDDEN,)), show=shown),
        "(4) b2 is a scalar": is_true(exact(np.shape(b2) == ()), show=shown),
    }


def _implements(x: Any, ops: Any, W1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: Any) -> dict[str, Any]:
    """Shape checks, the exact reduction to sign patterns, and y == 1[x1 > ... > x5] on each of them."""
    rels = _shapes(W1, b1, w2, b2)
    if not all(bool(r.lhs.value) for r in rels.values()):
        return rels  # the network cannot be evaluated with parameters that do not fit it
    reduction = _rows_are_consecutive_differences(W1) and not b1.any()
    rels["reduction: rows of W1 are +-(e_{i+1} - e_i) and b1 = 0"] = is_true(exact(reduction))
    y = threshold_net.forward(W1, b1, w2, b2, x, ops).y
    rels["y = 1 iff x1 > x2 > x3 > x4 > x5"] = equal(y, strictly_descending(x), show={"x": x})
    return rels


# ---------------------------------------------------------------- the task


@exhaustive(
    id="threshold.task-orders-a-list-of-four-numbers",
    worksheet=WS002,
    location="Problem 1",
    quote=r"a list of four numbers",
    statement=(
        "The network decides whether a list of four numbers is in descending order, given as the inputs $x_1, \\dots, "
        "x_5$."
    ),
    formalisation=(
        "The list whose order the condition x1 > x2 > x3 > x4 > x5 tests has 4 entries (count of inputs == 4)."
    ),
    expected="refuted",
    domain=one_descending_input,
    erratum=Erratum(
        "The condition $x_1 > \\dots > x_5$ orders five numbers, not four: the list has five entries "
        "and there are four consecutive comparisons (one per hidden unit).",
        corrected_by="threshold.task-orders-five-inputs-by-four-comparisons",
        replacement=r"a list of five numbers",
    ),
)
def task_four_numbers(v: Any, ops: Any) -> Any:
    n = np.shape(v.x)[-1]
    return is_true(exact(n == 4), show={"numbers in the list": n, "consecutive comparisons": n - 1})


@exhaustive(
    id="threshold.task-orders-five-inputs-by-four-comparisons",
    worksheet=WS002,
    location="Problem 1",
    quote=r"you receive five inputs x_1, x_2, x_3, x_4 and x_5",
    statement=(
        "The list $x_1, \\dots, x_5$ has five numbers; it is descending iff its four consecutive comparisons hold, one "
        "per hidden unit."
    ),
    formalisation="count of inputs == 5 and count of consecutive comparisons == 4 == number of hidden units.",
    expected="proved",
    domain=one_descending_input,
    mutant=Mutant("the list read as four numbers", n_numbers=4),
)
def task_five_numbers(v: Any, ops: Any, n_numbers: int = N_INPUTS) -> Any:
    n = np.shape(v.x)[-1]
    return is_true(
        exact(n == n_numbers and n - 1 == N_HIDDEN), show={"numbers in the list": n, "hidden units": N_HIDDEN}
    )


def _real_inputs(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Five reals per instance: small integers (many ties) or continuous values."""
    if case.ties:
        return {"x": rng.integers(-2, 3, size=(n, N_INPUTS)).astype(float)}
    return {"x": rng.normal(size=(n, N_INPUTS)) * 10.0 ** rng.integers(-3, 4, size=(n, 1))}


REAL_INPUTS = st.fixed_dictionaries({"ties": st.booleans()})


@forall(
    id="threshold.descending-iff-differences-xi-minus-next-positive",
    worksheet=WS002,
    location="Problem 1, solution",
    quote=r"is to ensure that $d_i = x_i - x_{i+1} > 0$",
    statement="$x_i > x_{i+1}$ is ensured by $d_i = x_i - x_{i+1} > 0$, for $i = 1, \\dots, 4$.",
    formalisation=(
        "for all x in R^5 and i = 1..4: x_i > x_{i+1} <=> x_i - x_{i+1} > 0 (comparisons of floats and the sign "
        "of their float difference are exact in IEEE arithmetic, so exact booleans are used)."
    ),
    expected="holds",
    cases=REAL_INPUTS,
    instances=_real_inputs,
    mutant=Mutant("d_i >= 0 instead of d_i > 0", nonstrict=True),
)
def descending_iff_differences(v: Any, ops: Any, nonstrict: bool = False) -> Any:
    x = v.x
    d = x[..., :-1] - x[..., 1:]
    positive = d >= 0 if nonstrict else d > 0
    return is_true(exact(x[..., :-1] > x[..., 1:]).iff(exact(positive)), show={"d": d})


# ---------------------------------------------------------------- the rejected first idea


def _tie_pairs(case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """A strictly descending x and a copy x' with one adjacent pair made equal (x'_{i+1} = x'_i)."""
    x = -np.sort(rng.choice(np.arange(-20, 21), size=(n, N_INPUTS), replace=True), axis=1).astype(float)
    x = x - np.arange(N_INPUTS) * 0.5  # strictly descending even where the draw repeated a value
    tied = x.copy()
    i = rng.integers(0, N_INPUTS - 1, n)
    tied[np.arange(n), i + 1] = tied[np.arange(n), i]
    return {"x": x, "x_tied": tied}


def _hidden(x: Any, ops: Any, forward_difference: bool) -> Any:
    """h_i = step(d_i) with d_i = x_i - x_{i+1} (first idea) or x_{i+1} - x_i (the worksheet's choice)."""
    d = x[..., :-1] - x[..., 1:]
    return ops.step(-d if forward_difference else d)


@exists(
    id="threshold.rejected-idea-positive-difference-units-fail-at-ties",
    worksheet=WS002,
    location="Problem 1, solution",
    quote=r"given our output activation fires even when $d_i = 0$, this way will not work when $x_i = x_{i+1}$",
    statement=(
        "Hidden units $h_i = \\sigma(d_i)$ with $d_i = x_i - x_{i+1}$ cannot fire only when $d_i > 0$: the threshold "
        "fires at $d_i = 0$, so this choice fails when $x_i = x_{i+1}$."
    ),
    formalisation=(
        "exists x with x1 > ... > x5 and x' with a tie x'_i = x'_{i+1} such that h(x) == h(x') for h_i = step(x_i - "
        "x_{i+1}) "
        "(so h_i = 1 at d_i = 0) while the targets differ: then no output unit on top of these h can be right on both. "
        "The worksheet's reason ('our output activation fires even when d_i = 0') is read as: the threshold sigma, "
        "used by every unit, fires at 0."
    ),
    expected="witnessed",
    cases=st.fixed_dictionaries({}),
    instances=_tie_pairs,
    mutant=Mutant("hidden units fed x_{i+1} - x_i (the worksheet's final choice)", forward_difference=True),
)
def rejected_idea(v: Any, ops: Any, forward_difference: bool = False) -> Any:
    h, h_tied = _hidden(v.x, ops, forward_difference), _hidden(v.x_tied, ops, forward_difference)
    shown = {"h(x)": h, "h(x')": h_tied}
    tie = v.x_tied[..., :-1] == v.x_tied[..., 1:]
    return {
        "same hidden vector": equal(h, h_tied, show=shown),
        "different targets": differ(strictly_descending(v.x), strictly_descending(v.x_tied), show=shown),
        "the unit at the tie (d_i = 0) fires": is_true(exact(np.all(~tie | (h_tied == 1), axis=-1)), show=shown),
    }


# ---------------------------------------------------------------- the worksheet's construction


@exhaustive(
    id="threshold.first-layer-computes-next-minus-current",
    worksheet=WS002,
    location="Problem 1 (1)",
    quote=r"\tilde{W}^{(1)} = \begin{bmatrix} -1 & 1 & 0 & 0 & 0 \\ 0 & -1 & 1 & 0 & 0",
    statement="With the printed $W^{(1)}$, hidden unit $i$ receives $d_i = x_{i+1} - x_i$, $i = 1, \\dots, 4$.",
    formalisation=(
        "for all x in R^5: W1 x == (x_{i+1} - x_i)_{i=1..4}; both sides are linear, so checking the 5 unit vectors "
        "proves it."
    ),
    expected="proved",
    domain=unit_inputs,
    mutant=Mutant("differences oriented x_i - x_{i+1}", orientation=-1),
)
def first_layer_differences(v: Any, ops: Any, orientation: int = 1) -> Any:
    d = orientation * (v.x[..., 1:] - v.x[..., :-1])
    return equal(ops.matvec(W1, v.x), d)


def _representative_differences() -> dict[str, np.ndarray]:
    """Representatives of both sides of the jump: signed zeros, subnormals, tiny, unit and huge d."""
    pool = [0.0, -0.0, 5e-324, -5e-324, 1e-300, -1e-300, 1e-9, -1e-9, 1.0, -1.0, 1e300, -1e300]
    return {"d": np.array(pool)}


@exhaustive(
    id="threshold.hidden-unit-zero-below-zero-one-from-zero",
    worksheet=WS002,
    location="Problem 1, solution",
    quote=r"So consider $d_i = x_{i+1} - x_i$. For this, when $d_i < 0$, the output would be zero, and for $d_i \geq 0$, the output would be 1",
    statement=(
        "With $d_i = x_{i+1} - x_i$: $d_i < 0 \\Rightarrow h_i = 0$, and $d_i \\ge 0$ (in particular $d_i > 0$) "
        "$\\Rightarrow h_i = 1$."
    ),
    formalisation=(
        "for all real d: (d < 0 => step(d) == 0) and (d >= 0 => step(d) == 1) and (d > 0 => step(d) == 1). By its "
        "definition step is constant on (-inf, 0) and on [0, inf), so representatives of each side prove it; the ones "
        "used also probe the model at signed zeros, subnormals and +-1e300."
    ),
    expected="proved",
    domain=_representative_differences,
    mutant=Mutant("a strict threshold (fires only for z > 0)", strict=True),
)
def hidden_unit_cases(v: Any, ops: Any, strict: bool = False) -> Any:
    d = v.d
    h = np.where(d > 0, d * 0 + 1, d * 0) if strict else ops.step(d)
    return {
        "d < 0 -> h = 0": is_true(exact(d < 0).implies(exact(h == 0)), show={"h": h}),
        "d >= 0 -> h = 1": is_true(exact(d >= 0).implies(exact(h == 1)), show={"h": h}),
        "d > 0 -> h = 1": is_true(exact(d > 0).implies(exact(h == 1)), show={"h": h}),
    }


def _output_from_differences(d: Any, ops: Any, w2: Any, b2: Any) -> tuple[Any, Any]:
    h = ops.step(d)
    return h, ops.step(ops.sum(w2 * h) + b2)


@exhaustive(
    id="threshold.all-differences-negative-output-one",
    worksheet=WS002,
    location="Problem 1, solution",
    quote=r"If all $d_i < 0$, $i=1,2,3,4$, then the output of hidden activations $h_i = 0 \forall i$, and hence the output would be set to 1",
    statement=(
        "If all $d_i < 0$ then $h_i = 0$ for every $i$, and the output is 1 (with $w^{(2)} = -\\mathbf{1}$, $b^{(2)} = "
        "0$)."
    ),
    formalisation=(
        "for all d in R^4: (all d_i < 0) => h == 0 and y = step(w2 . step(d) + b2) == 1; step(d_i) depends only on "
        "sign(d_i), so the 81 sign patterns d in {-1,0,1}^4 prove it."
    ),
    expected="proved",
    domain=sign_patterns,
    mutant=Mutant("output bias b2 = -1", b2=-1.0),
)
def all_negative_fires(v: Any, ops: Any, b2: float = B2) -> Any:
    h, y = _output_from_differences(v.d, ops, W2, b2)
    premise = exact(np.all(v.d < 0, axis=-1))
    return {
        "h = 0": is_true(premise.implies(exact(np.all(h == 0, axis=-1))), show={"h": h}),
        "y = 1": is_true(premise.implies(exact(y == 1)), show={"h": h, "y": y}),
    }


@exhaustive(
    id="threshold.any-difference-nonnegative-output-zero",
    worksheet=WS002,
    location="Problem 1, solution",
    quote=r"one could set the weights of the second layer to some negative value say $w_i^{(2)} = -1$",
    statement=(
        "If any $d_i \\ge 0$ then $h_i = 1$, and second-layer weights $w_i^{(2)} = -1$ (with $b^{(2)} = 0$) keep the "
        "output at 0."
    ),
    formalisation=(
        "for all d in R^4: (some d_i >= 0) => that h_i == 1 and y = step(-sum_i h_i + 0) == 0; proved on the 81 sign "
        "patterns d in {-1,0,1}^4 (step(d_i) depends only on sign(d_i))."
    ),
    expected="proved",
    domain=sign_patterns,
    mutant=Mutant("output bias b2 = 1 (fires with one active hidden unit)", b2=1.0),
)
def any_nonnegative_silences(v: Any, ops: Any, b2: float = B2) -> Any:
    h, y = _output_from_differences(v.d, ops, W2, b2)
    nonneg = v.d >= 0
    return {
        "d_i >= 0 -> h_i = 1": is_true(exact(np.all(~nonneg | (h == 1), axis=-1)), show={"h": h}),
        "y = 0": is_true(exact(np.any(nonneg, axis=-1)).implies(exact(y == 0)), show={"h": h, "y": y}),
    }


@exhaustive(
    id="threshold.answer-implements-strict-descent-including-ties",
    worksheet=WS002,
    location="Problem 1 (1)-(4)",
    quote=r"\tilde{b}^{(1)} = \begin{bmatrix} 0 \\ 0 \\ 0 \\ 0 \\ 0 \end{bmatrix}",
    statement=(
        "The printed $W^{(1)}$, $b^{(1)} = (0,0,0,0,0)^\\top$, $w^{(2)} = (-1,-1,-1,-1)^\\top$ and $b^{(2)} = 0$ make "
        "the "
        "4-hidden-unit threshold network output 1 iff $x_1 > x_2 > x_3 > x_4 > x_5$, for all real inputs including "
        "ties."
    ),
    formalisation=(
        "the shapes fit the 5-4-1 network (W1 4x5, b1 in R^4, w2 in R^4, b2 scalar) and for all x in R^5: "
        "step(w2 . step(W1 x + b1) + b2) == 1[x1 > ... > x5]. " + REDUCTION
    ),
    expected="refuted",
    domain=difference_patterns,
    erratum=Erratum(
        "The printed $b^{(1)}$ has five entries but the hidden layer has four units, so $W^{(1)}x + b^{(1)}$ is "
        "undefined; with $b^{(1)} = \\mathbf{0} \\in \\mathbb{R}^4$ the answer is correct for all real inputs, ties "
        "included.",
        corrected_by="threshold.answer-with-four-zero-biases-implements-strict-descent",
        replacement=r"\tilde{b}^{(1)} = \begin{bmatrix} 0 \\ 0 \\ 0 \\ 0 \end{bmatrix}",
    ),
)
def answer_as_printed(v: Any, ops: Any) -> Any:
    return _implements(v.x, ops, W1, B1_PRINTED, W2, B2)


@exhaustive(
    id="threshold.answer-with-four-zero-biases-implements-strict-descent",
    worksheet=WS002,
    location="Problem 1 (1)-(4)",
    quote=r"(2) The bias vector for first layer can be all zeros",
    statement=(
        "With the printed $W^{(1)}$, $b^{(1)} = \\mathbf{0} \\in \\mathbb{R}^4$, $w^{(2)} = -\\mathbf{1}$ and "
        "$b^{(2)} = 0$, "
        "the network outputs 1 iff $x_1 > x_2 > x_3 > x_4 > x_5$, for all real inputs including ties."
    ),
    formalisation="shapes fit and for all x in R^5: step(w2 . step(W1 x) + 0) == 1[x1 > ... > x5]. " + REDUCTION,
    expected="proved",
    domain=difference_patterns,
    mutant=Mutant("hidden rows oriented x_i - x_{i+1} (the rejected first idea)", orientation=-1),
)
def answer_fitted(v: Any, ops: Any, orientation: int = 1) -> Any:
    return _implements(v.x, ops, orientation * W1, B1_FITTED, W2, B2)


def _scalings() -> dict[str, np.ndarray]:
    return {"c": np.array([0.5, 2.0, 10.0])}


@exhaustive(
    id="threshold.answer-is-not-the-only-solution",
    worksheet=WS002,
    location="Problem 1, note",
    quote=r"Note: There can be many possible solutions of this problem!",
    statement="The problem has many solutions besides the one given.",
    formalisation=(
        "for c in {1/2, 2, 10}: (c W1, 0, w2, b2) differs from the given answer and implements 1[x1 > ... > x5] "
        "on all real inputs (c > 0 keeps the sign of every z_i, so the reduction to the 81 sign patterns applies)."
    ),
    expected="proved",
    domain=_scalings,
    mutant=Mutant("scaling by a negative factor (c -> -c)", sign=-1),
)
def many_solutions(v: Any, ops: Any, sign: int = 1) -> Any:
    x = difference_patterns()["x"]
    c = np.asarray(sign * v.c)  # an array even for the twin's single mpf
    W = c[..., None, None] * W1  # (..., 4, 5)
    f = threshold_net.forward(W[..., None, :, :], B1_FITTED, W2, B2, x, ops)  # (..., 81)
    return {
        "differs from the given W1": differ(W, W1),
        "y = 1 iff x1 > ... > x5 on every sign pattern": equal(f.y, strictly_descending(x)),
    }


not_checkable(
    id="threshold.marking-scheme",
    worksheet=WS002,
    location="Problem 1, marking scheme",
    quote=r"Marking scheme: → A) Works for $x_1 > x_2 > x_3 > x_4 > x_5 \rightarrow 10/20$",
    statement=(
        "A) Works for $x_1 > x_2 > x_3 > x_4 > x_5$: 10/20. B) Works for $x_1 > x_2 > x_3 > x_4 > x_5$: 20/20 "
        "(as printed, the same condition twice)."
    ),
    reason=(
        "A grading rubric: the marks it assigns state no property of a network. Whether its two items can be told "
        "apart is checked in threshold.marking-scheme-items-a-and-b-as-printed."
    ),
)

# The two networks a marker meets: the worksheet's answer, and the rejected first idea (hidden units
# sigma(x_i - x_{i+1}), which fire at ties, with an output that fires only when all four do).
RUBRIC_NETS = {
    "worksheet's answer": (W1, B1_FITTED, W2, B2),
    "first idea, sigma(x_i - x_{i+1})": (-W1, B1_FITTED, np.ones(N_HIDDEN), -float(N_HIDDEN)),
}


def _correct_on(net: tuple, x: np.ndarray) -> np.ndarray:
    """Per input: does the network output 1[x1 > ... > x5]? (threshold outputs of integer inputs: exact)."""
    y = threshold_net.forward(*net, x, F64).y
    return y == strictly_descending(x)


def _rubric(net: tuple, b_with_ties: bool) -> list[int]:
    """The marks a network earns on the sign patterns: A) correct on inputs without ties; B) as printed, the same
    condition, or (corrected) correct on every input, ties included."""
    x = difference_patterns()["x"]
    no_ties = np.all(x[:, 1:] != x[:, :-1], axis=1)
    a = bool(np.all(_correct_on(net, x)[no_ties]))
    b = bool(np.all(_correct_on(net, x))) if b_with_ties else a
    return [mark for mark, met in ((10, a), (20, b)) if met]


@exhaustive(
    id="threshold.marking-scheme-items-a-and-b-as-printed",
    worksheet=WS002,
    location="Problem 1, marking scheme",
    quote=r"B) Works for $x_1 > x_2 > x_3 > x_4 > x_5 \rightarrow 20/20$",
    statement=(
        "The marking scheme's items A) and B) are different conditions, so a network earns one mark: A) works for "
        "$x_1 > x_2 > x_3 > x_4 > x_5$ (10/20), B) works for $x_1 > x_2 > x_3 > x_4 > x_5$ (20/20), as printed."
    ),
    formalisation=(
        "For the worksheet's answer and the rejected first idea: 'works for x1 > ... > x5' read as correct on every "
        "input without ties (both items print it); each network meets at most one item. "
        + REDUCTION.replace("every row of W1 is", "every row of either network's W1 is")
    ),
    expected="refuted",
    domain=dict,
    erratum=Erratum(
        "Items A and B print the same condition, so a network that meets one meets both and earns 10/20 and "
        "20/20 at once. The problem asks for correct outputs 'including cases where some of the inputs are "
        "equal', which is what B must add: then the first idea meets A and not B, and the answer meets both.",
        corrected_by="threshold.marking-scheme-b-with-ties-separates-networks",
        replacement=r"B) Works for $x_1 > x_2 > x_3 > x_4 > x_5$ and when some inputs are equal $\rightarrow 20/20$",
    ),
)
def rubric_as_printed(v: Any, ops: Any) -> Any:
    marks = {name: _rubric(net, b_with_ties=False) for name, net in RUBRIC_NETS.items()}
    return is_true(exact(all(len(m) <= 1 for m in marks.values())), show={"marks": marks})


@exhaustive(
    id="threshold.marking-scheme-b-with-ties-separates-networks",
    worksheet=WS002,
    location="Problem 1, marking scheme",
    quote=r"B) Works for $x_1 > x_2 > x_3 > x_4 > x_5 \rightarrow 20/20$",
    statement=(
        "With B) read as 'also correct when some inputs are equal', the items separate networks: the first idea "
        "(units $\\sigma(x_i - x_{i+1})$, output firing when all four do) meets A and not B; the worksheet's answer "
        "meets both."
    ),
    formalisation=(
        "A: correct on every input without ties; B: correct on every input. First idea: A and not B; worksheet's "
        "answer: A and B. " + REDUCTION.replace("every row of W1 is", "every row of either network's W1 is")
    ),
    expected="proved",
    domain=dict,
    mutant=Mutant("B read as printed (the same condition as A)", b_with_ties=False),
)
def rubric_with_ties(v: Any, ops: Any, b_with_ties: bool = True) -> Any:
    marks = {name: _rubric(net, b_with_ties) for name, net in RUBRIC_NETS.items()}
    return {
        "first idea meets A only": is_true(exact(marks["first idea, sigma(x_i - x_{i+1})"] == [10]), show={"marks": marks}),
        "the answer meets A and B": is_true(exact(marks["worksheet's answer"] == [10, 20]), show={"marks": marks}),
    }


not_checkable(
    id="threshold.hard-threshold-definition",
    worksheet=WS002,
    location="Problem 1",
    quote=r"\sigma(z) = \begin{cases} 1 & \text{if } z \geq 0 \\ 0 & \text{if } z < 0 \end{cases}",
    statement="The hard threshold $\\sigma(z) = 1$ for $z \\ge 0$, $0$ for $z < 0$, the activation of every unit.",
    reason="A definition: it fixes the activation (ops.step implements it) and asserts nothing.",
)

for _id, _quote, _what in (
    ("threshold.displayed-positive-difference-fires", r"d_i > 0 \rightarrow h_i \rightarrow 1", "$d_i > 0 \\rightarrow h_i = 1$"),
    ("threshold.displayed-negative-difference-silent", r"d_i < 0 \rightarrow h_i \rightarrow 0", "$d_i < 0 \\rightarrow h_i = 0$"),
):
    exhaustive(
        id=_id,
        worksheet=WS002,
        location="Problem 1, solution",
        quote=_quote,
        statement=f"With $d_i = x_{{i+1}} - x_i$ fed to the threshold unit $h_i$: {_what} (the displayed line).",
        formalisation="for all real d: the unit's output step(d) on each side of 0; checked with the cases of "
        "threshold.hidden-unit-zero-below-zero-one-from-zero (step is constant on (-inf, 0) and on [0, inf)).",
        expected="proved",
        domain=_representative_differences,
        mutant=Mutant("a strict threshold (fires only for z > 0)", strict=True),
    )(hidden_unit_cases)
