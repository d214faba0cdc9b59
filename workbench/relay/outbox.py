"""The relay's outgoing event queue: FIFO, awaitable, bounded in audio, able to drop audio.

``asyncio.Queue`` cannot remove queued items; barge-in must drop assistant audio the
shell has not taken yet, so this small queue exists. It is also where a client that
does not read shows: the model keeps sending, the shell takes nothing (or a trickle).
So the queue counts the assistant audio it holds and, once that passes
``max_audio_ms``, stops keeping audio (:attr:`Outbox.overflowed`); and it tells how far
the consumer has fallen behind a reader that takes the waiting reply at
:data:`MIN_TAKE_SPEED_X` of real time (:meth:`Outbox.behind_ms`). What to do about
either is the owner's policy (the session service ends such a session,
``client_too_slow``).
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Callable

from workbench.relay.events import AudioOut, RelayEvent

#: The slowest a consumer may take waiting reply audio (× real time) without falling
#: behind: half real time. Playback needs 1×; a client reading slower than this is not
#: playing the reply, it is holding the session (a read-side slowloris).
MIN_TAKE_SPEED_X = 0.5


class Outbox:
    """FIFO of relay events for one consumer, holding at most ``max_audio_ms`` of audio.

    Parameters
    ----------
    max_audio_ms : float
        Most assistant audio (ms) kept waiting for the consumer; past it the queued
        audio is dropped, later audio too, and :attr:`overflowed` is set. Other events
        (transcripts, errors, the end) are small and always kept.
    now_ms : Callable[[], float] | None
        The relay's clock (ms), to time how the consumer keeps up (without it,
        :meth:`behind_ms` is always 0).
    credit_ms : float
        How far ahead of the minimum pace taking audio quickly can put the consumer
        (ms). 0 (the default): a reader that took everything at once and then stopped
        is behind as soon as it stops, so the owner's limit alone says how long a
        stalled client is kept.
    """

    def __init__(
        self,
        max_audio_ms: float = math.inf,
        now_ms: Callable[[], float] | None = None,
        credit_ms: float = 0.0,
    ) -> None:
        self._items: deque[RelayEvent] = deque()
        self._ready = asyncio.Event()
        self.max_audio_ms = max_audio_ms
        self._now_ms = now_ms
        self.audio_ms = 0.0  # assistant audio queued now
        self._audio_items = 0
        self.overflowed = False
        self.dropped_audio_ms = 0.0
        self.credit_ms = credit_ms
        # A reader at the minimum pace would have taken the waiting audio up to this
        # time (ms); None while no audio waits.
        self._paid_until_ms: float | None = None

    def put(self, event: RelayEvent) -> None:
        """Append one event (never blocks; audio past the bound is dropped)."""
        if type(event) is AudioOut:
            if self.overflowed or self.audio_ms + event.duration_ms > self.max_audio_ms:
                self._overflow(event.duration_ms)
                return
            if not self._audio_items and self._now_ms is not None:
                # Audio starts to wait: the consumer owes from now (or its credit).
                now_ms = self._now_ms()
                self._paid_until_ms = max(self._paid_until_ms or now_ms, now_ms)
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
            if self._paid_until_ms is not None and self._now_ms is not None:
                now_ms = self._now_ms()
                paid_ms = self._paid_until_ms + event.duration_ms / MIN_TAKE_SPEED_X
                self._paid_until_ms = min(paid_ms, now_ms + self.credit_ms)
        return event

    def behind_ms(self, now_ms: float) -> float:
        """How far the consumer is behind taking the waiting reply at the minimum pace (ms).

        0 while no audio waits: a shell that sends a whole clip before it reads (the
        upload routes) is not behind, no reply is due yet. A consumer that takes
        nothing falls behind at 1 ms per ms; one that keeps up at
        :data:`MIN_TAKE_SPEED_X` or faster never does.
        """
        if self._paid_until_ms is None or not self._audio_items:
            return 0.0
        return max(0.0, now_ms - self._paid_until_ms)

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

    def __len__(self) -> int:
        return len(self._items)
