"""Markdown tables of one ``workbench bench all`` run, for the README and docs/benchmarks.md.

``python -m workbench.bench.report results/full`` prints, for every suite's JSON in that
folder, the table the docs show — each figure next to its baselines from the same run
(ratios to the direct SDK clients and to the minimal relay floor) and the load average
it was measured at — so no figure in the docs is typed by hand. Suites missing from the
folder are skipped.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

Row = Mapping[str, Any]


def fmt(value: Any, digits: int = 3) -> str:
    """A figure as the docs print it: ``–`` for none, 3 significant digits, thousands."""
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "–"
    magnitude = abs(value)
    if isinstance(value, int) or magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    return f"{value:.{digits}g}"


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A markdown table (text columns left, figures right)."""
    numeric = [
        all(isinstance(r[i], int | float) or r[i] is None for r in rows) for i in range(len(header))
    ]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if n else "---" for n in numeric) + "|",
    ]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _load(folder: Path, suite: str) -> dict[str, Any] | None:
    path = folder / f"{suite}.json"
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _when(data: Mapping[str, Any]) -> str:
    load = data["machine"].get("load_average")
    return f"{data['created_utc'][:16].replace('T', ' ')} UTC, load at the end {load}"


def relay(data: Mapping[str, Any]) -> str:
    """What the Relay adds per chunk, against a direct SDK client."""
    rows = [
        [
            r["path"],
            r["relay_p50_ms"],
            r["relay_p99_ms"],
            r["direct_p50_ms"],
            r["direct_p99_ms"],
            r["added_p50_ms"],
            r["added_p99_ms"],
            r["n"],
        ]
        for r in data["summary"]["rows"]
    ]
    header = ["path", "relay p50 ms", "relay p99 ms", "direct p50 ms", "direct p99 ms"]
    return table([*header, "added p50 ms", "added p99 ms", "n"], rows)


def concurrency(data: Mapping[str, Any]) -> str:
    """N WebSocket sessions on one API process (and N workers) vs direct SDK clients."""
    rows = [
        [
            r["workers"],
            r["sessions"],
            r["added_p50_ms"],
            r["added_p99_ms"],
            r["api_minus_direct_p99_ms"],
            r["api_cpu_pct"],
            r["cpu_pct_per_session"],
            r["rss_mb_per_session"],
            r["failed_turns"] + r["failed_sessions"],
            r["load_1m"],
        ]
        for r in data["summary"]["rows"]
    ]
    header = ["workers", "sessions", "added p50 ms", "added p99 ms", "API − direct p99 ms"]
    return table(
        [*header, "API CPU % of a core", "CPU %/session", "RSS MB/session", "failed", "load 1m"],
        rows,
    )


def scaleout(data: Mapping[str, Any]) -> str:
    """Every deployment variant at every level, with ratios to direct and the floor."""
    rows = [
        [
            r["variant"],
            r["sessions"],
            r["added_p50_ms"],
            r["added_p99_ms"],
            r["p99_x_direct"],
            r["p99_x_floor"],
            r["server_cpu_pct"],
            r["nginx_cpu_pct"],
            r["split"],
            r["failed"],
            r.get("server_lag_max_ms"),
            r.get("client_lag_max_ms"),
            r.get("load_1m"),
        ]
        for r in data["summary"]["rows"]
    ]
    header = ["variant", "sessions", "added p50 ms", "added p99 ms", "p99 × direct"]
    header += ["p99 × floor", "server CPU %", "nginx CPU %", "split", "failed"]
    return table([*header, "server lag max ms", "client lag max ms", "load 1m"], rows)


def cost(data: Mapping[str, Any]) -> str:
    """CPU per frame, memory per idle session, stalls while sessions connect (and, for
    scale, the longest stall the same probe saw before the storm, with nothing going on)."""
    idle_max = {
        s["variant"]: (s.get("rtt_before_ms") or {}).get("max")
        for s in data["samples"].get("storm", [])
    }
    rows = [
        [
            r["variant"],
            r["cpu_us_per_frame"],
            r["cpu_x_floor"],
            r["kb_per_idle_session"],
            r["idle_x_floor"],
            r["storm_rtt_max_ms"],
            r["storm_rtt_p99_ms"],
            r["storm_lag_max_ms"],
            r["rtt_before_p50_ms"],
            idle_max.get(r["variant"]),
            r["storm_connect_s"],
        ]
        for r in data["summary"]["rows"]
    ]
    header = ["variant", "CPU µs/frame", "× floor", "KB/idle session", "× floor"]
    header += ["storm: ping max ms", "ping p99 ms", "lag max ms", "idle: ping p50 ms"]
    return table([*header, "idle: ping max ms", "all connected s"], rows)


def gc_pauses(data: Mapping[str, Any]) -> str:
    """The GC policy against Python's defaults under the same sessions."""
    rows = [
        [
            r["policy"],
            r["sessions"],
            f"{fmt(r['full_collect_ms'])} / {fmt(r['full_collect_cpu_ms'])}",
            r["connect_pauses"],
            f"{fmt(r['connect_pause_max_ms'])} / {fmt(r['connect_pause_max_cpu_ms'])}",
            f"{fmt(r['connect_gc_total_ms'])} / {fmt(r['connect_gc_cpu_ms'])}",
            r["connect_gen2"],
            r["connect_lag_max_ms"],
            r["failed"],
        ]
        for r in data["summary"]["rows"]
    ]
    header = ["policy", "sessions", "full collection wall / CPU ms", "passes while connecting"]
    header += ["longest pass wall / CPU ms", "all passes wall / CPU ms", "gen-2 passes"]
    return table([*header, "lag max while connecting ms", "failed"], rows)


def soak(data: Mapping[str, Any]) -> str:
    """N sessions doing turn after turn for M minutes: failures, memory, descriptors."""
    s = data["summary"]
    added = s["added_ms"]
    row = [
        s["sessions"],
        s["minutes"],
        s["turns"],
        s["failed_turns"] + s["failed_sessions"],
        added["p50"],
        added["p99"],
        f"{fmt(s['rss_mb_idle'])} → {fmt(s['rss_mb_max'])} → {fmt(s['rss_mb_end'])}",
        s["rss_slope_mb_per_min_2nd_half"],
        f"{s['num_fds_idle']} → {fmt(s['num_fds_max'])} → {fmt(s['num_fds_end'])}",
    ]
    header = ["sessions", "minutes", "turns", "failed", "added p50 ms", "added p99 ms"]
    header += ["RSS MB idle → max → end", "RSS slope MB/min (2nd half)", "fds idle → max → end"]
    return table(header, [row])


def ttfa(data: Mapping[str, Any]) -> str:
    """Time to first audio: the seed's architecture against streaming uploads."""
    rows = [
        [
            r["variant"],
            r["ttfa_p50_ms"],
            r["ttfa_max_ms"],
            r["overhead_p50_ms"],
            r["speedup_x"],
            r["overhead_speedup_x"],
            r["n"],
        ]
        for r in data["summary"]["rows"]
    ]
    header = ["variant", "TTFA p50 ms", "TTFA max ms", "TTFA − mock's ms", "speed-up"]
    return table([*header, "speed-up of the overhead", "n"], rows)


def resample(data: Mapping[str, Any]) -> str:
    """Headline rows: the default method and the seed's per-chunk FFT."""
    rows = []
    for method in (data["summary"]["default_method"], "scipy-fft-per-chunk"):
        for pair, m in data["summary"]["methods"].get(method, {}).items():
            rows.append(
                [
                    method,
                    pair,
                    m["rtf_chunked"],
                    m["snr_db"],
                    m["edge_excess_db"],
                    m["chunked_vs_oneshot_db"],
                ]
            )
    header = ["method", "pair", "RTF chunked", "SNR dB", "chunk-edge excess dB"]
    return table([*header, "chunked vs one-shot dB"], rows)


RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "relay": relay,
    "concurrency": concurrency,
    "ttfa": ttfa,
    "resample": resample,
    "scaleout": scaleout,
    "cost": cost,
    "gc_pauses": gc_pauses,
    "soak": soak,
}


def render(folder: Path) -> str:
    """Every suite's table found in ``folder``, each under a heading with its time."""
    parts = []
    for suite, renderer in RENDERERS.items():
        data = _load(folder, suite)
        if data is not None:
            parts.append(f"### {suite} ({_when(data)})\n\n{renderer(data)}\n")
    return "\n".join(parts)


def main() -> None:
    """Command-line entry: print the tables of one results folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    print(render(parser.parse_args().folder))


if __name__ == "__main__":
    main()
