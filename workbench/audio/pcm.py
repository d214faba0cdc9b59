"""PCM16 at the model boundary: conversions, base64, durations and streaming WAV files.

Inside the workbench audio is float32 in [-1, 1]; the realtime model speaks PCM16
little-endian mono 24 kHz, base64 in JSON. Conversion clips (never wraps around) and
uses the 32768 scale both ways, so PCM16 → float32 → PCM16 is lossless.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass
from types import TracebackType
from typing import BinaryIO

import numpy as np

from workbench.errors import AudioError

_PCM16_SCALE = 32768.0
UNKNOWN_SIZE = 0xFFFFFFFF  # RIFF size for "unknown length", as FFmpeg writes to pipes


@dataclass(frozen=True)
class AudioFormat:
    """The layout of interleaved integer PCM.

    Attributes
    ----------
    sample_rate_hz : int
        Frames per second.
    channels : int
        Interleaved channels per frame.
    sample_width_bytes : int
        Bytes per sample (2 for PCM16).
    """

    sample_rate_hz: int
    channels: int
    sample_width_bytes: int

    def __post_init__(self) -> None:
        if self.sample_rate_hz <= 0 or self.channels <= 0:
            raise AudioError(f"invalid audio format {self}: rate and channels must be positive")
        if self.sample_width_bytes not in (1, 2, 3, 4):
            raise AudioError(f"sample_width_bytes must be 1..4, got {self.sample_width_bytes}")

    @property
    def bytes_per_frame(self) -> int:
        """Bytes of one frame (one sample of every channel)."""
        return self.channels * self.sample_width_bytes

    @property
    def bytes_per_second(self) -> int:
        """Bytes of one second of audio."""
        return self.sample_rate_hz * self.bytes_per_frame


MODEL_FORMAT = AudioFormat(sample_rate_hz=24000, channels=1, sample_width_bytes=2)
"""What the realtime model sends and receives: PCM16 LE mono at 24 kHz."""


def float32_to_pcm16(samples: np.ndarray) -> bytes:
    """Float samples in [-1, 1] → PCM16 little-endian bytes, clipped (never wrapped).

    Parameters
    ----------
    samples : np.ndarray [shape=(n,) or (n, channels), float]
        Values outside [-1, 1] clip to 32767 / -32768; NaN becomes 0.

    Returns
    -------
    bytes
        ``2 * samples.size`` bytes, interleaved for 2-D input.

    Examples
    --------
    >>> float32_to_pcm16(np.array([0.0, 1.5, -1.5], np.float32))
    b'\\x00\\x00\\xff\\x7f\\x00\\x80'
    """
    x = np.asarray(samples)
    if not np.issubdtype(x.dtype, np.floating):
        raise AudioError(f"float32_to_pcm16 takes float samples, got {x.dtype}")
    scaled = np.nan_to_num(x * _PCM16_SCALE, nan=0.0, posinf=32767.0, neginf=-32768.0)
    return np.clip(np.rint(scaled), -32768, 32767).astype("<i2").tobytes()


def pcm16_to_float32(data: bytes | bytearray | memoryview) -> np.ndarray:
    """PCM16 little-endian bytes → float32 samples in [-1, 1).

    Parameters
    ----------
    data : bytes-like
        An even number of bytes.

    Returns
    -------
    np.ndarray [shape=(len(data) // 2,), dtype=float32]
        Interleaved channels stay interleaved.
    """
    if len(data) % 2:
        raise AudioError(f"PCM16 data must have an even number of bytes, got {len(data)}")
    as_int = np.frombuffer(data, dtype="<i2")
    return as_int.astype(np.float32) / np.float32(_PCM16_SCALE)


def pcm16_to_base64(data: bytes | bytearray | memoryview) -> str:
    """Raw PCM16 bytes → base64 text, as ``input_audio_buffer.append`` carries them."""
    return base64.b64encode(bytes(data)).decode("ascii")


def base64_to_pcm16(text: str) -> bytes:
    """Base64 text → raw PCM16 bytes (strict: rejects non-base64 and odd lengths).

    Raises
    ------
    AudioError
        Code ``bad_base64`` for invalid base64 or an odd number of decoded bytes.
    """
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise AudioError(
            f"audio is not valid base64 ({len(text)} characters; base64 has A–Z, a–z, 0–9, "
            "+ and /, padded with = to a multiple of 4)",
            code="bad_base64",
        ) from exc
    if len(data) % 2:
        raise AudioError(
            f"base64 audio decodes to {len(data)} bytes, not whole PCM16 samples",
            code="bad_base64",
        )
    return data


def float32_to_base64_pcm16(samples: np.ndarray) -> str:
    """Float samples → base64 PCM16 (see :func:`float32_to_pcm16`)."""
    return pcm16_to_base64(float32_to_pcm16(samples))


def base64_pcm16_to_float32(text: str) -> np.ndarray:
    """Base64 PCM16 → float32 samples [shape=(n,)] (see :func:`base64_to_pcm16`)."""
    return pcm16_to_float32(base64_to_pcm16(text))


def bytes_to_ms(n_bytes: int, audio_format: AudioFormat = MODEL_FORMAT) -> float:
    """Duration in ms of ``n_bytes`` of PCM in ``audio_format`` (default: model PCM16).

    >>> bytes_to_ms(960)  # 480 samples of PCM16 at 24 kHz
    20.0
    """
    return n_bytes / audio_format.bytes_per_second * 1000.0


def ms_to_bytes(duration_ms: float, audio_format: AudioFormat = MODEL_FORMAT) -> int:
    """Bytes of ``duration_ms`` of PCM in ``audio_format``, rounded to whole frames.

    >>> ms_to_bytes(20.0)
    960
    """
    frames = round(duration_ms * audio_format.sample_rate_hz / 1000.0)
    return frames * audio_format.bytes_per_frame


def wav_header(
    sample_rate_hz: int,
    channels: int = 1,
    bits: int = 16,
    data_bytes: int | None = None,
) -> bytes:
    """A 44-byte canonical WAV header for integer PCM.

    Parameters
    ----------
    sample_rate_hz : int
        Frames per second.
    channels : int
        Interleaved channels.
    bits : int
        Bits per sample: 8 (unsigned), 16, 24 or 32 (signed).
    data_bytes : int or None
        Size of the PCM data that follows; None for a stream of unknown length, which
        writes 0xFFFFFFFF in both size fields as FFmpeg does for pipes (FFmpeg and
        libsndfile read such files to their end).

    Returns
    -------
    bytes
        Exactly 44 bytes.
    """
    if bits not in (8, 16, 24, 32):
        raise AudioError(f"WAV bits must be 8, 16, 24 or 32, got {bits}")
    fmt = AudioFormat(sample_rate_hz, channels, bits // 8)
    if data_bytes is None:
        riff_size = data_size = UNKNOWN_SIZE
    else:
        if not 0 <= data_bytes <= UNKNOWN_SIZE - 36 - 1:
            raise AudioError(f"data_bytes={data_bytes} does not fit a WAV file (max 4 GiB)")
        riff_size, data_size = 36 + data_bytes + data_bytes % 2, data_bytes
    return (
        b"RIFF"
        + struct.pack("<I", riff_size)
        + b"WAVEfmt "
        + struct.pack(
            "<IHHIIHH",
            16,
            1,  # integer PCM
            channels,
            sample_rate_hz,
            fmt.bytes_per_second,
            fmt.bytes_per_frame,
            bits,
        )
        + b"data"
        + struct.pack("<I", data_size)
    )


class StreamingWavWriter:
    """Write a WAV file whose length is not known in advance.

    The header goes out first with "unknown" sizes, so the file is playable while it
    grows and stays valid if the writer dies; :meth:`close` patches the real sizes
    in when the file object can seek (a pipe or socket keeps the unknown sizes).
    The file object is not closed.

    Parameters
    ----------
    file : BinaryIO
        Where to write (a file, BytesIO, a pipe …).
    sample_rate_hz : int
        Frames per second; default the model's (:data:`MODEL_FORMAT`).
    channels : int
        Interleaved channels; default the model's (1).
    bits : int
        8, 16, 24 or 32; default the model's (16). :meth:`write` (float samples) needs 16.
    """

    def __init__(
        self,
        file: BinaryIO,
        sample_rate_hz: int = MODEL_FORMAT.sample_rate_hz,
        channels: int = MODEL_FORMAT.channels,
        bits: int = 8 * MODEL_FORMAT.sample_width_bytes,
    ) -> None:
        self._file = file
        self.format = AudioFormat(sample_rate_hz, channels, bits // 8)
        self.bits = bits
        self.data_bytes = 0
        self.closed = False
        seekable = getattr(file, "seekable", None)
        self._start = file.tell() if seekable is not None and seekable() else None
        file.write(wav_header(sample_rate_hz, channels, bits, None))

    def write_pcm16(self, data: bytes | bytearray | memoryview) -> None:
        """Append raw PCM bytes in the writer's format (PCM16 LE for the default).

        Raises
        ------
        AudioError
            Data that is not a whole number of frames, or a closed writer.
        """
        if self.closed:
            raise AudioError("write to a closed StreamingWavWriter", code="closed")
        if len(data) % self.format.bytes_per_frame:
            raise AudioError(
                f"{len(data)} bytes is not a whole number of "
                f"{self.format.bytes_per_frame}-byte frames"
            )
        self._file.write(bytes(data))
        self.data_bytes += len(data)

    def write(self, samples: np.ndarray) -> None:
        """Append float samples in [-1, 1] [shape=(n,) or (n, channels)] as PCM16."""
        if self.bits != 16:
            raise AudioError(f"write() converts to PCM16; this writer has {self.bits} bits")
        self.write_pcm16(float32_to_pcm16(samples))

    @property
    def duration_ms(self) -> float:
        """Duration of the audio written so far, in ms."""
        return bytes_to_ms(self.data_bytes, self.format)

    def close(self) -> None:
        """Finish the file: pad an odd data chunk and, if seekable, write the real sizes."""
        if self.closed:
            return
        self.closed = True
        if self.data_bytes % 2:
            self._file.write(b"\x00")  # RIFF chunks are word-aligned
        if self._start is None or self.data_bytes > UNKNOWN_SIZE - 37:
            return
        end = self._file.tell()
        self._file.seek(self._start)
        self._file.write(
            wav_header(self.format.sample_rate_hz, self.format.channels, self.bits, self.data_bytes)
        )
        self._file.seek(end)

    def __enter__(self) -> StreamingWavWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
