"""Lines per claim, by kind: the declaration plus its check (or step functions), non-blank lines."""

from __future__ import annotations

import ast
import inspect
import re
import statistics
import sys
from collections.abc import Iterable
from functools import cache
from typing import Any

KINDS = ("forall", "exists", "exhaustive", "derivation", "not-checkable")
_SHARED = ("cases", "instances", "domain")  # input generators, shared between claims: not counted
_DECLARERS = {"forall", "exists", "exhaustive", "derivation", "not_checkable"}


@cache
def _module_source(module: str) -> tuple[list[str], ast.Module] | None:
    mod = sys.modules.get(module)
    try:
        lines = inspect.getsource(mod).splitlines() if mod else None
    except (OSError, TypeError):
        return None
    return (lines, ast.parse("\n".join(lines))) if lines is not None else None


def _id_node(node: ast.AST) -> ast.AST | None:
    """The ``id=`` value of a call to a declarer (forall, ..., not_checkable), looked for in its arguments too."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _DECLARERS:
        for kw in (k for n in ast.walk(node) if isinstance(n, ast.Call) for k in n.keywords):
            if kw.arg == "id":
                return kw.value
    return None


def _matches(value: ast.AST | None, claim_id: str, loops: dict[str, ast.For]) -> list[tuple[int, int]] | None:
    """Whether an id expression names the claim: a constant, an f-string, or a loop variable (then the
    line span of the loop item that holds the id is the claim's too)."""
    if isinstance(value, ast.Constant):
        return [] if value.value == claim_id else None
    if isinstance(value, ast.JoinedStr):
        parts = [re.escape(v.value) if isinstance(v, ast.Constant) else ".+" for v in value.values]
        return [] if re.fullmatch("".join(parts), claim_id) else None
    if isinstance(value, ast.Name) and value.id in loops:
        items = getattr(loops[value.id].iter, "elts", [])
        for item in items:
            if any(isinstance(n, ast.Constant) and n.value == claim_id for n in ast.walk(item)):
                return [(item.lineno, item.end_lineno)]
    return None


def _loops(tree: ast.Module) -> dict[str, ast.For]:
    """Module-level for loops by the names they bind (ids declared in a loop)."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.For):
            out.update({n.id: node for n in ast.walk(node.target) if isinstance(n, ast.Name)})
    return out


def _named(call: ast.AST) -> set[str]:
    """Names a declaration uses (its check, step functions), leaving out shared input generators."""
    shared = {id(m) for n in ast.walk(call) if isinstance(n, ast.Call) for k in n.keywords if k.arg in _SHARED for m in ast.walk(k.value)}
    return {n.id for n in ast.walk(call) if isinstance(n, ast.Name) and id(n) not in shared}


def _spans(claim_id: str, tree: ast.Module) -> list[tuple[int, int]] | None:
    """Line spans of a claim's declaration and the functions it names (a decorated check, step functions)."""
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    loops = _loops(tree)
    outer = {n.func: n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Call)}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for d in node.decorator_list:
                extra = _matches(_id_node(d), claim_id, loops)
                if extra is not None:
                    return [(d.lineno, node.end_lineno), *extra]
        extra = _matches(_id_node(node), claim_id, loops)
        if extra is not None:
            named = _named(outer.get(node, node)) & set(functions)
            return [(node.lineno, node.end_lineno), *extra] + [(functions[f].lineno, functions[f].end_lineno) for f in sorted(named)]
    return None


def lines_of(claim: Any) -> int | None:
    """Non-blank source lines of the claim's declaration and check; None where the source is not found."""
    found = _module_source(claim.module)
    spans = _spans(claim.id, found[1]) if found else None
    if spans:
        rows = {i for lo, hi in spans for i in range(lo - 1, hi)}
        return sum(1 for i in rows if found[0][i].strip())
    if claim.check is not None:  # an id built at run time: the check function alone
        try:
            return sum(1 for line in inspect.getsourcelines(claim.check)[0] if line.strip())
        except (OSError, TypeError):
            return None
    return None


def table(claims: Iterable[Any]) -> list[str]:
    """Per kind: claims, median and maximum lines per claim (with the longest claim), total lines."""
    by_kind: dict[str, list[tuple[int, str]]] = {k: [] for k in KINDS}
    unknown = []
    for c in claims:
        n = lines_of(c)
        (by_kind.setdefault(c.kind, []) if n is not None else unknown).append((n, c.id))
    rows = [f"{'kind':14s} {'claims':>6s} {'median':>7s} {'max':>5s} {'lines':>6s}  longest"]
    every = []
    for kind, found in by_kind.items():
        counts = [n for n, _ in found]
        every += counts
        if counts:
            longest = max(found)[1]
            rows.append(f"{kind:14s} {len(counts):6d} {statistics.median(counts):7g} {max(counts):5d} {sum(counts):6d}  {longest}")
        else:
            rows.append(f"{kind:14s} {0:6d} {'-':>7s} {'-':>5s} {0:6d}")
    if every:
        rows.append(f"{'total':14s} {len(every):6d} {statistics.median(every):7g} {max(every):5d} {sum(every):6d}")
    if unknown:
        rows.append(f"source not found for {len(unknown)} claim(s): {', '.join(i for _, i in unknown)}")
    return rows
