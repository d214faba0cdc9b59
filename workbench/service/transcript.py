"""The conversation of one session: user and assistant items, and notes, bounded.

One transcript per session, kept by the session service and read by every shell:
``GET /sessions/{id}`` shows its items, the Gradio tabs render them as chat messages.
Deltas append to their item until the final text replaces it; a runaway model cannot
grow memory (text per item and the number of items are capped).
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass
from typing import Final

from workbench.relay.events import (
    MAX_ITEM_TEXT_CHARS,
    ToolCall,
    ToolOutput,
    TranscriptDelta,
    TranscriptFinal,
)

#: Most recent items kept (user, assistant and notes).
MAX_ITEMS_KEPT: Final = 200


@dataclass
class TranscriptItem:
    """One item: ``role`` is ``user``, ``assistant``, ``tool`` (a function call, then its
    output: ``name(arguments) → output``) or ``note`` (an interruption, an error)."""

    role: str
    item_id: str
    text: str = ""
    final: bool = False


class Transcript:
    """The newest :data:`MAX_ITEMS_KEPT` items of a conversation, in order."""

    def __init__(self, max_items: int = MAX_ITEMS_KEPT) -> None:
        self.items: deque[TranscriptItem] = deque(maxlen=max_items)
        self._notes = itertools.count()
        self.version = 0

    def apply(self, event: TranscriptDelta | TranscriptFinal) -> None:
        """Append a delta to its item, or set the item's final text."""
        item = self._item(event.role, event.item_id)
        if isinstance(event, TranscriptFinal):
            item.text, item.final = event.text[:MAX_ITEM_TEXT_CHARS], True
        elif not item.final:
            item.text = (item.text + event.text)[:MAX_ITEM_TEXT_CHARS]
        self.version += 1

    def tool(self, event: ToolCall | ToolOutput) -> None:
        """A function call (``name(arguments)``), then its output appended (`` → output``)."""
        if isinstance(event, ToolCall):
            item = self._item("tool", event.call_id)
            item.text = f"{event.name}({event.arguments})"[:MAX_ITEM_TEXT_CHARS]
        else:
            item = self._item("tool", event.call_id)
            call = item.text or f"{event.name}()"
            item.text, item.final = f"{call} → {event.output}"[:MAX_ITEM_TEXT_CHARS], True
        self.version += 1

    def note(self, text: str) -> None:
        """Add a line of its own (a barge-in, an error) to the conversation."""
        self.items.append(TranscriptItem("note", f"note-{next(self._notes)}", text, True))
        self.version += 1

    def text(self, role: str) -> str:
        """Everything ``role`` said, joined with spaces."""
        return " ".join(i.text.strip() for i in self.items if i.role == role and i.text.strip())

    def to_list(self) -> list[dict[str, object]]:
        """The items as JSON-ready dicts ``{"role", "item_id", "text", "final"}``."""
        return [
            {"role": i.role, "item_id": i.item_id, "text": i.text, "final": i.final}
            for i in self.items
        ]

    def _item(self, role: str, item_id: str) -> TranscriptItem:
        for item in reversed(self.items):
            if item.item_id == item_id and item.role == role:
                return item
        item = TranscriptItem(role=role, item_id=item_id)
        self.items.append(item)
        return item
