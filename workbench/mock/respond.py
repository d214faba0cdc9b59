"""Deciding and planning the next response: speech, text, or a function call.

Pure functions over the session, the conversation and the configuration; the model
(:mod:`workbench.mock.model`) queues what they plan. A response calls a tool when
``tool_choice`` is ``required`` or names a function, or when the ``tool`` behaviour
answers a user turn; otherwise the behaviour's reply is spoken (or written), in the
session's output format.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from workbench.mock import session_state
from workbench.mock.audio_edge import encode_output
from workbench.mock.behaviours import Reply
from workbench.mock.config import Fault, MockConfig
from workbench.mock.conversation import Conversation
from workbench.mock.responses import (
    MockOutput,
    ResponsePlan,
    ResponseRequest,
    closing_entries,
    plan_response,
)
from workbench.mock.tools import call_closing_entries, choose_tool, plan_function_call
from workbench.protocol.json_codec import Dialect
from workbench.protocol.settings import (
    AUDIO_FORMAT_SAMPLE_BYTES,
    SessionSettings,
    ToolChoiceFunction,
    audio_bytes_per_ms,
)


def rate_limits(requests_remaining: int) -> tuple[dict[str, Any], ...]:
    """The ``rate_limits.updated`` entries (requests left in the window, tokens)."""
    return (
        {
            "name": "requests",
            "limit": 5000,
            "remaining": requests_remaining,
            "reset_seconds": 0.012,
        },
        {"name": "tokens", "limit": 40000, "remaining": 38800, "reset_seconds": 1.8},
    )


@dataclass(frozen=True, slots=True)
class NextResponse:
    """A planned response and the item it adds to the conversation."""

    plan: ResponsePlan
    item: dict[str, Any]
    used_fault: bool


def plan_next(
    *,
    now_ms: float,
    overrides: Mapping[str, Any] | None,
    session: SessionSettings,
    dialect: Dialect,
    config: MockConfig,
    conversation: Conversation,
    fault: Fault | None,
    requests_remaining: int,
    new_id: Callable[[str], str],
    event_id: Callable[[], str],
    rng: random.Random,
    reply: Callable[[], Reply],
) -> NextResponse:
    """Plan the response a ``response.create`` (or server VAD) asks for at ``now_ms``.

    Parameters
    ----------
    overrides : Mapping, optional
        ``response.create``'s ``response`` object (wire shape of ``dialect``).
    reply : callable
        The behaviour's answer (called only when the response speaks or writes).
    (the rest: the model's state, ids and jitter source)

    Returns
    -------
    NextResponse
        ``used_fault`` says whether the armed fault was woven in (a call never uses it).
    """
    conv = conversation
    settings = session_state.response_settings(session, overrides, dialect, conv.conversation_id)
    fmt = settings.output_audio_format
    request = ResponseRequest(
        now_ms=now_ms,
        response_id=new_id("resp"),
        item_id=new_id("item"),
        previous_item_id=conv.last_item_id,
        audio=b"",
        transcript="",
        modality="text" if settings.output_modalities == ("text",) else "audio",
        input_ms=conv.user_input_ms,
        dialect=dialect,
        fault=fault,
        rate_limits=rate_limits(requests_remaining),
        settings=settings,
        bytes_per_ms=audio_bytes_per_ms(fmt),
        sample_bytes=AUDIO_FORMAT_SAMPLE_BYTES[fmt],
        input_words=conv.user_words,
    )
    tools, choice = session_state.response_tools(session, overrides)
    forced = choice == "required" or isinstance(choice, ToolChoiceFunction)
    wants_tool = forced or (config.behaviour == "tool" and conv.last_kind == "user")
    tool = choose_tool(tools, choice, config.tool_name) if wants_tool else None
    if tool is not None:
        request = replace(request, fault=None)
        plan = plan_function_call(request, tool, new_id("call"), config.latency, rng, event_id)
        return NextResponse(plan, {"id": plan.item_id, "type": "function_call"}, False)
    answer = reply()
    audio = encode_output(answer.audio_pcm16, fmt)
    request = replace(request, audio=audio, transcript=answer.transcript)
    plan = plan_response(request, config.latency, rng, event_id)
    item = {"id": plan.item_id, "type": "message", "role": "assistant"}
    return NextResponse(plan, item, fault is not None)


def cancel_entries(
    plan: ResponsePlan,
    now_ms: float,
    reason: str,
    dialect: Dialect,
    requests_remaining: int,
    event_id: Callable[[], str],
) -> list[tuple[float, MockOutput]]:
    """The events that end ``plan`` when it is cancelled at ``now_ms`` (``reason``:
    ``client_cancelled`` or ``turn_detected``)."""
    assert plan.request is not None
    request = replace(plan.request, dialect=dialect, rate_limits=rate_limits(requests_remaining))
    details = {"type": "cancelled", "reason": reason}
    if plan.modality == "function_call":
        return call_closing_entries(plan, now_ms, "cancelled", details, request, event_id)
    text = plan.sent_text(now_ms)
    return closing_entries(plan, now_ms, "cancelled", details, request, event_id, text)
