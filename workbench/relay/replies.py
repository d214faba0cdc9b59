"""The response side of the session machine: reply audio, transcripts, calls, the end.

:class:`ReplyHandlers` is a base class of
:class:`~workbench.relay.machine.SessionMachine` holding the handlers of a response's
events — audio deltas (decoded to PCM16 24 kHz at the audio edge), assistant
transcript deltas, function calls, ``response.done`` — and the shell's answers to
function calls. Same contract as the machine: pure, synchronous, each call returns a
:class:`~workbench.relay.steps.Step`.
"""

from __future__ import annotations

from typing import Final

from workbench.audio import MODEL_FORMAT
from workbench.protocol import events as pe
from workbench.relay.audio_edge import ReplyDecoder
from workbench.relay.events import AudioOut, ToolOutput, TranscriptDelta, TranscriptFinal
from workbench.relay.playback import PlaybackTracker
from workbench.relay.steps import NOTHING, OPEN, State, Step
from workbench.relay.tool_calls import ToolCallBook
from workbench.relay.turns import TurnBook

#: Bytes per ms of the PCM16 24 kHz audio shells get (the edge decodes G.711 to it).
_BYTES_PER_MS: Final = MODEL_FORMAT.bytes_per_second / 1000.0


class ReplyHandlers:
    """What a response does to the session (the machine's state, declared here)."""

    state: State
    turns: TurnBook
    playback: PlaybackTracker
    calls: ToolCallBook
    reply_audio: ReplyDecoder
    _active_response_id: str | None
    _cancelled: dict[str, None]

    @property
    def tools_pending(self) -> bool:
        """Whether function calls wait for outputs (the shell or service owes an answer)."""
        return bool(len(self.calls) or self.turns.tool_wait)

    def tool_output(self, call_id: str, output: str, now_ms: float) -> Step:
        """The shell answers function call ``call_id`` with ``output``.

        The answer is emitted as ``ToolOutput`` at once; it goes upstream (as a
        ``function_call_output`` item, then ``response.create``) when every call of its
        response is answered and no response is active.

        Raises
        ------
        ToolCallError
            ``call_id`` is not waiting (unknown, answered, or lost with its session).
        """
        call = self.calls.answer(call_id, output)
        sent = self._send_tool_outputs(now_ms)
        return Step(emit=(ToolOutput(call_id, call.name, output),), send=sent)

    def _send_tool_outputs(self, now_ms: float) -> tuple[pe.ClientEvent, ...]:
        # One response at a time: outputs wait for the active response to finish.
        if self._active_response_id is not None or self.state is not OPEN:
            return ()
        return self.calls.outputs_to_send(self.turns, now_ms)

    def _on_audio(self, event: pe.ResponseAudioDelta, now: float) -> Step:
        rid = event.response_id
        if rid in self._cancelled:
            return NOTHING  # stale audio of a response we interrupted
        turn = self.turns.in_flight.get(rid)
        if turn is not None:
            marks = turn.marks_ms
            marks.setdefault("first_audio_delta", now)
            marks["last_audio_delta"] = now
        pcm16 = self.reply_audio.decode(event.item_id, event.delta)
        if not pcm16:
            return NOTHING  # all of it is in the G.711 resampler's look-ahead
        offset_ms = self.playback.on_emitted(event.item_id, rid, len(pcm16) / _BYTES_PER_MS)
        return Step(emit=(AudioOut(pcm16, event.item_id, rid, offset_ms),))

    def _on_audio_done(self, event: pe.ResponseAudioDone, now: float) -> Step:
        # The end of an item's G.711 audio: the resampler's held samples (PCM16: none).
        tail = self.reply_audio.flush(event.item_id)
        if not tail or event.response_id in self._cancelled:
            return NOTHING
        rid = event.response_id
        offset_ms = self.playback.on_emitted(event.item_id, rid, len(tail) / _BYTES_PER_MS)
        return Step(emit=(AudioOut(tail, event.item_id, rid, offset_ms),))

    def _on_call(self, event: pe.ResponseFunctionCallArgumentsDone, now: float) -> Step:
        if event.response_id in self._cancelled:
            return NOTHING
        found = self.calls.on_call(
            event.call_id, event.name, event.arguments, event.item_id, event.response_id
        )
        return NOTHING if found is None else Step(emit=(found,))

    def _on_assistant_delta(
        self, event: pe.ResponseAudioTranscriptDelta | pe.ResponseTextDelta, now: float
    ) -> Step:
        if event.response_id in self._cancelled:
            return NOTHING
        if isinstance(event, pe.ResponseAudioTranscriptDelta):
            self.playback.on_text(event.item_id, event.response_id, event.delta)
        return Step(emit=(TranscriptDelta("assistant", event.item_id, event.delta),))

    def _on_transcript_done(self, event: pe.ResponseAudioTranscriptDone, now: float) -> Step:
        if event.response_id in self._cancelled:
            # Cut by a barge-in: the shell already has the heard part as the final
            # transcript; the model's holds words the listener never heard.
            return NOTHING
        return Step(emit=(TranscriptFinal("assistant", event.item_id, event.transcript),))

    def _on_response_done(self, event: pe.ResponseDone, now: float) -> Step:
        rid = event.response_id
        if self._active_response_id == rid:
            self._active_response_id = None
        self.playback.on_response_done(rid)
        self.reply_audio.drop()
        status = "cancelled" if rid in self._cancelled else event.status
        emit = self.calls.calls_in_output(event.output, rid) if status == "completed" else []
        turn = self.turns.turn_of(rid)
        if status == "completed" and self.calls.has_calls(rid):
            self.turns.wait_for_tools(rid)  # the turn goes on after the outputs
        else:
            self.calls.drop_response(rid)
            done = None if turn is None else self.turns.finish(turn, status, rid, now)
            if done is not None:
                emit.append(done)
        return Step(emit=tuple(emit), send=self._send_tool_outputs(now))
