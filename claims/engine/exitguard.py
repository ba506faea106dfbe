"""A check that ends its own process must not end a serial run with a false status.

Under xdist (the shipped settings) such a check kills only its worker and becomes an ``error``
row. In a serial run (``-n 0``) the check's process is the whole run: ``os._exit(0)`` would end
it with status 0 and no reports, which reads as a pass. While a claim runs in the main process,
``os._exit`` therefore raises instead, and the claim is an ``error``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class CheckExited(BaseException):
    """The check called os._exit (a BaseException, so the engine's own handlers do not hide it)."""


@contextmanager
def exit_guard(config: Any) -> Iterator[None]:
    """In a serial run, turn ``os._exit`` inside a claim into CheckExited; on a worker, change nothing."""
    if hasattr(config, "workerinput"):
        yield
        return
    real = os._exit

    def refuse(code: int) -> None:
        raise CheckExited(f"the check called os._exit({code}), which would have ended the whole run with status {code}")

    os._exit = refuse
    try:
        yield
    finally:
        os._exit = real
