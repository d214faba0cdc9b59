"""The relay's session logic as a sans-I/O state machine.

Like ``websockets``' ``Protocol`` (which never touches a socket), :class:`SessionMachine`
never awaits, never reads a clock and never sends anything itself. Each input — a server
event, the shell's commit/interrupt/playout report, a connection opened or lost — is a
method call with the current time ``now_ms``; it returns a :class:`Step`: the relay
events to emit, the client events to send and the I/O actions to take (drop queued
audio, close the connection, reconnect at a due time, end the session; see
:mod:`workbench.relay.steps`). The asyncio :class:`~workbench.relay.link.UpstreamLink`
carries steps out, so the barge-in, error and reconnect policy is tested synchronously
(``tests/relay/test_machine.py``).

The hot paths (an audio frame in, an audio delta out) allocate only the events they
produce: :meth:`SessionMachine.input_audio` returns a bool, :meth:`audio_delivered`
returns nothing, and an audio delta's step holds just its ``AudioOut``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from workbench.backends.base import BackendInfo
from workbench.errors import SessionClosedError, UpstreamError
from workbench.protocol import events as pe
from workbench.relay.audio_edge import ReplyDecoder, WireAudio
from workbench.relay.config import RelayConfig
from workbench.relay.events import (
    AudioOut,
    Interrupted,
    RelayError,
    RelayEvent,
    SessionInfo,
    SpeechStarted,
    SpeechStopped,
    TranscriptFinal,
)
from workbench.relay.playback import PlaybackTracker
from workbench.relay.reconnect import SESSION_EXPIRED, ReconnectPolicy
from workbench.relay.replies import ReplyHandlers
from workbench.relay.steps import (
    CLOSED,
    CLOSING,
    CONNECTING,
    NOTHING,
    OPEN,
    Action,
    CloseConnection,
    DropAudio,
    EndSession,
    Reconnect,
    Step,
)
from workbench.relay.surface import surface
from workbench.relay.tool_calls import ToolCallBook
from workbench.relay.turns import TurnBook

#: Error codes meaning the upstream session hit its duration cap.
SESSION_CAP_CODES: Final = frozenset({"session_expired", "session_expired_error"})
#: Expected after our own ``response.cancel`` raced the model finishing the response.
BENIGN_AFTER_CANCEL: Final = frozenset({"response_cancel_not_active"})
#: Model error codes worth retrying later (the session itself stays usable).
RETRYABLE_ERROR_CODES: Final = frozenset({"rate_limit_exceeded"})
#: Cancelled response ids remembered to drop their late audio (only recent ones matter).
_KEEP_CANCELLED = 16


class SessionMachine(ReplyHandlers):
    """One relay session's turns, playback, barge-in, error and reconnect policy.

    Parameters
    ----------
    config : RelayConfig
        Turn detection, session settings, reconnect and timeout settings.

    Attributes
    ----------
    state : State
        Lifecycle state; see :class:`State`.
    turns : TurnBook
        Turn and response bookkeeping (``turns.timeline`` is the session timeline).
    playback : PlaybackTracker
        Where the shell is in the current assistant item.
    input_ms_sent : float
        Input audio handed to upstream so far (ms at the model rate).
    sessions_opened : int
        Upstream sessions opened (1 + reconnects that succeeded).
    calls : ToolCallBook
        Function calls waiting for their outputs.
    """

    def __init__(self, config: RelayConfig) -> None:
        self.config = config
        self.state = CONNECTING
        self.turns = TurnBook()
        self.playback = PlaybackTracker()
        self.reconnect = ReconnectPolicy(config)
        self.input_ms_sent = 0.0
        self.connect_attempts = 0
        self.sessions_opened = 0
        self.calls = ToolCallBook()
        self.reply_audio = ReplyDecoder(WireAudio(config.audio_format))
        self._active_response_id: str | None = None
        self._cancelled: dict[str, None] = {}  # insertion-ordered set, bounded
        self._cancels_sent = 0

    # --- lifecycle -------------------------------------------------------------------

    def start(self) -> bool:
        """The shell starts the session: True means "connect now" (False: already did)."""
        if self.connect_attempts or self.state is not CONNECTING:
            return False
        self.connect_attempts = 1
        return True

    def check_usable(self) -> None:
        """Raise ``SessionClosedError`` unless the shell may feed, commit or interrupt now."""
        if self.state >= CLOSING:
            raise SessionClosedError("the relay session has ended; start a new one")
        if not self.connect_attempts:
            raise SessionClosedError(
                "the relay session is not started; use `async with Relay(...)`"
            )

    def connection_opened(self, info: BackendInfo, dialect: str, now_ms: float) -> Step:
        """An upstream session is open: send the settings, tell the shell which backend."""
        if self.state is not CONNECTING:
            return NOTHING  # closed while connecting: the relay closes this connection
        reconnected = self.sessions_opened > 0
        self.sessions_opened += 1
        self.state = OPEN
        session_info = SessionInfo(
            backend=info.kind,
            description=info.description,
            is_mock=info.is_mock,
            dialect=dialect,
            reconnected=reconnected,
        )
        update = pe.SessionUpdate(session=self.config.session_settings(info.model))
        return Step(emit=(session_info,), send=(update,))

    def connect_failed(self, error: UpstreamError, now_ms: float) -> Step:
        """Opening an upstream session failed (the first one, or a reconnect)."""
        if self.state is not CONNECTING:
            return NOTHING
        if not self.sessions_opened:
            # The shell's start() raises the error itself (an HTTP status is still
            # possible); the session is over without ever opening.
            self.state = CLOSED
            return Step(actions=(EndSession("error"),))
        return self._lost(error.code, error.message, error.retryable, now_ms)

    def connection_lost(self, error: UpstreamError | None, now_ms: float) -> Step:
        """The upstream connection ended: ``error`` None for a clean close by the model."""
        if error is None:
            return self._lost("upstream_closed", "the model closed the session", False, now_ms)
        return self._lost(error.code, error.message, error.retryable, now_ms)

    def read_timed_out(self, now_ms: float) -> Step:
        """No upstream event for ``response_timeout_s`` while a response was due."""
        message = (
            f"the model sent nothing for {self.config.response_timeout_s:g} s "
            "while a response was due"
        )
        return self._lost("upstream_timeout", message, True, now_ms)

    def protocol_error(self, message: str) -> Step:
        """A malformed frame: reported, and the same connection keeps being read."""
        if self.state is CLOSED:
            return NOTHING
        return Step(emit=(RelayError("protocol_error", message, retryable=False),))

    def start_closing(self) -> None:
        """The shell asked to close: no more input; the end follows with :meth:`end`."""
        if self.state < CLOSING:
            self.state = CLOSING

    def end(self, reason: str, now_ms: float) -> Step:
        """End the session with ``reason`` (once): pending turns fail, then the end."""
        if self.state is CLOSED:
            return NOTHING
        self.state = CLOSED
        self.playback.stop()
        self.calls.clear()
        failed = self.turns.fail_pending(now_ms)
        return Step(emit=tuple(failed), actions=(EndSession(reason),))

    def read_timeout_s(self) -> float | None:
        """How long the reader may wait for the next upstream event (None: no bound).

        Bounded only while a response is due: an idle session may stay silent.
        """
        return self.config.response_timeout_s if self.turns.response_due else None

    # --- the shell's inputs ----------------------------------------------------------

    def input_audio(self, duration_ms: float, now_ms: float) -> bool:
        """The shell has ``duration_ms`` of input frames: True to send them, False to drop.

        Audio is dropped between reconnects (it would go to a session that is gone).
        """
        if self.state is not OPEN:
            return False
        self.turns.input_turn().marks_ms.setdefault("first_input_audio", now_ms)
        self.input_ms_sent += duration_ms
        return True

    def commit(self, create_response: bool, now_ms: float) -> Step:
        """End the user's turn (manual turn detection); optionally ask for a response.

        Between reconnects nothing can be committed: the turn ends as failed at once,
        so no shell waits for a reply that cannot come.
        """
        if self.state is not OPEN:
            turn = self.turns.abandon_input() or self.turns.timeline.new_turn()
            turn.mark("commit", now_ms)
            done = self.turns.finish(turn, "failed", None, now_ms)
            return Step(emit=(done,)) if done is not None else NOTHING
        turn = self.turns.input_turn()
        turn.mark("commit", now_ms)
        self.turns.end_input()
        if not create_response:
            return Step(send=(pe.InputAudioBufferCommit(),))
        turn.mark("response_create", now_ms)
        return Step(send=(pe.InputAudioBufferCommit(), pe.ResponseCreate()))

    def interrupt(self, played_ms: float | None, now_ms: float) -> Step:
        """Barge in now: cancel the response and cut its item at ``played_ms`` (ms)."""
        if played_ms is not None:
            self.report_playout(played_ms, None, now_ms)
        return self._barge_in(True, now_ms)

    def report_playout(self, played_ms: float, item_id: str | None, now_ms: float) -> None:
        """The shell's playback position (ms) within the current assistant item."""
        item = self.playback.report(played_ms, item_id, now_ms)
        if item is not None:
            turn = self.turns.turn_of(item.response_id)
            if turn is not None:
                turn.mark("first_playout", now_ms)

    def audio_delivered(self, event: AudioOut, now_ms: float) -> None:
        """The shell took ``event`` off the event stream at ``now_ms``."""
        self.playback.on_delivered(event.item_id, event.duration_ms, now_ms)
        turn = self.turns.turn_of(event.response_id)
        if turn is not None:
            turn.marks_ms.setdefault("first_audio_out", now_ms)

    # --- upstream events -------------------------------------------------------------

    def handle(self, event: pe.ServerEvent, now_ms: float) -> Step:
        """Apply one server event received at ``now_ms``."""
        if self.state is CLOSED:
            return NOTHING
        handler = _HANDLERS.get(type(event))
        if handler is not None:
            return handler(self, event, now_ms)
        shown = surface(event)
        return NOTHING if shown is None else Step(emit=(shown,))

    def _on_speech_started(self, event: pe.InputAudioBufferSpeechStarted, now: float) -> Step:
        self.turns.input_turn().mark("speech_started", now)
        started = SpeechStarted(event.audio_start_ms, event.item_id)
        cut = self._barge_in(False, now)
        return Step(emit=(started, *cut.emit), send=cut.send, actions=cut.actions)

    def _on_speech_stopped(self, event: pe.InputAudioBufferSpeechStopped, now: float) -> Step:
        self.turns.end_input().mark("speech_stopped", now)
        return Step(emit=(SpeechStopped(event.audio_end_ms, event.item_id),))

    def _on_committed(self, event: pe.InputAudioBufferCommitted, now: float) -> Step:
        if self.turns.awaiting:
            self.turns.awaiting[-1].mark("commit", now)
        return NOTHING

    def _on_response_created(self, event: pe.ResponseCreated, now: float) -> Step:
        self.turns.response_created(event.response_id, now)
        self._active_response_id = event.response_id
        return NOTHING

    def _on_error(self, event: pe.ErrorEvent, now: float) -> Step:
        error = event.error
        code = error.code or error.type
        if code in BENIGN_AFTER_CANCEL and self._cancels_sent:
            return NOTHING
        if code in SESSION_CAP_CODES:
            rollover = self.config.on_session_cap == "rollover"
            return self._lost(SESSION_EXPIRED, error.message, rollover, now)
        emit: list[RelayEvent] = [
            RelayError(code, error.message, retryable=code in RETRYABLE_ERROR_CODES)
        ]
        # A refused response.create (rate limit, empty commit) never gets a
        # response.created: end the waiting turn now so no shell waits forever.
        if self._active_response_id is None:
            done = self.turns.fail_oldest_awaiting(now)
            if done is not None:
                emit.append(done)
        return Step(emit=tuple(emit))

    # --- policy ----------------------------------------------------------------------

    def _barge_in(self, force: bool, now_ms: float) -> Step:
        """Cancel the playing response and truncate its item where the listener is.

        The item's final transcript is cut at the same point (what was heard).

        On a VAD speech start only while the listener may still hear the item; on the
        shell's ``interrupt()`` (``force``) always. Queued audio of the item is dropped.
        """
        item = self.playback.current
        if item is None or not (force or self.playback.is_playing(now_ms)):
            return NOTHING
        rid = item.response_id
        send: tuple[pe.ClientEvent, ...] = ()
        if self._active_response_id == rid and rid not in self._cancelled:
            send = (pe.ResponseCancel(),)
            self._cancels_sent += 1
        self._cancelled[rid] = None
        while len(self._cancelled) > _KEEP_CANCELLED:
            del self._cancelled[next(iter(self._cancelled))]
        audio_end_ms = int(item.cut_position_ms(now_ms))
        truncate = pe.ConversationItemTruncate(
            item_id=item.item_id, content_index=0, audio_end_ms=audio_end_ms
        )
        heard = TranscriptFinal("assistant", item.item_id, item.heard_text(audio_end_ms))
        self.playback.stop()
        self.reply_audio.drop()
        return Step(
            emit=(Interrupted(item.item_id, audio_end_ms), heard),
            send=(*send, truncate),
            actions=(DropAudio(item.item_id),),
        )

    def _lost(self, code: str, message: str, retryable: bool, now_ms: float) -> Step:
        """The upstream session is gone: fail what waited on it, then reconnect or end."""
        if self.state >= CLOSING:
            return NOTHING  # the shell is closing anyway; end() says how it ended
        was_open = self.state is OPEN
        decision = self.reconnect.after_loss(code, retryable, now_ms)
        # The error first, so a shell sees why the turns that follow failed.
        error = RelayError(code, message, retryable=not decision.gives_up, fatal=decision.gives_up)
        failed = self.turns.fail_pending(now_ms)
        self.turns.abandon_input()
        self.playback.stop()
        self.reply_audio.drop()
        self.calls.clear()  # their call ids mean nothing to the next session
        self._active_response_id = None
        actions: list[Action] = [CloseConnection()] if was_open else []
        if decision.reconnect_at_ms is None:
            self.state = CLOSED
            actions.append(EndSession(decision.end_reason or "error"))
        else:
            self.state = CONNECTING
            self.connect_attempts += 1
            actions.append(Reconnect(decision.reconnect_at_ms))
        return Step(emit=(error, *failed), actions=tuple(actions))


_HANDLERS: Final[dict[type, Callable[[SessionMachine, Any, float], Step]]] = {
    pe.InputAudioBufferSpeechStarted: SessionMachine._on_speech_started,
    pe.InputAudioBufferSpeechStopped: SessionMachine._on_speech_stopped,
    pe.InputAudioBufferCommitted: SessionMachine._on_committed,
    pe.ResponseCreated: SessionMachine._on_response_created,
    pe.ResponseAudioDelta: SessionMachine._on_audio,
    pe.ResponseAudioDone: SessionMachine._on_audio_done,
    pe.ResponseFunctionCallArgumentsDone: SessionMachine._on_call,
    pe.ResponseAudioTranscriptDelta: SessionMachine._on_assistant_delta,
    pe.ResponseAudioTranscriptDone: SessionMachine._on_transcript_done,
    pe.ResponseTextDelta: SessionMachine._on_assistant_delta,
    pe.ResponseDone: SessionMachine._on_response_done,
    pe.ErrorEvent: SessionMachine._on_error,
}
"""Server event type → handler (stateful); :mod:`workbench.relay.surface` maps the
stateless ones and lists those the relay ignores."""
