"""The gate's review: what a check compares, its several negative controls, and the committed record."""

from __future__ import annotations

import copy
import json
import subprocess

import numpy as np
import pytest

from claims.engine import REGISTRY, Mutant, equal, exhaustive, forall, is_true, le, lt, st
from claims.engine.audit import Seen, run_controls
from claims.engine.baseline import committed_record, differences
from claims.engine.instances import Instance
from claims.engine.profiles import PROFILES
from claims.engine.run import run_claim
from claims.worksheets import WS003

X = st.fixed_dictionaries({"x": st.floats(-2, 2)})
THREE = st.fixed_dictionaries({"w": st.lists(st.floats(-2, 2), min_size=3, max_size=3)})
UP_TO_2 = st.fixed_dictionaries({"x": st.one_of(st.just(2.0), st.floats(-2, 2))})  # the boundary itself, and inside
BASE = {"worksheet": WS003, "location": "1", "statement": "s"}


def run(check, cases=X, **fields):
    with REGISTRY.scratch():
        claim = forall(id="t.audit", expected="holds", cases=cases, mutant=Mutant("m"), **BASE, **fields)
        claim(check)
        (declared,) = REGISTRY.claims.values()
        return run_claim(declared, PROFILES["quick"])["evidence"]


# ---------------------------------------------------------------- what a check compares


def test_evidence_names_each_sub_check_with_the_entries_it_compares():
    evidence = run(lambda v, ops: {"all": equal(2 * v.w, v.w + v.w), "sum": equal(ops.sum(v.w), ops.sum(v.w[..., ::-1]))}, THREE)
    assert evidence["relations"] == {"all": 3, "sum": 1} and "flags" not in evidence


def test_a_relation_of_an_array_with_itself_is_flagged():
    def same_object(v, ops):
        d = 2 * v.w
        return equal(d, d)

    for check in (same_object, lambda v, ops: equal(v.w[..., 1:], v.w[..., 1:]), lambda v, ops: is_true(lt(v.w, v.w) | lt(v.w, 1))):
        assert any("with itself" in f for f in run(check, THREE).get("flags", [])), check


def test_equal_values_computed_twice_are_not_flagged():
    assert "flags" not in run(lambda v, ops: equal(v.w * 2, v.w * 2), THREE)


def test_one_entry_sliced_from_many_is_flagged_but_a_sum_or_a_condition_is_not():
    flags = run(lambda v, ops: equal(v.w[..., 0], 1.0 * v.w[..., 0]), THREE)["flags"]
    assert flags == ["'check' compares one entry per instance, sliced from a larger array, while an input holds 3 entries"]
    assert "flags" not in run(lambda v, ops: {"sum": equal(ops.sum(v.w), ops.sum(v.w)), "cond": is_true(lt(ops.sum(v.w), 7))}, THREE)
    assert "flags" not in run(lambda v, ops: equal(v.x, 1.0 * v.x))  # one input entry: nothing more to compare


def test_seen_never_raises_on_odd_values():
    seen = Seen()
    seen.add({"odd": equal(object(), np.zeros((2, 3)))}, Instance({"x": np.zeros(2)}), 2)
    assert isinstance(seen.evidence(), dict)


def test_an_exhaustive_claim_records_its_domain_and_a_smaller_one_is_a_difference():
    def claim_over(size):
        with REGISTRY.scratch():
            exhaustive(id="t.dom", expected="proved", domain=lambda: {"s": np.arange(size, dtype=float)}, mutant=Mutant("m"),
                       **BASE)(lambda v, ops: equal(v.s, v.s + 0.0))
            return run_claim(next(iter(REGISTRY.claims.values())), PROFILES["quick"])

    full, small = claim_over(81), claim_over(16)
    assert full["evidence"]["instances"] == 81
    assert differences(full, small) == ["fewer exhaustive domain (cases): 16 where the committed record has 81"]


# ---------------------------------------------------------------- several negative controls


def declared_with(mutant):
    with REGISTRY.scratch():
        forall(id="t.boundary", expected="holds", cases=UP_TO_2, mutant=mutant, **BASE)(
            lambda v, ops, c=2.0, strict=False: is_true(lt(v.x, c) if strict else le(v.x, c)))
        return next(iter(REGISTRY.claims.values()))


def test_a_claim_may_declare_several_negative_controls_and_each_must_be_caught():
    claim = declared_with([Mutant("just below the bound", c=1.99), Mutant("strict at the bound", strict=True)])
    assert not claim.problems and [m.description for m in claim.controls] == ["just below the bound", "strict at the bound"]
    verdict, missed = run_controls(claim, run_claim, PROFILES["control"])
    assert verdict == "refuted" and missed is None
    claim = declared_with([Mutant("just below the bound", c=1.99), Mutant("just above the bound", c=2.01)])
    verdict, missed = run_controls(claim, run_claim, PROFILES["control"])
    assert verdict == "holds" and "'just above the bound' is 'holds', not 'refuted'" in missed


def test_a_mutant_list_with_something_else_in_it_is_malformed():
    assert any("list of them" in p for p in declared_with([Mutant("ok", c=0.0), {"c": 1}]).problems)


# ---------------------------------------------------------------- the committed record


def record(**evidence):
    base = {"method": "hypothesis", "examples": 200, "instances": 12800, "profile": "ci", "relations": {"a": 4, "b": 1}}
    return {"id": "t", "verdict": "holds", "evidence": {**base, **evidence}, "counterexample": None}


def test_the_same_or_more_evidence_is_no_difference():
    assert differences(record(), record()) == []
    assert differences(record(), record(examples=300, instances=20000, relations={"a": 6, "b": 1, "c": 2})) == []


@pytest.mark.parametrize(("changed", "named"), [
    ({"examples": 150}, "fewer examples: 150 where the committed record has 200"),
    ({"instances": 6400}, "fewer instances: 6,400 where the committed record has 12,800"),
    ({"relations": {"a": 4}}, "sub-check(s) no longer checked: 'b' (1 where the committed record has 2)"),
    ({"relations": {"a": 1, "b": 1}}, "'a' compares 1 entries per instance where the committed record has 4"),
])
def test_less_evidence_is_named(changed, named):
    assert differences(record(), record(**changed)) == [named]


def test_a_different_counterexample_or_fewer_steps_is_named():
    old = {**record(), "verdict": "refuted", "counterexample": {"inputs": {"x": 1.0}, "check": "c"}, "steps": [{}, {}, {}]}
    new = {**copy.deepcopy(old), "counterexample": {"inputs": {"x": 2.0}, "check": "c"}, "steps": [{}, {}]}
    assert differences(old, new) == [
        'a different counterexample: inputs {"x": 2.0} (sub-check \'c\') where the committed record has inputs {"x": 1.0} (sub-check \'c\')',
        "fewer derivation steps: 2 where the committed record has 3",
    ]


def test_the_same_counterexample_written_another_way_is_no_difference():
    old = {**record(), "verdict": "refuted", "counterexample": {"inputs": {"x": "1.2090000000000000e-302", "n": 3.0}, "check": "c"}}
    new = {**record(), "verdict": "refuted", "counterexample": {"inputs": {"x": 1.209e-302, "n": 3}, "check": "c"}}
    assert differences(old, new) == []


def test_what_cannot_be_compared_is_not():
    assert differences(record(), {**record(examples=1), "verdict": "error"}) == []
    assert differences(record(), {**record(examples=1), "verdict": "refuted"}) == []  # its pin decides
    assert differences(record(), record(examples=1, profile="quick")) == []
    old = record()
    del old["evidence"]["relations"]  # a record from before the engine counted sub-checks
    assert differences(old, record(relations={})) == []


def test_the_committed_record_is_the_one_at_head_not_the_working_file(tmp_path):
    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=tmp_path, check=True, capture_output=True)

    (tmp_path / "reports").mkdir()
    report = tmp_path / "reports" / "claims.json"
    report.write_text(json.dumps({"profile": "ci", "claims": [{"id": "committed"}]}))
    assert committed_record(tmp_path)["claims"][0]["id"] == "committed"  # outside a repository: the file
    git("init", "-q")
    git("add", "reports/claims.json")
    git("commit", "-q", "-m", "reports")
    report.write_text(json.dumps({"profile": "ci", "claims": [{"id": "rewritten by a run"}]}))
    assert committed_record(tmp_path)["claims"][0]["id"] == "committed"


# ---------------------------------------------------------------- values keep their types in the record


def test_counterexample_values_keep_their_types():
    from fractions import Fraction

    from claims.engine.instances import to_plain
    from claims.engine.relations import exact, sides, to_json
    from models.ops import ball

    shown = sides(is_true(exact(False), show={"ratio": Fraction(3, 1), "mixed": [3, "x"], "shape": (4, 5), "half": Fraction(5, 2)}))
    assert shown == {"condition": False, "ratio": 3, "mixed": [3, "x"], "shape": [4, 5], "half": 2.5}
    assert to_json(ball(1.209e-302)) == 1.209e-302 and to_json(Fraction(1, 3)) == "1/3"  # a JSON number only where a float holds it
    assert to_plain(Instance({"t": (np.float64(1.5), 2), "f": Fraction(1, 2), "s": "relu"})) == {"t": [1.5, 2], "f": 0.5, "s": "relu"}
