"""workbench.audio: pure, synchronous audio core (decode, resample, chunk, PCM, levels)."""

from workbench.audio.decode import AudioSource, DecodedAudio, decode_audio
from workbench.audio.resample import (
    DEFAULT_METHOD,
    METHODS,
    ResamplerMethod,
    StreamingResampler,
    is_stateful,
    resample,
)
from workbench.audio.stream_decode import StreamingDecoder

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "AudioSource",
    "DecodedAudio",
    "ResamplerMethod",
    "StreamingDecoder",
    "StreamingResampler",
    "decode_audio",
    "is_stateful",
    "resample",
]
