"""workbench.audio: the pure, synchronous audio core.

decode (PyAV) → float32 mono → StreamingResampler (to 24 kHz) → Chunker (N ms) →
PCM16 for the model; plus level meters and streaming WAV output. No I/O besides
decoding bytes and writing to a file object the caller hands in.
"""

from workbench.audio._limits import trim_freed_memory
from workbench.audio.chunk import Chunker
from workbench.audio.decode import AudioSource, DecodedAudio, decode_audio
from workbench.audio.level import (
    METER_FLOOR_DBFS,
    SILENCE_FLOOR_DBFS,
    LevelMeter,
    LevelReading,
    level_0_1,
    pcm16_levels,
    peak_dbfs,
    rms_dbfs,
    rms_to_dbfs,
)
from workbench.audio.pcm import (
    MODEL_FORMAT,
    AudioFormat,
    StreamingWavWriter,
    base64_pcm16_to_float32,
    base64_to_pcm16,
    bytes_to_ms,
    float32_to_base64_pcm16,
    float32_to_pcm16,
    ms_to_bytes,
    pcm16_to_base64,
    pcm16_to_float32,
    wav_header,
)
from workbench.audio.resample import (
    DEFAULT_METHOD,
    METHODS,
    ResamplerMethod,
    StreamingResampler,
    is_stateful,
    resample,
)
from workbench.audio.stream_decode import (
    FEED_PIECE_BYTES,
    RETAINED_IN_MEMORY_BYTES,
    StreamingDecoder,
)

__all__ = [
    "DEFAULT_METHOD",
    "FEED_PIECE_BYTES",
    "METER_FLOOR_DBFS",
    "METHODS",
    "MODEL_FORMAT",
    "RETAINED_IN_MEMORY_BYTES",
    "SILENCE_FLOOR_DBFS",
    "AudioFormat",
    "AudioSource",
    "Chunker",
    "DecodedAudio",
    "LevelMeter",
    "LevelReading",
    "ResamplerMethod",
    "StreamingDecoder",
    "StreamingResampler",
    "StreamingWavWriter",
    "base64_pcm16_to_float32",
    "base64_to_pcm16",
    "bytes_to_ms",
    "decode_audio",
    "float32_to_base64_pcm16",
    "float32_to_pcm16",
    "is_stateful",
    "level_0_1",
    "ms_to_bytes",
    "pcm16_levels",
    "pcm16_to_base64",
    "pcm16_to_float32",
    "peak_dbfs",
    "resample",
    "rms_dbfs",
    "rms_to_dbfs",
    "trim_freed_memory",
    "wav_header",
]
