"""The mock realtime WebSocket server: a thin asyncio loop around MockRealtimeModel.

It accepts every URL and auth shape the clients use:

- OpenAI ``/v1/realtime?model=M`` with ``Authorization: Bearer KEY`` (the SDK builds
  ``{websocket_base_url}/realtime``, so any path ending in ``/realtime`` is accepted);
- Azure GA ``/openai/v1/realtime?model=DEPLOYMENT`` (bearer or ``api-key`` header);
- Azure preview ``/openai/realtime?api-version=…&deployment=…`` with an ``api-key``
  header or an Entra bearer token; an ``api-key`` query parameter; browser-style
  ``openai-insecure-api-key.KEY`` subprotocols.

With ``expected_key`` set, a wrong or missing key is refused during the handshake
with HTTP 401 and a JSON error body, like the service. The dialect is decided per
connection by its URL and headers, once: preview when the client sends ``OpenAI-Beta:
realtime=v1`` (the SDK's ``beta.realtime.connect`` does), offers the
``openai-beta.realtime-v1`` subprotocol, or uses a ``*-preview`` ``api-version`` (Azure's
``/openai/realtime`` path); otherwise GA. No event switches it: a session object in the
other dialect's shape is answered with the service's error (``unknown_parameter`` …).
``mock_*`` query parameters override the server's MockConfig per connection
(:meth:`MockConfig.from_query`; with the SDK: ``connect(..., extra_query={...})``).
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from workbench.clock import Clock, MonotonicClock
from workbench.errors import ConfigError, ProtocolError
from workbench.mock.config import MockConfig
from workbench.mock.model import CloseConnection, MockRealtimeModel, SendEvent, SendRaw
from workbench.netem.profiles import NetProfile
from workbench.netem.socket import MessageSocket, impair_socket
from workbench.protocol.dialects import Dialect, dumps, encode_server_event, loads
from workbench.redact import redacting_logger

log = logging.getLogger(__name__)
MAX_FRAME_BYTES = 16 * 1024 * 1024
_KEY_SUBPROTOCOL = "openai-insecure-api-key."
_BETA_SUBPROTOCOL = "openai-beta.realtime-v1"


@dataclass(frozen=True, slots=True)
class ConnectionInfo:
    """What the server learnt from one handshake (never the key itself).

    ``auth`` is how the client authenticated: ``bearer``, ``api-key``, ``query``,
    ``subprotocol`` or ``none``. ``dialect`` is the dialect chosen at the handshake.
    """

    path: str
    model: str
    dialect: Dialect
    auth: str
    config: MockConfig


@dataclass(frozen=True, slots=True)
class _Credential:
    auth: str
    key: str | None


class MockServer:
    """A running mock server (made by :func:`serve_mock`).

    Attributes
    ----------
    url : str
        ``ws://HOST:PORT``; with the SDK use ``websocket_base_url=url + "/v1"``.
    http_base_url : str
        ``http://HOST:PORT`` (for ``AsyncAzureOpenAI(azure_endpoint=...)``).
    active_connections, total_connections : int
        Open WebSocket sessions now, and accepted since start.
    connections : deque of ConnectionInfo
        The last 1000 accepted handshakes, oldest first.
    """

    def __init__(
        self,
        config: MockConfig,
        expected_key: str | None,
        clock: Clock,
        net: NetProfile | None = None,
    ) -> None:
        self.config = config
        self.net = net  # every connection's own side goes through this profile
        self.expected_key = expected_key
        self.clock = clock
        self.url = ""
        self.http_base_url = ""
        self.active_connections = 0
        self.total_connections = 0
        self.connections: deque[ConnectionInfo] = deque(maxlen=1000)
        self._handshakes: dict[int, ConnectionInfo] = {}
        self._idle = asyncio.Event()
        self._idle.set()

    async def wait_idle(self, timeout_s: float) -> None:
        """Wait until no connection is open (every handler has cleaned up).

        Raises
        ------
        TimeoutError
            If connections are still open after ``timeout_s`` seconds.
        """
        async with asyncio.timeout(timeout_s):
            await self._idle.wait()

    # -- handshake ----------------------------------------------------------------------

    def process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        """Check path, key and ``mock_*`` parameters; refuse like the service would."""
        parts = urlsplit(request.path)
        path = parts.path.rstrip("/")
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        azure = path.startswith("/openai")
        if not (path == "/realtime" or path.endswith("/realtime")):
            message = f"Invalid URL (GET {parts.path}): the realtime endpoint ends in /realtime"
            return _json_response(connection, 404, _openai_error(message, None))
        credential = _credential(request.headers, query)
        if self.expected_key is not None and credential.key != self.expected_key:
            return _json_response(connection, 401, _auth_error(credential.key, azure))
        try:
            config = self.config.with_query(query)
        except ConfigError as exc:
            return _json_response(connection, 400, _openai_error(exc.message, "bad_config"))
        info = ConnectionInfo(
            path=parts.path,
            model=query.get("model") or query.get("deployment") or "gpt-realtime",
            dialect=_handshake_dialect(request.headers, query),
            auth=credential.auth,
            config=config,
        )
        self._handshakes[id(connection)] = info
        return None

    @staticmethod
    def select_subprotocol(
        connection: ServerConnection, subprotocols: Sequence[Subprotocol]
    ) -> Subprotocol | None:
        """Accept the browser-style ``realtime`` subprotocol when offered."""
        return Subprotocol("realtime") if "realtime" in subprotocols else None

    # -- session ------------------------------------------------------------------------

    async def handler(self, ws: ServerConnection) -> None:
        """Serve one WebSocket session until either side closes."""
        info = self._handshakes.pop(id(ws))
        self.connections.append(info)
        self.total_connections += 1
        self.active_connections += 1
        self._idle.clear()
        model = MockRealtimeModel(info.config, info.dialect, model=info.model, epoch_s=time.time())
        wake = asyncio.Event()
        seed = self.total_connections
        async with impair_socket(ws, self.net, self.clock, seed=seed) as conn:
            pump = asyncio.create_task(self._pump(conn, model, wake), name="mock-pump")
            try:
                model.start(self.clock.now_ms())
                wake.set()
                await self._read(conn, model, wake, pump)
            except ConnectionClosed:
                pass
            finally:
                pump.cancel()
                with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                    await pump
            self.active_connections -= 1
            if self.active_connections == 0:
                self._idle.set()

    async def _read(
        self,
        ws: MessageSocket,
        model: MockRealtimeModel,
        wake: asyncio.Event,
        pump: asyncio.Task[None],
    ) -> None:
        async for message in ws:
            now_ms = self.clock.now_ms()
            try:
                data = loads(message)
            except ProtocolError as exc:
                model.reject(exc.message, now_ms, code="invalid_json", frame=message)
            else:
                model.receive_wire(data, now_ms)
            wake.set()
            if pump.done():
                return

    async def _pump(self, ws: MessageSocket, model: MockRealtimeModel, wake: asyncio.Event) -> None:
        """Send the model's outputs when they are due; wake early on new input."""
        while True:
            wake.clear()
            for output in model.due(self.clock.now_ms()):
                if isinstance(output, SendEvent):
                    await ws.send(dumps(encode_server_event(output.event, model.dialect)))
                elif isinstance(output, SendRaw):
                    await ws.send(output.text)
                elif isinstance(output, CloseConnection):
                    await ws.close(output.code, output.reason)
                    return
            await self._wait(wake, model.next_due_ms())

    async def _wait(self, wake: asyncio.Event, due_ms: float | None) -> None:
        waker = asyncio.ensure_future(wake.wait())
        if due_ms is None:
            try:
                await waker
            finally:
                waker.cancel()
            return
        sleeper = asyncio.ensure_future(self.clock.sleep_until(due_ms))
        try:
            await asyncio.wait({waker, sleeper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waker.cancel()
            sleeper.cancel()


def _credential(headers: Headers, query: Mapping[str, str]) -> _Credential:
    authorization = headers.get("Authorization")
    if authorization is not None and authorization.lower().startswith("bearer "):
        return _Credential("bearer", authorization[7:].strip())
    if headers.get("api-key") is not None:
        return _Credential("api-key", headers["api-key"])
    if query.get("api-key"):
        return _Credential("query", query["api-key"])
    for value in headers.get_all("Sec-WebSocket-Protocol"):
        for protocol in (p.strip() for p in value.split(",")):
            if protocol.startswith(_KEY_SUBPROTOCOL):
                return _Credential("subprotocol", protocol[len(_KEY_SUBPROTOCOL) :])
    return _Credential("none", None)


def _handshake_dialect(headers: Headers, query: Mapping[str, str]) -> Dialect:
    beta = any("realtime=v1" in v for v in headers.get_all("OpenAI-Beta"))
    offered = ",".join(headers.get_all("Sec-WebSocket-Protocol"))
    if beta or _BETA_SUBPROTOCOL in offered or "preview" in query.get("api-version", ""):
        return Dialect.PREVIEW
    return Dialect.GA


def _openai_error(message: str, code: str | None) -> dict[str, Any]:
    return {
        "error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}
    }


def _auth_error(key: str | None, azure: bool) -> dict[str, Any]:
    if azure:
        message = (
            "Access denied due to invalid subscription key or wrong API endpoint. Make sure "
            "to provide a valid key for an active subscription and use a correct regional "
            "API endpoint for your resource."
        )
        return {"error": {"code": "401", "message": message}}
    if key is None:
        message = (
            "You didn't provide an API key. You need to provide your API key in an "
            "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
        )
        return _openai_error(message, "missing_api_key")
    masked = f"{key[:3]}***{key[-2:]}" if len(key) > 8 else "***"
    return _openai_error(f"Incorrect API key provided: {masked}.", "invalid_api_key")


def _json_response(connection: ServerConnection, status: int, body: Mapping[str, Any]) -> Response:
    response = connection.respond(http.HTTPStatus(status), json.dumps(body))
    del response.headers["Content-Type"]
    response.headers["Content-Type"] = "application/json"
    return response


@contextlib.asynccontextmanager
async def serve_mock(
    config: MockConfig | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    expected_key: str | None = None,
    clock: Clock | None = None,
    net: NetProfile | None = None,
) -> AsyncIterator[MockServer]:
    """Run a mock realtime server for the duration of an ``async with`` block.

    Parameters
    ----------
    config : MockConfig, optional
        Default configuration of every session (``MockConfig()``: echo, 300 ms TTFA).
    host : str
        Interface to bind (127.0.0.1 by default).
    port : int
        TCP port; 0 picks a free one (read it from ``server.url``).
    expected_key : str, optional
        When set, handshakes without this key get HTTP 401.
    clock : Clock, optional
        Time base of the latency model (``MonotonicClock`` by default).
    net : NetProfile, optional
        Impair the mock's side of every connection with this network profile
        (``workbench mock --net``); each connection gets its own seeded link.

    Yields
    ------
    MockServer
        With ``url``, ``http_base_url``, connection counters and ``wait_idle``.

    Examples
    --------
    >>> async with serve_mock(MockConfig(behaviour="tone")) as server:  # doctest: +SKIP
    ...     client = AsyncOpenAI(api_key="test", websocket_base_url=server.url + "/v1")
    ...     async with client.realtime.connect(model="gpt-realtime") as conn: ...
    """
    server = MockServer(config or MockConfig(), expected_key, clock or MonotonicClock(), net)
    # websockets logs every handshake header (the client's key included) at DEBUG.
    redacting_logger("websockets.server")
    async with serve(
        server.handler,
        host,
        port,
        process_request=server.process_request,
        select_subprotocol=server.select_subprotocol,
        max_size=MAX_FRAME_BYTES,
    ) as ws_server:
        bound_host, bound_port = next(iter(ws_server.sockets)).getsockname()[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        server.url = f"ws://{shown}:{bound_port}"
        server.http_base_url = f"http://{shown}:{bound_port}"
        yield server


async def run_mock_server(
    host: str = "127.0.0.1",
    port: int = 0,
    config: MockConfig | None = None,
    expected_key: str | None = None,
    ready: Callable[[str], None] | None = None,
    net: NetProfile | None = None,
) -> None:
    """Serve the mock until cancelled; ``ready(url)`` is called once it listens."""
    async with serve_mock(config, host, port, expected_key, net=net) as server:
        log.info("mock realtime server listening on %s", server.url)
        if ready is not None:
            ready(server.url)
        await asyncio.Future()
