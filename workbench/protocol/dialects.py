"""The two wire dialects of the realtime API and the codecs between them and our events.

Public API (sans-I/O, pure functions)::

    Dialect.GA / Dialect.PREVIEW
    encode_client_event(event, dialect) -> dict      decode_client_event(data) -> ClientEvent
    encode_client_event_json(event, dialect) -> str  (compact JSON; fast for audio appends)
    encode_server_event(event, dialect) -> dict      decode_server_event(data) -> ServerEvent
    guess_client_dialect(data) -> Dialect | None
    dumps(dict) -> str (compact JSON)                loads(text) -> dict

Decoders accept both dialects' names and shapes. Malformed JSON, a non-object, a
missing ``type`` or a wrong field type raise :class:`~workbench.errors.ProtocolError`
naming the event type and field; an unknown ``type`` decodes to ``Unknown*Event``.

What differs between the dialects (checked against openai 3.57's
``openai.types.realtime`` and ``openai.types.beta.realtime``):

- session object: GA ``{"type": "realtime", "output_modalities", "audio": {"input":
  {"format", "transcription", "turn_detection"}, "output": {"format", "voice"}}, "tools",
  "tool_choice", "max_output_tokens"}`` (no temperature); preview flat ``modalities``,
  ``voice``, ``input_audio_format``, ``output_audio_format``, ``input_audio_transcription``,
  ``turn_detection``, ``tools``, ``tool_choice``, ``temperature``,
  ``max_response_output_tokens``.
- item added: GA ``conversation.item.added``; preview ``conversation.item.created``.
- item done: GA ``conversation.item.done``; preview has none (written with the GA name).
- audio: GA ``response.output_audio.delta/done``; preview ``response.audio.delta/done``.
- transcript: GA ``response.output_audio_transcript.*``; preview ``response.audio_transcript.*``.
- text: GA ``response.output_text.*``; preview ``response.text.*``.
- assistant content types: GA ``output_audio`` / ``output_text``; preview ``audio`` / ``text``.
- audio formats: GA ``{"type": "audio/pcm", "rate": 24000}`` / ``{"type": "audio/pcmu"}`` /
  ``{"type": "audio/pcma"}``; preview ``pcm16`` / ``g711_ulaw`` / ``g711_alaw``.
- output modalities: neutral ``("audio",)`` is GA ``["audio"]``, preview ``["text", "audio"]``.

What each dialect's events must contain: :mod:`workbench.protocol.reference_schema`.
"""

from __future__ import annotations

from workbench.protocol.client_codec import decode_client_event as decode_client_event
from workbench.protocol.client_codec import encode_client_event as encode_client_event
from workbench.protocol.client_codec import encode_client_event_json as encode_client_event_json
from workbench.protocol.client_codec import guess_client_dialect as guess_client_dialect
from workbench.protocol.json_codec import Dialect as Dialect
from workbench.protocol.json_codec import dumps as dumps
from workbench.protocol.json_codec import loads as loads
from workbench.protocol.server_codec import decode_server_event as decode_server_event
from workbench.protocol.server_codec import encode_server_event as encode_server_event

__all__ = [
    "Dialect",
    "decode_client_event",
    "decode_server_event",
    "dumps",
    "encode_client_event",
    "encode_client_event_json",
    "encode_server_event",
    "guess_client_dialect",
    "loads",
]
