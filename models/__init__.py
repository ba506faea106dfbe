"""Reference models for the worksheets: NumPy forward and hand-written backward passes.

Every function takes an ``ops`` backend: ``F64`` (float64 NumPy, batched over leading axes)
or ``MP`` (the mpmath twin: one instance as object arrays of ``mpf``). Models know nothing of
Hypothesis, pytest or the claim engine.
"""

from models.ops import F64, IV, MP, Ops

__all__ = ["F64", "IV", "MP", "Ops"]
