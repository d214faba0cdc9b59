"""Soak benchmark: many sessions doing turn after turn for minutes; does anything leak?

Same topology as :mod:`workbench.bench.concurrency` (API under uvicorn, echo mock in
its own process, clients here). Each of ``sessions`` clients runs turns (``utterance_s``
of paced audio, commit, echoed reply, a pause) until ``minutes`` have passed. Every
``sample_s`` the API's RSS (MB) and open file descriptors (psutil ``num_fds``) are
recorded. Also: failed turns, and the RSS slope over the second half of the run
(MB/min; ~0 when memory is flat).

Not in ``bench all`` (it is long): ``workbench bench soak --sessions 20 --minutes 10``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from workbench.bench.common import percentiles, print_table, write_result
from workbench.bench.concurrency import INPUT_RATE_HZ, utterance_pcm16
from workbench.bench.servers import ApiSpec, ProcessTree, servers
from workbench.bench.ws_client import SessionResult, run_session

SUITE = "soak"


@dataclass(frozen=True)
class SoakParams:
    """Load shape (durations in s unless named otherwise)."""

    sessions: int = 20
    minutes: float = 10.0
    utterance_s: float = 2.0
    pause_s: float = 0.5
    frame_ms: float = 40.0
    ttfa_ms: float = 300.0
    sample_s: float = 5.0
    quick: bool = False

    @classmethod
    def for_mode(
        cls, quick: bool, sessions: int | None = None, minutes: float | None = None
    ) -> SoakParams:
        """Defaults (20 sessions, 10 min) or quick (3 sessions, 15 s); overrides win."""
        base = (
            cls(sessions=3, minutes=0.25, utterance_s=1.0, sample_s=1.0, quick=True)
            if quick
            else cls()
        )
        changes: dict[str, Any] = {}
        if sessions is not None:
            changes["sessions"] = sessions
        if minutes is not None:
            changes["minutes"] = minutes
        return cls(**{**asdict(base), **changes})


async def _soak(
    url: str, tree: ProcessTree, p: SoakParams
) -> tuple[list[SessionResult], dict[str, list[float]]]:
    utterance = utterance_pcm16(p.utterance_s)
    start_s = time.perf_counter()
    deadline_s = start_s + p.minutes * 60.0
    reply_s = p.utterance_s + p.ttfa_ms / 1000.0
    turns_max = int(p.minutes * 60.0 / (p.utterance_s + reply_s + p.pause_s)) + 2
    clients = asyncio.gather(
        *(
            run_session(
                url,
                utterance,
                sample_rate_hz=INPUT_RATE_HZ,
                frame_ms=p.frame_ms,
                turns=turns_max,
                ttfa_ms=p.ttfa_ms,
                start_delay_s=min(2.0, p.utterance_s) * i / p.sessions,
                pause_s=p.pause_s,
                deadline_s=deadline_s,
            )
            for i in range(p.sessions)
        )
    )
    series: dict[str, list[float]] = {"t_s": [], "rss_mb": [], "num_fds": []}
    while not clients.done():
        sample = tree.sample()
        series["t_s"].append(time.perf_counter() - start_s)
        series["rss_mb"].append(sample.rss_mb)
        series["num_fds"].append(float(sample.num_fds))
        await asyncio.wait([clients], timeout=p.sample_s)
    await asyncio.sleep(1.0)  # sessions closed: do their sockets and memory go back?
    sample = tree.sample()
    series["t_s"].append(time.perf_counter() - start_s)
    series["rss_mb"].append(sample.rss_mb)
    series["num_fds"].append(float(sample.num_fds))
    return clients.result(), series


def _slope_mb_per_min(series: dict[str, list[float]]) -> float | None:
    """Least-squares RSS slope over the second half of the run (MB/min)."""
    t = np.asarray(series["t_s"])
    rss = np.asarray(series["rss_mb"])
    half = t >= t[-1] / 2 if t.size else t.astype(bool)
    if half.sum() < 3:
        return None
    return float(np.polyfit(t[half] / 60.0, rss[half], 1)[0])


def _figure(series: dict[str, list[float]]) -> Figure:
    fig = Figure(figsize=(9, 3.5))
    ax_rss, ax_fds = fig.subplots(1, 2)
    minutes = np.asarray(series["t_s"]) / 60.0
    ax_rss.plot(minutes, series["rss_mb"])
    ax_rss.set(xlabel="minutes", ylabel="API RSS (MB)", title="memory")
    ax_fds.plot(minutes, series["num_fds"])
    ax_fds.set(xlabel="minutes", ylabel="open file descriptors", title="descriptors")
    fig.tight_layout()
    return fig


def run(
    out_dir: Path,
    quick: bool = False,
    sessions: int | None = None,
    minutes: float | None = None,
    params: SoakParams | None = None,
) -> dict[str, Any]:
    """Soak the API; write ``soak.json``/``.png``; return the summary.

    ``params`` replaces the mode's parameters entirely (the smoke tests use tiny ones).
    """
    p = params if params is not None else SoakParams.for_mode(quick, sessions, minutes)
    with servers(p.ttfa_ms, [ApiSpec()]) as running:
        api = running.apis[0]
        tree = ProcessTree(api.pid)
        idle = tree.sample()
        results, series = asyncio.run(_soak(api.url, tree, p))
    turns = [t for r in results for t in r.turns]
    added = [a for t in turns if t.ok for a in t.added_ms]
    summary: dict[str, Any] = {
        "sessions": p.sessions,
        "minutes": p.minutes,
        "turns": len(turns),
        "failed_turns": sum(not t.ok for t in turns),
        "failed_sessions": sum(r.error is not None for r in results),
        "errors": sorted(
            {t.error for t in turns if t.error} | {r.error for r in results if r.error}
        ),
        "rss_mb_idle": idle.rss_mb,
        "rss_mb_max": max(series["rss_mb"]),
        "rss_mb_end": series["rss_mb"][-1],
        "rss_slope_mb_per_min_2nd_half": _slope_mb_per_min(series),
        "num_fds_idle": idle.num_fds,
        "num_fds_max": max(series["num_fds"]),
        "num_fds_end": series["num_fds"][-1],
        "added_ms": percentiles(added),
    }
    print_table([{k: v for k, v in summary.items() if k not in ("errors", "added_ms")}])
    samples = {"series": series, "turn_ok": [t.ok for t in turns]}
    write_result(SUITE, asdict(p), samples, summary, _figure(series), out_dir)
    return summary
