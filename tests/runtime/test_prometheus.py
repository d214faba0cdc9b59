"""Runtime health in Prometheus text: lag (max, p99) and GC pauses, read at scrape time."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from workbench.clock import VirtualClock
from workbench.runtime.gc_tuning import GcPauseRecorder
from workbench.runtime.loop_lag import LoopLagMonitor
from workbench.runtime.prometheus import GcPauseCollector, LoopLagCollector


def _samples(registry: CollectorRegistry) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = generate_latest(registry).decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_lag_metrics_show_max_and_p99_of_the_window() -> None:
    clock = VirtualClock()
    monitor = LoopLagMonitor(interval_ms=10.0, window_ms=60_000.0, clock=clock)
    for t_ms, lag_ms in ((10.0, 0.5), (20.0, 7.0), (30.0, 1.0)):
        monitor.window.add(t_ms, lag_ms)
    registry = CollectorRegistry()
    registry.register(LoopLagCollector(monitor))
    samples = _samples(registry)
    assert samples[("workbench_loop_lag_ms", (("stat", "max"),))] == 7.0
    assert samples[("workbench_loop_lag_ms", (("stat", "p99"),))] == 7.0
    assert samples[("workbench_loop_lag_samples", ())] == 3


def test_no_probes_yet_means_no_lag_values_and_zero_samples() -> None:
    registry = CollectorRegistry()
    registry.register(LoopLagCollector(LoopLagMonitor(clock=VirtualClock())))
    samples = _samples(registry)
    assert samples == {("workbench_loop_lag_samples", ()): 0}


def test_gc_metrics_per_generation() -> None:
    fake_now_s = [0.0]
    recorder = GcPauseRecorder(clock_s=lambda: fake_now_s[0])
    for generation, pause_s in ((0, 0.001), (0, 0.002), (2, 0.090)):
        recorder.on_gc("start", {"generation": generation})
        fake_now_s[0] += pause_s
        recorder.on_gc("stop", {"generation": generation, "collected": 3})
    registry = CollectorRegistry()
    registry.register(GcPauseCollector(recorder))
    samples = _samples(registry)
    assert samples[
        ("workbench_gc_pause_ms", (("generation", "0"), ("stat", "max")))
    ] == pytest.approx(2.0)
    assert samples[
        ("workbench_gc_pause_ms", (("generation", "2"), ("stat", "p99")))
    ] == pytest.approx(90.0)
    assert ("workbench_gc_pause_ms", (("generation", "1"), ("stat", "max"))) not in samples
    assert samples[("workbench_gc_collections_total", (("generation", "0"),))] == 2
    assert samples[("workbench_gc_collections_total", (("generation", "1"),))] == 0
