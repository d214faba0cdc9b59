"""The event-loop lag monitor: the pure window on made-up times, the task on a virtual
clock (a stall is simulated by moving time while nothing else runs), and once on the
real loop with a real blocking call."""

from __future__ import annotations

import asyncio
import time

import pytest

from workbench.clock import VirtualClock
from workbench.errors import ConfigError
from workbench.runtime.loop_lag import LagWindow, LoopLagMonitor


def test_window_reports_max_p99_and_last() -> None:
    window = LagWindow(window_ms=10_000.0)
    for i in range(200):
        window.add(float(i), float(i + 1))  # lags 1 … 200 ms
    stats = window.stats(200.0)
    assert stats.samples == 200
    assert stats.max_ms == 200.0
    assert stats.p99_ms == 198.0  # nearest rank: the 198th of 200 sorted values
    assert stats.last_ms == 200.0


def test_window_forgets_samples_older_than_the_window() -> None:
    window = LagWindow(window_ms=1000.0)
    window.add(0.0, 80.0)
    window.add(900.0, 1.0)
    assert window.stats(900.0).max_ms == 80.0
    stats = window.stats(1500.0)  # the 80 ms stall was 1.5 s ago
    assert (stats.samples, stats.max_ms) == (1, 1.0)
    assert window.stats(5000.0).max_ms is None


def test_window_memory_is_bounded_whatever_the_time_stamps() -> None:
    window = LagWindow(window_ms=1e12, max_samples=50)
    for i in range(10_000):
        window.add(0.0, float(i))  # a clock stuck at 0: nothing ever expires by time
    assert window.stats(0.0).samples == 50


def test_early_timer_counts_as_no_lag() -> None:
    window = LagWindow()
    window.add(10.0, -0.3)
    assert window.stats(10.0).max_ms == 0.0


@pytest.mark.parametrize(
    ("interval_ms", "window_ms"), [(0.0, 1000.0), (-5.0, 1000.0), (float("nan"), 10.0), (50, 10)]
)
def test_bad_settings_are_refused(interval_ms: float, window_ms: float) -> None:
    with pytest.raises(ConfigError):
        LoopLagMonitor(interval_ms=interval_ms, window_ms=window_ms)


async def test_monitor_sees_a_stall_on_virtual_time() -> None:
    clock = VirtualClock()
    async with LoopLagMonitor(interval_ms=10.0, window_ms=1000.0, clock=clock) as monitor:
        await clock.sleep_until(5.0)
        clock.advance(40.0)  # the loop is busy from t=5 to t=45: the probe due at 10 waits
        await clock.sleep_until(300.0)
        stats = monitor.stats()
        assert stats.max_ms == 35.0
        assert stats.last_ms == 0.0  # later probes were on time
        assert stats.samples == monitor.probes > 20
        await clock.sleep_until(2000.0)  # the stall leaves the 1 s window
        assert monitor.stats().max_ms == 0.0
    assert not monitor.running


async def test_monitor_measures_a_real_blocking_call() -> None:
    monitor = LoopLagMonitor(interval_ms=5.0)
    monitor.start()
    try:
        await asyncio.sleep(0)  # the probe has started sleeping: due at most 5 ms from now
        _block_loop(0.05)  # what a blocking call on the loop does to every task
        await asyncio.sleep(0.02)  # the overdue probe runs as soon as the loop is free
        max_ms = monitor.stats().max_ms
        assert max_ms is not None and max_ms >= 45.0  # due ≤ 5 ms in, woke after 50 ms
    finally:
        await monitor.aclose()
    assert not monitor.running


def _block_loop(seconds: float) -> None:
    time.sleep(seconds)


async def test_start_is_idempotent_and_close_is_safe_twice() -> None:
    monitor = LoopLagMonitor(interval_ms=1.0, clock=VirtualClock())
    monitor.start()
    first = monitor.running
    monitor.start()
    await monitor.aclose()
    await monitor.aclose()
    assert first and not monitor.running
