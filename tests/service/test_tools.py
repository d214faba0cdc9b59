"""Demo tools: declared by a setting, answered by the service for every shell."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests.support.backends import ProbeBackend
from tests.support.services import make_service
from workbench.backends.inprocess import InProcessBackend
from workbench.mock.config import LatencyModel, MockConfig
from workbench.protocol import events as pe
from workbench.relay import RelayEvent, ToolCall, ToolCallError, ToolOutput, TurnDone
from workbench.service import EndReason
from workbench.service.tools import DEMO_TOOL_DEFINITIONS, answer_call
from workbench.settings import RelaySettings, SettingsError

AUDIO = Path(__file__).resolve().parents[2] / "fixtures" / "audio"
NEW_YEAR_2026_S = 1_767_225_600.0  # 2026-01-01T00:00:00Z


def _tool_backend() -> ProbeBackend:
    mock = MockConfig(behaviour="tool", latency=LatencyModel(ttfa_ms=20.0, speed_x_realtime=20.0))
    return ProbeBackend(InProcessBackend(mock))


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ('{"timezone":"UTC"}', {"timezone": "UTC", "iso_time": "2026-01-01T00:00:00+00:00"}),
        ('{"timezone":"Asia/Tokyo"}', {"iso_time": "2026-01-01T09:00:00+09:00"}),
        ("{}", {"timezone": "UTC", "weekday": "Thursday"}),
        ('{"timezone":"../../etc/passwd"}', {"error": None}),
        ('{"timezone":"America"}', {"error": None}),
        ('{"timezone":7}', {"error": None}),
        ("not json", {"error": "the arguments are not valid JSON"}),
        ("[1]", {"error": "the arguments must be a JSON object"}),
        ("[" * 100_000, {"error": "arguments longer than 4096 characters"}),
    ],
)
def test_get_current_time_answers_or_says_what_is_wrong(
    arguments: str, expected: dict[str, object]
) -> None:
    out = json.loads(answer_call("get_current_time", arguments, NEW_YEAR_2026_S))
    for key, value in expected.items():
        assert key in out and (value is None or out[key] == value), out


def test_an_unknown_function_gets_an_error_output_not_silence() -> None:
    out = json.loads(answer_call("launch_rocket", "{}", NEW_YEAR_2026_S))
    assert "no demo tool named 'launch_rocket'" in out["error"]


async def test_a_demo_tool_turn_is_answered_by_the_service_and_shown_in_the_record() -> None:
    backend = _tool_backend()
    async with make_service(backend, tools="demo", turn_detection="none") as service:
        service.wall_time_s = lambda: NEW_YEAR_2026_S
        session = service.open("file", manual_commit=True)
        await session.send_clip(AUDIO / "en_hear_48k_pcm16.wav")
        async with asyncio.timeout(20):
            events: list[RelayEvent] = [e async for e in session.events(until_turn_done=True)]
        await session.close(EndReason.COMPLETED)
    calls = [e for e in events if isinstance(e, ToolCall)]
    outputs = [e for e in events if isinstance(e, ToolOutput)]
    assert [c.name for c in calls] == ["get_current_time"]
    assert outputs[0].call_id == calls[0].call_id
    assert json.loads(outputs[0].output)["iso_time"] == "2026-01-01T00:00:00+00:00"
    assert isinstance(events[-1], TurnDone) and events[-1].status == "completed"
    sent = backend.all_sent()
    update = sent[0]
    assert isinstance(update, pe.SessionUpdate)
    assert update.session.tools == DEMO_TOOL_DEFINITIONS
    items = session.record.to_dict()["items"]
    (tool_item,) = [i for i in items if i["role"] == "tool"]
    assert tool_item["text"].startswith('get_current_time({"timezone":"UTC"}) → {"timezone"')
    assert tool_item["final"]
    assert "The tool answered" in session.record.to_dict()["assistant_transcript"]


async def test_client_tools_need_a_shell_that_answers_and_the_client_answers_them() -> None:
    async with make_service(_tool_backend(), tools="client", turn_detection="none") as service:
        with pytest.raises(SettingsError) as info:
            service.open("talk")
        assert [p.name for p in info.value.problems] == ["tools"]
        assert "WebSocket" in info.value.message
        session = service.open("websocket", manual_commit=True, answers_tools=True)
        await session.send_clip(AUDIO / "en_hear_48k_pcm16.wav")
        async with asyncio.timeout(20):
            async for event in session.events():
                if isinstance(event, ToolCall):
                    await session.send_tool_output(event.call_id, '{"time": "noon"}')
                    with pytest.raises(ToolCallError):  # once only
                        await session.send_tool_output(event.call_id, "again")
                if isinstance(event, TurnDone):
                    break
        assert isinstance(event, TurnDone) and event.status == "completed"
        assert (
            'The tool answered: {"time": "noon"}'
            in session.record.to_dict()["assistant_transcript"]
        )
        await session.close(EndReason.STOP)


async def test_settings_the_service_would_refuse_fail_at_open_all_at_once() -> None:
    async with make_service(_tool_backend()) as service:
        bad = RelaySettings(voice="nova", tools="client")
        with pytest.raises(SettingsError) as info:
            service.open("talk", bad)
        assert {p.name for p in info.value.problems} == {"voice", "tools"}
        assert "Voice: Invalid value: 'nova'" in info.value.message
        assert service.health()["active_sessions"] == 0
