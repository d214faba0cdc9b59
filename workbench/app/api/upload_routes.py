"""``POST /realtime_audio/`` (the seed's upload) and ``POST /realtime_audio/stream``.

Both validate everything they can before the response starts (bad input → 4xx JSON,
upstream down → 502/503 JSON), then stream the reply as it is generated (see
:mod:`workbench.app.api.reply_body`). The multipart route decodes the whole clip first (an
m4a's index is often at its end); the stream route feeds the relay while the body is
still arriving.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from python_multipart.multipart import parse_options_header
from starlette.requests import ClientDisconnect

import workbench.app.api.openapi_docs as api_docs
from workbench.app.api.errors import (
    ApiError,
    check_content_length,
    discard_unread_body,
    error_response,
)
from workbench.app.api.multipart import read_multipart_form
from workbench.app.api.reply_body import ReplyFormat, ReplyResponse, wait_for_first_audio
from workbench.errors import AudioDecodeError, WorkbenchError
from workbench.service import EndReason, LiveSession, SessionService
from workbench.service.end_reason import for_error
from workbench.service.limits import upload_too_large
from workbench.settings import (
    MAX_INPUT_RATE_HZ,
    MIN_INPUT_RATE_HZ,
    RelaySettings,
    SettingsError,
    parse_values,
    spec_of,
)

FILE_FIELD = "audio_file"
#: Content types the stream route decodes (besides audio/*); phones upload video/mp4.
_ENCODED_TYPES = frozenset(
    {
        "application/octet-stream",
        "application/ogg",
        "video/mp4",
        "video/webm",
        "video/ogg",
        "video/quicktime",
    }
)

#: Sent with refusals: the body may be partly unread (a 2 GB upload cut off at 50 MB), so
#: the connection is closed instead of draining the rest of it (unless it is small).
_CLOSE = {"Connection": "close"}
#: A refused body up to this multiple of the upload limit is read (and dropped) before
#: answering, for at most this long (s); bigger ones just get the connection closed.
_DRAIN_FACTOR = 2
_DRAIN_TIMEOUT_S = 10.0
#: Status for a client that hung up mid-upload (nobody reads it; 499 as nginx logs it).
_CLIENT_GONE = 499

FormatQuery = Annotated[
    ReplyFormat, Query(description="Reply body: raw PCM16 LE mono 24 kHz (`pcm`) or `wav`.")
]


def add_http_routes(router: APIRouter, service: SessionService) -> None:
    """Register the two upload routes on ``router``."""

    @router.post("/realtime_audio/", **api_docs.UPLOAD_ROUTE)
    async def realtime_audio(request: Request, format: FormatQuery = "pcm") -> Response:
        return await _answer(service, request, _upload(service, request, format))

    @router.post("/realtime_audio/stream", **api_docs.STREAM_ROUTE)
    async def realtime_audio_stream(
        request: Request,
        format: FormatQuery = "pcm",
        input_format: Annotated[
            str | None,
            Query(alias="input_format", description="`pcm16` for a raw PCM16 LE mono body."),
        ] = None,
    ) -> Response:
        return await _answer(service, request, _stream(service, request, format, input_format))


async def _answer(service: SessionService, request: Request, handler: Any) -> Response:
    """Run a route; a refusal becomes its JSON error (and the unread body is dealt with)."""
    try:
        response: Response = await handler
        return response
    except WorkbenchError as exc:
        service.metrics.rejected_request(exc.code)
        limit = service.server.max_upload_bytes * _DRAIN_FACTOR
        # An upload a little over the limit is read to its end so the client sees the 413.
        await discard_unread_body(request, exc, max_bytes=limit, timeout_s=_DRAIN_TIMEOUT_S)
        service.freed_memory()  # what the refused upload and its decoder held
        return error_response(exc, headers=_CLOSE)
    except ClientDisconnect:
        return Response(status_code=_CLIENT_GONE)


def _settings(service: SessionService, values: dict[str, str]) -> RelaySettings:
    """The session's settings: the server defaults plus the request's setting fields."""
    known = {k: v for k, v in values.items() if hasattr(service.defaults, k)}
    try:
        return replace(service.defaults, **parse_values(RelaySettings, known))
    except SettingsError as exc:
        raise ApiError(exc.keyed_message, code="bad_settings", http_status=422) from None


async def _run(session: LiveSession, fmt: ReplyFormat, send: Any) -> Response:
    """Send the input (``send``), then answer with the streamed reply; close on failure."""
    try:
        await send
        first = await wait_for_first_audio(session)
    except WorkbenchError as exc:
        session.record.add_error(exc.code, exc.message, fatal=True)
        await session.close(for_error(exc))
        raise
    except ClientDisconnect:
        await session.close(EndReason.CLIENT_GONE)
        raise
    except BaseException:
        await session.close(EndReason.UPSTREAM_ERROR)
        raise
    return ReplyResponse(session, first, fmt)


# --- POST /realtime_audio/ -----------------------------------------------------------


async def _upload(service: SessionService, request: Request, fmt: ReplyFormat) -> Response:
    s = service.server
    form = await read_multipart_form(
        request,
        file_field=FILE_FIELD,
        max_body_bytes=s.max_upload_bytes,
        max_field_bytes=s.max_field_bytes,
    )
    try:
        if form.file is None:
            sent = ", ".join(repr(n) for n in form.part_names) or "no fields"
            raise ApiError(
                f"expected the audio in form field {FILE_FIELD!r}; got {sent}",
                code="missing_field",
                http_status=422,
            )
        if not form.file_size:
            raise AudioDecodeError(f"form field {FILE_FIELD!r} is empty", code="empty_input")
        settings = _settings(service, form.fields)
        # The decode slot first: an upload waiting for one holds no session (a flood
        # waits for decoders instead of filling max_sessions with idle sessions).
        await service.decodes.acquire()
        try:
            session = service.open("upload", settings, manual_commit=True, max_reconnects=0)
        except BaseException:
            service.decodes.release()
            raise
        session.service.metrics.audio_in_bytes.labels(kind="upload").inc(form.body_bytes)
        # The clip (spooled to disk past 1 MB) is decoded block by block while it is
        # sent: memory grows with neither its size nor its length; upstream opens only
        # once its first audio decoded. It is all sent before the reply starts.
        return await _run(session, fmt, _send_clip(service, session, form.file))
    finally:
        form.close()


async def _send_clip(service: SessionService, session: LiveSession, clip: Any) -> None:
    """Send the clip in the decode slot the route took (``send_clip`` re-enters it)."""
    try:
        await session.send_clip(clip)
    finally:
        service.decodes.release()


# --- POST /realtime_audio/stream ------------------------------------------------------


async def _stream(
    service: SessionService, request: Request, fmt: ReplyFormat, input_format: str | None
) -> Response:
    settings = _settings(service, dict(request.query_params))
    raw = _is_raw_pcm(request, input_format)
    if raw:
        settings = replace(settings, sample_rate_hz=_raw_pcm_rate(request, settings))
    check_content_length(request, service.server.max_upload_bytes)
    session = service.open("upload_stream", settings, manual_commit=True, max_reconnects=0)
    return await _run(session, fmt, _feed_body(service, session, request, raw))


async def _feed_body(
    service: SessionService, session: LiveSession, request: Request, raw: bool
) -> None:
    n_bytes = 0
    carry = b""  # an odd byte of raw PCM split across two chunks
    async for chunk in request.stream():
        if not chunk:
            continue
        n_bytes += len(chunk)
        if n_bytes > service.server.max_upload_bytes:
            raise upload_too_large(service.server, n_bytes)
        if not raw:
            await session.feed_encoded(chunk)
            continue
        data = carry + chunk
        cut = len(data) - len(data) % 2
        carry = data[cut:]
        await session.feed_pcm16(data[:cut], session.settings.sample_rate_hz)
    if n_bytes == 0:
        raise AudioDecodeError("the request body is empty; send audio", code="empty_input")
    await session.commit()  # flushes the decoder: a truncated stream raises here


def _is_raw_pcm(request: Request, input_format: str | None) -> bool:
    """Whether the body is raw PCM16 (else encoded audio); 415 for a non-audio type."""
    ctype_raw, _ = parse_options_header(request.headers.get("content-type", ""))
    ctype = ctype_raw.decode("latin-1").lower()
    if input_format is not None and input_format != "pcm16":
        raise ApiError(
            f"input_format must be 'pcm16' (or absent for encoded audio), got "
            f"{input_format[:32]!r}",
            code="bad_request",
            http_status=422,
        )
    if input_format == "pcm16" or ctype == "audio/pcm":
        return True
    if not (ctype.startswith("audio/") or ctype in _ENCODED_TYPES):
        raise ApiError(
            f"expected an audio Content-Type (audio/*), got {ctype or 'none'}; for raw PCM16 "
            "add ?input_format=pcm16&sample_rate_hz=N",
            code="unsupported_media_type",
            http_status=415,
        )
    return False


def _raw_pcm_rate(request: Request, settings: RelaySettings) -> int:
    """The rate of a raw PCM body: ``?sample_rate_hz=`` or ``Content-Type: audio/pcm;rate=``."""
    if "sample_rate_hz" in request.query_params:
        return settings.sample_rate_hz
    _, params = parse_options_header(request.headers.get("content-type", ""))
    spec = spec_of(RelaySettings, "sample_rate_hz")
    if b"rate" not in params:
        raise ApiError(
            f"a raw PCM16 body needs ?sample_rate_hz=N ({MIN_INPUT_RATE_HZ}–{MAX_INPUT_RATE_HZ})",
            code="missing_sample_rate",
            http_status=422,
        )
    try:
        rate: int = spec.parse(params[b"rate"].decode("latin-1"))
    except ValueError as exc:
        raise ApiError(f"{spec.display}: {exc}", code="bad_sample_rate", http_status=422) from None
    return rate
