"""The relay's outgoing event queue: FIFO, awaitable, bounded in audio, able to drop audio.

``asyncio.Queue`` cannot remove queued items; barge-in must drop assistant audio the
shell has not taken yet, so this small queue exists. It is also where a client that
stops reading shows: the model keeps sending, the shell takes nothing. So the queue
counts the assistant audio it holds and, once that passes ``max_audio_ms``, stops
keeping audio (:attr:`Outbox.overflowed`); and it times how long reply audio has waited
while the consumer took nothing (:meth:`Outbox.stalled_ms`). What to do about either is
the owner's policy (the session service ends such a session, ``client_too_slow``).
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Callable

from workbench.relay.events import AudioOut, RelayEvent


class Outbox:
    """FIFO of relay events for one consumer, holding at most ``max_audio_ms`` of audio.

    Parameters
    ----------
    max_audio_ms : float
        Most assistant audio (ms) kept waiting for the consumer; past it the queued
        audio is dropped, later audio too, and :attr:`overflowed` is set. Other events
        (transcripts, errors, the end) are small and always kept.
    now_ms : Callable[[], float] | None
        The relay's clock (ms), to time how long the consumer has taken nothing.
    """

    def __init__(
        self, max_audio_ms: float = math.inf, now_ms: Callable[[], float] | None = None
    ) -> None:
        self._items: deque[RelayEvent] = deque()
        self._ready = asyncio.Event()
        self.max_audio_ms = max_audio_ms
        self._now_ms = now_ms
        self.audio_ms = 0.0  # assistant audio queued now
        self._audio_items = 0
        self.overflowed = False
        self.dropped_audio_ms = 0.0
        # Since when reply audio has waited with nothing taken (None: no audio queued).
        self._audio_waiting_since_ms: float | None = None

    def put(self, event: RelayEvent) -> None:
        """Append one event (never blocks; audio past the bound is dropped)."""
        if type(event) is AudioOut:
            if self.overflowed or self.audio_ms + event.duration_ms > self.max_audio_ms:
                self._overflow(event.duration_ms)
                return
            if not self._audio_items and self._now_ms is not None:
                self._audio_waiting_since_ms = self._now_ms()
            self.audio_ms += event.duration_ms
            self._audio_items += 1
        self._items.append(event)
        self._ready.set()

    async def get(self) -> RelayEvent:
        """Wait for and remove the oldest event."""
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        event = self._items.popleft()
        if type(event) is AudioOut:
            self._audio_items -= 1
            self.audio_ms = self.audio_ms - event.duration_ms if self._audio_items else 0.0
        if self._audio_waiting_since_ms is not None and self._now_ms is not None:
            # The consumer moved: the timer restarts (or stops, with no audio left).
            self._audio_waiting_since_ms = self._now_ms() if self._audio_items else None
        return event

    def stalled_ms(self, now_ms: float) -> float:
        """How long reply audio has waited while the consumer took nothing (ms).

        0 when no audio waits: a shell that sends a whole clip before it reads (the
        upload routes) is not stalled, as no reply is due yet.
        """
        if self._audio_waiting_since_ms is None:
            return 0.0
        return max(0.0, now_ms - self._audio_waiting_since_ms)

    def drop_audio(self, item_id: str) -> int:
        """Remove queued ``AudioOut`` of ``item_id``; returns how many were dropped."""
        kept = [e for e in self._items if not (type(e) is AudioOut and e.item_id == item_id)]
        dropped = len(self._items) - len(kept)
        self._items = deque(kept)
        self._recount()
        return dropped

    def discard_audio(self) -> None:
        """Drop every queued ``AudioOut`` (its consumer is not going to take it)."""
        self.dropped_audio_ms += self.audio_ms
        self._items = deque(e for e in self._items if type(e) is not AudioOut)
        self._recount()

    def _overflow(self, duration_ms: float) -> None:
        # Free what the slow consumer has not taken: it is stale by the time it could be.
        if not self.overflowed:
            self.overflowed = True
            self.discard_audio()
        self.dropped_audio_ms += duration_ms

    def _recount(self) -> None:
        audio = [e.duration_ms for e in self._items if type(e) is AudioOut]
        self.audio_ms, self._audio_items = sum(audio), len(audio)
        if not audio:
            self._audio_waiting_since_ms = None

    def __len__(self) -> int:
        return len(self._items)
