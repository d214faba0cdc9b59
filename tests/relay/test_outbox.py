"""The relay's outbox: bounded in reply audio, and it tells how long audio waited untaken."""

from __future__ import annotations

import asyncio

from workbench.clock import VirtualClock
from workbench.relay import AudioOut, RelayError, TranscriptDelta
from workbench.relay.outbox import Outbox

#: 100 ms of PCM16 at 24 kHz.
PIECE = bytes(4800)


def audio(item_id: str = "item_1") -> AudioOut:
    return AudioOut(PIECE, item_id, "resp_1", 0.0)


async def test_audio_past_the_bound_is_dropped_and_other_events_are_kept() -> None:
    outbox = Outbox(max_audio_ms=250.0)
    outbox.put(audio())
    outbox.put(audio())
    assert not outbox.overflowed and outbox.audio_ms == 200.0
    outbox.put(audio())  # 300 ms > 250 ms: the reader is too slow
    outbox.put(TranscriptDelta("assistant", "item_1", "hi"))
    outbox.put(audio())

    assert outbox.overflowed and outbox.audio_ms == 0.0
    assert outbox.dropped_audio_ms == 400.0
    assert [type(e) for e in [await outbox.get() for _ in range(len(outbox))]] == [TranscriptDelta]


async def test_a_consumer_falls_behind_only_while_reply_audio_waits_untaken() -> None:
    clock = VirtualClock()
    outbox = Outbox(now_ms=clock.now_ms)
    outbox.put(RelayError("x", "not audio"))
    clock.advance(5000)
    assert outbox.behind_ms(clock.now_ms()) == 0.0  # no reply due: not behind
    await outbox.get()

    outbox.put(audio())
    clock.advance(3000)
    outbox.put(audio())
    assert outbox.behind_ms(clock.now_ms()) == 3000.0  # took nothing for 3 s
    await outbox.get()  # 100 ms of audio pays for 200 ms at half real time
    assert outbox.behind_ms(clock.now_ms()) == 2800.0
    await outbox.get()
    assert outbox.behind_ms(clock.now_ms()) == 0.0 and outbox.audio_ms == 0.0


async def test_a_trickling_reader_falls_behind_and_one_at_half_real_time_does_not() -> None:
    for take_every_ms, behind in ((200.0, False), (2000.0, True)):
        clock = VirtualClock()
        outbox = Outbox(now_ms=clock.now_ms)
        for _ in range(300):  # 30 s of reply, all waiting
            outbox.put(audio())
        for _ in range(100):  # take 100 ms of it every take_every_ms
            clock.advance(take_every_ms)
            await outbox.get()
        lag_ms = outbox.behind_ms(clock.now_ms())
        assert (lag_ms > 10_000.0) is behind, (take_every_ms, lag_ms)


async def test_a_fast_reader_earns_limited_credit() -> None:
    clock = VirtualClock()
    outbox = Outbox(now_ms=clock.now_ms, credit_ms=2000.0)
    for _ in range(600):  # 60 s of reply, taken at once
        outbox.put(audio())
    for _ in range(599):
        await outbox.get()
    clock.advance(12_000)  # then nothing: behind after the credit is spent
    assert outbox.behind_ms(clock.now_ms()) == 10_000.0


async def test_dropping_an_items_audio_on_barge_in_keeps_the_count_right() -> None:
    outbox = Outbox(max_audio_ms=1000.0)
    for item in ("a", "b", "a"):
        outbox.put(audio(item))
    assert outbox.drop_audio("a") == 2
    assert outbox.audio_ms == 100.0 and len(outbox) == 1
    async with asyncio.timeout(1):
        assert (await outbox.get()).item_id == "b"  # type: ignore[union-attr]
