"""Stall detection for the relay's reader: cancel it when upstream stays silent too long.

``asyncio.timeout()`` around every read costs about 5.6 µs per upstream event on this
machine (a ``Timeout`` object plus a timer handle armed and cancelled each time),
several percent of a live session's CPU per audio frame. asyncio has no cheap
resettable deadline, so this small class keeps *one* timer per silence instead: each
event only stores the loop time, and the timer, when it fires early, re-arms itself at
the new deadline. Expiry works like ``asyncio.timeout``: the task is cancelled and
the cancellation is recognised (``uncancel``) where the task catches it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class StallWatchdog:
    """Cancels the current task after ``timeout_s()`` seconds without :meth:`seen`.

    The bound applies only while ``timeout_s()`` returns a number (a response is due);
    while it returns None no timer runs. Create it inside the task to guard, and call
    :meth:`stop` when done (``try``/``finally``).

    Parameters
    ----------
    timeout_s : Callable[[], float | None]
        The current bound (s), or None when silence is fine.
    """

    def __init__(self, timeout_s: Callable[[], float | None]) -> None:
        self._loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        if task is None:
            raise RuntimeError("StallWatchdog must be created inside a task")
        self._task = task
        self._timeout_s = timeout_s
        self._cancelling = task.cancelling()
        self._last_t = self._loop.time()
        self._handle: asyncio.TimerHandle | None = None
        self.fired = False
        self.arm_if_due()

    def seen(self) -> None:
        """An upstream event arrived: the silence starts again now."""
        self._last_t = self._loop.time()
        if self._handle is None:
            self.arm_if_due()

    def arm_if_due(self) -> None:
        """Start the silence bound now if a response is due and no timer runs yet."""
        if self._handle is not None or self.fired:
            return
        timeout_s = self._timeout_s()
        if timeout_s is not None:
            self._last_t = self._loop.time()
            self._handle = self._loop.call_at(self._last_t + timeout_s, self._check)

    def expired(self) -> bool:
        """After the task caught ``CancelledError``: True if this watchdog caused it.

        Consumes the cancellation (``Task.uncancel``) in that case, as ``asyncio.timeout``
        does; a cancellation from elsewhere (the relay closing) returns False.
        """
        return self.fired and self._task.uncancel() <= self._cancelling

    def stop(self) -> None:
        """Cancel the timer (idempotent)."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _check(self) -> None:
        self._handle = None
        timeout_s = self._timeout_s()
        if timeout_s is None:
            return  # nothing is due any more; seen()/arm_if_due() start the next bound
        deadline = self._last_t + timeout_s
        if self._loop.time() < deadline:
            self._handle = self._loop.call_at(deadline, self._check)
            return
        self.fired = True
        self._task.cancel()
