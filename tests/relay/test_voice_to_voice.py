"""The voice-to-voice decomposition: parts + residual always add up to the total; client
audio reports on the turn timeline."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.relay.timeline import SessionTimeline, TurnTimeline
from workbench.relay.voice_to_voice import (
    PARTS,
    TurnAudioReport,
    VoiceToVoiceMarks,
    decompose,
    decompose_parts,
    marks_from_timeline,
)

FULL = VoiceToVoiceMarks(
    speech_end_ms=1000.0,
    input_end_received_ms=1045.0,
    turn_end_ms=1560.0,
    first_audio_delta_ms=1900.0,
    first_audio_received_ms=1950.0,
    reply_audible_ms=2130.0,
)


def test_all_marks_give_every_part_and_no_residual() -> None:
    v = decompose(FULL)
    assert v.total_ms == 1130.0
    assert v.parts_ms == {
        "uplink": 45.0,
        "turn_detection": 515.0,
        "model": 340.0,
        "downlink": 50.0,
        "buffering": 180.0,
    }
    assert v.residual_ms == 0.0 and v.missing == () and v.negative_parts == ()
    assert list(v.to_dict()["parts_ms"]) == list(PARTS)


def test_a_missing_mark_moves_its_neighbours_into_the_residual() -> None:
    v = decompose(
        VoiceToVoiceMarks(
            speech_end_ms=1000.0,
            reply_audible_ms=2130.0,
            turn_end_ms=1560.0,
            first_audio_delta_ms=1900.0,
        )
    )
    assert v.parts_ms["model"] == 340.0
    assert v.missing == ("uplink", "turn_detection", "downlink", "buffering")
    assert v.residual_ms == pytest.approx(1130.0 - 340.0)


def test_marks_from_different_clocks_show_as_negative_parts() -> None:
    skewed = VoiceToVoiceMarks(0.0, 500.0, input_end_received_ms=-30.0, turn_end_ms=200.0)
    assert decompose(skewed).negative_parts == ("uplink",)


def test_non_finite_marks_are_refused() -> None:
    with pytest.raises(ValueError):
        decompose(VoiceToVoiceMarks(0.0, math.inf))


def test_timeline_marks_prefer_speech_stopped_over_commit() -> None:
    marks = {"commit": 10.0, "speech_stopped": 5.0, "first_audio_delta": 300.0}
    m = marks_from_timeline(marks, speech_end_ms=0.0, reply_audible_ms=400.0)
    assert m is not None and (m.turn_end_ms, m.first_audio_delta_ms) == (5.0, 300.0)
    m = marks_from_timeline({"commit": 10.0}, speech_end_ms=0.0, reply_audible_ms=400.0)
    assert m is not None and m.turn_end_ms == 10.0 and m.first_audio_delta_ms is None
    assert marks_from_timeline({"commit": 10.0}) is None  # no audio instants yet


instant = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False))


@given(
    start=st.floats(-1e6, 1e6),
    end=st.floats(-1e6, 1e6),
    middle=st.tuples(instant, instant, instant, instant),
)
def test_parts_and_residual_always_add_up_to_the_total(
    start: float, end: float, middle: tuple[float | None, ...]
) -> None:
    v = decompose(VoiceToVoiceMarks(start, end, *middle))
    known = sum(p for p in v.parts_ms.values() if p is not None)
    assert known + v.residual_ms == pytest.approx(v.total_ms, abs=1e-6)


def _served_turn() -> TurnTimeline:
    """A turn as the relay stamps it (server VAD), before any client report."""
    turn = TurnTimeline(0)
    for stage, t_ms in (
        ("first_input_audio", 0.0),
        ("speech_started", 300.0),
        ("speech_stopped", 1560.0),
        ("response_created", 1570.0),
        ("first_audio_delta", 1900.0),
        ("first_audio_out", 1902.0),
        ("done", 4000.0),
    ):
        turn.mark(stage, t_ms)
    return turn


def test_a_client_report_gives_the_turn_its_voice_to_voice_latency_and_parts() -> None:
    turn = _served_turn()
    assert turn.voice_to_voice() is None and turn.to_dict()["voice_to_voice_ms"] is None
    report = TurnAudioReport(
        "resp_1",
        speech_end_ms=1000.0,
        speech_end_input_ms=1000.0,
        first_audio_received_ms=1950.0,
        first_sample_ms=2030.0,
        first_audible_ms=2130.0,
        output_latency_ms=30.0,
        jitter_buffer_ms=50.0,
        underruns=0,
        clock_uncertainty_ms=0.5,
    )
    turn.apply_audio_report(report, speech_end_received_ms=1045.0)
    d = turn.to_dict()
    # The instants are heard at the speaker: the output latency is inside them.
    assert d["stages_ms"]["first_audible_out"] == 2130.0
    assert d["stages_ms"]["first_sample_out"] == 2030.0
    assert d["voice_to_voice_ms"] == 1130.0
    v2v = d["voice_to_voice"]
    assert v2v["parts_ms"] == {
        "uplink": 45.0,
        "turn_detection": 515.0,
        "model": 340.0,
        "downlink": 50.0,
        "buffering": 180.0,
    }
    assert v2v["residual_ms"] == 0.0
    assert d["audio_report"] == {
        "output_latency_ms": 30.0,
        "jitter_buffer_ms": 50.0,
        "clock_uncertainty_ms": 0.5,
        "underruns": 0,
    }
    timeline = SessionTimeline([turn])
    assert timeline.summary()["voice_to_voice_ms"]["p50"] == 1130.0


def test_a_report_without_uplink_or_downlink_marks_shows_their_time_as_residual() -> None:
    turn = _served_turn()
    turn.apply_audio_report(
        TurnAudioReport("resp_1", speech_end_ms=1000.0, first_audible_ms=2130.0)
    )
    v2v = turn.voice_to_voice()
    assert v2v is not None and v2v.total_ms == 1130.0
    assert v2v.parts_ms["model"] == 340.0
    assert v2v.missing == ("uplink", "turn_detection", "downlink", "buffering")
    assert v2v.residual_ms == 790.0


def test_a_newer_report_replaces_the_instants_it_gives_and_keeps_the_others() -> None:
    turn = _served_turn()
    turn.apply_audio_report(
        TurnAudioReport("r", speech_end_ms=1000.0, first_audible_ms=2000.0, underruns=0)
    )
    turn.apply_audio_report(TurnAudioReport("r", first_audible_ms=2100.0, underruns=2))
    assert turn.voice_to_voice_ms == 1100.0
    assert turn.audio_report["underruns"] == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("speech_end_ms", math.nan),
        ("first_audible_ms", math.inf),
        ("first_sample_ms", 1e13),
        ("output_latency_ms", -1.0),
        ("jitter_buffer_ms", 1e9),
        ("clock_uncertainty_ms", math.nan),
        ("speech_end_input_ms", -5.0),
        ("underruns", -1),
        ("underruns", 2.5),
        ("underruns", True),
        ("speech_end_ms", True),
    ],
)
def test_bad_report_values_are_refused_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field):
        TurnAudioReport("resp_1", **{field: value})  # type: ignore[arg-type]


def test_a_report_needs_a_short_response_id() -> None:
    for bad in ("", "x" * 129):
        with pytest.raises(ValueError, match="response_id"):
            TurnAudioReport(bad)


def test_spans_from_two_clocks_decompose_with_the_rest_as_residual() -> None:
    v = decompose_parts(900.0, {"model": 300.0, "buffering": 0.0})
    assert v.residual_ms == 600.0
    assert v.missing == ("uplink", "turn_detection", "downlink")
    with pytest.raises(ValueError, match="unknown"):
        decompose_parts(900.0, {"network": 1.0})
    with pytest.raises(ValueError):
        decompose_parts(math.nan, {})
