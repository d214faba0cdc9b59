"""The runtime's health as Prometheus metrics, read at scrape time.

Collectors (not gauges set from a task), so a scrape always shows the current window
and nothing runs between scrapes::

    registry.register(LoopLagCollector(monitor))
    registry.register(GcPauseCollector(recorder))

Exposed (one process; aggregating across ``--workers`` is the caller's business):

- ``workbench_loop_lag_ms{stat="max"|"p99"}``: event-loop lag over the monitor's window;
- ``workbench_loop_lag_samples``: probes in that window (0 means the monitor is stalled
  or not started, and the lag values are absent);
- ``workbench_gc_pause_ms{generation="0"|"1"|"2", stat="max"|"p99"}`` over the
  recorder's kept pauses, and ``workbench_gc_collections_total{generation}``.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from workbench.runtime.gc_tuning import GcPauseRecorder, pause_stats
from workbench.runtime.loop_lag import LoopLagMonitor

LOOP_LAG_METRIC = "workbench_loop_lag_ms"
LOOP_LAG_SAMPLES_METRIC = "workbench_loop_lag_samples"
GC_PAUSE_METRIC = "workbench_gc_pause_ms"
GC_COLLECTIONS_METRIC = "workbench_gc_collections"


class LoopLagCollector(Collector):
    """``workbench_loop_lag_ms{stat}`` and ``workbench_loop_lag_samples`` of one monitor."""

    def __init__(self, monitor: LoopLagMonitor) -> None:
        self.monitor = monitor

    def collect(self) -> Iterator[Metric]:
        """Yield the lag metrics as of now."""
        stats = self.monitor.stats()
        window_s = stats.window_ms / 1000.0
        lag = GaugeMetricFamily(
            LOOP_LAG_METRIC,
            f"Event-loop lag: how late a timer fired, over the last {window_s:g} s (ms).",
            labels=["stat"],
        )
        for stat, value in (("max", stats.max_ms), ("p99", stats.p99_ms)):
            if value is not None:
                lag.add_metric([stat], value)
        yield lag
        yield GaugeMetricFamily(
            LOOP_LAG_SAMPLES_METRIC,
            f"Event-loop lag probes in the last {window_s:g} s.",
            value=stats.samples,
        )


class GcPauseCollector(Collector):
    """``workbench_gc_pause_ms{generation,stat}`` and ``workbench_gc_collections_total``."""

    def __init__(self, recorder: GcPauseRecorder) -> None:
        self.recorder = recorder

    def collect(self) -> Iterator[Metric]:
        """Yield the GC pause metrics as of now."""
        pauses = GaugeMetricFamily(
            GC_PAUSE_METRIC,
            "Garbage-collection pauses over the recently kept collections (ms).",
            labels=["generation", "stat"],
        )
        collections = CounterMetricFamily(
            GC_COLLECTIONS_METRIC,
            "Garbage collections timed, by generation.",
            labels=["generation"],
        )
        kept = list(self.recorder.pauses)
        for generation in range(3):
            stats = pause_stats([p.pause_ms for p in kept if p.generation == generation])
            for stat in ("max", "p99"):
                value = stats[f"{stat}_ms"]
                if value is not None:
                    pauses.add_metric([str(generation), stat], float(value))
            count = self.recorder.count_by_generation[generation]
            collections.add_metric([str(generation)], count)
        yield pauses
        yield collections
