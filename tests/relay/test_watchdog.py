"""StallWatchdog: one timer per silence, cancelling its task like asyncio.timeout would."""

from __future__ import annotations

import asyncio

from workbench.relay.watchdog import StallWatchdog


async def _guarded(timeout_s: float | None, *, beats: int = 0, beat_s: float = 0.0) -> str:
    """Run a task guarded by a watchdog; say how it ended."""
    watchdog = StallWatchdog(lambda: timeout_s)
    try:
        for _ in range(beats):
            await asyncio.sleep(beat_s)
            watchdog.seen()
        await asyncio.sleep(0.6 if timeout_s is None else 30.0)
        return "finished"
    except asyncio.CancelledError:
        if watchdog.expired():
            return "stalled"
        raise
    finally:
        watchdog.stop()


async def test_silence_longer_than_the_bound_cancels_the_task_as_a_stall() -> None:
    assert await asyncio.wait_for(_guarded(0.05), 5) == "stalled"


async def test_no_bound_while_nothing_is_due() -> None:
    assert await asyncio.wait_for(_guarded(None), 5) == "finished"


async def test_events_keep_postponing_the_deadline() -> None:
    # Six beats of 0.1 s: twice the 0.3 s bound in total, never 0.3 s without a beat.
    task = asyncio.create_task(_guarded(0.3, beats=6, beat_s=0.1))
    await asyncio.sleep(0.65)
    assert not task.done()  # it got past 0.6 s: the deadline moved with every beat
    assert await asyncio.wait_for(task, 5) == "stalled"  # then 0.3 s of silence


async def test_a_cancellation_from_elsewhere_is_not_mistaken_for_a_stall() -> None:
    task = asyncio.create_task(_guarded(10.0))
    await asyncio.sleep(0.01)
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=5)
    assert task in done and task.cancelled()


async def test_a_bound_armed_later_counts_from_when_it_was_armed() -> None:
    due: list[float] = []
    watchdog_box: list[StallWatchdog] = []

    async def guarded() -> str:
        watchdog = StallWatchdog(lambda: due[0] if due else None)
        watchdog_box.append(watchdog)
        try:
            await asyncio.sleep(30)
            return "finished"
        except asyncio.CancelledError:
            return "stalled" if watchdog.expired() else "cancelled"
        finally:
            watchdog.stop()

    task = asyncio.create_task(guarded())
    await asyncio.sleep(0.2)  # idle: no bound runs
    assert not task.done()
    due.append(0.05)  # a response becomes due (the shell committed)
    watchdog_box[0].arm_if_due()
    assert await asyncio.wait_for(task, 5) == "stalled"
