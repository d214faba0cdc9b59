"""A simulated listener on ``WS /ws/realtime``: a paced microphone, a jitter-buffered
player on a simulated audio clock, clock pings, turn reports and barge-in.

It does what the duplex page does, in Python, against the real API: the microphone
streams 20 ms frames continuously on the real clock (speech when the script says so,
silence otherwise); reply audio goes into a :class:`~workbench.bench.netem_player.
SimulatedPlayer` at its arrival time; the playout position is reported every 100 ms;
after each reply it sends a ``turn_report`` (instants converted to the server's clock
with the best ``clock_ping``) and reads the server's voice-to-voice decomposition back
from ``turn_updated``. The client leg may cross a network profile (an
:class:`~workbench.netem.socket.ImpairedSocket` on the client's side, the same model as
the server's ``client_net_profile``). Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
from typing import Any

import numpy as np

from workbench.audio import MODEL_FORMAT
from workbench.audio.onsets import first_audible_ms
from workbench.bench.netem_parts import (
    CONNECT_TIMEOUT_S,
    WAIT_S,
    Connector,
    ListenerConfig,
    Reply,
    Utterance,
    websocket_connector,
)
from workbench.bench.netem_player import SimulatedPlayer
from workbench.clock import Clock, MonotonicClock
from workbench.netem.socket import MessageSocket, impair_socket

_RATE_HZ = MODEL_FORMAT.sample_rate_hz


class Listener:
    """One session of the simulated listener (``async with``).

    Parameters
    ----------
    connect_to : str or Connector
        The API's base URL (a real WebSocket), or a connector.
    config : ListenerConfig
        Profiles, player, settings.
    clock : Clock, optional
        The listener's time base (real by default; the connector's ``VirtualClock``).
    """

    def __init__(
        self, connect_to: str | Connector, config: ListenerConfig, clock: Clock | None = None
    ) -> None:
        self.connector = (
            websocket_connector(connect_to) if isinstance(connect_to, str) else connect_to
        )
        self.clock: Clock = clock if clock is not None else MonotonicClock()
        self.config = config
        self.player = SimulatedPlayer(config.player)
        self.replies: dict[str, Reply] = {}
        self.by_response: dict[str, Reply] = {}
        self.new_reply = asyncio.Event()
        self.errors: list[dict[str, Any]] = []
        self.offset_ms = 0.0
        self.clock_uncertainty_ms: float | None = None
        self.mic_t0_ms = 0.0
        self._speech: list[tuple[float, bytes]] = []  # (stream position ms, pcm16)
        self._current: Reply | None = None
        self._pongs: dict[float, asyncio.Future[float]] = {}
        self._session = asyncio.Event()
        self._ended = False
        self._stack = contextlib.AsyncExitStack()
        self._tasks: list[asyncio.Task[None]] = []
        self.ws: MessageSocket | None = None

    # --- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> Listener:
        query = {
            "sample_rate_hz": str(_RATE_HZ),
            "upstream_net_profile": self.config.upstream_profile,
            **dict(self.config.query),
        }
        raw = await self._stack.enter_async_context(self.connector(query))
        self.ws = await self._stack.enter_async_context(
            impair_socket(
                raw,
                self.config.client_profile,
                self.clock,
                seed=self.config.seed,
                server_side=False,
            )
        )
        self._tasks.append(asyncio.create_task(self._read(), name="listener-read"))
        async with asyncio.timeout(CONNECT_TIMEOUT_S):
            await self._session.wait()
        await self.sync_clock()
        self.mic_t0_ms = self.clock.now_ms()
        self._tasks.append(asyncio.create_task(self._mic(), name="listener-mic"))
        self._tasks.append(asyncio.create_task(self._report_playout(), name="listener-playout"))
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        with contextlib.suppress(Exception):
            async with asyncio.timeout(5.0):
                await self._send({"type": "close"})
        with contextlib.suppress(Exception):
            async with asyncio.timeout(10.0):
                await self._stack.aclose()

    async def _send(self, message: dict[str, Any] | bytes) -> None:
        assert self.ws is not None
        await self.ws.send(message if isinstance(message, bytes) else json.dumps(message))

    # --- clock ---------------------------------------------------------------------------

    async def sync_clock(self, pings: int = 5) -> None:
        """Offset to the server's clock from the ping with the shortest round trip."""
        best: tuple[float, float] | None = None
        for _ in range(pings):
            t0 = self.clock.now_ms()
            future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
            self._pongs[t0] = future
            await self._send({"type": "clock_ping", "client_ms": t0})
            async with asyncio.timeout(WAIT_S):
                server_ms = await future
            t1 = self.clock.now_ms()
            if best is None or t1 - t0 < best[0]:
                best = (t1 - t0, server_ms - (t0 + t1) / 2.0)
        assert best is not None
        self.clock_uncertainty_ms = best[0] / 2.0
        self.offset_ms = best[1]

    def server_ms(self, client_ms: float | None) -> float | None:
        """A client instant on the server's clock."""
        return None if client_ms is None else client_ms + self.offset_ms

    # --- microphone ----------------------------------------------------------------------

    def say(
        self, utterance: Utterance, at_ms: float | None = None, *, align_ms: float | None = None
    ) -> float:
        """Speak ``utterance`` from client time ``at_ms`` (default: now); returns its start
        as a position in the input stream (ms).

        ``align_ms`` starts it on the next multiple of that many ms of the stream: a
        benchmark that compares runs puts every utterance at the same phase of the
        frames and chunks, so the VAD decides at the same sample each turn.
        """
        at_ms = at_ms if at_ms is not None else self.clock.now_ms()
        position_ms = max(0.0, at_ms - self.mic_t0_ms)
        if align_ms:
            position_ms = math.ceil(position_ms / align_ms) * align_ms
        samples = round(position_ms * _RATE_HZ / 1000.0)
        position_ms = samples * 1000.0 / _RATE_HZ
        self._speech.append((position_ms, utterance.pcm16))
        return position_ms

    async def _mic(self) -> None:
        clock = self.clock
        frame = round(self.config.frame_ms * _RATE_HZ / 1000.0)
        index = 0
        while True:
            # Frame k holds the stream's samples [k, k + 1) * frame and exists once the
            # last of them was captured.
            await clock.sleep_until(self.mic_t0_ms + (index + 1) * self.config.frame_ms)
            await self._send(self._frame(index * frame, frame))
            index += 1

    def _frame(self, first: int, n: int) -> bytes:
        out = np.zeros(n, dtype="<i2")
        for position_ms, pcm in self._speech:
            start = round(position_ms * _RATE_HZ / 1000.0)
            speech = np.frombuffer(pcm, dtype="<i2")
            lo, hi = max(first, start), min(first + n, start + len(speech))
            if lo < hi:
                out[lo - first : hi - first] = speech[lo - start : hi - start]
        self._speech = [
            (p, pcm) for p, pcm in self._speech
            if round(p * _RATE_HZ / 1000.0) + len(pcm) // 2 > first + n
        ]  # fmt: skip
        return out.tobytes()

    # --- playout -------------------------------------------------------------------------

    async def _report_playout(self) -> None:
        while True:
            await self.clock.sleep_until(self.clock.now_ms() + self.config.playout_report_ms)
            reply = self._current
            if reply is None or reply.flushed_at_ms is not None:
                continue
            played = self.player.played_ms(reply.item_id, self.clock.now_ms())
            if reply.received_ms and played < reply.received_ms:  # while it plays
                await self._send(
                    {"type": "playout", "played_ms": round(played), "item_id": reply.item_id}
                )

    async def interrupt(self, reply: Reply) -> float:
        """Barge in from the client (the page's interrupt button): flush now and tell the
        server exactly what was played; returns the played ms."""
        at_ms = self.clock.now_ms()
        played = self.player.flush(reply.item_id, at_ms)
        reply.flushed_at_ms = reply.flushed_at_ms or at_ms
        reply.played_at_flush_ms = played
        await self._send({"type": "interrupt", "played_ms": played})
        return played

    # --- receiving -----------------------------------------------------------------------

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for message in self.ws:
                arrival = self.clock.now_ms()
                if isinstance(message, bytes):
                    self._audio(message, arrival)
                else:
                    self._text(json.loads(message), arrival)
        finally:
            self._ended = True
            self._session.set()
            for reply in self.replies.values():
                for event in (reply.done, reply.updated, reply.cut, reply.grew):
                    event.set()
                reply.final_after_cut.set()

    def _audio(self, pcm16: bytes, arrival: float) -> None:
        reply = self._current
        if reply is None:
            return
        if reply.flushed_at_ms is not None:
            # Audio of a flushed reply is never played; a word that follows it came with
            # audio nobody heard.
            reply.last_piece_at_ms = math.inf
            return
        if reply.first_arrival_ms is None:
            reply.first_arrival_ms = arrival
        reply.last_piece_at_ms = reply.received_ms
        reply.pcm16 += pcm16
        self.player.push(reply.item_id, pcm16, arrival)
        reply.grew.set()

    def _text(self, msg: dict[str, Any], arrival: float) -> None:
        kind = msg.get("type")
        reply: Reply | None
        if kind == "session":
            self._session.set()
        elif kind == "clock_pong":
            future = self._pongs.pop(msg["client_ms"], None)
            if future is not None and not future.done():
                future.set_result(float(msg["server_ms"]))
        elif kind == "audio_start":
            reply = Reply(msg["item_id"], msg["response_id"])
            self.replies[reply.item_id] = self.by_response[reply.response_id] = reply
            self._current = reply
            self.new_reply.set()
        elif kind == "transcript" and msg.get("role") == "assistant":
            reply = self.replies.get(msg["item_id"])
            if reply is not None and msg.get("final"):
                reply.final_text = msg["text"]
                if reply.interrupted_audio_end_ms is not None:
                    reply.final_after_cut.set()
            elif reply is not None:
                # A transcript piece follows the audio it belongs to (the mock sends
                # each word with the audio delta it is spoken in).
                reply.words.append((reply.last_piece_at_ms, msg["text"]))
        elif kind == "interrupted":
            reply = self.replies.get(msg["item_id"])
            if reply is not None:
                reply.interrupted_audio_end_ms = int(msg["audio_end_ms"])
                if reply.flushed_at_ms is None:  # the page flushes on this message
                    reply.played_at_flush_ms = self.player.flush(reply.item_id, arrival)
                    reply.flushed_at_ms = arrival
                reply.cut.set()
        elif kind in ("turn_done", "turn_updated"):
            reply = self.by_response.get(msg.get("response_id") or "")
            if reply is not None:
                reply.timeline = msg["timeline"]
                if kind == "turn_done":
                    reply.done_status = msg["status"]
                    reply.done.set()
                else:
                    reply.updated.set()
        elif kind == "error":
            self.errors.append(msg)

    # --- turns ---------------------------------------------------------------------------

    async def next_reply(self, after: set[str]) -> Reply:
        """The first reply whose item is not in ``after`` (bounded wait)."""
        async with asyncio.timeout(WAIT_S):
            while True:
                fresh = [r for r in self.replies.values() if r.item_id not in after]
                if fresh:
                    return fresh[0]
                if self._ended:
                    raise ConnectionError("the session ended while a reply was due")
                self.new_reply.clear()
                await self.new_reply.wait()

    async def until_received(self, reply: Reply, position_ms: float) -> bool:
        """Wait until audio up to ``position_ms`` arrived; False if the reply ended first."""
        async with asyncio.timeout(WAIT_S):
            while reply.received_ms <= position_ms:
                if reply.done.is_set() or reply.flushed_at_ms is not None or self._ended:
                    return reply.received_ms > position_ms
                reply.grew.clear()
                await reply.grew.wait()
        return True

    async def report(
        self, reply: Reply, speech_end_client_ms: float, speech_end_input_ms: float
    ) -> dict[str, Any]:
        """Send the reply's ``turn_report``; returns the listener's own figures."""
        samples = np.frombuffer(bytes(reply.pcm16), dtype="<i2")
        audible = first_audible_ms(samples, _RATE_HZ) if samples.size else None
        item = reply.item_id
        first_sample = self.player.heard_ms(item, 0.0)
        heard = None if audible is None else self.player.heard_ms(item, audible)
        message = {
            "type": "turn_report",
            "response_id": reply.response_id,
            "speech_end_ms": self.server_ms(speech_end_client_ms),
            "speech_end_input_ms": speech_end_input_ms,
            "first_audio_received_ms": self.server_ms(reply.first_arrival_ms),
            "first_sample_ms": self.server_ms(first_sample),
            "first_audible_ms": self.server_ms(heard),
            "output_latency_ms": self.config.player.output_latency_ms,
            "jitter_buffer_ms": self.config.player.jitter_buffer_ms,
            "underruns": self.player.underruns(item),
            "clock_uncertainty_ms": self.clock_uncertainty_ms,
        }
        await self._send(message)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(WAIT_S):
                await reply.updated.wait()
        return {
            "client_v2v_ms": None if heard is None else heard - speech_end_client_ms,
            "reply_audible_in_reply_ms": audible,
            "underruns": self.player.underruns(item),
            "clock_uncertainty_ms": self.clock_uncertainty_ms,
        }

    async def wait_heard(self, reply: Reply, pause_ms: float = 0.0) -> None:
        """Sleep until the reply was heard to its end (or its cut), plus ``pause_ms``."""
        end_ms = self.player.leaves_buffer_ms(reply.item_id, reply.received_ms - 1e-6)
        if end_ms is None:
            end_ms = reply.flushed_at_ms or self.clock.now_ms()
        heard_ms = end_ms + self.config.player.output_latency_ms + pause_ms
        await self.clock.sleep_until(max(heard_ms, self.clock.now_ms()))
