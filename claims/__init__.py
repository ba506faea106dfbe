"""The claim catalogue: one module per worksheet topic, loaded in file-name order.

Importing ``claims`` loads every catalogue module; a module that fails to import is recorded
(and later reported as an error) rather than hiding its claims.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import traceback
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claims.engine.declare import Registry

_loaded = False
# Extra catalogue modules (importable names, comma-separated): a course's own claims, or tests.
EXTRA_ENV = "CLAIMS_EXTRA_MODULES"


def load() -> Registry:
    """Import every catalogue module once and validate the cross-references between claims."""
    from claims.engine.declare import REGISTRY

    global _loaded
    if not _loaded:
        _loaded = True
        names = [
            f"{__name__}.{info.name}"
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
            if info.name not in ("engine", "worksheets", "strategies") and not info.name.startswith("_")
        ]
        names += [m.strip() for m in os.environ.get(EXTRA_ENV, "").split(",") if m.strip()]
        for name in names:
            try:
                importlib.import_module(name)
            except Exception as exc:
                REGISTRY.load_errors[name] = "".join(traceback.format_exception_only(exc)).strip()
        REGISTRY.validate()
    return REGISTRY


def __getattr__(name: str) -> Any:
    # The registry loads on first use, so that importing a light engine module stays light.
    if name in ("REGISTRY", "Registry"):
        from claims.engine import declare

        return getattr(declare, name)
    raise AttributeError(f"module 'claims' has no attribute {name!r}")
