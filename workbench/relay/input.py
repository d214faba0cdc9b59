"""The relay's input pipeline: any audio in, exact N-ms PCM16 frames at the model-side rate out.

Pure and synchronous: decode (PyAV, for encoded bytes) → float32 mono → streaming
resample to the output rate (24 kHz; 8 kHz when the session speaks G.711, which the
relay's audio edge then compands frame by frame) → PCM16 → re-frame into ``chunk_ms``
frames. One resampler lives
for the whole stream, so there are no chunk-edge clicks (the seed's weakness).

Frames are cut from PCM16 bytes, not floats: the float → PCM16 conversion is per
sample, so converting before or after cutting gives the same bytes, and input that
already is PCM16 at the model rate (the WebSocket API, replays, benchmarks) is framed
without any conversion — the per-frame hot path of a live session.
"""

from __future__ import annotations

from typing import Final, cast

import numpy as np

from workbench.audio import (
    FEED_PIECE_BYTES,
    MODEL_FORMAT,
    Chunker,
    ResamplerMethod,
    StreamingDecoder,
    StreamingResampler,
    decode_audio,
    float32_to_pcm16,
)
from workbench.errors import AudioError

_PCM16: Final = np.dtype("<i2")


class InputPipeline:
    """Turns arrays or encoded bytes at any rate into PCM16 LE frames at ``out_rate_hz``.

    Parameters
    ----------
    chunk_ms : float
        Frame duration (ms); every frame but a flushed tail is exactly this long.
    resampler : str
        Resampling method name (``workbench.audio.METHODS``).
    max_duration_s : float | None
        Refuse encoded input longer than this (checked while decoding).
    out_rate_hz : int
        Rate of the frames (Hz): the model's 24 kHz, or the session's G.711 8 kHz.
    max_decoded_bytes : int | None
        Most decoded float32 one piece of encoded input may expand to (``too_large``
        beyond). Encoded input is decoded at ``out_rate_hz`` in pieces of at most
        ``FEED_PIECE_BYTES``, so this bounds a compression bomb, not a chunk size.
    """

    def __init__(
        self,
        chunk_ms: float,
        resampler: str,
        max_duration_s: float | None = None,
        out_rate_hz: int = MODEL_FORMAT.sample_rate_hz,
        max_decoded_bytes: int | None = None,
    ):
        self.chunk_ms = chunk_ms
        self.method = cast(ResamplerMethod, resampler)  # RelayConfig validated it
        self.max_duration_s = max_duration_s
        self.out_rate_hz = out_rate_hz
        self.max_decoded_bytes = max_decoded_bytes
        # Chunker validates chunk_ms (a whole number of samples at the output rate).
        samples_per_frame = Chunker(chunk_ms, out_rate_hz).frame_samples
        self.frame_bytes = samples_per_frame * MODEL_FORMAT.sample_width_bytes
        self._pending = bytearray()  # PCM16 short of a whole frame
        self._resampler: StreamingResampler | None = None
        self._in_rate_hz: int | None = None
        self._decoder: StreamingDecoder | None = None

    def push_array(self, samples: np.ndarray, sample_rate_hz: int) -> list[bytes]:
        """Add samples of any dtype/layout at ``sample_rate_hz``; return full frames.

        Parameters
        ----------
        samples : np.ndarray [shape=(n,), (n, channels) or (channels, n)]
            Any dtype ``decode_audio`` accepts; int16 mono at 24 kHz is framed as is.
        sample_rate_hz : int
            Rate of ``samples`` (Hz).

        Returns
        -------
        list[bytes]
            PCM16 LE mono frames at ``out_rate_hz`` of exactly ``chunk_ms`` each.
        """
        out_rate_hz = self.out_rate_hz
        if (
            sample_rate_hz == out_rate_hz
            and type(samples) is np.ndarray
            and samples.dtype == _PCM16
            and samples.ndim == 1
            and samples.size
            and self._in_rate_hz in (None, out_rate_hz)
        ):
            # Already PCM16 at the output rate: PCM16 → float32 → PCM16 is lossless
            # (workbench.audio scales by 32768 both ways), so the bytes are the frames.
            self._in_rate_hz = out_rate_hz
            return self._cut(samples.tobytes())
        mono = decode_audio(samples, sample_rate_hz=sample_rate_hz, max_duration_s=None).samples
        return self._push_mono(mono, sample_rate_hz)

    def push_encoded(self, data: bytes) -> list[bytes]:
        """Add a piece of an encoded stream (wav, mp3, ogg, webm, m4a …); return frames."""
        if self._decoder is None:
            self._decoder = StreamingDecoder(
                max_duration_s=self.max_duration_s,
                output_rate_hz=self.out_rate_hz,
                max_decoded_bytes=self.max_decoded_bytes,
                resampler=self.method,
            )
        decoder = self._decoder
        frames: list[bytes] = []
        for start in range(0, len(data), FEED_PIECE_BYTES):
            mono = decoder.feed(data[start : start + FEED_PIECE_BYTES])
            if mono.size and decoder.sample_rate_hz is not None:
                frames += self._push_mono(mono, decoder.sample_rate_hz)
        return frames

    def end(self) -> list[bytes]:
        """End of the user's audio: flush decoder, resampler and the short last frame."""
        frames: list[bytes] = []
        if self._decoder is not None:
            decoder, self._decoder = self._decoder, None
            tail = decoder.close()
            if tail.size and decoder.sample_rate_hz is not None:
                frames += self._push_mono(tail, decoder.sample_rate_hz)
        if self._resampler is not None:
            frames += self._cut(float32_to_pcm16(self._resampler.flush()))
        self._resampler, self._in_rate_hz = None, None
        if self._pending:
            frames.append(bytes(self._pending))
            self._pending.clear()
        return frames

    def _push_mono(self, mono: np.ndarray, sample_rate_hz: int) -> list[bytes]:
        if sample_rate_hz <= 0:
            raise AudioError(f"sample_rate_hz must be positive, got {sample_rate_hz}")
        frames: list[bytes] = []
        if self._in_rate_hz != sample_rate_hz or self._resampler is None:
            if self._resampler is not None:  # the input rate changed mid-stream
                frames += self._cut(float32_to_pcm16(self._resampler.flush()))
            self._resampler = StreamingResampler(sample_rate_hz, self.out_rate_hz, self.method)
            self._in_rate_hz = sample_rate_hz
        return frames + self._cut(float32_to_pcm16(self._resampler.process(mono)))

    def _cut(self, pcm16: bytes) -> list[bytes]:
        """Whole frames of the pending bytes plus ``pcm16``; keeps the rest pending."""
        size = self.frame_bytes
        pending = self._pending
        if pending:
            pending += pcm16
            whole = len(pending) - len(pending) % size
            frames = [bytes(pending[i : i + size]) for i in range(0, whole, size)]
            del pending[:whole]
            return frames
        whole = len(pcm16) - len(pcm16) % size
        if whole < len(pcm16):
            pending += pcm16[whole:]
        if whole == size:
            return [pcm16] if whole == len(pcm16) else [pcm16[:size]]
        return [pcm16[i : i + size] for i in range(0, whole, size)]
