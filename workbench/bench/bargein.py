"""``workbench bench bargein``: barge-in accuracy per network profile, at the speaker.

The simulated listener (:mod:`workbench.bench.netem_client`: paced microphone, 40 ms
jitter buffer, 20 ms output latency, playout reports every 100 ms, as the duplex page)
lets a reply play and barges in when it has heard ``barge_at_ms`` of it, by starting to
say the next phrase. Each barge-in's reply is barged in at the next point; the last one
plays out. Two ways to barge in:

- ``server_vad``: the user just speaks; the server's VAD hears it, the relay cancels
  and truncates the item at the last reported playout, the listener flushes on the
  ``interrupted`` message (the duplex page's behaviour).
- ``client``: the listener stops playback the moment the user's speech starts (a
  local VAD with no delay) and sends ``interrupt`` with exactly what was played (the
  duplex page's interrupt button).

Per barge-in: **stop latency** (user speech onset → reply silent at the speaker: flush
+ output latency), **truncation error** (``audio_end_ms`` the model was told − the audio
actually played, ms; > 0: the model "remembers" audio the user never heard), and whether
**the truncated item's transcript** (its final transcript) holds exactly the words that
were heard (a word is heard when the audio it arrived with started playing). The
client leg crosses each profile; the model leg is left alone.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from workbench.bench.common import percentiles, print_table, write_result
from workbench.bench.netem import load_utterance
from workbench.bench.netem_client import Listener
from workbench.bench.netem_parts import (
    PLAYOUT_REPORT_EVERY_MS,
    Connector,
    ListenerConfig,
    Reply,
)
from workbench.bench.netem_player import PlayerConfig
from workbench.bench.servers import ApiSpec, servers
from workbench.clock import Clock
from workbench.netem.profiles import PROFILES, NetProfile, get_profile

SUITE = "bargein"
MODES = ("server_vad", "client")


#: How long to wait for the cut item's final transcript after ``interrupted`` (s); a
#: server that sends none leaves the model's final (noted in the row).
_FINAL_AFTER_CUT_S = 2.0


@dataclass(frozen=True)
class BargeinParams:
    """Profiles × modes, the barge-in points (ms of reply heard) and the settings."""

    profiles: tuple[str, ...] = tuple(PROFILES)
    modes: tuple[str, ...] = MODES
    barge_at_ms: tuple[float, ...] = (300.0, 700.0, 1100.0)
    sessions: int = 3
    mock_ttfa_ms: float = 300.0
    vad_silence_ms: int = 500
    jitter_buffer_ms: float = 40.0
    output_latency_ms: float = 20.0
    playout_report_ms: float = PLAYOUT_REPORT_EVERY_MS
    quick: bool = False

    @classmethod
    def for_mode(cls, quick: bool) -> BargeinParams:
        """Full (every profile, both modes, 3 points, 3 sessions) or quick (none and 4g,
        one point, one session)."""
        if quick:
            return cls(profiles=("none", "4g"), barge_at_ms=(600.0,), sessions=1, quick=True)
        return cls()

    def query(self) -> tuple[tuple[str, str], ...]:
        """Session settings of every connection."""
        return (
            ("turn_detection", "server_vad"),
            ("vad_silence_ms", str(self.vad_silence_ms)),
            ("mock_ttfa_ms", repr(self.mock_ttfa_ms)),
            ("mock_speed_x", "1.0"),
        )


@dataclass
class BargeRow:
    """One barge-in."""

    profile: str
    mode: str
    barge_at_ms: float
    played_ms: float | None = None
    audio_end_ms: int | None = None
    truncation_error_ms: float | None = None
    stop_latency_ms: float | None = None
    heard_words: int = 0
    kept_words: int | None = None
    transcript_matches: bool | None = None
    status: str | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)


def heard_text(reply: Reply, played_ms: float) -> str:
    """The transcript pieces whose audio started playing before ``played_ms``."""
    return "".join(piece for position, piece in reply.words if position < played_ms)


async def _barge(
    listener: Listener, reply: Reply, at_ms: float, mode: str, p: BargeinParams, row: BargeRow
) -> None:
    utterance = load_utterance()
    if not await listener.until_received(reply, at_ms):
        row.error = f"the reply is shorter than {at_ms:g} ms"
        return
    start_ms = listener.player.heard_ms(reply.item_id, at_ms)
    assert start_ms is not None
    listener.say(utterance, at_ms=start_ms)
    onset_ms = start_ms + utterance.onset_ms
    if mode == "client":
        await listener.clock.sleep_until(onset_ms)
        await listener.interrupt(reply)
    async with asyncio.timeout(30):
        await reply.cut.wait()
        await reply.done.wait()
    # The server sends the cut item's final transcript right after ``interrupted``; a
    # reply that was done before the cut has its model final already: wait for the cut's.
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(_FINAL_AFTER_CUT_S):
            await reply.final_after_cut.wait()
    if reply.flushed_at_ms is None or reply.played_at_flush_ms is None:
        row.error = "the reply was not cut"
        return
    row.status = reply.done_status
    row.played_ms = reply.played_at_flush_ms
    row.audio_end_ms = reply.interrupted_audio_end_ms
    if row.audio_end_ms is not None:
        row.truncation_error_ms = row.audio_end_ms - row.played_ms
    row.stop_latency_ms = reply.flushed_at_ms + p.output_latency_ms - onset_ms
    heard = heard_text(reply, row.played_ms).split()
    row.heard_words = len(heard)
    if not reply.final_after_cut.is_set():
        row.notes.append("no final transcript after the cut (the model's final is judged)")
    if reply.final_text is not None:
        kept = reply.final_text.split()
        row.kept_words = len(kept)
        row.transcript_matches = kept == heard
    else:
        row.notes.append("no final transcript for the cut item")


async def measure_session(
    connect_to: str | Connector,
    profile: NetProfile,
    mode: str,
    p: BargeinParams,
    seed: int,
    clock: Clock | None = None,
) -> list[BargeRow]:
    """One session: a phrase, then a barge-in at each point, each on the newest reply.

    ``connect_to`` is the API's URL (real clock), or a connector with its ``clock``.
    """
    config = ListenerConfig(
        player=PlayerConfig(p.jitter_buffer_ms, p.output_latency_ms),
        client_profile=profile,
        seed=seed,
        query=p.query(),
        playout_report_ms=p.playout_report_ms,
    )
    rows = []
    async with Listener(connect_to, config, clock) as listener:
        seen: set[str] = set()
        listener.say(load_utterance())
        for at_ms in p.barge_at_ms:
            row = BargeRow(profile.name, mode, at_ms)
            rows.append(row)
            try:
                reply = await listener.next_reply(seen)
                seen.add(reply.item_id)
                await _barge(listener, reply, at_ms, mode, p, row)
            except (TimeoutError, ConnectionError) as exc:
                row.error = repr(exc)[:200]
                break
        errors = [e.get("code") for e in listener.errors]
        if errors:
            rows[-1].notes.append(f"server errors: {errors}")
    return rows


async def _measure(url: str, p: BargeinParams) -> list[BargeRow]:
    rows: list[BargeRow] = []
    for index, name in enumerate(p.profiles):
        for mode in p.modes:
            for session in range(p.sessions):
                seed = index * 100 + session
                try:
                    rows += await measure_session(url, get_profile(name), mode, p, seed)
                except (OSError, TimeoutError, ConnectionError) as exc:
                    rows.append(BargeRow(name, mode, -1.0, error=repr(exc)[:200]))
    return rows


def summarize_rows(rows: list[BargeRow], p: BargeinParams) -> list[dict[str, Any]]:
    """One row per (profile, mode): stop latency and truncation error percentiles."""
    table = []
    for name in p.profiles:
        for mode in p.modes:
            mine = [r for r in rows if r.profile == name and r.mode == mode and not r.error]
            stop = percentiles([r.stop_latency_ms for r in mine if r.stop_latency_ms is not None])
            errs = [r.truncation_error_ms for r in mine if r.truncation_error_ms is not None]
            trunc = percentiles(errs)
            abs_trunc = percentiles(abs(e) for e in errs)
            judged = [r for r in mine if r.transcript_matches is not None]
            table.append(
                {
                    "profile": name,
                    "mode": mode,
                    "n": len(mine),
                    "stop_p50_ms": stop["p50"],
                    "stop_p99_ms": stop["p99"],
                    "trunc_err_p50_ms": trunc["p50"],
                    "trunc_err_min_ms": min(errs, default=None),
                    "trunc_err_max_ms": trunc["max"],
                    "abs_trunc_err_p99_ms": abs_trunc["p99"],
                    "transcript_matches": f"{sum(bool(r.transcript_matches) for r in judged)}"
                    f"/{len(judged)}",
                    "kept_unheard_words": sum(
                        1 for r in judged if (r.kept_words or 0) > r.heard_words
                    ),
                    "lost_heard_words": sum(
                        1 for r in judged if (r.kept_words or 0) < r.heard_words
                    ),
                    "failed": sum(1 for r in rows if r.profile == name and r.mode == mode)
                    - len(mine),
                }
            )
    return table


def _figure(rows: list[BargeRow], p: BargeinParams) -> Figure:
    fig = Figure(figsize=(9, 4))
    ax_stop, ax_trunc = fig.subplots(1, 2)
    for offset, mode in enumerate(p.modes):
        for i, name in enumerate(p.profiles):
            mine = [r for r in rows if r.profile == name and r.mode == mode and not r.error]
            x = i + (offset - 0.5) * 0.3
            stops = [r.stop_latency_ms for r in mine if r.stop_latency_ms is not None]
            errs = [r.truncation_error_ms for r in mine if r.truncation_error_ms is not None]
            color = f"C{offset}"
            label = mode if i == 0 else None
            ax_stop.scatter([x] * len(stops), stops, color=color, s=14, label=label)
            ax_trunc.scatter([x] * len(errs), errs, color=color, s=14, label=label)
    for ax, title in (
        (ax_stop, "stop latency at the speaker (ms)"),
        (ax_trunc, "truncation error: audio_end_ms - played (ms)"),
    ):
        ax.set_xticks(range(len(p.profiles)), p.profiles, rotation=30, fontsize=8)
        ax.set_title(title, fontsize=9)
        ax.grid(alpha=0.3)
    ax_trunc.axhline(0.0, color="k", lw=0.8)
    ax_stop.legend(fontsize=8)
    fig.suptitle("barge-in per network profile (client leg)", fontsize=10)
    fig.tight_layout()
    return fig


def run(out_dir: Path, quick: bool = False, params: BargeinParams | None = None) -> dict[str, Any]:
    """Measure; write ``bargein.json``/``.png``; return the summary."""
    p = params if params is not None else BargeinParams.for_mode(quick)
    with servers(p.mock_ttfa_ms, [ApiSpec(app="api", backend="mock")]) as running:
        rows = asyncio.run(_measure(running.apis[0].url, p))
    table = summarize_rows(rows, p)
    print_table(table)
    summary = {
        "table": table,
        "failures": [r.error for r in rows if r.error],
        "goal": "truncation error <= 20 ms p99 on loopback (reported)",
    }
    write_result(SUITE, asdict(p), [asdict(r) for r in rows], summary, _figure(rows, p), out_dir)
    return summary
