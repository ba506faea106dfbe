"""Warm workers (claims/engine/warm.py): under -n N each xdist worker is forked from a zygote that
has imported the engine; the relay xdist starts hands it the worker's streams, or becomes a fresh
interpreter when there is no zygote."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claims.engine import warm

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not warm.available(), reason="warm workers need Linux")


def probe(tmp_path: Path, **extra: str) -> tuple[subprocess.CompletedProcess, list[dict]]:
    out = tmp_path / "probe"
    out.mkdir()
    env = {**{k: v for k, v in os.environ.items() if k != warm.ENV_VAR}, "WARM_PROBE_OUT": str(out), **extra}
    cmd = [sys.executable, "-m", "pytest", "tests/fixtures/warm_probe.py", "-q", "-n", "2", "-p", "no:cacheprovider"]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    return proc, [json.loads(f.read_text()) for f in sorted(out.iterdir())]


def test_parallel_workers_are_forked_from_the_zygote_with_the_workers_environment(tmp_path):
    proc, seen = probe(tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert len(seen) == 4 and all(s["warm"] for s in seen), seen
    assert len({s["warm"] for s in seen}) == 1 and len({s["pid"] for s in seen}) == 2  # one zygote, two workers
    assert all(s["blas_threads"] == "1" and s["cwd"] == str(ROOT) for s in seen)
    # pytest rewrites the asserts of its plugins' modules (Hypothesis, xdist) and warns about any
    # imported before its hook: the zygote imports them through the same hook.
    assert "PytestAssertRewriteWarning" not in proc.stdout + proc.stderr
    assert "warning" not in proc.stdout.splitlines()[-1]


def test_the_switch_turns_warm_workers_off(tmp_path):
    proc, seen = probe(tmp_path, **{warm.ENV_VAR: "0"})
    assert proc.returncode == 0 and len(seen) == 4
    assert not any(s["warm"] for s in seen)


def relay(path: str, code: str, cwd: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-S", str(warm.RELAY), path, "-u", "-c", code]
    return subprocess.run(cmd, cwd=cwd, env={**os.environ, **env}, input=stdin, capture_output=True, text=True, timeout=60)


READ_AND_EXIT = ("import os, sys; from claims.engine import warm; "
                 "print(sys.stdin.readline().upper().strip(), os.getcwd(), os.environ.get('PROBE'), warm.forked_from() is not None); "
                 "sys.exit(7)")


def test_the_relay_and_the_zygote_speak_the_same_reply():
    from claims.engine import warm_relay

    assert warm_relay.FORKED == warm.FORKED  # the relay imports nothing of the engine, so it keeps its own copy


def test_without_a_zygote_the_relay_is_the_fresh_interpreter_xdist_asked_for(tmp_path):
    done = relay(str(tmp_path / "no-such.sock"), READ_AND_EXIT, tmp_path, "hello\n", PROBE="p")
    assert (done.returncode, done.stdout.split()) == (7, ["HELLO", str(tmp_path), "p", "False"])


@pytest.fixture
def zygote(tmp_path):
    path = tmp_path / "z.sock"
    proc = subprocess.Popen([sys.executable, "-c", "from claims.engine.warm import serve; serve()", str(path)],
                            cwd=ROOT, stdin=subprocess.PIPE)
    for _ in range(200):
        if path.exists():
            break
        time.sleep(0.05)
    yield str(path)
    proc.stdin.close()
    assert proc.wait(timeout=30) == 0  # it leaves once the controller lets go


def test_through_the_zygote_a_worker_gets_the_relays_streams_directory_environment_and_exit_status(tmp_path, zygote):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stray:  # a client that sends no streams
        stray.connect(zygote)
        stray.sendall(b"junk")
    done = relay(zygote, READ_AND_EXIT, tmp_path, "hello\n", PROBE="p")
    assert (done.returncode, done.stdout.split()) == (7, ["HELLO", str(tmp_path), "p", "True"])
    crashed = relay(zygote, "import os, signal; os.kill(os.getpid(), signal.SIGKILL)", tmp_path)
    assert crashed.returncode != 0  # killed: the relay cannot exit 0
    raised = relay(zygote, "raise RuntimeError('boom')", tmp_path)
    assert raised.returncode == 1 and "RuntimeError: boom" in raised.stderr


def test_a_worker_forked_with_another_copy_of_the_project_stops_with_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setattr(warm, "_forked_from", 1)
    warm.check()  # this process's own packages are the ones its path finds
    elsewhere = type(sys)("models")
    elsewhere.__file__ = str(tmp_path / "models" / "__init__.py")
    monkeypatch.setitem(sys.modules, "models", elsewhere)
    with pytest.raises(RuntimeError, match=f"{warm.ENV_VAR}=0"):
        warm.check()
    monkeypatch.setattr(warm, "_forked_from", None)
    warm.check()  # a fresh worker imports what its path finds: nothing to compare


def test_a_run_that_ends_in_a_usage_error_leaves_no_zygote_folder(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    cmd = [sys.executable, "-m", "pytest", "tests/test_claims.py", "-n", "2", "-p", "no:cacheprovider", "--claims-profile", "nosuch"]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 4 and "nosuch" in proc.stderr
    assert not list(tmp_path.glob("claims-warm-*"))
