"""Smoke test of ``workbench bench scaleout`` with tiny parameters: nginx, two API
processes, two minimal relays and the mock really run, every variant is measured in
the same run, and the JSON says how sessions split over the processes. No speed
thresholds (shared machine)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.bench import scaleout
from workbench.bench.nginx import nginx_binary
from workbench.commands import bench as bench_command

pytestmark = pytest.mark.skipif(nginx_binary() is None, reason="nginx not installed")


def test_scaleout_measures_every_variant_through_nginx(tmp_path: Path) -> None:
    params = scaleout.ScaleoutParams(
        levels=(4,), turns=1, utterance_s=0.3, ttfa_ms=20.0, ramp_s=0.1
    )
    summary = scaleout.run(tmp_path, params=params)
    data = json.loads((tmp_path / "scaleout.json").read_text())
    assert (tmp_path / "scaleout.png").read_bytes()[:4] == b"\x89PNG"
    assert [r["variant"] for r in summary["rows"]] == list(scaleout.VARIANTS)
    by_variant = {r["variant"]: r for r in data["samples"]}
    for variant, row in by_variant.items():
        assert row["turns"] == 4 and row["failed_turns"] == 0, (variant, row["errors"])
        assert row["added_ms"]["n"] > 0, variant
    through_nginx = by_variant["api_nginx"]
    assert sum(through_nginx["sessions_per_process"]) == 4  # every session on one process
    assert len(through_nginx["sessions_per_process"]) == 2
    assert through_nginx["nginx_cpu_pct"] is not None
    assert by_variant["api_single"]["sessions_per_process"] == [4]
    workers = by_variant["api_workers"]["sessions_per_process"]  # api --workers 2, one port
    assert len(workers) == 2 and sum(workers) == 4
    rows = {r["variant"]: r for r in summary["rows"]}
    assert rows["direct"]["p99_x_direct"] == pytest.approx(1.0)
    assert rows["floor_nginx"]["p99_x_floor"] == pytest.approx(1.0)
    assert rows["floor_single"]["p99_x_floor"] == pytest.approx(1.0)


def test_unknown_variant_is_refused_before_anything_starts(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown variants"):
        scaleout.run(tmp_path, params=scaleout.ScaleoutParams(variants=("api_nginx", "x")))
    assert not (tmp_path / "scaleout.json").exists()


def test_scaleout_is_a_bench_suite() -> None:
    assert "scaleout" in bench_command.SUITES
