"""Barge-in: the user talks over the assistant; the relay cancels and truncates."""

from __future__ import annotations

import asyncio

import numpy as np

from tests.support.backends import ProbeBackend
from tests.support.signals import load_ref
from workbench.backends.inprocess import InProcessBackend
from workbench.clock import VirtualClock
from workbench.mock.model import LatencyModel, MockConfig
from workbench.protocol import events as pe
from workbench.relay import AudioOut, Interrupted, Relay, RelayConfig, RelayEvent, TurnDone


async def _talk_over_the_reply(
    played_ms: float | None,
) -> tuple[list[RelayEvent], ProbeBackend, float, float]:
    """Events, the probe, when playout was reported and when the user barged in (ms)."""
    clock = VirtualClock()
    mock = MockConfig(behaviour="echo", latency=LatencyModel(ttfa_ms=200.0, delta_ms=100.0))
    rec = ProbeBackend(InProcessBackend(mock, clock=clock))
    events: list[RelayEvent] = []
    speech = load_ref("ref_en_hear_24k_pcm16.wav")
    async with Relay(rec, RelayConfig(turn_detection=pe.ServerVad()), clock=clock) as relay:

        async def consume() -> None:
            async for event in relay:
                events.append(event)

        consumer = asyncio.create_task(consume())
        await relay.send_file(_wav_bytes(speech), pace="realtime")
        # Silence while the reply plays (1.5 s: VAD stop + 200 ms TTFA + ~1 s of reply).
        await relay.send_file(_wav_bytes(np.zeros(36_000, dtype=np.float32)), pace="realtime")
        reported_at_ms = clock.now_ms()
        if played_ms is not None:
            relay.report_playout(played_ms)
        await relay.send_file(_wav_bytes(speech), pace="realtime")
        await clock.sleep_until(clock.now_ms() + 500)
        await relay.close()
        await asyncio.wait_for(consumer, 5)
    barged_at_ms = max(
        t.marks_ms["speech_started"] for t in relay.timeline.turns if t.has("speech_started")
    )
    return events, rec, reported_at_ms, barged_at_ms


def _wav_bytes(samples: np.ndarray) -> bytes:
    import io

    import soundfile as sf

    buf = io.BytesIO()
    sf.write(buf, samples, 24_000, format="WAV", subtype="PCM_16")
    return buf.getvalue()


async def test_barge_in_truncates_where_the_reported_playout_has_got_to() -> None:
    events, rec, reported_at_ms, barged_at_ms = await _talk_over_the_reply(played_ms=400.0)
    cuts = [e for e in events if isinstance(e, Interrupted)]
    # Playback runs on between reports: the cut is the report plus the time since it.
    heard_ms = int(400.0 + (barged_at_ms - reported_at_ms))
    assert barged_at_ms > reported_at_ms
    assert len(cuts) == 1 and cuts[0].audio_end_ms == heard_ms
    truncates = [e for e in rec.all_sent() if isinstance(e, pe.ConversationItemTruncate)]
    assert [(t.item_id, t.audio_end_ms) for t in truncates] == [(cuts[0].item_id, heard_ms)]
    assert any(isinstance(e, pe.ResponseCancel) for e in rec.all_sent())


async def test_no_stale_audio_of_the_cut_item_after_the_interruption() -> None:
    events, *_ = await _talk_over_the_reply(played_ms=400.0)
    cut_at = next(i for i, e in enumerate(events) if isinstance(e, Interrupted))
    cut_item = events[cut_at].item_id  # type: ignore[union-attr]
    later = [e for e in events[cut_at:] if isinstance(e, AudioOut) and e.item_id == cut_item]
    assert later == []
    statuses = [e.status for e in events if isinstance(e, TurnDone)]
    assert statuses[0] == "cancelled"


async def test_without_a_playout_report_the_cut_is_what_was_delivered() -> None:
    events, *_ = await _talk_over_the_reply(played_ms=None)
    cut = next(e for e in events if isinstance(e, Interrupted))
    delivered_ms = sum(
        e.duration_ms for e in events if isinstance(e, AudioOut) and e.item_id == cut.item_id
    )
    assert cut.audio_end_ms == int(delivered_ms)
    assert cut.audio_end_ms > 0
