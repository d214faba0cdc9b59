"""The ``workbench netem`` proxy with real servers on 127.0.0.1 (real clock, generous bounds).

Lower bounds are exact (the proxy never delivers early); upper bounds only catch a
proxy that adds far more than its profile. Real figures belong in a benchmark.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.http11 import Request as WsRequest
from websockets.http11 import Response as WsResponse
from websockets.typing import Subprotocol

from tests.support.servers import closed_port
from tests.support.servers import serve as serve_app
from workbench.errors import ConfigError
from workbench.netem.profiles import PROFILES, LinkParams, NetProfile
from workbench.netem.proxy import NetemProxy, forwardable, upstream_base

UP_MS, DOWN_MS = 100.0, 150.0
FIXED = NetProfile("fixed", LinkParams(delay_ms=UP_MS), LinkParams(delay_ms=DOWN_MS))
#: Slack allowed on top of the profile on a loaded 2-core machine (ms).
SLACK_MS = 1500.0


@contextlib.asynccontextmanager
async def ws_upstream() -> AsyncIterator[str]:
    """An echo WebSocket server; ``close:N`` makes it close with code N; 401 on /secret."""

    async def handler(ws: ServerConnection) -> None:
        async for message in ws:
            if isinstance(message, str) and message.startswith("close:"):
                await ws.close(int(message[6:]), "asked to")
                return
            await ws.send(message)

    def process_request(conn: ServerConnection, request: WsRequest) -> WsResponse | None:
        if request.path.startswith("/secret"):
            return conn.respond(401, "no key\n")
        return None

    def select(conn: ServerConnection, offered: list[Subprotocol]) -> Subprotocol | None:
        return Subprotocol("realtime") if "realtime" in offered else None

    async with serve(
        handler, "127.0.0.1", 0, process_request=process_request, select_subprotocol=select
    ) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        yield f"ws://127.0.0.1:{port}"


@contextlib.asynccontextmanager
async def proxied(upstream: str, profile: NetProfile = FIXED) -> AsyncIterator[str]:
    proxy = NetemProxy(upstream, profile, seed=1)
    async with serve_app(proxy.app(), ws_ping_interval=None) as url:
        yield url


async def test_websocket_round_trip_takes_both_delays_and_keeps_order() -> None:
    async with asyncio.timeout(30), ws_upstream() as up, proxied(up) as url:
        ws_url = url.replace("http", "ws") + "/v1/realtime?model=m"
        async with connect(ws_url) as ws:
            t0 = time.perf_counter()
            await ws.send("ping")
            assert await ws.recv() == "ping"
            rtt_ms = (time.perf_counter() - t0) * 1000
            assert UP_MS + DOWN_MS <= rtt_ms < UP_MS + DOWN_MS + SLACK_MS
            messages = [f"m{i}" for i in range(50)] + [bytes(range(256)) * 40]
            for m in messages:
                await ws.send(m)
            assert [await ws.recv() for _ in messages] == messages


async def test_subprotocol_is_negotiated_with_the_upstream() -> None:
    async with asyncio.timeout(30), ws_upstream() as up, proxied(up) as url:
        ws_url = url.replace("http", "ws") + "/x"
        async with connect(ws_url, subprotocols=[Subprotocol("realtime")]) as ws:
            assert ws.subprotocol == "realtime"


async def test_upstream_close_code_reaches_the_client_after_the_data() -> None:
    async with asyncio.timeout(30), ws_upstream() as up, proxied(up) as url:
        ws_url = url.replace("http", "ws") + "/x"
        async with connect(ws_url) as ws:
            await ws.send("before")
            await ws.send("close:4001")
            assert await ws.recv() == "before"
            with pytest.raises(ConnectionClosed) as info:
                await ws.recv()
            assert info.value.rcvd is not None and info.value.rcvd.code == 4001


async def test_upstream_refusal_is_passed_on_as_an_http_status() -> None:
    async with asyncio.timeout(30), ws_upstream() as up, proxied(up) as url:
        with pytest.raises(InvalidStatus) as info:
            async with connect(url.replace("http", "ws") + "/secret"):
                pass
        assert info.value.response.status_code == 401


async def test_unreachable_websocket_upstream_closes_the_client() -> None:
    async with asyncio.timeout(30), proxied(f"ws://127.0.0.1:{closed_port()}") as url:
        with pytest.raises((ConnectionClosed, InvalidStatus)):
            async with connect(url.replace("http", "ws") + "/x") as ws:
                await ws.recv()


def _http_upstream() -> Starlette:
    async def stream(request: Request) -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            for i in range(5):
                yield f"chunk{i};".encode()
                await asyncio.sleep(0.01)

        return StreamingResponse(chunks(), headers={"x-upstream": "yes"})

    async def echo(request: Request) -> Response:
        body = await request.body()
        return JSONResponse(
            {
                "bytes": len(body),
                "q": request.url.query,
                "auth": request.headers.get("authorization"),
            }
        )

    return Starlette(routes=[Route("/stream", stream), Route("/echo", echo, methods=["POST"])])


async def test_http_streamed_body_crosses_chunk_by_chunk_with_both_delays() -> None:
    async with asyncio.timeout(30), serve_app(_http_upstream()) as up, proxied(up) as url:
        timeout = httpx.Timeout(20.0)
        async with httpx.AsyncClient(timeout=timeout) as client:
            t0 = time.perf_counter()
            async with client.stream("GET", url + "/stream") as response:
                head_ms = (time.perf_counter() - t0) * 1000
                body = b"".join([c async for c in response.aiter_bytes()])
            assert response.status_code == 200
            assert response.headers["x-upstream"] == "yes"
            assert body == b"chunk0;chunk1;chunk2;chunk3;chunk4;"
            assert UP_MS + DOWN_MS <= head_ms < UP_MS + DOWN_MS + SLACK_MS


async def test_http_upload_query_and_auth_are_forwarded_unchanged() -> None:
    payload = bytes(200_000)
    async with asyncio.timeout(30), serve_app(_http_upstream()) as up, proxied(up) as url:
        timeout = httpx.Timeout(20.0)
        async with httpx.AsyncClient(timeout=timeout) as client:
            r = await client.post(
                url + "/echo?a=1&b=two", content=payload, headers={"Authorization": "Bearer k"}
            )
            assert r.json() == {"bytes": len(payload), "q": "a=1&b=two", "auth": "Bearer k"}
            assert (await client.get(url + "/nowhere")).status_code == 404


async def test_unreachable_http_upstream_is_a_502_json_error() -> None:
    async with asyncio.timeout(30), proxied(f"http://127.0.0.1:{closed_port()}") as url:
        timeout = httpx.Timeout(20.0)
        async with httpx.AsyncClient(timeout=timeout) as client:
            r = await client.get(url + "/anything")
    assert r.status_code == 502
    assert r.json()["error"]["code"] == "upstream_unreachable"


async def test_the_none_profile_adds_no_measurable_floor() -> None:
    async with asyncio.timeout(30), ws_upstream() as up, proxied(up, PROFILES["none"]) as url:
        ws_url = url.replace("http", "ws") + "/x"
        async with connect(ws_url) as ws:
            await ws.send("ping")
            assert await ws.recv() == "ping"


def test_upstream_urls_are_checked() -> None:
    assert upstream_base("http://h:1/base/") == ("http://h:1/base", "ws://h:1/base")
    assert upstream_base("wss://h") == ("https://h", "wss://h")
    for bad in ("ftp://h", "http://", "h:80", "http://h/?q=1"):
        with pytest.raises(ConfigError):
            upstream_base(bad)


def test_hop_by_hop_headers_are_not_forwarded() -> None:
    headers = [
        ("Connection", "keep-alive, X-Private"),
        ("X-Private", "1"),
        ("Host", "h"),
        ("Transfer-Encoding", "chunked"),
        ("Authorization", "Bearer k"),
    ]
    assert forwardable(headers) == [("Authorization", "Bearer k")]
