"""Scale-out benchmark: N ``workbench api`` processes behind nginx, against its floors.

Topology (:mod:`workbench.bench.scaleout_stack`, all on 127.0.0.1): one echo mock; N
API processes behind nginx; N minimal relays (:mod:`workbench.bench.minimal_relay`)
behind a second nginx with the same config; the load generator here.

Per level (concurrent sessions), in this order, so load drift hits every variant alike:

- ``api_nginx``: sessions through nginx to the N API processes (the deployment);
- ``floor_nginx``: the same sessions through nginx to the N minimal relays (the floor);
- ``api_workers``: the same sessions to one ``workbench api --workers N`` (N processes
  on one port, no proxy);
- ``api_single``: the same sessions straight to one API process (what scale-out buys);
- ``floor_single``: the same sessions straight to one minimal relay (its floor);
- ``direct``: direct openai SDK clients of the mock (no relay, no proxy).

Each session is :func:`workbench.bench.ws_client.run_session` (48 kHz PCM paced at real
time, manual commit, echoed reply): ``added_ms`` is a reply frame's arrival minus the
mock's schedule for it. Reported: added p50/p99, the p99 as a ratio to ``direct`` and to
``floor_nginx`` at the same level, CPU of the servers and of nginx (100 = one core),
how the sessions split over the processes, the load generator's own event-loop lag
(a busy generator inflates every variant's figure), and each API process's
``workbench_loop_lag_ms`` max once ``/metrics`` exports it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import psutil
from matplotlib.figure import Figure

from workbench.bench.common import percentiles, print_table, write_result
from workbench.bench.concurrency import INPUT_RATE_HZ, utterance_pcm16
from workbench.bench.direct import direct_turns
from workbench.bench.scaleout_stack import (
    Stack,
    gc_collections,
    loop_lag_ms,
    scaleout_stack,
    scrape,
    websocket_sessions,
    worker_sessions,
)
from workbench.bench.servers import ProcessTree
from workbench.bench.ws_client import CONNECT_TIMEOUT_S, SessionResult, TurnResult, run_session
from workbench.runtime.loop_lag import LoopLagMonitor

SUITE = "scaleout"
VARIANTS = ("api_nginx", "floor_nginx", "api_workers", "api_single", "floor_single", "direct")
#: The load generator's lag probe (ms): fine enough to see a stalled generator.
CLIENT_LAG_INTERVAL_MS = 10.0
#: Bound on waiting for every worker's heartbeat to count the connected sessions (s).
WORKER_COUNT_WAIT_S = 4.0


@dataclass(frozen=True)
class ScaleoutParams:
    """What one run measures (durations in s, times in ms)."""

    processes: int = 2
    levels: tuple[int, ...] = (100, 200, 300)
    variants: tuple[str, ...] = VARIANTS
    turns: int = 2
    utterance_s: float = 2.0
    frame_ms: float = 40.0
    ttfa_ms: float = 300.0
    ramp_s: float = 2.0
    nginx_workers: int = 1
    quick: bool = False

    @classmethod
    def for_mode(cls, quick: bool) -> ScaleoutParams:
        """Full (100, 200, 300 sessions) or quick (10; one turn of 1 s)."""
        if quick:
            return cls(levels=(10,), turns=1, utterance_s=1.0, ramp_s=0.5, quick=True)
        return cls()


class LoadShape(Protocol):
    """What :func:`relay_load` needs to know about the load (durations in s, times in ms)."""

    @property
    def turns(self) -> int: ...
    @property
    def utterance_s(self) -> float: ...
    @property
    def frame_ms(self) -> float: ...
    @property
    def ttfa_ms(self) -> float: ...
    @property
    def ramp_s(self) -> float: ...


@dataclass
class Measured:
    """Turns of one variant at one level, and what the load generator saw of itself."""

    turns: list[TurnResult]
    failed_sessions: int
    errors: list[str]
    connect_ms: list[float]
    wall_s: float
    client_cpu_s: float
    client_lag_max_ms: float | None


async def relay_load(
    url: str,
    sessions: int,
    p: LoadShape,
    on_connected: Callable[[], Awaitable[None]] | None = None,
) -> Measured:
    """``sessions`` ws_client users at once; timing starts when all are connected.

    ``on_connected`` runs once every session is connected (or failed to), before the
    turns start (e.g. to reset a server's counters).
    """
    utterance = utterance_pcm16(p.utterance_s)
    go = asyncio.Event()
    rng = random.Random(sessions)
    results = [SessionResult() for _ in range(sessions)]
    gathered = asyncio.gather(
        *(
            run_session(
                url,
                utterance,
                sample_rate_hz=INPUT_RATE_HZ,
                frame_ms=p.frame_ms,
                turns=p.turns,
                ttfa_ms=p.ttfa_ms,
                start_delay_s=p.ramp_s * i / sessions,
                go=go,
                turn_offset_s=rng.uniform(0.0, p.utterance_s),
                result=results[i],
            )
            for i in range(sessions)
        )
    )
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(p.ramp_s + CONNECT_TIMEOUT_S):
            await asyncio.gather(*(r.connected.wait() for r in results))
    if on_connected is not None:
        await on_connected()
    measured = await _timed(go, gathered)
    done: list[SessionResult] = gathered.result()
    measured.turns = [t for r in done for t in r.turns]
    measured.failed_sessions = sum(r.error is not None for r in done)
    measured.errors = sorted({r.error for r in done if r.error})
    measured.connect_ms = [r.connect_ms for r in done if r.connect_ms is not None]
    return measured


async def _direct_sessions(mock_url: str, sessions: int, p: ScaleoutParams) -> Measured:
    """The same load from direct SDK clients of the mock (the no-relay baseline)."""
    utterance_24k = np.frombuffer(utterance_pcm16(p.utterance_s), dtype="<i2")[::2].tobytes()
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
        except Exception as exc:  # a failed session is a result, not the end of the run
            return [TurnResult(ok=False, error=type(exc).__name__)]
        finally:
            connected[i].set()

    gathered = asyncio.gather(*(one(i) for i in range(sessions)))
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(p.ramp_s + CONNECT_TIMEOUT_S):
            await asyncio.gather(*(c.wait() for c in connected))
    measured = await _timed(go, gathered)
    measured.turns = [t for turns in gathered.result() for t in turns]
    return measured


async def _timed(go: asyncio.Event, gathered: asyncio.Future[Any]) -> Measured:
    """Release the sessions and wait for them, timing wall, client CPU and client lag."""
    me = psutil.Process()
    cpu_before_s = sum(me.cpu_times()[:2])
    start_s = time.perf_counter()
    async with LoopLagMonitor(interval_ms=CLIENT_LAG_INTERVAL_MS, window_ms=3.6e6) as lag:
        go.set()
        await gathered
        client_lag_max_ms = lag.stats().max_ms
    return Measured(
        turns=[],
        failed_sessions=0,
        errors=[],
        connect_ms=[],
        wall_s=time.perf_counter() - start_s,
        client_cpu_s=sum(me.cpu_times()[:2]) - cpu_before_s,
        client_lag_max_ms=client_lag_max_ms,
    )


def _cpu_s(trees: Sequence[ProcessTree]) -> float:
    return sum(tree.sample().cpu_s for tree in trees)


def _level(stack: Stack, variant: str, sessions: int, p: ScaleoutParams) -> dict[str, Any]:
    """Run one variant at one level; CPU of its servers, nginx and the mock around it."""
    servers: list[ProcessTree] = []
    nginx: list[ProcessTree] = []
    api_urls: list[str] = []
    if variant == "api_nginx":
        servers, nginx, api_urls = stack.api.trees, [stack.api.nginx], stack.api.urls
    elif variant == "floor_nginx":
        servers, nginx = stack.minimal.trees, [stack.minimal.nginx]
    elif variant == "api_single":
        servers, api_urls = stack.api.trees[:1], stack.api.urls[:1]
    elif variant == "floor_single":
        servers = stack.minimal.trees[:1]
    elif variant == "api_workers":
        servers, api_urls = [stack.workers], [stack.workers_url]
    before_metrics = [scrape(url) for url in api_urls]
    before = [websocket_sessions(m) for m in before_metrics]
    cpu_before = (_cpu_s(servers), _cpu_s(nginx), _cpu_s([stack.mock]))
    split: list[int] = []

    async def count_per_worker() -> None:
        # Workers report their sessions in a heartbeat once a second: wait for all.
        counts: list[int] = []
        for _ in range(int(WORKER_COUNT_WAIT_S / 0.2)):
            counts = await asyncio.to_thread(worker_sessions, stack.workers_url)
            if sum(counts) >= sessions:
                break
            await asyncio.sleep(0.2)
        split.extend(counts)

    if variant == "direct":
        measured = asyncio.run(_direct_sessions(stack.mock_url, sessions, p))
    else:
        url = {
            "api_nginx": stack.api.lb_url,
            "floor_nginx": stack.minimal.lb_url,
            "api_workers": stack.workers_url,
            "api_single": stack.api.urls[0],
            "floor_single": stack.minimal.urls[0],
        }[variant]
        hook = count_per_worker if variant == "api_workers" else None
        measured = asyncio.run(relay_load(url, sessions, p, hook))
    cpu_after = (_cpu_s(servers), _cpu_s(nginx), _cpu_s([stack.mock]))
    cpu_pct = [
        (b - a) / measured.wall_s * 100.0 for a, b in zip(cpu_before, cpu_after, strict=True)
    ]
    after_metrics = [scrape(url) for url in api_urls]
    lags = [loop_lag_ms(m, "max") for m in after_metrics]
    full_gc = sum(
        gc_collections(a, 2) - gc_collections(b, 2)
        for a, b in zip(after_metrics, before_metrics, strict=True)
    )
    turns = measured.turns
    added = [a for t in turns if t.ok for a in t.added_ms]
    return {
        "variant": variant,
        "processes": len(servers) if variant != "direct" else 0,
        "sessions": sessions,
        "turns": len(turns),
        "failed_turns": sum(not t.ok for t in turns),
        "failed_sessions": measured.failed_sessions,
        "errors": measured.errors + sorted({t.error for t in turns if t.error}),
        "added_ms": percentiles(added),
        "ttfa_ms": percentiles(t.ttfa_ms for t in turns if t.ok and t.ttfa_ms is not None),
        "connect_ms": percentiles(measured.connect_ms),
        "server_cpu_pct": cpu_pct[0] if servers else None,
        "nginx_cpu_pct": cpu_pct[1] if nginx else None,
        "mock_cpu_pct": cpu_pct[2],
        "client_cpu_pct": measured.client_cpu_s / measured.wall_s * 100.0,
        "client_lag_max_ms": measured.client_lag_max_ms,
        "sessions_per_process": split
        or [websocket_sessions(m) - b for m, b in zip(after_metrics, before, strict=True)],
        "server_loop_lag_max_ms": max((v for v in lags if v is not None), default=None),
        "server_full_gc_passes": full_gc if api_urls else None,
        "load_average_1m": os.getloadavg()[0],
        "wall_s": measured.wall_s,
        "added_samples_ms": added,
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b <= 0 else a / b


def table_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The printed table: one line per (variant, sessions), with ratios to the baselines.

    ``p99_x_direct``: this p99 over the direct SDK clients' p99 at the same level;
    ``p99_x_floor``: over the minimal relay's p99 at the same level, deployed the same
    way (``floor_single`` for one process, ``floor_nginx`` for N).
    """
    p99 = {(r["variant"], r["sessions"]): r["added_ms"]["p99"] for r in rows}

    def floor_of(variant: str) -> str:
        return "floor_single" if variant in ("api_single", "floor_single") else "floor_nginx"

    return [
        {
            "variant": r["variant"],
            "sessions": r["sessions"],
            "added_p50_ms": r["added_ms"]["p50"],
            "added_p99_ms": r["added_ms"]["p99"],
            "p99_x_direct": _ratio(r["added_ms"]["p99"], p99.get(("direct", r["sessions"]))),
            "p99_x_floor": None
            if r["variant"] == "direct"
            else _ratio(r["added_ms"]["p99"], p99.get((floor_of(r["variant"]), r["sessions"]))),
            "server_cpu_pct": r["server_cpu_pct"],
            "nginx_cpu_pct": r["nginx_cpu_pct"],
            "split": "/".join(f"{n:.0f}" for n in r["sessions_per_process"]) or None,
            "failed": r["failed_turns"] + r["failed_sessions"],
            "client_lag_max_ms": r["client_lag_max_ms"],
            "server_lag_max_ms": r["server_loop_lag_max_ms"],
            "load_1m": r["load_average_1m"],
        }
        for r in rows
    ]


def _figure(rows: list[dict[str, Any]]) -> Figure:
    fig = Figure(figsize=(7, 4))
    ax = fig.subplots()
    for variant in dict.fromkeys(r["variant"] for r in rows):
        mine = [r for r in rows if r["variant"] == variant]
        x = [r["sessions"] for r in mine]
        ax.plot(x, [r["added_ms"]["p99"] for r in mine], "o-", label=f"{variant} p99")
    ax.set(xlabel="concurrent sessions", ylabel="added latency p99 (ms)")
    ax.set_yscale("symlog", linthresh=10.0)
    ax.set_title("reply frames: arrival − mock schedule")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def run(out_dir: Path, quick: bool = False, params: ScaleoutParams | None = None) -> dict[str, Any]:
    """Start the stack, run every level × variant, write ``scaleout.json``/``.png``.

    Returns
    -------
    dict
        The summary: ``rows`` (the table), the goal, the topology.
    """
    p = params if params is not None else ScaleoutParams.for_mode(quick)
    unknown = set(p.variants) - set(VARIANTS)
    if unknown:
        raise ValueError(f"unknown variants {sorted(unknown)}; choose from {VARIANTS}")
    rows = []
    with scaleout_stack(p.processes, p.ttfa_ms, nginx_workers=p.nginx_workers) as stack:
        for sessions in p.levels:
            for variant in p.variants:
                print(f"  {variant} × {sessions} sessions", flush=True)
                rows.append(_level(stack, variant, sessions, p))
    table = table_rows(rows)
    print_table(table)
    summary = {
        "rows": table,
        "failed_total": sum(r["failed_turns"] + r["failed_sessions"] for r in rows),
        "topology": f"mock + {p.processes} × workbench api behind nginx "
        f"({p.nginx_workers} worker), {p.processes} × minimal relay behind nginx; "
        "backend mock-server (openai SDK over loopback WebSockets)",
        "goal": "two processes behind nginx: 300 sessions ≤ 20 ms p99 added (reported only)",
    }
    write_result(SUITE, asdict(p), rows, summary, _figure(rows), out_dir)
    return summary
