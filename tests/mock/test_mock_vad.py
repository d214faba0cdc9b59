"""The mock's server VAD: boundaries on speech-like bursts, chunk-size invariance, barge-in."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.mock.mock_helpers import events_of, run_until, silence, speech_like, tone
from workbench.mock.model import LatencyModel, MockConfig, MockRealtimeModel
from workbench.mock.vad import (
    EnergyVad,
    SpeechStart,
    SpeechStop,
    VadParams,
    threshold_to_dbfs,
)
from workbench.protocol import events as pe

SEGMENTS = [(400.0, 1600.0), (2600.0, 3300.0), (4500.0, 6200.0)]
SIGNAL, TRUTH = speech_like(SEGMENTS, 7500.0)


def _vad(td: pe.ServerVad | pe.SemanticVad | None = None) -> EnergyVad:
    return EnergyVad(VadParams.from_turn_detection(td or pe.ServerVad()))


def _feed(vad: EnergyVad, data: bytes, chunk_bytes: list[int]) -> list[SpeechStart | SpeechStop]:
    out: list[SpeechStart | SpeechStop] = []
    pos, i = 0, 0
    while pos < len(data):
        size = chunk_bytes[i % len(chunk_bytes)]
        out += vad.process(data[pos : pos + size])
        pos += size
        i += 1
    return out


def test_threshold_mapping() -> None:
    assert threshold_to_dbfs(0.0) == -75.0
    assert threshold_to_dbfs(0.5) == -45.0
    assert threshold_to_dbfs(1.0) == -15.0
    assert threshold_to_dbfs(3.0) == -15.0  # clamped


def test_boundaries_of_speech_like_bursts_within_100_ms() -> None:
    boundaries = _vad().process(SIGNAL)
    starts = [b for b in boundaries if isinstance(b, SpeechStart)]
    stops = [b for b in boundaries if isinstance(b, SpeechStop)]
    assert len(starts) == len(stops) == len(TRUTH)  # syllable dips do not split a segment
    for start, stop, truth in zip(starts, stops, TRUTH, strict=True):
        assert abs(start.onset_sample / 24 - truth.start_ms) <= 100
        assert abs(stop.end_sample / 24 - truth.end_ms) <= 100
        assert start.start_sample == max(0, start.onset_sample - 300 * 24)  # prefix padding
        assert stop.detected_sample - stop.end_sample >= 500 * 24  # silence duration


def test_quiet_noise_alone_is_not_speech() -> None:
    quiet, _ = speech_like([], 3000.0)
    assert _vad().process(quiet) == []


def test_higher_threshold_ignores_quieter_speech() -> None:
    soft = tone(300, 500, amplitude=10 ** (-35 / 20) * math.sqrt(2))  # -35 dBFS RMS
    audio = silence(200) + soft + silence(800)
    assert len(_vad(pe.ServerVad(threshold=0.5)).process(audio)) == 2  # -45 dBFS threshold
    assert _vad(pe.ServerVad(threshold=0.8)).process(audio) == []  # -27 dBFS threshold


def test_semantic_eagerness_sets_the_silence_needed() -> None:
    audio = silence(100) + tone(300, 400) + silence(1000) + tone(300, 400) + silence(2500)
    low = [b for b in _vad(pe.SemanticVad("low")).process(audio) if isinstance(b, SpeechStop)]
    high = [b for b in _vad(pe.SemanticVad("high")).process(audio) if isinstance(b, SpeechStop)]
    assert len(low) == 1  # the 1 s pause is not the end of the turn when eagerness is low
    assert len(high) == 2
    assert high[0].detected_sample - high[0].end_sample == 250 * 24


@settings(max_examples=40, deadline=None)
@given(chunks=st.lists(st.integers(min_value=1, max_value=20_000), min_size=1, max_size=6))
def test_same_boundaries_for_any_chunk_sizes(chunks: list[int]) -> None:
    one_shot = _vad().process(SIGNAL)
    assert _feed(_vad(), SIGNAL, chunks) == one_shot


def _vad_model(config: MockConfig | None = None) -> MockRealtimeModel:
    model = MockRealtimeModel(config or MockConfig(latency=LatencyModel(ttfa_ms=50)))
    model.start(0.0)
    return model


def test_model_emits_speech_events_commits_and_responds() -> None:
    model = _vad_model()
    model.receive(pe.InputAudioBufferAppend(SIGNAL[: 2100 * 48]), 2100.0)  # first segment
    out = run_until(model)
    started = events_of(out, pe.InputAudioBufferSpeechStarted)[0].event
    stopped = events_of(out, pe.InputAudioBufferSpeechStopped)[0].event
    committed = events_of(out, pe.InputAudioBufferCommitted)[0].event
    assert started.item_id == stopped.item_id == committed.item_id
    assert abs(started.audio_start_ms - (400 - 300)) <= 100
    assert abs(stopped.audio_end_ms - 1600) <= 100
    echoed = b"".join(t.event.delta for t in events_of(out, pe.ResponseAudioDelta))
    assert echoed == SIGNAL[started.audio_start_ms * 48 : stopped.audio_end_ms * 48]
    assert events_of(out, pe.ResponseDone)[0].event.status == "completed"


def test_model_vad_events_are_chunk_size_invariant() -> None:
    def speech_events(chunk_ms: int) -> list[tuple[str, int]]:
        model = _vad_model()
        step = chunk_ms * 48
        for i in range(0, len(SIGNAL), step):
            model.receive(pe.InputAudioBufferAppend(SIGNAL[i : i + step]), i / 48)
        out = run_until(model)
        started = events_of(out, pe.InputAudioBufferSpeechStarted)
        stopped = events_of(out, pe.InputAudioBufferSpeechStopped)
        return [("start", t.event.audio_start_ms) for t in started] + [
            ("stop", t.event.audio_end_ms) for t in stopped
        ]

    reference = speech_events(20)
    assert len(reference) == 6
    assert speech_events(7) == reference
    assert speech_events(333) == reference


def test_no_auto_response_when_create_response_is_false() -> None:
    model = _vad_model()
    settings_ = pe.SessionSettings(turn_detection=pe.ServerVad(create_response=False))
    model.receive(pe.SessionUpdate(settings_), 0.0)
    model.receive(pe.InputAudioBufferAppend(SIGNAL[: 2100 * 48]), 2100.0)
    out = run_until(model)
    assert events_of(out, pe.InputAudioBufferCommitted)
    assert not events_of(out, pe.ResponseCreated)


def test_speech_start_interrupts_the_playing_response() -> None:
    config = MockConfig(behaviour="tone", tone_ms=5000, latency=LatencyModel(ttfa_ms=50))
    model = _vad_model(config)
    model.receive(pe.ResponseCreate(), 0.0)
    run_until(model, 1000.0)
    speech = silence(100) + tone(300, 600)
    model.receive(pe.InputAudioBufferAppend(speech), 1000.0)
    out = run_until(model, 1000.0)
    done = events_of(out, pe.ResponseDone)[0].event
    assert done.status == "cancelled"
    assert done.status_details == {"type": "cancelled", "reason": "turn_detected"}
    assert events_of(out, pe.InputAudioBufferSpeechStarted)
    assert not events_of(run_until(model), pe.ResponseAudioDelta)  # the rest was dropped


def test_no_interrupt_when_interrupt_response_is_false() -> None:
    config = MockConfig(behaviour="tone", tone_ms=5000, latency=LatencyModel(ttfa_ms=50))
    model = _vad_model(config)
    td = pe.ServerVad(interrupt_response=False, create_response=False)
    model.receive(pe.SessionUpdate(pe.SessionSettings(turn_detection=td)), 0.0)
    model.receive(pe.ResponseCreate(), 0.0)
    run_until(model, 1000.0)
    model.receive(pe.InputAudioBufferAppend(silence(100) + tone(300, 600)), 1000.0)
    assert not events_of(run_until(model, 1000.0), pe.ResponseDone)
    assert events_of(run_until(model), pe.ResponseDone)[0].event.status == "completed"
