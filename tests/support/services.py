"""Session services for tests: limits and defaults by keyword, a fixed backend."""

from __future__ import annotations

from typing import Any

from workbench.backends.base import Backend
from workbench.clock import Clock
from workbench.service import BackendResolver, SessionService
from workbench.settings import RelaySettings, ServerSettings, specs

_SERVER = {s.name for s in specs(ServerSettings)}
_RELAY = {s.name for s in specs(RelaySettings)}


def make_service(
    backend: Backend, *, clock: Clock | None = None, **settings: Any
) -> SessionService:
    """A service whose sessions all use ``backend``.

    ``settings`` are :class:`ServerSettings` limits (``max_upload_bytes=…``) and
    :class:`RelaySettings` defaults (``chunk_ms=…``), by name.
    """
    unknown = sorted(set(settings) - _SERVER - _RELAY)
    if unknown:
        raise TypeError(f"not a setting: {', '.join(unknown)}")
    server = ServerSettings(**{k: v for k, v in settings.items() if k in _SERVER})
    defaults = RelaySettings(**{k: v for k, v in settings.items() if k in _RELAY})
    return SessionService(server, BackendResolver.of(backend), defaults=defaults, clock=clock)
