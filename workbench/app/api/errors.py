"""How the API turns errors into HTTP answers: ``{"error": {"code", "message"}}``.

Library errors (:mod:`workbench.errors`) already carry a code and an HTTP status; this
module adds the API's own refusals and the upstream-code → status mapping used before a
streamed reply has started.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Mapping
from typing import Any

from fastapi.responses import JSONResponse
from starlette.requests import HTTPConnection, Request

from workbench.errors import UpstreamError, WorkbenchError
from workbench.service.limits import upload_too_large_message as too_large_message

__all__ = [
    "ApiError",
    "check_content_length",
    "discard_unread_body",
    "error_body",
    "error_response",
    "too_large_message",
    "upstream_failure",
]

#: Upstream error codes that mean "try again later" (503) rather than "bad gateway" (502).
UNAVAILABLE_CODES = frozenset(
    {"rate_limit_exceeded", "upstream_unreachable", "upstream_timeout", "session_expired"}
)


class ApiError(WorkbenchError):
    """A request the API refuses, with its own HTTP status.

    ``unread_bytes`` is the declared body length when the request was refused before
    any of its body was read (see :func:`discard_unread_body`).
    """

    def __init__(self, message: str, *, code: str, http_status: int, unread_bytes: int = 0) -> None:
        super().__init__(message, code=code)
        self.http_status = http_status
        self.unread_bytes = unread_bytes


def error_body(code: str, message: str) -> dict[str, Any]:
    """The JSON body of every error answer."""
    return {"error": {"code": code, "message": message}}


def error_response(
    exc: WorkbenchError, *, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A JSON error response for ``exc`` with its ``http_status`` (never a secret).

    A capacity refusal (:class:`~workbench.errors.LimitError` with ``retry_after_s``)
    carries ``Retry-After``; a settings error lists every problem under ``problems``.
    """
    out = dict(headers or {})
    retry_after_s = getattr(exc, "retry_after_s", None)
    if retry_after_s is not None:
        out["Retry-After"] = str(max(1, math.ceil(retry_after_s)))
    body = error_body(exc.code, exc.message)
    problems = getattr(exc, "problems", None)
    if problems:
        body["error"]["problems"] = [
            {"name": p.name, "label": p.label, "detail": p.detail} for p in problems
        ]
    return JSONResponse(body, status_code=exc.http_status, headers=out)


#: Upstream error codes that mean the client's input was refused (a 4xx, not the model
#: failing): the model's own minimum commit (~100 ms of audio).
CLIENT_INPUT_CODES = {"input_audio_buffer_commit_empty": ("too_short", 422)}


def upstream_failure(code: str, message: str) -> WorkbenchError:
    """The error a route answers when the model failed a turn before any reply audio.

    503 for retryable conditions, 502 for other model failures, and a 4xx when the
    model refused what the client sent (:data:`CLIENT_INPUT_CODES`: a clip too short to
    commit is ``too_short``, 422, never a 502 as if the model had failed).
    """
    if code in CLIENT_INPUT_CODES:
        client_code, status = CLIENT_INPUT_CODES[code]
        refused = ApiError(
            f"the model refused the audio as too short to answer ({message[:200]})",
            code=client_code,
            http_status=status,
        )
        return refused
    error = UpstreamError(message, code=code)
    error.http_status = 503 if code in UNAVAILABLE_CODES else 502
    return error


def check_content_length(conn: HTTPConnection, max_bytes: int) -> None:
    """Refuse (413) a body whose declared ``Content-Length`` exceeds ``max_bytes``.

    Chunked bodies have no length; the readers count bytes as they arrive instead.
    """
    raw = conn.headers.get("content-length")
    if raw is None:
        return
    try:
        declared = int(raw)
    except ValueError:
        raise ApiError(
            f"Content-Length {raw[:32]!r} is not a number", code="bad_request", http_status=400
        ) from None
    if declared > max_bytes:
        raise ApiError(
            too_large_message(declared, max_bytes),
            code="too_large",
            http_status=413,
            unread_bytes=declared,
        )


async def discard_unread_body(
    conn: Request, exc: WorkbenchError, *, max_bytes: int, timeout_s: float
) -> None:
    """Read and drop the body of a request refused before reading it (bounded).

    A client that sends its whole body before reading the answer (httpx, requests)
    otherwise gets a connection reset instead of the 413: closing a socket with unread
    data makes the kernel send RST, which discards the answer in flight. Bodies longer
    than ``max_bytes`` are not drained (the connection is just closed), and the
    draining stops after ``timeout_s``.
    """
    unread = exc.unread_bytes if isinstance(exc, ApiError) else 0
    if not 0 < unread <= max_bytes:
        return
    n_bytes = 0
    with contextlib.suppress(Exception):
        async with asyncio.timeout(timeout_s):
            while n_bytes < unread:
                message = await conn.receive()
                if message["type"] != "http.request":
                    return
                n_bytes += len(message.get("body", b""))
                if not message.get("more_body", False):
                    return
