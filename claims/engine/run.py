"""Run one claim under a profile and return its result record (the report contract's fields).

Sampled claims: Hypothesis draws a case (structure and a seed), NumPy checks a batch of
instances in float64, and every instance float64 cannot clear (against each entry's own rounding
scale) is decided by the interval twin. Only a certified failure, an enclosure that excludes the
claimed relation, refutes a claim.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import flint
import mpmath
import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import FailedHealthCheck, Flaky, Unsatisfiable

from claims.engine import relations as R
from claims.engine.audit import Seen
from claims.engine.clock import CLOCK
from claims.engine.declare import POSITIVE, REGISTRY, Claim, property_of
from claims.engine.instances import (
    Instance,
    as_batch,
    build_batch,
    in_float32,
    is_data,
    lift_interval,
    nudged,
    pick,
    roundings,
    to_plain,
)
from claims.engine.profiles import CAP_BITS, START_BITS, Profile, digits
from models.ops import F32, F64, F64R, IV, IVB

SEED = st.integers(0, 2**32 - 1)
ROOT = Path(__file__).resolve().parents[2]


class ClaimTimeout(BaseException):
    """The check ran past the profile's time limit (a BaseException, so no handler swallows it)."""


class Undecided(Exception):
    """The twin's enclosures still straddle the relation at the precision cap."""


class UndefinedValue(Exception):
    """The check's value is NaN (or a division by zero) at an input: a broken check, not a verdict."""


class _Found(Exception):
    """Raised inside Hypothesis when the twin confirms a counterexample or witness."""


@dataclass
class Tally:
    """What a run looked at: the evidence of a verdict."""

    examples: int = 0
    instances: int = 0
    spot_checks: int = 0
    twin_decided: int = 0
    max_bits: int = 0
    digits: list[float] = field(default_factory=list)
    overruled: int = 0
    crash: str | None = None
    found: dict[str, Any] | None = None
    spot_keys: set[str] = field(default_factory=set)
    structures: set[str] = field(default_factory=set)  # the distinct cases (structures) checked
    grid: int | None = None  # how many structures the claim's grid has, when its cases are one
    seen: Seen = field(default_factory=Seen)  # what the check compares: sub-checks, entries, itself

    def decided(self, bits: int, count: int = 1) -> None:
        """Count instances the twin decided, the highest precision among them ``bits``."""
        self.twin_decided += count
        if count:
            self.max_bits = max(self.max_bits, bits)

    def wants_spot_check(self, key: str, limit: int) -> bool:
        """The first ``limit`` distinct examples, and the same ones again when Hypothesis replays."""
        if key in self.spot_keys:
            return True
        if len(self.spot_keys) < limit:
            self.spot_keys.add(key)
            return True
        return False


# ------------------------------------------------------------------ evaluating a check


def relations(claim: Claim, v: Instance, ops: Any, overrides: dict[str, Any]) -> dict[str, R.Relation]:
    """The check's relations by label (a check may return one relation, a dict or a list)."""
    with np.errstate(all="ignore"):
        out = claim.check(v, ops, **overrides)
    if isinstance(out, R.Relation):
        return {"check": out}
    if isinstance(out, dict):
        rels = out
    elif isinstance(out, (list, tuple)):
        rels = {f"check {i + 1}": r for i, r in enumerate(out)}
    else:
        raise TypeError(f"check returned {type(out).__name__}; return equal(...), is_true(...) or a dict of them")
    if not rels:
        raise TypeError("check compares nothing (it returned no relation); return equal(...), is_true(...) or a dict of them")
    bad = [label for label, rel in rels.items() if not isinstance(rel, R.Relation)]
    if bad:
        raise TypeError(f"check returned {bad[0]!r} = {type(rels[bad[0]]).__name__}, not a relation; use equal(...), is_true(...), ...")
    return rels


def screen_reruns(claim: Claim, batch: Instance, seed: int, overrides: dict[str, Any], rels: dict[str, R.Relation], n: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each relation screened against its entries' rounding scales: the check again on the batch
    nudged by a few ulps with sums in reverse order, and in float32 (see R.Rerun).

    The float32 rerun can only widen a scale, which clears more of an equation and less of an
    inequality; it is skipped only when every relation is an equation the nudge already clears.
    """
    moved = relations(claim, nudged(batch, seed), F64R, overrides)
    again = {label: [R.Rerun(moved[label])] for label in rels}
    out = {label: R.screen(rel, again[label], n) for label, rel in rels.items()}
    if all(rel.op == "==" and np.all(out[label][0] == R.HOLDS) for label, rel in rels.items()):
        return out
    try:
        with np.errstate(all="ignore"):
            single = relations(claim, in_float32(batch), F32, overrides)
    except Exception:  # a model insisting on float64: no float32 estimate
        return out
    return {label: R.screen(rel, again[label] + [R.Rerun(single[label], R.F32_FACTOR)], n) if label in single else out[label]
            for label, rel in rels.items()}


def screen_batch(screened: dict[str, tuple[np.ndarray, np.ndarray]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per instance over every relation: FAILS if any fails clearly, HOLDS if all hold clearly, else
    UNCLEAR; and the worst badness, for ordering the twin's work."""
    status, bad = np.full(n, R.HOLDS), np.zeros(n)
    for r_status, r_bad in screened.values():
        status = np.where((status == R.FAILS) | (r_status == R.FAILS), R.FAILS, np.minimum(status, r_status))
        bad = np.maximum(bad, r_bad)
    return status, bad


@contextmanager
def precision(bits: int) -> Iterator[None]:
    """Run the twin at ``bits`` bits: intervals and any mpmath a check calls itself."""
    saved = flint.ctx.prec, mpmath.mp.prec
    flint.ctx.prec = mpmath.mp.prec = bits
    try:
        yield
    finally:
        flint.ctx.prec, mpmath.mp.prec = saved


@CLOCK.charged("twin")
def twin(claim: Claim, one: Instance, overrides: dict[str, Any], bits: int) -> tuple[dict[str, R.Relation], dict[str, R.Decision]]:
    """The twin's relations for one instance at ``bits`` bits, and each one's decision."""
    with precision(bits):
        rels = relations(claim, lift_interval(one), IV, overrides)
        return rels, {label: R.decide(rel, bits) for label, rel in rels.items()}


@dataclass
class TwinVerdict:
    """The twin's decision of one instance: the first relation certified false (or None), and how.

    ``settled`` holds each decided relation's Decision, taken at the precision that decided it.
    """

    failed: str | None
    rels: dict[str, R.Relation]
    settled: dict[str, R.Decision]
    bits: int
    tried: list[int]

    def broken(self) -> list[str]:
        return [label for label, d in self.settled.items() if d.holds is False]


def twin_decide(claim: Claim, one: Instance, overrides: dict[str, Any], labels: list[str] | None = None, every: bool = False) -> TwinVerdict:
    """Decide one instance in interval arithmetic, raising the precision as far as the enclosures ask.

    Starts at START_BITS; an undecided relation names the precision its enclosure needs (or asks
    for double), up to CAP_BITS. Past the cap the instance is Undecided; a NaN is UndefinedValue.
    Decides ``labels`` (all relations by default) and stops at the first failure unless ``every``.
    """
    bits, tried, settled = START_BITS, [], {}
    while True:
        rels, decisions = twin(claim, one, overrides, bits)
        tried.append(bits)
        pending = [label for label in (labels or decisions) if label not in settled]
        for label in pending:
            d = decisions[label]
            if d.undefined and bits >= CAP_BITS:  # a wide ball can overflow to NaN: only the cap says it is one
                raise UndefinedValue(f"'{label}': {d.undefined} at {digits(bits)} digits, at input {to_plain(one)}")
            if d.holds is not None:
                settled[label] = d
        failed = next((label for label, d in settled.items() if d.holds is False), None)
        asks = [max(decisions[label].bits, 4 * bits if decisions[label].undefined else 0) for label in pending if label not in settled]
        if (failed is not None and not every) or not asks:
            return TwinVerdict(failed, rels, settled, bits, tried)
        if bits >= CAP_BITS:
            label = next(label for label in pending if label not in settled)
            raise Undecided(
                f"'{label}' is still undecided at {digits(bits)} digits (tried {[digits(b) for b in tried]} digits): "
                f"its enclosure straddles the relation, a tie or a gap below 10^-{digits(bits)} of the computation's scale, "
                f"at input {to_plain(one)}"
            )
        # as far as the enclosures ask, but at most 8x at once: an ask can overshoot (e^-1e300 beside 1)
        bits = min(CAP_BITS, max(bits + bits // 2, min(max(asks), 8 * bits)))


_UNBATCHABLE: set[str] = set()  # claims whose check the batched twin cannot evaluate (linear algebra, a shape)
TWIN_CHUNK = 2048  # instances per batched twin evaluation (object arrays grow with it)
# Precisions of the batched passes: what most undecided rows ask for next is within 8x (the
# one-instance twin's largest jump); rows still open after the last go one by one from there.
TWIN_LEVELS = (START_BITS, 8 * START_BITS)


def twin_rows(claim: Claim, batch: Instance, f64: dict[str, R.Relation], rows: list[int], n: int,
              overrides: dict[str, Any]) -> tuple[dict[str, np.ndarray], np.ndarray] | None:
    """The twin's batched passes over several instances of a batch at once.

    Per relation label, each row's status (R.HOLDS, R.FAILS or R.UNCLEAR) exactly as the
    one-instance twin would decide it at the precision of the pass, and that precision per row.
    A row that no relation fails and some leaves unclear is taken again at the next level of
    TWIN_LEVELS. None when the check cannot be evaluated on a batch of balls: every instance is
    then decided on its own.
    """
    if n <= 1 or len(rows) < 2 or claim.id in _UNBATCHABLE:
        return None
    status = {label: np.full(len(rows), R.UNCLEAR) for label in f64}
    bits = np.zeros(len(rows), dtype=int)
    open_rows = np.arange(len(rows))
    try:
        for level in TWIN_LEVELS:
            for start in range(0, len(open_rows), TWIN_CHUNK):
                at = open_rows[start : start + TWIN_CHUNK]
                for label, got in _twin_chunk(claim, batch, f64, [rows[j] for j in at], n, overrides, level).items():
                    status[label][at] = got
            bits[open_rows] = level
            codes = np.array(list(status.values())).reshape(len(status), len(rows))
            open_rows = np.flatnonzero(np.any(codes == R.UNCLEAR, axis=0) & ~np.any(codes == R.FAILS, axis=0))
            if len(open_rows) < 2:
                break
    except Exception:  # anything the one-instance twin handles (or reports) itself
        _UNBATCHABLE.add(claim.id)
        return None
    return status, bits


@CLOCK.charged("twin")
def _twin_chunk(claim: Claim, batch: Instance, f64: dict[str, R.Relation], rows: list[int], n: int, overrides: dict[str, Any],
                bits: int) -> dict[str, np.ndarray]:
    sub = {}
    for key, value in batch.items():
        if key not in batch.data:
            sub[key] = value
        elif np.shape(value)[0] == n:
            sub[key] = value[rows]
        elif np.shape(value)[0] == 1:  # one value shared by the batch (a float of the case)
            sub[key] = value
        else:
            raise R.NoRows(f"'{key}' has {np.shape(value)[0]} rows in a batch of {n}")
    with precision(bits):
        rels = relations(claim, lift_interval(batch.with_values(sub)), IVB, overrides)
        if not set(f64) <= set(rels):
            raise R.NoRows("the batched twin returned other relations")
        return {label: R.decide_rows(rels[label], f64[label], n, len(rows), bits) for label in f64}


def spot_check(claim: Claim, batch_rels: dict[str, R.Relation], one: Instance, row: int, n: int, overrides: dict[str, Any], tally: Tally) -> None:
    """Evaluate one instance in the twin and record how many digits float64 got right."""
    twin_rels, _ = twin(claim, one, overrides, START_BITS)
    tally.spot_checks += 1
    for label, rel in twin_rels.items():
        agreed = R.digits_agreed(batch_rels[label], rel, row, n)
        if agreed is not None:
            tally.digits.append(agreed)


def _decided(tally: Tally, claim: Claim, one: Instance, overrides: dict[str, Any], **how: Any) -> TwinVerdict:
    verdict = twin_decide(claim, one, overrides, **how)
    tally.decided(verdict.bits)
    return verdict


# ------------------------------------------------------------------ sampled claims


def _examine(claim: Claim, profile: Profile, overrides: dict[str, Any], tally: Tally, case: Any, seed: int, want: bool, size: int | None = None) -> None:
    """One Hypothesis example: screen a batch, let the twin decide; raise _Found on a confirmed find.

    ``want`` is False for a for-all claim (we look for a failing instance) and True for an
    existential one (we look for an instance where the relations hold).
    """
    if tally.crash is not None:
        return
    try:
        if not isinstance(case, dict):
            raise TypeError("cases must generate a dict (use st.fixed_dictionaries)")
        with CLOCK.phase("instances"):
            batch, n = build_batch(case, claim.instances, seed, size or profile.batch)
        with CLOCK.phase("screen"):
            rels = relations(claim, batch, F64, overrides)
            tally.seen.add(rels, batch, n)
            status, bad = screen_batch(screen_reruns(claim, batch, seed, overrides, rels, n), n)
        tally.examples += 1
        tally.instances += n
        tally.structures.add(structure_of(case))
        # for-all: every instance not clearly holding, likely failures first; exists: likely witnesses first
        order = np.argsort(bad if want else -bad, kind="stable")
        candidates = [int(i) for i in order if status[i] != (R.FAILS if want else R.HOLDS)]
        if tally.wants_spot_check(repr((case, seed)), profile.spot_checks):
            spot_check(claim, rels, pick(batch, 0, n), 0, n, overrides, tally)
            if 0 not in candidates:
                candidates.append(0)
        for i in _twin_order(claim, batch, rels, candidates, status, n, overrides, want, tally):
            one = pick(batch, i, n)
            verdict = _decided(tally, claim, one, overrides)
            if (verdict.failed is not None) != want:
                tally.found = {"instance": one, "label": verdict.failed, "case": case, "seed": seed}
                raise _Found
            # float64 said "fails" (for-all) or "witness" (exists) clearly and the twin said otherwise
            tally.overruled += int(status[i] == (R.HOLDS if want else R.FAILS))
    except _Found:
        raise
    except Exception as exc:
        if tally.found is not None:
            return  # while Hypothesis shrinks a confirmed find, an undecidable variant is just not a failure
        tally.crash = f"{type(exc).__name__}: {exc}\n{_where(exc)}"  # a crash is an error verdict, never a refutation


def _twin_order(claim: Claim, batch: Instance, rels: dict[str, R.Relation], candidates: list[int], status: np.ndarray, n: int,
                overrides: dict[str, Any], want: bool, tally: Tally) -> Iterator[int]:
    """The candidates the one-instance twin must decide, likely finds first.

    Those float64 already calls finds go first, one by one (a refuted claim stops at the first).
    The rest get one batched twin pass: the rows it settles (every relation holds for a for-all
    claim, one fails for an existential one) are counted as decided; the rows it calls finds come
    next, and the undecided ones last.
    """
    likely = R.HOLDS if want else R.FAILS
    yield from (i for i in candidates if status[i] == likely)
    rest = [i for i in candidates if status[i] != likely]
    first = twin_rows(claim, batch, rels, rest, n, overrides)
    if first is None:
        yield from rest
        return
    codes = np.array(list(first[0].values())).reshape(-1, len(rest)).T
    settled = np.any(codes == R.FAILS, axis=1) if want else np.all(codes == R.HOLDS, axis=1)
    finds = np.all(codes == R.HOLDS, axis=1) if want else np.any(codes == R.FAILS, axis=1)
    tally.decided(int(first[1][settled].max(initial=0)), int(settled.sum()))
    yield from (i for i, f in zip(rest, finds) if f)
    yield from (i for i, f, done in zip(rest, finds, settled) if not f and not done)


def structure_of(case: dict[str, Any]) -> str:
    """A case without its per-instance floats: the structure a batch shares."""
    return repr(sorted((k, v) for k, v in case.items() if not is_data(v)))


def _grid_size(claim: Claim) -> int | None:
    cases = getattr(claim.cases, "grid_cases", None)
    return None if cases is None else len(cases)


def sweep(claim: Claim, profile: Profile) -> Iterator[tuple[dict[str, Any], int, int]] | None:
    """Every case of a small grid of structures (claims.strategies.grid), each with its own batch.

    Where a claim's structures are few (at most ``profile.sweep``), checking each one beats
    sampling some: the instances are shared out so the claim still gets the profile's total, and
    the grid's order (simplest first) makes the first failing structure the simplest one.
    None when the cases are not such a grid: Hypothesis samples them.
    """
    cases = getattr(claim.cases, "grid_cases", None)
    if cases is None or claim.instances is None or not 0 < len(cases) <= profile.sweep:
        return None
    size = -(-profile.examples_for(True) * profile.batch // len(cases))
    # fixed seeds under a deterministic profile; fresh ones otherwise (as Hypothesis would draw)
    seeds = range(1, len(cases) + 1) if profile.derandomize else [int.from_bytes(os.urandom(4), "little") for _ in cases]
    return ((dict(case), seed, size) for case, seed in zip(cases, seeds))


def run_sampled(claim: Claim, profile: Profile, overrides: dict[str, Any], want: bool) -> Tally:
    """Drive Hypothesis over the claim's cases; the tally holds the (shrunk) find, if any."""
    tally = Tally(grid=_grid_size(claim))
    swept = sweep(claim, profile)
    if swept is not None:
        try:
            for case, seed, size in swept:
                _examine(claim, profile, overrides, tally, case, seed, want, size)
        except _Found:
            pass
        return tally
    strategy = st.tuples(claim.cases, SEED if claim.instances is not None else st.just(0))

    @profile.hypothesis_settings(batched=claim.instances is not None)
    @given(strategy)
    def prop(drawn: tuple[Any, int]) -> None:
        _examine(claim, profile, overrides, tally, drawn[0], drawn[1], want)

    try:
        with CLOCK.remainder("hypothesis"):
            prop()
    except _Found:
        pass
    except Flaky as exc:
        if tally.found is None:  # a find the twin confirmed is kept; anything else is the real cause
            tally.crash = f"the check gave different results on the same input: {exc}"
    except (Unsatisfiable, FailedHealthCheck) as exc:
        tally.crash = f"the cases strategy cannot generate examples: {exc}. Loosen its filters or bounds."
    return tally


# ------------------------------------------------------------------ derivations


def derivation_check(claim: Claim) -> Any:
    """A check whose relations are the derivation's steps, each against the line before."""

    def check(v: Instance, ops: Any, step: int | None = None, value: Any = None) -> dict[str, R.Relation]:
        # A derivation's negative control replaces one line: Mutant("...", step=k, value=fn).
        values = [value(v, ops) if k == step else s.value(v, ops) for k, s in enumerate(claim.steps)]
        out = {}
        for k in range(1, len(values)):
            prev, cur, rel = values[k - 1], values[k], claim.steps[k].relation
            if rel == "=":
                out[f"step {k}"] = R.equal(cur, prev)
            elif rel == "same-shape":
                out[f"step {k}"] = R.equal_array(cur, prev, ops, ("this line", "previous line"))
            elif rel in ("<=>", "=>"):
                # Lines that are conditions; Cmp lines keep their margins so close calls reach the twin.
                p, c = _as_cmp(prev), _as_cmp(cur)
                out[f"step {k}"] = R.is_true(p.iff(c) if rel == "<=>" else p.implies(c))
            else:
                out[f"step {k}"] = rel(prev, cur, ops)
        return out

    return check


def run_derivation(claim: Claim, stepped: Claim, profile: Profile, overrides: dict[str, Any]) -> tuple[Tally, dict[str, dict[str, Any]]]:
    """Check every step (``stepped``: the claim with its steps as relations) on the same examples.

    Remembers the first confirmed failure of each step.
    """
    tally, broken = Tally(grid=_grid_size(claim)), {}
    swept = sweep(claim, profile)
    if swept is not None:
        for case, seed, size in swept:
            try:
                _derivation_example(stepped, profile, overrides, tally, broken, (case, seed), size)
            except Exception as exc:
                tally.crash = f"{type(exc).__name__}: {exc}\n{_where(exc)}"
                break
        return tally, broken
    strategy = st.tuples(claim.cases, SEED if claim.instances is not None else st.just(0))

    @profile.hypothesis_settings(batched=claim.instances is not None)
    @given(strategy)
    def prop(drawn: tuple[Any, int]) -> None:
        if tally.crash is not None:
            return
        try:
            _derivation_example(stepped, profile, overrides, tally, broken, drawn)
        except Exception as exc:
            tally.crash = f"{type(exc).__name__}: {exc}\n{_where(exc)}"

    try:
        with CLOCK.remainder("hypothesis"):
            prop()
    except (Unsatisfiable, FailedHealthCheck) as exc:
        tally.crash = f"the cases strategy cannot generate examples: {exc}. Loosen its filters or bounds."
    return tally, broken


def _derivation_example(claim: Claim, profile: Profile, overrides: dict[str, Any], tally: Tally, broken: dict[str, Any], drawn: tuple[Any, int],
                        size: int | None = None) -> None:
    with CLOCK.phase("instances"):
        batch, n = build_batch(drawn[0], claim.instances, drawn[1], size or profile.batch)
    with CLOCK.phase("screen"):
        rels = relations(claim, batch, F64, overrides)
        tally.seen.add(rels, batch, n)
        screened = screen_reruns(claim, batch, drawn[1], overrides, {k: r for k, r in rels.items() if k not in broken}, n)
    tally.examples += 1
    tally.instances += n
    tally.structures.add(structure_of(drawn[0]))
    spot = tally.wants_spot_check(repr(drawn), profile.spot_checks)
    if spot:
        spot_check(claim, rels, pick(batch, 0, n), 0, n, overrides, tally)
    # Each instance some open step cannot clear is decided once by the twin, for all those steps.
    open_steps: dict[int, list[str]] = {}
    said_fails: set[tuple[int, str]] = set()
    for label in rels:
        if label in broken:
            continue
        status, bad = screened[label]
        suspects = [int(i) for i in np.argsort(-bad, kind="stable") if status[i] != R.HOLDS]
        for i in suspects + ([0] if spot and status[0] == R.HOLDS else []):
            open_steps.setdefault(i, []).append(label)
            if status[i] == R.FAILS:
                said_fails.add((i, label))
    rows = list(open_steps)
    first, first_bits = twin_rows(claim, batch, {k: r for k, r in rels.items() if k not in broken}, rows, n, overrides) or ({}, None)
    for j, (i, labels) in enumerate(open_steps.items()):
        labels = [label for label in labels if label not in broken]
        if not labels:
            continue
        if first and all(first[label][j] == R.HOLDS for label in labels):  # the batched pass settled every open step
            tally.decided(int(first_bits[j]))
            tally.overruled += sum((i, label) in said_fails for label in labels)
            continue
        one = pick(batch, i, n)
        failed = _decided(tally, claim, one, overrides, labels=labels, every=True).broken()
        for label in failed:
            broken[label] = {"instance": one, "label": label, "case": drawn[0], "seed": drawn[1]}
        # float64 said a step fails clearly and the twin said it holds
        tally.overruled += sum((i, label) in said_fails for label in labels if label not in failed)


def _shrunk(single: Claim, profile: Profile, overrides: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    """A broken step's counterexample, shrunk by Hypothesis on that step alone (else as found)."""
    tally = run_sampled(single, profile, overrides, want=False)
    if tally.found is None or tally.crash:
        return found
    return {**tally.found, "label": found["label"]}


def _as_cmp(value: Any) -> R.Cmp:
    return value if isinstance(value, R.Cmp) else R.exact(value)


def _only(check: Any, label: str) -> Any:
    def one(v: Instance, ops: Any, **kw: Any) -> R.Relation:
        return check(v, ops, **kw)[label]

    return one


# ------------------------------------------------------------------ exhaustive claims


def run_exhaustive(claim: Claim, overrides: dict[str, Any]) -> Tally:
    """Every instance of a finite domain, each decided by the mpmath twin (float64 only orders them)."""
    tally = Tally()
    batch = Instance(claim.domain())
    sizes = {np.shape(v)[0] for v in batch.values() if np.ndim(v)}
    n = max(sizes) if sizes else 1
    batch.data = frozenset(k for k, v in batch.items() if np.ndim(v) and np.shape(v)[0] == n)
    rels = relations(claim, batch, F64, overrides)
    tally.seen.add(rels, batch, n)
    status, bad = screen_batch({label: R.screen(rel, [], n) for label, rel in rels.items()}, n)
    tally.examples = tally.instances = n
    spot_check(claim, rels, pick(batch, 0, n), 0, n, overrides, tally)
    for i in np.argsort(-bad, kind="stable"):
        verdict = _decided(tally, claim, pick(batch, int(i), n), overrides)
        if verdict.failed is not None:
            tally.found = {"instance": pick(batch, int(i), n), "label": verdict.failed, "case": {}, "seed": None}
            break
        tally.overruled += int(status[i] == R.FAILS)
    return tally


# ------------------------------------------------------------------ the result record


def reduce_find(claim: Claim, found: dict[str, Any], overrides: dict[str, Any], positive: bool) -> Instance:
    """The simplest rounding of a found instance that the twin still confirms (same sub-check)."""
    label = found["label"]
    for cand in roundings(found["instance"]):
        try:
            failed = twin_decide(claim, cand, overrides).failed
        except Undecided:
            continue
        if positive and failed is None:
            return cand
        # the same sub-check must still fail ("check" is a derivation step checked on its own)
        if not positive and failed in (label, "check"):
            return cand
    return found["instance"]


def _described(claim: Claim, profile: Profile, found: dict[str, Any], overrides: dict[str, Any], positive: bool) -> dict[str, Any]:
    return describe_find(claim, found, overrides, positive) if profile.describe else _as_found(found)


def _as_found(found: dict[str, Any]) -> dict[str, Any]:
    """A find as the twin confirmed it, neither reduced nor re-derived (a negative control needs only its verdict)."""
    return {"inputs": to_plain(found["instance"]), "check": found["label"], "note": "as found: not shrunk or described (profile without describe)"}


def describe_find(claim: Claim, found: dict[str, Any], overrides: dict[str, Any], positive: bool) -> dict[str, Any]:
    """Counterexample (or witness) as plain JSON: inputs, the failing sub-check, both sides, and
    the certificate: the enclosure that excludes the claimed relation (or, for a witness, that holds it)."""
    one = reduce_find(claim, found, overrides, positive)
    verdict = twin_decide(claim, one, overrides)
    if (verdict.failed is None) != positive:
        raise Undecided(f"the find at {to_plain(one)} no longer decides the same way; the check is not deterministic")
    label = verdict.failed or (found["label"] if found["label"] in verdict.rels else next(iter(verdict.rels)))
    f64 = relations(claim, as_batch(one), F64, overrides)
    out = {
        "inputs": to_plain(one),
        "check": label,
        "values": R.sides(verdict.rels[label]),
        "float64_values": R.sides(_first(f64[label])),
        "certified_at_digits": digits(verdict.bits),
        "case": to_plain(Instance(found["case"])) if found.get("case") else None,
    }
    if not positive:
        out["certificate"] = verdict.settled[label].certificate
    return out


def _first(rel: R.Relation) -> R.Relation:
    """Instance 0 of a batch-of-one relation, for display."""
    def strip(x: Any) -> Any:
        arr = np.asarray(x)
        return arr[0] if arr.ndim and arr.shape[0] == 1 else arr

    lhs = rel.lhs.value if isinstance(rel.lhs, R.Cmp) else rel.lhs
    shown = {k: strip(v) for k, v in (rel.show or {}).items()}
    return R.Relation(rel.op, strip(lhs), None if rel.rhs is None else strip(rel.rhs), shown, rel.names)


def reproduce_command(claim_id: str, profile: str = "ci") -> str:
    """Re-runs exactly this claim, failing if its worksheet statement does not hold."""
    return f"pytest 'tests/test_claims.py::test_claim[{claim_id}]' --as-stated --claims-profile {profile}"


VERDICT_FIELDS = ("verdict", "evidence", "counterexample", "witness", "steps", "first_broken_step", "message")
_checked: dict[tuple[Any, ...], dict[str, Any]] = {}


def property_key(claim: Claim, profile: Profile, overrides: dict[str, Any]) -> tuple[Any, ...]:
    """Runs with this key check the identical property under the same profile and overrides."""
    return (property_of(claim), repr(overrides), profile)


def _reused(claim: Claim, found: dict[str, Any]) -> dict[str, Any]:
    """Another claim's result for the same property, with this claim's own derivation lines."""
    out = dict(found)
    if found.get("steps"):
        out["steps"] = [{**s, "expression": own.expression} for s, own in zip(found["steps"], claim.steps, strict=True)]
    return out


def run_claim(claim: Claim, profile: Profile, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Check one claim; never raises: problems, crashes and timeouts become an ``error`` record.

    When another claim with the same property already ran in this process (the same statement
    in another worksheet), its verdict and evidence are reused: under a derandomized profile a
    second run would repeat it exactly, and under a random one (thorough) the evidence is as good
    for both statements; the record says ``same_property_as``.
    """
    overrides = overrides or {}
    record = _skeleton(claim)
    record["reproduce"] = reproduce_command(claim.id, profile.name)
    start = time.perf_counter()
    key = property_key(claim, profile, overrides)
    try:
        if claim.problems:
            raise _Malformed("; ".join(claim.problems))
        shareable = property_of(claim) is not None
        if shareable and key in _checked:
            record.update(_reused(claim, _checked[key]))
        else:
            with time_limit(profile.time_limit_s):
                record.update(_verdict(claim, profile, overrides))
            _checked[key] = {k: record[k] for k in VERDICT_FIELDS if k in record}
        shared = REGISTRY.representative(claim) if shareable else None
        if shared not in (None, claim.id):
            record["evidence"] = {**record["evidence"], "same_property_as": shared}
    except _Malformed as exc:
        record.update(verdict="error", message=f"claim '{claim.id}' ({claim.module}) is malformed: {exc}")
    except ClaimTimeout:
        record.update(verdict="error", message=f"claim '{claim.id}' ran past the {profile.name} profile's {profile.time_limit_s:.0f} s limit; make its cases smaller or its check cheaper")
    except Undecided as exc:
        record.update(verdict="error", message=f"claim '{claim.id}': the interval twin could not decide: {exc}")
    except UndefinedValue as exc:
        record.update(verdict="error", message=f"claim '{claim.id}': the check's value is undefined: {exc}")
    except Exception as exc:
        record.update(verdict="error", message=f"claim '{claim.id}' crashed: {type(exc).__name__}: {exc}\n{_where(exc)}")
    if not record["evidence"]:
        record["evidence"] = _evidence(Tally(), "none", method="none")
    record["gate"] = "pass" if record["verdict"] == record["expected"] else "fail"
    record["seconds"] = round(time.perf_counter() - start, 3)
    # a fresh dict in one key order, however the record came about (checked here, or reused from
    # another claim's run whose evidence this process may have touched): records compare byte for byte
    record["evidence"] = _in_order({**record["evidence"], "profile": record["evidence"].get("profile", profile.name)})
    return record


class _Malformed(Exception):
    pass


def _skeleton(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "worksheet": claim.worksheet,
        "location": claim.location,
        "statement": claim.statement,
        "formalisation": claim.formalisation,
        "kind": claim.kind,
        "verdict": "error",
        "expected": claim.expected,
        "gate": "fail",
        "evidence": {},
        "counterexample": None,
        "witness": None,
        "explanation": claim.erratum.explanation if claim.erratum else claim.reason,
        "corrected_by": claim.erratum.corrected_by if claim.erratum else None,
        "fact": claim.fact,
        "module": claim.module,
        "negative_control": "; ".join(m.description for m in claim.controls) or None,
        "reproduce": reproduce_command(claim.id),
        "message": None,
    }


def _verdict(claim: Claim, profile: Profile, overrides: dict[str, Any]) -> dict[str, Any]:
    if claim.kind == "not-checkable":
        return {"verdict": "not-checkable", "evidence": _evidence(Tally(), "none", method="declaration")}
    if claim.kind == "derivation":
        return _derivation_verdict(claim, profile, overrides)
    want = claim.kind == "exists"
    tally = run_exhaustive(claim, overrides) if claim.kind == "exhaustive" else run_sampled(claim, profile, overrides, want)
    if tally.crash:
        return {"verdict": "error", "message": f"claim '{claim.id}' crashed in its check: {tally.crash}", "evidence": _evidence(tally, "none")}
    if claim.kind == "exists":
        if tally.found:
            return {"verdict": "witnessed", "witness": _described(claim, profile, tally.found, overrides, True), "evidence": _evidence(tally, "witness")}
        return {"verdict": "unwitnessed", "evidence": _evidence(tally, "sampled")}
    if tally.found:
        return {"verdict": "refuted", "counterexample": _described(claim, profile, tally.found, overrides, False), "evidence": _evidence(tally, "counterexample")}
    if claim.kind == "exhaustive":
        return {"verdict": "proved", "evidence": _evidence(tally, "exhaustive", method="exhaustive")}
    return {"verdict": "holds", "evidence": _evidence(tally, "sampled")}


def _derivation_verdict(claim: Claim, profile: Profile, overrides: dict[str, Any]) -> dict[str, Any]:
    stepped = Claim(**{**claim.__dict__, "check": derivation_check(claim)})
    tally, broken = run_derivation(claim, stepped, profile, overrides)
    if tally.crash:
        return {"verdict": "error", "message": f"claim '{claim.id}' crashed in a step: {tally.crash}", "evidence": _evidence(tally, "none")}
    steps = [{"expression": claim.steps[0].expression, "relation": None, "verdict": "start"}]
    for k, step in enumerate(claim.steps[1:], start=1):
        label = f"step {k}"
        entry = {"expression": step.expression, "relation": step.relation if isinstance(step.relation, str) else getattr(step.relation, "__name__", "custom"), "verdict": "refuted" if label in broken else "holds"}
        if label in broken:
            single = Claim(**{**stepped.__dict__, "check": _only(stepped.check, label)})
            entry["counterexample"] = (describe_find(single, _shrunk(single, profile, overrides, broken[label]), overrides, False)
                                       if profile.describe else _as_found(broken[label]))
        steps.append(entry)
    first = next((k for k, s in enumerate(steps) if s["verdict"] == "refuted"), None)
    out = {"steps": steps, "first_broken_step": first, "evidence": _evidence(tally, "counterexample" if broken else "sampled")}
    if first is None:
        return {**out, "verdict": "holds"}
    return {**out, "verdict": "refuted", "counterexample": {**steps[first]["counterexample"], "step": first}}


def _evidence(tally: Tally, strength: str, method: str = "hypothesis") -> dict[str, Any]:
    return {
        "method": method,
        "strength": strength,
        "examples": tally.examples,
        "instances": tally.instances,
        "spot_checks": tally.spot_checks,
        "min_digits_agreed": round(min(tally.digits), 1) if tally.digits else None,
        "twin": "interval",
        "twin_decided": tally.twin_decided,
        "twin_max_digits": digits(tally.max_bits) if tally.max_bits else None,
        "float64_screen_overruled": tally.overruled,
        **_structures(tally),
        **tally.seen.evidence(),
    }


def _structures(tally: Tally) -> dict[str, Any]:
    """How many distinct cases (widths, activations, ...) were checked, and of how many a grid has."""
    if not tally.structures or tally.instances <= tally.examples:  # the case is the instance: examples says it
        return {}
    return {"structures": {"checked": len(tally.structures), "of": tally.grid}}


_EVIDENCE_ORDER = ("method", "strength", "examples", "instances", "spot_checks", "min_digits_agreed", "twin", "twin_decided",
                   "twin_max_digits", "float64_screen_overruled", "profile", "same_property_as")


def _in_order(evidence: dict[str, Any]) -> dict[str, Any]:
    """Evidence keys in one order: the known ones first, then any others by name."""
    known = [k for k in _EVIDENCE_ORDER if k in evidence]
    return {k: evidence[k] for k in known + sorted(set(evidence) - set(known))}


def is_positive(verdict: str) -> bool:
    return verdict in POSITIVE


# ------------------------------------------------------------------ helpers


def _where(exc: BaseException) -> str:
    """Where a check failed: its innermost line in the catalogue, and the innermost project line
    below it when that is elsewhere (a model). Installed packages (a .tox folder inside the project
    included) and the engine itself are never named."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _ours(f.filename)]
    catalogue = [f for f in frames if "/claims/engine/" not in f.filename and "/claims/" in f.filename]
    lines = [_frame(f) for f in (catalogue[-1:] or frames[-1:])]
    if frames and catalogue and frames[-1] is not catalogue[-1] and "/claims/engine/" not in frames[-1].filename:
        lines.append(_frame(frames[-1], "inside"))
    return "\n".join(lines)


def _ours(filename: str) -> bool:
    return filename.startswith(str(ROOT)) and not any(part in filename for part in ("/.tox/", "site-packages", "/.venv/"))


def _frame(f: traceback.FrameSummary, word: str = "at") -> str:
    return f"  {word} {Path(f.filename).relative_to(ROOT)}:{f.lineno} in {f.name}: {f.line}"


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ClaimTimeout after ``seconds`` (main thread only, where signals are delivered)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise ClaimTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
