"""Fix lists: one row per distinct fix to a worksheet, from claim errata and from the text lint.

Reads result records and text errata only. Claims stating the same error share a row (the same
lines and the same replacement); a row whose erratum is corrected by the same fact as an earlier
row's says that it carries that correction forward.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FixRow:
    """One fix: where (lines), the words there (quote), what to write instead, and why."""

    worksheet: str
    lines: list[int] | None
    quote: str | None
    replacement: str | None
    reason: str
    kind: str  # "claim" (a refuted statement) or "text" (damage found by the lint)
    claims: list[str] = field(default_factory=list)
    contestable: str | None = None
    carries: int | None = None  # the line of the earlier fix this one carries forward
    within_claim_fix: bool = False  # text damage inside words a claim's fix already rewrites
    places: int = 1
    columns: list[list[int]] = field(default_factory=list)


def fix_rows(records: list[dict[str, Any]], text_errata: list[dict[str, Any]]) -> dict[str, list[FixRow]]:
    """Every worksheet's fixes in line order (rows without lines, stale ones, last)."""
    by_ws: dict[str, list[FixRow]] = {}
    for row in _claim_rows(records) + _text_rows(text_errata):
        by_ws.setdefault(row.worksheet, []).append(row)
    for rows in by_ws.values():
        _mark_within(rows)
        rows.sort(key=lambda r: (r.lines is None, r.lines or [0], r.kind, r.quote or ""))
    return by_ws


def _claim_rows(records: list[dict[str, Any]]) -> list[FixRow]:
    rows: dict[tuple[Any, ...], FixRow] = {}
    roots = _roots(records)
    for r in records:
        fix = r.get("fix")
        if not fix:
            continue
        lines = tuple(fix["lines"]) if fix["lines"] else None
        key = (r["worksheet"], lines, fix["replacement"]) if fix["replacement"] and lines else (r["worksheet"], lines, fix["quote"], r["id"] if not lines else None)
        row = rows.get(key)
        if row is None:
            rows[key] = row = FixRow(r["worksheet"], fix["lines"], fix["quote"], fix["replacement"], fix["reason"], "claim", contestable=fix.get("contestable"))
        elif len(fix["quote"] or "") > len(row.quote or ""):
            row.quote = fix["quote"]  # the longest quote covers every claim's words
        row.claims.append(r["id"])
        row.contestable = row.contestable or fix.get("contestable")
    out = list(rows.values())
    _mark_carried(out, roots)
    return out


def _roots(records: list[dict[str, Any]]) -> dict[str, str]:
    """For each erratum, the fact it is about: its own, else its correction's (else the correcting claim's id)."""
    fact = {r["id"]: r.get("fact") for r in records}
    return {r["id"]: r.get("fact") or fact.get(r["corrected_by"]) or r["corrected_by"] for r in records if r.get("corrected_by")}


def _mark_carried(rows: list[FixRow], roots: dict[str, str]) -> None:
    """A later row about the same fact as an earlier one carries the nearest earlier correction forward."""
    last: dict[tuple[str, str], int] = {}
    for row in sorted((r for r in rows if r.lines), key=lambda r: r.lines):
        for root in sorted({roots[c] for c in row.claims if c in roots}):
            key = (row.worksheet, root)
            if key in last and last[key] < row.lines[0]:
                row.carries = last[key]
            last[key] = row.lines[0]


def _mark_within(rows: list[FixRow]) -> None:
    """Text damage whose words a claim's replacement rewrites is repaired by that fix."""
    claimed = [r for r in rows if r.kind == "claim" and r.replacement and r.lines]
    for row in rows:
        if row.kind == "text":
            row.within_claim_fix = any(c.lines == row.lines and row.quote in (c.quote or "") for c in claimed)


def _text_rows(text_errata: list[dict[str, Any]]) -> list[FixRow]:
    rows: dict[tuple[Any, ...], FixRow] = {}
    for e in text_errata:
        key = (e["worksheet"], tuple(e["lines"]), e["quote"], e["replacement"], e["problem"])
        if key in rows:
            rows[key].places += 1
            rows[key].columns.append(e.get("columns"))
            continue
        rows[key] = FixRow(e["worksheet"], e["lines"], e["quote"], e["replacement"], e["problem"], "text", columns=[e.get("columns")])
    return list(rows.values())


def fix_counts(rows: list[FixRow]) -> dict[str, int]:
    """How many fixes of each sort a worksheet has (for the index)."""
    return {"fixes": len(rows), "claim": sum(r.kind == "claim" for r in rows), "text": sum(r.kind == "text" for r in rows),
            "contestable": sum(bool(r.contestable) for r in rows), "no_replacement": sum(r.replacement is None for r in rows)}
