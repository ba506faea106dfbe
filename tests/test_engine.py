"""The claim engine itself: malformed declarations, sound verdicts, errors never dropped."""

from __future__ import annotations

import time

import numpy as np
import pytest

from claims.engine import (
    REGISTRY,
    Erratum,
    Mutant,
    Step,
    at_most,
    derivation,
    differ,
    equal,
    exhaustive,
    exists,
    forall,
    gt,
    is_true,
    le,
    less,
    lt,
    st,
)
from claims.engine.profiles import PROFILES, Profile, profile_named
from claims.engine.run import run_claim
from claims.worksheets import WS000

QUICK = PROFILES["control"]
BASE = {"worksheet": WS000, "location": "1(a)", "statement": "a test statement $x$"}
X = st.fixed_dictionaries({"x": st.floats(-3, 3)})


def declared(decorator=forall, **fields):
    """Declare one claim in a scratch registry and return it."""
    with REGISTRY.scratch() as reg:
        decorator(**{**BASE, **fields})(lambda v, ops, **kw: equal(v.x, v.x))
        reg.validate()
        return next(iter(reg.claims.values()))


def check(claim, profile=QUICK, **overrides):
    return run_claim(claim, profile, overrides)


# ---------------------------------------------------------------- malformed declarations


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"id": "t.ok", "kind": "forall", "expected": "holds"}, "unknown field(s) kind"),
        ({"id": "t.ok", "expected": "holdz", "cases": X, "mutant": Mutant("m")}, "expected 'holdz'"),
        ({"id": "T OK", "expected": "holds", "cases": X, "mutant": Mutant("m")}, "id must be lowercase"),
        ({"id": "t.ok", "expected": "holds", "cases": X, "mutant": Mutant("m"), "worksheet": ""}, "missing worksheet"),
        ({"id": "t.ok", "expected": "holds", "cases": X, "mutant": Mutant("m"), "location": " "}, "missing location"),
        ({"id": "t.ok", "expected": "holds", "cases": X, "mutant": Mutant("m"), "statement": ""}, "missing statement"),
        ({"id": "t.ok", "expected": "holds", "cases": X, "mutant": Mutant("m"), "worksheet": "x.txt"}, "not listed in claims/worksheets.py"),
        ({"id": "t.ok", "expected": "holds", "cases": [1, 2], "mutant": Mutant("m")}, "cases must be a Hypothesis strategy"),
        ({"id": "t.ok", "expected": "holds", "cases": X}, "no negative control"),
        ({"id": "t.ok", "expected": "refuted", "cases": X}, "without erratum"),
        ({"id": "t.ok", "expected": "refuted", "cases": X, "erratum": Erratum("e", corrected_by="t.none")}, "not a declared claim"),
        ({"id": "t.ok", "expected": "holds", "cases": X, "mutant": Mutant("m"), "colour": 1}, "unknown field(s) colour"),
    ],
)
def test_malformed_declaration_is_an_error_naming_the_claim_and_the_fix(fields, says):
    record = check(declared(**fields))
    assert record["verdict"] == "error" and record["gate"] == "fail"
    assert says in record["message"]
    assert fields["id"] in record["message"]


def test_duplicate_id_is_an_error_on_the_second_declaration():
    with REGISTRY.scratch() as reg:
        for _ in range(2):
            forall(id="t.dup", expected="holds", cases=X, mutant=Mutant("m"), **BASE)(lambda v, ops: equal(v.x, v.x))
        second = list(reg.claims.values())[1]
    record = check(second)
    assert record["verdict"] == "error" and "duplicate id" in record["message"]


def test_unknown_kind_is_an_error():
    from claims.engine.declare import declare

    with REGISTRY.scratch():
        claim = declare(lambda v, ops: equal(v.x, v.x), kind="forsome", id="t.kind", expected="holds", **BASE)
    assert "unknown kind 'forsome'" in check(claim)["message"]


def test_strategy_that_cannot_generate_is_an_error():
    claim = declared(id="t.empty", expected="holds", cases=X.filter(lambda _: False), mutant=Mutant("m"))
    record = check(claim)
    assert record["verdict"] == "error" and "cannot generate" in record["message"]


def test_unknown_profile_names_the_choices(monkeypatch):
    monkeypatch.setenv("CLAIMS_PROFILE", "fast")
    with pytest.raises(ValueError, match="choose one of ci, thorough, quick"):
        profile_named(None)


def test_ci_profile_meets_the_floor():
    ci, thorough = PROFILES["ci"], PROFILES["thorough"]
    assert ci.derandomize and ci.examples >= 200 and ci.spot_checks >= 5 and ci.examples_for(True) * ci.batch >= 10_000
    assert thorough.examples >= 20 * ci.examples and thorough.examples_for(True) * thorough.batch >= 10**6


# ---------------------------------------------------------------- sound verdicts


def _claim(check_fn, decorator=forall, cases=X, expected="holds", **extra):
    with REGISTRY.scratch() as reg:
        decorator(id="t.claim", expected=expected, cases=cases, mutant=Mutant("m"), **BASE, **extra)(check_fn)
        return next(iter(reg.claims.values()))


def test_float_rounding_is_not_a_refutation():
    # (big + x) - big == x fails in float64 for most x; exactly true in mpmath, whose precision
    # grows with the spread of the inputs' magnitudes (x may be as small as 5e-324).
    cases = st.fixed_dictionaries({"x": st.floats(-3, 3), "big": st.just(1e16)})
    record = check(_claim(lambda v, ops: equal((v.x + v.big) - v.big, v.x), cases=cases))
    assert record["verdict"] == "holds"
    assert record["evidence"]["float64_screen_overruled"] > 0


def test_twin_rounding_is_never_reported_as_a_refutation():
    # With the big constant hidden in the check, 60 and 90 digits both lose a tiny x; the
    # reported counterexample must then survive at 700 digits, and it does not.
    record = check(_claim(lambda v, ops: equal((v.x + 1e16) - 1e16, v.x)))
    assert record["verdict"] != "refuted"


def test_float_overflow_is_not_a_refutation():
    big = st.fixed_dictionaries({"x": st.floats(710, 800)})
    record = check(_claim(lambda v, ops: equal(ops.exp(v.x) / ops.exp(v.x), v.x * 0 + 1), cases=big))
    assert record["verdict"] == "holds"


def test_a_false_identity_is_refuted_with_both_sides_confirmed():
    record = check(_claim(lambda v, ops: equal(ops.sigmoid(v.x), 1 - ops.sigmoid(v.x))))
    assert record["verdict"] == "refuted"
    found = record["counterexample"]
    assert found["values"]["lhs"] != found["values"]["rhs"] and found["certified_at_digits"] >= 60
    cert = found["certificate"]
    assert cert["quantity"] == "lhs - rhs" and cert["excludes"] == 0
    low, high = (float(e) for e in cert["enclosure"])
    assert low > 0 or high < 0  # the enclosure of lhs - rhs excludes 0: no rounding explains it


def test_a_difference_below_float_resolution_is_found_by_spot_checks():
    # sigmoid(x) + 1e-13 vs sigmoid(x): inside the float64 screen, but mpmath sees it.
    record = check(_claim(lambda v, ops: equal(ops.sigmoid(v.x) + 1e-13, ops.sigmoid(v.x))))
    assert record["verdict"] == "refuted"


def test_a_tie_at_most_is_decided_as_an_equation_would_be():
    # sigma(x) + sigma(-x) <= 1 holds with equality; the enclosures agree with 1 to 30 digits.
    cases = st.fixed_dictionaries({"x": st.floats(1, 2)})
    assert check(_claim(lambda v, ops: at_most(ops.sigmoid(v.x) + ops.sigmoid(-v.x), 1), cases=cases))["verdict"] == "holds"


def test_boundary_ties_are_decided_exactly():
    # 3 * fl(2/3) < 2 exactly, although float64 rounds the product to 2.0.
    cases = st.fixed_dictionaries({"x": st.just(2 / 3)})
    assert check(_claim(lambda v, ops: is_true(lt(3 * v.x, 2)), cases=cases))["verdict"] == "holds"
    assert check(_claim(lambda v, ops: is_true(lt(2, 3 * v.x)), cases=cases))["verdict"] == "refuted"


def test_existential_claims_are_witnessed_or_not():
    wit = check(_claim(lambda v, ops: differ(v.x * v.x, v.x), decorator=exists, expected="witnessed"))
    assert wit["verdict"] == "witnessed" and wit["witness"]["inputs"]["x"] not in (0.0, 1.0)
    none = check(_claim(lambda v, ops: differ(v.x * 2, v.x + v.x), decorator=exists, expected="witnessed"))
    assert none["verdict"] == "unwitnessed"


def test_exhaustive_claims_are_proved_or_refuted():
    domain = {"x": np.arange(-5, 6, dtype=float)}
    proved = check(_claim(lambda v, ops: is_true(v.x * v.x >= 0), decorator=exhaustive, cases=None, expected="proved", domain=lambda: domain))
    assert proved["verdict"] == "proved" and proved["evidence"]["instances"] == 11
    refuted = check(_claim(lambda v, ops: is_true(v.x * v.x > 0), decorator=exhaustive, cases=None, expected="proved", domain=lambda: domain))
    assert refuted["verdict"] == "refuted" and refuted["counterexample"]["inputs"]["x"] == 0


def test_derivation_marks_the_first_broken_step():
    with REGISTRY.scratch() as reg:
        derivation(
            id="t.chain", expected="holds", cases=X, mutant=Mutant("m", step=1, value=lambda v, ops: v.x),
            steps=[
                Step("$2x$", lambda v, ops: 2 * v.x),
                Step("$x + x$", lambda v, ops: v.x + v.x),
                Step("$x^2$", lambda v, ops: v.x * v.x),
                Step("$x \\cdot x$", lambda v, ops: v.x * v.x),
            ],
            **BASE,
        )
        claim = reg.claims["t.chain"]
    record = check(claim)
    assert record["verdict"] == "refuted" and record["first_broken_step"] == 2
    assert [s["verdict"] for s in record["steps"]] == ["start", "holds", "refuted", "holds"]


# ---------------------------------------------------------------- errors are reported, never dropped


def test_a_crashing_check_is_an_error_naming_the_claim():
    def crash(v, ops):
        raise ZeroDivisionError("boom")

    record = check(_claim(crash))
    assert record["verdict"] == "error" and "t.claim" in record["message"] and "boom" in record["message"]


def test_a_hanging_check_is_an_error_after_the_time_limit():
    def hang(v, ops):
        time.sleep(5)
        return equal(v.x, v.x)

    tiny = Profile("tiny", examples=5, batch=1, spot_checks=1, time_limit_s=0.3, derandomize=True)
    start = time.perf_counter()
    record = check(_claim(hang), profile=tiny)
    assert time.perf_counter() - start < 3
    assert record["verdict"] == "error" and "limit" in record["message"]


def test_a_difference_too_small_for_float64_is_certified_by_the_twin():
    # A true difference of 1e-30 seen only by the twin: its enclosure excludes 0 at 60 digits.
    tiny = lambda ops: 1e-30 if ops.name == "interval" else 0.0  # noqa: E731
    record = check(_claim(lambda v, ops: equal(v.x + tiny(ops), v.x), cases=st.fixed_dictionaries({"x": st.floats(1, 2)})))
    assert record["verdict"] == "refuted"


def test_a_tie_no_precision_separates_is_an_error_naming_the_quantity_and_the_digits():
    # sigma(x) + sigma(-x) is exactly 1, so "< 1" is false, but no enclosure of it is a point.
    cases = st.fixed_dictionaries({"x": st.floats(1, 2)})  # no exact point: sigma(0) = 1/2 would decide
    record = check(_claim(lambda v, ops: less(ops.sigmoid(v.x) + ops.sigmoid(-v.x), 1), cases=cases))
    assert record["verdict"] == "error"
    assert "'check' is still undecided at 9864 digits" in record["message"] and "tried [60, 120" in record["message"]


def test_an_identity_below_what_any_precision_resolves_holds_where_both_sides_vanish():
    # sigma(x) = 1/2 tanh(x/2) + 1/2 at x = -1e300: tanh(x/2) = -1 + 2e^-1e300 is -1 at any feasible
    # precision, so the right side encloses 0 and, inside it, sigma(x) = e^-1e300.
    cases = st.fixed_dictionaries({"x": st.sampled_from([-1e300, -2.1674759406440377e292, -3.5])})
    half_tanh = lambda v, ops: equal(ops.sigmoid(v.x), 0.5 * ops.tanh(v.x / 2) + 0.5)  # noqa: E731
    assert check(_claim(half_tanh, cases=cases))["verdict"] == "holds"
    # Negative control: the same vanishing side beside a value it does not enclose is no tie.
    shifted = lambda v, ops: equal(ops.sigmoid(v.x) + 1e-200, 0.5 * ops.tanh(v.x / 2) + 0.5)  # noqa: E731
    assert check(_claim(shifted, cases=cases))["verdict"] == "refuted"


def test_a_side_that_vanishes_ties_only_with_what_no_precision_up_to_the_cap_resolves():
    from flint import arb

    from claims.engine.profiles import CAP_BITS
    from claims.engine.relations import ZERO_BITS, _equal_entry

    vanishing = arb(0, 2.0**-400)
    beyond = arb(2) ** -(2 * CAP_BITS)  # nonzero, but below 2^-CAP_BITS of the computation's scale
    assert _equal_entry(beyond, vanishing, ZERO_BITS)[0] is True
    assert _equal_entry(beyond, vanishing, 200)[:2] == (None, ZERO_BITS)  # below 400 bits it asks for them
    # Negative controls: a value more bits would resolve asks for them; one the vanishing side does
    # not enclose differs.
    decided, asked, _ = _equal_entry(arb(2.0**-1000), vanishing, ZERO_BITS)
    assert decided is None and ZERO_BITS < asked <= CAP_BITS
    assert _equal_entry(arb(2.0**-300), vanishing, ZERO_BITS)[0] is False


def test_equal_array_refutes_a_row_for_a_column_and_shows_both_shapes():
    from claims.engine import equal_array

    record = check(_claim(lambda v, ops: equal_array(np.stack([v.x, v.x], -1)[..., None, :], np.stack([v.x, v.x], -1)[..., None], ops)))
    assert record["verdict"] == "refuted"
    assert record["counterexample"]["values"]["stated shape"] == [1, 2]
    assert check(_claim(lambda v, ops: equal_array(v.x * 2, v.x + v.x, ops)))["verdict"] == "holds"


def test_derivation_of_conditions_keeps_close_calls_for_the_twin():
    # "x < 2/3 <=> 3x < 2" is true, but at x = fl(2/3) float64 flips the right-hand side.
    cases = st.fixed_dictionaries({"x": st.sampled_from([2 / 3, 0.5, 0.7])})
    with REGISTRY.scratch() as reg:
        derivation(
            id="t.conds", expected="holds", cases=cases, mutant=Mutant("m", step=1, value=lambda v, ops: lt(v.x, 0.6)),
            steps=[Step("$x < 2/3$", lambda v, ops: lt(v.x, ops.asarray(2.0) / 3)), Step("$3x < 2$", lambda v, ops: lt(3 * v.x, 2), "<=>")],
            **BASE,
        )
        claim = reg.claims["t.conds"]
    assert check(claim)["verdict"] == "holds"
    assert check(claim, **claim.mutant.overrides)["verdict"] == "refuted"


# ---------------------------------------------------------------- the screen clears only within each entry's rounding scale
# Each test kills a loosened engine: run without spot checks, only the screen can send an
# instance to the twin, so a screen that clears too much turns these refutations into "holds".

BLIND = Profile("blind", examples=30, batch=16, spot_checks=0, time_limit_s=60, derandomize=True)


def test_an_error_on_an_entry_far_below_its_row_maximum_is_refuted():
    # The second entry is 1e-9 of the first and 10% wrong: a whole-row tolerance would pass it.
    def check(v, ops):
        row = np.stack([v.x * 0 + 1, v.x * 1e-9], axis=-1)
        return equal(row * np.array([1.0, 1.1]), row)

    assert check_blind(check) == "refuted"


def test_a_relative_error_of_one_in_a_million_is_refuted():
    assert check_blind(lambda v, ops: equal(ops.exp(v.x) * (1 + 2.0**-20), ops.exp(v.x))) == "refuted"


def test_a_strict_inequality_failing_by_four_ulps_is_refuted():
    # x (1 + 2^-50) < x is false for x > 0 by four ulps: inside float64's band, but not true.
    assert check_blind(lambda v, ops: less(v.x * (1 + 2.0**-50), v.x), cases=st.fixed_dictionaries({"x": st.floats(1, 2)})) == "refuted"


def test_a_combined_condition_is_only_as_clear_as_its_closest_comparison():
    # 3x <= 2 at x just above 2/3: float64 rounds 3x to 2.0 (true), exactly it is above 2.
    # The other comparison, x > 0, is clear; a combination that kept only its margin would pass.
    x = float(np.nextafter(2 / 3, 1))
    cases = st.fixed_dictionaries({"x": st.just(x)})
    assert check_blind(lambda v, ops: is_true(gt(v.x, 0) & le(3 * v.x, 2)), cases=cases) == "refuted"
    assert check_blind(lambda v, ops: is_true(le(3 * v.x, 2) & gt(v.x, 0)), cases=cases) == "refuted"


def test_two_sides_that_are_both_rounding_noise_around_zero_agree():
    # (x + y) - y - x and x - (x + y) + y are both exactly 0; float64 makes each a different noise.
    cases = st.fixed_dictionaries({"x": st.floats(-3, 3), "y": st.floats(-1e6, 1e6)})
    record = check(_claim(lambda v, ops: equal((v.x + v.y) - v.y - v.x, v.x - (v.x + v.y) + v.y), cases=cases))
    assert record["verdict"] == "holds" and record["evidence"]["twin_decided"] > 0


def test_evidence_counts_every_instance_as_checked():
    # The check counts the float64 rows it sees (the batch, then its nudged rerun).
    seen = []

    def counting(v, ops):
        if ops.name == "float64":
            seen.append(np.shape(v.x)[0])
        return equal(v.x + v.x, 2 * v.x)

    batch = lambda case, rng, n: {"x": rng.normal(size=n)}  # noqa: E731
    record = check(_claim(counting, cases=st.fixed_dictionaries({}), instances=batch))
    ev = record["evidence"]
    assert ev["instances"] == ev["examples"] * QUICK.batch == sum(seen) // 2
    assert ev["examples"] >= QUICK.examples_for(True)


def check_blind(check_fn, cases=X):
    return check(_claim(check_fn, cases=cases), profile=BLIND)["verdict"]


# ---------------------------------------------------------------- broken checks are errors, never verdicts


def test_a_check_that_compares_nothing_is_an_error():
    record = check(_claim(lambda v, ops: {}))
    assert record["verdict"] == "error" and "compares nothing" in record["message"]


def test_a_nan_on_either_side_is_an_error_even_when_pinned_refuted():
    nan = float("nan")
    with REGISTRY.scratch() as reg:
        forall(id="t.fix", expected="holds", cases=X, mutant=Mutant("m"), **BASE)(lambda v, ops: equal(v.x, v.x))
        forall(id="t.nan", expected="refuted", cases=X, erratum=Erratum("e", corrected_by="t.fix"), **BASE)(
            lambda v, ops: less(v.x * 0 + nan, v.x)
        )
        reg.validate()
        claim = reg.claims["t.nan"]
    record = check(claim)
    assert record["verdict"] == "error" and record["gate"] == "fail" and "undefined" in record["message"]


def test_a_division_by_zero_in_the_check_is_an_error_naming_the_side():
    cases = st.fixed_dictionaries({"x": st.just(0.0)})
    record = check(_claim(lambda v, ops: equal(v.x / v.x, v.x * 0 + 1), cases=cases))
    assert record["verdict"] == "error" and "lhs" in record["message"] and "undefined" in record["message"]


def test_an_undecidable_instance_met_while_shrinking_does_not_hide_the_counterexample():
    # x > 3 fails clearly (2 < 1); x <= 3 is an exact tie computed through exp, which no precision
    # separates. Shrinking wanders into the ties: they are not failures, and the find stands.
    def check_fn(v, ops):
        tie = ops.sigmoid(v.x) + ops.sigmoid(-v.x)
        return less(ops.where(ops.positive(v.x - 3), v.x * 0 + 2, tie), 1)

    # Whole batches of failures or of ties, by seed: the shrinker's simpler seeds meet the ties.
    batch = lambda case, rng, n: {"x": np.full(n, 4.0) if rng.random() < 0.7 else rng.uniform(1, 2, n)}  # noqa: E731
    record = check(_claim(check_fn, cases=st.fixed_dictionaries({}), instances=batch))
    assert record["verdict"] == "refuted", record["message"]
    assert record["counterexample"]["inputs"]["x"] == 4.0


def test_a_counterexample_names_the_sides_as_the_claim_does():
    names = ("worksheet formula", "true derivative")
    record = check(_claim(lambda v, ops: equal(ops.sigmoid(v.x), ops.sigmoid_prime(v.x), names=names)))
    assert record["verdict"] == "refuted" and set(names) <= set(record["counterexample"]["values"])


# ---------------------------------------------------------------- the batched twin agrees with the one-instance twin


def _rows_both_ways(check_fn, values):
    """Each row's decision by decide_rows on one batch, and by decide on each instance alone."""
    from claims.engine import relations as R
    from claims.engine.instances import Instance, lift_interval, pick
    from claims.engine.run import precision
    from models.ops import F64, IV, IVB

    batch = Instance({"x": np.asarray(values, dtype=float), "y": np.asarray(values[::-1], dtype=float)})
    batch.data = frozenset({"x", "y"})
    n = len(values)
    f64 = check_fn(batch, F64)
    with precision(200):
        rows = R.decide_rows(check_fn(lift_interval(batch), IVB), f64, n, n, 200)
        one = [R.decide(check_fn(lift_interval(pick(batch, i, n)), IV), 200).holds for i in range(n)]
    return [{1: True, -1: False, 0: None}[int(r)] for r in rows], one


EDGE_ROWS = [0.0, -0.0, 1.0, 1e-300, 5e-324, 0.1, 0.5, 2.0, 3.0, -1.0, 1e300, 0.3, 0.7]


@pytest.mark.parametrize("check_fn", [
    lambda v, ops: equal(ops.sigmoid(v.x) + ops.sigmoid(-v.x), v.x * 0 + 1),  # an identity: holds in every row
    lambda v, ops: equal(v.x * v.y, v.y * v.x + 1e-30 * v.x),  # differs only far below float64
    lambda v, ops: differ(v.x, v.y),  # a tie in the middle row
    lambda v, ops: less(v.x, v.y),
    lambda v, ops: at_most(ops.exp(v.x - v.x), v.y * 0 + 1),  # a tie the enclosures must judge as an equation
    lambda v, ops: is_true(lt(v.x, v.y) | le(v.y, v.x)),
    lambda v, ops: is_true(gt(ops.tanh(v.x), v.x * 0)),
])
def test_the_batched_twin_decides_each_row_as_the_one_instance_twin_does(check_fn):
    batched, single = _rows_both_ways(check_fn, EDGE_ROWS)
    # the batched pass may leave a row open (the one-instance twin then decides it), never decide it otherwise
    assert all(b is None or b == s for b, s in zip(batched, single)), (batched, single)
    assert sum(b is not None for b in batched) >= sum(s is not None for s in single) - 2


def test_a_relation_without_the_batch_axis_is_decided_alike_in_every_row_of_the_batched_twin():
    # constant sides (no batch axis, 2 entries, 3 rows): every row sees both entries, and the second differs
    batched, single = _rows_both_ways(lambda v, ops: equal(ops.asarray([0.0, 1.0]), ops.asarray([0.0, 2.0])), [1.0, 2.0, 3.0])
    assert batched == single == [False, False, False]
    # beside a per-instance side, a constant vector is the same vector in every row (row 1: x = 2)
    batched, single = _rows_both_ways(lambda v, ops: equal(np.asarray(v.x)[..., None] * ops.asarray([1.0, 0.0]), ops.asarray([2.0, 0.0])), [1.0, 2.0, 3.0])
    assert batched == single == [False, True, False]


# ---------------------------------------------------------------- small grids of structures are swept


def _grid_claim(check_fn, expected="holds"):
    from claims.strategies import grid

    with REGISTRY.scratch() as reg:
        forall(id="t.grid", expected=expected, cases=grid(k=range(1, 6), g=["a", "b"]), mutant=Mutant("m"),
               instances=lambda case, rng, n: {"x": rng.normal(size=(n, case.k))}, **BASE)(check_fn)
        return next(iter(reg.claims.values()))


def test_a_small_grid_is_checked_structure_by_structure():
    record = check(_grid_claim(lambda v, ops: equal(v.x * 2, v.x + v.x)), PROFILES["ci"])
    assert record["verdict"] == "holds"
    assert record["evidence"]["structures"] == {"checked": 10, "of": 10}
    assert record["evidence"]["instances"] >= 12_800


def test_a_swept_grid_finds_the_simplest_failing_structure():
    # fails only from k = 3 on: the sweep's order (simplest first) finds it at k = 3 with g = "a"
    record = check(_grid_claim(lambda v, ops: equal(ops.sum(v.x * 0, axis=-1) + min(v.k, 3), v.x[..., 0] * 0 + 2) if v.k >= 3
                               else equal(v.x, v.x + 0)), PROFILES["ci"])
    assert record["verdict"] == "refuted"
    assert record["counterexample"]["case"]["k"] == 3 and record["counterexample"]["case"]["g"] == "a"
