"""Prometheus metrics across worker processes: prometheus-client's multiprocess mode.

With ``--workers N``, a scrape of ``/metrics`` reaches one worker, which must answer
for all. prometheus-client does that when ``PROMETHEUS_MULTIPROC_DIR`` names a directory
*before* it is imported: every counter, gauge and histogram of every process is then a
memory-mapped file there, and :func:`render` merges the files (counters and histograms
summed, dead workers' counts kept; gauges by their ``multiprocess_mode``). The
supervisor creates one such directory per run, sets the variable for its workers, and
calls :func:`mark_dead` when a worker dies (its "live" gauges then stop counting).

What a collector computes at scrape time (event-loop lag, GC pauses) cannot be merged
that way; :class:`RuntimeGauges` republishes it from each worker every second:

- ``workbench_loop_lag_ms{stat}`` and ``workbench_gc_pause_ms{generation,stat}``: the
  largest value of any live worker (``livemax``: one stalled worker is what matters);
- ``workbench_loop_lag_samples``: the smallest probe count of any live worker
  (``livemin``: 0 when any worker's monitor stalled);
- ``workbench_gc_collections_total{generation}``: summed over every worker.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

from workbench.runtime.gc_tuning import pause_stats
from workbench.runtime.process import ProcessRuntime
from workbench.runtime.prometheus import (
    GC_COLLECTIONS_METRIC,
    GC_PAUSE_METRIC,
    LOOP_LAG_METRIC,
    LOOP_LAG_SAMPLES_METRIC,
)

#: The variable prometheus-client reads at import time.
MULTIPROC_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"
#: How often each worker republishes its runtime figures (s).
PUBLISH_INTERVAL_S = 1.0


def multiproc_dir() -> Path | None:
    """The multiprocess directory this process writes its metrics to (None: one process)."""
    value = os.environ.get(MULTIPROC_DIR_ENV)
    return Path(value) if value else None


def render(path: Path) -> bytes:
    """Every worker's metrics in ``path``, merged, as Prometheus text."""
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(path))  # type: ignore[no-untyped-call]
    return generate_latest(registry)


def mark_dead(pid: int, path: Path) -> None:
    """A worker died: drop its ``live*`` gauges (its counters keep counting in totals)."""
    mark_process_dead(pid, str(path))  # type: ignore[no-untyped-call]


class RuntimeGauges:
    """One worker's runtime figures as multiprocess metrics (see the module docstring).

    Parameters
    ----------
    runtime : ProcessRuntime
        The worker's monitor and GC recorder.
    """

    def __init__(self, runtime: ProcessRuntime) -> None:
        self.runtime = runtime
        window_s = runtime.monitor.window.window_ms / 1000.0
        # registry=None: in multiprocess mode the value lives in the shared files.
        self.lag = Gauge(
            LOOP_LAG_METRIC,
            f"Event-loop lag: how late a timer fired, over the last {window_s:g} s (ms; "
            "the largest of any live worker).",
            ["stat"],
            registry=None,
            multiprocess_mode="livemax",
        )
        self.samples = Gauge(
            LOOP_LAG_SAMPLES_METRIC,
            f"Event-loop lag probes in the last {window_s:g} s (the fewest of any worker).",
            registry=None,
            multiprocess_mode="livemin",
        )
        self.gc_pause = Gauge(
            GC_PAUSE_METRIC,
            "Garbage-collection pauses over the recently kept collections (ms; the largest "
            "of any live worker).",
            ["generation", "stat"],
            registry=None,
            multiprocess_mode="livemax",
        )
        self.gc_collections = Counter(
            GC_COLLECTIONS_METRIC,
            "Garbage collections timed, by generation.",
            ["generation"],
            registry=None,
        )
        self._published_collections = [0, 0, 0]

    def publish(self) -> None:
        """Write the current figures (cheap: a sort of the lag window, a few file writes)."""
        stats = self.runtime.monitor.stats()
        for stat, value in (("max", stats.max_ms), ("p99", stats.p99_ms)):
            self.lag.labels(stat=stat).set(value if value is not None else 0.0)
        self.samples.set(stats.samples)
        recorder = self.runtime.recorder
        kept = list(recorder.pauses)
        for generation in range(3):
            pauses = pause_stats([p.pause_ms for p in kept if p.generation == generation])
            for stat in ("max", "p99"):
                value = pauses[f"{stat}_ms"]
                label = self.gc_pause.labels(generation=str(generation), stat=stat)
                label.set(float(value) if value is not None else 0.0)
            count = recorder.count_by_generation[generation]
            delta = count - self._published_collections[generation]
            if delta > 0:
                self.gc_collections.labels(generation=str(generation)).inc(delta)
                self._published_collections[generation] = count

    async def run(self, interval_s: float = PUBLISH_INTERVAL_S) -> None:
        """Publish every ``interval_s`` until cancelled."""
        while True:
            self.publish()
            await asyncio.sleep(interval_s)
