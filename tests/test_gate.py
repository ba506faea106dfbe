"""End to end through pytest and xdist: the gate goes red, and no claim is ever lost."""

from __future__ import annotations

import configparser
import json
import os
import shlex
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

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
    # Hermetic: no comparison with the committed record unless a test names one.
    baseline = [] if "--claims-baseline" in args else ["--claims-baseline", "none"]
    cmd = [sys.executable, "-m", "pytest", "tests/test_claims.py", "-q", "-p", "no:cacheprovider",
           "--claims-report", str(tmp_path / "out"), *baseline, *args]
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


def test_a_property_stated_twice_is_checked_once_by_parallel_workers(tmp_path):
    # xdist 3.8.0 marks a group by editing item._nodeid, which pytest 9 ignores: the scheduler
    # groups the claims itself, so the second statement reuses the first one's run on its worker.
    _, parallel = run_claims(tmp_path, "-k", "hidden-activations-equal or gd-step-preserves", "-n", "2", "--dist", "loadgroup")
    shared = [c["id"] for c in parallel["claims"] if c["evidence"].get("same_property_as") not in (None, c["id"])]
    assert shared and all(parallel["timings"][cid] < 0.05 for cid in shared), parallel["timings"]


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


@pytest.fixture
def project(tmp_path):
    """The project seen from another folder (symlinks), whose own reports/ holds a previous run."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("claims", "models", "tests", "pyproject.toml", "tox.ini"):
        (root / name).symlink_to(ROOT / name)
    (root / "reports").mkdir()
    (root / "reports").chmod(0o755)
    (root / "reports" / "README.md").write_text("previous")
    return root


def run_in(project, *args, extra="", popen=False):
    env = {**os.environ, "CLAIMS_EXTRA_MODULES": extra, "CLAIMS_PROFILE": "quick"}
    cmd = [sys.executable, "-m", "pytest", "tests/test_claims.py", "-q", "-p", "no:cacheprovider", *args]
    if popen:
        return subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    return subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=300)


def previous_reports_untouched(project, partial=False):
    reports = project / "reports"
    expected = ["README.md", "partial"] if partial else ["README.md"]
    return sorted(os.listdir(reports)) == expected and (reports / "README.md").read_text() == "previous"


def test_collect_only_writes_no_reports(project):
    proc = run_in(project, "--collect-only", *shipped_args())
    assert proc.returncode == 0 and previous_reports_untouched(project)


def test_a_selection_writes_only_reports_partial(project):
    proc = run_in(project, *shipped_args(), "-k", "relu")
    assert proc.returncode == 0 and previous_reports_untouched(project, partial=True)
    assert len(json.loads((project / "reports" / "partial" / "claims.json").read_text())["claims"]) > 10


@pytest.mark.parametrize("stop", [["-x"], ["--maxfail", "2"], ["-x", "-n", "0"]], ids=["x", "maxfail", "x-serial"])
def test_a_run_stopped_early_writes_no_reports(project, stop):
    proc = run_in(project, *shipped_args(), *stop, extra="tests.fixtures.break_quadratic")
    assert proc.returncode in (1, 2), proc.stdout[-2000:]
    assert "reports not written: the run" in proc.stdout and previous_reports_untouched(project)


def test_an_interrupted_run_writes_no_reports(project):
    proc = run_in(project, *shipped_args(), "-k", "relu or fixture", extra="tests.fixtures.hanging_claim", popen=True)
    time.sleep(12)  # the other claims are done; the hanging one is running
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole process group
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 2, out[-2000:]
    assert previous_reports_untouched(project)


def test_a_complete_run_replaces_the_reports_whole_and_keeps_their_mode(project):
    proc = run_in(project, *shipped_args(), extra="tests.fixtures.crashing_claim")
    assert proc.returncode == 1, proc.stdout[-2000:]  # the crashed claim fails the gate
    reports = project / "reports"
    report = json.loads((reports / "claims.json").read_text())
    assert by_id(report)["fixture.check-kills-its-worker"]["verdict"] == "error"  # a crashed worker is still a complete run
    assert len(report["claims"]) > 200 and (reports / "README.md").read_text() != "previous"
    assert stat.S_IMODE(reports.stat().st_mode) == 0o755
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".reports")) == []


def test_an_unwritable_reports_folder_is_one_message_and_its_own_exit_status(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "claims.json").write_text("{}")
    out.chmod(0o555)
    proc, _ = run_claims(tmp_path, *shipped_args(), "-k", "relu")
    out.chmod(0o755)
    assert proc.returncode == 6, proc.stdout[-2000:]
    assert proc.stdout.count("could not write the reports to") == 1 and f"{out}/" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    assert os.listdir(out) == ["claims.json"] and (out / "claims.json").read_text() == "{}"


def test_a_full_disk_is_one_message_and_its_own_exit_status(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(disk)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip() or 'mount failed'})")
    try:
        env = {**os.environ, "CLAIMS_PROFILE": "ci"}
        proc = subprocess.run([sys.executable, "-m", "pytest", "tests/test_claims.py", "-q", "-p", "no:cacheprovider",
                               *shipped_args(), "-k", "relu", "--claims-report", str(disk / "out")],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 6 and proc.stdout.count("the disk is full") == 1, proc.stdout[-2000:]
        assert os.listdir(disk) == []  # no staging folder left behind
    finally:
        subprocess.run(["umount", str(disk)], check=False)


@pytest.mark.parametrize("workers", [["-n", "0"], "shipped"], ids=["serial", "shipped"])
def test_a_malformed_declaration_is_named_once_at_collection(tmp_path, workers):
    args = shipped_args() if workers == "shipped" else workers
    proc, report = run_claims(tmp_path, *args, "-k", "fixture", extra="tests.fixtures.malformed_claim")
    lines = [line for line in proc.stdout.splitlines() if line.startswith("claims: fixture.declared-without-a-negative-control")]
    assert len(lines) == 1 and "no negative control" in lines[0], proc.stdout[-2000:]
    assert proc.returncode == 1 and report["claims"][0]["verdict"] == "error"


# ---------------------------------------------------------------- the review: negative controls, flags, the committed record


def test_weak_checks_are_red_or_flagged_in_the_main_job(tmp_path):
    proc, report = run_claims(tmp_path, *shipped_args(), "-k", "fixture", extra="tests.fixtures.weak_checks")
    assert proc.returncode == 1, proc.stdout[-2000:]
    claims = by_id(report)
    missed = claims["fixture.control-not-caught"]
    assert missed["verdict"] == "holds" and missed["gate"] == "fail" and missed["negative_control_verdict"] == "holds"
    assert "negative control not caught: the deliberately wrong variant 'an unused parameter'" in missed["message"]
    itself = claims["fixture.compares-itself"]
    assert itself["gate"] == "fail" and "the check cannot fail: 'check' compares an array with itself" in itself["message"]
    one = claims["fixture.one-entry-of-many"]
    assert one["gate"] == "pass" and one["negative_control_verdict"] == "refuted" and "sliced from a larger array" in one["evidence"]["flags"][0]
    assert "`fixture.one-entry-of-many`: 'check' compares one entry" in (tmp_path / "out" / "README.md").read_text()
    assert "NEGATIVE CONTROL NOT CAUGHT: fixture.control-not-caught" in proc.stdout and "matches its pin, but the check failed review" in proc.stdout


def test_every_claim_runs_its_negative_controls_in_the_main_job(tmp_path):
    proc, report = run_claims(tmp_path, *shipped_args(), "-k", GD)
    assert proc.returncode == 0, proc.stdout[-2000:]
    claims = by_id(report)
    assert claims["gd.converges-iff-eta-below-2-over-max-curvature"]["negative_control_verdict"] == "refuted"
    assert "negative_control_verdict" not in claims["gd.convergence-requires-eta-below-min-reciprocal-curvature"]  # an erratum has none


def test_a_claim_that_checks_less_than_the_committed_record_turns_red(tmp_path):
    _, committed = run_claims(tmp_path / "first", "-n", "0", "-k", GD, "--claims-baseline", "none")
    claims = by_id(committed)
    holds = claims["gd.converges-iff-eta-below-2-over-max-curvature"]["evidence"]
    holds.update(instances=holds["instances"] + 64, examples=holds["examples"] + 1)
    holds["relations"]["a sub-check since removed"] = 4
    claims["gd.convergence-requires-eta-below-min-reciprocal-curvature"]["counterexample"]["inputs"]["eta"] = 12.5
    baseline = tmp_path / "committed.json"
    baseline.write_text(json.dumps(committed))

    proc, report = run_claims(tmp_path / "second", *shipped_args(), "-k", GD, "--claims-baseline", str(baseline))
    assert proc.returncode == 1, proc.stdout[-2000:]
    changed = by_id(report)["gd.converges-iff-eta-below-2-over-max-curvature"]
    assert changed["verdict"] == "holds" and changed["gate"] == "fail"
    for named in (f"fewer examples: {holds['examples'] - 1} where the committed record has {holds['examples']}", "fewer instances: 12,800 where the committed record has 12,864",
                  "sub-check(s) no longer checked: 'a sub-check since removed'"):
        assert named in changed["message"] and named in proc.stdout
    assert "CHANGED: gd.convergence-requires-eta-below-min-reciprocal-curvature: a different counterexample" in proc.stdout

    proc, _ = run_claims(tmp_path / "accepted", *shipped_args(), "-k", GD, "--claims-baseline", str(baseline), "--claims-accept-changes")
    assert proc.returncode == 0 and "accepted: gd.converges-iff-eta-below-2-over-max-curvature: fewer examples" in proc.stdout
    proc, _ = run_claims(tmp_path / "quick", *shipped_args(), "-k", GD, "--claims-baseline", str(baseline), "--claims-profile", "quick")
    assert proc.returncode == 0 and "evidence not compared: the committed record is from profile ci, this run's is quick" in proc.stdout


@pytest.mark.parametrize("workers", ["shipped", "serial"])
def test_a_check_that_exits_with_status_zero_is_an_error_row(tmp_path, workers):
    args = shipped_args() if workers == "shipped" else ["-n", "0"]
    proc, report = run_claims(tmp_path, *args, "-k", f"{GD} or fixture", extra="tests.fixtures.exiting_claim", timeout=240)
    assert proc.returncode == 1, proc.stdout[-2000:]
    claims = by_id(report)
    row = claims["fixture.check-exits-with-status-zero"]
    assert row["verdict"] == "error" and ("crashed" if workers == "shipped" else "called os._exit(0)") in row["message"]
    assert claims["gd.converges-iff-eta-below-2-over-max-curvature"]["verdict"] == "holds"


def test_the_heap_is_frozen_at_exit_not_when_a_run_ends():
    # A process that calls pytest.main() again must still collect what the first run left.
    import gc
    from types import SimpleNamespace

    from claims.engine import plugin

    before = gc.get_freeze_count()
    plugin.pytest_unconfigure(SimpleNamespace(workerinput={}))
    assert gc.get_freeze_count() == before
