"""``workbench bench abuse``: an attacker's afternoon against a live server, measured.

The server runs in its own process on 127.0.0.1 (``workbench api`` with the in-process
mock, then ``workbench serve --auth``), started as a user would start it. Each case
(compression bombs in every container and at extreme declared rates, malformed headers,
slowloris, trickling and short bodies, clients that never read, floods, 200 WebSockets,
an oversized handshake) runs on its own while :class:`~workbench.bench.abuse_server.RssGauge`
samples the server's RSS every 50 ms. Per case: the answer (status and error code, or
what happened to the connection), the time to that answer, the peak RSS above the
RSS just before the case, and the RSS ``settle_s`` after the case ended, also above
that baseline. Goals (issue 15) are printed next to the numbers, never asserted.

``--quick`` (CI, under a minute): two bombs, one malformed header, a small slowloris, a
short body and the oversized handshake, with short caps, 3 s connection timeouts on
the server and a 2 s settle.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from workbench.bench import abuse_decode
from workbench.bench.abuse_cases import Case
from workbench.bench.abuse_media import BOMBS
from workbench.bench.abuse_plan import AbuseParams, NamedCase, api_cases, serve_cases
from workbench.bench.abuse_server import RssGauge, Target, target_server
from workbench.bench.common import print_table, write_result
from workbench.bench.servers import mock_process

SUITE = "abuse"
#: A 5xx status in an answer label ("500", "3× 503 …"), and a capacity refusal (503 with
#: Retry-After: the server protecting its budget, as the issue asks, not an error).
_5XX = re.compile(r"(^|× )5\d\d\b")
_CAPACITY_503 = re.compile(r"(^|× )503 too_many_\w+")
#: Issue 15 targets, printed with the results (MB above the pre-case RSS).
GOAL_PEAK_SINGLE_MB = 64.0
GOAL_PEAK_MANY_MB = 300.0
GOAL_AFTER_MB = 50.0
GOAL_CLOSE_S = 15.0
#: The mock's time to first audio when it runs in its own process (ms), as in process.
MOCK_TTFA_MS = 300.0


@dataclass
class CaseRow:
    """One measured case, as printed and written to ``abuse.json``."""

    target: str
    case: str
    answer: str
    answer_s: float | None
    rss_before_mb: float
    peak_delta_mb: float
    after_delta_mb: float
    detail: dict[str, Any] = field(default_factory=dict)


async def _measure(
    target: Target, gauge: RssGauge, name: str, case: Case, settle_s: float
) -> CaseRow:
    before = gauge.reset()
    try:
        outcome = await case(target)
        label, answer_s, detail = outcome.label, outcome.answer_s, outcome.detail
    except Exception as exc:  # a broken client must not hide the other cases' numbers
        label, answer_s, detail = f"client error: {type(exc).__name__}", None, {"error": str(exc)}
    peak = gauge.peak_mb
    await asyncio.sleep(settle_s)
    after = gauge.now_mb()
    detail["active_sessions_after"] = await _active_sessions(target)
    return CaseRow(
        target=target.kind,
        case=name,
        answer=label,
        answer_s=answer_s,
        rss_before_mb=before,
        peak_delta_mb=max(peak, after) - before,
        after_delta_mb=after - before,
        detail=detail,
    )


async def _active_sessions(target: Target) -> int | None:
    """Live sessions the server reports on ``/healthz`` (did the attack's sessions end?)."""
    try:
        async with httpx.AsyncClient(timeout=5.0) as client:
            answer = await client.get(f"{target.url}/healthz")
        count: int = answer.json()["active_sessions"]
        return count
    except (httpx.HTTPError, ValueError, KeyError):
        return None


async def _run_cases(target: Target, named: Sequence[NamedCase], p: AbuseParams) -> list[CaseRow]:
    rows = []
    with RssGauge(target.pid) as gauge:
        for item in named:
            row = await _measure(target, gauge, item.name, item.case, p.settle_s)
            print_table([_table_row(row)])
            rows.append(row)
    return rows


def _table_row(row: CaseRow) -> dict[str, Any]:
    return {
        "target": row.target,
        "case": row.case,
        "answer": row.answer,
        "answer_s": row.answer_s,
        "peak_MB": row.peak_delta_mb,
        "after_MB": row.after_delta_mb,
        "sessions_after": row.detail.get("active_sessions_after"),
    }


def _decoder_rows(p: AbuseParams) -> list[CaseRow]:
    """Each decoder bomb through both decoders, at the source rate and the model rate."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, duration_s in p.decoder_bombs:
            bomb = BOMBS[name](duration_s)
            path = Path(folder, f"{bomb.name}.bin")
            path.write_bytes(bomb.data)
            for mode in ("oneshot", "stream"):
                for at_model_rate in (False, True):
                    result = abuse_decode.measure(mode, at_model_rate, path)  # type: ignore[arg-type]
                    rate = "24 kHz + cap" if at_model_rate else "source rate"
                    row = CaseRow(
                        target="decoder",
                        case=f"{bomb.name} {mode} @ {rate}",
                        answer=result["outcome"],
                        answer_s=result.get("seconds"),
                        rss_before_mb=0.0,
                        peak_delta_mb=result.get("peak_delta_mb", float("nan")),
                        after_delta_mb=result.get("after_delta_mb", float("nan")),
                        detail={"bytes": len(bomb.data), **result},
                    )
                    print_table([_table_row(row)])
                    rows.append(row)
    return rows


def run(out_dir: Path, quick: bool = False, params: AbuseParams | None = None) -> dict[str, Any]:
    """Run the abuse cases against each target; write ``abuse.json``; return the summary."""
    p = params if params is not None else AbuseParams.for_mode(quick)
    start_s = time.perf_counter()
    rows: list[CaseRow] = []
    for kind in p.targets:
        named = api_cases(p) if kind == "api" else serve_cases(p)
        for item in (n for n in named if n.fresh):
            with contextlib.ExitStack() as stack:
                mock_url = None
                if item.separate_mock:
                    mock_url = stack.enter_context(mock_process(MOCK_TTFA_MS)).url
                target = stack.enter_context(target_server(kind, p.server_args, mock_url))
                rows += asyncio.run(_run_cases(target, [item], p))
        with target_server(kind, p.server_args) as target:
            rows += asyncio.run(_run_cases(target, [n for n in named if not n.fresh], p))
    rows += _decoder_rows(p)
    print(f"\n== bench abuse ({'quick' if p.quick else 'full'}), settle {p.settle_s:g} s")
    print_table([_table_row(r) for r in rows])
    summary = {
        "cases": len(rows),
        "max_peak_delta_mb": max((r.peak_delta_mb for r in rows), default=None),
        "max_after_delta_mb": max((r.after_delta_mb for r in rows), default=None),
        "server_errors_5xx": sum(bool(_5XX.search(_CAPACITY_503.sub("", r.answer))) for r in rows),
        "capacity_503": sum(bool(_CAPACITY_503.search(r.answer)) for r in rows),
        "unanswered": sum(
            "no_answer" in r.answer or (" open after" in r.answer and not r.answer.startswith("0/"))
            for r in rows
        ),
        "wall_s": time.perf_counter() - start_s,
        "goals": {
            "peak_single_mb": GOAL_PEAK_SINGLE_MB,
            "peak_many_mb": GOAL_PEAK_MANY_MB,
            "after_mb": GOAL_AFTER_MB,
            "close_s": GOAL_CLOSE_S,
        },
    }
    print(
        f"max peak +{summary['max_peak_delta_mb']:.0f} MB (goal ≤ {GOAL_PEAK_SINGLE_MB:g} single, "
        f"≤ {GOAL_PEAK_MANY_MB:g} for 20), max after +{summary['max_after_delta_mb']:.0f} MB "
        f"(goal ≤ {GOAL_AFTER_MB:g}), 5xx answers: {summary['server_errors_5xx']} (and "
        f"{summary['capacity_503']} cases with 503 + Retry-After for capacity), "
        f"wall {summary['wall_s']:.0f} s"
    )
    write_result(SUITE, asdict(p), [asdict(r) for r in rows], summary, None, out_dir)
    return summary
