"""Every counterexample in the committed report is what its claim gives when run again alone.

The ci profile is derandomized and a claim's run depends on nothing that ran before it, so the
stored record, a run inside this test process (after other claims), and the stored reproduce
command in a fresh process all give the same counterexample.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import claims
from claims.engine import run as engine
from claims.engine.profiles import PROFILES

ROOT = Path(__file__).resolve().parents[1]
REPORT = json.loads((ROOT / "reports" / "claims.json").read_text())
FOUND = [r for r in REPORT["claims"] if r.get("counterexample") or r.get("witness")]


def _plain(value):
    return json.loads(json.dumps(value))


@pytest.mark.parametrize("record", FOUND, ids=[r["id"] for r in FOUND])
def test_a_claim_run_again_gives_the_reported_find(record):
    engine._checked.clear()  # no reuse of another claim's result: this claim's own run
    again = engine.run_claim(claims.load().claims[record["id"]], PROFILES[REPORT["profile"]])
    assert again["verdict"] == record["verdict"]
    assert _plain(again["counterexample"]) == record["counterexample"]
    assert _plain(again["witness"]) == record["witness"]
    assert again["evidence"]["instances"] == record["evidence"]["instances"]


def test_a_stored_reproduce_command_prints_the_reported_counterexample(tmp_path):
    record = next(r for r in FOUND if r["verdict"] == "refuted" and r["kind"] == "forall")
    cmd = shlex.split(record["reproduce"]) + ["-p", "no:cacheprovider", "--claims-report", str(tmp_path)]
    proc = subprocess.run([sys.executable, "-m", *cmd], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout[-2000:]  # --as-stated: the worksheet statement fails again
    assert f"inputs {json.dumps(record['counterexample']['inputs'])}" in proc.stdout
