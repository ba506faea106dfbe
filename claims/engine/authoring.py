"""The authoring API behind ``claims.engine``: the decorators a claims module uses, and the names it imports.

    from claims.engine import forall, equal, Mutant, Erratum, st
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from claims.engine.calculus import derivative, gradient, jacobian
from claims.engine.declare import REGISTRY, Claim, Erratum, Mutant, Step, declare
from claims.engine.relations import (
    Cmp,
    all_equal,
    at_most,
    differ,
    eq,
    equal,
    equal_array,
    exact,
    ge,
    gt,
    is_true,
    le,
    less,
    lt,
    ne,
)

__all__ = [
    "REGISTRY", "Claim", "Cmp", "Erratum", "Mutant", "Step", "all_equal", "at_most", "derivation",
    "derivative", "differ", "eq", "equal", "equal_array", "exact", "exhaustive", "exists", "forall", "ge", "gradient", "gt",
    "is_true", "jacobian", "le", "less", "lt", "ne", "not_checkable", "st",
]


def _decorator(kind: str, fields: dict[str, Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(check: Callable[..., Any]) -> Callable[..., Any]:
        declare(check, **{**fields, "kind": kind}, _kind_given=fields.get("kind"))
        return check

    return register


def forall(**fields: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A statement for every input: decorate ``check(v, ops) -> relation(s)``."""
    return _decorator("forall", fields)


def exists(**fields: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A statement that some input exists: decorate ``check(v, ops)``; a witness makes it true."""
    return _decorator("exists", fields)


def exhaustive(**fields: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A statement over a finite domain (``domain=``), checked on every element: proved or refuted."""
    return _decorator("exhaustive", fields)


def derivation(**fields: Any) -> Claim:
    """A chain of steps (``steps=[Step(...), ...]``); each step is checked against the one before."""
    return declare(None, **{**fields, "kind": "derivation"}, _kind_given=fields.get("kind"))


def not_checkable(**fields: Any) -> Claim:
    """A qualitative remark with no precise mathematical content; ``reason=`` says why."""
    return declare(None, **{"expected": "not-checkable", **fields, "kind": "not-checkable"}, _kind_given=fields.get("kind"))
