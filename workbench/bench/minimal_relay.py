"""The floor for relay benchmarks: the smallest correct relay a competent engineer writes.

``python -m workbench.bench.minimal_relay --port P --mock-url ws://127.0.0.1:M`` serves
``WS /ws/realtime`` with the subset of the workbench protocol the load generator
(:mod:`workbench.bench.ws_client`) speaks: binary PCM16 in at ``?sample_rate_hz``,
``{"type": "commit"}`` / ``{"type": "close"}``; out: ``session``, the reply as binary
PCM16 24 kHz frames, ``turn_done``, ``error``. Per session: one realtime connection of
one process-wide openai SDK client, one streaming soxr resampler, a base64
``input_audio_buffer.append`` per frame through the SDK's typed helpers, and the SDK's
own typed event iteration (the usage its documentation shows). No limits, records,
metrics or reconnects: only what a relay cannot do without. Benchmarks run it in its
own process, next to the workbench API, so "what the API costs" has a floor measured in
the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
from typing import Any

import numpy as np
import soxr
from openai import AsyncOpenAI
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from workbench.audio import MODEL_FORMAT

MODEL = "gpt-realtime"
RATE_HZ = MODEL_FORMAT.sample_rate_hz
PCM = {"type": "audio/pcm", "rate": RATE_HZ}
SESSION: Any = {"type": "realtime", "audio": {"input": {"format": PCM, "turn_detection": None}}}


async def _replies(conn: Any, ws: WebSocket) -> None:
    """Upstream → client: reply audio as binary frames, turn ends and errors as JSON."""
    async for event in conn:
        if event.type == "response.output_audio.delta":
            await ws.send_bytes(base64.b64decode(event.delta))
        elif event.type == "response.done":
            await ws.send_json({"type": "turn_done", "status": event.response.status})
        elif event.type == "error":
            await ws.send_json({"type": "error", "code": event.error.code, "fatal": False})


def create_app(mock_url: str) -> Starlette:
    """``WS /ws/realtime`` and ``GET /healthz``, relaying to the realtime server at ``mock_url``."""
    client = AsyncOpenAI(api_key="bench", websocket_base_url=f"{mock_url}/v1", max_retries=0)

    async def relay(ws: WebSocket) -> None:
        in_rate_hz = int(ws.query_params.get("sample_rate_hz", RATE_HZ))
        resampler = soxr.ResampleStream(in_rate_hz, RATE_HZ, 1, dtype="int16")
        await ws.accept()
        async with client.realtime.connect(model=MODEL) as conn:
            await conn.session.update(session=SESSION)
            await ws.send_json({"type": "session", "backend": "minimal-relay"})
            replies = asyncio.create_task(_replies(conn, ws))
            try:
                while (message := await ws.receive())["type"] != "websocket.disconnect":
                    if message.get("bytes") is not None:
                        pcm = np.frombuffer(message["bytes"], dtype="<i2")
                        audio = resampler.resample_chunk(pcm).tobytes()
                        b64 = base64.b64encode(audio).decode("ascii")
                        await conn.input_audio_buffer.append(audio=b64)
                        continue
                    with contextlib.suppress(ValueError, AttributeError):
                        kind = json.loads(message.get("text") or "").get("type")
                        if kind == "commit":
                            await conn.input_audio_buffer.commit()
                            await conn.response.create()
                        elif kind == "close":
                            break
            finally:
                replies.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await replies
        with contextlib.suppress(Exception):  # the client may be gone already
            await ws.close()

    async def healthz(_: Any) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    return Starlette(routes=[WebSocketRoute("/ws/realtime", relay), Route("/healthz", healthz)])


def main() -> None:
    """Serve until stopped (uvicorn, one process)."""
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mock-url", required=True, help="ws://127.0.0.1:PORT of workbench mock")
    args = parser.parse_args()
    uvicorn.run(
        create_app(args.mock_url),
        host=args.host,
        port=args.port,
        log_level="warning",
        ws="websockets",
        ws_per_message_deflate=False,  # as the API: audio does not compress
    )


if __name__ == "__main__":
    main()
