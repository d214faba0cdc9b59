"""OpenAPI metadata of the API routes: summaries, request bodies, responses, examples.

Kept apart from the handlers so they read as code. OpenAPI cannot describe a
WebSocket, so ``WS /ws/realtime`` is documented in :data:`WS_PROTOCOL_MARKDOWN` (shown
in the app description and the ``realtime`` tag) and in docs/api.md.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi.responses import Response
from pydantic import BaseModel, Field

from workbench.settings import RelaySettings, specs

TAG: Final = "realtime"
OPS_TAG: Final = "ops"


class ErrorDetail(BaseModel):
    """What went wrong: a machine-readable ``code`` and a message for people."""

    code: str = Field(examples=["not_audio"])
    message: str


class ErrorBody(BaseModel):
    """The body of every error answer."""

    error: ErrorDetail


def _error(status_desc: str, code: str, message: str) -> dict[str, Any]:
    return {
        "model": ErrorBody,
        "description": status_desc,
        "content": {"application/json": {"example": {"error": {"code": code, "message": message}}}},
    }


_AUDIO_200: Final[dict[str, Any]] = {
    "description": (
        "The model's spoken reply, streamed while it is generated. Default: raw PCM16 "
        "little-endian mono 24,000 Hz (`Content-Type: audio/pcm;rate=24000;channels=1`); "
        "with `?format=wav` a WAV header for unknown length comes first. Headers "
        "`X-Sample-Rate`, `X-Channels`, `X-Sample-Format` spell out the layout; "
        "`X-Session-Id` is the id for `GET /sessions/{id}` (transcripts, timeline)."
    ),
    "headers": {
        "X-Session-Id": {"schema": {"type": "string"}, "description": "Session id."},
        "X-Sample-Rate": {"schema": {"type": "integer", "example": 24000}},
        "X-Channels": {"schema": {"type": "integer", "example": 1}},
        "X-Sample-Format": {"schema": {"type": "string", "example": "s16le"}},
    },
    "content": {
        "audio/pcm": {"schema": {"type": "string", "format": "binary"}},
        "audio/wav": {"schema": {"type": "string", "format": "binary"}},
    },
}

_COMMON_ERRORS: Final[dict[int | str, dict[str, Any]]] = {
    413: _error(
        "Upload too large (bytes) or too long (duration).",
        "too_large",
        "upload of 60000000 bytes exceeds the limit of 50000000 bytes; send a "
        "shorter clip or a compressed format (m4a, mp3, ogg)",
    ),
    415: _error(
        "Not audio, or the wrong Content-Type.",
        "not_audio",
        "the upload is not audio in a format we can decode",
    ),
    422: _error(
        "Empty, corrupt or truncated audio; no audio track; a bad field.",
        "corrupt",
        "the audio stream is cut off: it ends before the container says it should",
    ),
    502: _error(
        "The model failed before the reply started.", "upstream_error", "the model failed the reply"
    ),
    503: _error(
        "The model is unreachable, rate-limited or timed out (retry later).",
        "upstream_unreachable",
        "timed out connecting to Azure OpenAI deployment X",
    ),
}

UPLOAD_ROUTE: Final[dict[str, Any]] = {
    "tags": [TAG],
    "summary": "Upload a clip, stream the spoken reply (the seed's endpoint)",
    "description": (
        "Multipart form with the clip in field `audio_file` (m4a from iOS, or mp3, wav, "
        "ogg/opus, webm, flac …), optional text fields `instructions` and `voice`. The "
        "clip is decoded and validated before the response starts (bad input → 4xx JSON), "
        "sent to the model in `chunk_ms` frames, committed, and the reply is streamed "
        "back as it is generated. Once streaming, an upstream failure ends the body early; "
        "the error is recorded in `GET /sessions/{id}`.\n\n"
        "`curl -F audio_file=@clip.m4a http://127.0.0.1:7860/realtime_audio/ > out.pcm` "
        "then `ffplay -f s16le -ar 24000 -ac 1 out.pcm`."
    ),
    "response_class": Response,
    "responses": {200: _AUDIO_200, **_COMMON_ERRORS},
    "openapi_extra": {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["audio_file"],
                        "properties": {
                            "audio_file": {
                                "type": "string",
                                "format": "binary",
                                "description": "The user's speech (any common audio format).",
                            },
                            "instructions": {
                                "type": "string",
                                "description": "System instructions.",
                            },
                            "voice": {
                                "type": "string",
                                "description": "Model voice, e.g. `alloy`.",
                            },
                        },
                    },
                    "encoding": {"audio_file": {"contentType": "audio/*"}},
                }
            },
        }
    },
}

STREAM_ROUTE: Final[dict[str, Any]] = {
    "tags": [TAG],
    "summary": "Stream a clip up (chunked body), stream the spoken reply down",
    "description": (
        "The body is the audio itself, sent with chunked transfer encoding while it is "
        "recorded: `Content-Type: audio/*` for an encoded stream (wav, ogg/opus, webm, "
        "mp3, fragmented or faststart m4a), or `?input_format=pcm16&sample_rate_hz=N` "
        "(or `Content-Type: audio/pcm;rate=N`) for raw PCM16 LE mono. The relay decodes and "
        "forwards it to the model while it arrives, commits at the end of the body and "
        "streams the reply exactly like `POST /realtime_audio/`."
    ),
    "response_class": Response,
    "responses": {200: _AUDIO_200, **_COMMON_ERRORS},
    "openapi_extra": {
        "requestBody": {
            "required": True,
            "content": {
                "audio/*": {"schema": {"type": "string", "format": "binary"}},
                "audio/pcm": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
}

SESSION_EXAMPLE: Final[dict[str, Any]] = {
    "session_id": "5f0c4d6b8f7e4e1f9a1b2c3d4e5f6a7b",
    "kind": "upload",
    "backend": "built-in mock model (in-process, echo, 300 ms to first audio)",
    "status": "ended",
    "end_reason": "completed",
    "last_turn_status": "completed",
    "created_unix_s": 1767225600.0,
    "ended_unix_s": 1767225602.5,
    "user_transcript": "Hello, can you hear me?",
    "assistant_transcript": "Hello, can you hear me?",
    "items": [
        {"role": "user", "item_id": "item_1", "text": "Hello, can you hear me?", "final": True}
    ],
    "turns": [
        {
            "status": "completed",
            "response_id": "resp_1",
            "timeline": {
                "turn_index": 0,
                "stages_ms": {
                    "first_input_audio": 0.0,
                    "commit": 12.1,
                    "first_audio_out": 315.2,
                    "done": 2410.0,
                },
                "ttfa_ms": 303.1,
                "model_ttfb_ms": 301.9,
                "relay_overhead_ms": 1.2,
                "playout_delay_ms": None,
            },
        }
    ],
    "timeline": {"turns": [], "summary": {}},
    "errors": [],
    "error_count": 0,
    "input_audio_ms": 1850.0,
    "output_audio_ms": 1850.0,
    "output_audio_bytes": 88800,
}

SESSION_ROUTE: Final[dict[str, Any]] = {
    "tags": [TAG],
    "summary": "Transcripts, timeline, status and errors of a recent session",
    "description": "The last `max_sessions_kept` (default 200) sessions are kept in memory.",
    "responses": {
        200: {
            "description": "The session record.",
            "content": {"application/json": {"example": SESSION_EXAMPLE}},
        },
        404: _error(
            "Unknown or evicted session id.",
            "unknown_session",
            "no session 123 (only the last 200 sessions are kept)",
        ),
    },
}

SESSIONS_ROUTE: Final[dict[str, Any]] = {
    "tags": [TAG],
    "summary": "Recent sessions, newest first (summaries)",
}

HEALTH_ROUTE: Final[dict[str, Any]] = {
    "tags": [OPS_TAG],
    "summary": "Liveness, backend and active sessions",
    "responses": {
        200: {
            "description": "The API is up.",
            "content": {
                "application/json": {
                    "example": {
                        "status": "ok",
                        "backend": {
                            "kind": "mock",
                            "description": "built-in mock model (in-process, echo, 300 ms "
                            "to first audio)",
                            "is_mock": True,
                            "dialect": "ga",
                        },
                        "active_sessions": 0,
                    },
                }
            },
        }
    },
}

METRICS_ROUTE: Final[dict[str, Any]] = {
    "tags": [OPS_TAG],
    "summary": "Prometheus metrics (text exposition format)",
    "response_class": Response,
    "responses": {
        200: {
            "description": "Prometheus text format.",
            "content": {
                "text/plain": {
                    "example": "# TYPE workbench_turns_total counter\n"
                    'workbench_turns_total{status="completed"} 3.0\n'
                }
            },
        }
    },
}

_SETTING_KEYS: Final = ", ".join(f"`{spec.name}`" for spec in specs(RelaySettings))

WS_PROTOCOL_MARKDOWN: Final = (
    """\
**`WS /ws/realtime`** — full duplex (OpenAPI cannot describe WebSockets; full spec in
docs/api.md).

*Query*: any session setting of docs/settings.md ("""
    + _SETTING_KEYS
    + """); or send
`{"type":"settings", ...same keys}` as the first message. Every bad value is named at once.

*Client → server*: binary = PCM16 LE mono at `sample_rate_hz`; text = `{"type":"commit"}`,
`{"type":"interrupt","played_ms":N}`, `{"type":"playout","played_ms":N,"item_id":"..."}`,
`{"type":"settings",...}` (before audio only), `{"type":"close"}`,
`{"type":"tool_output","call_id":"...","output":"..."}` (answer a `tool_call`).

*Server → client*: binary = PCM16 LE mono 24 kHz assistant audio; text = `session`,
`audio_start`, `transcript`, `tool_call`, `tool_output`, `speech_started`,
`speech_stopped`, `interrupted`, `turn_done`, `level`, `error`, `session_ended`.
"""
)

API_DESCRIPTION: Final = (
    "Relay between a client and a realtime voice model (OpenAI / Azure OpenAI Realtime, or "
    "the built-in mock). Upload a clip and stream the reply (`POST /realtime_audio/`), "
    "stream both ways (`POST /realtime_audio/stream`), or talk full duplex over a "
    "WebSocket.\n\n" + WS_PROTOCOL_MARKDOWN
)

TAGS_METADATA: Final[list[dict[str, Any]]] = [
    {"name": TAG, "description": "Voice in, voice out.\n\n" + WS_PROTOCOL_MARKDOWN},
    {"name": OPS_TAG, "description": "Health and metrics."},
]
