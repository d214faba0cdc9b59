"""The relay: one session of user audio in, model audio and typed events out.

A ``Relay`` owns one upstream connection (through a ``Backend``), a reader task that
turns server events into ``RelayEvent``s, and the barge-in and reconnect policy.
Shells feed audio, call ``commit()``/``report_playout()``/``interrupt()``, and iterate
events. It knows nothing of HTTP, Gradio or JSON.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Literal, TypeVar

import numpy as np

from workbench.audio import decode_audio
from workbench.backends.base import Backend, RealtimeConnection
from workbench.clock import Clock, MonotonicClock, VirtualClock
from workbench.errors import SessionClosedError, UpstreamError, WorkbenchError
from workbench.protocol import events as pe
from workbench.relay.config import RelayConfig
from workbench.relay.events import (
    AudioOut,
    RelayError,
    RelayEvent,
    SessionEnded,
    SessionInfo,
    TurnDone,
)
from workbench.relay.input import InputPipeline
from workbench.relay.outbox import Outbox
from workbench.relay.playback import PlaybackTracker
from workbench.relay.timeline import SessionTimeline, TurnTimeline
from workbench.relay.upstream import UpstreamEventHandler

log = logging.getLogger(__name__)

Pace = Literal["realtime", "fast"]
T = TypeVar("T")


class Relay:
    """One realtime session between a shell and a model.

    Parameters
    ----------
    backend : Backend
        Where sessions are opened (``InProcessBackend``, ``OpenAISdkBackend``).
    config : RelayConfig
        Chunking, resampling, turn detection, session settings, timeouts.
    clock : Clock
        Time base of the timeline and of pacing; ``VirtualClock`` in tests.

    Examples
    --------
    >>> async with Relay(InProcessBackend()) as relay:   # doctest: +SKIP
    ...     await relay.send_file("fixtures/audio/en_hello_44k1_aac_faststart.m4a")
    ...     async for event in relay.events_until_turn_done():
    ...         ...
    """

    def __init__(
        self,
        backend: Backend,
        config: RelayConfig | None = None,
        *,
        clock: Clock | None = None,
    ) -> None:
        self.backend = backend
        self.config = config if config is not None else RelayConfig()
        self.clock = clock if clock is not None else MonotonicClock()
        self.timeline = SessionTimeline()
        self.outbox = Outbox()
        self.playback = PlaybackTracker(self.clock)
        self._input = self._new_input()
        self._conn: RealtimeConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._handler = UpstreamEventHandler(self)
        self._open_turn: TurnTimeline | None = None
        self.awaiting: deque[TurnTimeline] = deque()
        self.responses: dict[str, TurnTimeline] = {}
        self._started = False
        self._closing = False
        self.ended = False
        self._reconnects = 0
        self.input_ms_sent = 0.0

    # --- lifecycle -------------------------------------------------------------------

    async def __aenter__(self) -> Relay:
        await self.start()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def start(self) -> None:
        """Connect upstream, send the session settings, emit ``SessionInfo``.

        Raises ``UpstreamError`` if the model cannot be reached (before any streaming,
        so a shell can still answer with an HTTP status).
        """
        if self._started:
            return
        self._started = True
        await self._connect(reconnected=False)
        self._reader = asyncio.create_task(self._read_loop(), name="relay-reader")

    async def _connect(self, *, reconnected: bool) -> None:
        try:
            async with asyncio.timeout(self.config.connect_timeout_s):
                conn = await self.backend.connect()
        except TimeoutError:
            raise UpstreamError(
                f"timed out connecting to {self.backend.info.description}",
                code="upstream_unreachable",
                retryable=True,
            ) from None
        self._conn = conn
        info = self.backend.info
        await conn.send(pe.SessionUpdate(session=self.config.session_settings(info.model)))
        self.emit(
            SessionInfo(
                backend=info.kind,
                description=info.description,
                is_mock=info.is_mock,
                dialect=conn.dialect.value,
                reconnected=reconnected,
            )
        )

    async def close(self, reason: str = "closed") -> None:
        """Close upstream (bounded by ``close_timeout_s``), cancel tasks, end events.

        ``reason`` goes into the final ``SessionEnded`` (default ``closed``).
        """
        if self._closing:
            return
        self._closing = True
        reader, self._reader = self._reader, None
        if reader is not None and reader is not asyncio.current_task():
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                async with asyncio.timeout(self.config.close_timeout_s):
                    await reader
        await self._close_conn()
        self.end(reason)

    async def _close_conn(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(self.config.close_timeout_s):
                    await conn.close()

    def end(self, reason: str) -> None:
        """Emit ``SessionEnded`` once; nothing is emitted after it."""
        if not self.ended:
            self.fail_pending_turns()
            self.ended = True
            self.outbox.put(SessionEnded(reason=reason))

    @property
    def closed(self) -> bool:
        """True once the session has ended (closed, failed or capped)."""
        return self.ended or self._closing

    # --- events out ------------------------------------------------------------------

    def emit(self, event: RelayEvent) -> None:
        """Queue an event for the shell (dropped after the session ended)."""
        if not self.ended:
            self.outbox.put(event)

    def __aiter__(self) -> AsyncIterator[RelayEvent]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[RelayEvent]:
        while True:
            event = await self.outbox.get()
            if isinstance(event, AudioOut):
                self.playback.on_delivered(event.item_id, event.duration_ms)
                turn = self.responses.get(event.response_id)
                if turn is not None:
                    turn.mark("first_audio_out", self.clock.now_ms())
            if isinstance(event, TurnDone):
                self._forget_old_responses()
            yield event
            if isinstance(event, SessionEnded):
                return

    async def events_until_turn_done(self) -> AsyncIterator[RelayEvent]:
        """Iterate events up to and including the next ``TurnDone`` (or session end)."""
        async for event in self:
            yield event
            if isinstance(event, TurnDone | SessionEnded):
                return

    # --- audio in --------------------------------------------------------------------

    def _new_input(self) -> InputPipeline:
        return InputPipeline(
            self.config.chunk_ms, self.config.resampler, self.config.max_input_duration_s
        )

    async def feed(self, audio: np.ndarray | bytes, sample_rate_hz: int | None = None) -> None:
        """Send user audio upstream.

        Parameters
        ----------
        audio : np.ndarray or bytes
            Samples of any dtype, shape ``(n,)``, ``(n, ch)`` or ``(ch, n)`` at
            ``sample_rate_hz``; or the next piece of an *encoded* stream (wav, mp3, ogg,
            webm, m4a…) whose rate is read from the stream.
        sample_rate_hz : int | None
            Rate of ``audio`` (Hz); required for arrays.
        """
        self._check_open()
        if isinstance(audio, bytes | bytearray | memoryview):
            frames = await self._blocking(self._input.push_encoded, bytes(audio))
        else:
            if sample_rate_hz is None:
                raise WorkbenchError("feed(array) needs sample_rate_hz", code="bad_audio")
            frames = self._input.push_array(audio, sample_rate_hz)
        await self._send_frames(frames)

    async def _send_frames(self, frames: list[bytes]) -> None:
        if not frames:
            return
        turn = self.input_turn()
        turn.mark("first_input_audio", self.clock.now_ms())
        for frame in frames:
            await self.send_upstream(pe.InputAudioBufferAppend(audio=frame))
            self.input_ms_sent += len(frame) / 48.0  # 2 bytes × 24 samples per ms

    async def commit(self, *, create_response: bool = True) -> None:
        """End the user's turn: flush input, ``input_audio_buffer.commit``, ``response.create``.

        Needed with turn detection ``none``; with VAD the model commits by itself.
        """
        self._check_open()
        await self._send_frames(await self._blocking(self._input.end))
        turn = self.input_turn()
        now = self.clock.now_ms()
        turn.mark("commit", now)
        await self.send_upstream(pe.InputAudioBufferCommit())
        self._end_input_turn(turn)
        if create_response:
            turn.mark("response_create", self.clock.now_ms())
            await self.send_upstream(pe.ResponseCreate())

    async def send_file(
        self,
        source: bytes | str | Path | BinaryIO,
        *,
        pace: Pace = "fast",
        commit: bool = True,
    ) -> float:
        """The seed's flow: decode a whole clip, stream it in ``chunk_ms`` frames, commit.

        Parameters
        ----------
        source : bytes, path or file object
            An encoded clip in any format the audio core decodes.
        pace : {"fast", "realtime"}
            Send as fast as possible, or one frame per ``chunk_ms`` of wall time.
        commit : bool
            Commit and ask for a response at the end (turn detection ``none``).

        Returns
        -------
        float
            Duration of the clip in seconds.
        """
        self._check_open()
        decoded = await self._blocking(
            decode_audio, source, max_duration_s=self.config.max_input_duration_s
        )
        frames = self._input.push_array(decoded.samples, decoded.sample_rate_hz)
        frames += self._input.end()
        start_ms = self.clock.now_ms()
        for i, frame in enumerate(frames):
            if pace == "realtime":
                await self.clock.sleep_until(start_ms + i * self.config.chunk_ms)
            await self._send_frames([frame])
        if commit and self.config.manual_commit:
            await self.commit()
        return decoded.duration_s

    # --- playout and barge-in --------------------------------------------------------

    def report_playout(self, played_ms: float, item_id: str | None = None) -> None:
        """The shell's playback position (ms) within the current assistant item."""
        first = self.playback.report(played_ms, item_id)
        item = self.playback.current
        if first is not None and item is not None:
            # ``report`` returns the item id; turns are keyed by response id.
            turn = self.responses.get(item.response_id)
            if turn is not None:
                turn.mark("first_playout", self.clock.now_ms())

    async def interrupt(self, played_ms: float | None = None) -> None:
        """Barge in now: cancel the response and cut the item at ``played_ms``."""
        self._check_open()
        if played_ms is not None:
            self.report_playout(played_ms)
        await self._handler.barge_in(force=True)

    # --- internals used by the upstream handler --------------------------------------

    def input_turn(self) -> TurnTimeline:
        """The turn collecting user audio now (started lazily)."""
        if self._open_turn is None:
            self._open_turn = self.timeline.new_turn()
        return self._open_turn

    def _end_input_turn(self, turn: TurnTimeline) -> None:
        if self._open_turn is turn:
            self._open_turn = None
        if turn not in self.awaiting:
            self.awaiting.append(turn)

    def end_input_turn_from_vad(self) -> TurnTimeline:
        """VAD ended the user's turn: it now awaits a response."""
        turn = self.input_turn()
        self._end_input_turn(turn)
        return turn

    def _unfinished_turns(self) -> list[TurnTimeline]:
        pending = list(self.awaiting) + [t for t in self.responses.values() if not t.has("done")]
        self.awaiting.clear()
        return pending

    def finish_turn(self, turn: TurnTimeline, status: str, response_id: str | None) -> None:
        """Stamp ``done`` and emit ``TurnDone`` (once per turn)."""
        if not turn.has("done"):
            turn.mark("done", self.clock.now_ms())
            self.emit(TurnDone(status=status, timeline=turn, response_id=response_id))

    def fail_pending_turns(self) -> None:
        """Every turn still waiting for a response ends as failed (after an upstream loss)."""
        for turn in self._unfinished_turns():
            self.finish_turn(turn, "failed", None)
        self.playback.stop()

    async def send_upstream(self, event: pe.ClientEvent) -> None:
        """Send one client event on the current connection."""
        if self._conn is None:
            raise SessionClosedError("the relay session is not connected")
        await self._conn.send(event)

    async def _blocking(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run CPU-heavy decoding off the event loop, so other sessions keep flowing.

        On a ``VirtualClock`` it runs inline: a thread would let virtual time jump
        ahead while the loop waits for it, and replays must stay deterministic.
        """
        if isinstance(self.clock, VirtualClock):
            return fn(*args, **kwargs)
        return await asyncio.to_thread(fn, *args, **kwargs)

    def _forget_old_responses(self, keep: int = 4) -> None:
        # A session can last an hour of turns; finished responses are needed only
        # while the shell may still report playout for them (the last few).
        finished = [rid for rid, turn in self.responses.items() if turn.has("done")]
        for rid in finished[:-keep]:
            del self.responses[rid]

    def _check_open(self) -> None:
        if self.closed:
            raise SessionClosedError("the relay session has ended; start a new one")
        if not self._started:
            raise SessionClosedError(
                "the relay session is not started; use `async with Relay(...)`"
            )

    def response_timeout_s(self) -> float | None:
        """How long to wait for the next upstream event (None: no response is due)."""
        if self.awaiting or any(not t.has("done") for t in self.responses.values()):
            return self.config.response_timeout_s
        return None

    async def _read_loop(self) -> None:
        while not self._closing and not self.ended:
            conn = self._conn
            if conn is None:
                return
            outcome = await self._handler.pump(conn)
            if self._closing or self.ended:
                return
            if outcome is None:  # clean upstream close
                self.emit(RelayError("upstream_closed", "the model closed the session", fatal=True))
                await self._close_conn()
                self.end("error")
                return
            if not await self._recover(outcome):
                return

    async def _recover(self, error: UpstreamError) -> bool:
        """After a retryable loss: reconnect with backoff. False when the session ended."""
        rollover = error.code == "session_expired"
        give_up = not error.retryable or (
            not rollover and self._reconnects >= self.config.max_reconnects
        )
        # The error first, so a shell sees why the turn that follows failed.
        self.emit(RelayError(error.code, error.message, retryable=not give_up, fatal=give_up))
        self.fail_pending_turns()
        await self._close_conn()
        if give_up:
            self.end("session_cap" if rollover else "error")
            return False
        if not rollover:
            delay_s = self.config.reconnect_backoff_s * 2**self._reconnects
            self._reconnects += 1
            await asyncio.sleep(delay_s)
        self._input = self._new_input()
        self._open_turn = None
        try:
            await self._connect(reconnected=True)
        except UpstreamError as exc:
            self.emit(RelayError(exc.code, exc.message, retryable=False, fatal=True))
            self.end("error")
            return False
        return True
