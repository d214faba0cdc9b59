"""A whole clip decoded as a stream of blocks, so memory does not grow with its length.

:func:`decode_audio` returns every sample at once: a 5-minute 48 kHz clip is 58 MB of
float32 before resampling. :func:`iter_clip` reads the same inputs (bytes, a path, a
seekable file object; any container, including an m4a whose index is at its end) and
yields float32 mono blocks at the clip's own rate as FFmpeg decodes them, so a relay
can resample, chunk and send each block before decoding the next. The limits are
checked while decoding, the same ones :func:`decode_audio` applies.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from typing import Any, BinaryIO, Final

import numpy as np

from workbench.audio import _avdecode as avd
from workbench.audio._buffers import BufferFile
from workbench.audio._limits import BlockBudget
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
    source : bytes, path or binary file object
        An encoded clip in any format :func:`~workbench.audio.decode_audio` accepts (a
        pipe is read into memory first, up to ``max_bytes``).
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
    with opened_clip(source, max_bytes) as (file, size_bytes):
        yield from FileBlocks(file, size_bytes, BlockBudget(max_duration_s=max_duration_s))


@contextlib.contextmanager
def opened_clip(source: ClipSource, max_bytes: int | None) -> Iterator[tuple[Any, int]]:
    """The clip as a seekable file at position 0, and its size in bytes.

    Bytes are read in place (an upload is not copied); a path is opened here and
    closed on exit (never handed to FFmpeg, which would also take ``http://…`` or
    ``concat:…`` as URLs); a pipe, or a file positioned mid-way (which FFmpeg's
    absolute seeks would get wrong), is read into memory up to one byte past
    ``max_bytes``.

    Raises
    ------
    AudioDecodeError
        ``empty_input``, ``too_large``.
    AudioError
        A path that cannot be opened.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        view = memoryview(source).cast("B")
        check_input_size(len(view), max_bytes)
        yield BufferFile(view), len(view)
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
            yield file, size
        finally:
            file.close()
        return
    seekable = bool(getattr(source, "seekable", lambda: False)())
    if seekable and source.tell() == 0:
        size = source.seek(0, io.SEEK_END)
        source.seek(0)
        check_input_size(size, max_bytes)
        yield source, size
        return
    data = source.read(-1 if max_bytes is None else max_bytes + 1)
    check_input_size(len(data), max_bytes)
    yield io.BytesIO(data), len(data)


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
    budget : BlockBudget
        The limits (duration, decoded bytes) and the output rate: blocks come out at
        ``budget.out_rate_hz`` (the source's rate unless the budget resamples).
    """

    def __init__(self, file: Any, size_bytes: int, budget: BlockBudget) -> None:
        self.file = file
        self.size_bytes = size_bytes
        self.budget = budget
        self.facts: avd.StreamFacts | None = None

    def __iter__(self) -> Iterator[tuple[np.ndarray, int]]:
        file, budget = self.file, self.budget
        head = file.read(avd.HEAD_BYTES)
        file.seek(0)
        avd.check_riff_complete(head, self.size_bytes)
        with avd.open_input(file, head) as container:
            stream = avd.first_audio_stream(container)
            facts = self.facts = avd.stream_facts(container, stream, head)
            avd.check_declared(facts)
            for block, rate_hz in avd.iter_mono_blocks(container, stream):
                out = budget.push(block, rate_hz)
                yield out, budget.out_rate_hz or rate_hz
        tail = budget.flush()
        if tail.size:
            yield tail, budget.out_rate_hz or 1
        avd.check_not_truncated(facts, budget.n_out, budget.out_rate_hz or 1)
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


#: Audio per batch (s): big enough that a thread hop per batch is negligible, small
#: enough that memory does not grow with the clip.
BATCH_S: Final = 0.5


def take_batch(
    blocks: Iterator[tuple[np.ndarray, int]], batch_s: float = BATCH_S
) -> list[tuple[np.ndarray, int]]:
    """The next ``batch_s`` seconds of ``blocks`` (an empty list at their end).

    A caller that decodes in a worker thread takes a batch per call, so the thread hop
    is paid per ~``batch_s`` of audio, not per FFmpeg frame.
    """
    batch: list[tuple[np.ndarray, int]] = []
    taken_s = 0.0
    for samples, rate_hz in blocks:
        batch.append((samples, rate_hz))
        taken_s += len(samples) / rate_hz
        if taken_s >= batch_s:
            break
    return batch
