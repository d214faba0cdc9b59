"""The in-memory pipe between ``StreamingDecoder.feed`` and FFmpeg's reads (private).

FFmpeg's demuxers pull bytes; an upload pushes them. The worker thread's ``read``
blocks on this pipe until ``feed`` writes, and ``feed`` waits until the worker has used
up everything it was given (it is blocked asking for more), so what ``feed`` returns
is deterministic.
"""

from __future__ import annotations

import threading


class Aborted(Exception):
    """Raised inside the worker's read() when the decoder is torn down."""


class Pipe:
    """A non-seekable, blocking, in-memory byte pipe between feed() and FFmpeg."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._eof = False
        self._aborted = False
        self.reader_waiting = False
        self.reader_done = False
        self.condition = threading.Condition()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        # Non-seekable on purpose: with a seekable input some demuxers (ogg, mp3) jump
        # to the end first to learn the duration, which would block until the upload ends.
        return False

    def read(self, n_bytes: int = -1) -> bytes:
        with self.condition:
            while not self._buffer and not self._eof:
                if self._aborted:
                    raise Aborted
                self.reader_waiting = True
                self.condition.notify_all()
                self.condition.wait()
            self.reader_waiting = False
            if self._aborted:
                raise Aborted
            size = len(self._buffer) if n_bytes < 0 else n_bytes
            data = bytes(self._buffer[:size])
            del self._buffer[:size]
            return data

    def write(self, data: bytes) -> None:
        with self.condition:
            if not self.reader_done:
                self._buffer += data
                self.reader_waiting = False
                self.condition.notify_all()

    def end(self) -> None:
        with self.condition:
            self._eof = True
            self.condition.notify_all()

    def abort(self) -> None:
        with self.condition:
            self._aborted = True
            self.condition.notify_all()

    def wait_until_drained(self, timeout_s: float) -> bool:
        """Wait until the reader consumed everything and asks for more, or finished."""
        with self.condition:
            return self.condition.wait_for(
                lambda: self.reader_done or (self.reader_waiting and not self._buffer),
                timeout=timeout_s,
            )
