"""Patches: one unified diff per worksheet that makes every fix of its fix list.

The claim errata's replacements are made first, at the lines their quotes resolve to; then every
repair of the text lint is made on the result (a replacement that already rewrote damaged words
leaves nothing for the lint to repair there).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claims.engine.render_fixes import FixRow
from claims.engine.worksheet import Worksheet, apply_edits, unified_diff

PATCH_DIR = "patches"


@dataclass
class Patch:
    """A worksheet's diff, the text it produces (and the text after the claim fixes alone), and the
    rows it could not apply (with why)."""

    name: str
    diff: str
    result: str
    claimed: str
    not_applied: list[tuple[FixRow, str]] = field(default_factory=list)


def patch_name(worksheet: str) -> str:
    return f"{PATCH_DIR}/{worksheet}.diff"


def build_patch(name: str, text: str, rows: list[FixRow]) -> Patch:
    """Apply every claim fix with a replacement, then the lint's repairs; diff against the original."""
    sheet = Worksheet(name, text)
    edits, not_applied = [], []
    for row in rows:
        if row.kind != "claim" or row.replacement is None or not row.lines:
            continue
        span = next((s for s in sheet.locate(row.quote) if s.first == row.lines[0]), None)
        if span is None:
            not_applied.append((row, "its quote is not at the recorded line"))
        else:
            edits.append((span.start, span.end, row.replacement, row))
    claimed, skipped = apply_edits(text, [e[:3] for e in edits])
    for start, end, new in skipped:
        row = next(e[3] for e in edits if e[:3] == (start, end, new))
        if new not in claimed:
            not_applied.append((row, "it overlaps another fix of the same words; reconcile the two replacements"))
    result = Worksheet(name, claimed).repaired()
    return Patch(patch_name(name), unified_diff(name, text, result), result, claimed, not_applied)
