"""Sharding a run across machines: which claims shard K of N checks, its partial result, and the merge.

Claims are dealt to shards by their recorded time (``timings`` of the committed reports/claims.json),
longest first onto the least-loaded shard; claims that check the identical property go together,
so each is checked once, as in an unsharded run. Every shard computes the same assignment from
the same commit. A shard run writes ``shard-K-of-N.json`` instead of reports; ``python -m claims
merge DIR...`` checks that the shards are exactly 1..N of one run and renders the full reports,
byte-identical to an unsharded run of the same profile (the ``timings`` values are each claim's
own measured seconds, and ``generated_at`` is $SOURCE_DATE_EPOCH when set).
"""

from __future__ import annotations

import json
import os
import re
import statistics
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SHARD = re.compile(r"^(?P<k>\d+)/(?P<n>\d+)$")
KIND = "claims-shard"


class ShardError(Exception):
    """A bad --shard value or a set of partial results that is not one whole run."""


def parse(text: str) -> tuple[int, int]:
    """'2/3' -> (2, 3); anything else (0/3, 4/3, 1/0, 'x') is a ShardError."""
    m = SHARD.match(text.strip())
    if not m or not 1 <= int(m["k"]) <= int(m["n"]):
        raise ShardError(f"--shard takes K/N with 1 <= K <= N (e.g. 2/3), not {text!r}")
    return int(m["k"]), int(m["n"])


def assign(ids: list[str], groups: dict[str, str], timings: dict[str, Any], shards: int) -> list[list[str]]:
    """The claim ids of each shard: groups (claims of one property) dealt longest first to the least-loaded shard.

    ``groups`` maps an id to its group's first id; a claim without a recorded time counts as the
    median recorded time. Ties break by catalogue order, so every machine computes the same split.
    """
    known = [float(t) for t in timings.values() if isinstance(t, (int, float))]
    typical = statistics.median(known) if known else 1.0
    members: dict[str, list[str]] = {}
    for cid in ids:
        members.setdefault(groups.get(cid, cid), []).append(cid)
    order = {cid: i for i, cid in enumerate(ids)}

    def cost(group: list[str]) -> float:
        # the group is checked once (its first claim), the others reuse its result
        own = timings.get(group[0])
        return float(own) if isinstance(own, (int, float)) else typical

    load, out = [0.0] * shards, [[] for _ in range(shards)]
    for group in sorted(members.values(), key=lambda g: (-cost(g), order[g[0]])):
        k = min(range(shards), key=lambda s: (load[s], s))
        load[k] += cost(group)
        out[k].extend(group)
    return [sorted(s, key=order.__getitem__) for s in out]


def file_name(k: int, n: int) -> str:
    return f"shard-{k}-of-{n}.json"


def partial(k: int, n: int, records: list[dict[str, Any]], meta: dict[str, Any], catalogue: list[str], selection: dict[str, Any]) -> str:
    """The partial result of shard k of n: its records with what the merge needs to check the whole."""
    doc = {"kind": KIND, "schema": 1, "shard": k, "shards": n, "profile": meta["profile"], "generated_at": meta["generated_at"],
           "versions": meta["versions"], "selection": selection, "catalogue": catalogue, "records": records}
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def generated_at() -> str:
    """Now, or $SOURCE_DATE_EPOCH (the reproducible-builds convention) when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- merging


def read_partials(paths: Iterable[Path]) -> list[tuple[Path, dict[str, Any]]]:
    """Every shard file named, or found in a named folder (shard-*-of-*.json); a folder without any is an error."""
    out = []
    for path in paths:
        files = sorted(path.glob("shard-*-of-*.json")) if path.is_dir() else [path]
        if not files:
            raise ShardError(f"{path}: no shard results (shard-K-of-N.json) in this folder")
        for f in files:
            try:
                doc = json.loads(f.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ShardError(f"{f}: not a readable shard result ({exc})") from None
            if not isinstance(doc, dict) or doc.get("kind") != KIND:
                raise ShardError(f"{f}: not a shard result (written by pytest ... --shard K/N)")
            out.append((f, doc))
    return out


def merge(partials: list[tuple[Path, dict[str, Any]]]) -> tuple[list[dict[str, Any]], dict[str, Any], bool]:
    """The records of the whole run in catalogue order, its meta, and whether it covers the whole catalogue.

    Raises ShardError unless the partial results are shards 1..N of one run, each exactly once,
    under one profile, selection and catalogue, with no claim in two shards.
    """
    first = partials[0][1]
    for key in ("shards", "profile", "selection", "catalogue", "versions"):
        odd = [str(p) for p, d in partials if d.get(key) != first.get(key)]
        if odd:
            raise ShardError(f"the shard results are not of one run: their '{key}' differs ({', '.join(odd)} vs {partials[0][0]})")
    n = first["shards"]
    seen: dict[int, Path] = {}
    for path, doc in partials:
        if doc["shard"] in seen:
            raise ShardError(f"shard {doc['shard']} of {n} is given twice ({seen[doc['shard']]} and {path}); give each shard once")
        seen[doc["shard"]] = path
    missing = sorted(set(range(1, n + 1)) - set(seen))
    if missing:
        raise ShardError(f"shard(s) {', '.join(map(str, missing))} of {n} missing (have {', '.join(map(str, sorted(seen)))}); "
                         "a merge of fewer shards would be a smaller report")
    records = _disjoint(partials)
    order = {cid: i for i, cid in enumerate(first["catalogue"])}
    records.sort(key=lambda r: order.get(r["id"], len(order)))
    full = set(first["catalogue"]) <= {r["id"] for r in records}
    if not first["selection"].get("keyword") and not first["selection"].get("markexpr") and not full:
        gone = sorted(set(first["catalogue"]) - {r["id"] for r in records})
        raise ShardError(f"{len(gone)} claim(s) of the catalogue are in no shard, e.g. {gone[0]}")
    when = max(d["generated_at"] for _, d in partials)
    meta = {"profile": first["profile"], "generated_at": when, "versions": first["versions"]}
    return records, meta, full


def _disjoint(partials: list[tuple[Path, dict[str, Any]]]) -> list[dict[str, Any]]:
    where: dict[str, Path] = {}
    records = []
    for path, doc in partials:
        for r in doc["records"]:
            if r["id"] in where:
                raise ShardError(f"claim {r['id']} is in two shard results ({where[r['id']]} and {path})")
            where[r["id"]] = path
            records.append(r)
    return records
