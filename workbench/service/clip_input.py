"""A whole clip as a session's input: checked once, then decoded in small batches.

The seed endpoint, the File tab and ``workbench relay`` hand the service a whole clip.
:class:`ClipInput` first decodes it to its end without keeping samples (so a clip that
is not audio, truncated, corrupt, too long or too large is refused before a paid
upstream session opens), then yields ~0.5 s batches of decoded blocks, each resampled,
chunked and sent before the next is decoded: memory does not grow with the clip's
length or sample rate. Decoding runs in a worker thread (CPU work off the event loop),
except on a virtual clock, where replays must stay deterministic.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Literal, TypeVar

import numpy as np

from workbench.audio.clip_stream import (
    ClipSource,
    clip_size_bytes,
    iter_clip,
    probe_clip,
    take_batch,
)
from workbench.clock import Clock, VirtualClock
from workbench.errors import AudioDecodeError, WorkbenchError
from workbench.service.limits import decoded_too_large, input_too_long, upload_too_large
from workbench.settings import ServerSettings

T = TypeVar("T")
Block = tuple[np.ndarray, int]
#: Send as fast as upstream takes it, or at the clip's own pace.
Pace = Literal["fast", "realtime"]
#: Where decoded samples go: ``(samples, sample_rate_hz)`` (a session's feed_samples).
SampleSink = Callable[[np.ndarray, int], Awaitable[None]]


async def run_blocking(clock: Clock, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` in a worker thread, or inline on a :class:`VirtualClock`.

    On virtual time a thread would let the clock jump ahead while the loop waits for it.
    """
    if isinstance(clock, VirtualClock):
        return fn(*args)
    return await asyncio.to_thread(fn, *args)


def as_limit_error(exc: AudioDecodeError, server: ServerSettings) -> WorkbenchError:
    """The decoder says "too long" or "too large" in audio terms; say it in the server's
    terms, naming the setting (the service's decoders get no encoded-bytes limit, so
    ``too_large`` is always the decoded-bytes bound)."""
    if exc.code == "too_long":
        return input_too_long(server)
    if exc.code == "too_large":
        return decoded_too_large(server)
    return exc


class ClipInput:
    """One clip, checked against the server's limits and decoded in batches.

    Parameters
    ----------
    source : bytes, path or seekable file
        Any format the audio core decodes.
    server : ServerSettings
        ``max_upload_bytes`` and ``max_input_audio_s`` apply.
    clock : Clock
        Decides whether decoding runs in a thread (see :func:`run_blocking`).
    """

    def __init__(self, source: ClipSource, server: ServerSettings, clock: Clock) -> None:
        self.source = source
        self.server = server
        self.clock = clock

    async def check(self) -> float:
        """Decode the whole clip once, keeping nothing; its duration (s).

        Raises
        ------
        LimitError
            ``too_large`` (the file), ``too_long`` (the audio).
        AudioDecodeError
            ``not_audio``, ``corrupt``, ``empty_input``, ``no_audio_track``.
        """
        size_bytes = clip_size_bytes(self.source)
        if size_bytes is not None and size_bytes > self.server.max_upload_bytes:
            raise upload_too_large(self.server, size_bytes)
        try:
            return await run_blocking(
                self.clock,
                lambda: probe_clip(self.source, max_duration_s=self.server.max_input_audio_s),
            )
        except AudioDecodeError as exc:
            raise as_limit_error(exc, self.server) from None

    async def batches(self) -> AsyncIterator[list[Block]]:
        """Decoded ``(float32 mono samples, rate_hz)`` blocks, ~0.5 s per batch, in order."""
        blocks = iter(iter_clip(self.source, max_duration_s=self.server.max_input_audio_s))
        try:
            while batch := await run_blocking(self.clock, take_batch, blocks):
                yield batch
        except AudioDecodeError as exc:
            raise as_limit_error(exc, self.server) from None

    async def send(self, sink: SampleSink, *, check_first: bool, pace: Pace = "fast") -> float:
        """Decode the clip batch by batch into ``sink``; the seconds of audio sent.

        With ``check_first`` the whole clip is decoded once before (samples dropped): a
        clip that is not audio, truncated, corrupt or too long never reaches ``sink``
        (and never opens a paid upstream session). ``pace="realtime"`` sends at the
        clip's own pace.

        Raises
        ------
        LimitError, AudioDecodeError
            As :meth:`check`; ``empty_input`` when the clip decoded to no samples.
        """
        if check_first:
            await self.check()
        start_ms: float | None = None
        sent_s = 0.0
        async for batch in self.batches():
            if start_ms is None:
                start_ms = self.clock.now_ms()
            for samples, rate_hz in batch:
                await sink(samples, rate_hz)
                sent_s += len(samples) / rate_hz
                if pace == "realtime":
                    await self.clock.sleep_until(start_ms + sent_s * 1000.0)
        if sent_s == 0.0:
            raise AudioDecodeError("the clip decoded to no audio samples", code="empty_input")
        return sent_s
