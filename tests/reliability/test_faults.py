"""Upstream faults through the HTTP/WS API and the relay (issue 11, part 1).

Every fault is injected by the mock (in process, and over a real socket through the
openai SDK): before the reply starts the client gets an HTTP status with a JSON error,
after it started an in-band ``error`` event (WebSocket) or a cut body plus the error in
``GET /sessions/{id}`` (HTTP). Nothing hangs, the upstream session is closed, and the
same server keeps serving: a healthy session runs right after or alongside.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.reliability.harness import (
    Switchboard,
    api_app,
    assert_healthy_upload,
    assert_healthy_ws,
    closed_port,
    inprocess,
    is_type,
    mock_config,
    pcm16,
    receive_until,
    sdk_backend,
    serve,
    tone,
    upload,
    wav,
    ws_turn,
    ws_url,
)
from workbench.backends.base import Backend
from workbench.mock.config import Fault, MockConfig
from workbench.mock.server import MockServer, serve_mock

#: The relay's bound on upstream silence in these tests (s); a stall lasts longer.
RESPONSE_TIMEOUT_S = 0.5
STALL_S = 3.0
BACKENDS = ("inprocess", "mock-server")


@pytest.fixture
async def mock_server() -> AsyncIterator[MockServer]:
    async with serve_mock(mock_config()) as server:
        yield server


def backend_for(kind: str, server: MockServer, config: MockConfig) -> Backend:
    return inprocess(config) if kind == "inprocess" else sdk_backend(server.url, config)


def fault(kind: str, after_deltas: int) -> Fault:
    return Fault(kind, after_deltas=after_deltas, stall_s=STALL_S)  # type: ignore[arg-type]


async def session_record(client: httpx.AsyncClient, session_id: str) -> dict[str, Any]:
    """The session's record once it has ended (the reply's close runs after the body)."""
    async with asyncio.timeout(5.0):
        while True:
            record: dict[str, Any] = (await client.get(f"/sessions/{session_id}")).json()
            if record["status"] != "active":
                return record
            await asyncio.sleep(0.02)


# --- before the reply starts: a real HTTP status ---------------------------------------

BEFORE_REPLY = [
    # (fault kind, HTTP status, error code)
    ("error", 502, "server_error"),
    ("close_mid_response", 502, "upstream_closed"),
    ("stall", 503, "upstream_timeout"),
    ("rate_limit", 503, "rate_limit_exceeded"),
]


@pytest.mark.parametrize(
    ("route", "backend"),
    [("upload", "inprocess"), ("upload", "mock-server"), ("stream", "inprocess")],
)
@pytest.mark.parametrize(("kind", "status", "code"), BEFORE_REPLY)
async def test_fault_before_reply_is_an_http_error_and_server_keeps_serving(
    mock_server: MockServer, backend: str, kind: str, status: int, code: str, route: str
) -> None:
    switch = Switchboard(backend_for(backend, mock_server, mock_config(fault(kind, 0))))
    app = api_app(switch, response_timeout_s=RESPONSE_TIMEOUT_S)
    async with serve(app) as base, httpx.AsyncClient(base_url=base, timeout=10.0) as client:
        if route == "upload":
            response = await upload(client, tone(440.0, 0.5))
        else:
            response = await client.post(
                "/realtime_audio/stream",
                content=wav(tone(440.0, 0.5)),
                headers={"content-type": "audio/wav"},
            )
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["error"]["code"] == code
        assert response.json()["error"]["message"]
        await switch.wait_closed(1.0)
        switch.inner = backend_for(backend, mock_server, mock_config())
        await assert_healthy_upload(client)
        await switch.wait_closed(1.0)


# --- after the reply started: in-band ---------------------------------------------------

IN_BAND = [
    # (fault kind, error code, turn status)
    ("error", "server_error", "failed"),
    ("close_mid_response", "upstream_closed", "failed"),
    ("stall", "upstream_timeout", "failed"),
    ("malformed_frame", "protocol_error", "completed"),
]


@pytest.mark.parametrize("backend", ["mock-server"])
@pytest.mark.parametrize(("kind", "code", "turn_status"), IN_BAND)
async def test_fault_mid_reply_on_http_cuts_the_body_and_records_the_error(
    mock_server: MockServer, backend: str, kind: str, code: str, turn_status: str
) -> None:
    switch = Switchboard(backend_for(backend, mock_server, mock_config(fault(kind, 1))))
    app = api_app(switch, response_timeout_s=RESPONSE_TIMEOUT_S)
    async with serve(app) as base, httpx.AsyncClient(base_url=base, timeout=10.0) as client:
        response = await upload(client, tone(440.0, 1.0))
        assert response.status_code == 200  # the reply had started: the status is sent
        full_bytes = 24_000 * 2 * 1.0
        if turn_status == "failed":
            assert 0 < len(response.content) < full_bytes  # cut after the first delta
        record = await session_record(client, response.headers["x-session-id"])
        assert code in [e["code"] for e in record["errors"]]
        assert record["last_turn_status"] == turn_status
        assert record["end_reason"] == (
            "completed" if turn_status == "completed" else "upstream_error"
        )
        await switch.wait_closed(1.0)
        switch.inner = backend_for(backend, mock_server, mock_config())
        await assert_healthy_upload(client)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("kind", "code", "turn_status"), IN_BAND)
async def test_fault_mid_reply_on_ws_is_an_error_event_while_a_healthy_session_runs(
    mock_server: MockServer, backend: str, kind: str, code: str, turn_status: str
) -> None:
    switch = Switchboard(backend_for(backend, mock_server, mock_config(fault(kind, 1))))
    app = api_app(switch, response_timeout_s=RESPONSE_TIMEOUT_S)
    async with serve(app) as base:
        async with connect(ws_url(base, turn_detection="none")) as faulty:
            got = await receive_until(faulty, is_type("session"))
            # The faulty session is open upstream; the next one gets a healthy model.
            switch.inner = backend_for(backend, mock_server, mock_config())
            await faulty.send(pcm16(tone(440.0, 1.0)))
            await faulty.send(json.dumps({"type": "commit"}))
            healthy = asyncio.create_task(assert_healthy_ws(base))
            await receive_until(faulty, is_type("turn_done"), got)
            await healthy
            errors = got.of("error")
            assert [e["code"] for e in errors] == [code], got.messages
            assert errors[0]["message"]
            assert got.of("turn_done")[-1]["status"] == turn_status
        await switch.wait_closed(1.0)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_rate_limit_on_ws_is_an_error_event_and_the_turn_fails(
    mock_server: MockServer, backend: str
) -> None:
    switch = Switchboard(backend_for(backend, mock_server, mock_config(fault("rate_limit", 0))))
    async with serve(api_app(switch)) as base:
        got = await ws_turn(base, tone(440.0, 0.5))
        error = got.of("error")[0]
        assert error["code"] == "rate_limit_exceeded"
        assert "try again" in error["message"].lower()
        assert got.of("turn_done")[-1]["status"] == "failed"
        switch.inner = backend_for(backend, mock_server, mock_config())
        await assert_healthy_ws(base)
    assert switch.open_connections == 0


@pytest.mark.parametrize("backend", BACKENDS)
async def test_session_cap_ends_the_ws_session_with_a_clear_event(
    mock_server: MockServer, backend: str
) -> None:
    capped = mock_config(Fault("session_cap", session_cap_s=0.3), session_cap_s=0.3)
    switch = Switchboard(backend_for(backend, mock_server, capped))
    async with serve(api_app(switch)) as base:
        async with connect(ws_url(base, turn_detection="none")) as ws:
            got = await receive_until(ws, is_type("session_ended"), timeout_s=5.0)
        error = got.of("error")[0]
        assert error["code"] == "session_expired" and error["fatal"] is True
        assert got.of("session_ended")[0]["reason"] == "session_cap"
        await switch.wait_closed(1.0)
        switch.inner = backend_for(backend, mock_server, mock_config())
        await assert_healthy_ws(base)


# --- upstream unreachable at start -------------------------------------------------------


async def test_unreachable_upstream_is_503_and_a_fatal_ws_error() -> None:
    down = sdk_backend(f"ws://127.0.0.1:{closed_port()}")
    switch = Switchboard(down)
    async with serve(api_app(switch)) as base, httpx.AsyncClient(base_url=base) as client:
        response = await upload(client, tone(440.0, 0.3))
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "upstream_unreachable"
        response = await client.post(
            "/realtime_audio/stream",
            content=wav(tone(440.0, 0.3)),
            headers={"content-type": "audio/wav"},
        )
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "upstream_unreachable"
        async with connect(ws_url(base, turn_detection="none")) as ws:
            got = await receive_until(ws, is_type("session_ended"), timeout_s=10.0)
        error = got.of("error")[0]
        assert error["code"] == "upstream_unreachable"
        assert error["fatal"] is True and error["retryable"] is True
        # The model comes back: the same server serves again.
        async with serve_mock(mock_config()) as server:
            switch.inner = sdk_backend(server.url)
            await assert_healthy_upload(client)
            await assert_healthy_ws(base)
        health = (await client.get("/healthz")).json()
        assert health["active_sessions"] == 0
    assert switch.open_connections == 0
