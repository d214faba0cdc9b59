"""Shared helpers of the reliability tests: real servers on 127.0.0.1 port 0, a backend
switch that lets one app serve faulty and healthy sessions side by side, tones and
their dominant frequency, and bounded WebSocket/HTTP clients.

Everything here waits with a timeout; nothing reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import numpy as np
import psutil
from fastapi import FastAPI
from websockets.asyncio.client import ClientConnection, connect

from tests.support.backends import ProbeBackend
from tests.support.servers import closed_port as closed_port
from tests.support.servers import serve as serve
from tests.support.services import make_service
from workbench.app.api.app import create_api_app
from workbench.backends.base import Backend
from workbench.backends.inprocess import InProcessBackend
from workbench.backends.openai_sdk import OpenAISdkBackend, SdkSettings
from workbench.mock.config import Fault, LatencyModel, MockConfig

MODEL_RATE_HZ = 24_000
#: Bound on any one client exchange in these tests (s).
EXCHANGE_S = 15.0


# --- servers ---------------------------------------------------------------------------


# --- backends --------------------------------------------------------------------------


def mock_config(
    fault: Fault | None = None,
    *,
    behaviour: str = "echo",
    ttfa_ms: float = 20.0,
    speed_x_realtime: float = 8.0,
    session_cap_s: float | None = None,
) -> MockConfig:
    """A fast mock: short time to first audio, audio delivered faster than real time."""
    return MockConfig(
        behaviour=behaviour,  # type: ignore[arg-type]
        latency=LatencyModel(ttfa_ms=ttfa_ms, speed_x_realtime=speed_x_realtime),
        fault=fault,
        session_cap_s=session_cap_s,
    )


def sdk_backend(
    mock_url: str, config: MockConfig | None = None, *, api_key: str | None = None
) -> OpenAISdkBackend:
    """The openai SDK backend pointed at a mock server, with the mock configured per URL."""
    query = config.to_query() if config is not None else {}
    return OpenAISdkBackend(
        SdkSettings(
            target="mock-server",
            model="gpt-realtime",
            endpoint=mock_url,
            api_key=api_key,
            extra_query=query,
        ),
        connect_timeout_s=5.0,
    )


#: A probe whose ``inner`` backend tests switch between faulty and healthy sessions.
Switchboard = ProbeBackend


def inprocess(config: MockConfig | None = None) -> InProcessBackend:
    return InProcessBackend(config if config is not None else mock_config())


def api_app(backend: Backend, **settings: Any) -> FastAPI:
    """The stand-alone API over ``backend`` with ``settings`` changed from the defaults."""
    return create_api_app(make_service(backend, **settings))


def api_state(app: FastAPI) -> Any:
    return app.state.workbench_service


# --- audio -----------------------------------------------------------------------------


def tone(freq_hz: float, duration_s: float, rate_hz: int = MODEL_RATE_HZ) -> np.ndarray:
    """A sine at half scale with 10 ms fades (float32 mono)."""
    t = np.arange(int(duration_s * rate_hz)) / rate_hz
    x = 0.5 * np.sin(2 * np.pi * freq_hz * t)
    fade = min(len(x) // 2, int(0.01 * rate_hz))
    ramp = np.linspace(0.0, 1.0, fade)
    x[:fade] *= ramp
    x[len(x) - fade :] *= ramp[::-1]
    return x.astype(np.float32)


def pcm16(samples: np.ndarray) -> bytes:
    return bytes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


def wav(samples: np.ndarray, rate_hz: int = MODEL_RATE_HZ) -> bytes:
    """A PCM16 mono WAV file."""
    import wave

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate_hz)
        w.writeframes(pcm16(samples))
    return buf.getvalue()


def dominant_hz(pcm: bytes, rate_hz: int = MODEL_RATE_HZ) -> float:
    """Frequency (Hz) of the strongest FFT bin of PCM16 audio (Hann window)."""
    x = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2").astype(np.float64)
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    spectrum[0] = 0.0
    return float(np.argmax(spectrum) * rate_hz / len(x))


def silent_flac_bomb(hours: float = 3.0, rate_hz: int = 8_000) -> bytes:
    """``hours`` of digital silence as FLAC in a few tens of KB (a decompression bomb)."""
    import av

    buf = io.BytesIO()
    with av.open(buf, "w", format="flac") as out:
        stream: Any = out.add_stream("flac", rate=rate_hz, layout="mono")
        stream.format = "s16"
        stream.codec_context.options = {"frame_size": "32768"}
        block = 32_768 * 64
        zeros = np.zeros((1, block), dtype=np.int16)
        total, pts = int(hours * 3600 * rate_hz), 0
        while pts < total:
            frame = av.AudioFrame.from_ndarray(zeros, format="s16", layout="mono")
            frame.sample_rate, frame.pts = rate_hz, pts
            pts += block
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


# --- clients ---------------------------------------------------------------------------


def ws_url(base: str, **query: object) -> str:
    q = "&".join(f"{k}={v}" for k, v in query.items())
    return base.replace("http://", "ws://") + "/ws/realtime" + (f"?{q}" if q else "")


@dataclass
class Received:
    """What a WebSocket client got, in order."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    frames: list[bytes] = field(default_factory=list)
    closed: bool = False

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m.get("type") == kind]

    @property
    def audio(self) -> bytes:
        return b"".join(self.frames)

    def error_codes(self) -> list[str]:
        return [str(m.get("code")) for m in self.of("error")]


async def receive_until(
    ws: ClientConnection,
    stop: Callable[[dict[str, Any]], bool],
    got: Received | None = None,
    timeout_s: float = EXCHANGE_S,
) -> Received:
    """Receive until a text message satisfies ``stop`` or the socket closes (bounded)."""
    got = got if got is not None else Received()
    async with asyncio.timeout(timeout_s):
        try:
            async for frame in ws:
                if isinstance(frame, bytes):
                    got.frames.append(frame)
                    continue
                message = json.loads(frame)
                got.messages.append(message)
                if stop(message):
                    return got
        except Exception:  # the server closed abnormally: still a result
            pass
    got.closed = True
    return got


def is_type(*kinds: str) -> Callable[[dict[str, Any]], bool]:
    return lambda m: m.get("type") in kinds


async def ws_turn(
    base: str,
    samples: np.ndarray,
    *,
    rate_hz: int = MODEL_RATE_HZ,
    headers: dict[str, str] | None = None,
    timeout_s: float = EXCHANGE_S,
) -> Received:
    """One manual-commit WebSocket turn: send ``samples``, commit, collect to the end."""
    url = ws_url(base, turn_detection="none", sample_rate_hz=rate_hz)
    async with connect(
        url, additional_headers=headers, open_timeout=timeout_s, close_timeout=2
    ) as ws:
        got = await receive_until(ws, is_type("session", "session_ended"), timeout_s=timeout_s)
        data = pcm16(samples)
        frame = int(rate_hz * 0.04) * 2
        for start in range(0, len(data), frame):
            await ws.send(data[start : start + frame])
        await ws.send(json.dumps({"type": "commit"}))
        await receive_until(ws, is_type("turn_done", "session_ended"), got, timeout_s)
        with contextlib.suppress(Exception):
            await ws.send(json.dumps({"type": "close"}))
            await receive_until(ws, is_type("session_ended"), got, timeout_s=3.0)
    return got


async def upload(
    client: httpx.AsyncClient, samples: np.ndarray, rate_hz: int = MODEL_RATE_HZ
) -> httpx.Response:
    """``POST /realtime_audio/`` with a WAV of ``samples``."""
    files = {"audio_file": ("clip.wav", wav(samples, rate_hz), "audio/wav")}
    return await client.post("/realtime_audio/", files=files)


async def assert_healthy_upload(client: httpx.AsyncClient) -> None:
    """A healthy upload right now gets 200 and the echoed tone back."""
    response = await upload(client, tone(440.0, 0.5))
    assert response.status_code == 200, response.text
    assert len(response.content) > MODEL_RATE_HZ * 2 * 0.3
    assert abs(dominant_hz(response.content) - 440.0) < 10


async def assert_healthy_ws(base: str) -> None:
    """A healthy WebSocket turn right now completes with the echoed tone."""
    got = await ws_turn(base, tone(660.0, 0.5))
    done = got.of("turn_done")
    assert done and done[-1]["status"] == "completed", got.messages
    assert abs(dominant_hz(got.audio) - 660.0) < 10


# --- memory ----------------------------------------------------------------------------


class RssPeak:
    """Samples this process's resident memory every 2 ms in a thread; ``peak_mb``."""

    def __init__(self) -> None:
        self._proc = psutil.Process()
        self.baseline_mb = float(self._proc.memory_info().rss) / 1e6
        self.peak_mb = self.baseline_mb
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, float(self._proc.memory_info().rss) / 1e6)
            time.sleep(0.002)

    def __enter__(self) -> RssPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)

    @property
    def growth_mb(self) -> float:
        return self.peak_mb - self.baseline_mb
