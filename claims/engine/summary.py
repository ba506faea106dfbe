"""The job summary of a CI run: the gate, the claims that failed it, and the fix list, as markdown from claims.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _cell(text: Any) -> str:
    return " ".join(str(text if text is not None else "-").split()).replace("|", "\\|")


def markdown(doc: dict[str, Any]) -> list[str]:
    """The gate line, gate failures and one row per pinned erratum (where, the words, what to write, why)."""
    s = doc["summary"]
    counts = ", ".join(f"{s[v]} {v}" for v in ("holds", "proved", "witnessed", "refuted", "unwitnessed", "not-checkable", "stale", "error") if s.get(v))
    out = [f"## Worksheet claims: gate **{s['gate']}** (profile `{doc['profile']}`)", "", f"{s['claims']} claims: {counts}.", ""]
    failed = [c for c in doc["claims"] if c["gate"] != "pass"]
    if failed:
        out += ["### Gate failures", "", "| claim | verdict | pinned | why |", "| --- | --- | --- | --- |"]
        out += [f"| `{c['id']}` | {c['verdict']} | {c['expected']} | {_cell((c.get('message') or '').splitlines()[0] if c.get('message') else '')[:300]} |" for c in failed]
        out.append("")
    return out + fix_list(doc["claims"])


def fix_list(records: list[dict[str, Any]]) -> list[str]:
    """One row per distinct fix (claims stating the same error share a row), in worksheet and line order."""
    rows: dict[tuple[Any, ...], list[str]] = {}
    for c in records:
        if c["expected"] != "refuted":
            continue
        fix = c.get("fix") or {}
        key = (c["worksheet"], tuple(fix.get("lines") or [0, 0]), fix.get("quote") or c["location"], fix.get("replacement") or c.get("explanation"))
        rows.setdefault(key, []).append(c["id"])
    if not rows:
        return ["No fixes: every worksheet statement checked holds."]
    out = [f"### Fix list ({len(rows)})", "", "| worksheet | line | the words there | write instead | found by |", "| --- | --- | --- | --- | --- |"]
    for (ws, lines, where, instead), ids in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        line = "-" if not lines[0] else str(lines[0]) if lines[0] == lines[1] else f"{lines[0]}-{lines[1]}"
        out.append(f"| {ws} | {line} | {_cell(where)[:200]} | {_cell(instead)[:300]} | {', '.join(f'`{i}`' for i in ids)} |")
    return out


def main(folder: str) -> int:
    path = Path(folder) / "claims.json"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"## Worksheet claims: no reports\n\n{path} could not be read ({exc}): the run wrote no reports (see its log).")
        return 1
    print("\n".join(markdown(doc)))
    return 0
