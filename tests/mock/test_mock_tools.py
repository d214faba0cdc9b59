"""Function calling in the mock: definitions, a streamed call, the output, the follow-up."""

from __future__ import annotations

import json

import pytest

from tests.mock.mock_helpers import Timed, events_of, manual_session, run_until
from workbench.mock.model import LatencyModel, MockConfig, MockRealtimeModel
from workbench.mock.tools import call_arguments
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect

TIME_TOOL = pe.FunctionTool(
    "get_current_time",
    "The current time in a time zone",
    {
        "type": "object",
        "properties": {"timezone": {"type": "string"}},
        "required": ["timezone"],
    },
)
WEATHER_TOOL = pe.FunctionTool("get_weather", "The weather", {"type": "object"})
TOOL_MOCK = MockConfig(behaviour="tool", latency=LatencyModel(ttfa_ms=50, delta_ms=20))


def _session(
    model: MockRealtimeModel, tools: tuple[pe.FunctionTool, ...], choice: object = None
) -> None:
    manual_session(model)
    settings = pe.SessionSettings(tools=tools, tool_choice=choice)  # type: ignore[arg-type]
    model.receive(pe.SessionUpdate(settings), 0.0)


def _user_turn(model: MockRealtimeModel, audio: bytes, at_ms: float) -> list[Timed]:
    model.receive(pe.InputAudioBufferAppend(audio), at_ms)
    model.receive(pe.InputAudioBufferCommit(), at_ms)
    model.receive(pe.ResponseCreate(), at_ms)
    return run_until(model)


@pytest.mark.parametrize("dialect", list(Dialect))
def test_the_tool_model_calls_the_function_then_speaks_about_its_output(
    dialect: Dialect, user_audio: bytes
) -> None:
    model = MockRealtimeModel(TOOL_MOCK, dialect)
    _session(model, (WEATHER_TOOL, TIME_TOOL))
    first = _user_turn(model, user_audio, 0.0)

    deltas = [t.event for t in events_of(first, pe.ResponseFunctionCallArgumentsDelta)]
    done = events_of(first, pe.ResponseFunctionCallArgumentsDone)[0].event
    assert done.name == "get_current_time"  # the preferred tool, though not the first
    assert json.loads(done.arguments) == {"timezone": "UTC"}
    assert "".join(d.delta for d in deltas) == done.arguments
    assert len(deltas) > 1  # streamed in pieces
    assert {d.call_id for d in deltas} == {done.call_id}
    response = events_of(first, pe.ResponseDone)[0].event
    assert response.status == "completed"
    (call_item,) = response.output
    assert call_item["type"] == "function_call"
    assert (call_item["call_id"], call_item["arguments"]) == (done.call_id, done.arguments)
    assert not events_of(first, pe.ResponseAudioDelta)  # a call, not speech

    output = json.dumps({"time": "12:34"})
    item = pe.function_call_output_item(done.call_id, output)
    model.receive(pe.ConversationItemCreate(item), 5000.0)
    model.receive(pe.ResponseCreate(), 5000.0)
    second = run_until(model)
    added = events_of(second, pe.ConversationItemCreated)[0].event
    assert added.item["type"] == "function_call_output"
    assert added.previous_item_id == call_item["id"]
    assert events_of(second, pe.ResponseAudioDelta)  # now it speaks
    transcript = events_of(second, pe.ResponseAudioTranscriptDone)[0].event.transcript
    assert transcript == f"The tool answered: {output}"


def test_tool_choice_none_or_no_tools_means_no_call(user_audio: bytes) -> None:
    for tools, choice in (((), None), ((TIME_TOOL,), "none")):
        model = MockRealtimeModel(TOOL_MOCK)
        _session(model, tools, choice)
        out = _user_turn(model, user_audio, 0.0)
        assert not events_of(out, pe.ResponseFunctionCallArgumentsDone)
        assert events_of(out, pe.ResponseAudioDelta)


def test_any_behaviour_calls_a_named_tool_choice(user_audio: bytes) -> None:
    model = MockRealtimeModel(MockConfig(latency=LatencyModel(ttfa_ms=10)))
    _session(model, (TIME_TOOL, WEATHER_TOOL), pe.ToolChoiceFunction("get_weather"))
    out = _user_turn(model, user_audio, 0.0)
    done = events_of(out, pe.ResponseFunctionCallArgumentsDone)[0].event
    assert (done.name, done.arguments) == ("get_weather", "{}")


def test_response_create_can_bring_its_own_tools(user_audio: bytes) -> None:
    model = MockRealtimeModel(TOOL_MOCK, Dialect.GA)
    manual_session(model)
    model.receive(pe.InputAudioBufferAppend(user_audio), 0.0)
    model.receive(pe.InputAudioBufferCommit(), 0.0)
    tool = {"type": "function", "name": "lookup", "parameters": {"type": "object"}}
    model.receive(pe.ResponseCreate({"tools": [tool], "tool_choice": "required"}), 0.0)
    done = events_of(run_until(model), pe.ResponseFunctionCallArgumentsDone)[0].event
    assert done.name == "lookup"


def test_cancelling_a_call_ends_it_incomplete(user_audio: bytes) -> None:
    config = MockConfig(behaviour="tool", latency=LatencyModel(ttfa_ms=50, delta_ms=100))
    model = MockRealtimeModel(config)
    _session(model, (TIME_TOOL,))
    model.receive(pe.InputAudioBufferAppend(user_audio), 0.0)
    model.receive(pe.InputAudioBufferCommit(), 0.0)
    model.receive(pe.ResponseCreate(), 0.0)
    run_until(model, 160.0)  # two argument pieces out
    model.receive(pe.ResponseCancel(), 160.0)
    out = run_until(model)
    assert not events_of(out, pe.ResponseFunctionCallArgumentsDone)
    done = events_of(out, pe.ResponseDone)[0].event
    assert done.status == "cancelled"
    assert done.output[0]["status"] == "incomplete"


def test_arguments_fill_required_parameters_by_type() -> None:
    tool = pe.FunctionTool(
        "f",
        parameters={
            "type": "object",
            "properties": {
                "n": {"type": "integer"},
                "ok": {"type": "boolean"},
                "unit": {"type": "string", "enum": ["c", "f"]},
                "note": {"type": "string"},
            },
            "required": ["n", "ok", "unit", "note"],
        },
    )
    assert json.loads(call_arguments(tool)) == {"n": 0, "ok": False, "unit": "c", "note": "mock"}
