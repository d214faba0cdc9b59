"""Small encoded test media, generated on the fly with PyAV (no binary fixtures needed).

Every helper returns the encoded bytes and is deterministic for a given signal.
"""

from __future__ import annotations

import io
import math
import os
import struct
import tempfile
from dataclasses import dataclass
from functools import lru_cache

import av
import numpy as np


@dataclass(frozen=True)
class MediaSpec:
    """How to encode a test clip: container format, codec, sample format and options."""

    container: str
    codec: str
    sample_format: str
    container_options: dict[str, str] | None = None
    codec_options: dict[str, str] | None = None
    bit_rate: int | None = None


# name -> spec; the names are what the tests parametrize over.
SPECS: dict[str, MediaSpec] = {
    "wav_s16": MediaSpec("wav", "pcm_s16le", "s16"),
    "wav_s24": MediaSpec("wav", "pcm_s24le", "s32"),
    "wav_s32": MediaSpec("wav", "pcm_s32le", "s32"),
    "wav_f32": MediaSpec("wav", "pcm_f32le", "flt"),
    "wav_u8": MediaSpec("wav", "pcm_u8", "u8"),
    "wav_mulaw": MediaSpec("wav", "pcm_mulaw", "s16"),
    "flac": MediaSpec("flac", "flac", "s16"),
    "mp3": MediaSpec("mp3", "libmp3lame", "fltp", bit_rate=128_000),
    "ogg_opus": MediaSpec("ogg", "libopus", "flt", bit_rate=64_000),
    "webm_opus": MediaSpec("webm", "libopus", "flt", bit_rate=64_000),
    "m4a_aac": MediaSpec("mp4", "aac", "fltp", bit_rate=128_000),
    "m4a_aac_faststart": MediaSpec(
        "mp4", "aac", "fltp", container_options={"movflags": "faststart"}, bit_rate=128_000
    ),
    "m4a_aac_fragmented": MediaSpec(
        "mp4",
        "aac",
        "fltp",
        container_options={"movflags": "frag_keyframe+empty_moov+default_base_moof"},
        bit_rate=128_000,
    ),
}

# Codecs that only accept some sample rates (the test picks a valid one for each).
OPUS_RATES_HZ = (8000, 12000, 16000, 24000, 48000)


def tone(
    duration_s: float,
    sample_rate_hz: int,
    *,
    channels: int = 1,
    frequency_hz: float = 440.0,
    amplitude: float = 0.5,
) -> np.ndarray:
    """A sine tone, float32 of shape (channels, n); channel c is scaled by 1/(c+1)."""
    n = round(duration_s * sample_rate_hz)
    t = np.arange(n) / sample_rate_hz
    mono = amplitude * np.sin(2 * math.pi * frequency_hz * t)
    scales = 1.0 / (np.arange(channels) + 1.0)
    return (scales[:, None] * mono[None, :]).astype(np.float32)


def encode(
    samples: np.ndarray,
    sample_rate_hz: int,
    spec: MediaSpec,
    *,
    frame_samples: int = 1024,
) -> bytes:
    """Encode float32 samples of shape (channels, n) with ``spec``; return the file bytes."""
    options = spec.container_options or {}
    if "faststart" in options.get("movflags", ""):
        # The mp4 muxer rewrites the file by name to move the moov atom to the front,
        # so faststart needs a real file instead of a BytesIO.
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "clip.mp4")
            _encode_to(path, samples, sample_rate_hz, spec, frame_samples)
            with open(path, "rb") as file:
                return file.read()
    out = io.BytesIO()
    _encode_to(out, samples, sample_rate_hz, spec, frame_samples)
    return out.getvalue()


def _encode_to(
    target: str | io.BytesIO,
    samples: np.ndarray,
    sample_rate_hz: int,
    spec: MediaSpec,
    frame_samples: int,
) -> None:
    channels = samples.shape[0]
    layout = {1: "mono", 2: "stereo", 6: "5.1"}.get(channels, f"{channels}c")
    with av.open(
        target, mode="w", format=spec.container, container_options=spec.container_options or {}
    ) as container:
        stream = container.add_stream(spec.codec, rate=sample_rate_hz, layout=layout)
        stream.format = spec.sample_format
        if spec.bit_rate is not None:
            stream.bit_rate = spec.bit_rate
        if spec.codec_options:
            stream.options = spec.codec_options
        pts = 0
        for start in range(0, samples.shape[1], frame_samples):
            block = np.ascontiguousarray(samples[:, start : start + frame_samples])
            frame = av.AudioFrame.from_ndarray(block, format="fltp", layout=layout)
            frame.sample_rate = sample_rate_hz
            frame.pts = pts
            pts += block.shape[1]
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


@lru_cache(maxsize=256)
def encode_tone(
    name: str,
    *,
    duration_s: float = 1.0,
    sample_rate_hz: int = 48000,
    channels: int = 1,
    frequency_hz: float = 440.0,
) -> bytes:
    """A tone encoded with the spec called ``name`` in :data:`SPECS` (cached)."""
    samples = tone(duration_s, sample_rate_hz, channels=channels, frequency_hz=frequency_hz)
    return encode(samples, sample_rate_hz, SPECS[name])


def video_only_mp4(n_frames: int = 10) -> bytes:
    """A tiny mp4 with one video track and no audio track."""
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width = 32
        stream.height = 32
        stream.pix_fmt = "yuv420p"
        for i in range(n_frames):
            image = np.full((32, 32, 3), i * 20, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def png_image() -> bytes:
    """A valid 8x8 PNG image (an image, not audio)."""
    out = io.BytesIO()
    with av.open(out, mode="w", format="image2pipe") as container:
        stream = container.add_stream("png", rate=1)
        stream.width = 8
        stream.height = 8
        stream.pix_fmt = "rgb24"
        frame = av.VideoFrame.from_ndarray(np.zeros((8, 8, 3), np.uint8), format="rgb24")
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return out.getvalue()


def riff_wav_header_only(sample_rate_hz: int = 16000, data_bytes: int = 32000) -> bytes:
    """A PCM16 mono WAV header that promises ``data_bytes`` of data, with none following."""
    return (
        b"RIFF"
        + struct.pack("<I", 36 + data_bytes)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, sample_rate_hz, sample_rate_hz * 2, 2, 16)
        + b"data"
        + struct.pack("<I", data_bytes)
    )


def long_silence_adts(duration_s: float, sample_rate_hz: int = 8000) -> bytes:
    """Hours of silence in a few hundred kB: identical ADTS AAC frames repeated.

    Encoding an hour would take seconds; ADTS frames are self-contained, so ten
    seconds of encoded silence are cut into frames and the steady-state frame repeated.
    """
    spec = MediaSpec("adts", "aac", "fltp", bit_rate=16000)
    seed = encode(np.zeros((1, sample_rate_hz * 10), np.float32), sample_rate_hz, spec)
    frames = []
    position = 0
    while position < len(seed):
        length = ((seed[position + 3] & 3) << 11) | (seed[position + 4] << 3)
        length |= seed[position + 5] >> 5
        frames.append(seed[position : position + length])
        position += length
    n_frames = math.ceil(duration_s * sample_rate_hz / 1024)
    steady = frames[len(frames) // 2]
    return b"".join(frames[:2]) + steady * (n_frames - 2)


def video_only_matroska(n_frames: int = 5) -> bytes:
    """A tiny matroska file with one video track and no audio track."""
    out = io.BytesIO()
    with av.open(out, mode="w", format="matroska") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width = 32
        stream.height = 32
        stream.pix_fmt = "yuv420p"
        for i in range(n_frames):
            image = np.full((32, 32, 3), i * 20, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()
