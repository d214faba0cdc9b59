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
import gc
import logging
import math
import os
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

from workbench.audio import trim_freed_memory
from workbench.backends.base import Backend
from workbench.backends.environment import BackendEnvironment
from workbench.clock import Clock, MonotonicClock
from workbench.relay import RelayConfig
from workbench.relay.settings_check import session_problems
from workbench.runtime.workers import BEAT_INTERVAL_S, WorkerBeat, WorkerContext
from workbench.service.backends import BackendResolver
from workbench.service.decode_slots import DecodeSlots
from workbench.service.end_reason import EndReason
from workbench.service.limits import (
    client_too_slow_message,
    idle_message,
    session_too_long_message,
    shutting_down,
    too_many_sessions,
)
from workbench.service.metrics import ServiceMetrics
from workbench.service.records import SessionStore
from workbench.service.relay_config import relay_config
from workbench.service.session import LiveSession
from workbench.settings import (
    Problem,
    RelaySettings,
    ServerSettings,
    SettingsError,
    from_env,
    spec_of,
)

log = logging.getLogger(__name__)

#: Longest pause between two checks of idle and over-long sessions (s).
_REAP_INTERVAL_S = 1.0
#: Shortest time between two heap trims while sessions come and go (s).
_TRIM_INTERVAL_S = 1.0
#: A trim runs this long after what was freed (s): by then the shell has dropped what
#: it held of it too (a response object, a decoder, a socket's buffers).
_TRIM_DELAY_S = 0.5


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
    wall_time_s : Callable[[], float]
        Wall-clock time (s since the epoch) for the demo tools (fixed in recordings).

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
        wall_time_s: Callable[[], float] = time.time,
    ) -> None:
        self.server = server if server is not None else ServerSettings()
        self.resolver = resolver if resolver is not None else BackendResolver()
        self.defaults = defaults if defaults is not None else RelaySettings()
        self.clock = clock if clock is not None else MonotonicClock()
        self.wall_time_s = wall_time_s
        self.store = SessionStore(self.server.max_sessions_kept)
        self.metrics = ServiceMetrics()
        self.decodes = DecodeSlots(self.server, self.metrics)
        self.live: dict[str, LiveSession] = {}
        #: Set in a worker of a ``--workers N`` server: ``/healthz`` then answers for all.
        self.worker: WorkerContext | None = None
        self._reaper: asyncio.Task[None] | None = None
        self._closed = False
        self._last_trim_s = -math.inf
        self._freed_since_trim = False
        self._trim_timer: asyncio.TimerHandle | None = None

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

    def check_settings(
        self,
        settings: RelaySettings,
        *,
        answers_tools: bool = False,
        backend: Backend | None = None,
    ) -> None:
        """Refuse what the backend's service would refuse, before any session opens.

        Parameters
        ----------
        settings : RelaySettings
            Values that passed their own ranges.
        answers_tools : bool
            Whether the shell answers function calls itself (``tools: client``).
        backend : Backend | None
            The backend ``settings`` select, if resolved already.

        Raises
        ------
        SettingsError
            Every problem at once: a voice the reference does not list, ``tools:
            client`` for a shell that cannot answer, …
        """
        problems: list[Problem] = []
        if settings.tools == "client" and not answers_tools:
            spec = spec_of(RelaySettings, "tools")
            problems.append(
                Problem(
                    "tools",
                    spec.display,
                    "client needs a shell that answers tool calls (the WebSocket API's "
                    "tool_output); use demo (the server answers) or none here",
                )
            )
        info = (backend or self.resolver.backend_for(settings)).info
        problems += session_problems(self.relay_config(settings), info.dialect, info.model)
        if problems:
            raise SettingsError(problems)

    def open(
        self,
        kind: str,
        settings: RelaySettings | None = None,
        *,
        manual_commit: bool = False,
        max_reconnects: int | None = None,
        answers_tools: bool = False,
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
        answers_tools : bool
            The shell answers function calls (the WebSocket); needed for ``tools: client``.

        Raises
        ------
        LimitError
            ``too_many_sessions`` (503, ``retry_after_s``); ``shutting_down`` (503) after
            :meth:`aclose`.
        SettingsError
            Settings the backend's service would refuse (see :meth:`check_settings`).
        """
        if self._closed:
            raise shutting_down()
        if len(self.live) >= self.server.max_sessions:
            self.metrics.rejected_request("too_many_sessions")
            raise too_many_sessions(self.server)
        chosen = settings if settings is not None else self.defaults
        backend = self.backend_for(chosen)
        self.check_settings(chosen, answers_tools=answers_tools, backend=backend)
        config = self.relay_config(
            chosen, manual_commit=manual_commit, max_reconnects=max_reconnects
        )
        session = LiveSession(self, kind, chosen, config, backend, answers_tools=answers_tools)
        self.live[session.id] = session
        self.metrics.session_started(kind)
        self._ensure_reaper()
        return session

    def backend_for(self, settings: RelaySettings) -> Backend:
        """The backend a session with ``settings`` gets (impaired on this service's clock)."""
        return self.resolver.backend_for(settings, clock=self.clock)

    def session_ended(self, session: LiveSession) -> None:
        """Bookkeeping once a session ended (called by the session, once)."""
        if self.live.pop(session.id, None) is not None:
            assert session.end_reason is not None
            self.metrics.session_ended(session.kind, session.end_reason)
        self.freed_memory()

    def freed_memory(self) -> None:
        """Something large was freed (a session ended, a request was refused): hand the
        freed heap back to the OS soon (``malloc_trim``; glibc keeps freed pages
        otherwise, docs/reliability.md).

        The trim runs :data:`_TRIM_DELAY_S` later, when the shell has let go of what it
        held too (a response, a decoder), and at most once per :data:`_TRIM_INTERVAL_S`;
        a refusal in between is trimmed by the next one, never skipped.
        """
        self._freed_since_trim = True
        if self._trim_timer is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._trim_now()
            return
        due_s = max(_TRIM_DELAY_S, self._last_trim_s + _TRIM_INTERVAL_S - time.monotonic())
        self._trim_timer = loop.call_later(due_s, self._trim_now)

    def _trim_now(self) -> None:
        self._trim_timer = None
        if not self._freed_since_trim:
            return
        self._freed_since_trim = False
        self._last_trim_s = time.monotonic()
        if not self.live:
            # Nothing live to pause: free what waits in reference cycles first (the
            # server's GC policy makes full passes rare; measured: 20 refused bombs left
            # ~60 MB in cycles), then return the freed pages.
            gc.collect()
        trim_freed_memory()

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
        interval_ms = 1000.0 * min(
            _REAP_INTERVAL_S,
            s.idle_timeout_s / 4,
            s.max_session_s / 4,
            s.client_stall_timeout_s / 4,
        )
        while self.live:
            await self.clock.sleep_until(self.clock.now_ms() + interval_ms)
            await self.reap()
        self._reaper = None

    async def reap(self) -> None:
        """End every session older than ``max_session_s``, whose client does not read its
        reply (``max_queued_reply_s`` queued, or ``client_stall_timeout_s`` behind taking
        it at half real time: ``client_too_slow``, reason limit), or idle for
        ``idle_timeout_s``."""
        now_ms = self.clock.now_ms()
        s = self.server
        for session in list(self.live.values()):
            outbox = session.relay.outbox
            if now_ms - session.started_ms > s.max_session_s * 1000.0:
                await session.expire(
                    EndReason.LIMIT, "session_too_long", session_too_long_message(s)
                )
            elif outbox.overflowed or outbox.behind_ms(now_ms) > s.client_stall_timeout_s * 1000:
                # The client does not read its reply: end the session (and its paid
                # upstream session) instead of queueing for it; the shell stuck writing
                # to the client gives up when the session ends (wait_ended).
                stalled = not outbox.overflowed
                self.metrics.client_too_slow.labels(rule="stall" if stalled else "queue").inc()
                outbox.discard_audio()
                await session.expire(
                    EndReason.LIMIT,
                    "client_too_slow",
                    client_too_slow_message(s, stalled=stalled),
                )
            elif now_ms - session.last_activity_ms > s.idle_timeout_s * 1000.0:
                await session.expire(EndReason.IDLE, "idle_timeout", idle_message(s))

    async def aclose(self) -> None:
        """End every live session (reason ``shutdown``) and stop the reaper."""
        self._closed = True
        if self._trim_timer is not None:
            self._trim_timer.cancel()
            self._trim_timer = None
        reaper, self._reaper = self._reaper, None
        if reaper is not None:
            reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reaper
        for session in list(self.live.values()):
            await session.expire(EndReason.SHUTDOWN, "shutdown", "the server is shutting down")
