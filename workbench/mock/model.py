"""MockRealtimeModel: a sans-I/O fake of the realtime model.

Client events go in with the time they arrived (``receive(event, now_ms)``); server
events come out with the time they are due (``due(now_ms)``, ``next_due_ms()``). The
model never touches a socket or a clock, so tests drive it on virtual time and the
WebSocket server (:mod:`workbench.mock.server`) is a thin loop around it.

What it does, like the service: ``session.created`` on start; ``session.update`` ->
``session.updated``; input audio buffer with server VAD (default, as on the service),
approximated semantic VAD, or manual commits; commit -> ``input_audio_buffer.committed``
+ the user item (+ input transcription when a transcription model is set); responses
planned by the latency model (:mod:`workbench.mock.responses`); cancel, barge-in,
truncate validated against the audio *sent so far*; one injected fault per connection.
Outputs due at or before ``now`` count as sent (the transport sends them in order).
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from workbench.errors import ProtocolError
from workbench.mock import service_errors
from workbench.mock.behaviours import TurnInput, make_behaviour
from workbench.mock.config import Fault as Fault
from workbench.mock.config import FaultKind as FaultKind
from workbench.mock.config import LatencyModel as LatencyModel
from workbench.mock.config import MockConfig as MockConfig
from workbench.mock.config import ScriptedTurn as ScriptedTurn
from workbench.mock.input_buffer import InputBuffer, SpeechBegan, samples_to_ms
from workbench.mock.items import read_client_item, user_audio_item
from workbench.mock.replay import ReplayModel
from workbench.mock.responses import CloseConnection as CloseConnection
from workbench.mock.responses import MockOutput as MockOutput
from workbench.mock.responses import (
    Modality,
    ResponsePlan,
    ResponseRequest,
    closing_entries,
    plan_response,
)
from workbench.mock.responses import SendEvent as SendEvent
from workbench.mock.responses import SendRaw as SendRaw
from workbench.protocol import events as pe
from workbench.protocol.json_codec import Dialect

SAMPLE_RATE_HZ = 24_000
_RESPONSE_FAULTS = ("error", "close_mid_response", "stall", "malformed_frame")
_SESSION_NUMBERS = itertools.count(1)
_SUPPORTED = (
    "session.update, input_audio_buffer.append, input_audio_buffer.commit, "
    "input_audio_buffer.clear, conversation.item.create, conversation.item.truncate, "
    "response.create, response.cancel"
)


def default_session(model: str) -> pe.SessionSettings:
    """The settings of a fresh session (server VAD on, like the service)."""
    return pe.SessionSettings(
        model=model,
        output_modalities=("audio",),
        instructions="",
        voice="alloy",
        input_transcription_model=None,
        turn_detection=pe.ServerVad(),
        temperature=0.8,
    )


class MockRealtimeModel:
    """A fake realtime model session (sans-I/O).

    Parameters
    ----------
    config : MockConfig
        Behaviour, latency model, fault, session cap.
    dialect : Dialect
        The dialect the transport speaks; only decides GA-only events
        (``conversation.item.done``). May be changed later (``model.dialect = ...``).
    model : str
        Model name reported in the session.
    session_id : str, optional
        Session id (default: a unique ``sess_mock…``).

    Attributes
    ----------
    closed : bool
        True once a ``CloseConnection`` has been returned by ``due``.
    session : SessionSettings
        The effective session settings.
    """

    def __init__(
        self,
        config: MockConfig | None = None,
        dialect: Dialect = Dialect.GA,
        *,
        model: str = "gpt-realtime",
        session_id: str | None = None,
    ) -> None:
        self.config = config if config is not None else MockConfig()
        self.dialect = dialect
        self.model_name = model
        number = next(_SESSION_NUMBERS)
        self._tag = f"mock{number:04d}"
        self.session_id = session_id or f"sess_{self._tag}"
        self.session = default_session(model)
        self.closed = False
        self._behaviour = make_behaviour(self.config)
        self._rng = random.Random(self.config.latency.seed)
        self._queue: list[tuple[float, int, MockOutput, str | None]] = []
        self._seq = itertools.count()
        self._ids = itertools.count(1)
        self._started = False
        fault = self.config.fault
        self._response_fault: Fault | None = (
            fault if fault is not None and fault.kind in _RESPONSE_FAULTS else None
        )
        self._rate_limit_armed = fault is not None and fault.kind == "rate_limit"
        self._requests_remaining = 5000
        self._input = InputBuffer(self.session.turn_detection)
        self._pending_item_id: str | None = None  # user item id reserved at speech start
        # Conversation.
        self._last_item_id: str | None = None
        self._items: dict[str, ResponsePlan | None] = {}  # None: not an assistant audio item
        self._active: ResponsePlan | None = None
        self._turn_index = 0
        self._last_user_audio = b""
        self._last_user_transcript = ""
        self._last_input_ms = 0.0
        # ``replay`` with a recorded script: every call below is served by the recording.
        script = self.config.replay_script
        self._replay = ReplayModel(script, dialect) if script is not None else None

    # -- the sans-I/O surface ---------------------------------------------------------

    def start(self, now_ms: float) -> None:
        """Queue ``session.created`` (and the session cap, if any) at ``now_ms``."""
        if self._replay is not None:
            self._replay.start(now_ms)
            return
        if self._started:
            return
        self._started = True
        self._emit(now_ms, pe.SessionCreated, self.session, self.session_id)
        caps = [self.config.session_cap_s]
        if self.config.fault is not None and self.config.fault.kind == "session_cap":
            caps.append(self.config.fault.session_cap_s)
        cap_s = min((c for c in caps if c is not None), default=None)
        if cap_s is not None:
            due = now_ms + cap_s * 1000.0
            self._emit(due, pe.ErrorEvent, service_errors.session_expired(cap_s))
            self._push(due, CloseConnection(1000, "session expired"))

    def receive(self, event: pe.ClientEvent, now_ms: float) -> None:
        """Apply one client event that arrived at ``now_ms`` (ignored once closed)."""
        if self.closed:
            return
        if self._replay is not None:
            self._replay.receive(event, now_ms)
            return
        self.start(now_ms)
        match event:
            case pe.SessionUpdate():
                self._session_update(event, now_ms)
            case pe.InputAudioBufferAppend():
                self._append(event.audio, now_ms)
            case pe.InputAudioBufferCommit():
                self._client_commit(event, now_ms)
            case pe.InputAudioBufferClear():
                self._clear(now_ms)
            case pe.ConversationItemCreate():
                self._item_create(event, now_ms)
            case pe.ConversationItemTruncate():
                self._truncate(event, now_ms)
            case pe.ResponseCreate():
                self._response_create(event.response, now_ms, event.event_id)
            case pe.ResponseCancel():
                self._response_cancel(event, now_ms)
            case pe.UnknownClientEvent():
                message = f"Invalid value: '{event.type}'. Supported values are: {_SUPPORTED}."
                self._error(now_ms, service_errors.invalid_event(message, event.event_id))

    def reject(self, message: str, now_ms: float, code: str = "invalid_value") -> None:
        """Answer a client frame the transport could not decode with an error event."""
        if not self.closed:
            self.start(now_ms)
            self._error(now_ms, service_errors.invalid_event(message, None, code))

    def due(self, now_ms: float) -> list[MockOutput]:
        """Pop every output due at or before ``now_ms``, in order.

        A ``CloseConnection`` ends the list and the session (``closed`` becomes True).
        """
        if self._replay is not None:
            return self._replay.due(now_ms)
        out: list[MockOutput] = []
        while self._queue and self._queue[0][0] <= now_ms:
            _, _, output, _ = heapq.heappop(self._queue)
            out.append(output)
            if isinstance(output, CloseConnection):
                self.closed = True
                self._queue.clear()
                break
        return out

    def next_due_ms(self) -> float | None:
        """When the next output is due (ms), or None when nothing is queued."""
        if self._replay is not None:
            return self._replay.next_due_ms()
        return self._queue[0][0] if self._queue else None

    # -- queue --------------------------------------------------------------------------

    def _push(self, due_ms: float, output: MockOutput, tag: str | None = None) -> None:
        heapq.heappush(self._queue, (due_ms, next(self._seq), output, tag))

    def _event_id(self) -> str:
        return f"event_{self._tag}_{next(self._ids)}"

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_{self._tag}_{next(self._ids)}"

    def _emit(self, due_ms: float, event_cls: Any, *args: Any, **kwargs: Any) -> None:
        self._push(due_ms, SendEvent(event_cls(*args, **kwargs, event_id=self._event_id())))

    def _error(self, now_ms: float, error: pe.ErrorInfo) -> None:
        self._emit(now_ms, pe.ErrorEvent, error)

    # -- session ------------------------------------------------------------------------

    def _session_update(self, event: pe.SessionUpdate, now_ms: float) -> None:
        new = event.session
        changes = {
            name: getattr(new, name)
            for name in (
                "output_modalities",
                "instructions",
                "voice",
                "input_transcription_model",
                "turn_detection",
                "temperature",
            )
            if getattr(new, name) is not None
        }
        old_td = self.session.turn_detection
        self.session = replace(self.session, **changes)
        if self.session.turn_detection != old_td:
            self._input.set_turn_detection(self.session.turn_detection)
        self._emit(now_ms, pe.SessionUpdated, self.session, self.session_id)

    # -- input audio buffer -------------------------------------------------------------

    def _append(self, audio: bytes, now_ms: float) -> None:
        td = self.session.turn_detection
        for boundary in self._input.append(audio):
            assert isinstance(td, pe.ServerVad | pe.SemanticVad)
            item_id = self._pending_item_id or self._new_id("item")
            self._pending_item_id = item_id
            if isinstance(boundary, SpeechBegan):
                self._emit(
                    now_ms, pe.InputAudioBufferSpeechStarted, boundary.audio_start_ms, item_id
                )
                active = self._active_plan(now_ms)
                if active is not None and td.interrupt_response:
                    self._cancel(active, now_ms, "turn_detected")
                continue
            self._emit(now_ms, pe.InputAudioBufferSpeechStopped, boundary.audio_end_ms, item_id)
            self._commit(boundary.audio_pcm16, now_ms)
            if td.create_response and self._active_plan(now_ms) is None:
                self._response_create(None, now_ms, None)

    def _client_commit(self, event: pe.InputAudioBufferCommit, now_ms: float) -> None:
        buffered_ms = self._input.buffered_ms
        if buffered_ms < service_errors.MIN_COMMIT_MS:
            self._error(now_ms, service_errors.commit_empty(buffered_ms, event.event_id))
            return
        self._commit(self._input.take_all(), now_ms)

    def _clear(self, now_ms: float) -> None:
        self._input.clear()
        self._pending_item_id = None
        self._emit(now_ms, pe.InputAudioBufferCleared)

    def _commit(self, audio: bytes, now_ms: float) -> None:
        """Turn ``audio`` into a user item: committed, item added (+ done, transcription)."""
        item_id = self._pending_item_id or self._new_id("item")
        self._pending_item_id = None
        previous = self._last_item_id
        seconds = len(audio) / 2 / SAMPLE_RATE_HZ
        transcript = self.config.user_transcript or f"(mock transcript of {seconds:.2f} s of audio)"
        self._last_user_audio = audio
        self._last_user_transcript = transcript
        self._last_input_ms = seconds * 1000.0
        self._emit(now_ms, pe.InputAudioBufferCommitted, item_id, previous)
        item = user_audio_item(item_id)
        self._add_item(item, previous, now_ms)
        if self.session.input_transcription_model is not None:
            usage = {"type": "duration", "seconds": round(seconds, 3)}
            self._emit(now_ms, pe.InputAudioTranscriptionCompleted, item_id, 0, transcript, usage)

    def _add_item(self, item: Mapping[str, Any], previous: str | None, now_ms: float) -> None:
        self._emit(now_ms, pe.ConversationItemCreated, item, previous)
        if self.dialect is Dialect.GA:
            self._emit(now_ms, pe.ConversationItemDone, item, previous)
        self._items[str(item["id"])] = None
        self._last_item_id = str(item["id"])

    # -- conversation items -------------------------------------------------------------

    def _item_create(self, event: pe.ConversationItemCreate, now_ms: float) -> None:
        try:
            client_item = read_client_item(event.item, self._new_id("item"))
        except ProtocolError as exc:
            self._error(now_ms, service_errors.invalid_event(exc.message, event.event_id))
            return
        if client_item.audio_pcm16 is not None:
            self._last_user_audio = client_item.audio_pcm16
            self._last_input_ms = len(client_item.audio_pcm16) / 48.0
        if client_item.text is not None:
            self._last_user_transcript = client_item.text
        self._add_item(client_item.item, event.previous_item_id or self._last_item_id, now_ms)

    def _truncate(self, event: pe.ConversationItemTruncate, now_ms: float) -> None:
        if event.item_id not in self._items:
            self._error(now_ms, service_errors.truncate_unknown_item(event.item_id, event.event_id))
            return
        plan = self._items[event.item_id]
        if plan is None or plan.modality != "audio" or event.content_index != 0:
            self._error(now_ms, service_errors.truncate_not_audio(event.event_id))
            return
        sent_ms = samples_to_ms(plan.sent_samples(now_ms))
        if event.audio_end_ms < 0 or event.audio_end_ms > sent_ms:
            error = service_errors.truncate_too_long(sent_ms, event.audio_end_ms, event.event_id)
            self._error(now_ms, error)
            return
        self._emit(now_ms, pe.ConversationItemTruncated, event.item_id, 0, event.audio_end_ms)

    # -- responses ----------------------------------------------------------------------

    def _active_plan(self, now_ms: float) -> ResponsePlan | None:
        plan = self._active
        if plan is None or plan.done_ms <= now_ms:
            return None
        return plan

    def _modality(self, overrides: Mapping[str, Any] | None) -> Modality:
        chosen: Any = None
        if overrides is not None:
            chosen = overrides.get("output_modalities") or overrides.get("modalities")
        if not isinstance(chosen, list | tuple):
            chosen = self.session.output_modalities or ("audio",)
        return "text" if "audio" not in chosen and "text" in chosen else "audio"

    def _response_create(
        self, overrides: Mapping[str, Any] | None, now_ms: float, event_id: str | None
    ) -> None:
        if self._rate_limit_armed:
            self._rate_limit_armed = False
            self._error(now_ms, service_errors.rate_limited(self.model_name, event_id))
            return
        active = self._active_plan(now_ms)
        if active is not None:
            self._error(now_ms, service_errors.already_active(active.response_id, event_id))
            return
        turn = TurnInput(self._last_user_audio, self._last_user_transcript, self._turn_index)
        self._turn_index += 1
        reply = self._behaviour.respond(turn)
        self._requests_remaining = max(0, self._requests_remaining - 1)
        request = ResponseRequest(
            now_ms=now_ms,
            response_id=self._new_id("resp"),
            item_id=self._new_id("item"),
            previous_item_id=self._last_item_id,
            audio_pcm16=reply.audio_pcm16,
            transcript=reply.transcript,
            modality=self._modality(overrides),
            input_ms=self._last_input_ms,
            dialect=self.dialect,
            fault=self._response_fault,
            rate_limits=self._rate_limits(),
        )
        self._response_fault = None
        plan = plan_response(request, self.config.latency, self._rng, self._event_id)
        for due_ms, output in plan.entries:
            self._push(due_ms, output, plan.response_id)
        self._active = plan
        self._items[plan.item_id] = plan
        self._last_item_id = plan.item_id

    def _rate_limits(self) -> tuple[dict[str, Any], ...]:
        return (
            {
                "name": "requests",
                "limit": 5000,
                "remaining": self._requests_remaining,
                "reset_seconds": 0.012,
            },
            {"name": "tokens", "limit": 40000, "remaining": 38800, "reset_seconds": 1.8},
        )

    def _response_cancel(self, event: pe.ResponseCancel, now_ms: float) -> None:
        active = self._active_plan(now_ms)
        if active is None or (event.response_id not in (None, active.response_id)):
            self._error(now_ms, service_errors.cancel_not_active(event.event_id))
            return
        self._cancel(active, now_ms, "client_cancelled")

    def _cancel(self, plan: ResponsePlan, now_ms: float, reason: str) -> None:
        """Stop ``plan`` at once: drop what is not yet due, send the closing events."""
        rid = plan.response_id
        self._queue = [e for e in self._queue if not (e[3] == rid and e[0] > now_ms)]
        heapq.heapify(self._queue)
        plan.prune_after(now_ms)
        assert plan.request is not None
        request = replace(plan.request, dialect=self.dialect, rate_limits=self._rate_limits())
        details = {"type": "cancelled", "reason": reason}
        for due_ms, output in closing_entries(
            plan, now_ms, "cancelled", details, request, self._event_id, plan.sent_text(now_ms)
        ):
            self._push(due_ms, output, None)
        plan.done_ms = now_ms
        self._active = None
