"""The renderer: claims.json keeps the report contract, pages put errata first, writes are whole."""

from __future__ import annotations

import json

import pytest

from claims.engine import REGISTRY, Erratum, Mutant, Step, derivation, equal, forall, not_checkable, st
from claims.engine.profiles import PROFILES
from claims.engine.render import render, write_whole
from claims.engine.run import run_claim
from claims.worksheets import WORKSHEETS, WS000, WS001

REQUIRED = ["id", "worksheet", "location", "statement", "kind", "verdict", "expected", "gate", "evidence", "reproduce"]
META = {"profile": "control", "generated_at": "2026-11-23T00:00:00Z", "versions": {"python": "3.11"}}
X = st.fixed_dictionaries({"x": st.floats(-2, 2)})


@pytest.fixture(scope="module")
def records():
    with REGISTRY.scratch() as reg:
        forall(id="r.holds", worksheet=WS000, location="1(b)", statement="$x = x$", expected="holds", cases=X,
               mutant=Mutant("m"), fact="same-fact")(lambda v, ops: equal(v.x, v.x))
        forall(id="r.wrong", worksheet=WS001, location="2(a)", statement="$x = 2x$", expected="refuted", cases=X,
               erratum=Erratum("only at 0", corrected_by="r.holds"), fact="same-fact")(lambda v, ops: equal(v.x, 2 * v.x))
        derivation(id="r.chain", worksheet=WS000, location="1(a)", statement="a chain", expected="refuted", cases=X,
                   erratum=Erratum("step 2", corrected_by="r.holds"),
                   steps=[Step("$x$", lambda v, ops: v.x), Step("$x+0$", lambda v, ops: v.x + 0), Step("$2x$", lambda v, ops: 2 * v.x)])
        not_checkable(id="r.remark", worksheet=WS000, location="2(c)", statement="may overfit", reason="no precise content")
        reg.validate()
        return [run_claim(c, PROFILES["control"]) for c in reg.claims.values()]


def test_claims_json_keeps_the_contract(records):
    doc = json.loads(render(records, META, WORKSHEETS)["claims.json"])
    assert doc["schema"] == 1 and doc["profile"] == "control" and doc["summary"]["claims"] == 4
    for claim in doc["claims"]:
        assert all(k in claim for k in REQUIRED), claim["id"]
        assert {"examples", "spot_checks", "min_digits_agreed"} <= set(claim["evidence"])
        assert claim["gate"] == ("pass" if claim["verdict"] == claim["expected"] else "fail")
        if claim["verdict"] == "refuted":
            assert claim["counterexample"] and claim["explanation"]
    chain = next(c for c in doc["claims"] if c["id"] == "r.chain")
    assert chain["first_broken_step"] == 2 and [s["verdict"] for s in chain["steps"]] == ["start", "holds", "refuted"]
    assert "seconds" not in doc["claims"][0] and set(doc["timings"]) == {r["id"] for r in records}


def test_pages_list_errata_first_and_show_contradictions(records):
    files = render(records, META, WORKSHEETS)
    page = files["000_3057f9ee4c919776.md"]
    assert page.index("## Errata") < page.index("r.chain") < page.index("## All claims")
    assert "first broken step" in page and "--as-stated" in page
    assert "Where worksheets contradict each other" in files["README.md"] and "same-fact" in files["README.md"]


def test_pages_are_identical_between_runs(records):
    again = dict(META, generated_at="2027-01-01T00:00:00Z")
    first, second = render(records, META, WORKSHEETS), render(records, again, WORKSHEETS)
    assert {k: v for k, v in first.items() if k.endswith(".md")} == {k: v for k, v in second.items() if k.endswith(".md")}


def test_reports_are_replaced_whole(tmp_path):
    target = tmp_path / "reports"
    write_whole(target, {"a.md": "one", "stale.md": "old"})
    write_whole(target, {"a.md": "two"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]
    assert sorted(p.name for p in target.iterdir()) == ["a.md"] and (target / "a.md").read_text() == "two"
