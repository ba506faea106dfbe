"""The render check over a folder of report pages: links, then MathJax in chromium, plus screenshots.

``python -m tests.render.check DIR [SHOTS]`` prints the counts; tests/test_render.py asserts them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.render import browser, gfm


@dataclass
class Result:
    """What the check found on every page: formulas typeset, MathJax errors, raw TeX, broken links."""

    typeset: int = 0
    errors: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    verbatim: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.typeset} formulas typeset; raw TeX {len(self.raw)}, MathJax errors {len(self.errors)}, "
                f"broken links {len(self.broken)}, pages not typeset {len(self.failures)} "
                f"(TeX shown verbatim in code spans: {len(self.verbatim)})")


def check(folder: Path, work: Path, shots: Path | None = None, shoot: tuple[str, ...] = ()) -> Result:
    """Convert every page of ``folder`` as GitHub does, typeset it, and count what went wrong."""
    pages = {p.name: gfm.to_html(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.md"))}
    result = Result(broken=gfm.broken_links(pages, folder))
    work.mkdir(parents=True, exist_ok=True)
    for name, body in pages.items():
        page = folder / f".{name}.render.html"  # beside the pages, so figure paths resolve in screenshots
        page.write_text(browser.html_page(name, body), encoding="utf-8")
        try:
            found = browser.typeset(page)
            result.typeset += found["typeset"]
            result.errors += [f"{name}: {e}" for e in found["errors"]]
            result.raw += [f"{name}: {t}" for t in found["raw"]]
            result.verbatim += [f"{name}: {t}" for t in found.get("verbatim", [])]
            if found["failure"]:
                result.failures.append(f"{name}: {found['failure']}")
            if shots is not None and name in shoot:
                browser.screenshot(page, shots / f"{Path(name).stem}.png")
        finally:
            page.unlink()
    return result


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    shots = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    res = check(folder, folder, shots, ("README.md", *sys.argv[3:]))
    for what in (res.errors, res.raw, res.broken, res.failures):
        print(*what[:40], sep="\n")
    print(res.line())
