"""The limits :mod:`workbench.app.server.timeouts` enforces, and their CLI options.

Kept apart from the protocol (no uvicorn import) so the command line can offer the
options without loading the server, and so the settings source can take them over.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from workbench.errors import ConfigError


@dataclass(frozen=True)
class ServerTimeouts:
    """Connection limits enforced before the app sees a request (seconds, bytes).

    Parameters
    ----------
    header_timeout_s : float
        Longest time for a whole request head, from the connection's start or the
        first byte of a later request on it.
    body_window_s, min_body_bytes_per_s : float
        A request body must average at least ``min_body_bytes_per_s`` over every
        ``body_window_s`` while the server reads it; a stalled body is refused within
        about one window.
    handshake_timeout_s : float
        Longest wait for the answer to a WebSocket upgrade request.
    max_request_line_bytes, max_header_line_bytes : int
        Longest request line (414 beyond) and header line (431 beyond).
    max_header_count : int
        Most header lines (431 beyond).
    max_head_bytes : int
        Largest request head in all (431 beyond).
    tick_s : float
        How often the watchdog checks the deadlines.
    """

    header_timeout_s: float = 10.0
    body_window_s: float = 10.0
    min_body_bytes_per_s: float = 256.0
    handshake_timeout_s: float = 10.0
    max_request_line_bytes: int = 8190
    max_header_line_bytes: int = 8190
    max_header_count: int = 100
    max_head_bytes: int = 64 * 1024
    tick_s: float = 0.5

    def __post_init__(self) -> None:
        for name in ("header_timeout_s", "body_window_s", "handshake_timeout_s", "tick_s"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not value > 0:
                raise ConfigError(f"{name} must be a positive number of seconds, got {value!r}")
        if not self.min_body_bytes_per_s >= 0:
            raise ConfigError(
                f"min_body_bytes_per_s must be >= 0, got {self.min_body_bytes_per_s!r}"
            )
        for name in (
            "max_request_line_bytes",
            "max_header_line_bytes",
            "max_header_count",
            "max_head_bytes",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ConfigError(f"{name} must be a positive integer, got {value!r}")


def add_timeout_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--header-timeout-s``, ``--body-window-s``, ``--min-body-bytes-per-s`` and
    ``--handshake-timeout-s`` (defaults from :class:`ServerTimeouts`)."""
    defaults = ServerTimeouts()
    group = parser.add_argument_group("connection timeouts (before the app sees a request)")
    group.add_argument(
        "--header-timeout-s",
        type=float,
        default=defaults.header_timeout_s,
        help="a request head must arrive within this (s); else 408 and close",
    )
    group.add_argument(
        "--body-window-s",
        type=float,
        default=defaults.body_window_s,
        help="a request body must keep the minimum rate over every window this long (s)",
    )
    group.add_argument(
        "--min-body-bytes-per-s",
        type=float,
        default=defaults.min_body_bytes_per_s,
        help="slowest accepted upload (bytes/s, averaged over the window); else 408",
    )
    group.add_argument(
        "--handshake-timeout-s",
        type=float,
        default=defaults.handshake_timeout_s,
        help="a WebSocket upgrade must be answered within this (s)",
    )


def timeouts_from_args(args: argparse.Namespace) -> ServerTimeouts:
    """The :class:`ServerTimeouts` that :func:`add_timeout_arguments` options describe."""
    return ServerTimeouts(
        header_timeout_s=args.header_timeout_s,
        body_window_s=args.body_window_s,
        min_body_bytes_per_s=args.min_body_bytes_per_s,
        handshake_timeout_s=args.handshake_timeout_s,
    )
