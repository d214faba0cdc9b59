"""Streaming the assistant's reply of one upload as the HTTP response body.

Two phases. Before the response starts, :func:`wait_for_first_audio` pulls events
until the first assistant audio (or the turn's end), so an upstream failure still gets
a real status (502/503 JSON). Then :class:`ReplyResponse` streams the rest as raw PCM16
(or WAV) while it is generated; a failure after that point ends the body cleanly and
is recorded in ``GET /sessions/{id}``. Whatever happens — normal end, client
disconnect, server error — the response closes the session with its reason.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Final, Literal

from starlette.requests import ClientDisconnect
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from workbench.app.api.errors import upstream_failure
from workbench.audio import MODEL_FORMAT, wav_header
from workbench.errors import WorkbenchError
from workbench.relay import AudioOut, RelayError, RelayEvent, SessionEnded, TurnDone
from workbench.service import EndReason, LiveSession

ReplyFormat = Literal["pcm", "wav"]

log = logging.getLogger(__name__)
#: How long a reply body may still run after its session ended (s).
_END_GRACE_S = 1.0

PCM_MEDIA_TYPE: Final = f"audio/pcm;rate={MODEL_FORMAT.sample_rate_hz};channels=1"
WAV_MEDIA_TYPE: Final = "audio/wav"


def reply_headers(session_id: str) -> dict[str, str]:
    """Headers of a streamed reply: the PCM layout, spelled out, and the session id."""
    return {
        "X-Session-Id": session_id,
        "X-Sample-Rate": str(MODEL_FORMAT.sample_rate_hz),
        "X-Channels": str(MODEL_FORMAT.channels),
        "X-Sample-Format": "s16le",
        "Cache-Control": "no-store",
        # Proxies such as nginx would otherwise buffer the stream and kill the latency.
        "X-Accel-Buffering": "no",
    }


@dataclass
class FirstAudio:
    """What :func:`wait_for_first_audio` saw: events to replay and whether the turn ended."""

    events: list[RelayEvent] = field(default_factory=list)
    turn_status: str | None = None


async def wait_for_first_audio(session: LiveSession) -> FirstAudio:
    """Pull events until the first assistant audio or the end of the turn.

    The wait is bounded by the relay's one stall timeout (``response_timeout_s``) and
    the service's idle timeout: a dead model fails the turn, it never hangs.

    Raises
    ------
    WorkbenchError
        The turn failed or the session ended before any audio, so the route can still
        answer with its status: 502/503 (``UpstreamError``), or 422 when the model
        refused the input itself (too short to commit).
    """
    seen = FirstAudio()
    last_error: RelayError | None = None
    async for event in session.events(until_turn_done=True):
        seen.events.append(event)
        if isinstance(event, AudioOut):
            return seen
        if isinstance(event, RelayError):
            last_error = event
        elif isinstance(event, TurnDone):
            if event.status == "failed":
                raise _failure(last_error, "the model failed the reply")
            seen.turn_status = event.status
            return seen
        elif isinstance(event, SessionEnded):
            raise _failure(
                last_error, f"the upstream session ended ({event.reason}) before a reply"
            )
    raise _failure(last_error, "the upstream session ended before a reply")


def _failure(error: RelayError | None, fallback: str) -> WorkbenchError:
    if error is None:
        return upstream_failure("upstream_error", fallback)
    return upstream_failure(error.code, error.message)


class ReplyResponse(StreamingResponse):
    """A streamed reply that owns its session: the session is closed however it ends.

    Parameters
    ----------
    session : LiveSession
        The started session; closed when the response ends.
    first : FirstAudio
        Events already pulled by :func:`wait_for_first_audio`.
    fmt : {"pcm", "wav"}
        Raw PCM16 LE mono 24 kHz, or a WAV header (unknown length) then the PCM.
    """

    def __init__(self, session: LiveSession, first: FirstAudio, fmt: ReplyFormat) -> None:
        self.session = session
        self.turn_status = first.turn_status
        super().__init__(
            self._body(first, fmt),
            media_type=WAV_MEDIA_TYPE if fmt == "wav" else PCM_MEDIA_TYPE,
            headers=reply_headers(session.id),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reason = EndReason.CLIENT_GONE  # the body was cancelled before its end
        try:
            async with asyncio.timeout(None) as deadline:
                watcher = asyncio.create_task(self._cut_once_ended(deadline), name="reply-cut")
                try:
                    await super().__call__(scope, receive, send)
                finally:
                    watcher.cancel()
            if self.turn_status is not None:
                failed = self.turn_status == "failed"
                reason = EndReason.UPSTREAM_ERROR if failed else EndReason.COMPLETED
        except TimeoutError:
            if not deadline.expired():
                raise
            # The service ended the session (client_too_slow, idle, shutdown …) while the
            # body was stuck writing to a client that does not read: give up on it.
            # Returning with the body unfinished makes the server close the connection.
            log.info("session %s: reply cut, the client did not read it", self.session.id)
        except ClientDisconnect:
            raise
        except Exception:
            reason = EndReason.UPSTREAM_ERROR
            log.exception("session %s: the reply failed", self.session.id)
            message = "the reply failed (a server error; see the server log)"
            self.session.record.add_error("internal_error", message, fatal=True)
            raise
        finally:
            # Starlette cancels the body when the client disconnects; closing here (not
            # in the generator) runs outside that cancelled scope.
            await self.session.close(reason)

    async def _cut_once_ended(self, deadline: asyncio.Timeout) -> None:
        """Cut the body ``_END_GRACE_S`` after the session ended, if it is still running
        (a reader that keeps up gets the last events and ends the body itself)."""
        await self.session.wait_ended()
        deadline.reschedule(asyncio.get_running_loop().time() + _END_GRACE_S)

    async def _body(self, first: FirstAudio, fmt: ReplyFormat) -> AsyncIterator[bytes]:
        if fmt == "wav":
            yield wav_header(
                sample_rate_hz=MODEL_FORMAT.sample_rate_hz, channels=MODEL_FORMAT.channels
            )
        for event in first.events:
            if isinstance(event, AudioOut):
                yield event.pcm16
        if self.turn_status is not None:
            return
        async for event in self.session.events(until_turn_done=True):
            if isinstance(event, AudioOut):
                yield event.pcm16
            elif isinstance(event, TurnDone):
                self.turn_status = event.status
            elif isinstance(event, SessionEnded):
                self.turn_status = self.turn_status or "failed"
        self.turn_status = self.turn_status or "failed"
