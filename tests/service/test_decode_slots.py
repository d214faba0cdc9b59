"""Concurrent decodes: a bounded number at once, a short wait, then 503 with Retry-After."""

from __future__ import annotations

import asyncio

import pytest

from workbench.errors import LimitError
from workbench.service.decode_slots import DecodeSlots
from workbench.service.metrics import ServiceMetrics
from workbench.settings import ServerSettings


def _slots(limit: int, wait_s: float) -> DecodeSlots:
    server = ServerSettings(max_concurrent_decodes=limit, decode_wait_s=wait_s)
    return DecodeSlots(server, ServiceMetrics())


async def _hold(slots: DecodeSlots, release: asyncio.Event) -> None:
    async with slots.slot():
        await release.wait()


async def test_one_decode_too_many_is_refused_with_retry_after_when_no_wait() -> None:
    slots = _slots(2, 0.0)
    release = asyncio.Event()
    holders = [asyncio.create_task(_hold(slots, release)) for _ in range(2)]
    await asyncio.sleep(0.01)
    with pytest.raises(LimitError) as info:
        await slots.acquire()
    assert info.value.code == "too_many_decodes" and info.value.http_status == 503
    assert info.value.retry_after_s is not None
    assert "Max concurrent decodes, --max-concurrent-decodes" in info.value.message
    release.set()
    await asyncio.gather(*holders)
    assert slots.in_use == 0
    async with slots.slot():  # free again
        assert slots.in_use == 1
    text = slots.metrics.render().decode()
    assert 'workbench_rejected_total{code="too_many_decodes"} 1.0' in text


async def test_a_task_that_holds_a_slot_takes_no_second_one() -> None:
    slots = _slots(1, 0.0)
    async with slots.slot():  # a route took it before opening its session …
        async with slots.slot():  # … and the session's send_clip re-enters it
            assert slots.in_use == 1
        assert slots.in_use == 1
    assert slots.in_use == 0


async def test_a_waiting_decode_gets_the_next_free_slot_in_arrival_order() -> None:
    slots = _slots(1, 5.0)
    order: list[str] = []
    await slots.acquire()

    async def decode(name: str) -> None:
        async with slots.slot():
            order.append(name)

    async with asyncio.timeout(5):
        waiting = [asyncio.create_task(decode(n)) for n in ("first", "second")]
        await asyncio.sleep(0.01)
        assert order == [] and slots.in_use == 1
        slots.release()
        await asyncio.gather(*waiting)
    assert order == ["first", "second"] and slots.in_use == 0


async def test_a_waiter_that_goes_away_does_not_keep_a_slot() -> None:
    slots = _slots(1, 5.0)
    await slots.acquire()
    waiter = asyncio.create_task(slots.acquire())
    await asyncio.sleep(0.01)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    slots.release()
    assert slots.in_use == 0
