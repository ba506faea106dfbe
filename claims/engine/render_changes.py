"""What changed since the committed reports: verdicts and evidence, claim by claim, for the index.

Reads result records only: this run's, and the committed record's (by claim id) that the gate
compares evidence with.
"""

from __future__ import annotations

from typing import Any

from claims.engine.render_claims import BADGE, Places


def changes(records: list[dict[str, Any]], previous: dict[str, dict[str, Any]] | None, places: Places) -> list[str]:
    """The index's first section: new and changed verdicts, evidence differences, claims gone."""
    out = ["## What changed since the committed reports", ""]
    if previous is None:
        return out + ["Not compared: no committed record was given to this run.", ""]
    if not previous:
        return out + ["Not compared: the committed record is missing or was made under another profile.", ""]
    rows = [row for r in records for row in _rows(r, previous.get(r["id"]), places)]
    now = {r["id"] for r in records}
    rows += [f"| `{cid}` | gone | {BADGE.get(old.get('verdict'), old.get('verdict'))} | - | no longer in the catalogue |"
             for cid, old in sorted(previous.items()) if cid not in now]
    if not rows:
        return out + ["Nothing: every verdict and all evidence are as committed.", ""]
    return out + [f"{len(rows)} change(s).", "", "| claim | change | was | now | detail |", "| --- | --- | --- | --- | --- |", *rows, ""]


def _rows(r: dict[str, Any], old: dict[str, Any] | None, places: Places) -> list[str]:
    link = places.link(r["id"], None)
    if old is None:
        return [f"| {link} | new | - | {BADGE[r['verdict']]} | |"]
    out = []
    if old.get("verdict") != r["verdict"]:
        out.append(f"| {link} | verdict | {BADGE.get(old.get('verdict'), old.get('verdict'))} | {BADGE[r['verdict']]} | |")
    for change in r.get("changes_from_committed") or []:
        out.append(f"| {link} | evidence | | | {_cell(change)} |")
    return out


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
