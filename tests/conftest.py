"""The claim engine's pytest plugin: profiles, per-claim items, reports/."""

from typing import Any

from claims.engine import warm

pytest_plugins = ["claims.engine.plugin"]


def pytest_addoption(parser: Any, pluginmanager: Any) -> None:
    # The first hook pytest calls here, before the plugin above is imported: under -n N the warm
    # workers' zygote imports the engine while this process does (claims/engine/warm.py).
    warm.start(pluginmanager.get_plugin("pytestconfig"))
