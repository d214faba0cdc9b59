"""workbench.audio: pure, synchronous audio core (decode, resample, chunk, PCM, levels)."""

from workbench.audio.decode import AudioSource, DecodedAudio, decode_audio
from workbench.audio.stream_decode import StreamingDecoder

__all__ = ["AudioSource", "DecodedAudio", "StreamingDecoder", "decode_audio"]
