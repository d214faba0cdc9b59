"""GC pause benchmark: the API under N live sessions with Python's GC defaults vs the
server policy (:mod:`workbench.runtime.gc_tuning`), in the same run.

For each policy, one API process (``uvicorn --factory
workbench.bench.gc_pauses:app_factory``: the real API app plus a few ``/_bench/``
routes) serves N :func:`~workbench.bench.scaleout.relay_load` sessions against the
echo mock in its own process (``mock-server``: the openai SDK path, as in production).
Inside the server, :class:`~workbench.runtime.gc_tuning.GcPauseRecorder` times every
collection and :class:`~workbench.runtime.loop_lag.LoopLagMonitor` (5 ms probe) times
the loop's lateness. Reported per policy:

- ``full_collect_ms``: one explicit full collection with all N sessions live (median
  of 3): what a generation-2 pass costs at that size (wall and CPU time: on a busy
  machine the CPU time is the comparable figure);
- pauses per generation while the sessions connect (objects accumulate: collections
  happen then) and while they stream (p50/p99/max, count, total);
- the server's loop lag max/p99 in both phases, and the clients' added latency.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from matplotlib.figure import Figure

from workbench.bench.common import percentiles, print_table, write_result
from workbench.bench.procs import ChildSpec, http_ok, started
from workbench.bench.scaleout import relay_load
from workbench.bench.servers import BENCH_MAX_SESSIONS, ProcessTree, free_port, mock_process
from workbench.runtime.gc_tuning import GcPolicy, apply_server_gc_policy
from workbench.runtime.process import ProcessRuntime

SUITE = "gc_pauses"
#: Environment of the server process: ``python`` or a JSON object of GcPolicy fields.
POLICY_ENV = "WORKBENCH_BENCH_GC_POLICY"
SERVER_LAG_INTERVAL_MS = 5.0
FULL_COLLECT_REPEATS = 3


def app_factory() -> FastAPI:
    """The API app, the policy of ``WORKBENCH_BENCH_GC_POLICY`` applied at start-up,
    and ``/_bench/runtime`` (GET: pauses, lag), ``/_bench/reset``, ``/_bench/collect``.

    The pauses and the lag are the app's own process runtime (its GC pause recorder and
    loop-lag monitor, probing every 5 ms here: ``WORKBENCH_LOOP_LAG_INTERVAL_MS``).
    """
    from workbench.app.api.app import create_api_app

    app = create_api_app()
    raw = os.environ.get(POLICY_ENV, "python")
    policy = None if raw == "python" else GcPolicy(**json.loads(raw))
    runtime: ProcessRuntime = app.state.workbench_runtime
    recorder, monitor = runtime.recorder, runtime.monitor
    applied: dict[str, Any] = {"policy": raw}
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[None]:
        # Where a server applies the policy: everything imported and built, nothing served.
        if policy is not None:
            applied.update(asdict(apply_server_gc_policy(policy)))
        async with inner(app_):
            yield

    app.router.lifespan_context = lifespan

    @app.get("/_bench/runtime")
    async def runtime_stats() -> dict[str, Any]:
        stats = monitor.stats()
        return {
            "applied": applied,
            "gc": recorder.summary(),
            "lag": {"max_ms": stats.max_ms, "p99_ms": stats.p99_ms, "samples": stats.samples},
            "thresholds": gc.get_threshold(),
            "freeze_count": gc.get_freeze_count(),
        }

    @app.post("/_bench/reset")
    async def reset() -> dict[str, str]:
        recorder.reset()
        monitor.window.clear()
        return {"status": "ok"}

    @app.post("/_bench/collect")
    async def collect() -> dict[str, float]:
        start_s, start_cpu_s = time.perf_counter(), time.thread_time()
        gc.collect()
        return {
            "full_collect_ms": (time.perf_counter() - start_s) * 1000.0,
            "full_collect_cpu_ms": (time.thread_time() - start_cpu_s) * 1000.0,
        }

    return app


@dataclass(frozen=True)
class GcBenchParams:
    """Load shape and policies (durations in s, times in ms)."""

    sessions: int = 200
    turns: int = 2
    utterance_s: float = 2.0
    frame_ms: float = 40.0
    ttfa_ms: float = 300.0
    ramp_s: float = 2.0
    policies: tuple[str, ...] = ("python", "server")
    quick: bool = False

    @classmethod
    def for_mode(cls, quick: bool) -> GcBenchParams:
        """Full (200 sessions) or quick (20 sessions, one turn of 1 s)."""
        if quick:
            return cls(sessions=20, turns=1, utterance_s=1.0, ramp_s=0.5, quick=True)
        return cls()


def _policy_env(name: str) -> str:
    if name == "python":
        return "python"
    if name == "server":
        return json.dumps(asdict(GcPolicy()))
    return name  # a JSON object of GcPolicy fields (experiments)


def _server_command(port: int) -> list[str]:
    cmd = [sys.executable, "-m", "uvicorn", "--factory", f"{__name__}:app_factory"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    return [*cmd, "--ws", "websockets", "--ws-per-message-deflate", "false"]


def _measure_policy(mock_url: str, policy: str, p: GcBenchParams) -> dict[str, Any]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "WORKBENCH_BACKEND": "mock-server",
        "WORKBENCH_MOCK_URL": mock_url,
        "WORKBENCH_LOOP_LAG_INTERVAL_MS": repr(SERVER_LAG_INTERVAL_MS),
        "WORKBENCH_LOOP_LAG_WINDOW_S": "3600",
        "WORKBENCH_MAX_SESSIONS": str(BENCH_MAX_SESSIONS),  # the load is measured, not the limit
        POLICY_ENV: _policy_env(policy),
    }
    spec = ChildSpec(_server_command(port), http_ok(f"{url}/healthz"), f"api ({policy})", env)
    with started(spec) as proc, httpx.Client(base_url=url, timeout=60.0) as http:
        tree = ProcessTree(proc.pid)
        phases: dict[str, Any] = {}
        full_collect_ms: list[float] = []
        full_collect_cpu_ms: list[float] = []

        async def on_connected() -> None:
            # Every session is connected and idle (waiting for "go"): measure, then reset.
            async with httpx.AsyncClient(base_url=url, timeout=60.0) as client:
                phases["connect"] = (await client.get("/_bench/runtime")).json()
                for _ in range(FULL_COLLECT_REPEATS):
                    answer = (await client.post("/_bench/collect")).json()
                    full_collect_ms.append(answer["full_collect_ms"])
                    full_collect_cpu_ms.append(answer["full_collect_cpu_ms"])
                await client.post("/_bench/reset")

        measured = asyncio.run(relay_load(f"{url}", p.sessions, p, on_connected))
        phases["turns"] = http.get("/_bench/runtime").json()
        rss_mb = tree.sample().rss_mb
    added = [a for t in measured.turns if t.ok for a in t.added_ms]
    return {
        "policy": policy,
        "applied": phases["turns"]["applied"],
        "sessions": p.sessions,
        "failed_turns": sum(not t.ok for t in measured.turns),
        "failed_sessions": measured.failed_sessions,
        "errors": measured.errors,
        "full_collect_ms": _median(full_collect_ms),
        "full_collect_samples_ms": full_collect_ms,
        "full_collect_cpu_ms": _median(full_collect_cpu_ms),
        "connect_gc": phases.get("connect", {}).get("gc"),
        "connect_lag": phases.get("connect", {}).get("lag"),
        "turns_gc": phases["turns"]["gc"],
        "turns_lag": phases["turns"]["lag"],
        "turns_wall_s": measured.wall_s,
        "added_ms": percentiles(added),
        "rss_mb_end": rss_mb,
    }


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def table_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per policy (ms). ``connect_*``: while the N sessions connect (objects
    accumulate: that is when collections happen); ``turns_*``: while they all stream
    (steady state: objects are freed by reference counting, few collections)."""
    out = []
    for r in rows:
        connect = r["connect_gc"] or _EMPTY_GC
        turns = r["turns_gc"]
        out.append(
            {
                "policy": r["policy"],
                "sessions": r["sessions"],
                "full_collect_ms": r["full_collect_ms"],
                "full_collect_cpu_ms": r["full_collect_cpu_ms"],
                "connect_pauses": connect["all"]["n"],
                "connect_pause_p99_ms": connect["all"]["p99_ms"],
                "connect_pause_max_ms": connect["all"]["max_ms"],
                "connect_gen2": connect["gen2"]["n"],
                "connect_gc_total_ms": connect["total_pause_ms"],
                "connect_gc_cpu_ms": connect["total_cpu_ms"],
                "connect_pause_max_cpu_ms": connect["cpu"]["max_ms"],
                "connect_lag_max_ms": (r["connect_lag"] or {}).get("max_ms"),
                "turns_pauses": turns["all"]["n"],
                "turns_pause_max_ms": turns["all"]["max_ms"],
                "turns_lag_max_ms": r["turns_lag"]["max_ms"],
                "added_p99_ms": r["added_ms"]["p99"],
                "failed": r["failed_turns"] + r["failed_sessions"],
            }
        )
    return out


_EMPTY_GC: dict[str, Any] = {
    "all": {"n": 0, "p99_ms": None, "max_ms": None},
    "cpu": {"max_ms": None},
    "gen2": {"n": 0},
    "total_pause_ms": 0.0,
    "total_cpu_ms": 0.0,
}


def _figure(rows: list[dict[str, Any]]) -> Figure:
    fig = Figure(figsize=(7, 3.5))
    ax = fig.subplots()
    labels = [r["policy"] for r in rows]
    for i, key in enumerate(("full_collect_ms", "connect_pause_max_ms", "turns_lag_max_ms")):
        values = [t[key] or 0.0 for t in table_rows(rows)]
        ax.bar([j + 0.27 * (i - 1) for j in range(len(rows))], values, width=0.25, label=key)
    ax.set_xticks(range(len(rows)), labels)
    ax.set(ylabel="ms", title=f"GC at {rows[0]['sessions']} live sessions")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def run(out_dir: Path, quick: bool = False, params: GcBenchParams | None = None) -> dict[str, Any]:
    """Measure each policy in turn against one mock; write ``gc_pauses.json``/``.png``."""
    p = params if params is not None else GcBenchParams.for_mode(quick)
    with mock_process(p.ttfa_ms) as mock:
        rows = []
        for policy in p.policies:
            print(f"  policy {policy}: {p.sessions} sessions", flush=True)
            rows.append(_measure_policy(mock.url, policy, p))
    table = table_rows(rows)
    print_table(table)
    summary = {
        "rows": table,
        "server_policy": asdict(GcPolicy()),
        "goal": "no event-loop stall over 5 ms from GC at 200 sessions (reported only)",
    }
    write_result(SUITE, asdict(p), rows, summary, _figure(rows), out_dir)
    return summary
