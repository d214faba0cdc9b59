"""A small Python client of the HTTP API: upload a clip, save the streamed reply as WAV.

>>> result = send_clip_sync("fixtures/audio/en_hello_44k1_aac_faststart.m4a",
...                         out="reply.wav")                       # doctest: +SKIP
>>> result.ttfb_ms, result.reply_ms                                # doctest: +SKIP

The server streams raw PCM16 LE mono 24 kHz; this client writes it into a WAV file with
the standard library (the header's lengths are patched when the file is closed).
"""

from __future__ import annotations

import asyncio
import mimetypes
import time
import wave
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from workbench.audio import MODEL_FORMAT
from workbench.errors import WorkbenchError

DEFAULT_URL = "http://127.0.0.1:7860"
#: Size of each piece of a streamed upload (bytes).
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
    """

    session_id: str
    ttfb_ms: float
    upload_ms: float | None
    total_ms: float
    reply_bytes: int
    sample_rate_hz: int

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
    """
    data = clip if isinstance(clip, bytes) else await asyncio.to_thread(Path(clip).read_bytes)
    name = "clip" if isinstance(clip, bytes) else Path(clip).name
    base = url.rstrip("/")
    owned = client is None
    http = client if client is not None else httpx.AsyncClient(timeout=timeout_s)
    t0 = time.perf_counter()
    upload_done: list[float] = []
    try:
        if stream:
            ctype = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
            params = {k: v for k, v in (("instructions", instructions), ("voice", voice)) if v}
            request = http.build_request(
                "POST",
                f"{base}/realtime_audio/stream",
                params=params,
                content=_pieces(data, upload_done, t0),
                headers={"Content-Type": ctype},
            )
        else:
            form = {k: v for k, v in (("instructions", instructions), ("voice", voice)) if v}
            request = http.build_request(
                "POST",
                f"{base}/realtime_audio/",
                data=form,
                files={"audio_file": (name, data, content_type or "application/octet-stream")},
            )
        response = await http.send(request, stream=True)
        try:
            return await _save_reply(response, Path(out), t0, upload_done)
        finally:
            await response.aclose()
    finally:
        if owned:
            await http.aclose()


async def _pieces(data: bytes, upload_done: list[float], t0: float) -> AsyncIterator[bytes]:
    for start in range(0, len(data), UPLOAD_CHUNK_BYTES):
        yield data[start : start + UPLOAD_CHUNK_BYTES]
    upload_done.append((time.perf_counter() - t0) * 1000.0)


async def _save_reply(
    response: httpx.Response, out: Path, t0: float, upload_done: list[float]
) -> ReplyResult:
    if response.status_code != 200:
        body = await response.aread()
        raise _error_from(response.status_code, body)
    rate_hz = int(response.headers.get("x-sample-rate", MODEL_FORMAT.sample_rate_hz))
    session_id = response.headers.get("x-session-id", "")
    ttfb_ms: float | None = None
    n_bytes = 0
    carry = b""
    with wave.open(str(out), "wb") as wav:
        wav.setnchannels(MODEL_FORMAT.channels)
        wav.setsampwidth(MODEL_FORMAT.sample_width_bytes)
        wav.setframerate(rate_hz)
        async for chunk in response.aiter_raw():
            if ttfb_ms is None:
                ttfb_ms = (time.perf_counter() - t0) * 1000.0
            data = carry + chunk  # keep whole samples: chunks may split one
            cut = len(data) - len(data) % 2
            wav.writeframes(data[:cut])
            carry = data[cut:]
            n_bytes += cut
    total_ms = (time.perf_counter() - t0) * 1000.0
    return ReplyResult(
        session_id=session_id,
        ttfb_ms=ttfb_ms if ttfb_ms is not None else total_ms,
        upload_ms=upload_done[0] if upload_done else None,
        total_ms=total_ms,
        reply_bytes=n_bytes,
        sample_rate_hz=rate_hz,
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
    async with httpx.AsyncClient(timeout=timeout_s) as http:
        response = await http.get(f"{url.rstrip('/')}/sessions/{session_id}")
        if response.status_code != 200:
            raise _error_from(response.status_code, response.content)
        return response.json()


def send_clip_sync(clip: str | Path | bytes, **kwargs: Any) -> ReplyResult:
    """:func:`send_clip` for scripts without an event loop."""
    return asyncio.run(send_clip(clip, **kwargs))
