"""Concurrency benchmark: N simultaneous ``WS /ws/realtime`` sessions on a real server.

Topology (three processes, all on 127.0.0.1): this process runs N clients
(:mod:`workbench.bench.ws_client`); uvicorn serves the API (1 or more workers); its
backend is ``mock-server``: the echo mock in its own process, reached through the
openai SDK over loopback WebSockets. Each client sends 48 kHz PCM16 frames every
``frame_ms`` at real-time pace, commits, and times the echoed reply.

Per level (sessions): ``added_ms`` p50/p99 (reply-frame arrival minus the mock's
schedule, see ``ws_client``), the same for direct SDK clients at the same number of
sessions (no API: the floor of the mock + loopback + this load generator, in the same
run; ``api_minus_direct_p99_ms`` is the difference), ``server_cpu_pct`` (100 = one core,
the API's process tree, psutil), CPU and RSS growth per session, failed turns and
sessions. The load generator shares the 2 cores with both servers: at high levels its
own lateness is in ``added_ms`` too (``client_cpu_pct`` shows how busy it was).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import time
import wave
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil
from matplotlib.figure import Figure

from workbench.bench.common import percentiles, print_table, write_result
from workbench.bench.direct import direct_turns
from workbench.bench.servers import ApiSpec, ProcessTree, TreeSample, servers
from workbench.bench.ws_client import CONNECT_TIMEOUT_S, SessionResult, TurnResult, run_session

SUITE = "concurrency"
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "audio" / "en_long_10s_48k_pcm16.wav"
INPUT_RATE_HZ = 48_000
RSS_SAMPLE_S = 0.25


@dataclass(frozen=True)
class ConcurrencyParams:
    """What one run measures (durations in s, times in ms)."""

    levels: tuple[int, ...] = (1, 10, 50, 100, 200)
    worker_levels: tuple[int, ...] = (100, 200)
    workers: int = 2
    turns: int = 2
    utterance_s: float = 2.0
    frame_ms: float = 40.0
    ttfa_ms: float = 300.0
    ramp_s: float = 2.0
    quick: bool = False

    @classmethod
    def for_mode(cls, quick: bool) -> ConcurrencyParams:
        """Full (``levels`` up to 200) or quick (1, 5, 20; one turn of 1 s)."""
        if quick:
            return cls(
                levels=(1, 5, 20),
                worker_levels=(5,),
                turns=1,
                utterance_s=1.0,
                ramp_s=0.5,
                quick=True,
            )
        return cls()


def utterance_pcm16(seconds: float) -> bytes:
    """The first ``seconds`` of the 10 s 48 kHz speech fixture, PCM16 LE mono."""
    with wave.open(str(FIXTURE)) as wav:
        frames: bytes = wav.readframes(int(seconds * wav.getframerate()))
    return frames


async def _level(
    url: str, sessions: int, p: ConcurrencyParams, tree: ProcessTree
) -> dict[str, Any]:
    """Run ``sessions`` clients at once; sample the server tree while they run."""
    utterance = utterance_pcm16(p.utterance_s)
    me = psutil.Process()
    idle = tree.sample()
    peak = idle
    go = asyncio.Event()
    rng = random.Random(sessions)
    results_by_session = [SessionResult() for _ in range(sessions)]
    clients = [
        run_session(
            url,
            utterance,
            sample_rate_hz=INPUT_RATE_HZ,
            frame_ms=p.frame_ms,
            turns=p.turns,
            ttfa_ms=p.ttfa_ms,
            start_delay_s=p.ramp_s * i / sessions,  # connections spread over the ramp
            go=go,
            turn_offset_s=rng.uniform(0.0, p.utterance_s),  # turns not in lockstep
            result=results_by_session[i],
        )
        for i in range(sessions)
    ]
    gathered = asyncio.gather(*clients)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(p.ramp_s + CONNECT_TIMEOUT_S):
            await asyncio.gather(*(r.connected.wait() for r in results_by_session))
    # Measure from here: every session is connected (or failed to); the turns start.
    before = tree.sample()
    client_cpu_before = sum(me.cpu_times()[:2])
    start_s = time.perf_counter()
    go.set()
    while not gathered.done():
        await asyncio.wait([gathered], timeout=RSS_SAMPLE_S)
        sample = tree.sample()
        peak = sample if sample.rss_mb > peak.rss_mb else peak
    results: list[SessionResult] = gathered.result()
    wall_s = time.perf_counter() - start_s
    after = tree.sample()
    client_cpu_s = sum(me.cpu_times()[:2]) - client_cpu_before
    return _summarise(sessions, results, idle, before, peak, after, wall_s, client_cpu_s)


def _summarise(
    sessions: int,
    results: list[SessionResult],
    idle: TreeSample,
    before: TreeSample,
    peak: TreeSample,
    after: TreeSample,
    wall_s: float,
    client_cpu_s: float,
) -> dict[str, Any]:
    turns = [t for r in results for t in r.turns]
    added = [a for t in turns if t.ok for a in t.added_ms]
    ttfa = [t.ttfa_ms for t in turns if t.ok and t.ttfa_ms is not None]
    connect = [r.connect_ms for r in results if r.connect_ms is not None]
    server_cpu_pct = (after.cpu_s - before.cpu_s) / wall_s * 100.0
    return {
        "sessions": sessions,
        "turns": len(turns),
        "failed_turns": sum(not t.ok for t in turns),
        "failed_sessions": sum(r.error is not None for r in results),
        "errors": sorted({e for r in results for e in [r.error] if e})
        + sorted({t.error for t in turns if t.error}),
        "added_ms": percentiles(added),
        "ttfa_ms": percentiles(ttfa),
        "connect_ms": percentiles(connect),
        "server_cpu_pct": server_cpu_pct,
        "cpu_pct_per_session": server_cpu_pct / sessions,
        "rss_mb_idle": idle.rss_mb,
        "rss_mb_peak": peak.rss_mb,
        "rss_mb_per_session": (peak.rss_mb - idle.rss_mb) / sessions,
        "client_cpu_pct": client_cpu_s / wall_s * 100.0,
        "wall_s": wall_s,
        "added_samples_ms": added,
    }


def _run_server(
    workers: int, levels: tuple[int, ...], p: ConcurrencyParams
) -> list[dict[str, Any]]:
    rows = []
    with servers(p.ttfa_ms, [ApiSpec(workers=workers)]) as running:
        mock, api = running.mock, running.apis[0]
        tree = ProcessTree(api.pid)
        mock_tree = ProcessTree(mock.pid)
        for sessions in levels:
            mock_before = mock_tree.sample().cpu_s
            row = asyncio.run(_level(api.url, sessions, p, tree))
            row["mock_cpu_pct"] = (mock_tree.sample().cpu_s - mock_before) / row["wall_s"] * 100
            row["workers"] = workers
            row["load_average_1m"] = os.getloadavg()[0]  # a busy machine explains outliers
            rows.append(row)
            if workers == 1:
                rows.append(asyncio.run(_direct_level(mock.url, sessions, p)))
    return rows


async def _direct_level(mock_url: str, sessions: int, p: ConcurrencyParams) -> dict[str, Any]:
    """The same load from direct SDK clients (no API): the baseline at this level."""
    utterance_24k = _to_24k(utterance_pcm16(p.utterance_s))
    go = asyncio.Event()
    connected = [asyncio.Event() for _ in range(sessions)]
    rng = random.Random(sessions)

    async def one(i: int) -> list[TurnResult]:
        await asyncio.sleep(p.ramp_s * i / sessions)
        try:
            return await direct_turns(
                mock_url,
                utterance_24k,
                frame_ms=p.frame_ms,
                turns=p.turns,
                ttfa_ms=p.ttfa_ms,
                connected=connected[i],
                go=go,
                turn_offset_s=rng.uniform(0.0, p.utterance_s),
            )
        except (OSError, TimeoutError) as exc:
            return [TurnResult(ok=False, error=type(exc).__name__)]
        finally:
            connected[i].set()

    gathered = asyncio.gather(*(one(i) for i in range(sessions)))
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(p.ramp_s + CONNECT_TIMEOUT_S):
            await asyncio.gather(*(c.wait() for c in connected))
    go.set()
    direct = [t for turns in await gathered for t in turns]
    added = [a for t in direct if t.ok for a in t.added_ms]
    return {
        "workers": 0,  # no API at all: the direct SDK baseline
        "sessions": sessions,
        "turns": len(direct),
        "failed_turns": sum(not t.ok for t in direct),
        "failed_sessions": 0,
        "errors": sorted({t.error for t in direct if t.error}),
        "added_ms": percentiles(added),
        "ttfa_ms": percentiles(t.ttfa_ms for t in direct if t.ttfa_ms is not None),
        "load_average_1m": os.getloadavg()[0],
        "added_samples_ms": added,
    }


def _to_24k(pcm16_48k: bytes) -> bytes:
    """Every other sample: fine for a timing baseline (the mock only echoes it)."""
    import numpy as np

    return np.frombuffer(pcm16_48k, dtype="<i2")[::2].tobytes()


def _figure(rows: list[dict[str, Any]]) -> Figure:
    fig = Figure(figsize=(10, 4))
    ax_lat, ax_cpu = fig.subplots(1, 2)
    for workers in sorted({r["workers"] for r in rows}):
        mine = [r for r in rows if r["workers"] == workers]
        x = [r["sessions"] for r in mine]
        name = f"{workers} worker(s)" if workers else "direct SDK (no API)"
        for stat, style in (("p50", "o--"), ("p99", "o-")):
            y = [r["added_ms"][stat] for r in mine]
            ax_lat.plot(x, y, style, label=f"{name} {stat}")
        if workers:
            ax_cpu.plot(x, [r["server_cpu_pct"] for r in mine], "o-", label=name)
    ax_lat.set(xlabel="concurrent sessions", ylabel="added latency (ms)", xscale="log")
    ax_lat.set_yscale("symlog", linthresh=10.0)
    ax_lat.set_title("reply frames: arrival − mock schedule")
    ax_cpu.set(xlabel="concurrent sessions", ylabel="API CPU (% of one core)", xscale="log")
    ax_lat.legend(fontsize=7)
    ax_cpu.legend(fontsize=7)
    fig.tight_layout()
    return fig


def table_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The printed table: one line per (workers, sessions).

    ``api_minus_direct_p99_ms``: the API's p99 minus the direct SDK clients' p99 at
    the same number of sessions, in the same run (what the API + relay add).
    """
    direct = {r["sessions"]: r["added_ms"]["p99"] for r in rows if r["workers"] == 0}
    return [
        {
            "workers": r["workers"] or "direct",
            "sessions": r["sessions"],
            "added_p50_ms": r["added_ms"]["p50"],
            "added_p99_ms": r["added_ms"]["p99"],
            "api_minus_direct_p99_ms": _minus(r["added_ms"]["p99"], direct.get(r["sessions"]))
            if r["workers"]
            else None,
            "api_cpu_pct": r.get("server_cpu_pct"),
            "cpu_pct_per_session": r.get("cpu_pct_per_session"),
            "rss_mb_per_session": r.get("rss_mb_per_session"),
            "failed_turns": r["failed_turns"],
            "failed_sessions": r["failed_sessions"],
            "load_1m": r.get("load_average_1m"),
        }
        for r in rows
    ]


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def run(
    out_dir: Path, quick: bool = False, params: ConcurrencyParams | None = None
) -> dict[str, Any]:
    """Run every level with 1 worker, then ``worker_levels`` with ``workers``; write results.

    ``params`` overrides the mode's parameters (the smoke tests use tiny ones).

    Returns
    -------
    dict
        The summary: ``rows`` (the table) and the goal figures.
    """
    p = params if params is not None else ConcurrencyParams.for_mode(quick)
    rows = _run_server(1, p.levels, p)
    if p.worker_levels:
        rows += _run_server(p.workers, p.worker_levels, p)
    table = table_rows(rows)
    print_table(table)
    summary = {
        "rows": table,
        "failed_turns_total": sum(r["failed_turns"] for r in rows if r["workers"]),
        "backend": "mock-server (separate process, openai SDK over loopback WebSockets)",
        "goal": "< 5 ms p99 added at 100 sessions on 2 cores, zero failures (reported only)",
    }
    samples = [{k: v for k, v in r.items()} for r in rows]
    write_result(SUITE, asdict(p), samples, summary, _figure(rows), out_dir)
    return summary
