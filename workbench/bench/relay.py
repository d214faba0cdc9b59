"""Relay overhead benchmark: what the Relay adds per audio chunk, against a direct SDK client.

Both paths talk to the same echo mock (its own process; 20 ms deltas) over loopback
WebSockets through the official ``openai`` SDK, one session at a time, alternating
rounds (relay, direct, relay, …) so machine noise hits both alike.

- ``out_ms`` (a): from the SDK connection's ``recv_bytes()`` returning an audio-delta
  frame to the shell holding the ``AudioOut`` (relay), or to the direct client holding
  the decoded PCM (baseline). The relay's side is stamped by :class:`StampingConnection`,
  a thin wrapper around the real SDK connection object (no patching).
- ``in_ms`` (b): from ``relay.feed(20 ms of int16 samples)`` being called to the SDK's
  ``send()`` being called with the ``input_audio_buffer.append`` (relay), or from the
  same samples to the direct client's ``send()`` call (baseline: PCM16 → base64 → dict).

``added_*_ms`` = relay − baseline, per percentile. Goal: < 1 ms p99 added (reported,
never asserted).
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from workbench.audio import MODEL_FORMAT
from workbench.backends.openai_sdk import OpenAISdkBackend, SdkConnection, SdkSettings
from workbench.bench.common import percentiles, print_table, write_result
from workbench.bench.concurrency import utterance_pcm16
from workbench.bench.direct import sdk_connect, session_update_event
from workbench.bench.servers import mock_process
from workbench.relay import AudioOut, Relay, RelayConfig, SessionEnded, TurnDone

SUITE = "relay"
FRAME_MS = 20
TURN_TIMEOUT_S = 30.0
_DELTA_MARK = b'"response.output_audio.delta"'
_APPEND = "input_audio_buffer.append"


@dataclass(frozen=True)
class RelayParams:
    """Rounds × turns per path; each turn feeds ``utterance_s`` and gets it echoed."""

    rounds: int = 3
    turns_per_round: int = 2
    utterance_s: float = 2.0
    mock_ttfa_ms: float = 50.0
    mock_delta_ms: float = 20.0
    quick: bool = False

    @classmethod
    def for_mode(cls, quick: bool) -> RelayParams:
        """Full (3 rounds × 2 turns × 2 s per path) or quick (1 × 1 × 1 s)."""
        return cls(rounds=1, turns_per_round=1, utterance_s=1.0, quick=True) if quick else cls()

    def mock_query(self) -> dict[str, str]:
        """Per-connection mock settings (echo, short TTFA, 20 ms deltas)."""
        return {
            "mock_behaviour": "echo",
            "mock_ttfa_ms": repr(self.mock_ttfa_ms),
            "mock_delta_ms": repr(self.mock_delta_ms),
        }


class StampingConnection:
    """Wraps an SDK realtime connection; stamps audio-delta arrivals and append sends.

    ``delta_arrivals_s`` (FIFO) gets ``perf_counter()`` when ``recv_bytes`` returns a
    frame holding an audio delta; ``append_sends_s`` when ``send`` is called with an
    ``input_audio_buffer.append``. Everything else is passed through unchanged.
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.delta_arrivals_s: deque[float] = deque()
        self.append_sends_s: list[float] = []

    async def recv_bytes(self) -> bytes:
        """The inner ``recv_bytes``, stamped."""
        data: bytes = await self._inner.recv_bytes()
        if _DELTA_MARK in data:
            self.delta_arrivals_s.append(time.perf_counter())
        return data

    async def send(self, event: Any) -> None:
        """The inner ``send``, stamped (at the call, before the SDK serialises)."""
        if isinstance(event, dict) and event.get("type") == _APPEND:
            self.append_sends_s.append(time.perf_counter())
        await self._inner.send(event)

    async def send_raw(self, data: str | bytes) -> None:
        """The inner ``send_raw`` (already-serialised JSON), stamped likewise."""
        head = data[:64] if isinstance(data, str) else data[:64].decode(errors="replace")
        if f'"{_APPEND}"' in head:
            self.append_sends_s.append(time.perf_counter())
        await self._inner.send_raw(data)

    async def close(self) -> None:
        """The inner ``close``."""
        await self._inner.close()


class StampingBackend(OpenAISdkBackend):
    """``OpenAISdkBackend`` whose connections are wrapped in :class:`StampingConnection`."""

    def __init__(self, settings: SdkSettings) -> None:
        super().__init__(settings)
        self.stamps: StampingConnection | None = None

    async def connect(self) -> SdkConnection:
        """Open the SDK connection as usual, then wrap the SDK's connection object."""
        manager = await self._manager()
        async with asyncio.timeout(self.connect_timeout_s):
            raw = await manager.__aenter__()
        self.stamps = StampingConnection(raw)
        return SdkConnection(self.stamps, self.settings.dialect)


def _frames(p: RelayParams) -> list[np.ndarray]:
    """The utterance as 20 ms int16 frames at 24 kHz (what a shell would feed)."""
    pcm = np.frombuffer(utterance_pcm16(p.utterance_s), dtype="<i2")[::2]  # 48k → 24k
    step = MODEL_FORMAT.sample_rate_hz * FRAME_MS // 1000
    return [pcm[i : i + step] for i in range(0, len(pcm), step)]


async def _relay_round(mock_url: str, p: RelayParams) -> tuple[list[float], list[float]]:
    """One relay session of ``turns_per_round`` turns: (out_ms, in_ms) samples."""
    backend = StampingBackend(
        SdkSettings(
            target="mock-server",
            model="gpt-realtime",
            endpoint=mock_url,
            extra_query=p.mock_query(),
        )
    )
    out_ms: list[float] = []
    in_ms: list[float] = []
    frames = _frames(p)
    async with Relay(backend, RelayConfig(chunk_ms=FRAME_MS)) as relay:
        stamps = backend.stamps
        assert stamps is not None
        for _ in range(p.turns_per_round):
            start_s = time.perf_counter()
            for i, frame in enumerate(frames):
                await asyncio.sleep(max(0.0, start_s + i * FRAME_MS / 1000 - time.perf_counter()))
                sent_before = len(stamps.append_sends_s)
                t_feed = time.perf_counter()
                await relay.feed(frame, MODEL_FORMAT.sample_rate_hz)
                if len(stamps.append_sends_s) > sent_before:
                    in_ms.append((stamps.append_sends_s[sent_before] - t_feed) * 1000.0)
            await relay.commit()
            async with asyncio.timeout(TURN_TIMEOUT_S):
                async for event in relay:
                    if isinstance(event, AudioOut) and stamps.delta_arrivals_s:
                        out_ms.append(
                            (time.perf_counter() - stamps.delta_arrivals_s.popleft()) * 1e3
                        )
                    if isinstance(event, TurnDone | SessionEnded):
                        break
            stamps.delta_arrivals_s.clear()
    return out_ms, in_ms


async def _direct_round(mock_url: str, p: RelayParams) -> tuple[list[float], list[float]]:
    """The same turns from a hand-written SDK client: (out_ms, in_ms) samples."""
    out_ms: list[float] = []
    in_ms: list[float] = []
    frames = _frames(p)
    async with asyncio.timeout(TURN_TIMEOUT_S * (p.turns_per_round + 1)):
        async with sdk_connect(mock_url, p.mock_query()) as conn:
            await conn.send(session_update_event())
            for _ in range(p.turns_per_round):
                start_s = time.perf_counter()
                for i, frame in enumerate(frames):
                    await asyncio.sleep(
                        max(0.0, start_s + i * FRAME_MS / 1000 - time.perf_counter())
                    )
                    t_feed = time.perf_counter()
                    event = {"type": _APPEND, "audio": base64.b64encode(frame.tobytes()).decode()}
                    in_ms.append((time.perf_counter() - t_feed) * 1000.0)
                    await conn.send(event)
                await conn.send({"type": "input_audio_buffer.commit"})
                await conn.send({"type": "response.create"})
                while True:
                    data = await conn.recv_bytes()
                    t_arrival = time.perf_counter()
                    parsed = conn.parse_event(data)  # what an SDK user's loop does
                    if parsed.type == "response.output_audio.delta":
                        _pcm = base64.b64decode(parsed.delta)
                        out_ms.append((time.perf_counter() - t_arrival) * 1000.0)
                    elif parsed.type in ("response.done", "error"):
                        break
    return out_ms, in_ms


def _figure(samples: dict[str, list[float]]) -> Figure:
    fig = Figure(figsize=(9, 3.5))
    axes = fig.subplots(1, 2)
    for ax, key in zip(axes, ("out", "in"), strict=True):
        for path in ("relay", "direct"):
            data = np.sort(np.asarray(samples[f"{path}_{key}_ms"]))
            if data.size:
                ax.plot(data, np.linspace(0, 1, data.size), label=path)
        ax.set_xscale("log")
        ax.set(xlabel="ms", ylabel="fraction ≤ x")
        ax.set_title("delta arrival → shell" if key == "out" else "feed() → SDK send")
        ax.legend()
    fig.tight_layout()
    return fig


def run(out_dir: Path, quick: bool = False, params: RelayParams | None = None) -> dict[str, Any]:
    """Measure both paths (alternating rounds); write ``relay.json``/``.png``.

    ``params`` overrides the mode's parameters (the smoke tests use tiny ones).
    """
    p = params if params is not None else RelayParams.for_mode(quick)
    samples: dict[str, list[float]] = {
        k: [] for k in ("relay_out_ms", "relay_in_ms", "direct_out_ms", "direct_in_ms")
    }
    with mock_process(p.mock_ttfa_ms) as mock:
        for _ in range(p.rounds):
            for path, measure in (("relay", _relay_round), ("direct", _direct_round)):
                out_ms, in_ms = asyncio.run(measure(mock.url, p))
                samples[f"{path}_out_ms"] += out_ms
                samples[f"{path}_in_ms"] += in_ms
    stats = {k: percentiles(v) for k, v in samples.items()}
    rows = []
    for key, label in (("out", "delta → shell"), ("in", "feed → send")):
        relay, direct = stats[f"relay_{key}_ms"], stats[f"direct_{key}_ms"]
        rows.append(
            {
                "path": label,
                "relay_p50_ms": relay["p50"],
                "relay_p99_ms": relay["p99"],
                "direct_p50_ms": direct["p50"],
                "direct_p99_ms": direct["p99"],
                "added_p50_ms": _minus(relay["p50"], direct["p50"]),
                "added_p99_ms": _minus(relay["p99"], direct["p99"]),
                "n": relay["n"],
            }
        )
    print_table(rows)
    summary = {"rows": rows, "stats": stats, "goal": "< 1 ms p99 added (reported only)"}
    write_result(SUITE, asdict(p), samples, summary, _figure(samples), out_dir)
    return summary


def _minus(a: float | int | None, b: float | int | None) -> float | None:
    return None if a is None or b is None else float(a) - float(b)
