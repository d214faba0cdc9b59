"""What happened in each session, kept for ``GET /sessions/{id}`` and the UI.

Every live session of every shell has a :class:`SessionRecord` that follows its relay
events: the transcript, errors, per-turn timelines and how it ended. The store keeps
the newest ``max_sessions`` records (oldest finished ones go first), so memory stays
bounded however long the server runs.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any, Final

from workbench.relay.events import (
    AudioOut,
    Interrupted,
    RelayError,
    RelayEvent,
    SessionInfo,
    ToolCall,
    ToolOutput,
    TranscriptDelta,
    TranscriptFinal,
    TurnDone,
)
from workbench.relay.timeline import SessionTimeline, TurnTimeline
from workbench.service.end_reason import EndReason
from workbench.service.transcript import Transcript

#: Most errors kept per session (the count is still exact).
MAX_ERRORS_KEPT: Final = 50
#: Most recent turns kept per record: a session may last an hour of turns, and the store
#: keeps hundreds of records (counts stay exact).
MAX_TURNS_KEPT: Final = 100


def new_session_id() -> str:
    """A fresh, unguessable session id (32 hex characters)."""
    return uuid.uuid4().hex


@dataclass
class SessionRecord:
    """One session of any shell (JSON-ready through :meth:`to_dict`).

    ``kind`` names the shell: ``upload``, ``upload_stream``, ``websocket``, ``talk``,
    ``file``, ``cli``. ``status`` is ``active`` until the session ends, then ``ended``
    with ``end_reason`` saying why.
    """

    session_id: str
    kind: str
    backend: str
    created_unix_s: float = field(default_factory=time.time)
    ended_unix_s: float | None = None
    end_reason: EndReason | None = None
    transcript: Transcript = field(default_factory=Transcript)
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    turns: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=MAX_TURNS_KEPT))
    turn_count: int = 0
    timeline: dict[str, Any] = field(default_factory=dict)
    input_audio_ms: float = 0.0
    output_audio_ms: float = 0.0
    output_audio_bytes: int = 0

    @property
    def active(self) -> bool:
        """Whether the session is still running."""
        return self.ended_unix_s is None

    @property
    def status(self) -> str:
        """``active`` or ``ended``."""
        return "active" if self.active else "ended"

    @property
    def last_turn_status(self) -> str | None:
        """Status of the newest finished turn (``completed``, ``failed`` …), if any."""
        return self.turns[-1]["status"] if self.turns else None

    def observe(self, event: RelayEvent) -> None:
        """Update the record from one relay event."""
        match event:
            case SessionInfo():
                self.backend = event.description
            case AudioOut():
                self.output_audio_ms += event.duration_ms
                self.output_audio_bytes += len(event.pcm16)
            case TranscriptDelta() | TranscriptFinal():
                self.transcript.apply(event)
            case ToolCall() | ToolOutput():
                self.transcript.tool(event)
            case Interrupted():
                self.transcript.note(f"interrupted: reply cut at {event.audio_end_ms} ms")
            case RelayError():
                self.add_error(event.code, event.message, fatal=event.fatal)
            case TurnDone():
                self.turns.append(event.to_dict())
                self.turn_count += 1
                if event.status != "completed":
                    self.transcript.note(f"turn {event.status}")
            case _:
                pass

    def update_turn(self, response_id: str, turn: TurnTimeline) -> None:
        """Show ``turn``'s newer timeline (a client's audio report) in the kept turn."""
        timeline = turn.to_dict()
        for entry in self.turns:
            if entry.get("response_id") == response_id:
                entry["timeline"] = timeline
        # Once the session ended its timeline is a snapshot: refresh that turn there too.
        for index, kept in enumerate(self.timeline.get("turns", [])):
            if kept.get("turn_index") == turn.turn_index:
                self.timeline["turns"][index] = timeline

    def add_error(self, code: str, message: str, *, fatal: bool = False) -> None:
        """Record an error (relay, upstream or input); the first ``MAX_ERRORS_KEPT`` are kept."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(
                {
                    "code": code,
                    "message": message,
                    "fatal": fatal,
                    "t_unix_s": round(time.time(), 3),
                }
            )

    def finish(self, reason: EndReason, timeline: SessionTimeline | None = None) -> None:
        """Mark the session ended for ``reason`` (the first call wins)."""
        if self.ended_unix_s is not None:
            return
        if timeline is not None:
            self.timeline = timeline.to_dict()
            self.timeline["turns"] = self.timeline["turns"][-MAX_TURNS_KEPT:]
        self.ended_unix_s = time.time()
        self.end_reason = reason

    def summary(self) -> dict[str, Any]:
        """The short form ``GET /sessions`` lists."""
        return {
            "session_id": self.session_id,
            "kind": self.kind,
            "status": self.status,
            "end_reason": None if self.end_reason is None else self.end_reason.value,
            "created_unix_s": round(self.created_unix_s, 3),
            "error_count": self.error_count,
        }

    def to_dict(self) -> dict[str, Any]:
        """The record as ``GET /sessions/{id}`` returns it."""
        return {
            **self.summary(),
            "backend": self.backend,
            "ended_unix_s": None if self.ended_unix_s is None else round(self.ended_unix_s, 3),
            "last_turn_status": self.last_turn_status,
            "user_transcript": self.transcript.text("user"),
            "assistant_transcript": self.transcript.text("assistant"),
            "items": self.transcript.to_list(),
            "turns": list(self.turns),
            "turn_count": self.turn_count,
            "timeline": self.timeline,
            "errors": self.errors,
            "input_audio_ms": round(self.input_audio_ms, 1),
            "output_audio_ms": round(self.output_audio_ms, 1),
            "output_audio_bytes": self.output_audio_bytes,
        }


class SessionStore:
    """The newest ``max_sessions`` session records, by id.

    Parameters
    ----------
    max_sessions : int
        How many records to keep. When full, the oldest *finished* record is evicted;
        active sessions are evicted only if every kept record is active.
    """

    def __init__(self, max_sessions: int = 200) -> None:
        if max_sessions <= 0:
            raise ValueError(f"max_sessions must be positive, got {max_sessions}")
        self.max_sessions = max_sessions
        self._records: OrderedDict[str, SessionRecord] = OrderedDict()

    def create(self, kind: str, backend: str, session_id: str | None = None) -> SessionRecord:
        """Start and keep a new record (evicting old ones beyond the cap)."""
        record = SessionRecord(
            session_id=session_id or new_session_id(), kind=kind, backend=backend
        )
        self._records[record.session_id] = record
        while len(self._records) > self.max_sessions:
            victim = next(
                (k for k, r in self._records.items() if not r.active), next(iter(self._records))
            )
            del self._records[victim]
        return record

    def get(self, session_id: str) -> SessionRecord | None:
        """The record of ``session_id``, or None if unknown or evicted."""
        return self._records.get(session_id)

    def recent(self, limit: int = 50) -> list[SessionRecord]:
        """Up to ``limit`` records, newest first."""
        return list(reversed(self._records.values()))[:limit]

    def __len__(self) -> int:
        return len(self._records)
