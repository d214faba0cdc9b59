"""Typed events a :class:`~workbench.relay.relay.Relay` emits to its shell.

Shells (Gradio, HTTP/WS API, CLI, notebooks) consume only these: they never see
protocol JSON. Audio is PCM16 little-endian mono 24 kHz bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from workbench.audio import MODEL_FORMAT
from workbench.relay.timeline import TurnTimeline

Role = Literal["user", "assistant"]


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """Which backend is live. Always the first event of a session (and after a reconnect).

    ``description`` is a human-readable line such as "mock (in-process, echo)" or
    "Azure OpenAI deployment gpt-realtime"; it never contains a key.
    """

    backend: str
    description: str
    is_mock: bool
    dialect: str
    session_id: str | None = None
    reconnected: bool = False


@dataclass(frozen=True, slots=True)
class AudioOut:
    """A piece of assistant audio: PCM16 LE mono bytes at ``sample_rate_hz``.

    ``offset_ms`` is the position of its first sample within the assistant item
    (what a shell reports back through ``report_playout``).
    """

    pcm16: bytes
    item_id: str
    response_id: str
    offset_ms: float
    sample_rate_hz: int = MODEL_FORMAT.sample_rate_hz

    @property
    def duration_ms(self) -> float:
        """Duration of this piece in ms."""
        return len(self.pcm16) / 2 / self.sample_rate_hz * 1000.0


#: Longest text kept per transcript item (characters), by the relay and the service.
MAX_ITEM_TEXT_CHARS: Final = 20_000


@dataclass(frozen=True, slots=True)
class TranscriptDelta:
    """A partial transcript of a user or assistant item."""

    role: Role
    item_id: str
    text: str


@dataclass(frozen=True, slots=True)
class TranscriptFinal:
    """The final transcript of a user or assistant item.

    After a barge-in, the assistant item's final transcript holds only the words whose
    audio was heard (it is sent with the cut; the model's own final transcript of a
    cut item is not passed on).
    """

    role: Role
    item_id: str
    text: str


@dataclass(frozen=True, slots=True)
class ToolCall:
    """The model called function ``name`` with ``arguments`` (JSON text) and waits.

    Answer with ``Relay.send_tool_output(call_id, output)`` (the session service can
    answer its demo tools itself). The turn stays open: it ends with the ``TurnDone``
    of the response that follows the answer.
    """

    call_id: str
    name: str
    arguments: str
    item_id: str
    response_id: str


@dataclass(frozen=True, slots=True)
class ToolOutput:
    """The answer to call ``call_id`` (of function ``name``) went to the model."""

    call_id: str
    name: str
    output: str


@dataclass(frozen=True, slots=True)
class SpeechStarted:
    """The user started speaking (server VAD), ``audio_start_ms`` into the input."""

    audio_start_ms: int
    item_id: str


@dataclass(frozen=True, slots=True)
class SpeechStopped:
    """The user stopped speaking (server VAD), ``audio_end_ms`` into the input."""

    audio_end_ms: int
    item_id: str


@dataclass(frozen=True, slots=True)
class Interrupted:
    """Barge-in: the assistant item was cut at ``audio_end_ms``; buffered audio dropped."""

    item_id: str
    audio_end_ms: int


@dataclass(frozen=True, slots=True)
class TurnDone:
    """A response finished (``status``: completed, cancelled, failed, incomplete)."""

    status: str
    timeline: TurnTimeline
    response_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary of this turn."""
        return {
            "status": self.status,
            "response_id": self.response_id,
            "timeline": self.timeline.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class RelayError:
    """Something went wrong. ``fatal`` errors end the session; others do not.

    ``code`` is machine-readable (``upstream_closed``, ``rate_limit_exceeded``,
    ``session_expired``, ``upstream_timeout``, ``protocol_error``, ``bad_audio`` …);
    ``message`` is for people and never contains credentials.
    """

    code: str
    message: str
    retryable: bool = False
    fatal: bool = False


@dataclass(frozen=True, slots=True)
class SessionEnded:
    """The session is over; nothing follows. ``reason``: closed, error, session_cap."""

    reason: str


RelayEvent = (
    SessionInfo
    | AudioOut
    | TranscriptDelta
    | TranscriptFinal
    | ToolCall
    | ToolOutput
    | SpeechStarted
    | SpeechStopped
    | Interrupted
    | TurnDone
    | RelayError
    | SessionEnded
)
