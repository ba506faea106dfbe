"""Where a run's time goes: seconds per phase in this process, for the benchmark (never part of a verdict).

Phases: ``hypothesis`` (drawing cases, Hypothesis' own bookkeeping and shrinking), ``instances``
(the claim's instance builder), ``screen`` (float64 and its reruns) and ``twin`` (interval decisions
and spot checks). Time inside a claim's item that is none of these (negative controls included in
their own phases) is ``other`` in the benchmark's account.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

PHASES = ("hypothesis", "instances", "screen", "twin")


class Clock:
    """Seconds spent per phase; phases never nest (Hypothesis is charged what the others leave)."""

    def __init__(self) -> None:
        self.spent = dict.fromkeys(PHASES, 0.0)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.spent[name] += time.perf_counter() - start

    def charged(self, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator: every call of the function is charged to ``name``."""
        def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
            @wraps(fn)
            def timed(*args: Any, **kwargs: Any) -> Any:
                with self.phase(name):
                    return fn(*args, **kwargs)
            return timed
        return wrap

    @contextmanager
    def remainder(self, name: str) -> Iterator[None]:
        """Charge ``name`` the block's time minus what other phases were charged inside it."""
        before, start = sum(self.spent.values()), time.perf_counter()
        try:
            yield
        finally:
            inner = sum(self.spent.values()) - before
            self.spent[name] += time.perf_counter() - start - inner

    def since(self, before: dict[str, float]) -> dict[str, float]:
        return {k: round(self.spent[k] - before.get(k, 0.0), 4) for k in PHASES}


CLOCK = Clock()
