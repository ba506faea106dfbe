"""The shipped GitHub Actions workflow is valid YAML and passes GitHub's workflow schema (vendored, offline)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "claims.yml"


def lint_command():
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))
    if not Path(exe).exists():
        pytest.fail("check-jsonschema is missing: install the project with its workflow-lint extra (tox does)")
    return [exe, "--builtin-schema", "vendor.github-workflows"]


def test_the_workflow_passes_the_github_workflow_schema():
    proc = subprocess.run([*lint_command(), str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_broken_workflow_is_caught(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest", 1))
    proc = subprocess.run([*lint_command(), str(broken)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "runs_on" in proc.stdout + proc.stderr


def test_the_workflow_runs_the_gate_the_shards_and_the_merge():
    from ruamel.yaml import YAML  # check-jsonschema's own YAML reader (YAML 1.2: "on" stays a string)

    text = WORKFLOW.read_text()
    flow = YAML(typ="safe").load(text)
    jobs = flow["jobs"]
    assert set(flow["on"]) >= {"push", "pull_request", "schedule"}
    assert len(jobs["thorough"]["strategy"]["matrix"]["shard"]) == int(flow["env"]["SHARDS"])
    assert "--shard ${{ matrix.shard }}/${{ env.SHARDS }}" in text and "python -m claims merge shards" in text
    assert jobs["merge"]["needs"] == "thorough" and "GITHUB_STEP_SUMMARY" in text
