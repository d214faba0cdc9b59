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
    TranscriptDelta,
    TranscriptFinal,
    TurnDone,
)
from workbench.relay.machine import SessionMachine
from workbench.relay.relay import Relay
from workbench.relay.steps import State, Step
from workbench.relay.timeline import SessionTimeline, TurnTimeline

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
    "TranscriptDelta",
    "TranscriptFinal",
    "TurnDone",
    "TurnTimeline",
]
