"""What the simulated listener says, hears and connects with (no behaviour of its own).

- :class:`Utterance`: a phrase with its speech found in the samples;
- :class:`Reply`: one assistant item as the listener got it;
- :class:`ListenerConfig`: profiles, player and session settings;
- :data:`Connector` and :func:`websocket_connector`: how it reaches ``/ws/realtime``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from websockets.asyncio.client import connect

from workbench.audio import MODEL_FORMAT
from workbench.audio.onsets import speech_segments
from workbench.bench.netem_player import PlayerConfig
from workbench.netem.profiles import NetProfile
from workbench.netem.socket import MessageSocket

#: Opens one connection to ``/ws/realtime`` with these query settings.
Connector = Callable[[dict[str, str]], AbstractAsyncContextManager[MessageSocket]]

#: Playout reports, as the duplex page sends them (ms).
PLAYOUT_REPORT_EVERY_MS = 100.0
CONNECT_TIMEOUT_S = 20.0
#: Longest wait for any one thing the server owes (a reply, an answer) (s).
WAIT_S = 30.0
_RATE_HZ = MODEL_FORMAT.sample_rate_hz


def websocket_connector(url: str) -> Connector:
    """A real WebSocket to the API at ``url`` (``http://host:port``)."""

    @contextlib.asynccontextmanager
    async def open_socket(query: dict[str, str]) -> AsyncIterator[MessageSocket]:
        q = "&".join(f"{k}={v}" for k, v in query.items())
        target = url.replace("http://", "ws://") + f"/ws/realtime?{q}"
        async with asyncio.timeout(CONNECT_TIMEOUT_S):
            ws = await connect(target, max_size=None, ping_interval=None, open_timeout=None)
        async with ws:
            yield ws

    return open_socket


@dataclass(frozen=True)
class Utterance:
    """What the user says: PCM16 at the model rate, with its speech found in the samples."""

    pcm16: bytes
    onset_ms: float
    end_ms: float

    @classmethod
    def of(cls, samples: np.ndarray) -> Utterance:
        """From float samples at the model rate (speech found by the onset detectors)."""
        segments = speech_segments(samples, _RATE_HZ)
        if not segments:
            raise ValueError("the utterance holds no speech")
        pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
        return cls(pcm, segments[0].start_ms, segments[-1].end_ms)

    @property
    def duration_ms(self) -> float:
        """Length (ms)."""
        return len(self.pcm16) / 2 * 1000.0 / _RATE_HZ


@dataclass
class Reply:
    """One assistant item as the listener got it (client clock, ms)."""

    item_id: str
    response_id: str
    first_arrival_ms: float | None = None
    last_piece_at_ms: float = 0.0  # where the newest audio piece starts in the item
    pcm16: bytearray = field(default_factory=bytearray)
    words: list[tuple[float, str]] = field(default_factory=list)  # (position ms, piece)
    final_text: str | None = None
    interrupted_audio_end_ms: int | None = None
    flushed_at_ms: float | None = None
    played_at_flush_ms: float | None = None
    done_status: str | None = None
    timeline: dict[str, Any] | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)
    updated: asyncio.Event = field(default_factory=asyncio.Event)
    cut: asyncio.Event = field(default_factory=asyncio.Event)
    grew: asyncio.Event = field(default_factory=asyncio.Event)
    #: A final transcript arrived after ``interrupted`` (the server's cut of the text).
    final_after_cut: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def received_ms(self) -> float:
        """Audio received (ms)."""
        return len(self.pcm16) / 2 * 1000.0 / _RATE_HZ


@dataclass(frozen=True)
class ListenerConfig:
    """How the listener connects and plays.

    ``client_profile`` impairs the client leg; ``upstream_profile`` is the session's
    ``upstream_net_profile`` (the relay ↔ model leg); ``query`` holds more settings;
    ``playout_report_ms`` is how often the playout position is reported.
    """

    player: PlayerConfig = field(default_factory=PlayerConfig)
    client_profile: NetProfile | None = None
    upstream_profile: str = "none"
    frame_ms: float = 20.0
    playout_report_ms: float = PLAYOUT_REPORT_EVERY_MS
    seed: int = 0
    query: tuple[tuple[str, str], ...] = ()
