"""The preview (beta) dialect of the reference: every server and client event.

The preview session is flat (``modalities``, ``voice``, ``input_audio_format``,
``turn_detection`` …) and carries ``temperature``; its server objects require the keys
the Azure sample SDK's strict models require (``input_audio_transcription``,
``turn_detection``, ``tools``, ``tool_choice``, ``temperature``,
``max_response_output_tokens``) plus those of the reference's examples (``object``,
``expires_at``, ``tracing``, ``prompt``, ``include``). A ``response`` object carries
``modalities``, ``voice``, ``output_audio_format``, ``temperature`` and
``conversation_id``.
"""

from __future__ import annotations

from workbench.protocol.reference_common import (
    CONTENT_ADDRESS,
    ERROR,
    INCLUDE,
    INSTRUCTIONS,
    LOGPROBS,
    MAX_OUTPUT_TOKENS,
    MODALITIES,
    NOISE_REDUCTION,
    PREVIEW_FORMATS,
    PREVIEW_TEMPERATURE,
    PROMPT,
    RATE_LIMIT,
    RESPONSE_STATUS,
    STATUS_DETAILS,
    TRACING,
    TRANSCRIPTION_ERROR,
    TRANSCRIPTION_USAGE,
    VOICES_PREVIEW,
    by_type,
    event,
    function_tool,
    response_usage,
    tool_choice,
    transcription,
    turn_detection,
)
from workbench.protocol.reference_items import content_part, items
from workbench.protocol.schema_nodes import (
    STR,
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

__all__ = ["PREVIEW_CLIENT_EVENTS", "PREVIEW_SERVER_EVENTS"]

VOICE = one_of(*VOICES_PREVIEW)
FORMAT = one_of(*PREVIEW_FORMATS)
MODALITY_LIST = Arr(one_of(*MODALITIES))


def session(server: bool) -> Obj:
    """A preview session object (``session.created`` / ``session.update``)."""
    f = req if server else opt
    fn = req_null if server else opt_null
    fields = {
        "model": f(STR),
        "modalities": f(MODALITY_LIST),
        "instructions": f(INSTRUCTIONS),
        "voice": f(VOICE),
        "input_audio_format": f(FORMAT),
        "output_audio_format": f(FORMAT),
        "input_audio_transcription": fn(transcription(server, ga=False)),
        "turn_detection": fn(turn_detection(server, type_required=False, ga=False)),
        "input_audio_noise_reduction": opt_null(NOISE_REDUCTION),
        "tools": f(Arr(function_tool(server))),
        "tool_choice": f(tool_choice(ga=False)),
        "temperature": f(PREVIEW_TEMPERATURE),
        "max_response_output_tokens": fn(MAX_OUTPUT_TOKENS),
        "speed": opt(Num(minimum=0.25, maximum=1.5)),
        # In the newer reference's examples; the Azure preview service does not send them.
        "tracing": opt_null(TRACING),
        "prompt": opt_null(PROMPT),
        "include": opt_null(INCLUDE),
    }
    if server:
        fields.update(
            object=req(const("realtime.session")), id=req(STR), expires_at=req(Int(minimum=0))
        )
    return Obj(fields)


#: The preview SDK's transcription sessions know three models.
_TRANSCRIBE = ("gpt-4o-transcribe", "gpt-4o-mini-transcribe", "whisper-1")
_SIMPLE_VAD = obj(
    type=opt(STR),
    threshold=opt(Num(minimum=0.0, maximum=1.0)),
    prefix_padding_ms=opt(Int(minimum=0)),
    silence_duration_ms=opt(Int(minimum=0)),
)
TRANSCRIPTION_SESSION = obj(
    include=opt_null(INCLUDE),
    input_audio_format=opt(FORMAT),
    input_audio_noise_reduction=opt_null(NOISE_REDUCTION),
    input_audio_transcription=opt_null(transcription(False, ga=False, models=_TRANSCRIBE)),
    turn_detection=opt_null(turn_detection(False, type_required=False, ga=False)),
    modalities=opt(MODALITY_LIST),
)
#: What the service reports for a transcription session (the SDK's simpler VAD object).
TRANSCRIPTION_SESSION_REPORT = TRANSCRIPTION_SESSION.extend(
    turn_detection=opt_null(_SIMPLE_VAD), id=opt(STR), object=opt(STR)
)
SERVER_ITEM = items(ga=False, server=True)
CLIENT_ITEM = items(ga=False, server=False)
RESPONSE = obj(
    object=req(const("realtime.response")),
    id=req(STR),
    status=req(one_of(*RESPONSE_STATUS)),
    status_details=req_null(STATUS_DETAILS),
    output=req(Arr(SERVER_ITEM)),
    conversation_id=req_null(STR),
    modalities=req(MODALITY_LIST),
    voice=req(VOICE),
    output_audio_format=req(FORMAT),
    temperature=req(PREVIEW_TEMPERATURE),
    max_output_tokens=req(MAX_OUTPUT_TOKENS),
    usage=req_null(response_usage(ga=False)),
    metadata=req_null(Map(STR)),
)
RESPONSE_CREATE_PARAMS = obj(
    conversation=opt(one_of("auto", "none")),
    input=opt(
        Arr(
            Tagged(
                "type",
                {
                    **CLIENT_ITEM.variants,
                    "item_reference": obj(type=req(const("item_reference")), id=req(STR)),
                },
            )
        )
    ),
    instructions=opt(INSTRUCTIONS),
    max_response_output_tokens=opt(MAX_OUTPUT_TOKENS),
    metadata=opt_null(Map(STR)),
    modalities=opt(MODALITY_LIST),
    output_audio_format=opt(FORMAT),
    temperature=opt(PREVIEW_TEMPERATURE),
    tool_choice=opt(tool_choice(ga=False)),
    tools=opt(Arr(function_tool(False))),
    voice=opt(VOICE),
)

_S = True
_ITEM_EVENT = {"previous_item_id": req_null(STR), "item": req(SERVER_ITEM)}
_OUTPUT_ITEM = {
    "response_id": req(STR),
    "output_index": req(Int(minimum=0)),
    "item": req(SERVER_ITEM),
}
_FUNCTION_ARGS = {
    "response_id": req(STR),
    "item_id": req(STR),
    "output_index": req(Int(minimum=0)),
    "call_id": req(STR),
}

PREVIEW_SERVER_EVENTS: dict[str, Obj] = by_type(
    event("error", _S, error=req(ERROR)),
    event("session.created", _S, session=req(session(True))),
    event("session.updated", _S, session=req(session(True))),
    event(
        "transcription_session.updated",
        _S,
        session=req(TRANSCRIPTION_SESSION_REPORT),
    ),
    event(
        "conversation.created",
        _S,
        conversation=req(obj(id=req(STR), object=req(const("realtime.conversation")))),
    ),
    event("conversation.item.created", _S, **_ITEM_EVENT),
    event("conversation.item.retrieved", _S, item=req(SERVER_ITEM)),
    event("conversation.item.deleted", _S, item_id=req(STR)),
    event(
        "conversation.item.truncated",
        _S,
        item_id=req(STR),
        content_index=req(Int(minimum=0)),
        audio_end_ms=req(Int(minimum=0)),
    ),
    event(
        "conversation.item.input_audio_transcription.completed",
        _S,
        item_id=req(STR),
        content_index=req(Int(minimum=0)),
        transcript=req(STR),
        usage=req(TRANSCRIPTION_USAGE),
        logprobs=opt_null(LOGPROBS),
    ),
    event(
        "conversation.item.input_audio_transcription.delta",
        _S,
        item_id=req(STR),
        content_index=req(Int(minimum=0)),
        delta=req(STR),
        logprobs=opt_null(LOGPROBS),
    ),
    event(
        "conversation.item.input_audio_transcription.failed",
        _S,
        item_id=req(STR),
        content_index=req(Int(minimum=0)),
        error=req(TRANSCRIPTION_ERROR),
    ),
    event("input_audio_buffer.committed", _S, previous_item_id=req_null(STR), item_id=req(STR)),
    event("input_audio_buffer.cleared", _S),
    event(
        "input_audio_buffer.speech_started",
        _S,
        audio_start_ms=req(Int(minimum=0)),
        item_id=req(STR),
    ),
    event(
        "input_audio_buffer.speech_stopped",
        _S,
        audio_end_ms=req(Int(minimum=0)),
        item_id=req(STR),
    ),
    event("output_audio_buffer.started", _S, response_id=req(STR)),
    event("output_audio_buffer.stopped", _S, response_id=req(STR)),
    event("output_audio_buffer.cleared", _S, response_id=req(STR)),
    event("rate_limits.updated", _S, rate_limits=req(Arr(RATE_LIMIT))),
    event("response.created", _S, response=req(RESPONSE)),
    event("response.done", _S, response=req(RESPONSE)),
    event("response.output_item.added", _S, **_OUTPUT_ITEM),
    event("response.output_item.done", _S, **_OUTPUT_ITEM),
    event("response.content_part.added", _S, **CONTENT_ADDRESS, part=req(content_part(_S))),
    event("response.content_part.done", _S, **CONTENT_ADDRESS, part=req(content_part(_S))),
    event("response.text.delta", _S, **CONTENT_ADDRESS, delta=req(STR)),
    event("response.text.done", _S, **CONTENT_ADDRESS, text=req(STR)),
    event("response.audio.delta", _S, **CONTENT_ADDRESS, delta=req(STR)),
    event("response.audio.done", _S, **CONTENT_ADDRESS),
    event("response.audio_transcript.delta", _S, **CONTENT_ADDRESS, delta=req(STR)),
    event("response.audio_transcript.done", _S, **CONTENT_ADDRESS, transcript=req(STR)),
    event("response.function_call_arguments.delta", _S, **_FUNCTION_ARGS, delta=req(STR)),
    event(
        "response.function_call_arguments.done",
        _S,
        **_FUNCTION_ARGS,
        name=req(STR),
        arguments=req(STR),
    ),
)

_C = False
PREVIEW_CLIENT_EVENTS: dict[str, Obj] = by_type(
    event("session.update", _C, session=req(session(False))),
    event("transcription_session.update", _C, session=req(TRANSCRIPTION_SESSION)),
    event("input_audio_buffer.append", _C, audio=req(STR)),
    event("input_audio_buffer.commit", _C),
    event("input_audio_buffer.clear", _C),
    event("output_audio_buffer.clear", _C),
    event(
        "conversation.item.create",
        _C,
        previous_item_id=opt_null(STR),
        item=req(CLIENT_ITEM),
    ),
    event("conversation.item.retrieve", _C, item_id=req(STR)),
    event("conversation.item.delete", _C, item_id=req(STR)),
    event(
        "conversation.item.truncate",
        _C,
        item_id=req(STR),
        content_index=req(Int(minimum=0)),
        audio_end_ms=req(Int(minimum=0)),
    ),
    event("response.create", _C, response=opt(RESPONSE_CREATE_PARAMS)),
    event("response.cancel", _C, response_id=opt(STR)),
)
