"""The HTTP API from Python: upload a clip, save the streamed reply as WAV, with timings.

>>> result = send_clip_sync("fixtures/audio/en_hello_44k1_aac_faststart.m4a",
...                         out="reply.wav")                       # doctest: +SKIP
>>> result.ttfb_ms, result.reply_ms                                # doctest: +SKIP

The server streams raw PCM16 LE mono 24 kHz; this client writes it into a WAV file with
the standard library (the header's lengths are patched when the file is closed).

Every piece of the upload and of the reply is timed (:class:`ReplyResult`), which is what
:mod:`workbench.client.voice` needs to measure voice-to-voice latency on the audio.
httpx is imported only when a request is made.
"""

from __future__ import annotations

import asyncio
import mimetypes
import time
import wave
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.audio import MODEL_FORMAT
from workbench.client import DEFAULT_URL
from workbench.errors import WorkbenchError
from workbench.relay.voice_to_voice import Arrivals

if TYPE_CHECKING:
    import httpx

#: Size of each piece of an upload (bytes).
UPLOAD_CHUNK_BYTES = 32 * 1024


class ApiClientError(WorkbenchError):
    """The API refused the request; ``code`` and ``message`` are the server's."""

    def __init__(self, message: str, *, code: str, http_status: int) -> None:
        super().__init__(message, code=code)
        self.http_status = http_status


@dataclass(frozen=True)
class ReplyResult:
    """What one upload produced.

    Attributes
    ----------
    session_id : str
        Id for ``GET /sessions/{id}`` (transcripts, timeline).
    ttfb_ms : float
        Request start → first reply byte (ms), upload time included.
    upload_ms : float | None
        Request start → last upload byte handed to the connection (ms; streamed mode).
    total_ms : float
        Request start → end of the reply (ms).
    reply_bytes : int
        PCM16 bytes received.
    sample_rate_hz : int
        Rate of the reply (from ``X-Sample-Rate``).
    stream : bool
        The upload was streamed (``POST /realtime_audio/stream``).
    upload_bytes : int
        Bytes of the request body.
    upload_sent : Arrivals
        Body bytes → when they were handed to the connection (ms from request start).
    reply_arrivals : Arrivals
        Reply bytes → when they arrived (ms from request start).
    """

    session_id: str
    ttfb_ms: float
    upload_ms: float | None
    total_ms: float
    reply_bytes: int
    sample_rate_hz: int
    stream: bool = False
    upload_bytes: int = 0
    upload_sent: Arrivals = field(default_factory=Arrivals)
    reply_arrivals: Arrivals = field(default_factory=Arrivals)

    @property
    def reply_ms(self) -> float:
        """Duration of the reply audio (ms)."""
        return self.reply_bytes / 2 / self.sample_rate_hz * 1000.0


async def send_clip(
    clip: str | Path | bytes,
    *,
    out: str | Path,
    url: str = DEFAULT_URL,
    stream: bool = False,
    instructions: str | None = None,
    voice: str | None = None,
    content_type: str | None = None,
    timeout_s: float = 60.0,
    client: httpx.AsyncClient | None = None,
) -> ReplyResult:
    """Upload ``clip`` and write the streamed reply to the WAV file ``out``.

    Parameters
    ----------
    clip : str, Path or bytes
        An audio file (any format the server decodes) or its bytes.
    out : str or Path
        Where to write the reply (WAV, PCM16 mono 24 kHz).
    url : str
        Base URL of the server.
    stream : bool
        Use ``POST /realtime_audio/stream`` (chunked body, relayed while uploading)
        instead of the multipart ``POST /realtime_audio/``.
    instructions, voice : str | None
        Session settings forwarded to the model.
    content_type : str | None
        Content type of the streamed body (default: guessed from the file name).
    timeout_s : float
        Bound on connecting and on each read (s).
    client : httpx.AsyncClient | None
        Reuse a client (its base settings apply); a new one is made otherwise.

    Returns
    -------
    ReplyResult

    Raises
    ------
    ApiClientError
        The server answered with an error status (its code and message).
    httpx.ConnectError
        No server answers at ``url``.
    """
    import httpx

    data = clip if isinstance(clip, bytes) else await asyncio.to_thread(Path(clip).read_bytes)
    name = "clip" if isinstance(clip, bytes) else Path(clip).name
    base = url.rstrip("/")
    owned = client is None
    http = client if client is not None else httpx.AsyncClient(timeout=timeout_s)
    fields = {k: v for k, v in (("instructions", instructions), ("voice", voice)) if v}
    if stream:
        ctype = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        body, headers = data, {"Content-Type": ctype}
        target, params = f"{base}/realtime_audio/stream", fields
    else:
        # The multipart body is built here and sent piece by piece like a stream, so
        # the client knows when its last byte left (the server needs all of it).
        form = http.build_request(
            "POST",
            f"{base}/realtime_audio/",
            data=fields,
            files={"audio_file": (name, data, content_type or "application/octet-stream")},
        )
        body = form.read()
        headers = {"Content-Type": form.headers["content-type"]}
        target, params = f"{base}/realtime_audio/", {}
    headers["Content-Length"] = str(len(body))
    upload_sent = Arrivals()
    t0 = time.perf_counter()
    try:
        request = http.build_request(
            "POST", target, params=params, content=_pieces(body, upload_sent, t0), headers=headers
        )
        response = await http.send(request, stream=True)
        try:
            result = await _save_reply(response, Path(out), t0)
        finally:
            await response.aclose()
    finally:
        if owned:
            await http.aclose()
    return ReplyResult(
        session_id=result.session_id,
        ttfb_ms=result.ttfb_ms,
        upload_ms=_last_sent_ms(upload_sent, len(body)) if stream else None,
        total_ms=result.total_ms,
        reply_bytes=result.reply_bytes,
        sample_rate_hz=result.sample_rate_hz,
        stream=stream,
        upload_bytes=len(body),
        upload_sent=upload_sent,
        reply_arrivals=result.reply_arrivals,
    )


def _since_ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000.0


def _last_sent_ms(sent: Arrivals, n_bytes: int) -> float | None:
    return sent.arrival_ms(n_bytes - 1) if n_bytes else None


async def _pieces(data: bytes, sent: Arrivals, t0: float) -> AsyncIterator[bytes]:
    for start in range(0, len(data), UPLOAD_CHUNK_BYTES):
        piece = data[start : start + UPLOAD_CHUNK_BYTES]
        yield piece
        # httpx asks for the next piece once this one was written to the connection.
        sent.received(len(piece), _since_ms(t0))


async def _save_reply(response: httpx.Response, out: Path, t0: float) -> ReplyResult:
    if response.status_code != 200:
        body = await response.aread()
        raise _error_from(response.status_code, body)
    rate_hz = int(response.headers.get("x-sample-rate", MODEL_FORMAT.sample_rate_hz))
    session_id = response.headers.get("x-session-id", "")
    ttfb_ms: float | None = None
    n_bytes = 0
    carry = b""
    arrivals = Arrivals(max_entries=1 << 16)
    with wave.open(str(out), "wb") as wav:
        wav.setnchannels(MODEL_FORMAT.channels)
        wav.setsampwidth(MODEL_FORMAT.sample_width_bytes)
        wav.setframerate(rate_hz)
        async for chunk in response.aiter_raw():
            now_ms = _since_ms(t0)
            if ttfb_ms is None:
                ttfb_ms = now_ms
            data = carry + chunk  # keep whole samples: chunks may split one
            cut = len(data) - len(data) % 2
            wav.writeframes(data[:cut])
            carry = data[cut:]
            n_bytes += cut
            if cut:
                arrivals.received(cut, now_ms)
    total_ms = _since_ms(t0)
    return ReplyResult(
        session_id=session_id,
        ttfb_ms=ttfb_ms if ttfb_ms is not None else total_ms,
        upload_ms=None,
        total_ms=total_ms,
        reply_bytes=n_bytes,
        sample_rate_hz=rate_hz,
        reply_arrivals=arrivals,
    )


def _error_from(status: int, body: bytes) -> ApiClientError:
    import json

    try:
        error: Any = json.loads(body)["error"]
        return ApiClientError(str(error["message"]), code=str(error["code"]), http_status=status)
    except (ValueError, KeyError, TypeError):
        text = body[:200].decode("utf-8", "replace")
        return ApiClientError(f"HTTP {status}: {text}", code=f"http_{status}", http_status=status)


async def get_session(session_id: str, *, url: str = DEFAULT_URL, timeout_s: float = 10.0) -> Any:
    """The record of ``session_id`` from ``GET /sessions/{id}`` (a dict)."""
    import httpx

    async with httpx.AsyncClient(timeout=timeout_s) as http:
        response = await http.get(f"{url.rstrip('/')}/sessions/{session_id}")
        if response.status_code != 200:
            raise _error_from(response.status_code, response.content)
        return response.json()


def send_clip_sync(clip: str | Path | bytes, **kwargs: Any) -> ReplyResult:
    """:func:`send_clip` for scripts without an event loop."""
    return asyncio.run(send_clip(clip, **kwargs))
