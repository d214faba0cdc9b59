"""MockRealtimeModel: a sans-I/O fake of the realtime model.

Client events go in with the time they arrived (``receive_wire(data, now_ms)`` for a
parsed frame, ``receive(event, now_ms)`` for a typed one, encoded in the session's
dialect first); server events come out with the time they are due (``due(now_ms)``,
``next_due_ms()``). No socket, no clock: tests drive it on virtual time and the
WebSocket server (:mod:`workbench.mock.server`) is a thin loop around it.

Like the service: ``session.created`` (+ preview ``conversation.created``) with
``expires_at``; every client event checked (:mod:`workbench.mock.validation`) and a bad
one answered with the service's error; server VAD (default), approximated semantic VAD
or manual commits; PCM16 24 kHz or G.711 8 kHz in and out; transcription deltas and
completion after a modelled delay; responses (:mod:`workbench.mock.respond`) or
function calls; cancel, barge-in, truncate against the audio *sent so far*; one
injected fault per connection.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Mapping
from typing import Any

from workbench.errors import ProtocolError
from workbench.mock import service_errors, session_state
from workbench.mock.audio_edge import InputDecoder, decode_whole
from workbench.mock.behaviours import Reply, TurnInput, make_behaviour, tone_pcm16
from workbench.mock.config import Fault as Fault
from workbench.mock.config import FaultKind as FaultKind
from workbench.mock.config import LatencyModel as LatencyModel
from workbench.mock.config import MockConfig as MockConfig
from workbench.mock.config import ScriptedTurn as ScriptedTurn
from workbench.mock.conversation import Conversation
from workbench.mock.input_buffer import InputBuffer, SpeechBegan
from workbench.mock.items import read_client_item, user_audio_item
from workbench.mock.replay import ReplayModel
from workbench.mock.respond import cancel_entries, plan_next
from workbench.mock.responses import CloseConnection as CloseConnection
from workbench.mock.responses import MockOutput as MockOutput
from workbench.mock.responses import ResponsePlan
from workbench.mock.responses import SendEvent as SendEvent
from workbench.mock.responses import SendRaw as SendRaw
from workbench.mock.session_state import default_session as default_session
from workbench.mock.transcription import plan_transcription
from workbench.mock.validation import (
    SessionFacts,
    base64_violation,
    check_client_event,
    event_id_of,
    recover_event_id,
    to_error,
)
from workbench.protocol import events as pe
from workbench.protocol.client_codec import decode_client_event, encode_client_event
from workbench.protocol.json_codec import Dialect

SAMPLE_RATE_HZ = 24_000
#: Unix time the in-process mock's sessions start at (fixed: recordings stay identical).
DEFAULT_EPOCH_S = 1_767_225_600.0  # 2026-01-01T00:00:00Z
_RESPONSE_FAULTS = ("error", "close_mid_response", "stall", "malformed_frame")
_SESSION_NUMBERS = itertools.count(1)


class MockRealtimeModel:
    """A fake realtime model session (sans-I/O).

    Parameters
    ----------
    config : MockConfig
        Behaviour, latency model, fault, session cap.
    dialect : Dialect
        The connection's dialect, fixed for its life (the server takes it from the URL
        and headers; no event changes it).
    model : str
        Model name reported in the session.
    session_id : str, optional
        Session id (default: a unique ``sess_mock…``).
    epoch_s : float
        Unix time (s) of ``start``; ``expires_at`` is counted from it.

    Attributes
    ----------
    closed : bool
        True once a ``CloseConnection`` has been returned by ``due``.
    session : SessionSettings
        The effective session settings (every field set).
    """

    def __init__(
        self,
        config: MockConfig | None = None,
        dialect: Dialect = Dialect.GA,
        *,
        model: str = "gpt-realtime",
        session_id: str | None = None,
        epoch_s: float = DEFAULT_EPOCH_S,
    ) -> None:
        self.config = config if config is not None else MockConfig()
        self.dialect = dialect
        self.model_name = model
        self._tag = f"mock{next(_SESSION_NUMBERS):04d}"
        self.session_id = session_id or f"sess_{self._tag}"
        self.session = default_session(model)
        self.closed = False
        self._epoch_s = epoch_s
        self._expires_at: int | None = None
        self._behaviour = make_behaviour(self.config)
        self._rng = random.Random(self.config.latency.seed)
        self._queue: list[tuple[float, int, MockOutput, str | None]] = []
        self._seq = itertools.count()
        self._ids = itertools.count(1)
        self._started = False
        fault = self.config.fault
        self._response_fault = (
            fault if fault is not None and fault.kind in _RESPONSE_FAULTS else None
        )
        self._rate_limit_armed = fault is not None and fault.kind == "rate_limit"
        self._requests_remaining = 5000
        self._input = InputBuffer(self.session.turn_detection)
        self._decoder = InputDecoder("pcm16")
        self._pending_item_id: str | None = None  # user item id reserved at speech start
        self._conversation = Conversation(f"conv_{self._tag}")
        self._active: ResponsePlan | None = None
        self._turn_index = 0
        self._assistant_audio_sent = False
        script = self.config.replay_script
        self._replay = ReplayModel(script, dialect) if script is not None else None

    # -- the sans-I/O surface ---------------------------------------------------------

    def start(self, now_ms: float) -> None:
        """Queue ``session.created`` (+ ``conversation.created`` in preview, the cap)."""
        if self._replay is not None:
            self._replay.start(now_ms)
            return
        if self._started:
            return
        self._started = True
        caps = [self.config.session_cap_s]
        if self.config.fault is not None and self.config.fault.kind == "session_cap":
            caps.append(self.config.fault.session_cap_s)
        cap_s = min((c for c in caps if c is not None), default=None)
        length_s = session_state.DEFAULT_SESSION_LENGTH_S if cap_s is None else cap_s
        self._expires_at = int(self._epoch_s + length_s)
        self._emit(now_ms, pe.SessionCreated, self.session, self.session_id, self._expires_at)
        if self.dialect is Dialect.PREVIEW:
            self._emit(now_ms, pe.ConversationCreated, self._conversation.conversation_id)
        if cap_s is not None:
            due = now_ms + cap_s * 1000.0
            self._emit(due, pe.ErrorEvent, service_errors.session_expired(cap_s))
            self._push(due, CloseConnection(1000, "session expired"))

    def receive(self, event: pe.ClientEvent, now_ms: float) -> None:
        """Apply one typed client event (encoded in the session's dialect, then checked)."""
        if self._replay is not None and not self.closed:
            self._replay.receive(event, now_ms)
            return
        if isinstance(event, pe.InputAudioBufferAppend) and not self.closed:
            # Typed audio is valid by construction: skip the base64 round trip (the hot
            # path of in-process sessions, every 20-100 ms).
            self.start(now_ms)
            self._apply(event, now_ms)
            return
        self.receive_wire(encode_client_event(event, self.dialect), now_ms)

    def receive_wire(self, data: Mapping[str, Any], now_ms: float) -> None:
        """Apply one parsed client frame that arrived at ``now_ms`` (ignored once closed).

        The frame is checked like the service checks it; a bad one is answered with an
        ``error`` event (the service's ``code``, ``param`` and the client's
        ``event_id``) and changes nothing.
        """
        if self.closed:
            return
        if self._replay is not None:
            self._replay.receive(decode_client_event(data), now_ms)
            return
        self.start(now_ms)
        facts = SessionFacts(self.session.voice or "", self._assistant_audio_sent)
        error = check_client_event(data, self.dialect, facts)
        if error is not None:
            self._error(now_ms, error)
            return
        try:
            event = decode_client_event(data)
        except ProtocolError as exc:  # the schema passed, so this is a value problem
            event_id = event_id_of(data)
            if data.get("type") == "input_audio_buffer.append":
                self._error(now_ms, to_error(base64_violation("audio"), event_id))
            else:
                self._error(now_ms, service_errors.invalid_event(exc.message, event_id))
            return
        self._apply(event, now_ms)

    def reject(
        self, message: str, now_ms: float, code: str = "invalid_value", frame: str | bytes = b""
    ) -> None:
        """Answer a frame that is not a JSON object (its ``event_id`` kept when readable)."""
        if self.closed or self._replay is not None:
            return
        self.start(now_ms)
        event_id = recover_event_id(frame) if frame else None
        self._error(now_ms, service_errors.invalid_event(message, event_id, code))

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
            if isinstance(output, SendEvent) and isinstance(output.event, pe.ResponseAudioDelta):
                self._assistant_audio_sent = True
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

    # -- dispatch -----------------------------------------------------------------------

    def _apply(self, event: pe.ClientEvent, now_ms: float) -> None:
        match event:
            case pe.SessionUpdate():
                self._session_update(event.session, now_ms)
            case pe.InputAudioBufferAppend():
                self._append(self._decoder.decode(event.audio), now_ms)
            case pe.InputAudioBufferCommit():
                self._client_commit(event, now_ms)
            case pe.InputAudioBufferClear():
                self._input.clear()
                self._pending_item_id = None
                self._emit(now_ms, pe.InputAudioBufferCleared)
            case pe.ConversationItemCreate():
                self._item_create(event, now_ms)
            case pe.ConversationItemTruncate():
                self._truncate(event, now_ms)
            case pe.ResponseCreate():
                self._response_create(event.response, now_ms, event.event_id)
            case pe.ResponseCancel():
                active = self._active_plan(now_ms)
                if active is None or event.response_id not in (None, active.response_id):
                    self._error(now_ms, service_errors.cancel_not_active(event.event_id))
                else:
                    self._cancel(active, now_ms, "client_cancelled")
            case pe.UnknownClientEvent():
                self._other(event, now_ms)

    def _session_update(self, update: pe.SessionSettings, now_ms: float) -> None:
        old = self.session
        self.session = session_state.merge_session(old, update)
        if self.session.turn_detection != old.turn_detection:
            self._input.set_turn_detection(self.session.turn_detection)
        if self.session.input_audio_format != self._decoder.audio_format:
            self._decoder = InputDecoder(self.session.input_audio_format or "pcm16")
        self._emit(now_ms, pe.SessionUpdated, self.session, self.session_id, self._expires_at)

    def _other(self, event: pe.UnknownClientEvent, now_ms: float) -> None:
        """Valid reference events the mock does not model (item retrieve/delete)."""
        item_id = event.payload.get("item_id")
        if event.type == "conversation.item.delete" and item_id in self._conversation.plans:
            self._conversation.plans.pop(str(item_id))
            payload = {"item_id": item_id}
            self._emit(now_ms, pe.UnknownServerEvent, "conversation.item.deleted", payload)
            return
        message = f"The mock does not model {event.type} for item {item_id!r}."
        self._error(now_ms, service_errors.invalid_event(message, event.event_id))

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
        self._append(self._decoder.flush(), now_ms)  # the resampler's look-ahead, if any
        buffered_ms = self._input.buffered_ms
        if buffered_ms < service_errors.MIN_COMMIT_MS:
            self._error(now_ms, service_errors.commit_empty(buffered_ms, event.event_id))
            return
        self._commit(self._input.take_all(), now_ms)

    def _commit(self, audio: bytes, now_ms: float) -> None:
        """Turn ``audio`` into a user item: committed, item added (+ done), transcription."""
        item_id = self._pending_item_id or self._new_id("item")
        self._pending_item_id = None
        seconds = len(audio) / 2 / SAMPLE_RATE_HZ
        transcript = self.config.user_transcript or f"(mock transcript of {seconds:.2f} s of audio)"
        self._conversation.user_turn(audio, transcript)
        self._emit(now_ms, pe.InputAudioBufferCommitted, item_id, self._conversation.last_item_id)
        self._add_item(user_audio_item(item_id), self._conversation.last_item_id, now_ms)
        model = self.session.input_transcription_model
        if model is not None:
            delay_ms = self.config.latency.transcription_delay_ms
            for due, event in plan_transcription(
                item_id, transcript, seconds, model, now_ms, delay_ms, self._event_id
            ):
                self._push(due, SendEvent(event))

    def _add_item(self, item: Mapping[str, Any], previous: str | None, now_ms: float) -> None:
        self._emit(now_ms, pe.ConversationItemCreated, item, previous)
        if self.dialect is Dialect.GA:
            self._emit(now_ms, pe.ConversationItemDone, item, previous)
        self._conversation.add(item)

    # -- conversation items -------------------------------------------------------------

    def _item_create(self, event: pe.ConversationItemCreate, now_ms: float) -> None:
        client_item = read_client_item(event.item, self._new_id("item"))
        audio = client_item.audio_pcm16
        if audio is not None:
            audio = decode_whole(audio, self.session.input_audio_format or "pcm16")
        self._conversation.user_turn(audio, client_item.text)
        previous = event.previous_item_id or self._conversation.last_item_id
        self._add_item(client_item.item, previous, now_ms)

    def _truncate(self, event: pe.ConversationItemTruncate, now_ms: float) -> None:
        error = self._conversation.truncate_error(event, now_ms)
        if error is not None:
            self._error(now_ms, error)
            return
        self._emit(now_ms, pe.ConversationItemTruncated, event.item_id, 0, event.audio_end_ms)

    # -- responses ----------------------------------------------------------------------

    def _active_plan(self, now_ms: float) -> ResponsePlan | None:
        plan = self._active
        if plan is None or plan.done_ms <= now_ms:
            return None
        return plan

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
        self._requests_remaining = max(0, self._requests_remaining - 1)
        next_response = plan_next(
            now_ms=now_ms,
            overrides=overrides,
            session=self.session,
            dialect=self.dialect,
            config=self.config,
            conversation=self._conversation,
            fault=self._response_fault,
            requests_remaining=self._requests_remaining,
            new_id=self._new_id,
            event_id=self._event_id,
            rng=self._rng,
            reply=self._reply,
        )
        if next_response.used_fault:
            self._response_fault = None
        plan = next_response.plan
        for due_ms, output in plan.entries:
            self._push(due_ms, output, plan.response_id)
        self._active = plan
        self._conversation.add(next_response.item, plan)

    def _reply(self) -> Reply:
        conv = self._conversation
        if self.config.behaviour == "tool" and conv.last_kind == "function_call_output":
            audio = tone_pcm16(self.config.tone_hz, self.config.tone_ms)
            return Reply(audio, f"The tool answered: {conv.tool_output}")
        turn = TurnInput(conv.user_audio_pcm16, conv.user_transcript, self._turn_index)
        self._turn_index += 1
        return self._behaviour.respond(turn)

    def _cancel(self, plan: ResponsePlan, now_ms: float, reason: str) -> None:
        """Stop ``plan`` at once: drop what is not yet due, send the closing events."""
        rid = plan.response_id
        self._queue = [e for e in self._queue if not (e[3] == rid and e[0] > now_ms)]
        heapq.heapify(self._queue)
        plan.prune_after(now_ms)
        entries = cancel_entries(
            plan, now_ms, reason, self.dialect, self._requests_remaining, self._event_id
        )
        for due_ms, output in entries:
            self._push(due_ms, output, None)
        plan.done_ms = now_ms
        self._active = None
