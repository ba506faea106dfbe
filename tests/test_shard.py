"""Sharding: K/N splits are balanced and disjoint, 3 merged shards equal one unsharded run, and a bad set of shards is an error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claims.engine import shard

ROOT = Path(__file__).resolve().parents[1]


def pytest_cmd(*args):
    return [sys.executable, "-m", "pytest", "tests/test_claims.py", "-q", "-p", "no:cacheprovider", "--claims-profile", "ci",
            "--claims-baseline", "none", *args]


def run(cmd, **kw):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "CLAIMS_PROFILE": "ci"}
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, **kw)


def merge(*args):
    return run([sys.executable, "-m", "claims", "merge", *map(str, args)])


def without_timings(text):
    doc = json.loads(text)
    doc["timings"] = dict.fromkeys(doc["timings"])  # each claim's measured seconds differ between any two runs
    return doc


def test_assignment_is_disjoint_balanced_and_keeps_a_property_together():
    ids = [f"c{i}" for i in range(10)]
    timings = {"c0": 9.0, "c1": 5.0, "c2": 4.0, "c3": 1.0}
    parts = shard.assign(ids, {"c5": "c4"}, timings, 3)
    assert sorted(sum(parts, [])) == sorted(ids) and parts == shard.assign(ids, {"c5": "c4"}, timings, 3)
    assert any({"c4", "c5"} <= set(p) for p in parts)
    loads = [sum(timings.get(c, 4.5) for c in p if c != "c5") for p in parts]  # unknown: the median; c5 rides with c4
    assert max(loads) - min(loads) <= 9.0 and "c0" in parts[0]


@pytest.mark.parametrize("bad", ["0/3", "4/3", "1/0", "x", "1-3"])
def test_a_bad_shard_is_a_usage_error(bad):
    with pytest.raises(shard.ShardError, match="K/N"):
        shard.parse(bad)
    proc = run(pytest_cmd("--shard", bad, "-k", "relu", "--collect-only"))
    assert proc.returncode == 4 and "--shard takes K/N" in proc.stderr


def test_three_shards_merge_into_the_unsharded_reports(tmp_path):
    # the whole ci catalogue: one unsharded run, and three shards run one after another
    whole = run(pytest_cmd("-n", "2", "--dist", "loadgroup", "--claims-report", str(tmp_path / "whole")))
    assert whole.returncode == 0, whole.stdout[-2000:]
    for k in (1, 2, 3):
        proc = run(pytest_cmd("-n", "0", "--shard", f"{k}/3", "--claims-report", str(tmp_path / f"s{k}")))
        assert proc.returncode == 0 and f"shard result written to {tmp_path / f's{k}'}" in proc.stdout, proc.stdout[-2000:]
    parts = [tmp_path / f"s{k}" for k in (1, 2, 3)]
    sizes = [len(json.loads((p / shard.file_name(k, 3)).read_text())["records"]) for k, p in enumerate(parts, 1)]
    assert min(sizes) > 0 and sum(sizes) == len(json.loads((tmp_path / "whole" / "claims.json").read_text())["claims"])
    proc = merge(*parts, "--out", tmp_path / "merged", "--baseline", "none")
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.relative_to(tmp_path / "whole") for p in (tmp_path / "whole").rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(tmp_path / "merged") for p in (tmp_path / "merged").rglob("*") if p.is_file())
    for name in names:
        a, b = (tmp_path / "whole" / name).read_text(), (tmp_path / "merged" / name).read_text()
        if name.name == "claims.json":
            # byte for byte up to "timings" (the last key), whose values are each run's own measurements
            assert a.split('\n  "timings": {')[0] == b.split('\n  "timings": {')[0] and without_timings(a) == without_timings(b)
        else:
            assert a == b, name

    missing = merge(parts[0], parts[2], "--out", tmp_path / "bad")
    assert missing.returncode == 2 and "shard(s) 2 of 3 missing" in missing.stderr
    twice = merge(*parts, parts[1] / shard.file_name(2, 3), "--out", tmp_path / "bad")
    assert twice.returncode == 2 and "shard 2 of 3 is given twice" in twice.stderr
    assert not (tmp_path / "bad").exists()
