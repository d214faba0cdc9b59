"""Server events the relay shows the shell as they are, and those it ignores on purpose.

Stateless translations (a transcript, a transcription failure) live here; events that
change the session's state (turns, audio, calls, errors) are the
:class:`~workbench.relay.machine.SessionMachine`'s handlers. Every ``ServerEvent`` type
is in exactly one of the three places (tested), so a new event type cannot be dropped
by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from workbench.protocol import events as pe
from workbench.relay.events import RelayError, RelayEvent, TranscriptDelta, TranscriptFinal

#: Event type → the relay event it becomes (no session state involved).
SURFACED: Final[dict[type, Callable[[Any], RelayEvent]]] = {
    pe.InputAudioTranscriptionCompleted: lambda e: TranscriptFinal("user", e.item_id, e.transcript),
    # The service streams the user's transcript (often after the reply started).
    pe.InputAudioTranscriptionDelta: lambda e: TranscriptDelta("user", e.item_id, e.delta),
    pe.InputAudioTranscriptionFailed: lambda e: RelayError("transcription_failed", e.error.message),
    pe.ResponseTextDone: lambda e: TranscriptFinal("assistant", e.item_id, e.text),
}

IGNORED_EVENTS: Final[frozenset[type]] = frozenset(
    {
        pe.SessionCreated,  # the relay's own session.update follows; nothing to surface
        pe.SessionUpdated,  # the settings were checked before connecting
        pe.ConversationCreated,  # preview's default conversation exists
        pe.InputAudioBufferCleared,
        pe.ConversationItemCreated,  # items are followed through their response events
        pe.ConversationItemDone,
        pe.ConversationItemTruncated,  # our own truncate, confirmed
        pe.ResponseOutputItemAdded,
        pe.ResponseOutputItemDone,
        pe.ResponseContentPartAdded,
        pe.ResponseContentPartDone,
        pe.ResponseFunctionCallArgumentsDelta,  # a call surfaces once, when complete
        pe.RateLimitsUpdated,
        pe.UnknownServerEvent,  # a newer service's event: tolerated, not understood
    }
)
"""Server event types the relay knows and deliberately does nothing with."""


def surface(event: pe.ServerEvent) -> RelayEvent | None:
    """The relay event a stateless server event becomes (None: ignored)."""
    translate = SURFACED.get(type(event))
    return None if translate is None else translate(event)
