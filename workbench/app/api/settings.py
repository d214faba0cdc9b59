"""Limits and policies of the HTTP/WebSocket API (validated, immutable)."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from workbench.errors import ConfigError

MB = 1_000_000


@dataclass(frozen=True)
class ApiSettings:
    """What the API accepts and how long it waits.

    Parameters
    ----------
    max_upload_bytes : int
        Largest request body (bytes) on the upload routes. Checked against
        ``Content-Length`` before reading and counted while reading, so an oversized
        upload is refused early with 413 instead of being buffered. Default 50 MB.
    max_duration_s : float
        Longest input clip (s, decoded duration); longer → 413 ``too_long``. Default 300.
    max_field_bytes : int
        Largest text form field (``instructions``, ``voice``) in bytes.
    connect_timeout_s : float
        Bound on opening the upstream session (s); exceeded → 503.
    response_timeout_s : float
        Bound on upstream silence while a reply is due (s); before the first reply
        byte that is a 503, after it the body ends and the session records the error.
    close_timeout_s : float
        Bound on closing the upstream session (s).
    chunk_ms : float
        Default duration of each audio frame sent upstream (ms).
    resampler : str
        Resampling method for input audio (``workbench.audio.METHODS``).
    allowed_origins : tuple[str, ...]
        Extra ``Origin`` values (``"https://app.example"``) allowed on the WebSocket;
        the page's own host is always allowed, and ``("*",)`` allows any origin.
        Requests without an ``Origin`` header (non-browser clients) are allowed.
    cors_origins : tuple[str, ...]
        Origins for CORS on the HTTP routes; empty (default) leaves CORS off.
    max_sessions_kept : int
        How many finished sessions ``GET /sessions/{id}`` remembers (newest kept).
    ws_max_json_bytes : int
        Largest accepted text message on the WebSocket (bytes); larger → error event.
    ws_max_queued_messages, ws_max_queued_bytes : int
        Per-connection cap on input waiting to be processed; excess is dropped with a
        ``rate_limited`` error event (memory stays bounded under a flood).
    ws_settings_wait_ms : float
        How long a new WebSocket waits for a first ``settings`` message before it
        opens the upstream session with the query-string settings (ms).
    """

    max_upload_bytes: int = 50 * MB
    max_duration_s: float = 300.0
    max_field_bytes: int = 16 * 1024
    connect_timeout_s: float = 10.0
    response_timeout_s: float = 15.0
    close_timeout_s: float = 1.0
    chunk_ms: float = 40.0
    resampler: str = "soxr-hq"
    allowed_origins: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()
    max_sessions_kept: int = 200
    ws_max_json_bytes: int = 64 * 1024
    ws_max_queued_messages: int = 256
    ws_max_queued_bytes: int = 4 * 1024 * 1024
    ws_settings_wait_ms: float = 200.0

    def __post_init__(self) -> None:
        _positive_int("max_upload_bytes", self.max_upload_bytes)
        _positive_int("max_field_bytes", self.max_field_bytes)
        _positive_int("max_sessions_kept", self.max_sessions_kept)
        _positive_int("ws_max_json_bytes", self.ws_max_json_bytes)
        _positive_int("ws_max_queued_messages", self.ws_max_queued_messages)
        _positive_int("ws_max_queued_bytes", self.ws_max_queued_bytes)
        for name in (
            "max_duration_s",
            "connect_timeout_s",
            "response_timeout_s",
            "close_timeout_s",
            "chunk_ms",
        ):
            _positive_float(name, getattr(self, name))
        if not 0 <= self.ws_settings_wait_ms <= 10_000:
            raise ConfigError(
                f"ws_settings_wait_ms must be 0–10000, got {self.ws_settings_wait_ms}"
            )
        for name in ("allowed_origins", "cors_origins"):
            value = getattr(self, name)
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{name} must be a tuple of origin strings, got {value!r}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ApiSettings:
        """Settings from ``WORKBENCH_API_<FIELD>`` variables (``WORKBENCH_API_MAX_DURATION_S`` …).

        Tuple fields take comma-separated values. Unset variables keep the defaults.
        """
        env = os.environ if env is None else env
        changes: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"WORKBENCH_API_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            default = getattr(cls(), f.name)
            try:
                if isinstance(default, tuple):
                    changes[f.name] = tuple(v.strip() for v in raw.split(",") if v.strip())
                elif isinstance(default, int):
                    changes[f.name] = int(raw)
                elif isinstance(default, float):
                    changes[f.name] = float(raw)
                else:
                    changes[f.name] = raw
            except ValueError:
                raise ConfigError(
                    f"WORKBENCH_API_{f.name.upper()} must be a number, got {raw!r}"
                ) from None
        return replace(cls(), **changes)


def _positive_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{name} must be a positive integer, got {value!r}")


def _positive_float(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{name} must be a number, got {value!r}")
    if math.isnan(value) or value <= 0:
        raise ConfigError(f"{name} must be > 0, got {value!r}")
