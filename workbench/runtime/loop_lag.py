"""Event-loop lag: how late the loop wakes a timer, as max and p99 over a sliding window.

A task sleeps ``interval_ms``, then compares when it woke with when it asked to: the
difference is the time the loop spent on something else (a blocking call, a GC pass, a
burst of callbacks) while a timer was due. Every live session on that loop was stalled
for as long.

Two parts, as everywhere in the workbench: :class:`LagWindow` is the pure core (samples
in with their time stamps, statistics out; tested on made-up times), and
:class:`LoopLagMonitor` is the thin asyncio task around it, its clock injected (a
:class:`~workbench.clock.VirtualClock` in tests, the monotonic clock in servers).

Cost: one timer wake-up per ``interval_ms`` (40 per second at the default 25 ms) and a
deque append; statistics are computed only when read (a sort of at most
``window_ms / interval_ms`` floats, e.g. on a ``/metrics`` scrape).

The resolution: a stall of ``L`` ms that covers a due time shows up as a lag of up to
``L`` ms; stalls shorter than ``interval_ms`` may fall between two due times and be
missed or under-reported. Pick a smaller interval in benchmarks that look for
millisecond stalls.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections import deque
from dataclasses import dataclass
from types import TracebackType

from workbench.clock import Clock, MonotonicClock
from workbench.errors import ConfigError

#: Default time between two probes (ms).
DEFAULT_INTERVAL_MS = 25.0
#: Default span of the statistics (ms): one minute, longer than a Prometheus scrape.
DEFAULT_WINDOW_MS = 60_000.0


@dataclass(frozen=True, slots=True)
class LagStats:
    """Event-loop lag over the last ``window_ms`` (None while there are no samples).

    Attributes
    ----------
    window_ms : float
        Span the statistics cover (ms).
    samples : int
        Probes in the window.
    max_ms, p99_ms, last_ms : float | None
        Largest, 99th-percentile (nearest rank) and most recent lag (ms, >= 0).
    """

    window_ms: float
    samples: int
    max_ms: float | None
    p99_ms: float | None
    last_ms: float | None


class LagWindow:
    """Lag samples of the last ``window_ms``; pure, no clock of its own.

    Parameters
    ----------
    window_ms : float
        Samples older than this (relative to the newest time stamp seen) are dropped (ms).
    max_samples : int
        Hard cap on kept samples, whatever the time stamps say (memory bound).

    Examples
    --------
    >>> w = LagWindow(window_ms=1000.0)
    >>> w.add(0.0, 1.0); w.add(500.0, 30.0); w.add(1200.0, 2.0)
    >>> w.stats(1200.0).max_ms  # the sample at t=0 left the window
    30.0
    """

    def __init__(self, window_ms: float = DEFAULT_WINDOW_MS, max_samples: int = 100_000) -> None:
        if not (math.isfinite(window_ms) and window_ms > 0):
            raise ConfigError(f"window_ms must be a positive number, got {window_ms!r}")
        if max_samples < 1:
            raise ConfigError(f"max_samples must be >= 1, got {max_samples!r}")
        self.window_ms = float(window_ms)
        self._samples: deque[tuple[float, float]] = deque(maxlen=max_samples)

    def add(self, t_ms: float, lag_ms: float) -> None:
        """Record a lag of ``lag_ms`` observed at time ``t_ms`` (ms; negative lag → 0).

        A timer can fire a hair early (clock resolution); that is no lag, so it is
        recorded as 0 rather than skewing the statistics below zero.
        """
        self._samples.append((t_ms, max(0.0, lag_ms)))
        self._evict(t_ms)

    def stats(self, now_ms: float) -> LagStats:
        """Max, p99 and last lag of the samples within ``window_ms`` before ``now_ms``."""
        self._evict(now_ms)
        lags = [lag for _, lag in self._samples]
        if not lags:
            return LagStats(self.window_ms, 0, None, None, None)
        ordered = sorted(lags)
        rank = math.ceil(0.99 * len(ordered)) - 1  # nearest rank: a value that occurred
        return LagStats(self.window_ms, len(lags), ordered[-1], ordered[rank], lags[-1])

    def clear(self) -> None:
        """Forget every sample (e.g. at the start of a measured phase)."""
        self._samples.clear()

    def _evict(self, now_ms: float) -> None:
        oldest_kept_ms = now_ms - self.window_ms
        while self._samples and self._samples[0][0] < oldest_kept_ms:
            self._samples.popleft()


class LoopLagMonitor:
    """A task that probes the running event loop's lag every ``interval_ms``.

    Parameters
    ----------
    interval_ms : float
        Time between probes (ms). Smaller catches shorter stalls and costs more wake-ups.
    window_ms : float
        Span of :meth:`stats` (ms).
    clock : Clock | None
        Time source and sleeper (default: the monotonic clock, i.e. ``asyncio.sleep``).

    Use ``async with LoopLagMonitor() as monitor:`` or :meth:`start` / :meth:`aclose`
    (a server's lifespan): the monitor owns its task and cancels it on close.
    """

    def __init__(
        self,
        interval_ms: float = DEFAULT_INTERVAL_MS,
        window_ms: float = DEFAULT_WINDOW_MS,
        clock: Clock | None = None,
    ) -> None:
        if not (math.isfinite(interval_ms) and interval_ms > 0):
            raise ConfigError(f"interval_ms must be a positive number, got {interval_ms!r}")
        if not (math.isfinite(window_ms) and window_ms >= interval_ms):
            raise ConfigError(
                f"window_ms must be >= interval_ms ({interval_ms!r}), got {window_ms!r}"
            )
        self.interval_ms = float(interval_ms)
        self.clock: Clock = clock if clock is not None else MonotonicClock()
        # Each probe sleeps a full interval, so a window never holds more than this.
        self.window = LagWindow(window_ms, max_samples=int(window_ms / interval_ms) + 2)
        self.probes = 0
        self._task: asyncio.Task[None] | None = None

    def stats(self) -> LagStats:
        """Lag statistics of the last ``window_ms``, as of now."""
        return self.window.stats(self.clock.now_ms())

    @property
    def running(self) -> bool:
        """Whether the probe task is alive."""
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start probing on the running loop (idempotent).

        Raises
        ------
        RuntimeError
            When called outside a running event loop.
        """
        if self.running:
            return
        self._task = asyncio.get_running_loop().create_task(self.run(), name="loop-lag-monitor")

    async def run(self) -> None:
        """Probe until cancelled: sleep until due, record how late the wake-up was."""
        while True:
            due_ms = self.clock.now_ms() + self.interval_ms
            await self.clock.sleep_until(due_ms)
            woke_ms = self.clock.now_ms()
            self.window.add(woke_ms, woke_ms - due_ms)
            self.probes += 1

    async def aclose(self) -> None:
        """Stop probing (waits for the task to finish cancelling)."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def __aenter__(self) -> LoopLagMonitor:
        self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
