"""Clients of ``workbench bench abuse`` that stop reading: an HTTP reply, a WebSocket.

A library client keeps reading into its own buffers (websockets does, even with a
small ``max_queue``), which hides the attack; these use raw sockets (and websockets'
sans-I/O protocol to frame what they send) and read nothing until the end, when they
check whether the server closed the connection. While they hold, ``/healthz`` is polled
to time when the server ended their sessions.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from typing import Any

import httpx
from websockets.client import ClientProtocol
from websockets.uri import parse_uri

from workbench.bench.abuse_cases import STREAM, Case, CaseOutcome, auth_token
from workbench.bench.abuse_clients import (
    CLOSED_CHECK_S,
    hold_without_reading,
    request_head,
    server_closed,
)
from workbench.bench.abuse_server import Target

#: Longest wait for the server to end the sessions (s), past the clients' hold.
_ENDED_CAP_S = 60.0
#: Sends of input audio per second of a WebSocket client (1 s of audio each): fast, but
#: slow enough for the server's bounded input queue to take every message.
_WS_SENDS_PER_S = 50.0


async def _sessions_ended_after(target: Target, start_s: float, cap_s: float) -> float | None:
    """Seconds from ``start_s`` until ``/healthz`` shows no live session (None: not in time)."""
    async with httpx.AsyncClient(base_url=target.url, timeout=5.0) as client:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(cap_s):
                await asyncio.sleep(1.0)  # let the sessions open first
                while True:
                    with contextlib.suppress(httpx.HTTPError, ValueError, KeyError):
                        answer = await client.get("/healthz")
                        if answer.json()["active_sessions"] == 0:
                            return time.perf_counter() - start_s
                    await asyncio.sleep(0.2)
    return None


async def _end_reasons(target: Target, clients: int) -> dict[str, Any]:
    """How the last ``clients`` sessions ended: reasons and error codes, and how long the
    slowest lived (s, from its record)."""
    reasons: Counter[str] = Counter()
    lives_s: list[float] = []
    headers = {"Authorization": f"Basic {auth_token(target)}"} if target.auth else None
    async with httpx.AsyncClient(base_url=target.url, timeout=10.0, headers=headers) as client:
        with contextlib.suppress(httpx.HTTPError, ValueError, KeyError):
            listed = (await client.get("/sessions", params={"limit": clients})).json()
            for summary in listed["sessions"]:
                record = (await client.get(f"/sessions/{summary['session_id']}")).json()
                codes = [e["code"] for e in record.get("errors", []) if e.get("fatal")]
                reasons[f"{record['end_reason']}{' ' + codes[-1] if codes else ''}"] += 1
                if record.get("ended_unix_s") is not None:
                    lives_s.append(record["ended_unix_s"] - record["created_unix_s"])
    return {"end_reasons": dict(reasons), "longest_session_s": max(lives_s, default=None)}


def _label(closed: int, clients: int, ended_s: float | None, hold_s: float) -> str:
    ended = (
        f"sessions ended at {ended_s:.1f} s"
        if ended_s is not None
        else f"sessions live at {_ENDED_CAP_S:g} s"
    )
    return f"{closed}/{clients} closed by server within {hold_s:g} s, {ended}"


def non_reading_case(clip: bytes, *, clients: int, hold_s: float, query: str = "") -> Case:
    """``clients`` upload ``clip`` on the stream route and never read the reply."""

    async def case(target: Target) -> CaseOutcome:
        host, port = target.host_port
        head = request_head(
            "POST",
            STREAM + query,
            content_type="audio/wav",
            content_length=len(clip),
            basic_auth=auth_token(target),
        )
        start_s = time.perf_counter()
        ended = asyncio.create_task(_sessions_ended_after(target, start_s, _ENDED_CAP_S))
        closed = await asyncio.gather(
            *(hold_without_reading(host, port, head, clip, hold_s=hold_s) for _ in range(clients))
        )
        ended_s = await ended
        detail = {"closed_by_server": sum(closed), "sessions_ended_s": ended_s}
        detail |= await _end_reasons(target, clients)
        return CaseOutcome(_label(sum(closed), clients, ended_s, hold_s), ended_s, detail)

    return case


async def _ws_without_reading(target: Target, audio: bytes, hold_s: float, query: str) -> bool:
    """One WebSocket: handshake, ``audio`` in 1 s messages, commit, then read nothing."""
    host, port = target.host_port
    reader, writer = await asyncio.open_connection(host, port)
    try:
        uri = target.url.replace("http://", "ws://") + "/ws/realtime?turn_detection=none" + query
        client = ClientProtocol(parse_uri(uri))
        request = client.connect()
        if target.auth is not None:
            request.headers["Authorization"] = f"Basic {auth_token(target)}"
        client.send_request(request)
        writer.write(b"".join(client.data_to_send()))
        async with asyncio.timeout(10.0):
            client.receive_data(await reader.readuntil(b"\r\n\r\n"))
        if client.handshake_exc is not None:
            return True
        start_s = time.perf_counter()
        with contextlib.suppress(ConnectionError, TimeoutError):
            async with asyncio.timeout(hold_s):
                for offset in range(0, len(audio), 48_000):
                    client.send_binary(audio[offset : offset + 48_000])
                    writer.write(b"".join(client.data_to_send()))
                    await writer.drain()
                    await asyncio.sleep(1.0 / _WS_SENDS_PER_S)
                client.send_text(b'{"type": "commit"}')
                writer.write(b"".join(client.data_to_send()))
                await asyncio.sleep(max(0.0, hold_s - (time.perf_counter() - start_s)))
        return await server_closed(reader, CLOSED_CHECK_S)
    finally:
        writer.transport.abort()


def ws_non_reading_case(audio: bytes, *, clients: int, hold_s: float, query: str = "") -> Case:
    """``clients`` WebSockets send ``audio`` (PCM16 24 kHz), commit, never read again;
    ``query`` (``&name=value``) adds session settings."""

    async def case(target: Target) -> CaseOutcome:
        start_s = time.perf_counter()
        ended = asyncio.create_task(_sessions_ended_after(target, start_s, _ENDED_CAP_S))
        closed = await asyncio.gather(
            *(_ws_without_reading(target, audio, hold_s, query) for _ in range(clients))
        )
        ended_s = await ended
        detail = {"closed_by_server": sum(closed), "sessions_ended_s": ended_s}
        detail |= await _end_reasons(target, clients)
        return CaseOutcome(_label(sum(closed), clients, ended_s, hold_s), ended_s, detail)

    return case
