"""Shared state of the API and one relay session as the API runs it.

:class:`ApiState` is everything the routes share: settings, the backend, metrics, the
store of recent sessions and the set of live sessions (closed on shutdown).
:class:`ApiSession` wraps one :class:`~workbench.relay.Relay` so every route records
the same things: each relay event updates the session record and the metrics, and
closing is bounded in time and safe from any task, cancelled or not.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import anyio

from workbench.app.api.metrics import ApiMetrics
from workbench.app.api.records import SessionRecord, SessionStore
from workbench.app.api.settings import ApiSettings
from workbench.backends.base import Backend
from workbench.errors import UpstreamError, WorkbenchError
from workbench.relay import Relay, RelayConfig, RelayEvent, SessionEnded

log = logging.getLogger(__name__)

#: Bound on the whole close (relay close + draining its last events), seconds.
_CLOSE_SLACK_S = 0.5


class ApiState:
    """What every route of one API app shares.

    Parameters
    ----------
    settings : ApiSettings
        Limits and timeouts.
    backend : Backend
        Opens the upstream sessions (the in-process mock, the SDK…).
    """

    def __init__(self, settings: ApiSettings, backend: Backend) -> None:
        self.settings = settings
        self.backend = backend
        self.metrics = ApiMetrics()
        self.sessions = SessionStore(settings.max_sessions_kept)
        self.live: set[ApiSession] = set()

    def relay_config(self, **changes: object) -> RelayConfig:
        """The relay settings of an API session: the API's timeouts plus ``changes``."""
        s = self.settings
        base = RelayConfig(
            chunk_ms=s.chunk_ms,
            resampler=s.resampler,
            connect_timeout_s=s.connect_timeout_s,
            response_timeout_s=s.response_timeout_s,
            close_timeout_s=s.close_timeout_s,
            max_input_duration_s=s.max_duration_s,
        )
        return base.with_changes(**changes)

    def open_session(self, kind: str, config: RelayConfig) -> ApiSession:
        """A new (not yet started) session with a record in the store."""
        return ApiSession(self, kind, config)

    async def aclose(self) -> None:
        """Close every live session (server shutdown); bounded by the close timeouts."""
        for session in list(self.live):
            await session.close("cancelled")


class ApiSession:
    """One relay session run by a route, recorded and counted.

    Attributes
    ----------
    id : str
        The session id (``X-Session-Id``, ``GET /sessions/{id}``).
    relay : Relay
        The current relay (a WebSocket may replace it before any audio, see ``restart``).
    record : SessionRecord
        What ``GET /sessions/{id}`` shows.
    """

    def __init__(self, state: ApiState, kind: str, config: RelayConfig) -> None:
        self.state = state
        self.kind = kind
        self.config = config
        self.record: SessionRecord = state.sessions.create(kind, state.backend.info.description)
        self.id = self.record.session_id
        self.relay = Relay(state.backend, config)
        self._events: AsyncIterator[RelayEvent] = aiter(self.relay)
        self._counted = False
        self._closed = False

    async def start(self) -> None:
        """Open the upstream session.

        Raises
        ------
        UpstreamError
            The model could not be reached (recorded; the session is closed).
        """
        self.state.live.add(self)
        self.state.metrics.session_started(self.kind)
        self._counted = True
        try:
            await self.relay.start()
        except WorkbenchError as exc:
            self.record.add_error(exc.code, exc.message, fatal=True)
            self.state.metrics.upstream_errors.labels(code=exc.code).inc()
            await self.close("failed")
            raise
        except Exception as exc:  # a backend bug must not leak a live session
            await self.close("failed")
            raise UpstreamError(
                f"could not open the upstream session: {type(exc).__name__}", code="upstream_error"
            ) from exc

    async def restart(self, config: RelayConfig) -> None:
        """Replace the relay by one with ``config`` (before any audio was sent)."""
        old = self.relay
        with contextlib.suppress(Exception):
            await old.close()
        self.config = config
        self.relay = Relay(self.state.backend, config)
        self._events = aiter(self.relay)
        await self.relay.start()

    async def next_event(self, timeout_s: float | None = None) -> RelayEvent:
        """The next relay event (recorded and counted before it is returned).

        Raises
        ------
        TimeoutError
            Nothing arrived within ``timeout_s`` (s).
        StopAsyncIteration
            The relay's events ended (after ``SessionEnded``).
        """
        async with asyncio.timeout(timeout_s):
            event = await anext(self._events)
        self.observe(event)
        return event

    def observe(self, event: RelayEvent) -> None:
        """Apply one relay event to the record and the metrics."""
        self.record.observe(event)
        self.state.metrics.observe(event)

    def input_received(self, n_bytes: int) -> None:
        """Count client audio bytes."""
        self.state.metrics.audio_received(n_bytes)

    def output_sent(self, n_bytes: int) -> None:
        """Count assistant audio bytes written to the client."""
        self.state.metrics.audio_sent(n_bytes)

    async def close(self, status: str) -> None:
        """Close the relay and finish the record with ``status`` (idempotent, bounded).

        Shielded from cancellation: a client that disconnects mid-reply cancels the
        route's task, and the upstream session must still be closed (within about
        ``close_timeout_s``), not leaked.
        """
        if self._closed:
            return
        self._closed = True
        budget_s = self.config.close_timeout_s * 2 + _CLOSE_SLACK_S
        with anyio.CancelScope(shield=True), anyio.move_on_after(budget_s):
            with contextlib.suppress(Exception):
                await self.relay.close()
            await self._drain()
        self.record.input_audio_ms = self.relay.input_ms_sent
        self.record.finish(status, self.relay.timeline)
        if self._counted:
            self.state.metrics.session_ended(self.kind)
            self._counted = False
        self.state.live.discard(self)
        log.info(
            "session %s (%s) ended: %s, %d error(s)",
            self.id,
            self.kind,
            status,
            self.record.error_count,
        )

    async def _drain(self) -> None:
        # After close() the relay's last events (failed turns, SessionEnded) sit in its
        # outbox; record them (get() does not wait while items are queued).
        outbox = self.relay.outbox
        while len(outbox):
            event = await outbox.get()
            self.observe(event)
            if isinstance(event, SessionEnded):
                return
