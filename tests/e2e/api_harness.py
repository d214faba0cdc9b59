"""Helpers for the API end-to-end tests: the API app over a probed in-process mock."""

from __future__ import annotations

import numpy as np
import soxr
from fastapi import FastAPI

from tests.support.backends import ProbeBackend, UnreachableBackend
from tests.support.servers import serve
from tests.support.services import make_service
from tests.support.signals import AUDIO_DIR, pcm16_to_f32, peak_correlation
from workbench.app.api.app import create_api_app
from workbench.backends.base import Backend
from workbench.backends.inprocess import InProcessBackend
from workbench.mock.model import Fault, LatencyModel, MockConfig

__all__ = [
    "AUDIO_DIR",
    "ProbeBackend",
    "UnreachableBackend",
    "clip",
    "decoded_24k",
    "make_app",
    "mock_backend",
    "pcm16_to_f32",
    "peak_correlation",
    "serve",
]


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
    """An API app over ``backend`` with limits and defaults changed by name."""
    return create_api_app(make_service(backend, **settings))


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
