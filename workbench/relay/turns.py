"""Turn bookkeeping of one session: which turn collects input, which await a response.

A turn starts with the user's first audio (or a VAD speech start), waits for a
response once the user's input ends (commit or VAD speech stop), is paired with the
model's ``response.created``, and ends exactly once with a ``TurnDone``. A response that
calls tools does not end its turn: the turn waits for the tools' outputs (the model
owes nothing meanwhile), then for the response that follows them. Pure and
synchronous; times are ms on the relay's clock.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

from workbench.relay.events import TurnDone
from workbench.relay.timeline import SessionTimeline, TurnTimeline

#: Finished responses remembered for late playout reports and duplicate events. A
#: session can last an hour of turns; the shell reports playout only for the last few.
KEEP_FINISHED = 4


class TurnBook:
    """The turns of one session and the responses they are waiting for.

    Attributes
    ----------
    timeline : SessionTimeline
        Every turn of the session, in order (the relay's ``timeline``).
    awaiting : deque[TurnTimeline]
        Turns whose input ended, oldest first, not yet paired with a response.
    in_flight : dict[str, TurnTimeline]
        Response id → turn, for responses created and not yet done.
    tool_wait : dict[str, TurnTimeline]
        Response id → turn, for responses that called tools whose outputs are not sent.
    """

    def __init__(self, keep_finished: int = KEEP_FINISHED) -> None:
        self.timeline = SessionTimeline()
        self.awaiting: deque[TurnTimeline] = deque()
        self.in_flight: dict[str, TurnTimeline] = {}
        self.tool_wait: dict[str, TurnTimeline] = {}
        self._open: TurnTimeline | None = None
        self._finished: dict[str, TurnTimeline] = {}
        self._keep = keep_finished

    @property
    def response_due(self) -> bool:
        """Whether the model owes the session a response (created or not yet)."""
        return bool(self.awaiting) or bool(self.in_flight)

    @property
    def responses(self) -> Mapping[str, TurnTimeline]:
        """Response id → turn: in-flight and the last few finished (a snapshot)."""
        return {**self._finished, **self.in_flight}

    def input_turn(self) -> TurnTimeline:
        """The turn collecting user input now (started lazily)."""
        turn = self._open
        if turn is None:
            turn = self._open = self.timeline.new_turn()
        return turn

    def end_input(self) -> TurnTimeline:
        """The user's input ended (commit or VAD stop): the input turn awaits a response."""
        turn = self.input_turn()
        self._open = None
        if turn not in self.awaiting:
            self.awaiting.append(turn)
        return turn

    def abandon_input(self) -> TurnTimeline | None:
        """Forget the turn collecting input (its audio went to a connection now gone)."""
        turn, self._open = self._open, None
        return turn

    def response_created(self, response_id: str, now_ms: float) -> TurnTimeline:
        """Pair a new response with the oldest awaiting turn (or a new turn)."""
        turn = self.awaiting.popleft() if self.awaiting else self.timeline.new_turn()
        turn.mark("response_created", now_ms)
        self.in_flight[response_id] = turn
        return turn

    def turn_of(self, response_id: str) -> TurnTimeline | None:
        """The turn of a response that is in flight, waiting for tools or recently finished."""
        turn = self.in_flight.get(response_id) or self.tool_wait.get(response_id)
        return turn if turn is not None else self._finished.get(response_id)

    def wait_for_tools(self, response_id: str) -> TurnTimeline | None:
        """Response ``response_id`` ended with tool calls: its turn waits for their outputs."""
        turn = self.in_flight.pop(response_id, None)
        if turn is not None:
            self.tool_wait[response_id] = turn
        return turn

    def tools_answered(self, response_id: str) -> TurnTimeline | None:
        """The outputs went upstream with a ``response.create``: the turn awaits that response."""
        turn = self.tool_wait.pop(response_id, None)
        if turn is not None and turn not in self.awaiting:
            self.awaiting.append(turn)
        return turn

    def finish(
        self, turn: TurnTimeline, status: str, response_id: str | None, now_ms: float
    ) -> TurnDone | None:
        """Stamp ``done`` and return the ``TurnDone`` to emit (None if it already ended)."""
        if turn.has("done"):
            return None
        turn.mark("done", now_ms)
        if response_id is not None:
            self.in_flight.pop(response_id, None)
            self._finished[response_id] = turn
            while len(self._finished) > self._keep:
                del self._finished[next(iter(self._finished))]
        return TurnDone(status=status, timeline=turn, response_id=response_id)

    def fail_oldest_awaiting(self, now_ms: float) -> TurnDone | None:
        """End the oldest awaiting turn as failed (its ``response.create`` was refused)."""
        if not self.awaiting:
            return None
        return self.finish(self.awaiting.popleft(), "failed", None, now_ms)

    def fail_pending(self, now_ms: float) -> list[TurnDone]:
        """End every turn still owed a response (or tool outputs) as failed."""
        pending: list[tuple[TurnTimeline, str | None]] = [(turn, None) for turn in self.awaiting]
        pending += [(turn, rid) for rid, turn in self.in_flight.items()]
        pending += [(turn, rid) for rid, turn in self.tool_wait.items()]
        self.awaiting.clear()
        self.tool_wait.clear()
        done = [self.finish(turn, "failed", rid, now_ms) for turn, rid in pending]
        self.in_flight.clear()
        return [d for d in done if d is not None]
