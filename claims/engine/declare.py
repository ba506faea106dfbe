"""Claim declarations and the registry: what a course author writes, validated before it runs.

A declaration never raises on a mistake: it records a problem that names the claim and the fix,
and the claim then runs as an ``error`` verdict, so nothing goes silently missing.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from hypothesis.strategies import SearchStrategy

KINDS = ("forall", "exists", "exhaustive", "derivation", "not-checkable")
# The verdicts a kind can reach; the first is what a true statement earns.
VERDICTS_BY_KIND = {
    "forall": ("holds", "refuted"),
    "exists": ("witnessed", "unwitnessed"),
    "exhaustive": ("proved", "refuted"),
    "derivation": ("holds", "refuted"),
    "not-checkable": ("not-checkable",),
}
POSITIVE = ("holds", "witnessed", "proved")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")


@dataclass(frozen=True)
class Mutant:
    """A deliberately wrong variant of a claim (the negative control): keyword overrides to its check."""

    description: str
    overrides: dict[str, Any]

    def __init__(self, description: str, **overrides: Any) -> None:
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "overrides", overrides)


@dataclass(frozen=True)
class Erratum:
    """Why a worksheet statement is wrong, and the id of the claim that encodes the correct one.

    ``replacement`` is the text to write instead of the claim's ``quote`` (the fix); ``contestable``
    names the other reading when the erratum depends on how an ambiguous sentence is read.
    """

    explanation: str
    corrected_by: str
    replacement: str | None = None
    contestable: str | None = None


@dataclass(frozen=True)
class Step:
    """One line of a derivation: its LaTeX, its value, and how it relates to the previous line.

    ``relation`` is "=" (same value as the previous line), "same-shape" (same value and the same
    shape: a row is not a column), "<=>" or "=>" (boolean lines), or a callable
    ``(previous, current, ops) -> relation`` for anything else.
    """

    expression: str
    value: Callable[..., Any]
    relation: Any = "="


@dataclass
class Claim:
    """One checkable statement of a worksheet, with its pinned verdict."""

    id: str
    worksheet: str
    location: str
    statement: str
    kind: str
    expected: str
    check: Callable[..., Any] | None = None
    cases: Any = None
    instances: Callable[..., dict[str, Any]] | None = None
    domain: Callable[[], dict[str, Any]] | None = None
    steps: tuple[Step, ...] = ()
    mutant: Mutant | list[Mutant] | None = None  # one negative control, or several (e.g. either side of a boundary)
    erratum: Erratum | None = None
    fact: str | None = None
    quote: str | None = None  # a short verbatim excerpt of the worksheet (whitespace runs count as one space)
    reason: str | None = None
    formalisation: str | None = None
    module: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def controls(self) -> tuple[Mutant, ...]:
        """Every negative control, in declaration order (``mutant=`` takes one Mutant or a list)."""
        if self.mutant is None:
            return ()
        return tuple(self.mutant) if isinstance(self.mutant, (list, tuple)) else (self.mutant,)


class Registry:
    """Every declared claim in declaration order, plus catalogue modules that failed to load."""

    def __init__(self) -> None:
        self.claims: dict[str, Claim] = {}
        self.load_errors: dict[str, str] = {}
        self.first_with_property: dict[tuple[Any, ...], str] = {}

    def add(self, claim: Claim) -> Claim:
        if claim.id in self.claims:
            first = self.claims[claim.id].module
            claim.problems.append(
                f"duplicate id: already declared in {first}; give one of them a new id"
            )
            claim.id = f"{claim.id}.duplicate-{len(self.claims)}"
        self.claims[claim.id] = claim
        prop = property_of(claim)
        if prop is not None and not claim.problems:
            self.first_with_property.setdefault(prop, claim.id)
        return claim

    def representative(self, claim: Claim) -> str | None:
        """The first declared claim checking the same property (the same statement in several worksheets)."""
        prop = property_of(claim)
        return None if prop is None else self.first_with_property.get(prop)

    @contextmanager
    def scratch(self) -> Iterator[Registry]:
        """Declarations inside the block go to an empty registry, restored afterwards (for tests)."""
        saved = self.claims, self.load_errors, self.first_with_property
        self.claims, self.load_errors, self.first_with_property = {}, {}, {}
        try:
            yield self
        finally:
            self.claims, self.load_errors, self.first_with_property = saved

    def validate(self) -> None:
        """Cross-claim checks (errata point at existing corrections); run once after loading."""
        for claim in self.claims.values():
            if claim.erratum is None:
                continue
            target = self.claims.get(claim.erratum.corrected_by)
            if target is None:
                claim.problems.append(
                    f"erratum.corrected_by names '{claim.erratum.corrected_by}', which is not a "
                    "declared claim; declare the corrected statement as its own claim"
                )
            elif target.expected not in POSITIVE:
                claim.problems.append(
                    f"erratum.corrected_by '{target.id}' is pinned '{target.expected}'; a "
                    "correction must hold"
                )


def property_of(claim: Claim) -> tuple[Any, ...] | None:
    """What a claim checks, independent of its wording: claims with equal values share one check.

    Remarks (not-checkable) check nothing and share nothing.
    """
    if claim.kind == "not-checkable":
        return None
    steps = tuple((s.value, s.relation) for s in claim.steps)
    return (claim.kind, claim.check, claim.cases, claim.instances, claim.domain, steps)


REGISTRY = Registry()
_FIELDS = {f for f in Claim.__dataclass_fields__ if f not in ("module", "problems")}


def declare(check: Callable[..., Any] | None, _kind_given: Any = None, **fields: Any) -> Claim:
    """Build, validate and register a claim; unknown or missing fields become problems."""
    unknown = sorted(set(fields) - _FIELDS) + (["kind (the decorator sets it)"] if _kind_given else [])
    known = {k: v for k, v in fields.items() if k in _FIELDS}
    claim_id = str(known.pop("id", "") or "")
    claim = Claim(
        id=claim_id or f"unnamed-{len(REGISTRY.claims)}",
        worksheet=known.pop("worksheet", ""),
        location=known.pop("location", ""),
        statement=known.pop("statement", ""),
        kind=known.pop("kind", ""),
        expected=known.pop("expected", ""),
        check=check,
        **known,
    )
    claim.module = getattr(check, "__module__", "") or _caller_module()
    if unknown:
        claim.problems.append(
            f"unknown field(s) {', '.join(unknown)}; the fields are {', '.join(sorted(_FIELDS))}"
        )
    claim.problems.extend(_problems(claim, bool(claim_id)))
    return REGISTRY.add(claim)


def _caller_module() -> str:
    # Walk the frames directly: inspect.stack() reads every frame's source file (a second per catalogue).
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if not name.startswith("claims.engine"):
            return name
        frame = frame.f_back
    return ""


def _problems(c: Claim, has_id: bool) -> list[str]:
    """Everything wrong with one declaration, each with the fix."""
    from claims.worksheets import WORKSHEETS

    out = []
    if not has_id:
        out.append("missing id; add id='topic.what-the-worksheet-says'")
    elif not ID_PATTERN.match(c.id):
        out.append("id must be lowercase words joined by '.' or '-', e.g. 'init.symmetry-persists'")
    for name in ("worksheet", "location", "statement"):
        if not str(getattr(c, name) or "").strip():
            out.append(f"missing {name}; every claim cites its worksheet, location and statement")
    if c.module.startswith("claims.") and not str(c.quote or "").strip():
        out.append("missing quote; every catalogue claim cites the worksheet words it encodes: quote=r'...' (claims/README.md)")
    if c.worksheet and c.worksheet not in WORKSHEETS:
        out.append(f"worksheet '{c.worksheet}' is not listed in claims/worksheets.py; add it there")
    if c.kind not in KINDS:
        out.append(f"unknown kind '{c.kind}'; use one of {', '.join(KINDS)}")
        return out
    allowed = VERDICTS_BY_KIND[c.kind]
    if c.expected not in allowed:
        out.append(f"expected '{c.expected}' is not a verdict of kind {c.kind}; use {' or '.join(allowed)}")
    out.extend(_shape_problems(c))
    if c.expected == "refuted" and c.erratum is None:
        out.append("pinned 'refuted' without erratum=Erratum(explanation, corrected_by=...)")
    if c.expected in POSITIVE and not c.controls and c.kind != "not-checkable":
        out.append("no negative control; add mutant=Mutant('what is wrong', param=wrong_value)")
    if any(not isinstance(m, Mutant) for m in c.controls):
        out.append("mutant must be a Mutant('what is wrong', param=wrong_value) or a list of them")
    return out


def _shape_problems(c: Claim) -> list[str]:
    """Kind-specific ingredients: a sampled claim needs cases, an exhaustive one a domain."""
    out = []
    if c.kind in ("forall", "exists", "derivation"):
        if not isinstance(c.cases, SearchStrategy):
            out.append("cases must be a Hypothesis strategy (e.g. st.fixed_dictionaries({...}))")
    if c.kind in ("forall", "exists", "exhaustive") and not callable(c.check):
        out.append("no check function; decorate a function (v, ops) -> relation")
    if c.kind == "exhaustive" and not callable(c.domain):
        out.append("exhaustive claims need domain=callable returning every instance as arrays")
    if c.kind == "derivation" and len(c.steps) < 2:
        out.append("a derivation needs steps=[Step(...), Step(...), ...] with at least two lines")
    if c.kind == "not-checkable" and not c.reason:
        out.append("not-checkable claims need reason='why there is no precise statement'")
    return out
