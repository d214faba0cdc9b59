"""The GA dialect of the reference: every server and client event (see ``reference_common``).

Server objects require the keys of the reference's example payloads (``session.created``
carries ``tracing``, ``prompt``, ``include``, ``audio.input.transcription`` … as
``null`` when unset); client objects require only what the reference marks required.
"""

from __future__ import annotations

from workbench.protocol.reference_common import (
    GA_FORMAT_TYPES,
    GA_NOISE_REDUCTION,
    INCLUDE,
    INSTRUCTIONS,
    MAX_OUTPUT_TOKENS,
    MCP_TOOL,
    MODALITIES,
    PROMPT,
    RESPONSE_STATUS,
    STATUS_DETAILS,
    TRACING,
    VOICES_GA,
    by_type,
    event,
    function_tool,
    ga_format,
    response_usage,
    tool_choice,
    transcription,
    turn_detection,
)
from workbench.protocol.reference_events import (
    content_stream_events,
    shared_client_events,
    shared_server_events,
)
from workbench.protocol.reference_items import items
from workbench.protocol.schema_nodes import (
    BOOL,
    INT,
    STR,
    AnyOf,
    Arr,
    Int,
    Map,
    Num,
    Obj,
    Tagged,
    const,
    obj,
    one_of,
    opt,
    opt_null,
    req,
    req_null,
)

__all__ = ["GA_CLIENT_EVENTS", "GA_FORMAT_TYPES", "GA_SERVER_EVENTS"]

VOICE = AnyOf((one_of(*VOICES_GA), obj(id=req(STR))))
SPEED = Num(minimum=0.25, maximum=1.5)
OUTPUT_MODALITIES = Arr(one_of(*MODALITIES))


def _tools(server: bool) -> Arr:
    return Arr(Tagged("type", {"function": function_tool(server), "mcp": MCP_TOOL}))


TRUNCATION = AnyOf(
    (
        one_of("auto", "disabled"),
        obj(
            type=req(const("retention_ratio")),
            retention_ratio=req(Num(minimum=0.0, maximum=1.0)),
            token_limits=opt(obj(post_instructions=opt(Int(minimum=0)))),
        ),
    )
)
REASONING = obj(effort=opt(one_of("minimal", "low", "medium", "high", "xhigh")))


def session(server: bool) -> Obj:
    """A GA realtime session object (``session.created`` / ``session.update``)."""
    f = req if server else opt
    fn = req_null if server else opt_null
    audio_in = obj(
        format=f(ga_format(server)),
        transcription=fn(transcription(server)),
        noise_reduction=fn(GA_NOISE_REDUCTION),
        turn_detection=fn(turn_detection(server, type_required=True)),
    )
    audio_out = obj(format=f(ga_format(server)), voice=f(VOICE), speed=f(SPEED))
    fields = {
        "type": req(const("realtime")),
        "model": f(STR),
        "output_modalities": f(OUTPUT_MODALITIES),
        "instructions": f(INSTRUCTIONS),
        "audio": f(obj(input=f(audio_in), output=f(audio_out))),
        "tools": f(_tools(server)),
        "tool_choice": f(tool_choice(ga=True)),
        "max_output_tokens": f(MAX_OUTPUT_TOKENS),
        "tracing": fn(TRACING),
        "prompt": fn(PROMPT),
        "include": fn(INCLUDE),
        "truncation": opt(TRUNCATION),
        "reasoning": opt(REASONING),
        "parallel_tool_calls": opt(BOOL),
    }
    if server:
        fields.update(
            object=req(const("realtime.session")), id=req(STR), expires_at=req(Int(minimum=0))
        )
    return Obj(fields)


def transcription_session(server: bool) -> Obj:
    """A GA transcription-only session (``type: "transcription"``)."""
    f = opt_null
    audio_in = obj(
        format=opt(ga_format(server)),
        transcription=f(transcription(server)),
        noise_reduction=f(GA_NOISE_REDUCTION),
        turn_detection=f(turn_detection(server, type_required=False)),
    )
    fields = {
        "type": req(const("transcription")),
        "audio": opt(obj(input=opt(audio_in))),
        "include": f(INCLUDE),
    }
    if server:
        fields.update(object=req(STR), id=req(STR), expires_at=opt(Int(minimum=0)))
    return Obj(fields)


def _session_union(server: bool) -> Tagged:
    return Tagged(
        "type", {"realtime": session(server), "transcription": transcription_session(server)}
    )


SERVER_ITEM = items(ga=True, server=True)
CLIENT_ITEM = items(ga=True, server=False)
RESPONSE = obj(
    object=req(const("realtime.response")),
    id=req(STR),
    status=req(one_of(*RESPONSE_STATUS)),
    status_details=req_null(STATUS_DETAILS),
    output=req(Arr(SERVER_ITEM)),
    conversation_id=req_null(STR),
    output_modalities=req(OUTPUT_MODALITIES),
    max_output_tokens=req(MAX_OUTPUT_TOKENS),
    audio=req(obj(output=req(obj(format=req(ga_format(True)), voice=req(VOICE))))),
    usage=req_null(response_usage(ga=True)),
    metadata=req_null(Map(STR)),
)
RESPONSE_CREATE_PARAMS = obj(
    audio=opt(obj(output=opt(obj(format=opt(ga_format(False)), voice=opt(VOICE))))),
    conversation=opt(one_of("auto", "none")),
    input=opt(Arr(CLIENT_ITEM)),
    instructions=opt(INSTRUCTIONS),
    max_output_tokens=opt(MAX_OUTPUT_TOKENS),
    metadata=opt_null(Map(STR)),
    output_modalities=opt(OUTPUT_MODALITIES),
    parallel_tool_calls=opt(BOOL),
    prompt=opt_null(PROMPT),
    reasoning=opt(REASONING),
    tool_choice=opt(tool_choice(ga=True)),
    tools=opt(_tools(False)),
)

_S = True
_SHARED = shared_server_events(SERVER_ITEM, RESPONSE)
_TRANSCRIPTION = "conversation.item.input_audio_transcription"
_MCP_ARGS = {"response_id": req(STR), "item_id": req(STR), "output_index": req(Int(minimum=0))}
_MCP_CALL = {"item_id": req(STR), "output_index": req(Int(minimum=0))}

GA_SERVER_EVENTS: dict[str, Obj] = {
    **_SHARED,
    **by_type(
        event("session.created", _S, session=req(_session_union(True))),
        event("session.updated", _S, session=req(_session_union(True))),
        event("conversation.item.added", _S, previous_item_id=req_null(STR), item=req(SERVER_ITEM)),
        event("conversation.item.done", _S, previous_item_id=req_null(STR), item=req(SERVER_ITEM)),
        _SHARED[f"{_TRANSCRIPTION}.completed"].extend(languages=opt_null(Arr(obj(code=req(STR))))),
        _SHARED[f"{_TRANSCRIPTION}.delta"].extend(obfuscation=opt(STR)),
        event(
            f"{_TRANSCRIPTION}.segment",
            _S,
            item_id=req(STR),
            content_index=req(Int(minimum=0)),
            id=req(STR),
            text=req(STR),
            speaker=req(STR),
            start=req(Num()),
            end=req(Num()),
        ),
        event(
            "input_audio_buffer.timeout_triggered",
            _S,
            audio_start_ms=req(Int(minimum=0)),
            audio_end_ms=req(Int(minimum=0)),
            item_id=req(STR),
        ),
        # The reference's example (and the SDK's model) of this event has no event_id.
        event(
            "input_audio_buffer.dtmf_event_received", _S, event=req(STR), received_at=req(INT)
        ).without("event_id"),
        event("mcp_list_tools.in_progress", _S, item_id=req(STR)),
        event("mcp_list_tools.completed", _S, item_id=req(STR)),
        event("mcp_list_tools.failed", _S, item_id=req(STR)),
        event(
            "response.mcp_call_arguments.delta",
            _S,
            **_MCP_ARGS,
            delta=req(STR),
            obfuscation=opt_null(STR),
        ),
        event("response.mcp_call_arguments.done", _S, **_MCP_ARGS, arguments=req(STR)),
        event("response.mcp_call.in_progress", _S, **_MCP_CALL),
        event("response.mcp_call.completed", _S, **_MCP_CALL),
        event("response.mcp_call.failed", _S, **_MCP_CALL),
    ),
    **content_stream_events(
        "response.output_text", "response.output_audio", "response.output_audio_transcript"
    ),
}

GA_CLIENT_EVENTS: dict[str, Obj] = {
    **by_type(event("session.update", False, session=req(_session_union(False)))),
    **shared_client_events(CLIENT_ITEM, RESPONSE_CREATE_PARAMS),
}
