"""``workbench mock --net``: the mock's side of each connection crosses a profile."""

from __future__ import annotations

import asyncio
import json
import time

from websockets.asyncio.client import connect

from workbench.mock.config import MockConfig
from workbench.mock.server import serve_mock
from workbench.netem.profiles import LinkParams, NetProfile

UP_MS, DOWN_MS = 120.0, 180.0
FIXED = NetProfile("fixed", LinkParams(delay_ms=UP_MS), LinkParams(delay_ms=DOWN_MS))
SLACK_MS = 1500.0  # generous: a loaded 2-core machine; exact figures go to a benchmark


async def _round_trip_ms(net: NetProfile | None) -> tuple[float, float]:
    async with serve_mock(MockConfig(), net=net) as server:
        async with connect(server.url + "/v1/realtime?model=m") as ws:
            t0 = time.perf_counter()
            created = json.loads(await ws.recv())
            first_ms = (time.perf_counter() - t0) * 1000
            assert created["type"] == "session.created"
            t1 = time.perf_counter()
            await ws.send("{not json")
            error = json.loads(await ws.recv())
            rtt_ms = (time.perf_counter() - t1) * 1000
            assert error["type"] == "error"
        await server.wait_idle(10)
    return first_ms, rtt_ms


async def test_mock_messages_cross_the_profile_both_ways() -> None:
    async with asyncio.timeout(30):
        first_ms, rtt_ms = await _round_trip_ms(FIXED)
    assert DOWN_MS <= first_ms < DOWN_MS + SLACK_MS  # session.created took the downlink
    assert UP_MS + DOWN_MS <= rtt_ms < UP_MS + DOWN_MS + SLACK_MS


async def test_without_a_profile_the_mock_answers_at_once() -> None:
    async with asyncio.timeout(30):
        _, rtt_ms = await _round_trip_ms(None)
    assert rtt_ms < UP_MS + DOWN_MS  # no floor: loopback only


async def test_a_client_hanging_up_leaves_no_connection_behind() -> None:
    async with asyncio.timeout(30), serve_mock(MockConfig(), net=FIXED) as server:
        async with connect(server.url + "/v1/realtime") as ws:
            await ws.send('{"type":"input_audio_buffer.commit"}')
        await server.wait_idle(10)
        assert server.active_connections == 0
