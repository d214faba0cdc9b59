"""The relay core: one session of audio in, model audio and typed events out."""

from workbench.relay.config import RelayConfig
from workbench.relay.events import (
    AudioOut,
    Interrupted,
    RelayError,
    RelayEvent,
    SessionEnded,
    SessionInfo,
    SpeechStarted,
    SpeechStopped,
    ToolCall,
    ToolOutput,
    TranscriptDelta,
    TranscriptFinal,
    TurnDone,
)
from workbench.relay.machine import SessionMachine
from workbench.relay.relay import Relay
from workbench.relay.steps import State, Step
from workbench.relay.timeline import SessionTimeline, TurnTimeline
from workbench.relay.tool_calls import ToolCallError

__all__ = [
    "AudioOut",
    "Interrupted",
    "Relay",
    "RelayConfig",
    "RelayError",
    "RelayEvent",
    "SessionEnded",
    "SessionInfo",
    "SessionMachine",
    "SessionTimeline",
    "SpeechStarted",
    "SpeechStopped",
    "State",
    "Step",
    "ToolCall",
    "ToolCallError",
    "ToolOutput",
    "TranscriptDelta",
    "TranscriptFinal",
    "TurnDone",
    "TurnTimeline",
]
