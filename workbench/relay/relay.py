"""The relay: one session of user audio in, model audio and typed events out.

A ``Relay`` is the asyncio shell around a :class:`~workbench.relay.machine.SessionMachine`:
it turns the shell's audio into frames, hands the shell's calls to the machine, and
queues events for the shell; its :class:`~workbench.relay.link.UpstreamLink` connects,
reads, reconnects and closes. Every decision (turns, barge-in, errors, reconnects) is
the machine's. It knows nothing of HTTP, Gradio or JSON.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Literal, TypeVar

import numpy as np

from workbench.audio.clip_stream import iter_clip, take_batch
from workbench.backends.base import Backend
from workbench.clock import Clock, MonotonicClock, VirtualClock
from workbench.errors import UpstreamError, WorkbenchError
from workbench.protocol import events as pe
from workbench.relay.audio_edge import WireAudio
from workbench.relay.config import RelayConfig
from workbench.relay.events import AudioOut, RelayEvent, SessionEnded, TurnDone
from workbench.relay.input import InputPipeline
from workbench.relay.link import UpstreamLink
from workbench.relay.machine import SessionMachine
from workbench.relay.outbox import Outbox
from workbench.relay.settings_check import check_session_settings
from workbench.relay.steps import CLOSED, CLOSING, State
from workbench.relay.timeline import SessionTimeline, TurnTimeline

Pace = Literal["realtime", "fast"]
T = TypeVar("T")


class Relay:
    """One realtime session between a shell and a model.

    Parameters
    ----------
    backend : Backend
        Where sessions are opened (``InProcessBackend``, ``OpenAISdkBackend``).
    config : RelayConfig
        Chunking, resampling, turn detection, session settings, timeouts.
    clock : Clock
        Time base of the timeline, of pacing and of reconnect backoff;
        ``VirtualClock`` in tests.

    Raises
    ------
    SettingsError
        Session settings the service would refuse in the backend's dialect (an unknown
        voice, a temperature out of range …), every problem at once, before any
        connection is opened.

    Examples
    --------
    >>> async with Relay(InProcessBackend()) as relay:   # doctest: +SKIP
    ...     await relay.send_file("fixtures/audio/en_hello_44k1_aac_faststart.m4a")
    ...     async for event in relay.events_until_turn_done():
    ...         ...
    """

    def __init__(
        self,
        backend: Backend,
        config: RelayConfig | None = None,
        *,
        clock: Clock | None = None,
    ) -> None:
        self.backend = backend
        self.config = config if config is not None else RelayConfig()
        self.clock = clock if clock is not None else MonotonicClock()
        check_session_settings(self.config, backend.info.dialect, backend.info.model)
        self.wire_audio = WireAudio(self.config.audio_format)
        self.outbox = Outbox(self.config.max_queued_audio_s * 1000.0, self.clock.now_ms)
        self.machine = SessionMachine(self.config)
        self._input = self._new_input()
        self._link = UpstreamLink(
            backend, self.config, self.clock, self.machine, self.outbox, self._reset_input
        )

    # --- lifecycle -------------------------------------------------------------------

    async def __aenter__(self) -> Relay:
        await self.start()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def start(self) -> None:
        """Connect upstream, send the session settings, emit ``SessionInfo``.

        Raises ``UpstreamError`` if the model cannot be reached (before any streaming,
        so a shell can still answer with an HTTP status); the session is then over.
        """
        if not self.machine.start():
            return
        try:
            await self._link.open()
        except UpstreamError:
            await self.close(reason="error")
            raise

    async def close(self, reason: str = "closed") -> None:
        """Close upstream (bounded by ``close_timeout_s``), cancel tasks, end events.

        Parameters
        ----------
        reason : str
            ``SessionEnded.reason`` if the session had not ended already (default
            ``closed``; a session service passes ``stop``, ``idle``, ``limit`` …).
        """
        self.machine.start_closing()
        await self._link.close()
        self._link.apply_now(self.machine.end(reason, self.clock.now_ms()))

    def end(self, reason: str) -> None:
        """Emit ``SessionEnded(reason)`` once (pending turns fail first); nothing follows."""
        self._link.apply_now(self.machine.end(reason, self.clock.now_ms()))

    @property
    def closed(self) -> bool:
        """True once the session is closing or has ended (closed, failed or capped)."""
        return self.machine.state >= CLOSING

    @property
    def state(self) -> State:
        """Lifecycle state: CONNECTING, OPEN, CLOSING or CLOSED."""
        return self.machine.state

    @property
    def timeline(self) -> SessionTimeline:
        """Every turn of this session with its stage timestamps."""
        return self.machine.turns.timeline

    @property
    def responses(self) -> Mapping[str, TurnTimeline]:
        """Response id → turn, for responses in flight and the last few finished."""
        return self.machine.turns.responses

    @property
    def input_ms_sent(self) -> float:
        """Input audio sent upstream so far (ms at the model rate)."""
        return self.machine.input_ms_sent

    @property
    def tools_pending(self) -> bool:
        """Whether function calls wait for an output (see :meth:`send_tool_output`)."""
        return self.machine.tools_pending

    def response_timeout_s(self) -> float | None:
        """How long to wait for the next upstream event (None: no response is due)."""
        return self.machine.read_timeout_s()

    # --- events out ------------------------------------------------------------------

    def emit(self, event: RelayEvent) -> None:
        """Queue an event for the shell (dropped after the session ended)."""
        if self.machine.state is not CLOSED:
            self.outbox.put(event)

    def __aiter__(self) -> AsyncIterator[RelayEvent]:
        return self._iterate(until_turn_done=False)

    def events_until_turn_done(self) -> AsyncIterator[RelayEvent]:
        """Iterate events up to and including the next ``TurnDone`` (or session end)."""
        return self._iterate(until_turn_done=True)

    async def _iterate(self, *, until_turn_done: bool) -> AsyncIterator[RelayEvent]:
        get, machine, now_ms = self.outbox.get, self.machine, self.clock.now_ms
        while True:
            event = await get()
            if type(event) is AudioOut:
                machine.audio_delivered(event, now_ms())
            yield event
            if type(event) is SessionEnded or (until_turn_done and type(event) is TurnDone):
                return

    # --- audio in --------------------------------------------------------------------

    def _new_input(self) -> InputPipeline:
        return InputPipeline(
            self.config.chunk_ms,
            self.config.resampler,
            self.config.max_input_duration_s,
            out_rate_hz=self.wire_audio.rate_hz,
            max_decoded_bytes=self.config.max_decoded_bytes,
        )

    def _reset_input(self) -> None:
        # Buffered input belongs to the upstream session that was lost.
        self._input = self._new_input()

    async def feed(self, audio: np.ndarray | bytes, sample_rate_hz: int | None = None) -> None:
        """Send user audio upstream.

        Parameters
        ----------
        audio : np.ndarray or bytes
            Samples of any dtype, shape ``(n,)``, ``(n, ch)`` or ``(ch, n)`` at
            ``sample_rate_hz``; or the next piece of an *encoded* stream (wav, mp3, ogg,
            webm, m4a…) whose rate is read from the stream.
        sample_rate_hz : int | None
            Rate of ``audio`` (Hz); required for arrays.

        Between reconnects the audio is dropped (it would go to a session that is gone).
        """
        self.machine.check_usable()
        if isinstance(audio, bytes | bytearray | memoryview):
            frames = await self._blocking(self._input.push_encoded, bytes(audio))
        else:
            if sample_rate_hz is None:
                raise WorkbenchError("feed(array) needs sample_rate_hz", code="bad_audio")
            frames = self._input.push_array(audio, sample_rate_hz)
        if frames:
            await self._send_frames(frames)

    async def _send_frames(self, frames: list[bytes]) -> None:
        # The hot path: one machine call per feed(), one client event per frame.
        conn = self._link.conn
        wire = self.wire_audio
        if not wire.passthrough:
            frames = [wire.encode(frame) for frame in frames]  # G.711, frame by frame
        duration_ms = sum(map(len, frames)) / wire.bytes_per_ms
        if conn is None or not self.machine.input_audio(duration_ms, self.clock.now_ms()):
            return
        try:
            for frame in frames:
                await conn.send(pe.InputAudioBufferAppend(audio=frame))
        except UpstreamError:
            if self._link.conn is conn:
                raise  # see UpstreamLink.send_all

    async def commit(self, *, create_response: bool = True) -> None:
        """End the user's turn: flush input, ``input_audio_buffer.commit``, ``response.create``.

        Needed with turn detection ``none``; with VAD the model commits by itself.
        """
        self.machine.check_usable()
        tail = await self._blocking(self._input.end)
        if tail:
            await self._send_frames(tail)
        await self._link.apply(self.machine.commit(create_response, self.clock.now_ms()))
        self._link.response_now_due()

    async def flush_input(self) -> None:
        """Send the input still short of a whole frame now (and the resampler's tail).

        Ends the input stream like a commit does, without committing: the next audio
        starts a fresh stream.
        """
        self.machine.check_usable()
        tail = await self._blocking(self._input.end)
        if tail:
            await self._send_frames(tail)

    async def send_file(
        self,
        source: bytes | str | Path | BinaryIO,
        *,
        pace: Pace = "fast",
        commit: bool = True,
    ) -> float:
        """The seed's flow: stream a whole clip in ``chunk_ms`` frames, commit.

        The clip is decoded block by block (about half a second at a time) while it is
        sent, so memory does not grow with its length or sample rate.

        Parameters
        ----------
        source : bytes, path or file object
            An encoded clip in any format the audio core decodes.
        pace : {"fast", "realtime"}
            Send as fast as possible, or one frame per ``chunk_ms`` of wall time.
        commit : bool
            Commit and ask for a response at the end (turn detection ``none``).

        Returns
        -------
        float
            Duration of the clip in seconds.
        """
        self.machine.check_usable()
        blocks = iter(iter_clip(source, max_duration_s=self.config.max_input_duration_s))
        start_ms = self.clock.now_ms()
        n_frames = 0
        duration_s = 0.0
        last = False
        while not last:
            batch = await self._blocking(take_batch, blocks)
            frames: list[bytes] = []
            for samples, rate_hz in batch:
                frames += self._input.push_array(samples, rate_hz)
                duration_s += len(samples) / rate_hz
            last = not batch
            if last:
                frames += self._input.end()
            for frame in frames:
                if pace == "realtime":
                    await self.clock.sleep_until(start_ms + n_frames * self.config.chunk_ms)
                await self._send_frames([frame])
                n_frames += 1
        if commit and self.config.manual_commit:
            await self.commit()
        return duration_s

    # --- playout and barge-in --------------------------------------------------------

    def report_playout(self, played_ms: float, item_id: str | None = None) -> None:
        """The shell's playback position (ms) within the current assistant item."""
        self.machine.report_playout(played_ms, item_id, self.clock.now_ms())

    async def interrupt(self, played_ms: float | None = None) -> None:
        """Barge in now: cancel the response and cut the item at ``played_ms`` (ms)."""
        self.machine.check_usable()
        await self._link.apply(self.machine.interrupt(played_ms, self.clock.now_ms()))

    # --- function calls -------------------------------------------------------------

    async def send_tool_output(self, call_id: str, output: str) -> None:
        """Answer the model's function call ``call_id`` (a ``ToolCall`` event) with ``output``.

        Emits ``ToolOutput``. The output goes upstream as a ``function_call_output``
        item, followed by ``response.create``, once every call of the same response is
        answered and that response is done; the reply that follows ends the turn.

        Parameters
        ----------
        call_id : str
            ``ToolCall.call_id``.
        output : str
            The function's result (JSON text by convention).

        Raises
        ------
        ToolCallError
            No call ``call_id`` is waiting (unknown, answered already, or lost with a
            dropped upstream session); ``code`` ``unknown_tool_call``.
        SessionClosedError
            The session has ended.
        """
        self.machine.check_usable()
        if not isinstance(output, str):  # a caller's bug, not bad input from a client
            raise TypeError(f"a tool output must be text, got {type(output).__name__}")
        step = self.machine.tool_output(call_id, output, self.clock.now_ms())
        await self._link.apply(step)
        if step.send:
            self._link.response_now_due()

    async def _blocking(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run CPU-heavy decoding off the event loop, so other sessions keep flowing.

        On a ``VirtualClock`` it runs inline: a thread would let virtual time jump
        ahead while the loop waits for it, and replays must stay deterministic.
        """
        if isinstance(self.clock, VirtualClock):
            return fn(*args, **kwargs)
        return await asyncio.to_thread(fn, *args, **kwargs)
