"""The runtime health of one server process, started and stopped with its app.

:class:`ProcessRuntime` owns the process's :class:`~workbench.runtime.loop_lag.LoopLagMonitor`
and :class:`~workbench.runtime.gc_tuning.GcPauseRecorder`. An app starts it in its
lifespan (``async with runtime:``) and exports it:

- one process: :meth:`ProcessRuntime.collectors` on the app's metrics registry, read at
  scrape time;
- several worker processes (prometheus-client's multiprocess mode): a scrape answered
  by one worker cannot call another's collectors, so each worker also publishes the
  same figures every ``publish_interval_s`` into shared gauges
  (:class:`~workbench.runtime.multiproc.RuntimeGauges`), and the scrape aggregates them.

Extra per-process tasks (the worker heartbeat) are handed in as ``tasks`` and owned
here too: started after the monitor, cancelled on exit.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine, Sequence
from types import TracebackType
from typing import Any

from prometheus_client.registry import Collector

from workbench.runtime.gc_tuning import GcPauseRecorder
from workbench.runtime.loop_lag import DEFAULT_INTERVAL_MS, DEFAULT_WINDOW_MS, LoopLagMonitor
from workbench.runtime.prometheus import GcPauseCollector, LoopLagCollector

TaskFactory = Callable[[], Coroutine[Any, Any, None]]


class ProcessRuntime:
    """Loop-lag monitor and GC pause recorder of one server process.

    Parameters
    ----------
    lag_interval_ms : float
        Time between two loop-lag probes (ms).
    lag_window_ms : float
        Span of the lag statistics (ms).
    tasks : sequence of callables
        Coroutine factories run as tasks while the runtime is entered (e.g. a worker's
        heartbeat and metrics publisher); cancelled on exit.
    """

    def __init__(
        self,
        *,
        lag_interval_ms: float = DEFAULT_INTERVAL_MS,
        lag_window_ms: float = DEFAULT_WINDOW_MS,
        tasks: Sequence[TaskFactory] = (),
    ) -> None:
        self.monitor = LoopLagMonitor(interval_ms=lag_interval_ms, window_ms=lag_window_ms)
        self.recorder = GcPauseRecorder(max_pauses=10_000)
        self.task_factories = list(tasks)
        self._tasks: list[asyncio.Task[None]] = []

    def collectors(self) -> list[Collector]:
        """``workbench_loop_lag_ms``, ``workbench_gc_pause_ms`` … as scrape-time collectors."""
        return [LoopLagCollector(self.monitor), GcPauseCollector(self.recorder)]

    @property
    def running(self) -> bool:
        """Whether the monitor is probing."""
        return self.monitor.running

    async def start(self) -> None:
        """Start timing GC passes and probing the loop, then the extra tasks."""
        self.recorder.install()
        self.monitor.start()
        loop = asyncio.get_running_loop()
        for factory in self.task_factories:
            self._tasks.append(loop.create_task(factory(), name="process-runtime"))

    async def aclose(self) -> None:
        """Stop every task, the monitor and the recorder (bounded: 2 s for the tasks)."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(2.0):
                await asyncio.gather(*tasks, return_exceptions=True)
        await self.monitor.aclose()
        self.recorder.uninstall()

    async def __aenter__(self) -> ProcessRuntime:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
