"""Conversation items as the mock builds and reads them (neutral GA content types)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.errors import ProtocolError


def user_audio_item(item_id: str) -> dict[str, Any]:
    """The user message item a commit creates (its transcript is not inline)."""
    return {
        "id": item_id,
        "object": "realtime.item",
        "type": "message",
        "role": "user",
        "status": "completed",
        "content": [{"type": "input_audio", "transcript": None}],
    }


@dataclass(frozen=True, slots=True)
class ClientItem:
    """An item from ``conversation.item.create`` as the mock keeps it.

    ``item`` is what the mock reports back (ids filled in, inline audio removed, as
    the service does); ``audio_pcm16`` / ``text`` are the user's input audio (bytes in
    the session's input format) and text, if the item carried any.
    """

    item: dict[str, Any]
    audio_pcm16: bytes | None
    text: str | None


def read_client_item(raw: Mapping[str, Any], item_id: str) -> ClientItem:
    """Fill in ``id``/``object``/``status`` and pull out user audio (base64) and text.

    Raises
    ------
    ProtocolError
        If an ``input_audio`` part's ``audio`` is not base64.
    """
    item = dict(raw)
    item.setdefault("id", item_id)
    item.setdefault("object", "realtime.item")
    item.setdefault("status", "completed")
    if item.get("type") == "function_call":
        item.setdefault("call_id", f"call_{item['id']}")
    content = item.get("content")
    audio: bytes | None = None
    text: str | None = None
    if isinstance(content, list) and item.get("role") == "assistant":
        # The service reports an audio part's transcript (null until known).
        item["content"] = [
            {"transcript": None, **part}
            if isinstance(part, Mapping) and part.get("type") == "output_audio"
            else part
            for part in content
        ]
    if item.get("role") != "user" or not isinstance(content, list):
        return ClientItem(item, None, None)
    shown: list[Any] = []
    for part in content:
        if isinstance(part, Mapping) and part.get("type") == "input_audio":
            if isinstance(part.get("audio"), str):
                try:
                    audio = base64.b64decode(part["audio"], validate=True)
                except (binascii.Error, ValueError):
                    raise ProtocolError(
                        "Invalid 'item.content.audio': expected base64-encoded audio."
                    ) from None
            part = {"transcript": None, **{k: v for k, v in part.items() if k != "audio"}}
        elif isinstance(part, Mapping) and part.get("type") == "input_text":
            text = part.get("text") if isinstance(part.get("text"), str) else text
        shown.append(part)
    item["content"] = shown
    return ClientItem(item, audio, text)
