"""The voice-to-voice decomposition: parts + residual always add up to the total."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.netem.voice_to_voice import (
    PARTS,
    VoiceToVoiceMarks,
    decompose,
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
    assert (m.turn_end_ms, m.first_audio_delta_ms) == (5.0, 300.0)
    m = marks_from_timeline({"commit": 10.0}, speech_end_ms=0.0, reply_audible_ms=400.0)
    assert m.turn_end_ms == 10.0 and m.first_audio_delta_ms is None


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
