"""The Talk tab's status line and player position (Gradio streaming mode), sans-I/O."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.app.ui.page_tap import PageReply
from workbench.app.ui.payload_fields import PayloadError
from workbench.app.ui.talk_player import TalkStatus
from workbench.relay import AudioOut, Interrupted, SpeechStarted, SpeechStopped, TurnDone
from workbench.relay.timeline import SessionTimeline


def _report(phase: str, played_ms: float | None, **extra: Any) -> PageReply:
    return PageReply.from_payload(
        {
            "target": "talk-reply",
            "seq": 1,
            "response_id": "resp_1",
            "phase": phase,
            "played_ms": played_ms,
            "stalls": 0,
            "stall_ms": 0,
            **extra,
        }
    )


def test_the_status_follows_the_session_and_the_player() -> None:
    status = TalkStatus(manual_turns=False)
    assert status.status(0)[0].startswith("Listening — speak; pause")
    status.on_event(SpeechStarted(100, "it_1"), 10)
    assert status.status(20)[0] == "You are speaking."
    status.on_event(SpeechStopped(1900, "it_1"), 30)
    assert status.status(40)[0] == "Waiting for the model."
    status.on_event(AudioOut(b"\0\0" * 2400, "it_2", "resp_1", 0.0), 50)
    status.player.new_reply("it_2", "resp_1")
    status.player.delivered(1900.0)
    assert "buffering" in status.status(60)[0]  # sent to Gradio's player, not heard yet
    status.player.on_page(_report("playing", 64.0), 1000)
    assert status.status(1010)[0] == "Playing the reply."
    status.player.on_page(_report("stalled", 900.0), 1900)
    assert status.status(1910) == (
        "Playing the reply — Gradio's player is waiting for data.",
        "warn",
    )
    assert status.player.position_ms(5000) == 900.0  # it is not moving while stalled
    status.player.on_page(_report("resumed", 900.0), 2300)
    assert status.player.position_ms(2400) == pytest.approx(1000.0)
    status.player.on_page(_report("ended", 1900.0), 3300)
    assert status.status(3310)[0].startswith("Listening")


def test_interrupted_holds_then_listening_and_the_end_names_its_reason() -> None:
    status = TalkStatus(manual_turns=True)
    status.player.new_reply("it_2", "resp_1")
    status.on_event(Interrupted("it_2", 480), 1000)
    assert status.status(1500)[0] == "Interrupted."
    assert status.status(3000)[0] == "Listening — speak, then press “Send turn”."
    status.end("idle")
    assert status.status(3001) == ("Ended: idle timeout", "info")
    status.end("stop")  # the first end wins
    failed = TalkStatus(manual_turns=False)
    failed.fail("chunk_ms must be between 5 and 1000, got 3")
    failed.end("rejected")
    assert failed.status(0) == (
        "Ended: the input was refused — chunk_ms must be between 5 and 1000, got 3",
        "error",
    )


def test_without_the_page_tap_the_play_event_starts_a_real_time_estimate() -> None:
    status = TalkStatus(manual_turns=False)
    player = status.player
    player.new_reply("it_2", "resp_1")
    player.delivered(1000.0)
    assert player.position_ms(0) is None
    player.on_play(100.0)
    assert player.position_ms(600.0) == 500.0
    assert player.position_ms(5000.0) == 1000.0  # never past what was sent
    status.on_event(
        TurnDone(status="completed", timeline=SessionTimeline().new_turn(), response_id="resp_1"),
        1200,
    )
    assert status.status(1200)[0].startswith("Listening")  # it played out
    # A report about another reply does not move this one.
    other = PageReply.from_payload(
        {"target": "talk-reply", "seq": 2, "response_id": "resp_9", "phase": "playing"}
    )
    assert not player.on_page(other, 0)


@pytest.mark.parametrize(
    "payload",
    [
        None,
        {"target": "talk-reply", "phase": "exploded"},
        {"target": "x" * 500, "phase": "playing"},
        {"target": "talk-reply", "phase": "playing", "mic_to_audible_ms": "fast"},
        {"target": "talk-reply", "phase": "playing", "stall_ms": float("nan")},
    ],
)
def test_bad_page_reports_are_refused_by_name(payload: object) -> None:
    with pytest.raises(PayloadError):
        PageReply.from_payload(payload)


def test_a_page_report_becomes_figures_from_the_mic_or_from_send() -> None:
    reply = _report(
        "audible",
        300.0,
        mic_to_first_playout_ms=2100.0,
        mic_to_audible_ms=2400.0,
        send_to_first_playout_ms=3100.0,
        send_to_audible_ms=3400.0,
        output_latency_ms=30.0,
    )
    mic = reply.figures("mic")
    assert (mic.first_sample_ms, mic.audible_ms, mic.first_sample_exact) == (2100.0, 2400.0, False)
    send = reply.figures("send")
    assert (send.origin, send.first_sample_ms, send.audible_ms) == ("send", 3100.0, 3400.0)
