"""A baseline client that talks to the mock server directly with the ``openai`` SDK.

No relay, no API: what a hand-written SDK client gets from the same mock over the same
loopback. Suites subtract its numbers from the relay's or the API's, so what is left
is what this project adds.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from typing import Any

from workbench.audio import ms_to_bytes
from workbench.bench.ws_client import TurnResult, TurnState, score_turn
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect, encode_client_event
from workbench.protocol.settings import NoTurnDetection

MODEL = "gpt-realtime"
_DELTA = "response.output_audio.delta"


def sdk_connect(mock_url: str, query: dict[str, str]) -> Any:
    """``AsyncOpenAI(...).realtime.connect(...)`` against the mock (an async context manager)."""
    from openai import AsyncOpenAI

    client = AsyncOpenAI(api_key="x", websocket_base_url=f"{mock_url}/v1", max_retries=0)
    return client.realtime.connect(model=MODEL, extra_query=query)


def session_update_event() -> dict[str, Any]:
    """The same ``session.update`` the relay sends (manual turns, whisper-1)."""
    settings = pe.SessionSettings(
        model=MODEL, input_transcription_model="whisper-1", turn_detection=NoTurnDetection()
    )
    return encode_client_event(pe.SessionUpdate(session=settings), Dialect.GA)


async def direct_turns(
    mock_url: str,
    utterance_pcm16_24k: bytes,
    *,
    frame_ms: float,
    turns: int,
    ttfa_ms: float,
    speed_x_realtime: float = 1.0,
    timeout_s: float = 30.0,
    connected: asyncio.Event | None = None,
    go: asyncio.Event | None = None,
    turn_offset_s: float = 0.0,
) -> list[TurnResult]:
    """Turns sent straight to the mock, scored like :func:`ws_client.run_session`'s.

    Parameters
    ----------
    utterance_pcm16_24k : bytes
        PCM16 LE mono 24 kHz, sent in ``frame_ms`` appends paced at real time.
    connected, go : asyncio.Event | None
        ``connected`` is set once the session is open; the first turn then waits for
        ``go`` and ``turn_offset_s`` more (as ``ws_client.run_session`` does).
    """
    results: list[TurnResult] = []
    frame_bytes = ms_to_bytes(frame_ms)
    async with asyncio.timeout(timeout_s * (turns + 1)), sdk_connect(mock_url, {}) as conn:
        await conn.send(session_update_event())
        if connected is not None:
            connected.set()
        if go is not None:
            await go.wait()
        await asyncio.sleep(turn_offset_s)
        for _ in range(turns):
            turn = TurnState()
            start_s = time.perf_counter()
            for i, offset in enumerate(range(0, len(utterance_pcm16_24k), frame_bytes)):
                delay_s = start_s + i * frame_ms / 1000.0 - time.perf_counter()
                if delay_s > 0:
                    await asyncio.sleep(delay_s)
                chunk = utterance_pcm16_24k[offset : offset + frame_bytes]
                audio = base64.b64encode(chunk).decode("ascii")
                await conn.send({"type": "input_audio_buffer.append", "audio": audio})
            turn.t_commit_s = time.perf_counter()
            await conn.send({"type": "input_audio_buffer.commit"})
            await conn.send({"type": "response.create"})
            async with asyncio.timeout(timeout_s):
                while True:
                    data = await conn.recv_bytes()
                    now = time.perf_counter()
                    event: dict[str, Any] = json.loads(data)
                    if event.get("type") == _DELTA:
                        turn.frames.append((now, len(base64.b64decode(event["delta"]))))
                    elif event.get("type") == "response.done":
                        turn.status = event.get("response", {}).get("status", "completed")
                        break
                    elif event.get("type") == "error":
                        turn.errors.append(str(event.get("error", {}).get("code")))
            results.append(score_turn(turn, ttfa_ms, speed_x_realtime))
    return results
