"""Caps on decoding that hold whatever a file claims (private).

A container's header is the attacker's to write: it can declare 4 MHz or 65,535
channels, and digital silence compresses ~7,000:1 in FLAC. So nothing here trusts it:

- every rate (declared, and of every decoded frame) must be within
  :data:`MIN_SOURCE_RATE_HZ`..:data:`MAX_SOURCE_RATE_HZ`, every channel count at most
  :data:`MAX_CHANNELS`;
- :class:`BlockBudget` turns decoded blocks into output blocks, optionally resampled
  to an output rate (the model's 24 kHz), and counts the duration limit in *output*
  samples, so the memory a duration limit allows is ``max_duration_s * output_rate_hz
  * 4`` bytes, whatever the file's rate;
- :func:`release_freed_memory` hands freed heap pages back to the system after a big
  decode: glibc keeps them otherwise (a refused 655 kHz FLAC left a process 740 MB
  larger until ``malloc_trim``; see docs/reliability.md).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from workbench.audio.resample import DEFAULT_METHOD, ResamplerMethod, StreamingResampler
from workbench.errors import AudioDecodeError

#: Source rates accepted (Hz): 1 kHz up to 192 kHz, the highest rate of real recordings
#: (8x the model's rate). FLAC can declare 655 kHz and WavPack 4 MHz; we decode neither.
MIN_SOURCE_RATE_HZ = 1_000
MAX_SOURCE_RATE_HZ = 192_000
#: Most channels accepted (7.1 surround); more is a hostile or broken header.
MAX_CHANNELS = 8
#: A decode that handled more than this many bytes of float32 is followed by a trim.
TRIM_AFTER_BYTES = 16 * 1024 * 1024

UNSUPPORTED_RATE = "unsupported_rate"
TOO_MANY_CHANNELS = "too_many_channels"


def check_rate(rate_hz: int, where: str) -> None:
    """Raise ``unsupported_rate`` (415) unless ``rate_hz`` is a rate we decode."""
    if not MIN_SOURCE_RATE_HZ <= rate_hz <= MAX_SOURCE_RATE_HZ:
        raise AudioDecodeError(
            f"the {where} sample rate is {rate_hz} Hz; only {MIN_SOURCE_RATE_HZ}–"
            f"{MAX_SOURCE_RATE_HZ} Hz audio is accepted: re-encode it at 48 kHz or lower",
            code=UNSUPPORTED_RATE,
        )


def check_channels(channels: int, where: str) -> None:
    """Raise ``too_many_channels`` (415) for more than :data:`MAX_CHANNELS` channels."""
    if channels > MAX_CHANNELS:
        raise AudioDecodeError(
            f"the {where} has {channels} channels; at most {MAX_CHANNELS} are accepted: "
            "send mono or stereo",
            code=TOO_MANY_CHANNELS,
        )


def too_long_error(max_duration_s: float) -> AudioDecodeError:
    """The error for audio longer than ``max_duration_s``."""
    return AudioDecodeError(
        f"the audio is longer than the limit of {max_duration_s:g} s; trim it or raise "
        "max_duration_s",
        code="too_long",
    )


def too_much_decoded_error(max_decoded_bytes: int) -> AudioDecodeError:
    """The error for input that decodes to more than ``max_decoded_bytes`` of float32."""
    return AudioDecodeError(
        f"the audio decodes to more than {max_decoded_bytes} bytes; send a shorter clip "
        "or a lower sample rate",
        code="too_large",
    )


class BlockBudget:
    """Checks decoded mono blocks against the limits and converts them to the output rate.

    Parameters
    ----------
    max_duration_s : float or None
        Longest audio accepted (s), counted in output samples.
    output_rate_hz : int or None
        Resample every block to this rate (Hz) as it is decoded; None keeps the
        source's rate.
    max_decoded_bytes : int or None
        Most float32 bytes of output accepted in total (None: no byte limit).
    resampler : ResamplerMethod
        Method used when ``output_rate_hz`` differs from the source's rate.

    Attributes
    ----------
    source_rate_hz, out_rate_hz : int or None
        Known after the first block.
    n_out : int
        Output samples produced so far.
    """

    def __init__(
        self,
        *,
        max_duration_s: float | None,
        output_rate_hz: int | None = None,
        max_decoded_bytes: int | None = None,
        resampler: ResamplerMethod = DEFAULT_METHOD,
    ) -> None:
        if output_rate_hz is not None:
            check_rate(output_rate_hz, "requested output")
        self.max_duration_s = max_duration_s
        self.output_rate_hz = output_rate_hz
        self.max_decoded_bytes = max_decoded_bytes
        self.method: ResamplerMethod = resampler
        self.source_rate_hz: int | None = None
        self.out_rate_hz: int | None = None
        self.n_out = 0
        self._max_out: float = np.inf
        self._resampler: StreamingResampler | None = None

    def push(self, block: np.ndarray, rate_hz: int) -> np.ndarray:
        """Take one decoded block at ``rate_hz``; return it at the output rate.

        Raises
        ------
        AudioDecodeError
            ``corrupt`` for a rate change midway, ``too_long`` past the duration,
            ``too_large`` past ``max_decoded_bytes``.
        """
        if self.source_rate_hz is None:
            self._start(rate_hz)
        elif rate_hz != self.source_rate_hz:
            raise AudioDecodeError(
                f"the sample rate changes inside the stream ({self.source_rate_hz} Hz → "
                f"{rate_hz} Hz); re-encode the file at one rate",
                code="corrupt",
            )
        out = block if self._resampler is None else self._resampler.process(block)
        return self._count(out)

    @property
    def max_out_samples(self) -> float:
        """Most output samples the limits allow (``inf`` without limits); known once
        the first block has set the rate."""
        return self._max_out

    def flush(self) -> np.ndarray:
        """The resampler's tail at the end of the stream (empty without resampling)."""
        if self._resampler is None:
            return np.zeros(0, np.float32)
        return self._count(self._resampler.flush())

    def _start(self, rate_hz: int) -> None:
        check_rate(rate_hz, "decoded")
        self.source_rate_hz = rate_hz
        self.out_rate_hz = self.output_rate_hz or rate_hz
        if self.out_rate_hz != rate_hz:
            self._resampler = StreamingResampler(rate_hz, self.out_rate_hz, self.method)
        if self.max_duration_s is not None:
            self._max_out = self.max_duration_s * self.out_rate_hz
        if self.max_decoded_bytes is not None:
            self._max_out = min(self._max_out, self.max_decoded_bytes / 4)

    def _count(self, out: np.ndarray) -> np.ndarray:
        self.n_out += len(out)
        if self.n_out > self._max_out:
            if self.max_decoded_bytes is not None and self.n_out * 4 > self.max_decoded_bytes:
                raise too_much_decoded_error(self.max_decoded_bytes)
            assert self.max_duration_s is not None
            raise too_long_error(self.max_duration_s)
        return out


@functools.cache
def _malloc_trim() -> Callable[[int], Any] | None:
    """glibc's ``malloc_trim``, or None on other C libraries (musl, macOS, Windows)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], Any] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def release_freed_memory(handled_bytes: int) -> None:
    """Return freed heap pages to the OS after a decode that handled ``handled_bytes``.

    Decoded frames are small (below glibc's mmap threshold), so they come from the
    heap, often of a worker thread's own arena; freed, they stay mapped. ``malloc_trim``
    walks every arena and releases whole free pages. It costs milliseconds, so it only
    runs after decodes above :data:`TRIM_AFTER_BYTES`.
    """
    if handled_bytes >= TRIM_AFTER_BYTES:
        trim_freed_memory()


def trim_freed_memory() -> None:
    """Return every whole free heap page to the OS now (glibc ``malloc_trim(0)``).

    A server calls it after sessions end: their buffers (reply queues, decoded audio)
    were freed in many small pieces that glibc would otherwise keep mapped. Costs a few
    ms on a large heap; a no-op on other C libraries.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
