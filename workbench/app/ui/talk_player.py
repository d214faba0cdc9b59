"""The Talk tab's Gradio streaming mode: where the reply player is, and the status line.

Gradio's ``gr.Audio`` does not report its position to the server. The page tap
(:mod:`workbench.app.ui.page_tap`) does: when the player starts playing a reply, when
it stalls waiting for data, resumes, and ends, each with the player's position. Without
the tap (its script did not load) Gradio's ``play`` event is all there is, and the
position is estimated as real time since then. :class:`PlayerState` keeps this for the
barge-in position; :class:`TalkStatus` turns it and the session's events into the
status line: listening, you are speaking, waiting for the model, the reply arriving
(the player buffers), playing, interrupted, ended (with the service's end reason).
Sans-I/O: times are passed in (ms on the relay's clock).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from workbench.app.api.ws_server_messages import end_reason_text
from workbench.app.ui.page_tap import PageReply
from workbench.relay import AudioOut, Interrupted, SpeechStarted, SpeechStopped, TurnDone
from workbench.relay.events import RelayEvent

#: "Interrupted" stays the status this long unless something newer happens (ms).
INTERRUPTED_HOLD_MS: Final = 1500.0

PlayerPhase = Literal["idle", "buffering", "playing", "stalled"]


@dataclass
class PlayerState:
    """The reply player of one Talk session.

    ``phase``: ``idle`` (no reply), ``buffering`` (reply audio sent, not playing yet),
    ``playing``, ``stalled`` (the player waits for data mid-reply).
    """

    item_id: str | None = None
    response_id: str | None = None
    delivered_ms: float = 0.0
    phase: PlayerPhase = "idle"
    turn_done: bool = False
    _anchor_ms: float | None = None  # clock time at which position 0 played
    _paused_ms: float | None = None  # position while stalled

    def new_reply(self, item_id: str | None, response_id: str | None) -> None:
        """Reply audio for a new item is being sent to the player."""
        self.item_id, self.response_id = item_id, response_id
        self.delivered_ms = 0.0
        self.phase = "buffering"
        self.turn_done = False
        self._anchor_ms = self._paused_ms = None

    def delivered(self, audio_ms: float) -> None:
        """``audio_ms`` more of the reply was sent to the player."""
        self.delivered_ms += audio_ms

    def on_play(self, now_ms: float) -> None:
        """Gradio's ``play`` event (no page tap): assume it plays in real time from now."""
        if self.phase == "buffering" and self._anchor_ms is None:
            self._anchor_ms = now_ms

    def on_page(self, reply: PageReply, now_ms: float) -> bool:
        """A page tap report about the reply being played; False if it is about another."""
        if reply.response_id is not None and reply.response_id != self.response_id:
            return False
        position = reply.played_ms
        if reply.phase in ("playing", "resumed"):
            self.phase = "playing"
            self._paused_ms = None
            self._anchor_ms = now_ms - (position or 0.0)
        elif reply.phase == "stalled":
            self.phase = "stalled"
            self._paused_ms = position
        elif reply.phase == "ended":
            self.phase = "idle"
            self._paused_ms = self.delivered_ms
        return True

    def interrupted(self) -> None:
        """The reply was cut: nothing plays any more."""
        self.phase = "idle"
        self._anchor_ms = None

    def done(self) -> None:
        """The reply's turn is over on the server (all its audio was sent)."""
        self.turn_done = True

    def position_ms(self, now_ms: float) -> float | None:
        """How much of the reply the listener has heard (ms), capped at what was sent."""
        if self._paused_ms is not None:
            return min(self.delivered_ms, self._paused_ms)
        if self._anchor_ms is None:
            return None
        return max(0.0, min(self.delivered_ms, now_ms - self._anchor_ms))

    def update(self, now_ms: float) -> None:
        """Without page reports: a fully sent reply that played out is over."""
        position = self.position_ms(now_ms)
        if self.phase == "buffering" and self._anchor_ms is not None and (position or 0.0) > 0.0:
            self.phase = "playing"
        if (
            self.phase == "playing"
            and self.turn_done
            and position is not None
            and position >= self.delivered_ms
        ):
            self.phase = "idle"


@dataclass
class TalkStatus:
    """The status line of one Talk session (see the module docstring).

    Parameters
    ----------
    manual_turns : bool
        Turn detection ``none``: the hint says to press "Send turn".
    """

    manual_turns: bool
    player: PlayerState = field(default_factory=PlayerState)
    speaking: bool = False
    awaiting: bool = False
    interrupted_at_ms: float | None = None
    ended: str | None = None
    error: str | None = None

    def on_event(self, event: RelayEvent, now_ms: float) -> None:
        """Follow the session's events."""
        match event:
            case SpeechStarted():
                self.speaking = True
            case SpeechStopped():
                self.speaking, self.awaiting = False, True
            case AudioOut():
                self.awaiting = False
            case Interrupted():
                self.interrupted_at_ms = now_ms
                self.player.interrupted()
            case TurnDone():
                self.awaiting = False
                self.player.done()

    def committed(self) -> None:
        """The user ended the turn (Send turn)."""
        self.awaiting = True

    def fail(self, message: str) -> None:
        """A fatal error: the status says it, verbatim, once the session is over."""
        self.error = message

    def end(self, reason: str) -> None:
        """The session is over (first call wins): "Ended: idle timeout", and the server's
        message verbatim after a dash when an error ended it."""
        if self.ended is None:
            text = f"Ended: {end_reason_text(reason)}"
            self.ended = f"{text} — {self.error}" if self.error else text

    def status(self, now_ms: float) -> tuple[str, str]:
        """``(text, kind)``; kind is info, live, warn or error (the line's colour)."""
        if self.ended is not None:
            return self.ended, "error" if self.error else "info"
        self.player.update(now_ms)
        phase = self.player.phase
        if self.speaking:
            return "You are speaking.", "live"
        if phase == "playing":
            return "Playing the reply.", "live"
        if phase == "stalled":
            return "Playing the reply — Gradio's player is waiting for data.", "warn"
        if phase == "buffering":
            return "The reply is arriving — Gradio's player is buffering it.", "live"
        if self.awaiting:
            return "Waiting for the model.", "live"
        since = self.interrupted_at_ms
        if since is not None and now_ms - since < INTERRUPTED_HOLD_MS:
            return "Interrupted.", "live"
        if self.manual_turns:
            return "Listening — speak, then press “Send turn”.", "live"
        return "Listening — speak; pause to let the model answer.", "live"
