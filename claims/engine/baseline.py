"""The gate's memory: each claim's evidence against the committed record, and the review of a run.

A claim whose check silently checks less than it did when reports/ was last committed (fewer
examples or instances, a smaller exhaustive domain, a sub-check gone, fewer entries compared)
or that finds a different counterexample turns red with the difference named. The committed
record is reports/claims.json at git HEAD (else the file as it was when the run started); a
run under another profile, or a claim absent from it, is not compared. To accept a deliberate
change, commit the new reports (or run with ``--claims-accept-changes``: differences are listed
but do not fail the gate).

``review`` also runs each claim's negative controls (under the control profile) and fails a
check that compares an array with itself.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from claims.engine.audit import ITSELF, run_controls
from claims.engine.profiles import PROFILES

COMMITTED = "reports/claims.json"
NONE = "none"


def add_options(group: Any) -> None:
    group.addoption("--claims-baseline", default=None, metavar="FILE",
                    help=f"the record to compare evidence with (default: {COMMITTED} at git HEAD); '{NONE}' compares nothing")
    group.addoption("--claims-accept-changes", action="store_true",
                    help="list evidence that differs from the committed record without failing the gate")


def configure(config: Any) -> None:
    """Read the committed record once per process, before this run can replace reports/."""
    chosen = config.getoption("--claims-baseline")
    root = Path(str(config.rootpath))
    doc = None if chosen == NONE else _read(Path(chosen)) if chosen else committed_record(root)
    config._claims_baseline = records_by_id(doc, config._claims_profile.name)
    config._claims_baseline_note = _not_compared(chosen, doc, config._claims_profile.name)


def _not_compared(chosen: str | None, doc: Any, profile: str) -> str | None:
    """Why no evidence is compared in this run, if none is."""
    if chosen == NONE:
        return f"evidence not compared with a committed record (--claims-baseline {NONE})"
    if not isinstance(doc, dict):
        return f"evidence not compared: no committed record ({chosen or COMMITTED + ' at git HEAD'}) could be read"
    if doc.get("profile") != profile:
        return f"evidence not compared: the committed record is from profile {doc.get('profile')}, this run's is {profile}"
    return None


def committed_record(root: Path) -> dict[str, Any] | None:
    """reports/claims.json as committed at git HEAD; outside a repository, the file as it is now."""
    try:
        shown = subprocess.run(["git", "show", f"HEAD:{COMMITTED}"], cwd=root, capture_output=True, text=True, timeout=60)
        if shown.returncode == 0:
            return json.loads(shown.stdout)
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return _read(root / COMMITTED)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def records_by_id(doc: Any, profile: str) -> dict[str, dict[str, Any]]:
    """The committed records by id, if they were made under this run's profile (else nothing to compare)."""
    if not isinstance(doc, dict) or doc.get("profile") != profile or not isinstance(doc.get("claims"), list):
        return {}
    return {c["id"]: c for c in doc["claims"] if isinstance(c, dict) and "id" in c}


# ---------------------------------------------------------------- comparing one claim


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """How ``new`` checks less than (or finds otherwise than) the committed ``old``; empty if it does not."""
    if "error" in (old.get("verdict"), new.get("verdict")):
        return []
    out = _different_finds(old, new)
    if old.get("verdict") != new.get("verdict"):
        return out  # a changed verdict stops at another place; its pin decides the gate
    oe, ne = old.get("evidence") or {}, new.get("evidence") or {}
    if oe.get("profile", ne.get("profile")) != ne.get("profile"):
        return out
    counts = (("instances", "exhaustive domain (cases)"),) if ne.get("method") == "exhaustive" else (("examples", "examples"), ("instances", "instances"))
    for key, what in counts:
        if _fewer(oe.get(key), ne.get(key)):
            out.append(f"fewer {what}: {ne[key]:,} where the committed record has {oe[key]:,}")
    out += _fewer_steps(old, new) + _fewer_relations(oe.get("relations"), ne.get("relations"))
    return out


def _fewer(old: Any, new: Any) -> bool:
    return isinstance(old, int) and isinstance(new, int) and new < old


def _fewer_steps(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    o, n = len(old.get("steps") or []), len(new.get("steps") or [])
    return [f"fewer derivation steps: {n} where the committed record has {o}"] if n < o else []


def _fewer_relations(old: Any, new: Any) -> list[str]:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []  # a record from before the engine counted them
    gone = [label for label in old if label not in new]
    out = [f"sub-check(s) no longer checked: {', '.join(map(repr, gone))} ({len(new)} where the committed record has {len(old)})"] if gone else []
    for label, k in old.items():
        if label in new and _fewer(k, new[label]):
            out.append(f"'{label}' compares {new[label]} entries per instance where the committed record has {k}")
    return out


def _different_finds(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    for key in ("counterexample", "witness"):
        o, n = old.get(key), new.get(key)
        if isinstance(o, dict) and isinstance(n, dict) and _find(o) != _find(n):
            out.append(f"a different {key}: {_describe(n)} where the committed record has {_describe(o)}")
    return out


def _find(found: dict[str, Any]) -> tuple[Any, ...]:
    return _number(found.get("inputs")), found.get("check"), found.get("step")


def _number(value: Any) -> Any:
    """Inputs compared by value: 3 is 3.0, and a number an older record wrote as text is that number."""
    if isinstance(value, dict):
        return {k: _number(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_number(v) for v in value]
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        return number if number == number else value  # "nan" stays text, so that it equals itself
    return value


def _describe(found: dict[str, Any]) -> str:
    return f"inputs {json.dumps(found.get('inputs'), sort_keys=True)[:300]} (sub-check '{found.get('check')}')"


# ---------------------------------------------------------------- reviewing a record in the main job


def review(config: Any, claim: Any, record: dict[str, Any], run_claim: Any) -> None:
    """Negative controls, self-comparisons and the committed record; any problem fails the gate with a message."""
    if claim is None or record["verdict"] == "error":
        return
    problems = []
    verdict, missed = run_controls(claim, run_claim, PROFILES["control"].verdict_only())
    if verdict is not None:
        record["negative_control_verdict"] = verdict
    if missed:
        problems.append(missed)
    flags = (record.get("evidence") or {}).get("flags", [])
    problems += [f"the check cannot fail: {f}" for f in flags if ITSELF in f]
    old = config._claims_baseline.get(record["id"])
    changes = differences(old, record) if old else []
    if changes:
        record["changes_from_committed"] = changes
        if not config.getoption("--claims-accept-changes"):
            problems.append("checks less than (or finds otherwise than) the committed record: " + "; ".join(changes)
                            + ". If this is deliberate, rerun with --claims-accept-changes and commit the new reports/.")
    if problems:
        record["gate"] = "fail"
        record["message"] = "\n".join(filter(None, [record.get("message"), *problems]))


def headline(record: dict[str, Any]) -> str:
    """Why a claim's test item fails: its verdict, or a review problem of a verdict that matches its pin."""
    if record["verdict"] != record["expected"]:
        return f"verdict '{record['verdict']}' differs from the pinned '{record['expected']}'"
    return f"verdict '{record['verdict']}' matches its pin, but the check failed review"


def summary_lines(config: Any, records: list[dict[str, Any]]) -> list[str]:
    """The terminal summary's account of the review: differences from the committed record, warnings."""
    accepted = config.getoption("--claims-accept-changes")
    out = []
    for r in records:
        for change in r.get("changes_from_committed") or []:
            out.append(f"{'accepted' if accepted else 'CHANGED'}: {r['id']}: {change}")
        if r.get("negative_control_verdict") and "negative control not caught" in (r.get("message") or ""):
            out.append(f"NEGATIVE CONTROL NOT CAUGHT: {r['id']}")
    warned = sum(1 for r in records if (r.get("evidence") or {}).get("flags"))
    if warned:
        out.append(f"{warned} claim(s) flagged for review (listed in the index)")
    return out + ([config._claims_baseline_note] if config._claims_baseline_note else [])
