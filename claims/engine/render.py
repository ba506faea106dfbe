"""The one renderer of reports/: result records in, markdown pages and claims.json out.

It reads only result records (plain dicts), never claims or models. Timings go to one place,
the ``timings`` map of claims.json, so the pages stay identical between runs of the same code.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import json
import os
import re
import shutil
import stat
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from claims.engine.audit import warning_lines
from claims.engine.render_changes import changes
from claims.engine.render_claims import BADGE, Places, anchor, section, strength
from claims.engine.render_claims import title as claim_title
from claims.engine.render_coverage import map_rows, share
from claims.engine.render_fixes import FixRow, fix_counts, fix_rows
from claims.engine.render_math import prose, quote
from claims.engine.render_patches import Patch, build_patch, patch_name

VERDICT_ORDER = ("holds", "proved", "witnessed", "refuted", "unwitnessed", "not-checkable", "stale", "error")
NOT_READ = {"available": False, "skipped": "worksheet anchoring skipped: the worksheets were not read", "worksheets": {}}


def natural_key(text: str) -> list[Any]:
    """'2(d) step 10' after '2(d) step 9': numbers compare as numbers."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


def summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    counts = Counter(r["verdict"] for r in records)
    failures = [r["id"] for r in records if r["gate"] != "pass"]
    return {
        "claims": len(records),
        **{v: counts.get(v, 0) for v in VERDICT_ORDER},
        "errata": sum(1 for r in records if r["expected"] == "refuted"),
        "gate": "fail" if failures else "pass",
        "gate_failures": failures,
    }


def claims_json(records: list[dict[str, Any]], meta: dict[str, Any], sheets: dict[str, Any] | None = None) -> str:
    """reports/claims.json per ../shared/design/report-contract.md (schema 1)."""
    sheets = sheets or NOT_READ
    # quote, lines and fix are null where the worksheets were not read (or the record came from run_claim alone)
    claims = [{**{k: v for k, v in r.items() if k != "seconds"}, **{k: None for k in ("quote", "lines", "fix") if k not in r}} for r in records]
    doc = {
        "schema": 1,
        "profile": meta["profile"],
        "generated_at": meta["generated_at"],
        "versions": meta["versions"],
        "summary": summary(records),
        "worksheets": _worksheets_json(records, sheets),
        "claims": claims,
        "text_errata": _text_errata(sheets),
        "timings": {r["id"]: r.get("seconds") for r in records},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _worksheets_json(records: list[dict[str, Any]], sheets: dict[str, Any]) -> dict[str, Any]:
    """Whether the worksheets were read, and per worksheet its coverage and fix counts."""
    out: dict[str, Any] = {"anchoring": "done" if sheets["available"] else "skipped", "skipped": sheets["skipped"]}
    rows = fix_rows(records, _text_errata(sheets))
    for ws, data in sheets["worksheets"].items():
        mine = [r for r in records if r["worksheet"] == ws]
        done, total = share(data["equations"], mine)
        out[ws] = {"displayed_equations": total, "accounted_for": done, **fix_counts(rows.get(ws, []))}
        if mine:
            out[ws]["patch"] = patch_name(ws)
    return out


def _text_errata(sheets: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for data in sheets["worksheets"].values() for e in data["text_errata"]]


def anchoring_line(records: list[dict[str, Any]], sheets: dict[str, Any]) -> str:
    """One line for the terminal: anchoring done (with its findings) or skipped, and why."""
    if not sheets["available"]:
        return sheets["skipped"]
    stale = sum(r["verdict"] == "stale" for r in records)
    texts = len(_text_errata(sheets))
    rows = fix_rows(records, _text_errata(sheets))
    done = total = 0
    for ws, data in sheets["worksheets"].items():
        d, t = share(data["equations"], [r for r in records if r["worksheet"] == ws])
        done, total = done + d, total + t
    return (f"worksheets read from {sheets['folder']}: {stale} stale claim(s), {done} of {total} displayed equations "
            f"accounted for, {sum(len(v) for v in rows.values())} fixes ({texts} text errata)")


def _code(text: Any) -> str:
    """Inline code that survives backticks in the text (a table cell escapes its pipes)."""
    text = " ".join(str(text).split())
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _lines(lines: list[int] | None) -> str:
    if not lines:
        return "-"
    return str(lines[0]) if lines[0] == lines[1] else f"{lines[0]}-{lines[1]}"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


INDEX = "README.md"


def _page_name(worksheet: str) -> str:
    """A worksheet's page; one named README.* gets another name, never the index's (any letter case)."""
    stem = Path(worksheet).stem
    return f"{stem}.worksheet.md" if f"{stem}.md".lower() == INDEX.lower() else f"{stem}.md"


def index_page(records: list[dict[str, Any]], meta: dict[str, Any], titles: dict[str, str], sheets: dict[str, Any] | None = None,
               previous: dict[str, dict[str, Any]] | None = None) -> str:
    """The index: what changed since the committed reports, what to fix, contradictions, then every claim."""
    s = summary(records)
    sheets = sheets or NOT_READ
    out = [
        "# Claim report",
        "",
        "Generated by `tox -e claims` from the claim catalogue in `claims/`; do not edit by hand.",
        f"Profile `{meta['profile']}`. Gate: **{s['gate']}**"
        + (f" ({len(s['gate_failures'])} claim(s) differ from their pinned verdict)." if s["gate_failures"] else "."),
        "",
        "| verdict | claims |",
        "| --- | ---: |",
        *[f"| {v} | {s[v]} |" for v in VERDICT_ORDER if s[v]],
        f"| **total** | {s['claims']} |",
        "",
        f"{s['errata']} known errata are pinned as `refuted`; each has a corrected statement that holds.",
        "",
        "Verdict strength: *sampled* = no counterexample among the instances checked, every instance",
        "float64 could not clear decided by the interval twin; *exhaustive* = every element of a finite",
        "domain decided by the twin (proved);",
        "*counterexample* = refuted, certified by an interval enclosure that excludes the claimed relation;",
        "*witness* = an existential claim with a confirmed witness.",
        "",
    ]
    out += changes(records, previous, _places(records))
    out += _fix_summary(records, sheets, titles)
    out += _anchoring_problems(records)
    out += _contradictions(records)
    out += warning_lines(records)
    by_ws = defaultdict(list)
    for r in records:
        by_ws[r["worksheet"]].append(r)
    for ws in sorted(by_ws):
        rows = sorted(by_ws[ws], key=lambda r: natural_key(r["location"]))
        counts = Counter(r["verdict"] for r in rows)
        out += [
            f"## [{ws}]({_page_name(ws)}): {titles.get(ws, '')}",
            "",
            ", ".join(f"{counts[v]} {v}" for v in VERDICT_ORDER if counts[v]) + ".",
            "",
            "| location | claim (the worksheet's words) | verdict | evidence | gate |",
            "| --- | --- | --- | --- | --- |",
        ]
        for r in rows:
            link = f"[{_cell(claim_title(r))}]({_page_name(ws)}#{anchor(r['id'])})"
            out.append(
                f"| {_cell(r['location'])} | {link} | {BADGE[r['verdict']]}"
                f"{' (erratum)' if r['expected'] == 'refuted' else ''} | {_cell(strength(r))} | {r['gate']} |"
            )
        out.append("")
    return "\n".join(out) + "\n"


def _fix_summary(records: list[dict[str, Any]], sheets: dict[str, Any], titles: dict[str, str]) -> list[str]:
    """Per worksheet: its fixes (from claims, from the lint), contestable ones, coverage, its patch."""
    if not sheets["available"]:
        return ["## Worksheet fixes and coverage", "", f"**{sheets['skipped'][0].upper()}{sheets['skipped'][1:]}.**", ""]
    rows = fix_rows(records, _text_errata(sheets))
    out = ["## Worksheet fixes and coverage", "",
           "Each worksheet page opens with its fix list: the line, the words there, what to write instead and why.",
           "A patch per worksheet makes every fix (`patch -p1 < PATCH` in the worksheet folder).", "",
           "| worksheet | fixes | from claims | text damage | contestable | displayed equations accounted for | patch |",
           "| --- | ---: | ---: | ---: | ---: | --- | --- |"]
    for ws in sorted(sheets["worksheets"]):
        mine = [r for r in records if r["worksheet"] == ws]
        if not mine:
            continue
        n = fix_counts(rows.get(ws, []))
        done, total = share(sheets["worksheets"][ws]["equations"], mine)
        pct = f" ({100 * done // total}%)" if total else ""
        out.append(f"| [{ws}]({_page_name(ws)}#fixes) | {n['fixes']} | {n['claim']} | {n['text']} | {n['contestable']} "
                   f"| {done} of {total}{pct} | [{patch_name(ws)}]({patch_name(ws)}) |")
    return out + [""]


def _anchoring_problems(records: list[dict[str, Any]]) -> list[str]:
    """Claims whose quote no longer occurs (stale), is missing, or occurs more than once."""
    notes = [r for r in records if r.get("anchor") in ("stale", "no-quote", "ambiguous")]
    if not notes:
        return []
    out = ["## Claims and their worksheet words", ""]
    for r in sorted(notes, key=lambda r: (r["anchor"] != "stale", r["worksheet"], r["id"])):
        link = f"[`{r['id']}`]({_page_name(r['worksheet'])}#{anchor(r['id'])})"
        out.append(f"- {r['anchor']}: {link}: {_cell(r['anchor_note'])}")
    return out + [""]


def _contradictions(records: list[dict[str, Any]]) -> list[str]:
    """Claims about the same fact in different worksheets, side by side when verdicts differ."""
    facts = defaultdict(list)
    for r in records:
        if r.get("fact"):
            facts[r["fact"]].append(r)
    clashing = {
        f: rs for f, rs in facts.items()
        if len({r["worksheet"] for r in rs}) > 1 and len({_positive(r["verdict"]) for r in rs}) > 1
    }
    if not clashing:
        return []
    places = _places(records)
    out = ["## Where worksheets contradict each other", ""]
    for fact in sorted(clashing):
        out += [f"**{fact}**", "", "| where | says | verdict |", "| --- | --- | --- |"]
        for r in sorted(clashing[fact], key=lambda r: (r["worksheet"], natural_key(r["location"]))):
            where = places.link(r["id"], None, f"{r['worksheet']} {r['location']}")
            out.append(f"| {_cell(where)} | {_cell(prose(r['statement']))} | {BADGE[r['verdict']]} |")
        out.append("")
    return out


def _places(records: list[dict[str, Any]]) -> Places:
    return Places({r["id"]: _page_name(r["worksheet"] or "unknown") for r in records})


def _positive(verdict: str) -> bool:
    return verdict in ("holds", "proved", "witnessed")


def worksheet_page(ws: str, title: str, records: list[dict[str, Any]], sheet: dict[str, Any] | None = None,
                   fixes: list[FixRow] | None = None, patch: Patch | None = None, places: Places | None = None,
                   figures: dict[str, list[dict[str, str]]] | None = None) -> str:
    """A worksheet's review: its fixes, its map, its errata in full, then every claim in worksheet order."""
    here = _page_name(ws or "unknown")
    places = places or Places({r["id"]: here for r in records})
    rows = sorted(records, key=lambda r: natural_key(r["location"]))
    errata = [r for r in rows if r["expected"] == "refuted" or r["verdict"] in ("refuted", "stale", "error")]
    out = [f"# {ws}: {title}", "", "[Back to the index](README.md)", ""]
    if sheet is not None:
        out += _fix_list(fixes or [], patch, places, here)
        out += _worksheet_map(sheet["equations"], records, places, here)
    out += [f"## Errata ({len(errata)})", ""]
    if not errata:
        out += ["None found.", ""]
    for r in errata:
        out += section(r, places, here, figures or {})
    out += ["## All claims, in worksheet order", ""]
    for r in rows:
        if r not in errata:
            out += section(r, places, here, figures or {})
        else:
            out += [f"### {r['location']}: {claim_title(r)}", "",
                    f"{BADGE[r['verdict']]}: see {places.link(r['id'], here, 'its erratum above')}.", ""]
    return "\n".join(out) + "\n"


def _fix_list(rows: list[FixRow], patch: Patch | None, places: Places, here: str) -> list[str]:
    """The fixes to make in the worksheet, first thing on its page."""
    out = ['<a id="fixes"></a>', "", f"## Fixes ({len(rows)})", ""]
    if not rows:
        return out + ["None: every claim holds as stated and the text lint is clean.", ""]
    name = rows[0].worksheet
    out += [f"Every fix with a replacement is made by [{patch_name(name)}]({patch_name(name)}): in the worksheet folder, "
            f"`patch -p1 < {patch_name(name)}`.", "",
            "| line | the worksheet says | write instead | why | found by |", "| --- | --- | --- | --- | --- |"]
    for row in rows:
        where = _lines(row.lines) + (f" ({row.places} places)" if row.places > 1 else "")
        said = _code(row.quote) if row.kind == "text" else quote(row.quote)
        new = "*(no replacement recorded: a hand edit)*" if row.replacement is None else (
            _code(row.replacement) if row.kind == "text" else quote(row.replacement))
        found = "text lint" if row.kind == "text" else ", ".join(places.link(c, here) for c in row.claims)
        out.append(f"| {where} | {_cell(said)} | {_cell(new)} | {_cell(prose(_why(row)))} | {found} |")
    for row, why in patch.not_applied if patch else []:
        out.append(f"\n- Line {_lines(row.lines)} is not in the patch: {why}.")
    return out + [""]


def _why(row: FixRow) -> str:
    text = row.reason if row.lines else f"stale: the quote no longer occurs; {row.reason}"
    if row.carries:
        text += f" (carries the line {row.carries} correction forward)"
    if row.within_claim_fix:
        text += " (the claim fix on this line rewrites these words)"
    if row.contestable:
        other = re.sub(r"^(the )?other reading:\s*", "", row.contestable, flags=re.I)
        text += f" **Contestable**; the other reading: {other}"
    return text


def _worksheet_map(equations: list[dict[str, Any]], records: list[dict[str, Any]], places: Places, here: str) -> list[str]:
    """Every displayed equation and claimed sentence with the verdicts of the claims quoting it."""
    done, total = share(equations, records)
    pct = f" ({100 * done // total}%)" if total else ""
    rows = map_rows(equations, records)
    unreviewed = [_lines(lines) for lines, _, rs, eq in rows if eq and not rs]
    out = ["## Worksheet map", "", f"{done} of {total} displayed equations accounted for{pct}"
           + (f"; unreviewed: line {', '.join(unreviewed)}." if unreviewed else "."), "",
           "<details><summary>Every displayed equation and claimed sentence, with its claims</summary>", "",
           "| line | worksheet text | claims |", "| --- | --- | --- |"]
    for lines, text, rs, is_eq in rows:
        claims = "; ".join(f"{places.link(r['id'], here)} {BADGE[r['verdict']]}" for r in rs) or "**unreviewed**"
        out.append(f"| {_lines(lines)} | {_cell(quote(text))}{'' if is_eq else ' (sentence)'} | {claims} |")
    return out + ["", "</details>", ""]


def render(records: list[dict[str, Any]], meta: dict[str, Any], titles: dict[str, str],
           sheets: dict[str, Any] | None = None, previous: dict[str, dict[str, Any]] | None = None,
           figures: list[dict[str, str]] | None = None) -> dict[str, str]:
    """Every file of reports/ by name: the index, a page and a patch per worksheet, figures, claims.json.

    ``previous`` is the committed record by claim id (what changed is listed first in the index);
    ``figures`` are drawn files ({claim, path, alt, caption, data}) embedded under their claim.
    """
    sheets = sheets or NOT_READ
    files = {"README.md": index_page(records, meta, titles, sheets, previous), "claims.json": claims_json(records, meta, sheets)}
    fixes = fix_rows(records, _text_errata(sheets))
    places, by_fig = _places(records), defaultdict(list)
    for fig in figures or []:
        if fig["claim"] in places.pages:
            files[fig["path"]] = fig["data"]
            by_fig[fig["claim"]].append(fig)
    by_ws = defaultdict(list)
    for r in records:
        by_ws[r["worksheet"]].append(r)
    for ws, rs in by_ws.items():
        sheet = sheets["worksheets"].get(ws)
        patch = build_patch(ws, sheet["text"], fixes.get(ws, [])) if sheet else None
        if patch:
            files[patch.name] = patch.diff
        files[_page_name(ws or "unknown")] = worksheet_page(ws, titles.get(ws, ""), rs, sheet, fixes.get(ws, []), patch, places, by_fig)
    return files


class ReportWriteError(Exception):
    """The reports could not be written; the message names the folder, the cause and what to do."""

    def __init__(self, directory: Path, cause: OSError) -> None:
        what, todo = _diagnosis(cause)
        super().__init__(
            f"could not write the reports to {directory}/: {what}; the previous reports there are unchanged. "
            f"{todo}, then rerun (or write them elsewhere with --claims-report DIR)."
        )


def _diagnosis(cause: OSError) -> tuple[str, str]:
    if cause.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full", "Free some disk space"
    if cause.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{cause.strerror or 'permission denied'} ({cause.filename or 'the folder'})", "Make the folder writable"
    return f"{type(cause).__name__}: {cause}", "Fix the cause"


def write_whole(directory: Path, files: dict[str, str]) -> None:
    """Replace ``directory`` with exactly ``files``, one writer at a time; raises ReportWriteError.

    The new folder is written aside, then exchanged with the old one in a single rename (Linux
    renameat2), so ``directory`` always exists, is never a mix of two runs, and keeps its mode.
    """
    directory = Path(directory)
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        with _locked(directory.parent):
            _remove_leftovers(directory)
            _refuse_read_only(directory)
            _replace(directory, files)
    except OSError as exc:
        raise ReportWriteError(directory, exc) from exc


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive flock on the parent folder itself: concurrent writers queue, no lock file is left."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock, also when the process is killed


def _staging_prefix(directory: Path) -> str:
    return f".{directory.name}-new-"


def _remove_leftovers(directory: Path) -> None:
    """Undo what a killed writer left (only ever done under the lock): its staging folders, and
    the previous reports set aside by the two-rename fallback, put back if nothing replaced them."""
    if _old(directory).is_dir() and not directory.exists():
        os.rename(_old(directory), directory)
    for stale in [*directory.parent.glob(_staging_prefix(directory) + "*"), _old(directory)]:
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


def _refuse_read_only(directory: Path) -> None:
    """A folder made read-only (no write bit, or not writable by us) is left alone, even by root."""
    if directory.is_dir() and (not os.access(directory, os.W_OK) or not directory.stat().st_mode & 0o222):
        raise PermissionError(errno.EACCES, "the folder is read-only", str(directory))


def _replace(directory: Path, files: dict[str, str]) -> None:
    staging = directory.parent / f"{_staging_prefix(directory)}{uuid.uuid4().hex[:12]}"
    os.mkdir(staging)  # not mkdtemp (mode 0700): a new folder gets the umask's usual mode
    try:
        for name, text in files.items():
            _write_file(staging / name, text)
        if not directory.exists():
            os.rename(staging, directory)
            return
        os.chmod(staging, stat.S_IMODE(directory.stat().st_mode))
        if not _exchange(staging, directory):
            _swap_by_two_renames(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # the old reports after an exchange, else a partial write


def _write_file(path: Path, text: str) -> None:
    path.parent.mkdir(exist_ok=True)  # patches/ inside the staging folder
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())  # on disk before the rename makes it visible


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@functools.cache
def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2); False where the system cannot."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap_by_two_renames(staging: Path, directory: Path) -> None:
    """Fallback without an atomic exchange: never mixed, but briefly absent; undone if the second rename fails."""
    old = _old(directory)
    os.rename(directory, old)
    try:
        os.rename(staging, directory)
    except BaseException:
        os.rename(old, directory)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _old(directory: Path) -> Path:
    return directory.parent / f".{directory.name}-old"
