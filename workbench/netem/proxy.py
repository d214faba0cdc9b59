"""``workbench netem``: a WebSocket/HTTP reverse proxy that puts a network profile in between.

Clients connect to the proxy as if it were the server; every request goes to
``upstream`` + the same path and query. Each WebSocket connection gets its own
:class:`~workbench.netem.link.NetemLink`: frames from the client cross the uplink,
frames from the server the downlink, each direction in order with its own delays; the
close crosses after the data. Each plain HTTP exchange gets a fresh link too: the
request head and every body chunk cross the uplink, the response head and every body
chunk (streamed, chunk by chunk) the downlink.

Starlette routes, uvicorn serves, ``websockets`` connects upstream and ``httpx`` forwards
HTTP; the proxy only adds the delay lines and the header hygiene of a reverse proxy
(hop-by-hop headers are not forwarded, RFC 9110 §7.6.1).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI
from websockets.typing import Subprotocol

from workbench.clock import Clock, MonotonicClock
from workbench.errors import ConfigError
from workbench.netem.delay_line import DelayLine
from workbench.netem.link import NetemLink
from workbench.netem.profiles import NetProfile
from workbench.netem.socket import Message, websocket_wire_bytes

log = logging.getLogger(__name__)

#: Largest WebSocket message forwarded (bytes), like the mock server's limit.
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
#: Bound on opening the upstream connection (s).
CONNECT_TIMEOUT_S = 10.0
#: Bound on the wait for the next upstream HTTP body chunk (s): replies stream slowly.
READ_TIMEOUT_S = 300.0
#: How long the second direction may take to wind down after the first closed (s).
CLOSE_GRACE_S = 30.0
#: Hop-by-hop and proxy-owned headers, never forwarded (RFC 9110 §7.6.1) — plus ``host``,
#: which httpx/websockets set for the upstream, and the WebSocket handshake headers.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
    }
)
_WS_HANDSHAKE = frozenset(
    {
        "sec-websocket-key",
        "sec-websocket-version",
        "sec-websocket-extensions",
        "sec-websocket-protocol",
        "sec-websocket-accept",
    }
)
_HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@dataclass(frozen=True, slots=True)
class _Closed:
    code: int
    reason: str


def upstream_base(url: str) -> tuple[str, str]:
    """The HTTP and WebSocket base URLs of ``url`` (``http(s)://`` or ``ws(s)://``).

    Raises
    ------
    ConfigError
        For another scheme, a missing host, or a query/fragment in the base URL.
    """
    parts = urlsplit(url)
    pairs = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}
    if parts.scheme not in pairs or not parts.netloc:
        raise ConfigError(
            f"--upstream must be an http://, https://, ws:// or wss:// URL with a host, got {url!r}"
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"--upstream must not have a query or fragment, got {url!r}")
    ws_scheme = pairs[parts.scheme]
    http_scheme = "https" if ws_scheme == "wss" else "http"
    path = parts.path.rstrip("/")
    return (
        urlunsplit((http_scheme, parts.netloc, path, "", "")),
        urlunsplit((ws_scheme, parts.netloc, path, "", "")),
    )


def forwardable(
    headers: Iterable[tuple[str, str]], drop: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """Headers minus hop-by-hop ones, those named in ``Connection``, and ``drop``."""
    pairs = list(headers)
    named = {
        token.strip().lower()
        for name, value in pairs
        if name.lower() == "connection"
        for token in value.split(",")
    }
    skip = _HOP_BY_HOP | named | drop
    return [(name, value) for name, value in pairs if name.lower() not in skip]


class NetemProxy:
    """The proxy's state: upstream, profile, clock, connection counter and HTTP client.

    Parameters
    ----------
    upstream : str
        Base URL of the real server (``http://`` … or ``ws://`` …).
    profile : NetProfile
        The path between the proxy's clients and the upstream.
    seed : int or str
        Connection ``n``'s link is seeded with ``f"{seed}:{n}"``.
    clock : Clock, optional
        Time base of the delays (``MonotonicClock``: real sockets need real time).
    """

    def __init__(
        self, upstream: str, profile: NetProfile, *, seed: int | str = 0, clock: Clock | None = None
    ) -> None:
        self.http_base, self.ws_base = upstream_base(upstream)
        self.profile = profile
        self.seed = seed
        self.clock = clock if clock is not None else MonotonicClock()
        self._numbers = itertools.count()
        self._client: httpx.AsyncClient | None = None

    def new_link(self) -> NetemLink:
        """A fresh link for the next connection or exchange."""
        return NetemLink(self.profile, f"{self.seed}:{next(self._numbers)}")

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        """Own one httpx client for the app's lifetime."""
        timeout = httpx.Timeout(CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S)
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
            self._client = client
            yield
            self._client = None

    def app(self) -> Starlette:
        """The ASGI app (WebSocket and HTTP on every path)."""
        return Starlette(
            routes=[
                WebSocketRoute("/{path:path}", self.websocket),
                Route("/{path:path}", self.http, methods=_HTTP_METHODS),
            ],
            lifespan=self.lifespan,
        )

    # -- WebSocket ----------------------------------------------------------------------

    async def websocket(self, client: WebSocket) -> None:
        """Open the upstream WebSocket, then relay frames both ways through the link."""
        query = client.url.query
        target = self.ws_base + client.url.path + (f"?{query}" if query else "")
        offered = [Subprotocol(p) for p in client.scope.get("subprotocols", [])]
        headers = forwardable(client.headers.items(), drop=_WS_HANDSHAKE)
        try:
            upstream = await connect(
                target,
                additional_headers=headers,
                subprotocols=offered or None,
                open_timeout=CONNECT_TIMEOUT_S,
                max_size=MAX_MESSAGE_BYTES,
                compression=None,
                ping_interval=None,
                user_agent_header=None,
            )
        except InvalidStatus as exc:
            status = exc.response.status_code
            body = bytes(exc.response.body or b"")
            kind = exc.response.headers.get("Content-Type", "text/plain")
            try:
                await client.send_denial_response(Response(body, status, media_type=kind))
            except RuntimeError:  # the ASGI server lacks the denial-response extension
                await client.close(1008, f"upstream refused the WebSocket: HTTP {status}")
            return
        except (OSError, TimeoutError, InvalidHandshake, InvalidURI) as exc:
            log.warning("netem proxy: upstream %s unreachable: %s", self.ws_base, exc)
            await client.close(1011, "upstream unreachable")
            return
        async with upstream:
            await client.accept(subprotocol=upstream.subprotocol)
            await self._relay_websocket(client, upstream, self.new_link())

    async def _relay_websocket(
        self, client: WebSocket, upstream: ClientConnection, link: NetemLink
    ) -> None:
        async def from_client() -> Message | _Closed:
            try:
                message = await client.receive()
            except (WebSocketDisconnect, RuntimeError):
                return _Closed(1000, "")
            if message["type"] == "websocket.disconnect":
                return _Closed(int(message.get("code", 1000)), str(message.get("reason") or ""))
            text = message.get("text")
            return text if text is not None else bytes(message.get("bytes") or b"")

        async def from_upstream() -> Message | _Closed:
            try:
                return await upstream.recv()
            except ConnectionClosed as exc:
                frame = exc.rcvd
                return _Closed(frame.code, frame.reason) if frame else _Closed(1006, "")

        async def to_client(message: Message) -> None:
            if isinstance(message, str):
                await client.send_text(message)
            else:
                await client.send_bytes(message)

        async def close_client(closed: _Closed) -> None:
            with contextlib.suppress(RuntimeError):
                await client.close(_sendable_code(closed.code), closed.reason)

        async def close_upstream(closed: _Closed) -> None:
            await upstream.close(_sendable_code(closed.code), closed.reason)

        up = asyncio.create_task(
            _pipe(from_client, upstream.send, close_upstream, DelayLine(link.uplink, self.clock)),
            name="netem-proxy-up",
        )
        down = asyncio.create_task(
            _pipe(from_upstream, to_client, close_client, DelayLine(link.downlink, self.clock)),
            name="netem-proxy-down",
        )
        try:
            _done, pending = await asyncio.wait({up, down}, return_when=asyncio.FIRST_COMPLETED)
            # The first side closed and its close was forwarded; the other side's
            # reader now sees the close too. Give it a bounded time to finish.
            if pending:
                await asyncio.wait(pending, timeout=CLOSE_GRACE_S)
        finally:
            for task in (up, down):
                task.cancel()
            for task in (up, down):
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    # -- HTTP ---------------------------------------------------------------------------

    async def http(self, request: Request) -> Response:
        """Forward one HTTP exchange; request and response cross the link chunk by chunk."""
        client = self._client
        if client is None:  # pragma: no cover - only outside the app's lifespan
            return _error(503, "proxy_not_ready", "the proxy is starting or stopping")
        link = self.new_link()
        up: DelayLine[bytes | _Closed] = DelayLine(link.uplink, self.clock)
        down: DelayLine[bytes | _Closed] = DelayLine(link.downlink, self.clock)
        headers = forwardable(request.headers.items())
        await up.put(b"", _head_bytes(request.method, request.url.path, headers))
        await up.get()  # the request head has arrived upstream

        async def body() -> AsyncIterator[bytes]:
            async for chunk in up:
                if isinstance(chunk, _Closed):
                    return
                yield chunk

        feeder = asyncio.create_task(_feed(request.stream(), up), name="netem-proxy-body-up")
        target = self.http_base + request.url.path
        upstream_request = client.build_request(
            request.method,
            target,
            params=request.url.query or None,
            headers=headers,
            content=body() if request.method not in ("GET", "HEAD") else None,
        )
        try:
            response = await client.send(upstream_request, stream=True)
        except httpx.TimeoutException as exc:
            feeder.cancel()
            return _error(504, "upstream_timeout", f"upstream timed out: {type(exc).__name__}")
        except httpx.HTTPError as exc:
            feeder.cancel()
            return _error(502, "upstream_unreachable", f"upstream unreachable: {exc}")
        out_headers = forwardable(response.headers.multi_items())
        await down.put(b"", _head_bytes(str(response.status_code), "", out_headers))
        await down.get()  # the response head has arrived at the client

        async def reply() -> AsyncIterator[bytes]:
            pump = asyncio.create_task(_feed(response.aiter_raw(), down), name="netem-proxy-down")
            try:
                async for chunk in down:
                    if isinstance(chunk, _Closed):
                        return
                    yield chunk
            finally:
                for task in (pump, feeder):
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
                await response.aclose()

        streamed = StreamingResponse(reply(), status_code=response.status_code)
        streamed.raw_headers = [(k.lower().encode(), v.encode()) for k, v in out_headers]
        return streamed


async def _pipe(
    receive: Callable[[], Awaitable[Message | _Closed]],
    send: Callable[[Message], Awaitable[None]],
    close: Callable[[_Closed], Awaitable[None]],
    line: DelayLine[Message | _Closed],
) -> None:
    """One direction: read → delay line → write; the close goes through the line last."""

    async def read() -> None:
        while True:
            item = await receive()
            if isinstance(item, _Closed):
                await line.put(item, 6)
                return
            await line.put(item, websocket_wire_bytes(item))

    reader = asyncio.create_task(read(), name="netem-pipe-read")
    try:
        async for item in line:
            if isinstance(item, _Closed):
                await close(item)
                return
            try:
                await send(item)
            except ConnectionClosed:
                return
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await reader


async def _feed(chunks: AsyncIterator[bytes], line: DelayLine[bytes | _Closed]) -> None:
    """Put every non-empty chunk on ``line``, then the end marker (also on errors)."""
    try:
        async for chunk in chunks:
            if chunk:
                await line.put(chunk, len(chunk))
    finally:
        with contextlib.suppress(RuntimeError):
            await line.put(_Closed(0, ""), 0)


def _head_bytes(first: str, second: str, headers: list[tuple[str, str]]) -> int:
    """Approximate bytes of an HTTP/1.1 start line and headers."""
    return len(first) + len(second) + 12 + sum(len(k) + len(v) + 4 for k, v in headers) + 2


def _sendable_code(code: int) -> int:
    """A close code that may be sent (1005/1006/1015 are reserved for reporting only)."""
    return 1000 if code in (1005, 1006, 1015) or not 1000 <= code <= 4999 else code


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
