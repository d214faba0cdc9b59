"""An asyncio FIFO whose items come out when a :class:`LinkModel` says they arrive.

The thin I/O edge of the impairment model: ``put`` stamps the send time on the injected
clock and asks the model for the delivery time; ``get`` sleeps on the same clock until
the head item is due. The model delivers in order, so a plain FIFO suffices. With a
``VirtualClock`` nothing sleeps for real.

Memory is bounded like a TCP send buffer: ``put`` waits while more than
``max_buffered_bytes`` are in flight, which is also how a real socket pushes back on a
sender faster than the link.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from workbench.clock import Clock
from workbench.netem.link import Delivery, LinkModel

T = TypeVar("T")

#: Default bound of bytes in flight per direction: Linux's default maximum TCP send
#: buffer (``net.ipv4.tcp_wmem`` max, 4 MiB).
MAX_BUFFERED_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class _Entry(Generic[T]):
    due_ms: float
    size_bytes: int
    item: T


class DelayLine(Generic[T]):
    """Items in, the same items out at their modelled delivery times, in order.

    One producer may call :meth:`put` and one consumer :meth:`get` (or iterate); that
    is the shape of one direction of one connection.

    Parameters
    ----------
    model : LinkModel
        The direction's impairment model (it keeps the link state).
    clock : Clock
        Time base of send stamps and waits.
    max_buffered_bytes : int
        ``put`` waits while the bytes in flight exceed this (one item always fits).
    """

    def __init__(
        self, model: LinkModel, clock: Clock, *, max_buffered_bytes: int = MAX_BUFFERED_BYTES
    ) -> None:
        self.model = model
        self.clock = clock
        self.max_buffered_bytes = max_buffered_bytes
        self._queue: deque[_Entry[T]] = deque()
        self._buffered_bytes = 0
        self._item_ready = asyncio.Event()
        self._space = asyncio.Event()
        self._space.set()
        self._closed = False

    @property
    def buffered_bytes(self) -> int:
        """Bytes put but not yet taken out."""
        return self._buffered_bytes

    def __len__(self) -> int:
        return len(self._queue)

    async def put(self, item: T, size_bytes: int) -> Delivery:
        """Send ``item`` (``size_bytes`` on the wire) now; returns the modelled delivery.

        Waits first while the line holds more than ``max_buffered_bytes``.

        Raises
        ------
        RuntimeError
            After :meth:`close`.
        """
        while self._queue and self._buffered_bytes + size_bytes > self.max_buffered_bytes:
            self._space.clear()
            await self._space.wait()
        if self._closed:
            raise RuntimeError("put() on a closed DelayLine")
        delivery = self.model.deliver(size_bytes, self.clock.now_ms())
        self._queue.append(_Entry(delivery.deliver_ms, size_bytes, item))
        self._buffered_bytes += size_bytes
        self._item_ready.set()
        return delivery

    def close(self) -> None:
        """No more items: :meth:`get` raises ``StopAsyncIteration`` once the line is empty."""
        self._closed = True
        self._item_ready.set()

    async def get(self) -> T:
        """The next item, at its delivery time.

        Raises
        ------
        StopAsyncIteration
            When the line is closed and empty.
        """
        while not self._queue:
            if self._closed:
                raise StopAsyncIteration
            self._item_ready.clear()
            await self._item_ready.wait()
        head = self._queue[0]
        await self.clock.sleep_until(head.due_ms)
        # One consumer: the head is still ours (cancellation above leaves it queued).
        self._queue.popleft()
        self._buffered_bytes -= head.size_bytes
        self._space.set()
        return head.item

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[T]:
        while True:
            try:
                item = await self.get()
            except StopAsyncIteration:
                return
            yield item
