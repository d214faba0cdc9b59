"""Hostile audio for ``workbench bench abuse``: compression bombs and malformed headers.

Every builder returns the encoded bytes (each well under 2 MB) and is deterministic. The
bombs are digital silence, which lossless and lossy codecs alike store in a few bytes
per frame, at the highest rate each container can declare: tens of kB that decode to
hundreds of MB of float32. They are encoded frame by frame with one reused zero frame,
so building a 400 s bomb at 655 kHz never holds the decoded signal in memory.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import av
import numpy as np

#: The highest rate FFmpeg's FLAC encoder accepts (the FLAC frame header's limit).
FLAC_MAX_RATE_HZ = 655_350


@dataclass(frozen=True)
class Bomb:
    """One hostile file: a name, its bytes, what it decodes to, the Content-Type to send."""

    name: str
    data: bytes
    declared_rate_hz: int
    duration_s: float
    content_type: str

    @property
    def decoded_mb(self) -> float:
        """Float32 mono size of the fully decoded signal (MB)."""
        return self.declared_rate_hz * self.duration_s * 4 / 1e6


def encode_silence(
    container: str,
    codec: str,
    sample_format: str,
    rate_hz: int,
    duration_s: float,
    *,
    frame_samples: int = 4096,
    bit_rate: int | None = None,
    container_options: dict[str, str] | None = None,
) -> bytes:
    """Encode ``duration_s`` of mono digital silence at ``rate_hz``; return the file bytes.

    Parameters
    ----------
    container, codec, sample_format : str
        FFmpeg muxer, encoder and the encoder's sample format (``"s16"``, ``"fltp"`` …).
    rate_hz : int
        Declared sample rate (Hz).
    duration_s : float
        Length of the silence (s).
    frame_samples : int
        Samples per encoded frame (bigger frames: smaller bombs, where the codec allows).
    """
    out = io.BytesIO()
    n_total = round(rate_hz * duration_s)
    zeros = np.zeros((1, frame_samples), np.float32)
    with av.open(
        out, mode="w", format=container, container_options=container_options or {}
    ) as muxer:
        stream: Any = muxer.add_stream(codec, rate=rate_hz, layout="mono")
        stream.format = sample_format
        if bit_rate is not None:
            stream.bit_rate = bit_rate
        pts = 0
        while pts < n_total:
            n = min(frame_samples, n_total - pts)
            frame = av.AudioFrame.from_ndarray(zeros[:, :n], format="fltp", layout="mono")
            frame.sample_rate = rate_hz
            frame.pts = pts
            pts += n
            for packet in stream.encode(frame):
                muxer.mux(packet)
        for packet in stream.encode(None):
            muxer.mux(packet)
    return out.getvalue()


def wav_bytes(
    *,
    codec_tag: int = 1,
    channels: int = 1,
    rate_hz: int = 16_000,
    bits_per_sample: int = 16,
    data: bytes = bytes(3200),
    block_align: int | None = None,
    byte_rate: int | None = None,
) -> bytes:
    """A RIFF/WAVE file with exactly the ``fmt`` fields given (valid or not).

    Parameters
    ----------
    codec_tag : int
        ``wFormatTag`` (1 PCM, 3 float, 0xFFFE extensible, anything else: unknown).
    channels, rate_hz, bits_per_sample : int
        As declared in the header; nothing checks them.
    data : bytes
        The ``data`` chunk.
    block_align, byte_rate : int, optional
        Default to the values PCM implies (clipped to the field widths).
    """
    block = block_align if block_align is not None else channels * bits_per_sample // 8
    block = min(block, 0xFFFF)
    rate = byte_rate if byte_rate is not None else min(rate_hz * block, 0xFFFFFFFF)
    fmt = struct.pack("<HHIIHH", codec_tag, channels, rate_hz, rate, block, bits_per_sample)
    body = b"WAVEfmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def malformed_wavs() -> dict[str, bytes]:
    """WAV headers that once answered a plain-text 500: unknown codec tag, zero bits."""
    return {
        "wav_unknown_codec_tag": wav_bytes(codec_tag=0x1234),
        "wav_zero_bits_per_sample": wav_bytes(bits_per_sample=0),
        "wav_float_tag_16_bits": wav_bytes(codec_tag=3),
        "wav_zero_channels": wav_bytes(channels=0),
        "wav_rate_2ghz": wav_bytes(rate_hz=2**31 - 1, byte_rate=0),
    }


BombBuilder = Callable[[float], Bomb]


def _flac(container: str, content_type: str, rate_hz: int = FLAC_MAX_RATE_HZ) -> BombBuilder:
    def build(duration_s: float) -> Bomb:
        data = encode_silence(container, "flac", "s16", rate_hz, duration_s, frame_samples=16384)
        name = f"{container}_flac_{rate_hz // 1000}k_{duration_s:g}s"
        return Bomb(name, data, rate_hz, duration_s, content_type)

    return build


def _lossy(
    container: str, codec: str, fmt: str, rate: int, bit_rate: int, ctype: str
) -> BombBuilder:
    def build(duration_s: float) -> Bomb:
        # Fragmented mp4: streamable, so the stream route decodes it while it arrives.
        options = {"movflags": "frag_keyframe+empty_moov"} if container == "mp4" else None
        frame = {"libopus": 960, "aac": 1024, "libmp3lame": 1152}[codec]
        data = encode_silence(
            container,
            codec,
            fmt,
            rate,
            duration_s,
            frame_samples=frame,
            bit_rate=bit_rate,
            container_options=options,
        )
        name = f"{container}_{codec.removeprefix('lib')}_{rate // 1000}k_{duration_s:g}s"
        return Bomb(name, data, rate, duration_s, ctype)

    return build


def _wavpack(duration_s: float) -> Bomb:
    rate = 4_000_000
    data = encode_silence("wv", "wavpack", "s16p", rate, duration_s, frame_samples=16384)
    return Bomb(f"wv_wavpack_4MHz_{duration_s:g}s", data, rate, duration_s, "audio/x-wavpack")


def _wav_2ghz(duration_s: float) -> Bomb:
    """Uncompressed, so few samples; the hazard is the rate itself (``duration_s`` unused)."""
    rate = 2**31 - 1
    data = wav_bytes(rate_hz=rate, bits_per_sample=8, data=bytes([128]) * 1_000_000)
    return Bomb("wav_u8_2GHz", data, rate, 1_000_000 / rate, "audio/wav")


#: One bomb builder per container, by name; each takes the duration (s) to encode.
#: FLAC (in flac, ogg, matroska and mp4) and WavPack at extreme declared rates; Opus
#: (ogg, webm), AAC (m4a, 96 kHz) and MP3 at their highest rates and lowest bit rates;
#: and a WAV that declares 2 GHz (uncompressed: few samples, absurd rate).
BOMBS: dict[str, BombBuilder] = {
    "flac": _flac("flac", "audio/flac"),
    # At the highest rate the decoder accepts: the bomb that gets past the rate cap.
    "flac192": _flac("flac", "audio/flac", 192_000),
    "ogg_flac": _flac("ogg", "audio/ogg"),
    "mkv_flac": _flac("matroska", "audio/x-matroska"),
    "mp4_flac": _flac("mp4", "audio/mp4"),
    "wavpack": _wavpack,
    "ogg_opus": _lossy("ogg", "libopus", "flt", 48_000, 6_000, "audio/ogg"),
    "webm_opus": _lossy("webm", "libopus", "flt", 48_000, 6_000, "audio/webm"),
    "m4a_aac": _lossy("mp4", "aac", "fltp", 96_000, 8_000, "audio/mp4"),
    "mp3": _lossy("mp3", "libmp3lame", "fltp", 48_000, 32_000, "audio/mpeg"),
    "wav_2ghz": _wav_2ghz,
}


def speech_like_pcm(duration_s: float, rate_hz: int = 24_000) -> bytes:
    """PCM16 LE mono of a quiet 220 Hz tone (a legitimate turn)."""
    t = np.arange(round(duration_s * rate_hz)) / rate_hz
    return (0.2 * 32767 * np.sin(2 * np.pi * 220.0 * t)).astype("<i2").tobytes()


def speech_like_wav(duration_s: float, rate_hz: int = 24_000) -> bytes:
    """A valid PCM16 mono WAV of a quiet 220 Hz tone (a legitimate upload)."""
    return wav_bytes(rate_hz=rate_hz, data=speech_like_pcm(duration_s, rate_hz))
