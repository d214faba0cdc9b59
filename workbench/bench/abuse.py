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
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from workbench.bench import abuse_cases as cases
from workbench.bench import abuse_decode
from workbench.bench.abuse_media import BOMBS, malformed_wavs, speech_like_wav
from workbench.bench.abuse_server import RssGauge, Target, TargetKind, target_server
from workbench.bench.common import print_table, write_result

SUITE = "abuse"
#: A 5xx status in an answer label ("500", "3× 503 …").
_5XX = re.compile(r"(^|× )5\d\d\b")
#: Issue 15 targets, printed with the results (MB above the pre-case RSS).
GOAL_PEAK_SINGLE_MB = 64.0
GOAL_PEAK_MANY_MB = 300.0
GOAL_AFTER_MB = 50.0
GOAL_CLOSE_S = 15.0
QUICK_SERVER_ARGS = (
    "--header-timeout-s",
    "3",
    "--body-window-s",
    "3",
    "--handshake-timeout-s",
    "3",
)


@dataclass(frozen=True)
class AbuseParams:
    """Bounds of one run (seconds unless named otherwise)."""

    quick: bool = False
    settle_s: float = 10.0
    cap_s: float = 60.0
    bomb_duration_s: float = 400.0
    wavpack_duration_s: float = 60.0
    bombs: tuple[str, ...] = tuple(BOMBS)
    slowloris_connections: int = 200
    slowloris_s: float = 60.0
    non_reading_clients: int = 20
    non_reading_hold_s: float = 20.0
    flood_requests: int = 100
    websockets: int = 200
    ws_hold_s: float = 5.0
    repeated_refusals: int = 30
    targets: tuple[TargetKind, ...] = ("api", "serve")
    #: Bombs also decoded without a server (see abuse_decode), name → duration (s).
    decoder_bombs: tuple[tuple[str, float], ...] = (
        ("flac192", 290.0),
        ("flac192", 400.0),
        ("m4a_aac", 400.0),
        ("ogg_opus", 400.0),
        ("flac", 400.0),
    )
    server_args: tuple[str, ...] = ()

    @classmethod
    def for_mode(cls, quick: bool) -> AbuseParams:
        """Full (every case, 10 s settle) or quick (five cases, short caps)."""
        if not quick:
            return cls()
        return cls(
            quick=True,
            settle_s=2.0,
            cap_s=8.0,
            bombs=("flac", "flac192"),  # refused at the header; decoded until too long
            slowloris_connections=50,
            slowloris_s=8.0,
            targets=("api",),
            decoder_bombs=(),
            # Short connection timeouts, so the slow cases end within the quick budget.
            server_args=QUICK_SERVER_ARGS,
        )


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


@dataclass(frozen=True)
class NamedCase:
    """A case, its name, and whether it gets a server of its own (memory cases do: a
    server that already holds freed memory from an earlier case would hide a leak)."""

    name: str
    case: cases.Case
    fresh: bool = False


def _api_cases(p: AbuseParams) -> list[NamedCase]:
    cap = p.cap_s
    out: list[NamedCase] = []
    routes = (
        (("upload", cases.UPLOAD),)
        if p.quick
        else (("upload", cases.UPLOAD), ("stream", cases.STREAM))
    )
    for name in p.bombs:
        bomb = BOMBS[name](p.wavpack_duration_s if name == "wavpack" else p.bomb_duration_s)
        for label, route in routes:
            out.append(
                NamedCase(
                    f"bomb {bomb.name} {label}",
                    cases.upload_bomb(bomb, route=route, cap_s=cap),
                    True,
                )
            )
    wavs = malformed_wavs()
    for name in ("wav_unknown_codec_tag",) if p.quick else tuple(wavs):
        for label, route in routes:
            out.append(
                NamedCase(
                    f"{name} {label}",
                    cases.plain_upload(
                        wavs[name], route=route, content_type="audio/wav", cap_s=cap
                    ),
                )
            )
    clip = speech_like_wav(10.0)
    out += [
        NamedCase(
            f"slowloris {p.slowloris_connections} conns, 1 B/s head",
            cases.slowloris_case(connections=p.slowloris_connections, duration_s=p.slowloris_s),
        ),
        NamedCase(
            "short body, stream route",
            cases.short_body_case(clip, route=cases.STREAM, content_type="audio/wav", cap_s=cap),
        ),
        NamedCase(
            "ws handshake, 9 kB query", cases.ws_long_query_case(query_bytes=9000, cap_s=cap)
        ),
    ]
    if p.quick:
        return out
    flac = BOMBS["flac"](p.bomb_duration_s)
    hi_rate = BOMBS["flac192"](p.bomb_duration_s)
    opus = BOMBS["ogg_opus"](p.bomb_duration_s)
    return [
        *out,
        NamedCase(
            "4 flac bombs at once",
            cases.upload_bomb(flac, route=cases.UPLOAD, cap_s=cap, copies=4),
            True,
        ),
        NamedCase(
            "20 flac bombs at once",
            cases.upload_bomb(flac, route=cases.UPLOAD, cap_s=cap, copies=20),
            True,
        ),
        NamedCase(
            f"4 {hi_rate.name} at once",
            cases.upload_bomb(hi_rate, route=cases.UPLOAD, cap_s=cap, copies=4),
            True,
        ),
        NamedCase(
            f"{p.repeated_refusals}× over-length ogg/opus, stream route",
            cases.repeated_refusals(opus, route=cases.STREAM, times=p.repeated_refusals, cap_s=cap),
            True,
        ),
        NamedCase(
            "short body, upload route",
            cases.short_body_case(clip, route=cases.UPLOAD, content_type="audio/wav", cap_s=cap),
        ),
        NamedCase(
            "trickle 1 B/s, stream route",
            cases.trickle_case(clip, route=cases.STREAM, content_type="audio/wav", cap_s=cap),
        ),
        NamedCase(
            "trickle 1 B/s, upload route",
            cases.trickle_case(clip, route=cases.UPLOAD, content_type="audio/wav", cap_s=cap),
        ),
        NamedCase(
            f"{p.non_reading_clients} non-reading clients, 60 s clip",
            cases.non_reading_case(
                speech_like_wav(60.0), clients=p.non_reading_clients, hold_s=p.non_reading_hold_s
            ),
            True,
        ),
        NamedCase(
            f"flood: {p.flood_requests} uploads at once",
            cases.flood_case(speech_like_wav(1.0), requests=p.flood_requests, cap_s=cap),
            True,
        ),
        NamedCase(
            f"{p.websockets} websockets",
            cases.websockets_case(sockets=p.websockets, hold_s=p.ws_hold_s, cap_s=cap),
            True,
        ),
    ]


def _serve_cases(p: AbuseParams) -> list[NamedCase]:
    cap = p.cap_s
    flac = BOMBS["flac"](p.bomb_duration_s)
    return [
        NamedCase(
            "bomb flac upload (logged in)",
            cases.upload_bomb(flac, route=cases.UPLOAD, cap_s=cap),
            True,
        ),
        NamedCase(
            "gradio upload 200 MB (logged in)",
            cases.gradio_upload_case(200_000_000, cap_s=cap),
            True,
        ),
        NamedCase(
            "GET /api/openapi.json without login",
            cases.get_case("/api/openapi.json", with_login=False, cap_s=cap),
        ),
        NamedCase(
            "GET /api/docs without login", cases.get_case("/api/docs", with_login=False, cap_s=cap)
        ),
        NamedCase(
            "slowloris 50 conns, 1 B/s head",
            cases.slowloris_case(connections=50, duration_s=p.slowloris_s),
        ),
        NamedCase(
            "ws handshake, 9 kB query", cases.ws_long_query_case(query_bytes=9000, cap_s=cap)
        ),
    ]


async def _measure(
    target: Target, gauge: RssGauge, name: str, case: cases.Case, settle_s: float
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
        named = _api_cases(p) if kind == "api" else _serve_cases(p)
        for item in (n for n in named if n.fresh):
            with target_server(kind, p.server_args) as target:
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
        "server_errors_5xx": sum(bool(_5XX.search(r.answer)) for r in rows),
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
        f"(goal ≤ {GOAL_AFTER_MB:g}), 5xx answers: {summary['server_errors_5xx']}, "
        f"wall {summary['wall_s']:.0f} s"
    )
    write_result(SUITE, asdict(p), [asdict(r) for r in rows], summary, None, out_dir)
    return summary
