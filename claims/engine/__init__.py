"""The authoring API: everything a claims module imports.

    from claims.engine import forall, equal, Mutant, Erratum, st

The names live in ``claims.engine.authoring`` and load on first use, so that a process can import
a light engine module (``claims.engine.warm``) without NumPy and Hypothesis.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claims.engine.authoring import *  # noqa: F403


def __getattr__(name: str) -> Any:
    # A submodule's name is left to the import system (``from claims.engine import shard``).
    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is None:
        from claims.engine import authoring

        if name in authoring.__all__:
            globals().update((n, getattr(authoring, n)) for n in authoring.__all__)  # once: no lookups after
            return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
