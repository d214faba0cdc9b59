"""The asyncio delay line on virtual time: due times, order, backpressure, closing."""

from __future__ import annotations

import asyncio

import pytest

from workbench.clock import VirtualClock
from workbench.netem.delay_line import DelayLine
from workbench.netem.link import NetemLink, link_for
from workbench.netem.profiles import PROFILES, LinkParams


async def test_items_come_out_at_their_modelled_delivery_times_in_order() -> None:
    clock = VirtualClock()
    line: DelayLine[int] = DelayLine(NetemLink(PROFILES["3g-lossy"], 4).downlink, clock)
    expected: list[tuple[int, float]] = []

    async def produce() -> None:
        for i in range(200):
            delivery = await line.put(i, 2000)
            expected.append((i, delivery.deliver_ms))
            await clock.sleep_until(clock.now_ms() + 20.0)
        line.close()

    got: list[tuple[int, float]] = []

    async def consume() -> None:
        async for item in line:
            got.append((item, clock.now_ms()))

    async with asyncio.timeout(10):
        await asyncio.gather(produce(), consume())
    assert [i for i, _ in got] == list(range(200))
    for (_, due), (_, at) in zip(expected, got, strict=True):
        assert at == pytest.approx(due)


async def test_backpressure_bounds_the_bytes_in_flight() -> None:
    clock = VirtualClock()
    # 100 kbit/s: 10 kB takes ~800 ms to serialize, so a fast producer must wait
    line: DelayLine[int] = DelayLine(
        link_for(LinkParams(bandwidth_kbps=100.0)), clock, max_buffered_bytes=30_000
    )
    peak = 0

    async def produce() -> None:
        nonlocal peak
        for i in range(20):
            await line.put(i, 10_000)
            peak = max(peak, line.buffered_bytes)
        line.close()

    async with asyncio.timeout(10):
        results = await asyncio.gather(produce(), _drain(line))
    assert results[1] == list(range(20))
    assert peak <= 30_000


async def test_one_oversized_item_still_passes() -> None:
    clock = VirtualClock()
    line: DelayLine[str] = DelayLine(
        link_for(LinkParams(delay_ms=5.0)), clock, max_buffered_bytes=10
    )
    await line.put("big", 1_000_000)
    line.close()
    async with asyncio.timeout(10):
        assert await _drain(line) == ["big"]
    assert clock.now_ms() == pytest.approx(5.0)


async def test_a_cancelled_get_keeps_the_item() -> None:
    clock = VirtualClock()
    line: DelayLine[str] = DelayLine(link_for(LinkParams(delay_ms=100.0)), clock)
    await line.put("a", 10)
    getter = asyncio.create_task(line.get())
    await asyncio.sleep(0)
    getter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await getter
    async with asyncio.timeout(10):
        assert await line.get() == "a"


async def test_closed_empty_line_ends_iteration_and_refuses_puts() -> None:
    line: DelayLine[int] = DelayLine(link_for(LinkParams()), VirtualClock())
    line.close()
    assert await _drain(line) == []
    with pytest.raises(RuntimeError):
        await line.put(1, 1)


async def _drain(line: DelayLine[int] | DelayLine[str]) -> list[object]:
    return [item async for item in line]
