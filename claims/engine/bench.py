"""Benchmark: the ci profile over the selected claims, serial (-n 0) then parallel (-n 2).

Both runs happen in one invocation so their ratio is comparable (the machines are noisy);
per-claim throughput is taken from the serial run, where a claim has a core to itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def timed_run(workers: str, report_dir: Path, selection: list[str]) -> tuple[float, dict[str, Any]]:
    """Wall time of one pytest run of the claims and the claims.json it wrote."""
    cmd = [sys.executable, "-m", "pytest", "tests/test_claims.py", "-q", "-n", workers, "--dist", "loadgroup",
           "--claims-profile", "ci", "--claims-report", str(report_dir), "-p", "no:cacheprovider"]
    if selection:
        cmd += ["-k", " or ".join(selection)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        print(proc.stdout[-3000:], proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"benchmark run with -n {workers} failed (exit {proc.returncode})")
    return wall, json.loads((report_dir / "claims.json").read_text())


def main(selection: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        serial_s, serial = timed_run("0", Path(tmp) / "serial", selection)
        parallel_s, parallel = timed_run("2", Path(tmp) / "parallel", selection)
    same = [(c["id"], c["verdict"]) for c in serial["claims"]] == [(c["id"], c["verdict"]) for c in parallel["claims"]]
    print(f"claims: {len(serial['claims'])}  profile: ci  (one run each, same machine, same invocation)")
    print(f"wall time  -n 0: {serial_s:7.2f} s")
    print(f"wall time  -n 2: {parallel_s:7.2f} s")
    print(f"serial / parallel: {serial_s / parallel_s:.2f}x   verdicts identical: {same}")
    print()
    print(f"{'claim':72s} {'verdict':>10s} {'instances':>10s} {'seconds':>8s} {'inst/s':>10s}")
    timings = serial.get("timings", {})
    for c in sorted(serial["claims"], key=lambda c: -(timings.get(c["id"]) or 0)):
        n = (c.get("evidence") or {}).get("instances") or 0
        s = timings.get(c["id"]) or 0.0
        rate = f"{n / s:10.0f}" if s > 0 and n else f"{'-':>10s}"
        print(f"{c['id'][:72]:72s} {c['verdict']:>10s} {n:10d} {s:8.2f} {rate}")
    return 0 if same else 1
