"""The relay: one session of user audio in, model audio and typed events out.

A ``Relay`` is the asyncio shell around a :class:`~workbench.relay.machine.SessionMachine`:
it opens the upstream connection (through a ``Backend``), runs the reader task, turns
audio into frames, queues events for the shell, sleeps until a reconnect is due on the
injected clock and bounds every wait. Every decision (turns, barge-in, errors,
reconnects) is the machine's; this module only carries out its steps. It knows nothing
of HTTP, Gradio or JSON.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Literal, TypeVar

import numpy as np

from workbench.audio import MODEL_FORMAT, decode_audio
from workbench.backends.base import Backend, RealtimeConnection
from workbench.clock import Clock, MonotonicClock, VirtualClock
from workbench.errors import ProtocolError, UpstreamError, WorkbenchError
from workbench.protocol import events as pe
from workbench.relay.config import RelayConfig
from workbench.relay.events import AudioOut, RelayEvent, SessionEnded, TurnDone
from workbench.relay.input import InputPipeline
from workbench.relay.machine import (
    CLOSED,
    CLOSING,
    OPEN,
    CloseConnection,
    DropAudio,
    EndSession,
    Reconnect,
    SessionMachine,
    State,
    Step,
)
from workbench.relay.outbox import Outbox
from workbench.relay.timeline import SessionTimeline, TurnTimeline
from workbench.relay.watchdog import StallWatchdog

log = logging.getLogger(__name__)

Pace = Literal["realtime", "fast"]
T = TypeVar("T")
_BYTES_PER_MS = MODEL_FORMAT.bytes_per_second / 1000.0


class Relay:
    """One realtime session between a shell and a model.

    Parameters
    ----------
    backend : Backend
        Where sessions are opened (``InProcessBackend``, ``OpenAISdkBackend``).
    config : RelayConfig
        Chunking, resampling, turn detection, session settings, timeouts.
    clock : Clock
        Time base of the timeline, of pacing and of reconnect backoff;
        ``VirtualClock`` in tests.

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
        self.outbox = Outbox()
        self.machine = SessionMachine(self.config)
        self._input = self._new_input()
        self._conn: RealtimeConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._watchdog: StallWatchdog | None = None

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
        so a shell can still answer with an HTTP status); the session is then over.
        """
        if not self.machine.start():
            return
        try:
            conn = await self._connect()
        except UpstreamError as exc:
            self._apply_now(self.machine.connect_failed(exc, self.clock.now_ms()))
            raise
        try:
            await self._open(conn)
        except UpstreamError:
            await self.close(reason="error")
            raise
        self._reader = asyncio.create_task(self._read_loop(), name="relay-reader")

    async def close(self, reason: str = "closed") -> None:
        """Close upstream (bounded by ``close_timeout_s``), cancel tasks, end events.

        Parameters
        ----------
        reason : str
            ``SessionEnded.reason`` if the session had not ended already (default
            ``closed``; a session service passes ``stop``, ``idle``, ``limit`` …).
        """
        self.machine.start_closing()
        reader, self._reader = self._reader, None
        if reader is not None and reader is not asyncio.current_task():
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                async with asyncio.timeout(self.config.close_timeout_s):
                    await reader
        await self._close_conn()
        self._apply_now(self.machine.end(reason, self.clock.now_ms()))

    def end(self, reason: str) -> None:
        """Emit ``SessionEnded(reason)`` once (pending turns fail first); nothing follows."""
        self._apply_now(self.machine.end(reason, self.clock.now_ms()))

    @property
    def closed(self) -> bool:
        """True once the session is closing or has ended (closed, failed or capped)."""
        return self.machine.state >= CLOSING

    @property
    def state(self) -> State:
        """Lifecycle state: CONNECTING, OPEN, CLOSING or CLOSED."""
        return self.machine.state

    @property
    def timeline(self) -> SessionTimeline:
        """Every turn of this session with its stage timestamps."""
        return self.machine.turns.timeline

    @property
    def responses(self) -> Mapping[str, TurnTimeline]:
        """Response id → turn, for responses in flight and the last few finished."""
        return self.machine.turns.responses

    @property
    def input_ms_sent(self) -> float:
        """Input audio sent upstream so far (ms at the model rate)."""
        return self.machine.input_ms_sent

    def response_timeout_s(self) -> float | None:
        """How long to wait for the next upstream event (None: no response is due)."""
        return self.machine.read_timeout_s()

    # --- events out ------------------------------------------------------------------

    def emit(self, event: RelayEvent) -> None:
        """Queue an event for the shell (dropped after the session ended)."""
        if self.machine.state is not CLOSED:
            self.outbox.put(event)

    def __aiter__(self) -> AsyncIterator[RelayEvent]:
        return self._iterate(until_turn_done=False)

    def events_until_turn_done(self) -> AsyncIterator[RelayEvent]:
        """Iterate events up to and including the next ``TurnDone`` (or session end)."""
        return self._iterate(until_turn_done=True)

    async def _iterate(self, *, until_turn_done: bool) -> AsyncIterator[RelayEvent]:
        get, machine, now_ms = self.outbox.get, self.machine, self.clock.now_ms
        while True:
            event = await get()
            if type(event) is AudioOut:
                machine.audio_delivered(event, now_ms())
            yield event
            if type(event) is SessionEnded or (until_turn_done and type(event) is TurnDone):
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

        Between reconnects the audio is dropped (it would go to a session that is gone).
        """
        self.machine.check_usable()
        if isinstance(audio, bytes | bytearray | memoryview):
            frames = await self._blocking(self._input.push_encoded, bytes(audio))
        else:
            if sample_rate_hz is None:
                raise WorkbenchError("feed(array) needs sample_rate_hz", code="bad_audio")
            frames = self._input.push_array(audio, sample_rate_hz)
        if frames:
            await self._send_frames(frames)

    async def _send_frames(self, frames: list[bytes]) -> None:
        # The hot path: one machine call per feed(), one client event per frame.
        conn = self._conn
        duration_ms = sum(map(len, frames)) / _BYTES_PER_MS
        if conn is None or not self.machine.input_audio(duration_ms, self.clock.now_ms()):
            return
        try:
            for frame in frames:
                await conn.send(pe.InputAudioBufferAppend(audio=frame))
        except UpstreamError:
            if self._conn is conn:
                raise  # see _send_all

    async def commit(self, *, create_response: bool = True) -> None:
        """End the user's turn: flush input, ``input_audio_buffer.commit``, ``response.create``.

        Needed with turn detection ``none``; with VAD the model commits by itself.
        """
        self.machine.check_usable()
        tail = await self._blocking(self._input.end)
        if tail:
            await self._send_frames(tail)
        await self._apply(self.machine.commit(create_response, self.clock.now_ms()))
        if self._watchdog is not None:
            self._watchdog.arm_if_due()  # a response is due from now on

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
        self.machine.check_usable()
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
        self.machine.report_playout(played_ms, item_id, self.clock.now_ms())

    async def interrupt(self, played_ms: float | None = None) -> None:
        """Barge in now: cancel the response and cut the item at ``played_ms`` (ms)."""
        self.machine.check_usable()
        await self._apply(self.machine.interrupt(played_ms, self.clock.now_ms()))

    # --- carrying out the machine's steps ---------------------------------------------

    async def _apply(self, step: Step) -> float | None:
        """Carry out one step (order: see ``Step``). Returns a reconnect due time (ms)."""
        reconnect_at_ms: float | None = None
        for action in step.actions:
            if type(action) is DropAudio:
                self.outbox.drop_audio(action.item_id)
        if step.send:
            await self._send_all(step.send)
        for relay_event in step.emit:
            self.outbox.put(relay_event)
        for action in step.actions:
            if type(action) is CloseConnection:
                await self._close_conn()
            elif type(action) is EndSession:
                self.outbox.put(SessionEnded(reason=action.reason))
            elif type(action) is Reconnect:
                reconnect_at_ms = action.at_ms
        return reconnect_at_ms

    def _apply_now(self, step: Step) -> None:
        """Carry out a step that needs no I/O (events and the end only)."""
        assert not step.send and not any(
            isinstance(a, CloseConnection | Reconnect) for a in step.actions
        ), step
        for relay_event in step.emit:
            self.outbox.put(relay_event)
        for action in step.actions:
            if isinstance(action, EndSession):
                self.outbox.put(SessionEnded(reason=action.reason))

    # --- upstream I/O ----------------------------------------------------------------

    async def _send_all(self, events: Sequence[pe.ClientEvent]) -> None:
        """Send on the current connection; nothing between reconnects.

        A send that fails on the live connection raises ``UpstreamError``; one that
        fails because the reader lost and replaced the connection meanwhile is dropped
        (the machine already failed the turn it belonged to).
        """
        conn = self._conn
        if conn is None:
            return
        try:
            for event in events:
                await conn.send(event)
        except UpstreamError:
            if self._conn is conn:
                raise

    async def _connect(self) -> RealtimeConnection:
        try:
            async with asyncio.timeout(self.config.connect_timeout_s):
                return await self.backend.connect()
        except TimeoutError:
            raise UpstreamError(
                f"timed out connecting to {self.backend.info.description}",
                code="upstream_unreachable",
                retryable=True,
            ) from None

    async def _open(self, conn: RealtimeConnection) -> None:
        """Hand a new connection to the machine; publish it once its settings are sent.

        Raises ``UpstreamError`` (with ``conn`` closed) if the settings cannot be sent.
        """
        step = self.machine.connection_opened(
            self.backend.info, conn.dialect.value, self.clock.now_ms()
        )
        if self.machine.state is not OPEN:  # the shell closed meanwhile
            await self._close(conn)
            return
        try:
            # Settings first, then audio: feed() sees the connection only after this.
            for event in step.send:
                await conn.send(event)
        except UpstreamError:
            await self._close(conn)
            raise
        self._conn = conn
        for relay_event in step.emit:
            self.outbox.put(relay_event)

    async def _close_conn(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await self._close(conn)

    async def _close(self, conn: RealtimeConnection) -> None:
        with contextlib.suppress(Exception):
            async with asyncio.timeout(self.config.close_timeout_s):
                await conn.close()

    async def _read_loop(self) -> None:
        """Read upstream until the session ends; reconnect when the machine says so."""
        try:
            conn = self._conn
            while conn is not None:
                reconnect_at_ms = await self._apply(await self._pump(conn))
                conn = None if reconnect_at_ms is None else await self._reconnect(reconnect_at_ms)
        except Exception as exc:  # a bug must end the session visibly, not hang it
            log.exception("relay reader failed")
            failure = UpstreamError(f"the relay failed: {exc!r}", code="relay_error")
            with contextlib.suppress(Exception):
                await self._apply(self.machine.connection_lost(failure, self.clock.now_ms()))
            self.end("error")

    async def _reconnect(self, at_ms: float | None) -> RealtimeConnection | None:
        """Sleep until each due time (on the clock) and connect; None when the machine gives up."""
        while at_ms is not None:
            await self.clock.sleep_until(at_ms)
            self._input = self._new_input()
            try:
                conn = await self._connect()
            except UpstreamError as exc:
                at_ms = await self._apply(self.machine.connect_failed(exc, self.clock.now_ms()))
                continue
            try:
                await self._open(conn)
            except UpstreamError as exc:  # lost while sending the settings
                at_ms = await self._apply(self.machine.connection_lost(exc, self.clock.now_ms()))
                continue
            return self._conn
        return None

    async def _pump(self, conn: RealtimeConnection) -> Step:
        """Handle events of one connection; returns the step that ends reading it."""
        watchdog = self._watchdog = StallWatchdog(self.machine.read_timeout_s)
        try:
            return await self._read_events(conn, watchdog)
        except asyncio.CancelledError:
            if not watchdog.expired():
                raise  # the relay is closing
            return self.machine.read_timed_out(self.clock.now_ms())
        finally:
            watchdog.stop()
            self._watchdog = None

    async def _read_events(self, conn: RealtimeConnection, watchdog: StallWatchdog) -> Step:
        # The hot path of assistant audio: per event one machine call, one watchdog
        # stamp, and the step's events into the outbox.
        machine, now_ms, put, seen = self.machine, self.clock.now_ms, self.outbox.put, watchdog.seen
        events = aiter(conn)
        while True:
            try:
                event = await anext(events)
            except StopAsyncIteration:
                return machine.connection_lost(None, now_ms())
            except UpstreamError as exc:
                return machine.connection_lost(exc, now_ms())
            except ProtocolError as exc:
                # A malformed frame: report it and keep reading the same connection.
                seen()
                self._apply_now(machine.protocol_error(exc.message))
                events = aiter(conn) if _is_exhausted(events) else events
                continue
            step = machine.handle(event, now_ms())
            if machine.state is not OPEN:
                return step  # the event ended this connection (session cap) or the session
            if step.send or step.actions:
                try:
                    await self._apply(step)
                except UpstreamError as exc:
                    return machine.connection_lost(exc, now_ms())
            else:
                for relay_event in step.emit:
                    put(relay_event)
            seen()

    async def _blocking(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run CPU-heavy decoding off the event loop, so other sessions keep flowing.

        On a ``VirtualClock`` it runs inline: a thread would let virtual time jump
        ahead while the loop waits for it, and replays must stay deterministic.
        """
        if isinstance(self.clock, VirtualClock):
            return fn(*args, **kwargs)
        return await asyncio.to_thread(fn, *args, **kwargs)


def _is_exhausted(events: object) -> bool:
    # An async generator that raised is finished; a fresh iterator must be taken.
    return getattr(events, "ag_running", None) is False and getattr(events, "ag_frame", 1) is None
