"""What to do after the upstream connection is lost: reconnect when, or give up why.

Pure: the decision depends on the error's code and ``retryable`` flag, the settings
and how many reconnects the session already used; the due time is on the relay's
injected clock (ms), so tests run the backoff on virtual time.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.relay.config import RelayConfig

#: The upstream session hit its duration cap (the OpenAI service caps sessions).
SESSION_EXPIRED = "session_expired"


@dataclass(frozen=True, slots=True)
class LossDecision:
    """The outcome of one upstream loss.

    Attributes
    ----------
    reconnect_at_ms : float | None
        When to open the next upstream session (ms on the relay's clock); None: give up.
    end_reason : str | None
        ``SessionEnded.reason`` when giving up (``error`` or ``session_cap``).
    """

    reconnect_at_ms: float | None
    end_reason: str | None

    @property
    def gives_up(self) -> bool:
        """True when the session ends instead of reconnecting."""
        return self.reconnect_at_ms is None


class ReconnectPolicy:
    """Retryable losses reconnect with exponential backoff; the rest end the session.

    A session-cap loss (``session_expired``) that the settings mark retryable
    (``on_session_cap="rollover"``) reconnects at once and does not count against
    ``max_reconnects``; any other retryable loss waits ``reconnect_backoff_s · 2^k``
    (0.25, 0.5, 1.0 s … with the defaults) for the k-th reconnect, up to
    ``max_reconnects`` per session.

    Parameters
    ----------
    config : RelayConfig
        ``max_reconnects`` and ``reconnect_backoff_s`` (s).
    """

    def __init__(self, config: RelayConfig) -> None:
        self.max_reconnects = config.max_reconnects
        self.backoff_ms = config.reconnect_backoff_s * 1000.0
        self.reconnects = 0

    def after_loss(self, code: str, retryable: bool, now_ms: float) -> LossDecision:
        """Decide about a loss with error ``code`` at ``now_ms`` (ms).

        Returns
        -------
        LossDecision
            Reconnect at a due time, or give up with the session's end reason.
        """
        rollover = code == SESSION_EXPIRED
        if not retryable:
            return LossDecision(None, "session_cap" if rollover else "error")
        if rollover:
            return LossDecision(now_ms, None)
        if self.reconnects >= self.max_reconnects:
            return LossDecision(None, "error")
        delay_ms = self.backoff_ms * 2**self.reconnects
        self.reconnects += 1
        return LossDecision(now_ms + delay_ms, None)
