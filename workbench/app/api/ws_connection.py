"""One ``WS /ws/realtime`` connection and its session (:class:`WsConnection`).

Three tasks per connection, all owned by :class:`WsConnection` and cancelled when it
ends: the *reader* takes frames off the socket into a bounded inbox (a flood is dropped
with a ``rate_limited`` error, never buffered without limit); the *processor* applies
them to the relay in order; the *pump* sends relay events out through
:class:`~workbench.app.api.ws_server_messages.WireEncoder`.
Whichever way the connection ends — client
``close``, disconnect, upstream failure — the relay is closed within about a second.
The protocol is specified in docs/api.md.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from starlette.websockets import WebSocketState

from workbench.app.api.ws_client_messages import (
    DEFAULT_KIND,
    MESSAGE_TYPES,
    ClientMessageError,
    ClockPing,
    Close,
    Commit,
    Interrupt,
    Playout,
    SettingsMessage,
    ToolOutputMessage,
    TurnReport,
    is_close_request,
    merge_settings,
    parse_client_text,
    parse_clock_ping,
)
from workbench.app.api.ws_inbox import Inbound, Oversized, WsInbox
from workbench.app.api.ws_netem import WsTransport
from workbench.app.api.ws_server_messages import (
    WireEncoder,
    WireMessage,
    clock_pong_message,
    error_message,
    level_message,
    session_ended_message,
    turn_updated_message,
)
from workbench.errors import LimitError, WorkbenchError
from workbench.relay import SessionEnded, TurnDone
from workbench.service import EndReason, LiveSession, SessionService
from workbench.service.end_reason import from_relay_reason
from workbench.service.limits import client_too_slow_message
from workbench.settings import RelaySettings, SettingsError

#: Bound on any single send to the client during shutdown (s).
_SEND_TIMEOUT_S = 1.0
#: WebSocket close codes.
_NORMAL, _GOING_AWAY, POLICY_CLOSE_CODE, _INTERNAL = 1000, 1001, 1008, 1011
#: The close code for each way a session ends.
_CLOSE_CODES = {
    EndReason.UPSTREAM_ERROR: _INTERNAL,
    EndReason.REJECTED: POLICY_CLOSE_CODE,
    EndReason.SHUTDOWN: _GOING_AWAY,
}


class _ClientGone(Exception):
    """The socket is gone; ends the task that tried to send."""


#: Input meter readings are sent once per this much audio (ms).
INPUT_LEVEL_WINDOW_MS = 100


class WsConnection:
    """One WebSocket client and its session."""

    def __init__(
        self,
        service: SessionService,
        websocket: WsTransport,
        settings: RelaySettings,
        *,
        wait_for_settings: bool = True,
        kind: str = DEFAULT_KIND,
    ) -> None:
        self.service = service
        self.kind = kind
        self.wait_for_settings = wait_for_settings
        self.ws = websocket
        self.settings = settings
        s = service.server
        self.max_json_bytes = s.ws_max_json_bytes
        self.inbox = WsInbox(s.ws_max_json_bytes, s.ws_max_queued_messages, s.ws_max_queued_bytes)
        self.session: LiveSession | None = None
        self.locked = False  # settings are locked once audio or a control message arrived
        self.done = asyncio.Event()
        self.reason = EndReason.STOP
        self.ended_sent = False
        self.disconnected = False
        self.close_requested = False  # a valid ``close`` message was read
        self.abandoned = False  # the client stopped reading: no goodbye, just close
        self._send_lock = asyncio.Lock()
        self._pump: asyncio.Task[None] | None = None
        self._end_watch: asyncio.Task[None] | None = None
        self._encoder = WireEncoder()
        self._input_level_pcm = bytearray()

    # --- lifecycle ---------------------------------------------------------------------

    async def run(self) -> None:
        """Serve the connection until it ends; always closes the session."""
        tasks = [
            asyncio.create_task(self._read_loop(), name="ws-reader"),
            asyncio.create_task(self._process_loop(), name="ws-processor"),
        ]
        try:
            await self.done.wait()
        finally:
            await self._shutdown(tasks)

    async def _shutdown(self, tasks: list[asyncio.Task[None]]) -> None:
        if self._pump is not None:
            tasks.append(self._pump)
        if self._end_watch is not None:
            tasks.append(self._end_watch)
        for task in tasks:
            task.cancel()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.service.server.close_timeout_s):
                await asyncio.gather(*tasks, return_exceptions=True)
        if self.session is not None:
            await self.session.close(self.reason)
            # A client that does not read gets no goodbye: a close handshake would wait
            # on it (uvicorn allows 10 s); the connection is just closed.
            self.abandoned |= self.session.expired_code == "client_too_slow"
        if self.disconnected or self.abandoned or self.ws.client_state != WebSocketState.CONNECTED:
            return
        with contextlib.suppress(Exception):
            async with asyncio.timeout(_SEND_TIMEOUT_S):
                if not self.ended_sent:
                    await self.ws.send_json(session_ended_message(self.reason.value))
                await self.ws.close(code=_CLOSE_CODES.get(self.reason, _NORMAL))

    def finish(self, reason: EndReason) -> None:
        """End the connection for ``reason`` (first call wins)."""
        if not self.done.is_set():
            self.reason = reason
            self.done.set()

    # --- sending -------------------------------------------------------------------------

    async def send(self, message: WireMessage) -> None:
        """Send one text (dict) or binary message; a dead socket ends the connection.

        A client that takes no message for ``client_stall_timeout_s`` (it stopped
        reading: the socket's buffers are full) ends it too, ``client_too_slow`` (reason
        limit): the pump and the input meter must not wait on it forever, holding the
        session and its upstream one.
        """
        stall_s = self.service.server.client_stall_timeout_s
        try:
            async with asyncio.timeout(stall_s), self._send_lock:
                if isinstance(message, bytes):
                    await self.ws.send_bytes(message)
                else:
                    await self.ws.send_json(message)
        except TimeoutError:
            self._too_slow(stall_s)
            raise _ClientGone from None
        except Exception:  # WebSocketDisconnect, ClientDisconnected, RuntimeError after close
            self.disconnected = True
            self.finish(EndReason.CLIENT_GONE)
            raise _ClientGone from None

    def _too_slow(self, stall_s: float) -> None:
        """The client stopped reading: record why and end the connection (limit)."""
        if self.session is not None and not self.done.is_set():
            message = client_too_slow_message(self.service.server, stalled=True)
            self.session.record.add_error("client_too_slow", message, fatal=True)
            self.service.metrics.client_too_slow.labels(rule="stall").inc()
        self.abandoned = True
        self.finish(EndReason.LIMIT)

    async def send_error(self, code: str, message: str, *, fatal: bool = False) -> None:
        """Send an ``error`` event (and record it)."""
        if self.session is not None:
            self.session.record.add_error(code, message, fatal=fatal)
        await self.send(error_message(code, message, fatal=fatal))

    # --- reader --------------------------------------------------------------------------

    async def _read_loop(self) -> None:
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                self.disconnected = True
                self.finish(EndReason.STOP if self.close_requested else EndReason.CLIENT_GONE)
                return
            data: bytes | str | None = message.get("bytes")
            if data is None:
                data = message.get("text")
            if data is None:
                continue
            if isinstance(data, str):
                self.close_requested = self.close_requested or is_close_request(data)
                ping = parse_clock_ping(data)
                if ping is not None:
                    # Answered here, ahead of queued audio: the round trip the client
                    # measures then holds the network, not the processing queue.
                    try:
                        await self._pong(ping)
                    except _ClientGone:
                        return
                    continue
            self.inbox.put(data)  # a full inbox drops it; the processor reports that

    # --- processor -----------------------------------------------------------------------

    async def _process_loop(self) -> None:
        first = await self._first_message()
        if not await self._start_session():
            return
        if first is not None:
            await self._handle(first)
        while True:
            item = await self.inbox.get()
            if n := self.inbox.take_dropped():
                await self.send_error(
                    "rate_limited",
                    f"input arrives faster than it can be processed; dropped {n} message(s)",
                )
            await self._handle(item)

    async def _first_message(self) -> Inbound | None:
        """Wait briefly for a first ``settings`` message; returns any other first message."""
        if not self.wait_for_settings:
            return None
        wait_s = self.service.server.ws_settings_wait_ms / 1000.0
        try:
            async with asyncio.timeout(wait_s):
                item = await self.inbox.get()
        except TimeoutError:
            return None
        if isinstance(item, str):
            try:
                parsed = parse_client_text(item, max_bytes=self.max_json_bytes)
            except ClientMessageError:
                return item  # reported by _handle once the session is up
            if isinstance(parsed, SettingsMessage):
                try:
                    merged = merge_settings(self.settings, parsed.values, self.service.defaults)
                    self.service.check_settings(merged, answers_tools=True)
                    self.settings = merged
                except ClientMessageError as exc:
                    await self.send(error_message(exc.code, exc.message))
                except SettingsError as exc:
                    await self.send(error_message(exc.code, exc.keyed_message))
                return None
        return item

    async def _start_session(self) -> bool:
        try:
            self.session = self.service.open(self.kind, self.settings, answers_tools=True)
        except LimitError as exc:
            await self.send(error_message(exc.code, exc.message, retryable=True, fatal=True))
            self.finish(EndReason.LIMIT)
            return False
        except SettingsError as exc:  # what the model's service would refuse (a voice …)
            await self.send(error_message(exc.code, exc.keyed_message, fatal=True))
            self.finish(EndReason.REJECTED)
            return False
        # ``features``: the client message types this server accepts, so a client sends
        # optional ones (e.g. latency reports) only to a server that understands them.
        self._encoder = WireEncoder(self.session.id, features=MESSAGE_TYPES)
        try:
            await self.session.start()
        except WorkbenchError as exc:
            await self.send(error_message(exc.code, exc.message, retryable=True, fatal=True))
            self.finish(EndReason.UPSTREAM_ERROR)
            return False
        self._pump = asyncio.create_task(self._pump_loop(self.session), name="ws-pump")
        self._end_watch = asyncio.create_task(self._end_with(self.session), name="ws-end")
        return True

    async def _handle(self, item: Inbound) -> None:
        session = self.session
        assert session is not None
        try:
            if isinstance(item, Oversized):
                raise self.inbox.oversized_error(item)
            if isinstance(item, bytes):
                await self._audio(session, item)
                return
            message = parse_client_text(item, max_bytes=self.max_json_bytes)
            match message:
                case Commit():
                    self.locked = True
                    await session.commit()
                case Interrupt():
                    self.locked = True
                    await session.interrupt(message.played_ms)
                case Playout():
                    session.report_playout(message.played_ms, message.item_id)
                case ToolOutputMessage():
                    self.locked = True
                    await session.send_tool_output(message.call_id, message.output)
                case SettingsMessage():
                    await self._apply_settings(message)
                case Close():
                    self.finish(EndReason.STOP)
                case ClockPing():
                    await self._pong(message)
                case TurnReport():
                    turn = session.report_turn_audio(message.report)
                    summary = session.relay.timeline.summary()
                    await self.send(
                        turn_updated_message(message.report.response_id, turn.to_dict(), summary)
                    )
        except LimitError as exc:  # the turn's input is over the server's limit
            await self.send_error(exc.code, exc.message, fatal=True)
            self.finish(EndReason.LIMIT)
        except WorkbenchError as exc:  # bad message, bad audio, or the relay refused
            await self.send_error(exc.code, exc.message)

    async def _pong(self, ping: ClockPing) -> None:
        await self.send(clock_pong_message(ping.client_ms, self.service.clock.now_ms()))

    async def _audio(self, session: LiveSession, frame: bytes) -> None:
        self.locked = True
        if len(frame) % 2:
            raise ClientMessageError(
                f"binary frame of {len(frame)} bytes: PCM16 needs an even byte count; "
                "frame dropped",
                code="bad_audio",
            )
        if not frame:
            return
        await self._input_level(frame)
        await session.feed_pcm16(frame, self.settings.sample_rate_hz)

    async def _input_level(self, frame: bytes) -> None:
        # One meter reading per 100 ms of input, not per frame: at 20 ms frames a JSON
        # message per frame was ~11 % of the server's CPU per session, for a meter
        # no one reads faster than that.
        self._input_level_pcm += frame
        window_bytes = self.settings.sample_rate_hz * 2 * INPUT_LEVEL_WINDOW_MS // 1000
        if len(self._input_level_pcm) >= window_bytes:
            pcm, self._input_level_pcm = bytes(self._input_level_pcm), bytearray()
            await self.send(level_message(pcm, "input"))

    async def _apply_settings(self, message: SettingsMessage) -> None:
        if self.locked:
            raise ClientMessageError(
                "settings can only change before any audio or control "
                "message; open a new connection",
                code="settings_locked",
            )
        settings = merge_settings(self.settings, message.values, self.service.defaults)
        try:  # refused here, the session keeps its old settings
            self.service.check_settings(settings, answers_tools=True)
        except SettingsError as exc:
            raise ClientMessageError(exc.keyed_message, code="bad_settings") from None
        self.settings = settings
        # The upstream session was opened with the old settings: reopen it (no audio yet).
        assert self.session is not None
        if self._pump is not None:
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump
        try:
            await self.session.restart(settings)
        except WorkbenchError as exc:
            await self.send_error(exc.code, exc.message, fatal=True)
            self.finish(EndReason.UPSTREAM_ERROR)
            return
        self._pump = asyncio.create_task(self._pump_loop(self.session), name="ws-pump")

    # --- pump ----------------------------------------------------------------------------

    async def _end_with(self, session: LiveSession) -> None:
        """End the connection once the session ended, if the pump has not by then: it
        is stuck sending to a client that does not read (client_too_slow)."""
        await session.wait_ended()
        await asyncio.sleep(_SEND_TIMEOUT_S)
        self.abandoned = not self.done.is_set()  # the pump could not tell the client
        self.finish(session.end_reason or EndReason.UPSTREAM_ERROR)

    async def _pump_loop(self, session: LiveSession) -> None:
        async for event in session.events():
            if isinstance(event, SessionEnded):  # say it in the service's words
                event = SessionEnded((session.end_reason or from_relay_reason(event.reason)).value)
            summary: dict[str, Any] | None = None
            if isinstance(event, TurnDone):
                summary = session.relay.timeline.summary()
            for message in self._encoder.encode(event, summary):
                await self.send(message)
            if isinstance(event, SessionEnded):
                self.ended_sent = True
                self.finish(session.end_reason or from_relay_reason(event.reason))
                return
        self.finish(session.end_reason or EndReason.UPSTREAM_ERROR)
