"""Warm xdist workers: under ``-n N`` each worker is forked from one process that has already
imported the engine, instead of being a fresh interpreter that imports it all again.

A fresh worker spent about 0.45 s of a core importing pytest, NumPy, Hypothesis, mpmath and the
engine, and it could only start once the controller had done the same. Here the controller starts
one *zygote* as soon as pytest loads the conftest, before the controller imports the engine; the
zygote imports it meanwhile, on the other core. xdist then starts its usual ``popen`` gateways
through a relay (``warm_relay.py``, no imports) that hands its stdin, stdout and stderr to the
zygote. The zygote forks a child with the relay's environment and directory, and the child runs
the bootstrap line a fresh worker would run. The relay exits with the child's exit status.

xdist, execnet and each worker's pytest session are the ordinary ones. Without a zygote (it
failed, or a worker restarts after the run let it go) a relay becomes a fresh interpreter.
``CLAIMS_WARM_WORKERS=0`` turns warm workers off.

This module imports the standard library only: the controller imports it before anything heavy.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import MutableMapping
from typing import Any

ENV_VAR = "CLAIMS_WARM_WORKERS"
# What the zygote imports for its workers. The plugin and the catalogue are left to each worker:
# they depend on its options and environment.
PRELOAD = (
    "numpy", "numpy.random", "mpmath", "flint", "hypothesis", "hypothesis.strategies", "execnet", "xdist.remote",
    "xdist.looponfail", "pdb", "claims.engine.authoring", "claims.engine.run", "claims.engine.render",
    "claims.engine.baseline", "claims.engine.shard", "claims.engine.anchors", "claims.engine.exitguard",
    "claims.engine.worksheet", "models",
)
# The workers share the cores: an OpenBLAS pool in each spins for cores the other worker is using
# (two busy NumPy processes ran 2.7x slower each here than one alone). NumPy reads these on import.
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
FORKED = b"F"  # told to the relay once a child holds its streams (warm_relay.FORKED is the same byte)
RELAY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "warm_relay.py")

_zygote: dict[str, Any] = {}
_forked_from: int | None = None  # in a warm worker, the zygote's pid (not in the environment: subprocesses are not warm)


def one_blas_thread(env: MutableMapping[str, str]) -> None:
    """One BLAS thread per worker in ``env``; a value already set is kept."""
    for name in BLAS_THREADS:
        env.setdefault(name, "1")


def forked_from() -> int | None:
    """The zygote's pid if this process is a warm worker, else None."""
    return _forked_from


def available() -> bool:
    """Linux only (macOS forbids forking a process that has loaded some of its frameworks), with
    socket.recv_fds (Python 3.9+), unless turned off."""
    return sys.platform.startswith("linux") and hasattr(socket, "recv_fds") and os.environ.get(ENV_VAR, "1") != "0"


def start(config: Any) -> None:
    """Start the zygote if this run will start popen workers (``-n N`` and no ``--tx``).

    Called while pytest loads the conftest: ``config`` is pytest's Config, whose early parse of
    the command line (addopts included) is all there is yet.
    """
    known = getattr(config, "known_args_namespace", None)
    workers = getattr(known, "numprocesses", None)
    if _zygote or not workers or getattr(known, "tx", None) or _in_worker() or not available():
        return
    import atexit
    import subprocess
    import tempfile

    folder = tempfile.mkdtemp(prefix="claims-warm-")
    path = os.path.join(folder, "zygote.sock")
    env = dict(os.environ)
    one_blas_thread(env)  # as the controller sets it for the workers, before NumPy loads in the zygote
    # The zygote imports from the controller's sys.path (pytest has added its ini pythonpath by now).
    proc = subprocess.Popen([sys.executable, "-c", "from claims.engine.warm import serve; serve()", path, *sys.path],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _zygote.update(proc=proc, folder=folder, path=path)
    atexit.register(stop)  # also when the run ends before pytest_unconfigure (a usage error)


def _in_worker() -> bool:
    """An xdist worker (`python -c LINE`, run by the controller) also sees the controller's -n N.

    A pytest run started by a test inside a worker inherits PYTEST_XDIST_WORKER too, but it is a
    controller of its own: its sys.argv names pytest.
    """
    return bool(os.environ.get("PYTEST_XDIST_WORKER")) and sys.argv[:1] == ["-c"]


def use(config: Any) -> None:
    """Send xdist's popen gateways through the relay (the controller's pytest_configure, once xdist set --tx)."""
    if not _zygote:
        return
    import shlex

    specs = list(getattr(config.option, "tx", None) or [])
    relay = shlex.join([sys.executable, "-S", RELAY, _zygote["path"]])
    if not specs or any(s != "popen" for s in specs) or "//" in relay:  # execnet splits a spec on "//"
        stop()  # -n 0, or gateways of another kind: no warm workers
        return
    config.option.tx = [f"popen//python={relay}" for _ in specs]


def stop() -> None:
    """Let the zygote go (it exits when its stdin closes) and remove its socket; its children run on."""
    if not _zygote:
        return
    import shutil

    _zygote.pop("proc").stdin.close()
    shutil.rmtree(_zygote.pop("folder"), ignore_errors=True)
    _zygote.clear()


def serve() -> None:
    """The zygote: listen at once (relays may connect early), import, then fork a child per relay."""
    import gc
    import select
    import signal

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sys.argv[1])
    listener.listen(64)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the controller and the workers
    if len(sys.argv) > 2:
        sys.path[:] = sys.argv[2:]
    _preload()
    gc.collect()
    gc.freeze()  # the children's collections then leave the pages they share with the zygote alone
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the children; relays hear from them
    while True:
        ready, _, _ = select.select([listener, sys.stdin], [], [])
        if sys.stdin in ready and not os.read(sys.stdin.fileno(), 1):
            return  # the controller let go (or is gone)
        if listener in ready:
            _fork_child(listener)


def _preload() -> None:
    """Import PRELOAD as a worker would: the modules pytest rewrites for its plugins through its rewrite hook.

    pytest rewrites the asserts of every module of a plugin's distribution (Hypothesis, xdist), and
    warns about any such module already imported some other way.
    """
    import copy
    import importlib
    import pkgutil

    hook = None
    try:
        from _pytest.config import get_config

        config = get_config()
        config.known_args_namespace = config._parser.parse_known_args([], namespace=copy.copy(config.option))
        config._consider_importhook()
        hook = config.pluginmanager.rewrite_hook
    except Exception:  # a pytest without these internals: preload only what no plugin owns
        pass
    for name in PRELOAD:
        if hook is None and name.split(".")[0] in ("hypothesis", "xdist", "claims"):
            continue
        try:
            module = importlib.import_module(name)
        except Exception:  # a worker that needs it will report why itself
            continue
        if name == "models":  # the NumPy models every catalogue module builds on
            for info in pkgutil.iter_modules(module.__path__, "models."):
                importlib.import_module(info.name)
    if hook is not None and hook in sys.meta_path:
        sys.meta_path.remove(hook)  # each worker's session installs its own


def _fork_child(listener: socket.socket) -> None:
    conn, _ = listener.accept()
    fds: list[int] = []
    try:
        msg = _receive(conn, fds)
    except (OSError, ValueError, EOFError):  # the relay then runs a fresh interpreter itself
        for fd in fds:
            os.close(fd)
        conn.close()
        return
    pid = os.fork()
    if pid == 0:
        listener.close()
        _become_worker(conn, msg, fds)
    for fd in fds:
        os.close(fd)
    try:
        conn.sendall(FORKED)
    finally:
        conn.close()


def _receive(conn: socket.socket, fds: list[int]) -> dict[str, Any]:
    """The relay's cwd, environment and bootstrap line (length-prefixed, marshalled); its streams go to fds.

    Only this user can reach the socket: it lives in a folder made by tempfile.mkdtemp (mode 0700).
    """
    import marshal

    data, received, _, _ = socket.recv_fds(conn, 1 << 16, 3)
    fds.extend(received)
    if len(fds) != 3 or len(data) < 8:
        raise ValueError("a relay sent no streams")
    size = int.from_bytes(data[:8], "big")
    while len(data) < 8 + size:
        chunk = conn.recv(1 << 16)
        if not chunk:
            raise EOFError("a relay hung up")
        data += chunk
    return marshal.loads(data[8:8 + size])


def _become_worker(conn: socket.socket, msg: dict[str, Any], fds: list[int]) -> None:
    """Take the relay's streams, environment and directory and run the bootstrap line; never return."""
    import atexit
    import io
    import signal

    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(msg["cwd"])
        os.environ.clear()
        os.environ.update(msg["env"])
        global _forked_from
        _forked_from = os.getppid()
        sys.argv = ["-c"]
        # as in `python -u -c LINE`: unbuffered stdout and stderr
        sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)))
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), write_through=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), write_through=True)
        exec(compile(msg["code"], "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        # What an interpreter does on exit, short of tearing down the zygote's modules.
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
            conn.sendall(str(code).encode())
        finally:
            os._exit(code)


def check() -> None:
    """In a warm worker: the project's packages the zygote imported must be the ones this worker's
    sys.path finds (xdist gives a worker the controller's sys.path); otherwise stop with what to do."""
    import importlib.machinery

    if _forked_from is None:
        return
    for name in ("claims", "models"):
        loaded = getattr(sys.modules.get(name), "__file__", None)
        spec = importlib.machinery.PathFinder.find_spec(name, sys.path)
        found = os.path.realpath(spec.origin) if spec and spec.origin else None
        if loaded is not None and found != os.path.realpath(loaded):
            raise RuntimeError(
                f"this worker was forked with {name} from {loaded}, but its sys.path finds {found}; "
                f"run with {ENV_VAR}=0 (fresh workers) or from the project's root folder"
            )
