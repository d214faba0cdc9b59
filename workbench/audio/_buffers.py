"""Buffers of the one-shot decoder (private): read an upload in place, collect samples.

Both exist to keep a decode's peak memory at the size of what it holds: no copy of the
encoded input, no final concatenation of the decoded blocks.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np


class BufferFile(io.RawIOBase):
    """A seekable, read-only file over a buffer, without copying it.

    ``io.BytesIO`` copies a ``bytearray`` or ``memoryview`` it is given (it shares only
    ``bytes``); an upload form hands its bytearray over and should not double in size.
    """

    def __init__(self, view: memoryview) -> None:
        super().__init__()
        self._view = view
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._view[self._position : self._position + len(buffer)]
        n = len(chunk)
        memoryview(buffer).cast("B")[:n] = chunk
        self._position += n
        return n

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: len(self._view)}
        self._position = max(0, base[whence] + offset)
        return self._position

    def tell(self) -> int:
        return self._position


#: Largest buffer reserved up front for a decode (bytes; see Collector).
_MAX_RESERVE_BYTES = 256 * 1024 * 1024


class Collector:
    """Decoded blocks gathered into one array without a final copy where possible.

    When the limits bound the output (they do whenever ``max_duration_s`` is set),
    one buffer of that bound is reserved and filled in place: the kernel commits only
    the pages written, so RSS is the decoded size, and no ``concatenate`` doubles it at
    the end. Unbounded decodes fall back to a list of blocks.
    """

    def __init__(self) -> None:
        self._buffer: np.ndarray | None = None
        self._n = 0
        self._blocks: list[np.ndarray] = []

    def add(self, block: np.ndarray, bound_samples: float) -> None:
        if self._buffer is None and not self._blocks and bound_samples * 4 <= _MAX_RESERVE_BYTES:
            self._buffer = np.empty(int(bound_samples), dtype=np.float32)
        if self._buffer is not None:
            self._buffer[self._n : self._n + len(block)] = block
        else:
            self._blocks.append(block)
        self._n += len(block)

    def samples(self) -> np.ndarray:
        if self._buffer is not None:
            return self._buffer[: self._n]
        return np.concatenate(self._blocks) if self._blocks else np.zeros(0, np.float32)

    def clear(self) -> None:
        self._buffer = None
        self._blocks.clear()
