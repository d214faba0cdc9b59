"""Smoke test of ``workbench bench gc_pauses`` with tiny parameters: each policy runs
in its own real API process under real sessions, the server policy is really applied
there (thresholds, frozen objects), and pauses and lag are reported. No thresholds on
the numbers (shared machine)."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.bench import gc_pauses
from workbench.commands import bench as bench_command
from workbench.runtime.gc_tuning import GcPolicy


def test_each_policy_is_applied_in_its_own_server_and_measured(tmp_path: Path) -> None:
    params = gc_pauses.GcBenchParams(sessions=3, turns=1, utterance_s=0.3, ttfa_ms=20.0, ramp_s=0.1)
    summary = gc_pauses.run(tmp_path, params=params)
    rows = {
        r["policy"]: r for r in json.loads((tmp_path / "gc_pauses.json").read_text())["samples"]
    }
    assert set(rows) == {"python", "server"}
    assert "thresholds" not in rows["python"]["applied"]  # Python's defaults left alone
    server = rows["server"]["applied"]
    assert tuple(server["thresholds"]) == GcPolicy().thresholds
    assert server["frozen_objects"] > 10_000  # the API's imports, frozen at start-up
    for policy, row in rows.items():
        assert row["failed_turns"] == 0 and row["failed_sessions"] == 0, (policy, row["errors"])
        assert len(row["full_collect_samples_ms"]) == gc_pauses.FULL_COLLECT_REPEATS
        assert row["turns_lag"]["samples"] > 0  # the server's lag monitor ran
        assert row["added_ms"]["n"] > 0
    assert [r["policy"] for r in summary["rows"]] == ["python", "server"]


def test_gc_pauses_is_a_bench_suite() -> None:
    assert "gc_pauses" in bench_command.SUITES
