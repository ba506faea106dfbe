"""End to end through pytest and xdist: the gate goes red, and no claim is ever lost."""

from __future__ import annotations

import configparser
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GD = "converges-iff or min-reciprocal"  # the two headline gradient-descent claims


def shipped_args():
    """The pytest arguments of `tox -e claims` (tox.ini), with -n auto read as -n 2."""
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(ROOT / "tox.ini")
    (command,) = [line for line in tox["testenv:claims"]["commands"].splitlines() if "test_claims.py" in line]
    args = shlex.split(command.replace("{posargs}", ""))
    args = args[args.index("tests/test_claims.py") + 1:]
    return ["2" if a == "auto" else a for a in args]


def run_claims(tmp_path, *args, extra="", timeout=600):
    env = {**os.environ, "CLAIMS_EXTRA_MODULES": extra, "CLAIMS_PROFILE": "ci"}
    cmd = [sys.executable, "-m", "pytest", "tests/test_claims.py", "-q", "-p", "no:cacheprovider",
           "--claims-report", str(tmp_path / "out"), *args]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
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


def test_shipped_settings_are_what_the_gate_tests_run():
    assert shipped_args()[:2] == ["-n", "2"] and "--dist" in shipped_args()


def test_a_crashed_worker_under_the_shipped_settings_ends_with_an_error_row(tmp_path):
    # pytest-xdist 3.8.0's loadgroup scheduler hung forever here; the plugin's scheduler must not.
    start = time.monotonic()
    proc, report = run_claims(tmp_path, *shipped_args(), "-k", f"{GD} or relu or fixture", extra="tests.fixtures.crashing_claim", timeout=240)
    assert proc.returncode == 1 and time.monotonic() - start < 240, proc.stdout[-2000:]
    claims = by_id(report)
    assert claims["fixture.check-kills-its-worker"]["verdict"] == "error"
    assert "crashed" in claims["fixture.check-kills-its-worker"]["message"]
    assert len(claims) > 10 and all("never reported" not in (c.get("message") or "") for c in claims.values())
    assert report["summary"]["gate"] == "fail"


def test_a_check_that_hangs_past_its_time_limit_is_killed_and_reported(tmp_path):
    start = time.monotonic()
    proc, report = run_claims(tmp_path, *shipped_args(), "--claims-hard-deadline", "5", "-k", f"{GD} or fixture",
                              extra="tests.fixtures.hanging_claim,tests.fixtures.crashing_claim", timeout=240)
    assert proc.returncode == 1 and time.monotonic() - start < 240, proc.stdout[-2000:]
    claims = by_id(report)
    hung = claims["fixture.check-hangs-past-its-time-limit"]
    assert hung["verdict"] == "error" and "hard deadline of 5 s" in hung["message"]
    assert "hanging_claim.py" in hung["message"]  # the stack says where it was stuck
    assert claims["fixture.check-kills-its-worker"]["verdict"] == "error"
    assert {"gd.converges-iff-eta-below-2-over-max-curvature", "gd.convergence-requires-eta-below-min-reciprocal-curvature"} <= set(claims)


def test_a_hang_in_a_serial_run_ends_the_run_without_touching_reports(tmp_path):
    proc, report = run_claims(tmp_path, "-n", "0", "--claims-hard-deadline", "3", "-k", "fixture",
                              extra="tests.fixtures.hanging_claim", timeout=120)
    assert proc.returncode == 1 and report is None
    assert "Timeout" in proc.stderr and "hanging_claim.py" in proc.stderr


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
