"""The function calls of one session that wait for their outputs (pure bookkeeping).

The model calls a function (``response.function_call_arguments.done``, or a
``function_call`` item in ``response.done``); the shell — or the session service, for
its demo tools — answers each call once. When every call of a response is answered and
that response is done, the outputs go upstream as ``function_call_output`` items
followed by one ``response.create`` (see
:meth:`~workbench.relay.machine.SessionMachine.tool_output`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from workbench.errors import WorkbenchError
from workbench.protocol import events as pe
from workbench.relay.events import RelayError, RelayEvent, ToolCall
from workbench.relay.turns import TurnBook

#: Calls kept waiting per session; a model that calls more without answers is broken.
MAX_PENDING_CALLS: Final = 64


class ToolCallError(WorkbenchError):
    """An output for a call that is not waiting (unknown, already answered, or its
    session was lost); ``code`` is ``unknown_tool_call``."""

    code = "unknown_tool_call"
    http_status = 409


@dataclass(slots=True)
class PendingCall:
    """One call: who asked for what, and its output once answered."""

    call_id: str
    name: str
    item_id: str
    response_id: str
    output: str | None = None


class ToolCallBook:
    """Calls waiting for outputs, by ``call_id``, in the order the model made them."""

    def __init__(self, max_pending: int = MAX_PENDING_CALLS) -> None:
        self._calls: dict[str, PendingCall] = {}
        self._max = max_pending

    def __len__(self) -> int:
        return len(self._calls)

    def add(self, call_id: str, name: str, item_id: str, response_id: str) -> PendingCall | None:
        """Remember a new call; None if it is known already or too many are waiting."""
        if call_id in self._calls or len(self._calls) >= self._max:
            return None
        call = self._calls[call_id] = PendingCall(call_id, name, item_id, response_id)
        return call

    def knows(self, call_id: str) -> bool:
        """Whether ``call_id`` is waiting (answered or not)."""
        return call_id in self._calls

    def has_calls(self, response_id: str) -> bool:
        """Whether response ``response_id`` made calls that are still waiting."""
        return any(c.response_id == response_id for c in self._calls.values())

    def answer(self, call_id: str, output: str) -> PendingCall:
        """Record ``output`` for ``call_id``.

        Raises
        ------
        ToolCallError
            The call is not waiting, or was answered already.
        """
        call = self._calls.get(call_id)
        if call is None:
            raise ToolCallError(
                f"no function call {call_id[:64]!r} is waiting for an output "
                "(unknown, cancelled, or its upstream session was lost)"
            )
        if call.output is not None:
            raise ToolCallError(f"function call {call_id[:64]!r} was answered already")
        call.output = output
        return call

    def take_answered(self, response_id: str) -> list[PendingCall]:
        """Every call of ``response_id`` if all are answered (they stop waiting), else []."""
        calls = [c for c in self._calls.values() if c.response_id == response_id]
        if not calls or any(c.output is None for c in calls):
            return []
        for call in calls:
            del self._calls[call.call_id]
        return calls

    def drop_response(self, response_id: str) -> None:
        """Forget the calls of a response that was cancelled or failed."""
        for call_id in [c.call_id for c in self._calls.values() if c.response_id == response_id]:
            del self._calls[call_id]

    def clear(self) -> None:
        """Forget every call (the upstream session is gone)."""
        self._calls.clear()

    # --- what the session machine asks -------------------------------------------------

    def on_call(
        self, call_id: str, name: str, arguments: str, item_id: str, response_id: str
    ) -> RelayEvent | None:
        """A call the model made: the ``ToolCall`` for the shell (None for a repeat)."""
        if call_id in self._calls:
            return None
        if self.add(call_id, name, item_id, response_id) is None:
            message = f"the model made too many function calls without outputs; {name} dropped"
            return RelayError("too_many_tool_calls", message)
        return ToolCall(call_id, name, arguments, item_id, response_id)

    def calls_in_output(
        self, output: Sequence[Mapping[str, Any]], response_id: str
    ) -> list[RelayEvent]:
        """``ToolCall``s for ``function_call`` items of a finished response that the
        stream did not announce (no ``arguments.done`` arrived for them)."""
        found: list[RelayEvent] = []
        for item in output:
            call_id, name = item.get("call_id"), item.get("name")
            if item.get("type") != "function_call" or not isinstance(call_id, str):
                continue
            arguments = item.get("arguments")
            event = self.on_call(
                call_id,
                name if isinstance(name, str) else "",
                arguments if isinstance(arguments, str) else "",
                str(item.get("id", "")),
                response_id,
            )
            if event is not None:
                found.append(event)
        return found

    def outputs_to_send(self, turns: TurnBook, now_ms: float) -> tuple[pe.ClientEvent, ...]:
        """The outputs of the first response whose calls are all answered, then one
        ``response.create`` (its turn now awaits that response); () if none is ready.

        Call only when no response is active: the service refuses a second
        ``response.create`` while one is.
        """
        for rid in list(turns.tool_wait):
            answered = self.take_answered(rid)
            if answered:
                turn = turns.tools_answered(rid)
                if turn is not None:
                    turn.mark("response_create", now_ms)
                items = tuple(
                    pe.ConversationItemCreate(pe.function_call_output_item(c.call_id, c.output))
                    for c in answered
                    if c.output is not None
                )
                return (*items, pe.ResponseCreate())
        return ()
