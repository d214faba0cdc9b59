"""Function calling in the mock: a response that calls a tool, as the service streams it.

A function-call response is ``response.created`` → ``response.output_item.added`` (a
``function_call`` item, ``in_progress``) → ``conversation.item.added`` →
``response.function_call_arguments.delta`` × n → ``.done`` (name and whole arguments)
→ ``response.output_item.done`` → ``conversation.item.done`` (GA) → ``response.done``
(status ``completed``, the call in ``output``) → ``rate_limits.updated``. The client
runs the function, sends a ``function_call_output`` item with the same ``call_id``
and asks for a new response, which then speaks about the result.

:func:`call_arguments` fills the tool's required parameters with plausible values, so
any function the client defines can be called.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Mapping
from typing import Any

from workbench.mock.config import LatencyModel
from workbench.mock.responses import (
    MockOutput,
    ResponsePlan,
    ResponseRequest,
    SendEvent,
    delta_times,
    usage,
)
from workbench.protocol import events as pe
from workbench.protocol.json_codec import Dialect
from workbench.protocol.settings import FunctionTool, ToolChoice, ToolChoiceFunction

#: Characters of JSON arguments per ``response.function_call_arguments.delta``.
ARGUMENT_PIECE_CHARS = 8


def choose_tool(
    tools: tuple[FunctionTool, ...], choice: ToolChoice | object, preferred: str
) -> FunctionTool | None:
    """The tool the scripted model calls: the one ``tool_choice`` names, else ``preferred``
    when defined, else the first; None when there are no tools or the choice is ``none``."""
    if not tools or choice == "none":
        return None
    wanted = choice.name if isinstance(choice, ToolChoiceFunction) else preferred
    return next((t for t in tools if t.name == wanted), tools[0])


def call_arguments(tool: FunctionTool) -> str:
    """JSON arguments for ``tool``: every required parameter with a plausible value."""
    properties = tool.parameters.get("properties")
    required = tool.parameters.get("required")
    if not isinstance(properties, Mapping) or not isinstance(required, list):
        return "{}"
    out: dict[str, Any] = {}
    for name in required:
        spec = properties.get(name)
        kind = spec.get("type") if isinstance(spec, Mapping) else "string"
        enum = spec.get("enum") if isinstance(spec, Mapping) else None
        if isinstance(enum, list) and enum:
            out[name] = enum[0]
        elif kind in ("number", "integer"):
            out[name] = 0
        elif kind == "boolean":
            out[name] = False
        else:
            out[name] = "UTC" if "zone" in str(name) else "mock"
    return json.dumps(out, separators=(",", ":"))


def function_call_item(
    item_id: str, call_id: str, name: str, arguments: str, status: str
) -> dict[str, Any]:
    """A ``function_call`` conversation item (neutral shape, both dialects)."""
    return {
        "id": item_id,
        "object": "realtime.item",
        "type": "function_call",
        "status": status,
        "call_id": call_id,
        "name": name,
        "arguments": arguments,
    }


def plan_function_call(
    req: ResponseRequest,
    tool: FunctionTool,
    call_id: str,
    latency: LatencyModel,
    rng: random.Random,
    event_id: Callable[[], str],
) -> ResponsePlan:
    """Plan a response that calls ``tool`` (see the module docstring).

    Arguments stream from ``now + ttfa_ms``, one piece per ``delta_ms / speed``.
    """
    rid, iid, now = req.response_id, req.item_id, req.now_ms
    arguments = call_arguments(tool)
    pieces = [
        arguments[i : i + ARGUMENT_PIECE_CHARS]
        for i in range(0, len(arguments), ARGUMENT_PIECE_CHARS)
    ]
    times = delta_times(now, len(pieces), latency, rng)
    first_ms = now + latency.ttfa_ms
    end_ms = times[-1] if times else first_ms
    plan = ResponsePlan(
        rid, iid, 0, "function_call", req.previous_item_id, first_ms, end_ms, request=req
    )
    plan.call = (call_id, tool.name, arguments)

    def send(due: float, event_cls: Any, *args: Any, **kwargs: Any) -> None:
        plan.entries.append((due, SendEvent(event_cls(*args, **kwargs, event_id=event_id()))))

    started = function_call_item(iid, call_id, tool.name, "", "in_progress")
    send(now, pe.ResponseCreated, rid, req.settings)
    send(first_ms, pe.ResponseOutputItemAdded, rid, 0, started)
    send(first_ms, pe.ConversationItemCreated, started, req.previous_item_id)
    for due, piece in zip(times, pieces, strict=True):
        send(due, pe.ResponseFunctionCallArgumentsDelta, rid, iid, 0, call_id, piece)
        plan.text_pieces.append((due, piece))
    plan.entries.extend(call_closing_entries(plan, end_ms, "completed", None, req, event_id))
    return plan


def call_closing_entries(
    plan: ResponsePlan,
    due: float,
    status: str,
    status_details: Mapping[str, Any] | None,
    req: ResponseRequest,
    event_id: Callable[[], str],
) -> list[tuple[float, MockOutput]]:
    """The events that end a function-call response (completed or cancelled at ``due``)."""
    assert plan.call is not None
    call_id, name, arguments = plan.call
    sent = plan.sent_text(due)
    out: list[tuple[float, MockOutput]] = []

    def send(event_cls: Any, *args: Any, **kwargs: Any) -> None:
        out.append((due, SendEvent(event_cls(*args, **kwargs, event_id=event_id()))))

    output: tuple[dict[str, Any], ...] = ()
    if due >= plan.item_added_ms:
        item_status = "completed" if status == "completed" else "incomplete"
        item = function_call_item(plan.item_id, call_id, name, sent, item_status)
        if status == "completed":
            send(
                pe.ResponseFunctionCallArgumentsDone,
                plan.response_id,
                plan.item_id,
                0,
                call_id,
                name,
                arguments,
            )
        send(pe.ResponseOutputItemDone, plan.response_id, 0, item)
        if req.dialect is Dialect.GA:
            send(pe.ConversationItemDone, item, plan.previous_item_id)
        output = (item,)
    words = max(1, len(sent) // 4) if sent else 0  # ~4 characters a token
    send(
        pe.ResponseDone,
        plan.response_id,
        status,
        status_details,
        output,
        usage(req.input_ms, 0.0, words, req.input_words),
        req.settings,
    )
    send(pe.RateLimitsUpdated, req.rate_limits)
    return out
