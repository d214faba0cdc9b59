"""The session service: the one owner of every live session of every shell.

The Talk and File tabs, both upload routes, the WebSocket and the CLI open their
sessions here. One place therefore builds each relay from validated settings, applies
the server's limits (concurrent sessions, input per turn, upload size, idle time,
session length), keeps the records that ``GET /sessions`` shows, feeds ``/healthz`` and
``/metrics``, and ends sessions with one vocabulary of reasons.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from workbench.backends.environment import BackendEnvironment
from workbench.clock import Clock, MonotonicClock
from workbench.relay import RelayConfig
from workbench.runtime.workers import BEAT_INTERVAL_S, WorkerBeat, WorkerContext
from workbench.service.backends import BackendResolver
from workbench.service.end_reason import EndReason
from workbench.service.limits import (
    idle_message,
    session_too_long_message,
    shutting_down,
    too_many_sessions,
)
from workbench.service.metrics import ServiceMetrics
from workbench.service.records import SessionStore
from workbench.service.relay_config import relay_config
from workbench.service.session import LiveSession
from workbench.settings import RelaySettings, ServerSettings, from_env

log = logging.getLogger(__name__)

#: Longest pause between two checks of idle and over-long sessions (s).
_REAP_INTERVAL_S = 1.0


class SessionService:
    """Opens, limits, records and ends sessions.

    Parameters
    ----------
    server : ServerSettings
        Limits and timeouts for every session.
    resolver : BackendResolver
        Which backend a session's settings select.
    defaults : RelaySettings
        What a session uses when a shell does not say otherwise.
    clock : Clock | None
        Time base of the relays and of the idle/length limits (``VirtualClock`` in tests).

    Use it as an async context manager, or call :meth:`aclose` on shutdown: that ends
    every live session and stops the reaper of idle sessions.
    """

    def __init__(
        self,
        server: ServerSettings | None = None,
        resolver: BackendResolver | None = None,
        *,
        defaults: RelaySettings | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.server = server if server is not None else ServerSettings()
        self.resolver = resolver if resolver is not None else BackendResolver()
        self.defaults = defaults if defaults is not None else RelaySettings()
        self.clock = clock if clock is not None else MonotonicClock()
        self.store = SessionStore(self.server.max_sessions_kept)
        self.metrics = ServiceMetrics()
        self.live: dict[str, LiveSession] = {}
        #: Set in a worker of a ``--workers N`` server: ``/healthz`` then answers for all.
        self.worker: WorkerContext | None = None
        self._reaper: asyncio.Task[None] | None = None
        self._closed = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SessionService:
        """A service configured from ``env`` (default ``os.environ``).

        The backend from ``OPENAI_API_KEY`` / ``AZURE_OPENAI_*`` / ``WORKBENCH_BACKEND``
        (the built-in mock when no key is set), limits from ``WORKBENCH_<LIMIT>`` and
        session defaults from ``WORKBENCH_<SETTING>``.
        """
        environ = os.environ if env is None else env
        server = from_env(ServerSettings, environ)
        resolver = BackendResolver(
            env=BackendEnvironment.from_env(environ), connect_timeout_s=server.connect_timeout_s
        )
        return cls(server, resolver, defaults=from_env(RelaySettings, environ))

    async def __aenter__(self) -> SessionService:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    # --- sessions ------------------------------------------------------------------------

    def relay_config(
        self,
        settings: RelaySettings,
        *,
        manual_commit: bool = False,
        max_reconnects: int | None = None,
    ) -> RelayConfig:
        """The relay configuration a session with ``settings`` gets on this server."""
        return relay_config(
            settings, self.server, manual_commit=manual_commit, max_reconnects=max_reconnects
        )

    def open(
        self,
        kind: str,
        settings: RelaySettings | None = None,
        *,
        manual_commit: bool = False,
        max_reconnects: int | None = None,
    ) -> LiveSession:
        """A new session (counted and recorded; upstream not opened yet: ``start()``).

        Parameters
        ----------
        kind : str
            The shell (``upload``, ``upload_stream``, ``websocket``, ``talk``, ``file``,
            ``cli``); a label in the records and metrics.
        settings : RelaySettings | None
            The session's choices (default: the service's defaults).
        manual_commit : bool
            Turn detection off (one clip, one commit).
        max_reconnects : int | None
            Override the relay's reconnect budget (0 for one-shot HTTP replies).

        Raises
        ------
        LimitError
            ``too_many_sessions`` (503, ``retry_after_s``); ``shutting_down`` (503) after
            :meth:`aclose`.
        """
        if self._closed:
            raise shutting_down()
        if len(self.live) >= self.server.max_sessions:
            self.metrics.rejected_request("too_many_sessions")
            raise too_many_sessions(self.server)
        chosen = settings if settings is not None else self.defaults
        config = self.relay_config(
            chosen, manual_commit=manual_commit, max_reconnects=max_reconnects
        )
        session = LiveSession(self, kind, chosen, config, self.resolver.backend_for(chosen))
        self.live[session.id] = session
        self.metrics.session_started(kind)
        self._ensure_reaper()
        return session

    def session_ended(self, session: LiveSession) -> None:
        """Bookkeeping once a session ended (called by the session, once)."""
        if self.live.pop(session.id, None) is not None:
            assert session.end_reason is not None
            self.metrics.session_ended(session.kind, session.end_reason)

    def get(self, session_id: str) -> LiveSession | None:
        """The live session ``session_id`` (None if unknown or ended)."""
        return self.live.get(session_id)

    # --- health --------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """What ``/healthz`` reports: the backend and the live sessions by shell.

        In a worker of a ``--workers N`` server: of every worker (sessions summed over
        live workers, each worker listed; ``degraded`` while one is down), see
        :meth:`~workbench.runtime.workers.WorkerBoard.cluster_health`.
        """
        own = self.local_health()
        if self.worker is None:
            return own
        return self.worker.board.cluster_health(own, self.worker.index)

    async def heartbeat(self) -> None:
        """A worker's heartbeat: its own health into the run directory, every second."""
        worker = self.worker
        if worker is None:
            return
        pid = os.getpid()
        while True:
            beat = WorkerBeat(worker.index, pid, time.time(), self.local_health())
            worker.board.write_beat(beat)
            await asyncio.sleep(BEAT_INTERVAL_S)

    def local_health(self) -> dict[str, Any]:
        """This process's health alone (what :meth:`health` reports with one process)."""
        info = self.resolver.backend_for(self.defaults).info
        by_kind: dict[str, int] = {}
        for session in self.live.values():
            by_kind[session.kind] = by_kind.get(session.kind, 0) + 1
        return {
            "status": "ok",
            "backend": {
                "kind": info.kind,
                "description": info.description,
                "is_mock": info.is_mock,
                "dialect": info.dialect.value,
            },
            "active_sessions": len(self.live),
            "active_sessions_by_kind": by_kind,
            "max_sessions": self.server.max_sessions,
        }

    # --- limits over time ----------------------------------------------------------------

    def _ensure_reaper(self) -> None:
        if self._reaper is not None or self._closed:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop yet: the first session opened inside one starts it
        self._reaper = loop.create_task(self._reap_loop(), name="session-reaper")

    async def _reap_loop(self) -> None:
        s = self.server
        interval_ms = 1000.0 * min(_REAP_INTERVAL_S, s.idle_timeout_s / 4, s.max_session_s / 4)
        while self.live:
            await self.clock.sleep_until(self.clock.now_ms() + interval_ms)
            await self.reap()
        self._reaper = None

    async def reap(self) -> None:
        """End every session idle for ``idle_timeout_s`` or older than ``max_session_s``."""
        now_ms = self.clock.now_ms()
        s = self.server
        for session in list(self.live.values()):
            if now_ms - session.started_ms > s.max_session_s * 1000.0:
                await session.expire(
                    EndReason.LIMIT, "session_too_long", session_too_long_message(s)
                )
            elif now_ms - session.last_activity_ms > s.idle_timeout_s * 1000.0:
                await session.expire(EndReason.IDLE, "idle_timeout", idle_message(s))

    async def aclose(self) -> None:
        """End every live session (reason ``shutdown``) and stop the reaper."""
        self._closed = True
        reaper, self._reaper = self._reaper, None
        if reaper is not None:
            reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reaper
        for session in list(self.live.values()):
            await session.expire(EndReason.SHUTDOWN, "shutdown", "the server is shutting down")
