"""``POST /realtime_audio/`` (the seed's upload) and ``POST /realtime_audio/stream``.

Both validate everything they can before the response starts (bad input → 4xx JSON,
upstream down → 502/503 JSON), then stream the reply as it is generated (see
:mod:`workbench.app.api.reply_body`). The multipart route decodes the whole clip first (an
m4a's index is often at its end); the stream route feeds the relay while the body is
still arriving.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import numpy as np
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
    too_large_message,
)
from workbench.app.api.multipart import read_multipart_form
from workbench.app.api.reply_body import ReplyFormat, ReplyResponse, wait_for_first_audio
from workbench.app.api.session_state import ApiSession, ApiState
from workbench.app.api.ws_client_messages import (
    MAX_SAMPLE_RATE_HZ,
    MAX_VOICE_CHARS,
    MIN_SAMPLE_RATE_HZ,
)
from workbench.errors import AudioDecodeError, WorkbenchError
from workbench.protocol.settings import NoTurnDetection

FILE_FIELD = "audio_file"
#: Slack on top of the relay's own response timeout, so the relay reports first (s).
_EVENT_SLACK_S = 2.0
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


def add_http_routes(router: APIRouter, state: ApiState) -> None:
    """Register the two upload routes on ``router``."""

    @router.post("/realtime_audio/", **api_docs.UPLOAD_ROUTE)
    async def realtime_audio(request: Request, format: FormatQuery = "pcm") -> Response:
        try:
            return await _upload(state, request, format)
        except WorkbenchError as exc:
            state.metrics.rejected_request(exc.code)
            await _discard(state, request, exc)
            return error_response(exc, headers=_CLOSE)
        except ClientDisconnect:
            return Response(status_code=_CLIENT_GONE)

    @router.post("/realtime_audio/stream", **api_docs.STREAM_ROUTE)
    async def realtime_audio_stream(
        request: Request,
        format: FormatQuery = "pcm",
        sample_rate_hz: Annotated[
            int | None,
            Query(
                ge=MIN_SAMPLE_RATE_HZ,
                le=MAX_SAMPLE_RATE_HZ,
                description="Rate of a raw PCM16 body (Hz).",
            ),
        ] = None,
        input_format: Annotated[
            str | None,
            Query(alias="input_format", description="`pcm16` for a raw PCM16 LE mono body."),
        ] = None,
        instructions: Annotated[str | None, Query(max_length=16_384)] = None,
        voice: Annotated[str | None, Query(max_length=MAX_VOICE_CHARS)] = None,
    ) -> Response:
        try:
            return await _stream(
                state, request, format, sample_rate_hz, input_format, instructions, voice
            )
        except WorkbenchError as exc:
            state.metrics.rejected_request(exc.code)
            await _discard(state, request, exc)
            return error_response(exc, headers=_CLOSE)
        except ClientDisconnect:
            return Response(status_code=_CLIENT_GONE)


async def _discard(state: ApiState, request: Request, exc: WorkbenchError) -> None:
    # An upload a little over the limit is read to its end so the client sees the 413.
    limit = state.settings.max_upload_bytes * _DRAIN_FACTOR
    await discard_unread_body(request, exc, max_bytes=limit, timeout_s=_DRAIN_TIMEOUT_S)


# --- POST /realtime_audio/ -----------------------------------------------------------


async def _upload(state: ApiState, request: Request, fmt: ReplyFormat) -> Response:
    from workbench.audio import decode_audio

    s = state.settings
    form = await read_multipart_form(
        request,
        file_field=FILE_FIELD,
        max_body_bytes=s.max_upload_bytes,
        max_field_bytes=s.max_field_bytes,
    )
    if form.file_bytes is None:
        sent = ", ".join(repr(n) for n in form.part_names) or "no fields"
        raise ApiError(
            f"expected the audio in form field {FILE_FIELD!r}; got {sent}",
            code="missing_field",
            http_status=422,
        )
    if not form.file_bytes:
        raise AudioDecodeError(f"form field {FILE_FIELD!r} is empty", code="empty_input")
    voice, instructions = _session_fields(form.fields.get("voice"), form.fields.get("instructions"))
    # Decoding is CPU work (up to max_duration_s of audio): keep the event loop free.
    decoded = await asyncio.to_thread(
        decode_audio,
        form.file_bytes,
        max_duration_s=s.max_duration_s,
        max_bytes=s.max_upload_bytes,
    )
    if decoded.samples.size == 0:
        raise AudioDecodeError("the upload decoded to no audio samples", code="empty_input")
    state.metrics.audio_received(form.body_bytes)
    session = state.open_session("upload", _config(state, voice, instructions))
    await session.start()
    try:
        await session.relay.feed(decoded.samples, decoded.sample_rate_hz)
        await session.relay.commit()
        return await _reply(state, session, fmt)
    except BaseException:
        await session.close("failed")
        raise


# --- POST /realtime_audio/stream ------------------------------------------------------


async def _stream(
    state: ApiState,
    request: Request,
    fmt: ReplyFormat,
    sample_rate_hz: int | None,
    input_format: str | None,
    instructions: str | None,
    voice: str | None,
) -> Response:
    s = state.settings
    raw_rate_hz = _raw_pcm_rate(request, input_format, sample_rate_hz)
    check_content_length(request, s.max_upload_bytes)
    voice, instructions = _session_fields(voice, instructions)
    # Connect first: the body is fed upstream while it arrives, so the model is ready.
    session = state.open_session("upload_stream", _config(state, voice, instructions))
    await session.start()
    try:
        await _feed_body(state, session, request, raw_rate_hz)
        return await _reply(state, session, fmt)
    except WorkbenchError as exc:
        session.record.add_error(exc.code, exc.message, fatal=True)
        await session.close("rejected" if exc.http_status < 500 else "failed")
        raise
    except ClientDisconnect:
        await session.close("client_disconnected")
        raise
    except BaseException:
        await session.close("failed")
        raise


async def _feed_body(
    state: ApiState, session: ApiSession, request: Request, raw_rate_hz: int | None
) -> None:
    s = state.settings
    relay = session.relay
    n_bytes = 0
    carry = b""  # an odd byte of raw PCM split across two chunks
    n_samples = 0
    async for chunk in request.stream():
        if not chunk:
            continue
        n_bytes += len(chunk)
        if n_bytes > s.max_upload_bytes:
            raise ApiError(
                too_large_message(n_bytes, s.max_upload_bytes), code="too_large", http_status=413
            )
        session.input_received(len(chunk))
        if raw_rate_hz is None:
            await relay.feed(chunk)  # the relay's StreamingDecoder enforces max_duration_s
            continue
        data = carry + chunk
        cut = len(data) - len(data) % 2
        carry = data[cut:]
        samples = np.frombuffer(data[:cut], dtype="<i2")
        n_samples += samples.size
        if n_samples > s.max_duration_s * raw_rate_hz:
            raise AudioDecodeError(
                f"the audio is longer than the {s.max_duration_s:g} s limit", code="too_long"
            )
        if samples.size:
            await relay.feed(samples, raw_rate_hz)
    if n_bytes == 0:
        raise AudioDecodeError("the request body is empty; send audio", code="empty_input")
    if raw_rate_hz is not None and n_samples == 0:
        raise AudioDecodeError("the PCM body holds no complete sample", code="empty_input")
    await relay.commit()  # flushes the decoder: a truncated stream raises here
    if relay.input_ms_sent <= 0:
        raise AudioDecodeError("the upload decoded to no audio samples", code="empty_input")


def _raw_pcm_rate(
    request: Request, input_format: str | None, sample_rate_hz: int | None
) -> int | None:
    """The rate of a raw PCM body, or None for an encoded one; 415 for a non-audio type."""
    ctype_raw, params = parse_options_header(request.headers.get("content-type", ""))
    ctype = ctype_raw.decode("latin-1").lower()
    if input_format is not None and input_format != "pcm16":
        raise ApiError(
            f"input_format must be 'pcm16' (or absent for encoded audio), got "
            f"{input_format[:32]!r}",
            code="bad_request",
            http_status=422,
        )
    if input_format == "pcm16" or ctype == "audio/pcm":
        rate = sample_rate_hz
        if rate is None and b"rate" in params:
            try:
                rate = int(params[b"rate"])
            except ValueError:
                rate = None
        if rate is None:
            raise ApiError(
                "a raw PCM16 body needs ?sample_rate_hz=N (8000–96000)",
                code="missing_sample_rate",
                http_status=422,
            )
        if not MIN_SAMPLE_RATE_HZ <= rate <= MAX_SAMPLE_RATE_HZ:
            raise ApiError(
                f"sample_rate_hz must be 8000–96000, got {rate}",
                code="bad_sample_rate",
                http_status=422,
            )
        return rate
    if not (ctype.startswith("audio/") or ctype in _ENCODED_TYPES):
        raise ApiError(
            f"expected an audio Content-Type (audio/*), got {ctype or 'none'}; for raw PCM16 "
            "add ?input_format=pcm16&sample_rate_hz=N",
            code="unsupported_media_type",
            http_status=415,
        )
    return None


# --- shared ----------------------------------------------------------------------------


def _session_fields(voice: str | None, instructions: str | None) -> tuple[str | None, str | None]:
    voice = voice.strip() or None if voice is not None else None
    if voice is not None and (len(voice) > MAX_VOICE_CHARS or not voice.isprintable()):
        raise ApiError(
            f"voice must be a name of at most {MAX_VOICE_CHARS} printable characters",
            code="bad_field",
            http_status=422,
        )
    return voice, instructions or None


def _config(state: ApiState, voice: str | None, instructions: str | None) -> Any:
    # The seed's flow: no turn detection, one commit; a dropped upstream cannot be
    # resumed mid-reply over HTTP, so no reconnects.
    changes: dict[str, Any] = {"turn_detection": NoTurnDetection(), "max_reconnects": 0}
    if voice is not None:
        changes["voice"] = voice
    if instructions is not None:
        changes["instructions"] = instructions
    return state.relay_config(**changes)


async def _reply(state: ApiState, session: ApiSession, fmt: ReplyFormat) -> Response:
    timeout_s = state.settings.response_timeout_s + _EVENT_SLACK_S
    try:
        first = await wait_for_first_audio(session, timeout_s)
    except WorkbenchError as exc:
        await session.close("failed")
        state.metrics.rejected_request(exc.code)
        return error_response(exc, headers={"X-Session-Id": session.id})
    return ReplyResponse(session, first, fmt, timeout_s)
