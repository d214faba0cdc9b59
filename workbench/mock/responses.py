"""Planning one mock response: which server events go out, and when.

A response is planned in full when it is created (sans-I/O, deterministic): the
latency model gives every audio delta a due time, transcript deltas are interleaved
with the audio, and an armed fault is woven in. The model keeps the plan so a later
``response.cancel`` or barge-in can drop what is not yet due and close the response.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from workbench.mock import service_errors
from workbench.mock.config import Fault, LatencyModel
from workbench.protocol import events as pe
from workbench.protocol.json_codec import Dialect

SAMPLES_PER_MS = 24
MALFORMED_FRAME = "{not json"
Modality = Literal["audio", "text"]
#: What a planned response produces: spoken audio, text, or one function call.
ResponseKind = Literal["audio", "text", "function_call"]


@dataclass(frozen=True, slots=True)
class SendEvent:
    """Send this server event (the transport encodes it in the connection's dialect)."""

    event: pe.ServerEvent


@dataclass(frozen=True, slots=True)
class SendRaw:
    """Send this text frame as is (a malformed frame from the fault injector)."""

    text: str


@dataclass(frozen=True, slots=True)
class CloseConnection:
    """Close the WebSocket with this code and reason; the session is over."""

    code: int
    reason: str


MockOutput = SendEvent | SendRaw | CloseConnection


@dataclass(slots=True)
class ResponsePlan:
    """A planned response and what the model needs to cut it short later.

    Times are ms on the caller's clock. ``audio_deltas`` and ``text_pieces`` hold the
    due time of every audio delta (with its duration in ms) and transcript/text piece.
    """

    response_id: str
    item_id: str
    output_index: int
    modality: ResponseKind
    previous_item_id: str | None
    item_added_ms: float
    done_ms: float
    entries: list[tuple[float, MockOutput]] = field(default_factory=list)
    audio_deltas: list[tuple[float, float]] = field(default_factory=list)
    text_pieces: list[tuple[float, str]] = field(default_factory=list)
    request: ResponseRequest | None = None
    #: A function-call response's (call_id, name, arguments).
    call: tuple[str, str, str] | None = None

    def sent_ms(self, now_ms: float) -> float:
        """Duration (ms) of the audio in deltas due at or before ``now_ms``."""
        return sum(ms for due, ms in self.audio_deltas if due <= now_ms)

    def sent_text(self, now_ms: float) -> str:
        """Transcript (or text) in pieces due at or before ``now_ms``."""
        return "".join(piece for due, piece in self.text_pieces if due <= now_ms)

    def prune_after(self, now_ms: float) -> None:
        """Forget deltas not yet due (after a cancel)."""
        self.audio_deltas = [(d, n) for d, n in self.audio_deltas if d <= now_ms]
        self.text_pieces = [(d, p) for d, p in self.text_pieces if d <= now_ms]


def split_words(text: str) -> list[str]:
    """Split text into pieces (a word with its leading spaces) that join back exactly."""
    return [piece for piece in re.split(r"(?<=\s)(?=\S)", text) if piece]


def delta_times(
    now_ms: float, count: int, latency: LatencyModel, rng: random.Random
) -> list[float]:
    """Due times of ``count`` deltas: first at ``now + ttfa``, then every delta_ms/speed.

    Each delta gets a uniform 0..jitter_ms delay from ``rng``; a delta is never due
    before the previous one, so jitter never reorders.
    """
    interval_ms = (
        0.0
        if math.isinf(latency.speed_x_realtime)
        else (latency.delta_ms / latency.speed_x_realtime)
    )
    first_ms = now_ms + latency.ttfa_ms
    times: list[float] = []
    previous = first_ms
    for i in range(count):
        due = first_ms + i * interval_ms
        if latency.jitter_ms > 0:
            due += rng.uniform(0.0, latency.jitter_ms)
        previous = max(previous, due)
        times.append(previous)
    return times


def assistant_item(
    item_id: str, status: str, modality: Modality, text: str | None
) -> dict[str, Any]:
    """An assistant message item (neutral GA content types)."""
    content: list[dict[str, Any]] = []
    if text is not None:
        if modality == "audio":
            content = [{"type": "output_audio", "transcript": text}]
        else:
            content = [{"type": "output_text", "text": text}]
    return {
        "id": item_id,
        "object": "realtime.item",
        "type": "message",
        "role": "assistant",
        "status": status,
        "content": content,
    }


def _part(modality: Modality, text: str) -> dict[str, Any]:
    if modality == "audio":
        return {"type": "audio", "transcript": text}
    return {"type": "text", "text": text}


def usage(
    input_ms: float, output_ms: float, output_words: int, input_words: int = 0
) -> dict[str, Any]:
    """The ``usage`` of a response: text and audio tokens in and out.

    Audio counts ~10 tokens/s in and ~20 tokens/s out (the service's rates); text one
    token a word. Nothing is cached in the mock.
    """
    audio_in = round(input_ms / 100)
    audio_out = round(output_ms / 50)
    total_in = audio_in + input_words
    total_out = audio_out + output_words
    return {
        "total_tokens": total_in + total_out,
        "input_tokens": total_in,
        "output_tokens": total_out,
        "input_token_details": {
            "cached_tokens": 0,
            "text_tokens": input_words,
            "audio_tokens": audio_in,
        },
        "output_token_details": {"text_tokens": output_words, "audio_tokens": audio_out},
    }


@dataclass(frozen=True, slots=True)
class ResponseRequest:
    """Everything needed to plan one response."""

    now_ms: float
    response_id: str
    item_id: str
    previous_item_id: str | None
    audio: bytes
    transcript: str
    modality: Modality
    input_ms: float
    dialect: Dialect
    fault: Fault | None
    rate_limits: tuple[Mapping[str, Any], ...]
    settings: pe.ResponseSettings = field(default_factory=pe.ResponseSettings)
    #: Bytes of ``audio`` per ms (48 for PCM16 24 kHz, 8 for G.711) and per sample.
    bytes_per_ms: float = 48.0
    sample_bytes: int = 2
    input_words: int = 0


def plan_response(
    req: ResponseRequest,
    latency: LatencyModel,
    rng: random.Random,
    event_id: Callable[[], str],
) -> ResponsePlan:
    """Plan a whole response (see the module docstring).

    Parameters
    ----------
    req : ResponseRequest
        Ids, reply audio/transcript, modality, dialect and the armed fault (or None).
    latency : LatencyModel
        Time to first audio, cadence and jitter.
    rng : random.Random
        Jitter source (seeded by the model).
    event_id : callable
        Returns a fresh server event id.

    Returns
    -------
    ResponsePlan
        ``entries`` in send order, with non-decreasing due times.
    """
    rid, iid, now = req.response_id, req.item_id, req.now_ms
    modality = req.modality
    width = req.sample_bytes
    audio = req.audio[: len(req.audio) // width * width]
    pieces = split_words(req.transcript)
    if modality == "audio":
        step = max(1, round(latency.delta_ms * req.bytes_per_ms / width)) * width
        chunks = [audio[i : i + step] for i in range(0, len(audio), step)]
    else:
        chunks = []
    count = len(chunks) if modality == "audio" else len(pieces)
    times = delta_times(now, count, latency, rng)
    first_ms = now + latency.ttfa_ms

    fault = req.fault
    fault_at = min(fault.after_deltas, count) if fault is not None else -1
    if fault is not None and fault.kind == "stall":
        times = [t + fault.stall_s * 1000.0 if i >= fault_at else t for i, t in enumerate(times)]
    end_ms = times[-1] if times else first_ms
    if fault is not None and fault.kind == "stall" and fault_at >= count:
        end_ms += fault.stall_s * 1000.0

    plan = ResponsePlan(rid, iid, 0, modality, req.previous_item_id, first_ms, end_ms, request=req)
    out = plan.entries

    def send(due: float, event_cls: Any, *args: Any, **kwargs: Any) -> None:
        out.append((due, SendEvent(event_cls(*args, **kwargs, event_id=event_id()))))

    content = {"response_id": rid, "item_id": iid, "output_index": 0, "content_index": 0}
    send(now, pe.ResponseCreated, rid, req.settings)
    send(
        first_ms,
        pe.ResponseOutputItemAdded,
        rid,
        0,
        assistant_item(iid, "in_progress", modality, None),
    )
    send(
        first_ms,
        pe.ConversationItemCreated,
        assistant_item(iid, "in_progress", modality, None),
        req.previous_item_id,
    )
    send(first_ms, pe.ResponseContentPartAdded, **content, part=_part(modality, ""))

    # Which transcript pieces follow which audio delta (all at first_ms if no audio).
    piece_at = [
        min(count - 1, j * count // len(pieces)) if count else -1 for j in range(len(pieces))
    ]

    def fault_now(index: int) -> bool:
        """Handle the fault due before delta ``index``; True when the response ends."""
        if fault is None or index != fault_at:
            return False
        due = times[index] if index < count else end_ms
        if fault.kind == "malformed_frame":
            prior = times[index - 1] if index > 0 else first_ms
            out.append((prior, SendRaw(MALFORMED_FRAME)))
            return False
        if fault.kind == "close_mid_response":
            out.append((due, CloseConnection(1011, "mock fault: close_mid_response")))
            plan.done_ms = math.inf
            return True
        if fault.kind == "error":
            error = service_errors.server_error()
            send(due, pe.ErrorEvent, error)
            details = {"type": "failed", "error": {"type": error.type, "code": error.code}}
            item = assistant_item(iid, "incomplete", modality, plan.sent_text(due))
            send(
                due,
                pe.ResponseDone,
                rid,
                "failed",
                details,
                (item,),
                usage(req.input_ms, plan.sent_ms(due), 0, req.input_words),
                req.settings,
            )
            plan.done_ms = due
            return True
        return False  # stall: already applied to the times

    for i in range(count):
        if fault_now(i):
            return plan
        if modality == "audio":
            send(times[i], pe.ResponseAudioDelta, **content, delta=chunks[i])
            plan.audio_deltas.append((times[i], len(chunks[i]) / req.bytes_per_ms))
            for j, at in enumerate(piece_at):
                if at == i:
                    send(times[i], pe.ResponseAudioTranscriptDelta, **content, delta=pieces[j])
                    plan.text_pieces.append((times[i], pieces[j]))
        else:
            send(times[i], pe.ResponseTextDelta, **content, delta=pieces[i])
            plan.text_pieces.append((times[i], pieces[i]))
    if count == 0:
        for piece in pieces:
            send(first_ms, pe.ResponseAudioTranscriptDelta, **content, delta=piece)
            plan.text_pieces.append((first_ms, piece))
    if fault_now(count):
        return plan
    plan.entries.extend(
        closing_entries(plan, end_ms, "completed", None, req, event_id, plan.sent_text(end_ms))
    )
    return plan


def closing_entries(
    plan: ResponsePlan,
    due: float,
    status: str,
    status_details: Mapping[str, Any] | None,
    req: ResponseRequest,
    event_id: Callable[[], str],
    text: str,
) -> list[tuple[float, MockOutput]]:
    """The events that end a response: the ``*.done`` chain and ``response.done``.

    For a response cancelled before its first delta (``due < item_added_ms``) only
    ``response.done`` (with no output) is sent.
    """
    rid, iid = plan.response_id, plan.item_id
    modality: Modality = "text" if plan.modality == "text" else "audio"
    out: list[tuple[float, MockOutput]] = []

    def send(event_cls: Any, *args: Any, **kwargs: Any) -> None:
        out.append((due, SendEvent(event_cls(*args, **kwargs, event_id=event_id()))))

    content = {"response_id": rid, "item_id": iid, "output_index": 0, "content_index": 0}
    item_status = "completed" if status == "completed" else "incomplete"
    output: tuple[dict[str, Any], ...] = ()
    if due >= plan.item_added_ms:
        if modality == "audio":
            send(pe.ResponseAudioDone, **content)
            send(pe.ResponseAudioTranscriptDone, **content, transcript=text)
        else:
            send(pe.ResponseTextDone, **content, text=text)
        send(pe.ResponseContentPartDone, **content, part=_part(modality, text))
        item = assistant_item(iid, item_status, modality, text)
        send(pe.ResponseOutputItemDone, rid, 0, item)
        if req.dialect is Dialect.GA:
            send(pe.ConversationItemDone, item, plan.previous_item_id)
        output = (item,)
    words = len(split_words(text))
    send(
        pe.ResponseDone,
        rid,
        status,
        status_details,
        output,
        usage(req.input_ms, plan.sent_ms(due), words, req.input_words),
        req.settings,
    )
    send(pe.RateLimitsUpdated, req.rate_limits)
    return out
