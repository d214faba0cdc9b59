"""Where a client's end of speech reached the relay: when each stretch of input arrived.

A client that reports a turn's audio (``turn_report``) says where its end of speech is
in the input it sent (ms of audio since its first input); the session looks up when
that input arrived. The difference to the end of speech itself is the uplink part of
voice-to-voice latency. Pure bookkeeping, bounded in memory.
"""

from __future__ import annotations

import bisect
from collections import deque

import numpy as np

from workbench.errors import WorkbenchError

#: Input arrivals remembered to place a client's end of speech (one per feed call:
#: at 20 ms frames, the last ~80 s of input; a turn report comes within seconds).
INPUT_LOG_ENTRIES = 4096


class UnknownResponseError(WorkbenchError):
    """A turn report names a response this session does not know (or forgot)."""

    code = "unknown_response"
    http_status = 404


class InputArrivals:
    """When the relay received each stretch of a session's input (bounded).

    Positions are ms of input audio since the session's first input, at the input's
    own rate (what a client counts as it sends); times are ms on the relay's clock.
    """

    def __init__(self, max_entries: int = INPUT_LOG_ENTRIES) -> None:
        self.position_ms = 0.0
        self._ends: deque[float] = deque(maxlen=max_entries)
        self._times: deque[float] = deque(maxlen=max_entries)
        self._forgotten_until_ms = 0.0

    def received(self, duration_ms: float, now_ms: float) -> None:
        """``duration_ms`` more input arrived at ``now_ms``."""
        if len(self._ends) == self._ends.maxlen:
            self._forgotten_until_ms = self._ends[0]
        self.position_ms += duration_ms
        self._ends.append(self.position_ms)
        self._times.append(now_ms)

    def arrival_ms(self, position_ms: float) -> float | None:
        """When the input holding ``position_ms`` arrived (None: not yet, or forgotten)."""
        ends = self._ends
        if not ends or position_ms > ends[-1] or position_ms <= self._forgotten_until_ms:
            return None
        return self._times[bisect.bisect_left(ends, position_ms)]


def frame_count(samples: np.ndarray) -> int:
    """Frames in ``samples`` of shape (n,), (n, ch) or (ch, n): the longer axis, as
    ``decode_audio`` reads arrays."""
    return int(samples.shape[0] if samples.ndim == 1 else max(samples.shape, default=0))
