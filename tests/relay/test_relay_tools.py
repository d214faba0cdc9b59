"""Function calls through the relay: surfaced, answered, one turn per user request."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.support.backends import ProbeBackend
from tests.support.signals import AUDIO_DIR
from workbench.backends.base import BackendInfo
from workbench.backends.inprocess import InProcessBackend
from workbench.clock import VirtualClock
from workbench.mock.model import LatencyModel, MockConfig
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect
from workbench.relay import (
    AudioOut,
    Relay,
    RelayConfig,
    RelayEvent,
    SessionEnded,
    ToolCall,
    ToolCallError,
    ToolOutput,
    TranscriptFinal,
    TurnDone,
)
from workbench.relay.machine import SessionMachine
from workbench.relay.steps import OPEN

TIME_TOOL = pe.FunctionTool(
    "get_current_time",
    "The current time in a time zone",
    {"type": "object", "properties": {"timezone": {"type": "string"}}, "required": ["timezone"]},
)
TOOLS = RelayConfig(tools=(TIME_TOOL,), tool_choice="auto")
CLIP = AUDIO_DIR / "en_hear_48k_pcm16.wav"


def tool_backend(clock: VirtualClock, dialect: Dialect = Dialect.GA) -> InProcessBackend:
    mock = MockConfig(behaviour="tool", latency=LatencyModel(ttfa_ms=100.0, delta_ms=40.0))
    return InProcessBackend(mock, dialect=dialect, clock=clock)


async def _until(relay: Relay, kind: type, into: list[RelayEvent]) -> RelayEvent:
    async with asyncio.timeout(10):
        async for event in relay:
            into.append(event)
            if isinstance(event, kind | SessionEnded):
                return event
    raise AssertionError("events ended")


@pytest.mark.parametrize("dialect", list(Dialect))
async def test_a_tool_call_turn_is_answered_and_ends_with_the_spoken_reply(
    dialect: Dialect,
) -> None:
    clock = VirtualClock()
    probe = ProbeBackend(tool_backend(clock, dialect))
    events: list[RelayEvent] = []
    async with Relay(probe, TOOLS, clock=clock) as relay:
        await relay.send_file(CLIP)
        call = await _until(relay, ToolCall, events)
        assert isinstance(call, ToolCall) and call.name == "get_current_time"
        assert json.loads(call.arguments) == {"timezone": "UTC"}
        assert relay.tools_pending and relay.response_timeout_s() is None  # nothing owed
        await relay.send_tool_output(call.call_id, '{"time": "12:00"}')
        await _until(relay, TurnDone, events)
    kinds = [type(e) for e in events]
    # One turn: no TurnDone for the call's own response.done, the answer shown once.
    assert kinds.count(TurnDone) == 1 and kinds.count(ToolOutput) == 1
    assert kinds.index(ToolCall) < kinds.index(ToolOutput) < kinds.index(AudioOut)
    done = events[-1]
    assert isinstance(done, TurnDone) and done.status == "completed"
    spoken = [e.text for e in events if isinstance(e, TranscriptFinal) and e.role == "assistant"]
    assert spoken == ['The tool answered: {"time": "12:00"}']
    sent = probe.all_sent()
    outputs = [e for e in sent if isinstance(e, pe.ConversationItemCreate)]
    assert [dict(o.item) for o in outputs] == [
        pe.function_call_output_item(call.call_id, '{"time": "12:00"}')
    ]
    after = sent[sent.index(outputs[0]) + 1 :]
    assert [type(e) for e in after if not isinstance(e, pe.InputAudioBufferAppend)][:1] == [
        pe.ResponseCreate
    ]
    # The timeline's TTFA of the turn includes the tool's time: first audio after the call.
    assert done.timeline.has("first_audio_out")


async def test_an_output_for_an_unknown_or_answered_call_is_a_typed_error() -> None:
    clock = VirtualClock()
    async with Relay(tool_backend(clock), TOOLS, clock=clock) as relay:
        with pytest.raises(ToolCallError) as info:
            await relay.send_tool_output("call_nope", "{}")
        assert info.value.code == "unknown_tool_call"
        await relay.send_file(CLIP)
        call = await _until(relay, ToolCall, [])
        assert isinstance(call, ToolCall)
        await relay.send_tool_output(call.call_id, "{}")
        with pytest.raises(ToolCallError):
            await relay.send_tool_output(call.call_id, "{}")


async def test_an_unanswered_call_fails_its_turn_when_the_session_ends() -> None:
    clock = VirtualClock()
    events: list[RelayEvent] = []
    async with Relay(tool_backend(clock), TOOLS, clock=clock) as relay:
        await relay.send_file(CLIP)
        await _until(relay, ToolCall, events)
    events += [e async for e in relay]
    done = [e for e in events if isinstance(e, TurnDone)]
    assert [d.status for d in done] == ["failed"]


# --- the machine alone: ordering of outputs and responses ---------------------------------

INFO = BackendInfo("mock", "test", True, Dialect.GA, "gpt-realtime")


def _call(rid: str, call_id: str) -> pe.ResponseFunctionCallArgumentsDone:
    return pe.ResponseFunctionCallArgumentsDone(rid, f"item_{call_id}", 0, call_id, "f", "{}")


def _machine() -> SessionMachine:
    machine = SessionMachine(TOOLS)
    machine.start()
    machine.connection_opened(INFO, "ga", 0.0)
    assert machine.state is OPEN
    machine.commit(True, 0.0)
    machine.handle(pe.ResponseCreated("r1"), 1.0)
    return machine


def test_outputs_wait_for_the_calling_response_to_finish_then_go_up_together() -> None:
    machine = _machine()
    (first,) = machine.handle(_call("r1", "c1"), 2.0).emit
    (second,) = machine.handle(_call("r1", "c2"), 3.0).emit
    assert isinstance(first, ToolCall) and isinstance(second, ToolCall)
    # Answered while the response is active: shown at once, sent after response.done.
    step = machine.tool_output("c1", "one", 4.0)
    assert step.emit == (ToolOutput("c1", "f", "one"),) and step.send == ()
    assert machine.tool_output("c2", "two", 5.0).send == ()
    done = machine.handle(pe.ResponseDone("r1", "completed"), 6.0)
    assert not any(isinstance(e, TurnDone) for e in done.emit)
    assert [type(e) for e in done.send] == [
        pe.ConversationItemCreate,
        pe.ConversationItemCreate,
        pe.ResponseCreate,
    ]
    assert machine.turns.response_due  # the follow-up is owed now
    machine.handle(pe.ResponseCreated("r2"), 7.0)
    (end,) = machine.handle(pe.ResponseDone("r2", "completed"), 8.0).emit
    assert isinstance(end, TurnDone) and end.response_id == "r2"
    assert end.timeline.turn_index == 0 and len(machine.turns.timeline.turns) == 1


def test_a_call_listed_only_in_response_done_is_surfaced_too() -> None:
    machine = _machine()
    item = {"type": "function_call", "id": "i9", "call_id": "c9", "name": "f", "arguments": "{}"}
    step = machine.handle(pe.ResponseDone("r1", "completed", output=(item,)), 2.0)
    assert step.emit == (ToolCall("c9", "f", "{}", "i9", "r1"),)
    assert machine.tool_output("c9", "x", 3.0).send[-1] == pe.ResponseCreate()


def test_a_cancelled_calling_response_ends_its_turn_and_forgets_its_calls() -> None:
    machine = _machine()
    machine.handle(_call("r1", "c1"), 2.0)
    (done,) = machine.handle(pe.ResponseDone("r1", "cancelled"), 3.0).emit
    assert isinstance(done, TurnDone) and done.status == "cancelled"
    with pytest.raises(ToolCallError):
        machine.tool_output("c1", "late", 4.0)
    assert not machine.tools_pending


def test_a_lost_connection_fails_a_turn_waiting_for_tools() -> None:
    machine = _machine()
    machine.handle(_call("r1", "c1"), 2.0)
    machine.handle(pe.ResponseDone("r1", "completed"), 3.0)
    step = machine.connection_lost(None, 4.0)
    assert [e.status for e in step.emit if isinstance(e, TurnDone)] == ["failed"]
    with pytest.raises(ToolCallError):
        machine.tool_output("c1", "late", 5.0)


def test_a_flood_of_calls_is_bounded() -> None:
    machine = _machine()
    kinds = [type(machine.handle(_call("r1", f"c{i}"), 2.0).emit[0]).__name__ for i in range(70)]
    assert kinds.count("ToolCall") == 64 and kinds[-1] == "RelayError"
