"""Input audio transcription as the service delivers it: deltas, then completed, later.

The service transcribes a committed user item asynchronously: the
``conversation.item.input_audio_transcription.delta`` events and the ``.completed``
event arrive ``transcription_delay_ms`` (latency model) after the commit, often after
``response.created`` of the reply. ``whisper-1`` sends the whole transcript as one
delta; the ``gpt-4o-*transcribe`` models send it word by word. ``usage`` is
``{"type": "duration", "seconds": s}`` for whisper-1 and token counts otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.protocol import events as pe

#: Audio tokens per second of input the token usage reports (the service's ~10/s).
AUDIO_TOKENS_PER_S = 10.0


def transcription_usage(model: str, audio_seconds: float, transcript: str) -> dict[str, Any]:
    """The ``usage`` object of a completed transcription (see the module docstring)."""
    if model == "whisper-1":
        return {"type": "duration", "seconds": round(audio_seconds, 3)}
    audio_tokens = round(audio_seconds * AUDIO_TOKENS_PER_S)
    output_tokens = max(1, len(transcript.split()))
    return {
        "type": "tokens",
        "input_tokens": audio_tokens,
        "output_tokens": output_tokens,
        "total_tokens": audio_tokens + output_tokens,
        "input_token_details": {"text_tokens": 0, "audio_tokens": audio_tokens},
    }


def plan_transcription(
    item_id: str,
    transcript: str,
    audio_seconds: float,
    model: str,
    commit_ms: float,
    delay_ms: float,
    event_id: Callable[[], str],
) -> list[tuple[float, pe.ServerEvent]]:
    """The transcription events of one committed user item, with their due times.

    Parameters
    ----------
    item_id : str
        The user item.
    transcript : str
        What the mock "heard".
    audio_seconds : float
        Duration of the committed audio (s), for ``usage``.
    model : str
        The session's transcription model.
    commit_ms : float
        When the audio was committed (ms, the model's clock).
    delay_ms : float
        Commit to ``completed`` (ms); deltas are spread over the second half of it.
    event_id : callable
        Returns a fresh server event id.

    Returns
    -------
    list of (due_ms, ServerEvent)
        Deltas (joining to ``transcript``) then ``completed``, due times non-decreasing.
    """
    done_ms = commit_ms + delay_ms
    pieces = [transcript] if model == "whisper-1" else _words(transcript)
    out: list[tuple[float, pe.ServerEvent]] = []
    for i, piece in enumerate(pieces):
        due = done_ms - delay_ms / 2 * (len(pieces) - 1 - i) / max(1, len(pieces))
        out.append((due, pe.InputAudioTranscriptionDelta(item_id, 0, piece, event_id())))
    usage = transcription_usage(model, audio_seconds, transcript)
    completed = pe.InputAudioTranscriptionCompleted(item_id, 0, transcript, usage, event_id())
    out.append((done_ms, completed))
    return out


def _words(text: str) -> list[str]:
    words = text.split(" ")
    return [w if i == 0 else " " + w for i, w in enumerate(words)] if text else [""]
