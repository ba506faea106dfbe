"""Every property can fail: each claim's deliberately wrong variant (its mutant) is refuted.

A claim pinned holds/proved/witnessed declares a Mutant: keyword overrides to its check that
make the formula wrong (a wrong constant, a transposed matrix, a flipped inequality, a wrong
weight). The suite must reach the opposite verdict on it; a property it cannot refute is a defect.
"""

from __future__ import annotations

import pytest

import claims
from claims.engine.audit import NEGATIVE
from claims.engine.profiles import PROFILES
from claims.engine.run import run_claim

REGISTRY = claims.load()
CONTROLS = [(c, k, m) for c in REGISTRY.claims.values() for k, m in enumerate(c.controls)]


@pytest.mark.parametrize(("claim", "k", "mutant"), CONTROLS, ids=[f"{c.id}-{k}" if k else c.id for c, k, _ in CONTROLS])
def test_wrong_variant_is_refuted(claim, k, mutant):
    record = run_claim(claim, PROFILES["control"].verdict_only(), mutant.overrides)
    assert record["verdict"] == NEGATIVE[claim.kind], (
        f"{claim.id}: the negative control '{mutant.description}' was not caught "
        f"(verdict {record['verdict']}; {record.get('message') or 'no message'})"
    )


def test_every_claim_that_should_hold_has_a_negative_control():
    missing = [c.id for c in REGISTRY.claims.values() if c.expected in ("holds", "proved", "witnessed") and not c.controls]
    assert not missing, f"claims without a negative control: {missing}"


def test_every_erratum_has_a_correction_that_holds():
    for claim in REGISTRY.claims.values():
        if claim.expected == "refuted":
            fix = REGISTRY.claims.get(claim.erratum.corrected_by) if claim.erratum else None
            assert fix is not None and fix.expected in ("holds", "proved", "witnessed"), claim.id
