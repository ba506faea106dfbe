"""The render check: every report page as GitHub shows it (cmark-gfm, then MathJax in headless
chromium): no raw TeX, no MathJax error, no broken link; screenshots saved for a person to look at.

The pages are rendered fresh from the records in reports/claims.json with the figures of this run,
into a temporary folder (reports/ itself is never written here).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from claims.engine.render import render
from claims.engine.worksheet import configured_folder, survey
from claims.worksheets import WORKSHEETS
from tests.render import browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "reports-render"


def _missing() -> str | None:
    """Why the check cannot run here, in one line naming what to install."""
    try:
        import cmarkgfm  # noqa: F401
    except ImportError:
        return "render check: pip install cmarkgfm (pip install -e '.[render]')"
    if browser.chromium() is None:
        return "render check: install the Debian package chromium (apt-get install -y chromium)"
    if not browser.MATHJAX.exists():
        return "render check: npm install --prefix .render-tools mathjax@3.2.2"
    return None


def _pages(folder: Path) -> Path:
    from claims.engine.figures import draw

    doc = json.loads((ROOT / "reports" / "claims.json").read_text(encoding="utf-8"))
    sheets = survey(configured_folder(None, ROOT), list(WORKSHEETS))
    previous = {c["id"]: c for c in doc["claims"]}
    for name, text in render(doc["claims"], doc, WORKSHEETS, sheets, previous, draw()).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_figures_are_the_same_bytes_every_time():
    from claims.engine.figures import draw

    first, second = draw(), draw()
    assert [f["path"] for f in first] == [f["path"] for f in second]
    assert all(a["data"] == b["data"] for a, b in zip(first, second))
    assert all("<svg" in f["data"] and "dc:date" not in f["data"] for f in first)


@pytest.mark.skipif(_missing() is not None, reason=_missing() or "")
def test_every_page_renders_on_github(tmp_path):
    from tests.render.check import check

    folder = _pages(tmp_path / "reports")
    shutil.rmtree(SHOTS, ignore_errors=True)
    result = check(folder, tmp_path / "html", SHOTS, ("README.md", "003_4df1c69f94983c45.md"))
    print(result.line())
    assert result.failures == []
    assert result.typeset > 0
    assert result.raw == [], result.raw[:10]
    assert result.errors == [], result.errors[:10]
    assert result.broken == [], result.broken[:10]
    assert (SHOTS / "README.png").exists()
