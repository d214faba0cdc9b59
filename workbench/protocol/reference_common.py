"""Building blocks of the reference schema shared by both dialects and directions.

Sources (see ``docs/mock.md``): the published OpenAPI reference of the realtime API
(components ``RealtimeServerEvent*``, ``RealtimeBetaServerEvent*``, ``RealtimeClientEvent*``,
``RealtimeBetaClientEvent*`` and the example payload of each event), the installed
openai SDK's models (``openai.types.realtime``, ``openai.types.beta.realtime``; the
test ``tests/protocol/test_reference_sdk.py`` proves every key declared here exists
there), and the Azure realtime sample SDK's strict models (``rtclient/models.py``),
which require the preview session's nullable keys.

"Required" means: in server events, the service always sends the key (``null`` when
unset, as in the reference's examples); in client events, the client must send it.
"""

from __future__ import annotations

from workbench.protocol.schema_nodes import (
    BOOL,
    INT,
    NUM,
    STR,
    AnyJson,
    AnyOf,
    Arr,
    Field,
    Int,
    Map,
    Node,
    Num,
    Obj,
    Str,
    Tagged,
    const,
    obj,
    one_of,
    opt,
    opt_null,
    req,
    req_null,
)

# -- enumerations (exact spellings of the SDK's Literal types) -------------------------

VOICES_GA: tuple[str, ...] = (
    "alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar",
)  # fmt: skip
#: The preview SDK lists the first eight; the published reference adds marin and cedar.
VOICES_PREVIEW: tuple[str, ...] = VOICES_GA
MODALITIES: tuple[str, ...] = ("text", "audio")
#: Preview audio format names (``input_audio_format`` / ``output_audio_format``).
PREVIEW_FORMATS: tuple[str, ...] = ("pcm16", "g711_ulaw", "g711_alaw")
#: GA ``format.type`` values; ``audio/pcm`` also carries ``rate`` (24000 only).
GA_FORMAT_TYPES: tuple[str, ...] = ("audio/pcm", "audio/pcmu", "audio/pcma")
PCM_RATES_HZ: tuple[int, ...] = (24000,)
TRANSCRIPTION_MODELS: tuple[str, ...] = (
    "whisper-1",
    "gpt-transcribe",
    "gpt-live-transcribe",
    "gpt-4o-mini-transcribe",
    "gpt-4o-mini-transcribe-2025-12-15",
    "gpt-4o-transcribe",
    "gpt-4o-transcribe-diarize",
    "gpt-realtime-whisper",
)
EAGERNESS: tuple[str, ...] = ("low", "medium", "high", "auto")
ITEM_STATUS: tuple[str, ...] = ("completed", "incomplete", "in_progress")
RESPONSE_STATUS: tuple[str, ...] = ("completed", "cancelled", "failed", "incomplete", "in_progress")
TOOL_CHOICE_MODES: tuple[str, ...] = ("auto", "none", "required")
#: The reference gives no limit for ``instructions``; the mock enforces this one (its
#: error has the service's ``string_above_max_length`` shape; see docs/mock.md).
MAX_INSTRUCTIONS_CHARS = 32_768
#: Function names: the service's tool-name rule (letters, digits, ``_``, ``-``; 1-64).
MAX_TOOL_NAME_CHARS = 64
#: ``max_output_tokens`` / ``max_response_output_tokens``: 1-4096 or ``"inf"``.
MAX_OUTPUT_TOKENS = AnyOf((Int(minimum=1, maximum=4096), const("inf")))
#: Preview temperature range (the published reference: "limited to [0.6, 1.2]").
PREVIEW_TEMPERATURE = Num(minimum=0.6, maximum=1.2)
INSTRUCTIONS = Str(max_length=MAX_INSTRUCTIONS_CHARS)

# -- session pieces ---------------------------------------------------------------------


def turn_detection(server: bool, type_required: bool, ga: bool = True) -> Tagged:
    """``server_vad`` / ``semantic_vad`` settings (the field itself is nullable: off).

    GA server VAD also has ``idle_timeout_ms`` (5000-30000 or null).
    """
    f = req if server else opt
    server_vad = obj(
        type=req(const("server_vad")),
        threshold=f(Num(minimum=0.0, maximum=1.0)),
        prefix_padding_ms=f(Int(minimum=0)),
        silence_duration_ms=f(Int(minimum=0)),
        create_response=f(BOOL),
        interrupt_response=f(BOOL),
    )
    if ga:
        server_vad = server_vad.extend(idle_timeout_ms=opt_null(Int(minimum=5000, maximum=30000)))
    semantic_vad = obj(
        type=req(const("semantic_vad")),
        eagerness=f(one_of(*EAGERNESS)),
        create_response=f(BOOL),
        interrupt_response=f(BOOL),
    )
    return Tagged(
        "type",
        {"server_vad": server_vad, "semantic_vad": semantic_vad},
        default=None if type_required else "server_vad",
    )


def transcription(
    server: bool, ga: bool = True, models: tuple[str, ...] = TRANSCRIPTION_MODELS
) -> Obj:
    """Input transcription settings (``model`` always echoed by the service).

    GA also has ``languages``, ``delay`` and ``keywords``.
    """
    out = obj(
        model=(req if server else opt)(one_of(*models)),
        language=opt_null(STR),
        prompt=opt_null(STR),
    )
    if ga:
        out = out.extend(
            languages=opt_null(Arr(STR)),
            delay=opt_null(one_of("minimal", "low", "medium", "high", "xhigh")),
            keywords=opt_null(Arr(STR)),
        )
    return out


#: Noise reduction (preview ``input_audio_noise_reduction``; GA adds ``strength``).
NOISE_REDUCTION = obj(type=opt(one_of("near_field", "far_field")))
GA_NOISE_REDUCTION = NOISE_REDUCTION.extend(strength=opt_null(NUM))


def ga_format(server: bool) -> Tagged:
    """A GA audio format: ``{"type": "audio/pcm", "rate": 24000}``, ``audio/pcmu`` or ``pcma``."""
    return Tagged(
        "type",
        {
            "audio/pcm": obj(
                type=req(const("audio/pcm")),
                rate=(req if server else opt)(Int(enum=PCM_RATES_HZ)),
            ),
            "audio/pcmu": obj(type=req(const("audio/pcmu"))),
            "audio/pcma": obj(type=req(const("audio/pcma"))),
        },
    )


def function_tool(server: bool) -> Obj:
    """A function tool definition (``parameters`` is a JSON Schema object)."""
    return obj(
        type=req(const("function")),
        name=req(Str(max_length=MAX_TOOL_NAME_CHARS)),
        description=opt(STR),
        parameters=opt(Map()),
    )


_MCP_FILTER = obj(tool_names=opt(Arr(STR)), read_only=opt(BOOL))
MCP_TOOL = obj(
    type=req(const("mcp")),
    server_label=req(STR),
    server_url=opt(STR),
    connector_id=opt(STR),
    tunnel_id=opt(STR),
    authorization=opt(STR),
    server_description=opt(STR),
    headers=opt_null(Map(STR)),
    allowed_tools=opt_null(AnyOf((Arr(STR), _MCP_FILTER))),
    allowed_callers=opt_null(Arr(one_of("direct", "programmatic"))),
    require_approval=opt_null(
        AnyOf((one_of("always", "never"), obj(always=opt(_MCP_FILTER), never=opt(_MCP_FILTER))))
    ),
    defer_loading=opt(BOOL),
)


def tool_choice(ga: bool) -> AnyOf:
    """``auto`` / ``none`` / ``required`` or a named function (GA also: an MCP tool)."""
    named: dict[str, Node] = {"function": obj(type=req(const("function")), name=req(STR))}
    if ga:
        named["mcp"] = obj(type=req(const("mcp")), server_label=req(STR), name=opt_null(STR))
    return AnyOf((one_of(*TOOL_CHOICE_MODES), Tagged("type", named)))


TRACING = AnyOf(
    (const("auto"), obj(workflow_name=opt(STR), group_id=opt(STR), metadata=opt(Map())))
)
PROMPT = obj(id=req(STR), version=opt_null(STR), variables=opt_null(Map()))
INCLUDE = Arr(const("item.input_audio_transcription.logprobs"))

# -- errors, usage, rate limits ---------------------------------------------------------

ERROR = obj(
    type=req(STR),
    code=req_null(STR),
    message=req(STR),
    param=req_null(STR),
    event_id=req_null(STR),
)
TRANSCRIPTION_ERROR = ERROR.without("event_id")
RATE_LIMIT = obj(
    name=req(one_of("requests", "tokens")),
    limit=req(INT),
    remaining=req(INT),
    reset_seconds=req(NUM),
)
LOGPROBS = Arr(obj(token=req(STR), logprob=req(NUM), bytes=req(Arr(INT))))
TRANSCRIPTION_USAGE = Tagged(
    "type",
    {
        "tokens": obj(
            type=req(const("tokens")),
            input_tokens=req(INT),
            output_tokens=req(INT),
            total_tokens=req(INT),
            input_token_details=opt(obj(text_tokens=opt(INT), audio_tokens=opt(INT))),
        ),
        "duration": obj(type=req(const("duration")), seconds=req(NUM)),
    },
)


def response_usage(ga: bool) -> Obj:
    """Token usage of a response (text and audio tokens in and out; GA also images)."""
    input_details = obj(cached_tokens=req(INT), text_tokens=req(INT), audio_tokens=req(INT))
    if ga:
        cached = obj(text_tokens=opt(INT), audio_tokens=opt(INT), image_tokens=opt(INT))
        input_details = input_details.extend(
            image_tokens=opt(INT), cached_tokens_details=opt(cached)
        )
    return obj(
        total_tokens=req(INT),
        input_tokens=req(INT),
        output_tokens=req(INT),
        input_token_details=req(input_details),
        output_token_details=req(obj(text_tokens=req(INT), audio_tokens=req(INT))),
    )


STATUS_DETAILS = Tagged(
    "type",
    {
        "completed": obj(type=req(const("completed"))),
        "cancelled": obj(
            type=req(const("cancelled")),
            reason=req(one_of("turn_detected", "client_cancelled")),
        ),
        "incomplete": obj(
            type=req(const("incomplete")),
            reason=req(one_of("max_output_tokens", "content_filter")),
        ),
        "failed": obj(
            type=req(const("failed")),
            error=req_null(obj(type=opt(STR), code=opt_null(STR), message=opt(STR))),
        ),
    },
)


def event(type_name: str, server: bool, **fields: Field) -> Obj:
    """An event object: ``type`` and ``event_id`` (required from the server) plus fields."""
    base = {
        "type": req(const(type_name)),
        "event_id": req(STR) if server else opt(STR),
    }
    return Obj({**base, **fields})


def by_type(*events: Obj) -> dict[str, Obj]:
    """Event schemas keyed by their constant ``type``."""
    out: dict[str, Obj] = {}
    for schema in events:
        node = schema.fields["type"].node
        assert isinstance(node, Str) and node.enum is not None
        out[node.enum[0]] = schema
    return out


CONTENT_ADDRESS = {
    "response_id": req(STR),
    "item_id": req(STR),
    "output_index": req(Int(minimum=0)),
    "content_index": req(Int(minimum=0)),
}
ANY = AnyJson()
