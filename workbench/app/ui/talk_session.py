"""The Talk tab's controller: one live session per browser tab, fed by Gradio's microphone.

:class:`TalkSession` opens a :class:`~workbench.service.LiveSession` on the session
service (so it counts in ``/healthz``, ``/sessions`` and ``/metrics`` and obeys the
server's limits) and runs a *pump* task that reads its events: timelines and statuses
update the view state, assistant audio goes into a queue; the transcript is the
session record's. :meth:`TalkSession.watch` is what the UI's timer runs: it yields a
:class:`TalkView` whenever something changed and streams a whole reply (PCM16 24 kHz
wrapped as WAV chunks) the moment its first audio arrives. No Gradio imports here: the
Gradio wiring (``ui_tabs``) maps views to component updates.

Gradio's audio player does not report its position, so the playout position is
*estimated*: from the browser's ``play`` event on, audio is assumed to play in real time.
That estimate is what barge-in truncates at.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workbench.app.ui.render import chat_messages
from workbench.app.ui.reply_audio import AudioCoalescer, pcm16_to_wav
from workbench.audio import bytes_to_ms, pcm16_levels
from workbench.audio.level import SILENCE_FLOOR_DBFS
from workbench.errors import LimitError, WorkbenchError
from workbench.relay import (
    AudioOut,
    Interrupted,
    Relay,
    RelayError,
    SessionEnded,
    SessionInfo,
    SpeechStarted,
    SpeechStopped,
    TurnDone,
)
from workbench.relay.events import RelayEvent
from workbench.service import EndReason, LiveSession, SessionService
from workbench.settings import RelaySettings

log = logging.getLogger(__name__)

#: The audio player should stop now (after a barge-in): a value, not a stream chunk.
STOP_AUDIO = b""


@dataclass
class TalkView:
    """What the page should show now. ``audio`` is None (no change), a WAV chunk of
    the reply being streamed, or :data:`STOP_AUDIO` (stop the player)."""

    audio: bytes | None
    messages: list[dict[str, str]]
    level_dbfs: float
    status: str
    status_kind: str
    last_turn: dict[str, Any] | None
    summary: dict[str, Any]
    timeline_version: int
    warnings: list[str] = field(default_factory=list)


class TalkSession:
    """One browser session's live conversation with the model.

    Parameters
    ----------
    service : SessionService
        Owns the session (limits, records, metrics).
    settings : RelaySettings
        This session's settings (read once, at :meth:`start`).
    """

    def __init__(self, service: SessionService, settings: RelaySettings) -> None:
        self.service = service
        self.settings = settings
        self.session: LiveSession | None = None
        self._pump: asyncio.Task[None] | None = None
        self._replies: asyncio.Queue[RelayEvent] = asyncio.Queue()
        self._changed = asyncio.Event()
        self.backend_description = ""
        self.status = "Idle."
        self.status_kind = "info"
        self.level_dbfs = SILENCE_FLOOR_DBFS
        self.last_turn: dict[str, Any] | None = None
        self.summary: dict[str, Any] = {}
        self.timeline_version = 0
        self._warnings: list[str] = []
        self._play_t_ms: float | None = None
        self._streaming_item: str | None = None
        self._delivered_ms = 0.0

    # --- lifecycle ---------------------------------------------------------------

    @property
    def live(self) -> bool:
        """Whether the session is open."""
        return self.session is not None and self.session.live

    @property
    def relay(self) -> Relay | None:
        """The live session's relay (its clock and playout reports), if any."""
        return self.session.relay if self.session is not None else None

    async def start(self) -> None:
        """Open the session (``WorkbenchError`` if a limit, the settings or upstream fail)."""
        session = self.service.open("talk", self.settings)
        await session.start()
        self.session = session
        self.backend_description = session.backend.info.description
        self._set_status(self._listening_text(), "live")
        self._pump = asyncio.create_task(self._pump_events(session), name="talk-pump")

    def _listening_text(self) -> str:
        if self.settings.turn_detection == "none":
            return "Live — speak, then press “Send turn”."
        return "Live — speak; pause to let the model answer."

    async def stop(self, reason: EndReason = EndReason.STOP) -> None:
        """End the session and its pump (bounded by the close timeout)."""
        session = self.session
        pump, self._pump = self._pump, None
        if session is not None:
            await session.close(reason)
        if pump is not None:
            try:
                async with asyncio.timeout(2.0):
                    await pump  # ends on SessionEnded, which close() emits
            except TimeoutError:
                pump.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await pump
        if self.status_kind != "error":
            self._set_status("Stopped.", "info")
        self._replies.put_nowait(SessionEnded("closed"))
        self._changed.set()

    # --- input ---------------------------------------------------------------------

    async def feed(self, sample_rate_hz: int, samples: np.ndarray) -> None:
        """Send one microphone chunk (any dtype/layout Gradio delivers) to the session."""
        session = self.session
        if session is None or not session.live:
            return
        self.update_playout()
        try:
            await session.feed_samples(samples, sample_rate_hz)
        except LimitError as exc:
            self.warn(exc.message)
            self._set_status(f"Session ended: {exc.message}", "error")
            await self.stop(EndReason.LIMIT)
        except WorkbenchError as exc:
            self.warn(f"Microphone audio refused: {exc.message}")

    async def commit(self) -> None:
        """End the user's turn (turn detection none)."""
        if self.session is not None and self.session.live:
            await self.session.commit()

    async def interrupt(self) -> None:
        """Barge in at the estimated playout position."""
        if self.session is not None and self.session.live:
            await self.session.interrupt(self.estimated_played_ms())

    # --- playout estimate ------------------------------------------------------------

    def on_browser_play(self) -> None:
        """The page's audio player started playing (Gradio ``play`` event)."""
        if self.relay is None or self._streaming_item is None:
            return
        self._play_t_ms = self.relay.clock.now_ms()
        # A tiny position stamps first_playout now; later reports move it on.
        self.relay.report_playout(1.0, self._streaming_item)

    def estimated_played_ms(self) -> float | None:
        """Real-time estimate since ``play``, capped at what the page was sent (ms)."""
        if self.relay is None or self._play_t_ms is None:
            return None
        return min(self._delivered_ms, self.relay.clock.now_ms() - self._play_t_ms)

    def update_playout(self) -> None:
        """Report the estimated position to the relay (for barge-in truncation)."""
        played = self.estimated_played_ms()
        if self.relay is not None and played is not None and self._streaming_item:
            self.relay.report_playout(max(1.0, played), self._streaming_item)

    # --- events from the relay -----------------------------------------------------

    async def _pump_events(self, session: LiveSession) -> None:
        try:
            async for event in session.events():
                self._on_event(session.relay, event)
        except Exception as exc:  # never let the pump die silently
            log.exception("talk pump failed")
            self.warn(f"Internal error: {exc}")
            self._set_status("The session failed; press Start again.", "error")
        finally:
            self._changed.set()

    def _on_event(self, relay: Relay, event: RelayEvent) -> None:
        match event:
            case SessionInfo():
                self.backend_description = event.description
            case AudioOut() | Interrupted() | TurnDone() | SessionEnded():
                self._replies.put_nowait(event)
        match event:
            case SpeechStarted():
                self._set_status("Hearing you…", "live")
            case SpeechStopped():
                self._set_status("Thinking…", "live")
            case TurnDone():
                self.last_turn = event.timeline.to_dict()
                self.summary = relay.timeline.summary()
                self.timeline_version += 1
                self._set_status(self._listening_text(), "live")
            case RelayError():
                self.warn(f"{event.code}: {event.message}")
                if event.fatal:
                    self._set_status(f"Session ended: {event.message}", "error")
            case SessionEnded():
                if self.status_kind != "error":
                    self._set_status(f"Session ended ({event.reason}).", "info")
        self._changed.set()

    # --- view ------------------------------------------------------------------------

    def warn(self, message: str) -> None:
        """Queue a message for the page (shown once, as a toast)."""
        self._warnings.append(message)
        self._changed.set()

    def _set_status(self, text: str, kind: str) -> None:
        self.status, self.status_kind = text, kind

    def view(self, audio: bytes | None = None) -> TalkView:
        """A snapshot of the view state (takes the queued warnings)."""
        warnings, self._warnings = self._warnings, []
        return TalkView(
            audio=audio,
            messages=chat_messages(self.session.record.transcript) if self.session else [],
            level_dbfs=self.level_dbfs,
            status=self.status,
            status_kind=self.status_kind,
            last_turn=self.last_turn,
            summary=self.summary,
            timeline_version=self.timeline_version,
            warnings=warnings,
        )

    async def watch(
        self, *, max_s: float = 30.0, idle_tick_s: float = 0.25
    ) -> AsyncIterator[TalkView]:
        """Views until ``max_s`` passes, the session ends, or a reply was streamed.

        Yields a view when state changed (at most every ``idle_tick_s`` while idle) and,
        as soon as reply audio arrives, one view per audio piece with ``audio`` set,
        until the reply's turn is done (or interrupted: then a :data:`STOP_AUDIO` view).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max_s
        yield self.view()
        while loop.time() < deadline and self.live:
            self._changed.clear()
            self.update_playout()
            if not self._replies.empty():
                async for view in self._stream_reply():
                    yield view
                return
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(idle_tick_s):
                    await self._changed.wait()
            if self._changed.is_set() or not self._replies.empty():
                yield self.view()
        yield self.view()

    async def _stream_reply(self) -> AsyncIterator[TalkView]:
        timeout_s = self.service.server.response_timeout_s
        chunks = AudioCoalescer()
        loop = asyncio.get_running_loop()
        stall_deadline = loop.time() + timeout_s
        while True:
            flush_in_s = chunks.wait_s(loop.time())
            wait_s = stall_deadline - loop.time()
            if flush_in_s is not None:
                wait_s = min(wait_s, flush_in_s)
            try:
                async with asyncio.timeout(max(0.0, wait_s)):
                    event = await self._replies.get()
            except TimeoutError:
                if loop.time() >= stall_deadline:
                    self.warn("The reply stalled; stopped waiting for it.")
                    return
                pcm = chunks.flush()  # buffered audio is old enough: send it
                if pcm is not None:
                    yield self._audio_view(pcm)
                continue
            stall_deadline = loop.time() + timeout_s
            if isinstance(event, AudioOut):
                if event.item_id != self._streaming_item:
                    self._streaming_item = event.item_id
                    self._play_t_ms, self._delivered_ms = None, 0.0
                pcm = chunks.push(event.pcm16, loop.time())
                if pcm is not None:
                    yield self._audio_view(pcm)
                continue
            rest = chunks.flush()
            if isinstance(event, Interrupted):
                self.level_dbfs = SILENCE_FLOOR_DBFS
                yield self.view(audio=STOP_AUDIO)
                return
            if rest is not None:
                yield self._audio_view(rest)
            if isinstance(event, TurnDone | SessionEnded):
                self.level_dbfs = SILENCE_FLOOR_DBFS
                yield self.view()
                return

    def _audio_view(self, pcm: bytes) -> TalkView:
        self._delivered_ms += bytes_to_ms(len(pcm))  # PCM16 at the model rate
        self.level_dbfs = pcm16_levels(pcm).rms_dbfs
        self.update_playout()
        return self.view(audio=pcm16_to_wav(pcm))


class TalkRegistry:
    """Which Talk session each browser tab drives, by Gradio session hash.

    UI state only: the session service owns the sessions (and their limit).
    """

    def __init__(self) -> None:
        self._sessions: dict[str, TalkSession] = {}

    def get(self, key: str | None) -> TalkSession | None:
        """The session of browser session ``key`` (None if none is open)."""
        return self._sessions.get(key) if key else None

    async def open(self, key: str, service: SessionService, settings: RelaySettings) -> TalkSession:
        """Replace ``key``'s session with a new, started one (``WorkbenchError`` if refused)."""
        await self.close(key)
        session = TalkSession(service, settings)
        await session.start()
        self._sessions[key] = session
        return session

    async def close(
        self, key: str | None, reason: EndReason = EndReason.STOP
    ) -> TalkSession | None:
        """Stop and forget ``key``'s session (returns it, stopped)."""
        session = self._sessions.pop(key, None) if key else None
        if session is not None:
            await session.stop(reason)
        return session

    async def close_all(self) -> None:
        """Stop every session (server shutdown)."""
        for key in list(self._sessions):
            await self.close(key, EndReason.SHUTDOWN)

    def __len__(self) -> int:
        return len(self._sessions)
