"""Latency percentiles as the evaluation and benchmark commands print them.

Nearest rank, not interpolation: every figure printed is a time some message really took.
"""

from __future__ import annotations

import math
from typing import Sequence


def nearest_rank_percentile(values: Sequence[float], percent: float) -> float:
    """The nearest-rank percentile: the smallest value at least `percent`% of values do not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]
