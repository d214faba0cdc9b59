"""The relay's outgoing event queue: FIFO, awaitable, and able to drop stale audio.

``asyncio.Queue`` cannot remove queued items; barge-in must drop assistant audio the
shell has not taken yet, so this small queue exists.
"""

from __future__ import annotations

import asyncio
from collections import deque

from workbench.relay.events import AudioOut, RelayEvent


class Outbox:
    """Unbounded FIFO of relay events for one consumer."""

    def __init__(self) -> None:
        self._items: deque[RelayEvent] = deque()
        self._ready = asyncio.Event()

    def put(self, event: RelayEvent) -> None:
        """Append one event (never blocks)."""
        self._items.append(event)
        self._ready.set()

    async def get(self) -> RelayEvent:
        """Wait for and remove the oldest event."""
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()

    def drop_audio(self, item_id: str) -> int:
        """Remove queued ``AudioOut`` of ``item_id``; returns how many were dropped."""
        kept = [e for e in self._items if not (isinstance(e, AudioOut) and e.item_id == item_id)]
        dropped = len(self._items) - len(kept)
        self._items = deque(kept)
        return dropped

    def __len__(self) -> int:
        return len(self._items)
