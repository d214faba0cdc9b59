"""Helpers for the API end-to-end tests: a real uvicorn server on 127.0.0.1 port 0,
fake backends that observe what the relay sends, and signal comparisons."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soxr
import uvicorn
from fastapi import FastAPI

from workbench.app.api import create_api_app
from workbench.app.api_settings import ApiSettings
from workbench.backends.base import Backend, BackendInfo, RealtimeConnection
from workbench.backends.inprocess import InProcessBackend
from workbench.errors import UpstreamError
from workbench.mock.model import Fault, LatencyModel, MockConfig
from workbench.protocol.dialects import Dialect
from workbench.protocol.events import ClientEvent, InputAudioBufferAppend, ServerEvent

AUDIO_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "audio"
#: Bound on server start-up and shutdown (s).
SERVER_WAIT_S = 10.0


@contextlib.asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[str]:
    """Run ``app`` under a real uvicorn server on 127.0.0.1:0; yields its base URL."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", lifespan="on", ws_ping_interval=None
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(), name="uvicorn")
    try:
        async with asyncio.timeout(SERVER_WAIT_S):
            while not server.started:
                if task.done():
                    task.result()  # start-up failed: raise its error
                await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        async with asyncio.timeout(SERVER_WAIT_S):
            await task


@dataclass
class ProbeBackend:
    """Wraps a real backend: counts open connections and stamps the first audio append."""

    inner: Backend
    open_connections: int = 0
    connections: int = 0
    first_append: asyncio.Event = field(default_factory=asyncio.Event)
    first_append_t: float | None = None
    appends: int = 0

    @property
    def info(self) -> BackendInfo:
        return self.inner.info

    async def connect(self) -> RealtimeConnection:
        conn = await self.inner.connect()
        self.open_connections += 1
        self.connections += 1
        return _ProbeConnection(conn, self)

    async def wait_closed(self, timeout_s: float) -> float:
        """Wait until no connection is open; returns the seconds it took."""
        t0 = time.perf_counter()
        async with asyncio.timeout(timeout_s):
            while self.open_connections:  # noqa: ASYNC110 - a counter, polled at 10 ms
                await asyncio.sleep(0.01)
        return time.perf_counter() - t0


class _ProbeConnection:
    def __init__(self, inner: RealtimeConnection, owner: ProbeBackend) -> None:
        self._inner, self._owner, self._closed = inner, owner, False

    @property
    def dialect(self) -> Dialect:
        return self._inner.dialect

    async def send(self, event: ClientEvent) -> None:
        if isinstance(event, InputAudioBufferAppend):
            self._owner.appends += 1
            if self._owner.first_append_t is None:
                self._owner.first_append_t = time.perf_counter()
                self._owner.first_append.set()
        await self._inner.send(event)

    def __aiter__(self) -> AsyncIterator[ServerEvent]:
        return aiter(self._inner)

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._owner.open_connections -= 1
        await self._inner.close()


class UnreachableBackend:
    """A backend whose model never answers the phone."""

    @property
    def info(self) -> BackendInfo:
        return BackendInfo("openai", "unreachable test model", False, Dialect.GA, "m")

    async def connect(self) -> RealtimeConnection:
        raise UpstreamError(
            "cannot reach the test model", code="upstream_unreachable", retryable=True
        )


def mock_backend(
    ttfa_ms: float = 20.0,
    speed_x_realtime: float = 8.0,
    fault: Fault | None = None,
    behaviour: str = "echo",
) -> ProbeBackend:
    """The echo mock, in process, wrapped in a probe."""
    config = MockConfig(
        behaviour=behaviour,  # type: ignore[arg-type]
        latency=LatencyModel(ttfa_ms=ttfa_ms, speed_x_realtime=speed_x_realtime),
        fault=fault,
    )
    return ProbeBackend(InProcessBackend(config))


def make_app(backend: Backend, **settings: object) -> FastAPI:
    """An API app over ``backend`` with ``settings`` changed from the defaults."""
    return create_api_app(ApiSettings(**settings), lambda: backend)  # type: ignore[arg-type]


def clip(name: str) -> bytes:
    """The bytes of a fixture clip."""
    return (AUDIO_DIR / name).read_bytes()


def decoded_24k(data: bytes) -> np.ndarray:
    """A clip decoded by the audio core and resampled to 24 kHz (float32 mono)."""
    from workbench.audio import decode_audio

    decoded = decode_audio(data)
    return np.asarray(
        soxr.resample(decoded.samples, decoded.sample_rate_hz, 24_000), dtype=np.float32
    )


def pcm16_to_f32(pcm: bytes) -> np.ndarray:
    """PCM16 LE bytes as float32 in [-1, 1)."""
    return np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0


def peak_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Peak of the normalised cross-correlation of two signals (1.0 = same shape)."""
    n = len(a) + len(b) - 1
    size = 1 << (n - 1).bit_length()
    spec = np.fft.rfft(a, size) * np.conj(np.fft.rfft(b, size))
    xcorr = np.fft.irfft(spec, size)
    denom = float(np.linalg.norm(a) * np.linalg.norm(b)) or 1.0
    return float(np.max(np.abs(xcorr)) / denom)
