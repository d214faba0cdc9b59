"""``workbench bench netem``: voice-to-voice latency per network profile and per leg.

The simulated listener (:mod:`workbench.bench.netem_client`) talks to this project's API
(its own process, the in-process echo mock behind it: 300 ms to first audio, real-time
delivery, server VAD with 500 ms of silence) the way the duplex page does: a paced 20 ms
microphone, a 40 ms jitter buffer and 20 ms of output latency on a simulated audio
clock, playout reports, clock pings and a ``turn_report`` per reply. Voice-to-voice is
measured on the audio (end of speech in the utterance → first audible reply sample at
the speaker) and the server splits it into its parts (``turn_updated``).

Legs: ``client`` (the listener's WebSocket crosses the profile, on its side),
``upstream`` (the session's ``upstream_net_profile``: relay ↔ model). For each, the
added latency against the ``none`` profile is compared with what the model expects:
the mean one-way latency of the messages that carry the turn each way (microphone
frames or appends up, reply audio down), from :mod:`workbench.netem.describe`.
"""

from __future__ import annotations

import asyncio
import math
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from workbench.audio import MODEL_FORMAT
from workbench.bench.common import percentiles, print_table, write_result
from workbench.bench.netem_client import Listener
from workbench.bench.netem_parts import Connector, ListenerConfig, Utterance
from workbench.bench.netem_player import PlayerConfig
from workbench.bench.servers import ApiSpec, servers
from workbench.clock import Clock
from workbench.mock.config import LatencyModel
from workbench.netem.describe import stream_stats
from workbench.netem.profiles import PROFILES, NetProfile, get_profile
from workbench.relay.voice_to_voice import PARTS

SUITE = "netem"
LEGS = ("client", "upstream")
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "audio"
UTTERANCE = "ref_en_hear_24k_pcm16.wav"
#: The mock's reply pieces (its default ``LatencyModel.delta_ms``), for the expected downlink.
MOCK_DELTA_MS = LatencyModel().delta_ms


@dataclass(frozen=True)
class NetemParams:
    """Profiles × legs × turns; the mock's and the listener's settings."""

    profiles: tuple[str, ...] = tuple(PROFILES)
    legs: tuple[str, ...] = LEGS
    turns: int = 6
    mock_ttfa_ms: float = 300.0
    vad_silence_ms: int = 500
    frame_ms: float = 20.0
    chunk_ms: float = 40.0
    jitter_buffer_ms: float = 40.0
    output_latency_ms: float = 20.0
    pause_ms: float = 300.0
    quick: bool = False

    @classmethod
    def for_mode(cls, quick: bool) -> NetemParams:
        """Full (every profile, both legs, 6 turns) or quick (none and 4g, client, 1)."""
        if quick:
            return cls(profiles=("none", "4g"), legs=("client",), turns=1, quick=True)
        return cls()

    def query(self) -> tuple[tuple[str, str], ...]:
        """Session settings of every connection."""
        return (
            ("turn_detection", "server_vad"),
            ("vad_silence_ms", str(self.vad_silence_ms)),
            ("mock_ttfa_ms", repr(self.mock_ttfa_ms)),
            ("mock_speed_x", "1.0"),
            ("chunk_ms", repr(self.chunk_ms)),
        )


def load_utterance() -> Utterance:
    """The phrase the listener says (24 kHz fixture)."""
    import soundfile as sf

    samples, rate_hz = sf.read(FIXTURES / UTTERANCE, dtype="float32")
    assert rate_hz == MODEL_FORMAT.sample_rate_hz
    return Utterance.of(samples)


def expected_added_ms(profile: NetProfile, leg: str, p: NetemParams) -> float:
    """What ``profile`` on ``leg`` should add to voice-to-voice latency (ms, the model's).

    The turn's end crosses up (the frame that completes the VAD's silence), the first
    reply audio crosses down: the mean one-way latency of each stream, as the link
    model gives it (10 000 messages, seed 0).
    """
    from workbench.backends.impaired import client_event_bytes, server_event_bytes
    from workbench.netem.socket import websocket_wire_bytes
    from workbench.protocol.dialects import Dialect
    from workbench.protocol.events import InputAudioBufferAppend, ResponseAudioDelta

    if profile.is_transparent:
        return 0.0
    if leg == "client":
        frame = bytes(round(p.frame_ms * MODEL_FORMAT.bytes_per_second / 1000) // 2 * 2)
        up_bytes, up_every = websocket_wire_bytes(frame, masked=True), p.frame_ms
        piece = bytes(round(MOCK_DELTA_MS * MODEL_FORMAT.bytes_per_second / 1000))
        down_bytes = websocket_wire_bytes(piece)
    else:
        chunk = bytes(round(p.chunk_ms * MODEL_FORMAT.bytes_per_second / 1000) // 2 * 2)
        up_bytes = client_event_bytes(InputAudioBufferAppend(audio=chunk), Dialect.GA)
        up_every = p.chunk_ms
        piece = bytes(round(MOCK_DELTA_MS * MODEL_FORMAT.bytes_per_second / 1000))
        delta = ResponseAudioDelta("resp_1", "item_1", 0, 0, piece)
        down_bytes = server_event_bytes(delta, Dialect.GA)
    up = stream_stats(profile, message_bytes=up_bytes, interval_ms=up_every)[0]
    down = stream_stats(profile, message_bytes=down_bytes, interval_ms=MOCK_DELTA_MS)[1]
    up_mean, down_mean = up.latency_ms["mean"], down.latency_ms["mean"]
    assert isinstance(up_mean, float) and isinstance(down_mean, float)
    return up_mean + down_mean


@dataclass
class TurnRow:
    """One measured turn."""

    profile: str
    leg: str
    turn: int
    status: str | None
    client_v2v_ms: float | None
    server_v2v_ms: float | None
    parts_ms: dict[str, float | None] = field(default_factory=dict)
    residual_ms: float | None = None
    clock_uncertainty_ms: float | None = None
    underruns: int = 0
    error: str | None = None


async def measure_session(
    connect_to: str | Connector,
    profile: NetProfile,
    leg: str,
    p: NetemParams,
    seed: int,
    clock: Clock | None = None,
) -> list[TurnRow]:
    """``p.turns`` turns of one session with ``profile`` on ``leg``.

    ``connect_to`` is the API's URL (real clock), or a connector with its ``clock``
    (:func:`workbench.bench.netem_memory.memory_connector` on a ``VirtualClock``).
    """
    utterance = load_utterance()
    config = ListenerConfig(
        player=PlayerConfig(p.jitter_buffer_ms, p.output_latency_ms),
        client_profile=profile if leg == "client" else None,
        upstream_profile=profile.name if leg == "upstream" else "none",
        frame_ms=p.frame_ms,
        seed=seed,
        query=p.query(),
    )
    rows: list[TurnRow] = []
    async with Listener(connect_to, config, clock) as listener:
        seen: set[str] = set()
        # Every utterance starts at the same phase of the 20 ms frames and 40 ms chunks
        # (natural speech would add up to one frame of noise to turn detection).
        align_ms = float(math.lcm(round(p.frame_ms), round(p.chunk_ms)))
        for turn in range(p.turns):
            start = listener.say(utterance, align_ms=align_ms)
            speech_end_input_ms = start + utterance.end_ms
            speech_end_ms = listener.mic_t0_ms + speech_end_input_ms
            reply = await listener.next_reply(seen)
            seen.add(reply.item_id)
            async with asyncio.timeout(60):
                await reply.done.wait()
            figures = await listener.report(reply, speech_end_ms, speech_end_input_ms)
            timeline = reply.timeline or {}
            v2v = timeline.get("voice_to_voice") or {}
            rows.append(
                TurnRow(
                    profile=profile.name,
                    leg=leg,
                    turn=turn,
                    status=reply.done_status,
                    client_v2v_ms=figures["client_v2v_ms"],
                    server_v2v_ms=timeline.get("voice_to_voice_ms"),
                    parts_ms=dict(v2v.get("parts_ms") or {}),
                    residual_ms=v2v.get("residual_ms"),
                    clock_uncertainty_ms=figures["clock_uncertainty_ms"],
                    underruns=figures["underruns"],
                )
            )
            # The user listens to the whole reply, then pauses, before speaking again.
            await listener.wait_heard(reply, p.pause_ms)
    return rows


async def _measure(url: str, p: NetemParams) -> list[TurnRow]:
    rows: list[TurnRow] = []
    for leg in p.legs:
        for index, name in enumerate(p.profiles):
            try:
                rows += await measure_session(url, get_profile(name), leg, p, seed=index)
            except (OSError, TimeoutError, ConnectionError) as exc:
                rows.append(TurnRow(name, leg, -1, None, None, None, error=repr(exc)[:200]))
    return rows


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def summarize_rows(rows: list[TurnRow], p: NetemParams) -> list[dict[str, Any]]:
    """One row per (leg, profile): voice-to-voice, its mean parts, added vs expected."""
    table = []
    for leg in p.legs:
        base = _mean([r.client_v2v_ms for r in rows if r.leg == leg and r.profile == "none"])
        for name in p.profiles:
            mine = [r for r in rows if r.leg == leg and r.profile == name and r.error is None]
            v2v = _mean([r.client_v2v_ms for r in mine])
            added = None if v2v is None or base is None else v2v - base
            expected = expected_added_ms(get_profile(name), leg, p)
            row: dict[str, Any] = {
                "leg": leg,
                "profile": name,
                "n": len(mine),
                "v2v_mean_ms": v2v,
                "v2v_p50_ms": percentiles([r.client_v2v_ms for r in mine if r.client_v2v_ms])[
                    "p50"
                ],
            }
            for part in PARTS:
                row[part] = _mean([r.parts_ms.get(part) for r in mine])
            row["residual"] = _mean([r.residual_ms for r in mine])
            row["added_ms"] = added
            row["expected_ms"] = expected
            row["added_vs_expected"] = (
                added / expected if added is not None and expected > 1.0 else None
            )
            row["underruns"] = sum(r.underruns for r in mine)
            table.append(row)
    return table


def _figure(table: list[dict[str, Any]]) -> Figure:
    fig = Figure(figsize=(8, 0.45 * len(table) + 1.5))
    ax = fig.subplots()
    labels = [f"{r['leg']}: {r['profile']}" for r in table]
    left = [0.0] * len(table)
    for part in (*PARTS, "residual"):
        widths = [r[part] or 0.0 for r in table]
        ax.barh(labels, widths, left=left, label=part)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for y, row in enumerate(table):
        if row["v2v_mean_ms"] is not None:
            ax.plot(row["v2v_mean_ms"], y, "k|", markersize=14)
    ax.invert_yaxis()
    ax.set_xlabel("voice-to-voice latency, mean (ms): parts from the server, | = measured")
    ax.set_title("voice-to-voice latency per network profile and leg")
    ax.legend(fontsize=7, ncols=3, loc="lower right")
    fig.tight_layout()
    return fig


def run(out_dir: Path, quick: bool = False, params: NetemParams | None = None) -> dict[str, Any]:
    """Measure; write ``netem.json``/``.png``; return the summary."""
    p = params if params is not None else NetemParams.for_mode(quick)
    with servers(p.mock_ttfa_ms, [ApiSpec(app="api", backend="mock")]) as running:
        rows = asyncio.run(_measure(running.apis[0].url, p))
    table = summarize_rows(rows, p)
    print_table(
        [
            {k: r[k] for k in ("leg", "profile", "n", "v2v_mean_ms", "added_ms", "expected_ms")}
            | {"ratio": r["added_vs_expected"]}
            for r in table
        ]
    )
    summary = {
        "table": table,
        "failures": [r.error for r in rows if r.error],
        "goal": "4g on the client leg adds its expected contribution within 10 % (reported)",
    }
    samples = [asdict(r) for r in rows]
    write_result(SUITE, asdict(p), samples, summary, _figure(table), out_dir)
    return summary
