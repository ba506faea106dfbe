"""Claims meet their worksheets: each claim's quote resolved to lines, stale claims, its fix.

The worksheet side (reading, locating, the lint) is claims/engine/worksheet.py; this module adds
what a claim's record says about it: ``quote``, ``lines``, ``fix`` and the ``stale`` verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from claims.engine.worksheet import Equation, Folder, Worksheet, normalise


@dataclass(frozen=True)
class Anchor:
    """Where a claim's quote is: ``lines`` (None when not found or not read) and a note for the reader.

    status: "found", "ambiguous" (found more than once: the first is used), "stale" (not found),
    "no-quote", or "skipped" (the worksheet was not available).
    """

    status: str
    quote: str | None
    lines: list[int] | None
    note: str | None = None


def anchor(claim: Any, folder: Folder | None) -> Anchor:
    """Resolve a claim's quote in its worksheet."""
    sheet = folder.sheet(claim.worksheet) if folder else None
    if sheet is None:
        return Anchor("skipped", None, None)
    if not claim.quote:  # a catalogue claim without one is malformed (declare.py); others are only noted
        return Anchor("no-quote", None, None, f"claim '{claim.id}' has no quote=: cite the worksheet's words so its line can be found")
    spans = sheet.locate(claim.quote)
    quote = normalise(claim.quote)
    if not spans:
        line, words = sheet.nearest(claim.quote)
        note = (f"claim '{claim.id}' is stale: its quote \"{quote}\" no longer occurs in {claim.worksheet}; "
                f"the nearest text now is line {line}: \"{words}\". Update the claim to the worksheet as it is now")
        return Anchor("stale", quote, None, note)
    lines = [spans[0].first, spans[0].last]
    if len(spans) > 1:
        where = ", ".join(str(s.first) for s in spans)
        return Anchor("ambiguous", quote, lines, f"claim '{claim.id}': its quote occurs at lines {where}; lengthen it so it names one place (line {lines[0]} is used)")
    return Anchor("found", quote, lines)


def anchor_record(record: dict[str, Any], claim: Any, folder: Folder | None) -> dict[str, Any]:
    """Add ``quote``, ``lines`` and ``fix`` to a result record; a stale quote makes the verdict ``stale``."""
    a = anchor(claim, folder) if claim is not None else Anchor("skipped", None, None)
    record.update(quote=a.quote, lines=a.lines, fix=_fix(claim, a), anchor=a.status, anchor_note=a.note)
    if a.status == "stale":
        record.update(checked_verdict=record["verdict"], verdict="stale", gate="fail")
        record["message"] = "\n".join(m for m in (a.note, record.get("message")) if m)
    return record


def _fix(claim: Any, a: Anchor) -> dict[str, Any] | None:
    """A known erratum's fix: the words to change (its quote and lines) and what to write instead."""
    erratum = getattr(claim, "erratum", None)
    if erratum is None or claim.expected != "refuted" or a.status == "skipped":
        return None
    return {"lines": a.lines, "quote": a.quote, "replacement": erratum.replacement,
            "reason": one_line(erratum.explanation), "contestable": erratum.contestable}


def one_line(text: str, limit: int = 220) -> str:
    """The first sentence of an explanation, cut at ``limit`` characters."""
    first = re.split(r"(?<=[.;])\s+(?=[A-Z(])", " ".join(text.split()), maxsplit=1)[0]
    return first if len(first) <= limit else first[:limit - 1].rstrip() + "\u2026"


def accounted(equations: list[Equation], ranges: dict[str, list[int]]) -> list[tuple[Equation, list[str]]]:
    """Each displayed equation with the ids of the claims whose quoted lines overlap it."""
    return [(eq, [cid for cid, (a, b) in ranges.items() if a <= eq.last and b >= eq.first]) for eq in equations]


def claim_ranges(claims: list[Any], sheet: Worksheet) -> dict[str, list[int]]:
    """The lines each claim's quote resolves to, for the claims whose quote is found."""
    out = {}
    for claim in claims:
        spans = sheet.locate(claim.quote) if claim.quote else []
        if spans:
            out[claim.id] = [spans[0].first, spans[0].last]
    return out
