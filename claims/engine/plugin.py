"""pytest glue: one test item per claim, xdist-safe aggregation, reports written at the end.

Each item runs its claim and attaches the result record to its report (``user_properties``
travel from xdist workers to the controller). The controller alone writes reports/, and
accounts for every collected claim: one without a result (a crashed worker) becomes ``error``.
"""

from __future__ import annotations

import atexit
import faulthandler
import gc
import json
import os
import platform
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import claims
from claims.engine import baseline, shard, warm
from claims.engine.anchors import anchor_record
from claims.engine.clock import CLOCK
from claims.engine.exitguard import exit_guard
from claims.engine.profiles import ENV_VAR, PROFILES, profile_named
from claims.engine.render import ReportWriteError, anchoring_line, render, summary, write_whole
from claims.engine.run import is_positive, property_key, reproduce_command, run_claim
from claims.engine.worksheet import ENV_VAR as WORKSHEETS_ENV
from claims.engine.worksheet import configured_folder, survey

# A claim's test item; under --dist loadgroup xdist appends "@<group>" to the node id.
NODE = re.compile(r"test_claims\.py::test_claim\[(?P<id>[^\]]+)\](?:@[^\]]*)?$")
RESULT_KEY = "claim_result"
PHASES_KEY = "claim_phases"
LOAD_ERROR_PREFIX = "module-failed-to-load:"
# Exit status when the run finished but reports/ could not be written (pytest uses 0-5).
REPORTS_NOT_WRITTEN = 6
# Seconds a claim item may run past its profile's own time limit before its process is killed.
DEADLINE_GRACE_S = 60


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("claims", "worksheet claims")
    group.addoption("--claims-profile", choices=list(PROFILES), default=None,
                    help=f"Hypothesis profile: ci (default), thorough or quick; or set ${ENV_VAR}")
    group.addoption("--as-stated", action="store_true",
                    help="fail every claim whose worksheet statement is refuted, ignoring pinned errata")
    group.addoption("--claims-report", default=None, metavar="DIR",
                    help="where to write the reports (default: reports/ for a full run, reports/partial/ otherwise)")
    group.addoption("--no-claims-report", action="store_true", help="write no reports")
    baseline.add_options(group)
    group.addoption("--worksheets", default=None, metavar="DIR",
                    help=f"the folder of worksheet files the claims quote (or ${WORKSHEETS_ENV}; default: pyproject's [tool.claims] worksheets)")
    group.addoption("--claims-hard-deadline", type=float, default=None, metavar="SECONDS",
                    help=f"kill a claim's process after SECONDS (default: the profile's time limit + {DEADLINE_GRACE_S} s)")
    group.addoption("--shard", default=None, metavar="K/N",
                    help="check only shard K of N (balanced by recorded time) and write DIR/shard-K-of-N.json "
                         "(DIR: --claims-report, default reports/shards); merge with python -m claims merge")
    group.addoption("--claims-phases", default=None, metavar="FILE", help="write seconds per phase per claim to FILE (the benchmark)")


def pytest_configure(config: pytest.Config) -> None:
    try:
        config._claims_profile = profile_named(config.getoption("--claims-profile"))
        config._claims_worksheets = configured_folder(config.getoption("--worksheets"), Path(str(config.rootpath)))
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    config._claims_results = {}
    config._claims_collected = set()
    baseline.configure(config)
    config._claims_deadline = config.getoption("--claims-hard-deadline") or config._claims_profile.time_limit_s + DEADLINE_GRACE_S
    workerinput = getattr(config, "workerinput", None)
    config._claims_dumps = workerinput["claims_dumps"] if workerinput else tempfile.mkdtemp(prefix="claims-deadline-")
    config._claims_phases = {}
    config._claims_shard = _shard_of(config, workerinput)
    if workerinput is None and getattr(config.option, "numprocesses", None):
        warm.one_blas_thread(os.environ)  # the workers inherit the controller's environment
    if workerinput is None:
        warm.use(config)
    else:
        try:
            warm.check()
        except RuntimeError as exc:
            raise pytest.UsageError(str(exc)) from None


def _shard_of(config: pytest.Config, workerinput: dict[str, Any] | None) -> tuple[int, int, set[str]] | None:
    """(K, N, the claim ids of shard K) under --shard K/N; workers take the controller's split."""
    if not config.getoption("--shard"):
        return None
    try:
        k, n = shard.parse(config.getoption("--shard"))
    except shard.ShardError as exc:
        raise pytest.UsageError(str(exc)) from None
    if workerinput and "claims_shard_ids" in workerinput:
        return k, n, set(workerinput["claims_shard_ids"])
    return k, n, set(shard.assign(all_claim_ids(), _property_groups(config), _committed_timings(config), n)[k - 1])


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    warm.stop()
    if not hasattr(config, "workerinput") and hasattr(config, "_claims_dumps"):
        shutil.rmtree(config._claims_dumps, ignore_errors=True)
    # At exit the interpreter's last collections would walk the whole heap (the catalogue, the
    # records, the imported libraries) to free it, 0.2 s of every run: freeze it first. At exit, not
    # here: a process that runs pytest.main() again must still collect what this run left.
    atexit.unregister(gc.freeze)  # once, however many runs this process makes
    atexit.register(gc.freeze)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Tell each xdist worker where to leave the stack of a claim stopped by the hard deadline."""
    node.workerinput["claims_dumps"] = node.config._claims_dumps
    if node.config._claims_shard:
        node.workerinput["claims_shard_ids"] = sorted(node.config._claims_shard[2])


EMPTY = "catalogue-is-empty"


def all_claim_ids() -> list[str]:
    """Every claim, every catalogue module that failed to import, or one error if there is nothing."""
    registry = claims.load()
    ids = list(registry.claims) + [LOAD_ERROR_PREFIX + m for m in registry.load_errors]
    return ids or [EMPTY]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "claim_id" in metafunc.fixturenames:
        ids = all_claim_ids()
        metafunc.parametrize("claim_id", ids, ids=ids)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Let -k select by worksheet file name or catalogue module as well as by claim id.

    Claims that check the identical property share an xdist group (``--dist loadgroup``), so
    one worker checks it once and reports it for each claim. (First among the hooks: xdist's
    own reads the group marks to name the groups.)
    """
    registry = claims.load()
    for item in items:
        match = NODE.search(item.nodeid)
        claim = registry.claims.get(match["id"]) if match else None
        if claim is None:
            continue
        item.extra_keyword_matches.update({claim.worksheet, Path(claim.worksheet).stem, claim.module.split(".")[-1]})
        item.add_marker(pytest.mark.xdist_group(_property_groups(config)[claim.id]))
    if config._claims_shard:
        _keep_shard(config, items)


def _keep_shard(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the claim items of other shards (other tests stay)."""
    mine = config._claims_shard[2]
    other = [i for i in items if (m := NODE.search(i.nodeid)) and m["id"] not in mine]
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = [i for i in items if i not in set(other)]


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup`` that survives a crashed worker (see CrashSafeLoadGroupScheduling)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    return _crash_safe_loadgroup()(config, log)


def _crash_safe_loadgroup() -> type:
    """The scheduler class, built on first use so that the plugin also loads without xdist."""
    from xdist.scheduler import LoadGroupScheduling

    class CrashSafeLoadGroupScheduling(LoadGroupScheduling):
        """xdist's loadgroup scheduler, except that a dead worker's finished work is not queued again.

        pytest-xdist 3.8.0 re-queues a dead worker's whole workload, its crashed test and its
        completed groups included; the replacement worker gets a group with nothing left to run,
        never reports back, is never given more work, and the run waits forever.
        """

        _ordered = False

        def _split_scope(self, nodeid: str) -> str:
            # The claim's property group, from the catalogue: xdist 3.8.0 names a group by
            # appending "@group" to item._nodeid, which pytest 9 no longer reads, so without this
            # every claim would be its own group and a shared property would be checked twice.
            match = NODE.search(nodeid)
            return _property_groups(self.config).get(match["id"], nodeid) if match else super()._split_scope(nodeid)

        def _assign_work_unit(self, node: Any) -> None:
            # Longest groups first, by the committed record's times: the run then ends on short
            # claims, and neither worker waits long for the other (xdist orders by group size).
            if not self._ordered:
                self._ordered = True
                units = sorted(self.workqueue.items(), key=lambda kv: -_recorded_cost(self.config, kv[1]))
                self.workqueue.clear()
                self.workqueue.update(units)
            super()._assign_work_unit(node)

        def remove_node(self, node: Any) -> str | None:
            workload = self.assigned_work.get(node, {})
            crashed = next((nid for unit in workload.values() for nid, done in unit.items() if not done), None)
            if crashed is None:
                return super().remove_node(node)
            del self.assigned_work[node]
            next(unit for unit in workload.values() if crashed in unit)[crashed] = True  # xdist reports it failed
            self.workqueue.update({scope: unit for scope, unit in workload.items() if not all(unit.values())})
            for other in self.assigned_work:
                self._reschedule(other)
            return crashed

    return CrashSafeLoadGroupScheduling


def _property_groups(config: pytest.Config) -> dict[str, str]:
    """Each claim's group: the first claim declared with the identical property (its own id if none)."""
    if not hasattr(config, "_claims_groups"):
        first: dict[Any, str] = {}
        # a malformed claim checks nothing it could share: it is a group of its own
        config._claims_groups = {cid: cid if c.problems else first.setdefault(property_key(c, config._claims_profile, {}), cid)
                                 for cid, c in claims.load().claims.items()}
    return config._claims_groups


def _committed_timings(config: pytest.Config) -> dict[str, Any]:
    """Each claim's seconds in the committed reports/claims.json (read once: it is a git call)."""
    if not hasattr(config, "_claims_timings"):
        config._claims_timings = (baseline.committed_record(Path(str(config.rootpath))) or {}).get("timings") or {}
    return config._claims_timings


def _recorded_cost(config: pytest.Config, unit: dict[str, bool]) -> float:
    """Seconds the committed record gives a group of test items (claims not on record: 0)."""
    times = _committed_timings(config)
    return sum(float(times.get(cid) or 0.0) for cid in _claim_ids(unit))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """Run a claim under a hard deadline: a check that ignores the engine's time limit is killed."""
    if not NODE.search(item.nodeid):
        return (yield)
    with _hard_deadline(item.config), exit_guard(item.config):
        return (yield)


@contextmanager
def _hard_deadline(config: pytest.Config) -> Iterator[None]:
    """faulthandler's watchdog thread needs no GIL, so it stops even a check stuck in C code.

    On an xdist worker the stack goes to a file the controller reads into the error record
    (the worker is replaced and the claim is an ``error``); a serial run exits with status 1.
    """
    faulthandler.dump_traceback_later(config._claims_deadline, exit=True, file=_dump_file(config))
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def _dump_file(config: pytest.Config) -> Any:
    if not hasattr(config, "_claims_dump_file"):
        worker = getattr(config, "workerinput", {}).get("workerid")
        # Serial: a copy of the real stderr, taken outside pytest's output capture.
        config._claims_dump_file = open(_dump_path(config, worker), "w") if worker else os.fdopen(os.dup(2), "w")
    return config._claims_dump_file


def _dump_path(config: pytest.Config, worker: str) -> Path:
    return Path(config._claims_dumps) / f"{worker}.txt"


def pytest_report_collectionfinish(config: pytest.Config, start_path: Path, items: list[pytest.Item]) -> list[str]:
    """Malformed declarations and broken catalogue modules, named at collection time."""
    return _declaration_problems()


def _declaration_problems() -> list[str]:
    registry = claims.load()
    lines = [f"claims: {c.id} ({c.module}) is malformed: {'; '.join(c.problems)}" for c in registry.claims.values() if c.problems]
    lines += [f"claims: catalogue module {m} failed to import: {e}" for m, e in registry.load_errors.items()]
    return lines + (["claims: these run as errors and fail the gate"] if lines else [])


def pytest_collection_finish(session: pytest.Session) -> None:
    session.config._claims_collected.update(_claim_ids(i.nodeid for i in session.items))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    node.config._claims_collected.update(_claim_ids(ids))
    _announce_problems_once(node.config)


def _announce_problems_once(config: pytest.Config) -> None:
    """Under xdist the controller collects nothing and never reports a collection, so name them here."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or getattr(config, "_claims_announced", False):
        return
    config._claims_announced = True
    for line in _declaration_problems():
        reporter.write_line(line)


def _claim_ids(nodeids: Any) -> set[str]:
    return {m["id"] for m in map(NODE.search, nodeids) if m}


@pytest.fixture
def check_claim(request: pytest.FixtureRequest) -> Any:
    """Run a claim, attach its result record to the test report, and fail on a gate failure."""

    def run(claim_id: str) -> dict[str, Any]:
        config = request.config
        before, start = dict(CLOCK.spent), time.perf_counter()
        record = anchor_record(_run(claim_id, config._claims_profile), claims.load().claims.get(claim_id), config._claims_worksheets)
        if not config.getoption("--as-stated"):  # negative controls, self-comparisons, the committed record
            baseline.review(config, claims.load().claims.get(claim_id), record, run_claim)
        request.node.user_properties.append((RESULT_KEY, json.dumps(record)))
        phases = CLOCK.since(before)  # the claim and its negative controls
        phases["other"] = round(time.perf_counter() - start - sum(phases.values()), 4)
        request.node.user_properties.append((PHASES_KEY, json.dumps(phases)))
        if config.getoption("--as-stated"):
            if not is_positive(record["verdict"]):
                pytest.fail(_explain(record, "the worksheet statement does not hold"), pytrace=False)
        elif record["gate"] != "pass":
            pytest.fail(_explain(record, baseline.headline(record)), pytrace=False)
        return record

    return run


def _run(claim_id: str, profile: Any) -> dict[str, Any]:
    registry = claims.load()
    if claim_id == EMPTY:
        return error_record(claim_id, "no claims were found: add a module of claims to claims/ (see claims/README.md)")
    if claim_id.startswith(LOAD_ERROR_PREFIX):
        module = claim_id[len(LOAD_ERROR_PREFIX):]
        return error_record(claim_id, f"catalogue module {module} failed to import: {registry.load_errors[module]}; fix the module, its claims are not checked")
    return run_claim(registry.claims[claim_id], profile)


def _explain(record: dict[str, Any], headline: str) -> str:
    lines = [f"{record['id']} ({record['worksheet']} {record['location']}): {headline}", f"  statement: {record['statement']}"]
    if record.get("message"):
        lines.append(f"  error: {record['message']}")
    found = record.get("counterexample")
    if found:
        lines.append(f"  counterexample ({found.get('check')}): inputs {json.dumps(found.get('inputs'))}")
        lines.append(f"    mpmath values: {json.dumps(found.get('values'))}")
    if record.get("first_broken_step") is not None:
        step = record["steps"][record["first_broken_step"]]
        lines.append(f"  first broken step {record['first_broken_step']}: {step['expression']}")
    if record.get("explanation"):
        lines.append(f"  pinned erratum: {record['explanation']}")
    lines.append(f"  reproduce: {record['reproduce']}")
    return "\n".join(lines)


def error_record(claim_id: str, message: str, claim: Any = None) -> dict[str, Any]:
    """A result for a claim whose check never reported (crash, worker loss, import failure)."""
    return {
        "id": claim_id, "worksheet": getattr(claim, "worksheet", "") or "unknown", "location": getattr(claim, "location", "") or "-",
        "statement": getattr(claim, "statement", "") or "(not loaded)", "formalisation": None, "kind": getattr(claim, "kind", "forall"),
        "verdict": "error", "expected": getattr(claim, "expected", "holds"), "gate": "fail",
        "evidence": {"method": "none", "strength": "none", "examples": 0, "instances": 0, "spot_checks": 0,
                     "min_digits_agreed": None}, "counterexample": None, "witness": None,
        "explanation": None, "corrected_by": None, "fact": None, "module": getattr(claim, "module", ""),
        "negative_control": None, "reproduce": reproduce_command(claim_id), "message": message,
    }


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    match = NODE.search(report.nodeid)
    if not match:
        return
    config = _CONFIG["config"]
    results = config._claims_results
    for key, value in report.user_properties:
        if key == PHASES_KEY:
            config._claims_phases[match["id"]] = json.loads(value)
    for key, value in report.user_properties:
        if key == RESULT_KEY:
            results[match["id"]] = json.loads(value)
            return
    if report.failed and match["id"] not in results:
        # No record attached: the item crashed outside the engine (setup error, worker crash).
        claim = claims.load().claims.get(match["id"])
        results[match["id"]] = anchor_record(error_record(match["id"], _no_result_message(config, report), claim), claim, config._claims_worksheets)


def _no_result_message(config: pytest.Config, report: pytest.TestReport) -> str:
    """Why a claim has no result: killed at the hard deadline (its stack), or a crash."""
    worker = getattr(getattr(report, "node", None), "gateway", None)
    dump = _dump_path(config, worker.id) if worker else None
    stack = dump.read_text(errors="replace").strip() if dump and dump.exists() else ""
    if stack:
        innermost = "\n".join(stack.splitlines()[:12])  # faulthandler prints the innermost frame first
        return (f"the check ran past the hard deadline of {config._claims_deadline:.0f} s (its time limit did not stop it), "
                f"so its worker was killed; where it was stuck:\n{innermost}")
    text = str(report.longrepr)[-1500:] if report.longrepr else "no output"
    if worker and report.when == "???":  # xdist's report for a test whose worker died
        return f"the check did not report a result: its worker process crashed (exited or was killed): {text}"
    return f"the check did not report a result ({report.when}): {text}"


_CONFIG: dict[str, Any] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    _CONFIG["config"] = session.config


@pytest.hookimpl(trylast=True)
def pytest_xdist_newgateway(gateway: Any) -> None:
    """Load the catalogue on the controller while its workers start, not when they report their
    collection: until the controller has, it hands them no work. xdist starts the gateways one
    after another, so this waits for the last one rather than delay it."""
    _CONFIG["gateways"] = _CONFIG.get("gateways", 0) + 1
    config = _CONFIG.get("config")
    if config is None or _CONFIG["gateways"] >= len(config.getvalue("tx") or ()):
        claims.load()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the reports of a run that checked every claim it collected; anything less writes nothing.

    First among the hooks: every result is in once the run loop ends, and rendering then overlaps
    xdist's wait for its worker processes to exit (its own sessionfinish).
    """
    config = session.config
    if _empty_shard(session, exitstatus):
        _write_shard(session, [])  # a shard the selection left nothing for: an empty result, so the merge sees it
        return
    if hasattr(config, "workerinput") or not config._claims_collected or config.option.collectonly:
        return  # workers report through the controller; collecting alone checks nothing
    if config.getoption("--no-claims-report"):
        return
    stopped = _stopped_early(session, exitstatus)
    if stopped:
        config._claims_outcome = f"reports not written: {stopped}"
        _fail(session)
        return
    records = _records(config)
    _write_phases(config)
    if config._claims_shard:
        _write_shard(session, records)
        return
    full = config._claims_collected >= set(all_claim_ids())
    target = config.getoption("--claims-report") or ("reports" if full else os.path.join("reports", "partial"))
    from claims.worksheets import WORKSHEETS

    sheets = survey(config._claims_worksheets, list(WORKSHEETS))
    config._claims_summary = summary(records)
    config._claims_anchoring = anchoring_line(records, sheets)
    try:
        from claims.engine.figures import draw  # matplotlib, only when reports are written

        files = render(records, _meta(config), WORKSHEETS, sheets, previous=config._claims_baseline, figures=draw())
        write_whole(Path(str(config.rootpath)) / target, files)
    except ReportWriteError as exc:
        config._claims_outcome = f"error: {exc}"
        session.exitstatus = REPORTS_NOT_WRITTEN
        return
    scope = "full catalogue" if full else "partial selection"
    config._claims_outcome = f"reports written to {target}/ ({scope}, profile {config._claims_profile.name})"
    if config._claims_summary["gate"] == "fail":
        _fail(session)


def _empty_shard(session: pytest.Session, exitstatus: int) -> bool:
    config = session.config
    if hasattr(config, "workerinput") or not config._claims_shard or config.option.collectonly or config._claims_collected:
        return False
    if exitstatus != pytest.ExitCode.NO_TESTS_COLLECTED or config.getoption("--no-claims-report"):
        return False
    session.exitstatus = pytest.ExitCode.OK
    return True


def _write_phases(config: pytest.Config) -> None:
    if config.getoption("--claims-phases"):
        Path(config.getoption("--claims-phases")).write_text(json.dumps(config._claims_phases, indent=1, sort_keys=True) + "\n")


def _write_shard(session: pytest.Session, records: list[dict[str, Any]]) -> None:
    """A shard's partial result, whole or not at all (the merge renders the reports)."""
    config = session.config
    k, n, _ = config._claims_shard
    folder = Path(str(config.rootpath)) / (config.getoption("--claims-report") or os.path.join("reports", "shards"))
    selection = {"keyword": config.option.keyword or "", "markexpr": config.option.markexpr or ""}
    text = shard.partial(k, n, records, _meta(config), all_claim_ids(), selection)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staged = folder / f".{shard.file_name(k, n)}.tmp"
        staged.write_text(text, encoding="utf-8")
        staged.replace(folder / shard.file_name(k, n))
    except OSError as exc:
        config._claims_outcome = f"error: could not write {folder / shard.file_name(k, n)}: {exc}"
        session.exitstatus = REPORTS_NOT_WRITTEN
        return
    config._claims_summary = summary(records)
    config._claims_anchoring = f"shard {k} of {n}: {len(records)} claim(s)"
    config._claims_outcome = f"shard result written to {folder / shard.file_name(k, n)} (merge: python -m claims merge {folder})"
    if config._claims_summary["gate"] == "fail":
        _fail(session)


def _stopped_early(session: pytest.Session, exitstatus: int) -> str | None:
    """Why this run's results are not a complete account of what it collected, if they are not."""
    if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        name = exitstatus.name.lower().replace("_", " ") if isinstance(exitstatus, pytest.ExitCode) else exitstatus
        return f"the run ended early ({name})"
    if session.shouldstop or session.shouldfail:
        return f"the run stopped early ({session.shouldstop or session.shouldfail})"
    missing = session.config._claims_collected - set(session.config._claims_results)
    if missing:
        return f"{len(missing)} collected claim(s) never reported, e.g. {min(missing)}: the run stopped before checking them"
    return None


def _records(config: pytest.Config) -> list[dict[str, Any]]:
    order = {cid: i for i, cid in enumerate(all_claim_ids())}
    return sorted(config._claims_results.values(), key=lambda r: order.get(r["id"], len(order)))


def _fail(session: pytest.Session) -> None:
    if session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED  # e.g. a claim whose worker never reported


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    outcome = getattr(config, "_claims_outcome", None)
    if not outcome:
        return
    terminalreporter.write_sep("-", "worksheet claims")
    s = getattr(config, "_claims_summary", None)
    if s:
        counts = ", ".join(f"{s[v]} {v}" for v in ("holds", "proved", "witnessed", "refuted", "unwitnessed", "not-checkable", "stale", "error") if s[v])
        terminalreporter.write_line(f"{s['claims']} claims: {counts}; {s['errata']} pinned errata; gate {s['gate']}")
        anchoring = config._claims_anchoring
        terminalreporter.write_line(anchoring, yellow=anchoring.startswith("worksheet anchoring skipped"))
    for line in baseline.summary_lines(config, _records(config)):
        terminalreporter.write_line(line, red=line.startswith(("CHANGED", "NEGATIVE")))
    terminalreporter.write_line(outcome, red=not outcome.startswith("reports written"))


def _meta(config: pytest.Config) -> dict[str, Any]:
    import hypothesis
    import mpmath
    import numpy

    return {
        "profile": config._claims_profile.name,
        "generated_at": shard.generated_at(),
        "versions": {"python": platform.python_version(), "hypothesis": hypothesis.__version__,
                     "numpy": numpy.__version__, "mpmath": mpmath.__version__},
    }
