"""One sample of every protocol event (shared by the protocol tests)."""

from __future__ import annotations

from workbench.protocol import events as pe

FULL_SETTINGS = pe.SessionSettings(
    model="gpt-realtime",
    output_modalities=("audio",),
    instructions="Be brief.",
    voice="alloy",
    input_transcription_model="whisper-1",
    turn_detection=pe.ServerVad(threshold=0.6, prefix_padding_ms=200, silence_duration_ms=400),
    temperature=0.8,
)
TOOL = pe.FunctionTool(
    "get_time",
    "The current time",
    {"type": "object", "properties": {"zone": {"type": "string"}}},
)
TOOL_SETTINGS = pe.SessionSettings(
    tools=(TOOL,),
    tool_choice="required",
    input_audio_format="g711_ulaw",
    output_audio_format="g711_alaw",
    max_output_tokens=1024,
)
CALL_ITEM = {
    "id": "item_call1",
    "object": "realtime.item",
    "type": "function_call",
    "status": "completed",
    "call_id": "call_1",
    "name": "get_time",
    "arguments": "{}",
}

USER_ITEM = {
    "id": "item_user1",
    "object": "realtime.item",
    "type": "message",
    "role": "user",
    "status": "completed",
    "content": [{"type": "input_audio", "transcript": "hello there"}],
}
ASSISTANT_ITEM = {
    "id": "item_asst1",
    "object": "realtime.item",
    "type": "message",
    "role": "assistant",
    "status": "completed",
    "content": [{"type": "output_audio", "transcript": "hi"}],
}
TEXT_ITEM = {
    "id": "item_asst2",
    "object": "realtime.item",
    "type": "message",
    "role": "assistant",
    "status": "in_progress",
    "content": [{"type": "output_text", "text": "hi"}],
}
AUDIO = bytes(range(256)) * 4

CLIENT_EVENTS: list[pe.ClientEvent] = [
    pe.SessionUpdate(FULL_SETTINGS, event_id="c1"),
    pe.SessionUpdate(pe.SessionSettings(turn_detection=pe.NoTurnDetection())),
    pe.SessionUpdate(pe.SessionSettings(turn_detection=pe.SemanticVad(eagerness="high"))),
    pe.SessionUpdate(pe.SessionSettings()),
    pe.SessionUpdate(TOOL_SETTINGS, event_id="c1b"),
    pe.SessionUpdate(pe.SessionSettings(tool_choice=pe.ToolChoiceFunction("get_time"))),
    pe.ConversationItemCreate(pe.function_call_output_item("call_1", '{"time": "12:00"}')),
    pe.InputAudioBufferAppend(AUDIO, event_id="c2"),
    pe.InputAudioBufferAppend(b""),
    pe.InputAudioBufferCommit(),
    pe.InputAudioBufferClear(event_id="c3"),
    pe.ConversationItemCreate(USER_ITEM),
    pe.ConversationItemCreate(ASSISTANT_ITEM, previous_item_id="item_user1"),
    pe.ConversationItemTruncate("item_asst1", 0, 1500),
    pe.ResponseCreate(),
    pe.ResponseCreate({"instructions": "Say hi."}, event_id="c4"),
    pe.ResponseCancel(),
    pe.ResponseCancel("resp_1"),
    pe.UnknownClientEvent("output_audio_buffer.clear", {}),
    pe.UnknownClientEvent("conversation.item.delete", {"item_id": "x"}, event_id="c5"),
]

ERROR = pe.ErrorInfo(
    type="invalid_request_error",
    message="Cancellation failed: no active response found",
    code="response_cancel_not_active",
    param=None,
    event_id="c9",
)
USAGE = {
    "total_tokens": 10,
    "input_tokens": 4,
    "output_tokens": 6,
    "input_token_details": {"cached_tokens": 0, "text_tokens": 1, "audio_tokens": 3},
    "output_token_details": {"text_tokens": 2, "audio_tokens": 4},
}
RATE_LIMITS = (
    {"name": "requests", "limit": 5000, "remaining": 4999, "reset_seconds": 0.01},
    {"name": "tokens", "limit": 40000, "remaining": 39000, "reset_seconds": 1.5},
)
_C = {"response_id": "resp_1", "item_id": "item_asst1", "output_index": 0, "content_index": 0}

SERVER_EVENTS: list[pe.ServerEvent] = [
    pe.SessionCreated(FULL_SETTINGS, "sess_1", 1_700_000_000, event_id="s1"),
    pe.SessionUpdated(TOOL_SETTINGS, "sess_1", 1_700_000_000, event_id="s1b"),
    pe.ConversationCreated("conv_1", event_id="s1c"),
    pe.SessionUpdated(
        pe.SessionSettings(
            model="gpt-realtime",
            output_modalities=("text",),
            instructions="",
            voice="verse",
            turn_detection=pe.NoTurnDetection(),
        ),
        "sess_1",
        event_id="s2",
    ),
    pe.SessionUpdated(
        pe.SessionSettings(model="gpt-realtime", turn_detection=pe.SemanticVad("low")),
        "sess_1",
        event_id="s2b",
    ),
    pe.InputAudioBufferCommitted("item_user1", None, event_id="s3"),
    pe.InputAudioBufferCommitted("item_user2", "item_user1", event_id="s3b"),
    pe.InputAudioBufferCleared(event_id="s4"),
    pe.InputAudioBufferSpeechStarted(120, "item_user1", event_id="s5"),
    pe.InputAudioBufferSpeechStopped(1880, "item_user1", event_id="s6"),
    pe.ConversationItemCreated(USER_ITEM, None, event_id="s7"),
    pe.ConversationItemCreated(ASSISTANT_ITEM, "item_user1", event_id="s7b"),
    pe.ConversationItemDone(ASSISTANT_ITEM, "item_user1", event_id="s8"),
    pe.ConversationItemTruncated("item_asst1", 0, 900, event_id="s9"),
    pe.InputAudioTranscriptionCompleted(
        "item_user1", 0, "hello there", {"type": "duration", "seconds": 1.2}, event_id="s10"
    ),
    pe.InputAudioTranscriptionFailed(
        "item_user1",
        0,
        pe.ErrorInfo(
            "transcription_error", "The audio could not be transcribed.", "audio_unintelligible"
        ),
        event_id="s11",
    ),
    pe.ResponseCreated("resp_1", event_id="s12"),
    pe.ResponseCreated(
        "resp_1",
        pe.ResponseSettings(("text",), "verse", "g711_ulaw", 1.0, 512, "conv_1"),
        event_id="s12b",
    ),
    pe.InputAudioTranscriptionDelta("item_user1", 0, "hel", event_id="s10b"),
    pe.ResponseFunctionCallArgumentsDelta("resp_1", "item_call1", 0, "call_1", "{", event_id="s27"),
    pe.ResponseFunctionCallArgumentsDone(
        "resp_1", "item_call1", 0, "call_1", "get_time", "{}", event_id="s28"
    ),
    pe.ResponseOutputItemDone("resp_1", 0, CALL_ITEM, event_id="s29"),
    pe.ResponseDone("resp_1", "completed", None, (ASSISTANT_ITEM,), USAGE, event_id="s13"),
    pe.ResponseDone(
        "resp_2",
        "cancelled",
        {"type": "cancelled", "reason": "client_cancelled"},
        (TEXT_ITEM,),
        event_id="s13b",
    ),
    pe.ResponseDone(
        "resp_3",
        "failed",
        {"type": "failed", "error": {"type": "server_error", "code": "server_error"}},
        event_id="s13c",
    ),
    pe.ResponseOutputItemAdded("resp_1", 0, ASSISTANT_ITEM, event_id="s14"),
    pe.ResponseOutputItemDone("resp_1", 0, TEXT_ITEM, event_id="s15"),
    pe.ResponseContentPartAdded(**_C, part={"type": "audio", "transcript": ""}, event_id="s16"),
    pe.ResponseContentPartDone(**_C, part={"type": "audio", "transcript": "hi"}, event_id="s17"),
    pe.ResponseAudioDelta(**_C, delta=AUDIO, event_id="s18"),
    pe.ResponseAudioDone(**_C, event_id="s19"),
    pe.ResponseAudioTranscriptDelta(**_C, delta="hi ", event_id="s20"),
    pe.ResponseAudioTranscriptDone(**_C, transcript="hi there", event_id="s21"),
    pe.ResponseTextDelta(**_C, delta="hi ", event_id="s22"),
    pe.ResponseTextDone(**_C, text="hi there", event_id="s23"),
    pe.RateLimitsUpdated(RATE_LIMITS, event_id="s24"),
    pe.ErrorEvent(ERROR, event_id="s25"),
    pe.UnknownServerEvent("output_audio_buffer.started", {"response_id": "resp_1"}, event_id="s26"),
]
