"""Typeset a page's HTML with a local MathJax 3 in headless chromium and read back what it found.

The page script waits for MathJax, then writes a JSON result into the DOM (formulas typeset,
MathJax errors, text that still looks like TeX), which ``--dump-dom`` hands back.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MATHJAX = ROOT / ".render-tools" / "node_modules" / "mathjax" / "es5" / "tex-chtml-full.js"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--hide-scrollbars", "--allow-file-access-from-files"]
STYLE = """body{font:16px/1.5 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;max-width:980px;margin:24px auto;padding:0 16px;color:#1f2328}
table{border-collapse:collapse;display:block;overflow:auto;max-width:100%}td,th{border:1px solid #d0d7de;padding:6px 13px}
code{background:#eff1f3;padding:.2em .4em;border-radius:6px;font-size:85%}pre{background:#f6f8fa;padding:16px;overflow:auto}
pre code{background:none;padding:0}img{max-width:100%}h2,h3{border-bottom:1px solid #d8dee4}details{margin:8px 0}"""
# Why: the result must be in the DOM before --dump-dom reads it, so the script writes it there.
SCRIPT = r"""
window.MathJax = {tex: {inlineMath: [['\\(', '\\)']], displayMath: [['\\[', '\\]']], processEscapes: false},
  startup: {pageReady: () => MathJax.startup.defaultPageReady().then(report, (e) => report(String(e)))}};
// Code spans are shown verbatim by design (a damaged worksheet line, a command): counted apart, not as raw TeX.
let verbatim = [];
function rawTex() {
  const out = [], walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const tex = /\$|\\[A-Za-z]+|\\[{}|,;!]|[_^]\{/;
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (n.parentElement.closest('mjx-container, pre, script, style, #render-result')) continue;
    if (!tex.test(n.textContent)) continue;
    (n.parentElement.closest('code') ? verbatim : out).push(n.textContent.trim().slice(0, 160));
  }
  return {raw: out, verbatim: verbatim};
}
function report(failure) {
  const errors = [...document.querySelectorAll('mjx-merror')].map(e => e.getAttribute('data-mjx-error') || e.textContent);
  const text = rawTex();
  const result = {typeset: document.querySelectorAll('mjx-container').length, errors: errors, raw: text.raw, verbatim: text.verbatim,
                  failure: failure || null};
  const pre = document.createElement('pre'); pre.id = 'render-result'; pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre); document.title = 'typeset';
}
"""


def chromium() -> str | None:
    """The chromium binary, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def html_page(title: str, body: str) -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title><style>{STYLE}</style>"
            f"<script>{SCRIPT}</script><script src='{MATHJAX.as_uri()}'></script></head><body>{body}</body></html>")


def _run(args: list[str], page: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="render-check-") as profile:
        done = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=60000", *args, page.as_uri()],
                              capture_output=True, text=True, timeout=300)
    return done.stdout


def typeset(page: Path) -> dict:
    """MathJax's account of one HTML page: formulas typeset, errors, raw TeX left, or why it did not run."""
    dom = _run(["--dump-dom"], page)
    found = re.search(r'<pre id="render-result">(.*?)</pre>', dom, re.S)
    if not found:
        return {"typeset": 0, "errors": [], "raw": [], "failure": "MathJax never finished (no result in the DOM)"}
    import html

    return json.loads(html.unescape(found.group(1)))


def screenshot(page: Path, png: Path, height: int = 2400) -> None:
    """A picture of the typeset page, for a person to look at."""
    png.parent.mkdir(parents=True, exist_ok=True)
    _run([f"--screenshot={png}", f"--window-size=1100,{height}"], page)
