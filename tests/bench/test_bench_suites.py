"""Smoke tests: every network suite runs end to end with tiny parameters and writes
strict JSON (machine, parameters, raw samples, summary) and a PNG. No speed thresholds:
the numbers of a shared CI machine mean nothing; only their presence is checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.bench import concurrency, cost, relay, soak, ttfa
from workbench.commands import bench as bench_command

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _result(out_dir: Path, suite: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out_dir / f"{suite}.json").read_text())
    assert data["suite"] == suite
    assert {"cpu_count", "load_average"} <= set(data["machine"])
    assert (out_dir / f"{suite}.png").read_bytes()[:8] == PNG_MAGIC
    return data


def test_relay_suite_measures_both_paths(tmp_path: Path) -> None:
    params = relay.RelayParams(rounds=1, turns_per_round=1, utterance_s=0.3, mock_ttfa_ms=10)
    summary = relay.run(tmp_path, params=params)
    data = _result(tmp_path, "relay")
    for key in ("relay_out_ms", "relay_in_ms", "direct_out_ms", "direct_in_ms"):
        assert data["samples"][key], key  # every path produced samples
    assert [row["path"] for row in summary["rows"]] == ["delta → shell", "feed → send"]


def test_concurrency_suite_runs_sessions_and_a_direct_baseline(tmp_path: Path) -> None:
    params = concurrency.ConcurrencyParams(
        levels=(2,), worker_levels=(4,), turns=1, utterance_s=0.3, ttfa_ms=20, ramp_s=0.1
    )
    summary = concurrency.run(tmp_path, params=params)
    data = _result(tmp_path, "concurrency")
    assert [(r["workers"], r["sessions"]) for r in summary["rows"]] == [
        (1, 2),
        ("direct", 2),
        (2, 4),  # workbench api --workers 2
    ]
    for level in (data["samples"][0], data["samples"][2]):
        assert level["failed_turns"] == 0 and level["failed_sessions"] == 0, level["errors"]
        assert level["added_ms"]["n"] > 0 and level["server_cpu_pct"] is not None


def test_cost_suite_measures_the_api_and_the_floor_in_every_phase(tmp_path: Path) -> None:
    params = cost.CostParams(
        idle_sessions=3,
        storm_sessions=3,
        cpu_sessions=2,
        cpu_rounds=1,
        turns=1,
        utterance_s=0.3,
        ttfa_ms=20,
        ramp_s=0.1,
        server_lag_window_s=1.0,
    )
    summary = cost.run(tmp_path, params=params)
    data = _result(tmp_path, "cost")
    rows = {r["variant"]: r for r in summary["rows"]}
    assert set(rows) == {"api", "floor"}
    assert rows["floor"]["cpu_x_floor"] == 1.0
    for variant, row in rows.items():
        assert row["cpu_us_per_frame"] > 0 and row["connected"] == 3, (variant, row)
        assert row["storm_rtt_max_ms"] is not None and row["kb_per_idle_session"] is not None
    assert rows["api"]["storm_lag_max_ms"] is not None  # from the API's /metrics
    assert all(r["failed"] == 0 for r in data["samples"]["cpu"])


def test_ttfa_suite_times_seed_and_streaming(tmp_path: Path) -> None:
    params = ttfa.TtfaParams(
        m4a="en_hello_44k1_aac_faststart.m4a",
        m4a_duration_s=3.852154,
        pcm_duration_s=0.5,
        repeats=1,
        upload_speed_x=20.0,
        mock_ttfa_ms=20,
    )
    summary = ttfa.run(tmp_path, params=params)
    _result(tmp_path, "ttfa")
    assert summary["failures"] == []
    assert [row["variant"] for row in summary["rows"]] == list(ttfa.VARIANTS)
    assert all(row["n"] == 1 for row in summary["rows"])


def test_soak_suite_samples_memory_and_descriptors(tmp_path: Path) -> None:
    params = soak.SoakParams(
        sessions=2, minutes=0.04, utterance_s=0.3, pause_s=0.1, ttfa_ms=20, sample_s=0.5
    )
    summary = soak.run(tmp_path, params=params)
    data = _result(tmp_path, "soak")
    assert summary["turns"] >= 2 and summary["failed_turns"] == 0, summary["errors"]
    series = data["samples"]["series"]
    assert len(series["t_s"]) == len(series["rss_mb"]) == len(series["num_fds"]) >= 2


def test_bench_command_lists_every_suite() -> None:
    assert set(bench_command.SUITES) == {
        "relay",
        "concurrency",
        "ttfa",
        "resample",
        "scaleout",
        "netem",
        "bargein",
        "cost",
        "gc_pauses",
        "input_memory",
        "abuse",
        "fuzz",
        "soak",
        "all",
    }
