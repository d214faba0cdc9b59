"""The mock's audio edge: the session's wire formats <-> its internal PCM16 24 kHz.

Everything inside the mock (VAD, echo, durations) works on PCM16 LE mono 24 kHz. A
session may negotiate G.711 μ-law / A-law at 8 kHz for input, output or both (GA
``audio/pcmu`` / ``audio/pcma``, preview ``g711_ulaw`` / ``g711_alaw``); input is
decoded and resampled here (a streaming resampler, so chunk edges leave no clicks),
and reply audio is resampled and encoded here once per response.
"""

from __future__ import annotations

import numpy as np

from workbench.audio import MODEL_FORMAT, StreamingResampler
from workbench.audio.g711 import G711_RATE_HZ, G711Law, g711_decode, g711_to_pcm16, pcm16_to_g711
from workbench.protocol.settings import AudioFormatName

MODEL_RATE_HZ = MODEL_FORMAT.sample_rate_hz
_LAWS: dict[str, G711Law] = {"g711_ulaw": "ulaw", "g711_alaw": "alaw"}


class InputDecoder:
    """Turns appended audio of one input format into PCM16 24 kHz, chunk by chunk.

    Parameters
    ----------
    audio_format : AudioFormatName
        The session's ``input_audio_format``.
    """

    def __init__(self, audio_format: AudioFormatName) -> None:
        self.audio_format = audio_format
        self._law = _LAWS.get(audio_format)
        self._resampler = (
            StreamingResampler(G711_RATE_HZ, MODEL_RATE_HZ) if self._law is not None else None
        )

    def decode(self, audio: bytes) -> bytes:
        """PCM16 24 kHz for ``audio`` (G.711 codes or PCM16) appended in this format."""
        if self._law is None or self._resampler is None:
            return audio
        pcm = np.frombuffer(g711_decode(audio, self._law), dtype="<i2")
        return _to_pcm16(self._resampler.process(pcm.astype(np.float32) / 32768.0))

    def flush(self) -> bytes:
        """The audio the resampler still holds (its look-ahead, ~20 ms), e.g. at a commit.

        The decoder then starts a fresh stream.
        """
        if self._resampler is None:
            return b""
        tail = _to_pcm16(self._resampler.flush())
        self._resampler = StreamingResampler(G711_RATE_HZ, MODEL_RATE_HZ)
        return tail


def _to_pcm16(y: np.ndarray) -> bytes:
    return bytes((np.clip(y, -1.0, 32767 / 32768) * 32768.0).round().astype("<i2").tobytes())


def decode_whole(audio: bytes, audio_format: AudioFormatName) -> bytes:
    """PCM16 24 kHz of a whole clip (an item's inline ``input_audio``) in ``audio_format``."""
    law = _LAWS.get(audio_format)
    return audio if law is None else g711_to_pcm16(audio, law, MODEL_RATE_HZ)


def encode_output(pcm16_24k: bytes, audio_format: AudioFormatName) -> bytes:
    """Reply audio (PCM16 24 kHz) in the session's ``output_audio_format``."""
    law = _LAWS.get(audio_format)
    if law is None:
        return pcm16_24k[: len(pcm16_24k) // 2 * 2]
    return pcm16_to_g711(pcm16_24k[: len(pcm16_24k) // 2 * 2], MODEL_RATE_HZ, law)
