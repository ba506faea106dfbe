"""The worksheets in the loop: quotes resolve to their lines, an edited worksheet makes exactly the
claims quoting the edited line stale, the lint finds every damaged formula, each patch applies."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import claims
from claims.engine.anchors import accounted, anchor, anchor_record, claim_ranges
from claims.engine.render import render
from claims.engine.render_fixes import fix_rows
from claims.engine.render_patches import build_patch
from claims.engine.worksheet import Folder, Worksheet, configured_folder, survey
from claims.worksheets import WORKSHEETS, WS003

ROOT = Path(__file__).resolve().parents[1]
FOLDER = configured_folder(None, ROOT)
needs_worksheets = pytest.mark.skipif(not FOLDER.available, reason=f"no worksheet folder: {FOLDER.skipped_because()}")
META = {"profile": "control", "generated_at": "2026-11-23T00:00:00Z", "versions": {"python": "3.11"}}


def sheet(name):
    return FOLDER.sheet(name)


def catalogue(worksheet=None):
    return [c for c in claims.load().claims.values() if worksheet in (None, c.worksheet)]


# ---- anchors -----------------------------------------------------------------------------------

@needs_worksheets
@pytest.mark.parametrize(("quote", "lines"), [
    (r"In the same way, We can get $ho_1=1-b\eta$", [157, 157]),
    (r"$$0 < 1 - a\eta < 1$$ $$0 < \eta < \frac{1}{a}$$", [169, 170]),  # a quote across a line break
    ("Thus, the learning   rate is very\nsmall", [189, 189]),  # whitespace runs count as one space
])
def test_quotes_resolve_to_their_lines(quote, lines):
    (span,) = sheet(WS003).locate(quote)
    assert [span.first, span.last] == lines


@needs_worksheets
def test_every_catalogue_quote_resolves_to_one_place():
    anchors = {c.id: anchor(c, FOLDER) for c in catalogue()}
    assert {cid: a.status for cid, a in anchors.items() if a.status != "found"} == {}


@needs_worksheets
def test_a_record_carries_quote_lines_and_fix():
    claim = claims.load().claims["gd.rho1-in-the-same-way-is-1-minus-b-eta"]
    record = anchor_record({"verdict": "refuted", "gate": "pass", "message": None}, claim, FOLDER)
    assert record["lines"] == [157, 157] and record["quote"] and record["verdict"] == "refuted"
    assert record["fix"]["lines"] == [157, 157] and record["fix"]["replacement"] and record["fix"]["reason"]


def test_without_the_folder_the_anchoring_is_skipped_and_said_so():
    claim = claims.load().claims["gd.rho1-in-the-same-way-is-1-minus-b-eta"]
    folder = Folder(None, "test")
    record = anchor_record({"id": claim.id, "verdict": "refuted", "gate": "pass", "message": None}, claim, folder)
    assert record["quote"] is None and record["lines"] is None and record["verdict"] == "refuted"
    sheets = survey(folder, list(WORKSHEETS))
    index = render([], META, WORKSHEETS, sheets)["README.md"]
    assert "Worksheet anchoring skipped: no worksheet folder is configured" in index


def test_a_missing_folder_given_explicitly_is_a_usage_error(tmp_path):
    env = {**os.environ, "CLAIMS_WORKSHEETS": str(tmp_path / "nowhere")}
    proc = subprocess.run([sys.executable, "-m", "pytest", "tests/test_claims.py", "-q", "-k", "relu", "--collect-only"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 4 and "no such folder of worksheets" in proc.stderr


# ---- an edited worksheet ----------------------------------------------------------------------

CHANGED_LINE = 157
ADDED = "\n$$w_1(t) = (1 - a\\eta)^t w_1(0)$$\n"


@pytest.fixture
def edited(tmp_path):
    """A copy of the worksheets in which 003 has one line changed and one displayed equation added."""
    folder = tmp_path / "seeds"
    shutil.copytree(FOLDER.path, folder)
    lines = (folder / WS003).read_text().split("\n")
    lines[CHANGED_LINE - 1] = lines[CHANGED_LINE - 1].replace("ho_1", "ho_2")  # a TA fixes the index, not the escape
    lines.insert(151, ADDED)
    (folder / WS003).write_text("\n".join(lines))
    return folder


def _expected_stale():
    """Claims every occurrence of whose quote touches the changed line."""
    return {c.id for c in catalogue(WS003)
            if all(s.first <= CHANGED_LINE <= s.last for s in sheet(WS003).locate(c.quote))}


@needs_worksheets
def test_an_edited_worksheet_makes_exactly_the_claims_quoting_the_line_stale(edited):
    folder = configured_folder(str(edited), ROOT)
    stale = {c.id for c in catalogue(WS003) if anchor(c, folder).status == "stale"}
    assert stale == _expected_stale() and stale
    note = anchor(claims.load().claims[min(stale)], folder).note
    assert "no longer occurs" in note and f'line {CHANGED_LINE + 3}: "$ho_2=1-b\\eta$' in note  # the nearest text, moved down


@needs_worksheets
def test_an_added_equation_is_the_one_new_unreviewed_equation(edited):
    def unreviewed(s):
        return [eq.text for eq, ids in accounted(s.equations(), claim_ranges(catalogue(WS003), s)) if not ids]

    new = Worksheet(WS003, (edited / WS003).read_text())
    assert sorted(set(unreviewed(new)) - set(unreviewed(sheet(WS003)))) == [ADDED.strip()]


@needs_worksheets
def test_stale_claims_turn_the_gate_red(edited, tmp_path):
    stale = sorted(_expected_stale())
    selection = " or ".join(stale + ["gd.converges-iff-eta-below-2-over-max-curvature"])
    env = {**os.environ, "CLAIMS_PROFILE": "quick"}
    proc = subprocess.run([sys.executable, "-m", "pytest", "tests/test_claims.py", "-q", "-p", "no:cacheprovider", "-n", "0",
                           "--worksheets", str(edited), "--claims-report", str(tmp_path / "out"), "-k", selection],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stdout[-3000:]
    report = json.loads((tmp_path / "out" / "claims.json").read_text())
    verdicts = {c["id"]: (c["verdict"], c["gate"]) for c in report["claims"]}
    assert verdicts == {**{i: ("stale", "fail") for i in stale}, "gd.converges-iff-eta-below-2-over-max-curvature": ("holds", "pass")}
    assert f"{len(stale)} stale" in proc.stdout and "no longer occurs" in proc.stdout
    assert "stale" in (tmp_path / "out" / "README.md").read_text()


# ---- the lint ----------------------------------------------------------------------------------

# Every damaged formula of the five worksheets (found by grepping them for commands that lost
# their backslash and first letter, for LaTeX outside $...$, and for unbalanced delimiters).
DAMAGE = {
    ("000_3057f9ee4c919776.txt", 5, r"\mathcal{L}"),
    ("002_f00dcf7b6a936c71.txt", 72, r"x_1, \dots, x_D"),
    ("002_f00dcf7b6a936c71.txt", 150, r"\mathcal{L}"),
    ("002_f00dcf7b6a936c71.txt", 197, r"\therefore"),
    ("002_f00dcf7b6a936c71.txt", 227, r"\mathcal{L}"),
    ("002_f00dcf7b6a936c71.txt", 227, r"\underline{h}"),
    ("002_f00dcf7b6a936c71.txt", 227, r"\underline{y}"),
    ("002_f00dcf7b6a936c71.txt", 232, r"\underline{r}"),
    ("002_f00dcf7b6a936c71.txt", 232, r"\underline{s}"),
    ("002_f00dcf7b6a936c71.txt", 234, r"\underline{x} , \underline{z} , \underline{h} , \underline{y} , \mathcal{R} , \mathcal{S}"),
    ("002_f00dcf7b6a936c71.txt", 234, r"\mathcal{L}"),
    ("002_f00dcf7b6a936c71.txt", 239, r"\rightarrow"),
    ("003_4df1c69f94983c45.txt", 93, r"rac{\partial"),
    ("003_4df1c69f94983c45.txt", 93, r"egin{bmatrix}"),
    ("003_4df1c69f94983c45.txt", 157, r"ho_1=1-b\eta"),
}


@needs_worksheets
def test_the_lint_finds_every_damaged_formula():
    found = {(name, f.span.first, f.quote) for name in WORKSHEETS for f in sheet(name).lint()}
    assert found == DAMAGE


@needs_worksheets
def test_every_eaten_escape_in_the_worksheets_is_found():
    """An independent grep: a known command minus its escaped first letter, followed by {, _ or ^."""
    for name in WORKSHEETS:
        text = sheet(name).text
        for n, line in enumerate(text.split("\n"), 1):
            for m in re.finditer(r"(?<![\\A-Za-z])(rac|egin|ho|imes|abla|ext|heta|ilde|lpha|ec|ar|au|op)(?=[{_^])", line):
                assert (name, n, m.group(1)) in {(w, ln, q[:len(m.group(1))]) for w, ln, q in DAMAGE}


@pytest.mark.parametrize(("text", "problem"), [
    ("$$a \times b$$".replace("\t", "\t"), "`\\times` lost"),  # a tab left in place of \t
    ("$$x = \n abla_w f$$", "`\\nabla` lost"),
    ("Let $x = 1 and y = 2.\n\nNext.", "`$` is never closed"),
    ("$$\\frac{1}{2$$", "`{` is never closed"),
    ("$$\\left( x \\right. \\right)$$", "`\\right` has no matching `\\left`"),
    ("$$\\begin{aligned} x \\end{bmatrix}$$", "has no matching `\\begin{bmatrix}`"),
    ("the loss \\mathcal{L} is", "math outside"),
])
def test_the_lint_names_each_kind_of_damage(text, problem):
    findings = Worksheet("w.txt", text).lint()
    assert any(problem in f.problem for f in findings), findings


@pytest.mark.parametrize("text", [
    "the text is here; ho ho; an eta; the rac",  # words outside math are words
    "$$\\eta \\text{real numbers} + \\theta_1 + \\frac{a}{b} + aw_1 + bw_2 + \\min(a, b)$$",
    "$$\\begin{cases} 1 & \\text{if } z \\geq 0 \\end{cases}$$",
    "$a$ and $$\\left[ x \\right]$$",
])
def test_the_lint_passes_clean_math(text):
    assert Worksheet("w.txt", text).lint() == []


# ---- patches -----------------------------------------------------------------------------------

def _catalogue_records():
    """The fix-relevant fields of every claim's record, from the engine's pieces (no check is run)."""
    out = []
    for c in catalogue():
        record = {"id": c.id, "worksheet": c.worksheet, "verdict": c.expected, "expected": c.expected, "gate": "pass",
                  "message": None, "fact": c.fact, "corrected_by": c.erratum.corrected_by if c.erratum else None}
        out.append(anchor_record(record, c, FOLDER))
    return out


def apply_unified_diff(old: str, diff: str) -> str:
    """A small applier: every hunk's context and removed lines must match exactly where it says."""
    lines, out, at = old.splitlines(True), [], 0
    body = [line for line in diff.splitlines(True)[2:]]
    for k, line in enumerate(body):
        if line.startswith("@@"):
            start = int(re.match(r"@@ -(\d+)", line).group(1)) - 1
            out += lines[at:start]
            at = start
        elif line.startswith("\\"):
            out[-1] = out[-1].rstrip("\n") if body[k - 1].startswith((" ", "+")) else out[-1]
        elif line[0] in " -":
            assert lines[at].rstrip("\n") == line[1:].rstrip("\n"), f"hunk does not apply at line {at + 1}"
            at += 1
            if line[0] == " ":
                out.append(lines[at - 1])
        else:
            out.append(line[1:])
    return "".join(out + lines[at:])


@needs_worksheets
@pytest.mark.parametrize("name", list(WORKSHEETS))
def test_each_patch_applies_cleanly_with_every_replacement_and_a_clean_lint(name, tmp_path):
    records = _catalogue_records()
    text_errata = survey(FOLDER, [name])["worksheets"][name]["text_errata"]
    rows = fix_rows(records, text_errata).get(name, [])
    patch = build_patch(name, sheet(name).text, rows)
    assert patch.not_applied == []
    result = apply_unified_diff(sheet(name).text, patch.diff)
    assert result == patch.result
    # Every replacement is made; the lint then repairs the rest (a replacement's own raw LaTeX too).
    assert all(r.replacement in patch.claimed for r in rows if r.kind == "claim" and r.replacement)
    assert result == Worksheet(name, patch.claimed).repaired() and Worksheet(name, result).lint() == []
    if shutil.which("patch"):
        copy = tmp_path / name
        copy.write_text(sheet(name).text)
        (tmp_path / "fix.diff").write_text(patch.diff)
        proc = subprocess.run(["patch", "-p1", "-s", "-i", "fix.diff"], cwd=tmp_path, capture_output=True, text=True)
        assert proc.returncode == 0 and copy.read_text() == result, proc.stdout + proc.stderr


@needs_worksheets
def test_every_refuted_claim_with_a_replacement_has_a_fix_row():
    records = _catalogue_records()
    rows = [r for rs in fix_rows(records, []).values() for r in rs]
    wanted = {r["id"] for r in records if r["fix"] and r["fix"]["replacement"]}
    assert wanted == {c for r in rows for c in r.claims}


@needs_worksheets
def test_a_correction_later_lines_depend_on_is_carried_forward():
    rows = fix_rows(_catalogue_records(), []).get(WS003, [])
    carried = {r.lines[0]: r.carries for r in rows if r.carries}
    assert carried.get(186) == 178, carried  # 2.4 still uses the refuted condition of 2.3


def test_a_catalogue_claim_without_a_quote_is_malformed():
    from claims.engine import REGISTRY, Mutant, equal, forall, st

    def check(v, ops):
        return equal(v.x, v.x)

    check.__module__ = "claims.some_topic"  # as if declared in the catalogue
    with REGISTRY.scratch() as reg:
        forall(id="t.no-quote", worksheet=WS003, location="1", statement="x = x", expected="holds",
               cases=st.fixed_dictionaries({"x": st.floats(0, 1)}), mutant=Mutant("m"))(check)
        (problems,) = [c.problems for c in reg.claims.values()]
    assert any(p.startswith("missing quote") for p in problems)
