"""Benchmark: the ci profile over the selected claims, serial (-n 0) then parallel (-n 2).

All runs happen in one invocation, serial and parallel alternating, so their ratio is
comparable (the machines are noisy: the best run of each mode is taken, and every run is shown);
per-claim throughput and the phase shares are taken from the serial run, where a claim has a
core to itself.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from claims.engine.clock import PHASES

FLOOR = 10_000  # instances every sampled claim that holds must reach under ci
# Runs of each mode. A shared 2-core machine drifts by tens of percent within a minute; the best
# of alternating runs is the usual way to see the code's speed rather than the neighbours'.
REPEATS = 3


def timed_run(workers: str, out: Path, selection: list[str]) -> tuple[float, dict[str, Any], dict[str, Any]]:
    """Wall time of one pytest run of the claims, the claims.json it wrote, and its seconds per phase per claim."""
    cmd = [sys.executable, "-m", "pytest", "tests/test_claims.py", "-q", "-n", workers, "--dist", "loadgroup",
           "--claims-profile", "ci", "--claims-report", str(out), "--claims-phases", str(out) + ".phases.json",
           "-p", "no:cacheprovider"]
    if selection:
        cmd += ["-k", " or ".join(selection)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        print(proc.stdout[-3000:], proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"benchmark run with -n {workers} failed (exit {proc.returncode})")
    return wall, json.loads((out / "claims.json").read_text()), json.loads(Path(str(out) + ".phases.json").read_text())


def rates(report: dict[str, Any]) -> list[tuple[float, str, int, float]]:
    """(instances/s, id, instances, seconds) of every sampled claim, slowest first."""
    out = []
    for c in report["claims"]:
        ev, s = c.get("evidence") or {}, report.get("timings", {}).get(c["id"]) or 0.0
        # a claim that reused another's result (same_property_as) checked nothing itself
        # (claims whose case is their one instance, a few hundred at most, are counted in floor_line instead)
        if ev.get("method") == "hypothesis" and (ev.get("instances") or 0) > 1_000 and s > 0 and not ev.get("same_property_as"):
            out.append((ev["instances"] / s, c["id"], ev["instances"], s))
    return sorted(out)


def phase_lines(phases: dict[str, dict[str, float]]) -> list[str]:
    """Each phase's share of the claims' summed item time (negative controls included)."""
    totals = {p: sum(v.get(p, 0.0) for v in phases.values()) for p in (*PHASES, "other")}
    whole = sum(totals.values()) or 1.0
    names = {"hypothesis": "generating (Hypothesis)", "instances": "building instances", "screen": "float64 screen",
             "twin": "interval twin", "other": "other (anchoring, review, records)"}
    return [f"  {names[p]:38s} {t:8.2f} s  {100 * t / whole:5.1f}%" for p, t in totals.items()]


def floor_line(report: dict[str, Any]) -> str:
    """The fewest instances any sampled claim that holds (or is unwitnessed) checked."""
    held = [(c["evidence"]["instances"], c["id"]) for c in report["claims"]
            if c["verdict"] in ("holds", "unwitnessed") and (c.get("evidence") or {}).get("method") == "hypothesis"]
    batched = [h for h in held if h[0] > 1_000]
    low = min(batched, default=(0, "-"))
    return (f"sampled claims that hold: {len(held)}; fewest instances in a batched claim: {low[0]:,} ({low[1]}); "
            f"floor {FLOOR:,}: {'met' if low[0] >= FLOOR else 'NOT MET'}; {len(held) - len(batched)} claim(s) whose case is its instance")


def main(selection: list[str], repeats: int = REPEATS) -> int:
    serial_times, parallel_times = [], []
    with tempfile.TemporaryDirectory() as tmp:
        # serial and parallel alternate, so a slow spell of a shared machine hits both alike
        for k in range(repeats):
            wall, report, ph = timed_run("0", Path(tmp) / f"serial-{k}", selection)
            serial_times.append(wall)
            if k == 0 or wall <= min(serial_times):
                serial, phases = report, ph
            wall, report, _ = timed_run("2", Path(tmp) / f"parallel-{k}", selection)
            parallel_times.append(wall)
            parallel = report
    serial_s, parallel_s = min(serial_times), min(parallel_times)
    same = [(c["id"], c["verdict"]) for c in serial["claims"]] == [(c["id"], c["verdict"]) for c in parallel["claims"]]
    print(f"claims: {len(serial['claims'])}  profile: ci  ({repeats} runs each, alternating, same machine, same invocation; best of each)")
    print(f"wall time  -n 0: {serial_s:7.2f} s   (runs: {', '.join(f'{t:.2f}' for t in serial_times)})")
    print(f"wall time  -n 2: {parallel_s:7.2f} s   (runs: {', '.join(f'{t:.2f}' for t in parallel_times)})")
    print(f"serial / parallel: {serial_s / parallel_s:.2f}x   verdicts identical: {same}")
    print(floor_line(serial))
    r = rates(serial)
    if r:
        print(f"\ninstances/s per batched claim (serial, {len(r)} claims checked on their own): median {statistics.median(x[0] for x in r):,.0f}")
        print("slowest five:")
        for rate, cid, n, s in r[:5]:
            print(f"  {rate:10,.0f}/s  {n:9,d} instances  {s:7.2f} s  {cid}")
    print("\nwhere the serial run's time went (claims and their negative controls):")
    print("\n".join(phase_lines(phases)))
    return 0 if same else 1
