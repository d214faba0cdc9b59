"""The mock server with real clients on 127.0.0.1: the openai SDK (OpenAI and Azure, GA
and preview), a raw websockets client, and key checks."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import websockets
from openai import AsyncAzureOpenAI, AsyncOpenAI
from websockets.exceptions import InvalidStatus

from tests.mock.mock_helpers import tone
from workbench.mock.config import LatencyModel, MockConfig
from workbench.mock.server import MockServer, serve_mock
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect, decode_server_event, encode_client_event

FAST = MockConfig(latency=LatencyModel(ttfa_ms=20, speed_x_realtime=20.0))
AUDIO = tone(330.0, 700.0)
TIMEOUT_S = 10.0


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with serve_mock(FAST) as running:
        yield running
        await running.wait_idle(TIMEOUT_S)


async def _sdk_turn(conn: Any, dialect: Dialect) -> tuple[bytes, list[str]]:
    """Manual-commit echo turn through an SDK connection; returns audio and event types."""
    update = pe.SessionUpdate(pe.SessionSettings(turn_detection=pe.NoTurnDetection()))
    for event in (
        update,
        pe.InputAudioBufferAppend(AUDIO),
        pe.InputAudioBufferCommit(),
        pe.ResponseCreate(),
    ):
        await conn.send(encode_client_event(event, dialect))
    audio, types = b"", []
    async with asyncio.timeout(TIMEOUT_S):
        async for event in conn:
            types.append(event.type)
            if event.type in ("response.output_audio.delta", "response.audio.delta"):
                audio += base64.b64decode(event.delta)
            if event.type == "response.done":
                break
    return audio, types


async def test_openai_sdk_ga_round_trip(server: MockServer) -> None:
    client = AsyncOpenAI(api_key="test", websocket_base_url=server.url + "/v1")
    async with client.realtime.connect(model="gpt-realtime") as conn:
        await conn.session.update(
            session={"type": "realtime", "audio": {"input": {"turn_detection": None}}}
        )
        await conn.input_audio_buffer.append(audio=base64.b64encode(AUDIO).decode())
        await conn.input_audio_buffer.commit()
        await conn.response.create()
        audio, types = b"", []
        async with asyncio.timeout(TIMEOUT_S):
            async for event in conn:
                types.append(event.type)
                if event.type == "session.updated":
                    assert event.session.audio.input.turn_detection is None
                if event.type == "response.output_audio.delta":
                    audio += base64.b64decode(event.delta)
                if event.type == "response.done":
                    assert event.response.status == "completed"
                    break
    assert audio == AUDIO
    assert types[:2] == ["session.created", "session.updated"]
    assert "conversation.item.added" in types and "response.output_audio_transcript.delta" in types
    info = server.connections[-1]
    assert (info.path, info.model, info.dialect, info.auth) == (
        "/v1/realtime",
        "gpt-realtime",
        Dialect.GA,
        "bearer",
    )


async def test_openai_sdk_base_url_also_works(server: MockServer) -> None:
    client = AsyncOpenAI(api_key="test", base_url=server.http_base_url + "/v1")
    async with client.realtime.connect(model="gpt-realtime") as conn:
        audio, _ = await _sdk_turn(conn, Dialect.GA)
    assert audio == AUDIO


async def test_openai_sdk_beta_connect_speaks_preview(server: MockServer) -> None:
    client = AsyncOpenAI(api_key="test", websocket_base_url=server.url + "/v1")
    async with client.beta.realtime.connect(model="gpt-4o-realtime-preview") as conn:
        audio, types = await _sdk_turn(conn, Dialect.PREVIEW)
    assert audio == AUDIO
    assert "response.audio.delta" in types and "conversation.item.created" in types
    assert server.connections[-1].dialect is Dialect.PREVIEW


async def test_azure_preview_with_api_key(server: MockServer) -> None:
    client = AsyncAzureOpenAI(
        azure_endpoint=server.http_base_url,
        api_key="azure-key",
        api_version="2025-04-01-preview",
        websocket_base_url=server.url + "/openai",
    )
    async with client.beta.realtime.connect(model="my-deployment") as conn:
        audio, types = await _sdk_turn(conn, Dialect.PREVIEW)
    assert audio == AUDIO
    assert "response.audio_transcript.done" in types
    info = server.connections[-1]
    assert (info.path, info.model, info.dialect, info.auth) == (
        "/openai/realtime",
        "my-deployment",
        Dialect.PREVIEW,
        "api-key",
    )


async def test_azure_ga_through_the_azure_client(server: MockServer) -> None:
    client = AsyncAzureOpenAI(
        azure_endpoint=server.http_base_url,
        azure_ad_token="entra-token",
        api_version="2025-08-28",
        websocket_base_url=server.url + "/openai",
    )
    async with client.realtime.connect(model="my-deployment") as conn:
        audio, types = await _sdk_turn(conn, Dialect.GA)
    assert audio == AUDIO
    assert "response.output_audio.delta" in types
    info = server.connections[-1]
    assert (info.dialect, info.auth, info.model) == (Dialect.GA, "bearer", "my-deployment")


async def test_azure_ga_v1_path(server: MockServer) -> None:
    client = AsyncOpenAI(api_key="azure-key", websocket_base_url=server.url + "/openai/v1")
    async with client.realtime.connect(model="my-deployment") as conn:
        audio, _ = await _sdk_turn(conn, Dialect.GA)
    assert audio == AUDIO
    assert server.connections[-1].path == "/openai/v1/realtime"


async def _raw_until(ws: Any, last_type: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    async with asyncio.timeout(TIMEOUT_S):
        while True:
            out.append(json.loads(await ws.recv()))
            if out[-1]["type"] == last_type:
                return out


async def test_raw_websockets_client_speaking_preview(server: MockServer) -> None:
    url = server.url + "/openai/realtime?api-version=2024-10-01-preview&deployment=rt"
    async with websockets.connect(url, additional_headers={"api-key": "k"}) as ws:
        created = await _raw_until(ws, "session.created")
        assert created[0]["session"]["input_audio_format"] == "pcm16"
        assert created[0]["session"]["turn_detection"]["type"] == "server_vad"
        for event in (
            {
                "type": "session.update",
                "session": {"turn_detection": None, "modalities": ["audio", "text"]},
            },
            {"type": "input_audio_buffer.append", "audio": base64.b64encode(AUDIO).decode()},
            {"type": "input_audio_buffer.commit"},
            {"type": "response.create"},
        ):
            await ws.send(json.dumps(event))
        events = await _raw_until(ws, "response.done")
    types = [e["type"] for e in events]
    assert "conversation.item.created" in types
    audio = b"".join(
        base64.b64decode(e["delta"]) for e in events if e["type"] == "response.audio.delta"
    )
    assert audio == AUDIO
    decoded = [decode_server_event(e) for e in events]  # our decoder reads every frame
    assert isinstance(decoded[-1], pe.ResponseDone)


async def test_the_url_fixes_the_dialect_and_no_event_switches_it(server: MockServer) -> None:
    async with websockets.connect(server.url + "/v1/realtime?model=gpt-realtime") as ws:
        await _raw_until(ws, "session.created")
        preview_shaped = {"modalities": ["text", "audio"]}
        await ws.send(
            json.dumps({"type": "session.update", "event_id": "c1", "session": preview_shaped})
        )
        error = (await _raw_until(ws, "error"))[-1]["error"]
        ga_shaped = {"type": "realtime", "output_modalities": ["text"]}
        await ws.send(json.dumps({"type": "session.update", "session": ga_shaped}))
        updated = (await _raw_until(ws, "session.updated"))[-1]
    assert error["code"] == "missing_required_parameter"
    assert error["param"] == "session.type"
    assert error["message"] == "Missing required parameter: 'session.type'."
    assert error["event_id"] == "c1"
    assert updated["session"]["output_modalities"] == ["text"]  # still GA
    assert "modalities" not in updated["session"]


async def test_a_preview_url_answers_a_ga_shaped_session_with_an_error(server: MockServer) -> None:
    url = server.url + "/openai/realtime?api-version=2024-10-01-preview&deployment=gpt-4o"
    async with websockets.connect(url) as ws:
        created = (await _raw_until(ws, "session.created"))[-1]
        await ws.send(json.dumps({"type": "session.update", "session": {"type": "realtime"}}))
        error = (await _raw_until(ws, "error"))[-1]["error"]
    assert "modalities" in created["session"]
    assert (error["code"], error["param"]) == ("unknown_parameter", "session.type")


async def test_invalid_json_from_the_client_gets_an_error_event(server: MockServer) -> None:
    async with websockets.connect(server.url + "/realtime") as ws:
        await _raw_until(ws, "session.created")
        await ws.send('{"type": "session.update", "event_id": "evt_7", oops')
        await ws.send(
            json.dumps({"type": "input_audio_buffer.append", "audio": 5, "event_id": "e2"})
        )
        first = (await _raw_until(ws, "error"))[-1]["error"]
        second = (await _raw_until(ws, "error"))[-1]["error"]
    assert first["code"] == "invalid_json"
    assert first["event_id"] == "evt_7"  # recovered from the broken frame
    assert (second["code"], second["param"], second["event_id"]) == ("invalid_type", "audio", "e2")
    assert second["message"] == (
        "Invalid type for 'audio': expected a string, but got an integer instead."
    )


async def test_wrong_or_missing_key_is_refused_with_401_json() -> None:
    async with serve_mock(FAST, expected_key="right-key") as server:
        client = AsyncOpenAI(api_key="wrong-key", websocket_base_url=server.url + "/v1")
        with pytest.raises(InvalidStatus) as info:
            async with asyncio.timeout(TIMEOUT_S), client.realtime.connect(model="m"):
                pass
        assert info.value.response.status_code == 401
        body = json.loads(info.value.response.body)
        assert body["error"]["code"] == "invalid_api_key"
        assert "wrong-key" not in body["error"]["message"]  # the key is masked

        with pytest.raises(InvalidStatus) as missing:
            async with asyncio.timeout(TIMEOUT_S), websockets.connect(server.url + "/v1/realtime"):
                pass
        assert missing.value.response.status_code == 401

        azure = AsyncAzureOpenAI(
            azure_endpoint=server.http_base_url,
            api_key="wrong-key",
            api_version="2025-04-01-preview",
            websocket_base_url=server.url + "/openai",
        )
        with pytest.raises(InvalidStatus) as refused:
            async with asyncio.timeout(TIMEOUT_S), azure.beta.realtime.connect(model="d"):
                pass
        assert json.loads(refused.value.response.body)["error"]["code"] == "401"
        assert server.total_connections == 0


@pytest.mark.parametrize(
    ("suffix", "headers", "subprotocols"),
    [
        ("/v1/realtime", {"Authorization": "Bearer right-key"}, None),
        ("/openai/realtime?api-version=2025-04-01-preview", {"api-key": "right-key"}, None),
        ("/openai/realtime?api-key=right-key&deployment=d", {}, None),
        ("/v1/realtime", {}, ["realtime", "openai-insecure-api-key.right-key"]),
    ],
)
async def test_right_key_in_every_place_is_accepted(
    suffix: str, headers: dict[str, str], subprotocols: list[str] | None
) -> None:
    async with serve_mock(FAST, expected_key="right-key") as server:
        async with websockets.connect(
            server.url + suffix,
            additional_headers=headers,
            subprotocols=subprotocols,  # type: ignore[arg-type]
        ) as ws:
            assert (await _raw_until(ws, "session.created"))[0]["type"] == "session.created"
            if subprotocols:
                assert ws.subprotocol == "realtime"
        await server.wait_idle(TIMEOUT_S)


async def test_unknown_path_and_bad_query_are_refused(server: MockServer) -> None:
    with pytest.raises(InvalidStatus) as not_found:
        async with asyncio.timeout(TIMEOUT_S), websockets.connect(server.url + "/v1/chat"):
            pass
    assert not_found.value.response.status_code == 404
    with pytest.raises(InvalidStatus) as bad:
        async with (
            asyncio.timeout(TIMEOUT_S),
            websockets.connect(server.url + "/v1/realtime?mock_ttfa_ms=soon"),
        ):
            pass
    assert bad.value.response.status_code == 400
    assert "mock_ttfa_ms" in json.loads(bad.value.response.body)["error"]["message"]
