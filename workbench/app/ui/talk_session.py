"""The Talk tab's Gradio streaming mode: one live session per browser tab, fed by Gradio's
microphone, the reply streamed into Gradio's player.

:class:`TalkSession` opens a :class:`~workbench.service.LiveSession` on the session
service (limits, records, metrics) and runs a *pump* task that reads its events into the
view state and a reply queue. :meth:`TalkSession.watch` is what the UI's timer runs: it
yields a :class:`TalkView` whenever something changed and streams a whole reply (PCM16
24 kHz as WAV chunks) the moment its first audio arrives. Where the player is, and the
status line, come from :mod:`talk_player` (the page tap's reports, or Gradio's ``play``
event). No Gradio imports here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from workbench.app.ui.latency_render import PageFigures
from workbench.app.ui.page_tap import PageReply
from workbench.app.ui.render import chat_messages
from workbench.app.ui.reply_audio import AudioCoalescer, pcm16_to_wav
from workbench.app.ui.talk_player import TalkStatus
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
    TurnDone,
)
from workbench.relay.events import RelayEvent
from workbench.service import EndReason, LiveSession, SessionService
from workbench.service.end_reason import from_relay_reason
from workbench.settings import RelaySettings

log = logging.getLogger(__name__)

#: The audio player should stop now (after a barge-in): a value, not a stream chunk.
STOP_AUDIO = b""
#: Page figures kept per session (the newest replies).
MAX_PAGE_FIGURES: Final = 100


@dataclass
class TalkView:
    """What the page should show now. ``audio`` is None (no change), a WAV chunk of
    the reply being streamed, or :data:`STOP_AUDIO` (stop the player). ``tag`` is the
    response id of the reply being streamed (the page tap reports against it)."""

    audio: bytes | None
    messages: list[dict[str, str]]
    level_dbfs: float
    status: str
    status_kind: str
    last_turn: dict[str, Any] | None
    summary: dict[str, Any]
    timeline_version: int
    warnings: list[str] = field(default_factory=list)
    page: PageFigures | None = None
    pages: list[PageFigures] = field(default_factory=list)
    tag: str | None = None


class TalkSession:
    """One browser session's live conversation with the model.

    Parameters
    ----------
    service : SessionService
        Owns the session (limits, records, metrics).
    settings : RelaySettings
        This session's settings (read once, at :meth:`start`).
    page_tap : bool
        The page reports on its player (then Gradio's ``play`` event is not needed).
    """

    def __init__(
        self, service: SessionService, settings: RelaySettings, *, page_tap: bool = False
    ) -> None:
        self.service = service
        self.settings = settings
        self.page_tap = page_tap
        self.session: LiveSession | None = None
        self._pump: asyncio.Task[None] | None = None
        self._replies: asyncio.Queue[RelayEvent] = asyncio.Queue()
        self._changed = asyncio.Event()
        self.backend_description = ""
        self.level_dbfs = SILENCE_FLOOR_DBFS
        self.last_turn: dict[str, Any] | None = None
        self._last_response: str | None = None
        self.summary: dict[str, Any] = {}
        self.timeline_version = 0
        self._warnings: list[str] = []
        self.state = TalkStatus(manual_turns=settings.turn_detection == "none")
        self.player = self.state.player
        self._pages: OrderedDict[str, PageFigures] = OrderedDict()

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
        self._pump = asyncio.create_task(self._pump_events(session), name="talk-pump")

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
        self.state.end((session.end_reason if session is not None else None) or reason)
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
            self.state.fail(exc.message)
            await self.stop(EndReason.LIMIT)
        except WorkbenchError as exc:
            self.warn(f"Microphone audio refused: {exc.message}")

    async def commit(self) -> None:
        """End the user's turn (turn detection none)."""
        if self.session is not None and self.session.live:
            self.state.committed()
            self._changed.set()
            await self.session.commit()

    async def interrupt(self) -> None:
        """Barge in where the listener is (the page's position, else estimated)."""
        if self.session is not None and self.session.live:
            await self.session.interrupt(self.estimated_played_ms())

    # --- the player ------------------------------------------------------------------

    def _now_ms(self) -> float:
        relay = self.relay
        return relay.clock.now_ms() if relay is not None else 0.0

    def on_browser_play(self) -> None:
        """Gradio's ``play`` event: without the page tap, the playout estimate starts."""
        if self.page_tap or self.relay is None or self.player.item_id is None:
            return
        self.player.on_play(self._now_ms())
        # A tiny position stamps first_playout now; later reports move it on.
        self.relay.report_playout(1.0, self.player.item_id)
        self._changed.set()

    def on_page_reply(self, reply: PageReply) -> None:
        """A page tap report: where the player is, and what the listener experienced."""
        self.page_tap = True
        if reply.response_id is not None:
            if reply.phase != "playing" or reply.mic_to_first_playout_ms is not None:
                self._pages[reply.response_id] = reply.figures("mic")
                self._pages.move_to_end(reply.response_id)
            while len(self._pages) > MAX_PAGE_FIGURES:
                self._pages.popitem(last=False)
            if reply.response_id == self._last_response:
                self.timeline_version += 1  # the last turn's panel changes
        first = reply.phase == "playing" and self.player.phase == "buffering"
        if self.player.on_page(reply, self._now_ms()):
            self.update_playout(first_playout=first)
        self._changed.set()

    def estimated_played_ms(self) -> float | None:
        """How much of the reply being played the listener heard (ms), if known."""
        return self.player.position_ms(self._now_ms())

    def update_playout(self, *, first_playout: bool = False) -> None:
        """Report the player's position to the relay (for barge-in truncation)."""
        played = self.estimated_played_ms()
        item = self.player.item_id
        if self.relay is not None and item is not None and (played is not None or first_playout):
            self.relay.report_playout(max(1.0, played or 0.0), item)

    # --- events from the relay -----------------------------------------------------

    async def _pump_events(self, session: LiveSession) -> None:
        try:
            async for event in session.events():
                self._on_event(session, event)
        except Exception as exc:  # never let the pump die silently
            log.exception("talk pump failed")
            self.warn(f"Internal error: {exc}")
            self.state.fail(f"internal error: {exc}")
        finally:
            self.state.end(session.end_reason or EndReason.UPSTREAM_ERROR)
            self._changed.set()

    def _on_event(self, session: LiveSession, event: RelayEvent) -> None:
        match event:
            case SessionInfo():
                self.backend_description = event.description
            case AudioOut() | Interrupted() | TurnDone() | SessionEnded():
                self._replies.put_nowait(event)
        self.state.on_event(event, self._now_ms())
        match event:
            case TurnDone():
                self.last_turn = event.timeline.to_dict()
                self._last_response = event.response_id
                self.summary = session.relay.timeline.summary()
                self.timeline_version += 1
            case RelayError():
                self.warn(f"{event.code}: {event.message}")  # the server's words
                if event.fatal:
                    self.state.fail(event.message)
            case SessionEnded():
                self.state.end(session.end_reason or from_relay_reason(event.reason))
        self._changed.set()

    # --- view ------------------------------------------------------------------------

    def warn(self, message: str) -> None:
        """Queue a message for the page (shown once, as a toast)."""
        self._warnings.append(message)
        self._changed.set()

    def status(self) -> tuple[str, str]:
        """``(text, kind)`` of the status line, following the session."""
        session = self.session
        if session is not None and session.end_reason is not None and self.state.ended is None:
            # Over before the pump read its last events: the record says why.
            fatal = [e for e in session.record.errors if e.get("fatal")]
            if fatal and self.state.error is None:
                self.state.fail(str(fatal[-1]["message"]))
            self.state.end(session.end_reason or EndReason.STOP)
        return self.state.status(self._now_ms())

    def view(self, audio: bytes | None = None) -> TalkView:
        """A snapshot of the view state (takes the queued warnings)."""
        warnings, self._warnings = self._warnings, []
        text, kind = self.status()
        page = self._pages.get(self._last_response or "")
        return TalkView(
            audio=audio,
            messages=chat_messages(self.session.record.transcript) if self.session else [],
            level_dbfs=self.level_dbfs,
            status=text,
            status_kind=kind,
            last_turn=self.last_turn,
            summary=self.summary,
            timeline_version=self.timeline_version,
            warnings=warnings,
            page=page,
            pages=list(self._pages.values()),
            tag=self.player.response_id,
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
        shown = self.status()
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
            # The status also follows the player's estimate, which changes with time alone.
            if self._changed.is_set() or not self._replies.empty() or self.status() != shown:
                shown = self.status()
                yield self.view()
        pump = self._pump
        if not self.live and pump is not None:
            # The session is over: let the pump read its last events (the end reason, a
            # final error) so the last view says why.
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                async with asyncio.timeout(2.0):
                    await asyncio.shield(pump)
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
                if event.item_id != self.player.item_id:
                    self.player.new_reply(event.item_id, event.response_id)
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
        self.player.delivered(bytes_to_ms(len(pcm)))  # PCM16 at the model rate
        self.level_dbfs = pcm16_levels(pcm).rms_dbfs
        self.update_playout()
        return self.view(audio=pcm16_to_wav(pcm))


class TalkRegistry:
    """Which Talk session each browser tab drives, by Gradio session hash.

    UI state only: the session service owns the sessions (and their limit). It also
    remembers which tabs loaded the page tap (their sessions take the player's position
    from it).
    """

    def __init__(self) -> None:
        self._sessions: dict[str, TalkSession] = {}
        self._tapped: set[str] = set()

    def get(self, key: str | None) -> TalkSession | None:
        """The session of browser session ``key`` (None if none is open)."""
        return self._sessions.get(key) if key else None

    def page_tap_loaded(self, key: str | None) -> None:
        """Browser session ``key`` runs the page tap."""
        if key:
            self._tapped.add(key)
            session = self._sessions.get(key)
            if session is not None:
                session.page_tap = True

    async def open(self, key: str, service: SessionService, settings: RelaySettings) -> TalkSession:
        """Replace ``key``'s session with a new, started one (``WorkbenchError`` if refused)."""
        await self.close(key)
        session = TalkSession(service, settings, page_tap=key in self._tapped)
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

    def forget(self, key: str | None) -> None:
        """The browser tab is gone (after :meth:`close`)."""
        if key:
            self._tapped.discard(key)

    async def close_all(self) -> None:
        """Stop every session (server shutdown)."""
        for key in list(self._sessions):
            await self.close(key, EndReason.SHUTDOWN)

    def __len__(self) -> int:
        return len(self._sessions)
