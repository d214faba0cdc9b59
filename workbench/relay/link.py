"""The relay's upstream I/O: one connection at a time, its reader task, steps carried out.

:class:`UpstreamLink` connects (bounded by ``connect_timeout_s``), sends, reads server
events into the :class:`~workbench.relay.machine.SessionMachine`, carries out the steps
it returns (queue events, drop stale audio, close, sleep until a reconnect is due on
the injected clock, end) and closes (bounded by ``close_timeout_s``). It decides
nothing: every policy is the machine's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence

from workbench.backends.base import Backend, RealtimeConnection
from workbench.clock import Clock
from workbench.errors import ProtocolError, UpstreamError
from workbench.protocol import events as pe
from workbench.relay.config import RelayConfig
from workbench.relay.events import SessionEnded
from workbench.relay.machine import SessionMachine
from workbench.relay.outbox import Outbox
from workbench.relay.steps import (
    OPEN,
    CloseConnection,
    DropAudio,
    EndSession,
    Reconnect,
    Step,
)
from workbench.relay.watchdog import StallWatchdog

log = logging.getLogger(__name__)


class UpstreamLink:
    """Carries out a session machine's steps on a backend's connections.

    Parameters
    ----------
    backend : Backend
        Opens upstream sessions.
    config : RelayConfig
        ``connect_timeout_s`` and ``close_timeout_s`` (s).
    clock : Clock
        The relay's clock: event times and reconnect due times (ms).
    machine : SessionMachine
        Decides what every event and loss means.
    outbox : Outbox
        Where events for the shell go.
    on_new_session : Callable[[], None]
        Called before each reconnect (the relay discards its buffered input).
    """

    def __init__(
        self,
        backend: Backend,
        config: RelayConfig,
        clock: Clock,
        machine: SessionMachine,
        outbox: Outbox,
        on_new_session: Callable[[], None],
    ) -> None:
        self.backend = backend
        self.config = config
        self.clock = clock
        self.machine = machine
        self.outbox = outbox
        self.on_new_session = on_new_session
        self.conn: RealtimeConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._watchdog: StallWatchdog | None = None

    async def open(self) -> None:
        """Open the first upstream session and start reading it.

        Raises ``UpstreamError`` when the model cannot be reached or the settings
        cannot be sent (then the connection is closed again).
        """
        try:
            conn = await self._connect()
        except UpstreamError as exc:
            self.apply_now(self.machine.connect_failed(exc, self.clock.now_ms()))
            raise
        await self._open(conn)
        self._reader = asyncio.create_task(self._read_loop(), name="relay-reader")

    async def close(self) -> None:
        """Stop the reader and close the connection (each bounded by ``close_timeout_s``)."""
        reader, self._reader = self._reader, None
        if reader is not None and reader is not asyncio.current_task():
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                async with asyncio.timeout(self.config.close_timeout_s):
                    await reader
        await self._close_conn()

    def response_now_due(self) -> None:
        """The shell committed: bound the model's silence from now on."""
        if self._watchdog is not None:
            self._watchdog.arm_if_due()

    # --- carrying out steps ----------------------------------------------------------

    async def apply(self, step: Step) -> float | None:
        """Carry out one step (order: see ``Step``). Returns a reconnect due time (ms)."""
        reconnect_at_ms: float | None = None
        for action in step.actions:
            if type(action) is DropAudio:
                self.outbox.drop_audio(action.item_id)
        if step.send:
            await self.send_all(step.send)
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

    def apply_now(self, step: Step) -> None:
        """Carry out a step that needs no I/O (events and the end only)."""
        assert not step.send and not any(
            isinstance(a, CloseConnection | Reconnect) for a in step.actions
        ), step
        for relay_event in step.emit:
            self.outbox.put(relay_event)
        for action in step.actions:
            if isinstance(action, EndSession):
                self.outbox.put(SessionEnded(reason=action.reason))

    async def send_all(self, events: Sequence[pe.ClientEvent]) -> None:
        """Send on the current connection; nothing between reconnects.

        A send that fails on the live connection raises ``UpstreamError``; one that
        fails because the reader lost the connection meanwhile is dropped (the machine
        already failed the turn it belonged to).
        """
        conn = self.conn
        if conn is None:
            return
        try:
            for event in events:
                await conn.send(event)
        except UpstreamError:
            if self.conn is conn:
                raise

    # --- connections -----------------------------------------------------------------

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
        self.conn = conn
        for relay_event in step.emit:
            self.outbox.put(relay_event)

    async def _close_conn(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            await self._close(conn)

    async def _close(self, conn: RealtimeConnection) -> None:
        with contextlib.suppress(Exception):
            async with asyncio.timeout(self.config.close_timeout_s):
                await conn.close()

    # --- the reader ------------------------------------------------------------------

    async def _read_loop(self) -> None:
        """Read upstream until the session ends; reconnect when the machine says so."""
        try:
            conn = self.conn
            while conn is not None:
                reconnect_at_ms = await self.apply(await self._pump(conn))
                conn = None if reconnect_at_ms is None else await self._reconnect(reconnect_at_ms)
        except Exception:  # a bug must end the session visibly, not hang it
            log.exception("relay reader failed")
            # The exception stays in the log; the client reads words (no exception text).
            failure = UpstreamError(
                "the relay failed (a server error; see the server log)", code="relay_error"
            )
            with contextlib.suppress(Exception):
                await self.apply(self.machine.connection_lost(failure, self.clock.now_ms()))
            self.apply_now(self.machine.end("error", self.clock.now_ms()))

    async def _reconnect(self, at_ms: float | None) -> RealtimeConnection | None:
        """Sleep until each due time (on the clock) and connect; None once the machine gives up."""
        machine, now_ms = self.machine, self.clock.now_ms
        while at_ms is not None:
            await self.clock.sleep_until(at_ms)
            self.on_new_session()
            try:
                conn = await self._connect()
            except UpstreamError as exc:
                at_ms = await self.apply(machine.connect_failed(exc, now_ms()))
                continue
            try:
                await self._open(conn)
            except UpstreamError as exc:  # lost while sending the settings
                at_ms = await self.apply(machine.connection_lost(exc, now_ms()))
                continue
            return self.conn
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
                self.apply_now(machine.protocol_error(exc.message))
                events = aiter(conn) if _is_exhausted(events) else events
                continue
            step = machine.handle(event, now_ms())
            if machine.state is not OPEN:
                return step  # the event ended this connection (session cap) or the session
            if step.send or step.actions:
                try:
                    await self.apply(step)
                except UpstreamError as exc:
                    return machine.connection_lost(exc, now_ms())
            else:
                for relay_event in step.emit:
                    put(relay_event)
            seen()


def _is_exhausted(events: object) -> bool:
    # An async generator that raised is finished; a fresh iterator must be taken.
    return getattr(events, "ag_running", None) is False and getattr(events, "ag_frame", 1) is None
