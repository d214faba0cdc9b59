"""Conversation items and content parts of the reference schema (both dialects).

GA assistant content is ``output_text`` / ``output_audio`` and GA has MCP items;
preview assistant content is ``text`` / ``audio`` and a user part may be an
``item_reference``. See :mod:`workbench.protocol.reference_common` for the sources.
"""

from __future__ import annotations

from workbench.protocol.reference_common import ITEM_STATUS
from workbench.protocol.schema_nodes import (
    BOOL,
    INT,
    STR,
    Arr,
    Map,
    Node,
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


def _parts(variants: dict[str, Obj]) -> Arr:
    return Arr(Tagged("type", variants))


def items(ga: bool, server: bool) -> Tagged:
    """Conversation items of one dialect, as the server sends them or a client creates them.

    GA assistant content is ``output_text`` / ``output_audio``; preview ``text`` /
    ``audio``. Server items always carry ``id``, ``type``, ``status`` (and, in preview,
    ``object``); a user's audio part carries its ``transcript`` (``null`` until known).
    """
    f = req if server else opt
    head = {
        "id": f(STR),
        "object": (req if server and not ga else opt)(const("realtime.item")),
        "status": f(one_of(*ITEM_STATUS)),
    }
    text = obj(type=req(const("input_text")), text=req(STR))
    audio_in = obj(
        type=req(const("input_audio")),
        audio=opt(STR),
        transcript=(req_null if server else opt_null)(STR),
    )
    user_parts: dict[str, Obj] = {"input_text": text, "input_audio": audio_in}
    if ga:
        user_parts["input_image"] = obj(
            type=req(const("input_image")),
            image_url=(opt if server else req)(STR),
            detail=opt(one_of("auto", "low", "high")),
        )
    else:
        user_parts["item_reference"] = obj(type=req(const("item_reference")), id=req(STR))
    out_text, out_audio = ("output_text", "output_audio") if ga else ("text", "audio")
    assistant_parts = {
        out_text: obj(type=req(const(out_text)), text=req(STR)),
        out_audio: obj(
            type=req(const(out_audio)),
            transcript=(req_null if server else opt_null)(STR),
            audio=opt(STR),
        ),
    }

    def message(role: str, parts: dict[str, Obj]) -> Obj:
        return obj(
            type=req(const("message")), role=req(const(role)), content=req(_parts(parts)), **head
        )

    messages = Tagged(
        "role",
        {
            "system": message("system", {"input_text": text}),
            "user": message("user", user_parts),
            "assistant": message("assistant", assistant_parts),
        },
    )
    variants: dict[str, Node] = {
        "message": messages,
        "function_call": obj(
            type=req(const("function_call")),
            call_id=(req if server or not ga else opt)(STR),
            name=req(STR),
            arguments=req(STR),
            **head,
        ),
        "function_call_output": obj(
            type=req(const("function_call_output")),
            call_id=req(STR),
            output=req(STR),
            **{**head, "status": opt(one_of(*ITEM_STATUS))},
        ),
    }
    if ga:
        variants.update(_mcp_items())
    return Tagged("type", variants)


def _mcp_items() -> dict[str, Node]:
    error = Tagged(
        "type",
        {
            "protocol_error": obj(
                type=req(const("protocol_error")), code=req(INT), message=req(STR)
            ),
            "tool_execution_error": obj(type=req(const("tool_execution_error")), message=req(STR)),
            "http_error": obj(type=req(const("http_error")), code=req(INT), message=req(STR)),
        },
    )
    listed = obj(
        name=req(STR),
        description=opt_null(STR),
        input_schema=req(Map()),
        annotations=opt_null(Map()),
    )
    return {
        "mcp_list_tools": obj(
            type=req(const("mcp_list_tools")),
            id=opt(STR),
            server_label=req(STR),
            tools=req(Arr(listed)),
        ),
        "mcp_call": obj(
            type=req(const("mcp_call")),
            id=req(STR),
            server_label=req(STR),
            name=req(STR),
            arguments=req(STR),
            approval_request_id=opt_null(STR),
            output=opt_null(STR),
            error=opt_null(error),
        ),
        "mcp_approval_request": obj(
            type=req(const("mcp_approval_request")),
            id=req(STR),
            server_label=req(STR),
            name=req(STR),
            arguments=req(STR),
        ),
        "mcp_approval_response": obj(
            type=req(const("mcp_approval_response")),
            id=req(STR),
            approval_request_id=req(STR),
            approve=req(BOOL),
            reason=opt_null(STR),
        ),
    }


def content_part(server: bool) -> Tagged:
    """The ``part`` of ``response.content_part.*``: ``text`` or ``audio`` in both dialects."""
    return Tagged(
        "type",
        {
            "text": obj(type=req(const("text")), text=req(STR)),
            "audio": obj(type=req(const("audio")), transcript=req(STR), audio=opt(STR)),
        },
    )
