"""One live session of any shell: a relay, its record, its limits, one event iterator.

Every shell drives a session the same way: feed input (microphone samples, PCM16
frames, an encoded stream, a whole clip), end turns, barge in, and read events through
:meth:`LiveSession.events`, which records each event (transcript, errors, timelines),
counts it in the metrics and keeps the idle timer fresh. Closing is bounded in time,
safe from any task, cancelled or not, and ends the record with an :class:`EndReason`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Protocol

import anyio
import numpy as np

from workbench.audio.clip_stream import ClipSource
from workbench.backends.base import Backend
from workbench.clock import Clock
from workbench.errors import AudioDecodeError, AudioError, UpstreamError, WorkbenchError
from workbench.mock.service_errors import MIN_COMMIT_MS
from workbench.relay import (
    AudioOut,
    Relay,
    RelayConfig,
    RelayError,
    RelayEvent,
    SessionEnded,
    SpeechStopped,
    ToolCall,
    TurnDone,
    TurnTimeline,
)
from workbench.relay.voice_to_voice import Arrivals, TurnAudioReport
from workbench.service.clip_input import ClipInput, Pace
from workbench.service.decode_slots import DecodeSlots
from workbench.service.encoded_input import EncodedInput
from workbench.service.end_reason import EndReason, from_relay_reason
from workbench.service.limits import input_too_long, too_short
from workbench.service.metrics import ServiceMetrics
from workbench.service.records import SessionStore
from workbench.service.tools import answer_call
from workbench.service.turn_reports import apply_turn_report, frame_count
from workbench.settings import RelaySettings, ServerSettings

log = logging.getLogger(__name__)


class SessionOwner(Protocol):
    """What a session needs from the service that owns it (``SessionService``)."""

    clock: Clock
    server: ServerSettings
    store: SessionStore
    metrics: ServiceMetrics
    decodes: DecodeSlots
    wall_time_s: Callable[[], float]

    def relay_config(self, settings: RelaySettings) -> RelayConfig:
        """The relay configuration for ``settings`` on this server."""
        ...

    def check_settings(self, settings: RelaySettings, *, answers_tools: bool = False) -> None:
        """Raise ``SettingsError`` for settings the backend's service would refuse."""
        ...

    def backend_for(self, settings: RelaySettings) -> Backend:
        """The backend a session with ``settings`` talks to."""
        ...

    def session_ended(self, session: LiveSession) -> None:
        """Called once when ``session`` has ended."""
        ...


#: Bound on draining the relay's last events after closing it (s).
_CLOSE_SLACK_S = 0.5


class LiveSession:
    """One session, owned by a :class:`~workbench.service.service.SessionService`
    (through the :class:`SessionOwner` interface, so this module does not import it).

    Attributes
    ----------
    id : str
        The session id (``X-Session-Id``, ``GET /sessions/{id}``).
    kind : str
        The shell: ``upload``, ``upload_stream``, ``websocket``, ``talk``, ``file``, ``cli``.
    settings : RelaySettings
        What the session chose.
    record : SessionRecord
        What ``GET /sessions/{id}`` shows (transcript, errors, turns, end reason).
    relay : Relay
        The session's relay (shells use the methods of this class instead).
    answers_tools : bool
        Whether the shell answers function calls itself (``tools: client``); with
        ``tools: demo`` :meth:`next_event` answers them.
    """

    def __init__(
        self,
        service: SessionOwner,
        kind: str,
        settings: RelaySettings,
        config: RelayConfig,
        backend: Backend,
        *,
        answers_tools: bool = False,
    ) -> None:
        self.service = service
        self.kind = kind
        self.answers_tools = answers_tools
        self.settings = settings
        self.config = config
        self.backend = backend
        self.clock = service.clock
        self.record = service.store.create(kind, backend.info.description)
        self.id = self.record.session_id
        self.relay = Relay(backend, config, clock=self.clock)
        self._events: AsyncIterator[RelayEvent] = aiter(self.relay)
        self.started_ms = self.clock.now_ms()
        self.last_activity_ms = self.started_ms
        self.end_reason: EndReason | None = None
        #: The error code the service ended the session with (``idle_timeout``,
        #: ``client_too_slow`` …), None if it was not ended from outside.
        self.expired_code: str | None = None
        self._turn_start_input_ms = 0.0
        self._closing = False
        self._started = False
        self._encoded = self._new_encoded_input()
        self._readers = 0  # tasks waiting in next_event() now
        self.input_arrivals = Arrivals()  # ms of input (at its own rate) → arrival
        self._ended = anyio.Event()
        # Looked up once: a labelled child per audio frame costs a dict lookup and a lock.
        self._audio_in_bytes = service.metrics.audio_in_bytes.labels(kind=kind)
        self._audio_out_bytes = service.metrics.audio_out_bytes.labels(kind=kind)

    # --- lifecycle ---------------------------------------------------------------------

    @property
    def live(self) -> bool:
        """Whether the session has not ended."""
        return self.end_reason is None and not self.relay.closed

    @property
    def started(self) -> bool:
        """Whether the upstream session was opened."""
        return self._started

    async def start(self) -> None:
        """Open the upstream session.

        Raises
        ------
        UpstreamError
            The model could not be reached (recorded; the session is closed).
        """
        self._started = True
        try:
            await self.relay.start()
        except WorkbenchError as exc:
            self.record.add_error(exc.code, exc.message, fatal=True)
            self.service.metrics.errors.labels(code=exc.code).inc()
            await self.close(EndReason.UPSTREAM_ERROR)
            raise
        except Exception as exc:  # a backend bug must not leak a live session
            await self.close(EndReason.UPSTREAM_ERROR)
            log.exception("session %s: opening the upstream session failed", self.id)
            raise UpstreamError(
                "could not open the upstream session (a server error; see the server log)",
                code="upstream_error",
            ) from exc

    async def restart(self, settings: RelaySettings) -> None:
        """Reopen upstream with new ``settings`` (only before any audio was sent).

        Raises ``SettingsError`` (the session unchanged) for settings the service refuses.
        """
        self.service.check_settings(settings, answers_tools=self.answers_tools)
        config = self.service.relay_config(settings)
        with contextlib.suppress(Exception):
            await self.relay.close()
        self.settings, self.config = settings, config
        self.backend = self.service.backend_for(settings)  # e.g. another network profile
        self.relay = Relay(self.backend, config, clock=self.clock)
        self._events = aiter(self.relay)
        self._encoded = self._new_encoded_input()  # the new settings' resampler
        self._started = False
        await self.start()

    async def close(self, reason: EndReason, *, drain: bool = True) -> None:
        """End the session for ``reason`` (idempotent, bounded in time).

        Shielded from cancellation: a client that disconnects cancels the shell's task,
        and the upstream session must still be closed (within about
        ``close_timeout_s``), not leaked.

        Parameters
        ----------
        reason : EndReason
            Why it ended (recorded, counted, sent to the client by the shell).
        drain : bool
            Record the relay's last events (failed turns) after closing it, unless a
            task is reading :meth:`events` right now (it gets them instead).
        """
        if self._closing:
            return
        self._closing = True
        budget_s = self.config.close_timeout_s * 2 + _CLOSE_SLACK_S
        with anyio.CancelScope(shield=True), anyio.move_on_after(budget_s):
            with contextlib.suppress(Exception):
                await self.relay.close(reason=reason.value)
            if drain and not self._readers:
                await self._drain()
        self._finish(reason)

    async def wait_ended(self) -> None:
        """Return once the session has ended (a shell stuck writing to its client
        watches this to give up: the service ended the session meanwhile)."""
        await self._ended.wait()

    async def expire(self, reason: EndReason, code: str, message: str) -> None:
        """End the session from outside its shell (idle, too long, shutdown).

        The shell reading :meth:`events` gets a fatal ``RelayError(code, message)`` and
        then ``SessionEnded(reason)``.
        """
        if not self.live:
            return
        self.expired_code = code
        self.relay.emit(RelayError(code, message, fatal=True))
        self.record.add_error(code, message, fatal=True)
        await self.close(reason, drain=False)

    def _finish(self, reason: EndReason) -> None:
        if self.end_reason is not None:
            return
        self.end_reason = reason
        self._ended.set()
        self._encoded.abort()  # its worker and buffers go now
        self.record.input_audio_ms = self.relay.input_ms_sent
        self.record.finish(reason, self.relay.timeline)
        self.service.session_ended(self)
        log.info(
            "session %s (%s) ended: %s, %d error(s)",
            self.id,
            self.kind,
            reason.value,
            self.record.error_count,
        )

    async def _drain(self) -> None:
        # After close() the relay's last events (failed turns, SessionEnded) sit in its
        # outbox; record them (get() does not wait while items are queued).
        outbox = self.relay.outbox
        while len(outbox):
            event = await outbox.get()
            self._observe(event)
            if isinstance(event, SessionEnded):
                return

    # --- input ---------------------------------------------------------------------------

    async def feed_samples(self, samples: np.ndarray, sample_rate_hz: int) -> None:
        """Send samples of any dtype/layout (a microphone chunk, a decoded block) upstream.

        Opens the upstream session first if it is not open yet (so input that turns out
        not to be audio never opens one).

        Raises
        ------
        LimitError
            The current turn's input passed the server's limit (``too_long``, 413).
        """
        self._touch()
        if not self._started:
            await self.start()
        now_ms = self.clock.now_ms()
        await self.relay.feed(samples, sample_rate_hz)
        self.input_arrivals.received(frame_count(samples) * 1000.0 / sample_rate_hz, now_ms)
        self._check_turn_input()

    async def feed_pcm16(self, pcm16: bytes, sample_rate_hz: int) -> None:
        """Send PCM16 LE mono bytes at ``sample_rate_hz`` (a WebSocket frame, a raw body).

        Raises
        ------
        AudioError
            An odd byte count (``bad_audio``).
        LimitError
            The turn's input is too long.
        """
        self._audio_in_bytes.inc(len(pcm16))
        if len(pcm16) % 2:
            raise AudioError(
                f"PCM16 needs an even byte count, got {len(pcm16)} bytes", code="bad_audio"
            )
        if pcm16:
            await self.feed_samples(np.frombuffer(pcm16, dtype="<i2"), sample_rate_hz)

    async def feed_encoded(self, data: bytes) -> None:
        """Send the next piece of an encoded stream (wav, mp3, ogg, webm, m4a …).

        Decoded as it arrives (a faststart or fragmented m4a, wav, flac, mp3, ogg, webm
        stream) in bounded pieces at the model's rate (:class:`~workbench.service.
        encoded_input.EncodedInput`); the upstream session opens with the first decoded
        audio.

        Raises
        ------
        LimitError
            ``too_many_decodes`` (503); ``too_large`` (a compression bomb); ``too_long``.
        AudioDecodeError
            Not audio, corrupt, unsupported rate or codec.
        """
        self._audio_in_bytes.inc(len(data))
        self._touch()
        await self._encoded.feed(data)

    async def end_encoded(self) -> None:
        """The encoded stream ended: decode what is left (a plain m4a decodes only now,
        block by block)."""
        await self._encoded.end()

    async def send_clip(self, source: ClipSource, *, pace: Pace = "fast") -> float:
        """Decode a whole clip block by block, send it, commit (turn detection none).

        Memory does not grow with the clip: each ~0.5 s of decoded audio is resampled,
        chunked and sent before the next is decoded. If the session is not started yet,
        the whole clip is decoded once first (and the samples dropped): a clip that is
        not audio, truncated, corrupt or too long never opens an upstream session.

        Parameters
        ----------
        source : bytes, path or seekable file
            Any format the audio core decodes.
        pace : {"fast", "realtime"}
            Send as fast as upstream takes it, or at the clip's own pace.

        Returns
        -------
        float
            The clip's duration (s).
        """
        clip = ClipInput(source, self.service.server, self.clock)
        async with self.service.decodes.slot():
            sent_s = await clip.send(self.feed_samples, check_first=not self._started, pace=pace)
        if self.config.manual_commit:
            await self.commit()
        return sent_s

    async def commit(self, *, create_response: bool = True) -> None:
        """End the user's turn: flush input (an encoded stream too), commit, ask for a reply.

        ``create_response=False`` only commits (a recorded session that did so).

        Raises
        ------
        AudioDecodeError
            ``empty_input`` when no audio was sent at all (nothing to commit).
        """
        self._touch()
        await self.end_encoded()
        if not self._started:
            raise AudioDecodeError(
                "no audio arrived; send audio before ending the turn", code="empty_input"
            )
        if self.config.manual_commit:
            await self.relay.flush_input()
            turn_ms = self.relay.input_ms_sent - self._turn_start_input_ms
            if turn_ms < MIN_COMMIT_MS:
                # The model refuses such a commit (input_audio_buffer_commit_empty): say
                # it as the client's mistake (422), before a paid round trip fails.
                raise too_short(MIN_COMMIT_MS, turn_ms)
        await self.relay.commit(create_response=create_response)
        self._turn_start_input_ms = self.relay.input_ms_sent

    async def flush_input(self) -> None:
        """Send buffered input short of a whole frame now, without ending the turn."""
        self._touch()
        if self._started:
            await self.relay.flush_input()

    async def send_tool_output(self, call_id: str, output: str) -> None:
        """Answer the model's function call ``call_id`` (a ``ToolCall`` event).

        Raises
        ------
        ToolCallError
            No such call is waiting (``unknown_tool_call``; answered already, e.g. by
            the service's demo tools, or lost with its upstream session).
        """
        self._touch()
        await self.relay.send_tool_output(call_id, output)

    async def interrupt(self, played_ms: float | None = None) -> None:
        """Barge in: cancel the reply and cut it at ``played_ms`` (what the listener heard)."""
        self._touch()
        await self.relay.interrupt(played_ms)

    def report_playout(self, played_ms: float, item_id: str | None = None) -> None:
        """The client's playback position (ms) within the current assistant item."""
        self._touch()
        self.relay.report_playout(played_ms, item_id)

    def report_turn_audio(self, report: TurnAudioReport) -> TurnTimeline:
        """Apply what the client measured on a turn's audio (voice-to-voice latency).

        Instants on this session's clock (a client converts them after a clock sync);
        the turn derives ``voice_to_voice_ms`` and its parts, the record shows it at once
        (also for a turn that ended). See :func:`~workbench.service.turn_reports.
        apply_turn_report` (raises ``UnknownResponseError`` for an unknown reply).
        """
        self._touch()
        return apply_turn_report(report, self.relay.responses, self.input_arrivals, self.record)

    def _new_encoded_input(self) -> EncodedInput:
        server = self.service.server
        return EncodedInput(
            server, self.config.resampler, self.clock, self.service.decodes, self.feed_samples
        )

    def _touch(self) -> None:
        self.last_activity_ms = self.clock.now_ms()

    def _check_turn_input(self) -> None:
        turn_ms = self.relay.input_ms_sent - self._turn_start_input_ms
        if turn_ms > self.service.server.max_input_audio_s * 1000.0:
            raise input_too_long(self.service.server)

    # --- output --------------------------------------------------------------------------

    async def next_event(self) -> RelayEvent:
        """The next relay event, recorded and counted before it is returned.

        There is one stall timeout, the relay's ``response_timeout_s``: while a reply is
        due and upstream sends nothing, the relay reports ``upstream_timeout`` and
        fails the turn, so this never waits forever on a dead model.

        Raises
        ------
        StopAsyncIteration
            The events ended (after ``SessionEnded``).
        """
        self._readers += 1
        try:
            event = await anext(self._events)
        finally:
            self._readers -= 1
        self._observe(event)
        if type(event) is ToolCall and self.settings.tools == "demo":
            await self._answer_demo(event)
        return event

    async def _answer_demo(self, call: ToolCall) -> None:
        # The service answers its demo tools for every shell; ToolOutput follows.
        output = answer_call(call.name, call.arguments, self.service.wall_time_s())
        try:
            await self.relay.send_tool_output(call.call_id, output)
        except WorkbenchError as exc:  # the session ended or was lost meanwhile
            log.info("session %s: demo tool answer not sent: %s", self.id, exc.message)

    async def events(self, *, until_turn_done: bool = False) -> AsyncIterator[RelayEvent]:
        """Events until the session ends (or, with ``until_turn_done``, the turn ends)."""
        while True:
            try:
                event = await self.next_event()
            except StopAsyncIteration:
                return
            yield event
            if isinstance(event, SessionEnded):
                return
            if until_turn_done and isinstance(event, TurnDone):
                return

    def _observe(self, event: RelayEvent) -> None:
        self.record.observe(event)
        self.service.metrics.observe(event)
        if isinstance(event, AudioOut):
            self._touch()
            self._audio_out_bytes.inc(len(event.pcm16))
        elif isinstance(event, SpeechStopped):
            # The model ended the user's turn: the per-turn input limit starts again.
            self._turn_start_input_ms = self.relay.input_ms_sent
        elif isinstance(event, SessionEnded):
            self._finish(from_relay_reason(event.reason))
