"""The upload size limit for the routes that are not ours: Gradio's upload route and the rest.

The API's routes count their bodies against ``max_upload_bytes`` themselves. Gradio's
upload route (``/gradio_api/upload``) only knows a per-file ``max_file_size`` and
answers it in plain text; its other POST routes know no limit. :class:`BodyCap` wraps
the mounted Gradio app and applies the API's rule to every request body: a declared
``Content-Length`` over the limit is refused before the body is read, a chunked body is
cut at the first chunk past it, and the answer is the API's 413 ``too_large`` JSON with
the same message (it names the setting), ``Connection: close``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from workbench.service.limits import upload_too_large_message

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: A refused body up to this multiple of the limit is read (and dropped) before the
#: answer, for at most ``_DRAIN_TIMEOUT_S``, so a client that sends everything before
#: reading sees the 413 instead of a reset (as the API's routes do).
_DRAIN_FACTOR = 2
_DRAIN_TIMEOUT_S = 10.0


class BodyCap:
    """ASGI middleware: request bodies over ``max_bytes`` get the API's 413 ``too_large``.

    Parameters
    ----------
    app : ASGI app
        The wrapped application (the mounted Gradio app).
    max_bytes : int
        ``ServerSettings.max_upload_bytes``.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            if declared <= self.max_bytes * _DRAIN_FACTOR and not _expects_continue(scope):
                await _drain(receive, declared)
            await self._refuse(send, declared)
            return
        counted = 0
        over = False
        started = False

        async def capped_receive() -> Message:
            nonlocal counted, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                counted += len(message.get("body", b""))
                if counted > self.max_bytes:
                    over = True  # the app sees a client that went away, and stops reading
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over:
                return  # whatever the app answers a cut-off body, the client gets the 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, capped_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over and not started:
            await self._refuse(send, counted)

    async def _refuse(self, send: Send, n_bytes: int) -> None:
        message = upload_too_large_message(n_bytes, self.max_bytes)
        body = json.dumps({"error": {"code": "too_large", "message": message}}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    """The declared body length, or None (absent or not a number: the app decides)."""
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            with contextlib.suppress(ValueError):
                return int(value)
            return None
    return None


def _expects_continue(scope: Scope) -> bool:
    """Whether the client waits for ``100 Continue`` before sending its body (curl)."""
    return any(
        name.lower() == b"expect" and value.lower() == b"100-continue"
        for name, value in scope["headers"]
    )


async def _drain(receive: Receive, n_bytes: int) -> None:
    """Read and drop up to ``n_bytes`` of body, for at most ``_DRAIN_TIMEOUT_S``."""
    read = 0
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(_DRAIN_TIMEOUT_S):
            while read < n_bytes:
                message = await receive()
                if message["type"] != "http.request":
                    return
                read += len(message.get("body", b""))
                if not message.get("more_body", False):
                    return
