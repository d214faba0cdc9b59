"""The one interface every realtime backend implements.

``Backend.connect()`` opens an upstream session and returns a
``RealtimeConnection``: send typed client events, async-iterate typed server events,
close. Iteration ends when the upstream closes cleanly; an abnormal end raises
:class:`~workbench.errors.UpstreamError` (``retryable`` tells whether reconnecting
can help).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

from workbench.protocol.dialects import Dialect
from workbench.protocol.events import ClientEvent, ServerEvent


@dataclass(frozen=True)
class BackendInfo:
    """What a backend is, fit to show a user: never a key or a secret URL parameter.

    ``kind`` is ``mock`` (in-process), ``mock-server`` (the WebSocket mock through the
    SDK), ``openai`` or ``azure``.
    """

    kind: str
    description: str
    is_mock: bool
    dialect: Dialect
    model: str


class RealtimeConnection(Protocol):
    """One open upstream realtime session."""

    @property
    def dialect(self) -> Dialect:
        """The protocol dialect this connection speaks."""
        ...

    async def send(self, event: ClientEvent) -> None:
        """Send one client event. Raises UpstreamError if the connection is gone."""
        ...

    def __aiter__(self) -> AsyncIterator[ServerEvent]:
        """Server events in arrival order; ends on clean close."""
        ...

    async def close(self) -> None:
        """Close the upstream session (idempotent, bounded in time)."""
        ...


class Backend(Protocol):
    """A factory of upstream realtime sessions."""

    @property
    def info(self) -> BackendInfo:
        """What this backend is (safe to show)."""
        ...

    async def connect(self) -> RealtimeConnection:
        """Open a session. Raises UpstreamError (code ``upstream_unreachable`` …)."""
        ...
