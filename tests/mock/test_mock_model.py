"""MockRealtimeModel on virtual time: echo, timing, cancel, truncate, errors."""

from __future__ import annotations

import math

import pytest

from tests.mock.mock_helpers import Timed, events_of, manual_session, run_until, tone
from workbench.mock.behaviours import tone_pcm16
from workbench.mock.model import LatencyModel, MockConfig, MockRealtimeModel, ScriptedTurn
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect


def _respond(model: MockRealtimeModel, audio: bytes, at_ms: float = 0.0) -> list[Timed]:
    model.receive(pe.InputAudioBufferAppend(audio), at_ms)
    model.receive(pe.InputAudioBufferCommit(), at_ms)
    model.receive(pe.ResponseCreate(), at_ms)
    return run_until(model)


def _audio(timed: list[Timed]) -> bytes:
    return b"".join(t.event.delta for t in events_of(timed, pe.ResponseAudioDelta))


def _types(timed: list[Timed]) -> list[str]:
    return [type(t.event).__name__ for t in timed]


def test_echo_returns_exactly_the_committed_audio(user_audio: bytes) -> None:
    model = MockRealtimeModel(
        MockConfig(latency=LatencyModel(ttfa_ms=10, speed_x_realtime=math.inf))
    )
    manual_session(model)
    out = _respond(model, user_audio)
    assert _audio(out) == user_audio
    done = events_of(out, pe.ResponseDone)[0].event
    assert done.status == "completed"
    assert done.output[0]["content"][0]["type"] == "output_audio"


def test_full_event_sequence_of_a_turn(user_audio: bytes) -> None:
    model = MockRealtimeModel(MockConfig(latency=LatencyModel(delta_ms=500)))
    manual_session(model)
    types = _types(_respond(model, user_audio))
    assert types[:2] == ["SessionCreated", "SessionUpdated"]
    assert types[2:5] == [
        "InputAudioBufferCommitted",
        "ConversationItemCreated",
        "ConversationItemDone",
    ]
    assert types[5:9] == [
        "ResponseCreated",
        "ResponseOutputItemAdded",
        "ConversationItemCreated",
        "ResponseContentPartAdded",
    ]
    assert types[9] == "ResponseAudioDelta"
    assert types[-7:] == [
        "ResponseAudioDone",
        "ResponseAudioTranscriptDone",
        "ResponseContentPartDone",
        "ResponseOutputItemDone",
        "ConversationItemDone",
        "ResponseDone",
        "RateLimitsUpdated",
    ]


def test_preview_dialect_sends_no_item_done(user_audio: bytes) -> None:
    model = MockRealtimeModel(MockConfig(), Dialect.PREVIEW)
    manual_session(model)
    assert not events_of(_respond(model, user_audio), pe.ConversationItemDone)


def test_first_delta_at_ttfa_then_one_per_delta_ms() -> None:
    latency = LatencyModel(ttfa_ms=250, speed_x_realtime=2.0, delta_ms=100)
    model = MockRealtimeModel(MockConfig(behaviour="tone", tone_ms=1000, latency=latency))
    manual_session(model)
    model.receive(pe.ResponseCreate(), 1000.0)
    out = run_until(model)
    assert events_of(out, pe.ResponseCreated)[0].t_ms == 1000.0
    times = [t.t_ms for t in events_of(out, pe.ResponseAudioDelta)]
    assert len(times) == 10
    assert times == pytest.approx([1250.0 + 50.0 * i for i in range(10)])
    deltas = [len(t.event.delta) for t in events_of(out, pe.ResponseAudioDelta)]
    assert deltas == [4800] * 10  # 100 ms of 24 kHz PCM16 each
    assert _audio(out) == tone_pcm16(440.0, 1000.0)


def test_speed_inf_sends_all_audio_at_ttfa() -> None:
    latency = LatencyModel(ttfa_ms=80, speed_x_realtime=math.inf)
    model = MockRealtimeModel(MockConfig(behaviour="tone", tone_ms=2000, latency=latency))
    manual_session(model)
    model.receive(pe.ResponseCreate(), 0.0)
    out = run_until(model)
    assert {t.t_ms for t in events_of(out, pe.ResponseAudioDelta)} == {80.0}
    assert events_of(out, pe.ResponseDone)[0].t_ms == 80.0


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_jitter_is_seeded_and_never_reorders(seed: int) -> None:
    def times() -> list[float]:
        latency = LatencyModel(ttfa_ms=100, delta_ms=20, jitter_ms=150, seed=seed)
        model = MockRealtimeModel(MockConfig(behaviour="tone", tone_ms=1000, latency=latency))
        manual_session(model)
        model.receive(pe.ResponseCreate(), 0.0)
        out = run_until(model)
        assert _audio(out) == tone_pcm16(440.0, 1000.0)  # content intact and in order
        return [t.t_ms for t in events_of(out, pe.ResponseAudioDelta)]

    first, again = times(), times()
    assert first == again
    assert first == sorted(first)
    assert first[0] >= 100.0
    nominal = [100.0 + 20.0 * i for i in range(len(first))]
    assert any(abs(a - b) > 1.0 for a, b in zip(first, nominal, strict=True))


def test_transcript_deltas_are_interleaved_and_join_up() -> None:
    config = MockConfig(behaviour="tone", tone_ms=1000, transcript="one two three four five")
    model = MockRealtimeModel(config)
    manual_session(model)
    model.receive(pe.ResponseCreate(), 0.0)
    out = run_until(model)
    pieces = events_of(out, pe.ResponseAudioTranscriptDelta)
    assert "".join(t.event.delta for t in pieces) == "one two three four five"
    assert len({t.t_ms for t in pieces}) == 5  # spread over the audio
    assert events_of(out, pe.ResponseAudioTranscriptDone)[0].event.transcript == (
        "one two three four five"
    )


def test_text_modality_sends_text_events() -> None:
    model = MockRealtimeModel(MockConfig(behaviour="tone", transcript="hello text world"))
    manual_session(model)
    model.receive(pe.ResponseCreate({"output_modalities": ["text"]}), 0.0)
    out = run_until(model)
    assert not events_of(out, pe.ResponseAudioDelta)
    assert (
        "".join(t.event.delta for t in events_of(out, pe.ResponseTextDelta)) == "hello text world"
    )
    assert events_of(out, pe.ResponseTextDone)[0].event.text == "hello text world"


def test_scripted_turns_cycle() -> None:
    script = (ScriptedTurn("first", tone(500, 200)), ScriptedTurn("second", tone(600, 300)))
    model = MockRealtimeModel(MockConfig(behaviour="scripted", script=script))
    manual_session(model)
    transcripts = []
    for turn in range(3):
        model.receive(pe.ResponseCreate(), turn * 10_000.0)
        out = run_until(model)
        transcripts.append(events_of(out, pe.ResponseAudioTranscriptDone)[0].event.transcript)
        assert _audio(out) == script[turn % 2].audio_pcm16
    assert transcripts == ["first", "second", "first"]


def test_commit_of_less_than_100_ms_is_refused_like_the_service() -> None:
    model = MockRealtimeModel()
    manual_session(model)
    model.receive(pe.InputAudioBufferCommit(event_id="c1"), 0.0)
    model.receive(pe.InputAudioBufferAppend(tone(300, 50)), 0.0)
    model.receive(pe.InputAudioBufferCommit(event_id="c2"), 0.0)
    errors = [t.event.error for t in events_of(run_until(model), pe.ErrorEvent)]
    assert [e.code for e in errors] == ["input_audio_buffer_commit_empty"] * 2
    assert [e.event_id for e in errors] == ["c1", "c2"]
    assert "buffer only has 0.00ms" in errors[0].message
    assert "buffer only has 50.00ms" in errors[1].message


def test_clear_empties_the_buffer(user_audio: bytes) -> None:
    model = MockRealtimeModel()
    manual_session(model)
    model.receive(pe.InputAudioBufferAppend(user_audio), 0.0)
    model.receive(pe.InputAudioBufferClear(), 0.0)
    model.receive(pe.InputAudioBufferCommit(), 0.0)
    out = run_until(model)
    assert events_of(out, pe.InputAudioBufferCleared)
    assert events_of(out, pe.ErrorEvent)[0].event.error.code == "input_audio_buffer_commit_empty"


def test_transcription_only_when_a_model_is_set(user_audio: bytes) -> None:
    model = MockRealtimeModel()
    manual_session(model)
    model.receive(pe.InputAudioBufferAppend(user_audio), 0.0)
    model.receive(pe.InputAudioBufferCommit(), 0.0)
    assert not events_of(run_until(model), pe.InputAudioTranscriptionCompleted)
    update = pe.SessionSettings(input_transcription_model="whisper-1")
    model.receive(pe.SessionUpdate(update), 0.0)
    out = _respond(model, user_audio)
    done = events_of(out, pe.InputAudioTranscriptionCompleted)[0].event
    assert done.transcript == "(mock transcript of 1.23 s of audio)"
    spoken = events_of(out, pe.ResponseAudioTranscriptDone)[0].event.transcript
    assert spoken == "(echo) (mock transcript of 1.23 s of audio)"


def test_session_update_is_applied_and_reported() -> None:
    model = MockRealtimeModel(model="gpt-realtime-mini")
    model.start(0.0)
    settings = pe.SessionSettings(
        voice="verse", instructions="Be brief.", turn_detection=pe.SemanticVad("high")
    )
    model.receive(pe.SessionUpdate(settings), 5.0)
    out = run_until(model)
    created = events_of(out, pe.SessionCreated)[0].event
    updated = events_of(out, pe.SessionUpdated)[0].event
    assert created.session.turn_detection == pe.ServerVad()  # the service's default
    assert created.session.model == "gpt-realtime-mini"
    assert updated.session.voice == "verse"
    assert updated.session.instructions == "Be brief."
    assert updated.session.turn_detection == pe.SemanticVad("high")
    assert updated.session_id == created.session_id == model.session_id


def test_cancel_stops_delivery_at_once() -> None:
    latency = LatencyModel(ttfa_ms=100, delta_ms=100)
    model = MockRealtimeModel(MockConfig(behaviour="tone", tone_ms=2000, latency=latency))
    manual_session(model)
    model.receive(pe.ResponseCreate(), 0.0)
    before = run_until(model, 350.0)
    assert len(events_of(before, pe.ResponseAudioDelta)) == 3  # at 100, 200, 300 ms
    model.receive(pe.ResponseCancel(), 350.0)
    after = run_until(model)
    assert not events_of(after, pe.ResponseAudioDelta)
    assert {t.t_ms for t in after} == {350.0}
    done = events_of(after, pe.ResponseDone)[0].event
    assert done.status == "cancelled"
    assert done.status_details == {"type": "cancelled", "reason": "client_cancelled"}
    assert done.output[0]["status"] == "incomplete"
    assert events_of(after, pe.ResponseOutputItemDone)


def test_cancel_before_first_delta_sends_only_response_done() -> None:
    model = MockRealtimeModel(MockConfig(behaviour="tone", latency=LatencyModel(ttfa_ms=500)))
    manual_session(model)
    model.receive(pe.ResponseCreate(), 0.0)
    run_until(model, 10.0)
    model.receive(pe.ResponseCancel(), 10.0)
    out = run_until(model)
    assert _types(out) == ["ResponseDone", "RateLimitsUpdated"]
    assert out[0].event.output == ()


def test_cancel_with_nothing_in_progress_is_an_error() -> None:
    model = MockRealtimeModel(MockConfig(behaviour="tone", tone_ms=200))
    manual_session(model)
    model.receive(pe.ResponseCancel(event_id="c1"), 0.0)
    model.receive(pe.ResponseCreate(), 0.0)
    run_until(model)
    model.receive(pe.ResponseCancel(), 5000.0)  # the response has finished
    errors = [t.event.error for t in events_of(run_until(model), pe.ErrorEvent)]
    assert [e.code for e in errors] == ["response_cancel_not_active"]
    model2 = MockRealtimeModel()
    manual_session(model2)
    model2.receive(pe.ResponseCancel(event_id="c1"), 0.0)
    error = events_of(run_until(model2), pe.ErrorEvent)[0].event.error
    assert (error.type, error.code, error.event_id) == (
        "invalid_request_error",
        "response_cancel_not_active",
        "c1",
    )
    assert error.message == "Cancellation failed: no active response found"


def test_second_response_create_while_active_is_refused() -> None:
    model = MockRealtimeModel(MockConfig(behaviour="tone"))
    manual_session(model)
    model.receive(pe.ResponseCreate(), 0.0)
    model.receive(pe.ResponseCreate(event_id="c2"), 50.0)
    out = run_until(model)
    assert len(events_of(out, pe.ResponseCreated)) == 1
    error = events_of(out, pe.ErrorEvent)[0].event.error
    assert error.code == "conversation_already_has_active_response"
    assert error.event_id == "c2"


def _truncate_setup() -> tuple[MockRealtimeModel, str]:
    latency = LatencyModel(ttfa_ms=100, delta_ms=100)
    model = MockRealtimeModel(MockConfig(behaviour="tone", tone_ms=2000, latency=latency))
    manual_session(model)
    model.receive(pe.ResponseCreate(), 0.0)
    out = run_until(model, 450.0)  # deltas at 100..400 ms: 400 ms of audio sent
    item_id = events_of(out, pe.ResponseOutputItemAdded)[0].event.item["id"]
    return model, item_id


def test_truncate_within_the_audio_sent_so_far() -> None:
    model, item_id = _truncate_setup()
    model.receive(pe.ConversationItemTruncate(item_id, 0, 400), 450.0)
    truncated = events_of(run_until(model, 450.0), pe.ConversationItemTruncated)
    assert truncated[0].event == pe.ConversationItemTruncated(
        item_id, 0, 400, event_id=truncated[0].event.event_id
    )


def test_truncate_past_the_audio_sent_is_refused() -> None:
    model, item_id = _truncate_setup()
    model.receive(pe.ConversationItemTruncate(item_id, 0, 401, event_id="t1"), 450.0)
    error = events_of(run_until(model, 450.0), pe.ErrorEvent)[0].event.error
    assert (error.type, error.code, error.event_id) == (
        "invalid_request_error",
        "invalid_value",
        "t1",
    )
    assert error.message == "Audio content of 400ms is already shorter than 401ms"


def test_truncate_after_cancel_counts_only_audio_sent() -> None:
    model, item_id = _truncate_setup()
    model.receive(pe.ResponseCancel(), 450.0)
    run_until(model, 10_000.0)
    model.receive(pe.ConversationItemTruncate(item_id, 0, 1000), 10_000.0)
    error = events_of(run_until(model), pe.ErrorEvent)[0].event.error
    assert error.message == "Audio content of 400ms is already shorter than 1000ms"


def test_truncate_of_unknown_or_user_items_is_refused(user_audio: bytes) -> None:
    model = MockRealtimeModel()
    manual_session(model)
    model.receive(pe.ConversationItemTruncate("item_nope", 0, 0), 0.0)
    model.receive(pe.InputAudioBufferAppend(user_audio), 0.0)
    model.receive(pe.InputAudioBufferCommit(), 0.0)
    out = run_until(model)
    user_item = events_of(out, pe.InputAudioBufferCommitted)[0].event.item_id
    model.receive(pe.ConversationItemTruncate(user_item, 0, 0), 0.0)
    errors = [t.event.error for t in events_of(out + run_until(model), pe.ErrorEvent)]
    assert errors[0].code == "item_truncate_invalid_item_id"
    assert errors[1].message == "Only model output audio messages can be truncated"


def test_conversation_item_create_with_audio_feeds_echo() -> None:
    import base64

    audio = tone(700, 300)
    item = {
        "type": "message",
        "role": "user",
        "content": [{"type": "input_audio", "audio": base64.b64encode(audio).decode()}],
    }
    model = MockRealtimeModel()
    manual_session(model)
    model.receive(pe.ConversationItemCreate(item), 0.0)
    model.receive(pe.ResponseCreate(), 0.0)
    out = run_until(model)
    created = events_of(out, pe.ConversationItemCreated)[0].event
    assert "audio" not in created.item["content"][0]  # the service does not echo audio back
    assert _audio(out) == audio


def test_unknown_client_event_gets_an_error_and_closed_model_is_inert() -> None:
    model = MockRealtimeModel()
    model.start(0.0)
    model.receive(pe.UnknownClientEvent("bogus.event", {}), 0.0)
    error = events_of(run_until(model), pe.ErrorEvent)[0].event.error
    assert error.type == "invalid_request_error"
    assert "bogus.event" in error.message
    model.closed = True
    model.receive(pe.ResponseCreate(), 1.0)
    assert model.next_due_ms() is None
