"""Per-session cost: CPU per audio frame, memory per idle session, stalls while sessions connect.

Each figure for ``workbench api`` (one process) and, in the same run, for the minimal
relay floor (:mod:`workbench.bench.minimal_relay`) — and for the API of another checkout
(``WORKBENCH_BENCH_BEFORE``, see :mod:`workbench.bench.cost_servers`) to measure a change
before/after. All relay to one echo mock in its own process; the load generator is this
process. Three phases:

- **storm** (fresh processes; the API's loop-lag probe every 5 ms over a 5 s window):
  a probe process (:mod:`workbench.bench.rtt_probe`) pings one live session every 5 ms;
  then ``storm_sessions`` sessions connect at once (each opens its upstream session).
  Reported: the round trip's max and p99 while they connect (how long the server's
  event loop stalled) against its median before, the API's ``workbench_loop_lag_ms``
  max right after, and how long connecting took.
- **idle** (fresh processes): after one warm-up turn, RSS with no session, then with
  ``idle_sessions`` connected, idle sessions (upstream open): KB per idle session.
- **cpu** (same processes, after idle): ``cpu_sessions`` sessions, ``turns`` turns of
  ``utterance_s`` 48 kHz speech in ``frame_ms`` frames, echoed; the server's CPU time
  over the turns divided by the audio frames the clients sent (each frame: one frame
  in, its upstream append and its share of the reply). Rounds alternate variants.

Ratios are against the floor measured in the same run. Targets (reported, never
asserted): CPU per frame ≤ 1.3× floor, ≤ 0.2 MB per idle session, no stall over 5 ms
while 100 sessions connect.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from workbench.bench.common import percentiles, print_table, write_result
from workbench.bench.concurrency import INPUT_RATE_HZ, utterance_pcm16
from workbench.bench.cost_servers import RelayServer, relay_servers, variants
from workbench.bench.scaleout import relay_load
from workbench.bench.scaleout_stack import loop_lag_ms, scrape
from workbench.bench.servers import ProcessTree, mock_process
from workbench.bench.ws_client import CONNECT_TIMEOUT_S, SessionResult, run_session

SUITE = "cost"
PROBE_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class CostParams:
    """What one run measures (durations in s, times in ms)."""

    idle_sessions: int = 200
    storm_sessions: int = 100
    cpu_sessions: int = 50
    cpu_rounds: int = 3
    turns: int = 2
    utterance_s: float = 2.0
    frame_ms: float = 40.0
    ttfa_ms: float = 300.0
    ramp_s: float = 2.0
    probe_interval_ms: float = 5.0
    server_lag_interval_ms: float = 5.0
    server_lag_window_s: float = 5.0
    phases: tuple[str, ...] = ("storm", "idle", "cpu")
    quick: bool = False

    @classmethod
    def for_mode(cls, quick: bool) -> CostParams:
        """Full (200 idle, 100 at once, 50 × 3 rounds) or quick (10, 10, 5 × 1)."""
        if quick:
            return cls(
                idle_sessions=10,
                storm_sessions=10,
                cpu_sessions=5,
                cpu_rounds=1,
                turns=1,
                utterance_s=1.0,
                ramp_s=0.5,
                server_lag_window_s=2.0,
                quick=True,
            )
        return cls()

    @property
    def frames_per_session(self) -> int:
        """Audio frames one client session sends over all its turns."""
        return self.turns * math.ceil(self.utterance_s * 1000.0 / self.frame_ms)


async def _hold_sessions(
    url: str, n: int, p: CostParams, ramp_s: float
) -> tuple[list[SessionResult], asyncio.Event, asyncio.Future[Any], float]:
    """Connect ``n`` sessions (spread over ``ramp_s``) and keep them idle until released.

    Returns the results, the release event, the sessions' future and the wall time (s)
    until all were connected (or failed).
    """
    go = asyncio.Event()
    results = [SessionResult() for _ in range(n)]
    gathered = asyncio.gather(
        *(
            run_session(
                url,
                b"",
                sample_rate_hz=INPUT_RATE_HZ,
                frame_ms=p.frame_ms,
                turns=0,
                ttfa_ms=p.ttfa_ms,
                start_delay_s=ramp_s * i / n,
                go=go,
                result=results[i],
            )
            for i in range(n)
        )
    )
    start_s = time.perf_counter()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(ramp_s + CONNECT_TIMEOUT_S):
            await asyncio.gather(*(r.connected.wait() for r in results))
    return results, go, gathered, time.perf_counter() - start_s


async def _warm_up(url: str, p: CostParams) -> None:
    """One short turn: lazy imports and first-use work happen before measuring."""
    utterance = utterance_pcm16(min(p.utterance_s, 1.0))
    await run_session(
        url,
        utterance,
        sample_rate_hz=INPUT_RATE_HZ,
        frame_ms=p.frame_ms,
        turns=1,
        ttfa_ms=p.ttfa_ms,
    )


async def _idle(server: RelayServer, p: CostParams) -> dict[str, Any]:
    """RSS without sessions, then with ``idle_sessions`` idle ones: the cost of each."""
    await _warm_up(server.url, p)
    await asyncio.sleep(1.0)
    rss_before_mb = server.tree.sample().rss_mb
    results, go, gathered, _ = await _hold_sessions(server.url, p.idle_sessions, p, p.ramp_s)
    await asyncio.sleep(2.0)  # let buffers and allocations settle
    rss_with_mb = server.tree.sample().rss_mb
    connected = sum(r.connect_ms is not None and r.error is None for r in results)
    go.set()
    await gathered
    return {
        "variant": server.variant,
        "sessions": p.idle_sessions,
        "connected": connected,
        "rss_mb_before": rss_before_mb,
        "rss_mb_with_sessions": rss_with_mb,
        "kb_per_idle_session": (rss_with_mb - rss_before_mb) * 1000.0 / max(1, connected),
    }


async def _start_probe(url: str, p: CostParams) -> asyncio.subprocess.Process:
    cmd = [sys.executable, "-m", "workbench.bench.rtt_probe", url]
    cmd += ["--interval-ms", repr(p.probe_interval_ms)]
    probe = await asyncio.create_subprocess_exec(
        *cmd, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    assert probe.stdout is not None
    async with asyncio.timeout(PROBE_TIMEOUT_S):
        line = await probe.stdout.readline()
    if line.strip() != b"ready":
        probe.kill()
        raise RuntimeError(f"rtt probe did not start: {line!r}")
    return probe


async def _stop_probe(probe: asyncio.subprocess.Process) -> list[list[float]]:
    assert probe.stdin is not None and probe.stdout is not None
    probe.stdin.write(b"stop\n")
    await probe.stdin.drain()
    async with asyncio.timeout(PROBE_TIMEOUT_S):
        line = await probe.stdout.readline()
        await probe.wait()
    samples: list[list[float]] = json.loads(line)["samples"]
    return samples


async def _storm(server: RelayServer, p: CostParams) -> dict[str, Any]:
    """``storm_sessions`` connect at once while the probe times round trips."""
    await _warm_up(server.url, p)
    probe = await _start_probe(server.url, p)
    try:
        # The lag window must forget start-up and warm-up: only the storm is in it.
        await asyncio.sleep(p.server_lag_window_s + 0.5)
        start_wall_s = time.time()
        results, go, gathered, connect_wall_s = await _hold_sessions(
            server.url, p.storm_sessions, p, ramp_s=0.0
        )
        end_wall_s = time.time()
        lag_max_ms = loop_lag_ms(await asyncio.to_thread(scrape, server.url), "max")
        await asyncio.sleep(0.5)
    finally:
        samples = await _stop_probe(probe)
    go.set()
    await gathered
    before = [rtt for t, rtt in samples if t < start_wall_s]
    during = [rtt for t, rtt in samples if start_wall_s <= t <= end_wall_s]
    return {
        "variant": server.variant,
        "sessions": p.storm_sessions,
        "connected": sum(r.connect_ms is not None and r.error is None for r in results),
        "connect_wall_s": connect_wall_s,
        "connect_ms": percentiles(r.connect_ms for r in results if r.connect_ms is not None),
        "rtt_before_ms": percentiles(before),
        "rtt_during_ms": percentiles(during),
        "server_lag_max_ms": lag_max_ms,
        "probe_samples": samples,
    }


def _cpu_round(
    server: RelayServer, mock: ProcessTree, p: CostParams, round_index: int
) -> dict[str, Any]:
    """One round of ``cpu_sessions`` sessions on ``server``: CPU per client frame."""
    shape = _LoadShape(p)
    cpu_before_s, mock_before_s = server.tree.sample().cpu_s, mock.sample().cpu_s
    measured = asyncio.run(relay_load(server.url, p.cpu_sessions, shape))
    cpu_s = server.tree.sample().cpu_s - cpu_before_s
    mock_s = mock.sample().cpu_s - mock_before_s
    frames = p.cpu_sessions * p.frames_per_session
    added = [a for t in measured.turns if t.ok for a in t.added_ms]
    return {
        "variant": server.variant,
        "round": round_index,
        "sessions": p.cpu_sessions,
        "frames": frames,
        "cpu_us_per_frame": cpu_s * 1e6 / frames,
        "mock_cpu_us_per_frame": mock_s * 1e6 / frames,
        "server_cpu_pct": cpu_s / measured.wall_s * 100.0,
        "added_ms": percentiles(added),
        "failed": sum(not t.ok for t in measured.turns) + measured.failed_sessions,
        "load_average_1m": os.getloadavg()[0],
    }


@dataclass(frozen=True)
class _LoadShape:
    """:class:`CostParams` as the load shape :func:`relay_load` reads."""

    p: CostParams

    @property
    def turns(self) -> int:
        return self.p.turns

    @property
    def utterance_s(self) -> float:
        return self.p.utterance_s

    @property
    def frame_ms(self) -> float:
        return self.p.frame_ms

    @property
    def ttfa_ms(self) -> float:
        return self.p.ttfa_ms

    @property
    def ramp_s(self) -> float:
        return self.p.ramp_s


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b <= 0 else a / b


def table_rows(samples: dict[str, Any]) -> list[dict[str, Any]]:
    """One line per variant: each figure and its ratio to the floor's."""
    cpu = {
        v: statistics.median(r["cpu_us_per_frame"] for r in samples["cpu"] if r["variant"] == v)
        for v in {r["variant"] for r in samples["cpu"]}
    }
    idle = {r["variant"]: r["kb_per_idle_session"] for r in samples["idle"]}
    storm = {r["variant"]: r for r in samples["storm"]}
    rows = []
    for variant in samples["variants"]:
        s = storm.get(variant, {})
        rows.append(
            {
                "variant": variant,
                "cpu_us_per_frame": cpu.get(variant),
                "cpu_x_floor": _ratio(cpu.get(variant), cpu.get("floor")),
                "kb_per_idle_session": idle.get(variant),
                "idle_x_floor": _ratio(idle.get(variant), idle.get("floor")),
                "storm_rtt_max_ms": (s.get("rtt_during_ms") or {}).get("max"),
                "storm_rtt_p99_ms": (s.get("rtt_during_ms") or {}).get("p99"),
                "rtt_before_p50_ms": (s.get("rtt_before_ms") or {}).get("p50"),
                "storm_lag_max_ms": s.get("server_lag_max_ms"),
                "storm_connect_s": s.get("connect_wall_s"),
                "connected": s.get("connected"),
            }
        )
    return rows


def _figure(samples: dict[str, Any]) -> Figure:
    fig = Figure(figsize=(10, 3.5))
    ax_cpu, ax_rtt = fig.subplots(1, 2)
    names = samples["variants"]
    rows = {r["variant"]: r for r in table_rows(samples)}
    ax_cpu.bar(names, [rows[n]["cpu_us_per_frame"] or 0.0 for n in names])
    ax_cpu.set(ylabel="server CPU per audio frame (µs)", title="CPU per frame")
    for storm in samples["storm"]:
        points = storm["probe_samples"]
        if points:
            t0 = points[0][0]
            ax_rtt.plot(
                [t - t0 for t, _ in points], [r for _, r in points], lw=0.8, label=storm["variant"]
            )
    ax_rtt.set(
        xlabel="s",
        ylabel="ping round trip (ms)",
        yscale="log",
        title=f"{samples['params']['storm_sessions']} sessions connecting at once",
    )
    ax_rtt.legend(fontsize=7)
    fig.tight_layout()
    return fig


def run(out_dir: Path, quick: bool = False, params: CostParams | None = None) -> dict[str, Any]:
    """Run the three phases for every variant; write ``cost.json``/``.png``; the summary."""
    p = params if params is not None else CostParams.for_mode(quick)
    names = variants()
    samples: dict[str, Any] = {"variants": list(names), "params": asdict(p)}
    lag_env = {
        "WORKBENCH_LOOP_LAG_INTERVAL_MS": repr(p.server_lag_interval_ms),
        "WORKBENCH_LOOP_LAG_WINDOW_S": repr(p.server_lag_window_s),
    }
    with mock_process(p.ttfa_ms) as mock:
        mock_tree = ProcessTree(mock.pid)
        samples["storm"], samples["idle"], samples["cpu"] = [], [], []
        if "storm" in p.phases:
            with relay_servers(names, mock.url, p.ttfa_ms, api_env=lag_env) as fresh:
                for name in names:
                    print(f"  storm: {p.storm_sessions} sessions at once on {name}", flush=True)
                    samples["storm"].append(asyncio.run(_storm(fresh[name], p)))
        with relay_servers(names, mock.url, p.ttfa_ms) as fresh:
            for name in names if "idle" in p.phases else ():
                print(f"  idle: {p.idle_sessions} idle sessions on {name}", flush=True)
                samples["idle"].append(asyncio.run(_idle(fresh[name], p)))
            for round_index in range(p.cpu_rounds if "cpu" in p.phases else 0):
                for name in names:
                    print(
                        f"  cpu: round {round_index + 1}, {p.cpu_sessions} sessions on {name}",
                        flush=True,
                    )
                    samples["cpu"].append(_cpu_round(fresh[name], mock_tree, p, round_index))
    table = table_rows(samples)
    print_table(table)
    summary = {
        "rows": table,
        "goal": "CPU per frame <= 1.3x floor; <= 0.2 MB (200 KB) per idle session; no "
        "event-loop stall over 5 ms while 100 sessions connect (reported only)",
    }
    write_result(SUITE, asdict(p), samples, summary, _figure(samples), out_dir)
    return summary
