"""Connection-level timeouts uvicorn does not have: slow heads, slow bodies, stuck handshakes.

uvicorn bounds only the idle time *between* requests (``timeout_keep_alive``); a client
that sends its request head one byte a second, a body that trickles or stops short of
its ``Content-Length``, or a WebSocket handshake the websockets parser silently
rejects (a header line over 8 kB) holds a connection forever. ASGI middleware cannot
help: the app is called only once the head is complete. So this wraps uvicorn's own
HTTP protocol (whichever ``http="auto"`` picks) in :class:`GuardedProtocol`, which sees
every byte before uvicorn does and follows each request with a shadow ``h11`` parser
(h11 does the HTTP framing; nothing here parses HTTP by hand except counting head
line lengths). Pass ``http=guarded_http_protocol(ServerTimeouts())`` to
``uvicorn.Config`` / ``uvicorn.run``.

Per connection, one phase at a time:

- **head**: from the connection's start (or the first byte of a later request) the
  request head must be complete within ``header_timeout_s`` and within the line,
  count and size limits; else 408 / 414 / 431 and the connection is closed;
- **body**: while the server is reading (uvicorn did not pause it), every
  ``body_window_s`` must bring at least ``min_body_bytes_per_s`` on average; a body
  that trickles or stops short of its length gets 408 and the connection is closed;
- **handshake**: a WebSocket upgrade must be answered (101 or a refusal) within
  ``handshake_timeout_s``; after that the connection is the WebSocket's own;
- otherwise (the server is working or answering) nothing is timed here, except that a
  connection the server closed is aborted ``client_stall_timeout_s`` later if it is
  still open: asyncio's ``close()`` waits for the write buffer to drain, forever for a
  client that stopped reading (a reply, a WebSocket the session service gave up on).

One watchdog task per server checks deadlines every ``tick_s`` and ends itself when
no connection is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import deque
from typing import Any, cast

import h11
from uvicorn.protocols.http.auto import AutoHTTPProtocol

from workbench.app.server.observed_transport import ObservedTransport
from workbench.app.server.timeout_settings import ServerTimeouts

__all__ = ["GuardedProtocol", "ServerTimeouts", "error_answer", "guarded_http_protocol"]


_REASONS = {400: "Bad Request", 408: "Request Timeout", 414: "URI Too Long"}
_REASONS[431] = "Request Header Fields Too Large"


def error_answer(status: int, code: str, message: str) -> bytes:
    """A complete ``Connection: close`` HTTP/1.1 answer with the API's JSON error shape."""
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    head = (
        f"HTTP/1.1 {status} {_REASONS[status]}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


class _Watchdog:
    """The deadline checker of one server: a set of live connections and one task."""

    def __init__(self, tick_s: float) -> None:
        self.tick_s = tick_s
        self.connections: set[GuardedProtocol] = set()
        self._task: asyncio.Task[None] | None = None

    def add(self, connection: GuardedProtocol) -> None:
        self.connections.add(connection)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="conn-watchdog")

    def discard(self, connection: GuardedProtocol) -> None:
        self.connections.discard(connection)

    async def _run(self) -> None:
        while self.connections:
            await asyncio.sleep(self.tick_s)
            now_s = time.monotonic()
            for connection in list(self.connections):
                connection.check(now_s)


class GuardedProtocol(asyncio.Protocol):
    """uvicorn's HTTP protocol behind the limits of :class:`ServerTimeouts`.

    Constructed by uvicorn like its own protocols (``config``, ``server_state``,
    ``app_state``); see :func:`guarded_http_protocol`.
    """

    limits: ServerTimeouts = ServerTimeouts()
    watchdog: _Watchdog

    def __init__(self, **uvicorn_kwargs: Any) -> None:
        self.inner: asyncio.BaseProtocol = AutoHTTPProtocol(**uvicorn_kwargs)
        self.transport: asyncio.Transport | None = None
        self.phase = "head"
        self.paused = False
        self._phase_start_s = time.monotonic()
        self._completed = 0  # requests fully received on this connection
        self._wrote_since_head = False
        self._continue_sent = False
        self._h11: h11.Connection | None = self._new_parser()
        self._line_bytes = 0
        self._lines = 0
        self._head_bytes = 0
        self._body_window: deque[tuple[float, int]] = deque()
        self._body_window_start_s = self._phase_start_s
        self._lost = False
        self._abort_timer: asyncio.TimerHandle | None = None
        self._write_paused_at_s: float | None = None

    # -- asyncio.Protocol ---------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but have its methods.
        self.transport = cast(asyncio.Transport, transport)
        self._phase_start_s = time.monotonic()
        self.watchdog.add(self)
        self.inner.connection_made(ObservedTransport(self.transport, self))

    def connection_lost(self, exc: Exception | None) -> None:
        self.watchdog.discard(self)
        self.phase = "closed"
        self._lost = True
        if self._abort_timer is not None:
            self._abort_timer.cancel()
        self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self._write_paused_at_s = time.monotonic()  # the client is not taking our bytes
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self._write_paused_at_s = None
        self.inner.resume_writing()

    def eof_received(self) -> bool | None:
        if isinstance(self.inner, asyncio.Protocol):
            return self.inner.eof_received()
        return None

    def data_received(self, data: bytes) -> None:
        if self.phase == "closed":
            return
        now_s = time.monotonic()
        if self.phase == "wait":
            self._set_phase("head", now_s)  # the next request (keep-alive or pipelined)
        if self.phase == "head" and not self._count_head(data, now_s):
            return
        if self.phase == "body":
            self._body_window.append((now_s, len(data)))
        if self._h11 is not None:
            self._shadow(data, now_s)
        assert isinstance(self.inner, asyncio.Protocol)
        self.inner.data_received(data)

    # -- called by the transport wrapper and the watchdog --------------------------------
    def on_write(self, start: bytes) -> None:
        """uvicorn wrote bytes; ``start`` is their first few (an interim 100 is not an answer)."""
        if start.startswith(b"HTTP/1.1 100 "):
            self._continue_sent = True
            self._body_window_start_s = time.monotonic()
            return
        self._wrote_since_head = True
        if self.phase == "handshake":
            self.phase = "detached"  # answered: the WebSocket (or a refusal) owns it now
            self.watchdog.discard(self)

    def on_close(self) -> None:
        """uvicorn closed the connection: abort it if its unsent bytes are still waiting
        ``client_stall_timeout_s`` after the client last took any (at once, if writing
        has been paused that long already: the server gave up on a stalled client)."""
        if self._abort_timer is None and not self._lost:
            delay_s = self.limits.client_stall_timeout_s
            if self._write_paused_at_s is not None:
                delay_s = max(0.0, self._write_paused_at_s + delay_s - time.monotonic())
            loop = asyncio.get_running_loop()
            self._abort_timer = loop.call_later(delay_s, self._abort_if_open)

    def _abort_if_open(self) -> None:
        if not self._lost and self.transport is not None:
            self.transport.abort()

    def on_pause(self) -> None:
        """uvicorn stopped reading (its buffer is full): the body is not timed meanwhile."""
        self.paused = True

    def on_resume(self, now_s: float) -> None:
        """uvicorn reads again: a body's window starts afresh (the pause was ours)."""
        self.paused = False
        self._body_window.clear()
        self._body_window_start_s = now_s

    def check(self, now_s: float) -> None:
        """Enforce the deadline of the current phase (the watchdog calls this)."""
        limits = self.limits
        elapsed_s = now_s - self._phase_start_s
        if self.phase == "head" and elapsed_s > limits.header_timeout_s:
            self._refuse(
                408, "header_timeout", f"the request head took over {limits.header_timeout_s:g} s"
            )
        elif self.phase == "handshake" and elapsed_s > limits.handshake_timeout_s:
            self._refuse(408, "handshake_timeout", "the WebSocket handshake was not answered")
        elif self.phase == "body" and not self.paused:
            self._check_body(now_s)

    # -- internals ----------------------------------------------------------------------
    def _new_parser(self) -> h11.Connection:
        return h11.Connection(h11.SERVER, max_incomplete_event_size=self.limits.max_head_bytes)

    def _set_phase(self, phase: str, now_s: float) -> None:
        self.phase = phase
        self._phase_start_s = now_s
        if phase == "head":
            self._line_bytes = self._lines = self._head_bytes = 0
            self._wrote_since_head = self._continue_sent = False
        elif phase == "body":
            self._body_window.clear()
            self._body_window_start_s = now_s

    def _count_head(self, data: bytes, now_s: float) -> bool:
        """Track head line lengths; False (and the connection refused) past a limit."""
        limits = self.limits
        position = 0
        while position < len(data) and self.phase == "head":
            newline = data.find(b"\n", position)
            end = len(data) if newline < 0 else newline + 1
            self._line_bytes += end - position
            self._head_bytes += end - position
            first_line = self._lines == 0
            line_limit = (
                limits.max_request_line_bytes if first_line else limits.max_header_line_bytes
            )
            if self._line_bytes > line_limit:
                what = "request line (URL)" if first_line else "header line"
                status = 414 if first_line else 431
                self._refuse(status, "head_too_large", f"the {what} is over {line_limit} bytes")
                return False
            if newline < 0:
                break
            if self._line_bytes <= 2 and not first_line:
                # The blank line: the head is complete. h11 takes it from here; without
                # it (see _shadow) the connection is no longer timed.
                if self._h11 is None:
                    self.phase = "detached"
                    self.watchdog.discard(self)
                return True
            self._lines += 1
            self._line_bytes = 0
            position = end
            if (
                self._lines > limits.max_header_count + 1
                or self._head_bytes > limits.max_head_bytes
            ):
                self._refuse(431, "head_too_large", "the request head has too many header lines")
                return False
        return True

    def _shadow(self, data: bytes, now_s: float) -> None:
        """Follow the request framing with h11 to know when a body starts and ends."""
        parser = self._h11
        assert parser is not None
        try:
            parser.receive_data(data)
            while True:
                event = parser.next_event()
                if event is h11.NEED_DATA:
                    return
                if isinstance(event, h11.Request):
                    self._on_head_complete(parser, event, now_s)
                    if self.phase == "handshake":
                        return
                elif isinstance(event, h11.EndOfMessage):
                    self._completed += 1
                    self._set_phase("wait", now_s)
                    if not self._next_cycle(parser):
                        return
                elif event is h11.PAUSED or isinstance(event, h11.ConnectionClosed):
                    return
        except h11.RemoteProtocolError:
            # Stricter than uvicorn's parser: uvicorn answers 400 to what both reject,
            # and what it alone accepts is served, untimed from here (a legitimate
            # answer may take longer than any deadline this guard could set).
            self._h11 = None
            self.phase = "detached"
            self.watchdog.discard(self)

    def _on_head_complete(self, parser: h11.Connection, request: h11.Request, now_s: float) -> None:
        # h11's own rule for a protocol switch proposal: CONNECT, or an Upgrade header.
        upgrade = request.method == b"CONNECT" or any(
            name == b"upgrade" for name, _ in request.headers
        )
        if upgrade:
            self._h11 = None  # a WebSocket upgrade: no more HTTP on this connection
            self._set_phase("handshake", now_s)
        elif parser.their_state is h11.SEND_BODY:
            self._set_phase("body", now_s)

    def _next_cycle(self, parser: h11.Connection) -> bool:
        """Complete the shadow's side of the exchange so it can parse the next request."""
        if parser.our_state is not h11.SEND_RESPONSE:
            self._h11 = None
            return False
        parser.send(h11.Response(status_code=204, headers=[]))
        parser.send(h11.EndOfMessage())
        states: tuple[object, object] = (parser.our_state, parser.their_state)
        if states == (h11.DONE, h11.DONE):
            parser.start_next_cycle()
            return True
        self._h11 = None  # Connection: close, or HTTP/1.0: no next request
        return False

    def _check_body(self, now_s: float) -> None:
        parser = self._h11
        if (
            parser is not None
            and parser.client_is_waiting_for_100_continue
            and not self._continue_sent
        ):
            return  # the client waits for the server's "100 Continue" (RFC 9110)
        limits = self.limits
        window_s = limits.body_window_s
        while self._body_window and self._body_window[0][0] < now_s - window_s:
            self._body_window.popleft()
        if now_s - self._body_window_start_s < window_s:
            return
        received = sum(n for _, n in self._body_window)
        if received < limits.min_body_bytes_per_s * window_s:
            self._refuse(
                408,
                "body_timeout",
                f"the request body sent {received} bytes in the last {window_s:g} s "
                f"(at least {limits.min_body_bytes_per_s * window_s:.0f} expected) or "
                "stopped before its Content-Length",
            )

    def _refuse(self, status: int, code: str, reason: str) -> None:
        """Answer (when nothing else has started to) and close the connection."""
        phase, self.phase = self.phase, "closed"
        self.watchdog.discard(self)
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        answer_allowed = (phase == "head" and self._completed == 0) or (
            phase in ("body", "handshake") and not self._wrote_since_head
        )
        if answer_allowed:
            with contextlib.suppress(Exception):
                transport.write(error_answer(status, code, f"{reason}; the connection is closed"))
        transport.close()
        self.on_close()


def guarded_http_protocol(limits: ServerTimeouts) -> type[GuardedProtocol]:
    """A protocol class for ``uvicorn.Config(http=...)`` enforcing ``limits``.

    Each call makes a class with its own watchdog (one per server).

    Examples
    --------
    >>> config = uvicorn.Config(app, http=guarded_http_protocol(ServerTimeouts()))  # doctest: +SKIP
    """
    return type(
        "GuardedHttpProtocol",
        (GuardedProtocol,),
        {"limits": limits, "watchdog": _Watchdog(limits.tick_s)},
    )
