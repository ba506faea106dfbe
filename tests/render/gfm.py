"""Markdown pages to HTML the way GitHub shows them: cmark-gfm first, then GitHub's math syntax.

GitHub hands $`...`$ (a code span between dollars) and ```math blocks to MathJax after the markdown
is rendered; this module rewrites exactly those into MathJax delimiters. Plain $...$ is left as
text on purpose: the check counts it as raw TeX, since markdown rules may have changed it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

INLINE = re.compile(r"\$<code>(.*?)</code>\$", re.S)
BLOCK = re.compile(r'<pre lang="math"><code>(.*?)</code></pre>', re.S)
HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)


def to_html(markdown: str) -> str:
    """The page body as GitHub would render it (math still as TeX, inside MathJax delimiters)."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    body = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_GITHUB_PRE_LANG)
    body = BLOCK.sub(lambda m: f'<div class="math display">\\[{m.group(1)}\\]</div>', body)
    body = INLINE.sub(lambda m: f'<span class="math">\\({m.group(1)}\\)</span>', body)
    return _heading_ids(body)


def _heading_ids(body: str) -> str:
    """Give headings the ids GitHub generates (lowercase, punctuation dropped, spaces to dashes, -1 for repeats)."""
    seen: dict[str, int] = {}

    def slug(m: re.Match) -> str:
        text = html.unescape(re.sub(r"<[^>]+>", "", m.group(2)))
        base = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
        n = seen.get(base, 0)
        seen[base] = n + 1
        ident = base if n == 0 else f"{base}-{n}"
        return f'<h{m.group(1)} id="{html.escape(ident)}">{m.group(2)}</h{m.group(1)}>'

    return HEADING.sub(slug, body)


def anchors(body: str) -> set[str]:
    """Every fragment a link may name on this page: element ids and names."""
    return {html.unescape(v) for v in re.findall(r'\s(?:id|name)="([^"]*)"', body)}


def links(body: str) -> list[str]:
    """Every href and img src of the page, as written."""
    return [html.unescape(v) for v in re.findall(r'\s(?:href|src)="([^"]*)"', body)]


def broken_links(pages: dict[str, str], folder: Path) -> list[str]:
    """Internal links whose file or anchor does not exist ("page -> target: why")."""
    ids = {name: anchors(body) for name, body in pages.items()}
    out = []
    for name, body in pages.items():
        for href in links(body):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue  # external: the network is closed, and not ours to check
            target = unquote(parts.path) or name
            if not (folder / target).exists():
                out.append(f"{name} -> {href}: no file {target}")
            elif parts.fragment and target in ids and unquote(parts.fragment) not in ids[target]:
                out.append(f"{name} -> {href}: no anchor #{parts.fragment} in {target}")
    return out
