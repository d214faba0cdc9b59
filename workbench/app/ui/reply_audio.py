"""Reply audio for Gradio's streaming player: WAV chunks sized for its HLS stream.

Gradio turns every chunk a handler yields into one HLS segment (AAC) and its player
reloads the live playlist about once per second. A reply trickling in as 100 ms
pieces at real-time pace therefore plays in fits: the player drains its buffer
between reloads. :class:`AudioCoalescer` gives it a head start without waiting
needlessly: the first chunk goes out when ``first_ms`` of audio is collected *or*
``first_wait_ms`` after the reply's first audio arrived, whichever comes first (a
model that sends faster than real time fills the head start almost at once); later
chunks go out every ``next_ms`` of audio or ``next_wait_ms``.
"""

from __future__ import annotations

import asyncio
import io
import wave
from collections.abc import AsyncIterator
from typing import TypeVar

from workbench.audio import MODEL_FORMAT, bytes_to_ms

_T = TypeVar("_T")


def pcm16_to_wav(pcm16: bytes, sample_rate_hz: int = MODEL_FORMAT.sample_rate_hz) -> bytes:
    """Wrap PCM16 LE mono samples in a WAV header (what Gradio's stream encoder reads)."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate_hz)
        w.writeframes(pcm16)
    return buf.getvalue()


class AudioCoalescer:
    """Collects reply pieces into player-sized chunks (see the module docstring).

    Parameters
    ----------
    first_ms, next_ms : float
        Audio (ms of 24 kHz PCM16) that releases the first / each later chunk.
    first_wait_ms, next_wait_ms : float
        Longest time (ms) the first / a later chunk's oldest audio waits.
    """

    def __init__(
        self,
        first_ms: float = 1200.0,
        next_ms: float = 300.0,
        first_wait_ms: float = 400.0,
        next_wait_ms: float = 250.0,
    ) -> None:
        self.first_ms, self.next_ms = first_ms, next_ms
        self.first_wait_ms, self.next_wait_ms = first_wait_ms, next_wait_ms
        self._buffer = bytearray()
        self._since_s: float | None = None
        self._started = False

    def push(self, pcm16: bytes, now_s: float) -> bytes | None:
        """Add audio received at ``now_s`` (s); returns a chunk when one is due."""
        if not self._buffer:
            self._since_s = now_s
        self._buffer += pcm16
        target_ms = self.next_ms if self._started else self.first_ms
        if bytes_to_ms(len(self._buffer)) >= target_ms or self.wait_s(now_s) == 0.0:
            return self.flush()
        return None

    def wait_s(self, now_s: float) -> float | None:
        """Seconds until the buffered audio must go out (None when nothing is buffered)."""
        if not self._buffer or self._since_s is None:
            return None
        wait_ms = self.next_wait_ms if self._started else self.first_wait_ms
        return max(0.0, self._since_s + wait_ms / 1000.0 - now_s)

    def flush(self) -> bytes | None:
        """Whatever is collected (None when empty)."""
        if not self._buffer:
            return None
        chunk, self._buffer = bytes(self._buffer), bytearray()
        self._since_s = None
        self._started = True
        return chunk


async def with_ticks(events: AsyncIterator[_T], tick_s: float) -> AsyncIterator[_T | None]:
    """``events``, with a ``None`` whenever ``tick_s`` passes without one.

    Lets a consumer act on time (flush a coalescer) while waiting for the next event.
    The pending read is cancelled if the consumer stops early.
    """
    pending: asyncio.Task[_T] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(events))
            done, _ = await asyncio.wait({pending}, timeout=tick_s)
            if not done:
                yield None
                continue
            task, pending = pending, None
            try:
                yield task.result()
            except StopAsyncIteration:
                return
    finally:
        if pending is not None:
            pending.cancel()
