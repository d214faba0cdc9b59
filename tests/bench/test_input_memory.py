"""The input-memory suite: each mode relays a clip in a fresh process and reports growth."""

from __future__ import annotations

from pathlib import Path

from workbench.bench import input_memory
from workbench.bench.servers import mock_process


def test_both_modes_relay_a_clip_in_a_fresh_process_and_report_peak_growth(
    tmp_path: Path,
) -> None:
    clip, warm = tmp_path / "clip.flac", tmp_path / "warm.flac"
    input_memory._write_clip(clip, 2.0, 8_000)
    input_memory._write_clip(warm, 0.5, 48_000)
    with mock_process(1.0, input_memory.MOCK_SPEED_X) as mock:
        got_by_mode = {m: input_memory._child(m, clip, warm, mock.url) for m in input_memory.MODES}
    for mode, got in got_by_mode.items():
        assert abs(got["clip_s"] - 2.0) < 0.01, mode
        assert got["peak_mb"] > 20 and got["before_mb"] > 20  # a real interpreter (MB)


def test_the_summary_compares_spread_and_the_largest_case() -> None:
    samples = [
        {"mode": m, "clip_s": s, "rate_hz": r, "peak_growth_mb": g}
        for m, s, r, g in [
            ("service", 10.0, 8000, 1.0),
            ("service", 300.0, 96000, 2.0),
            ("whole_decode", 10.0, 8000, 3.0),
            ("whole_decode", 300.0, 96000, 200.0),
        ]
    ]
    summary = input_memory._summary(samples)
    assert summary["modes"]["service"]["spread_mb"] == 1.0
    assert summary["largest_case_growth_mb"] == {"service": 2.0, "whole_decode": 200.0}
