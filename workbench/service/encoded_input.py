"""An encoded upload as a session's input: decoded as it arrives, in bounded pieces.

The streaming upload route and a WebSocket client sending encoded audio hand the
session the stream piece by piece. :class:`EncodedInput` decodes each piece at the
model's rate inside one of the server's decode slots and passes the samples on before
the next piece is decoded, so memory does not grow with the upload, its sample rate or
what its header claims.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from workbench.audio import FEED_PIECE_BYTES, MODEL_FORMAT, StreamingDecoder
from workbench.clock import Clock
from workbench.errors import AudioDecodeError
from workbench.service.clip_input import SampleSink, as_limit_error, run_blocking
from workbench.service.decode_slots import DecodeSlots
from workbench.settings import ServerSettings


class EncodedInput:
    """One encoded stream (wav, mp3, ogg, webm, faststart/fragmented or plain m4a …).

    Parameters
    ----------
    server : ServerSettings
        ``max_input_audio_s`` and ``max_decoded_bytes`` bound the decoder.
    resampler : str
        The session's resampler (to the model rate, inside the decoder).
    clock : Clock
        Decoding runs in a worker thread, inline on a virtual clock.
    decodes : DecodeSlots
        The process-wide bound on concurrent decodes.
    sink : SampleSink
        Receives each decoded piece, in order, before the next is decoded.
    """

    def __init__(
        self,
        server: ServerSettings,
        resampler: str,
        clock: Clock,
        decodes: DecodeSlots,
        sink: SampleSink,
    ) -> None:
        self._server = server
        self._resampler = resampler
        self._clock = clock
        self._decodes = decodes
        self._sink = sink
        self._decoder: StreamingDecoder | None = None

    async def feed(self, data: bytes) -> None:
        """Decode the next piece of the stream and pass its samples on.

        Raises
        ------
        LimitError
            ``too_many_decodes`` (503); ``too_large`` when one piece decodes to more
            than ``max_decoded_bytes`` (a compression bomb); ``too_long``.
        AudioDecodeError
            Not audio, corrupt, unsupported rate or codec.
        """
        if not data:
            return
        if self._decoder is None:
            self._decoder = StreamingDecoder(
                max_duration_s=self._server.max_input_audio_s,
                output_rate_hz=MODEL_FORMAT.sample_rate_hz,
                max_decoded_bytes=self._server.max_decoded_bytes,
                resampler=self._resampler,  # type: ignore[arg-type]
            )
        decoder = self._decoder
        async with self._decodes.slot():
            for start in range(0, len(data), FEED_PIECE_BYTES):
                piece = data[start : start + FEED_PIECE_BYTES]
                try:
                    samples = await run_blocking(self._clock, decoder.feed, piece)
                except AudioDecodeError as exc:
                    raise as_limit_error(exc, self._server) from None
                await self._pass_on(samples, decoder.sample_rate_hz)

    async def end(self) -> None:
        """The stream ended: decode what is left (a plain m4a decodes only now, block by
        block); the next :meth:`feed` starts a new stream."""
        decoder, self._decoder = self._decoder, None
        if decoder is None:
            return
        async with self._decodes.slot():
            blocks = decoder.close_blocks()
            try:
                while batch := await run_blocking(self._clock, take_sample_batch, blocks):
                    for samples in batch:
                        await self._pass_on(samples, decoder.sample_rate_hz)
            except AudioDecodeError as exc:
                raise as_limit_error(exc, self._server) from None

    def abort(self) -> None:
        """Drop the stream now (the session ended): its worker and buffers go."""
        decoder, self._decoder = self._decoder, None
        if decoder is not None:
            decoder.abort()

    async def _pass_on(self, samples: np.ndarray, rate_hz: int | None) -> None:
        if samples.size and rate_hz is not None:
            await self._sink(samples, rate_hz)


def take_sample_batch(blocks: Iterator[np.ndarray], max_samples: int = 12_000) -> list[np.ndarray]:
    """The next blocks of a stream at one rate, up to about ``max_samples`` samples
    (0.5 s at 24 kHz; an empty list at the end): one worker-thread hop per batch."""
    batch: list[np.ndarray] = []
    taken = 0
    for samples in blocks:
        batch.append(samples)
        taken += len(samples)
        if taken >= max_samples:
            break
    return batch
