"""Turn reports on a live session: the uplink from input arrivals, the record, on virtual time."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from tests.support.services import make_service
from tests.support.signals import load_ref
from workbench.backends.inprocess import InProcessBackend
from workbench.clock import VirtualClock
from workbench.mock.config import LatencyModel, MockConfig
from workbench.relay import AudioOut, TurnDone
from workbench.relay.voice_to_voice import Arrivals, TurnAudioReport
from workbench.service import EndReason
from workbench.service.turn_reports import UnknownResponseError, frame_count

RATE_HZ = 24_000
FRAME_MS = 20.0


def test_arrivals_place_a_position_in_the_stretch_that_held_it() -> None:
    log = Arrivals()
    log.received(20.0, 100.0)  # input [0, 20) ms arrived at 100
    log.received(20.0, 125.0)  # [20, 40) at 125
    assert log.arrival_ms(0.0) == 100.0
    assert log.arrival_ms(19.99) == 100.0
    assert log.arrival_ms(20.0) == 125.0
    assert log.arrival_ms(40.0) is None  # not received yet
    assert log.position == 40.0


def test_arrivals_are_bounded_and_forget_the_oldest() -> None:
    log = Arrivals(max_entries=3)
    for i in range(5):
        log.received(10.0, float(i))
    assert log.arrival_ms(15.0) is None  # forgotten: not guessed
    assert log.arrival_ms(25.0) == 2.0 and log.arrival_ms(49.0) == 4.0


def test_frame_count_reads_either_channel_layout() -> None:
    assert frame_count(np.zeros(480)) == 480
    assert frame_count(np.zeros((480, 2))) == 480
    assert frame_count(np.zeros((2, 480))) == 480


async def test_a_report_on_virtual_time_decomposes_exactly_with_the_uplink_measured() -> None:
    clock = VirtualClock()
    mock = MockConfig(behaviour="echo", latency=LatencyModel(ttfa_ms=300.0))
    uplink_ms = 35.0
    async with make_service(InProcessBackend(mock, clock=clock), clock=clock) as service:
        session = service.open("websocket", manual_commit=True)
        phrase = load_ref()
        frame = round(RATE_HZ * FRAME_MS / 1000)
        start_ms = clock.now_ms()
        # A microphone: frame i is captured by start + (i + 1) * 20 ms and reaches the
        # relay 35 ms later.
        for i in range(0, len(phrase), frame):
            captured_ms = start_ms + min(i + frame, len(phrase)) / RATE_HZ * 1000.0
            await clock.sleep_until(captured_ms + uplink_ms)
            await session.feed_samples(phrase[i : i + frame], RATE_HZ)
        input_ms = len(phrase) / RATE_HZ * 1000.0
        speech_end_ms = start_ms + input_ms  # (the phrase is trimmed: speech to its end)
        await clock.sleep_until(clock.now_ms() + 100.0)
        await session.commit()
        first_out: float | None = None
        async with asyncio.timeout(20):
            async for event in session.events(until_turn_done=True):
                if isinstance(event, AudioOut) and first_out is None:
                    first_out = clock.now_ms()
                    response_id = event.response_id
                if isinstance(event, TurnDone):
                    done = event
        assert first_out is not None and done.status == "completed"
        report = TurnAudioReport(
            response_id,
            speech_end_ms=speech_end_ms,
            speech_end_input_ms=input_ms,
            first_audio_received_ms=first_out + 30.0,
            first_audible_ms=first_out + 30.0 + 70.0,
            output_latency_ms=10.0,
        )
        turn = session.report_turn_audio(report)
        v2v = turn.voice_to_voice()
        assert v2v is not None
        # Each part is what this test put there.
        assert v2v.parts_ms["uplink"] == pytest.approx(uplink_ms)
        assert v2v.parts_ms["turn_detection"] == pytest.approx(100.0)
        assert v2v.parts_ms["model"] == pytest.approx(300.0)
        assert v2v.parts_ms["downlink"] == pytest.approx(30.0)
        assert v2v.parts_ms["buffering"] == pytest.approx(70.0)
        assert v2v.residual_ms == pytest.approx(0.0, abs=1e-9)
        assert v2v.total_ms == pytest.approx(35 + 100 + 300 + 30 + 70)
        kept = session.record.to_dict()["turns"][0]["timeline"]
        assert kept["voice_to_voice_ms"] == pytest.approx(v2v.total_ms)
        with pytest.raises(UnknownResponseError) as info:
            session.report_turn_audio(TurnAudioReport("resp_unknown"))
        assert info.value.code == "unknown_response"
        await session.close(EndReason.STOP)
