"""What the mock's ``replay`` behaviour serves: recorded server frames keyed to client events.

Plain data with no dependencies inside ``workbench.mock``, so ``MockConfig`` can hold
a script without an import cycle. The fixtures layer (:mod:`workbench.fixtures.replay`)
builds one from a recorded session; :class:`~workbench.mock.replay.ReplayModel` plays it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReplayRelease:
    """One recorded server frame and when to send it after its trigger.

    Attributes
    ----------
    delay_ms : float
        Recorded gap (ms) between the triggering client event (or the session start)
        and this frame, already divided by the replay speed.
    wire_text : str
        The server event as JSON text, in the session's dialect, exactly as recorded.
    """

    delay_ms: float
    wire_text: str


@dataclass(frozen=True, slots=True)
class ReplayTrigger:
    """The ``occurrence``-th (0-based) client event of wire type ``event_type``."""

    event_type: str
    occurrence: int


@dataclass(frozen=True, slots=True)
class ReplayStep:
    """The frames released by one trigger (``None``: released when the session starts)."""

    trigger: ReplayTrigger | None
    releases: tuple[ReplayRelease, ...]


@dataclass(frozen=True, slots=True)
class ReplayScript:
    """A whole recorded session as release steps (at most one step per trigger)."""

    steps: tuple[ReplayStep, ...]
    description: str = "recorded session"
