"""Clocks: one monotonic millisecond time base for timelines, and a virtual one for tests.

Everything that stamps or waits on time takes a :class:`Clock`, so tests and replays
run on virtual time (no sleeps) and production runs on ``time.monotonic``.
"""

from __future__ import annotations

import asyncio
import heapq
import time
from typing import Protocol


class Clock(Protocol):
    """A monotonic time source in milliseconds that can also wait."""

    def now_ms(self) -> float:
        """Current time in ms on this clock's monotonic time base."""
        ...

    async def sleep_until(self, t_ms: float) -> None:
        """Return once ``now_ms() >= t_ms`` (immediately if that is already so)."""
        ...


class MonotonicClock:
    """Wall-clock time from ``time.monotonic`` (ms); waits with ``asyncio.sleep``."""

    def now_ms(self) -> float:
        """Current monotonic time in ms."""
        return time.monotonic() * 1000.0

    async def sleep_until(self, t_ms: float) -> None:
        """Sleep until ``t_ms`` (ms on this clock); returns at once if it is past."""
        delay_s = (t_ms - self.now_ms()) / 1000.0
        if delay_s > 0:
            await asyncio.sleep(delay_s)


class VirtualClock:
    """Virtual time that jumps to the next deadline instead of sleeping.

    Any number of tasks may wait in ``sleep_until``. When every other task on the
    event loop is blocked, time jumps to the earliest pending deadline and that
    sleeper wakes (like trio's ``MockClock(autojump_threshold=0)``). A whole session
    therefore replays in microseconds, in the same order every run. Time never goes
    backwards. Only use it with in-process I/O: a real socket never becomes "ready"
    on virtual time.
    """

    def __init__(self, start_ms: float = 0.0) -> None:
        self._now_ms = start_ms
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = 0
        self._driver: asyncio.Task[None] | None = None

    def now_ms(self) -> float:
        """Current virtual time in ms."""
        return self._now_ms

    def advance(self, delta_ms: float) -> None:
        """Move time forward by ``delta_ms`` (ms, >= 0), waking sleepers now due."""
        if delta_ms < 0:
            raise ValueError(f"cannot move a clock backwards (delta_ms={delta_ms})")
        self._now_ms += delta_ms
        while self._sleepers and self._sleepers[0][0] <= self._now_ms:
            _, _, fut = heapq.heappop(self._sleepers)
            if not fut.done():
                fut.set_result(None)

    async def sleep_until(self, t_ms: float) -> None:
        """Wait until virtual time reaches ``t_ms`` (ms); yields once if already there."""
        if t_ms <= self._now_ms:
            await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._sleepers, (t_ms, self._seq, fut))
        self._seq += 1
        if self._driver is None or self._driver.done():
            self._driver = loop.create_task(self._drive(), name="virtual-clock")
        await fut

    async def _drive(self) -> None:
        loop = asyncio.get_running_loop()
        while self._sleepers:
            await _until_idle(loop)
            while self._sleepers and self._sleepers[0][2].done():
                heapq.heappop(self._sleepers)  # a cancelled sleeper
            if not self._sleepers:
                return
            t_ms, _, fut = heapq.heappop(self._sleepers)
            self._now_ms = max(self._now_ms, t_ms)
            fut.set_result(None)


async def _until_idle(loop: asyncio.AbstractEventLoop, max_spins: int = 10_000) -> None:
    # asyncio has no public "is every task blocked?" query. The loop's ready queue
    # (a CPython implementation detail shared by uvloop) holds the callbacks that can
    # run now; when it holds none but ours, every other task waits on something.
    for _ in range(max_spins):
        await asyncio.sleep(0)
        ready = getattr(loop, "_ready", None)
        if ready is None or len(ready) == 0:
            return
