"""A load-generating ``WS /ws/realtime`` client: paced PCM16 in, echoed audio out, timed.

One :func:`run_session` is one user: it connects with manual turns
(``turn_detection=none``), and for each turn sends ``utterance`` as binary PCM16 frames
every ``frame_ms`` of wall time (as a microphone would), sends ``commit``, and reads
until ``turn_done``. Against the echo mock with a known latency model, every reply
frame has a due time: ``commit + ttfa_ms + offset_ms / speed``, where ``offset_ms``
is the frame's position in the reply. ``added_ms`` is the arrival time minus that due
time, i.e. everything the relay, the API and the loopback hops add (network hops to
and from the mock included; the mock's own timer lateness under load too).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

from workbench.audio import bytes_to_ms  # replies are in the model's format

CONNECT_TIMEOUT_S = 20.0
#: How the server's compact JSON starts for a ``level`` message.
_LEVEL_PREFIX = '{"type":"level"'
REPLY_SLACK_S = 15.0  # beyond the reply's own duration, before a turn counts as failed


@dataclass
class TurnResult:
    """One turn as the client saw it (times in ms, relative to its ``commit``)."""

    ok: bool
    error: str | None = None
    ttfa_ms: float | None = None
    added_ms: list[float] = field(default_factory=list)
    reply_audio_ms: float = 0.0


@dataclass
class SessionResult:
    """Every turn of one session, plus a session-level failure (connect, drop).

    ``connect_ms``: from opening the socket to the server's ``session`` message (the
    upstream connection included).
    """

    turns: list[TurnResult] = field(default_factory=list)
    error: str | None = None
    connect_ms: float | None = None
    connected: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class TurnState:
    t_commit_s: float = 0.0
    frames: list[tuple[float, int]] = field(default_factory=list)  # (arrival s, bytes)
    status: str | None = None
    errors: list[str] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class _Reader:
    turn: TurnState = field(default_factory=TurnState)
    session_ready: asyncio.Event = field(default_factory=asyncio.Event)
    ended: str | None = None


async def _read(ws: Any, reader: _Reader) -> None:
    try:
        async for message in ws:
            now = time.perf_counter()
            if isinstance(message, bytes):
                reader.turn.frames.append((now, len(message)))
                continue
            if message.startswith(_LEVEL_PREFIX):
                continue  # meter readings (one per reply frame): not worth parsing here
            data = json.loads(message)
            kind = data.get("type")
            if kind == "session":
                reader.session_ready.set()
            elif kind == "turn_done":
                reader.turn.status = str(data.get("status"))
                reader.turn.done.set()
            elif kind == "error":
                reader.turn.errors.append(str(data.get("code")))
                if data.get("fatal"):
                    reader.turn.done.set()
            elif kind == "session_ended":
                reader.ended = str(data.get("reason"))
                reader.turn.done.set()
    except WebSocketException as exc:
        reader.ended = f"disconnected: {type(exc).__name__}"
    reader.ended = reader.ended or "closed"
    reader.turn.done.set()
    reader.session_ready.set()


def score_turn(turn: TurnState, ttfa_ms: float, speed_x_realtime: float) -> TurnResult:
    """Each reply frame's arrival against the mock's schedule for it."""
    added: list[float] = []
    offset_bytes = 0
    for arrival_s, n_bytes in turn.frames:
        due_ms = ttfa_ms + bytes_to_ms(offset_bytes) / speed_x_realtime
        added.append((arrival_s - turn.t_commit_s) * 1000.0 - due_ms)
        offset_bytes += n_bytes
    first_ms = (turn.frames[0][0] - turn.t_commit_s) * 1000.0 if turn.frames else None
    ok = turn.status == "completed" and not turn.errors and bool(turn.frames)
    error = None if ok else (",".join(turn.errors) or f"status={turn.status}")
    return TurnResult(
        ok=ok,
        error=error,
        ttfa_ms=first_ms,
        added_ms=added,
        reply_audio_ms=bytes_to_ms(offset_bytes),
    )


async def run_session(
    url: str,
    utterance_pcm16: bytes,
    *,
    sample_rate_hz: int,
    frame_ms: float,
    turns: int,
    ttfa_ms: float,
    speed_x_realtime: float = 1.0,
    start_delay_s: float = 0.0,
    go: asyncio.Event | None = None,
    turn_offset_s: float = 0.0,
    pause_s: float = 0.0,
    deadline_s: float | None = None,
    result: SessionResult | None = None,
) -> SessionResult:
    """One user session over ``WS /ws/realtime``; never raises for server faults.

    Parameters
    ----------
    url : str
        ``http://127.0.0.1:PORT`` of the API.
    utterance_pcm16 : bytes
        What the user says each turn: PCM16 LE mono at ``sample_rate_hz``.
    frame_ms : float
        Duration of each binary frame, sent every ``frame_ms`` of wall time (ms).
    turns : int
        Turns to run (fewer if ``deadline_s`` passes first).
    ttfa_ms, speed_x_realtime : float
        The mock's latency model, to compute each frame's due time.
    start_delay_s, pause_s : float
        Wait before connecting (spreads sessions) and between turns (s).
    go : asyncio.Event | None
        When given, the first turn waits for it (all sessions connected: the turns
        then measure steady state, not other sessions' connection setup), then
        ``turn_offset_s`` more, so sessions do not send in lockstep.
    deadline_s : float | None
        ``time.perf_counter()`` value after which no new turn starts (soak); the
        first turn always runs.
    result : SessionResult | None
        Filled in and returned (pass one to watch ``connected`` while it runs).
    """
    result = result if result is not None else SessionResult()
    await asyncio.sleep(start_delay_s)
    ws_url = url.replace("http://", "ws://") + (
        f"/ws/realtime?sample_rate_hz={sample_rate_hz}&turn_detection=none"
    )
    frame_bytes = int(sample_rate_hz * frame_ms / 1000) * 2
    frames = [
        utterance_pcm16[i : i + frame_bytes] for i in range(0, len(utterance_pcm16), frame_bytes)
    ]
    reply_timeout_s = len(utterance_pcm16) / 2 / sample_rate_hz / speed_x_realtime + REPLY_SLACK_S
    reader = _Reader()
    task: asyncio.Task[None] | None = None
    ws: Any = None
    try:
        t_open_s = time.perf_counter()
        async with asyncio.timeout(CONNECT_TIMEOUT_S):
            ws = await connect(ws_url, max_size=None, ping_interval=None, open_timeout=None)
        task = asyncio.create_task(_read(ws, reader))
        async with asyncio.timeout(CONNECT_TIMEOUT_S):
            await reader.session_ready.wait()
        result.connect_ms = (time.perf_counter() - t_open_s) * 1000.0
        result.connected.set()
        if go is not None:
            async with asyncio.timeout(CONNECT_TIMEOUT_S * 2):
                await go.wait()
        await asyncio.sleep(turn_offset_s)
        for turn_index in range(turns):
            if turn_index and deadline_s is not None and time.perf_counter() >= deadline_s:
                break
            if reader.ended:
                result.error = reader.ended
                break
            reader.turn = TurnState()
            start_s = time.perf_counter()
            for i, frame in enumerate(frames):
                # Paced like a microphone: frame i is available at start + i × frame_ms.
                delay_s = start_s + i * frame_ms / 1000.0 - time.perf_counter()
                if delay_s > 0:
                    await asyncio.sleep(delay_s)
                await ws.send(frame)
            reader.turn.t_commit_s = time.perf_counter()
            await ws.send(json.dumps({"type": "commit"}))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(reply_timeout_s):
                    await reader.turn.done.wait()
            if not reader.turn.done.is_set():
                reader.turn.errors.append("timeout")
            result.turns.append(score_turn(reader.turn, ttfa_ms, speed_x_realtime))
            if pause_s:
                await asyncio.sleep(pause_s)
        with contextlib.suppress(WebSocketException, TimeoutError):
            async with asyncio.timeout(2.0):
                await ws.send(json.dumps({"type": "close"}))
    except (OSError, TimeoutError, WebSocketException) as exc:
        result.error = f"{type(exc).__name__}: {exc}"[:200]
    finally:
        result.connected.set()  # also on failure: nobody waits for this session forever
        if ws is not None:
            with contextlib.suppress(WebSocketException, TimeoutError, OSError):
                async with asyncio.timeout(2.0):
                    await ws.close()
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
    return result
