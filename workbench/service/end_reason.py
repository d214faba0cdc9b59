"""Why a session ended: one vocabulary for every shell.

The API's ``GET /sessions/{id}`` (``end_reason``), the WebSocket's ``session_ended``
message, the Gradio status line and the ``workbench_sessions_ended_total{reason}``
metric all use these values.
"""

from __future__ import annotations

from enum import StrEnum

from workbench.errors import LimitError, WorkbenchError


class EndReason(StrEnum):
    """How a session ended."""

    COMPLETED = "completed"
    """A one-shot reply (upload, File tab, CLI) finished."""
    STOP = "stop"
    """The client or the user ended it (a ``close`` message, the Stop button)."""
    CLIENT_GONE = "client_gone"
    """The client disconnected (socket closed, browser tab closed, HTTP client gone)."""
    IDLE = "idle"
    """No client input and no reply for the idle timeout."""
    LIMIT = "limit"
    """A server limit: the maximum session length or input audio per turn."""
    REJECTED = "rejected"
    """The client's input was refused (bad audio, bad settings)."""
    UPSTREAM_ERROR = "upstream_error"
    """The model failed: unreachable, closed, stalled or errored beyond recovery."""
    SESSION_CAP = "session_cap"
    """The model's own session duration cap was reached."""
    SHUTDOWN = "shutdown"
    """The server is shutting down."""


def from_relay_reason(reason: str) -> EndReason:
    """The service's reason for a relay's own ``SessionEnded.reason``.

    A relay ends by itself only when upstream fails (``error``) or hits its session
    cap; anything the service asked for carries its own reason through.
    """
    try:
        return EndReason(reason)
    except ValueError:
        return EndReason.SESSION_CAP if reason == "session_cap" else EndReason.UPSTREAM_ERROR


def for_error(exc: WorkbenchError) -> EndReason:
    """The reason a session ends when ``exc`` stops it.

    Limits (``too_long``, ``too_large``, ``too_many_sessions``) → ``limit``; other client
    mistakes (4xx) → ``rejected``; upstream failures (5xx) → ``upstream_error``.
    """
    if isinstance(exc, LimitError) or exc.code in ("too_long", "too_large"):
        return EndReason.LIMIT
    return EndReason.REJECTED if exc.http_status < 500 else EndReason.UPSTREAM_ERROR
