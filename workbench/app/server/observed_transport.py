"""A transport that tells its observer what the protocol on top of it does (private).

:class:`~workbench.app.server.timeouts.GuardedProtocol` stands between asyncio and
uvicorn's protocol; it hands uvicorn this wrapper of the real transport so that it
learns when uvicorn writes (an answer has started), pauses or resumes reading (the
server, not the client, is slow), closes (what it wrote may still wait for a client
that does not read) and switches protocol (the WebSocket upgrade) — all
through the public ``asyncio.Transport`` interface, nothing of uvicorn's internals.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Protocol


class TransportObserver(Protocol):
    """What :class:`ObservedTransport` reports to."""

    inner: asyncio.BaseProtocol

    def on_write(self, start: bytes) -> None: ...

    def on_pause(self) -> None: ...

    def on_resume(self, now_s: float) -> None: ...

    def on_close(self) -> None: ...


class ObservedTransport(asyncio.Transport):
    """The real transport, with writes, flow control and ``set_protocol`` reported.

    Parameters
    ----------
    real : asyncio.Transport
        The socket transport asyncio gave the observer.
    guard : TransportObserver
        Told about every write (its first bytes), pause and resume of reading; its
        ``inner`` becomes the protocol a ``set_protocol`` call names.
    """

    def __init__(self, real: asyncio.Transport, guard: TransportObserver) -> None:
        super().__init__()
        self._real = real
        self._guard = guard

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self._guard.on_write(bytes(data[:16]))
        self._real.write(data)

    def writelines(self, list_of_data: Any) -> None:
        for data in list_of_data:
            self.write(data)

    def write_eof(self) -> None:
        self._real.write_eof()

    def can_write_eof(self) -> bool:
        return self._real.can_write_eof()

    def close(self) -> None:
        self._real.close()
        self._guard.on_close()

    def is_closing(self) -> bool:
        return self._real.is_closing()

    def abort(self) -> None:
        self._real.abort()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._real.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self._guard.on_pause()
        self._real.pause_reading()

    def resume_reading(self) -> None:
        self._guard.on_resume(time.monotonic())
        self._real.resume_reading()

    def is_reading(self) -> bool:
        return self._real.is_reading()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._real.set_write_buffer_limits(high, low)

    def get_write_buffer_size(self) -> int:
        return self._real.get_write_buffer_size()

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._real.get_write_buffer_limits()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._guard.inner = protocol  # the guard stays in front, forwarding to it

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._guard.inner
