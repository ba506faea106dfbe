"""Hypothesis profiles: how hard a run looks, chosen by --claims-profile or CLAIMS_PROFILE."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from hypothesis import HealthCheck, Phase, settings
from hypothesis.database import DirectoryBasedExampleDatabase


@dataclass(frozen=True)
class Profile:
    """Examples per sampled claim, instances per example, mpmath spot checks, time limit.

    ``batched_examples`` (default: ``examples``) is the number of examples of a claim whose
    examples are batches of ``batch`` instances; ``examples`` applies where the case is the instance.
    """

    name: str
    examples: int
    batch: int
    spot_checks: int
    time_limit_s: float
    derandomize: bool
    batched_examples: int | None = None
    # Shrink a find and describe it (reduced inputs, both sides, the certificate); a negative
    # control needs only its verdict, which the twin has already certified.
    describe: bool = True
    # A claim whose cases are a grid of at most this many structures checks every one of them
    # (claims.strategies.grid), sharing out the same total of instances; larger grids are sampled.
    sweep: int = 0

    def verdict_only(self) -> Profile:
        """The same search without shrinking or describing a find (for negative controls)."""
        return replace(self, describe=False)

    def examples_for(self, batched: bool) -> int:
        """Hypothesis examples for a claim with (True) or without an instance builder."""
        return self.batched_examples if batched and self.batched_examples is not None else self.examples

    def hypothesis_settings(self, batched: bool = False) -> settings:
        return settings(
            max_examples=self.examples_for(batched),
            derandomize=self.derandomize,
            database=None if self.derandomize else DirectoryBasedExampleDatabase(".hypothesis/examples"),
            deadline=None,
            print_blob=False,
            # No "explain" phase: it re-runs a failing batch many times to annotate lines we
            # never print; the counterexample is extracted and explained by the engine.
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target] + ([Phase.shrink] if self.describe else []),
            # Slow or large examples are expected here (batches of models); an unsatisfiable
            # strategy still fails through filter_too_much and Unsatisfiable.
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.data_too_large,
                HealthCheck.large_base_example,
            ],
        )


PROFILES = {
    # Deterministic gate: 16 batches of 800 instances = 12,800 instances per sampled claim (a batch
    # shares its case's structure: Hypothesis' cost is per batch, NumPy's hardly grows with it);
    # 200 examples where the case is the one instance.
    "ci": Profile("ci", examples=200, batch=800, spot_checks=5, time_limit_s=120, derandomize=True, batched_examples=16,
                  sweep=64),
    # 250 batches of 4,000 = 10^6 instances per sampled claim (78x ci), 4,000 examples where the
    # case is the instance, 4x the spot checks, fresh randomness, examples remembered in .hypothesis/.
    "thorough": Profile("thorough", examples=4000, batch=4000, spot_checks=20, time_limit_s=1800, derandomize=False,
                        batched_examples=250, sweep=64),
    # For editing a claim: a few seconds for the whole catalogue.
    "quick": Profile("quick", examples=25, batch=16, spot_checks=2, time_limit_s=60, derandomize=False),
    # Negative controls in tests/: deterministic and small; a wrong variant fails fast.
    # Batched claims: 5 batches of 384 (the same 1,920 instances as 60 x 32, a twelfth of the draws).
    "control": Profile("control", examples=60, batch=384, spot_checks=1, time_limit_s=60, derandomize=True, batched_examples=5),
}
ENV_VAR = "CLAIMS_PROFILE"
# The interval twin starts at 200 bits (about 60 digits) and rises as far as its enclosures ask,
# up to 32,768 bits (about 9,860 digits): enough for e^-3000 beside 1, or 1e-300 beside 1e300.
START_BITS = 200
CAP_BITS = 32768


def digits(bits: int) -> int:
    """Decimal digits of a binary precision."""
    return int(bits * 0.30103)


def profile_named(name: str | None) -> Profile:
    """The named profile, else $CLAIMS_PROFILE, else ci; an unknown name says what exists."""
    chosen = name or os.environ.get(ENV_VAR) or "ci"
    if chosen not in PROFILES:
        raise ValueError(
            f"unknown claims profile '{chosen}' (from {'--claims-profile' if name else ENV_VAR}); "
            f"choose one of {', '.join(PROFILES)}"
        )
    return PROFILES[chosen]
