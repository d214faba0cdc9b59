"""The relay's audio edge: the model-side format on the wire, PCM16 24 kHz for shells.

A session may negotiate G.711 μ-law / A-law at 8 kHz with the model (telephony
experiments); shells never see it. Going up, the input pipeline frames PCM16 at the
format's rate (8 kHz for G.711: one resampling from the source rate, exact
``chunk_ms`` frames) and :meth:`WireAudio.encode` companding each frame — G.711 is
per sample, so frame by frame equals the whole stream. Coming down,
:class:`ReplyDecoder` expands each item's deltas and resamples them to 24 kHz with one
streaming resampler per item (no per-chunk resampling, so no clicks at delta edges),
flushed when the item's audio is done. PCM16 passes through untouched both ways.
"""

from __future__ import annotations

from typing import Final

from workbench.audio import (
    DEFAULT_METHOD,
    MODEL_FORMAT,
    StreamingResampler,
    float32_to_pcm16,
    pcm16_to_float32,
)
from workbench.audio.g711 import G711Law, g711_decode, g711_encode
from workbench.protocol.settings import (
    AUDIO_FORMAT_RATES_HZ,
    AudioFormatName,
    audio_bytes_per_ms,
)

_LAWS: Final[dict[str, G711Law]] = {"g711_ulaw": "ulaw", "g711_alaw": "alaw"}


class WireAudio:
    """One session's model-side audio format.

    Parameters
    ----------
    audio_format : {"pcm16", "g711_ulaw", "g711_alaw"}
        The negotiated format (input and output).

    Attributes
    ----------
    rate_hz : int
        Its sample rate (24,000 or 8,000 Hz): the rate the input pipeline frames at.
    bytes_per_ms : float
        Wire bytes per ms (48 for PCM16, 8 for G.711).
    passthrough : bool
        True for PCM16 (nothing to convert).
    """

    def __init__(self, audio_format: AudioFormatName) -> None:
        self.audio_format = audio_format
        self.rate_hz = AUDIO_FORMAT_RATES_HZ[audio_format]
        self.bytes_per_ms = audio_bytes_per_ms(audio_format)
        self._law = _LAWS.get(audio_format)
        self.passthrough = self._law is None

    def encode(self, pcm16: bytes) -> bytes:
        """PCM16 LE mono at :attr:`rate_hz` → wire bytes (G.711 codes, or as is)."""
        return pcm16 if self._law is None else g711_encode(pcm16, self._law)

    def to_pcm16(self, wire: bytes) -> bytes:
        """Wire bytes → PCM16 LE mono at :attr:`rate_hz` (replays feed recorded appends)."""
        return wire if self._law is None else g711_decode(wire, self._law)

    def duration_ms(self, wire: bytes) -> float:
        """Duration (ms) of ``wire`` bytes in this format."""
        return len(wire) / self.bytes_per_ms


class ReplyDecoder:
    """Assistant audio deltas in the wire format → PCM16 LE mono 24 kHz, item by item.

    Parameters
    ----------
    audio : WireAudio
        The session's format.
    """

    def __init__(self, audio: WireAudio) -> None:
        self.audio = audio
        self._item_id: str | None = None
        self._resampler: StreamingResampler | None = None

    def decode(self, item_id: str, wire: bytes) -> bytes:
        """PCM16 24 kHz for one delta of ``item_id`` (may be shorter: resampler look-ahead)."""
        if self.audio.passthrough:
            return wire
        if item_id != self._item_id or self._resampler is None:
            self._item_id = item_id
            self._resampler = StreamingResampler(
                self.audio.rate_hz, MODEL_FORMAT.sample_rate_hz, DEFAULT_METHOD
            )
        samples = pcm16_to_float32(self.audio.to_pcm16(wire))
        return float32_to_pcm16(self._resampler.process(samples))

    def flush(self, item_id: str) -> bytes:
        """The rest of ``item_id``'s audio (its audio is done); b"" for another item."""
        if self._resampler is None or item_id != self._item_id:
            return b""
        resampler, self._resampler, self._item_id = self._resampler, None, None
        return float32_to_pcm16(resampler.flush())

    def drop(self) -> None:
        """Forget the current item's held audio (barge-in, cancelled, connection lost)."""
        self._resampler, self._item_id = None, None
