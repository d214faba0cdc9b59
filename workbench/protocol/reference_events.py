"""Event schemas whose shape both dialects share (given each dialect's items and response).

The dialect modules (:mod:`workbench.protocol.reference_ga`,
:mod:`workbench.protocol.reference_preview`) add their own events (sessions, GA's
``conversation.item.added`` / ``.done`` and MCP events …) and extend these where they
differ (GA transcription events carry ``languages`` / ``obfuscation``).
"""

from __future__ import annotations

from workbench.protocol.reference_common import (
    CONTENT_ADDRESS,
    ERROR,
    LOGPROBS,
    RATE_LIMIT,
    TRANSCRIPTION_ERROR,
    TRANSCRIPTION_USAGE,
    by_type,
    event,
)
from workbench.protocol.reference_items import content_part
from workbench.protocol.schema_nodes import (
    STR,
    Arr,
    Int,
    Node,
    Obj,
    const,
    obj,
    opt,
    opt_null,
    req,
    req_null,
)

_S, _C = True, False
INDEX = Int(minimum=0)


def shared_server_events(item: Node, response: Obj) -> dict[str, Obj]:
    """Server events of the same shape in both dialects, keyed by type.

    Parameters
    ----------
    item : Node
        The dialect's server conversation item.
    response : Obj
        The dialect's ``response`` object.
    """
    output_item = {"response_id": req(STR), "output_index": req(INDEX), "item": req(item)}
    call = {
        "response_id": req(STR),
        "item_id": req(STR),
        "output_index": req(INDEX),
        "call_id": req(STR),
    }
    transcription = {"item_id": req(STR), "content_index": req(INDEX)}
    return by_type(
        event("error", _S, error=req(ERROR)),
        event(
            "conversation.created",
            _S,
            conversation=req(obj(id=req(STR), object=req(const("realtime.conversation")))),
        ),
        event("conversation.item.created", _S, previous_item_id=req_null(STR), item=req(item)),
        event("conversation.item.retrieved", _S, item=req(item)),
        event("conversation.item.deleted", _S, item_id=req(STR)),
        event(
            "conversation.item.truncated",
            _S,
            item_id=req(STR),
            content_index=req(INDEX),
            audio_end_ms=req(INDEX),
        ),
        event(
            "conversation.item.input_audio_transcription.completed",
            _S,
            **transcription,
            transcript=req(STR),
            usage=req(TRANSCRIPTION_USAGE),
            logprobs=opt_null(LOGPROBS),
        ),
        event(
            "conversation.item.input_audio_transcription.delta",
            _S,
            **transcription,
            delta=req(STR),
            logprobs=opt_null(LOGPROBS),
        ),
        event(
            "conversation.item.input_audio_transcription.failed",
            _S,
            **transcription,
            error=req(TRANSCRIPTION_ERROR),
        ),
        event("input_audio_buffer.committed", _S, previous_item_id=req_null(STR), item_id=req(STR)),
        event("input_audio_buffer.cleared", _S),
        event("input_audio_buffer.speech_started", _S, audio_start_ms=req(INDEX), item_id=req(STR)),
        event("input_audio_buffer.speech_stopped", _S, audio_end_ms=req(INDEX), item_id=req(STR)),
        event("output_audio_buffer.started", _S, response_id=req(STR)),
        event("output_audio_buffer.stopped", _S, response_id=req(STR)),
        event("output_audio_buffer.cleared", _S, response_id=req(STR)),
        event("rate_limits.updated", _S, rate_limits=req(Arr(RATE_LIMIT))),
        event("response.created", _S, response=req(response)),
        event("response.done", _S, response=req(response)),
        event("response.output_item.added", _S, **output_item),
        event("response.output_item.done", _S, **output_item),
        event("response.content_part.added", _S, **CONTENT_ADDRESS, part=req(content_part(_S))),
        event("response.content_part.done", _S, **CONTENT_ADDRESS, part=req(content_part(_S))),
        event("response.function_call_arguments.delta", _S, **call, delta=req(STR)),
        event(
            "response.function_call_arguments.done",
            _S,
            **call,
            name=req(STR),
            arguments=req(STR),
        ),
    )


def content_stream_events(text: str, audio: str, transcript: str) -> dict[str, Obj]:
    """The ``{text}.delta/.done``, ``{audio}.delta/.done`` and ``{transcript}.delta/.done``
    events (GA ``response.output_text`` …, preview ``response.text`` …)."""
    return by_type(
        event(f"{text}.delta", _S, **CONTENT_ADDRESS, delta=req(STR)),
        event(f"{text}.done", _S, **CONTENT_ADDRESS, text=req(STR)),
        event(f"{audio}.delta", _S, **CONTENT_ADDRESS, delta=req(STR)),
        event(f"{audio}.done", _S, **CONTENT_ADDRESS),
        event(f"{transcript}.delta", _S, **CONTENT_ADDRESS, delta=req(STR)),
        event(f"{transcript}.done", _S, **CONTENT_ADDRESS, transcript=req(STR)),
    )


def shared_client_events(item: Node, response_params: Obj) -> dict[str, Obj]:
    """Client events of the same shape in both dialects (``session.update`` aside)."""
    return by_type(
        event("input_audio_buffer.append", _C, audio=req(STR)),
        event("input_audio_buffer.commit", _C),
        event("input_audio_buffer.clear", _C),
        event("output_audio_buffer.clear", _C),
        event("conversation.item.create", _C, previous_item_id=opt_null(STR), item=req(item)),
        event("conversation.item.retrieve", _C, item_id=req(STR)),
        event("conversation.item.delete", _C, item_id=req(STR)),
        event(
            "conversation.item.truncate",
            _C,
            item_id=req(STR),
            content_index=req(INDEX),
            audio_end_ms=req(INDEX),
        ),
        event("response.create", _C, response=opt(response_params)),
        event("response.cancel", _C, response_id=opt(STR)),
    )
