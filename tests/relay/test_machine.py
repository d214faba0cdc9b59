"""The session machine, driven synchronously: no event loop, no clock, no sockets.

Each test feeds server events and shell inputs with explicit times (ms) and checks the
step: what the shell sees (emit), what goes upstream (send), and what the I/O loop must
do (drop queued audio, close, reconnect at a due time, end).
"""

from __future__ import annotations

import pytest

from workbench.backends.base import BackendInfo
from workbench.errors import SessionClosedError, UpstreamError
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect
from workbench.relay import (
    AudioOut,
    Interrupted,
    RelayConfig,
    RelayError,
    SessionInfo,
    SpeechStarted,
    TranscriptDelta,
    TranscriptFinal,
    TurnDone,
)
from workbench.relay.machine import SessionMachine
from workbench.relay.steps import (
    NOTHING,
    CloseConnection,
    DropAudio,
    EndSession,
    Reconnect,
    State,
    Step,
)

INFO = BackendInfo("mock", "test model", True, Dialect.GA, "gpt-realtime")
VAD = RelayConfig(turn_detection=pe.ServerVad())
MANUAL = RelayConfig()


def opened(config: RelayConfig = VAD, now_ms: float = 0.0) -> SessionMachine:
    machine = SessionMachine(config)
    assert machine.start()
    machine.connection_opened(INFO, "ga", now_ms)
    return machine


def delta(ms: int, rid: str = "r1", item: str = "i1") -> pe.ResponseAudioDelta:
    """``ms`` of silence as an audio delta (PCM16 at 24 kHz: 48 bytes per ms)."""
    return pe.ResponseAudioDelta(
        response_id=rid, item_id=item, output_index=0, content_index=0, delta=bytes(48 * ms)
    )


def error(code: str) -> pe.ErrorEvent:
    return pe.ErrorEvent(pe.ErrorInfo(type="invalid_request_error", message=code, code=code))


def speech_started(t: int = 0) -> pe.InputAudioBufferSpeechStarted:
    return pe.InputAudioBufferSpeechStarted(audio_start_ms=t, item_id="u2")


def emitted(step: Step, kind: type) -> list[object]:
    return [e for e in step.emit if isinstance(e, kind)]


def replying(
    config: RelayConfig = VAD, pieces_ms: tuple[int, ...] = (100, 100, 100)
) -> tuple[SessionMachine, list[AudioOut]]:
    """A machine whose user turn ended at t=0 and whose reply r1 (item i1) is streaming."""
    machine = opened(config)
    machine.handle(pe.InputAudioBufferSpeechStopped(audio_end_ms=900, item_id="u1"), 0.0)
    machine.handle(pe.ResponseCreated(response_id="r1"), 100.0)
    audio = []
    for i, ms in enumerate(pieces_ms):
        (piece,) = machine.handle(delta(ms), 200.0 + i).emit
        assert isinstance(piece, AudioOut)
        audio.append(piece)
    return machine, audio


# --- lifecycle ------------------------------------------------------------------------


def test_a_session_starts_once_and_opens_with_its_settings() -> None:
    assert SessionMachine(MANUAL).state is State.CONNECTING
    machine = SessionMachine(MANUAL)
    with pytest.raises(SessionClosedError, match="not started"):
        machine.check_usable()
    assert machine.start() and not machine.start()

    step = machine.connection_opened(INFO, "ga", 5.0)

    assert machine.state is State.OPEN
    (info,) = step.emit
    assert isinstance(info, SessionInfo) and not info.reconnected and info.is_mock
    (update,) = step.send
    assert isinstance(update, pe.SessionUpdate) and update.session.model == "gpt-realtime"
    machine.check_usable()


def test_closing_refuses_input_and_the_end_fails_what_was_pending_once() -> None:
    machine = opened(MANUAL)
    machine.commit(True, 10.0)
    machine.start_closing()
    with pytest.raises(SessionClosedError, match="ended"):
        machine.check_usable()

    step = machine.end("stop", 20.0)

    assert [d.status for d in emitted(step, TurnDone)] == ["failed"]  # type: ignore[attr-defined]
    assert step.actions == (EndSession("stop"),)
    assert machine.state is State.CLOSED
    assert machine.end("closed", 30.0) is NOTHING
    assert machine.handle(delta(20), 40.0) is NOTHING  # nothing follows the end
    assert machine.connection_lost(None, 50.0) is NOTHING


def test_a_first_connect_that_fails_ends_the_session_without_an_event_of_its_own() -> None:
    machine = SessionMachine(MANUAL)
    machine.start()
    step = machine.connect_failed(UpstreamError("no route", code="upstream_unreachable"), 0.0)
    assert step == Step(actions=(EndSession("error"),))  # start() raises the error itself
    assert machine.state is State.CLOSED


# --- barge-in -------------------------------------------------------------------------


def test_barge_in_cancels_and_truncates_where_the_reported_playout_has_got_to() -> None:
    machine, audio = replying()
    for piece in audio[:2]:
        machine.audio_delivered(piece, 300.0)
    machine.report_playout(100.0, "i1", 320.0)

    # 30 ms after the report, playback (real time) is 30 ms further on.
    step = machine.handle(speech_started(), 350.0)

    assert step.emit == (
        SpeechStarted(0, "u2"),
        Interrupted("i1", 130),
        TranscriptFinal("assistant", "i1", ""),  # the model sent no words yet
    )
    assert step.send == (
        pe.ResponseCancel(),
        pe.ConversationItemTruncate(item_id="i1", content_index=0, audio_end_ms=130),
    )
    assert step.actions == (DropAudio("i1"),)


def words(machine: SessionMachine, *pieces: str) -> None:
    """The model's transcript pieces of r1/i1, sent after the audio delta they belong to."""
    for text in pieces:
        machine.handle(
            pe.ResponseAudioTranscriptDelta(
                response_id="r1", item_id="i1", output_index=0, content_index=0, delta=text
            ),
            210.0,
        )


def transcript_done(text: str) -> pe.ResponseAudioTranscriptDone:
    return pe.ResponseAudioTranscriptDone(
        response_id="r1", item_id="i1", output_index=0, content_index=0, transcript=text
    )


def test_a_cut_items_final_transcript_holds_only_the_words_whose_audio_was_heard() -> None:
    machine = opened(VAD)
    machine.handle(pe.InputAudioBufferSpeechStopped(audio_end_ms=900, item_id="u1"), 0.0)
    machine.handle(pe.ResponseCreated(response_id="r1"), 100.0)
    for i, text in enumerate(("Hello", " there,", " friend")):  # one word per 100 ms delta
        (piece,) = machine.handle(delta(100), 200.0 + i).emit
        machine.audio_delivered(piece, 210.0)  # type: ignore[arg-type]
        words(machine, text)
    machine.report_playout(150.0, "i1", 300.0)  # the second word's audio is playing

    step = machine.interrupt(None, 300.0)

    assert TranscriptFinal("assistant", "i1", "Hello there,") in step.emit
    # The model's own final transcript (every word it sent) is not passed on.
    assert machine.handle(transcript_done("Hello there, friend"), 320.0) is NOTHING


def test_an_uncut_items_final_transcript_is_the_models() -> None:
    machine, _ = replying()
    words(machine, "Hello", " there")
    step = machine.handle(transcript_done("Hello there"), 400.0)
    assert step.emit == (TranscriptFinal("assistant", "i1", "Hello there"),)


def test_an_interrupt_with_the_played_position_cuts_exactly_there() -> None:
    machine, audio = replying()
    for piece in audio[:2]:
        machine.audio_delivered(piece, 300.0)
    machine.report_playout(50.0, "i1", 320.0)

    step = machine.interrupt(137.0, 400.0)  # the shell knows exactly where it is

    assert emitted(step, Interrupted) == [Interrupted("i1", 137)]


def test_without_a_playout_report_the_cut_is_what_the_shell_was_delivered() -> None:
    machine, audio = replying()
    for piece in audio[:2]:
        machine.audio_delivered(piece, 300.0)

    step = machine.interrupt(None, 310.0)

    assert emitted(step, Interrupted) == [Interrupted("i1", 200)]
    assert step.send[-1] == pe.ConversationItemTruncate(
        item_id="i1", content_index=0, audio_end_ms=200
    )


def test_a_playout_report_never_cuts_past_what_was_delivered() -> None:
    machine, audio = replying()
    machine.audio_delivered(audio[0], 300.0)
    step = machine.interrupt(5_000.0, 310.0)  # a player that claims more than it got
    assert emitted(step, Interrupted) == [Interrupted("i1", 100)]


def test_speech_after_the_reply_finished_playing_does_not_cut_anything() -> None:
    machine, audio = replying()
    machine.handle(pe.ResponseDone(response_id="r1", status="completed"), 250.0)
    for piece in audio:
        machine.audio_delivered(piece, 300.0)  # 300 ms of audio, playing 300 → 600 ms

    while_playing = machine.handle(speech_started(), 500.0)
    assert emitted(while_playing, Interrupted) == [Interrupted("i1", 300)]
    assert while_playing.send == (  # the response is done: truncate only, no cancel
        pe.ConversationItemTruncate(item_id="i1", content_index=0, audio_end_ms=300),
    )

    machine2, audio2 = replying()
    machine2.handle(pe.ResponseDone(response_id="r1", status="completed"), 250.0)
    for piece in audio2:
        machine2.audio_delivered(piece, 300.0)
    after_playing = machine2.handle(speech_started(), 700.0)
    assert after_playing.emit == (SpeechStarted(0, "u2"),)
    assert after_playing.send == () and after_playing.actions == ()


def test_stale_audio_and_text_of_the_cut_response_are_dropped_and_it_ends_cancelled() -> None:
    machine, _ = replying()
    machine.interrupt(0.0, 300.0)

    assert machine.handle(delta(100), 310.0) is NOTHING
    text = pe.ResponseAudioTranscriptDelta(
        response_id="r1", item_id="i1", output_index=0, content_index=0, delta="hel"
    )
    assert machine.handle(text, 311.0) is NOTHING
    done = machine.handle(pe.ResponseDone(response_id="r1", status="completed"), 320.0)
    assert [(d.status, d.response_id) for d in emitted(done, TurnDone)] == [  # type: ignore[attr-defined]
        ("cancelled", "r1")
    ]
    # The next response is not affected.
    machine.handle(pe.ResponseCreated(response_id="r2"), 400.0)
    assert emitted(machine.handle(delta(20, "r2", "i2"), 410.0), AudioOut)
    text2 = pe.ResponseTextDelta(
        response_id="r2", item_id="i2", output_index=0, content_index=0, delta="ok"
    )
    assert machine.handle(text2, 411.0).emit == (TranscriptDelta("assistant", "i2", "ok"),)


def test_a_second_interrupt_of_the_same_reply_does_nothing() -> None:
    machine, _ = replying()
    assert machine.interrupt(50.0, 300.0).send
    assert machine.interrupt(60.0, 301.0) is NOTHING


# --- model errors ---------------------------------------------------------------------


def test_cancel_not_active_after_our_own_cancel_is_benign() -> None:
    machine, _ = replying()
    machine.interrupt(0.0, 300.0)
    assert machine.handle(error("response_cancel_not_active"), 310.0) is NOTHING


def test_cancel_not_active_without_a_cancel_of_ours_is_reported() -> None:
    machine, _ = replying()
    step = machine.handle(error("response_cancel_not_active"), 310.0)
    assert step.emit == (RelayError("response_cancel_not_active", "response_cancel_not_active"),)


def test_a_refused_response_create_ends_the_waiting_turn_at_once() -> None:
    machine = opened(MANUAL)
    commit = machine.commit(True, 10.0)
    assert commit.send == (pe.InputAudioBufferCommit(), pe.ResponseCreate())
    assert machine.read_timeout_s() == MANUAL.response_timeout_s

    step = machine.handle(error("rate_limit_exceeded"), 20.0)

    err, done = step.emit
    assert err == RelayError("rate_limit_exceeded", "rate_limit_exceeded", retryable=True)
    assert isinstance(done, TurnDone) and done.status == "failed"
    assert machine.read_timeout_s() is None  # nothing is due any more
    assert machine.state is State.OPEN  # the session itself goes on


def test_an_error_during_a_response_leaves_the_turn_to_its_response_done() -> None:
    machine, _ = replying()
    step = machine.handle(error("server_error"), 300.0)
    assert step.emit == (RelayError("server_error", "server_error"),)
    done = machine.handle(pe.ResponseDone(response_id="r1", status="failed"), 310.0)
    assert [d.status for d in emitted(done, TurnDone)] == ["failed"]  # type: ignore[attr-defined]


# --- stall detection ------------------------------------------------------------------


def test_a_response_is_due_from_the_commit_until_its_response_done() -> None:
    machine = opened(MANUAL)
    assert machine.read_timeout_s() is None  # an idle session may stay silent
    machine.commit(True, 0.0)
    assert machine.read_timeout_s() == MANUAL.response_timeout_s
    machine.handle(pe.ResponseCreated(response_id="r1"), 10.0)
    assert machine.read_timeout_s() == MANUAL.response_timeout_s
    machine.handle(pe.ResponseDone(response_id="r1", status="completed"), 20.0)
    assert machine.read_timeout_s() is None


def test_a_stall_while_a_response_is_due_fails_the_turn_and_reconnects() -> None:
    machine = opened(MANUAL)
    machine.commit(True, 0.0)

    step = machine.read_timed_out(15_000.0)

    err, done = step.emit
    assert isinstance(err, RelayError) and err.code == "upstream_timeout"
    assert err.retryable and not err.fatal
    assert isinstance(done, TurnDone) and done.status == "failed"
    assert step.actions == (CloseConnection(), Reconnect(at_ms=15_250.0))
    assert machine.state is State.CONNECTING


# --- losses and reconnects ------------------------------------------------------------


def _lose(machine: SessionMachine, now_ms: float, *, retryable: bool = True) -> Step:
    return machine.connection_lost(
        UpstreamError("socket dropped", code="upstream_closed", retryable=retryable), now_ms
    )


def test_a_retryable_loss_reconnects_and_the_new_session_says_so() -> None:
    machine, _ = replying()
    step = _lose(machine, 1_000.0)
    err = step.emit[0]
    assert err == RelayError("upstream_closed", "socket dropped", retryable=True, fatal=False)
    assert [d.status for d in emitted(step, TurnDone)] == ["failed"]  # type: ignore[attr-defined]
    assert step.actions == (CloseConnection(), Reconnect(at_ms=1_250.0))

    (info,) = machine.connection_opened(INFO, "ga", 1_260.0).emit
    assert isinstance(info, SessionInfo) and info.reconnected
    assert machine.state is State.OPEN and machine.sessions_opened == 2


def test_a_fatal_loss_ends_the_session() -> None:
    machine, _ = replying()
    step = _lose(machine, 1_000.0, retryable=False)
    assert step.emit[0] == RelayError(
        "upstream_closed", "socket dropped", retryable=False, fatal=True
    )
    assert step.actions == (CloseConnection(), EndSession("error"))
    assert machine.state is State.CLOSED


def test_a_clean_close_by_the_model_is_fatal() -> None:
    machine = opened(MANUAL)
    step = machine.connection_lost(None, 10.0)
    assert step.emit == (RelayError("upstream_closed", "the model closed the session", fatal=True),)
    assert step.actions == (CloseConnection(), EndSession("error"))


@pytest.mark.parametrize(
    ("backoff_s", "expected_delays_ms"),
    [(0.25, [250.0, 500.0, 1_000.0]), (0.1, [100.0, 200.0, 400.0])],
)
def test_backoff_doubles_on_the_clock_and_the_session_gives_up_after_max_reconnects(
    backoff_s: float, expected_delays_ms: list[float]
) -> None:
    machine = opened(RelayConfig(max_reconnects=3, reconnect_backoff_s=backoff_s))
    delays = []
    now = 1_000.0
    for _ in range(3):
        (*_, reconnect) = _lose(machine, now).actions
        assert isinstance(reconnect, Reconnect)
        delays.append(reconnect.at_ms - now)
        machine.connection_opened(INFO, "ga", reconnect.at_ms)
        now = reconnect.at_ms + 5_000.0

    last = _lose(machine, now)

    assert delays == expected_delays_ms
    assert last.emit[0] == RelayError("upstream_closed", "socket dropped", fatal=True)
    assert last.actions == (CloseConnection(), EndSession("error"))


def test_input_between_reconnects_is_dropped_and_a_commit_fails_its_turn_at_once() -> None:
    machine = opened(MANUAL)
    assert machine.input_audio(20.0, 0.0)
    _lose(machine, 100.0)

    assert not machine.input_audio(20.0, 110.0)
    step = machine.commit(True, 120.0)

    assert step.send == ()
    assert [d.status for d in emitted(step, TurnDone)] == ["failed"]  # type: ignore[attr-defined]
    assert machine.input_ms_sent == 20.0
    assert machine.read_timeout_s() is None


def test_a_failed_reconnect_counts_as_another_loss() -> None:
    machine = opened(RelayConfig(max_reconnects=2))
    (*_, first) = _lose(machine, 0.0).actions
    refused = UpstreamError("refused", code="upstream_unreachable", retryable=True)

    retry = machine.connect_failed(refused, 300.0)
    assert retry.emit == (RelayError("upstream_unreachable", "refused", retryable=True),)
    assert retry.actions == (Reconnect(at_ms=800.0),)  # no connection to close

    give_up = machine.connect_failed(refused, 900.0)
    assert give_up.actions == (EndSession("error"),)
    assert first == Reconnect(at_ms=250.0)


def test_session_cap_rolls_over_at_once_without_using_up_reconnects() -> None:
    machine = opened(RelayConfig(on_session_cap="rollover", max_reconnects=0))
    for i in range(5):
        now = 60_000.0 * (i + 1)
        step = machine.handle(error("session_expired"), now)
        assert step.emit[0] == RelayError("session_expired", "session_expired", retryable=True)
        assert step.actions == (CloseConnection(), Reconnect(at_ms=now))
        machine.connection_opened(INFO, "ga", now)
    assert machine.sessions_opened == 6


def test_session_cap_ends_the_session_when_rollover_is_off() -> None:
    machine = opened(RelayConfig(on_session_cap="end"))
    step = machine.handle(error("session_expired"), 60_000.0)
    assert step.emit == (RelayError("session_expired", "session_expired", fatal=True),)
    assert step.actions == (CloseConnection(), EndSession("session_cap"))


def test_a_loss_while_the_shell_closes_is_left_to_the_close() -> None:
    machine = opened(MANUAL)
    machine.start_closing()
    assert _lose(machine, 10.0) is NOTHING
    assert machine.end("closed", 20.0).actions == (EndSession("closed"),)


# --- timeline -------------------------------------------------------------------------


def test_one_manual_turn_is_stamped_in_order_on_the_given_times() -> None:
    machine = opened(MANUAL)
    assert machine.input_audio(40.0, 10.0)
    machine.commit(True, 50.0)
    machine.handle(pe.ResponseCreated(response_id="r1"), 60.0)
    (piece,) = machine.handle(delta(20), 300.0).emit
    machine.handle(delta(20), 320.0)
    assert isinstance(piece, AudioOut) and piece.offset_ms == 0.0
    machine.audio_delivered(piece, 301.0)
    machine.report_playout(0.0, "i1", 380.0)
    (done,) = machine.handle(pe.ResponseDone(response_id="r1", status="completed"), 400.0).emit

    assert isinstance(done, TurnDone)
    assert done.timeline.marks_ms == {
        "first_input_audio": 10.0,
        "commit": 50.0,
        "response_create": 50.0,
        "response_created": 60.0,
        "first_audio_delta": 300.0,
        "last_audio_delta": 320.0,
        "first_audio_out": 301.0,
        "first_playout": 380.0,
        "done": 400.0,
    }
    assert done.timeline.model_ttfb_ms == 250.0 and done.timeline.playout_delay_ms == 79.0


def test_a_long_session_remembers_only_the_last_few_responses() -> None:
    machine = opened(MANUAL)
    for i in range(50):
        machine.commit(True, i * 1_000.0)
        machine.handle(pe.ResponseCreated(response_id=f"r{i}"), i * 1_000.0 + 10)
        machine.handle(delta(20, f"r{i}", f"i{i}"), i * 1_000.0 + 20)
        machine.interrupt(0.0, i * 1_000.0 + 30)
        machine.handle(pe.ResponseDone(response_id=f"r{i}", status="cancelled"), i * 1_000 + 40)
    assert len(machine.turns.responses) <= 4
    assert len(machine.turns.timeline.turns) == 50


def test_user_transcript_deltas_reach_the_shell_even_after_the_reply_started() -> None:
    machine, _ = replying()
    step = machine.handle(pe.InputAudioTranscriptionDelta("u1", 0, "hel"), 400.0)
    assert step.emit == (TranscriptDelta("user", "u1", "hel"),)


def test_every_server_event_type_is_handled_surfaced_or_ignored_on_purpose() -> None:
    import typing

    from workbench.relay.machine import _HANDLERS
    from workbench.relay.surface import IGNORED_EVENTS, SURFACED

    kinds = set(typing.get_args(pe.ServerEvent))
    places = [set(_HANDLERS), set(SURFACED), set(IGNORED_EVENTS)]
    assert set.union(*places) == kinds
    assert sum(map(len, places)) == len(kinds)  # each in exactly one place
    machine = opened()
    assert machine.handle(pe.ConversationCreated("conv_1"), 1.0) == NOTHING
