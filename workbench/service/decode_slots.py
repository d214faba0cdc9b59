"""The process-wide bound on concurrent decodes, shared by every shell.

Decoding is where input turns into memory: a streamed upload's piece expands to up to
``max_decoded_bytes`` before it is sent on, and a whole clip holds a decoder and its
buffers while it is checked and sent. :class:`DecodeSlots` lets at most
``max_concurrent_decodes`` of them run at once (the File tab, both upload routes and the
CLI take a slot through the service); one more waits up to ``decode_wait_s`` for a slot
and is then refused with 503 ``too_many_decodes`` and ``Retry-After``, before it
allocates anything.

Hand-written instead of ``asyncio.Semaphore``: one service serves several event loops
over its life (tests, the CLI), and a semaphore binds to the first loop that waits on it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator

from workbench.service.limits import too_many_decodes
from workbench.service.metrics import ServiceMetrics
from workbench.settings import ServerSettings


class DecodeSlots:
    """At most ``server.max_concurrent_decodes`` decodes at once, in arrival order.

    Parameters
    ----------
    server : ServerSettings
        ``max_concurrent_decodes`` and ``decode_wait_s``.
    metrics : ServiceMetrics
        Counts refusals (``rejected_total{code="too_many_decodes"}``) and slots in use.
    """

    def __init__(self, server: ServerSettings, metrics: ServiceMetrics) -> None:
        self.server = server
        self.metrics = metrics
        self.in_use = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._held: dict[asyncio.Task[object] | None, int] = {}  # task → nesting depth

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one slot for the ``async with`` body (re-entrant: a task that holds one
        already, say a route that took it before opening its session, takes no second).

        Raises
        ------
        LimitError
            ``too_many_decodes`` (503, ``retry_after_s``) when no slot frees up within
            ``decode_wait_s``.
        """
        await self.acquire()
        try:
            yield
        finally:
            self.release()

    async def acquire(self) -> None:
        """Take a slot for the current task, waiting up to ``decode_wait_s`` (see
        :meth:`slot`); every ``acquire`` needs its ``release`` in the same task."""
        task = asyncio.current_task()
        if self._held.get(task):
            self._held[task] += 1
            return
        await self._acquire()
        self._held[task] = 1

    async def _acquire(self) -> None:
        if self.in_use < self.server.max_concurrent_decodes and not self._waiters:
            self._take()
            return
        if self.server.decode_wait_s > 0:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                async with asyncio.timeout(self.server.decode_wait_s):
                    await waiter
                return  # handed over by release(): in_use already counts it
            except TimeoutError:
                if waiter.done() and not waiter.cancelled():
                    return  # handed over just as the wait ran out
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._give_back()  # handed over to a task that is going away
                raise
            finally:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
        self.metrics.rejected_request("too_many_decodes")
        raise too_many_decodes(self.server)

    def release(self) -> None:
        """Give the current task's slot back (to the longest waiter, if any)."""
        task = asyncio.current_task()
        depth = self._held.get(task, 0)
        if depth > 1:
            self._held[task] = depth - 1
            return
        self._held.pop(task, None)
        self._give_back()

    def _give_back(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot passes on; in_use stays
                return
        self.in_use -= 1
        self.metrics.decodes_active.set(self.in_use)

    def _take(self) -> None:
        self.in_use += 1
        self.metrics.decodes_active.set(self.in_use)
