"""The limits :mod:`workbench.app.server.timeouts` enforces, taken from the settings.

Kept apart from the protocol (no uvicorn import). The values and their ranges are
declared once, in :class:`~workbench.settings.ServerSettings` (``--header-timeout-s`` …,
``WORKBENCH_HEADER_TIMEOUT_S`` …); :meth:`ServerTimeouts.from_settings` hands them to
the protocol.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from workbench.errors import ConfigError
from workbench.settings import ServerSettings

_DEFAULTS = ServerSettings()


@dataclass(frozen=True)
class ServerTimeouts:
    """Connection limits enforced before the app sees a request (seconds, bytes).

    Every field but ``tick_s`` is the :class:`~workbench.settings.ServerSettings` field
    of the same name (its default, range and meaning).

    Parameters
    ----------
    header_timeout_s : float
        Longest time for a whole request head, from the connection's start or the
        first byte of a later request on it.
    body_window_s, min_body_bytes_per_s : float
        A request body must average at least ``min_body_bytes_per_s`` over every
        ``body_window_s`` while the server reads it.
    handshake_timeout_s : float
        Longest wait for the answer to a WebSocket upgrade request.
    max_request_line_bytes, max_header_line_bytes, max_header_count, max_head_bytes : int
        Request-head limits (414 / 431 beyond).
    client_stall_timeout_s : float
        A connection the server closed while its last bytes wait for a client that does
        not read them is aborted after this long.
    tick_s : float
        How often the watchdog checks the deadlines (an implementation detail).
    """

    header_timeout_s: float = _DEFAULTS.header_timeout_s
    body_window_s: float = _DEFAULTS.body_window_s
    min_body_bytes_per_s: float = _DEFAULTS.min_body_bytes_per_s
    handshake_timeout_s: float = _DEFAULTS.handshake_timeout_s
    max_request_line_bytes: int = _DEFAULTS.max_request_line_bytes
    max_header_line_bytes: int = _DEFAULTS.max_header_line_bytes
    max_header_count: int = _DEFAULTS.max_header_count
    max_head_bytes: int = _DEFAULTS.max_head_bytes
    client_stall_timeout_s: float = _DEFAULTS.client_stall_timeout_s
    tick_s: float = 0.5

    def __post_init__(self) -> None:
        shared = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        del shared["tick_s"]
        dataclasses.replace(_DEFAULTS, **shared)  # checks them against the settings' ranges
        if not isinstance(self.tick_s, int | float) or not self.tick_s > 0:
            raise ConfigError(f"tick_s must be a positive number of seconds, got {self.tick_s!r}")

    @classmethod
    def from_settings(cls, server: ServerSettings) -> ServerTimeouts:
        """The limits ``server`` sets."""
        names = [f.name for f in dataclasses.fields(cls) if f.name != "tick_s"]
        return cls(**{name: getattr(server, name) for name in names})
