"""Maps upstream server events onto relay events, timeline stamps and barge-in.

Separate from ``relay.py`` so the event policy (what each server event means for the
session) reads in one place.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from workbench.backends.base import RealtimeConnection
from workbench.errors import ProtocolError, UpstreamError
from workbench.protocol import events as pe
from workbench.relay.events import (
    AudioOut,
    Interrupted,
    RelayError,
    SpeechStarted,
    SpeechStopped,
    TranscriptDelta,
    TranscriptFinal,
)

if TYPE_CHECKING:
    from workbench.relay.relay import Relay

log = logging.getLogger(__name__)

#: Error codes that end the session's upstream connection.
_SESSION_CAP_CODES = frozenset({"session_expired", "session_expired_error"})
#: Errors that are expected after our own barge-in cancel raced the model finishing.
_BENIGN_AFTER_CANCEL = frozenset({"response_cancel_not_active"})


class UpstreamEventHandler:
    """Reads one connection and applies each server event to its relay."""

    def __init__(self, relay: Relay) -> None:
        self.relay = relay
        self.active_response_id: str | None = None
        self.cancelled: set[str] = set()

    async def pump(self, conn: RealtimeConnection) -> UpstreamError | None:
        """Handle events until the connection ends.

        Returns
        -------
        UpstreamError | None
            None after a clean close; the error after an abnormal one (a stall longer
            than ``response_timeout_s`` counts as a retryable ``upstream_timeout``).
        """
        events = aiter(conn)
        while True:
            timeout_s = self.relay.response_timeout_s()
            try:
                async with asyncio.timeout(timeout_s):
                    event = await anext(events)
            except StopAsyncIteration:
                return None
            except TimeoutError:
                return UpstreamError(
                    f"the model sent nothing for {timeout_s:g} s while a response was due",
                    code="upstream_timeout",
                    retryable=True,
                )
            except UpstreamError as exc:
                return exc
            except ProtocolError as exc:
                # A malformed frame: report it and keep reading the same connection.
                self.relay.emit(RelayError("protocol_error", exc.message, retryable=False))
                events = aiter(conn) if _is_exhausted(events) else events
                continue
            loss = await self.handle(event)
            if loss is not None:
                return loss

    async def handle(self, event: pe.ServerEvent) -> UpstreamError | None:
        """Apply one server event. Returns an error when the connection must end."""
        relay = self.relay
        now = relay.clock.now_ms()
        match event:
            case pe.InputAudioBufferSpeechStarted():
                turn = relay.input_turn()
                turn.mark("speech_started", now)
                relay.emit(SpeechStarted(event.audio_start_ms, event.item_id))
                await self.barge_in(force=False)
            case pe.InputAudioBufferSpeechStopped():
                turn = relay.end_input_turn_from_vad()
                turn.mark("speech_stopped", now)
                relay.emit(SpeechStopped(event.audio_end_ms, event.item_id))
            case pe.InputAudioBufferCommitted():
                if relay.awaiting:
                    relay.awaiting[-1].mark("commit", now)
            case pe.InputAudioTranscriptionCompleted():
                relay.emit(TranscriptFinal("user", event.item_id, event.transcript))
            case pe.InputAudioTranscriptionFailed():
                relay.emit(RelayError("transcription_failed", event.error.message))
            case pe.ResponseCreated():
                turn = relay.awaiting.popleft() if relay.awaiting else relay.timeline.new_turn()
                turn.mark("response_created", now)
                relay.responses[event.response_id] = turn
                self.active_response_id = event.response_id
            case pe.ResponseAudioDelta():
                self._on_audio(event, now)
            case pe.ResponseAudioTranscriptDelta() | pe.ResponseTextDelta():
                if event.response_id not in self.cancelled:
                    relay.emit(TranscriptDelta("assistant", event.item_id, event.delta))
            case pe.ResponseAudioTranscriptDone():
                relay.emit(TranscriptFinal("assistant", event.item_id, event.transcript))
            case pe.ResponseTextDone():
                relay.emit(TranscriptFinal("assistant", event.item_id, event.text))
            case pe.ResponseDone():
                self._on_response_done(event)
            case pe.ErrorEvent():
                return self._on_error(event.error)
            case _:
                pass  # session.*, item and content-part bookkeeping, rate limits, unknown
        return None

    def _on_audio(self, event: pe.ResponseAudioDelta, now: float) -> None:
        relay = self.relay
        if event.response_id in self.cancelled:
            return  # stale audio of a response we interrupted
        turn = relay.responses.get(event.response_id)
        if turn is not None:
            turn.mark("first_audio_delta", now)
            turn.marks_ms["last_audio_delta"] = now
        duration_ms = len(event.delta) / 48.0
        offset_ms = relay.playback.on_emitted(event.item_id, event.response_id, duration_ms)
        relay.emit(AudioOut(event.delta, event.item_id, event.response_id, offset_ms))

    def _on_response_done(self, event: pe.ResponseDone) -> None:
        relay = self.relay
        if self.active_response_id == event.response_id:
            self.active_response_id = None
        relay.playback.on_response_done(event.response_id)
        turn = relay.responses.get(event.response_id)
        if turn is not None:
            status = "cancelled" if event.response_id in self.cancelled else event.status
            relay.finish_turn(turn, status, event.response_id)

    def _on_error(self, error: pe.ErrorInfo) -> UpstreamError | None:
        relay = self.relay
        code = error.code or error.type
        if code in _BENIGN_AFTER_CANCEL and self.cancelled:
            return None
        if code in _SESSION_CAP_CODES:
            retry = relay.config.on_session_cap == "rollover"
            return UpstreamError(error.message, code="session_expired", retryable=retry)
        retryable = code == "rate_limit_exceeded"
        relay.emit(RelayError(code, error.message, retryable=retryable))
        # A refused response.create (rate limit, empty commit) never gets a
        # response.created: end the waiting turn now so no shell waits forever.
        if self.active_response_id is None and relay.awaiting:
            relay.finish_turn(relay.awaiting.popleft(), "failed", None)
        return None

    async def barge_in(self, *, force: bool) -> None:
        """Cancel the playing response and truncate its item where the listener is.

        Called when the user starts speaking (server VAD) or when the shell calls
        ``interrupt()`` (``force``). Drops assistant audio the shell has not taken yet.
        """
        relay = self.relay
        item = relay.playback.current
        if item is None or not (force or relay.playback.is_playing()):
            return
        rid = item.response_id
        if self.active_response_id == rid and rid not in self.cancelled:
            self.cancelled.add(rid)
            await relay.send_upstream(pe.ResponseCancel())
        self.cancelled.add(rid)
        audio_end_ms = int(item.cut_position_ms())
        await relay.send_upstream(
            pe.ConversationItemTruncate(
                item_id=item.item_id, content_index=0, audio_end_ms=audio_end_ms
            )
        )
        relay.outbox.drop_audio(item.item_id)
        relay.playback.stop()
        relay.emit(Interrupted(item.item_id, audio_end_ms))


def _is_exhausted(events: object) -> bool:
    # An async generator that raised is finished; a fresh iterator must be taken.
    return getattr(events, "ag_running", None) is False and getattr(events, "ag_frame", 1) is None
