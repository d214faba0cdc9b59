"""The minimal relay floor really relays: a tone sent at 48 kHz through it to the echo
mock (each in its own process) comes back as the same tone at 24 kHz."""

from __future__ import annotations

import asyncio
import json
import sys

import numpy as np
from websockets.asyncio.client import connect

from workbench.bench.procs import ChildSpec, http_ok, started
from workbench.bench.servers import free_port, mock_process
from workbench.bench.ws_client import run_session

TONE_HZ = 440.0
IN_RATE_HZ = 48_000
OUT_RATE_HZ = 24_000


def _tone_pcm16(seconds: float) -> bytes:
    t = np.arange(int(seconds * IN_RATE_HZ)) / IN_RATE_HZ
    return (0.3 * 32767 * np.sin(2 * np.pi * TONE_HZ * t)).astype("<i2").tobytes()


async def _one_turn(url: str, pcm16: bytes) -> tuple[list[str], bytes]:
    """Send ``pcm16`` in 40 ms frames, commit, collect the reply until ``turn_done``."""
    kinds: list[str] = []
    reply = b""
    ws_url = url.replace("http://", "ws://") + f"/ws/realtime?sample_rate_hz={IN_RATE_HZ}"
    async with asyncio.timeout(20.0), connect(ws_url) as ws:
        kinds.append(json.loads(await ws.recv())["type"])
        frame_bytes = IN_RATE_HZ * 40 // 1000 * 2
        for offset in range(0, len(pcm16), frame_bytes):
            await ws.send(pcm16[offset : offset + frame_bytes])
        await ws.send(json.dumps({"type": "commit"}))
        async for message in ws:
            if isinstance(message, bytes):
                reply += message
                continue
            kinds.append(json.loads(message)["type"])
            if kinds[-1] == "turn_done":
                break
        await ws.send(json.dumps({"type": "close"}))
    return kinds, reply


async def test_audio_makes_the_round_trip_through_the_minimal_relay() -> None:
    with mock_process(ttfa_ms=20.0, speed_x_realtime=4.0) as mock:
        port = free_port()
        cmd = [sys.executable, "-m", "workbench.bench.minimal_relay", "--port", str(port)]
        cmd += ["--mock-url", mock.url]
        url = f"http://127.0.0.1:{port}"
        with started(ChildSpec(cmd, http_ok(f"{url}/healthz"), "minimal relay")):
            kinds, reply = await _one_turn(url, _tone_pcm16(1.0))
            # The bench's own load generator gets a scored, completed turn too.
            session = await run_session(
                url, _tone_pcm16(0.4), sample_rate_hz=IN_RATE_HZ, frame_ms=40.0, turns=2,
                ttfa_ms=20.0, speed_x_realtime=4.0,
            )  # fmt: skip
    assert kinds == ["session", "turn_done"]
    samples = np.frombuffer(reply, dtype="<i2").astype(np.float64)
    assert 0.9 < len(samples) / OUT_RATE_HZ <= 1.01  # the whole second came back at 24 kHz
    spectrum = np.abs(np.fft.rfft(samples))
    peak_hz = np.fft.rfftfreq(len(samples), 1 / OUT_RATE_HZ)[int(spectrum.argmax())]
    assert abs(peak_hz - TONE_HZ) < 5.0
    assert session.error is None and [t.ok for t in session.turns] == [True, True]
    assert all(t.reply_audio_ms > 300 for t in session.turns)
