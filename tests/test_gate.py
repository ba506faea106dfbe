"""End to end through pytest and xdist: the gate goes red, and no claim is ever lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GD = "converges-iff or min-reciprocal"  # the two headline gradient-descent claims


def run_claims(tmp_path, *args, extra=""):
    env = {**os.environ, "CLAIMS_EXTRA_MODULES": extra, "CLAIMS_PROFILE": "ci"}
    cmd = [sys.executable, "-m", "pytest", "tests/test_claims.py", "-q", "-p", "no:cacheprovider",
           "--claims-report", str(tmp_path / "out"), *args]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    report = tmp_path / "out" / "claims.json"
    return proc, json.loads(report.read_text()) if report.exists() else None


def by_id(report):
    return {c["id"]: c for c in report["claims"]}


def test_a_broken_model_turns_the_gate_red_with_a_readable_counterexample(tmp_path):
    proc, report = run_claims(tmp_path, "-k", GD, "-n", "2", extra="tests.fixtures.break_quadratic")
    assert proc.returncode == 1, proc.stdout[-2000:]
    claim = by_id(report)["gd.converges-iff-eta-below-2-over-max-curvature"]
    assert claim["verdict"] == "refuted" and claim["gate"] == "fail"
    assert claim["counterexample"]["inputs"]["eta"] > 0
    assert "counterexample" in proc.stdout and "reproduce:" in proc.stdout
    assert report["summary"]["gate"] == "fail"


def test_a_crashed_worker_is_reported_as_an_error_and_the_rest_still_reported(tmp_path):
    proc, report = run_claims(tmp_path, "-k", f"{GD} or fixture", "-n", "2", extra="tests.fixtures.crashing_claim")
    assert proc.returncode == 1
    claims = by_id(report)
    assert claims["fixture.check-kills-its-worker"]["verdict"] == "error"
    assert "crash" in claims["fixture.check-kills-its-worker"]["message"]
    assert claims["gd.converges-iff-eta-below-2-over-max-curvature"]["verdict"] == "holds"


def test_a_catalogue_module_that_fails_to_import_is_an_error(tmp_path):
    proc, report = run_claims(tmp_path, "-k", "module-failed", extra="tests.fixtures.no_such_module")
    assert proc.returncode == 1
    (claim,) = report["claims"]
    assert claim["verdict"] == "error" and "no_such_module" in claim["message"]


def test_serial_and_parallel_runs_give_the_same_records(tmp_path):
    # Includes claims that share one property across worksheets (checked once, reported for each).
    selection = f"{GD} or hidden-activations-equal"
    _, serial = run_claims(tmp_path / "a", "-k", selection, "-n", "0")
    _, parallel = run_claims(tmp_path / "b", "-k", selection, "-n", "2", "--dist", "loadgroup")
    assert serial["claims"] == parallel["claims"]
    assert any(c["evidence"].get("same_property_as") for c in serial["claims"])


def test_an_unknown_profile_is_a_usage_error(tmp_path):
    env = {**os.environ, "CLAIMS_PROFILE": "fastest"}
    proc = subprocess.run([sys.executable, "-m", "pytest", "tests/test_claims.py", "-q"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 4 and "choose one of ci, thorough, quick" in proc.stderr


def test_a_broken_backward_pass_turns_a_gradient_claim_red(tmp_path):
    proc, report = run_claims(tmp_path, "-k", "grad-v-is-lambda", "-n", "0", extra="tests.fixtures.break_fcnet_backward")
    assert proc.returncode == 1
    (claim,) = report["claims"]
    assert claim["verdict"] == "refuted" and claim["counterexample"]["values"]
    assert "first broken step" in proc.stdout or "counterexample" in proc.stdout


def test_every_refuted_claim_fails_again_when_reproduced_as_stated(tmp_path):
    import claims

    refuted = [c.id for c in claims.load().claims.values() if c.expected == "refuted"]
    selection = " or ".join(f"test_claim[{i}]" for i in refuted)
    proc, report = run_claims(tmp_path, "--as-stated", "-n", "2", "-k", selection)
    assert proc.returncode == 1
    assert f"{len(refuted)} failed" in proc.stdout.splitlines()[-1], proc.stdout[-500:]
    assert all(c["verdict"] == "refuted" for c in report["claims"])
