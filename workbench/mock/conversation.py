"""What the mock remembers of the conversation: items, the last user turn, tool results.

Plain state with no I/O, owned by :class:`~workbench.mock.model.MockRealtimeModel`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from workbench.mock import service_errors
from workbench.mock.responses import ResponsePlan
from workbench.protocol import events as pe

#: What the last item of the conversation was (it decides what a tool model does next).
LastItemKind = Literal["none", "user", "assistant", "function_call", "function_call_output"]


@dataclass(slots=True)
class Conversation:
    """Items by id (assistant items keep their response plan) and the last user turn.

    Attributes
    ----------
    conversation_id : str
        The default conversation's id (``conversation_id`` of responses).
    plans : dict
        Item id -> the response plan that produced it (``None`` for other items).
    last_item_id : str or None
        The newest item (``previous_item_id`` of the next one).
    last_kind : LastItemKind
        The newest item's kind.
    user_audio_pcm16 : bytes
        The last user audio (PCM16 24 kHz) — what ``echo`` answers with.
    user_transcript : str
        Its transcript (or the last user text).
    user_words : int
        Words of text input in the last user turn (text tokens in ``usage``).
    tool_output : str or None
        The last ``function_call_output`` the client sent.
    """

    conversation_id: str
    plans: dict[str, ResponsePlan | None] = field(default_factory=dict)
    last_item_id: str | None = None
    last_kind: LastItemKind = "none"
    user_audio_pcm16: bytes = b""
    user_transcript: str = ""
    user_words: int = 0
    tool_output: str | None = None

    @property
    def user_input_ms(self) -> float:
        """Duration (ms) of the last user audio."""
        return len(self.user_audio_pcm16) / 48.0

    def add(self, item: Mapping[str, Any], plan: ResponsePlan | None = None) -> None:
        """Record ``item`` as the newest item."""
        item_id = str(item["id"])
        self.plans[item_id] = plan
        self.last_item_id = item_id
        kind = item.get("type")
        if kind == "message":
            self.last_kind = "assistant" if item.get("role") == "assistant" else "user"
        elif kind in ("function_call", "function_call_output"):
            self.last_kind = kind  # type: ignore[assignment]  # one of the two literals
        if kind == "function_call_output":
            output = item.get("output")
            self.tool_output = output if isinstance(output, str) else ""

    def user_turn(self, audio_pcm16: bytes | None, transcript: str | None) -> None:
        """Remember the user's newest audio and/or text."""
        if audio_pcm16 is not None:
            self.user_audio_pcm16 = audio_pcm16
            self.user_words = 0
        if transcript is not None:
            self.user_transcript = transcript
            if audio_pcm16 is None:
                self.user_words = len(transcript.split())

    def truncate_error(
        self, event: pe.ConversationItemTruncate, now_ms: float
    ) -> pe.ErrorInfo | None:
        """Why ``event`` cannot truncate (None: it can): an unknown item, not assistant
        audio, or past the audio *sent so far* at ``now_ms``."""
        if event.item_id not in self.plans:
            return service_errors.truncate_unknown_item(event.item_id, event.event_id)
        plan = self.plans[event.item_id]
        if plan is None or plan.modality != "audio" or event.content_index != 0:
            return service_errors.truncate_not_audio(event.event_id)
        sent_ms = int(plan.sent_ms(now_ms))
        if event.audio_end_ms < 0 or event.audio_end_ms > sent_ms:
            return service_errors.truncate_too_long(sent_ms, event.audio_end_ms, event.event_id)
        return None
