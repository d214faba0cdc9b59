"""The typed error hierarchy of the workbench.

Every error a library caller can see derives from :class:`WorkbenchError`; shells map
them to HTTP status codes or visible UI messages (see ``http_status``). Messages say
what was wrong and, where it helps, what to do about it.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base class of every error the workbench raises on purpose.

    Attributes
    ----------
    code : str
        A short machine-readable identifier (``"empty_input"``, ``"too_long"`` …).
    http_status : int
        The HTTP status a shell should answer with when this error happens before
        streaming has started.
    """

    code: str = "workbench_error"
    http_status: int = 500

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def to_dict(self) -> dict[str, str]:
        """The error as a JSON-ready ``{"code", "message"}`` mapping (no secrets)."""
        return {"code": self.code, "message": self.message}


class AudioError(WorkbenchError):
    """Audio that cannot be used (wrong shape, wrong rate, bad parameters)."""

    code = "bad_audio"
    http_status = 422


class AudioDecodeError(AudioError):
    """Encoded audio that cannot be decoded: empty, not audio, corrupt, no audio track.

    ``code`` is one of ``empty_input``, ``not_audio``, ``corrupt``, ``no_audio_track``,
    ``too_long``, ``too_large``.
    """

    code = "undecodable_audio"
    http_status = 415

    def __init__(self, message: str, *, code: str = "undecodable_audio") -> None:
        super().__init__(message, code=code)
        if code in ("too_long", "too_large"):
            self.http_status = 413
        elif code in ("empty_input", "corrupt", "no_audio_track"):
            self.http_status = 422


class ConfigError(WorkbenchError):
    """A setting with an invalid value (names the setting and the accepted range)."""

    code = "bad_config"
    http_status = 422


class ProtocolError(WorkbenchError):
    """A realtime-protocol message that is not valid JSON or has a wrong field type."""

    code = "protocol_error"
    http_status = 502


class UpstreamError(WorkbenchError):
    """The realtime model (or the mock) failed: refused, closed, stalled or errored.

    ``retryable`` says whether reconnecting can help (a dropped socket, a rate limit)
    or not (bad key, invalid request).
    """

    code = "upstream_error"
    http_status = 502

    def __init__(self, message: str, *, code: str = "upstream_error", retryable: bool = False):
        super().__init__(message, code=code)
        self.retryable = retryable
        if code in ("rate_limit_exceeded", "upstream_unreachable", "upstream_timeout"):
            self.http_status = 503


class SessionClosedError(WorkbenchError):
    """An operation on a relay session that has already ended."""

    code = "session_closed"
    http_status = 409


class FixtureError(WorkbenchError):
    """A session fixture file that does not follow the JSONL format in DESIGN.md."""

    code = "bad_fixture"
    http_status = 422


class LimitError(WorkbenchError):
    """A server limit refused the request or ended the session.

    ``code`` names the limit (``too_many_sessions``, ``too_long``, ``too_large``,
    ``session_too_long``); ``http_status`` is 503 for capacity (with ``retry_after_s``
    for a ``Retry-After`` header) and 413 for input that is too big.
    """

    code = "limit"
    http_status = 503

    def __init__(
        self,
        message: str,
        *,
        code: str,
        http_status: int = 503,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.http_status = http_status
        self.retry_after_s = retry_after_s
