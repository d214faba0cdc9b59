"""Decoding an upload while it is still arriving.

FFmpeg's demuxers pull bytes; an upload pushes them. :class:`StreamingDecoder` runs
the PyAV decode loop on a worker thread that reads from an in-memory pipe, and each
:meth:`~StreamingDecoder.feed` waits until the worker has used up everything it was
given (it is blocked asking for more), so what ``feed`` returns is deterministic.

Streamable: wav, flac, mp3, ogg/opus, webm/opus, and mp4/m4a that is fragmented or
"faststart" (moov atom first). A plain m4a (what most encoders write: moov atom at the
end) cannot be decoded before its last byte; for those the decoder keeps the bytes and
decodes everything in :meth:`~StreamingDecoder.close`.

All sample work (downmix, the mp3 padding holdback, resampling to ``output_rate_hz``,
the limits of :mod:`workbench.audio._limits`) happens on the worker, so what waits for
the caller is already at the output rate and counted against the limits.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from dataclasses import replace
from types import TracebackType
from typing import Any

import numpy as np

from workbench.audio import _avdecode as avd
from workbench.audio._limits import BlockBudget, release_freed_memory, too_much_decoded_error
from workbench.audio._mp3gapless import mp3_gapless_samples
from workbench.audio._pipe import Aborted, Pipe
from workbench.audio.clip_stream import FileBlocks
from workbench.audio.resample import DEFAULT_METHOD, ResamplerMethod
from workbench.errors import AudioDecodeError, AudioError

# The mp3 demuxer reading a pipe does not drop the encoder padding at the end that the
# LAME header announces; holding back a few frames lets close() drop it so the result
# matches a one-shot decode. 4 frames of 1152 samples cover the 12-bit padding field.
_MP3_HOLDBACK_SAMPLES = 4 * 1152
# Enough of the start to hold an ID3v2 tag (without big cover art) and the LAME header.
_PREFIX_BYTES = 64 * 1024
#: The largest piece a server feeds at once (bytes). ``max_decoded_bytes`` bounds what
#: one fed piece expands to; feeding at most this much keeps that about the codec (a
#: bomb), not the reader's chunk size: 16 kB of the leanest speech codec in use (Opus
#: at 6 kb/s, 22 s) decodes to 2 MB of float32 at 24 kHz.
FEED_PIECE_BYTES = 16 * 1024
#: The bytes of an mp4/m4a kept for a decode at close() stay in memory up to this size,
#: then go to a temporary file.
RETAINED_IN_MEMORY_BYTES = 1024 * 1024

_EMPTY = np.zeros(0, dtype=np.float32)
_EMPTY.setflags(write=False)


class StreamingDecoder:
    """Decode encoded audio fed in pieces; samples come out as soon as FFmpeg has them.

    Parameters
    ----------
    max_duration_s : float or None
        Refuse streams longer than this (``too_long``, raised by the feed that crosses
        it), counted in samples at the output rate.
    max_bytes : int or None
        Refuse more than this many encoded bytes in total (``too_large``).
    timeout_s : float
        Longest wait for the worker in one ``feed`` or ``close``; a hang raises
        ``AudioError`` (code ``decode_timeout``) instead of blocking the caller forever.
    output_rate_hz : int or None
        Resample to this rate (Hz) on the worker (a server passes the model's 24,000);
        None keeps the source's rate.
    max_decoded_bytes : int or None
        Most float32 bytes decoded but not yet returned (``too_large`` beyond): one fed
        piece may not expand past this, whatever its codec claims. None: bounded only
        by ``max_duration_s``.
    resampler : ResamplerMethod
        Resampling method for ``output_rate_hz``.

    Attributes
    ----------
    sample_rate_hz : int or None
        Sample rate of the output, known once the first frames are decoded.
    source_format, codec : str or None
        FFmpeg container and decoder names, known once the header is parsed.

    Notes
    -----
    Errors surface from the ``feed`` during which they are detected (``not_audio`` may
    need the first ~32 kB to be sure) or from ``close`` (truncation). Until an mp4/m4a
    has produced its first samples its bytes are also kept in memory for the
    decode-at-close fallback; ``max_bytes`` bounds that copy.

    Examples
    --------
    >>> decoder = StreamingDecoder()
    >>> for piece in upload_pieces:                      # doctest: +SKIP
    ...     samples = decoder.feed(piece)                # float32 mono, maybe empty
    >>> tail = decoder.close()                           # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        max_duration_s: float | None = 600.0,
        max_bytes: int | None = None,
        timeout_s: float = 30.0,
        output_rate_hz: int | None = None,
        max_decoded_bytes: int | None = None,
        resampler: ResamplerMethod = DEFAULT_METHOD,
    ) -> None:
        self.sample_rate_hz: int | None = None
        self.source_format: str | None = None
        self.codec: str | None = None
        self._max_duration_s = max_duration_s
        self._max_bytes = max_bytes
        self._timeout_s = timeout_s
        self._output_rate_hz = output_rate_hz
        self._max_decoded_bytes = max_decoded_bytes
        self._resampler: ResamplerMethod = resampler
        # Built now so a bad output rate fails here, not on the worker.
        self._budget = BlockBudget(
            max_duration_s=max_duration_s, output_rate_hz=output_rate_hz, resampler=resampler
        )
        self._pipe = Pipe()
        self._lock = threading.Lock()  # guards the fields the worker writes below
        self._ready: list[np.ndarray] = []
        self._ready_bytes = 0
        self._error: AudioDecodeError | None = None
        self._facts: avd.StreamFacts | None = None
        self._head = b""
        self._prefix = bytearray()  # the first bytes fed (mp3 LAME header)
        self._tail = bytearray()  # the last bytes fed, for the Ogg completeness check
        self._n_bytes = 0
        self._n_emitted = 0
        # Bytes kept for a decode at close(); only for mp4/m4a (dropped as soon as the
        # head says otherwise), and only until the first samples prove it streams. In a
        # spooled file: a plain m4a of tens of MB waits on disk, not in memory.
        spooled = tempfile.SpooledTemporaryFile(max_size=RETAINED_IN_MEMORY_BYTES)  # noqa: SIM115
        self._retained: Any = spooled  # closed by _drop_retained or _decode_retained
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="StreamingDecoder", daemon=True)
        self._thread.start()

    # -- caller side ---------------------------------------------------------------
    def feed(self, data: bytes) -> np.ndarray:
        """Add encoded bytes; return the samples they completed.

        Parameters
        ----------
        data : bytes
            The next piece of the encoded stream (any size, may be empty).

        Returns
        -------
        np.ndarray [shape=(m,), dtype=float32]
            New mono samples in [-1, 1] at :attr:`sample_rate_hz`; often empty early on.

        Raises
        ------
        AudioDecodeError
            As :func:`~workbench.audio.decode.decode_audio`, as soon as it is known.
        """
        if self._closed:
            raise AudioError("feed() after close() on a StreamingDecoder", code="closed")
        if not data:
            return _EMPTY.copy()
        if len(self._prefix) < _PREFIX_BYTES:
            self._prefix += data[: _PREFIX_BYTES - len(self._prefix)]
            self._head = bytes(self._prefix[: avd.HEAD_BYTES])
        self._n_bytes += len(data)
        if self._max_bytes is not None and self._n_bytes > self._max_bytes:
            self._shutdown()
            raise avd.too_large_error(self._n_bytes, self._max_bytes)
        self._tail += data
        if len(self._tail) > 2 * avd.OGG_TAIL_BYTES:
            del self._tail[: len(self._tail) - avd.OGG_TAIL_BYTES]
        if self._retained is not None:
            if len(self._head) >= 8 and not avd.is_iso_bmff(self._head):
                self._drop_retained()
            else:
                self._retained.write(data)
        self._pipe.write(bytes(data))
        self._wait(self._pipe.wait_until_drained)
        return self._collect()

    def close(self) -> np.ndarray:
        """Mark the end of the input and return the remaining samples.

        Returns
        -------
        np.ndarray [shape=(k,), dtype=float32]
            The samples not returned by ``feed`` yet: the decoder's tail, or the whole
            file for an mp4/m4a with the moov atom at the end.

        Raises
        ------
        AudioDecodeError
            ``empty_input`` if nothing was fed; ``corrupt`` when the stream was cut off
            or nothing could be decoded; any error a ``feed`` would have raised.
        """
        blocks = list(self.close_blocks())
        return np.concatenate(blocks) if len(blocks) > 1 else blocks[0] if blocks else _EMPTY.copy()

    def close_blocks(self) -> Iterator[np.ndarray]:
        """:meth:`close`, block by block: a plain m4a decoded only now is not held whole.

        Yields
        ------
        np.ndarray [shape=(k,), dtype=float32]
            The remaining samples in order: the decoder's tail as one block, or the
            blocks of an mp4/m4a with the moov atom at the end as FFmpeg decodes them
            (so memory stays at one block, whatever the file's length).

        Raises
        ------
        AudioDecodeError
            As :meth:`close` (possibly after some blocks were yielded).
        """
        if self._closed:
            raise AudioError("close() called twice on a StreamingDecoder", code="closed")
        self._closed = True
        if self._n_bytes == 0:
            self._shutdown()
            raise AudioDecodeError("no audio bytes were fed", code=avd.EMPTY_INPUT)
        self._pipe.end()
        self._wait(lambda timeout_s: self._join(timeout_s))
        try:
            avd.check_riff_complete(self._head, self._n_bytes)
            if self._can_fall_back():
                yield from self._decode_retained()
                return
            tail = self._collect()
            facts = self._facts
            if facts is None or self.sample_rate_hz is None:
                raise AudioDecodeError("the stream decoded to no audio at all", code=avd.CORRUPT)
            source_rate_hz = self._budget.source_rate_hz or self.sample_rate_hz
            if facts.container_format == "mp3":
                # Read from a pipe, FFmpeg knows no mp3 length; the LAME header does.
                total = mp3_gapless_samples(bytes(self._prefix))
                if total is not None:
                    facts = replace(facts, declared_duration_s=total / source_rate_hz)
            avd.check_not_truncated(facts, self._n_emitted, self.sample_rate_hz)
            if facts.container_format == "ogg":
                avd.check_ogg_complete(bytes(self._tail[-avd.OGG_TAIL_BYTES :]))
            if tail.size:
                yield tail
        finally:
            release_freed_memory(self._budget.n_out * 4)

    def abort(self) -> None:
        """Stop decoding now, without waiting: the worker ends at its next read and its
        buffers go with it; ``feed``/``close`` raise ``closed`` afterwards. Safe from
        any thread (an owner on an event loop must not block on the worker)."""
        self._closed = True
        self._pipe.abort()

    def __enter__(self) -> StreamingDecoder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._shutdown()

    def __del__(self) -> None:
        # An abandoned decoder must not leave its worker blocked in read() forever.
        pipe = getattr(self, "_pipe", None)
        if pipe is not None:
            pipe.abort()

    def _shutdown(self) -> None:
        self._closed = True
        self._pipe.abort()
        self._join(self._timeout_s)
        with self._lock:
            self._ready.clear()
            self._ready_bytes = 0
        self._drop_retained()
        release_freed_memory(self._budget.n_out * 4)

    def _join(self, timeout_s: float) -> bool:
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def _wait(self, waiter: Any) -> None:
        if not waiter(self._timeout_s):
            self._pipe.abort()
            raise AudioError(
                f"the audio decoder did not finish within {self._timeout_s:g} s",
                code="decode_timeout",
            )

    def _can_fall_back(self) -> bool:
        """True while an mp4/m4a has produced nothing and could still be decoded whole."""
        with self._lock:
            ready = bool(self._ready)
            error = self._error
        if error is not None and error.code not in (avd.CORRUPT, avd.NOT_AUDIO):
            return False
        return self._retained is not None and self._n_emitted == 0 and not ready

    def _collect(self) -> np.ndarray:
        """Hand over what the worker decoded, or raise its error."""
        if not self._closed and self._can_fall_back():
            return _EMPTY.copy()  # an m4a that cannot stream yet: wait for close()
        with self._lock:
            blocks, self._ready = self._ready, []
            self._ready_bytes = 0
            error = self._error
        if error is not None:
            blocks.clear()
            self._shutdown()
            # Not kept once raised: its traceback will hold this frame, and so this
            # decoder, in a cycle only a (rare, on a server) full collection frees.
            self._error = None
            raise error
        out = np.concatenate(blocks) if blocks else _EMPTY.copy()
        self._n_emitted += len(out)
        if len(out):
            self._drop_retained()  # it streams: no fallback needed, free the copy
        return np.asarray(out, dtype=np.float32)

    def _decode_retained(self) -> Iterator[np.ndarray]:
        """Decode an mp4/m4a that could not stream (moov atom at the end), block by block.

        Within the same limits as a streamed decode (duration at the output rate), but
        not ``max_decoded_bytes``: the blocks go to the caller one at a time.
        """
        assert self._retained is not None
        file, self._retained = self._retained, None
        size_bytes = file.tell()
        file.seek(0)
        budget = BlockBudget(
            max_duration_s=self._max_duration_s,
            output_rate_hz=self._output_rate_hz,
            resampler=self._resampler,
        )
        blocks = FileBlocks(file, size_bytes, budget)
        try:
            for block, rate_hz in blocks:
                if self.sample_rate_hz is None:
                    facts = blocks.facts
                    assert facts is not None  # set once the file is open
                    self.sample_rate_hz = rate_hz
                    self.source_format, self.codec = facts.container_format, facts.codec
                self._n_emitted += len(block)
                if len(block):
                    yield block
        finally:
            file.close()
            release_freed_memory(budget.n_out * 4)

    def _drop_retained(self) -> None:
        retained, self._retained = self._retained, None
        if retained is not None:
            retained.close()

    # -- worker side ---------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._decode_loop()
        except Aborted:
            pass
        except AudioDecodeError as exc:
            # Without its traceback: the worker's frames hold the blocks being decoded
            # (up to max_decoded_bytes), which must go when the worker does.
            exc.__traceback__ = exc.__context__ = exc.__cause__ = None
            with self._lock:
                self._error = exc
        except Exception:  # a PyAV surprise must reach the caller, typed (no exception text)
            with self._lock:
                self._error = AudioDecodeError(
                    "the stream could not be decoded: it is corrupt or in an unsupported "
                    "form; re-encode it as wav, flac, mp3, ogg/opus or m4a",
                    code=avd.CORRUPT,
                )
        finally:
            with self._pipe.condition:
                self._pipe.reader_done = True
                self._pipe.condition.notify_all()

    def _decode_loop(self) -> None:
        # The header bytes are read by FFmpeg itself; the classification of an open
        # failure uses the first bytes the caller fed (already recorded by then).
        container = self._open()
        budget = self._budget
        with container:
            stream = avd.first_audio_stream(container)
            facts = avd.stream_facts(container, stream, self._head)
            avd.check_declared(facts)
            self._facts = facts
            self.source_format = facts.container_format
            self.codec = facts.codec
            holdback = _MP3_HOLDBACK_SAMPLES if facts.container_format == "mp3" else 0
            held = _EMPTY
            n_source = 0
            rate_hz = 0
            for block, rate_hz in avd.iter_mono_blocks(container, stream):
                joined = np.concatenate([held, block]) if len(held) else block
                keep = min(holdback, len(joined))
                held = joined[len(joined) - keep :].copy() if keep else _EMPTY
                emit = joined[: len(joined) - keep]
                n_source += len(emit)
                self._emit(budget.push(emit, rate_hz))
        if len(held):
            # The end of an mp3: drop the encoder padding the LAME header announced
            # (see _MP3_HOLDBACK_SAMPLES), then let the rest out.
            total = mp3_gapless_samples(bytes(self._prefix))
            if total is not None and total >= n_source:
                held = held[: total - n_source]
            self._emit(budget.push(held, rate_hz))
        self._emit(budget.flush())

    def _emit(self, out: np.ndarray) -> None:
        """Queue output for the caller, within the in-flight byte limit."""
        if self.sample_rate_hz is None and self._budget.out_rate_hz is not None:
            self.sample_rate_hz = self._budget.out_rate_hz
        if not len(out):
            return
        with self._lock:
            self._ready.append(out)
            self._ready_bytes += out.nbytes
            in_flight = self._ready_bytes
        if self._max_decoded_bytes is not None and in_flight > self._max_decoded_bytes:
            raise too_much_decoded_error(self._max_decoded_bytes)

    def _open(self) -> Any:
        try:
            return avd.open_input(self._pipe, b"", streaming=True)
        except AudioDecodeError as exc:
            if isinstance(exc.__cause__, Aborted):
                raise Aborted from exc
            # Re-classify with the real head now that the caller has fed it.
            cause = exc.__cause__ or exc
            raise avd.classify_open_failure(self._head, cause) from cause
