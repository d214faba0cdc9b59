"""Timing realism: late transcriptions, usage, rate limits, expiry, conversation.created."""

from __future__ import annotations

import pytest

from tests.mock.mock_helpers import Timed, closes_of, events_of, manual_session, run_until
from workbench.mock.model import DEFAULT_EPOCH_S, LatencyModel, MockConfig, MockRealtimeModel
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect


def _turn(model: MockRealtimeModel, audio: bytes, transcription_model: str) -> list[Timed]:
    manual_session(model)
    update = pe.SessionSettings(input_transcription_model=transcription_model)
    model.receive(pe.SessionUpdate(update), 0.0)
    model.receive(pe.InputAudioBufferAppend(audio), 0.0)
    model.receive(pe.InputAudioBufferCommit(), 0.0)
    model.receive(pe.ResponseCreate(), 0.0)
    return run_until(model)


def test_the_user_transcript_can_land_after_response_created(user_audio: bytes) -> None:
    latency = LatencyModel(ttfa_ms=100, transcription_delay_ms=400)
    model = MockRealtimeModel(MockConfig(latency=latency, user_transcript="what time is it"))
    out = _turn(model, user_audio, "gpt-4o-transcribe")
    created = events_of(out, pe.ResponseCreated)[0]
    deltas = events_of(out, pe.InputAudioTranscriptionDelta)
    completed = events_of(out, pe.InputAudioTranscriptionCompleted)[0]
    assert completed.t_ms == 400.0 > created.t_ms
    assert out.index(completed) > out.index(created)
    assert [d.event.delta for d in deltas] == ["what", " time", " is", " it"]
    assert all(created.t_ms <= d.t_ms <= completed.t_ms for d in deltas)
    usage = completed.event.usage
    assert usage is not None and usage["type"] == "tokens"
    assert usage["input_token_details"]["audio_tokens"] == 12  # 1.234 s at 10 tokens/s


def test_whisper_sends_one_delta_and_duration_usage(user_audio: bytes) -> None:
    model = MockRealtimeModel(MockConfig(user_transcript="hello there"))
    out = _turn(model, user_audio, "whisper-1")
    deltas = events_of(out, pe.InputAudioTranscriptionDelta)
    assert [d.event.delta for d in deltas] == ["hello there"]
    usage = events_of(out, pe.InputAudioTranscriptionCompleted)[0].event.usage
    assert usage == {"type": "duration", "seconds": 1.234}


def test_no_transcription_without_a_transcription_model(user_audio: bytes) -> None:
    model = MockRealtimeModel(MockConfig())
    manual_session(model)
    model.receive(pe.InputAudioBufferAppend(user_audio), 0.0)
    model.receive(pe.InputAudioBufferCommit(), 0.0)
    out = run_until(model)
    assert not events_of(out, pe.InputAudioTranscriptionDelta)
    assert not events_of(out, pe.InputAudioTranscriptionCompleted)


def test_response_done_reports_text_and_audio_tokens(user_audio: bytes) -> None:
    model = MockRealtimeModel(
        MockConfig(latency=LatencyModel(ttfa_ms=10), transcript="one two three")
    )
    out = _turn(model, user_audio, "whisper-1")
    done = events_of(out, pe.ResponseDone)[0].event
    usage = done.usage
    assert usage is not None
    assert usage["input_token_details"]["audio_tokens"] == 12  # 1.234 s in
    assert usage["output_token_details"] == {"text_tokens": 3, "audio_tokens": 25}  # 1.234 s out
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    limits = events_of(out, pe.RateLimitsUpdated)[0]
    assert out.index(limits) > out.index(events_of(out, pe.ResponseDone)[0])
    assert {limit["name"] for limit in limits.event.rate_limits} == {"requests", "tokens"}


def test_a_text_user_item_counts_text_tokens() -> None:
    model = MockRealtimeModel(MockConfig(latency=LatencyModel(ttfa_ms=10)))
    manual_session(model)
    part = {"type": "input_text", "text": "what is the time"}
    model.receive(
        pe.ConversationItemCreate({"type": "message", "role": "user", "content": [part]}), 0.0
    )
    model.receive(pe.ResponseCreate(), 0.0)
    usage = events_of(run_until(model), pe.ResponseDone)[0].event.usage
    assert usage is not None and usage["input_token_details"]["text_tokens"] == 4


@pytest.mark.parametrize(("cap_s", "length_s"), [(None, 1800.0), (90.0, 90.0)])
def test_expires_at_is_the_session_cap(cap_s: float | None, length_s: float) -> None:
    model = MockRealtimeModel(MockConfig(session_cap_s=cap_s), epoch_s=DEFAULT_EPOCH_S)
    model.start(0.0)
    out = run_until(model, 1.0)
    created = events_of(out, pe.SessionCreated)[0].event
    assert created.expires_at == int(DEFAULT_EPOCH_S + length_s)
    if cap_s is not None:
        later = run_until(model)
        assert events_of(later, pe.ErrorEvent)[0].t_ms == cap_s * 1000
        assert events_of(later, pe.ErrorEvent)[0].event.error.code == "session_expired"
        assert closes_of(later)


def test_preview_sends_conversation_created_after_session_created() -> None:
    model = MockRealtimeModel(MockConfig(), Dialect.PREVIEW)
    model.start(0.0)
    out = run_until(model)
    assert [type(t.event).__name__ for t in out] == ["SessionCreated", "ConversationCreated"]
    conversation = out[1].event.conversation_id
    ga = MockRealtimeModel(MockConfig(), Dialect.GA)
    ga.start(0.0)
    assert [type(t.event).__name__ for t in run_until(ga)] == ["SessionCreated"]
    assert conversation.startswith("conv_")


def test_responses_report_their_conversation_and_settings(user_audio: bytes) -> None:
    model = MockRealtimeModel(MockConfig(latency=LatencyModel(ttfa_ms=10)), Dialect.PREVIEW)
    model.start(0.0)
    settings = pe.SessionSettings(
        voice="verse", temperature=1.1, turn_detection=pe.NoTurnDetection()
    )
    model.receive(pe.SessionUpdate(settings), 0.0)
    model.receive(pe.InputAudioBufferAppend(user_audio), 0.0)
    model.receive(pe.InputAudioBufferCommit(), 0.0)
    model.receive(pe.ResponseCreate({"conversation": "none", "temperature": 0.7}), 0.0)
    out = run_until(model)
    created = events_of(out, pe.ResponseCreated)[0].event
    assert created.settings.voice == "verse"
    assert created.settings.temperature == 0.7
    assert created.settings.conversation_id is None  # conversation: "none"
