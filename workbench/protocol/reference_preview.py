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
    INCLUDE,
    INSTRUCTIONS,
    MAX_OUTPUT_TOKENS,
    MODALITIES,
    NOISE_REDUCTION,
    PREVIEW_FORMATS,
    PREVIEW_TEMPERATURE,
    PROMPT,
    RESPONSE_STATUS,
    STATUS_DETAILS,
    TRACING,
    VOICES_PREVIEW,
    by_type,
    event,
    function_tool,
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

PREVIEW_SERVER_EVENTS: dict[str, Obj] = {
    **shared_server_events(SERVER_ITEM, RESPONSE),
    **by_type(
        event("session.created", True, session=req(session(True))),
        event("session.updated", True, session=req(session(True))),
        event("transcription_session.updated", True, session=req(TRANSCRIPTION_SESSION_REPORT)),
    ),
    **content_stream_events("response.text", "response.audio", "response.audio_transcript"),
}

PREVIEW_CLIENT_EVENTS: dict[str, Obj] = {
    **by_type(
        event("session.update", False, session=req(session(False))),
        event("transcription_session.update", False, session=req(TRANSCRIPTION_SESSION)),
    ),
    **shared_client_events(CLIENT_ITEM, RESPONSE_CREATE_PARAMS),
}
