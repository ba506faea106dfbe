"""The command xdist starts for a warm worker (``python -S warm_relay.py SOCKET -u -c LINE``).

It hands its stdin, stdout and stderr to the zygote (``claims/engine/warm.py``), which forks a
child that becomes the worker, then exits with that child's exit status. Without a zygote it
becomes the fresh interpreter xdist asked for. Only C modules are imported: this runs before
every worker, on the path to its first claim.
"""

import _socket
import array
import marshal
import os
import sys

FORKED = b"F"  # the zygote's reply once a child holds the streams


def main(path: str, args: list[str]) -> None:
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        code = args[args.index("-c") + 1]
        sock.connect(path)
        msg = marshal.dumps({"cwd": os.getcwd(), "env": dict(os.environ), "code": code})
        sock.sendmsg([len(msg).to_bytes(8, "big") + msg], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, array.array("i", [0, 1, 2]))])
        if sock.recv(1) != FORKED:
            raise OSError("the zygote did not fork a worker")
    except (OSError, ValueError, IndexError):
        sock.close()
        os.execv(sys.executable, [sys.executable, *args])
    # The child holds the other end until it exits; its last words are its exit status.
    status = b""
    while chunk := sock.recv(64):
        status += chunk
    os._exit(int(status) if status.lstrip(b"-").isdigit() else 1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
