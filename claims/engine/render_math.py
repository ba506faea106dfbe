"""TeX in markdown that GitHub cannot mangle: every formula in GitHub's protected math syntax.

GitHub runs markdown before MathJax, so `*`, `_`, `\\,`, `\\|` and `\\\\` inside plain $...$ are
eaten or turned into emphasis. A code span between dollars ($`...`$) and a ```math block reach
MathJax untouched; pipes become \\vert and \\Vert so that no table splits a formula.
"""

from __future__ import annotations

import re

# $$...$$ or $...$, not an escaped dollar; the text between is the formula.
SEGMENT = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(.+?)(?<!\\)\$", re.S)
TEXLIKE = re.compile(r"\\[A-Za-z]+|[_^]\{|[_^][A-Za-z0-9]")
WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{4,}")


def tex(formula: str) -> str:
    """A formula on one line with no pipe character (a table cell would split at it)."""
    flat = " ".join(formula.split())
    flat = flat.replace("\\|", "\\Vert ").replace("|", "\\vert ")
    return re.sub(r"\\(Vert|vert) (?=[^A-Za-z])", r"\\\1", flat).strip()


def inline(formula: str, display: bool = False) -> str:
    """$`formula`$; a display formula met inside a sentence keeps its size with \\displaystyle."""
    body = tex(formula)
    return f"$`\\displaystyle {body}`$" if display else f"$`{body}`$"


def block(formula: str) -> list[str]:
    """A ```math block: a formula on lines of its own (row breaks \\\\ kept as written)."""
    return ["```math", formula.strip().replace("|", "\\vert "), "```"]


def prose(text: str | None) -> str:
    """Text with $...$ and $$...$$ formulas, each one protected; code spans and the words between untouched.

    A formula cut short (an opening $ with no closing one, e.g. a reason shortened to one line) is
    dropped from its $ on, with an ellipsis: half a formula cannot be typeset.
    """
    if not text:
        return ""
    parts = re.split(r"(`[^`]*`|\u2026)", " ".join(str(text).split()))  # a text cut short ends at its ellipsis
    return "".join(p if p.startswith("`") or p == "\u2026" else _formulas(p) for p in parts)


def _formulas(text: str) -> str:
    out, last = [], 0
    for m in SEGMENT.finditer(text):
        out += [text[last:m.start()], inline(m.group(1) or m.group(2), display=m.group(1) is not None)]
        last = m.end()
    rest = text[last:]
    stray = re.search(r"(?<!\\)\$", rest)
    if stray:
        rest = rest[:stray.start()].rstrip() + ("" if text.endswith("\u2026") else " \u2026")
    return "".join(out) + rest


def balanced(formula: str) -> bool:
    """Whether MathJax can typeset the fragment: braces, \\left/\\right and environments balanced, no stray $."""
    body = re.sub(r"\\[{}]", "", formula)
    depth = 0
    for ch in body:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    begins, ends = re.findall(r"\\begin\{(\w+\*?)\}", formula), re.findall(r"\\end\{(\w+\*?)\}", formula)
    lefts, rights = len(re.findall(r"\\left(?![a-z])", formula)), len(re.findall(r"\\right(?![a-z])", formula))
    return depth == 0 and begins == ends and lefts == rights and "$" not in body


def _fragment(formula: str) -> str:
    """A quoted piece of an aligned display: alignment marks outside an environment dropped."""
    return formula if "\\begin" in formula else formula.replace("&", " ")


def quote(text: str | None) -> str:
    """Worksheet words as they read: formulas typeset where they can be, else the text as code."""
    if not text:
        return ""
    if "$" in text:
        pieces = SEGMENT.split(text)
        maths = [m.group(1) or m.group(2) for m in SEGMENT.finditer(text)]
        rest = SEGMENT.sub("", text)
        if "$" not in rest.replace("\\$", "") and all(balanced(m) for m in maths) and pieces:
            return prose(text)
        return code(text)
    if TEXLIKE.search(text) and not _wordy(text) and balanced(text):
        return inline(_fragment(text))
    return code(text) if TEXLIKE.search(text) else text


def _wordy(text: str) -> bool:
    """Words outside commands (English between formulas): not one formula."""
    bare = re.sub(r"\\[A-Za-z]+|\\text\{[^}]*\}", "", text)
    return len(WORD.findall(bare)) >= 2


def code(text: object) -> str:
    """Inline code that survives backticks in the text."""
    text = " ".join(str(text).split())
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def shorten(text: str, limit: int = 110) -> str:
    """The first sentence of a statement, cut before ``limit`` characters at a space outside formulas."""
    first = re.split(r"(?<=[.;:])\s+(?=[A-Z(])", " ".join(text.split()), maxsplit=1)[0]
    if len(first) <= limit:
        return first.rstrip(".")
    cut, inside = 0, False
    for i, ch in enumerate(first[:limit]):
        if ch == "$" and (i == 0 or first[i - 1] != "\\"):
            inside = not inside
        elif ch == " " and not inside:
            cut = i
    return first[:cut].rstrip(",;") + " \u2026" if cut else first
