"""One-shot decoding of any client audio to float32 mono: files, bytes and arrays.

Encoded input goes through PyAV (FFmpeg) frame by frame, so limits are enforced while
decoding and a tiny file that expands to hours of audio is refused early. The limits do
not trust the header (see :mod:`workbench.audio._limits`): rates above 192 kHz and more
than 8 channels are refused, and with ``output_rate_hz`` (a server passes the model's
24 kHz) every block is resampled as it is decoded, so the duration limit bounds memory
at the output rate whatever rate the file declares. Arrays (a notebook, a microphone
callback) are validated and converted without FFmpeg.
See :mod:`workbench.audio.stream_decode` for uploads that are still arriving.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

from workbench.audio import _avdecode as avd
from workbench.audio._buffers import Collector
from workbench.audio._limits import (
    MAX_CHANNELS,
    BlockBudget,
    release_freed_memory,
    too_long_error,
)
from workbench.audio.clip_stream import FileBlocks, opened_clip
from workbench.audio.resample import DEFAULT_METHOD, ResamplerMethod, resample
from workbench.errors import AudioDecodeError, AudioError

AudioSource = bytes | bytearray | memoryview | str | os.PathLike[str] | BinaryIO | np.ndarray

# A 2-D array axis this short or shorter may be the channel axis (see decode_audio).
MAX_ARRAY_CHANNELS = MAX_CHANNELS
MIN_SAMPLE_RATE_HZ = 1000
MAX_SAMPLE_RATE_HZ = 768_000

# Integer dtypes → (offset, divisor) mapping their range onto [-1, 1).
_ARRAY_SCALES: dict[str, tuple[float, float]] = {
    "int8": (0.0, 128.0),
    "int16": (0.0, 32768.0),
    "int32": (0.0, 2.0**31),
    "uint8": (128.0, 128.0),
    "uint16": (32768.0, 32768.0),
}


@dataclass(frozen=True, eq=False)
class DecodedAudio:
    """Decoded audio: float32 mono at the source's rate, or at the requested output rate.

    Attributes
    ----------
    samples : np.ndarray [shape=(n,), dtype=float32]
        Mono samples in [-1, 1] (channels averaged); read-only.
    sample_rate_hz : int
        Sample rate of ``samples``: the source's, unless ``output_rate_hz`` was given.
    source_format : str
        FFmpeg container name (``"wav"``, ``"mov,mp4,m4a,3gp,3g2,mj2"``, ``"ogg"`` …)
        or ``"ndarray"``.
    codec : str
        FFmpeg decoder name (``"aac"``, ``"opus"``, ``"pcm_s16le"`` …) or the array dtype.
    channels_in : int
        Channel count of the source before the downmix.
    source_rate_hz : int or None
        The source's own rate (None: the same as ``sample_rate_hz``).
    """

    samples: np.ndarray
    sample_rate_hz: int
    source_format: str
    codec: str
    channels_in: int
    source_rate_hz: int | None = None

    @property
    def duration_s(self) -> float:
        """Length in seconds (``len(samples) / sample_rate_hz``)."""
        return len(self.samples) / self.sample_rate_hz


def decode_audio(
    source: AudioSource,
    *,
    sample_rate_hz: int | None = None,
    max_duration_s: float | None = 600.0,
    max_bytes: int | None = None,
    output_rate_hz: int | None = None,
    max_decoded_bytes: int | None = None,
    resampler: ResamplerMethod = DEFAULT_METHOD,
) -> DecodedAudio:
    """Decode a file, bytes, file object or array to float32 mono.

    Parameters
    ----------
    source : bytes | str | os.PathLike | BinaryIO | np.ndarray
        Encoded audio (wav PCM 8/16/24/32-bit, float, μ-law; flac; mp3; m4a/aac;
        ogg/opus; webm/opus; the audio track of a video), a path to such a file, or
        samples. An array may be ``(n,)``, ``(n, channels)`` or ``(channels, n)`` of any
        int8/16/32, uint8/16 or float32/64 dtype; for 2-D input the shorter axis is the
        channel axis if it has at most 8 entries (a square array is ``(n, channels)``).
        Float arrays are taken as [-1, 1] and clipped; integers are scaled by their range.
    sample_rate_hz : int, optional
        Sample rate of an array ``source`` (required then); must be None for encoded input.
    max_duration_s : float or None
        Refuse audio longer than this (code ``too_long``). Checked while decoding, in
        samples at the output rate, so memory stays bounded by this limit at that rate
        (at most 192 kHz without ``output_rate_hz``), whatever the file claims.
        None: no limit.
    max_bytes : int or None
        Refuse input larger than this many bytes (code ``too_large``). None: no limit.
    output_rate_hz : int or None
        Resample to this rate (Hz) while decoding, block by block (the model's 24,000
        for a server: ``workbench.audio.MODEL_FORMAT.sample_rate_hz``). None: keep the
        source's rate.
    max_decoded_bytes : int or None
        Refuse input that decodes to more float32 bytes than this (code ``too_large``),
        checked while decoding. None: bounded only by ``max_duration_s``.
    resampler : ResamplerMethod
        Resampling method for ``output_rate_hz`` (default ``"soxr-hq"``).

    Returns
    -------
    DecodedAudio
        ``samples`` float32 [shape=(n,)] at the source rate (or ``output_rate_hz``), and
        facts about the source.

    Raises
    ------
    AudioDecodeError
        ``empty_input``, ``not_audio`` (text, image, unknown bytes), ``corrupt``
        (truncated or damaged stream, nothing decodable, a malformed header),
        ``no_audio_track`` (a video or data-only container), ``unsupported_codec``,
        ``unsupported_rate`` (outside 1–192 kHz), ``too_many_channels`` (more than 8),
        ``too_long``, ``too_large``.
    AudioError
        Bad arguments: an array without ``sample_rate_hz``, a bad array shape or dtype,
        a path that does not exist.

    Examples
    --------
    >>> audio = decode_audio(np.zeros(4800, np.int16), sample_rate_hz=48000)
    >>> audio.duration_s, audio.samples.dtype
    (0.1, dtype('float32'))
    """
    if max_bytes is not None and max_bytes <= 0:
        raise AudioError(f"max_bytes must be positive or None, got {max_bytes}")
    if max_duration_s is not None and not max_duration_s > 0:
        raise AudioError(f"max_duration_s must be positive or None, got {max_duration_s}")
    if max_decoded_bytes is not None and max_decoded_bytes <= 0:
        raise AudioError(f"max_decoded_bytes must be positive or None, got {max_decoded_bytes}")
    if isinstance(source, np.ndarray):
        if sample_rate_hz is None:
            raise AudioError("sample_rate_hz is required when the audio is an array")
        decoded = _decode_array(source, sample_rate_hz, max_duration_s, max_bytes)
        return _array_at_rate(decoded, output_rate_hz, resampler, max_duration_s)
    if sample_rate_hz is not None:
        raise AudioError(
            "sample_rate_hz is only for array input; encoded audio carries its own rate"
        )
    limits = _Limits(max_duration_s, output_rate_hz, max_decoded_bytes, resampler)
    with opened_clip(source, max_bytes) as (file, size_bytes):
        return _decode_file(file, size_bytes, limits)


@dataclass(frozen=True)
class _Limits:
    max_duration_s: float | None
    output_rate_hz: int | None
    max_decoded_bytes: int | None
    resampler: ResamplerMethod

    def budget(self) -> BlockBudget:
        return BlockBudget(
            max_duration_s=self.max_duration_s,
            output_rate_hz=self.output_rate_hz,
            max_decoded_bytes=self.max_decoded_bytes,
            resampler=self.resampler,
        )


def _decode_file(file: Any, size_bytes: int, limits: _Limits) -> DecodedAudio:
    """Decode a seekable file object of ``size_bytes`` bytes (at position 0)."""
    budget = limits.budget()
    blocks = FileBlocks(file, size_bytes, budget)
    collected = Collector()
    try:
        for block, _rate_hz in blocks:
            collected.add(block, budget.max_out_samples)
        samples = collected.samples()
    finally:
        # A refusal must not leave the decoded blocks alive in the traceback's frames,
        # nor their pages held by the allocator once freed.
        collected.clear()
        release_freed_memory(budget.n_out * 4)
    facts = blocks.facts
    assert facts is not None  # set once the file is open
    return _finish(
        samples,
        budget.out_rate_hz or 1,
        facts.container_format,
        facts.codec,
        facts.channels,
        budget.source_rate_hz,
    )


def _finish(
    samples: np.ndarray,
    rate_hz: int,
    source_format: str,
    codec: str,
    channels: int,
    source_rate_hz: int | None = None,
) -> DecodedAudio:
    samples = np.ascontiguousarray(samples, dtype=np.float32)
    samples.setflags(write=False)
    source = source_rate_hz if source_rate_hz != rate_hz else None
    return DecodedAudio(samples, rate_hz, source_format, codec, channels, source)


def _array_at_rate(
    decoded: DecodedAudio,
    output_rate_hz: int | None,
    method: ResamplerMethod,
    max_duration_s: float | None,
) -> DecodedAudio:
    """``decoded`` (an array's samples) resampled to ``output_rate_hz`` if one is asked."""
    if output_rate_hz is None or output_rate_hz == decoded.sample_rate_hz:
        return decoded
    out = resample(decoded.samples, decoded.sample_rate_hz, output_rate_hz, method)
    if max_duration_s is not None and len(out) > max_duration_s * output_rate_hz:
        raise too_long_error(max_duration_s)
    return _finish(
        out,
        output_rate_hz,
        decoded.source_format,
        decoded.codec,
        decoded.channels_in,
        decoded.sample_rate_hz,
    )


def array_to_mono_float32(x: np.ndarray) -> tuple[np.ndarray, int]:
    """Convert an array of samples to float32 mono in [-1, 1].

    Parameters
    ----------
    x : np.ndarray [shape=(n,) or (n, channels) or (channels, n)]
        Any int8/16/32, uint8/16 or float32/64 samples; see :func:`decode_audio` for the
        channel-axis rule.

    Returns
    -------
    samples : np.ndarray [shape=(n,), dtype=float32]
    channels_in : int
    """
    if x.ndim == 1:
        frames = x[:, None]
    elif x.ndim == 2:
        n_rows, n_cols = x.shape
        if n_cols <= MAX_ARRAY_CHANNELS and n_cols <= n_rows:
            frames = x
        elif n_rows <= MAX_ARRAY_CHANNELS:
            frames = x.T
        else:
            raise AudioError(
                f"cannot tell the channel axis of an array of shape {x.shape}: one axis "
                f"must have at most {MAX_ARRAY_CHANNELS} channels"
            )
    else:
        raise AudioError(f"audio arrays must be 1-D or 2-D, got shape {x.shape}")
    dtype_name = x.dtype.name
    if dtype_name in ("float32", "float64", "float16"):
        if not np.isfinite(x).all():
            raise AudioDecodeError("the audio array contains NaN or infinity", code=avd.CORRUPT)
        as_float = frames.astype(np.float32, copy=False)
    elif dtype_name in _ARRAY_SCALES:
        offset, divisor = _ARRAY_SCALES[dtype_name]
        as_float = (frames.astype(np.float32) - np.float32(offset)) / np.float32(divisor)
    else:
        raise AudioError(
            f"unsupported audio dtype {dtype_name}; use int8/16/32, uint8/16 or float32/64"
        )
    channels = frames.shape[1]
    mono: np.ndarray = as_float[:, 0] if channels == 1 else as_float.mean(axis=1, dtype=np.float32)
    return np.clip(mono, -1.0, 1.0).astype(np.float32, copy=False), channels


def _decode_array(
    x: np.ndarray,
    sample_rate_hz: int,
    max_duration_s: float | None,
    max_bytes: int | None,
) -> DecodedAudio:
    if isinstance(sample_rate_hz, bool) or not isinstance(sample_rate_hz, int | np.integer):
        raise AudioError(f"sample_rate_hz must be an int, got {sample_rate_hz!r}")
    if not MIN_SAMPLE_RATE_HZ <= sample_rate_hz <= MAX_SAMPLE_RATE_HZ:
        raise AudioError(
            f"sample_rate_hz={sample_rate_hz} is outside "
            f"{MIN_SAMPLE_RATE_HZ}..{MAX_SAMPLE_RATE_HZ} Hz"
        )
    if x.size == 0:
        raise AudioDecodeError(f"the audio array is empty (shape {x.shape})", code="empty_input")
    if max_bytes is not None and x.nbytes > max_bytes:
        raise avd.too_large_error(x.nbytes, max_bytes)
    samples, channels = array_to_mono_float32(x)
    if max_duration_s is not None and len(samples) > max_duration_s * sample_rate_hz:
        raise too_long_error(max_duration_s)
    return _finish(samples, int(sample_rate_hz), "ndarray", x.dtype.name, channels)
