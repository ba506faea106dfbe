"""``python -m claims coverage``: which displayed equations of each worksheet no claim quotes yet.

Also lists the claims whose quote is missing, not found (stale) or found more than once, so a
catalogue author sees every gap between the catalogue and the worksheets in one listing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import claims
from claims.engine.anchors import accounted, anchor, claim_ranges
from claims.engine.worksheet import Folder, configured_folder, normalise

ROOT = Path(__file__).resolve().parents[2]
EXCERPT = 100


def report(texts: list[str], option: str | None) -> tuple[list[str], bool]:
    """The listing for the worksheets whose name contains one of ``texts`` (all when empty), and
    whether everything is accounted for."""
    from claims.worksheets import WORKSHEETS

    folder = configured_folder(option, ROOT)
    if not folder.available:
        return [folder.skipped_because()], False
    names = [w for w in WORKSHEETS if not texts or any(t in w for t in texts)]
    if not names:
        raise ValueError(f"no worksheet name contains {' or '.join(map(repr, texts))}; the worksheets are {', '.join(WORKSHEETS)}")
    registry = claims.load()
    out, complete = [], True
    for name in names:
        lines, ok = _one(name, [c for c in registry.claims.values() if c.worksheet == name], folder)
        out += lines
        complete &= ok
    return out, complete


def _one(name: str, catalogue: list[Any], folder: Folder) -> tuple[list[str], bool]:
    sheet = folder.sheet(name)
    if sheet is None:
        return [f"{name}: not found in {folder.path}"], False
    rows = accounted(sheet.equations(), claim_ranges(catalogue, sheet))
    open_rows = [eq for eq, ids in rows if not ids]
    done = len(rows) - len(open_rows)
    share = f" ({100 * done // len(rows)}%)" if rows else ""
    out = [f"{name}: {done} of {len(rows)} displayed equations accounted for{share}"]
    out += [f"  unaccounted: line {_lines(eq.first, eq.last)}: {_excerpt(eq.text)}" for eq in open_rows]
    anchors = [(c, anchor(c, folder)) for c in catalogue]
    out += [f"  stale: {a.note}" for c, a in anchors if a.status == "stale"]
    out += [f"  ambiguous: {a.note}" for c, a in anchors if a.status == "ambiguous"]
    missing = [c.id for c, a in anchors if a.status == "no-quote"]
    if missing:
        out.append(f"  no quote ({len(missing)}): {', '.join(missing)}")
    return out, not (open_rows or missing or any(a.status == "stale" for _, a in anchors))


def _lines(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _excerpt(text: str) -> str:
    words = normalise(text)
    return words if len(words) <= EXCERPT else words[:EXCERPT - 1] + "\u2026"
