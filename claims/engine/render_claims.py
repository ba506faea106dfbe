"""One claim's section of a worksheet page: the worksheet's words as its heading, the verdict and
what a TA needs in the open, the evidence, formalisation and reproduce command folded away.

Reads result records only. Every formula goes through render_math, every link to another claim
through ``Places`` (the page each claim lives on), so links resolve across pages.
"""

from __future__ import annotations

import json
import math
import re
import shlex
from typing import Any

from claims.engine.render_math import balanced, code, prose, quote, shorten

BADGE = {
    "holds": "holds", "proved": "**proved**", "witnessed": "witnessed", "refuted": "**REFUTED**",
    "unwitnessed": "unwitnessed", "not-checkable": "not checkable", "stale": "**STALE**", "error": "**ERROR**",
}
SIDES = {"lhs": "left side", "rhs": "right side"}


def anchor(claim_id: str) -> str:
    """The claim's stable anchor (the id with its punctuation dropped), kept across renderer changes."""
    return re.sub(r"[^a-z0-9-]", "", claim_id.lower())


class Places:
    """Which page each claim lives on, so a link from any page reaches it."""

    def __init__(self, pages: dict[str, str]) -> None:
        self.pages = pages

    def href(self, claim_id: str, here: str | None) -> str:
        page = self.pages.get(claim_id)
        return f"#{anchor(claim_id)}" if page is None or page == here else f"{page}#{anchor(claim_id)}"

    def link(self, claim_id: str, here: str | None, text: str | None = None) -> str:
        return f"[{text or code(claim_id)}]({self.href(claim_id, here)})"


def title(r: dict[str, Any]) -> str:
    """The heading's words: the worksheet's quote where it reads on its own, else the statement's first sentence."""
    q = r.get("quote")
    shown = quote(q) if q and len(q) <= 140 else ""
    if shown and not shown.startswith("`"):
        return shown if shown.startswith("$`") else f"\u201c{shown}\u201d"
    return prose(shorten(r["statement"]))


def section(r: dict[str, Any], places: Places, here: str, figures: dict[str, dict[str, str]]) -> list[str]:
    """A claim's section: heading, where, statement, verdict, erratum, figure, counterexample, folded details."""
    out = [f'<a id="{anchor(r["id"])}"></a>', "", f"### {r['location']}: {title(r)}", ""]
    out += _where(r) + [f"**Statement.** {prose(r['statement'])}", ""]
    gate = "" if r["gate"] == "pass" else f" (pinned `{r['expected']}`: **gate fails**)"
    out += [f"**Verdict:** {BADGE[r['verdict']]}, {strength(r)}{gate}. {code(r['id'])}", ""]
    if r.get("message"):
        out += ["**Error.**", "", "```text", r["message"], "```", ""]
    if r.get("explanation"):
        label = "Why not checkable" if r["verdict"] == "not-checkable" else "Erratum"
        out += [f"**{label}.** {prose(r['explanation'])}", ""]
    if r.get("corrected_by"):
        out += [f"**Correct statement:** {places.link(r['corrected_by'], here)}.", ""]
    for fig in figures.get(r["id"], []):
        out += [f"![{fig['alt']}]({fig['path']})", "", f"*{prose(fig['caption'])}*", ""]
    if r.get("steps"):
        out += steps(r)
    if r.get("counterexample"):
        out += find("Counterexample", r["counterexample"])
    if r.get("witness"):
        out += find("Witness", r["witness"])
    return out + _details(r, places, here)


def strength(r: dict[str, Any]) -> str:
    ev = r.get("evidence") or {}
    kind = ev.get("strength", "none")
    if kind == "sampled":
        return f"sampled: {ev.get('instances', 0):,} instances"
    if kind == "exhaustive":
        return f"exhaustive: all {ev.get('instances', 0):,} cases"
    return kind


def _where(r: dict[str, Any]) -> list[str]:
    """The worksheet words the claim quotes, with their line (or why they are not found)."""
    if r.get("lines"):
        first, last = r["lines"]
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        return [f"**Worksheet, {where}:** {quote(r['quote'])}", ""]
    if r.get("anchor") == "stale":
        return [f"**Worksheet:** {code(r['quote'])} **no longer occurs** (stale); see the message below.", ""]
    return []


def _details(r: dict[str, Any], places: Places, here: str) -> list[str]:
    """Evidence, formalisation, negative control and reproduce command, folded."""
    inner = _evidence(r.get("evidence") or {}, places, here)
    if r.get("formalisation"):
        inner += ["Checked as:", "", "```text", *_wrap(r["formalisation"]), "```", ""]
    if r.get("negative_control"):
        inner += [f"Negative control: {code(r['negative_control'])} (refuted in tests/test_negative_controls.py).", ""]
    if r["verdict"] != "not-checkable" and r.get("reproduce"):
        inner += ["Reproduce:", "", "```sh", *command(r["reproduce"]), "```", ""]
    if not inner:
        return []
    return ["<details><summary>Evidence, formalisation and how to reproduce</summary>", "", *inner, "</details>", ""]


def _wrap(text: str, width: int = 96) -> list[str]:
    """Long lines broken at spaces so a code block fits the page."""
    out = []
    for line in str(text).splitlines() or [""]:
        words, cur = line.split(" "), ""
        for w in words:
            if cur and len(cur) + 1 + len(w) > width:
                out.append(cur)
                cur = "    " + w
            else:
                cur = f"{cur} {w}" if cur else w
        out.append(cur)
    return out


def command(cmd: str) -> list[str]:
    """A shell command over several lines (backslash continuations), each argument on its own."""
    try:
        parts = shlex.split(cmd)
    except ValueError:
        return _wrap(cmd)
    if len(cmd) <= 90:
        return [cmd]
    quoted = [shlex.quote(p) for p in parts]
    return [f"{quoted[0]} \\"] + [f"  {p} \\" for p in quoted[1:-1]] + [f"  {quoted[-1]}"]


def _evidence(ev: dict[str, Any], places: Places, here: str) -> list[str]:
    if ev.get("method") in (None, "declaration"):
        return []
    parts = [f"{ev.get('examples', 0):,} examples", f"{ev.get('instances', 0):,} instances"]
    parts.append(f"{ev.get('spot_checks', 0)} spot checks in interval arithmetic")
    if ev.get("twin_decided"):
        parts.append(f"{ev['twin_decided']:,} instances decided by the interval twin")
    if ev.get("min_digits_agreed") is not None:
        parts.append(f"float64 and the twin agreed to at least {ev['min_digits_agreed']} digits")
    if ev.get("float64_screen_overruled"):
        parts.append(f"{ev['float64_screen_overruled']} float64 failures overruled by the twin")
    if ev.get("same_property_as"):
        parts.append(f"the same property as {places.link(ev['same_property_as'], here)}, checked once for both")
    return [f"Evidence ({ev.get('profile', '?')} profile): " + ", ".join(parts) + ".", ""]


def steps(r: dict[str, Any]) -> list[str]:
    """The derivation line by line; after the first broken step, a line that only disagrees with the
    broken one (it equals the line before it) is marked as restoring the correct value."""
    broken = r.get("first_broken_step")
    out = ["| line | expression | verdict |", "| ---: | --- | --- |"]
    for k, s in enumerate(r["steps"]):
        if k == broken:
            mark = "**refuted: first broken step**"
        elif broken is not None and k > broken and s["verdict"] == "refuted" and _restores(r["steps"], broken, s):
            mark = f"restores the value of line {broken - 1} (fails only against the broken line {broken})"
        else:
            mark = s["verdict"]
        out.append(f"| {k} | {_cell(_expression(s['expression']))} | {mark} |")
    return out + [""]


def _expression(text: str) -> str:
    shown = prose(text)
    return shown if all(balanced(m) for m in re.findall(r"\$`(.*?)`\$", shown)) else code(text)


def _restores(all_steps: list[dict[str, Any]], broken: int, s: dict[str, Any]) -> bool:
    """This line's value equals the value of the line before the broken one, at the broken step's counterexample."""
    bad, mine = all_steps[broken].get("counterexample") or {}, s.get("counterexample") or {}
    if not bad or not mine or bad.get("inputs") != mine.get("inputs"):
        return False
    before = _sides(bad.get("values") or {})
    here = _sides(mine.get("values") or {})
    return len(before) == 2 and len(here) == 2 and _close(here[0], before[1])


def _sides(values: dict[str, Any]) -> list[Any]:
    return [v for k, v in values.items() if k != "condition"]


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-300)
    return a == b


def find(label: str, found: dict[str, Any]) -> list[str]:
    """Inputs, then each side under its name; exact and float64 columns only where they differ."""
    step = f" at line {found['step']}" if found.get("step") is not None else ""
    out = [f"**{label}**{step}:", "", "| input | value |", "| --- | --- |"]
    out += [f"| `{k}` | {_cell(code(short(v)))} |" for k, v in (found.get("inputs") or {}).items()]
    values, f64 = found.get("values") or {}, found.get("float64_values") or {}
    names = _names(values, found.get("step"))
    if all(short(v) == short(f64.get(k, v)) for k, v in values.items()):
        out += ["", "| quantity | value |", "| --- | --- |"]
        out += [f"| {_cell(names[k])} | {_cell(code(short(v)))} |" for k, v in values.items()]
    else:
        out += ["", "| quantity | exact (interval midpoint) | float64 |", "| --- | --- | --- |"]
        out += [f"| {_cell(names[k])} | {_cell(code(short(v)))} | {_cell(code(short(f64.get(k))))} |" for k, v in values.items()]
    return out + [""] + certificate(found.get("certificate"))


def _names(values: dict[str, Any], step: int | None) -> dict[str, str]:
    """Each side's name: the record's own, or for a derivation step the two lines it compares."""
    if step is not None:
        lines = {"lhs": f"line {step}", "rhs": f"line {step - 1}", "this line": f"line {step}", "previous line": f"line {step - 1}"}
        return {k: lines.get(k, k) for k in values}
    return {k: SIDES.get(k, k) for k in values}


def certificate(cert: dict[str, Any] | None) -> list[str]:
    """The enclosure that makes a refutation certain, in one sentence."""
    if not cert:
        return []
    where = "" if cert.get("entry") in ([], None) else f" (entry {cert['entry']})"
    if cert.get("quantity") == "condition":
        gaps = cert.get("comparisons (right - left)")
        detail = f"; its comparisons' right - left enclose {_cell(json.dumps(gaps))}" if gaps else " (exact logic)"
        return [f"Certificate: the condition is false{where}{detail}, at {cert.get('bits')} bits.", ""]
    excludes = cert.get("excludes")
    claim = f", which excludes {excludes}" if excludes is not None else f" ({cert.get('note')})"
    return [f"Certificate: {cert['quantity']}{where} lies in [{', '.join(cert['enclosure'])}]{claim}, at {cert.get('bits')} bits.", ""]


def short(value: Any) -> str:
    """Numbers to 10 significant digits, so a page reads without drowning in digits."""
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, list):
        return "[" + ", ".join(short(v) for v in value) + "]"
    return json.dumps(value) if not isinstance(value, str) else value


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
