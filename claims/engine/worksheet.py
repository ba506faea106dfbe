"""Reading the worksheets: quotes resolved to lines, displayed equations, and the text lint.

It knows nothing of claims or verdicts: text in, line numbers and findings out. Lines are
1-based and split at "\\n" only, as editors and ``cat -n`` count them.
"""

from __future__ import annotations

import bisect
import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

OPTION = "--worksheets"
ENV_VAR = "CLAIMS_WORKSHEETS"
PYPROJECT_KEY = "[tool.claims] worksheets"


@dataclass(frozen=True)
class Span:
    """A stretch of a worksheet: character offsets [start, end) and the 1-based lines it touches."""

    start: int
    end: int
    first: int
    last: int


@dataclass(frozen=True)
class Equation:
    """One displayed equation ($$...$$, \\[...\\] or a display environment) and its lines."""

    first: int
    last: int
    text: str


@dataclass(frozen=True)
class Finding:
    """Text damage found by the lint: what is wrong, the words, and the repair (None: a hand edit)."""

    span: Span
    quote: str
    problem: str
    replacement: str | None
    edit: tuple[int, int, str] | None = None  # the minimal (start, end, new text) the repair makes


def normalise(text: str) -> str:
    """Whitespace runs count as one space (how quotes are compared)."""
    return " ".join(text.split())


class Worksheet:
    """One worksheet's text, with quotes resolved on its whitespace-normalised form."""

    def __init__(self, name: str, text: str) -> None:
        self.name, self.text = name, text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._norm, self._origin = _normalised_with_origin(text)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._line_starts, offset)

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.line_of(start), self.line_of(max(start, end - 1)))

    def locate(self, quote: str) -> list[Span]:
        """Every place the quote occurs (whitespace-normalised), in text order."""
        q = normalise(quote)
        spans, at = [], self._norm.find(q) if q else -1
        while at >= 0:
            spans.append(self.span(self._origin[at], self._origin[at + len(q) - 1] + 1))
            at = self._norm.find(q, at + 1)
        return spans

    def nearest(self, quote: str) -> tuple[int, str]:
        """The line and the words now in the worksheet most like a quote that no longer occurs."""
        q = normalise(quote)
        best = (-1.0, 1, "")
        for line, text in enumerate(self.text.split("\n"), 1):
            words = normalise(text)
            if not words:
                continue
            match = difflib.SequenceMatcher(None, q, words, autojunk=False).find_longest_match(0, len(q), 0, len(words))
            lo = max(0, match.b - match.a)
            window = words[lo:lo + len(q)]
            ratio = difflib.SequenceMatcher(None, q, window, autojunk=False).ratio()
            if ratio > best[0]:
                best = (ratio, line, window)
        return best[1], best[2]

    def equations(self) -> list[Equation]:
        """Every displayed equation, in text order."""
        return [Equation(s.first, s.last, self.text[s.start:s.end]) for s in _math(self).display]

    def lint(self) -> list[Finding]:
        """Damaged or unparsable math, in text order."""
        return sorted(lint(self), key=lambda f: (f.span.start, f.problem))

    def repaired(self) -> str:
        """The text with every lint repair made (each is a small edit of one command)."""
        return apply_edits(self.text, [f.edit for f in self.lint() if f.edit])[0]


def _normalised_with_origin(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the offset it came from."""
    chars, origin = [], []
    for m in re.finditer(r"\S+", text):
        if chars:
            chars.append(" ")
            origin.append(m.start() - 1)
        chars.append(m.group())
        origin.extend(range(m.start(), m.end()))
    return "".join(chars), origin


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """Make non-overlapping edits (start, end, new); returns the text and the edits skipped as overlapping."""
    out, skipped, at = [], [], 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < at:
            skipped.append((start, end, new))
            continue
        out += [text[at:start], new]
        at = end
    return "".join(out) + text[at:], skipped


def unified_diff(name: str, old: str, new: str) -> str:
    """A unified diff that `patch -p1` applies in the worksheet folder (marks a missing final newline)."""
    lines = difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{name}", f"b/{name}", n=2)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


# ---- the folder setting ----------------------------------------------------------------------


@dataclass
class Folder:
    """The worksheet folder of a run (or None), where the setting came from, and the sheets read."""

    path: Path | None
    source: str
    _sheets: dict[str, Worksheet | None] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return self.path is not None and self.path.is_dir()

    def sheet(self, name: str) -> Worksheet | None:
        """The named worksheet, or None when the folder or the file is missing."""
        if name not in self._sheets:
            file = self.path / name if self.available else None
            self._sheets[name] = Worksheet(name, file.read_text(encoding="utf-8")) if file and file.is_file() else None
        return self._sheets[name]

    def skipped_because(self) -> str:
        """One sentence on why the worksheets were not read, naming the setting."""
        where = f"the worksheet folder {self.path} (from {self.source}) does not exist" if self.path else "no worksheet folder is configured"
        return (f"worksheet anchoring skipped: {where}, so no quote was resolved to its lines (quote and lines "
                f"are null) and no coverage, lint or patch was made; set {OPTION} DIR, ${ENV_VAR} or "
                f"{PYPROJECT_KEY} in pyproject.toml")


def configured_folder(option: str | None, root: Path) -> Folder:
    """The worksheet folder: ``--worksheets DIR``, else $CLAIMS_WORKSHEETS, else pyproject's
    ``[tool.claims] worksheets`` (relative to the project root). The first two are relative to
    the current directory. A folder given explicitly but missing is an error (ValueError)."""
    for value, source in ((option, OPTION), (os.environ.get(ENV_VAR), f"${ENV_VAR}")):
        if value:
            path = Path(os.path.abspath(os.path.expanduser(value)))
            if not path.is_dir():
                raise ValueError(f"{source} {value}: no such folder of worksheets")
            return Folder(path, source)
    value = _pyproject_setting(root)
    return Folder(Path(os.path.normpath(root / value)) if value else None, f"pyproject.toml {PYPROJECT_KEY}")


def _pyproject_setting(root: Path) -> str | None:
    try:
        with open(root / "pyproject.toml", "rb") as f:
            return tomllib.load(f).get("tool", {}).get("claims", {}).get("worksheets")
    except (OSError, tomllib.TOMLDecodeError):
        return None


# ---- math mode -------------------------------------------------------------------------------

DISPLAY_ENVS = r"equation|align|aligned|gather|gathered|multline|eqnarray|displaymath|alignat"
PARAGRAPH = re.compile(r"\n[ \t]*\n")
DISPLAY_BEGIN = re.compile(rf"\\begin\{{({DISPLAY_ENVS})\*?\}}")


@dataclass
class _Math:
    """Where math mode is: display spans, inline spans, and delimiters left open."""

    display: list[Span] = field(default_factory=list)
    inline: list[Span] = field(default_factory=list)
    unclosed: list[tuple[int, str]] = field(default_factory=list)


# Only "$" and a backslash can open math or be skipped over as an escape: the scans jump between them.
_MATH_CHARS = re.compile(r"[$\\]")


def _math(sheet: Worksheet) -> _Math:
    found, i = _Math(), 0
    while (m := _MATH_CHARS.search(sheet.text, i)) is not None:
        i = _math_step(sheet.text, m.start(), found, sheet)
    return found


def _math_step(text: str, i: int, found: _Math, sheet: Worksheet) -> int:
    """Scan from offset i; records a math span or an unclosed delimiter and returns where to go on."""
    env = DISPLAY_BEGIN.match(text, i)
    opener = "$$" if text.startswith("$$", i) else "\\[" if text.startswith("\\[", i) else env.group() if env else None
    if opener is None and text.startswith("$", i):
        opener = "$"
    if opener is None:
        return i + (2 if text[i] == "\\" else 1)
    closer = {"$$": "$$", "\\[": "\\]", "$": "$"}.get(opener) or f"\\end{{{env.group(1)}}}"
    end = _closing(text, i + len(opener), closer)
    if end < 0:
        found.unclosed.append((i, opener))
        return i + len(opener)
    stop = end + len(closer)
    (found.inline if opener == "$" else found.display).append(sheet.span(i, stop))
    return stop


def _closing(text: str, i: int, closer: str) -> int:
    """Where the closing delimiter starts, before the paragraph ends (-1: never closed)."""
    para = PARAGRAPH.search(text, i)
    limit = para.start() if para else len(text)
    while (m := _MATH_CHARS.search(text, i, limit)) is not None:
        i = m.start()
        if text.startswith(closer, i) and not (closer == "$" and text.startswith("$$", i)):
            return i
        i += 2 if text[i] == "\\" and not closer.startswith("\\") else 1
    return -1


# ---- the lint --------------------------------------------------------------------------------

# Math-mode commands (without the backslash): a token that is one of these minus its first letter,
# where that letter is a string escape (\a \b \f \n \r \t \v), is a command whose backslash and
# first letter were eaten, e.g. "\frac" read as form feed + "rac".
COMMANDS = set("""
alpha approx ast angle aleph arccos arcsin arctan arg
bar beta bigl bigr big bigg binom boldsymbol bot boxed bullet begin bmatrix backslash bigcup bigcap
frac forall flat frak
nabla neq neg nu not notin nolimits nonumber newline ne ni
rho right rightarrow rangle rceil rfloor rm rvert rVert
tau tan tanh theta text textbf textit textrm textcircled tilde times to top triangle tfrac
vec vdots vee vert varepsilon varphi vartheta varrho varsigma vartriangle
""".split())
ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
TEXT_ARGS = re.compile(r"\\(?:text|textbf|textit|textrm|mathrm|operatorname|mbox)\{[^{}]*\}")
# Commands that a markdown or LaTeX reader shows raw (or rejects) outside $...$.
RUN_TOKEN = r"(?:\\[A-Za-z]+(?:\{[^{}$]*\})*|(?<![A-Za-z0-9\\])[A-Za-z](?:_|\^)(?:\{[^{}$]*\}|[A-Za-z0-9]))"
OUTSIDE_RUN = re.compile(rf"{RUN_TOKEN}(?:\s*,\s*{RUN_TOKEN})*")


def lint(sheet: Worksheet) -> list[Finding]:
    """Eaten escapes first; the structure (delimiters, braces, environments) is checked on the text
    with those repaired, so one eaten \\begin is one finding, not two."""
    math = _math(sheet)
    eaten = _eaten_escapes(sheet, math)
    repaired = Worksheet(sheet.name, apply_edits(sheet.text, [f.edit for f in eaten])[0]) if eaten else sheet
    structure = _shifted(sheet, eaten, repaired) if eaten else _structure(sheet, math)
    return eaten + structure + list(_outside_math(sheet, math))


def _shifted(sheet: Worksheet, eaten: list[Finding], repaired: Worksheet) -> list[Finding]:
    """Structure findings of the repaired text, placed back on the original lines."""
    out = []
    for f in _structure(repaired, _math(repaired)):
        delta = sum(len(e.edit[2]) - (e.edit[1] - e.edit[0]) for e in eaten if e.edit[0] < f.span.start)
        start = f.span.start - delta
        out.append(Finding(sheet.span(start, start + len(f.quote)), f.quote, f.problem, None))
    return out


def _eaten_escapes(sheet: Worksheet, math: _Math) -> list[Finding]:
    spans = math.display + math.inline
    out = []
    for span in spans:
        body = TEXT_ARGS.sub(lambda m: " " * len(m.group()), sheet.text[span.start:span.end])
        for m in re.finditer(r"(?<![\\A-Za-z])[A-Za-z]{2,}", body):
            finding = _eaten(sheet, span.start + m.start(), m.group(), body[m.end():m.end() + 1])
            if finding:
                out.append(finding)
    return out


def _eaten(sheet: Worksheet, at: int, token: str, after: str) -> Finding | None:
    """A token that is a known command minus an escaped first letter, where it cannot be a word."""
    if token in COMMANDS or (len(token) < 3 and after not in ("{", "_", "^")):
        return None
    letters = [c for c in ESCAPES if c + token in COMMANDS]
    if not letters:
        return None
    before = sheet.text[at - 1] if at else ""
    letter = next((c for c in letters if ESCAPES[c] == before), letters[0])
    start = at - 1 if before in ESCAPES.values() else at  # the stray control character goes too
    command = "\\" + letter + token
    context_end = at + len(token) + len(re.match(r"[^\s$]{0,24}", sheet.text[at + len(token):]).group())
    quote = sheet.text[at:context_end]
    problem = f"`{command}` lost its backslash and first letter (`\\{letter}` read as a string escape)"
    return Finding(sheet.span(at, context_end), quote, problem, command + quote[len(token):], (start, at + len(token), command))


def _structure(sheet: Worksheet, math: _Math) -> list[Finding]:
    """Unclosed $ or $$, unbalanced braces, \\left/\\right and environments inside math."""
    out = [_hand(sheet, at, len(opener), f"`{opener}` is never closed") for at, opener in math.unclosed]
    for span in math.display + math.inline:
        out += _balance(sheet, span)
    return out


def _balance(sheet: Worksheet, span: Span) -> list[Finding]:
    body = sheet.text[span.start:span.end]
    out, stack = [], []
    for m in re.finditer(r"\\[{}]|\\left\b|\\right\b|\\begin\{([^}]*)\}|\\end\{([^}]*)\}|[{}]", body):
        token, at = m.group(), span.start + m.start()
        if token in ("\\{", "\\}"):
            continue
        opening = token == "{" or token == "\\left" or token.startswith("\\begin")
        want = {"}": "{", "\\right": "\\left"}.get(token, f"\\begin{{{m.group(2)}}}")
        if opening:
            stack.append((token, at))
        elif stack and stack[-1][0] == want:
            stack.pop()
        else:
            out.append(_hand(sheet, at, len(token), f"`{token}` has no matching `{want}`"))
    out += [_hand(sheet, at, len(token), f"`{token}` is never closed") for token, at in stack]
    return out


def _hand(sheet: Worksheet, at: int, length: int, problem: str) -> Finding:
    """A structural finding: no safe automatic repair, so a hand edit."""
    return Finding(sheet.span(at, at + length), sheet.text[at:at + length], problem, None)


def _outside_math(sheet: Worksheet, math: _Math) -> list[Finding]:
    """LaTeX commands in prose (outside every $...$): wrapped in $...$ as the repair."""
    masked = list(sheet.text)
    for span in math.display + math.inline:
        masked[span.start:span.end] = "\0" * (span.end - span.start)
    prose = "".join(masked)
    out = []
    for m in re.finditer(r"\\[A-Za-z]+", prose):
        if any(f.span.start <= m.start() < f.span.end for f in out):
            continue
        run = _run_around(prose, m.start())
        quote = prose[run[0]:run[1]]
        out.append(Finding(sheet.span(*run), quote, "math outside `$...$` (shown as raw LaTeX)", f"${quote}$",
                           (run[0], run[1], f"${quote}$")))
    return out


def _run_around(prose: str, at: int) -> tuple[int, int]:
    """The run of math-like tokens (commands, x_1, a^2, joined by commas) that contains offset at."""
    line_start = prose.rfind("\n", 0, at) + 1
    for m in OUTSIDE_RUN.finditer(prose, line_start):
        if m.start() <= at < m.end():
            return m.start(), m.end()
        if m.start() > at:
            break
    return at, at + len(re.match(r"\\[A-Za-z]+", prose[at:]).group())


def survey(folder: Folder | None, names: list[str]) -> dict:
    """What the report needs of the worksheets, as plain data: each one's text, displayed equations
    and text errata, or the sentence saying why they were not read."""
    if folder is None or not folder.available:
        return {"available": False, "skipped": (folder or Folder(None, "")).skipped_because(), "worksheets": {}}
    sheets = {name: folder.sheet(name) for name in names}
    return {"available": True, "skipped": None, "folder": str(folder.path), "worksheets": {
        name: {"text": sheet.text, "equations": [{"lines": [e.first, e.last], "text": e.text} for e in sheet.equations()],
               "text_errata": [text_erratum(name, sheet, f) for f in sheet.lint()]}
        for name, sheet in sheets.items() if sheet is not None}}


def text_erratum(name: str, sheet: Worksheet, f: Finding) -> dict:
    """A lint finding as a report record (the contract's ``text_errata`` entry; columns 1-based, inclusive)."""
    column = f.span.start - sheet.text.rfind("\n", 0, f.span.start)
    return {"worksheet": name, "lines": [f.span.first, f.span.last], "columns": [column, column + len(f.quote) - 1],
            "quote": f.quote, "problem": f.problem, "replacement": f.replacement}
