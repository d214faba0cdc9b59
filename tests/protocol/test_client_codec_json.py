"""The wire text of client events: the fast path for audio appends is the same text."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.protocol.protocol_samples import CLIENT_EVENTS
from workbench.protocol import events as pe
from workbench.protocol.dialects import (
    Dialect,
    decode_client_event,
    dumps,
    encode_client_event,
    encode_client_event_json,
)


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("event", CLIENT_EVENTS, ids=lambda e: type(e).__name__)
def test_every_client_event_is_the_same_text_as_the_dict(
    event: pe.ClientEvent, dialect: Dialect
) -> None:
    assert encode_client_event_json(event, dialect) == dumps(encode_client_event(event, dialect))


@given(audio=st.binary(max_size=4096), dialect=st.sampled_from(list(Dialect)))
def test_an_append_of_any_audio_is_valid_json_that_decodes_back(
    audio: bytes, dialect: Dialect
) -> None:
    event = pe.InputAudioBufferAppend(audio=audio)
    text = encode_client_event_json(event, dialect)
    assert text == dumps(encode_client_event(event, dialect))
    assert json.loads(text)["type"] == "input_audio_buffer.append"
    assert decode_client_event(text) == event


def test_an_append_with_an_event_id_keeps_it() -> None:
    event = pe.InputAudioBufferAppend(audio=b"\x01\x02", event_id='ev"1')
    text = encode_client_event_json(event, Dialect.GA)
    assert json.loads(text)["event_id"] == 'ev"1'
    assert decode_client_event(text) == event
