"""Batches of model instances: built from a Hypothesis case, sliced, lifted to mpmath, reduced."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from models.ops import to_iv

# Relative nudges of the float64 screen's second evaluation: a few ulps either way, never zero.
NUDGE_ULPS = np.array([-3, -2, -1, 1, 2, 3])


class Instance(dict):
    """A batch (or one instance) of named values, readable as attributes: ``v.W1``, ``v.eta``.

    ``data`` names the per-instance values (leading batch axis); the rest is shared structure.
    """

    data: frozenset[str] = frozenset()

    def with_values(self, values: dict[str, Any]) -> Instance:
        out = Instance(values)
        out.data = self.data
        return out

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"instance has no value '{name}'; it has {', '.join(self)}") from None


def is_data(value: Any) -> bool:
    """Floats (and float arrays) are per-instance data; ints, strings and tuples are structure."""
    if isinstance(value, (float, np.floating)):
        return True
    if isinstance(value, (list, np.ndarray)):
        arr = np.asarray(value)
        return arr.dtype.kind in "fc" or (arr.dtype.kind in "iub" and isinstance(value, np.ndarray))
    return False


def build_batch(case: dict[str, Any], generate: Any, seed: int, n: int) -> tuple[Instance, int]:
    """The batch for one Hypothesis example, and its size (1 when the case is the instance)."""
    data: dict[str, Any] = {}
    size = 1
    if generate is not None:
        made = generate(Instance(case), np.random.default_rng(seed), n)
        for key, value in made.items():
            data[key] = np.asarray(value)
            size = max(size, data[key].shape[0] if data[key].ndim else 1)
    keys = set(data)
    for key, value in case.items():
        if key in data:
            continue
        if is_data(value):
            data[key] = np.asarray(value, dtype=float)[None]
            keys.add(key)
        else:
            data[key] = value
    batch = Instance(data)
    batch.data = frozenset(keys)
    return batch, size


def pick(batch: Instance, i: int, size: int) -> Instance:
    """Instance ``i`` of a batch, as float64 NumPy values (structure passes through)."""
    out = {}
    for key, value in batch.items():
        if key in batch.data:
            out[key] = value[i if value.shape[0] == size else 0]
        else:
            out[key] = value
    return batch.with_values(out)


def lift_interval(instance: Instance) -> Instance:
    """The same instance as point intervals (exact), for the interval twin."""
    return instance.with_values({k: to_iv(v) if k in instance.data else v for k, v in instance.items()})


def nudged(batch: Instance, seed: int) -> Instance:
    """The batch with every float input moved by a few ulps (each entry its own way).

    Re-evaluating a check on it shows how far rounding can move each computed entry. Whole
    numbers stay (0/1 labels, counts, exact constants): a check may test them for equality.
    """
    rng = np.random.default_rng([seed, 0x5EED])
    out = {}
    for key, value in batch.items():
        if key in batch.data and np.asarray(value).dtype.kind == "f":
            ulps = rng.choice(NUDGE_ULPS, size=np.shape(value))
            with np.errstate(invalid="ignore", over="ignore"):
                out[key] = np.where(value == np.round(value), value, value * (1 + ulps * 2.0**-52))
        else:
            out[key] = value
    return batch.with_values(out)


def in_float32(batch: Instance) -> Instance:
    """The batch with its float inputs rounded to float32 (for the screen's float32 rerun)."""
    return batch.with_values({k: v.astype(np.float32) if k in batch.data and np.asarray(v).dtype.kind == "f" else v for k, v in batch.items()})


def as_batch(instance: Instance) -> Instance:
    """One instance back as a batch of one (for re-screening a reduced counterexample)."""
    return instance.with_values({k: np.asarray(v)[None] if k in instance.data else v for k, v in instance.items()})


def to_plain(instance: Instance) -> dict[str, Any]:
    """JSON-ready values of one instance."""
    from claims.engine.relations import to_json

    return {k: to_json(v) if isinstance(v, (np.ndarray, np.generic, float, int)) else _structure(v) for k, v in instance.items()}


def _structure(value: Any) -> Any:
    if isinstance(value, (str, bool, type(None))):
        return value
    if isinstance(value, (tuple, list)):
        return [_structure(v) for v in value]
    if isinstance(value, (numbers.Real, np.generic)):  # a number keeps its type (a Fraction, an np.float64 in a tuple)
        from claims.engine.relations import to_json

        return to_json(value)
    return repr(value)


def roundings(instance: Instance) -> list[Instance]:
    """Simpler versions of an instance: every float rounded to 1, 2, 3, 4 or 6 significant digits.

    A candidate is offered only if it keeps the sign of every value and the order (ties included)
    of all values, so constraints such as "constant weights" or "sorted inputs" survive.
    """
    keys = [k for k in instance.data if np.asarray(instance[k]).dtype.kind == "f"]
    if not keys:
        return []
    flat = np.concatenate([np.asarray(instance[k], dtype=float).reshape(-1) for k in keys])
    if flat.size > 400:  # too large to read anyway; keep the values as found
        return []
    out = []
    for digits in (1, 2, 3, 4, 6):
        rounded = np.array([float(f"{x:.{digits - 1}e}") if np.isfinite(x) else x for x in flat])
        if np.array_equal(rounded, flat) or not _same_pattern(flat, rounded):
            continue
        cand, at = dict(instance), 0
        for k in keys:
            shape = np.shape(instance[k])
            size = int(np.prod(shape))
            cand[k] = rounded[at : at + size].reshape(shape)
            at += size
        out.append(instance.with_values(cand))
    return out


def _same_pattern(a: np.ndarray, b: np.ndarray) -> bool:
    if not np.array_equal(np.sign(a), np.sign(b)):
        return False
    return np.array_equal(np.sign(a[:, None] - a[None, :]), np.sign(b[:, None] - b[None, :]))
