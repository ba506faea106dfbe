"""The renderer: claims.json keeps the report contract, pages put errata first, writes are whole."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import threading

import pytest

from claims.engine import REGISTRY, Erratum, Mutant, Step, derivation, equal, forall, not_checkable, st
from claims.engine import render as render_module
from claims.engine.profiles import PROFILES
from claims.engine.render import ReportWriteError, render, write_whole
from claims.engine.run import run_claim
from claims.worksheets import WORKSHEETS, WS000, WS001

REQUIRED = ["id", "worksheet", "location", "statement", "kind", "verdict", "expected", "gate", "evidence", "reproduce"]
META = {"profile": "control", "generated_at": "2026-11-23T00:00:00Z", "versions": {"python": "3.11"}}
X = st.fixed_dictionaries({"x": st.floats(-2, 2)})


@pytest.fixture(scope="module")
def records():
    with REGISTRY.scratch() as reg:
        forall(id="r.holds", worksheet=WS000, location="1(b)", statement="$x = x$", expected="holds", cases=X,
               mutant=Mutant("m"), fact="same-fact")(lambda v, ops: equal(v.x, v.x))
        forall(id="r.wrong", worksheet=WS001, location="2(a)", statement="$x = 2x$", expected="refuted", cases=X,
               erratum=Erratum("only at 0", corrected_by="r.holds"), fact="same-fact")(lambda v, ops: equal(v.x, 2 * v.x))
        derivation(id="r.chain", worksheet=WS000, location="1(a)", statement="a chain", expected="refuted", cases=X,
                   erratum=Erratum("step 2", corrected_by="r.holds"),
                   steps=[Step("$x$", lambda v, ops: v.x), Step("$x+0$", lambda v, ops: v.x + 0), Step("$2x$", lambda v, ops: 2 * v.x)])
        not_checkable(id="r.remark", worksheet=WS000, location="2(c)", statement="may overfit", reason="no precise content")
        reg.validate()
        return [run_claim(c, PROFILES["control"]) for c in reg.claims.values()]


def test_claims_json_keeps_the_contract(records):
    doc = json.loads(render(records, META, WORKSHEETS)["claims.json"])
    assert doc["schema"] == 1 and doc["profile"] == "control" and doc["summary"]["claims"] == 4
    for claim in doc["claims"]:
        assert all(k in claim for k in REQUIRED), claim["id"]
        assert {"examples", "spot_checks", "min_digits_agreed"} <= set(claim["evidence"])
        assert claim["gate"] == ("pass" if claim["verdict"] == claim["expected"] else "fail")
        if claim["verdict"] == "refuted":
            assert claim["counterexample"] and claim["explanation"]
    chain = next(c for c in doc["claims"] if c["id"] == "r.chain")
    assert chain["first_broken_step"] == 2 and [s["verdict"] for s in chain["steps"]] == ["start", "holds", "refuted"]
    assert "seconds" not in doc["claims"][0] and set(doc["timings"]) == {r["id"] for r in records}


def test_pages_list_errata_first_and_show_contradictions(records):
    files = render(records, META, WORKSHEETS)
    page = files["000_3057f9ee4c919776.md"]
    assert page.index("## Errata") < page.index("r.chain") < page.index("## All claims")
    assert "first broken step" in page and "--as-stated" in page
    assert "Where worksheets contradict each other" in files["README.md"] and "same-fact" in files["README.md"]


def test_pages_are_identical_between_runs(records):
    again = dict(META, generated_at="2027-01-01T00:00:00Z")
    first, second = render(records, META, WORKSHEETS), render(records, again, WORKSHEETS)
    assert {k: v for k, v in first.items() if k.endswith(".md")} == {k: v for k, v in second.items() if k.endswith(".md")}


def test_reports_are_replaced_whole(tmp_path):
    target = tmp_path / "reports"
    write_whole(target, {"a.md": "one", "stale.md": "old"})
    write_whole(target, {"a.md": "two"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]
    assert sorted(p.name for p in target.iterdir()) == ["a.md"] and (target / "a.md").read_text() == "two"


PREVIOUS = {"README.md": "previous index", "claims.json": "{}"}


@pytest.fixture
def reports(tmp_path):
    """A reports/ folder holding a previous run's files, mode 0755."""
    target = tmp_path / "reports"
    write_whole(target, PREVIOUS)
    target.chmod(0o755)
    return target


def contents(folder):
    return {p.name: p.read_text() for p in folder.iterdir()}


def assert_untouched(reports):
    assert contents(reports) == PREVIOUS
    assert sorted(p.name for p in reports.parent.iterdir()) == ["reports"]  # no staging folder left


@pytest.mark.parametrize("mode", [0o755, 0o750, 0o775])
def test_a_write_keeps_the_folders_permissions(reports, mode):
    reports.chmod(mode)
    write_whole(reports, {"README.md": "new"})
    assert stat.S_IMODE(reports.stat().st_mode) == mode


def test_a_new_folder_gets_the_usual_mode_not_0700(tmp_path):
    umask = os.umask(0o022)
    try:
        write_whole(tmp_path / "fresh", {"a.md": "x"})
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "fresh").stat().st_mode) == 0o755


def test_a_read_only_folder_is_left_alone_with_one_clear_message(reports):
    reports.chmod(0o555)
    try:
        with pytest.raises(ReportWriteError) as err:
            write_whole(reports, {"README.md": "new"})
    finally:
        reports.chmod(0o755)
    assert f"{reports}/" in str(err.value) and "read-only" in str(err.value) and "Make the folder writable" in str(err.value)
    assert_untouched(reports)


@pytest.mark.parametrize(("error", "advice"), [(OSError(errno.ENOSPC, "No space left on device"), "Free some disk space"),
                                               (PermissionError(errno.EACCES, "Permission denied"), "Make the folder writable")])
def test_a_failing_file_write_leaves_the_previous_reports(reports, monkeypatch, error, advice):
    calls = []

    def failing_open(path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise error
        return open(path, *args, **kwargs)

    monkeypatch.setattr(render_module, "open", failing_open, raising=False)
    with pytest.raises(ReportWriteError) as err:
        write_whole(reports, {"README.md": "new", "claims.json": "[]", "x.md": "new"})
    assert advice in str(err.value) and str(reports) in str(err.value) and "previous reports there are unchanged" in str(err.value)
    assert_untouched(reports)


def test_a_failing_swap_leaves_the_previous_reports(reports, monkeypatch):
    def refuse(a, b):
        raise PermissionError(errno.EPERM, "Operation not permitted", str(b))

    monkeypatch.setattr(render_module, "_exchange", refuse)
    with pytest.raises(ReportWriteError, match="Make the folder writable"):
        write_whole(reports, {"README.md": "new"})
    assert_untouched(reports)


@pytest.mark.parametrize("where", ["_write_file", "_exchange"])
def test_a_writer_stopped_between_steps_leaves_the_previous_reports(reports, monkeypatch, where):
    original = getattr(render_module, where)
    calls = []

    def stopped(*args):
        calls.append(args)
        if len(calls) == 2 or where == "_exchange":
            raise KeyboardInterrupt  # not an OSError: propagates, but the staging folder goes
        return original(*args)

    monkeypatch.setattr(render_module, where, stopped)
    with pytest.raises(KeyboardInterrupt):
        write_whole(reports, {"README.md": "new", "claims.json": "[]"})
    assert_untouched(reports)


def test_a_killed_writers_staging_folder_is_removed_by_the_next(reports):
    (reports.parent / ".reports-new-killed").mkdir()
    (reports.parent / ".reports-new-killed" / "README.md").write_text("half")
    write_whole(reports, {"README.md": "new"})
    assert sorted(p.name for p in reports.parent.iterdir()) == ["reports"] and contents(reports) == {"README.md": "new"}


def test_without_an_atomic_exchange_two_renames_roll_back_on_failure(reports, monkeypatch):
    monkeypatch.setattr(render_module, "_exchange", lambda a, b: False)
    write_whole(reports, {"README.md": "second"})
    assert contents(reports) == {"README.md": "second"} and sorted(p.name for p in reports.parent.iterdir()) == ["reports"]
    write_whole(reports, PREVIOUS)
    renames = []

    def second_rename_fails(a, b):
        renames.append(a)
        if len(renames) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        os.replace(a, b)

    monkeypatch.setattr(render_module.os, "rename", second_rename_fails)
    with pytest.raises(ReportWriteError, match="disk is full"):
        write_whole(reports, {"README.md": "third"})
    assert_untouched(reports)


def test_a_kill_between_the_two_renames_is_undone_by_the_next_writer(reports, monkeypatch):
    reports.rename(reports.parent / ".reports-old")  # the state a kill after the first rename leaves
    monkeypatch.setattr(render_module, "_exchange", lambda a, b: False)
    write_whole(reports, {"README.md": "new"})
    assert contents(reports) == {"README.md": "new"} and sorted(p.name for p in reports.parent.iterdir()) == ["reports"]


def test_concurrent_writers_never_leave_a_missing_or_mixed_folder(reports):
    stop, seen = threading.Event(), []

    def writer(name):
        for i in range(200):
            tag = f"{name}-{i}"
            write_whole(reports, {"README.md": tag, "claims.json": tag, f"{name}.md": tag})

    def watcher():
        while not stop.is_set():
            seen.append(_snapshot(reports))

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b")]
    watching = threading.Thread(target=watcher)
    watching.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    watching.join()
    assert "missing" not in seen and len(seen) > 10
    versions = [snap for snap in seen if snap not in ("missing", "replaced")]
    assert all(snap == PREVIOUS or (len(snap) == 3 and len(set(snap.values())) == 1) for snap in versions), "a mixed folder"
    final = contents(reports)
    assert len(set(final.values())) == 1 and len(final) == 3
    assert sorted(p.name for p in reports.parent.iterdir()) == ["reports"]


def _snapshot(folder):
    """The files of one version of the folder (read through one handle), "missing", or "replaced"."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except FileNotFoundError:
        return "missing"
    try:
        snap = {n: _read_at(fd, n) for n in os.listdir(fd)}
        # Still the current version after reading? Otherwise it was swapped out and is being deleted.
        return snap if os.fstat(fd).st_ino == os.stat(folder).st_ino else "replaced"
    except FileNotFoundError:
        return "replaced"
    finally:
        os.close(fd)


def _read_at(dir_fd, name):
    fd = os.open(name, os.O_RDONLY, dir_fd=dir_fd)
    with os.fdopen(fd) as f:
        return f.read()


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KiB tmpfs: a real full disk (needs permission to mount)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({proc.stderr.strip() or 'mount failed'}); the ENOSPC path is covered by the monkeypatched test")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_leaves_the_previous_reports(small_disk):
    target = small_disk / "reports"
    write_whole(target, PREVIOUS)
    with pytest.raises(ReportWriteError, match="the disk is full") as err:
        write_whole(target, {"README.md": "x" * 200_000})
    assert str(target) in str(err.value)
    assert contents(target) == PREVIOUS and sorted(p.name for p in small_disk.iterdir()) == ["reports"]
    shutil.rmtree(target)


@pytest.mark.parametrize("name", ["README.txt", "readme.md"])
def test_a_worksheet_named_readme_does_not_overwrite_the_index(records, name):
    files = render([dict(r, worksheet=name) if r["worksheet"] == WS000 else r for r in records], META, WORKSHEETS)
    page = name.rsplit(".", 1)[0] + ".worksheet.md"
    assert files["README.md"].startswith("# Claim report") and f"]({page})" in files["README.md"]
    assert page in files and "r.chain" in files[page]
