"""The docs' tables come from the result JSONs, never typed by hand."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.bench.common import write_result
from workbench.bench.report import fmt, render, table


def test_figures_are_printed_the_same_way_everywhere() -> None:
    assert [fmt(None), fmt(float("nan")), fmt(3), fmt(1234.5), fmt(123.4), fmt(0.012345)] == [
        "–",
        "–",
        "3",
        "1,234",
        "123",
        "0.0123",
    ]


def test_a_table_aligns_figures_right_and_text_left() -> None:
    text = table(["name", "ms"], [["api", 1.5], ["floor", None]])
    assert text.splitlines()[1] == "|---|---:|"
    assert "| floor | – |" in text


def test_render_shows_each_suite_found_with_its_time_and_load(tmp_path: Path) -> None:
    cost_row = {
        "variant": "api",
        "cpu_us_per_frame": 612.0,
        "cpu_x_floor": 0.81,
        "kb_per_idle_session": 31.2,
        "idle_x_floor": 0.3,
        "storm_rtt_max_ms": 80.5,
        "storm_rtt_p99_ms": 70.0,
        "rtt_before_p50_ms": 0.4,
        "storm_lag_max_ms": 90.0,
        "storm_connect_s": 0.3,
    }
    storm = {"variant": "api", "rtt_before_ms": {"p50": 0.4, "max": 12.5}}
    write_result("cost", {}, {"storm": [storm]}, {"rows": [cost_row]}, None, tmp_path)
    text = render(tmp_path)
    assert text.startswith("### cost (") and "load at the end" in text
    assert "| api | 612 | 0.81 | 31.2 | 0.3 | 80.5 | 70 | 90 | 0.4 | 12.5 | 0.3 |" in text
    assert "### soak" not in text  # not in the folder: skipped
    assert json.loads((tmp_path / "cost.json").read_text())["summary"]["rows"] == [cost_row]
