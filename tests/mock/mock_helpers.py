"""Helpers for the mock tests: synthetic audio and driving the model on virtual time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.mock.model import (
    CloseConnection,
    LatencyModel,
    MockConfig,
    MockOutput,
    MockRealtimeModel,
    SendEvent,
)
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect, encode_server_event
from workbench.protocol.strict_validator import validate_server_event

SAMPLE_RATE_HZ = 24_000


def pcm16(x: np.ndarray) -> bytes:
    """float samples in [-1, 1] -> PCM16 LE bytes."""
    return (np.clip(x, -1.0, 1.0) * 32767.0).round().astype("<i2").tobytes()


def tone(hz: float, ms: float, amplitude: float = 0.3) -> bytes:
    """A plain sine as PCM16 bytes."""
    t = np.arange(round(ms * SAMPLE_RATE_HZ / 1000)) / SAMPLE_RATE_HZ
    return pcm16(amplitude * np.sin(2 * np.pi * hz * t))


def silence(ms: float) -> bytes:
    """Digital silence as PCM16 bytes."""
    return bytes(round(ms * SAMPLE_RATE_HZ / 1000) * 2)


@dataclass(frozen=True)
class Segment:
    """A speech-like burst in a synthetic signal (ms)."""

    start_ms: float
    end_ms: float


def speech_like(
    segments: Iterable[tuple[float, float]], total_ms: float, seed: int = 1
) -> tuple[bytes, list[Segment]]:
    """Noise 'syllables' (150 ms on, 40 ms dips) inside each segment, quiet noise elsewhere.

    Bursts are band-limited noise at about -20 dBFS RMS with a 4 Hz-ish envelope; the
    floor between segments is noise at about -70 dBFS. Returns bytes and the segments.
    """
    rng = np.random.default_rng(seed)
    n = round(total_ms * SAMPLE_RATE_HZ / 1000)
    x = rng.normal(0.0, 10 ** (-70 / 20), n)
    out: list[Segment] = []
    for start_ms, end_ms in segments:
        a, b = round(start_ms * 24), round(end_ms * 24)
        burst = rng.normal(0.0, 1.0, b - a)
        burst = np.convolve(burst, np.ones(8) / 8, mode="same")
        burst *= 10 ** (-20 / 20) / max(1e-9, float(np.sqrt(np.mean(burst**2))))
        t_ms = np.arange(b - a) / 24.0
        envelope = np.where((t_ms % 190.0) < 150.0, 1.0, 0.05)  # syllables with dips
        x[a:b] = burst * envelope
        out.append(Segment(start_ms, end_ms))
    return pcm16(x), out


@dataclass(frozen=True)
class Timed:
    """One output with the virtual time it was due."""

    t_ms: float
    output: MockOutput

    @property
    def event(self) -> pe.ServerEvent:
        assert isinstance(self.output, SendEvent), self.output
        return self.output.event


def assert_conforms(event: pe.ServerEvent, model: MockRealtimeModel) -> None:
    """The event, as the mock sends it, is exactly what the strict reference describes."""
    wire = encode_server_event(event, model.dialect)
    violations = validate_server_event(wire, model.dialect)
    assert not violations, (wire["type"], violations)


def run_until(model: MockRealtimeModel, until_ms: float = float("inf")) -> list[Timed]:
    """Step virtual time from due time to due time, collecting outputs (no sleeps).

    Every event is checked against the strict reference on the way (so every mock test
    session is a conformance test too).
    """
    out: list[Timed] = []
    while (due := model.next_due_ms()) is not None and due <= until_ms:
        for output in model.due(due):
            if isinstance(output, SendEvent):
                assert_conforms(output.event, model)
            out.append(Timed(due, output))
        if model.closed:
            break
    return out


def events_of(timed: Iterable[Timed], cls: type) -> list[Timed]:
    """The timed outputs that are events of class ``cls``."""
    return [t for t in timed if isinstance(t.output, SendEvent) and isinstance(t.event, cls)]


def closes_of(timed: Iterable[Timed]) -> list[CloseConnection]:
    """The CloseConnection outputs."""
    return [t.output for t in timed if isinstance(t.output, CloseConnection)]


def manual_session(model: MockRealtimeModel, now_ms: float = 0.0) -> None:
    """Start ``model`` and turn turn detection off (manual commits)."""
    model.start(now_ms)
    update = pe.SessionUpdate(pe.SessionSettings(turn_detection=pe.NoTurnDetection()))
    model.receive(update, now_ms)


#: A quick mock for validation tests.
FAST = MockConfig(latency=LatencyModel(ttfa_ms=10, delta_ms=50))


def assert_refused(
    dialect: Dialect, event: dict[str, Any], code: str, param: str | None, fragment: str
) -> list[Timed]:
    """Send ``event`` (with event_id ``evt_client_1``) to a fresh mock: exactly one error
    comes back, with the service's type, ``code``, ``param``, a message containing
    ``fragment`` and the client's event id. Returns what the mock sent."""
    model = MockRealtimeModel(FAST, dialect)
    model.start(0.0)
    run_until(model)
    model.receive_wire({**event, "event_id": "evt_client_1"}, 1.0)
    out = run_until(model)
    errors = events_of(out, pe.ErrorEvent)
    assert len(errors) == 1, [type(t.event).__name__ for t in out]
    error = errors[0].event.error
    assert error.type == "invalid_request_error"
    assert (error.code, error.param) == (code, param)
    assert fragment in error.message
    assert error.event_id == "evt_client_1"  # the client's event id comes back
    return out
