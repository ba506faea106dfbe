"""python -m claims: every input gets a message and a meaningful exit status, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, profile=None):
    env = {k: v for k, v in os.environ.items() if k != "CLAIMS_PROFILE"}
    if profile:
        env["CLAIMS_PROFILE"] = profile
    return subprocess.run([sys.executable, "-m", "claims", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("command", ["list", "check"])
def test_a_text_no_claim_matches_is_a_usage_error(command):
    proc = cli(command, "NOMATCH")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == f"python -m claims {command}: error: no claim id contains 'NOMATCH' (python -m claims list shows them all)"


def test_an_unknown_profile_from_the_environment_is_one_line_listing_the_choices():
    proc = cli("check", "relu", profile="bad")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "unknown claims profile 'bad'" in line and "CLAIMS_PROFILE" in line and "ci, thorough, quick" in line


def test_an_unknown_profile_option_is_a_usage_error():
    proc = cli("check", "--profile", "bad", "relu")
    assert proc.returncode == 2 and "invalid choice: 'bad'" in proc.stderr and "Traceback" not in proc.stderr


def test_list_into_a_reader_that_stops_early_is_not_an_error():
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", f"{sys.executable} -m claims list | head -1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == 1
    assert "BrokenPipeError" not in proc.stderr and "Exception ignored" not in proc.stderr


def test_list_and_check_of_a_match_succeed():
    listed = cli("list", "relu.")
    assert listed.returncode == 0 and all(line.startswith("relu.") for line in listed.stdout.splitlines())
    checked = cli("check", "relu.sparsifies-activations-and-derivatives", profile="quick")
    assert checked.returncode == 0 and "relu.sparsifies-activations-and-derivatives" in checked.stdout
