"""Authoring primitives as claims: each must hold in float64 and the twin, and its negative control be refuted.

Covered: derivative/gradient/jacobian, solve, inv, det, eigvalsh, svdvals, norm2, fro, rank,
matrix_power, expect, erf, normal_cdf, softplus, log_sigmoid, sign, pi, inf, eq/ne and Cmp
indexing/any/all; degenerate input (a singular solve, a division by zero) is an error in both
backends; and ``python -m claims stats``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from claims.engine import (
    REGISTRY,
    Mutant,
    at_most,
    derivative,
    eq,
    equal,
    exact,
    forall,
    ge,
    gradient,
    gt,
    is_true,
    jacobian,
    le,
    lt,
    ne,
    st,
)
from claims.engine.profiles import PROFILES
from claims.engine.run import run_claim
from claims.strategies import grid, int_matrices, normal, reals
from claims.worksheets import WS000
from models import F64, IV

CONTROL = PROFILES["control"]
BASE = {"worksheet": WS000, "location": "test", "statement": "a primitive's property"}

# ---------------------------------------------------------------- the authoring-guide example (15 lines)

with REGISTRY.scratch() as _example:
    @forall(
        id="example.softmax-xent-gradient", worksheet=WS000, location="example",
        statement="$\\nabla_z(-\\sum_i y_i \\log\\mathrm{softmax}(z)_i) = \\mathrm{softmax}(z) - y$ for a one-hot $y$.",
        expected="holds", cases=st.fixed_dictionaries({"k": st.integers(1, 6)}),
        instances=lambda c, rng, n: {"z": rng.normal(0, 3, (n, c.k)), "y": np.eye(c.k)[rng.integers(0, c.k, n)]},
        mutant=Mutant("y - softmax(z): the sign flipped", sign=-1),
    )
    def softmax_xent_gradient(v, ops, sign=1):
        def softmax(z, ops):
            return ops.exp(z) / ops.sum(ops.exp(z))[..., None]

        def xent(z, ops):
            return -ops.sum(v.y * ops.log(softmax(z, ops)))
        return equal(sign * (softmax(v.z, ops) - v.y), gradient(xent, v.z, ops))
    EXAMPLE = _example.claims["example.softmax-xent-gradient"]


def test_the_example_gradient_claim_holds_and_its_control_is_refuted():
    assert run_claim(EXAMPLE, CONTROL)["verdict"] == "holds"
    assert run_claim(EXAMPLE, CONTROL, EXAMPLE.mutant.overrides)["verdict"] == "refuted"


# ---------------------------------------------------------------- instances


def vec(case, rng, n):
    return {"x": reals(rng, n, case.k, low=-40, high=40), "z": normal(rng, n, case.k, scale=3.0)}


def square(case, rng, n):
    A = normal(rng, n, case.k, case.k)
    return {"A": A, "S": A + np.swapaxes(A, -1, -2), "b": normal(rng, n, case.k), "B": normal(rng, n, case.k + 1, case.k)}


def integer(case, rng, n):
    return {"A": int_matrices(rng, n, case.k, case.k + case.extra, deficient=0.5)}


def singular(case, rng, n):
    A = normal(rng, n, case.k, case.k)
    A[:, -1] = A[:, 0]  # a repeated row: singular, exactly
    return {"A": A, "b": normal(rng, n, case.k)}


VEC = grid(k=[1, 2, 3, 5])
MAT = grid(k=[1, 2, 3, 4])

# ---------------------------------------------------------------- checks (each takes one wrong-variant flag)


def sigmoid_derivative(v, ops, wrong=False):
    s = ops.sigmoid(v.z)
    return equal(s if wrong else s * (1 - s), derivative(lambda z, o: o.sigmoid(z), v.z, ops))


def softmax_jacobian(v, ops, wrong=False):
    def softmax(z, o):
        return o.exp(z) / o.sum(o.exp(z))[..., None]

    p = softmax(v.z, ops)
    return equal(ops.diag(p) - (0 if wrong else ops.outer(p, p)), jacobian(softmax, v.z, ops))


def normal_cdf_derivative(v, ops, wrong=False):
    density = ops.exp(-v.z * v.z / 2) / ops.sqrt((1 if wrong else 2) * ops.asarray(ops.pi()))
    return equal(density, derivative(lambda z, o: o.normal_cdf(z), v.z, ops))


def solve_solves(v, ops, transposed=False):
    x = ops.solve(v.A, v.b)
    return equal(ops.matvec(ops.T(v.A) if transposed else v.A, x), v.b)


def inv_inverts(v, ops, transposed=False):
    return equal(ops.inv(v.A) @ (ops.T(v.A) if transposed else v.A), np.eye(v.k, dtype=int))


def det_row_swap(v, ops, sign=-1):
    swapped = v.A[..., ::-1, :]
    flips = (v.k // 2) % 2  # reversing k rows is k // 2 swaps
    return equal(ops.det(swapped), (sign if flips else 1) * ops.det(v.A))


def eigvalsh_ascending(v, ops, descending=False):
    lam = ops.eigvalsh(v.S)
    lo, hi = (lam[..., 1:], lam[..., :-1]) if descending else (lam[..., :-1], lam[..., 1:])
    return {"ascending": at_most(lo, hi), "trace": equal(ops.sum(lam), ops.sum(np.diagonal(v.S, axis1=-2, axis2=-1)))}


def svdvals_from_gram(v, ops, ascending=False):
    root = ops.sqrt(ops.eigvalsh(ops.T(v.B) @ v.B))  # B is (k + 1) x k: A^T A is positive definite
    return equal(ops.svdvals(v.B), root if ascending else root[..., ::-1])


def norms(v, ops, swapped=False):
    s = ops.svdvals(v.B)
    two, fro = (ops.fro(v.B), ops.norm2(v.B)) if swapped else (ops.norm2(v.B), ops.fro(v.B))
    return {"norm2": equal(two, s[..., 0]), "fro": equal(fro * fro, ops.sum(s * s))}


def rank_exact(v, ops, full=False):
    """rank(A) = rank(A A^T), and A has full row rank iff det(A A^T) != 0 (eq/ne on a determinant)."""
    gram = v.A @ ops.T(v.A)
    r = np.asarray(min(v.A.shape[-2:])) if full else ops.rank(v.A)
    return {"rank": is_true(exact(np.asarray(r) == ops.rank(gram))),
            "full iff det": is_true(exact(np.asarray(r) == v.k).iff(ne(ops.det(gram), 0)))}


def power(v, ops, k=3):
    return equal(ops.matrix_power(v.A, k), v.A @ v.A @ v.A)


def mean_unbiased(v, ops, biased=False):
    """E[X] over k equally likely values (probabilities as exact fractions) is their sum over k."""
    k = v.z.shape[-1]
    return equal(ops.expect(v.z, [Fraction(1, k)] * k), ops.sum(v.z) / (k - 1 if biased else k))


def phi_symmetry(v, ops, wrong=False):
    return {"Phi": equal(ops.normal_cdf(-v.x), ops.normal_cdf(v.x) if wrong else 1 - ops.normal_cdf(v.x)),
            "erf odd": equal(ops.erf(-v.z), -ops.erf(v.z))}


def softplus_difference(v, ops, plus=False):
    return equal(ops.softplus(v.x) + ops.softplus(-v.x) if plus else ops.softplus(v.x) - ops.softplus(-v.x), v.x)


def log_sigmoid_is_log_of_sigmoid(v, ops, wrong=False):
    return equal(ops.log_sigmoid(v.z), -ops.softplus(v.z) if wrong else ops.log(ops.sigmoid(v.z)))


def sign_times_abs(v, ops, wrong=False):
    return equal(ops.sign(v.x) * (v.x if wrong else ops.abs(v.x)), v.x)


def below_infinity(v, ops, wrong=False):
    return is_true(lt(ops.inf, v.x) if wrong else lt(v.x, ops.inf) & gt(v.x, -ops.inf))


def softmax_largest(v, ops, every=False):
    """Some entry of softmax(z) is the largest (any); with ``every``, all entries are (wrong)."""
    p = ops.exp(v.z) / ops.sum(ops.exp(v.z))[..., None]
    is_max = eq(p, ops.max(p)[..., None])
    return is_true(is_max.all() if every else is_max.any())


def softmax_positive(v, ops, half=False):
    p = ops.exp(v.z) / ops.sum(ops.exp(v.z))[..., None]
    return is_true(gt(p, 0).all() if not half else lt(p, 0.5).all())


def first_at_most_max(v, ops, wrong=False):
    """Cmp indexing: entry 0 of 'p <= max p' holds; entry 0 of 'p >= max p' (p_0 is the max) does not."""
    m = ops.max(v.z)[..., None]
    return is_true((ge(v.z, m) if wrong else le(v.z, m))[..., 0])


def softmax_entries_differ(v, ops, wrong=False):
    """ne: two softmax entries differ; false only at an exact tie z_0 = z_1."""
    p = ops.exp(v.z) / ops.sum(ops.exp(v.z))[..., None]
    return is_true(ne(p[..., 0], p[..., 1]))


def centered_sums_to_zero(v, ops, wrong=False):
    """A single twin value indexes like an array: ops.sum(x)[..., None] in both backends."""
    k = v.z.shape[-1]
    return equal(ops.sum(v.z - ops.sum(v.z)[..., None] / (1 if wrong else k)), 0)


def singular_solve(v, ops, wrong=False):
    return equal(ops.matvec(v.A, ops.solve(v.A, v.b)), v.b)


def divide_by_zero(v, ops, wrong=False):
    return equal(v.z / (v.z - v.z), v.z)


def declared(check, cases, instances, expected="holds", wrong=None):
    """``check`` as a forall claim in a scratch registry; the mutant sets the check's one keyword."""
    import inspect

    key = [p for p in inspect.signature(check).parameters][2]
    value = wrong if wrong is not None else not inspect.signature(check).parameters[key].default
    with REGISTRY.scratch() as reg:
        forall(id=f"t.{check.__name__.replace('_', '-')}", expected=expected, cases=cases, instances=instances,
               mutant=Mutant("wrong", **{key: value}), **BASE)(check)
        return next(iter(reg.claims.values()))


POSITIVE = [
    (sigmoid_derivative, VEC, vec, None), (softmax_jacobian, VEC, vec, None), (normal_cdf_derivative, VEC, vec, None),
    (solve_solves, MAT, square, None), (inv_inverts, MAT, square, None), (det_row_swap, grid(k=[2, 3, 4]), square, 1),
    (eigvalsh_ascending, grid(k=[2, 3, 4]), square, None), (svdvals_from_gram, MAT, square, None), (norms, MAT, square, None),
    (rank_exact, grid(k=[1, 2, 3], extra=[0, 1]), integer, None), (power, MAT, square, 2), (mean_unbiased, grid(k=[2, 3, 5]), vec, None),
    (phi_symmetry, VEC, vec, None), (softplus_difference, VEC, vec, None), (log_sigmoid_is_log_of_sigmoid, VEC, vec, None),
    (sign_times_abs, VEC, vec, None), (below_infinity, VEC, vec, None), (softmax_largest, grid(k=[2, 3, 5]), vec, None),
    (softmax_positive, grid(k=[2, 3, 5]), vec, None), (first_at_most_max, grid(k=[2, 3, 5]), vec, None),
    (centered_sums_to_zero, VEC, vec, None),
]


@pytest.mark.parametrize(("check", "cases", "instances", "wrong"), POSITIVE, ids=[p[0].__name__ for p in POSITIVE])
def test_primitive_holds_in_both_backends_and_its_control_is_refuted(check, cases, instances, wrong):
    c = declared(check, cases, instances, wrong=wrong)
    record, control = run_claim(c, CONTROL), run_claim(c, CONTROL, c.mutant.overrides)
    assert (record["verdict"], control["verdict"]) == ("holds", "refuted"), (record.get("message"), control.get("message"))
    assert record["evidence"]["twin_decided"] >= 1  # the interval twin evaluated the same check
    assert "certificate" in control["counterexample"]


def test_an_exact_tie_is_the_only_counterexample_of_ne():
    def tied(case, rng, n):
        z = normal(rng, n, 2)
        tie = rng.random(n) < 0.1
        z[tie, 1] = z[tie, 0]
        return {"z": z}

    record = run_claim(declared(softmax_entries_differ, grid(k=[2]), tied), CONTROL)
    assert record["verdict"] == "refuted"
    z = record["counterexample"]["inputs"]["z"]
    assert z[0] == z[1]
    untied = run_claim(declared(softmax_entries_differ, grid(k=[2]), lambda case, rng, n: {"z": normal(rng, n, 2)}), CONTROL)
    assert untied["verdict"] == "holds"


@pytest.mark.parametrize(("check", "instances", "side"), [(singular_solve, singular, "lhs"), (divide_by_zero, vec, "lhs")])
def test_degenerate_input_is_an_error_naming_the_relation(check, instances, side):
    record = run_claim(declared(check, grid(k=[2, 3]), instances), CONTROL)
    assert record["verdict"] == "error" and "undefined" in record["message"] and "'check'" in record["message"], record["message"]


def test_degenerate_input_means_the_same_in_both_backends():
    A = np.array([[1.0, 2.0], [2.0, 4.0]])
    assert np.all(np.isnan(F64.solve(A, np.ones(2)))) and np.all(np.isnan(F64.inv(A)))
    assert all(v.is_nan() for v in IV.solve(IV.asarray(A), IV.asarray(np.ones(2))))
    assert all(v.is_nan() for v in IV.inv(IV.asarray(A)).reshape(-1))


def test_a_single_twin_value_indexes_like_an_array():
    x, eye = np.array([1.0, 2.0, 4.0]), np.eye(2)
    for ops, arr, mat in ((F64, x[None], eye[None]), (IV, IV.asarray(x), IV.asarray(eye))):
        assert np.shape(ops.sum(arr)[..., None]) == np.shape(arr)[:-1] + (1,)
        assert np.shape(ops.det(mat)[..., None]) == np.shape(mat)[:-2] + (1,)


# ---------------------------------------------------------------- python -m claims stats


def test_stats_counts_the_example_in_at_most_15_lines():
    from claims.engine.stats import lines_of, table

    assert lines_of(EXAMPLE) <= 15
    rows = table([EXAMPLE])
    assert rows[1].split()[:2] == ["forall", "1"] and rows[-1].split()[0] == "total"


def test_stats_command_prints_every_kind_and_the_total(capsys):
    from claims.__main__ import main

    assert main(["stats"]) == 0
    out = capsys.readouterr().out.splitlines()
    kinds = [line.split()[0] for line in out[1:]]
    assert kinds[:6] == ["forall", "exists", "exhaustive", "derivation", "not-checkable", "total"]
    total = out[6].split()
    assert int(total[1]) == sum(int(line.split()[1]) for line in out[1:6])
    assert int(total[4]) == sum(int(line.split()[4]) for line in out[1:6])
