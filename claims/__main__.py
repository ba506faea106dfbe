"""Command line: ``python -m claims list|check|bench|coverage|merge``.

``check`` runs claims whose id contains a given text and prints each verdict with its
counterexample and negative control; ``bench`` times the ci profile serial and parallel;
``stats`` prints the median and maximum lines per claim by kind;
``coverage [WORKSHEET]`` prints the displayed equations no claim quotes, with their lines;
``merge DIR...`` renders the reports of a sharded run from its shard results; ``summary [DIR]``
prints the gate and the fix list as markdown (a CI job summary).
Exit status: 0 all well, 1 a gate failure or a missed negative control, 2 a usage error
(an unknown profile, or no claim matches).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import claims
from claims.engine.profiles import PROFILES, profile_named
from claims.engine.run import run_claim


def _selected(texts: list[str]) -> list:
    registry = claims.load()
    for module, error in registry.load_errors.items():
        print(f"error: catalogue module {module} failed to import: {error}", file=sys.stderr)
    return [c for c in registry.claims.values() if not texts or any(t in c.id or t == c.worksheet for t in texts)]


USAGE_ERROR = 2


class UsageError(Exception):
    """A bad input: printed as one line, exit status 2."""


def _matching(texts: list[str]) -> list:
    selected = _selected(texts)
    if not selected and texts:
        raise UsageError(f"no claim id contains {' or '.join(map(repr, texts))} (python -m claims list shows them all)")
    if not selected:
        raise UsageError("the catalogue has no claims (see claims/README.md to add some)")
    return selected


def cmd_list(args: argparse.Namespace) -> int:
    for c in _matching(args.text):
        print(f"{c.id:70s} {c.worksheet} {c.location:14s} {c.kind:12s} expects {c.expected}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    try:
        profile = profile_named(args.profile)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    bad = 0
    for c in _matching(args.text):
        r = run_claim(c, profile)
        print(f"{r['verdict']:13s} (pinned {r['expected']}, gate {r['gate']}, {r['seconds']:.2f} s)  {c.id}")
        for key in ("message", "counterexample", "witness", "first_broken_step"):
            if r.get(key) is not None:
                print(f"    {key}: {json.dumps(r[key])[:1500]}")
        for mutant in c.controls if args.controls else ():
            m = run_claim(c, PROFILES["control"], mutant.overrides)
            ok = m["verdict"] != c.expected
            print(f"    negative control ({mutant.description}): {m['verdict']} -> {'caught' if ok else 'NOT CAUGHT'}")
            bad += not ok
        bad += r["gate"] != "pass"
    return 1 if bad else 0


def cmd_bench(args: argparse.Namespace) -> int:
    from claims.engine.bench import main

    return main(args.text)


def cmd_coverage(args: argparse.Namespace) -> int:
    from claims.engine.coverage import report

    try:
        lines, complete = report(args.text, args.worksheets)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print("\n".join(lines))
    return 0 if complete else 1


def cmd_merge(args: argparse.Namespace) -> int:
    from pathlib import Path

    from claims.engine import shard
    from claims.engine.render import ReportWriteError, render, summary, write_whole
    from claims.engine.worksheet import configured_folder, survey
    from claims.worksheets import WORKSHEETS

    root = Path(__file__).resolve().parents[1]
    try:
        records, meta, full = shard.merge(shard.read_partials(Path(p) for p in args.paths))
        folder = configured_folder(args.worksheets, root)
    except (shard.ShardError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    out = Path(args.out) if args.out else root / ("reports" if full else "reports/partial")
    from claims.engine.baseline import NONE, committed_record, records_by_id
    from claims.engine.figures import draw

    # the committed record, as the shards compared with it (--claims-baseline in their runs)
    chosen = None if args.baseline == NONE else json.loads(Path(args.baseline).read_text()) if args.baseline else committed_record(root)
    previous = records_by_id(chosen, meta["profile"])
    try:
        write_whole(out, render(records, meta, WORKSHEETS, survey(folder, list(WORKSHEETS)), previous=previous, figures=draw()))
    except ReportWriteError as exc:
        print(f"python -m claims merge: error: {exc}", file=sys.stderr)
        return 6
    s = summary(records)
    print(f"{s['claims']} claims (profile {meta['profile']}) merged into {out}/; gate {s['gate']}")
    return 1 if s["gate"] == "fail" else 0


def cmd_summary(args: argparse.Namespace) -> int:
    from claims.engine.summary import main

    return main(args.folder)


def cmd_stats(args: argparse.Namespace) -> int:
    from claims.engine.stats import table

    print("\n".join(table(_matching(args.text))))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m claims", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    cov = sub.add_parser("coverage", help="displayed equations no claim quotes, stale and missing quotes")
    cov.add_argument("text", nargs="*", help="worksheets whose file name contains TEXT (default: all)")
    cov.add_argument("--worksheets", metavar="DIR", default=None, help="the worksheet folder (default: $CLAIMS_WORKSHEETS or pyproject)")
    cov.set_defaults(fn=cmd_coverage)
    merge = sub.add_parser("merge", help="render the reports of a sharded run from its shard-K-of-N.json results")
    merge.add_argument("paths", nargs="+", help="shard result files, or folders holding them")
    merge.add_argument("--out", metavar="DIR", default=None, help="where to write (default: reports/, or reports/partial/ for a selection)")
    merge.add_argument("--worksheets", metavar="DIR", default=None, help="the worksheet folder (default: $CLAIMS_WORKSHEETS or pyproject)")
    merge.add_argument("--baseline", metavar="FILE|none", default=None,
                       help="the record the index compares with, as the shards' --claims-baseline (default: reports/claims.json at git HEAD)")
    merge.set_defaults(fn=cmd_merge)
    summ = sub.add_parser("summary", help="markdown for a CI job summary: the gate and the fix list, from DIR/claims.json")
    summ.add_argument("folder", nargs="?", default="reports", help="the reports folder (default: reports)")
    summ.set_defaults(fn=cmd_summary)
    for name, fn in (("list", cmd_list), ("check", cmd_check), ("bench", cmd_bench), ("stats", cmd_stats)):
        p = sub.add_parser(name)
        p.add_argument("text", nargs="*", help="select claims whose id contains TEXT (or a worksheet file name)")
        p.set_defaults(fn=fn)
        if name == "check":
            p.add_argument("--profile", choices=list(PROFILES), default=None)
            p.add_argument("--no-controls", dest="controls", action="store_false", help="skip the negative controls")
    args = parser.parse_args(argv)
    try:
        return args.fn(args)
    except UsageError as exc:
        print(f"python -m claims {args.command}: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:
        # The reader stopped reading (``| head``): not an error of a listing; checks were cut short.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0 if args.command == "list" else 1


if __name__ == "__main__":
    sys.exit(main())
