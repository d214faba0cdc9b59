"""Streaming the assistant's reply of one upload as the HTTP response body.

Two phases. Before the response starts, :func:`wait_for_first_audio` pulls relay
events until the first assistant audio (or the turn's end), so an upstream failure
still gets a real status (502/503 JSON). Then :class:`ReplyResponse` streams the rest
as raw PCM16 (or WAV) while it is generated; a failure after that point ends the body
cleanly and is recorded in ``GET /sessions/{id}``. Whatever happens — normal end,
client disconnect, server error — the response closes the session.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Final, Literal

from starlette.requests import ClientDisconnect
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from workbench.app.api.errors import upstream_failure
from workbench.app.api.session_state import ApiSession
from workbench.errors import UpstreamError
from workbench.relay import AudioOut, RelayError, RelayEvent, SessionEnded, TurnDone

ReplyFormat = Literal["pcm", "wav"]

MODEL_RATE_HZ: Final = 24_000
PCM_MEDIA_TYPE: Final = f"audio/pcm;rate={MODEL_RATE_HZ};channels=1"
WAV_MEDIA_TYPE: Final = "audio/wav"


def reply_headers(session_id: str) -> dict[str, str]:
    """Headers of a streamed reply: the PCM layout, spelled out, and the session id."""
    return {
        "X-Session-Id": session_id,
        "X-Sample-Rate": str(MODEL_RATE_HZ),
        "X-Channels": "1",
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


async def wait_for_first_audio(session: ApiSession, timeout_s: float) -> FirstAudio:
    """Pull events until the first assistant audio or the end of the turn.

    Parameters
    ----------
    session : ApiSession
        A started session whose user turn was committed.
    timeout_s : float
        Bound on the wait for each event (s).

    Returns
    -------
    FirstAudio
        The events seen (the last one is an ``AudioOut`` unless the turn ended).

    Raises
    ------
    UpstreamError
        The turn failed, the session ended or nothing came in time — before any audio,
        so the route can still answer with 502/503.
    """
    seen = FirstAudio()
    last_error: RelayError | None = None
    while True:
        try:
            event = await session.next_event(timeout_s)
        except TimeoutError:
            raise upstream_failure(
                "upstream_timeout", f"the model sent no reply within {timeout_s:g} s"
            ) from None
        except StopAsyncIteration:
            event = SessionEnded("error")
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


def _failure(error: RelayError | None, fallback: str) -> UpstreamError:
    if error is None:
        return upstream_failure("upstream_error", fallback)
    return upstream_failure(error.code, error.message)


class ReplyResponse(StreamingResponse):
    """A streamed reply that owns its session: the session is closed however it ends.

    Parameters
    ----------
    session : ApiSession
        The started session; closed when the response ends.
    first : FirstAudio
        Events already pulled by :func:`wait_for_first_audio`.
    fmt : {"pcm", "wav"}
        Raw PCM16 LE mono 24 kHz, or a WAV header (unknown length) then the PCM.
    timeout_s : float
        Bound on waiting for each further event (s).
    """

    def __init__(
        self, session: ApiSession, first: FirstAudio, fmt: ReplyFormat, timeout_s: float
    ) -> None:
        self.session = session
        self.status_text = first.turn_status
        self.finished = False
        super().__init__(
            self._body(first, fmt, timeout_s),
            media_type=WAV_MEDIA_TYPE if fmt == "wav" else PCM_MEDIA_TYPE,
            headers=reply_headers(session.id),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        status = "client_disconnected"  # the body was cancelled before its end
        try:
            await super().__call__(scope, receive, send)
            if self.finished:
                status = self.status_text or "failed"
        except ClientDisconnect:
            raise
        except Exception as exc:
            status = "failed"
            self.session.record.add_error("internal_error", type(exc).__name__, fatal=True)
            raise
        finally:
            # Starlette cancels the body when the client disconnects; closing here (not
            # in the generator) runs outside that cancelled scope.
            await self.session.close(status)

    async def _body(
        self, first: FirstAudio, fmt: ReplyFormat, timeout_s: float
    ) -> AsyncIterator[bytes]:
        if fmt == "wav":
            from workbench.audio import wav_header

            yield wav_header(sample_rate_hz=MODEL_RATE_HZ, channels=1)
        for event in first.events:
            if isinstance(event, AudioOut):
                self.session.output_sent(len(event.pcm16))
                yield event.pcm16
        if first.turn_status is not None:
            self.finished = True
            return
        async for pcm16 in self._rest(timeout_s):
            self.session.output_sent(len(pcm16))
            yield pcm16
        self.finished = True

    async def _rest(self, timeout_s: float) -> AsyncIterator[bytes]:
        session = self.session
        while True:
            try:
                event = await session.next_event(timeout_s)
            except TimeoutError:
                session.record.add_error(
                    "upstream_timeout",
                    f"the model stalled for {timeout_s:g} s mid-reply",
                    fatal=True,
                )
                self.status_text = "failed"
                return
            except StopAsyncIteration:
                return
            if isinstance(event, AudioOut):
                yield event.pcm16
            elif isinstance(event, TurnDone):
                self.status_text = event.status
                return
            elif isinstance(event, SessionEnded):
                self.status_text = self.status_text or "failed"
                return
