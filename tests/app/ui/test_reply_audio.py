"""Reply chunking for Gradio's player: sizes, deadlines, ticks."""

from __future__ import annotations

import asyncio
import io
import wave
from collections.abc import AsyncIterator

from workbench.app.ui.reply_audio import AudioCoalescer, pcm16_to_wav, with_ticks

MS_100 = b"\x00\x10" * 2400  # 100 ms of 24 kHz PCM16


def test_a_fast_reply_gets_a_long_head_start() -> None:
    c = AudioCoalescer(first_ms=1200, next_ms=300, first_wait_ms=400, next_wait_ms=250)
    out = [c.push(MS_100, now_s=0.001 * i) for i in range(12)]  # 1.2 s arriving in 12 ms
    assert out[:11] == [None] * 11 and out[11] is not None and len(out[11]) == 12 * 4800
    assert [c.push(MS_100, 0.02) for _ in range(3)][-1] is not None  # then 300 ms chunks


def test_a_real_time_reply_is_not_held_back_longer_than_the_wait() -> None:
    c = AudioCoalescer(first_ms=1200, next_ms=300, first_wait_ms=400, next_wait_ms=250)
    assert c.wait_s(0.0) is None
    assert c.push(MS_100, now_s=10.0) is None
    assert abs((c.wait_s(10.1) or 0) - 0.3) < 1e-9
    assert c.push(MS_100, now_s=10.2) is None
    chunk = c.push(MS_100, now_s=10.4)  # 400 ms after the first piece: due
    assert chunk is not None and len(chunk) == 3 * 4800
    assert c.push(MS_100, now_s=10.5) is None
    assert c.wait_s(10.6) is not None and abs((c.wait_s(10.6) or 0) - 0.15) < 1e-9
    assert c.flush() == MS_100 and c.flush() is None


def test_wav_and_level_helpers() -> None:
    wav = pcm16_to_wav(MS_100)
    with wave.open(io.BytesIO(wav)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getnframes()) == (24_000, 1, 2400)


async def test_ticks_arrive_between_slow_events() -> None:
    async def slow() -> AsyncIterator[int]:
        for i in range(2):
            await asyncio.sleep(0.12)
            yield i

    seen = [e async for e in with_ticks(slow(), 0.05)]
    assert [e for e in seen if e is not None] == [0, 1]
    assert seen.count(None) >= 2


async def test_stopping_early_cancels_the_pending_read() -> None:
    started = asyncio.Event()
    cancelled = asyncio.Event()

    async def forever() -> AsyncIterator[int]:
        started.set()
        try:
            await asyncio.sleep(60)
            yield 1
        except asyncio.CancelledError:
            cancelled.set()
            raise

    ticks = with_ticks(forever(), 0.01)
    assert await anext(ticks) is None
    await ticks.aclose()
    await asyncio.wait_for(cancelled.wait(), 1.0)
