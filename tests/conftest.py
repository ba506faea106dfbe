"""The claim engine's pytest plugin: profiles, per-claim items, reports/."""

pytest_plugins = ["claims.engine.plugin"]
