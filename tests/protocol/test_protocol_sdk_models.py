"""Encoded events validate against the installed openai SDK's pydantic models."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest
from openai.types.beta.realtime import RealtimeClientEvent as PreviewClientEvent
from openai.types.beta.realtime import RealtimeServerEvent as PreviewServerEvent
from openai.types.realtime import RealtimeClientEvent as GaClientEvent
from openai.types.realtime import RealtimeServerEvent as GaServerEvent

from tests.protocol.protocol_samples import CLIENT_EVENTS, SERVER_EVENTS
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect, encode_client_event, encode_server_event

_SERVER = {
    Dialect.GA: pydantic.TypeAdapter(GaServerEvent),
    Dialect.PREVIEW: pydantic.TypeAdapter(PreviewServerEvent),
}
_CLIENT = {
    Dialect.GA: pydantic.TypeAdapter(GaClientEvent),
    Dialect.PREVIEW: pydantic.TypeAdapter(PreviewClientEvent),
}


def _validate(adapter: pydantic.TypeAdapter[Any], wire: dict[str, Any]) -> Any:
    model = adapter.validate_python(wire)
    assert model.type == wire["type"]
    return model


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("event", SERVER_EVENTS, ids=lambda e: type(e).__name__)
def test_server_event_validates_against_sdk(event: pe.ServerEvent, dialect: Dialect) -> None:
    if dialect is Dialect.PREVIEW and isinstance(event, pe.ConversationItemDone):
        pytest.skip("preview has no conversation.item.done (the mock sends it only in GA)")
    _validate(_SERVER[dialect], encode_server_event(event, dialect))


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("event", CLIENT_EVENTS, ids=lambda e: type(e).__name__)
def test_client_event_validates_against_sdk(event: pe.ClientEvent, dialect: Dialect) -> None:
    session = getattr(event, "session", None)
    if dialect is Dialect.PREVIEW and isinstance(
        getattr(session, "tool_choice", None), pe.ToolChoiceFunction
    ):
        pytest.skip("the preview SDK types tool_choice as a plain string (auto/none/required)")
    _validate(_CLIENT[dialect], encode_client_event(event, dialect))


def test_ga_session_validates_as_realtime_session() -> None:
    wire = encode_server_event(SERVER_EVENTS[0], Dialect.GA)
    model = _validate(_SERVER[Dialect.GA], wire)
    assert model.session.type == "realtime"
    assert model.session.audio.input.format.rate == 24000
    assert model.session.audio.input.turn_detection.type == "server_vad"
    assert model.session.audio.output.voice == "alloy"


def test_preview_session_validates_with_flat_fields() -> None:
    wire = encode_server_event(SERVER_EVENTS[0], Dialect.PREVIEW)
    model = _validate(_SERVER[Dialect.PREVIEW], wire)
    assert model.session.input_audio_format == "pcm16"
    assert model.session.turn_detection.silence_duration_ms == 400
    assert model.session.input_audio_transcription.model == "whisper-1"


def test_response_done_carries_a_full_response_object() -> None:
    done = next(e for e in SERVER_EVENTS if isinstance(e, pe.ResponseDone))
    for dialect in Dialect:
        model = _validate(_SERVER[dialect], encode_server_event(done, dialect))
        assert model.response.id == "resp_1"
        assert model.response.status == "completed"
        assert model.response.object == "realtime.response"
        assert model.response.usage.total_tokens == 10
