"""A Python client of the HTTP API (:mod:`~workbench.client.http`) and its voice-to-voice
measurement (:mod:`~workbench.client.voice`).

>>> from workbench.client import send_clip_sync                    # doctest: +SKIP
>>> result = send_clip_sync("clip.m4a", out="reply.wav")           # doctest: +SKIP

The names are loaded on first use, so ``DEFAULT_URL`` (which the CLI's help shows) costs
no import of httpx, numpy or the relay.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Where ``workbench serve`` and ``workbench api`` listen by default.
DEFAULT_URL = "http://127.0.0.1:7860"

if TYPE_CHECKING:
    from workbench.client.http import ApiClientError as ApiClientError
    from workbench.client.http import ReplyResult as ReplyResult
    from workbench.client.http import get_session as get_session
    from workbench.client.http import send_clip as send_clip
    from workbench.client.http import send_clip_sync as send_clip_sync
    from workbench.client.voice import ClientVoiceToVoice as ClientVoiceToVoice
    from workbench.client.voice import voice_to_voice_of as voice_to_voice_of

_LAZY = {
    "ApiClientError": "workbench.client.http",
    "ReplyResult": "workbench.client.http",
    "get_session": "workbench.client.http",
    "send_clip": "workbench.client.http",
    "send_clip_sync": "workbench.client.http",
    "ClientVoiceToVoice": "workbench.client.voice",
    "voice_to_voice_of": "workbench.client.voice",
}

__all__ = [
    "DEFAULT_URL",
    "ApiClientError",
    "ClientVoiceToVoice",
    "ReplyResult",
    "get_session",
    "send_clip",
    "send_clip_sync",
    "voice_to_voice_of",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'workbench.client' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
