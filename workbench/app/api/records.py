"""Recent API sessions, kept in memory for ``GET /sessions/{id}``.

Each HTTP upload or WebSocket connection gets a :class:`SessionRecord` that follows its
relay events: transcripts per item, errors, per-turn timelines and the final status.
The store keeps the newest ``max_sessions`` records (oldest finished ones go first), so
memory stays bounded however long the server runs.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from workbench.relay.events import (
    AudioOut,
    RelayError,
    RelayEvent,
    SessionEnded,
    SessionInfo,
    TranscriptDelta,
    TranscriptFinal,
    TurnDone,
)
from workbench.relay.timeline import SessionTimeline

#: Longest transcript text kept per item (characters); a runaway model cannot grow memory.
MAX_ITEM_TEXT_CHARS = 20_000
#: Most errors kept per session (the count is still exact).
MAX_ERRORS_KEPT = 50
#: Most recent turns and transcript items kept per session record: a session may last
#: an hour of turns, and the store keeps hundreds of records (counts stay exact).
MAX_TURNS_KEPT = 100
MAX_ITEMS_KEPT = 2 * MAX_TURNS_KEPT


def new_session_id() -> str:
    """A fresh, unguessable session id (32 hex characters)."""
    return uuid.uuid4().hex


@dataclass
class TranscriptItem:
    """The transcript of one conversation item (user speech or assistant reply)."""

    role: str
    item_id: str
    text: str = ""
    final: bool = False


@dataclass
class SessionRecord:
    """What happened in one API session (JSON-ready through :meth:`to_dict`).

    ``status`` is ``active`` while the session runs, then ``completed``, ``failed``,
    ``cancelled``, ``incomplete``, ``client_disconnected`` or ``rejected``.
    """

    session_id: str
    kind: str
    backend: str
    created_unix_s: float = field(default_factory=time.time)
    ended_unix_s: float | None = None
    status: str = "active"
    end_reason: str | None = None
    items: deque[TranscriptItem] = field(default_factory=lambda: deque(maxlen=MAX_ITEMS_KEPT))
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

    def transcript(self, role: str) -> str:
        """All items of ``role`` joined with spaces, in order."""
        return " ".join(i.text.strip() for i in self.items if i.role == role and i.text.strip())

    def observe(self, event: RelayEvent) -> None:
        """Update the record from one relay event."""
        match event:
            case SessionInfo():
                self.backend = event.description
            case AudioOut():
                self.output_audio_ms += event.duration_ms
                self.output_audio_bytes += len(event.pcm16)
            case TranscriptDelta():
                item = self._item(event.role, event.item_id)
                if not item.final:
                    item.text = (item.text + event.text)[:MAX_ITEM_TEXT_CHARS]
            case TranscriptFinal():
                item = self._item(event.role, event.item_id)
                item.text, item.final = event.text[:MAX_ITEM_TEXT_CHARS], True
            case RelayError():
                self.add_error(event.code, event.message, fatal=event.fatal)
            case TurnDone():
                self.turns.append(event.to_dict())
                self.turn_count += 1
            case SessionEnded():
                self.end_reason = event.reason
            case _:
                pass

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

    def finish(self, status: str, timeline: SessionTimeline | None = None) -> None:
        """Mark the session ended with ``status`` (first call wins)."""
        if timeline is not None:
            self.timeline = timeline.to_dict()
            self.timeline["turns"] = self.timeline["turns"][-MAX_TURNS_KEPT:]
        if self.ended_unix_s is None:
            self.ended_unix_s = time.time()
            self.status = status

    def _item(self, role: str, item_id: str) -> TranscriptItem:
        for item in reversed(self.items):
            if item.item_id == item_id and item.role == role:
                return item
        item = TranscriptItem(role=role, item_id=item_id)
        self.items.append(item)
        return item

    def to_dict(self) -> dict[str, Any]:
        """The record as ``GET /sessions/{id}`` returns it."""
        return {
            "session_id": self.session_id,
            "kind": self.kind,
            "backend": self.backend,
            "status": self.status,
            "end_reason": self.end_reason,
            "created_unix_s": round(self.created_unix_s, 3),
            "ended_unix_s": None if self.ended_unix_s is None else round(self.ended_unix_s, 3),
            "user_transcript": self.transcript("user"),
            "assistant_transcript": self.transcript("assistant"),
            "items": [
                {"role": i.role, "item_id": i.item_id, "text": i.text, "final": i.final}
                for i in self.items
            ],
            "turns": list(self.turns),
            "turn_count": self.turn_count,
            "timeline": self.timeline,
            "errors": self.errors,
            "error_count": self.error_count,
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

    @property
    def active_count(self) -> int:
        """How many kept sessions are still running."""
        return sum(1 for r in self._records.values() if r.active)

    def __len__(self) -> int:
        return len(self._records)
