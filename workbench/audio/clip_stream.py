"""A whole clip decoded as a stream of blocks, so memory does not grow with its length.

:func:`decode_audio` returns every sample at once: a 5-minute 48 kHz clip is 58 MB of
float32 before resampling. :func:`iter_clip` reads the same inputs (bytes, a path, a
seekable file object; any container, including an m4a whose index is at its end) and
yields float32 mono blocks at the clip's own rate as FFmpeg decodes them, so a relay
can resample, chunk and send each block before decoding the next. The limits are
checked while decoding, the same ones :func:`decode_audio` applies.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from typing import Any, BinaryIO

import numpy as np

from workbench.audio import _avdecode as avd
from workbench.errors import AudioDecodeError, AudioError

ClipSource = bytes | bytearray | memoryview | str | os.PathLike[str] | BinaryIO


def iter_clip(
    source: ClipSource,
    *,
    max_duration_s: float | None = None,
    max_bytes: int | None = None,
) -> Iterator[tuple[np.ndarray, int]]:
    """Decode ``source`` block by block.

    Parameters
    ----------
    source : bytes, path or seekable binary file object
        An encoded clip in any format :func:`~workbench.audio.decode_audio` accepts.
    max_duration_s : float | None
        Refuse audio longer than this many seconds (``too_long``), checked as it decodes.
    max_bytes : int | None
        Refuse a larger input (``too_large``) before decoding.

    Yields
    ------
    tuple[np.ndarray, int]
        ``(samples, sample_rate_hz)``: float32 mono blocks [shape=(n,)] in [-1, 1], in
        order, each as FFmpeg decoded it (typically 20–60 ms).

    Raises
    ------
    AudioDecodeError
        ``empty_input``, ``not_audio``, ``corrupt``, ``no_audio_track``, ``too_long``,
        ``too_large`` — possibly after some blocks were yielded (a truncated file is
        found out at its end).
    AudioError
        A path that cannot be opened.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        check_input_size(len(data), max_bytes)
        yield from FileBlocks(io.BytesIO(data), len(data), max_duration_s)
        return
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        try:
            file = open(path, "rb")  # noqa: SIM115 - closed in the finally below
        except OSError as exc:
            raise AudioError(f"cannot open audio file {path!r}: {exc.strerror}") from exc
        try:
            size = os.fstat(file.fileno()).st_size
            check_input_size(size, max_bytes)
            yield from FileBlocks(file, size, max_duration_s)
        finally:
            file.close()
        return
    if not source.seekable():
        raise AudioError("iter_clip needs a seekable file; use StreamingDecoder for a pipe")
    size = source.seek(0, io.SEEK_END)
    source.seek(0)
    check_input_size(size, max_bytes)
    yield from FileBlocks(source, size, max_duration_s)


def check_input_size(n_bytes: int, max_bytes: int | None) -> None:
    """Refuse empty input (``empty_input``) and input over ``max_bytes`` (``too_large``)."""
    if n_bytes == 0:
        raise AudioDecodeError("the input is empty (0 bytes)", code=avd.EMPTY_INPUT)
    if max_bytes is not None and n_bytes > max_bytes:
        raise avd.too_large_error(n_bytes, max_bytes)


class FileBlocks:
    """Iterate the decoded blocks of a seekable file; ``facts`` is set once it is open.

    Parameters
    ----------
    file : seekable binary file object at position 0
    size_bytes : int
        Its size (for the RIFF and Ogg completeness checks).
    max_duration_s : float | None
        Refuse audio longer than this (``too_long``), checked as it decodes.
    """

    def __init__(self, file: Any, size_bytes: int, max_duration_s: float | None) -> None:
        self.file = file
        self.size_bytes = size_bytes
        self.max_duration_s = max_duration_s
        self.facts: avd.StreamFacts | None = None

    def __iter__(self) -> Iterator[tuple[np.ndarray, int]]:
        file, max_duration_s = self.file, self.max_duration_s
        head = file.read(avd.HEAD_BYTES)
        file.seek(0)
        avd.check_riff_complete(head, self.size_bytes)
        with avd.open_input(file, head) as container:
            stream = avd.first_audio_stream(container)
            facts = self.facts = avd.stream_facts(container, stream)
            n_samples = 0
            rate_hz = 0
            max_samples: float = np.inf
            for block, block_rate_hz in avd.iter_mono_blocks(container, stream):
                if not rate_hz:
                    rate_hz = block_rate_hz
                    if max_duration_s is not None:
                        max_samples = max_duration_s * rate_hz
                elif block_rate_hz != rate_hz:
                    raise avd.rate_change_error(rate_hz, block_rate_hz)
                n_samples += len(block)
                if n_samples > max_samples:
                    assert max_duration_s is not None
                    raise avd.too_long_error(max_duration_s)
                yield block, rate_hz
        avd.check_not_truncated(facts, n_samples, rate_hz or 1)
        if facts.container_format == "ogg":
            file.seek(max(0, self.size_bytes - avd.OGG_TAIL_BYTES))
            avd.check_ogg_complete(file.read())


def probe_clip(
    source: ClipSource,
    *,
    max_duration_s: float | None = None,
    max_bytes: int | None = None,
) -> float:
    """Decode ``source`` to its end without keeping any samples; return its duration (s).

    A relay calls this before opening a paid upstream session for a clip it holds in
    full, so a truncated, corrupt or over-long clip is refused first; memory stays at
    one decoded block.

    Raises
    ------
    AudioDecodeError, AudioError
        As :func:`iter_clip`.
    """
    duration_s = 0.0
    for samples, rate_hz in iter_clip(source, max_duration_s=max_duration_s, max_bytes=max_bytes):
        duration_s += len(samples) / rate_hz
    if isinstance(source, io.IOBase):
        source.seek(0)
    return duration_s


def clip_size_bytes(source: ClipSource) -> int | None:
    """The size of an encoded clip in bytes (None when it cannot be told without reading)."""
    if isinstance(source, bytes | bytearray | memoryview):
        return len(source)
    if isinstance(source, str | os.PathLike):
        try:
            return os.stat(source).st_size
        except OSError:
            return None  # iter_clip says why it cannot be opened
    if source.seekable():
        here = source.tell()
        size = source.seek(0, io.SEEK_END)
        source.seek(here)
        return size
    return None
