"""nginx in front of two ``workbench api`` processes on loopback, as deployed: a
WebSocket session and uploads go through it, a session stays on one process, separate
connections spread over both, and streamed replies are not held back by the proxy."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from websockets.asyncio.client import connect

from workbench.bench.concurrency import utterance_pcm16
from workbench.bench.nginx import NginxSite, nginx_binary, nginx_process, upstreams_on
from workbench.bench.procs import ChildSpec, http_ok, started_all
from workbench.bench.scaleout_stack import api_command
from workbench.bench.servers import free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(nginx_binary() is None, reason="nginx not installed"),
]

IN_RATE_HZ = 48_000
BYTES_PER_S_24K = 48_000  # PCM16 mono 24 kHz replies


@dataclass(frozen=True)
class Stack:
    """nginx's URL and the URLs of the API processes behind it (for direct checks)."""

    url: str
    backends: list[str]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    ports = [free_port(), free_port()]
    env = {**os.environ, "WORKBENCH_BACKEND": "mock"}  # the in-process echo mock
    specs = [
        ChildSpec(
            api_command(port, mock_ttfa_ms=50.0),
            http_ok(f"http://127.0.0.1:{port}/healthz"),
            f"api on {port}",
            env,
        )
        for port in ports
    ]
    site = NginxSite(upstreams=upstreams_on(ports), listen=f"127.0.0.1:{free_port()}")
    with started_all(specs, timeout_s=60.0), nginx_process(site) as lb:
        yield Stack(lb.url, [f"http://127.0.0.1:{port}" for port in ports])


def _ws_url(base: str) -> str:
    query = f"?sample_rate_hz={IN_RATE_HZ}&turn_detection=none"
    return base.replace("http://", "ws://") + "/ws/realtime" + query


async def _ws_session(base: str, turns: int, headers: dict[str, str] | None = None) -> str:
    """Run ``turns`` echo turns of 0.3 s over one WebSocket; return its session id."""
    pcm = utterance_pcm16(0.3)
    async with asyncio.timeout(30.0), connect(_ws_url(base), additional_headers=headers) as ws:
        first = json.loads(await ws.recv())
        assert first["type"] == "session", first
        for _ in range(turns):
            await ws.send(pcm)
            await ws.send(json.dumps({"type": "commit"}))
            reply = 0
            async for message in ws:
                if isinstance(message, bytes):
                    reply += len(message)
                elif json.loads(message)["type"] == "turn_done":
                    break
            assert reply > 0.25 * BYTES_PER_S_24K  # the 0.3 s came back (echo)
        await ws.send(json.dumps({"type": "close"}))
    session_id: str = first["session_id"]
    return session_id


def _owners(stack: Stack, session_id: str) -> list[dict[str, object]]:
    """The records of ``session_id`` on each backend that has one (asked directly)."""
    found = []
    for backend in stack.backends:
        response = httpx.get(f"{backend}/sessions/{session_id}", timeout=5.0)
        if response.status_code == 200:
            found.append(response.json())
    return found


def _backend_of(stack: Stack, session_id: str) -> int:
    owners = [i for i, b in enumerate(stack.backends) if _owners(Stack(stack.url, [b]), session_id)]
    assert len(owners) == 1, owners
    return owners[0]


async def test_a_websocket_session_stays_on_one_process(stack: Stack) -> None:
    session_id = await _ws_session(stack.url, turns=3)
    (record,) = _owners(stack, session_id)  # exactly one process knows it …
    assert record["kind"] == "websocket"
    assert record["turn_count"] == 3  # … and it saw every turn


async def test_connections_spread_over_processes_unless_pinned(stack: Stack) -> None:
    spread = [await _ws_session(stack.url, turns=0) for _ in range(16)]
    counts = [0, 0]
    for session_id in spread:
        counts[_backend_of(stack, session_id)] += 1
    assert min(counts) > 0, counts  # one client address, yet both processes serve it
    pinned = {"X-Workbench-Affinity": "user-42"}
    owners = {
        _backend_of(stack, await _ws_session(stack.url, turns=0, headers=pinned)) for _ in range(6)
    }
    assert len(owners) == 1  # same key, same process, connection after connection


def test_an_upload_through_nginx_is_relayed_and_recorded(stack: Stack) -> None:
    with open("fixtures/audio/en_hello_16k_pcm16.wav", "rb") as clip:
        response = httpx.post(
            f"{stack.url}/realtime_audio/", files={"audio_file": clip}, timeout=30.0
        )
    assert response.status_code == 200, response.text
    assert response.headers["X-Sample-Rate"] == "24000"
    assert len(response.content) > 0.5 * BYTES_PER_S_24K
    (record,) = _owners(stack, response.headers["X-Session-Id"])
    assert record["end_reason"] == "completed"


def test_a_streamed_reply_is_not_buffered_by_the_proxy(stack: Stack) -> None:
    reply_s = 2.0  # the echo mock replies in real time: the reply lasts this long
    url = f"{stack.url}/realtime_audio/stream?input_format=pcm16&sample_rate_hz={IN_RATE_HZ}"
    arrivals: list[tuple[float, int]] = []
    with httpx.stream("POST", url, content=utterance_pcm16(reply_s), timeout=30.0) as response:
        assert response.status_code == 200
        for chunk in response.iter_raw():
            arrivals.append((time.monotonic(), len(chunk)))
    total = sum(n for _, n in arrivals)
    assert total > 0.9 * reply_s * BYTES_PER_S_24K
    # Buffered, the whole reply would arrive at once at its end; streamed, its first
    # bytes come while the rest is still being generated.
    assert arrivals[-1][0] - arrivals[0][0] > 0.5 * reply_s


def test_oversized_upload_is_refused_by_nginx_in_the_api_error_shape(stack: Stack) -> None:
    too_big = 50_000_001 + 1  # over ServerSettings().max_upload_bytes
    response = httpx.post(
        f"{stack.url}/realtime_audio/",
        content=b"\0" * too_big,
        headers={"Content-Type": "multipart/form-data; boundary=x"},
        timeout=30.0,
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_no_api_process_answering_gives_a_json_503() -> None:
    dead = free_port()  # nothing listens there
    site = NginxSite(upstreams=upstreams_on([dead]), listen=f"127.0.0.1:{free_port()}")
    with nginx_process(site) as lb:
        response = httpx.get(f"{lb.url}/healthz", timeout=10.0)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "backend_unavailable"
    assert "nginx/" not in response.headers.get("server", "")  # no version advertised
