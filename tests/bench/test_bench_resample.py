"""The resampler benchmark runs end to end and tells good methods from bad ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.audio import METHODS
from workbench.bench import resample as bench


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    out_dir = tmp_path_factory.mktemp("bench")
    return bench.run(out_dir, quick=True), out_dir


def test_quick_run_writes_json_and_png(quick_run: tuple[dict, Path]) -> None:
    summary, out_dir = quick_run
    data = json.loads((out_dir / "resample.json").read_text())
    assert data["suite"] == "resample" and data["params"]["quick"] is True
    assert data["summary"]["default_method"] == "soxr-hq"
    assert (out_dir / "resample.png").stat().st_size > 10_000
    assert set(summary["methods"]) == set(METHODS)
    assert set(summary["soxr_library_rtf_chunked"]) == {"48000->24000", "16000->24000"}


def test_every_method_and_pair_has_every_metric(quick_run: tuple[dict, Path]) -> None:
    summary, _ = quick_run
    metrics = {
        "rtf_oneshot",
        "rtf_chunked",
        "snr_db",
        "sinad_db",
        "delay_ms",
        "latency_ms",
        "edge_excess_db",
        "chunked_vs_oneshot_db",
        "stopband_db",
    }
    for method in METHODS:
        for pair in ("48000->24000", "16000->24000"):
            row = summary["methods"][method][pair]
            assert set(row) == metrics
            assert row["rtf_chunked"] > 0


def test_quality_metrics_separate_good_from_bad_methods(quick_run: tuple[dict, Path]) -> None:
    methods = quick_run[0]["methods"]
    hq = methods["soxr-hq"]["48000->24000"]
    per_chunk = methods["scipy-fft-per-chunk"]["48000->24000"]

    assert hq["snr_db"] > 100 and abs(hq["delay_ms"]) < 0.01
    assert hq["edge_excess_db"] < 1 and hq["chunked_vs_oneshot_db"] == -200
    assert hq["stopband_db"] < -90
    assert per_chunk["edge_excess_db"] > 10  # the clicks the seed had
    assert methods["linear"]["48000->24000"]["stopband_db"] > -20  # no anti-alias filter
