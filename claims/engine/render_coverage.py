"""The worksheet map: every displayed equation and every claimed sentence, in line order, with the
verdicts of the claims that quote it; displayed equations no claim quotes are unreviewed.

Reads result records and the worksheets' equation lists only.
"""

from __future__ import annotations

from typing import Any

EXCERPT = 90


def coverage(equations: list[dict[str, Any]], records: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each displayed equation with the records whose quoted lines overlap it."""
    anchored = [r for r in records if r.get("lines")]
    return [(eq, [r for r in anchored if r["lines"][0] <= eq["lines"][1] and r["lines"][1] >= eq["lines"][0]]) for eq in equations]


def share(equations: list[dict[str, Any]], records: list[dict[str, Any]]) -> tuple[int, int]:
    """(accounted for, displayed equations)."""
    rows = coverage(equations, records)
    return sum(1 for _, rs in rows if rs), len(rows)


def map_rows(equations: list[dict[str, Any]], records: list[dict[str, Any]]) -> list[tuple[list[int], str, list[dict[str, Any]], bool]]:
    """(lines, text, records, is an equation) for every displayed equation (whole: a cut formula cannot
    be typeset) and every claimed sentence outside them, in line order."""
    rows = [(eq["lines"], " ".join(eq["text"].split()), rs, True) for eq, rs in coverage(equations, records)]
    inside = {r["id"] for _, _, rs, _ in rows for r in rs}
    sentences: dict[tuple[int, int, str], list[dict[str, Any]]] = {}
    for r in records:
        if r.get("lines") and r["id"] not in inside:
            sentences.setdefault((r["lines"][0], r["lines"][1], r["quote"]), []).append(r)
    rows += [([a, b], quote, rs, False) for (a, b, quote), rs in sentences.items()]
    return sorted(rows, key=lambda row: (row[0], not row[3], row[1]))


def excerpt(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= EXCERPT else words[:EXCERPT - 1] + "\u2026"
