"""Latency statistics: percentiles and the p50/p90/p99 summary every report uses."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of ``values`` with linear interpolation.

    Raises ``ValueError`` for an empty sequence.
    """
    if not values:
        raise ValueError("percentile of an empty sequence")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summarize(values: Iterable[float | None]) -> dict[str, float | int | None]:
    """``{"n", "p50", "p90", "p99", "mean", "max"}`` of the non-None values (ms)."""
    present = [v for v in values if v is not None]
    if not present:
        return {"n": 0, "p50": None, "p90": None, "p99": None, "mean": None, "max": None}
    return {
        "n": len(present),
        "p50": round(percentile(present, 50), 3),
        "p90": round(percentile(present, 90), 3),
        "p99": round(percentile(present, 99), 3),
        "mean": round(sum(present) / len(present), 3),
        "max": round(max(present), 3),
    }
