"""The engine's trap suite: claims a naive float64 check decides wrongly (issue 6).

Half the traps are TRUE statements that float64 refutes (cancellation to exactly 0, exp/log of
arguments in the hundreds and thousands, overflowing intermediates, differences of nearly equal
numbers, ties that rounding flips); the engine must say ``holds`` (``proved`` when exhaustive).
The other half are FALSE statements that only an edge refutes (a kink at 0, a tie, a
rank-deficient matrix, a boundary value, a difference below float64 resolution); the engine must
say ``refuted`` with a counterexample. Every float input is an exact binary rational.

Each trap is two tests: ``test_naive_float64_is_fooled`` shows that the trap is real (plain NumPy
``==``/``<`` on the check's float64 values is wrong at every trap input of a true claim, and
finds no counterexample among 10,000 natural draws from a false claim's domain), and
``test_trap`` pins the engine's verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from claims.engine import REGISTRY, Cmp, Erratum, Mutant, differ, equal, exhaustive, forall, gt, is_true, lt, st
from claims.engine.profiles import PROFILES
from claims.engine.run import run_claim
from claims.worksheets import WS000
from models import F64

NAIVE_DRAWS = 10_000
CONTROL = PROFILES["control"]

# ---------------------------------------------------------------- exact constants

ULP1 = 2.0**-52  # the gap between 1 and the next float
TINY = 5e-324  # the smallest positive subnormal, 2**-1074
BELOW_2_3 = 2 / 3  # fl(2/3) = 0.666...63 < 2/3


def below(q: Fraction) -> float:
    """The largest float strictly below the rational q (positive q)."""
    c = float(q)
    return float(np.nextafter(c, 0.0)) if Fraction(c) >= q else c


def at_most(q: Fraction) -> float:
    """The largest float at most the rational q (q itself when it is a float)."""
    c = float(q)
    return c if Fraction(c) <= q else float(np.nextafter(c, 0.0))


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Trap:
    """One trap claim: its check, its domain, and the edge inputs that make it a trap.

    ``draw(rng, n)`` samples the statement's domain naturally (no edges). ``edges`` (arrays with a
    leading axis) are put into every batch: for a true claim they are inputs where naive float64
    is wrong, for a false claim the counterexamples. An exhaustive claim checks ``grid`` (which
    holds the edges) instead of sampling.
    """

    slug: str
    statement: str
    expected: str
    check: Callable[..., Any]
    draw: Callable[[np.random.Generator, int], dict[str, np.ndarray]]
    edges: dict[str, list[Any]]
    grid: dict[str, np.ndarray] | None = field(default=None)

    @property
    def true(self) -> bool:
        return self.expected in ("holds", "proved")

    def edge_arrays(self) -> dict[str, np.ndarray]:
        return {k: np.asarray(v, dtype=float) for k, v in self.edges.items()}

    def instances(self, case: Any, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
        edges = self.edge_arrays()
        k = len(next(iter(edges.values())))
        drawn = self.draw(rng, max(n - k, 1))
        return {key: np.concatenate([edges[key], np.asarray(drawn[key], dtype=float)]) for key in edges}


TRAPS: list[Trap] = []


def trap(slug: str, statement: str, expected: str, draw: Callable[..., Any], edges: dict[str, list[Any]], grid: dict[str, Any] | None = None) -> Callable[..., Any]:
    """Register the decorated check as a trap claim."""

    def register(check: Callable[..., Any]) -> Callable[..., Any]:
        TRAPS.append(Trap(slug, statement, expected, check, draw, edges, grid))
        return check

    return register


# ---------------------------------------------------------------- domain samplers


def uniform(lo: float, hi: float, size: tuple[int, ...] = ()) -> Callable[[np.random.Generator, int], np.ndarray]:
    return lambda rng, n: rng.uniform(lo, hi, (n, *size))


def log_uniform(lo: float, hi: float, signed: bool = False, size: tuple[int, ...] = ()) -> Callable[[np.random.Generator, int], np.ndarray]:
    """|x| = 10^u with u uniform in [log10 lo, log10 hi]; a random sign when ``signed``."""

    def draw(rng: np.random.Generator, n: int) -> np.ndarray:
        mag = 10.0 ** rng.uniform(np.log10(lo), np.log10(hi), (n, *size))
        return mag * (rng.choice([-1.0, 1.0], (n, *size)) if signed else 1.0)

    return draw


def normal(scale: float = 1.0, size: tuple[int, ...] = ()) -> Callable[[np.random.Generator, int], np.ndarray]:
    return lambda rng, n: rng.normal(0.0, scale, (n, *size))


def domain(**samplers: Callable[[np.random.Generator, int], np.ndarray]) -> Callable[[np.random.Generator, int], dict[str, np.ndarray]]:
    """Independent samplers per input."""
    return lambda rng, n: {k: s(rng, n) for k, s in samplers.items()}


def sorted_pair(lo: float, hi: float) -> Callable[[np.random.Generator, int], dict[str, np.ndarray]]:
    """x < y, both uniform in [lo, hi]."""

    def draw(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
        a, b = rng.uniform(lo, hi, n), rng.uniform(lo, hi, n)
        x, y = np.minimum(a, b), np.maximum(a, b)
        return {"x": x, "y": np.where(x < y, y, np.nextafter(y, np.inf))}

    return draw


def step_below_bound(strict: bool) -> Callable[[np.random.Generator, int], dict[str, np.ndarray]]:
    """Curvature a in [0.1, 10] and a step 0 < eta < 2/a (strict) or <= 2/a, exactly."""

    def draw(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
        a = rng.uniform(0.1, 10.0, n)
        top = np.array([(below if strict else at_most)(Fraction(2) / Fraction(float(ai))) for ai in a])
        return {"a": a, "eta": top * (1.0 - rng.uniform(0.0, 1.0, n)), "w": rng.normal(0.0, 3.0, n)}

    return draw


# ---------------------------------------------------------------- helpers used inside checks


def col(x: Any) -> Any:
    """x with a trailing axis of length 1 (a batch of scalars, or one mpmath scalar)."""
    return np.asarray(x)[..., None]


def softmax(z: Any, ops: Any) -> Any:
    e = ops.exp(z)
    return e / col(ops.sum(e, -1))


def shifted_softmax(z: Any, ops: Any) -> Any:
    e = ops.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / col(ops.sum(e, -1))


def sign(x: Any, ops: Any) -> Any:
    """sign(x) from the ReLU derivative (0 at 0)."""
    return ops.relu_prime(x) - ops.relu_prime(-x)


def dot(a: Any, b: Any, ops: Any) -> Any:
    return ops.sum(a * b, -1)


# ================================================================ TRUE claims a naive float64 check refutes

# ---------------------------------------------------------------- cancellation to exactly 0


@trap(
    "softmax-backward-of-a-constant-upstream-gradient-is-zero-both-ways",
    "For logits z and a constant upstream gradient g, sum_j s_j (g - sum_k s_k g) = g (1 - sum_k s_k) (both are 0).",
    "holds",
    domain(z=uniform(-5, 5, (3,)), g=normal(2.0)),
    {"z": [[0.1, 2.7, -2.1], [0.3, -2.8, 1.5]], "g": [1.8, 0.2]},
)
def softmax_backward_constant_gradient(v, ops):
    s = softmax(v.z, ops)
    g = col(v.g)
    lhs = ops.sum(s * (g - col(ops.sum(s * g, -1))), -1)
    return equal(lhs, v.g - v.g * ops.sum(s, -1))


@trap(
    "adding-then-removing-two-numbers-cancels-in-either-order",
    "(x + y) - y - x = x - (x + y) + y for all reals x, y (both are 0).",
    "holds",
    domain(x=uniform(-1, 1), y=uniform(-1, 1)),
    {"x": [0.1, 0.7], "y": [0.2, 0.1]},
)
def add_remove_cancels(v, ops):
    return equal((v.x + v.y) - v.y - v.x, v.x - (v.x + v.y) + v.y)


@trap(
    "softmax-cross-entropy-gradient-s-minus-y-sums-to-zero",
    "For logits z and a one-hot label y, the logit gradient s - y of softmax cross-entropy sums to 0.",
    "holds",
    lambda rng, n: {"z": rng.uniform(-5, 5, (n, 3)), "y": np.eye(3)[rng.integers(0, 3, n)]},
    {"z": [[0.1, 0.7, -1.3], [1.9, -2.2, 0.35]], "y": [[0, 1, 0], [1, 0, 0]]},
)
def cross_entropy_gradient_sums_to_zero(v, ops):
    return equal(ops.sum(softmax(v.z, ops) - v.y, -1), 0 * v.z[..., 0])


@trap(
    "centred-three-sample-batch-sums-to-zero",
    "For three samples x, sum_i (x_i - mean(x)) = 0.",
    "holds",
    domain(x=normal(3.0, (3,))),
    {"x": [[0.1, 0.2, 0.7], [1.2, -2.5, 2.3]]},
)
def centred_batch_sums_to_zero(v, ops):
    mean = ops.sum(v.x, -1) / 3
    return equal(ops.sum(v.x - col(mean), -1), 0 * mean)


@trap(
    "sigmoid-of-x-minus-one-minus-sigmoid-of-minus-x-is-zero",
    "sigma(x) - (1 - sigma(-x)) = 0 for every real x in [-20, 20].",
    "holds",
    domain(x=uniform(-20, 20)),
    {"x": [0.3, -1.1]},
)
def sigmoid_symmetry_difference_is_zero(v, ops):
    return equal(ops.sigmoid(v.x) - (1 - ops.sigmoid(-v.x)), 0 * v.x)


# ---------------------------------------------------------------- exp and log of arguments in the hundreds and thousands


@trap(
    "sigmoid-derivative-as-s-times-one-minus-s-at-x-in-the-thousands",
    "sigma'(x) = s (1 - s) with s = sigma(x) equals e^-x / (1 + e^-x)^2 for |x| <= 3000.",
    "holds",
    domain(x=uniform(-3000, 3000)),
    {"x": [40.0, 200.0, -800.0, -3000.0]},
)
def sigmoid_derivative_forms(v, ops):
    s = ops.sigmoid(v.x)
    e = ops.exp(-v.x)
    return equal(s * (1 - s), e / (1 + e) ** 2)


@trap(
    "softplus-log-one-plus-exp-x-equals-x-plus-log1p-exp-minus-x-up-to-x-3000",
    "log(1 + e^x) = x + log1p(e^-x) for -30 <= x <= 3000.",
    "holds",
    domain(x=uniform(-30, 3000)),
    {"x": [710.0, 1000.0, 3000.0]},
)
def softplus_forms(v, ops):
    return equal(ops.log(1 + ops.exp(v.x)), v.x + ops.log1p(ops.exp(-v.x)))


@trap(
    "log-sigmoid-equals-minus-log1p-exp-minus-x-from-minus-740-to-3000",
    "log(sigma(x)) = -log1p(e^-x) for -740 <= x <= 3000.",
    "holds",
    domain(x=uniform(-740, 3000)),
    {"x": [40.0, 200.0, -740.0]},
)
def log_sigmoid_forms(v, ops):
    return equal(ops.log(ops.sigmoid(v.x)), -ops.log1p(ops.exp(-v.x)))


@trap(
    "sigmoid-stays-below-one-up-to-x-360-where-the-gap-is-e-to-the-minus-360",
    "sigma(x) < 1 for every x <= 360 (1 - sigma(360) is about 1e-156).",
    "holds",
    domain(x=uniform(-360, 360)),
    {"x": [37.0, 360.0]},
)
def sigmoid_below_one(v, ops):
    return is_true(lt(ops.sigmoid(v.x), 1))


@trap(
    "sigmoid-stays-above-zero-down-to-x-minus-3000",
    "sigma(x) > 0 for every x >= -3000.",
    "holds",
    domain(x=uniform(-3000, 3000)),
    {"x": [-800.0, -3000.0]},
)
def sigmoid_above_zero(v, ops):
    return is_true(gt(ops.sigmoid(v.x), 0))


@trap(
    "softmax-is-invariant-to-subtracting-the-max-logit-for-logits-in-the-thousands",
    "exp(z)/sum exp(z) = exp(z - max z)/sum exp(z - max z) for logits in [-3000, 3000].",
    "holds",
    domain(z=uniform(-3000, 3000, (3,))),
    {"z": [[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1002.5]]},
)
def softmax_shift_invariance(v, ops):
    return equal(softmax(v.z, ops), shifted_softmax(v.z, ops))


@trap(
    "log-sum-exp-equals-max-plus-log-sum-exp-of-the-shifted-logits-in-the-thousands",
    "log sum_j e^{z_j} = m + log sum_j e^{z_j - m} with m = max z, for logits in [-3000, 3000].",
    "holds",
    domain(z=uniform(-3000, 3000, (3,))),
    {"z": [[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1002.5]]},
)
def log_sum_exp_shift(v, ops):
    m = np.max(v.z, axis=-1)
    return equal(ops.log(ops.sum(ops.exp(v.z), -1)), m + ops.log(ops.sum(ops.exp(v.z - col(m)), -1)))


@trap(
    "logistic-loss-log-one-plus-exp-minus-m-is-positive-for-every-integer-margin-up-to-100",
    "log(1 + e^-m) > 0 for every integer margin m = 0, 1, ..., 100.",
    "proved",
    domain(m=uniform(0, 100)),
    {"m": [37.0, 100.0]},
    grid={"m": np.arange(0, 101, dtype=float)},
)
def logistic_loss_positive(v, ops):
    return is_true(gt(ops.log(1 + ops.exp(-v.m)), 0))


# ---------------------------------------------------------------- overflowing intermediate terms


@trap(
    "exp-x-over-exp-x-is-one-for-x-from-700-to-3000",
    "e^x / e^x = 1 for 700 <= x <= 3000.",
    "holds",
    domain(x=uniform(700, 3000)),
    {"x": [710.0, 3000.0]},
)
def exp_over_exp(v, ops):
    return equal(ops.exp(v.x) / ops.exp(v.x), 0 * v.x + 1)


@trap(
    "x-squared-over-x-is-x-for-x-near-1e-200-and-1e200",
    "(x x) / x = x for every x with 1e-300 <= |x| <= 1e300.",
    "holds",
    domain(x=log_uniform(1e-300, 1e300, signed=True)),
    {"x": [1e200, -1e300, 1e-200]},
)
def square_over_x(v, ops):
    return equal((v.x * v.x) / v.x, v.x)


@trap(
    "square-of-a-sum-expands-for-x-and-y-near-1e200",
    "(x + y)^2 = x^2 + 2 x y + y^2 for 1e-300 <= |x|, |y| <= 1e300.",
    "holds",
    domain(x=log_uniform(1e-300, 1e300, signed=True), y=log_uniform(1e-300, 1e300, signed=True)),
    {"x": [1e200, 1e160], "y": [-1e200, -3e159]},
)
def square_of_sum(v, ops):
    return equal((v.x + v.y) * (v.x + v.y), v.x * v.x + 2 * v.x * v.y + v.y * v.y)


@trap(
    "cosine-similarity-of-a-vector-with-itself-is-one-at-scales-1e-200-and-1e200",
    "x.x / (|x| |x|) = 1 for every non-zero x in R^3 with entries of magnitude 1e-300 to 1e300.",
    "holds",
    lambda rng, n: {"x": log_uniform(1e-300, 1e300)(rng, n)[:, None] * rng.normal(0, 1, (n, 3))},
    {"x": [[1e200, -2e200, 3e200], [1e-200, 2e-200, -5e-201]]},
)
def cosine_with_itself(v, ops):
    xx = dot(v.x, v.x, ops)
    return equal(xx / (ops.sqrt(xx) * ops.sqrt(xx)), 0 * xx + 1)


@trap(
    "sqrt-of-x-squared-is-abs-x-for-every-power-of-ten-from-1e-320-to-1e300",
    "sqrt(x^2) = |x| for every float x = +-fl(10^k), k = -320, ..., 300.",
    "proved",
    domain(x=log_uniform(1e-320, 1e300, signed=True)),
    {"x": [1e200, -1e-200]},
    grid={"x": np.concatenate([10.0 ** np.arange(-320, 301), -(10.0 ** np.arange(-320, 301))])},
)
def sqrt_of_square(v, ops):
    return equal(ops.sqrt(v.x * v.x), ops.abs(v.x))


# ---------------------------------------------------------------- differences of nearly equal numbers


@trap(
    "adding-d-near-1e284-to-x-near-1e300-and-subtracting-x-gives-d",
    "(x + d) - x = d for 1e299 <= x <= 1e300 and 1e283 <= d <= 1e285.",
    "holds",
    domain(x=log_uniform(1e299, 1e300), d=log_uniform(1e283, 1e285)),
    {"x": [1e300, 3.7e299], "d": [1.2345e284, 2.5e283]},
)
def add_subtract_large(v, ops):
    return equal((v.x + v.d) - v.x, v.d)


@trap(
    "x-times-one-plus-e-minus-x-is-x-times-e-for-tiny-e",
    "x (1 + e) - x = x e for 1e-300 <= |x| <= 1e300 and 1e-20 <= e <= 1e-16.",
    "holds",
    domain(x=log_uniform(1e-300, 1e300, signed=True), e=log_uniform(1e-20, 1e-16)),
    {"x": [1e300, 1e-300, -1.5], "e": [1e-17, 1e-17, 3e-20]},
)
def relative_perturbation(v, ops):
    return equal(v.x * (1 + v.e) - v.x, v.x * v.e)


@trap(
    "variance-shortcut-mean-of-squares-minus-square-of-mean-for-samples-near-1e8",
    "mean(x^2) - mean(x)^2 = mean((x - mean(x))^2) for three samples (offsets up to 1e9).",
    "holds",
    lambda rng, n: {"x": log_uniform(1, 1e9, signed=True)(rng, n)[:, None] + rng.normal(0, 1, (n, 3))},
    {"x": [[100000000.1, 100000000.2, 100000000.7], [-3e8 + 0.25, -3e8 - 1.5, -3e8 + 2.0]]},
)
def variance_shortcut(v, ops):
    mean = ops.sum(v.x, -1) / 3
    return equal(ops.sum(v.x * v.x, -1) / 3 - mean * mean, ops.sum((v.x - col(mean)) ** 2, -1) / 3)


@trap(
    "halving-then-doubling-a-gradient-is-lossless-down-to-the-subnormals",
    "(g / 2) * 2 = g for 5e-324 <= g <= 1e-300.",
    "holds",
    domain(g=log_uniform(TINY, 1e-300)),
    {"g": [TINY, 3 * TINY, 1e-310]},
)
def halve_double(v, ops):
    return equal((v.g / 2) * 2, v.g)


# ---------------------------------------------------------------- ties that float64 rounding flips


@trap(
    "adding-a-positive-y-increases-x-even-when-y-is-half-an-ulp",
    "x + y > x for every x in [-1000, 1000] and 0 < y <= 1000.",
    "holds",
    domain(x=uniform(-1000, 1000), y=log_uniform(TINY, 1000)),
    {"x": [1.0, 1.0 + 2 * ULP1, 1.0], "y": [2.0**-53, 2.0**-53, TINY]},
)
def adding_increases(v, ops):
    return is_true(gt(v.x + v.y, v.x))


@trap(
    "three-x-below-two-whenever-x-is-at-most-fl-of-two-thirds",
    "3 x < 2 for every x <= fl(2/3) (fl(2/3) < 2/3), x >= -10.",
    "holds",
    lambda rng, n: {"x": np.minimum(rng.uniform(-10, 1, n), BELOW_2_3)},
    {"x": [BELOW_2_3]},
)
def three_x_below_two(v, ops):
    return is_true(lt(3 * v.x, 2))


@trap(
    "the-midpoint-of-a-below-b-lies-strictly-between-them",
    "a < (a + b)/2 < b for all a < b in [-10, 10].",
    "holds",
    lambda rng, n: {("a" if k == "x" else "b"): v for k, v in sorted_pair(-10, 10)(rng, n).items()},
    {"a": [1.0, TINY], "b": [1.0 + ULP1, 2 * TINY]},
)
def midpoint_between(v, ops):
    m = (v.a + v.b) / 2
    return is_true(lt(v.a, m) & lt(m, v.b))


@trap(
    "gradient-descent-on-a-quadratic-contracts-for-eta-strictly-below-2-over-a",
    "|1 - a eta| < 1 for all a in [0.1, 10] and 0 < eta < 2/a (e.g. a = 3, eta = fl(2/3)).",
    "holds",
    step_below_bound(strict=True),
    {"a": [3.0, 6.0, 7.0], "eta": [BELOW_2_3, below(Fraction(1, 3)), below(Fraction(2, 7))], "w": [1.0, 1.0, 1.0]},
)
def gd_contracts_below_bound(v, ops):
    return is_true(lt(ops.abs(1 - v.a * v.eta), 1))


@trap(
    "a-non-zero-residual-has-a-positive-square-even-at-1e-200",
    "r^2 > 0 for every r with 5e-324 <= |r| <= 1e300.",
    "holds",
    domain(r=log_uniform(TINY, 1e300, signed=True)),
    {"r": [1e-200, -TINY]},
)
def square_positive(v, ops):
    return is_true(gt(v.r * v.r, 0))


@trap(
    "exp-x-exceeds-one-for-every-positive-x-down-to-the-smallest-subnormal",
    "e^x > 1 for every 5e-324 <= x <= 700.",
    "holds",
    domain(x=log_uniform(TINY, 700)),
    {"x": [1e-17, TINY]},
)
def exp_above_one(v, ops):
    return is_true(gt(ops.exp(v.x), 1))


@trap(
    "softmax-probabilities-are-strictly-positive-for-logits-in-the-thousands",
    "softmax(z)_j > 0 for every j and all logits z in [-3000, 3000]^3.",
    "holds",
    domain(z=uniform(-3000, 3000, (3,))),
    {"z": [[0.0, -800.0, 5.0], [3000.0, -3000.0, 0.0]]},
)
def softmax_positive(v, ops):
    return is_true(gt(shifted_softmax(v.z, ops), 0))


@trap(
    "sigmoid-is-strictly-increasing-on-minus-3000-to-3000",
    "x < y implies sigma(x) < sigma(y) for all x, y in [-3000, 3000].",
    "holds",
    sorted_pair(-3000, 3000),
    {"x": [40.0, -800.0], "y": [41.0, -799.0]},
)
def sigmoid_increasing(v, ops):
    return is_true(lt(ops.sigmoid(v.x), ops.sigmoid(v.y)))


# ================================================================ FALSE claims that only an edge refutes

# ---------------------------------------------------------------- a kink at 0


@trap(
    "relu-derivative-at-x-plus-at-minus-x-is-one-fails-at-zero",
    "relu'(x) + relu'(-x) = 1 for every real x (relu'(0) = 0).",
    "refuted",
    domain(x=normal(3.0)),
    {"x": [0.0]},
)
def relu_prime_pair(v, ops):
    return equal(ops.relu_prime(v.x) + ops.relu_prime(-v.x), 0 * v.x + 1)


@trap(
    "relu-derivative-is-the-threshold-unit-fails-at-zero",
    "relu'(x) = step(x) for every real x (relu'(0) = 0, step(0) = 1).",
    "refuted",
    domain(x=normal(3.0)),
    {"x": [0.0]},
)
def relu_prime_is_step(v, ops):
    return equal(ops.relu_prime(v.x), ops.step(v.x))


@trap(
    "abs-has-derivative-plus-or-minus-one-everywhere-fails-at-zero",
    "The derivative sign(x) of |x| satisfies sign(x)^2 = 1 for every real x (sign(0) = 0).",
    "refuted",
    domain(x=normal(3.0)),
    {"x": [0.0]},
)
def abs_derivative_unit(v, ops):
    s = sign(v.x, ops)
    return equal(s * s, 0 * v.x + 1)


@trap(
    "relu-of-a-non-negative-input-is-positive-fails-at-zero",
    "max(x, 0) > 0 whenever x >= 0.",
    "refuted",
    lambda rng, n: {"x": rng.exponential(3.0, n)},
    {"x": [0.0]},
)
def relu_positive(v, ops):
    return is_true(gt(ops.relu(v.x), 0))


@trap(
    "threshold-unit-is-sign-plus-one-over-two-fails-at-zero",
    "step(x) = (sign(x) + 1)/2 for every real x (step(0) = 1, sign(0) = 0).",
    "refuted",
    domain(x=normal(3.0)),
    {"x": [0.0]},
)
def step_from_sign(v, ops):
    return equal(ops.step(v.x), (sign(v.x, ops) + 1) / 2)


@trap(
    "the-threshold-unit-ignores-a-2-to-the-minus-60-nudge-fails-just-below-zero",
    "step(x + 2^-60) = step(x) for every real x (false for -2^-60 <= x < 0).",
    "refuted",
    domain(x=normal(3.0)),
    {"x": [-(2.0**-60)]},
)
def step_ignores_nudge(v, ops):
    return equal(ops.step(v.x + 2.0**-60), ops.step(v.x))


@trap(
    "the-hinge-loss-is-positive-for-margins-up-to-one-fails-at-margin-one",
    "max(0, 1 - m) > 0 for every margin m <= 1.",
    "refuted",
    lambda rng, n: {"m": 1.0 - rng.exponential(2.0, n)},
    {"m": [1.0]},
)
def hinge_positive(v, ops):
    return is_true(gt(ops.relu(1 - v.m), 0))


# ---------------------------------------------------------------- ties


@trap(
    "any-two-reals-are-strictly-ordered-fails-at-a-tie",
    "x < y or y < x for all reals x, y.",
    "refuted",
    domain(x=normal(), y=normal()),
    {"x": [0.5], "y": [0.5]},
)
def strictly_ordered(v, ops):
    return is_true(lt(v.x, v.y) | lt(v.y, v.x))


@trap(
    "max-of-two-numbers-exceeds-their-min-fails-at-a-tie",
    "max(a, b) > min(a, b) for all reals a, b (max and min written with relu).",
    "refuted",
    domain(a=normal(), b=normal()),
    {"a": [2.0], "b": [2.0]},
)
def max_exceeds_min(v, ops):
    return is_true(gt(v.a + ops.relu(v.b - v.a), v.a - ops.relu(v.a - v.b)))


@trap(
    "the-argmax-of-three-logits-is-unique-fails-at-a-tie-for-the-max",
    "Exactly one entry of z in R^3 is its maximum (some z_i exceeds both others).",
    "refuted",
    domain(z=normal(1.0, (3,))),
    {"z": [[1.0, 3.0, 3.0]]},
)
def argmax_unique(v, ops):
    z = [v.z[..., i] for i in range(3)]
    wins = [lt(z[(i + 1) % 3], z[i]) & lt(z[(i + 2) % 3], z[i]) for i in range(3)]
    return is_true(wins[0] | wins[1] | wins[2])


@trap(
    "the-two-class-softmax-is-never-exactly-one-half-fails-at-equal-logits",
    "The two-class softmax probability sigma(z_0 - z_1) differs from 1/2 for all logits z_0, z_1.",
    "refuted",
    domain(z0=normal(), z1=normal()),
    {"z0": [0.7], "z1": [0.7]},
)
def two_class_softmax_not_half(v, ops):
    return differ(ops.sigmoid(v.z0 - v.z1), 0 * v.z0 + 0.5)


@trap(
    "no-input-lies-on-a-linear-decision-boundary-fails-on-the-boundary",
    "w.x + b != 0 for all w, x in R^2 and b in R.",
    "refuted",
    domain(w=normal(1.0, (2,)), x=normal(1.0, (2,)), b=normal()),
    {"w": [[1.0, -1.0]], "x": [[2.0, 2.0]], "b": [0.0]},
)
def off_the_boundary(v, ops):
    return differ(dot(v.w, v.x, ops) + v.b, 0 * v.b)


@trap(
    "the-nearer-of-two-centroids-is-unique-fails-at-the-midpoint",
    "|x - c1| != |x - c2| for all reals x, c1, c2 (1-nearest-centroid has no ties).",
    "refuted",
    domain(x=normal(), c1=normal(), c2=normal()),
    {"x": [0.5], "c1": [0.0], "c2": [1.0]},
)
def nearest_centroid_unique(v, ops):
    return differ(ops.abs(v.x - v.c1), ops.abs(v.x - v.c2))


# ---------------------------------------------------------------- rank deficiency


@trap(
    "every-2x2-matrix-with-entries-in-minus-2-to-2-is-invertible-fails-for-rank-one",
    "det(A) != 0 for every 2x2 matrix A with entries in [-2, 2].",
    "refuted",
    domain(A=uniform(-2, 2, (2, 2))),
    {"A": [[[1.0, 2.0], [0.5, 1.0]]]},
)
def matrix_invertible(v, ops):
    A = v.A
    return differ(A[..., 0, 0] * A[..., 1, 1], A[..., 0, 1] * A[..., 1, 0])


@trap(
    "a-transpose-a-is-positive-definite-for-every-3x2-a-fails-for-parallel-columns",
    "A^T A is positive definite for every 3x2 matrix A with entries in [-2, 2].",
    "refuted",
    domain(A=uniform(-2, 2, (3, 2))),
    {"A": [[[1.0, 2.0], [1.0, 2.0], [-1.0, -2.0]]]},
)
def gram_positive_definite(v, ops):
    G = ops.T(v.A) @ v.A
    det = G[..., 0, 0] * G[..., 1, 1] - G[..., 0, 1] * G[..., 1, 0]
    return is_true(gt(G[..., 0, 0], 0) & gt(det, 0))


@trap(
    "cauchy-schwarz-is-strict-for-two-feature-vectors-fails-for-collinear-ones",
    "(x.y)^2 < (x.x)(y.y) for all non-zero x, y in R^3.",
    "refuted",
    domain(x=normal(1.0, (3,)), y=normal(1.0, (3,))),
    {"x": [[1.0, 2.0, 3.0]], "y": [[-2.0, -4.0, -6.0]]},
)
def cauchy_schwarz_strict(v, ops):
    xy = dot(v.x, v.y, ops)
    return is_true(lt(xy * xy, dot(v.x, v.x, ops) * dot(v.y, v.y, ops)))


@trap(
    "three-points-in-the-plane-always-span-a-triangle-fails-for-collinear-points",
    "(b - a) x (c - a) != 0 for all points a, b, c in the plane (a proper triangle).",
    "refuted",
    domain(p=normal(1.0, (3, 2))),
    {"p": [[[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]]},
)
def triangle_area(v, ops):
    u, w = v.p[..., 1, :] - v.p[..., 0, :], v.p[..., 2, :] - v.p[..., 0, :]
    return differ(u[..., 0] * w[..., 1] - u[..., 1] * w[..., 0], 0 * u[..., 0])


# ---------------------------------------------------------------- a boundary value


@trap(
    "gradient-descent-on-a-quadratic-contracts-for-eta-up-to-and-including-2-over-a-fails-at-2-over-a",
    "|1 - a eta| < 1 for all a in [0.1, 10] and 0 < eta <= 2/a.",
    "refuted",
    step_below_bound(strict=False),
    {"a": [4.0, 0.25], "eta": [0.5, 8.0], "w": [1.0, 1.0]},
)
def gd_contracts_up_to_bound(v, ops):
    return is_true(lt(ops.abs(1 - v.a * v.eta), 1))


@trap(
    "a-gradient-step-strictly-decreases-a-w-squared-over-2-for-eta-up-to-2-over-a-fails-at-2-over-a",
    "For w != 0 and 0 < eta <= 2/a, f(w - eta f'(w)) < f(w) with f(w) = a w^2 / 2.",
    "refuted",
    step_below_bound(strict=False),
    {"a": [4.0], "eta": [0.5], "w": [3.0]},
)
def gd_step_decreases(v, ops):
    w1 = v.w - v.eta * v.a * v.w
    return is_true(lt(v.a * w1 * w1 / 2, v.a * v.w * v.w / 2))


@trap(
    "x-squared-is-below-one-on-the-closed-unit-interval-fails-at-plus-minus-one",
    "x^2 < 1 for every |x| <= 1.",
    "refuted",
    domain(x=uniform(-1, 1)),
    {"x": [1.0, -1.0]},
)
def square_below_one(v, ops):
    return is_true(lt(v.x * v.x, 1))


@trap(
    "sigmoid-is-below-one-half-for-non-positive-x-fails-at-zero",
    "sigma(x) < 1/2 for every x <= 0.",
    "refuted",
    lambda rng, n: {"x": -rng.exponential(3.0, n)},
    {"x": [0.0]},
)
def sigmoid_below_half(v, ops):
    return is_true(lt(ops.sigmoid(v.x), 0.5))


@trap(
    "a-decayed-learning-rate-eta0-over-one-plus-t-stays-above-eta0-over-2-fails-at-t-1",
    "eta0 / (1 + t) > eta0 / 2 for all 0 <= t <= 1 and eta0 in (0, 1].",
    "refuted",
    domain(t=uniform(0, 1), eta0=uniform(0.001, 1)),
    {"t": [1.0], "eta0": [0.1]},
)
def decayed_rate_above_half(v, ops):
    return is_true(gt(v.eta0 / (1 + v.t), v.eta0 / 2))


@trap(
    "gradient-descent-on-w-squared-over-2-converges-for-every-step-k-over-256-up-to-2-fails-at-2",
    "|1 - eta| < 1 for every step eta = k/256, k = 1, ..., 512 (a = 1).",
    "refuted",
    domain(eta=lambda rng, n: 2.0 - rng.uniform(0, 2, n)),
    {"eta": [2.0]},
    grid={"eta": np.arange(1, 513, dtype=float) / 256},
)
def gd_grid_converges(v, ops):
    return is_true(lt(ops.abs(1 - v.eta), 1))


@trap(
    "relu-of-x-or-of-minus-x-is-positive-on-the-grid-k-over-64-fails-at-zero",
    "relu(x) > 0 or relu(-x) > 0 for every x = k/64, |k| <= 256.",
    "refuted",
    domain(x=uniform(-4, 4)),
    {"x": [0.0]},
    grid={"x": np.arange(-256, 257, dtype=float) / 64},
)
def relu_one_side_positive(v, ops):
    return is_true(gt(ops.relu(v.x), 0) | gt(ops.relu(-v.x), 0))


# ---------------------------------------------------------------- differences below float64 resolution


@trap(
    "adding-1e-20-to-a-sigmoid-output-leaves-it-unchanged-is-false",
    "sigma(x) + 1e-20 = sigma(x) for every |x| <= 5.",
    "refuted",
    domain(x=uniform(-5, 5)),
    {"x": [0.0]},
)
def sigmoid_plus_tiny(v, ops):
    return equal(ops.sigmoid(v.x) + 1e-20, ops.sigmoid(v.x))


@trap(
    "one-plus-2-to-the-minus-60-equals-one-is-false",
    "x + 2^-60 = x for every x in [1, 2].",
    "refuted",
    domain(x=uniform(1, 2)),
    {"x": [1.0]},
)
def plus_two_to_minus_sixty(v, ops):
    return equal(v.x + 2.0**-60, v.x)


@trap(
    "log1p-x-equals-x-for-tiny-x-is-false",
    "log(1 + x) = x for every 0 < |x| <= 1e-17.",
    "refuted",
    domain(x=log_uniform(1e-30, 1e-17, signed=True)),
    {"x": [1e-17]},
)
def log1p_linear(v, ops):
    return equal(ops.log1p(v.x), v.x)


@trap(
    "sigmoid-does-not-move-when-x-moves-by-2-to-the-minus-60-is-false",
    "sigma(x + 2^-60) = sigma(x) for every x in [1, 5].",
    "refuted",
    domain(x=uniform(1, 5)),
    {"x": [1.0]},
)
def sigmoid_nudge(v, ops):
    return equal(ops.sigmoid(v.x + 2.0**-60), ops.sigmoid(v.x))


@trap(
    "softmax-does-not-move-when-a-logit-moves-by-1e-20-is-false",
    "softmax(z + (1e-20, 0)) = softmax(z) for z_0 in [0.5, 5], z_1 in [-5, 5].",
    "refuted",
    lambda rng, n: {"z": np.stack([rng.uniform(0.5, 5, n), rng.uniform(-5, 5, n)], -1)},
    {"z": [[1.0, 0.0]]},
)
def softmax_nudge(v, ops):
    return equal(softmax(v.z + np.array([1e-20, 0.0]), ops), softmax(v.z, ops))


# ================================================================ the tests


class Values(dict):
    """A batch of named arrays readable as attributes (what a check sees)."""

    def __getattr__(self, name: str) -> Any:
        return self[name]


def naive_holds(rel: Any, n: int) -> np.ndarray:
    """Per instance: does plain NumPy ``==``/``!=``/``<``/``<=`` on the float64 values say it holds?"""
    if rel.op == "true":
        cond = rel.lhs.value if isinstance(rel.lhs, Cmp) else rel.lhs
        return np.all(np.broadcast_to(np.asarray(cond, dtype=bool), (n, *np.shape(cond)[1:])).reshape(n, -1), axis=1)
    lhs, rhs = np.broadcast_arrays(np.asarray(rel.lhs, dtype=float), np.asarray(rel.rhs, dtype=float))
    lhs, rhs = np.broadcast_to(lhs, (n, *lhs.shape[1:])).reshape(n, -1), np.broadcast_to(rhs, (n, *rhs.shape[1:])).reshape(n, -1)
    with np.errstate(invalid="ignore"):
        if rel.op == "!=":
            return np.any(lhs != rhs, axis=1)
        same = {"==": lhs == rhs, "<": lhs < rhs, "<=": lhs <= rhs}[rel.op]
    return np.all(same, axis=1)


def naive(check: Callable[..., Any], values: dict[str, np.ndarray]) -> np.ndarray:
    """The check in float64 on a batch, decided by plain NumPy comparisons."""
    n = len(next(iter(values.values())))
    with np.errstate(all="ignore"):
        return naive_holds(check(Values(values), F64), n)


def declare(t: Trap) -> Any:
    """The trap as a catalogue claim in a scratch registry."""
    fields = {
        "id": f"trap.{t.slug}",
        "worksheet": WS000,
        "location": "trap suite",
        "statement": t.statement,
        "expected": t.expected,
    }
    if t.true:
        fields["mutant"] = Mutant("none: a trap of the engine suite, not a catalogue claim")
    else:
        fields["erratum"] = Erratum(f"false at an edge: {t.edges}", corrected_by="trap.none")
    with REGISTRY.scratch() as reg:
        if t.grid is not None:
            exhaustive(domain=lambda: dict(t.grid), **fields)(t.check)
        else:
            forall(cases=st.fixed_dictionaries({}), instances=t.instances, **fields)(t.check)
        return next(iter(reg.claims.values()))


IDS = [t.slug for t in TRAPS]


def test_the_suite_is_half_true_half_false():
    true = sum(t.true for t in TRAPS)
    assert len(TRAPS) >= 40 and true >= 20 and len(TRAPS) - true >= 20
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("t", TRAPS, ids=IDS)
def test_naive_float64_is_fooled(t):
    """True claims: naive float64 fails at every edge. False claims: 10,000 natural draws find no counterexample.

    (An edge-only false claim is visible to float64 at the edge itself; a ``-is-false`` one, a difference
    below float64 resolution, is not visible anywhere.)
    """
    edges = t.edge_arrays()
    if t.grid is not None:  # the edges are elements of the finite domain
        for key, points in edges.items():
            assert np.isin(points, t.grid[key]).all()
    if t.true:
        for i in range(len(next(iter(edges.values())))):
            one = {k: v[i : i + 1] for k, v in edges.items()}
            assert not naive(t.check, one)[0], f"float64 gets {one} right"
    else:
        drawn = {k: np.asarray(v, dtype=float) for k, v in t.draw(np.random.default_rng(6), NAIVE_DRAWS).items()}
        assert naive(t.check, drawn).all(), "naive sampling found a counterexample: not an edge-only trap"
        assert not naive(t.check, edges).all() or t.slug.endswith("-is-false"), "float64 misses the edge itself"


@pytest.mark.parametrize("t", TRAPS, ids=IDS)
def test_trap(t):
    """The engine's verdict is exactly the mathematical one."""
    record = run_claim(declare(t), CONTROL, {})
    assert record["verdict"] == t.expected, record.get("message") or record.get("counterexample")
    if not t.true:
        assert record["counterexample"]
