"""True derivatives of any function written against ``ops``, for claim authors.

Forward-mode differentiation (``models.dual``): in float64 exact to rounding, in the interval
twin a rigorous enclosure of the derivative; no step size anywhere. At a kink (relu, abs) the
result is the one-sided derivative in the direction given: ``derivative(f, x, ops, -1)`` is minus
the left derivative. A function written with NumPy calls outside ``ops`` (np.exp, np.stack on
values) is not differentiated: use the ``ops`` functions and arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from models.dual import directional

Function = Callable[[Any, Any], Any]


def derivative(f: Function, x: Any, ops: Any, direction: Any = 1.0) -> Any:
    """The directional derivative of f(x, ops) at x along ``direction`` (a scalar or x's shape).

    For scalar x and direction 1 this is f'(x) (the right derivative at a kink; direction -1
    gives minus the left derivative).
    """
    return directional(f, x, x * 0 + direction, ops)


def jacobian(f: Function, x: Any, ops: Any) -> Any:
    """The Jacobian of f at x (..., n): entries [..., i, k] = d f_i / d x_k (one pass per input k)."""
    n = np.shape(x)[-1]
    eye = np.eye(n, dtype=int)
    columns = [directional(f, x, x * 0 + eye[k], ops) for k in range(n)]
    return np.stack([np.asarray(c, dtype=np.asarray(c).dtype) for c in columns], axis=-1)


def gradient(f: Function, x: Any, ops: Any) -> Any:
    """The gradient of a scalar f at x (..., n): entry k is d f / d x_k."""
    n = np.shape(x)[-1]
    eye = np.eye(n, dtype=int)
    return np.stack([np.asarray(directional(f, x, x * 0 + eye[k], ops)) for k in range(n)], axis=-1)
