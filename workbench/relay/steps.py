"""What the session machine tells its I/O loop: lifecycle states, actions and steps.

Plain values, no behaviour: :class:`~workbench.relay.machine.SessionMachine` returns a
:class:`Step` for every input, and :class:`~workbench.relay.link.UpstreamLink` carries
it out (see ``Step`` for the order).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from workbench.protocol import events as pe
from workbench.relay.events import RelayEvent


class State(enum.IntEnum):
    """Lifecycle of a relay session (ordered: a session only moves forward, except
    that a lost connection goes from OPEN back to CONNECTING while it reconnects)."""

    CONNECTING = 0  #: no upstream session: not started yet, connecting, or between reconnects
    OPEN = 1  #: an upstream session is open and configured
    CLOSING = 2  #: the shell asked to close; upstream is being torn down
    CLOSED = 3  #: ``SessionEnded`` was emitted; nothing follows


# Module constants, as websockets.protocol has them: a ``State.OPEN`` lookup costs
# ~0.2 µs, and the hot paths check the state once per audio frame.
CONNECTING: Final = State.CONNECTING
OPEN: Final = State.OPEN
CLOSING: Final = State.CLOSING
CLOSED: Final = State.CLOSED


@dataclass(frozen=True, slots=True)
class DropAudio:
    """Remove queued ``AudioOut`` of ``item_id`` the shell has not taken yet (barge-in)."""

    item_id: str


@dataclass(frozen=True, slots=True)
class CloseConnection:
    """Close the current upstream connection (bounded by ``close_timeout_s``)."""


@dataclass(frozen=True, slots=True)
class Reconnect:
    """Open a new upstream session at ``at_ms`` (ms on the relay's clock).

    The input pipeline's buffered audio belongs to the lost session and is discarded.
    """

    at_ms: float


@dataclass(frozen=True, slots=True)
class EndSession:
    """The session is over: emit ``SessionEnded(reason)`` last and stop reading."""

    reason: str


Action = DropAudio | CloseConnection | Reconnect | EndSession


@dataclass(frozen=True, slots=True)
class Step:
    """What the I/O loop must do after one input to the machine.

    Applied in this order: ``DropAudio`` actions, ``send`` (in order), ``emit`` (in
    order), then ``CloseConnection``, then ``EndSession`` or ``Reconnect``.
    """

    emit: tuple[RelayEvent, ...] = ()
    send: tuple[pe.ClientEvent, ...] = ()
    actions: tuple[Action, ...] = ()


#: The step of an input that changes nothing outside the machine (shared, not copied).
NOTHING: Final = Step()
