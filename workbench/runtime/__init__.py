"""Process-level runtime health: event-loop lag and garbage-collection policy.

- :mod:`workbench.runtime.loop_lag`: how late the event loop wakes a timer (max and p99
  over a sliding window), cheap enough to run in every server process.
- :mod:`workbench.runtime.gc_tuning`: the garbage-collection policy of a long-running
  server (``gc.freeze()`` after start-up, thresholds) and a recorder of GC pauses.
- :mod:`workbench.runtime.prometheus`: both as Prometheus collectors.
"""

from workbench.runtime.gc_tuning import GcPauseRecorder, GcPolicy, apply_server_gc_policy
from workbench.runtime.loop_lag import LagStats, LagWindow, LoopLagMonitor

__all__ = [
    "GcPauseRecorder",
    "GcPolicy",
    "LagStats",
    "LagWindow",
    "LoopLagMonitor",
    "apply_server_gc_policy",
]
