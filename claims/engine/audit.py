"""What a check really compares, and the negative controls that show it can fail.

``Seen`` watches every float64 batch a claim's check returns: which sub-checks (relation
labels) it produced, how many entries each compared per instance, and whether a relation's
two sides were one and the same array. From that come the record's ``relations`` evidence
(compared against the committed record by claims.engine.baseline) and its ``flags``: checks
that compare something with itself, or one entry where the inputs hold many (warnings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

# What a mutant's run must reach for its negative control to count as caught.
NEGATIVE = {"forall": "refuted", "derivation": "refuted", "exhaustive": "refuted", "exists": "unwitnessed"}
ITSELF = "compares an array with itself"  # a flag that fails the gate: such a sub-check cannot fail


def _per_instance(shape: tuple[int, ...], n: int) -> int:
    """Entries of one instance in a value of this shape (the engine's convention: a leading axis of n is the batch)."""
    own = shape[1:] if shape and shape[0] == n else shape
    return int(np.prod(own, dtype=np.int64))


def entries(rel: Any, n: int) -> int:
    """How many entries a relation compares for one instance of a batch of n."""
    if rel.op == "true":
        cond = rel.lhs
        return _per_instance(np.shape(getattr(cond, "truth", cond)), n)
    return _per_instance(np.broadcast_shapes(np.shape(rel.lhs), np.shape(rel.rhs)), n)


def _same_array(a: Any, b: Any) -> bool:
    """Both sides are one object, or one array seen through the same view (a relation of an array with itself)."""
    if a is b:
        return True
    if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)) or a.size == 0:
        return False
    where = a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
    return where and a.shape == b.shape and a.strides == b.strides and a.dtype == b.dtype


def self_compared(rel: Any) -> bool:
    """The relation compares an array with itself: its sides (or a comparison inside its condition) are one array."""
    if rel.op == "true":
        return any(_same_array(x, y) for x, y in getattr(rel.lhs, "leaves", ()))
    return _same_array(rel.lhs, rel.rhs)


def sliced(rel: Any, n: int) -> bool:
    """A side of an (in)equation is a slice of an array that holds more entries per instance than it compares.

    Conditions and fresh values (a loss, a norm, a count) are not: they sum up many entries in one.
    """
    if rel.op == "true":
        return False
    bases = [getattr(side, "base", None) for side in (rel.lhs, rel.rhs)]
    return any(isinstance(b, np.ndarray) and _per_instance(b.shape, n) > entries(rel, n) for b in bases)


def input_entries(batch: Any, n: int) -> int:
    """The most entries any one per-instance input holds (a weight matrix, a vector, a scalar: 1)."""
    sizes = [_per_instance(np.shape(batch[k]), n) for k in getattr(batch, "data", ()) if k in batch]
    return max(sizes, default=0)


@dataclass
class Seen:
    """Per relation label: the most entries compared per instance, whether every batch compared an
    array with itself, and whether a side was ever a slice of a larger array."""

    entries: dict[str, int] = field(default_factory=dict)
    itself: dict[str, bool] = field(default_factory=dict)
    sliced: set[str] = field(default_factory=set)
    inputs: int = 0

    def add(self, rels: dict[str, Any], batch: Any, n: int) -> None:
        """Record one float64 batch's relations (never raises: an audit must not change a verdict)."""
        try:
            self.inputs = max(self.inputs, input_entries(batch, n))
            for label, rel in rels.items():
                self.entries[label] = max(self.entries.get(label, 0), entries(rel, n))
                self.itself[label] = self.itself.get(label, True) and self_compared(rel)
                if sliced(rel, n):
                    self.sliced.add(label)
        except Exception:  # noqa: BLE001 - an odd value only leaves the audit incomplete
            pass

    def evidence(self) -> dict[str, Any]:
        """The record's view: ``relations`` (label -> entries per instance) and, when any, ``flags``."""
        out: dict[str, Any] = {"relations": dict(sorted(self.entries.items()))} if self.entries else {}
        flags = self.flags()
        if flags:
            out["flags"] = flags
        return out

    def flags(self) -> list[str]:
        out = [f"'{label}' {ITSELF} in every instance: it cannot fail"
               for label, same in self.itself.items() if same]
        if self.inputs > 1:
            out += [f"'{label}' compares one entry per instance, sliced from a larger array, while an input holds "
                    f"{self.inputs} entries" for label, k in self.entries.items()
                    if k == 1 and label in self.sliced and not self.itself.get(label)]
        return out


# ---------------------------------------------------------------- negative controls in the main job


def run_controls(claim: Any, run_claim: Any, profile: Any) -> tuple[str | None, str | None]:
    """Run every negative control of a claim: (the verdict to record, a message if one was not caught)."""
    want = NEGATIVE.get(claim.kind)
    if want is None or not claim.controls:
        return None, None
    for mutant in claim.controls:
        got = run_claim(claim, profile, mutant.overrides)
        if got["verdict"] != want:
            why = f": {got['message'].splitlines()[0]}" if got.get("message") else ""
            return got["verdict"], (f"negative control not caught: the deliberately wrong variant '{mutant.description}' "
                                    f"is '{got['verdict']}', not '{want}'{why}; the check cannot tell it from the claim")
    return want, None


def warning_lines(records: list[dict[str, Any]]) -> list[str]:
    """The index's list of flagged checks (warnings, not gate failures)."""
    flagged = [(r["id"], f) for r in records for f in (r.get("evidence") or {}).get("flags", [])]
    if not flagged:
        return []
    out = ["## Checks flagged for review", "",
           "Sub-checks that may check less than their statement says. One that compares an array with itself cannot",
           "fail, and fails the gate; one that compares a single entry sliced from a larger array is a warning (right",
           "when the statement is about that one entry).", ""]
    return out + [f"- `{cid}`: {text}" for cid, text in flagged] + [""]
