"""Session settings the service would refuse are found before sending, with its params."""

from __future__ import annotations

import pytest

from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect
from workbench.protocol.session_rules import (
    MODALITY_COMBINATIONS,
    params_violations,
    session_violations,
)


@pytest.mark.parametrize("dialect", list(Dialect))
def test_the_relays_usual_settings_are_accepted_in_both_dialects(dialect: Dialect) -> None:
    settings = pe.SessionSettings(
        model="gpt-realtime",
        voice="marin",
        instructions="be brief",
        input_transcription_model="whisper-1",
        turn_detection=pe.ServerVad(),
        input_audio_format="g711_ulaw",
        output_audio_format="g711_ulaw",
        tools=(pe.FunctionTool("get_current_time", "now", {"type": "object", "properties": {}}),),
        tool_choice="auto",
        output_modalities=("audio",),
    )
    assert session_violations(settings, dialect) == []


def test_every_problem_is_reported_at_once_with_the_services_params() -> None:
    settings = pe.SessionSettings(
        voice="nova",
        temperature=0.7,
        output_modalities=("audio", "text"),
        tools=(pe.FunctionTool("get time"),),
    )
    found = {(v.code, v.param) for v in session_violations(settings, Dialect.GA)}
    assert found == {
        ("unknown_parameter", "session.temperature"),
        ("invalid_value", "session.audio.output.voice"),
        ("invalid_value", "session.output_modalities"),
        ("invalid_value", "session.tools[0].name"),
    }


@pytest.mark.parametrize(
    ("temperature", "ok"), [(0.6, True), (1.2, True), (0.5, False), (1.3, False)]
)
def test_preview_temperature_follows_the_references_range(temperature: float, ok: bool) -> None:
    found = session_violations(pe.SessionSettings(temperature=temperature), Dialect.PREVIEW)
    assert (found == []) is ok
    if not ok:
        assert found[0].param == "session.temperature"


def test_modality_combinations_are_judged_per_dialect() -> None:
    for dialect, combos in MODALITY_COMBINATIONS.items():
        key = "output_modalities" if dialect is Dialect.GA else "modalities"
        for combo in combos:
            assert params_violations({key: list(reversed(combo))}, "session", dialect) == []
    (bad,) = params_violations({"modalities": ["audio"]}, "session", Dialect.PREVIEW)
    assert bad.message == (
        "Invalid modalities: ['audio']. Supported combinations are: ['text'] and ['audio', 'text']."
    )
