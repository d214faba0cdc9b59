"""The relay's input pipeline: any audio in, exact N-ms PCM16 24 kHz frames out.

Pure and synchronous: decode (PyAV, for encoded bytes) → float32 mono → streaming
resample to 24 kHz → re-frame into ``chunk_ms`` frames → PCM16 bytes. One resampler
lives for the whole stream, so there are no chunk-edge clicks (the seed's weakness).
"""

from __future__ import annotations

from typing import cast

import numpy as np

from workbench.audio import (
    MODEL_FORMAT,
    Chunker,
    ResamplerMethod,
    StreamingDecoder,
    StreamingResampler,
    decode_audio,
    float32_to_pcm16,
)
from workbench.errors import AudioError


class InputPipeline:
    """Turns arrays or encoded bytes at any rate into PCM16 LE 24 kHz frames.

    Parameters
    ----------
    chunk_ms : float
        Frame duration (ms); every frame but a flushed tail is exactly this long.
    resampler : str
        Resampling method name (``workbench.audio.METHODS``).
    max_duration_s : float | None
        Refuse encoded input longer than this (checked while decoding).
    """

    def __init__(self, chunk_ms: float, resampler: str, max_duration_s: float | None = None):
        self.chunk_ms = chunk_ms
        self.method = cast(ResamplerMethod, resampler)  # RelayConfig validated it
        self.max_duration_s = max_duration_s
        self._chunker = Chunker(chunk_ms, MODEL_FORMAT.sample_rate_hz)
        self._resampler: StreamingResampler | None = None
        self._in_rate_hz: int | None = None
        self._decoder: StreamingDecoder | None = None
        self.samples_in_24k = 0

    def push_array(self, samples: np.ndarray, sample_rate_hz: int) -> list[bytes]:
        """Add samples of any dtype/layout at ``sample_rate_hz``; return full frames.

        Returns
        -------
        list[bytes]
            PCM16 LE mono 24 kHz frames of exactly ``chunk_ms`` each.
        """
        mono = decode_audio(samples, sample_rate_hz=sample_rate_hz, max_duration_s=None).samples
        return self._push_mono(mono, sample_rate_hz)

    def push_encoded(self, data: bytes) -> list[bytes]:
        """Add a piece of an encoded stream (wav, mp3, ogg, webm, m4a …); return frames."""
        if self._decoder is None:
            self._decoder = StreamingDecoder(max_duration_s=self.max_duration_s)
        mono = self._decoder.feed(data)
        if mono.size == 0 or self._decoder.sample_rate_hz is None:
            return []
        return self._push_mono(mono, self._decoder.sample_rate_hz)

    def end(self) -> list[bytes]:
        """End of the user's audio: flush decoder, resampler and the short last frame."""
        frames: list[bytes] = []
        if self._decoder is not None:
            decoder, self._decoder = self._decoder, None
            tail = decoder.close()
            if tail.size and decoder.sample_rate_hz is not None:
                frames += self._push_mono(tail, decoder.sample_rate_hz)
        if self._resampler is not None:
            frames += self._frames(self._resampler.flush())
            self._resampler, self._in_rate_hz = None, None
        last = self._chunker.flush()
        if last is not None and len(last):
            frames.append(float32_to_pcm16(last))
        return frames

    def _push_mono(self, mono: np.ndarray, sample_rate_hz: int) -> list[bytes]:
        if sample_rate_hz <= 0:
            raise AudioError(f"sample_rate_hz must be positive, got {sample_rate_hz}")
        frames: list[bytes] = []
        if self._in_rate_hz != sample_rate_hz:
            if self._resampler is not None:  # the input rate changed mid-stream
                frames += self._frames(self._resampler.flush())
            self._resampler = StreamingResampler(
                sample_rate_hz, MODEL_FORMAT.sample_rate_hz, self.method
            )
            self._in_rate_hz = sample_rate_hz
        assert self._resampler is not None
        return frames + self._frames(self._resampler.process(mono))

    def _frames(self, samples_24k: np.ndarray) -> list[bytes]:
        self.samples_in_24k += len(samples_24k)
        return [float32_to_pcm16(f) for f in self._chunker.push(samples_24k)]
